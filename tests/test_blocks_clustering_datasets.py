"""The clustering family on bundled datasets: elbow, dbscan, gaussian-mixture, rand-index and
dataset-cluster-exercise.

Every number is checked against scikit-learn called here directly (KMeans, DBSCAN, GaussianMixture,
silhouette_score, adjusted_rand_score, rand_score); the hand-worked adjusted Rand index against
adjusted_rand_score on many random partitions; the k-distance against the core points DBSCAN finds;
each exercise's grading; bad input is a located error that names the fix.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.cluster import DBSCAN, KMeans
from sklearn.datasets import load_iris, load_wine
from sklearn.metrics import adjusted_rand_score, rand_score, silhouette_score
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler

from blocktest import quote, run, spec_of
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError



@pytest.fixture(autouse=True)
def one_blas_thread():
    """As the build's helper processes do: one BLAS thread (tiny matrices, a shared machine)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        yield


NEW = ("elbow", "dbscan", "gaussian-mixture", "rand-index", "dataset-cluster-exercise")


def iris():
    d = load_iris()
    return StandardScaler().fit_transform(d.data), d.target


def test_the_new_kinds_need_no_model_and_their_examples_run():
    for name in NEW:
        kind = registry()[name]
        assert kind.family == "clustering" and not kind.needs_model and kind.__doc__
        _, _, claims, out = run(None, name, kind.example)
        assert all(c.ok for c in claims) and out
    assert registry()["dataset-cluster-exercise"].is_exercise


def test_elbow_equals_scikit_learn_over_seeds():
    spec, result, claims, out = run(None, "elbow", "dataset: iris\nks: [1, 2, 3]\nseeds: 2\nn_init: 2\n"
                                                   "expect:\n  - best_k = 2\n  - drop(2) > drop(3)")
    x, _ = iris()
    for row in result["rows"]:
        fits = [KMeans(n_clusters=row["k"], n_init=2, random_state=s).fit(x) for s in range(2)]
        assert row["inertia"] == pytest.approx(np.mean([f.inertia_ for f in fits]), rel=1e-12)
        if row["k"] > 1:
            assert row["silhouette"] == pytest.approx(np.mean([silhouette_score(x, f.labels_) for f in fits]),
                                                      abs=1e-12)
    assert result["rows"][1]["drop"] == pytest.approx(1 - result["rows"][1]["inertia"] / result["rows"][0]["inertia"])
    assert [c.ok for c in claims] == [True, True]
    assert quote("elbow", spec, result, "silhouette", "2").text in out
    assert run(None, "elbow", "dataset: iris\nks: [1, 2, 3]\nseeds: 2\nn_init: 2")[1] == result


def test_hand_worked_ari_equals_scikit_learn_on_random_partitions():
    from lexicon.blocks.clustering.rand_index import pair_counts

    rng = np.random.default_rng(7)
    for _ in range(30):
        n = int(rng.integers(5, 60))
        a, b = rng.integers(0, int(rng.integers(1, 6)), n), rng.integers(0, int(rng.integers(1, 6)), n)
        if len(set(a)) == len(set(b)) == 1:
            continue
        assert pair_counts(a, b)["ari"] == pytest.approx(adjusted_rand_score(a, b), abs=1e-12)
    # identical partitions score 1 whatever the names
    assert pair_counts([0, 0, 1, 2, 2], [5, 5, 7, 1, 1])["ari"] == pytest.approx(1.0)


def test_rand_index_block_and_its_random_labellings():
    spec, result, claims, out = run(None, "rand-index", "dataset: iris\nrandom_ks: [3, 10]\nlabellings: 10\n"
                                                        "expect:\n  - random_rand(10) > random_rand(3)\n  - ari < 0.5")
    x, y = iris()
    labels = KMeans(n_clusters=3, n_init=10, random_state=0).fit_predict(x)
    assert result["counts"]["ari"] == pytest.approx(adjusted_rand_score(y, labels), abs=1e-12)
    assert result["rand"] == pytest.approx(rand_score(y, labels), abs=1e-12)
    z = [np.random.default_rng(s).integers(0, 10, len(y)) for s in range(10)]
    assert result["random"][1]["ari"] == pytest.approx(np.mean([adjusted_rand_score(y, v) for v in z]), abs=1e-12)
    assert result["random"][1]["rand"] == pytest.approx(np.mean([rand_score(y, v) for v in z]), abs=1e-12)
    assert [c.ok for c in claims] == [True, False, True]     # the last: the hand ARI equals scikit-learn's
    assert quote("rand-index", spec, result, "pairs", "index").text == f"{result['counts']['index']:,}"
    # the prose and the table write a mean near 0 the same way
    from lexicon.blocks.clustering.rand_index import small
    for r in result["random"]:
        assert quote("rand-index", spec, result, "random_ari", str(r["k"])).text == small(r["ari"])
    assert small(-1.1e-4) == "−1.1e−4" and small(0.0417) == "0.0417"


