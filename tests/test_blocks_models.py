"""The models family: model-compare, model-exercise, and the ensembles' bagging-oob, ensemble-curve,
forest-importances and ensemble-exercise.

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

KINDS = ("model-compare", "model-exercise", "bagging-oob", "ensemble-curve", "forest-importances", "ensemble-exercise")


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



# --- the ensembles ----------------------------------------------------------------------------------

def test_the_left_out_share_and_the_oob_score_are_the_fitted_baggings_own():
    from sklearn.datasets import load_iris
    from sklearn.ensemble import BaggingClassifier

    from lexicon.blocks.models import _ensembles

    got = _ensembles.bagging_oob("iris", 20, 2, 5)
    data = load_iris()
    n = len(data.target)
    shares, oob = [], []
    for s in (5, 6):
        bag = BaggingClassifier(DecisionTreeClassifier(), n_estimators=20, oob_score=True, random_state=s,
                                n_jobs=1).fit(data.data, data.target)
        shares += [1 - np.isin(np.arange(n), rows).mean() for rows in bag.estimators_samples_]
        oob.append(bag.oob_score_)
    assert np.isclose(got["share"], np.mean(shares)) and np.isclose(got["share_max"], max(shares))
    assert np.allclose(got["oob"], oob) and got["trees_drawn"] == 40 and got["unscored"] == 0
    assert np.isclose(got["expected"], (1 - 1 / n) ** n) and abs(got["expected"] - np.exp(-1)) < 0.002
    assert abs(got["share"] - got["expected"]) < 0.03      # 40 samples of 150 rows: the measured mean is near it


def test_a_bagging_with_rows_that_no_tree_left_out_is_refused():
    from lexicon.blocks.models import _ensembles

    with pytest.raises(LexiconError, match="no out-of-bag vote"):
        _ensembles.refuse_unscored(_ensembles.bagging_oob("wine", 25, 1, 0), 25)   # row 28 is in all 25 samples


@pytest.mark.parametrize("line, cls", [("random-forest", "RandomForestClassifier"), ("bagging", "BaggingClassifier")])
def test_the_first_k_trees_are_the_k_tree_ensemble(line, cls):
    """The running mean of the first k trees' probabilities is what the k-tree ensemble itself predicts."""
    import sklearn.ensemble as ens

    from lexicon.blocks.models import _ensembles

    data = load_wine()
    x_tr, x_te, y_tr, _ = train_test_split(data.data, data.target, test_size=0.25, random_state=1, stratify=data.target)
    big = _ensembles._line_model(line, 12, 1).fit(x_tr, y_tr)
    running = list(_ensembles.stage_probas(big, x_te))
    extra = {"estimator": DecisionTreeClassifier()} if line == "bagging" else {}
    for k in (1, 5, 12):
        small = getattr(ens, cls)(n_estimators=k, random_state=1, n_jobs=1, **extra).fit(x_tr, y_tr)
        assert np.allclose(running[k - 1], small.predict_proba(x_te))


def test_the_curves_are_staged_predict_proba_and_sklearns_log_loss():
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.metrics import accuracy_score, log_loss

    from lexicon.blocks.models import _ensembles

    got = _ensembles.staged("iris", "boosting-0.5", 15, 2, 0.25, 3)
    data = __import__("sklearn.datasets", fromlist=["load_iris"]).load_iris()
    acc, loss = [], []
    for s in (3, 4):
        x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.25, random_state=s, stratify=data.target)
        g = GradientBoostingClassifier(n_estimators=15, learning_rate=0.5, random_state=s).fit(x_tr, y_tr)
        acc.append([accuracy_score(y_te, p) for p in g.staged_predict(x_te)])
        loss.append([log_loss(y_te, p, labels=g.classes_) for p in g.staged_predict_proba(x_te)])
    assert np.allclose(got["accuracy"], np.mean(acc, axis=0)) and np.allclose(got["loss"], np.mean(loss, axis=0))
    assert got["best_loss"] == [int(np.argmin(r)) + 1 for r in loss] and got["test"] == 38


