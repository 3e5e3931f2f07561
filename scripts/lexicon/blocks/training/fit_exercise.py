"""An exercise: which learning rate, tree depth, penalty strength, penalty or lasso feature fits best, graded from the fits."""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt, percent
from ._data import (FEATURES, bias_variance, best_depths, mean_gap, NOTE, check_dataset, cross_validated_training, curvatures, descend, design, diabetes, lasso_entries,
                    SCALERS, linear_fit, minibatch_descent, penalised, scaled_knn, tree_scores)

VALUES_SCHEMA = {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0}, "minItems": 2, "maxItems": 5,
                 "uniqueItems": True}
FEATURES_SCHEMA = {"type": "array", "items": {"enum": list(FEATURES)}, "minItems": 2, "maxItems": 5, "uniqueItems": True}
# What is chosen -> the scores it can be judged by (the first is the default).
SCORES = {"learning-rate": ("loss",), "depth": ("validation", "training", "cross-validation", "bias-variance", "bagging", "mean-gap"), "alpha": ("validation",),
          "penalty": ("zeros",), "feature": ("lasso-path", "r2", "mae", "mse"), "scaling": ("test",),
          "batch-size": ("loss",)}
# {hi}/{lo}/{most} read "highest"/"lowest"/"most" for `ask: best` and the other way round for `ask: worst`.
SAID = {("learning-rate", "loss"): "the {lo} loss after {steps} steps",
        ("depth", "validation"): "the {hi} accuracy on the validation split",
        ("depth", "training"): "the {hi} accuracy on the training split",
        ("depth", "bias-variance"): "the {lo} expected error (bias² + variance)",
        ("depth", "mean-gap"): "the {hi} gap between training and validation accuracy, averaged over {seeds} splits", ("depth", "bagging"): "the {hi} variance, the part of the error that averaging many trees removes",
        ("depth", "cross-validation"): "the {hi} mean accuracy over {folds} cross-validation folds of the training split",
        ("alpha", "validation"): "the {hi} R² on the validation split",
        ("penalty", "zeros"): "the {most} coefficients exactly zero at alpha {alpha:g}",
        ("feature", "lasso-path"): "the {hi} alpha at which the lasso still keeps its coefficient non-zero",
        ("batch-size", "loss"): "the {lo} loss after {epochs}",
        ("scaling", "test"): "the {hi} test accuracy of a nearest-neighbour classifier",
        ("feature", "r2"): "the {hi} R² on the validation split, used alone in a linear regression",
        ("feature", "mae"): "the {lo} mean absolute error on the validation split, used alone in a linear regression",
        ("feature", "mse"): "the {lo} mean squared error on the validation split, used alone in a linear regression"}
NEIGHBOURS = 5     # the neighbours of choose: scaling's classifier
BOOTSTRAPS = 30    # the resamples of score: bias-variance (as in bias-variance's default)
LABEL = {"batch-size": "batch size {:g}", "learning-rate": "rate {:g}", "depth": "depth {:g}", "alpha": "alpha {:g}"}
PENALTIES = {"ridge": "ridge (L2)", "lasso": "lasso (L1)", "none": "no penalty (least squares)"}
ANSWER_SCHEMA = {"anyOf": [{"type": "number"}, {"enum": list(dict.fromkeys([*PENALTIES, *SCALERS, *FEATURES]))}]}