def test_dbscan_equals_scikit_learn_and_the_k_distance_finds_the_core_points():
    spec, result, claims, out = run(None, "dbscan", "dataset: iris\neps: 0.8\nscan: [0.5]\n"
                                                    "expect:\n  - clusters = 2\n  - kmeans_ari > ari")
    x, y = iris()
    for r in result["runs"]:
        db = DBSCAN(eps=r["eps"], min_samples=5).fit(x)
        assert r["clusters"] == db.labels_.max() + 1 and r["noise"] == int((db.labels_ == -1).sum())
        assert r["ari"] == pytest.approx(adjusted_rand_score(y, db.labels_), abs=1e-12)
        # a sample is a core point exactly when its k-distance is at most eps
        assert r["core"] == len(db.core_sample_indices_) == int((np.asarray(result["kdist"]) <= r["eps"]).sum())
    counts = np.asarray(result["runs"][1]["counts"])
    assert counts.sum() == len(y) and counts[-1].sum() == result["runs"][1]["noise"]
    assert [c.ok for c in claims] == [True, True]
    assert quote("dbscan", spec, result, "clusters", "0.5").text == str(result["runs"][0]["clusters"])
    # a k-distance quantile is one of the k-distances (never interpolated), and at least that share is at most it
    kd = np.asarray(result["kdist"])
    for share in (50, 80, 90, 95, 100):
        v = quote("dbscan", spec, result, "kdist", f"{share}%").number
        assert v in kd and (kd <= v).mean() >= share / 100 > (kd < v).mean()


def test_gaussian_mixture_equals_scikit_learn():
    spec, result, claims, _ = run(None, "gaussian-mixture", "dataset: iris\nks: [2, 3]\nseeds: 2\nreg_covar: 0.001\n"
                                                            "expect:\n  - best_k = 2\n  - ari > kmeans_ari")
    x, y = iris()
    fits = {}
    for r in result["bic"]:
        gms = [GaussianMixture(n_components=r["k"], reg_covar=1e-3, random_state=s).fit(x) for s in range(2)]
        bics = [g.bic(x) for g in gms]
        # each k is scored by its best fit (the lowest BIC over the seeds); the mean is kept beside it
        assert r["best"] == pytest.approx(min(bics), rel=1e-12) and r["mean"] == pytest.approx(np.mean(bics), rel=1e-12)
        best = gms[int(np.argmin(bics))]
        fits[r["k"]] = best
        assert r["condition"] == pytest.approx(max(np.linalg.cond(c) for c in best.covariances_), rel=1e-9)
        assert r["min_weight"] == pytest.approx(best.weights_.min(), rel=1e-12)
    assert result["best_k"] == min(result["bic"], key=lambda r: r["best"])["k"]
    gm = fits[3]
    top = gm.predict_proba(x).max(axis=1)
    assert result["uncertain"] == int((top < 0.9).sum())
    assert result["ari"] == pytest.approx(adjusted_rand_score(y, gm.predict(x)), abs=1e-12)
    assert result["aris"] == pytest.approx([adjusted_rand_score(
        y, GaussianMixture(n_components=3, reg_covar=1e-3, random_state=s).fit(x).predict(x)) for s in range(2)])
    assert all(c.ok for c in claims)
    assert quote("gaussian-mixture", spec, result, "reg_covar").text == "1.0e−3"
    assert quote("gaussian-mixture", spec, result, "bic", "2").number == result["bic"][0]["best"]


def test_the_compared_covariance_shapes_choose_by_their_best_fits():
    spec, result, _, _ = run(None, "gaussian-mixture", "dataset: iris\nks: [1, 2, 3]\nseeds: 2\ncompare: [diag]")
    x, _ = iris()
    best = [min(GaussianMixture(n_components=k, covariance_type="diag", random_state=s).fit(x).bic(x)
                for s in range(2)) for k in (1, 2, 3)]
    assert result["others"]["diag"]["bic"] == pytest.approx(best, rel=1e-12)
    assert quote("gaussian-mixture", spec, result, "other_best_k", "diag").number == [1, 2, 3][int(np.argmin(best))]
    with pytest.raises(LexiconError, match="not one of the compared") as err:
        quote("gaussian-mixture", spec, result, "other_best_k", "tied")
    assert "compare" in err.value.fix