def test_impurity_and_permutation_importances_are_the_forests_and_permutation_importances():
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.inspection import permutation_importance

    from lexicon.blocks.models import _ensembles

    got = _ensembles.forest_importances("wine", 10, 3, 0.25, 0)
    data = load_wine()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.25, random_state=0, stratify=data.target)
    rf = RandomForestClassifier(n_estimators=10, random_state=0, n_jobs=1).fit(x_tr, y_tr)
    perm = permutation_importance(rf, x_te, y_te, n_repeats=3, random_state=0, n_jobs=1)
    assert np.allclose([r["impurity"] for r in got["rows"]], rf.feature_importances_)
    assert np.allclose([r["permutation"] for r in got["rows"]], perm.importances_mean)
    first = max(got["rows"], key=lambda r: r["impurity"])
    assert first["impurity_rank"] == 1 and sorted(r["permutation_order"] for r in got["rows"]) == list(range(1, 14))
    pm = perm.importances_mean
    for r, m in zip(got["rows"], pm):        # equal importances share the best of their places
        equal = np.isclose(pm, m, atol=1e-12)
        assert r["permutation_rank"] == 1 + int((pm > m + 1e-12).sum()) and r["permutation_tied"] == int(equal.sum()) - 1
    assert got["zero"] == int(np.isclose(pm, 0, atol=1e-12).sum())
    assert got["below_zero"] == int((perm.importances_mean < 0).sum())
    r = np.corrcoef(x_tr, rowvar=False)
    j = list(data.feature_names).index(first["feature"])
    k = list(data.feature_names).index(first["twin"])
    assert j != k and np.isclose(first["twin_r"], r[j, k]) and abs(r[j, k]) == max(abs(r[j, i]) for i in range(13) if i != j)


def test_ranks_share_the_best_place_of_a_tie_and_the_order_stays_stable():
    from lexicon.blocks.models import _ensembles

    v = np.array([3, 1, 3, 0, 1, 5])
    assert _ensembles._ranks(v) == [2, 4, 2, 6, 4, 1] and _ensembles._order(v) == [2, 4, 3, 6, 5, 1]


def test_tied_permutation_importances_are_shown_as_ties_and_named_features_are_listed():
    src = ("dataset: breast_cancer\ntrees: 10\nrepeats: 2\ntop: 3\nalso: [mean area, mean texture]\nexpect:\n"
           "  - permutation_rank(mean area) > 0")
    spec, result, claims, out = run(None, "forest-importances", src)
    rows = {r["feature"]: r for r in result["rows"]}
    assert ">mean area<" in out and ">mean texture<" in out and all(c.ok for c in claims)
    tied = [r for r in result["rows"] if r["permutation_tied"]]
    assert tied and f"{len(tied)} of the 30 features share their permutation importance" in out
    for r in tied:   # every tied feature has the same importance and rank as some other feature
        twins = [o for o in result["rows"] if o is not r and o["permutation"] == r["permutation"]]
        assert len(twins) == r["permutation_tied"] and all(o["permutation_rank"] == r["permutation_rank"] for o in twins)
    zero = [r for r in result["rows"] if r["permutation"] == 0]
    assert quote("forest-importances", spec, result, "count", "zero").number == len(zero) == result["zero"]
    assert quote("forest-importances", spec, result, "tied", "mean area").number == rows["mean area"]["permutation_tied"]
    for r in (rows["mean area"], rows["mean texture"]):     # the listed features' rank cells
        assert (">=" if r["permutation_tied"] else ">") + f"{r['permutation_rank']}<" in out
    shared = next(r for r in tied)
    with pytest.raises(LexiconError, match="shared by"):
        quote("forest-importances", spec, result, "feature", "permutation", str(shared["permutation_order"]))
    with pytest.raises(LexiconError, match="did you mean 'mean area'"):
        spec_of("forest-importances", "also: [mean aera]")


