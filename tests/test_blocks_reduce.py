"""The dimensionality-reduction and retrieval blocks: pca, variance-exercise, tsne, umap,
map-exercise, nearest-exercise, filtered-search, ann and ann-exercise.

Computed values are checked against scikit-learn, umap-learn, gensim and numpy called directly;
renderers must escape author text; bad input must fail with a message that names the fix.
"""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest

from lexicon.blocks import REGISTRY, RenderContext
from lexicon.blocks.base import read_yaml
from lexicon.errors import LexiconError
from lexicon.model import require_words

from project import build, make_project, term

MODEL = {"name": "Test model", "format": "glove", "sha256": "ab" * 32}
EVIL = "<script>alert('x')</script>"
GROUPS = {"animals": ["cat", "dog", "horse", "cow", "lion", "tiger"],
          "vehicles": ["car", "bus", "truck", "train", "boat", "taxi"],
          "fruit": ["apple", "banana", "grape", "lemon", "mango", "pear"]}
WORDS = [w for ws in GROUPS.values() for w in ws]


def run(kv, kind, data):
    """Parse, compute, check claims and render a block as the build does (without the cache)."""
    block = REGISTRY[kind]
    spec = block.parse(read_yaml(kind, _yaml(data), block.schema, block.example))
    require_words(kv, block.words(spec))
    result = block.compute(kv, spec)
    json.dumps(result)  # results are cached as JSON
    claims = block.claims(spec, result)
    out = block.render(spec, result, RenderContext(model_id=MODEL, anchor="b", claims=claims))
    return spec, result, claims, out


def _yaml(data) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def unit(kv, words):
    x = np.stack([kv[w] for w in words]).astype(np.float64)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def figures_in(page_html):
    return [json.loads(html.unescape(m)) for m in re.findall(r"data-figure='([^']*)'", page_html)]


# --- pca ------------------------------------------------------------------------------

def test_pca_shares_match_sklearn_and_claims_are_checked(kv):
    from sklearn.decomposition import PCA

    spec, result, claims, out = run(kv, "pca", {"groups": GROUPS, "expect": ["first 2 > 30%", "first 2 < 31%"]})
    ref = PCA(svd_solver="full").fit(unit(kv, WORDS))
    assert result["shares"] == pytest.approx(ref.explained_variance_ratio_.tolist(), abs=1e-5)
    assert np.abs(np.array(result["coords"])) == pytest.approx(np.abs(ref.transform(unit(kv, WORDS))[:, :2]), abs=1e-4)
    two = sum(ref.explained_variance_ratio_[:2]) * 100
    assert claims[0].ok == (two > 30) and claims[1].ok == (two < 31)
    assert f"{two:.2f}%" in claims[0].actual
    assert len(figures_in(out)) == 2  # the variance chart and the labelled map


def test_pca_top_words_uses_the_most_frequent_rows(kv):
    from sklearn.decomposition import PCA

    _, result, _, out = run(kv, "pca", {"top": 2000, "components": 5})
    x = np.asarray(kv.vectors[:2000], dtype=np.float64)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    ref = PCA(svd_solver="full").fit(x).explained_variance_ratio_
    assert result["shares"] == pytest.approx(ref.tolist(), abs=1e-5)
    assert len(figures_in(out)) == 1 and "most frequent words" in out


def test_pca_errors_name_the_fix(kv):
    block = REGISTRY["pca"]
    with pytest.raises(LexiconError, match="exactly one of 'words', 'groups' or 'top'") as e:
        block.parse({"words": ["cat", "dog"], "top": 100})
    assert "top: 10000" in e.value.fix
    with pytest.raises(LexiconError, match="cannot read the claim 'two < 30%'") as e:
        block.parse({"words": ["cat", "dog", "car"], "expect": ["two < 30%"]})
    assert "first 2 < 30%" in e.value.fix
    with pytest.raises(LexiconError, match="at most 3"):
        block.parse({"words": ["cat", "dog", "car"], "expect": ["first 5 < 30%"]})


# --- variance-exercise ------------------------------------------------------------------

