"""The learning family: classifier-metrics, threshold-sweep and metric-exercise.

Every number is checked against scikit-learn computed here directly (its own split, pipeline and
sklearn.metrics calls); false claims are false; unknown datasets, classes and thresholds outside
[0, 1] are located errors that name the fix; a tie is refused; the split is reproducible; and the
cache key follows scikit-learn's version. No embedding model is loaded: these tests need no `kv`.
"""

from __future__ import annotations

import html
import importlib.metadata
import json
import re

import numpy as np
import pytest
import sklearn
from sklearn import metrics
from sklearn.datasets import load_breast_cancer, load_digits, load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from blocktest import quote, run, spec_of
from lexicon.engine import deps
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

KINDS = ("classifier-metrics", "threshold-sweep", "metric-exercise")


def reference(load, positive: int, test_size=0.25, seed=0):
    """(y_test, probability of positive) from scikit-learn directly, as the kinds' docstrings state it."""
    data = load()
    y = (data.target == positive).astype(int)
    x_train, x_test, y_train, y_test = train_test_split(data.data, y, test_size=test_size, random_state=seed,
                                                        stratify=data.target)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)).fit(x_train, y_train)
    return y_test, model.predict_proba(x_test)[:, 1]


def sk_numbers(y, score, t):
    pred = (score >= t).astype(int)
    tn, fp, fn, tp = metrics.confusion_matrix(y, pred).ravel()
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "accuracy": metrics.accuracy_score(y, pred),
            "precision": metrics.precision_score(y, pred, zero_division=np.nan),
            "recall": metrics.recall_score(y, pred), "f1": metrics.f1_score(y, pred),
            "specificity": metrics.recall_score(y, pred, pos_label=0)}


def same(ours: dict, theirs: dict):
    for k, v in theirs.items():
        if isinstance(v, float) and np.isnan(v):
            assert ours[k] is None, k
        else:
            assert ours[k] == v, (k, ours[k], v)     # exactly: the kinds call the same functions


# --- the family -------------------------------------------------------------------------------------

def test_the_family_needs_no_model_and_keys_its_results_by_scikit_learns_version(monkeypatch):
    for name in KINDS:
        kind = registry()[name]
        assert kind.family == "learning" and not kind.needs_model and "scikit-learn" in kind.note
        key = deps.compute_code(type(kind))
        assert key.packages["scikit-learn"] == sklearn.__version__ and "gensim" not in key.packages
    # Another scikit-learn gives another cache key (and only scikit-learn's version is faked here).
    kind = type(registry()["classifier-metrics"])
    before = deps.compute_code(kind).sha256
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda dist: "0.0.1" if dist == "scikit-learn" else real(dist))
    deps._compute_code.cache_clear()
    try:
        after = deps.compute_code(kind)
        assert after.packages["scikit-learn"] == "0.0.1" and after.sha256 != before
    finally:
        monkeypatch.undo()
        deps._compute_code.cache_clear()
    assert deps.compute_code(kind).sha256 == before


def test_the_split_is_seeded_stratified_and_reproducible():
    from lexicon.blocks.learning._data import fitted

    a, b = fitted("breast_cancer", "malignant", 0.25, 0), fitted("breast_cancer", "malignant", 0.25, 0)
    assert a == b
    assert fitted("breast_cancer", "malignant", 0.25, 1)["y"] != a["y"]
    # stratified: the test split keeps the data's share of malignant tumours (212 of 569) to one tumour
    assert (a["samples"], a["features"], a["test"], a["train"]) == (569, 30, 143, 426)
    assert abs(a["test_positive"] - 143 * 212 / 569) < 1
    assert load_breast_cancer().target_names[0] == "malignant"      # class 0 in scikit-learn, positive here


# --- classifier-metrics -------------------------------------------------------------------------------

