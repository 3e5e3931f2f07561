"""The ensemble-curve kind: held-out accuracy and log-loss after each tree of a forest or bagging, or each boosting stage."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import esc, fmt
from ._claims import Names
from ._data import NOTE, check_dataset, describe
from ._ensembles import TREE_CODE, line_code, parse_line, staged

LINES_SCHEMA = {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 4, "uniqueItems": True}
SCORES = {"accuracy": "accuracy", "log-loss": "log-loss (lower is better)"}
NAMES = Names("write e.g. 'loss(boosting-0.1, 200) > loss(boosting-0.1, 50)', 'best(boosting-1) < 20' or "
              "'accuracy(random-forest, 100) > accuracy(random-forest, 1)'",
              accuracy=("the mean held-out accuracy of {0} after {1}", 2, False),
              loss=("the mean held-out log-loss of {0} after {1}", 2, False),
              best=("the count at which {0}'s mean score is best", 1, True),
              peak=("{0}'s best mean score", 1, False))


class EnsembleCurve(Kind):
    """How an ensemble's held-out score changes as it grows: after each tree of a random forest or a
    bagging, or after each stage of gradient boosting.

    Each line of `lines` is `random-forest`, `bagging` or `boosting-<learning rate>` (`boosting-0.1`,
    `boosting-1`). For each of `seeds` seeded, stratified splits (`test_size` held out; split and model
    seeds `seed`, `seed + 1`, …), the line is fitted once with `count` trees (stages) on the training
    part, and scored on the held-out part after every tree: a boosting by `staged_predict_proba`, a
    forest or bagging by the mean of its first trees' `predict_proba` (exactly the forest those trees
    make). The scores are the accuracy and the log-loss (the mean of −log of the probability given to
    the true class: it sees confidence, which accuracy does not). The figure draws the `score` curve,
    averaged over the splits; the table gives both at a few counts, and each line's best count, overall
    and split by split. With more than two classes a boosting stage adds one tree per class
    (`trees_per_stage`); `log_scale: true` draws the scores on a logarithmic axis, which spreads out the
    small differences once the curves have levelled off.
    """

    example = ("dataset: iris\nlines: [random-forest, boosting-0.5]\ncount: 20\nseeds: 2\nexpect:\n"
               "  - accuracy(random-forest, 20) > 0.8")
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        dataset=opt.text("One of scikit-learn's bundled classification datasets: `breast_cancer`, `iris`, `wine` or "
                         "`digits`.", default="breast_cancer"),
        lines=opt.raw("The ensembles: `random-forest`, `bagging`, `boosting-<learning rate>`.", LINES_SCHEMA,
                      "list of 1–4 ensembles", convert=list, required=True),
        count=opt.integer("The trees (or stages) each ensemble grows to.", default=100, min=2, max=300),
        seeds=opt.integer("How many seeded splits the curves are averaged over.", default=3, min=1, max=8),
        test_size=opt.number("The share held out by each split.", default=0.25, min=0.1, max=0.5),
        seed=opt.seed("The first split's seed (and its models').", default=0),
        score=opt.choice("The score the figure draws and `best` reads.", list(SCORES), default="accuracy"),
        expect=opt.claims("[Claims](#claims): `loss(boosting-0.1, 200) > loss(boosting-0.1, 50)`, "
                          "`best(boosting-1) < 20`. Names: accuracy(line, count), loss(line, count), best(line), peak(line)."),
        caption=opt.caption("“Held-out … after each tree or stage …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        log_scale=opt.flag("Draw the score axis on a logarithmic scale.", default=False),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        check_dataset(spec.dataset)
        for line in spec.lines:
            parse_line(line)
        spec.lines = [str(t).strip() for t in spec.lines]
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda n, args: self._args(spec, args))

    def anchor_hint(self, spec):
        return "curve " + " ".join(spec.lines)

    def compute(self, kv, spec):
        return {"curves": [staged(spec.dataset, line, spec.count, spec.seeds, spec.test_size, spec.seed)
                           for line in spec.lines], "samples": describe(spec.dataset)["samples"]}

    # --- reading the result ---------------------------------------------------------------------------
    def _args(self, spec, args) -> tuple[int, int | None]:
        line = str(args[0]).strip()
        if line not in spec.lines:
            raise LexiconError(f"'{line}' is not one of the block's lines", fix="name one of: " + ", ".join(spec.lines))
        k = None
        if len(args) > 1:
            t = str(args[1]).strip()
            if not t.isdigit() or not 1 <= int(t) <= spec.count:
                raise LexiconError(f"there is no count '{t}'", fix=f"name a count from 1 to {spec.count}")
            k = int(t)
        return spec.lines.index(line), k

    def _best(self, spec, curve) -> int:
        ys = curve["accuracy"] if spec.score == "accuracy" else curve["loss"]
        pick = max if spec.score == "accuracy" else min
        top = pick(ys)
        return ys.index(top) + 1

    def _lookup(self, spec, result, name, args):
        i, k = self._args(spec, args)
        c = result["curves"][i]
        if name == "accuracy":
            return c["accuracy"][k - 1]
        if name == "loss":
            return c["loss"][k - 1]
        best = self._best(spec, c)
        return best if name == "best" else (c["accuracy"] if spec.score == "accuracy" else c["loss"])[best - 1]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda n, args: self._lookup(spec, result, n, args), check, fmt)

    @value("The mean held-out accuracy of a line after k trees or stages: `accuracy(random-forest, 10)`.")
    def accuracy(self, spec, result, line, k):
        v = self._lookup(spec, result, "accuracy", [line, k])
        return Value(fmt(v), v)

    @value("The mean held-out log-loss of a line after k trees or stages: `loss(boosting-0.1, 50)`.")
    def loss(self, spec, result, line, k):
        v = self._lookup(spec, result, "loss", [line, k])
        return Value(fmt(v), v)

    @value("The count at which a line's mean `score` is best (the earliest on a tie): `best(boosting-1)`.")
    def best(self, spec, result, line):
        v = self._lookup(spec, result, "best", [line])
        return Value(f"{v:,}", v)

    @value("A line's best mean `score`: `peak(boosting-1)`.")
    def peak(self, spec, result, line):
        v = self._lookup(spec, result, "peak", [line])
        return Value(fmt(v), v)

    @value("The lowest or highest of the splits' own best counts: `split_best(boosting-1, low)`.")
    def split_best(self, spec, result, line, end):
        i, _ = self._args(spec, [line])
        key = "best_accuracy" if spec.score == "accuracy" else "best_loss"
        e = str(end).strip()
        if e not in ("low", "high"):
            raise LexiconError(f"there is no end '{end}'", fix="write low or high")
        v = (min if e == "low" else max)(result["curves"][i][key])
        return Value(f"{v:,}", v)

    @value("How many trees one tree or stage of a line adds: 1 for a forest or a bagging; for a boosting, one "
           "regression tree per class when there are more than two classes: `trees_per_stage(boosting-0.1)`.")
    def trees_per_stage(self, spec, result, line):
        i, _ = self._args(spec, [line])
        v = result["curves"][i]["per_stage"]
        return Value(f"{v:,}", v)

    @value("A count of the splits: `number(seeds)`, `number(test)` (held out per split), `number(samples)`; "
           "`count` is the trees (stages) each line grows to.")
    def number(self, spec, result, what):
        got = {"seeds": spec.seeds, "test": result["curves"][0]["test"], "samples": result["samples"]}
        w = str(what).strip()
        if w not in got:
            raise LexiconError(f"cannot count '{what}'", fix="write number(seeds), number(test) or number(samples)")
        return Value(f"{got[w]:,}", got[w])

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        curves = result["curves"]
        marks = sorted({1, spec.count} | {k for k in (2, 5, 10, 20, 50, 100, 200) if k < spec.count})
        key = "accuracy" if spec.score == "accuracy" else "loss"
        headers = ["Trees or stages"] + [f"{c['line']}: accuracy / log-loss" for c in curves]
        rows = [[str(k)] + [f"{fmt(c['accuracy'][k - 1])} / {fmt(c['loss'][k - 1])}" for c in curves] for k in marks]
        best_rows = [[c["line"], f"{self._best(spec, c):,}", fmt(c[key][self._best(spec, c) - 1]),
                      ", ".join(str(b) for b in c["best_accuracy" if key == "accuracy" else "best_loss"])] for c in curves]
        best = Table(["Ensemble", f"Best count (mean {SCORES[spec.score]})", "Its mean score",
                      f"Each split's own best count ({spec.seeds} splits)"], best_rows, numeric=(1, 2))

        def figure():
            fig = go.Figure()
            xs = list(range(1, spec.count + 1))
            for i, c in enumerate(curves):
                fig.add_trace(go.Scatter(x=xs, y=c[key], mode="lines", name=c["line"], line=dict(color=PALETTE[i], width=2),
                                         hovertemplate="%{x}: %{y:.4f}<extra>" + esc(c["line"]) + "</extra>"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="trees or stages", standoff=6)),
                              yaxis=dict(title=dict(text=f"held-out {spec.score}" + (" (log scale)" if spec.log_scale
                                                                                    else ""), standoff=6),
                                         type="log" if spec.log_scale else "linear"))
            return fig

        alt = (f"Line chart of the mean held-out {spec.score} after each of {spec.count} trees or stages: "
               + "; ".join(f"{c['line']} from {fmt(c[key][0])} to {fmt(c[key][-1])}, best {fmt(c[key][self._best(spec, c) - 1])} "
                           f"at {self._best(spec, c)}" for c in curves) + ".")
        code = self._code(spec)
        test = curves[0]["test"]
        return [
            Html(f"<p>{result['samples']:,} samples of the {esc(spec.dataset)} data; {spec.seeds} seeded, stratified "
                 f"splits, each holding out {test:,}. Every ensemble is fitted once per split ("
                 + "; ".join(f"{esc(c['line'])} with {self._grown(spec, c)}" for c in curves)
                 + ") and scored on the held-out samples after each tree or stage; the curves are the means over the "
                 "splits.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=Table(headers, rows, numeric=tuple(range(len(curves) + 1))),
                   height=380, anchor="curve",
                   default_caption=f"Mean held-out {SCORES[spec.score]} after each tree or stage."),
            best,
            Code(code, "The scikit-learn calls behind these numbers (they run as shown)"),
        ]

    def _grown(self, spec, curve) -> str:
        """``100 trees``, ``200 stages (one tree each)``, ``200 stages of 3 trees (one per class)``."""
        if parse_line(curve["line"])[0] != "boosting":
            return f"{spec.count} trees"
        k = curve["per_stage"]
        return f"{spec.count} stages " + ("(one tree each)" if k == 1 else f"of {k} trees each (one per class)")

    def _code(self, spec) -> str:
        used = " ".join(TREE_CODE[parse_line(t)[0]] for t in spec.lines)
        imports = [c for c in ("BaggingClassifier", "GradientBoostingClassifier", "RandomForestClassifier") if c in used]
        lines = ",\n".join(f"    {t!r}: lambda s: {line_code(t, spec.count, 's')}" for t in spec.lines)
        return ("import numpy as np\n"
                f"from sklearn.datasets import load_{spec.dataset}\n"
                f"from sklearn.ensemble import {', '.join(imports)}\n"
                "from sklearn.metrics import log_loss\n"
                "from sklearn.model_selection import train_test_split\n"
                + ("from sklearn.tree import DecisionTreeClassifier\n" if "DecisionTree" in used else "")
                + f"\ndata = load_{spec.dataset}()\nmodels = {{\n{lines},\n}}\n"
                "for name, make in models.items():\n"
                "    acc, loss = [], []\n"
                f"    for s in range({spec.seed}, {spec.seed + spec.seeds}):\n"
                f"        x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size={spec.test_size:g},\n"
                "                                                  random_state=s, stratify=data.target)\n"
                "        model = make(s).fit(x_tr, y_tr)\n"
                "        if hasattr(model, 'staged_predict_proba'):\n"
                "            probas = list(model.staged_predict_proba(x_te))\n"
                "        else:    # a forest or bagging averages its trees: the first k trees make the k-tree forest\n"
                "            each = [t.predict_proba(x_te[:, f]) for t, f in zip(model.estimators_, getattr(\n"
                "                model, 'estimators_features_', [slice(None)] * len(model.estimators_)))]\n"
                "            probas = list(np.cumsum(each, axis=0) / np.arange(1, len(each) + 1)[:, None, None])\n"
                "        acc.append([np.mean(model.classes_[p.argmax(axis=1)] == y_te) for p in probas])\n"
                "        loss.append([log_loss(y_te, p, labels=model.classes_) for p in probas])\n"
                "    acc, loss = np.mean(acc, axis=0), np.mean(loss, axis=0)\n"
                "    print(name, acc[-1], loss[-1], int(np.argmax(acc)) + 1, int(np.argmin(loss)) + 1)\n")
