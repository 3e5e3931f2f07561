"""The models family: model-compare, model-exercise.

Every number is checked against scikit-learn called here directly (cross_val_score, the fitted
estimators' own attributes, NearestNeighbors); the one hand-written formula, the sigmoid, against
predict_proba. False claims are false, bad options are located errors with a fix, ties are refused,
results are identical when computed twice. No embedding model is loaded.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import sklearn
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from blocktest import all_finite, quote, run, spec_of
from lexicon.blocks.learning import _data as learning
from lexicon.blocks.models import _data, _learned
from lexicon.engine import deps
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

KINDS = ("model-compare", "model-exercise")


def test_the_family_needs_no_model_and_keys_its_results_by_scikit_learns_version():
    for name in KINDS:
        kind = registry()[name]
        assert kind.family == "models" and not kind.needs_model and "scikit-learn" in kind.note
        assert deps.compute_code(type(kind)).packages["scikit-learn"] == sklearn.__version__


def test_each_kinds_example_runs_with_true_claims():
    for name in KINDS:
        _, result, claims, out = run(None, name, registry()[name].example)
        assert all(c.ok for c in claims) and all_finite(result) and "<table" in out


def test_cross_validation_equals_cross_val_score_called_directly():
    wine = load_wine()
    r = _data.cross_validated("wine", "knn-5", 5, 2, 3)
    direct = np.concatenate([cross_val_score(make_pipeline(StandardScaler(), KNeighborsClassifier(5)), wine.data,
                                             wine.target, cv=StratifiedKFold(5, shuffle=True, random_state=s))
                             for s in (3, 4)])
    assert np.allclose(r["scores"], direct) and np.isclose(r["mean"], direct.mean()) and np.isclose(r["std"], direct.std())
    assert np.allclose(r["means"], [direct[:5].mean(), direct[5:].mean()])
    nb = _data.cross_validated("wine", "naive-bayes", 4, 1, 0)
    assert np.isclose(nb["mean"], cross_val_score(GaussianNB(), wine.data, wine.target,
                                                  cv=StratifiedKFold(4, shuffle=True, random_state=0)).mean())


def test_model_names_read_their_setting_and_refuse_bad_ones():
    assert _data.parse_model("knn-15") == ("knn", 15)
    assert _data.parse_model("decision-tree") == ("decision-tree", None)
    assert _data.parse_model("svm-rbf-0.1") == ("svm-rbf", 0.1)
    assert _data.setting_of("decision-tree") == "maximum depth = none (grown until pure)"
    for bad, said in [("knm-5", "did you mean 'knn'"), ("naive-bayes-2", "takes no setting"),
                      ("knn-2.5", "whole number"), ("knn-0", "from 1 to 100"), ("forest", "no model")]:
        with pytest.raises(LexiconError) as err:
            _data.parse_model(bad)
        assert said in str(err.value) + str(err.value.fix)


def test_the_code_panel_imports_what_it_uses_and_runs():
    models = ["logistic-regression", "knn-3", "decision-tree-2", "naive-bayes", "svm-rbf-10"]
    src = _data.imports_of(models, 0) + "\nmodels = [" + ", ".join(_data.code_of(m, 0) for m in models) + "]"
    scope: dict = {}
    exec(src, scope)     # noqa: S102 - the panel's own text, generated here
    assert [type(m).__name__ for m in scope["models"]] == ["Pipeline", "Pipeline", "DecisionTreeClassifier",
                                                           "GaussianNB", "Pipeline"]


def test_the_coefficients_are_the_pipelines_and_the_sigmoid_is_predict_proba():
    got = _learned.coefficients("breast_cancer", "logistic-regression", 0.25, 0, 30, 5)
    # the learning family's split (the evaluation pages'), same arguments, same training samples
    s = learning.split("breast_cancer", "malignant", 0.25, 0)
    data = load_breast_cancer()
    x_tr, x_te, y_tr, _ = train_test_split(data.data, data.target, test_size=0.25, random_state=0, stratify=data.target)
    assert np.array_equal(s["x_train"], x_tr)
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)).fit(x_tr, y_tr)
    w = dict(zip(data.feature_names, pipe[-1].coef_[0]))
    assert all(np.isclose(c["weight"], w[c["feature"]]) for c in got["coef"])
    assert [abs(c["weight"]) for c in got["coef"]] == sorted((abs(c["weight"]) for c in got["coef"]), reverse=True)
    proba = pipe.predict_proba(x_te[:5])[:, 1]
    assert np.allclose([e["sigmoid"] for e in got["examples"]], proba, atol=1e-12)
    assert np.allclose([e["proba"] for e in got["examples"]], proba)
    assert _learned.sigmoid(np.array([0.0]))[0] == 0.5


def test_the_tree_table_is_the_fitted_trees_nodes():
    got = _learned.tree("breast_cancer", "decision-tree-3", 0.25, 0, 2)
    data = load_breast_cancer()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.25, random_state=0, stratify=data.target)
    t = DecisionTreeClassifier(max_depth=3, random_state=0).fit(x_tr, y_tr)
    root, left = got["nodes"][0], got["nodes"][1]
    assert root["feature"] == data.feature_names[t.tree_.feature[0]] and np.isclose(root["threshold"], t.tree_.threshold[0])
    assert root["samples"] == len(y_tr) and sum(root["counts"]) == len(y_tr)
    assert left["node"] == t.tree_.children_left[0] and left["samples"] == t.tree_.n_node_samples[left["node"]]
    assert sum(left["counts"]) == left["samples"] and len(got["nodes"]) == 3
    assert f"{root['feature']} <= {root['threshold']:.2f}" in got["text"]
    assert got["depth"] == 3 and np.isclose(got["accuracy"], t.score(x_te, y_te))


def test_the_neighbours_are_nearestneighbors_on_the_scaled_training_split():
    got = _learned.neighbours("wine", "knn-5", 0.25, 0, 2)
    data = load_wine()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.25, random_state=0, stratify=data.target)
    sc = StandardScaler().fit(x_tr)
    dist, idx = NearestNeighbors(n_neighbors=5).fit(sc.transform(x_tr)).kneighbors(sc.transform(x_te[1:2]))
    assert [r["train_index"] for r in got["rows"]] == idx[0].tolist()
    assert np.allclose([r["distance"] for r in got["rows"]], dist[0])
    assert sum(got["votes"].values()) == 5 and got["predicted"] == max(got["votes"], key=got["votes"].get)


def test_importances_are_the_estimators_own():
    got = _learned.importances("breast_cancer", "decision-tree-3", 0.25, 0, 30)
    data = load_breast_cancer()
    x_tr, _, y_tr, _ = train_test_split(data.data, data.target, test_size=0.25, random_state=0, stratify=data.target)
    imp = DecisionTreeClassifier(max_depth=3, random_state=0).fit(x_tr, y_tr).feature_importances_
    assert got["used"] == int((imp > 0).sum()) and np.isclose(sum(r["importance"] for r in got["importances"]), 1)


def test_compare_values_and_claims_read_the_table():
    src = ("dataset: wine\nmodels: [knn-1, naive-bayes]\nshuffles: 2\nshow: neighbours\n"
           "expect:\n  - mean(naive-bayes) > mean(knn-1)\n  - mean(knn-1) > 0.99\n  - std(knn-1) < 1")
    spec, result, claims, out = run(None, "model-compare", src)
    assert [c.ok for c in claims] == [True, False, True]
    assert quote("model-compare", spec, result, "mean", "knn-1").text in out
    assert quote("model-compare", spec, result, "count", "test").number == 45
    assert "grown until pure" not in out and "k (neighbours) = 1" in out


@pytest.mark.parametrize("src, said", [
    ("dataset: wine\nmodels: [logistic-regression]\nshow: coefficients", "two-class"),
    ("models: [knn-5]\nshow: tree", "none is listed"),
    ("models: [knn-5, decision-tree-2]\nshow: tree\nof: knn-5", "reads a decision-tree"),
    ("models: [knn-5]\nof: knn-5", "there is no 'show'"),
    ("models: [knn-5]\nshow: neighbours\nof: knn-3", "not one of the block's models"),
    ("models: [knn-5]\nshow: neighbours\nsample: 400", "test split holds 143"),
    ("models: [knn-5]\nexpect:\n  - mean(knn-3) > 0.5", "not one of the block's models"),
    ("models: [knn-5]\nexpect:\n  - mean(knn-5) = 0.5", "equality of a measured score"),
    ("dataset: diabetes\nmodels: [knn-5]", "regression dataset"),
    ("dataset: wines\nmodels: [knn-5]", "did you mean 'wine'"),
    ("models: [tree-3]", "no model 'tree-3'"),
])
def test_bad_compare_options_are_located_errors_with_a_fix(src, said):
    with pytest.raises(LexiconError) as err:
        spec_of("model-compare", src)
    assert said in str(err.value) + str(err.value.fix) and err.value.fix


def test_the_exercise_is_graded_by_the_cross_validated_mean():
    src = "dataset: wine\nmodels: [decision-tree-1, decision-tree-3]\nshuffles: 2\nanswer: decision-tree-3"
    spec, result, claims, out = run(None, "model-exercise", src)
    wine = load_wine()
    means = {d: np.mean([cross_val_score(DecisionTreeClassifier(max_depth=d, random_state=0), wine.data, wine.target,
                                         cv=StratifiedKFold(5, shuffle=True, random_state=s)).mean() for s in (0, 1)])
             for d in (1, 3)}
    assert means[3] > means[1] and all(c.ok for c in claims)
    assert np.isclose(quote("model-exercise", spec, result, "mean", "decision-tree-1").number, means[1])
    worst = run(None, "model-exercise", src.replace("answer: decision-tree-3", "ask: worst\nanswer: decision-tree-3"))
    assert not worst[2][0].ok


def test_the_exercise_refuses_a_tie_and_bad_answers():
    with pytest.raises(LexiconError, match="decided by a tie"):
        run(None, "model-exercise", "dataset: iris\nmodels: [decision-tree-1, decision-tree-1.0]\nshuffles: 1")
    with pytest.raises(LexiconError, match="not one of the models"):
        spec_of("model-exercise", "models: [knn-1, knn-5]\nanswer: knn-3")
    with pytest.raises(LexiconError):
        spec_of("model-exercise", "models: [knn-1]")


def test_results_are_identical_when_computed_twice():
    kind = registry()["model-compare"]
    spec = spec_of("model-compare", "dataset: iris\nmodels: [decision-tree-2, random-forest-5]\nshuffles: 1\nshow: importances")
    first = json.dumps(kind.compute(None, spec), sort_keys=True)
    _data.cross_validated.cache_clear()
    assert json.dumps(kind.compute(None, spec), sort_keys=True) == first


def test_within_class_correlations_are_numpys_on_the_class_centred_training_split():
    got = _learned.correlations("wine", "naive-bayes", 0.25, 0, 3)
    data = load_wine()
    x_tr, _, y_tr, _ = train_test_split(data.data, data.target, test_size=0.25, random_state=0, stratify=data.target)
    centred = np.vstack([x_tr[y_tr == c] - x_tr[y_tr == c].mean(axis=0) for c in range(3)])
    r = np.corrcoef(centred, rowvar=False)
    names = list(data.feature_names)
    top = got["pairs"][0]
    assert np.isclose(top["r"], r[names.index(top["a"]), names.index(top["b"])])
    upper = np.abs(r[np.triu_indices(13, 1)])
    assert got["count"] == 78 and got["over_half"] == int((upper > 0.5).sum()) and np.isclose(abs(top["r"]), upper.max())


def test_support_vectors_are_svcs_own_count():
    from sklearn.svm import SVC

    got = _learned.support_vectors("iris", ["svm-linear-0.01", "svm-rbf"], 0.25, 0)
    data = __import__("sklearn.datasets", fromlist=["load_iris"]).load_iris()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.25, random_state=0, stratify=data.target)
    for row, (kernel, c) in zip(got["rows"], [("linear", 0.01), ("rbf", 1.0)]):
        pipe = make_pipeline(StandardScaler(), SVC(kernel=kernel, C=c)).fit(x_tr, y_tr)
        assert row["support"] == pipe[-1].n_support_.sum() and np.isclose(row["accuracy"], pipe.score(x_te, y_te))
    assert got["rows"][0]["support"] > got["rows"][1]["support"]


@pytest.mark.parametrize("dataset, models, show", [
    ("breast_cancer", "[logistic-regression]", "coefficients"), ("iris", "[decision-tree-2]", "tree"),
    ("iris", "[decision-tree-2]", "importances"), ("iris", "[knn-3]", "neighbours"),
    ("iris", "[naive-bayes]", "correlations"), ("iris", "[svm-linear, svm-rbf]", "support-vectors")])
def test_every_show_renders_its_table(dataset, models, show):
    _, result, _, out = run(None, "model-compare", f"dataset: {dataset}\nmodels: {models}\nshuffles: 1\nfolds: 3\nshow: {show}")
    assert out.count("<table") == (3 if show == "coefficients" else 2) and all_finite(result)


def test_the_compare_code_panel_runs_as_shown_and_prints_the_tables_numbers(capsys):
    from lexicon.engine.pieces import Code

    kind = registry()["model-compare"]
    spec = spec_of("model-compare", "dataset: iris\nmodels: [knn-3, decision-tree-2, svm-rbf-10]\nshuffles: 2\nfolds: 3")
    result = json.loads(json.dumps(kind.compute(None, spec)))
    code = next(p for p in kind.render(spec, result, None) if isinstance(p, Code)).source
    exec(code, {})      # noqa: S102 - the panel's own text
    printed = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert [p[0] for p in printed] == spec.models
    assert all(np.isclose(float(p[1]), r["mean"]) and np.isclose(float(p[2]), r["std"]) for p, r in zip(printed, result["rows"]))