@pytest.mark.parametrize("load, dataset, positive, label, threshold", [
    (load_breast_cancer, "breast_cancer", None, 0, 0.5),
    (load_breast_cancer, "breast_cancer", "benign", 1, 0.3),
    (load_iris, "iris", "versicolor", 1, 0.5),
    (load_digits, "digits", 8, 8, 0.1),
    (load_breast_cancer, "breast_cancer", None, 0, 1.0),       # nothing predicted positive: precision undefined
])
def test_classifier_metrics_equal_sklearn_metrics(load, dataset, positive, label, threshold):
    src = f"dataset: {dataset}\nthreshold: {threshold}" + (f"\npositive: {positive}" if positive is not None else "")
    spec, result, _, out = run(None, "classifier-metrics", src)
    y, score = reference(load, label)
    m = result["metrics"]
    same(m, sk_numbers(y, score, threshold))
    assert result["test"] == len(y) and result["test_positive"] == int(y.sum())
    majority = int(y.sum() * 2 > len(y))       # the training split has the same majority (stratified)
    assert result["baseline"]["accuracy"] == metrics.accuracy_score(y, np.full(len(y), majority))
    # The page shows the same numbers: the matrix's table, the metrics, and prose values read as the table.
    for k in ("accuracy", "recall", "f1"):
        assert f">{quote('classifier-metrics', spec, result, k).text}<" in out
    assert f">{m['tp']} (TP)<" in out and f">{m['fn']} (FN)<" in out and f">{m['fp']} (FP)<" in out
    if m["precision"] is None:
        assert ">undefined<" in out
        with pytest.raises(LexiconError, match="undefined"):
            quote("classifier-metrics", spec, result, "precision")


def test_the_heatmap_has_a_text_alternative_and_the_counts():
    _, result, _, out = run(None, "classifier-metrics", "dataset: breast_cancer")
    fig = json.loads(html.unescape(re.search(r"data-figure='([^']*)'", out).group(1)))
    m = result["metrics"]
    assert fig["data"][0]["type"] == "heatmap" and fig["data"][0]["z"] == [[m["tp"], m["fn"]], [m["fp"], m["tn"]]]
    assert f"{m['tp']} malignant predicted malignant (true positives)" in html.unescape(out)


def test_claims_are_checked_and_a_false_one_is_false():
    src = ("dataset: breast_cancer\nexpect:\n  - accuracy > baseline\n  - precision > recall\n  - fn = 3\n"
           "  - recall > 95%\n  - fp = fn")
    _, result, claims, _ = run(None, "classifier-metrics", src)
    m = result["metrics"]
    assert m["precision"] == m["recall"]            # 3 false positives, 3 false negatives at 0.5
    assert [c.ok for c in claims] == [True, False, True, False, True]
    assert "the precision is 0.9434; the recall is 0.9434" in claims[1].actual


@pytest.mark.parametrize("src, message, fix", [
    ("dataset: breast", "no bundled dataset 'breast'", "did you mean 'breast_cancer'?"),
    ("dataset: diabetes", "regression dataset", "breast_cancer, iris, wine, digits"),
    ("dataset: iris", "needs to know which one is the positive class", "setosa, versicolor, virginica"),
    ("dataset: iris\npositive: rose", "no class 'rose'", "setosa, versicolor, virginica"),
    ("expect:\n  - precision = recall", "equality of a measured rate", "'<' or '>'"),
    ("expect:\n  - 3 > 2", "compares two numbers", "precision > recall"),
    ("expect:\n  - auc > 0.9", "does not compute", "accuracy > baseline"),
    ("expect:\n  - recall(0.3) > 0.9", "has one threshold", "recall > 0.9"),
])
def test_bad_blocks_name_the_fix(src, message, fix):
    with pytest.raises(LexiconError, match=re.escape(message)) as err:
        spec_of("classifier-metrics", src)
    assert fix in err.value.fix


@pytest.mark.parametrize("threshold", ["1.5", "-0.1"])
def test_a_threshold_outside_0_and_1_is_refused(threshold):
    with pytest.raises(LexiconError, match="threshold") as err:
        spec_of("classifier-metrics", f"threshold: {threshold}")
    assert err.value.fix


def test_an_error_is_located_at_its_line_with_its_fix(tmp_path, capsys):
    from lexicon.check import check

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - lexicon:\n      cache_dir: .cache\n")
    page = tmp_path / "docs" / "page.md"
    page.write_text("# Page\n\n```classifier-metrics\ndataset: iris\npositive: rose\n```\n\n"
                    "```classifier-metrics\nthreshold: 2\n```\n")
    assert check([page], tmp_path / "mkdocs.yml") == 1
    out = capsys.readouterr().out
    assert re.search(r"docs/page\.md:[35]: classifier-metrics block: the iris data has no class 'rose'", out)
    assert "Fix: name one of its classes: setosa, versicolor, virginica" in out
    assert re.search(r"docs/page\.md:(8|9): classifier-metrics block: option 'threshold'", out)


