"""The clustering family: kmeans, silhouette and cluster-exercise.

Every number is checked against scikit-learn called here directly (KMeans, adjusted_rand_score,
silhouette_score), and the silhouette and the distance to a centre against numpy by hand; results
are reproducible; false claims are false; bad options are errors that name the fix.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score

from blocktest import quote, run, spec_of
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

GROUPS = {"animals": ["dog", "cat", "horse", "cow", "sheep"], "countries": ["france", "germany", "china", "japan", "india"],
          "colours": ["red", "blue", "green", "yellow", "orange"]}
BODY = "groups:\n" + "".join(f"  {g}: [{', '.join(ws)}]\n" for g, ws in GROUPS.items())
WORDS = [w for ws in GROUPS.values() for w in ws]
TRUTH = [i for i, ws in enumerate(GROUPS.values()) for _ in ws]


def unit(kv):
    x = np.array([kv[w] for w in WORDS], dtype=np.float64)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_the_family_and_its_kinds():
    for name in ("kmeans", "silhouette", "cluster-exercise"):
        kind = registry()[name]
        assert kind.family == "clustering" and kind.needs_model
    assert registry()["cluster-exercise"].is_exercise


def test_first_seen_renumbers_clusters_in_order_of_appearance():
    from lexicon.blocks.clustering._clusters import first_seen, members

    assert first_seen([2, 2, 0, 1, 0]) == [0, 0, 1, 2, 1]
    assert members(["a", "b", "c", "d", "e"], [0, 0, 1, 2, 1]) == [["a", "b"], ["c", "e"], ["d"]]


def test_kmeans_fits_on_one_thread(monkeypatch, kv):
    """The number of OpenMP threads can change KMeans' sums, hence a page: a build with its helper
    process (one thread each) and one without (a thread per core) gave two k-means pages. The
    build computes every block on one thread (``compute_checked``), k-means included."""
    from threadpoolctl import threadpool_info

    from lexicon.build import compute_checked

    seen = []
    fit = KMeans.fit

    def spy(self, *args, **kwargs):
        seen.append({p["user_api"]: p["num_threads"] for p in threadpool_info()}.get("openmp"))
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(KMeans, "fit", spy)
    kind = registry()["cluster-exercise"]     # 'farthest': one k-means fit
    compute_checked(kind, kv, spec_of("cluster-exercise", kind.example))
    assert seen in ([1], [None]), seen     # None: no OpenMP runtime loaded at all


def test_kmeans_equals_scikit_learn_and_is_reproducible(kv):
    src = BODY + "ks: [2, 3, 4]\nn_init: 5\nseed: 3"
    spec, result, _, out = run(kv, "kmeans", src)
    x = unit(kv)
    for r in result["runs"]:
        km = KMeans(n_clusters=r["k"], n_init=5, random_state=3).fit(x)
        assert r["inertia"] == pytest.approx(km.inertia_, rel=1e-12)
        assert r["ari"] == pytest.approx(adjusted_rand_score(TRUTH, km.labels_), abs=1e-12)
        assert adjusted_rand_score(km.labels_, r["labels"]) == pytest.approx(1.0)   # the same partition
    assert run(kv, "kmeans", src)[1] == result
    # the table and the prose say the same
    assert f">{quote('kmeans', spec, result, 'ari').text}<" in out
    assert quote("kmeans", spec, result, "inertia", "2").text in out


def test_kmeans_values_and_claims(kv):
    spec, result, claims, _ = run(kv, "kmeans", BODY + "ks: [2, 3]\nexpect:\n  - ari > 0.9\n  - ari(2) > ari(3)"
                                                       "\n  - inertia(2) > inertia(3)")
    assert [c.ok for c in claims] == [result["runs"][1]["ari"] > 0.9, False, True]
    same = quote("kmeans", spec, result, "cluster_of", "dog").text.split(", ")
    labels = result["runs"][1]["labels"]
    assert same == [w for w, lab in zip(WORDS, labels) if lab == labels[0]]
    assert not run(kv, "kmeans", BODY + "ks: [2, 3]\nexpect:\n  - ari < 0")[2][0].ok


def test_silhouette_equals_scikit_learn_and_the_hand_formula(kv):
    spec, result, claims, out = run(kv, "silhouette", BODY + "ks: [2, 3, 4]\nk: 3\nexpect:\n  - best_k = 2")
    x = unit(kv)
    for r in result["runs"]:
        labels = KMeans(n_clusters=r["k"], n_init=10, random_state=0).fit_predict(x)
        assert r["silhouette"] == pytest.approx(silhouette_score(x, labels), abs=1e-12)
    # one word by hand: (b - a) / max(a, b), a = mean distance inside its cluster, b = to the nearest other
    labels = np.array(result["labels"])
    d = np.linalg.norm(x[:, None] - x[None], axis=2)
    for i in (0, 7, 14):
        own = (labels == labels[i]) & (np.arange(len(WORDS)) != i)
        a = d[i, own].mean()
        b = min(d[i, labels == c].mean() for c in set(labels.tolist()) if c != labels[i])
        assert result["samples"][i] == pytest.approx((b - a) / max(a, b), abs=1e-9)
    best = max(result["runs"], key=lambda r: r["silhouette"])["k"]
    assert claims[0].ok == (best == 2)
    worst = quote("silhouette", spec, result, "worst").text
    assert result["samples"][WORDS.index(worst)] == min(result["samples"])
    assert f">{quote('silhouette', spec, result, 'word', worst).text}<" in out
    assert quote("silhouette", spec, result, "worst_score").text == quote("silhouette", spec, result, "word", worst).text


def test_the_farthest_exercise_grades_the_distance_to_the_centre(kv):
    src = BODY + "ask: farthest\nchoices: [dog, india, orange]\nk: 3"
    spec, result, _, out = run(kv, "cluster-exercise", src)
    x = unit(kv)
    labels = np.array(result["labels"])
    # at convergence a centre is the mean of its cluster's words
    dist = {w: float(np.linalg.norm(x[WORDS.index(w)] - x[labels == labels[WORDS.index(w)]].mean(axis=0)))
            for w in spec.choices}
    assert result["scores"] == pytest.approx([dist[w] for w in spec.choices], abs=1e-9)
    assert quote("cluster-exercise", spec, result, "best").text == max(dist, key=dist.get)
    assert 'data-answer="' in out or "data-answer" in out


def test_the_border_exercise_grades_the_distance_to_the_nearest_cell_border(kv):
    src = BODY + "ask: border\nchoices: [dog, india, orange, cow]\nk: 3"
    spec, result, _, out = run(kv, "cluster-exercise", src)
    x = unit(kv)
    labels = np.array(result["labels"])
    centres = np.array([x[labels == c].mean(axis=0) for c in range(3)])   # at convergence, the cluster means
    border, centre = {}, {}
    for w in spec.choices:
        i = WORDS.index(w)
        own = labels[i]
        # the bisecting hyperplane (c' - c) . y = (|c'|^2 - |c|^2) / 2, and the point's distance to it
        border[w] = min(((centres[j] @ centres[j] - centres[own] @ centres[own]) / 2 - (centres[j] - centres[own]) @ x[i])
                        / np.linalg.norm(centres[j] - centres[own]) for j in range(3) if j != own)
        centre[w] = float(np.linalg.norm(x[i] - centres[own]))
    assert result["scores"] == pytest.approx([border[w] for w in spec.choices], abs=1e-9)
    assert result["centre"] == pytest.approx([centre[w] for w in spec.choices], abs=1e-9)
    assert all(b > 0 for b in border.values())                            # each word is inside its own cell
    assert quote("cluster-exercise", spec, result, "best").text == min(border, key=border.get)
    assert "Distance to the nearest cell border" in out


def test_the_best_k_exercise_agrees_with_the_silhouette_block(kv):
    _, result, claims, _ = run(kv, "cluster-exercise", BODY + "ask: best-k\nchoices: [2, 3, 4]\nanswer: 4")
    _, sil, _, _ = run(kv, "silhouette", BODY + "ks: [2, 3, 4]")
    assert result["scores"] == [r["silhouette"] for r in sil["runs"]]
    best = max(sil["runs"], key=lambda r: r["silhouette"])["k"]
    assert claims[0].ok == (best == 4)


@pytest.mark.parametrize("kind, extra, message, fix", [
    ("kmeans", "expect:\n  - purity > 0.5", "names 'purity', which the block does not compute", "ari, inertia"),
    ("kmeans", "ks: [2, 3]\nexpect:\n  - ari(6) > 0.5", "reads k = 6, which is not one of the k values", "add it to"),
    ("kmeans", "ks: [2, 16]", "asks for 16 clusters of only 15 words", "below 15"),
    ("kmeans", "expect:\n  - 1 > 0.5", "compares two numbers", "ari > 0.9"),
    ("silhouette", "expect:\n  - best_k(3) = 3", "'best_k' takes no k", "best_k = 5"),
    ("cluster-exercise", "ask: farthest\nchoices: [dog, wolf]", "'wolf' is not one of the block's words",
     "from 'groups'"),
    ("cluster-exercise", "ask: best-k\nchoices: [2, dog]", "every choice is a number of clusters", "choices: [3, 4, 5]"),
    ("cluster-exercise", "ask: best-k\nchoices: [2, 3]\nk: 3", "'k' is for 'ask: farthest'", "remove 'k'"),
    ("cluster-exercise", "ask: farthest\nchoices: [dog, cat]\nanswer: cow", "is not one of the choices", "dog, cat"),
])
def test_bad_blocks_name_the_fix(kind, extra, message, fix):
    with pytest.raises(LexiconError, match=__import__("re").escape(message)) as err:
        spec_of(kind, BODY + extra)
    assert fix in err.value.fix


def test_a_word_in_two_groups_and_a_bad_option_are_refused():
    with pytest.raises(LexiconError, match="listed twice"):
        spec_of("kmeans", "groups:\n  a: [dog, cat]\n  b: [cat, red]")
    with pytest.raises(LexiconError, match="n_init"):
        spec_of("kmeans", BODY + "n_init: 0")
    with pytest.raises(LexiconError, match="ask"):
        spec_of("cluster-exercise", BODY + "ask: nearest\nchoices: [dog, cat]")


# --- kmeans-dataset -------------------------------------------------------------------------------------

@pytest.mark.parametrize("scale", [True, False])
def test_kmeans_on_a_bundled_dataset_equals_scikit_learn(scale):
    from sklearn.datasets import load_iris
    from sklearn.preprocessing import StandardScaler

    kind = registry()["kmeans-dataset"]
    assert kind.family == "clustering" and not kind.needs_model and "scikit-learn" in kind.note
    spec, result, claims, out = run(None, "kmeans-dataset", f"dataset: iris\nscale: {str(scale).lower()}\nks: [2, 3]"
                                                             "\nexpect:\n  - ari > 0.6")
    data = load_iris()
    x = StandardScaler().fit_transform(data.data) if scale else data.data
    for r in result["runs"]:
        km = KMeans(n_clusters=r["k"], n_init=10, random_state=0).fit(x)
        assert r["inertia"] == pytest.approx(km.inertia_, rel=1e-12)
        assert r["ari"] == pytest.approx(adjusted_rand_score(data.target, km.labels_), abs=1e-12)
    counts = np.array(result["runs"][1]["counts"])
    assert counts.sum() == 150 and counts.sum(axis=0).tolist() == [50, 50, 50]
    assert counts[0].sum() > 0          # cluster 1 holds the first flower
    assert claims[0].ok
    assert quote("kmeans-dataset", spec, result, "count", "1", "setosa").text == f"{counts[0][0]:,}"
    with pytest.raises(LexiconError, match="no class 'rose'"):
        quote("kmeans-dataset", spec, result, "count", "1", "rose")
    with pytest.raises(LexiconError, match="no cluster '9'"):
        quote("kmeans-dataset", spec, result, "count", "9", "setosa")


def test_kmeans_dataset_refuses_an_unknown_dataset():
    with pytest.raises(LexiconError, match="dataset"):
        spec_of("kmeans-dataset", "dataset: diabetes")


# --- hierarchical and the linkage exercise --------------------------------------------------------------

def test_hierarchical_equals_scikit_learn_and_scipy(kv):
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.cluster import AgglomerativeClustering

    spec, result, claims, out = run(kv, "hierarchical", BODY + "linkages: [ward, single, complete]\nk: 3\n"
                                                             "expect:\n  - ari(ward) > ari(single)")
    x = unit(kv)
    for r in result["runs"]:
        labels = AgglomerativeClustering(n_clusters=3, linkage=r["linkage"]).fit_predict(x)
        assert r["ari"] == pytest.approx(adjusted_rand_score(TRUTH, labels), abs=1e-12)
    z = linkage(x, method="ward")
    assert np.allclose(np.array(result["merges"])[:, 2], z[:, 2])
    # SciPy's tree cut into 3 clusters is scikit-learn's ward clustering
    assert adjusted_rand_score(fcluster(z, 3, "maxclust"), result["runs"][0]["labels"]) == pytest.approx(1.0)
    assert sorted(result["leaves"]) == sorted(WORDS)
    assert claims[0].ok == (result["runs"][0]["ari"] > result["runs"][1]["ari"])
    assert quote("hierarchical", spec, result, "top").text in out
    assert run(kv, "hierarchical", BODY + "linkages: [ward, single, complete]\nk: 3")[1] == result


def test_the_merge_table_names_what_each_merge_joins():
    from lexicon.blocks.clustering.hierarchical import _joins

    merges = [[0, 1, 0.1, 2], [2, 3, 0.2, 2], [4, 5, 0.5, 4]]
    assert _joins(["a", "b", "c", "d"], merges) == ["a + b", "c + d", "a, b + c, d"]


def test_the_linkage_exercise_grades_the_lowest_adjusted_rand_index(kv):
    from sklearn.cluster import AgglomerativeClustering

    groups = {"fruit": ["apple", "banana", "cherry", "grape", "lemon", "mango"],
              "tools": ["hammer", "saw", "drill", "wrench", "chisel", "screwdriver"],
              "weather": ["rain", "snow", "wind", "storm", "fog", "sunshine"],
              "jobs": ["doctor", "teacher", "lawyer", "nurse", "engineer", "farmer"]}
    body = "groups:\n" + "".join(f"  {g}: [{', '.join(ws)}]\n" for g, ws in groups.items())
    spec, result, claims, _ = run(kv, "cluster-exercise", body + "ask: linkage\nchoices: [ward, single]\nanswer: single")
    words = [w for ws in groups.values() for w in ws]
    truth = [i for i, ws in enumerate(groups.values()) for _ in ws]
    x = np.array([kv[w] for w in words], dtype=np.float64)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    expected = [adjusted_rand_score(truth, AgglomerativeClustering(n_clusters=4, linkage=m).fit_predict(x))
                for m in ("ward", "single")]
    assert result["scores"] == pytest.approx(expected, abs=1e-12)
    assert expected[1] < expected[0] and claims[0].ok          # single linkage chains the groups together
    assert quote("cluster-exercise", spec, result, "best").text == "single"
    assert registry()["cluster-exercise"].graded_end(spec) == "lowest"


@pytest.mark.parametrize("kind, extra, message", [
    ("hierarchical", "linkages: [ward]\nexpect:\n  - ari(single) > 0.5", "'single', which is not one of the linkages"),
    ("hierarchical", "linkages: [median]", "linkages"),
    ("cluster-exercise", "ask: linkage\nchoices: [ward, median]", "'median' is not one of the linkages"),
])
def test_bad_linkages_are_refused(kind, extra, message):
    with pytest.raises(LexiconError, match=__import__("re").escape(message)):
        spec_of(kind, BODY + extra)
