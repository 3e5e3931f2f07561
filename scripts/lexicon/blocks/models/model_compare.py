"""The model-compare kind: several classifiers cross-validated on one dataset, and what one of them learned."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Html, Subhead, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._claims import Names
from ._data import (NOTE, check_dataset, check_folds, code_of, cross_validated, describe, imports_of,
                    parse_model, setting_of)
from ._learned import SHOWS, coefficients, correlations, importances, neighbours, support_vectors, tree

MODELS_SCHEMA = {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 8, "uniqueItems": True}
NAMES = Names("write e.g. 'mean(knn-5) > mean(knn-1)', 'std(random-forest) < std(decision-tree)' or 'mean(svm-rbf) > 0.95'",
              mean=("the mean cross-validated accuracy of {0}", 1, False),
              std=("the standard deviation of {0}'s fold accuracies", 1, False),
              spread=("the range of {0}'s mean over the shuffles of the folds", 1, False))


class ModelCompare(Kind):
    """Several classifiers cross-validated on one dataset: each one's mean accuracy and spread, and (with
    `show`) what one of them learned.

    Each model of `models` is written `name` or `name-setting` (`logistic-regression`, `knn-5`,
    `decision-tree-3`, `naive-bayes`, `svm-linear`, `svm-rbf-10`, `random-forest-100`, `bagging-100`,
    `gradient-boosting-100`): the setting is C for logistic regression and the support vector machines,
    k for `knn`, the maximum depth for `decision-tree` (none: grown until pure), the number of trees or
    stages for the ensembles. Logistic regression, `knn` and the support vector machines standardise the
    features first, inside the pipeline. Every model is scored (accuracy) by `cross_val_score` with
    `StratifiedKFold(folds, shuffle=True)`, repeated on `shuffles` shuffles of the folds (seeds `seed`,
    `seed + 1`, …): the table shows the mean over all `folds × shuffles` scores, their standard deviation,
    and how far one shuffle's mean moves. Fit times are not shown (they are not reproducible).

    `show` adds what one model learned on a seeded, stratified training split (`test_size`, `seed`, the
    split of the evaluation pages): `coefficients` (the first `logistic-regression` of the list, a
    two-class dataset: the `top` largest coefficients per standard deviation of a feature, and for the
    first `examples` test samples the score z, the sigmoid of z and `predict_proba`), `tree` (the first
    `decision-tree`: its splits down to depth `levels`, with `export_text`), `importances` (the first
    tree or tree ensemble: the `top` largest `feature_importances_`) or `neighbours` (the first `knn`:
    the k training samples nearest to test sample number `sample`) or `correlations` (the first
    `naive-bayes`: the `top` feature pairs most correlated within the classes, which naive Bayes assumes
    independent) or `support-vectors` (every `svm-linear` and `svm-rbf` of the list: its number of
    support vectors, training and test accuracy); `of` names another model of the list.
    """

    example = "dataset: wine\nmodels: [knn-1, knn-5, naive-bayes]\nshuffles: 2\nexpect:\n  - mean(knn-5) > 0.9"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        dataset=opt.text("One of scikit-learn's bundled classification datasets: `breast_cancer`, `iris`, `wine` or "
                         "`digits`.", default="breast_cancer"),
        models=opt.raw("The models, in the table's order: `knn-5`, `decision-tree-3`, `naive-bayes`, …",
                       MODELS_SCHEMA, "list of 1–8 model names", convert=list, required=True),
        folds=opt.integer("How many folds (k).", default=5, min=2, max=10),
        shuffles=opt.integer("How many shuffles of the folds to repeat the cross-validation on.", default=3, min=1, max=10),
        seed=opt.seed("The seed of the first shuffle, of the models and of the split `show` uses.", default=0),
        show=opt.choice("What one model learned: `coefficients`, `tree`, `importances`, `neighbours`, `correlations` or `support-vectors`.",
                        ["none", *SHOWS], default="none"),
        test_size=opt.number("The share held out by the split `show` uses.", default=0.25, min=0.1, max=0.5),
        top=opt.integer("How many coefficients or importances `show` lists.", default=8, min=1, max=30),
        examples=opt.integer("How many test samples `show: coefficients` scores.", default=3, min=1, max=10),
        levels=opt.integer("How many levels of the tree `show: tree` prints.", default=2, min=1, max=4),
        of=opt.text("The model `show` reads (one of `models`); by default the first it can read.", default=None),
        sample=opt.integer("Which test sample (from 1) `show: neighbours` looks around.", default=1, min=1, max=500),
        expect=opt.claims("[Claims](#claims): `mean(knn-5) > mean(knn-1)`, `std(random-forest) < std(decision-tree)`. "
                          "Names: mean(model), std(model), spread(model)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        check_dataset(spec.dataset)
        check_folds(spec.dataset, spec.folds)
        spec.parsed_models = [parse_model(m) for m in spec.models]
        spec.models = [str(m).strip() for m in spec.models]
        spec.shown = None
        if spec.show == "none" and spec.of is not None:
            raise LexiconError("'of' names the model 'show' reads, and there is no 'show'", fix="add e.g. 'show: tree', or remove 'of'")
        if spec.show != "none":
            wanted = SHOWS[spec.show]
            if spec.of is not None:
                spec.shown = self._model(spec, spec.of)
                if parse_model(spec.shown)[0] not in wanted:
                    raise LexiconError(f"'of: {spec.shown}': 'show: {spec.show}' reads a {' or '.join(wanted)} model",
                                       fix="name one of those, or remove 'of'")
            else:
                spec.shown = next((m for m, (n, _) in zip(spec.models, spec.parsed_models) if n in wanted), None)
            if spec.shown is None:
                raise LexiconError(f"'show: {spec.show}' reads a {' or '.join(wanted)} model, and none is listed",
                                   fix=f"add e.g. '{wanted[0]}' to 'models', or remove 'show'")
            if spec.show == "coefficients" and len(describe(spec.dataset)["classes"]) != 2:
                raise LexiconError(f"'show: coefficients' lists one coefficient per feature of a two-class model; the "
                                   f"{spec.dataset} data has {len(describe(spec.dataset)['classes'])} classes",
                                   fix="use 'dataset: breast_cancer', or show something else")
            if spec.show == "neighbours":
                _, test = _split_sizes(spec)
                if spec.sample > test:
                    raise LexiconError(f"'sample: {spec.sample}': the test split holds {test} samples",
                                       fix=f"choose a sample from 1 to {test}")
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda name, args: self._model(spec, args[0]))

    def anchor_hint(self, spec):
        return f"models {spec.dataset} {spec.show}"

    def compute(self, kv, spec):
        out = {"rows": [cross_validated(spec.dataset, m, spec.folds, spec.shuffles, spec.seed) for m in spec.models],
               "info": describe(spec.dataset)}
        out.update(self._learned_state(spec))
        return out

    @staticmethod
    def _learned_state(spec) -> dict:
        out = {}
        if spec.show == "coefficients":
            out["learned"] = coefficients(spec.dataset, spec.shown, spec.test_size, spec.seed, spec.top, spec.examples)
        elif spec.show == "tree":
            out["learned"] = tree(spec.dataset, spec.shown, spec.test_size, spec.seed, spec.levels)
        elif spec.show == "importances":
            out["learned"] = importances(spec.dataset, spec.shown, spec.test_size, spec.seed, spec.top)
        elif spec.show == "support-vectors":
            out["learned"] = support_vectors(spec.dataset, [m for m in spec.models if parse_model(m)[0] in SHOWS[spec.show]],
                                             spec.test_size, spec.seed)
        elif spec.show == "correlations":
            out["learned"] = correlations(spec.dataset, spec.shown, spec.test_size, spec.seed, spec.top)
        elif spec.show == "neighbours":
            out["learned"] = neighbours(spec.dataset, spec.shown, spec.test_size, spec.seed, spec.sample)
        return out

    # --- reading the result ---------------------------------------------------------------------------
    @staticmethod
    def _model(spec, text) -> str:
        t = str(text).strip()
        if t not in spec.models:
            raise LexiconError(f"'{t}' is not one of the block's models", fix="name one of: " + ", ".join(spec.models))
        return t

    def _row(self, spec, result, text) -> dict:
        return result["rows"][spec.models.index(self._model(spec, text))]

    def _lookup(self, spec, result, name, args):
        row = self._row(spec, result, args[0])
        return max(row["means"]) - min(row["means"]) if name == "spread" else row[name]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda name, args: self._lookup(spec, result, name, args), check, fmt)

    def _learned(self, spec, result, show: str) -> dict:
        if spec.show != show:
            raise LexiconError(f"this value reads what the block shows with 'show: {show}'", fix=f"add 'show: {show}'")
        return result["learned"]

    # --- values for prose -----------------------------------------------------------------------------
    @value("A model's mean cross-validated accuracy: `mean(knn-5)`.")
    def mean(self, spec, result, model):
        v = self._lookup(spec, result, "mean", [model])
        return Value(fmt(v), v)

    @value("The standard deviation of a model's fold accuracies: `std(knn-5)`.")
    def std(self, spec, result, model):
        v = self._lookup(spec, result, "std", [model])
        return Value(fmt(v), v)

    @value("How far a model's mean moves over the shuffles (highest − lowest): `spread(knn-5)`.")
    def spread(self, spec, result, model):
        v = self._lookup(spec, result, "spread", [model])
        return Value(fmt(v), v)

    @value("The model with the highest mean accuracy.")
    def best(self, spec, result):
        row = max(result["rows"], key=lambda r: r["mean"])
        return Value(row["model"])

    @value("A count: `count(samples)`, `count(features)`, `count(classes)`, `count(folds)`, `count(shuffles)`, "
           "`count(train)`, `count(test)`.")
    def count(self, spec, result, what):
        info = result["info"]
        counts = {"samples": info["samples"], "features": info["features"], "classes": len(info["classes"]),
                  "folds": spec.folds, "shuffles": spec.shuffles}
        if "learned" in result:
            counts.update(train=result["learned"]["train"], test=result["learned"]["test"])
        w = str(what).strip()
        if w not in counts:
            raise LexiconError(f"cannot count '{what}'", fix="name one of: " + ", ".join(counts))
        return Value(f"{counts[w]:,}", counts[w])

    @value("The shown model's accuracy on the test split of `show` (one split).")
    def test_accuracy(self, spec, result):
        if "learned" not in result or spec.show == "support-vectors":
            raise LexiconError("this value reads the one model of 'show' (not 'show: support-vectors', which fits several)",
                               fix="add e.g. 'show: tree', or quote support(model)")
        v = result["learned"]["accuracy"]
        return Value(fmt(v), v)

    @value("A shown coefficient (`show: coefficients`): `coef(1)` is the largest in size.")
    def coef(self, spec, result, k):
        rows = self._learned(spec, result, "coefficients")["coef"]
        i = _index(k, len(rows), "coefficient")
        return Value(fmt(rows[i]["weight"]), rows[i]["weight"])

    @value("The feature of a shown coefficient or importance: `feature(1)`.")
    def feature(self, spec, result, k):
        if spec.show not in ("coefficients", "importances"):
            raise LexiconError("this value names a feature of 'show: coefficients' or 'show: importances'",
                               fix="add one of them")
        rows = result["learned"]["coef" if spec.show == "coefficients" else "importances"]
        return Value(rows[_index(k, len(rows), "row")]["feature"])

    @value("A shown importance (`show: importances`): `importance(1)` is the largest.")
    def importance(self, spec, result, k):
        rows = self._learned(spec, result, "importances")["importances"]
        i = _index(k, len(rows), "importance")
        return Value(fmt(rows[i]["importance"]), rows[i]["importance"])

    @value("`show: correlations`: how many feature pairs correlate within the classes beyond ±0.5 or ±0.9, or how "
           "many pairs there are: `pairs(half)`, `pairs(0.9)`, `pairs(all)`.")
    def pairs(self, spec, result, which):
        c = self._learned(spec, result, "correlations")
        got = {"half": c["over_half"], "0.9": c["over_09"], "all": c["count"]}
        if str(which).strip() not in got:
            raise LexiconError(f"there is no pair count '{which}'", fix="name one of: half, 0.9, all")
        n = got[str(which).strip()]
        return Value(f"{n:,}", n)

    @value("`show: correlations`: the correlation of the k-th strongest pair: `corr(1)`.")
    def corr(self, spec, result, k):
        rows = self._learned(spec, result, "correlations")["pairs"]
        v = rows[_index(k, len(rows), "pair")]["r"]
        return Value(fmt(v), v)

    @value("`show: support-vectors`: a support vector machine's number of support vectors: `support(svm-rbf)`.")
    def support(self, spec, result, model):
        rows = self._learned(spec, result, "support-vectors")["rows"]
        row = next((r for r in rows if r["model"] == str(model).strip()), None)
        if row is None:
            raise LexiconError(f"'{model}' is not a support vector machine of the block",
                               fix="name one of: " + ", ".join(r["model"] for r in rows))
        return Value(f"{row['support']:,}", row["support"])

    @value("`show: importances`: how many features have any importance at all.")
    def used(self, spec, result):
        n = self._learned(spec, result, "importances")["used"]
        return Value(f"{n:,}", n)

    @value("`show: tree`: the tree's depth, leaves, or the root split's feature and threshold: `tree(depth)`, "
           "`tree(leaves)`, `tree(root)`, `tree(threshold)`.")
    def tree(self, spec, result, what):
        t = self._learned(spec, result, "tree")
        root = t["nodes"][0]
        got = {"depth": (f"{t['depth']:,}", t["depth"]), "leaves": (f"{t['leaves']:,}", t["leaves"]),
               "root": (root.get("feature", "none"), None), "threshold": (f"{root.get('threshold', 0):.4f}", root.get("threshold"))}
        if str(what).strip() not in got:
            raise LexiconError(f"the tree has no '{what}'", fix="name one of: " + ", ".join(got))
        return Value(*got[str(what).strip()])

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        from ._render import learned_parts

        info = result["info"]
        rows = [[r["model"], setting_of(r["model"]), f"{fmt(r['mean'])} ± {fmt(r['std'])}", f"{fmt(min(r['means']))} to {fmt(max(r['means']))}"]
                for r in result["rows"]]
        parts = [Html(f"<p>{info['samples']:,} samples of the {esc(spec.dataset)} data ({info['features']:,} features, "
                      f"{len(info['classes'])} classes), {spec.folds} stratified folds, repeated on {spec.shuffles} "
                      f"shuffle(s) of the folds: {spec.folds * spec.shuffles} accuracy scores per model.</p>"),
                 Table(["Model", "Setting", f"Accuracy, mean ± SD over {spec.folds * spec.shuffles} folds",
                        f"One shuffle's mean, lowest to highest ({spec.shuffles} shuffles)"], rows, numeric=(2, 3))]
        if "learned" in result:
            parts += [Subhead("What the support vector machines kept" if spec.show == "support-vectors"
                              else f"What {spec.shown} learned")] + learned_parts(spec, result["learned"], info)
        code = (imports_of(spec.models, spec.seed) + "\nfrom sklearn.datasets import load_" + spec.dataset +
                "\nfrom sklearn.model_selection import StratifiedKFold, cross_val_score\nimport numpy as np\n\n"
                f"data = load_{spec.dataset}()\nmodels = {{\n" +
                "".join(f"    {m!r}: {code_of(m, spec.seed)},\n" for m in spec.models) + "}\n"
                "for name, model in models.items():\n"
                f"    scores = np.concatenate([cross_val_score(model, data.data, data.target, cv=StratifiedKFold(\n"
                f"        n_splits={spec.folds}, shuffle=True, random_state=s)) for s in range({spec.seed}, "
                f"{spec.seed + spec.shuffles})])\n"
                "    print(name, scores.mean(), scores.std())\n")
        parts.append(Code(code, "The scikit-learn calls behind these numbers"))
        return parts


def _index(k, n: int, what: str) -> int:
    t = str(k).strip()
    if not t.isdigit() or not 1 <= int(t) <= n:
        raise LexiconError(f"there is no {what} '{k}'", fix=f"name 1 to {n}")
    return int(t) - 1


def _split_sizes(spec) -> tuple[int, int]:
    n = describe(spec.dataset)["samples"]
    test = -(-n * spec.test_size // 1)
    return n - int(test), int(test)