# --- threshold-sweep -----------------------------------------------------------------------------------

def test_the_sweep_and_the_roc_curve_equal_sklearn_metrics():
    spec, result, claims, out = run(None, "threshold-sweep", registry()["threshold-sweep"].example)
    y, score = reference(load_breast_cancer, 0)
    assert len(result["grid"]) == 101
    for row in result["grid"]:
        same(row, sk_numbers(y, score, row["threshold"]))
    fpr, tpr, thresholds = metrics.roc_curve(y, score)
    assert result["roc"]["fpr"] == fpr.tolist() and result["roc"]["tpr"] == tpr.tolist()
    assert result["roc"]["thresholds"][1:] == thresholds[1:].tolist() and result["roc"]["thresholds"][0] is None
    assert result["auc"] == metrics.roc_auc_score(y, score)
    assert all(c.ok for c in claims)
    assert quote("threshold-sweep", spec, result, "recall", "0.3").number == metrics.recall_score(y, score >= 0.3)
    assert quote("threshold-sweep", spec, result, "mark", "2").text == "0.5"
    assert out.count("data-figure=") == 2                # the sweep and the ROC curve


def test_sweep_claims_read_the_grid_and_a_false_one_is_false():
    src = "expect:\n  - precision(0.7) > precision(0.3)\n  - fp(0.7) = 1\n  - auc < 0.9"
    _, _, claims, _ = run(None, "threshold-sweep", src)
    assert [c.ok for c in claims] == [True, False, False]
    for bad, message in [("recall > 0.5", "needs the threshold"), ("recall(0.333) > 0.5", "not on the sweep's grid"),
                         ("recall(1.5) > 0.5", "not on the sweep's grid"), ("auc(0.5) > 0.9", "does not depend")]:
        with pytest.raises(LexiconError, match=re.escape(message)):
            spec_of("threshold-sweep", f"expect:\n  - {bad}")


def test_a_threshold_is_never_printed_as_a_value_it_is_not():
    from lexicon.blocks.learning._figures import threshold_text

    assert threshold_text(None) == "above every score"            # roc_curve's +inf
    assert threshold_text(0.999999999999744) == "1 − 2.6e−13"    # not "1.0000"
    assert threshold_text(1.0) == "1.0000" and threshold_text(0.5) == "0.5000"
    assert threshold_text(3e-7) == "3e−07"                         # not "0.0000"
    _, result, _, out = run(None, "threshold-sweep", "marks: [0.5]")
    shown = re.findall(r'<th scope="row">([^<]*)</th>', out.split('id="b-roc')[-1] if 'id="b-roc' in out else out)
    below_one = [t for t in result["roc"]["thresholds"] if t is not None and 0.99995 <= t < 1]
    assert below_one and "1.0000" not in shown and "above every score" in shown


def test_the_curves_under_a_sweep_are_chosen_and_the_pr_curve_equals_sklearn():
    y, score = reference(load_breast_cancer, 0)
    _, result, _, out = run(None, "threshold-sweep", "curves: []")
    assert out.count("data-figure=") == 1 and "ROC" not in out            # the sweep alone, no AUC either
    _, result, _, out = run(None, "threshold-sweep", "curves: [precision-recall]\nmarks: [0.3, 0.7]")
    assert out.count("data-figure=") == 2 and "roc_curve" not in out and "precision_recall_curve" in out
    precision, recall, thresholds = metrics.precision_recall_curve(y, score, drop_intermediate=True)
    assert result["pr"] == {"precision": precision[:-1].tolist(), "recall": recall[:-1].tolist(),
                            "thresholds": thresholds.tolist()}       # sklearn's end point (no threshold) left out
    fig = [json.loads(html.unescape(f)) for f in re.findall(r"data-figure='([^']*)'", out)][1]
    assert fig["data"][0]["x"] == recall[:-1].tolist() and fig["data"][1]["text"] == ["0.3", "0.7"]
    assert fig["data"][1]["y"][1] == metrics.precision_score(y, score >= 0.7)
    with pytest.raises(LexiconError, match="curves"):
        spec_of("threshold-sweep", "curves: [lift]")