def test_variance_exercise_answer_is_the_bin_of_the_real_share(kv):
    from sklearn.decomposition import PCA

    x = np.asarray(kv.vectors[:3000], dtype=np.float64)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    share = PCA(svd_solver="full").fit(x).explained_variance_ratio_[:3].sum() * 100
    labels = ["less than 5%", "5% to 15%", "15% to 30%", "30% or more"]
    right = labels[sum(share >= b for b in (5, 15, 30))]
    wrong = next(lab for lab in labels if lab != right)
    _, _, claims, out = run(kv, "variance-exercise", {"top": 3000, "components": 3, "bins": [5, 15, 30],
                                                      "answer": right})
    assert claims[0].ok and f"{share:.2f}%" in claims[0].actual
    answer = json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))
    assert answer["kind"] == "choice" and answer["answer"] == right
    _, _, claims, _ = run(kv, "variance-exercise", {"top": 3000, "components": 3, "bins": [5, 15, 30],
                                                    "answer": wrong})
    assert not claims[0].ok and right in claims[0].actual
    with pytest.raises(LexiconError, match="not one of the choices") as e:
        REGISTRY["variance-exercise"].parse({"top": 3000, "components": 3, "answer": "about half"})
    assert "10% to 25%" in e.value.fix


# --- tsne and umap ------------------------------------------------------------------------

def _kept(x, coords, k):
    """Shares of kept neighbours computed independently, with numpy sorting."""
    cos = x @ x.T
    np.fill_diagonal(cos, -np.inf)
    d = np.linalg.norm(coords[:, None] - coords[None], axis=-1)
    np.fill_diagonal(d, np.inf)
    full = np.argsort(-cos, axis=1, kind="stable")[:, :k]
    flat = np.argsort(d, axis=1, kind="stable")[:, :k]
    return np.mean([len(set(a) & set(b)) / k for a, b in zip(full, flat)])


def test_tsne_maps_match_sklearn_and_are_repeatable(kv):
    from sklearn.manifold import TSNE

    data = {"groups": GROUPS, "perplexities": [3, 8], "expect": ["kept(8) > 0.1", "groups(3) > 1.5"]}
    _, result, claims, out = run(kv, "tsne", data)
    x = unit(kv, WORDS)
    ref = TSNE(n_components=2, perplexity=8.0, init="pca", metric="cosine", random_state=42,
               max_iter=1000).fit_transform(x)
    ref = ref - ref.mean(axis=0)
    ref = ref / np.abs(ref).max()
    assert np.array(result["maps"][1]["coords"]) == pytest.approx(ref, abs=1e-3)
    assert result["maps"][1]["kept"] == pytest.approx(_kept(x, ref, 5), abs=0.02)
    assert claims[0].ok is (result["maps"][1]["kept"] > 0.1) and claims[1].ok is False
    assert run(kv, "tsne", data)[1] == result  # same seed, same numbers
    fig = figures_in(out)[0]
    assert len(fig["data"]) == 2 * len(GROUPS) and "perplexity 8" in json.dumps(fig["layout"])


def test_tsne_perplexity_must_be_below_the_number_of_words():
    with pytest.raises(LexiconError, match=r"perplexity 30 must be less than the number of words \(18\)") as e:
        REGISTRY["tsne"].parse({"groups": GROUPS, "perplexities": [5, 30]})
    assert "lower the perplexity below 18" in e.value.fix


