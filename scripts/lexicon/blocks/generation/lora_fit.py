"""The lora-fit kind: a real low-rank adaptation, learned in numpy, of a frozen digit classifier to mirrored or rotated
digits, against full fine-tuning of the same matrix, over several seeds."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Html, Table
from ...errors import LexiconError
from ...render import percent
from ._lora import CLAIM, SHIFTS, TERM, WORDS, accuracy, adapt, frozen_model, shifted

RANKS = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 10}, "minItems": 1, "maxItems": 6,
         "uniqueItems": True}
NAMES = {"accuracy": "the mean test accuracy on the shifted digits with rank", "full": "the mean test accuracy of "
         "full fine-tuning", "frozen": "the frozen model's test accuracy on the shifted digits",
         "original": "the frozen model's test accuracy on the original digits"}
EXAMPLE = "accuracy(4) > frozen"


def read_claim(text: str, ranks: list[int]) -> tuple:
    m = CLAIM.match(str(text))
    terms = []
    for part in (m.group(1), m.group(3)) if m else ():
        t = TERM.match(part)
        if not t:
            break
        if t.group(3) is not None:
            terms.append(("number", float(t.group(3)), t.group(3)))
        elif t.group(1) in NAMES and (t.group(1) == "accuracy") == (t.group(2) is not None):
            if t.group(1) == "accuracy" and (not t.group(2).isdigit() or int(t.group(2)) not in ranks):
                raise LexiconError(f"the claim '{text}' reads rank {t.group(2)}, which is not one of the ranks",
                                   fix="name one of: " + ", ".join(map(str, ranks)))
            terms.append(("quantity", t.group(1), int(t.group(2)) if t.group(2) else None))
    if len(terms) != 2 or all(t[0] == "number" for t in terms):
        raise LexiconError(f"cannot read the claim '{text}'",
                           fix=f"write e.g. '{EXAMPLE}' with accuracy(rank), full, frozen, original or a number")
    return terms[0], m.group(2), terms[1]


class LoraFit(Kind):
    """A low-rank adaptation (LoRA, Hu et al. 2022) learned for real, in numpy, on scikit-learn's bundled digits.

    A multinomial logistic regression (scikit-learn's `LogisticRegression`, lbfgs) is trained on the original
    8 × 8 images (pixels divided by 16; a stratified 70/30 split, `random_state` = seed) and then frozen: its
    weight matrix W₀ is 10 × 64. The new task is the same digits moved by `shift` (`mirror`: flipped left to
    right; `rotate`: a quarter turn). For each rank r in `ranks`, an update B·A (B 10 × r, starting at zero;
    A r × 64, random normal with standard deviation 1/√r, numpy's `default_rng(seed)`) is trained on the shifted
    training images, W₀ and the bias frozen, by full-batch Adam for `steps` steps at learning rate `lr` on the
    mean cross-entropy. *Full fine-tuning* trains a full 10 × 64 update the same way. Everything is repeated
    for seeds 0 … `seeds` − 1 (split, start of A); the table gives the mean test accuracy on the shifted
    digits and its range. Claims: `accuracy(4) > frozen`, `full > accuracy(1)`, `accuracy(8) > 0.9`.
    """

    example = "shift: rotate\nranks: [1, 4]\nseeds: 1\nsteps: 100\nexpect:\n  - accuracy(4) > frozen"
    needs_model = False
    note = ("Computed at build time with numpy and scikit-learn on scikit-learn's bundled digits; the training "
            "loop (Adam, the gradients of B and A) is written out in numpy.")
    options = opt.Options(
        Kind.options,
        shift=opt.choice("How the new task moves the images: " + "; ".join(f"`{k}`, {v}" for k, v in SHIFTS.items())
                         + ".", list(SHIFTS), default="rotate"),
        ranks=opt.raw("The ranks r of the update B·A (at most 10, the matrix's smaller side).", RANKS,
                      "list of 1–6 ranks, 1–10", default=[1, 2, 4, 8], default_doc="`[1, 2, 4, 8]`", convert=list),
        seeds=opt.integer("How many seeds (split and start of A), 0, 1, ….", default=3, min=1, max=10),
        steps=opt.integer("Adam steps (full batch).", default=300, min=10, max=2000),
        lr=opt.number("Adam's learning rate.", default=0.05, above=0, max=1),
        expect=opt.claims("[Claims](#claims): `accuracy(4) > frozen`, `full > accuracy(1)`, `accuracy(8) > 0.9`."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.ranks = sorted(spec.ranks)
        spec.parsed = [read_claim(t, spec.ranks) for t in spec.expect]

    def anchor_hint(self, spec):
        return f"lora {spec.shift}"

    def compute(self, kv, spec):
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split

        data = load_digits()
        x, y = data.data / 16.0, data.target
        runs = []
        for seed in range(spec.seeds):
            xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.3, stratify=y, random_state=seed)
            w0, b0 = frozen_model(xtr, ytr)
            str_, ste = shifted(xtr, spec.shift), shifted(xte, spec.shift)
            run = {"original": accuracy(w0, b0, xte, yte), "frozen": accuracy(w0, b0, ste, yte),
                   "ranks": [accuracy(adapt(w0, b0, str_, ytr, r, spec.steps, spec.lr, seed), b0, ste, yte)
                             for r in spec.ranks],
                   "full": accuracy(adapt(w0, b0, str_, ytr, None, spec.steps, spec.lr, seed), b0, ste, yte)}
            runs.append(run)
        shape = [10, 64]
        return {"runs": runs, "shape": shape, "train": len(ytr), "test": len(yte)}

    def _mean(self, result, name, rank=None, spec=None):
        if name == "accuracy":
            i = spec.ranks.index(rank)
            return float(np.mean([r["ranks"][i] for r in result["runs"]]))
        return float(np.mean([r[name] for r in result["runs"]]))

    def claims(self, spec, result, check):
        for left, op, right in spec.parsed:
            vals, said = [], []
            for t in (left, right):
                if t[0] == "number":
                    vals.append(t[1])
                    said.append(t[2])
                else:
                    vals.append(self._mean(result, t[1], t[2], spec))
                    said.append(NAMES[t[1]] + (f" {t[2]}" if t[2] else ""))
            a, b = vals
            check(f"{said[0]} {WORDS[op]} {said[1]}", {"<": a < b, ">": a > b, "=": a == b}[op],
                  "; ".join(f"{s} is {percent(v)}" for s, v, t in zip(said, vals, (left, right)) if t[0] == "quantity"))

    def _rank(self, spec, r):
        t = str(r).strip()
        if not t.isdigit() or int(t) not in spec.ranks:
            raise LexiconError(f"'{r}' is not one of the ranks", fix="name one of: " + ", ".join(map(str, spec.ranks)))
        return int(t)

    @value("The mean test accuracy on the shifted digits after a rank-r update: `accuracy(4)`.")
    def accuracy(self, spec, result, r):
        v = self._mean(result, "accuracy", self._rank(spec, r), spec)
        return Value(percent(v), v)

    @value("The mean test accuracy on the shifted digits after full fine-tuning of the matrix.")
    def full(self, spec, result):
        v = self._mean(result, "full")
        return Value(percent(v), v)

    @value("The frozen model's mean test accuracy on the shifted digits.")
    def frozen(self, spec, result):
        v = self._mean(result, "frozen")
        return Value(percent(v), v)

    @value("The frozen model's mean test accuracy on the original digits.")
    def original(self, spec, result):
        v = self._mean(result, "original")
        return Value(percent(v), v)

    @value("The numbers a rank-r update trains, r·(10 + 64): `params(4)`.")
    def params(self, spec, result, r):
        r = self._rank(spec, r)
        m, n = result["shape"]
        return Value(f"{r * (m + n):,}", r * (m + n))

    @value("The numbers full fine-tuning of the matrix trains, 10 × 64.")
    def full_params(self, spec, result):
        m, n = result["shape"]
        return Value(f"{m * n:,}", m * n)

    def render(self, spec, result, ctx):
        m, n = result["shape"]
        runs = result["runs"]

        def cells(vals):
            lo, hi = percent(min(vals)), percent(max(vals))
            return [percent(float(np.mean(vals))), lo if lo == hi else f"{lo} to {hi}"]

        rows = [["frozen W₀ (no training)", "0"] + cells([r["frozen"] for r in runs])]
        for i, rank in enumerate(spec.ranks):
            rows.append([f"LoRA, rank {rank}", f"{rank * (m + n):,}"] + cells([r["ranks"][i] for r in runs]))
        rows.append(["full fine-tuning of W", f"{m * n:,}"] + cells([r["full"] for r in runs]))
        table = Table(["Model", "Numbers trained", "Test accuracy, shifted digits (mean)",
                       f"Range over {spec.seeds} seed{'s' if spec.seeds > 1 else ''}"], rows, numeric=(1, 2))
        code = ("import numpy as np\nfrom sklearn.datasets import load_digits\n"
                "from sklearn.linear_model import LogisticRegression\n"
                "from sklearn.model_selection import train_test_split\n\n"
                "d = load_digits()\nx, y = d.data / 16.0, d.target\n"
                "xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.3, stratify=y, random_state=0)\n"
                "frozen = LogisticRegression(max_iter=5000).fit(xtr, ytr)\n"
                "W0, b0 = frozen.coef_, frozen.intercept_                 # 10 × 64, frozen from now on\n"
                + ("move = lambda a: a.reshape(-1, 8, 8)[:, :, ::-1].reshape(len(a), 64)   # mirror\n"
                   if spec.shift == "mirror" else
                   "move = lambda a: np.rot90(a.reshape(-1, 8, 8), 1, axes=(1, 2)).reshape(len(a), 64)   # rotate\n") +
                "xs, ts = move(xtr), move(xte)\n\n"
                "def softmax(z):\n    e = np.exp(z - z.max(axis=1, keepdims=True))\n"
                "    return e / e.sum(axis=1, keepdims=True)\n\n"
                f"r, rng = {spec.ranks[-1]}, np.random.default_rng(0)\n"
                "B = np.zeros((10, r))                                      # B starts at zero: W = W0 at step 0\n"
                "A = rng.normal(0, 1 / np.sqrt(r), size=(r, 64))\n"
                "state = [[np.zeros_like(B), np.zeros_like(B)], [np.zeros_like(A), np.zeros_like(A)]]\n"
                f"for t in range(1, {spec.steps + 1}):\n"
                "    p = softmax(xs @ (W0 + B @ A).T + b0)\n"
                "    p[np.arange(len(ytr)), ytr] -= 1\n"
                "    G = p.T @ xs / len(ytr)                                # gradient for W\n"
                "    for P, g, (m, v) in zip((B, A), (G @ A.T, B.T @ G), state):   # Adam\n"
                "        m[:] = 0.9 * m + 0.1 * g\n        v[:] = 0.999 * v + 0.001 * g * g\n"
                f"        P -= {spec.lr} * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)\n"
                "print(((ts @ (W0 + B @ A).T + b0).argmax(axis=1) == yte).mean())\n")
        orig = self._mean(result, "original")
        return [Html(f"<p>A digit classifier trained on the original images ({result['train']:,} training and "
                     f"{result['test']:,} test images per split) reaches {percent(orig)} test accuracy on them. The "
                     f"new task is the same digits, {SHIFTS[spec.shift]}. Its 10 × 64 weight matrix stays frozen; "
                     f"only the update is trained ({spec.steps} Adam steps, learning rate {spec.lr:g}).</p>"),
                table, Code(code, "The numpy behind one rank, one seed")]