# --- metric-exercise -------------------------------------------------------------------------------------

@pytest.mark.parametrize("metric, thresholds, answer", [
    ("recall", [0.2, 0.5, 0.8], 0.2), ("f1", [0.1, 0.6, 0.9], 0.6), ("accuracy", [0.1, 0.6, 0.9], 0.6)])
def test_the_exercise_grades_the_threshold_sklearn_ranks_first(metric, thresholds, answer):
    src = f"metric: {metric}\nthresholds: {thresholds}\nanswer: {answer}"
    spec, result, claims, out = run(None, "metric-exercise", src)
    y, score = reference(load_breast_cancer, 0)
    scores = {t: sk_numbers(y, score, t)[metric] for t in thresholds}
    assert max(scores, key=scores.get) == answer and claims[0].ok
    assert registry()["metric-exercise"].graded(spec, result) == {f"threshold {t:g}": scores[t] for t in thresholds}
    data = json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))
    assert data["answer"] == f"threshold {answer:g}"
    # The counts the reader works from are on the page, before the choices.
    tp = sk_numbers(y, score, thresholds[0])["tp"]
    assert f">{tp}<" in out.split('type="radio"')[0]
    wrong = next(t for t in thresholds if t != answer)
    _, _, claims, _ = run(None, "metric-exercise", f"metric: {metric}\nthresholds: {thresholds}\nanswer: {wrong}")
    assert not claims[0].ok


@pytest.mark.parametrize("load, dataset, positive, label, metric, thresholds, answer", [
    (load_iris, "iris", "virginica", 2, "fn", [0.5, 0.3, 0.7], 0.3),
    (load_digits, "digits", 8, 8, "fp", [0.1, 0.7, 0.5], 0.7)])
def test_a_count_exercise_grades_the_fewest(load, dataset, positive, label, metric, thresholds, answer):
    src = f"dataset: {dataset}\npositive: {positive}\nmetric: {metric}\nthresholds: {thresholds}\nanswer: {answer}"
    spec, result, claims, out = run(None, "metric-exercise", src)
    y, score = reference(load, label)
    counts = {t: sk_numbers(y, score, t)[metric] for t in thresholds}
    assert min(counts, key=counts.get) == answer and claims[0].ok and "fewest" in claims[0].statement
    kind = registry()["metric-exercise"]
    assert kind.graded_end(spec) == "lowest" and "fewest" in kind.prompt(spec)
    assert json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))["answer"] == \
        f"threshold {answer:g}"
    wrong = max(counts, key=counts.get)
    _, _, claims, _ = run(None, "metric-exercise", src.replace(f"answer: {answer}", f"answer: {wrong}"))
    assert not claims[0].ok
    with pytest.raises(LexiconError, match="decided by a tie"):     # 0.5 and 0.7 both raise no false alarm
        run(None, "metric-exercise", "dataset: iris\npositive: virginica\nmetric: fp\nthresholds: [0.5, 0.7]")


def test_the_exercise_refuses_a_tie_and_an_undefined_metric():
    with pytest.raises(LexiconError, match="decided by a tie") as err:
        run(None, "metric-exercise", "metric: precision\nthresholds: [0.7, 0.9]")   # both 1.0: no false positive
    assert "leave out" in err.value.fix
    with pytest.raises(LexiconError, match="undefined at threshold 1"):
        run(None, "metric-exercise", "metric: precision\nthresholds: [0.5, 1.0]")
    with pytest.raises(LexiconError, match="not one of the thresholds"):
        spec_of("metric-exercise", "metric: recall\nthresholds: [0.2, 0.5]\nanswer: 0.3")


def test_the_class_balance_table_counts_each_class_in_each_split():
    _, result, _, out = run(None, "classifier-metrics", "dataset: iris\npositive: virginica")
    assert result["class_counts"] == [50, 50, 50]
    assert [a + b for a, b in zip(result["train_counts"], result["test_counts"])] == [50, 50, 50]
    assert result["test_counts"][2] == result["test_positive"] and sum(result["test_counts"]) == result["test"]
    assert re.search(r"virginica \(positive\)</t[hd]>\s*<td[^>]*>50</td>\s*<td[^>]*>"
                     rf"{result['train_counts'][2]}</td>\s*<td[^>]*>{result['test_counts'][2]}</td>", out)