def test_the_constant_start_is_the_boostings_init_and_the_reveal_says_how_far_each_choice_got():
    from sklearn.dummy import DummyClassifier
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.metrics import log_loss

    from lexicon.blocks.models import _ensembles

    got = _ensembles.constant_start("wine", 2, 0.25, 3)
    data = load_wine()
    loss = []
    for s in (3, 4):
        x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.25, random_state=s, stratify=data.target)
        prior = DummyClassifier(strategy="prior").fit(x_tr, y_tr).predict_proba(x_te)
        init = GradientBoostingClassifier(n_estimators=1, random_state=s).fit(x_tr, y_tr).init_.predict_proba(x_te)
        assert np.allclose(prior, init)
        loss.append(log_loss(y_te, prior, labels=[0, 1, 2]))
    assert np.allclose(got["loss_splits"], loss) and np.isclose(got["loss"], np.mean(loss))
    src = "dataset: iris\nchoose: stages\nline: boosting-0.1\nvalues: [2, 20, 60]\nseeds: 2\nanswer: 20"
    spec, result, claims, out = run(None, "ensemble-exercise", src)
    const = _ensembles.constant_start("iris", 2, 0.25, 0)["loss"]
    assert all(c.ok for c in claims) and np.isclose(result["constant"], const) and "the constant start" in out
    m = {r["value"]: r["mean"] for r in result["rows"]}
    assert np.isclose(quote("ensemble-exercise", spec, result, "covered", "2").number, (const - m[2]) / (const - m[20]))
    assert quote("ensemble-exercise", spec, result, "covered", "20").text == "100.0%" and "0.0%" in out
    assert quote("ensemble-exercise", spec, result, "constant").text in out
    with pytest.raises(LexiconError, match="constant model"):
        trees = run(None, "ensemble-exercise", "dataset: iris\nchoose: stages\nline: random-forest\nvalues: [1, 20]\n"
                                               "seeds: 1\nscore: accuracy")
        quote("ensemble-exercise", *trees[:2], "constant")


def test_the_out_of_bag_voters_are_the_trees_that_left_each_row_out():
    from sklearn.datasets import load_iris
    from sklearn.ensemble import BaggingClassifier

    spec, result, _, out = run(None, "ensemble-exercise", "dataset: iris\nchoose: trees\nvalues: [30, 50]\nseeds: 2")
    data = load_iris()
    n = len(data.target)
    for row in result["rows"]:
        counts = []
        for s in (0, 1):
            bag = BaggingClassifier(DecisionTreeClassifier(), n_estimators=row["value"], random_state=s,
                                    n_jobs=1).fit(data.data, data.target)
            counts.append(np.mean([sum(i not in set(rows) for rows in bag.estimators_samples_) for i in range(n)]))
        assert np.isclose(row["voters"], np.mean(counts))
        assert quote("ensemble-exercise", spec, result, "voters", str(row["value"])).text in out
    with pytest.raises(LexiconError, match="choose: trees"):
        s2, r2, _, _ = run(None, "ensemble-exercise", "dataset: iris\nchoose: stages\nline: boosting-1\nvalues: [1, 9]\n"
                                                      "seeds: 1")
        quote("ensemble-exercise", s2, r2, "voters", "1")


