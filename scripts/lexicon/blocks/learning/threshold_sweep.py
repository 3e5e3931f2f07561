"""The threshold-sweep kind: precision, recall and F1 against the decision threshold, and the ROC curve or the
precision–recall curve."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._claims import COUNTS, check_all, parse, thresholds
from ._data import (NOTE, SPLIT_OPTIONS, SAMPLES, at_threshold, class_label, fitted, positive_class,
                    ranked_pairs)
from ._figures import pr_figure, roc_figure, shown, sweep_figure, threshold_text

STEPS = 100                       # thresholds 0, 0.01, …, 1
GRID = [i / STEPS for i in range(STEPS + 1)]
MARKS_SCHEMA = {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1}, "maxItems": 6,
                "uniqueItems": True}
CURVES = ("roc", "precision-recall")
CURVES_SCHEMA = {"type": "array", "items": {"enum": list(CURVES)}, "uniqueItems": True}


def grid_index(t, where: str) -> int:
    """The grid position of a threshold; thresholds are read on the grid of hundredths."""
    try:
        x = float(str(t).strip())
    except ValueError:
        x = None
    if x is None or not 0 <= x <= 1 or abs(x * STEPS - round(x * STEPS)) > 1e-9:
        raise LexiconError(f"{where} names the threshold '{t}', which is not on the sweep's grid",
                           fix="name a threshold from 0 to 1 in steps of 0.01, e.g. 0.3")
    return round(x * STEPS)


class ThresholdSweep(Kind):
    """Precision, recall and F1 against the decision threshold, and the ROC curve with its AUC, for a
    classifier on a held-out test split (`sklearn.metrics`).

    The data, split and model are those of `classifier-metrics`: a `StandardScaler` and
    `LogisticRegression` pipeline fitted on a seeded, stratified training split to tell the `positive`
    class from the rest. The test split is then classified at every threshold from 0 to 1 in steps of
    0.01 (positive when the model's probability is at least the threshold), and precision, recall and
    F1 are drawn against it; precision with no positive prediction is undefined and left as a gap.
    Under it, the `curves` named: the ROC curve (`roc`: `roc_curve`, true positive rate against false
    positive rate as the threshold falls, with its area `roc_auc_score`) and the precision–recall
    curve (`precision-recall`: `precision_recall_curve`, one point per threshold of the model's
    scores), each marking the thresholds under `marks`. Values and claims read the numbers at any
    threshold of the grid. The AUC is also counted by hand as the share of (positive, negative) test
    pairs the model orders rightly (`pairs(share)`), and the average precision
    (`average_precision_score`) summarises the precision–recall curve (`ap`).
    """

    example = ("dataset: breast_cancer\nmarks: [0.3, 0.5, 0.7]\nexpect:\n  - recall(0.3) > recall(0.7)\n"
               "  - auc > 0.95")
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        **SPLIT_OPTIONS,
        marks=opt.raw("Thresholds marked on both figures and listed in the table (0 to 1, in steps of 0.01).",
                      MARKS_SCHEMA, "list of up to 6 numbers", default=[0.5], display=True, convert=list),
        expect=opt.claims("[Claims](#claims): `recall(0.3) > recall(0.7)`, `precision(0.7) > 0.9`, `auc > 0.95`, "
                          "`fn(0.5) = 3`. Names as in `classifier-metrics`, each with a threshold; and `auc`."),
        caption=opt.caption("“Precision, recall and F1 of the … test samples at every threshold …”"),
        curves=opt.raw("The curves drawn under the sweep: `roc` (the ROC curve and its AUC) and `precision-recall` "
                       "(precision against recall); `[]` for none.", CURVES_SCHEMA, "list of curves",
                       default=["roc"], convert=list),
        figure=opt.show_figure("Show the figures (their numbers are then folded under them)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.positive = positive_class(spec.dataset, spec.positive)
        spec.parsed = [parse(t, sweep=True) for t in spec.expect]
        for t in thresholds(spec.parsed):
            grid_index(t, "a claim")
        for t in spec.marks:
            grid_index(t, "'marks'")

    def anchor_hint(self, spec):
        return f"sweep {spec.dataset} {spec.positive}"

    def compute(self, kv, spec):
        import numpy as np
        from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve

        fit = fitted(spec.dataset, spec.positive, spec.test_size, spec.seed)
        fpr, tpr, thresholds = roc_curve(fit["y"], fit["score"])
        # precision_recall_curve ends on (recall 0, precision 1), a point with no threshold: left out
        precision, recall, pr_thresholds = precision_recall_curve(fit["y"], fit["score"], drop_intermediate=True)
        return {"classes": fit["classes"], "test": fit["test"], "test_positive": fit["test_positive"],
                "baseline": fit["baseline"],
                "grid": [at_threshold(fit["y"], fit["score"], t) for t in GRID],
                # roc_curve's first threshold is +inf (nothing predicted positive): kept as None in JSON
                "roc": {"fpr": fpr.tolist(), "tpr": tpr.tolist(),
                        "thresholds": [None if t == float("inf") else float(t) for t in thresholds]},
                "pr": {"precision": precision[:-1].tolist(), "recall": recall[:-1].tolist(),
                       "thresholds": pr_thresholds.tolist()},
                "auc": float(roc_auc_score(fit["y"], fit["score"])),
                "ap": float(average_precision_score(fit["y"], fit["score"])),
                "pairs": ranked_pairs(np.asarray(fit["y"]), np.asarray(fit["score"]))}

    def claims(self, spec, result, check):
        def lookup(name, t):
            if name == "auc":
                return result["auc"]
            if name == "baseline":
                return result["baseline"]["accuracy"]
            return result["grid"][grid_index(t, "a claim")][name]
        check_all(spec.parsed, lookup, check)

    # --- values for prose -----------------------------------------------------------------------------
    def _at(self, result, name, t):
        v = result["grid"][grid_index(t, "the value")][name]
        if v is None:
            raise LexiconError(f"{name} is undefined at threshold {t}: no test sample is predicted positive there",
                               fix="quote it at a lower threshold")
        return Value(f"{v:,}" if name in COUNTS else shown(v), v)

    @value("The precision at a threshold of the grid: `precision(0.7)`.")
    def precision(self, spec, result, t):
        return self._at(result, "precision", t)

    @value("The recall at a threshold of the grid: `recall(0.3)`.")
    def recall(self, spec, result, t):
        return self._at(result, "recall", t)

    @value("The F1 score at a threshold of the grid: `f1(0.5)`.")
    def f1(self, spec, result, t):
        return self._at(result, "f1", t)

    @value("The accuracy at a threshold of the grid: `accuracy(0.5)`.")
    def accuracy(self, spec, result, t):
        return self._at(result, "accuracy", t)

    @value("A count of the confusion matrix at a threshold: `count(fn, 0.5)` (tp, fp, fn or tn).")
    def count(self, spec, result, name, t):
        if str(name).strip() not in COUNTS:
            raise LexiconError(f"'{name}' is not a count of the confusion matrix", fix="name tp, fp, fn or tn")
        return self._at(result, str(name).strip(), t)

    @value("The k-th threshold under `marks` (1 = the first listed), as prose writes it: `mark(2)`.")
    def mark(self, spec, result, k):
        if not str(k).strip().isdigit() or not 1 <= int(k) <= len(spec.marks):
            raise LexiconError(f"there is no mark '{k}'", fix=f"name 1 to {len(spec.marks)} ('marks' lists them)")
        t = spec.marks[int(k) - 1]
        return Value(f"{t:g}", t)

    @value("The balanced accuracy at a threshold of the grid, (recall + specificity) / 2: `balanced(0.5)`.")
    def balanced(self, spec, result, t):
        return self._at(result, "balanced", t)

    @value("The false positive rate at a threshold of the grid, FP / (FP + TN), the ROC curve's x: `fpr(0.5)`.")
    def fpr(self, spec, result, t):
        g = result["grid"][grid_index(t, "the value")]
        v = g["fp"] / (g["fp"] + g["tn"])
        return Value(fmt(v), v)

    @value("The average precision (`average_precision_score`): the precision–recall curve summed as one number.")
    def ap(self, spec, result):
        return Value(fmt(result["ap"]), result["ap"])

    @value("The share of the test split that is positive: the average precision of a random guess.")
    def positive_share(self, spec, result):
        v = result["test_positive"] / result["test"]
        return Value(fmt(v), v)

    @value("The (positive, negative) pairs of test samples: `pairs(all)`, `pairs(ordered)` (the positive scored "
           "higher), `pairs(tied)`, `pairs(share)` (ordered + half the tied, over all: equal to the AUC).")
    def pairs(self, spec, result, what):
        p, what = result["pairs"], str(what).strip()
        if what == "share":
            v = (p["ordered"] + p["tied"] / 2) / p["all"]
            return Value(fmt(v), v)
        if what not in p:
            raise LexiconError(f"cannot count '{what}' pairs", fix="name all, ordered, tied or share")
        return Value(f"{p[what]:,}", p[what])

    @value("The threshold of the grid with the lowest total cost, `fn_cost` × FN + `fp_cost` × FP: "
           "`cheapest(10, 1)`. A tie for the lowest cost is refused.")
    def cheapest(self, spec, result, fn_cost, fp_cost):
        try:
            c_fn, c_fp = float(str(fn_cost).strip()), float(str(fp_cost).strip())
        except ValueError:
            c_fn = c_fp = -1.0
        if c_fn < 0 or c_fp < 0 or c_fn == c_fp == 0:
            raise LexiconError(f"cheapest({fn_cost}, {fp_cost}) needs two costs of 0 or more, not both 0",
                               fix="write e.g. cheapest(10, 1): the cost of a false negative, then of a false positive")
        costs = [c_fn * g["fn"] + c_fp * g["fp"] for g in result["grid"]]
        low = min(costs)
        best = [GRID[i] for i, c in enumerate(costs) if c == low]
        if len(best) > 1:
            raise LexiconError(f"cheapest({fn_cost}, {fp_cost}) is a tie: thresholds "
                               + ", ".join(f"{t:g}" for t in best) + f" all cost {low:g}",
                               fix="quote other costs, or the cost at a threshold instead")
        return Value(f"{best[0]:g}", best[0])

    @value("How many negatives the test split holds for each positive, to one decimal: `per_positive`.")
    def per_positive(self, spec, result):
        v = (result["test"] - result["test_positive"]) / result["test_positive"]
        return Value(f"{v:.1f}", v)

    @value("The area under the ROC curve (`roc_auc_score`), from 0.5 for a random guess to 1.")
    def auc(self, spec, result):
        return Value(fmt(result["auc"]), result["auc"])

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        pos, grid, n = class_label(spec.dataset, spec.positive), result["grid"], result["test"]
        what = SAMPLES.get(spec.dataset, "samples")
        marks = sorted(spec.marks)
        rows = {k: [g[k] for g in grid] for k in ("precision", "recall", "f1")}
        listed = sorted({i * 5 for i in range(STEPS // 5 + 1)} | {grid_index(t, "'marks'") for t in marks})
        table = Table(["Threshold", "TP", "FP", "FN", "TN", "Precision", "Recall", "F1"],
                      [[f"{GRID[i]:.2f}", *(f"{grid[i][k]:,}" for k in COUNTS),
                        *(shown(grid[i][k]) for k in ("precision", "recall", "f1"))] for i in listed],
                      numeric=tuple(range(8)))

        def said(t):
            g = grid[grid_index(t, "'marks'")]
            return (f"at {t:g}, precision {shown(g['precision'])}, recall {shown(g['recall'])}, "
                    f"F1 {shown(g['f1'])}")
        alt = (f"Line chart of precision, recall and F1 of the {n:,} test {what} against the decision threshold "
               f"from 0 to 1: " + "; ".join(said(t) for t in (0.1, 0.3, 0.5, 0.7, 0.9)) + ".")
        intro = (f"<p>The {n:,} test {what} ({result['test_positive']:,} of them {esc(pos)}, the positive class) "
                 "classified at every threshold from 0 to 1.")
        if "roc" in spec.curves:
            intro += f" The area under the ROC curve is <strong>{fmt(result['auc'])}</strong>."
        if "precision-recall" in spec.curves:
            intro += (f" The average precision is <strong>{fmt(result['ap'])}</strong>, against "
                      f"{fmt(result['test_positive'] / n)} (the share of positives) for a random guess.")
        pieces = [Html(intro + "</p>"),
                  Figure(lambda: sweep_figure(GRID, rows, marks), alt=alt, caption=spec.caption, table=table,
                         height=360, anchor="sweep",
                         default_caption=f"Precision, recall and F1 of the {n:,} test {what} at every threshold; "
                                         "dotted verticals: the marked thresholds. Precision is undefined where "
                                         "nothing is predicted positive.")]
        for curve in spec.curves:
            pieces.append((_roc if curve == "roc" else _pr)(result, [grid[grid_index(t, "'marks'")] for t in marks]))
        imports = ", ".join(["f1_score", "precision_score", "recall_score"]
                            + (["roc_auc_score", "roc_curve"] if "roc" in spec.curves else [])
                            + (["precision_recall_curve"] if "precision-recall" in spec.curves else []))
        code = (f"# data, split and model as in classifier-metrics: y_test (1 = {pos}), model\n"
                f"from sklearn.metrics import ({imports})\n\n"
                "score = model.predict_proba(x_test)[:, 1]\n"
                "for t in [i / 100 for i in range(101)]:\n"
                "    y_pred = (score >= t).astype(int)\n"
                "    precision_score(y_test, y_pred)  # nothing predicted positive: the block says undefined\n"
                "    recall_score(y_test, y_pred), f1_score(y_test, y_pred)\n"
                + ("fpr, tpr, thresholds = roc_curve(y_test, score)\nroc_auc_score(y_test, score)\n"
                   if "roc" in spec.curves else "")
                + ("precision, recall, thresholds = precision_recall_curve(y_test, score, drop_intermediate=True)\n"
                   if "precision-recall" in spec.curves else ""))
        return pieces + [Code(code, "The scikit-learn calls behind these numbers")]


def _roc(result: dict, marked: list[dict]) -> Figure:
    """The ROC curve with its table; a threshold is never printed as a value it is not (``threshold_text``)."""
    roc, auc = result["roc"], result["auc"]
    points = [(g["threshold"], g["fp"] / (g["fp"] + g["tn"]), g["recall"]) for g in marked]
    alt = (f"The ROC curve of the classifier on the test split: the true positive rate against the false positive "
           f"rate as the threshold falls from 1 to 0; the area under it (AUC) is {fmt(auc)}, against 0.5 for a "
           "random guess." + "".join(f" Threshold {t:g}: false positive rate {fmt(x)}, true positive rate {fmt(y)}."
                                     for t, x, y in points))
    table = Table(["Threshold", "False positive rate", "True positive rate"],
                  [[threshold_text(t), fmt(x), fmt(y)] for t, x, y in zip(roc["thresholds"], roc["fpr"], roc["tpr"])],
                  numeric=(1, 2))
    return Figure(lambda: roc_figure(roc["fpr"], roc["tpr"], auc, points), alt=alt, table=table, height=420,
                  anchor="roc", always=True, default_caption=f"The ROC curve (AUC {fmt(auc)}); dashed: a random guess.")


def _pr(result: dict, marked: list[dict]) -> Figure:
    """The precision–recall curve with its table (``precision_recall_curve``, one row per kept threshold)."""
    pr = result["pr"]
    points = [(g["threshold"], g["recall"], g["precision"]) for g in marked if g["precision"] is not None]
    alt = ("The precision–recall curve of the classifier on the test split: precision against recall, one point "
           "for each threshold of the model's scores; recall rises as the threshold falls."
           + "".join(f" Threshold {t:g}: recall {fmt(x)}, precision {fmt(y)}." for t, x, y in points))
    table = Table(["Threshold", "Recall", "Precision"],
                  [[threshold_text(t), fmt(r), fmt(p)] for t, r, p in zip(pr["thresholds"], pr["recall"],
                                                                           pr["precision"])], numeric=(1, 2))
    return Figure(lambda: pr_figure(pr["recall"], pr["precision"], points), alt=alt, table=table, height=420,
                  anchor="pr", always=True,
                  default_caption="The precision–recall curve: each point a threshold of the model's scores; "
                                  "squares: the marked thresholds.")