def test_a_collapsed_component_shows_in_the_condition_number():
    # with scikit-learn's default reg_covar, the best of ten starts with five components squeezes a component
    # onto a few flowers (a huge condition number); reg_covar = 1e-3 keeps every covariance round enough
    raw = run(None, "gaussian-mixture", "dataset: iris\nks: [2, 5]\nseeds: 10")[1]
    reg = run(None, "gaussian-mixture", "dataset: iris\nks: [2, 5]\nseeds: 10\nreg_covar: 0.001")[1]
    assert raw["bic"][-1]["condition"] > 1e5 > 1e3 > reg["bic"][-1]["condition"]


def test_the_wine_exercise_s_warning_about_the_default_reg_covar_holds():
    # the GMM page's exercise says: with the default reg_covar (1e-6) and more starts per k, a collapsed component
    # makes a larger k look best on the wine data; with reg_covar = 1e-3 (the exercise's) two components win
    x = StandardScaler().fit_transform(load_wine().data)

    def best(k, reg):
        return min((GaussianMixture(n_components=k, reg_covar=reg, n_init=10, random_state=s).fit(x)
                    for s in range(5)), key=lambda g: g.bic(x))
    raw2, raw4 = best(2, 1e-6), best(4, 1e-6)
    assert raw4.bic(x) < raw2.bic(x) and max(np.linalg.cond(c) for c in raw4.covariances_) > 1e5
    assert best(2, 1e-3).bic(x) < best(4, 1e-3).bic(x)


def test_tiny_probabilities_are_never_printed_as_zero():
    from lexicon.blocks.clustering._data import prob, sci
    assert prob(4.767e-107) == "4.8e−107" and prob(0.0736) == "0.0736" and prob(0.0) == "0.0000"
    assert sci(0.001) == "1.0e−3" and sci(2.5e5) == "2.5e5"


def test_the_dataset_exercise_grades_each_question():
    d = load_wine()
    x = StandardScaler().fit_transform(d.data)
    _, result, claims, _ = run(None, "dataset-cluster-exercise",
                               "ask: dbscan-clusters\ndataset: wine\nchoices: [1.5, 2.0, 3.0]\nanswer: 2.0")
    assert result["scores"] == [DBSCAN(eps=e, min_samples=5).fit_predict(x).max() + 1 for e in (1.5, 2.0, 3.0)]
    assert result["noise"] == [int((DBSCAN(eps=e, min_samples=5).fit_predict(x) == -1).sum()) for e in (1.5, 2.0, 3.0)]
    assert claims[0].ok
    _, result, claims, _ = run(None, "dataset-cluster-exercise", "ask: silhouette-k\ndataset: wine\nchoices: [2, 3]\n"
                                                                 "seeds: 2\nn_init: 2\nanswer: 2")
    want = [np.mean([silhouette_score(x, KMeans(n_clusters=k, n_init=2, random_state=s).fit_predict(x))
                     for s in range(2)]) for k in (2, 3)]
    assert result["scores"] == pytest.approx(want, abs=1e-12) and claims[0].ok == (want[0] > want[1])
    inertia = {k: np.mean([KMeans(n_clusters=k, n_init=2, random_state=s).fit(x).inertia_ for s in range(2)])
               for k in (1, 2, 3)}
    assert result["drop"] == pytest.approx([1 - inertia[2] / inertia[1], 1 - inertia[3] / inertia[2]], rel=1e-12)
    spec, result, claims, _ = run(None, "dataset-cluster-exercise", "ask: bic-k\ndataset: wine\nchoices: [1, 2]\n"
                                                                    "seeds: 2\nreg_covar: 0.001\nanswer: 2")
    # the best fit: the lowest BIC over the seeds, not their mean
    assert result["scores"][1] == pytest.approx(min(GaussianMixture(n_components=2, reg_covar=1e-3, random_state=s)
                                                    .fit(x).bic(x) for s in range(2)))
    assert registry()["dataset-cluster-exercise"].graded_end(spec) == "lowest"
    assert claims[0].ok == (result["scores"][1] < result["scores"][0])
    _, result, claims, _ = run(None, "dataset-cluster-exercise", "ask: ari\ndataset: wine\nchoices: [kmeans-3, random-3]\n"
                                                                 "seeds: 2\nn_init: 2\nanswer: kmeans-3")
    z = [np.random.default_rng(s).integers(0, 3, len(d.target)) for s in range(2)]
    assert result["scores"][1] == pytest.approx(np.mean([adjusted_rand_score(d.target, v) for v in z]), abs=1e-12)
    assert result["rand"][1] == pytest.approx(np.mean([rand_score(d.target, v) for v in z]), abs=1e-12)
    assert claims[0].ok


