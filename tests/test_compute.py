"""The computations agree with gensim on the real model, and maps are deterministic."""

import numpy as np
import pytest

from lexicon import compute


def test_analogy_matches_gensim_most_similar(kv):
    result = compute.analogy(kv, ["king", "woman"], ["man"], topn=5)
    expected = kv.most_similar(positive=["king", "woman"], negative=["man"], topn=5)
    assert [w for w, _ in result["answers"]] == [w for w, _ in expected]
    for (_, got), (_, want) in zip(result["answers"], expected):
        assert got == pytest.approx(want, abs=1e-4)
    assert result["answers"][0][0] == "queen"
    # The picture holds every query word and the answer, plus the target point.
    assert set(result["points"]) == {"king", "woman", "man", "queen"}
    assert len(result["target"]) == 2


def test_bigger_big_small_is_larger_first_on_glove(kv):
    """The seed page's claim is not what GloVe 6B 50d says; the page must not repeat it."""
    answers = compute.analogy(kv, ["bigger", "small"], ["big"], topn=5)["answers"]
    assert [w for w, _ in answers[:2]] == ["larger", "smaller"]


def test_similarities_and_neighbours_match_gensim(kv):
    pairs = [["happy", "sad"], ["happy", "joyful"], ["happy", "computer"]]
    got = compute.similarities(kv, pairs)
    for (a, b), s in zip(pairs, got):
        assert s == pytest.approx(float(kv.similarity(a, b)), abs=1e-4)
    assert got[0] > got[1] > got[2]  # the exercise's answer: antonyms sit close
    nb = compute.neighbours(kv, "cat", 5)
    assert [w for w, _ in nb] == [w for w, _ in kv.most_similar("cat", topn=5)]


def test_onehot_vs_dense(kv):
    words = ["cat", "dog", "car"]
    r = compute.onehot_vs_dense(kv, words)
    assert r["onehot"] == np.eye(3, dtype=int).tolist()
    assert r["onehot_cosine"] == np.eye(3).tolist()
    assert r["dims"] == 50 and len(r["vectors"][0]) == 50
    assert r["vectors"][0][0] == pytest.approx(float(kv["cat"][0]), abs=1e-3)
    dense = np.array(r["dense_cosine"])
    assert dense[0, 1] == pytest.approx(float(kv.similarity("cat", "dog")), abs=1e-4)
    assert dense[0, 1] > dense[0, 2]


WORDS = {"animals": ["cat", "dog", "horse", "cow", "pig", "sheep", "goat", "lion", "tiger", "bear"],
         "vehicles": ["car", "bus", "truck", "train", "taxi", "van", "tram", "ferry", "boat", "ship"],
         "colours": ["red", "blue", "green", "yellow", "purple", "pink", "brown", "black", "white", "grey"]}


@pytest.mark.parametrize("method", ["pca", "tsne", "umap"])
def test_projections_are_deterministic_and_keep_groups(kv, method):
    words = [w for ws in WORDS.values() for w in ws]
    labels = [g for g, ws in WORDS.items() for _ in ws]
    a = compute.projections(kv, words, labels, [method], seed=42)
    b = compute.projections(kv, words, labels, [method], seed=42)
    assert a == b
    m = a["maps"][method]
    assert len(m["coords"]) == len(words) and all(len(c) == 2 for c in m["coords"])
    # Three well-separated groups: most words have a same-group neighbour on any map.
    assert m["agreement"] >= 0.8
    assert a["full_agreement"] >= 0.9