def test_a_multiclass_boosting_stage_is_one_tree_per_class_and_the_score_axis_can_be_logarithmic():
    from lexicon.engine.pieces import Figure

    spec, result, _, out = run(None, "ensemble-curve", "dataset: iris\nlines: [boosting-1, random-forest]\ncount: 4\n"
                                                       "seeds: 1\nscore: log-loss\nlog_scale: true")
    assert quote("ensemble-curve", spec, result, "trees_per_stage", "boosting-1").number == 3
    assert quote("ensemble-curve", spec, result, "trees_per_stage", "random-forest").number == 1
    assert "(boosting-1 with 4 stages of 3 trees each (one per class); random-forest with 4 trees)" in out
    fig = next(p for p in registry()["ensemble-curve"].render(spec, result, None) if isinstance(p, Figure)).figure()
    assert fig.layout.yaxis.type == "log"
    spec, result, _, out = run(None, "ensemble-curve", "dataset: breast_cancer\nlines: [boosting-1]\ncount: 3\nseeds: 1")
    assert result["curves"][0]["per_stage"] == 1 and "3 stages (one tree each)" in out
    fig = next(p for p in registry()["ensemble-curve"].render(spec, result, None) if isinstance(p, Figure)).figure()
    assert fig.layout.yaxis.type == "linear"


def test_ensemble_values_and_claims_read_the_result():
    spec, result, claims, out = run(None, "ensemble-curve", "dataset: iris\nlines: [boosting-1, random-forest]\ncount: 10\n"
                                    "seeds: 1\nscore: log-loss\nexpect:\n  - accuracy(random-forest, 1) > 0.9\n"
                                    "  - best(boosting-1) = 0")
    assert [c.ok for c in claims] == [True, False]
    curve = result["curves"][0]
    assert quote("ensemble-curve", spec, result, "best", "boosting-1").number == curve["loss"].index(min(curve["loss"])) + 1
    assert quote("ensemble-curve", spec, result, "loss", "random-forest", "10").text in out
    assert quote("ensemble-curve", spec, result, "number", "test").number == 38 and "<table" in out
    spec, result, claims, out = run(None, "bagging-oob", "dataset: iris\ntrees: 30\nseeds: 1\nshuffles: 1\nexpect:\n"
                                    "  - share < expected\n  - oob > 0.99")
    assert quote("bagging-oob", spec, result, "share").text in out and len(claims) == 2
    assert quote("bagging-oob", spec, result, "limit").text == "36.8%"
    assert quote("bagging-oob", spec, result, "limit", "fraction").text == f"{np.exp(-1):.4f}" == "0.3679"
    assert quote("bagging-oob", spec, result, "expected", "fraction").text == f"{(1 - 1 / 150) ** 150:.4f}"
    with pytest.raises(LexiconError, match="no form"):
        quote("bagging-oob", spec, result, "expected", "digits")


def test_the_ensemble_exercise_is_graded_by_the_mean_score():
    src = "dataset: iris\nchoose: stages\nline: boosting-1\nvalues: [1, 3, 20]\nseeds: 2\nanswer: 3"
    spec, result, claims, out = run(None, "ensemble-exercise", src)
    loss = _ensembles_loss("iris", "boosting-1", 20, 2)
    assert loss[2] < min(loss[0], loss[19]) and all(c.ok for c in claims) and len(claims) == 1
    assert np.isclose(quote("ensemble-exercise", spec, result, "mean", "1").number, loss[0])
    worst = run(None, "ensemble-exercise", src.replace("answer: 3", "ask: worst\nanswer: 3"))
    assert not worst[2][0].ok and worst[1]["rows"] == result["rows"]
    result = registry()["ensemble-exercise"].compute(None, spec_of("ensemble-exercise", "dataset: wine\nchoose: trees\n"
                                                                                      "values: [30, 60]\nseeds: 1\nseed: 1"))
    from lexicon.blocks.models import _ensembles

    assert [r["mean"] for r in result["rows"]] == [_ensembles.bagging_oob("wine", v, 1, 1)["oob"][0] for v in (30, 60)]


def _ensembles_loss(dataset, line, count, seeds):
    from lexicon.blocks.models import _ensembles

    return _ensembles.staged(dataset, line, count, seeds, 0.25, 0)["loss"]


