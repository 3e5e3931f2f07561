"""The learning family's numbers for imbalanced classes, the ROC area and calibration.

Balanced accuracy, average precision, the false positive rate and the AUC counted as ranked pairs
(threshold-sweep, classifier-metrics); the exercise's `balanced`, `youden` and `cost` metrics; and the
calibration kind's reliability curve, Brier score and expected calibration error: each checked against
scikit-learn computed here directly, with false claims false and bad options located errors with a fix.
"""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest
from sklearn import metrics
from sklearn.calibration import calibration_curve
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from blocktest import quote, run, spec_of
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

EIGHTS = "dataset: digits\npositive: 8\n"


def split(load, positive: int):
    data = load()
    y = (data.target == positive).astype(int)
    return train_test_split(data.data, y, test_size=0.25, random_state=0, stratify=data.target)


def reference(load, positive: int, model=None):
    x_train, x_test, y_train, y_test = split(load, positive)
    model = model or make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    return y_test, model.fit(x_train, y_train).predict_proba(x_test)[:, 1]


@pytest.fixture(scope="module")
def eights_sweep():
    return run(None, "threshold-sweep", EIGHTS + "curves: [roc, precision-recall]")


def test_balanced_accuracy_and_the_baseline_equal_sklearn():
    spec, result, claims, out = run(None, "classifier-metrics", EIGHTS + "expect:\n  - balanced < accuracy\n"
                                                                         "  - balanced > accuracy")
    y, score = reference(load_digits, 8)
    pred = (score >= 0.5).astype(int)
    assert result["metrics"]["balanced"] == metrics.balanced_accuracy_score(y, pred)
    assert result["baseline"]["balanced"] == metrics.balanced_accuracy_score(y, np.zeros_like(y)) == 0.5
    assert [c.ok for c in claims] == [True, False]
    assert quote("classifier-metrics", spec, result, "balanced").text == f"{result['metrics']['balanced']:.4f}"
    assert quote("classifier-metrics", spec, result, "baseline_balanced").text == "0.5000"
    assert "Balanced accuracy" in out and "balanced_accuracy_score" in out


def test_the_auc_counted_as_ranked_pairs_equals_roc_auc_score(eights_sweep):
    spec, result, _, _ = eights_sweep
    y, score = reference(load_digits, 8)
    pos, neg = score[y == 1], score[y == 0]
    assert result["pairs"]["all"] == len(pos) * len(neg)
    share = quote("threshold-sweep", spec, result, "pairs", "share").number
    assert share == pytest.approx(metrics.roc_auc_score(y, score), abs=1e-12)
    assert result["ap"] == metrics.average_precision_score(y, score)
    fp, tn = result["grid"][50]["fp"], result["grid"][50]["tn"]
    assert quote("threshold-sweep", spec, result, "fpr", "0.5").number == fp / (fp + tn)
    assert quote("threshold-sweep", spec, result, "positive_share").number == y.mean()
    for t in (0.1, 0.5, 1.0):
        row = result["grid"][round(t * 100)]
        assert row["balanced"] == metrics.balanced_accuracy_score(y, (score >= t).astype(int))
    with pytest.raises(LexiconError, match="cannot count"):
        quote("threshold-sweep", spec, result, "pairs", "some")


def test_the_average_precision_is_stated_beside_its_chance_level(eights_sweep):
    _, result, _, out = eights_sweep
    assert f"{result['ap']:.4f}" in out and f"{result['test_positive'] / result['test']:.4f}" in out


@pytest.mark.parametrize("metric, extra, thresholds, answer", [
    ("balanced", "", [0.1, 0.5, 1], 0.1), ("youden", "", [0.1, 0.3, 0.7], 0.1),
    ("cost", "fn_cost: 5\n", [0.1, 0.3, 0.5], 0.1)])