class FitExercise(ExerciseKind):
    """An exercise: the reader picks the learning rate, tree depth or penalty strength (alpha) that fits best, and the build
    grades it from the fits it ran.

    `choose: learning-rate` runs the batch gradient descent of `gradient-descent` on the diabetes data for `steps` steps at
    each of `values`; the answer is the rate with the lowest loss (a diverged run counts by the loss at which it was
    stopped). `choose: depth` grows the decision trees of `model-complexity` on `dataset`; the answer is the depth with
    the highest accuracy on the validation split (`score: validation`), on the training split (`score: training`), or
    averaged over the `folds` folds of a cross-validation of the TRAINING split only (`score: cross-validation`; the
    held-out split stays untouched as a test set, and the mean is averaged over `shuffles` shuffles of the folds, whose
    range the table shows). `choose: alpha` fits the `model` (`ridge` or `lasso`) of `regularization`; the answer is the
    alpha with the highest validation R². `choose: penalty` (no `values`) fits ridge, lasso and unpenalised least
    squares at one `alpha`; the answer (`ridge`, `lasso` or `none`) is the model with the most coefficients exactly
    zero. `ask: worst` asks for the worst choice instead of the best. `choose: feature` (no `values`; name 2–5 diabetes
    `features` by scikit-learn's names, e.g. `[s5, bmi, s1]`) follows the exact lasso path (`lars_path(method="lasso")`)
    fitted on the TRAINING split only; the answer is the feature whose coefficient stays non-zero up to the largest
    alpha (the one the lasso keeps longest); with `score: r2`, `mae` or `mse` a `LinearRegression` learns from each
    feature alone on the training split instead, and the answer is the feature with the highest R² (lowest mean absolute
    or squared error) on the validation split. `choose: scaling` (no `values`) scores a 5-nearest-neighbour classifier
    on `dataset`'s test split with its features unscaled (`none`), standardised (`standard`) and scaled to 0–1
    (`minmax`); the answer has the highest test accuracy. `choose: batch-size` runs the mini-batch gradient descent of
    `minibatch-descent` at each batch size of `values` (`rate`, `epochs`); the answer has the lowest loss after the last
    epoch. `choose: depth` with `score: mean-gap` repeats the trees on `seeds` splits (seeds `seed` …) and averages each
    depth's training minus validation accuracy; the answer has the largest mean gap. `choose: depth` with `score:
    bias-variance` fits the regression trees of `bias-variance` on the diabetes data (30 bootstrap resamples) and shows
    each depth's bias² and variance; the answer has the lowest expected error, their sum (with `score: bagging`, the
    highest variance: the depth that averaging many trees would help most). Two choices whose scores tie at the shown
    precision fail the build, so choose values that separate. `answer` is the value you claim wins.
    """

    example = "choose: learning-rate\nvalues: [0.001, 0.01, 0.1]\nsteps: 50\nanswer: 0.1"
    default_prompt = "Which {choose} gives {said}?"
    note = NOTE
    needs_model = False
    options = opt.Options(
        ExerciseKind.options,
        choose=opt.choice("What the reader chooses.", list(SCORES), required=True),
        values=opt.raw("The rates, depths or alphas to choose from, in this order (not for `choose: penalty`).",
                       VALUES_SCHEMA, "list of 2–5 different numbers", convert=list),
        ask=opt.choice("Ask for the best choice or the worst.", ["best", "worst"], default="best"),
        alpha=opt.number("The penalty strength of `choose: penalty`.", default=10, above=0, max=100000),
        shuffles=opt.integer("The shuffles of the folds the cross-validated mean is averaged over "
                             "(`score: cross-validation`).", default=10, min=1, max=30),
        score=opt.choice("What the choice is judged by: `loss` (learning-rate), `validation` or `training` (depth), "
                         "`validation` (alpha), `cross-validation`, `bias-variance`, `bagging` or `mean-gap` (depth), `lasso-path`, `r2`, `mae` or `mse` (feature), "
                         "or `test` (scaling).",
                         ["loss", "validation", "training", "cross-validation", "bias-variance", "bagging", "mean-gap", "lasso-path", "r2", "mae", "mse", "test"],
                         default_doc="the first of those for `choose`"),
        features=opt.raw("The diabetes features to choose from (`choose: feature`), by scikit-learn's names "
                         "(`age`, `sex`, `bmi`, `bp`, `s1` … `s6`).", FEATURES_SCHEMA, "list of 2–5 different feature names",
                         convert=list),
        steps=opt.integer("The steps of gradient descent (`choose: learning-rate`).", default=50, min=1, max=5000),
        epochs=opt.integer("The epochs of `choose: batch-size`.", default=1, min=1, max=50),
        rate=opt.number("The learning rate of `choose: batch-size`.", default=0.01, above=0, max=10),
        dataset=opt.text("The classification dataset of the trees (`choose: depth`) or of `choose: scaling`.",
                         default="breast_cancer"),
        folds=opt.integer("The folds of `score: cross-validation`.", default=5, min=2, max=20),
        model=opt.choice("The penalised model (`choose: alpha`).", ["ridge", "lasso"], default="lasso"),
        test_size=opt.number("The share held out as the validation split (depth, alpha, penalty), or as the "
                             "untouched test set (`score: cross-validation`).", default=0.25, min=0.1, max=0.5),
        seed=opt.seed("The seed of the split and of the trees.", default=0),
        seeds=opt.integer("The splits (seeds `seed` …) `score: mean-gap` averages over.", default=50, min=2, max=100),
        answer=opt.raw("The value you claim wins (a [claim](#claims)); `ridge`, `lasso` or `none` for `choose: penalty`, "
                       "a feature's name for `choose: feature`.",
                       ANSWER_SCHEMA, "number, `ridge` / `lasso` / `none`, or a feature name", display=True),
    )

    def prepare(self, spec):
        allowed = SCORES[spec.choose]
        spec.score = spec.score or allowed[0]
        if spec.score not in allowed:
            raise LexiconError(f"'score: {spec.score}' does not judge a {spec.choose}",
                               fix="use score: " + " or ".join(allowed))
        if spec.choose in ("depth", "scaling"):
            check_dataset(spec.dataset)
        if spec.choose == "feature" and spec.features is None:
            raise LexiconError("choose: feature needs the features to choose from", fix="add e.g. 'features: [s5, bmi, s1]'")
        if spec.choose != "feature" and spec.features is not None:
            raise LexiconError(f"'features' is set, but only choose: feature uses it (this is choose: {spec.choose})",
                               fix="remove 'features'")
        if spec.choose == "feature":
            if spec.values is not None:
                raise LexiconError("'values' is set, but choose: feature chooses among 'features'",
                                   fix="remove 'values' (list the features under 'features')")
            spec.values = list(spec.features)
        elif spec.choose == "scaling":
            if spec.values is not None:
                raise LexiconError("'values' is set, but choose: scaling always compares none, standard and minmax",
                                   fix="remove 'values'")
            spec.values = list(SCALERS)
        elif spec.choose == "penalty":
            if spec.values is not None:
                raise LexiconError("'values' is set, but choose: penalty always compares ridge, lasso and none",
                                   fix="remove 'values' (set 'alpha' instead)")
            spec.values = list(PENALTIES)
        elif spec.values is None:
            raise LexiconError(f"choose: {spec.choose} needs the values to choose from", fix="add e.g. 'values: [1, 3, 8]'")
        if spec.choose == "depth" and not all(float(v).is_integer() for v in spec.values):
            raise LexiconError("a tree's depth is a whole number", fix="list whole numbers under 'values', e.g. [1, 3, 8]")
        if spec.choose == "batch-size" and not all(float(v).is_integer() and 1 <= v <= 442 for v in spec.values):
            raise LexiconError("a batch size is a whole number of patients, 1 to 442",
                               fix="list whole numbers under 'values', e.g. [442, 32, 1]")
        best = spec.ask == "best"
        spec.said = SAID[(spec.choose, spec.score)].format(
            steps=spec.steps, seeds=spec.seeds, epochs=f"{spec.epochs} epoch" + ("s" if spec.epochs != 1 else ""), folds=spec.folds, alpha=spec.alpha, hi="highest" if best else "lowest",
            lo="lowest" if best else "highest", most="most" if best else "fewest")
        if spec.answer is not None and spec.answer not in spec.values:
            raise LexiconError(f"'answer' is {spec.answer}, which is not one of the values",
                               fix="name one of: " + ", ".join(self._key(v) for v in spec.values))

    def anchor_hint(self, spec):
        return f"exercise {spec.choose} {spec.score}"

    def compute(self, kv, spec):
        if spec.choose == "learning-rate":
            x, y, _ = diabetes()
            a = design(x)
            runs = [descend(a, y, r, spec.steps) for r in spec.values]
            flat, steep = curvatures(a, y)
            return {"rows": [{"value": r["rate"], "score": r["losses"][-1], "diverged_at": r["diverged_at"]}
                             for r in runs], "limit": 2 / steep, "flat": flat, "steep": steep}
        if spec.choose == "depth" and spec.score in ("bias-variance", "bagging"):
            fit = bias_variance([int(v) for v in spec.values], BOOTSTRAPS, spec.test_size, spec.seed)
            key = "error" if spec.score == "bias-variance" else "variance"
            return {"rows": [{"value": r["depth"], "score": r[key], "bias2": r["bias2"], "variance": r["variance"],
                              "error": r["error"]} for r in fit["rows"]]}
        if spec.choose == "depth":
            rows = tree_scores(spec.dataset, [int(v) for v in spec.values], spec.test_size, spec.seed)
            if spec.score == "mean-gap":
                runs = best_depths(spec.dataset, 0, spec.test_size, spec.seed, spec.seeds, [int(v) for v in spec.values])
                return {"rows": [dict(mean_gap(runs, i), value=int(v)) for i, v in enumerate(spec.values)]}
            if spec.score == "cross-validation":
                cv = cross_validated_training(spec.dataset, [int(v) for v in spec.values], spec.folds, spec.seed,
                                              spec.test_size, spec.shuffles)
                return {"rows": [{"value": r["depth"], "score": r["cv"], "train": r["train"], "cv_min": r["cv_min"],
                                  "cv_max": r["cv_max"], "se": r["se"], "means": r["means"]} for r in cv["rows"]],
                        "training": cv["training"], "held_out": cv["held_out"]}
            key = {"training": "train", "validation": "validation"}[spec.score]
            return {"rows": [{"value": r["depth"], "score": r[key], "train": r["train"], "validation": r["validation"]}
                             for r in rows]}
        if spec.choose == "batch-size":
            x, y, _ = diabetes()
            runs = [minibatch_descent(design(x), y, spec.rate, int(b), spec.epochs, spec.seed) for b in spec.values]
            return {"rows": [{"value": r["batch"], "score": r["losses"][-1], "diverged_at": r["diverged_at"],
                              "updates": -(-len(y) // r["batch"])} for r in runs], "samples": int(len(y))}
        if spec.choose == "scaling":
            fit = scaled_knn(spec.dataset, list(SCALERS), NEIGHBOURS, spec.test_size, spec.seed)
            return {"rows": [{"value": v, "score": fit["accuracy"][v]} for v in SCALERS], "largest": fit["largest"],
                    "largest_share": fit["largest_share"], "train": fit["train"], "test": fit["test"]}
        if spec.choose == "feature" and spec.score in ("r2", "mae", "mse"):
            fits = [linear_fit([f], spec.test_size, spec.seed) for f in spec.values]
            return {"rows": [{"value": f, "score": fit[spec.score], "r2": fit["r2"], "mae": fit["mae"], "mse": fit["mse"],
                              "coef": fit["coef"][0]} for f, fit in zip(spec.values, fits)],
                    "train": fits[0]["train"], "validation": fits[0]["validation"],
                    "baseline_mae": fits[0]["baseline_mae"]}
        if spec.choose == "feature":
            path = lasso_entries(spec.test_size, spec.seed)
            return {"rows": [{"value": f, "score": path["entries"][f], "ols": path["ols"][f]} for f in spec.values],
                    "train": path["train"]}
        if spec.choose == "penalty":
            fit = penalised([spec.alpha], spec.test_size, spec.seed)
            ols = [c == 0 for c in fit["ols"]["coef"]]
            rows = [{"value": m, "score": fit[m][0]["zeros"], "norm": fit[m][0]["norm"], "r2": fit[m][0]["r2"]}
                    for m in ("ridge", "lasso")]
            return {"rows": rows + [{"value": "none", "score": sum(ols), "norm": fit["ols"]["norm"],
                                     "r2": fit["ols"]["r2"]}], "features": len(ols)}
        fit = penalised(list(spec.values), spec.test_size, spec.seed)
        return {"rows": [{"value": r["alpha"], "score": r["r2"], "zeros": r["zeros"]} for r in fit[spec.model]],
                "ols_r2": fit["ols"]["r2"]}

    def _lowest(self, spec) -> bool:
        """Whether the lowest score wins: the lowest loss, or the worst of the others."""
        return (spec.choose in ("learning-rate", "batch-size") or spec.score in ("mae", "mse", "bias-variance")) == (spec.ask == "best")

    def graded_end(self, spec):
        return "lowest" if self._lowest(spec) else "highest"

    def graded(self, spec, result):
        return {self._label(spec, r["value"]): r["score"] for r in result["rows"]}

    def _label(self, spec, v) -> str:
        if spec.choose == "feature":
            return f"{v} ({FEATURES[v]})"
        if spec.choose == "scaling":
            return SCALERS[v]
        return PENALTIES[v] if spec.choose == "penalty" else LABEL[spec.choose].format(v)

    @staticmethod
    def _key(v) -> str:
        return v if isinstance(v, str) else f"{v:g}"

    def _best(self, spec, result) -> dict:
        pick = min if self._lowest(spec) else max
        return pick(result["rows"], key=lambda r: r["score"])

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        best = self._best(spec, result)
        sign = -1 if self._lowest(spec) else 1
        check(f"{self._label(spec, spec.answer)} gives {spec.said} of " +
              ", ".join(self._key(v) for v in spec.values), best["value"] == spec.answer,
              "; ".join(f"{self._label(spec, r['value'])}: {fmt(r['score'])}" for r in result["rows"]),
              decided_by=[sign * r["score"] for r in result["rows"]])

    @value("The value that wins (the answer).")
    def best(self, spec, result):
        v = self._best(spec, result)["value"]
        return Value(self._key(v), v)

    @value("The score of one choice: `score(0.1)`.")
    def score(self, spec, result, v):
        row = next((r for r in result["rows"] if self._key(r["value"]) == str(v).strip()), None)
        if row is None:
            raise LexiconError(f"'{v}' is not one of the exercise's values",
                               fix="name one of: " + ", ".join(self._key(x) for x in spec.values))
        return Value(str(row["score"]) if spec.choose == "penalty" else fmt(row["score"]), row["score"])

    def _why(self, spec, result, r) -> str:
        if spec.choose == "learning-rate":
            if r["diverged_at"]:
                return f"Rate {r['value']:g} diverges: its loss passed 1,000 times its start at step {r['diverged_at']}."
            steep = 1 - r["value"] * result["steep"]
            return (f"After {spec.steps} steps rate {r['value']:g} reaches a loss of {fmt(r['score'])}. Each step "
                    f"multiplies the error along the most curved direction by {fmt(steep)}"
                    + (" (negative: it swings from side to side)" if steep < 0 else "")
                    + f" and along the flattest by {fmt(1 - r['value'] * result['flat'])}.")
        if spec.choose == "depth" and spec.score in ("bias-variance", "bagging"):
            return (f"Depth {r['value']:g}: bias² {fmt(r['bias2'])} + variance {fmt(r['variance'])} = "
                    f"{fmt(r['error'])}.")
        if spec.score == "mean-gap":
            return (f"Depth {r['value']:g}: mean training accuracy {fmt(r['train'])}, mean validation accuracy {fmt(r['validation'])}, "
                    f"mean gap {fmt(r['score'])}; the largest gap of these depths on {r['widest']} of the {spec.seeds} splits.")
        if spec.choose == "depth" and spec.score == "cross-validation":
            return (f"Depth {r['value']:g}: training accuracy {fmt(r['train'])}, mean cross-validated accuracy "
                    f"{fmt(r['score'])}, standard error {fmt(r['se'])} ({fmt(r['cv_min'])} to {fmt(r['cv_max'])} over "
                    f"{spec.shuffles} shuffles).")
        if spec.choose == "depth":
            return (f"Depth {r['value']:g}: training accuracy {fmt(r['train'])}, validation accuracy "
                    f"{fmt(r['validation'])}.")
        if spec.choose == "batch-size":
            if r["diverged_at"]:
                return f"Batch size {r['value']:g} diverges at epoch {r['diverged_at']}."
            return (f"Batch size {r['value']:g}: {r['updates']:,} update" + ("s" if r["updates"] != 1 else "") + f" an epoch, loss {fmt(r['score'])} after "
                    f"{spec.epochs} epoch" + ("s." if spec.epochs != 1 else "."))
        if spec.choose == "scaling":
            return f"{SCALERS[r['value']].capitalize()}: test accuracy {fmt(r['score'])}."
        if spec.choose == "feature" and spec.score in ("r2", "mae", "mse"):
            return (f"{self._label(spec, r['value']).capitalize()} alone: validation R² {fmt(r['r2'])}, mean absolute "
                    f"error {fmt(r['mae'])}, mean squared error {fmt(r['mse'])}, coefficient {fmt(r['coef'])} per standard deviation.")
        if spec.choose == "feature":
            return (f"{self._label(spec, r['value']).capitalize()}: non-zero for every alpha below {fmt(r['score'])}, "
                    f"exactly zero above it; its unpenalised coefficient is {fmt(r['ols'])}.")
        if spec.choose == "penalty":
            return (f"{PENALTIES[r['value']].capitalize()} at alpha {spec.alpha:g}: {r['score']} coefficients exactly "
                    f"zero, length {fmt(r['norm'])}.")
        return f"Alpha {r['value']:g}: validation R² {fmt(r['score'])}, {r['zeros']} coefficients exactly zero."

    @staticmethod
    def _one_se(spec, rows, best) -> str:
        """The best depth's lead, its standard error, how often it comes first, and the one-standard-error rule's
        choice: the shallowest depth whose mean is within one standard error of the best (Hastie et al. 2009, ch. 7)."""
        second = max((r for r in rows if r is not best), key=lambda r: r["score"])
        first = sum(all(best["means"][i] > r["means"][i] for r in rows if r is not best) for i in range(spec.shuffles))
        kept = min((r for r in rows if r["score"] >= best["score"] - best["se"]), key=lambda r: r["value"])
        return (f"Depth {best['value']:g} leads depth {second['value']:g} by {fmt(best['score'] - second['score'])}; "
                f"one standard error of its mean is {fmt(best['se'])}. It has the highest mean on {first} of the "
                f"{spec.shuffles} shuffles. The one-standard-error rule keeps the shallowest depth whose mean is within "
                f"one standard error of the best: depth {kept['value']:g}.")

    def render(self, spec, result, ctx):
        rows, best = result["rows"], self._best(spec, result)
        if spec.choose == "learning-rate":
            intro = (f"Batch gradient descent fits a linear regression to scikit-learn's diabetes data (standardised "
                     f"features, mean squared error), from all-zero weights, for {spec.steps} steps. Rates above "
                     f"{fmt(result['limit'])} make this loss diverge.")
            table = Table(["Learning rate", f"Loss after {spec.steps} steps", "Error factor a step, most curved direction",
                           "Error factor a step, flattest direction"],
                          [[f"{r['value']:g}", f"diverged at step {r['diverged_at']}" if r["diverged_at"]
                            else fmt(r["score"]), fmt(1 - r["value"] * result["steep"]),
                            fmt(1 - r["value"] * result["flat"])] for r in rows], numeric=(1, 2, 3))
        elif spec.choose == "batch-size":
            intro = (f"Gradient descent fits a linear regression to the {result['samples']:,} patients of scikit-learn's "
                     f"diabetes data (standardised features, mean squared error) at learning rate {spec.rate:g}, taking "
                     f"one step per batch of shuffled patients, for {spec.epochs} epoch" + ("s" if spec.epochs != 1 else "") + " (passes over the data).")
            table = Table(["Batch size", "Updates an epoch", f"Loss after {spec.epochs} epoch" + ("s" if spec.epochs != 1 else "")],
                          [[f"{r['value']:g}", f"{r['updates']:,}", f"diverged at epoch {r['diverged_at']}"
                            if r["diverged_at"] else fmt(r["score"])] for r in rows], numeric=(1, 2))
        elif spec.choose == "scaling":
            intro = (f"A {NEIGHBOURS}-nearest-neighbour classifier learns from {result['train']:,} samples of the "
                     f"{esc(spec.dataset.replace('_', ' '))} data, its features left as measured or rescaled (the scaler fitted on the "
                     f"training split only), and is scored on {result['test']:,} others. Unscaled, the feature "
                     f"<code>{esc(result['largest'])}</code> holds {percent(result['largest_share'])} of the summed "
                     "variances.")
            table = Table(["Scaling", "Test accuracy"], [[SCALERS[r["value"]], fmt(r["score"])] for r in rows],
                          numeric=(1,))
        elif spec.choose == "feature" and spec.score in ("r2", "mae", "mse"):
            intro = (f"A linear regression learns on the {result['train']:,} patients of a training split of scikit-learn's "
                     f"diabetes data from one feature at a time (standardised), and predicts the disease progression of "
                     f"the {result['validation']:,} patients of the validation split. Always predicting the training "
                     f"mean misses by {fmt(result['baseline_mae'])} on average.")
            table = Table(["Feature", "Validation R²", "Mean absolute error", "Mean squared error", "Coefficient (per SD)"],
                          [[self._label(spec, r["value"]), fmt(r["r2"]), fmt(r["mae"]), fmt(r["mse"]), fmt(r["coef"])]
                           for r in rows], numeric=(1, 2, 3, 4))
        elif spec.choose == "feature":
            intro = (f"A lasso regression learns on the {result['train']:,} patients of a training split of scikit-learn's "
                     "diabetes data (standardised features; the validation split is not used). As alpha falls from "
                     "large to small, the coefficients leave zero one after another; the exact path "
                     "(<code>lars_path(method=\"lasso\")</code>) gives the alpha at which each one does.")
            table = Table(["Feature", "Largest alpha with a non-zero coefficient", "Unpenalised coefficient"],
                          [[self._label(spec, r["value"]), fmt(r["score"]), fmt(r["ols"])] for r in rows], numeric=(1, 2))
        elif spec.score in ("bias-variance", "bagging"):
            intro = (f"Regression trees of each depth learn from {BOOTSTRAPS} bootstrap resamples of a training split of "
                     "scikit-learn's diabetes data and predict its validation patients. " + (
                         "Averaged over the patients: " + "; ".join(f"depth {r['value']:g}, bias² {fmt(r['bias2'])} and "
                                                                    f"variance {fmt(r['variance'])}" for r in rows) + "."
                         if spec.score == "bias-variance" else "Bagging would average the trees of each depth."))
            table = Table(["Depth", "Bias²", "Variance", "Expected error"],
                          [[f"{r['value']:g}", fmt(r["bias2"]), fmt(r["variance"]), fmt(r["error"])] for r in rows],
                          numeric=(1, 2, 3))
        elif spec.score == "mean-gap":
            intro = (f"Decision trees of each depth learn on a training split of the {esc(spec.dataset.replace('_', ' '))} data and are scored (accuracy) on "
                     f"it and on a validation split they never saw, on {spec.seeds} splits (seeds {spec.seed} to {spec.seed + spec.seeds - 1}); the scores are averaged.")
            table = Table(["Depth", "Mean training accuracy", "Mean validation accuracy", "Mean gap", "Splits where its gap is largest"],
                          [[f"{r['value']:g}", fmt(r["train"]), fmt(r["validation"]), fmt(r["score"]), f"{r['widest']} of {spec.seeds}"] for r in rows], numeric=(1, 2, 3, 4))
        elif spec.score == "cross-validation":
            intro = (f"Decision trees of each depth are cross-validated ({spec.folds} stratified folds) on the "
                     f"{result['training']:,} samples of a training split of the {esc(spec.dataset.replace('_', ' '))} data only; the "
                     f"{result['held_out']:,} held-out samples stay untouched as a test set. The mean accuracy over "
                     f"the folds is averaged over {spec.shuffles} shuffles of the folds; the last column shows how far "
                     "one shuffle's mean moves.")
            table = Table(["Depth", "Training accuracy", f"Mean over {spec.folds} folds",
                           f"Standard error (fold SD / √{spec.folds})", f"Lowest to highest over {spec.shuffles} shuffles"],
                          [[f"{r['value']:g}", fmt(r["train"]), fmt(r["score"]), fmt(r["se"]),
                            f"{fmt(r['cv_min'])} to {fmt(r['cv_max'])}"] for r in rows], numeric=(1, 2, 3))
        elif spec.choose == "depth":
            intro = (f"Decision trees of each depth learn on a training split of the {esc(spec.dataset.replace('_', ' '))} data and "
                     "are scored (accuracy) on it and on a validation split they never saw.")
            table = Table(["Depth", "Training accuracy", "Validation accuracy"],
                          [[f"{r['value']:g}", fmt(r["train"]), fmt(r["validation"])] for r in rows], numeric=(1, 2))
        elif spec.choose == "penalty":
            intro = (f"A ridge and a lasso regression learn on a training split of scikit-learn's diabetes data "
                     f"({result['features']} standardised features) at alpha {spec.alpha:g}, beside unpenalised least "
                     "squares.")
            table = Table(["Model", "Coefficients exactly zero", "Length of the coefficients", "Validation R²"],
                          [[PENALTIES[r["value"]], str(r["score"]), fmt(r["norm"]), fmt(r["r2"])] for r in rows],
                          numeric=(1, 2, 3))
        else:
            intro = (f"A {spec.model} regression learns on a training split of scikit-learn's diabetes data at each "
                     "penalty strength alpha and is scored (R²) on a validation split.")
            table = Table(["Alpha", "Coefficients exactly zero", "Validation R²"],
                          [[f"{r['value']:g}", str(r["zeros"]), fmt(r["score"])] for r in rows]
                          + [["none (least squares)", "0", fmt(result["ols_r2"])]], numeric=(1, 2))
        reveal = [Html(f"<p><strong>{esc(self._label(spec, best['value']))}</strong> gives {esc(spec.said)}.</p>"),
                  table]
        if spec.score == "cross-validation" and spec.ask == "best":
            reveal.append(Html(f"<p>{self._one_se(spec, rows, best)}</p>"))
        why = {self._label(spec, r["value"]): self._why(spec, result, r) for r in rows}
        return Choices([self._label(spec, v) for v in spec.values], self._label(spec, best["value"]), why, reveal,
                       [Html(f"<p>{intro}</p>")])
