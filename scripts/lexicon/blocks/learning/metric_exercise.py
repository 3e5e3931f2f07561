"""An exercise: from the confusion counts at a few thresholds, which threshold gives the highest metric?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._data import NOTE, SPLIT_OPTIONS, SAMPLES, at_threshold, class_label, fitted, positive_class
from ._figures import METRIC_NAMES, shown

METRICS = ("accuracy", "precision", "recall", "f1")
# Read from the counts too: balanced accuracy, and TPR − FPR (Youden's J: how far the ROC point is above the diagonal).
MORE = {"balanced": "balanced accuracy", "youden": "TPR − FPR"}
# Counts the reader reads off the matrix: the answer is the threshold with the FEWEST of them.
FEWEST = {"fn": "false negatives", "fp": "false positives"}
THRESHOLDS_SCHEMA = {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1}, "minItems": 2,
                     "maxItems": 5, "uniqueItems": True}


def label(t: float) -> str:
    return f"threshold {t:g}"


class MetricExercise(ExerciseKind):
    """An exercise: the reader sees a classifier's confusion counts on a test split at a few decision
    thresholds and picks the threshold that gives the best `metric`, worked out from the counts.

    The metrics: the highest accuracy, precision, recall, F1, balanced accuracy (`balanced`: the mean
    of the two classes' recalls) or `youden` (the true positive rate minus the false positive rate: how
    far the threshold's point on the ROC curve lies above the diagonal); the fewest false negatives
    (`fn`) or false positives (`fp`), a cell of the matrix to read; or the lowest `cost`,
    `fn_cost` × FN + `fp_cost` × FP, when a missed positive and a false alarm cost different amounts.

    The data, split and model are those of `classifier-metrics`. For each threshold the exercise
    shows the true and false positives and negatives (computed, never typed); the reader works out
    `metric` from them. The answer is the threshold whose `metric` (`sklearn.metrics`) is highest
    (for `fn`, `fp` and `cost`: lowest). Two thresholds tied at the shown precision (four decimals), or on
    the same count, fail the build, so choose thresholds that separate; a metric that is undefined
    at a threshold (precision with nothing predicted positive) fails it too. `answer` is the
    threshold you claim wins.
    """

    example = "dataset: breast_cancer\nmetric: recall\nthresholds: [0.2, 0.5, 0.8]\nanswer: 0.2"
    default_prompt = "Which threshold gives the highest {metric_name}? Work it out from the counts."
    note = NOTE
    needs_model = False
    options = opt.Options(
        ExerciseKind.options,
        **SPLIT_OPTIONS,
        metric=opt.choice("The metric the reader maximises, or the count (`fn`, `fp`) or `cost` the reader minimises.",
                          list(METRICS) + list(MORE) + list(FEWEST) + ["cost"], required=True),
        fn_cost=opt.number("The cost of one false negative (`metric: cost`).", default=1, min=0, max=1000),
        fp_cost=opt.number("The cost of one false positive (`metric: cost`).", default=1, min=0, max=1000),
        thresholds=opt.raw("The thresholds to choose from, in this order (0 to 1).", THRESHOLDS_SCHEMA,
                           "list of 2–5 different numbers", required=True, convert=list),
        answer=opt.number("The threshold you claim gives the highest metric, or the fewest `fn`/`fp` (a "
                          "[claim](#claims)).", min=0, max=1,
                          display=True),
    )

    def prepare(self, spec):
        spec.positive = positive_class(spec.dataset, spec.positive)
        spec.metric_name = {"f1": "F1 score", "cost": "total cost", **MORE}.get(spec.metric,
                                                                             FEWEST.get(spec.metric, spec.metric))
        spec.best_word = "fewest" if spec.metric in FEWEST else "lowest" if spec.metric == "cost" else "highest"
        if spec.metric != "cost" and (spec.given("fn_cost") or spec.given("fp_cost")):
            raise LexiconError(f"'fn_cost' and 'fp_cost' price the mistakes of metric: cost, not of {spec.metric}",
                               fix="remove them, or set metric: cost")
        if spec.metric == "cost" and spec.fn_cost == spec.fp_cost == 0:
            raise LexiconError("both mistakes cost 0, so every threshold costs nothing",
                               fix="give fn_cost or fp_cost a cost above 0, e.g. fn_cost: 5")
        if spec.answer is not None and spec.answer not in spec.thresholds:
            raise LexiconError(f"'answer' is {spec.answer:g}, which is not one of the thresholds",
                               fix="name one of: " + ", ".join(f"{t:g}" for t in spec.thresholds))

    def anchor_hint(self, spec):
        return f"exercise {spec.metric} {spec.dataset}"

    def compute(self, kv, spec):
        fit = fitted(spec.dataset, spec.positive, spec.test_size, spec.seed)
        rows = [at_threshold(fit["y"], fit["score"], t) for t in spec.thresholds]
        for r in rows:
            r["youden"] = r["tp"] / (r["tp"] + r["fn"]) - r["fp"] / (r["fp"] + r["tn"])
            r["cost"] = spec.fn_cost * r["fn"] + spec.fp_cost * r["fp"]
        for r in rows:
            if r[spec.metric] is None:
                raise LexiconError(f"{spec.metric} is undefined at threshold {r['threshold']:g}: no test sample is "
                                   "predicted positive there", fix="choose lower thresholds")
        return {"test": fit["test"], "test_positive": fit["test_positive"], "rows": rows}

    def prompt(self, spec):
        if spec.metric == "cost" and not spec.prompt:
            return (f"A false negative costs {spec.fn_cost:g} and a false positive {spec.fp_cost:g}. Which threshold "
                    "has the lowest total cost? Work it out from the counts.")
        if spec.prompt or spec.metric not in FEWEST:
            return super().prompt(spec)
        return f"Which threshold makes the fewest {spec.metric_name}? Read it off the counts."

    def graded(self, spec, result):
        return {label(r["threshold"]): r[spec.metric] for r in result["rows"]}

    def graded_end(self, spec):
        return "lowest" if self._lowest(spec) else "highest"

    @staticmethod
    def _lowest(spec) -> bool:
        return spec.metric in FEWEST or spec.metric == "cost"

    def _best(self, spec, result) -> dict:
        if self._lowest(spec):
            return min(result["rows"], key=lambda r: r[spec.metric])
        return max(result["rows"], key=lambda r: r[spec.metric])

    def _said(self, spec, row) -> str:
        v = row[spec.metric]
        if spec.metric in FEWEST:
            return f"{v:,} {spec.metric_name if v != 1 else spec.metric_name[:-1]}"
        if spec.metric == "cost":
            return (f"{row['fn']:,} false negatives × {spec.fn_cost:g} + {row['fp']:,} false positives × "
                    f"{spec.fp_cost:g} = a total cost of {v:g}")
        if spec.metric == "youden":
            return (f"TPR − FPR = {row['tp']:,} / {row['tp'] + row['fn']:,} − {row['fp']:,} / "
                    f"{row['fp'] + row['tn']:,} = {shown(v)}")
        return f"the {spec.metric_name} is {shown(v)}"

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        best = self._best(spec, result)
        check(f"threshold {spec.answer:g} gives the {spec.best_word} {spec.metric_name} of the thresholds " +
              ", ".join(f"{t:g}" for t in spec.thresholds), best["threshold"] == spec.answer,
              "; ".join(f"at {r['threshold']:g}, {self._said(spec, r)}" for r in result["rows"]),
              decided_by=[r[spec.metric] for r in result["rows"]])

    @value("The threshold that gives the highest metric (the fewest `fn` or `fp`).")
    def best(self, spec, result):
        t = self._best(spec, result)["threshold"]
        return Value(f"{t:g}", t)

    @value("For `metric: cost`, the threshold that minimises the expected cost on calibrated probabilities, "
           "`fp_cost` / (`fp_cost` + `fn_cost`): `cost_cut`.")
    def cost_cut(self, spec, result):
        if spec.metric != "cost":
            raise LexiconError(f"cost_cut is the cut that prices the mistakes of metric: cost, not of {spec.metric}",
                               fix="quote it from a block with metric: cost")
        v = spec.fp_cost / (spec.fp_cost + spec.fn_cost)
        return Value(fmt(v), v)

    @value("The metric (or count) at one of the thresholds: `score(0.2)`.")
    def score(self, spec, result, t):
        row = next((r for r in result["rows"] if f"{r['threshold']:g}" == str(t).strip()), None)
        if row is None:
            raise LexiconError(f"'{t}' is not one of the exercise's thresholds",
                               fix="name one of: " + ", ".join(f"{x:g}" for x in spec.thresholds))
        v = row[spec.metric]
        if spec.metric == "cost":
            return Value(f"{v:g}", v)
        return Value(f"{v:,}" if spec.metric in FEWEST else shown(v), v)

    def render(self, spec, result, ctx):
        pos, rows = class_label(spec.dataset, spec.positive), result["rows"]
        what = SAMPLES.get(spec.dataset, "samples")
        best = self._best(spec, result)
        counts = Table(["Threshold", "True positives", "False positives", "False negatives", "True negatives"],
                       [[f"{r['threshold']:g}", f"{r['tp']:,}", f"{r['fp']:,}", f"{r['fn']:,}", f"{r['tn']:,}"]
                        for r in rows], numeric=(0, 1, 2, 3, 4))
        before = [Html(f"<p>A classifier sorts the {result['test']:,} test {what} of the {esc(spec.dataset.replace('_', ' '))} data "
                       f"({result['test_positive']:,} of them {esc(pos)}, the positive class). A sample is predicted "
                       f"positive when the model's probability is at least the threshold. Its confusion counts:</p>"),
                  counts]
        why = {label(r["threshold"]): f"At threshold {r['threshold']:g}, {self._said(spec, r)}." for r in rows}
        reveal = [
            Html(f"<p>Threshold <strong>{best['threshold']:g}</strong> gives the {spec.best_word} {spec.metric_name}"
                 f": {self._said(spec, best)}.</p>"),
            Table(["Threshold"] + [METRIC_NAMES[m] for m in METRICS] + ["Balanced accuracy", "TPR − FPR"],
                  [[f"{r['threshold']:g}"] + [shown(r[m]) for m in METRICS + tuple(MORE)] for r in rows],
                  numeric=(0, 1, 2, 3, 4, 5, 6)),
            Html("<p>Balanced accuracy is the mean of recall and specificity, the two classes' recalls. TPR − FPR "
                 "(Youden's J) is recall minus the false positive rate: how far the threshold's point on the ROC curve "
                 "lies above the diagonal of a classifier that guesses.</p>"),
        ]
        fair = sorted(rows, key=lambda r: -r["balanced"])
        if spec.metric == "accuracy" and fair[0] is not best and shown(fair[0]["balanced"]) != shown(fair[1]["balanced"]):
            reveal.append(Html(f"<p>Balanced accuracy, which counts the recall of the {esc(pos)} as much as that of the "
                               f"rest, would pick threshold {fair[0]['threshold']:g} ({shown(fair[0]['balanced'])}, "
                               f"against {shown(best['balanced'])} at {best['threshold']:g}).</p>"))
        return Choices([label(t) for t in spec.thresholds], label(best["threshold"]), why, reveal, before)
