"""The learning family's values added after review (found-a): the cheapest threshold and the negatives per
positive of threshold-sweep, the exercise's cost-minimising cut, classifier-metrics' class weighting, its AUC
and its right/wrong counts, and the calibration kind's log loss, errors at one half, ranked pairs and bin
positives. Each is checked against scikit-learn or numpy computed here directly; bad arguments and ties are
refused with a fix.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pytest
from sklearn import metrics
from sklearn.datasets import load_breast_cancer, load_digits, load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from blocktest import quote, run
from lexicon.errors import LexiconError


def reference(load, positive: int, model=None):
    data = load()
    y = (data.target == positive).astype(int)
    x_train, x_test, y_train, y_test = train_test_split(data.data, y, test_size=0.25, random_state=0,
                                                        stratify=data.target)
    model = model or make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    return y_test, model.fit(x_train, y_train).predict_proba(x_test)[:, 1]


def test_the_cheapest_threshold_and_the_negatives_per_positive_equal_numpy():
    spec, result, _, _ = run(None, "threshold-sweep", "curves: []")
    y, score = reference(load_breast_cancer, 0)
    grid = np.arange(101) / 100
    cost = [10 * ((score < t) & (y == 1)).sum() + ((score >= t) & (y == 0)).sum() for t in grid]
    assert quote("threshold-sweep", spec, result, "cheapest", "10", "1").number == grid[int(np.argmin(cost))]
    assert sorted(cost).count(min(cost)) == 1
    v = quote("threshold-sweep", spec, result, "per_positive")
    assert v.number == (y == 0).sum() / (y == 1).sum() and v.text == f"{v.number:.1f}"
    spec, result, _, _ = run(None, "threshold-sweep", "dataset: digits\npositive: 8\ncurves: []")
    with pytest.raises(LexiconError, match="is a tie") as err:       # 0.42 and 0.43 make 20 mistakes each
        quote("threshold-sweep", spec, result, "cheapest", "1", "1")
    assert "other costs" in err.value.fix
    for bad in (("-1", "1"), ("0", "0"), ("ten", "1")):
        with pytest.raises(LexiconError, match="needs two costs"):
            quote("threshold-sweep", spec, result, "cheapest", *bad)


def test_the_cost_cut_is_the_false_positive_cost_over_both():
    spec, result, _, _ = run(None, "metric-exercise", "metric: cost\nfn_cost: 10\nthresholds: [0.05, 0.3]")
    v = quote("metric-exercise", spec, result, "cost_cut")
    assert v.number == 1 / 11 and v.text == "0.0909"
    spec, result, _, _ = run(None, "metric-exercise", "metric: recall\nthresholds: [0.2, 0.5]")
    with pytest.raises(LexiconError, match="metric: cost"):
        quote("metric-exercise", spec, result, "cost_cut")


def test_class_weighting_the_auc_and_the_right_and_wrong_counts_equal_sklearn():
    for weight in ("none", "balanced"):
        spec, result, _, out = run(None, "classifier-metrics", f"dataset: digits\npositive: 8\nclass_weight: {weight}")
        model = make_pipeline(StandardScaler(), LogisticRegression(
            max_iter=5000, class_weight=None if weight == "none" else weight))
        y, score = reference(load_digits, 8, model)
        tn, fp, fn, tp = metrics.confusion_matrix(y, (score >= 0.5).astype(int)).ravel()
        m = result["metrics"]
        assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (tp, fp, fn, tn)
        assert quote("classifier-metrics", spec, result, "auc").number == metrics.roc_auc_score(y, score)
        assert quote("classifier-metrics", spec, result, "count", "correct").number == tp + tn
        assert quote("classifier-metrics", spec, result, "count", "wrong").number == fp + fn
        code = re.sub(r"<[^>]+>", "", html.unescape(out))                 # the code, without its highlighting
        assert ("class_weight='balanced'" in code) == ("weighted inversely" in out) == (weight == "balanced")
    with pytest.raises(LexiconError, match="class_weight"):
        run(None, "classifier-metrics", "dataset: digits\npositive: 8\nclass_weight: heavy")
    spec, result, _, _ = run(None, "classifier-metrics", "dataset: iris\npositive: virginica")
    y, score = reference(load_iris, 2)
    assert quote("classifier-metrics", spec, result, "count", "correct").number == ((score >= 0.5) == y).sum()


def test_the_calibration_log_loss_errors_pairs_and_bin_positives_equal_sklearn():
    spec, result, _, out = run(None, "calibration", "models: [logistic-regression, naive-bayes]\nbins: 5")
    for name, model in (("logistic-regression", None), ("naive-bayes", GaussianNB())):
        y, p = reference(load_breast_cancer, 0, model)
        assert quote("calibration", spec, result, "log_loss", name).number == metrics.log_loss(y, p)
        assert quote("calibration", spec, result, "errors", name).number == ((p >= 0.5) != y).sum()
        diff = p[y == 1][:, None] - p[y == 0][None, :]
        assert quote("calibration", spec, result, "pairs", name, "misordered").number == (diff < 0).sum()
        assert quote("calibration", spec, result, "pairs", name, "tied").number == (diff == 0).sum()
        assert quote("calibration", spec, result, "pairs", name, "all").number == diff.size
        which = np.minimum((p * 5).astype(int), 4)                 # the bin of each probability, 5 equal bins
        used = np.unique(which)
        for k, b in enumerate(used, start=1):
            pos = quote("calibration", spec, result, "bin", name, str(k), "positives").number
            neg = quote("calibration", spec, result, "bin", name, str(k), "negatives").number
            assert (pos, neg) == (y[which == b].sum(), (which == b).sum() - y[which == b].sum())
        assert f"{metrics.log_loss(y, p):.4f}" in out
    with pytest.raises(LexiconError, match="cannot count"):
        quote("calibration", spec, result, "pairs", "naive-bayes", "ordered")
    assert "Gaussian naive Bayes: mean predicted" in out                # not "Gaussian naive bayes"


def test_the_classifier_metrics_code_panel_runs_as_shown_and_gives_the_blocks_counts_and_baselines():
    """The panel runs for a class named by a string (malignant), by a number (the digit 8: `target_names` is an
    integer array there) and one class of three (virginica), and its counts and baselines are the block's."""
    import json

    from blocktest import spec_of
    from lexicon.engine.registry import registry
    from lexicon.engine.pieces import Code

    kind = registry()["classifier-metrics"]
    for source in ("dataset: breast_cancer", "dataset: digits\npositive: 8", "dataset: iris\npositive: virginica"):
        spec = spec_of("classifier-metrics", source)
        result = json.loads(json.dumps(kind.compute(None, spec)))
        code = next(p for p in kind.render(spec, result, None) if isinstance(p, Code)).source
        scope: dict = {}
        exec(code, scope)     # noqa: S102 - the panel's own text
        m = result["metrics"]
        assert tuple(int(scope[k]) for k in ("tp", "fp", "fn", "tn")) == (m["tp"], m["fp"], m["fn"], m["tn"])
        y_test, y_base = scope["y_test"], scope["y_base"]
        assert metrics.accuracy_score(y_test, y_base) == result["baseline"]["accuracy"]
        assert metrics.balanced_accuracy_score(y_test, y_base) == result["baseline"]["balanced"] == 0.5


def test_the_accuracy_exercise_says_when_balanced_accuracy_would_pick_another_threshold():
    spec, result, _, out = run(None, "metric-exercise", "dataset: digits\npositive: 8\nmetric: accuracy\n"
                                                         "thresholds: [0.1, 0.3, 0.7]")
    y, score = reference(load_digits, 8)
    ba = {t: metrics.balanced_accuracy_score(y, (score >= t).astype(int)) for t in (0.1, 0.3, 0.7)}
    acc = {t: metrics.accuracy_score(y, (score >= t).astype(int)) for t in (0.1, 0.3, 0.7)}
    fair, best = max(ba, key=ba.get), max(acc, key=acc.get)
    assert fair != best
    assert f"would pick threshold {fair:g} ({ba[fair]:.4f}, against {ba[best]:.4f} at {best:g})" in out
    assert "Youden" in out
    _, _, _, out = run(None, "metric-exercise", "dataset: digits\npositive: 8\nmetric: recall\nthresholds: [0.1, 0.3, 0.7]")
    assert "would pick threshold" not in out