@pytest.mark.parametrize("kind, src, message, fix", [
    ("elbow", "ks: [1, 2, 30]", "more than the limit", None),
    ("elbow", "ks: [1, 2, 3]\nexpect: [silhouette(1) > 0]", "undefined at k = 1", "larger k"),
    ("elbow", "ks: [1, 2, 3]\nexpect: [best_k(2) = 2]", "takes no k", "best_k = 2"),
    ("elbow", "dataset: roses", "option 'dataset'", None),
    ("dbscan", "dataset: iris", "eps", None),
    ("dbscan", "eps: 0.8\nexpect: [clusters(2) = 2]", "takes nothing in brackets", "clusters > 0.5"),
    ("gaussian-mixture", "ks: [1, 2]\nexpect: [bic(5) < 0]", "not one of the k values", "add it to 'ks'"),
    ("gaussian-mixture", "covariance: round", "option 'covariance'", None),
    ("gaussian-mixture", "compare: [round]", "option 'compare[1]'", None),
    ("gaussian-mixture", "reg_covar: 0", "option 'reg_covar'", None),
    ("dataset-cluster-exercise", "ask: bic-k\nchoices: [1, 2]\nreg_covar: -1", "option 'reg_covar'", None),
    ("rand-index", "random_ks: [3]\nexpect: [random_ari(4) < 0.1]", "random labellings have k = 3", "random_ari(3)"),
    ("rand-index", "dataset: diabetes", "option 'dataset'", None),
    ("dataset-cluster-exercise", "ask: ari\nchoices: [kmeans-3, spectral-3]", "does not fit 'ask: ari'", "kmeans-3"),
    ("dataset-cluster-exercise", "ask: silhouette-k\nchoices: [1, 2]", "does not fit", "2–20"),
    ("dataset-cluster-exercise", "ask: dbscan-clusters\nchoices: [0.5, big]", "does not fit", "positive numbers"),
    ("dataset-cluster-exercise", "ask: bic-k\nchoices: [1, 2]\nanswer: 3", "not one of the choices", "1, 2"),
])
def test_bad_blocks_name_the_fix(kind, src, message, fix):
    with pytest.raises(LexiconError, match=re.escape(message)) as err:
        spec_of(kind, src)
    if fix:
        assert fix in err.value.fix


def test_values_refuse_what_the_block_did_not_compute():
    spec, result, _, _ = run(None, "dbscan", "dataset: iris\neps: 0.8")
    with pytest.raises(LexiconError, match="not one of the eps values"):
        quote("dbscan", spec, result, "clusters", "0.3")
    with pytest.raises(LexiconError, match="not a share"):
        quote("dbscan", spec, result, "kdist", "lots")
    spec, result, _, _ = run(None, "elbow", "dataset: iris\nks: [1, 2, 3]\nseeds: 1\nn_init: 1")
    with pytest.raises(LexiconError, match="undefined at k = 1"):
        quote("elbow", spec, result, "drop", "1")
    spec, result, _, _ = run(None, "dataset-cluster-exercise", "ask: dbscan-clusters\ndataset: wine\n"
                                                               "choices: [1.5, 2.0]\nanswer: 2.0")
    assert quote("dataset-cluster-exercise", spec, result, "noise", "2.0").number == result["noise"][1]
    with pytest.raises(LexiconError, match="only computed for 'ask: silhouette-k'"):
        quote("dataset-cluster-exercise", spec, result, "drop", "2.0")
    with pytest.raises(LexiconError, match="not one of the choices"):
        quote("dataset-cluster-exercise", spec, result, "noise", "9.0")


def panel_code(out: str) -> str:
    """The text of a block's code panel, as a reader would copy it."""
    import html

    panel = re.search(r'<details class="ll-code".*?<code>(.*?)</code>', out, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", panel))


@pytest.mark.parametrize("kind, src", [
    ("elbow", "dataset: iris\nks: [1, 2, 3]\nseeds: 1\nn_init: 1"),
    ("dbscan", "dataset: iris\neps: 0.8\nscan: [0.5]"),
    ("gaussian-mixture", "dataset: iris\nks: [1, 2]\nseeds: 1"),
    ("rand-index", "dataset: iris\nrandom_ks: [3]\nlabellings: 2"),
])
def test_each_code_panel_runs_as_shown(kind, src):
    import contextlib
    import io

    _, _, _, out = run(None, kind, src)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(panel_code(out), {})
    assert printed.getvalue() or kind == "gaussian-mixture"