def test_umap_is_deterministic_and_matches_umap_learn(kv):
    import warnings

    import umap

    x = unit(kv, WORDS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runs = [umap.UMAP(n_components=2, n_neighbors=5, min_dist=0.1, metric="cosine", random_state=7,
                          n_jobs=1).fit_transform(x) for _ in range(2)]
    assert np.array_equal(runs[0], runs[1])  # single-threaded with a seed: identical to the last digit
    _, result, claims, _ = run(kv, "umap", {"groups": GROUPS, "n_neighbors": [5], "seed": 7,
                                           "expect": ["kept(5) < 0.01"]})
    ref = runs[0] - runs[0].mean(axis=0)
    ref = ref / np.abs(ref).max()
    assert np.array(result["maps"][0]["coords"]) == pytest.approx(ref, abs=1e-3)
    assert claims[0].ok is (result["maps"][0]["kept"] < 0.01)
    assert "0." in claims[0].actual and "n_neighbors 5" in claims[0].actual


def test_sweep_errors_name_the_fix():
    umap_block = REGISTRY["umap"]
    with pytest.raises(LexiconError, match=r"n_neighbors 18 must be less than the number of words \(18\)"):
        umap_block.parse({"groups": GROUPS, "n_neighbors": [5, 18]})
    with pytest.raises(LexiconError, match="names n_neighbors 7, which the block does not compute") as e:
        umap_block.parse({"groups": GROUPS, "n_neighbors": [5, 15], "expect": ["kept(7) > 0.5"]})
    assert "5, 15" in e.value.fix
    with pytest.raises(LexiconError, match="listed twice"):
        umap_block.parse({"groups": {"a": ["cat", "dog"], "b": ["dog", "car"]}})
    with pytest.raises(LexiconError, match="either 'words'"):
        umap_block.parse({})


# --- map-exercise ---------------------------------------------------------------------------

def test_map_exercise_answer_is_the_highest_mean_cosine(kv):
    data = {"method": "pca", "groups": GROUPS, "target": "animals", "answer": "fruit"}
    _, result, claims, out = run(kv, "map-exercise", data)
    x = unit(kv, WORDS)
    a, v, f = x[:6], x[6:12], x[12:]
    means = {"vehicles": float((a @ v.T).mean()), "fruit": float((a @ f.T).mean())}
    assert result["cosine"] == pytest.approx(means, abs=1e-4)
    best = max(means, key=means.get)
    assert result["answer"] == best and claims[0].ok is (best == "fruit")
    answer = json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))
    assert answer["answer"] == best and set(answer["why"]) == {"vehicles", "fruit"}
    assert out.index("ll-plot") < out.index("<form")  # the map is part of the question


def test_map_exercise_errors():
    block = REGISTRY["map-exercise"]
    with pytest.raises(LexiconError, match="'target' \\(boats\\) is not one of the groups") as e:
        block.parse({"method": "pca", "groups": GROUPS, "target": "boats"})
    assert "animals, vehicles, fruit" in e.value.fix
    with pytest.raises(LexiconError, match="missing option 'setting'"):
        block.parse({"method": "tsne", "groups": GROUPS, "target": "fruit"})
    with pytest.raises(LexiconError, match="'answer' \\(fruit\\) is not one of the other groups"):
        block.parse({"method": "pca", "groups": GROUPS, "target": "fruit", "answer": "fruit"})


# --- nearest-exercise -------------------------------------------------------------------------

def test_nearest_exercise_scores_and_ranks_come_from_gensim(kv):
    opts = ["tea", "milk", "cup"]
    _, result, claims, out = run(kv, "nearest-exercise", {"word": "coffee", "options": opts, "answer": "cup"})
    assert result["scores"] == pytest.approx([float(kv.similarity("coffee", o)) for o in opts], abs=1e-4)
    assert result["ranks"] == [kv.rank("coffee", o) for o in opts]
    best = min(opts, key=lambda o: kv.rank("coffee", o))
    assert result["answer"] == best and claims[0].ok is (best == "cup")
    assert f"'{best}'" in claims[0].actual
    with pytest.raises(LexiconError, match="both the word and one of the options"):
        REGISTRY["nearest-exercise"].parse({"word": "tea", "options": ["tea", "milk"]})


# --- filtered-search ------------------------------------------------------------------------

def test_filtered_search_pre_and_post_filtering(kv):
    allow = ["tea", "milk", "juice", "beer", "wine", "water"]
    _, result, claims, _ = run(kv, "filtered-search", {"query": "coffee", "allow": allow, "k": 3, "fetch": 8,
                                                       "top": 20000, "expect": {"nearest": "milk"}})
    x = np.asarray(kv.vectors[:20000], dtype=np.float32)
    x = x / np.linalg.norm(x, axis=1, keepdims=True)
    sims = x @ x[kv.key_to_index["coffee"]]
    pre = sorted(allow, key=lambda w: -sims[kv.key_to_index[w]])[:3]
    assert [w for w, _, _ in result["pre"]] == pre
    fetched = [kv.index_to_key[j] for j in np.argsort(-sims, kind="stable")[1:9]]
    assert [w for w, _, _ in result["post"]] == [w for w in fetched if w in allow][:3]
    assert claims[0].ok is (pre[0] == "milk")
    with pytest.raises(LexiconError, match="post-filtering returns at most k"):
        REGISTRY["filtered-search"].parse({"query": "coffee", "allow": allow, "k": 3,
                                           "expect": {"post_filter": 4}})