@pytest.mark.parametrize("kind, src, said", [
    ("ensemble-curve", "lines: [forest]", "no ensemble 'forest'"),
    ("ensemble-curve", "lines: [boosting-3]", "at most 2"),
    ("ensemble-curve", "lines: [bagging]\ncount: 10\nexpect:\n  - loss(bagging, 11) < 1", "no count '11'"),
    ("ensemble-curve", "lines: [bagging]\nexpect:\n  - loss(random-forest, 5) < 1", "not one of the block's lines"),
    ("ensemble-curve", "dataset: diabetes\nlines: [bagging]", "regression dataset"),
    ("forest-importances", "expect:\n  - impurity(worst radios) > 0", "did you mean 'worst radius'"),
    ("bagging-oob", "dataset: wines", "did you mean 'wine'"),
    ("ensemble-exercise", "choose: stages\nvalues: [5, 10]", "needs the ensemble"),
    ("ensemble-exercise", "choose: trees\nline: bagging\nvalues: [20, 40]", "remove 'line'"),
    ("ensemble-exercise", "choose: trees\nvalues: [5, 40]", "without an out-of-bag vote"),
    ("ensemble-exercise", "choose: stages\nline: boosting-1\nvalues: [5, 10]\nscore: oob", "does not judge"),
    ("ensemble-exercise", "choose: stages\nline: boosting-1\nvalues: [5, 10]\nanswer: 7", "not one of the values"),
])
def test_bad_ensemble_options_are_located_errors_with_a_fix(kind, src, said):
    with pytest.raises(LexiconError) as err:
        spec_of(kind, src)
    assert said in str(err.value) + str(err.value.fix) and err.value.fix


def test_the_ensemble_exercise_refuses_a_tie():
    with pytest.raises(LexiconError, match="decided by a tie"):
        run(None, "ensemble-exercise", "dataset: iris\nchoose: stages\nline: random-forest\nvalues: [30, 31]\nseeds: 1\n"
                                       "score: accuracy")


@pytest.mark.parametrize("kind, src", [
    ("ensemble-curve", "dataset: iris\nlines: [random-forest, bagging, boosting-0.5]\ncount: 6\nseeds: 2"),
    ("bagging-oob", "dataset: iris\ntrees: 30\nseeds: 2\nshuffles: 1"),
    ("forest-importances", "dataset: iris\ntrees: 5\nrepeats: 2"),
])
def test_the_ensemble_code_panels_run_as_shown(kind, src, capsys):
    from lexicon.engine.pieces import Code

    k = registry()[kind]
    spec = spec_of(kind, src)
    result = json.loads(json.dumps(k.compute(None, spec)))
    code = next(p for p in k.render(spec, result, None) if isinstance(p, Code)).source
    exec(code, {})      # noqa: S102 - the panel's own text
    printed = [line.split() for line in capsys.readouterr().out.splitlines()]
    if kind == "ensemble-curve":
        for p, c in zip(printed, result["curves"]):
            assert p[0] == c["line"] and np.isclose(float(p[1]), c["accuracy"][-1]) and np.isclose(float(p[2]), c["loss"][-1])
    elif kind == "bagging-oob":
        assert [np.isclose(float(p[2]), o) for p, o in zip(printed, result["oob"])] == [True, True]
        assert np.isclose(float(printed[-1][0]), result["expected"])
    else:
        assert len(printed) == 4 and np.isclose(float(printed[0][-2]), result["rows"][0]["impurity"])


def test_ensemble_results_are_identical_when_computed_twice():
    from lexicon.blocks.models import _ensembles

    kind = registry()["ensemble-curve"]
    spec = spec_of("ensemble-curve", "dataset: iris\nlines: [random-forest, boosting-0.5]\ncount: 5\nseeds: 2")
    first = json.dumps(kind.compute(None, spec), sort_keys=True)
    _ensembles.staged.cache_clear()
    assert json.dumps(kind.compute(None, spec), sort_keys=True) == first
