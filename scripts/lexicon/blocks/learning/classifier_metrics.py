"""The classifier-metrics kind: a classifier's confusion matrix and metrics on a held-out test split."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, percent
from ._claims import COUNTS, check_all, parse
from ._data import NOTE, SPLIT_OPTIONS, SAMPLES, at_threshold, class_label, fitted, positive_class
from ._figures import METRIC_NAMES, confusion_alt, confusion_figure, confusion_table, shown

class ClassifierMetrics(Kind):
    """A classifier's confusion matrix on a held-out test split, and the accuracy, precision, recall, F1
    and class balance read from it, each computed by `sklearn.metrics`.

    The dataset (one of scikit-learn's bundled ones; nothing is downloaded) is split with
    `train_test_split` (`test_size`, `seed`, stratified by class). A pipeline of `StandardScaler` and
    `LogisticRegression(max_iter=5000)` learns on the training split to tell the `positive` class from
    the rest (for `breast_cancer` the default is `malignant`, class 0 in scikit-learn; for a
    multi-class dataset name one: one class against the rest). A test sample is predicted positive
    when the model's probability of positive is at least `threshold`. The heatmap shows the confusion
    matrix (actual class in rows, positive first), a table the metrics with the counts they come from,
    and another the class balance; the baseline is the accuracy of always predicting the training
    split's majority class (`DummyClassifier`), beside its balanced accuracy (`balanced_accuracy_score`,
    the mean of the two classes' recalls), which a majority vote cannot lift above 0.5. With
    `class_weight: balanced` the model weights each class inversely to its frequency in training. Precision or F1 with no positive prediction is
    undefined and shown as such.
    """

    example = "dataset: breast_cancer\nthreshold: 0.5\nexpect:\n  - accuracy > baseline"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        **SPLIT_OPTIONS,
        class_weight=opt.choice("`balanced` weights each class in training inversely to its frequency "
                                "(`LogisticRegression(class_weight='balanced')`), a remedy for a rare class; `none` "
                                "weights every sample alike.", ["none", "balanced"], default="none"),
        threshold=opt.number("A test sample is predicted positive when its probability of positive is at least "
                             "this.", default=0.5, min=0, max=1),
        expect=opt.claims("[Claims](#claims): `precision > recall`, `accuracy > baseline`, `recall > 0.9` (or "
                          "`> 90%`), `fn = 3`, `balanced < accuracy`. Names: accuracy, balanced, precision, recall, f1, specificity, baseline, "
                          "tp, fp, fn, tn."),
        caption=opt.caption("“The confusion matrix of the … test samples at threshold …”"),
        figure=opt.show_figure("Show the heatmap (the matrix's table is then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.positive = positive_class(spec.dataset, spec.positive)
        spec.parsed = [parse(t) for t in spec.expect]

    def anchor_hint(self, spec):
        weighted = " balanced" if spec.class_weight == "balanced" else ""
        return f"{spec.dataset} {spec.positive} {spec.threshold:g}{weighted}"

    def compute(self, kv, spec):
        from sklearn.metrics import roc_auc_score

        weight = None if spec.class_weight == "none" else spec.class_weight
        fit = fitted(spec.dataset, spec.positive, spec.test_size, spec.seed, weight)
        return {**{k: v for k, v in fit.items() if k not in ("y", "score")},
                "metrics": at_threshold(fit["y"], fit["score"], spec.threshold),
                "auc": float(roc_auc_score(fit["y"], fit["score"]))}

    def claims(self, spec, result, check):
        check_all(spec.parsed, lambda name, t: _lookup(result, name), check)

    # --- values for prose -----------------------------------------------------------------------------
    def _rate(self, result, name):
        v = _lookup(result, name)
        if v is None:
            raise LexiconError(f"{name} is undefined here: no test sample is predicted positive",
                               fix="quote another value, or lower the threshold")
        return Value(shown(v), v)

    @value("The accuracy on the test split: the share of its samples classified correctly (`0.9580`).")
    def accuracy(self, spec, result):
        return self._rate(result, "accuracy")

    @value("The precision: of the samples predicted positive, the share that are positive.")
    def precision(self, spec, result):
        return self._rate(result, "precision")

    @value("The recall (true positive rate): of the positive samples, the share predicted positive.")
    def recall(self, spec, result):
        return self._rate(result, "recall")

    @value("The F1 score: the harmonic mean of precision and recall.")
    def f1(self, spec, result):
        return self._rate(result, "f1")

    @value("The ordinary (arithmetic) mean of precision and recall, to set beside F1, their harmonic mean.")
    def precision_recall_mean(self, spec, result):
        p, r = _lookup(result, "precision"), _lookup(result, "recall")
        if p is None or r is None:
            raise LexiconError("precision is undefined here: no test sample is predicted positive",
                               fix="quote another value, or lower the threshold")
        return Value(shown((p + r) / 2), (p + r) / 2)

    @value("The balanced accuracy: the mean of the recalls of the two classes, (recall + specificity) / 2.")
    def balanced(self, spec, result):
        return self._rate(result, "balanced")

    @value("The balanced accuracy of always predicting the training split's majority class (0.5000).")
    def baseline_balanced(self, spec, result):
        v = result["baseline"]["balanced"]
        return Value(shown(v), v)

    @value("The specificity: of the negative samples, the share predicted negative.")
    def specificity(self, spec, result):
        return self._rate(result, "specificity")

    @value("The accuracy of always predicting the training split's majority class, on the test split.")
    def baseline(self, spec, result):
        return self._rate(result, "baseline")

    @value("The area under the ROC curve of the model's scores (`roc_auc_score`): how well it ranks, at any "
           "threshold.")
    def auc(self, spec, result):
        return Value(shown(result["auc"]), result["auc"])

    @value("A count: `count(tp)`, and likewise `fp`, `fn`, `tn`, `samples`, `features`, `train`, `test`, and the "
           "test split's `positives`, `negatives`, `predicted_positive`, `predicted_negative`, `correct` (TP + TN) and "
           "`wrong` (FP + FN).")
    def count(self, spec, result, what):
        m, what = result["metrics"], str(what).strip()
        counts = {**{k: m[k] for k in COUNTS}, "samples": result["samples"], "features": result["features"],
                  "train": result["train"], "test": result["test"], "positives": result["test_positive"],
                  "negatives": result["test"] - result["test_positive"], "predicted_positive": m["tp"] + m["fp"],
                  "predicted_negative": m["tn"] + m["fn"],
                  "correct": m["tp"] + m["tn"], "wrong": m["fp"] + m["fn"]}
        if what not in counts:
            raise LexiconError(f"cannot count '{what}'", fix="name one of: " + ", ".join(counts))
        return Value(f"{counts[what]:,}", counts[what])

    @value("How many samples of the whole dataset belong to a class: `class_count(malignant)`.")
    def class_count(self, spec, result, name):
        if str(name).strip() not in result["classes"]:
            raise LexiconError(f"the {spec.dataset} data has no class '{name}'",
                               fix="name one of: " + ", ".join(result["classes"]))
        n = result["class_counts"][result["classes"].index(str(name).strip())]
        return Value(f"{n:,}", n)

    @value("The share of the test split that is positive, as the class-balance table shows it (`37.1%`).")
    def positive_share(self, spec, result):
        s = result["test_positive"] / result["test"]
        return Value(percent(s), s)

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        m, pos = result["metrics"], class_label(spec.dataset, spec.positive)
        neg = "rest" if len(result["classes"]) > 2 else next(c for c in result["classes"] if c != spec.positive)
        tp, fp, fn, tn, n = m["tp"], m["fp"], m["fn"], m["tn"], result["test"]
        what = SAMPLES.get(spec.dataset, "samples")
        formulas = {"accuracy": f"({tp} + {tn}) / {n}", "precision": f"{tp} / ({tp} + {fp})",
                    "recall": f"{tp} / ({tp} + {fn})", "f1": "2 × precision × recall / (precision + recall)",
                    "specificity": f"{tn} / ({tn} + {fp})"}
        funcs = {"accuracy": "accuracy_score", "precision": "precision_score", "recall": "recall_score",
                 "f1": "f1_score", "specificity": "recall_score(pos_label=0)"}
        rows = [[METRIC_NAMES[k], shown(m[k]), formulas[k], funcs[k]] for k in METRIC_NAMES]
        rows.append(["Balanced accuracy", shown(m["balanced"]), f"({shown(m['recall'])} + {shown(m['specificity'])}) / 2",
                     "balanced_accuracy_score"])
        b = result["baseline"]
        majority = pos if b["predicts"] == "positive" else neg
        rows.append(["Baseline accuracy", shown(b["accuracy"]), f"always predict {majority}", "DummyClassifier"])
        rows.append(["Baseline balanced accuracy", shown(b["balanced"]), f"always predict {majority}",
                     "balanced_accuracy_score"])
        balance = [[class_label(spec.dataset, c) + (" (positive)" if c == spec.positive else "")] + [f"{result[k][i]:,}" for k in
                                                                   ("class_counts", "train_counts", "test_counts")]
                   for i, c in enumerate(result["classes"])]
        test_pos = result["test_positive"]
        intro = Html(f"<p>{result['samples']:,} {what} with {result['features']} features each; "
                     f"{result['train']:,} train the model and {n:,} are held out to test it "
                     f"({test_pos:,} of them {esc(pos)}, {percent(test_pos / n)}). A test sample is predicted "
                     f"{esc(pos)} when the model gives it a probability of at least {m['threshold']:g}"
                     + (", the classes weighted inversely to their frequency in training"
                        if spec.class_weight == "balanced" else "") + ".</p>")
        code = (f"from sklearn.datasets import load_{spec.dataset}\n"
                "from sklearn.dummy import DummyClassifier\n"
                "from sklearn.linear_model import LogisticRegression\n"
                "from sklearn.metrics import (accuracy_score, balanced_accuracy_score, confusion_matrix,\n"
                "                             f1_score, precision_score, recall_score)\n"
                "from sklearn.model_selection import train_test_split\n"
                "from sklearn.pipeline import make_pipeline\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                f"data = load_{spec.dataset}()\n"
                f"positive = [str(name) for name in data.target_names].index({spec.positive!r})\n"
                "y = (data.target == positive).astype(int)  # 1 = positive, 0 = the rest\n"
                "x_train, x_test, y_train, y_test = train_test_split(\n"
                f"    data.data, y, test_size={spec.test_size:g}, random_state={spec.seed}, stratify=data.target)\n"
                "model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000"
                + (f", class_weight={spec.class_weight!r}" if spec.class_weight != "none" else "") + "))\n"
                "model.fit(x_train, y_train)\n"
                f"y_pred = (model.predict_proba(x_test)[:, 1] >= {m['threshold']:g}).astype(int)\n"
                "tn, fp, fn, tp = confusion_matrix(y_test, y_pred).ravel()  # rows: actual 0, 1\n"
                "accuracy_score(y_test, y_pred), precision_score(y_test, y_pred)\n"
                "recall_score(y_test, y_pred), f1_score(y_test, y_pred)\n"
                "balanced_accuracy_score(y_test, y_pred)\n"
                "# the baseline: always predict the training split's majority class\n"
                "y_base = DummyClassifier(strategy=\"most_frequent\").fit(x_train, y_train).predict(x_test)\n"
                "accuracy_score(y_test, y_base), balanced_accuracy_score(y_test, y_base)\n")
        return [
            intro,
            Figure(lambda: confusion_figure(m, pos, neg), alt=confusion_alt(m, pos, neg, n), caption=spec.caption,
                   table=confusion_table(m, pos, neg), height=300, anchor="confusion",
                   default_caption=f"The confusion matrix of the {n:,} test {what} at threshold "
                                   f"{m['threshold']:g}: actual class in rows, predicted class in columns."),
            Table(["Metric", "Value", "From the counts", "sklearn.metrics"], rows, numeric=(1,)),
            Table(["Class", "All samples", "Training split", "Test split"], balance, numeric=(1, 2, 3)),
            Code(code, "The scikit-learn calls behind these numbers"),
        ]


def _lookup(result, name: str):
    if name == "baseline":
        return result["baseline"]["accuracy"]
    return result["metrics"][name]