def test_filtered_search_word_outside_the_store(kv):
    block = REGISTRY["filtered-search"]
    spec = block.parse({"query": "coffee", "allow": ["tea", "espresso", "macchiato"], "k": 2, "top": 1000})
    with pytest.raises(LexiconError, match="outside the store of the 1,000 most frequent words") as e:
        block.compute(kv, spec)
    assert "raise 'top'" in e.value.fix


# --- ann and ann-exercise (one pynndescent compile per test session) ----------------------------

@pytest.fixture(scope="module")
def ann_run(kv):
    data = {"queries": ["coffee", "chapter"], "top": 5000, "k": 5, "n_neighbors": [5, 10],
            "epsilon": [0.0, 0.2], "sample": 200,
            "expect": ["recall > 0.5", "recall(coffee) > 2", "recall rises"]}
    return run(kv, "ann", data)


def test_ann_exact_side_equals_gensim(kv, ann_run):
    _, result, _, _ = ann_run
    for q in result["queries"]:
        ref = [w for w, _ in kv.most_similar(q["word"], topn=5, restrict_vocab=5000)]
        assert [w for w, _ in q["exact"]] == ref


def test_ann_recall_counts_agree_with_pynndescent(kv, ann_run):
    import pynndescent

    spec, result, claims, out = ann_run
    x = np.asarray(kv.vectors[:5000], dtype=np.float32)
    x = x / np.linalg.norm(x, axis=1, keepdims=True)
    index = pynndescent.NNDescent(x, metric="cosine", n_neighbors=5, random_state=42, n_jobs=1)
    for q in result["queries"]:
        i = kv.key_to_index[q["word"]]
        found, _ = index.query(x[[i]], k=6, epsilon=0.0)
        approx = [kv.index_to_key[j] for j in found[0] if j != i][:5]
        assert [w for w, _, _ in q["approx"]] == approx
        assert q["found"] == len(set(approx) & {w for w, _ in q["exact"]})
    first = result["grid"][0]
    assert (first["n_neighbors"], first["epsilon"], first["total"]) == (5, 0.0, 1000)
    assert claims[0].ok is (first["found"] / 1000 > 0.5)
    assert claims[1].ok is False and "of the 5 true nearest neighbours" in claims[1].actual
    assert claims[2].statement.startswith("recall rises")
    assert "recall@5" in out and "Missed" in out


def test_ann_is_repeatable(kv, ann_run):
    spec, result, _, _ = ann_run
    again = REGISTRY["ann"].compute(kv, spec)
    assert again == result


def test_ann_errors_name_the_fix(kv):
    block = REGISTRY["ann"]
    with pytest.raises(LexiconError, match="names 'tea', which is not one of the queries"):
        block.parse({"queries": ["coffee"], "expect": ["recall(tea) > 0.5"]})
    with pytest.raises(LexiconError, match="cannot read the claim 'recall is high'") as e:
        block.parse({"queries": ["coffee"], "expect": ["recall is high"]})
    assert "recall > 0.9" in e.value.fix
    spec = block.parse({"queries": ["macchiato"], "top": 1000, "sample": 10})
    with pytest.raises(LexiconError, match="outside the index of the 1,000 most frequent words"):
        block.compute(kv, spec)


def test_ann_exercise_answer_is_the_setting_with_most_true_neighbours(kv, ann_run):
    _, grid_result, _, _ = ann_run
    data = {"settings": {"A": {"n_neighbors": 5, "epsilon": 0.0}, "B": {"n_neighbors": 10, "epsilon": 0.2}},
            "top": 5000, "k": 5, "sample": 200, "answer": "A"}
    _, result, claims, out = run(kv, "ann-exercise", data)
    by_setting = {(g["n_neighbors"], g["epsilon"]): g["found"] for g in grid_result["grid"]}
    assert result["found"] == [by_setting[(5, 0.0)], by_setting[(10, 0.2)]]  # same sample, same index
    best = "A" if result["found"][0] > result["found"][1] else "B"
    assert result["answer"] == best and claims[0].ok is (best == "A")


# --- escaping --------------------------------------------------------------------------------

