"""The hyperparameter-sweep kind: one hyperparameter's values, scored on repeated train/validation splits."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import fmt
from ._claims import Names
from ._data import MODELS, NOTE, check_dataset, sweep

VALUES_SCHEMA = {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0}, "minItems": 2, "maxItems": 8,
                 "uniqueItems": True}
NAMES = Names("write e.g. 'validation(10) > validation(1)', 'training(1) > validation(1)' or 'best = 10'",
              validation=("the mean validation accuracy at {0}", 1, False),
              training=("the mean training accuracy at {0}", 1, False),
              wins=("the splits on which {0} has the best validation accuracy", 1, True),
              constant=("the splits on which {0} gives every validation example the same class", 1, True),
              majority=("the mean share of the commonest class in the validation split", 0, False),
              best=("the value with the best mean validation accuracy", 0, True))


def key(v: float) -> str:
    return f"{v:g}"


class HyperparameterSweep(Kind):
    """A hyperparameter swept: the training and validation accuracy of a classifier at each value of its
    hyperparameter, over repeated random splits.

    A classifier on one of scikit-learn's bundled classification datasets (`dataset`),
    features standardised inside a pipeline, learns from a training split at each value of its hyperparameter and is
    scored on the training split and on the held-out validation split. `model: knn` sweeps the neighbours `k` of
    `KNeighborsClassifier`; `model: logistic` the inverse penalty strength `C` of `LogisticRegression`.

    This is repeated on `splits` stratified random splits (`StratifiedShuffleSplit(random_state=seed)`, `test_size`
    held out), so that the table shows each value's mean accuracy, the range of its validation accuracy over the
    splits, and on how many splits it had the best validation accuracy (a tie counts for each value tied).
    """

    example = "model: knn\ndataset: breast_cancer\nvalues: [1, 10, 100]\nsplits: 5\nexpect:\n  - training(1) > validation(1)"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        model=opt.choice("The classifier and its hyperparameter: `knn` (k) or `logistic` (C).", list(MODELS),
                         required=True),
        values=opt.raw("The values tried, in this order (whole numbers for `knn`).", VALUES_SCHEMA,
                       "list of 2–8 different positive numbers", required=True, convert=list),
        dataset=opt.text("The classification dataset.", default="breast_cancer"),
        splits=opt.integer("The random train/validation splits.", default=20, min=1, max=50),
        test_size=opt.number("The share of each split held out for validation.", default=0.3, min=0.1, max=0.5),
        seed=opt.seed("The seed of the splits.", default=0),
        expect=opt.claims("[Claims](#claims): `validation(10) > validation(1)`, `best = 10`. "
                          "Names: validation(value), training(value), wins(value), constant(value), majority, best."),
        caption=opt.caption("“Mean accuracy at each value …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        check_dataset(spec.dataset)
        if spec.model == "knn" and any(v != int(v) for v in spec.values):
            raise LexiconError("k, the number of neighbours, is a whole number", fix="write values such as [1, 5, 25]")
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda n, args: self._row(spec, args[0]) if args else None)

    def anchor_hint(self, spec):
        return f"sweep {MODELS[spec.model][0]}"

    def compute(self, kv, spec):
        from ...datasets import load

        if spec.model == "knn":
            n = len(load(spec.dataset).target)
            if max(spec.values) > int(n * (1 - spec.test_size)):
                raise LexiconError(f"k = {max(spec.values):g} is more than the training split's examples",
                                   fix=f"keep k below {int(n * (1 - spec.test_size))}")
        return sweep(spec.dataset, spec.model, spec.values, spec.splits, spec.test_size, spec.seed)

    # --- reading the result ---------------------------------------------------------------------------
    def _row(self, spec, text) -> int:
        t = str(text).strip()
        for i, v in enumerate(spec.values):
            if key(v) == t:
                return i
        raise LexiconError(f"'{text}' is not one of the block's values",
                           fix="name one of: " + ", ".join(key(v) for v in spec.values))

    @staticmethod
    def stats(result) -> dict:
        valid = np.array(result["valid"])
        return {"train": np.array(result["train"]).mean(axis=1), "valid": valid.mean(axis=1),
                "low": valid.min(axis=1), "high": valid.max(axis=1),
                "wins": (valid == valid.max(axis=0)).sum(axis=1)}

    def _lookup(self, spec, result, n, args):
        st = self.stats(result)
        if n == "best":
            return spec.values[int(np.argmax(st["valid"]))]
        if n == "majority":
            return float(np.mean(result["majority"]))
        i = self._row(spec, args[0])
        constant = np.array(result["constant"]).sum(axis=1)
        return {"validation": st["valid"], "training": st["train"], "wins": st["wins"], "constant": constant}[n][i].item()

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda n, args: self._lookup(spec, result, n, args), check, fmt)

    @value("The mean validation accuracy at a value: `validation(10)`.")
    def validation(self, spec, result, v):
        x = self._lookup(spec, result, "validation", [v])
        return Value(fmt(x), x)

    @value("The mean training accuracy at a value: `training(1)`.")
    def training(self, spec, result, v):
        x = self._lookup(spec, result, "training", [v])
        return Value(fmt(x), x)

    @value("The lowest and highest validation accuracy at a value over the splits: `low(10)`, `high(10)`.")
    def low(self, spec, result, v):
        x = self.stats(result)["low"][self._row(spec, v)].item()
        return Value(fmt(x), x)

    @value("The highest validation accuracy at a value over the splits: `high(10)`.")
    def high(self, spec, result, v):
        x = self.stats(result)["high"][self._row(spec, v)].item()
        return Value(fmt(x), x)

    @value("The splits on which a value had the best validation accuracy: `wins(10)`.")
    def wins(self, spec, result, v):
        x = int(self._lookup(spec, result, "wins", [v]))
        return Value(str(x), x)

    @value("The splits on which a value gives every validation example the same class: `constant(300)`.")
    def constant(self, spec, result, v):
        x = int(self._lookup(spec, result, "constant", [v]))
        return Value(str(x), x)

    @value("The mean share of the commonest class in the validation split (the accuracy of always guessing it).")
    def majority(self, spec, result):
        x = self._lookup(spec, result, "majority", [])
        return Value(fmt(x), x)

    @value("The value with the best mean validation accuracy.")
    def best(self, spec, result):
        x = self._lookup(spec, result, "best", [])
        return Value(key(x), x)

    @value("The i-th value tried (1 = the first): `at(2)`.")
    def at(self, spec, result, i):
        if not str(i).strip().isdigit() or not 1 <= int(i) <= len(spec.values):
            raise LexiconError(f"there is no value number '{i}'", fix=f"name 1 to {len(spec.values)}")
        v = spec.values[int(i) - 1]
        return Value(key(v), v)

    @value("The examples in each training split.")
    def train_size(self, spec, result):
        return Value(f"{result['train_size']:,}", result["train_size"])

    @value("The examples in each validation split.")
    def valid_size(self, spec, result):
        return Value(f"{result['valid_size']:,}", result["valid_size"])

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        name, what = MODELS[spec.model]
        st = self.stats(result)
        labels = [f"{name} = {key(v)}" for v in spec.values]
        table = Table([name, "Training accuracy (mean)", "Validation accuracy (mean)", "Validation, lowest–highest",
                       f"Best on (of {spec.splits} splits; a tie counts for each value tied)"],
                      [[key(v), fmt(st["train"][i]), fmt(st["valid"][i]), f"{fmt(st['low'][i])}–{fmt(st['high'][i])}",
                        str(int(st["wins"][i]))] for i, v in enumerate(spec.values)], numeric=(0, 1, 2, 4))

        def figure():
            fig = go.Figure()
            for j, (series, label) in enumerate(((st["train"], "training split"), (st["valid"], "validation split"))):
                fig.add_trace(go.Scatter(x=[float(v) for v in spec.values], y=series.tolist(), mode="lines+markers",
                                         name=label, line=dict(color=PALETTE[j], width=2),
                                         hovertemplate=f"{name} = %{{x}}: %{{y:.3f}}<extra>{label}</extra>"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text=f"{name} (log scale)", standoff=6), type="log"),
                              yaxis=dict(title=dict(text=f"mean accuracy over {spec.splits} splits", standoff=6)))
            return fig

        alt = (f"Line chart of the mean training and validation accuracy over {spec.splits} splits at each {name}: "
               + "; ".join(f"{lab}, training {fmt(st['train'][i])}, validation {fmt(st['valid'][i])}"
                           for i, lab in enumerate(labels)) + ".")
        est = "KNeighborsClassifier(n_neighbors=v)" if spec.model == "knn" else "LogisticRegression(C=v, max_iter=5000)"
        imp = ("from sklearn.neighbors import KNeighborsClassifier\n" if spec.model == "knn"
               else "from sklearn.linear_model import LogisticRegression\n")
        values = ", ".join(key(v) for v in spec.values)
        code = (f"from sklearn.datasets import load_{spec.dataset}\n" + imp +
                "from sklearn.model_selection import StratifiedShuffleSplit\n"
                "from sklearn.pipeline import make_pipeline\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                f"x, y = load_{spec.dataset}(return_X_y=True)\n"
                f"cut = StratifiedShuffleSplit(n_splits={spec.splits}, test_size={spec.test_size:g}, random_state={spec.seed})\n"
                "for tr, va in cut.split(x, y):\n"
                f"    for v in [{values}]:\n"
                f"        m = make_pipeline(StandardScaler(), {est}).fit(x[tr], y[tr])\n"
                "        print(v, m.score(x[tr], y[tr]), m.score(x[va], y[va]))\n")
        return [
            Html(f"<p>The {what} is set before training, at {len(spec.values)} values. Each is trained on "
                 f"{result['train_size']:,} of the {result['samples']:,} examples of scikit-learn's "
                 f"{spec.dataset.replace('_', ' ')} data and validated on the other {result['valid_size']:,}, on "
                 f"{spec.splits} random stratified splits.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=360, anchor="sweep",
                   default_caption=f"Mean accuracy at each {name} over {spec.splits} splits, on the data it learned from "
                                   "and on the held-out data."),
            Code(code, "The scikit-learn calls behind these numbers (they run as shown)"),
        ]
