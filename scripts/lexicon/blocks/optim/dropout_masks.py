"""The dropout-masks kind: inverted dropout on a trained network's real hidden activations, its expectation checked."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Html, Table
from ...render import fmt
from ._claims import Names
from ._data import MLP_EPOCHS, NOTE, digit_activations, dropout

NAMES = Names("write e.g. 'ratio(inverted) > 0.99' or 'kept < 0.85'",
              ratio=("the mean masked activation over the mean activation, {0} scaling", 1, False),
              kept=("the share of units kept", 0, False))
SCALINGS = ("inverted", "none")


class DropoutMasks(Kind):
    """Dropout in numpy on real activations: the hidden ReLU layer (`hidden` units) of scikit-learn's `MLPClassifier`
    trained for 100 epochs on 75% of the digits data (`random_state=seed`), for the other 25% of the digits. `masks` random masks
    (`numpy.random.RandomState(seed)`) each drop every unit with probability `p`.

    With inverted dropout the kept units
    are multiplied by 1 / (1 − p), so the mean activation over the masks matches the mean without dropout (`ratio`
    near 1); without the scaling it shrinks to about 1 − p. (scikit-learn's MLP has no dropout; the network is
    trained without it, and only the masking arithmetic is shown.)
    """

    example = "p: 0.5\nmasks: 20\nexpect:\n  - ratio(inverted) > 0.95"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        p=opt.number("The probability of dropping a unit.", default=0.5, min=0.05, max=0.9),
        masks=opt.integer("The random masks averaged over.", default=20, min=1, max=200),
        hidden=opt.integer("The hidden units of the network.", default=64, min=8, max=256),
        seed=opt.seed("The seed of the network, the split and the masks.", default=0),
        expect=opt.claims("[Claims](#claims): `ratio(inverted) > 0.95`, `kept < 0.6`. Names: ratio(inverted|none), kept."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda n, args: self._scaling(args[0]) if args else None)

    @staticmethod
    def _scaling(s) -> str:
        from ...errors import LexiconError

        s = str(s).strip()
        if s not in SCALINGS:
            raise LexiconError(f"'{s}' is not a scaling", fix="name inverted or none")
        return s

    def anchor_hint(self, spec):
        return f"dropout {spec.p:g}"

    def compute(self, kv, spec):
        h, accuracy = digit_activations(spec.hidden, spec.seed)
        rng = np.random.RandomState(spec.seed)
        inv, plain, kept = [], [], []
        for _ in range(spec.masks):
            out, mask = dropout(h, spec.p, 1 / (1 - spec.p), rng)
            inv.append(out.mean())
            plain.append((h * mask).mean())
            kept.append(mask.mean())
        one, mask = dropout(h[:1], spec.p, 1 / (1 - spec.p), np.random.RandomState(spec.seed))
        order = np.argsort(-h[0])[:8]
        return {"digits": int(h.shape[0]), "units": int(h.shape[1]), "accuracy": accuracy, "mean": float(h.mean()),
                "inverted": float(np.mean(inv)), "none": float(np.mean(plain)), "kept": float(np.mean(kept)),
                "inverted_range": [float(min(inv)), float(max(inv))],
                "example": [[int(j), float(h[0, j]), int(mask[0, j]), float(one[0, j])] for j in order]}

    def _lookup(self, spec, result, n, args):
        if n == "kept":
            return result["kept"]
        return result[self._scaling(args[0])] / result["mean"]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda n, args: self._lookup(spec, result, n, args), check, fmt)

    @value("The mean masked activation over the mean activation: `ratio(inverted)` or `ratio(none)`.")
    def ratio(self, spec, result, scaling):
        v = self._lookup(spec, result, "ratio", [scaling])
        return Value(fmt(v), v)

    @value("The share of units the masks kept.")
    def kept(self, spec, result):
        return Value(fmt(result["kept"]), result["kept"])

    @value("The drop probability p.")
    def p(self, spec, result):
        return Value(f"{spec.p:g}", spec.p)

    @value("The scale of the kept units under inverted dropout, 1 / (1 − p).")
    def scale(self, spec, result):
        v = 1 / (1 - spec.p)
        return Value(f"{v:.4g}", v)

    @value("The masks averaged over.")
    def masks(self, spec, result):
        return Value(str(spec.masks), spec.masks)

    @value("The mean hidden activation without dropout.")
    def mean(self, spec, result):
        return Value(fmt(result["mean"]), result["mean"])

    @value("The network's test accuracy (trained without dropout).")
    def accuracy(self, spec, result):
        return Value(fmt(result["accuracy"]), result["accuracy"])

    def render(self, spec, result, ctx):
        scale = 1 / (1 - spec.p)
        summary = Table(["", "Mean activation"],
                        [["No dropout", fmt(result["mean"])],
                         [f"Inverted dropout (kept units × {scale:.4g}), mean over {spec.masks} masks",
                          fmt(result["inverted"])],
                         [f"Dropout without scaling, mean over {spec.masks} masks", fmt(result["none"])]], numeric=(1,))
        example = Table(["Unit", "Activation", "Kept?", "After inverted dropout"],
                        [[str(j), fmt(a), "yes" if k else "no", fmt(o)] for j, a, k, o in result["example"]],
                        numeric=(1, 3))
        code = ("import numpy as np\n"
                "from sklearn.datasets import load_digits\n"
                "from sklearn.model_selection import train_test_split\n"
                "from sklearn.neural_network import MLPClassifier\n\n"
                "d = load_digits()\n"
                f"x_tr, x_te, y_tr, y_te = train_test_split(d.data / 16, d.target, test_size=0.25, random_state={spec.seed},\n"
                "                                          stratify=d.target)\n"
                f"mlp = MLPClassifier(({spec.hidden},), max_iter={MLP_EPOCHS}, random_state={spec.seed}).fit(x_tr, y_tr)\n"
                "h = np.maximum(0, x_te @ mlp.coefs_[0] + mlp.intercepts_[0])   # the hidden ReLU activations\n\n"
                f"p = {spec.p:g}\n"
                f"rng = np.random.RandomState({spec.seed})\n"
                "mask = rng.random_sample(h.shape) >= p      # keep each unit with probability 1 − p\n"
                "h_train = h * mask / (1 - p)                 # inverted dropout: scale the survivors\n"
                "h_test = h                                   # at test time: no mask, no scaling\n"
                "print(h.mean(), h_train.mean())\n")
        return [
            Html(f"<p>A network with {result['units']} hidden units, trained for {MLP_EPOCHS} epochs on the digits data without dropout "
                 f"(test accuracy {fmt(result['accuracy'])}), gives hidden activations for {result['digits']:,} test "
                 f"digits. Dropout with p = {spec.p:g} keeps {fmt(result['kept'])} of the units on average over "
                 f"{spec.masks} masks; across the masks, each mask's mean activation ranged from {fmt(result['inverted_range'][0])} to "
                 f"{fmt(result['inverted_range'][1])} with the scaling.</p>"),
            summary,
            Html("<p>The eight most active units for the first test digit, under one mask:</p>"),
            example,
            Code(code, "Inverted dropout in numpy, on the same activations (it runs as shown)"),
        ]