def test_the_new_exercise_metrics_grade_what_sklearn_computes(metric, extra, thresholds, answer):
    src = EIGHTS + f"metric: {metric}\n{extra}thresholds: {thresholds}\nanswer: {answer}"
    spec, result, claims, out = run(None, "metric-exercise", src)
    y, score = reference(load_digits, 8)

    def truth(t):
        tn, fp, fn, tp = metrics.confusion_matrix(y, (score >= t).astype(int)).ravel()
        return {"balanced": metrics.balanced_accuracy_score(y, (score >= t).astype(int)),
                "youden": metrics.recall_score(y, score >= t) - fp / (fp + tn), "cost": 5 * fn + fp}[metric]
    graded = registry()["metric-exercise"].graded(spec, result)
    for t in thresholds:
        assert graded[f"threshold {t:g}"] == pytest.approx(truth(t), abs=1e-12)
    pick = min if metric == "cost" else max
    assert pick(thresholds, key=truth) == answer and claims[0].ok
    assert json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))["answer"] == \
        f"threshold {answer:g}"
    wrong = next(t for t in thresholds if t != answer)
    _, _, claims, _ = run(None, "metric-exercise", src.replace(f"answer: {answer}", f"answer: {wrong}"))
    assert not claims[0].ok


def test_a_cost_exercise_names_its_costs_and_refuses_costs_it_does_not_use():
    spec = spec_of("metric-exercise", "metric: cost\nfn_cost: 10\nthresholds: [0.05, 0.3]")
    assert "costs 10" in registry()["metric-exercise"].prompt(spec)
    with pytest.raises(LexiconError, match="fn_cost") as err:
        spec_of("metric-exercise", "metric: recall\nfn_cost: 10\nthresholds: [0.05, 0.3]")
    assert "metric: cost" in err.value.fix
    with pytest.raises(LexiconError, match="cost 0"):
        spec_of("metric-exercise", "metric: cost\nfn_cost: 0\nfp_cost: 0\nthresholds: [0.05, 0.3]")


# --- calibration -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def calibrated():
    return run(None, "calibration", registry()["calibration"].example)


def test_the_reliability_curve_and_brier_score_equal_sklearn(calibrated):
    spec, result, claims, out = calibrated
    for name, model in (("logistic-regression", None), ("naive-bayes", GaussianNB())):
        y, p = reference(load_breast_cancer, 0, model)
        share, mean = calibration_curve(y, p, n_bins=5, strategy="uniform")
        m = result["models"][name]
        assert m["share"] == share.tolist() and m["mean"] == mean.tolist()
        assert m["brier"] == metrics.brier_score_loss(y, p) and m["auc"] == metrics.roc_auc_score(y, p)
        assert sum(m["counts"]) == len(y) and len(m["counts"]) == len(mean)
        # each bin's count and share agree: its positives are a whole number
        for s, c in zip(m["share"], m["counts"]):
            assert abs(s * c - round(s * c)) < 1e-9
        ece = sum(c * abs(s - q) for s, q, c in zip(share, mean, m["counts"])) / len(y)
        assert quote("calibration", spec, result, "ece", name).number == pytest.approx(ece, abs=1e-12)
    assert all(c.ok for c in claims)
    assert out.count("data-figure=") == 1 and "calibration_curve" in out and "Brier score" in out


def test_calibration_claims_and_values_name_the_fix(calibrated):
    spec, result, _, _ = calibrated
    _, _, claims, _ = run(None, "calibration", "expect:\n  - brier(logistic-regression) > brier(naive-bayes)")
    assert not claims[0].ok and "Brier score of logistic-regression" in claims[0].statement
    with pytest.raises(LexiconError, match="not one of the block's models"):
        spec_of("calibration", "models: [naive-bayes]\nexpect:\n  - brier(logistic-regression) < 0.1")
    with pytest.raises(LexiconError, match="does not compute") as err:
        spec_of("calibration", "expect:\n  - logloss(naive-bayes) < 0.1")
    assert "brier" in err.value.fix
    with pytest.raises(LexiconError, match="models"):
        spec_of("calibration", "models: [random-forest]")
    with pytest.raises(LexiconError, match="no bin value"):
        quote("calibration", spec, result, "bin", "naive-bayes", "9", "mean")
    assert quote("calibration", spec, result, "bin", "naive-bayes", "1", "count").number == \
        result["models"]["naive-bayes"]["counts"][0]
