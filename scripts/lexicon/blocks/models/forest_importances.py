"""The forest-importances kind: a random forest's impurity importances next to permutation importances on held-out data."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._claims import Names
from ._data import NOTE, check_dataset, describe
from ._ensembles import forest_importances

NAMES = Names("write e.g. 'impurity_rank(worst radius) < 5', 'permutation(worst area) > permutation(mean area)'",
              impurity=("the impurity importance of {0}", 1, False),
              permutation=("the permutation importance of {0}", 1, False),
              impurity_rank=("the impurity rank of {0}", 1, True),
              permutation_rank=("the permutation rank of {0}", 1, True))


class ForestImportances(Kind):
    """Two answers to "which features does a random forest use?": the impurity importance it computes
    while it learns, and the permutation importance measured on held-out data.

    A `RandomForestClassifier(n_estimators=trees)` is fitted on a seeded, stratified training split of
    `dataset` (`test_size` held out). Its `feature_importances_` sum, over every split of every tree, the
    impurity each feature removes on the TRAINING data (scaled to sum to 1). `permutation_importance`
    instead shuffles one feature of the HELD-OUT split at a time (`repeats` times) and records how much
    the accuracy drops: a feature the forest leans on but that a correlated feature can stand in for
    loses little, and a value below zero means shuffling it did not hurt at all. The table lists the
    `top` features by impurity importance, then every other feature that is in the top `top` by
    permutation importance (and the features of `also`), with both ranks, and each one's most correlated
    other feature on the training split (`np.corrcoef`): a feature with a close twin can lose its
    permutation importance to it.

    Each shuffle moves the accuracy by whole held-out samples, so many permutation importances are exactly
    equal (often exactly zero). Equal importances share a rank, the best of their places (the table marks it
    with `=`, as in `=11`), and `tied(feature)` counts the other features on the same importance.
    """

    example = "dataset: wine\ntrees: 10\nrepeats: 2\ntop: 3\nexpect:\n  - impurity(proline) > 0"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        dataset=opt.text("One of scikit-learn's bundled classification datasets: `breast_cancer`, `iris`, `wine` or "
                         "`digits`.", default="breast_cancer"),
        trees=opt.integer("The forest's trees.", default=50, min=5, max=200),
        repeats=opt.integer("How many times each feature is shuffled.", default=5, min=1, max=20),
        test_size=opt.number("The share held out (the permutation importances are measured on it).", default=0.25,
                             min=0.1, max=0.5),
        top=opt.integer("How many features of each ranking the table lists.", default=6, min=1, max=30),
        also=opt.texts("More features the table lists (e.g. ones the prose discusses), by scikit-learn's names.",
                       max=10, default=[]),
        seed=opt.seed("The seed of the split, the forest and the shuffles.", default=0),
        expect=opt.claims("[Claims](#claims): `impurity_rank(worst radius) < 5`, `permutation(worst area) > 0`. "
                          "Names: impurity(feature), permutation(feature), impurity_rank(feature), "
                          "permutation_rank(feature)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        check_dataset(spec.dataset)
        spec.features = describe(spec.dataset)["feature_names"]
        spec.also = [self.features_named(spec, f) for f in spec.also]
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda n, args: self._feature(spec, args[0]))

    def anchor_hint(self, spec):
        return f"importances {spec.dataset}"

    def compute(self, kv, spec):
        return forest_importances(spec.dataset, spec.trees, spec.repeats, spec.test_size, spec.seed)

    def _feature(self, spec, name) -> int:
        f = str(name).strip()
        if f not in spec.features:
            import difflib

            close = difflib.get_close_matches(f, spec.features, n=3)
            raise LexiconError(f"the {spec.dataset} data has no feature '{f}'",
                               fix=("did you mean " + ", ".join(repr(c) for c in close) + "?") if close
                               else "name one of: " + ", ".join(spec.features))
        return spec.features.index(f)

    def features_named(self, spec, name) -> str:
        return spec.features[self._feature(spec, name)]

    def _row(self, spec, result, name) -> dict:
        return result["rows"][self._feature(spec, name)]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda n, args: self._row(spec, result, args[0])[n], check, fmt)

    @value("A feature's impurity importance: `impurity(worst radius)`.")
    def impurity(self, spec, result, feature):
        v = self._row(spec, result, feature)["impurity"]
        return Value(fmt(v), v)

    @value("A feature's permutation importance (mean accuracy drop): `permutation(worst area)`.")
    def permutation(self, spec, result, feature):
        v = self._row(spec, result, feature)["permutation"]
        return Value(fmt(v), v)

    @value("A feature's rank by impurity importance (1 = most; equal importances share the best of their places): "
           "`impurity_rank(worst radius)`.")
    def impurity_rank(self, spec, result, feature):
        v = self._row(spec, result, feature)["impurity_rank"]
        return Value(f"{v:,}", v)

    @value("A feature's rank by permutation importance (1 = most; equal importances share the best of their "
           "places): `permutation_rank(worst radius)`.")
    def permutation_rank(self, spec, result, feature):
        v = self._row(spec, result, feature)["permutation_rank"]
        return Value(f"{v:,}", v)

    @value("The feature ranked k-th by impurity or by permutation: `feature(impurity, 1)` (an error if that place "
           "is shared by equal importances).")
    def feature(self, spec, result, by, k):
        b = str(by).strip()
        if b not in ("impurity", "permutation"):
            raise LexiconError(f"there is no ranking '{by}'", fix="write feature(impurity, 1) or feature(permutation, 1)")
        t = str(k).strip()
        if not t.isdigit() or not 1 <= int(t) <= len(result["rows"]):
            raise LexiconError(f"there is no rank '{k}'", fix=f"name 1 to {len(result['rows'])}")
        row = next(r for r in result["rows"] if r[f"{b}_order"] == int(t))
        if row[f"{b}_tied"]:
            raise LexiconError(f"place {t} by {b} is shared by {row[f'{b}_tied'] + 1} features with equal importances, "
                               "so no one feature holds it", fix="quote a place held by one feature, or use tied(feature)")
        return Value(row["feature"])

    @value("How many other features have exactly the same permutation importance: `tied(mean area)`.")
    def tied(self, spec, result, feature):
        v = self._row(spec, result, feature)["permutation_tied"]
        return Value(f"{v:,}", v)

    @value("A feature's most correlated other feature on the training split: `twin(mean area)`.")
    def twin(self, spec, result, feature):
        return Value(self._row(spec, result, feature)["twin"])

    @value("The correlation of a feature with its most correlated other feature: `twin_r(mean area)`.")
    def twin_r(self, spec, result, feature):
        v = self._row(spec, result, feature)["twin_r"]
        return Value(fmt(v), v)

    @value("How many features' permutation importance is below zero (shuffling them did not hurt).")
    def below_zero(self, spec, result):
        return Value(f"{result['below_zero']:,}", result["below_zero"])

    @value("A count: `count(train)`, `count(test)`, `count(features)`, `count(zero)` (features whose permutation "
           "importance is exactly zero).")
    def count(self, spec, result, what):
        got = {"train": result["train"], "test": result["test"], "features": len(result["rows"]), "zero": result["zero"]}
        w = str(what).strip()
        if w not in got:
            raise LexiconError(f"cannot count '{what}'", fix="name one of: " + ", ".join(got))
        return Value(f"{got[w]:,}", got[w])

    @value("The forest's accuracy on the held-out split.")
    def test_accuracy(self, spec, result):
        return Value(fmt(result["accuracy"]), result["accuracy"])

    def render(self, spec, result, ctx):
        rows = result["rows"]
        shown = sorted((r for r in rows if r["impurity_rank"] <= spec.top), key=lambda r: r["impurity_rank"])
        shown += sorted((r for r in rows if r["permutation_rank"] <= spec.top and r["impurity_rank"] > spec.top),
                        key=lambda r: r["permutation_order"])
        shown += [r for f in spec.also for r in rows if r["feature"] == f and r not in shown]
        table = Table(["Feature", "Impurity importance", "Rank", "Permutation importance (± SD)", "Rank",
                       "Most correlated other feature (r, training split)"],
                      [[r["feature"], fmt(r["impurity"]), _rank(r, "impurity"),
                        f"{fmt(r['permutation'])} ± {fmt(r['permutation_sd'])}", _rank(r, "permutation"),
                        f"{r['twin']} ({fmt(r['twin_r'])})"] for r in shown],
                      numeric=(1, 2, 3, 4))
        tied = [r for r in rows if r["permutation_tied"]]
        code = (f"from sklearn.datasets import load_{spec.dataset}\n"
                "from sklearn.ensemble import RandomForestClassifier\n"
                "from sklearn.inspection import permutation_importance\n"
                "from sklearn.model_selection import train_test_split\n\n"
                f"data = load_{spec.dataset}()\n"
                "x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, "
                f"test_size={spec.test_size:g}, random_state={spec.seed},\n"
                "                                          stratify=data.target)\n"
                f"forest = RandomForestClassifier(n_estimators={spec.trees}, random_state={spec.seed}, n_jobs=1)"
                ".fit(x_tr, y_tr)\n"
                f"perm = permutation_importance(forest, x_te, y_te, n_repeats={spec.repeats}, "
                f"random_state={spec.seed}, n_jobs=1)\n"
                "for name, imp, drop in zip(data.feature_names, forest.feature_importances_, perm.importances_mean):\n"
                "    print(name, imp, drop)\n")
        return [Html(f"<p>A random forest of {spec.trees} trees, fitted on a stratified training split of "
                     f"{result['train']:,} samples of the {esc(spec.dataset)} data (seed {spec.seed}); accuracy on the "
                     f"{result['test']:,} held-out samples of this one split: {fmt(result['accuracy'])}. The permutation "
                     f"importance is the mean drop in that accuracy when one feature's held-out values are shuffled "
                     f"({spec.repeats} shuffles)."
                     + (f" Each shuffle moves it by whole held-out samples, so equal importances are common: {len(tied)} of the "
                        f"{len(rows)} features share their permutation importance with another, {result['zero']} of "
                        "them at exactly zero; a rank marked = is shared." if tied else "") + "</p>"),
                table, Code(code, "The scikit-learn calls behind these numbers")]


def _rank(row: dict, by: str) -> str:
    """A rank as the table writes it: ``=11`` when other features share it."""
    return ("=" if row[f"{by}_tied"] else "") + str(row[f"{by}_rank"])
