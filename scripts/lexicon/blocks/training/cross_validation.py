"""The cross-validation kind: k-fold scores, their mean and spread, against single train/test splits."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import BASE_LAYOUT, PALETTE, SYMBOLS
from ...render import fmt
from ._claims import Names
from ._data import NOTE, check_dataset, cross_validated

MODEL_NAMES = {"logistic-regression": "StandardScaler + LogisticRegression(max_iter=5000)",
               "decision-tree": "DecisionTreeClassifier(max_depth=…)"}
NAMES = Names("write e.g. 'std < 0.05', 'mean > 0.9', 'fold(1) < fold(2)', 'spread > std' or 'single(1) > mean'",
              mean=("the mean of the fold scores", 0, False), std=("the standard deviation of the fold scores", 0, False),
              fold=("the score of fold {0}", 1, False), single=("the test accuracy of single split {0}", 1, False),
              spread=("the range of the single splits' scores (highest − lowest)", 0, False),
              single_min=("the lowest single-split score", 0, False),
              single_max=("the highest single-split score", 0, False))


class CrossValidation(Kind):
    """k-fold cross-validation of a classifier (`cross_val_score`): each fold's accuracy, their mean and
    standard deviation, beside the accuracies of several single train/test splits.

    The dataset (scikit-learn's bundled copy) is cut into `folds` folds by
    `StratifiedKFold(shuffle=True, random_state=seed)`; each fold in turn is held out while the model
    learns on the others, and is scored (accuracy). The model is a `StandardScaler` and
    `LogisticRegression` pipeline (`model: logistic-regression`) or a `DecisionTreeClassifier` of
    `max_depth`. For comparison, `splits` single stratified `train_test_split`s (`test_size`, seeds
    `seed`, `seed + 1`, …) are each scored once: their spread shows how much one split's number
    depends on which samples it happened to hold out.
    """

    example = "dataset: breast_cancer\nfolds: 5\nexpect:\n  - mean > 0.95\n  - std < 0.05"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        dataset=opt.text("One of scikit-learn's bundled classification datasets: `breast_cancer`, `iris`, `wine` or "
                         "`digits`.", default="breast_cancer"),
        model=opt.choice("The classifier cross-validated.", list(MODEL_NAMES), default="logistic-regression"),
        max_depth=opt.integer("The tree's maximum depth (`model: decision-tree` only).", default=3, min=1, max=20),
        folds=opt.integer("How many folds (k).", default=5, min=2, max=20),
        splits=opt.integer("How many single train/test splits to compare, one seed each.", default=10, min=1, max=30),
        test_size=opt.number("The share held out by each single split.", default=0.2, min=0.1, max=0.5),
        seed=opt.seed("The seed of the folds' shuffle and of the first single split.", default=0),
        shuffles=opt.integer("How many shuffles of the folds (seeds `seed`, `seed + 1`, …) to repeat the whole "
                             "cross-validation on, for `mean_min` and `mean_max`.", default=1, min=1, max=30),
        expect=opt.claims("[Claims](#claims): `mean > 0.95`, `std < 0.05`, `fold(1) < fold(2)`, `spread > std`. "
                          "Names: mean, std, fold(k), single(k), spread, single_min, single_max."),
        caption=opt.caption("“Accuracy of each fold …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        check_dataset(spec.dataset)
        if spec.model != "decision-tree" and spec.given("max_depth"):
            raise LexiconError("'max_depth' is set, but the model is a logistic regression, which has no depth",
                               fix="add 'model: decision-tree', or remove max_depth")
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda name, args: self._k(spec, name, args[0]) if args else None)

    def anchor_hint(self, spec):
        return f"cross validation {spec.dataset} {spec.folds}"

    def compute(self, kv, spec):
        return cross_validated(spec.dataset, spec.model, spec.max_depth, spec.folds, spec.seed, spec.test_size,
                               spec.splits, spec.shuffles)

    # --- reading the result ---------------------------------------------------------------------------
    def _k(self, spec, name, text) -> int:
        n = spec.folds if name == "fold" else spec.splits
        t = str(text).strip()
        if not t.isdigit() or not 1 <= int(t) <= n:
            raise LexiconError(f"there is no {name} '{text}'", fix=f"name 1 to {n}")
        return int(t) - 1

    def _lookup(self, spec, result, name, args):
        if name == "fold":
            return result["folds"][self._k(spec, name, args[0])]
        if name == "single":
            return result["single"][self._k(spec, name, args[0])]
        if name == "spread":
            return max(result["single"]) - min(result["single"])
        if name in ("single_min", "single_max"):
            return (min if name == "single_min" else max)(result["single"])
        return result[name]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda name, args: self._lookup(spec, result, name, args), check, fmt)

    # --- values for prose -----------------------------------------------------------------------------
    def _v(self, spec, result, name, *args):
        v = self._lookup(spec, result, name, args)
        return Value(fmt(v), v)

    @value("The mean accuracy over the folds.")
    def mean(self, spec, result):
        return self._v(spec, result, "mean")

    @value("The standard deviation of the folds' accuracies (numpy's, over the k folds).")
    def std(self, spec, result):
        return self._v(spec, result, "std")

    @value("One fold's accuracy: `fold(2)`.")
    def fold(self, spec, result, k):
        return self._v(spec, result, "fold", k)

    @value("The lowest and highest fold accuracy: `fold_min`, `fold_max`.")
    def fold_min(self, spec, result):
        return Value(fmt(min(result["folds"])), min(result["folds"]))

    @value("The highest fold accuracy.")
    def fold_max(self, spec, result):
        return Value(fmt(max(result["folds"])), max(result["folds"]))

    def _means(self, spec, result) -> list[float]:
        if spec.shuffles < 2:
            raise LexiconError("this value needs the cross-validation repeated on several shuffles of the folds",
                               fix="add e.g. 'shuffles: 10'")
        return result["shuffle_means"]

    @value("The lowest mean over the `shuffles` shuffles of the folds: `mean_min`.")
    def mean_min(self, spec, result):
        return Value(fmt(min(self._means(spec, result))), min(self._means(spec, result)))

    @value("The highest mean over the `shuffles` shuffles of the folds: `mean_max`.")
    def mean_max(self, spec, result):
        return Value(fmt(max(self._means(spec, result))), max(self._means(spec, result)))

    @value("One single split's test accuracy: `single(1)` (seed `seed`).")
    def single(self, spec, result, k):
        return self._v(spec, result, "single", k)

    @value("The lowest single-split accuracy.")
    def single_min(self, spec, result):
        return Value(fmt(min(result["single"])), min(result["single"]))

    @value("The highest single-split accuracy.")
    def single_max(self, spec, result):
        return Value(fmt(max(result["single"])), max(result["single"]))

    @value("A count: `count(folds)`, `count(splits)`, `count(samples)`, `count(shuffles)`, or `count(fold_size)` (the smallest fold).")
    def count(self, spec, result, what):
        counts = {"folds": spec.folds, "splits": spec.splits, "samples": result["samples"], "shuffles": spec.shuffles,
                  "fold_size": min(result["fold_sizes"])}
        if str(what).strip() not in counts:
            raise LexiconError(f"cannot count '{what}'", fix="name one of: " + ", ".join(counts))
        n = counts[str(what).strip()]
        return Value(f"{n:,}", n)

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        folds, single = result["folds"], result["single"]
        rows = ([[f"fold {i + 1}", f"{n:,}", fmt(s)] for i, (s, n) in enumerate(zip(folds, result["fold_sizes"]))]
                + [["mean ± standard deviation", "", f"{fmt(result['mean'])} ± {fmt(result['std'])}"]]
                + [[f"single split, seed {spec.seed + i}", f"{round(result['samples'] * spec.test_size):,}", fmt(s)]
                   for i, s in enumerate(single)])

        def figure():
            fig = go.Figure([
                go.Scatter(x=[f"fold {i + 1}" for i in range(len(folds))], y=folds, mode="markers", name="k folds",
                           marker=dict(color=PALETTE[0], size=10, symbol=SYMBOLS[0]),
                           hovertemplate="%{x}: accuracy %{y:.4f}<extra></extra>"),
                go.Scatter(x=[f"split {i + 1}" for i in range(len(single))], y=single, mode="markers",
                           name="single splits", marker=dict(color=PALETTE[1], size=10, symbol=SYMBOLS[1]),
                           hovertemplate="%{x}: accuracy %{y:.4f}<extra></extra>")])
            fig.add_hline(y=result["mean"], line=dict(color=PALETTE[7], width=1, dash="dot"))
            fig.update_layout(**BASE_LAYOUT, showlegend=True, yaxis=dict(title=dict(text="accuracy", standoff=6)),
                              xaxis=dict(tickangle=-45))
            return fig

        alt = (f"Dot chart of accuracies: the {spec.folds} folds ({', '.join(fmt(s) for s in folds)}; mean "
               f"{fmt(result['mean'])}, dotted) and {spec.splits} single train/test splits "
               f"({', '.join(fmt(s) for s in single)}).")
        model = ("make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))" if spec.model != "decision-tree"
                 else f"DecisionTreeClassifier(max_depth={spec.max_depth}, random_state={spec.seed})")
        code = (f"from sklearn.datasets import load_{spec.dataset}\n"
                "from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split\n\n"
                f"data = load_{spec.dataset}()\n"
                f"model = {model}\n"
                f"folds = StratifiedKFold(n_splits={spec.folds}, shuffle=True, random_state={spec.seed})\n"
                "scores = cross_val_score(model, data.data, data.target, cv=folds)  # accuracy\n"
                "scores.mean(), scores.std()\n"
                f"for seed in range({spec.seed}, {spec.seed + spec.splits}):               # single splits\n"
                "    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target,\n"
                f"        test_size={spec.test_size:g}, random_state=seed, stratify=data.target)\n"
                "    model.fit(x_tr, y_tr).score(x_te, y_te)\n")
        return [
            Html(f"<p>{result['samples']:,} samples in {spec.folds} folds: every sample is tested exactly once. Mean "
                 f"accuracy <strong>{fmt(result['mean'])}</strong> ± {fmt(result['std'])}; {spec.splits} single "
                 f"splits range from {fmt(min(single))} to {fmt(max(single))}.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=Table(["Held out", "Samples", "Accuracy"], rows,
                                                                      numeric=(1, 2)),
                   height=340, anchor="folds",
                   default_caption="Accuracy of each fold (circles) and of single train/test splits with different "
                                   "seeds (squares); dotted: the folds' mean."),
            Code(code, "The scikit-learn calls behind these numbers"),
        ]
