"""The bagging-oob kind: the rows each bootstrap sample leaves out, and the out-of-bag estimate against cross-validation."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt, percent
from ._claims import Names
from ._data import NOTE, check_dataset, check_folds, cross_validated
from ._ensembles import bagging_oob, refuse_unscored

NAMES = Names("write e.g. 'share > 0.3', 'oob > 0.9' or 'share < expected' (two names, or a name and a number)",
              share=("the mean share of rows a bootstrap sample leaves out", 0, False),
              expected=("the expected share (1 − 1/n)^n", 0, False),
              oob=("the mean out-of-bag accuracy", 0, False),
              cv=("the mean cross-validated accuracy", 0, False))


class BaggingOob(Kind):
    """Bagging's bootstrap samples on a real dataset: how many rows each one leaves out, and the out-of-bag
    estimate of accuracy next to cross-validation.

    A `BaggingClassifier(DecisionTreeClassifier(), n_estimators=trees, oob_score=True)` is fitted on all the
    samples of `dataset`, once per seed (`seed`, `seed + 1`, … `seeds` of them). Each tree learns from a
    bootstrap sample: n rows drawn with replacement from the n rows. The share of rows a sample never drew
    is read from the fitted model's `estimators_samples_`, for every tree of every seed (mean, lowest,
    highest), next to its exact expectation (1 − 1/n)^n, which tends to 1/e. Every row is then scored only by
    the trees that never saw it: that vote's accuracy is `oob_score_`, a held-out estimate with no data
    set aside. The same bagging is cross-validated (`folds` stratified folds, `shuffles` shuffles, as
    `model-compare` scores `bagging-<trees>`) for comparison.
    """

    example = "dataset: iris\ntrees: 30\nseeds: 2\nshuffles: 1\nexpect:\n  - share > 0.3"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        dataset=opt.text("One of scikit-learn's bundled classification datasets: `breast_cancer`, `iris`, `wine` or "
                         "`digits`.", default="breast_cancer"),
        trees=opt.integer("The trees of the bagging.", default=30, min=10, max=200),
        seeds=opt.integer("How many seeded baggings are fitted.", default=3, min=1, max=10),
        folds=opt.integer("The folds of the cross-validation it is compared with.", default=5, min=2, max=10),
        shuffles=opt.integer("The shuffles of the folds.", default=2, min=1, max=5),
        seed=opt.seed("The first seed (of the baggings and of the folds' shuffles).", default=0),
        expect=opt.claims("[Claims](#claims): `share > 0.3`, `oob > 0.9`, `share < expected`. "
                          "Names: share, expected, oob, cv."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        check_dataset(spec.dataset)
        check_folds(spec.dataset, spec.folds)
        spec.parsed = [NAMES.parse(t) for t in spec.expect]

    def anchor_hint(self, spec):
        return f"bagging oob {spec.dataset}"

    def compute(self, kv, spec):
        out = bagging_oob(spec.dataset, spec.trees, spec.seeds, spec.seed)
        refuse_unscored(out, spec.trees)
        cv = cross_validated(spec.dataset, f"bagging-{spec.trees}", spec.folds, spec.shuffles, spec.seed)
        return dict(out, cv=cv["mean"], cv_std=cv["std"], cv_means=cv["means"])

    def _get(self, result, name):
        return {"share": result["share"], "expected": result["expected"], "cv": result["cv"],
                "oob": sum(result["oob"]) / len(result["oob"])}[name]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda name, args: self._get(result, name), check, fmt)

    @value("The mean share of rows one bootstrap sample leaves out (a percentage): `share`.")
    def share(self, spec, result):
        return Value(percent(result["share"]), result["share"])

    @value("The lowest and highest share over all the trees: `share_range(low)`, `share_range(high)`.")
    def share_range(self, spec, result, end):
        e = str(end).strip()
        if e not in ("low", "high"):
            raise LexiconError(f"there is no end '{end}'", fix="write share_range(low) or share_range(high)")
        v = result["share_min" if e == "low" else "share_max"]
        return Value(percent(v), v)

    @value("The expected share (1 − 1/n)^n for this dataset's n: a percentage, or `expected(fraction)`, four decimals "
           "(`0.3676`), which tells it apart from its limit.")
    def expected(self, spec, result, form=None):
        return _share(result["expected"], form)

    @value("The limit 1/e of that share for a very large dataset: a percentage, or `limit(fraction)`, four decimals.")
    def limit(self, spec, result, form=None):
        import math

        return _share(math.exp(-1), form)

    @value("The out-of-bag accuracy, mean over the seeds; `oob(low)`, `oob(high)`: its range.")
    def oob(self, spec, result, end=None):
        vals = result["oob"]
        v = {None: sum(vals) / len(vals), "low": min(vals), "high": max(vals)}.get(None if end is None else str(end).strip())
        if v is None:
            raise LexiconError(f"there is no '{end}'", fix="write oob, oob(low) or oob(high)")
        return Value(fmt(v), v)

    @value("The mean cross-validated accuracy of the same bagging; `cv_sd`: the fold scores' standard deviation.")
    def cv(self, spec, result):
        return Value(fmt(result["cv"]), result["cv"])

    @value("The standard deviation of the cross-validation's fold scores.")
    def cv_sd(self, spec, result):
        return Value(fmt(result["cv_std"]), result["cv_std"])

    @value("The number of samples n, of trees drawn (all seeds), or of fits: `count(samples)`, `count(trees)`.")
    def count(self, spec, result, what):
        got = {"samples": result["samples"], "trees": result["trees_drawn"], "seeds": spec.seeds}
        w = str(what).strip()
        if w not in got:
            raise LexiconError(f"cannot count '{what}'", fix="name one of: " + ", ".join(got))
        return Value(f"{got[w]:,}", got[w])

    def render(self, spec, result, ctx):
        oob = result["oob"]
        rows = [[f"Rows a bootstrap sample leaves out (over {result['trees_drawn']:,} trees)",
                 f"{percent(result['share'])} (from {percent(result['share_min'])} to {percent(result['share_max'])})"],
                ["Expected share (1 − 1/n)^n", percent(result["expected"])],
                [f"Out-of-bag accuracy ({spec.seeds} seeded baggings)",
                 f"{fmt(sum(oob) / len(oob))} (from {fmt(min(oob))} to {fmt(max(oob))})"],
                [f"Cross-validated accuracy ({spec.folds} folds × {spec.shuffles} shuffles)",
                 f"{fmt(result['cv'])} ± {fmt(result['cv_std'])}"]]
        code = ("import numpy as np\nfrom sklearn.datasets import load_" + spec.dataset + "\n"
                "from sklearn.ensemble import BaggingClassifier\nfrom sklearn.tree import DecisionTreeClassifier\n\n"
                f"data = load_{spec.dataset}()\nn = len(data.target)\n"
                f"for seed in range({spec.seed}, {spec.seed + spec.seeds}):\n"
                f"    bag = BaggingClassifier(DecisionTreeClassifier(), n_estimators={spec.trees}, oob_score=True,\n"
                "                            random_state=seed, n_jobs=1).fit(data.data, data.target)\n"
                "    left_out = [1 - len(np.unique(rows)) / n for rows in bag.estimators_samples_]\n"
                "    print(seed, np.mean(left_out), bag.oob_score_)\n"
                "print((1 - 1 / n) ** n, np.exp(-1))\n")
        return [Html(f"<p>{result['samples']:,} samples of the {esc(spec.dataset)} data; each of {spec.seeds} seeded "
                     f"baggings of {spec.trees} fully grown trees learns from all of them.</p>"),
                Table(["Measured", "Value"], rows, numeric=(1,)),
                Code(code, "The scikit-learn calls behind these numbers")]


def _share(v: float, form) -> Value:
    """A share as a percentage (``36.8%``), or with ``fraction`` to four decimals (``0.3676``)."""
    if form is None:
        return Value(percent(v), v)
    if str(form).strip() != "fraction":
        raise LexiconError(f"there is no form '{form}'", fix="write e.g. expected or expected(fraction)")
    return Value(fmt(v), v)