def test_every_new_block_escapes_author_text():
    ctx = RenderContext(model_id=MODEL, anchor="b")
    groups = {EVIL: ["a", "b"], "g2": ["c", "d"], "g3": ["e", "f"]}
    coords = [[0.0, 0.0], [0.1, 0.2], [0.3, 0.1], [0.5, 0.5], [0.9, 0.1], [0.2, 0.8]]
    cases = {
        "pca": ({"groups": groups, "caption": EVIL}, {"shares": [0.5, 0.3, 0.2], "dims": 3, "coords": coords}),
        "variance-exercise": ({"groups": groups, "components": 2, "prompt": EVIL, "explanation": EVIL},
                              {"shares": [0.5, 0.3, 0.2]}),
        "tsne": ({"groups": groups, "perplexities": [2], "caption": EVIL},
                 {"maps": [{"coords": coords, "kept": 0.5, "groups": 1.0}]}),
        "umap": ({"groups": groups, "n_neighbors": [2]}, {"maps": [{"coords": coords, "kept": 0.5, "groups": 1.0}]}),
        "map-exercise": ({"method": "pca", "groups": groups, "target": "g2", "prompt": EVIL, "explanation": EVIL},
                         {"coords": coords, "others": [EVIL, "g3"], "cosine": {EVIL: 0.5, "g3": 0.2},
                          "distance": {EVIL: 1.0, "g3": 0.5}, "answer": EVIL, "map_answer": "g3"}),
        "nearest-exercise": ({"word": "q" + EVIL, "options": ["a", EVIL], "prompt": EVIL, "explanation": EVIL},
                             {"scores": [0.5, 0.6], "ranks": [3, 1], "answer": EVIL, "vocabulary": 10}),
        "filtered-search": ({"query": "q", "allow": [EVIL, "b"], "tag": EVIL, "k": 1, "caption": EVIL},
                            {"unfiltered": [[EVIL, 0.9, 1]], "pre": [[EVIL, 0.9, 1]], "post": [], "store": 1000}),
        "ann": ({"queries": [EVIL], "k": 1, "n_neighbors": [5, 10], "caption": EVIL},
                {"grid": [{"n_neighbors": 5, "epsilon": 0.1, "found": 9, "total": 10, "named_found": 1,
                           "named_total": 1},
                          {"n_neighbors": 10, "epsilon": 0.1, "found": 10, "total": 10, "named_found": 1,
                           "named_total": 1}],
                 "queries": [{"word": EVIL, "exact": [[EVIL, 0.9]], "approx": [["x", 0.8, 4]], "found": 0}],
                 "index_size": 1000, "dims": 50}),
        "ann-exercise": ({"settings": {"A": {"n_neighbors": 5}, "B": {"n_neighbors": 9}}, "prompt": EVIL,
                          "explanation": EVIL}, {"found": [5, 9], "total": 10, "answer": "B"}),
    }
    for kind, (data, result) in cases.items():
        block = REGISTRY[kind]
        out = block.render(block.parse(data), result, ctx)
        assert "<script>" not in out, kind
        assert "&lt;script&gt;" in out, kind
        for fig in figures_in(out):
            assert "data" in fig and "layout" in fig


def test_unknown_option_suggests_the_right_one():
    for kind, data, wrong, right in [("tsne", {"words": ["a", "b"], "perplexity": [5]}, "perplexity", "perplexities"),
                                     ("pca", {"top": 100, "component": 5}, "component", "components"),
                                     ("ann", {"queries": ["a"], "epsilon_": 0.1}, "epsilon_", "epsilon")]:
        block = REGISTRY[kind]
        with pytest.raises(LexiconError, match=f"unknown option '{wrong}'") as e:
            read_yaml(kind, _yaml(data), block.schema, block.example)
        assert f"did you mean '{right}'?" in e.value.fix


# --- end to end: a strict build names the file, the line and the fix ------------------------------

def test_strict_build_reports_each_broken_block(tmp_path):
    body = ("Intro.\n\n```pca\nwords: [cat, dog, car, bus]\nexpect:\n  - first 1 < 1%\n```\n\n"
            "```tsne\nwords: [cat, dog, car, bus]\nperplexities: [10]\n```\n\n"
            "```nearest-exercise\nword: cofee\noptions: [tea, milk]\n```\n")
    proc = build(make_project(tmp_path, {"page.md": body}))
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "docs/page.md:3: pca block: false claim: the first principal component explains less than 1%" in out
    assert "tsne block: perplexity 10 must be less than the number of words (4)" in out
    assert "Fix: lower the perplexity below 4" in out
    assert "nearest-exercise block: word 'cofee' is not in the model's vocabulary" in out
    assert "'coffee'" in out
