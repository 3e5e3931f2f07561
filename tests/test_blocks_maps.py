"""The maps family: embedding-map, pca, tsne, umap, map-exercise and variance-exercise.

Computed values are checked against scikit-learn and umap-learn called directly; maps are
repeatable; renderers escape author text; bad input fails with a message that names the fix;
the values prose can quote are written as the blocks' own tables write them.
"""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest
import yaml

from blocktest import EVIL, MODEL, MODEL_SPEC, quote, run, spec_of
from lexicon.engine.checks import Checks, Where
from lexicon.engine.frame import RenderContext, block_html, exercise_html
from lexicon.engine.registry import registry
from lexicon.engine.yamlread import read_block
from lexicon.errors import LexiconError

from project import build, make_project

GROUPS = {"animals": ["cat", "dog", "horse", "cow", "lion", "tiger"],
          "vehicles": ["car", "bus", "truck", "train", "boat", "taxi"],
          "fruit": ["apple", "banana", "grape", "lemon", "mango", "pear"]}
WORDS = [w for ws in GROUPS.values() for w in ws]


def _yaml(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def go(kv, kind, data):
    """Run a block given as a dict, as the build does: (spec, result, claims, html)."""
    return run(kv, kind, _yaml(data))


def unit(kv, words):
    x = np.stack([kv[w] for w in words]).astype(np.float64)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def figures_in(page_html):
    return [json.loads(html.unescape(m)) for m in re.findall(r"data-figure='([^']*)'", page_html)]


def render_only(kind, data, result):
    """Render a block from a made-up result (no model), wrapped in the frame as the build does."""
    k = registry()[kind]
    spec = spec_of(kind, _yaml(data))
    check = Checks(Where("docs/test.md", 1, kind, "test.md", "b"))
    ctx = RenderContext(anchor="b", model_id=MODEL, model_spec=MODEL_SPEC)
    parts = k.render(spec, result, ctx)
    if k.is_exercise:
        return exercise_html(kind, k.prompt(spec), parts, spec.explanation, ctx, check.made)
    return block_html(kind, parts, ctx, check.made)


# --- pca ------------------------------------------------------------------------------------------

def test_pca_shares_match_sklearn_and_claims_are_checked(kv):
    from sklearn.decomposition import PCA

    spec, result, claims, out = go(kv, "pca", {"groups": GROUPS, "expect": ["first 2 > 30%", "first 2 < 31%"]})
    ref = PCA(svd_solver="full").fit(unit(kv, WORDS))
    assert result["shares"] == pytest.approx(ref.explained_variance_ratio_.tolist(), abs=1e-5)
    assert np.abs(np.array(result["coords"])) == pytest.approx(np.abs(ref.transform(unit(kv, WORDS))[:, :2]), abs=1e-4)
    two = sum(ref.explained_variance_ratio_[:2]) * 100
    assert claims[0].ok == (two > 30) and claims[1].ok == (two < 31)
    assert f"{two:.2f}%" in claims[0].actual
    assert len(figures_in(out)) == 2  # the variance chart and the labelled map
    assert 'class="ll-block ll-block--pca"' in out and "The scikit-learn calls behind these numbers" in out


def test_pca_top_words_uses_the_most_frequent_rows(kv):
    from sklearn.decomposition import PCA

    _, result, _, out = go(kv, "pca", {"top": 2000, "components": 5})
    x = np.asarray(kv.vectors[:2000], dtype=np.float64)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    ref = PCA(svd_solver="full").fit(x).explained_variance_ratio_
    assert result["shares"] == pytest.approx(ref.tolist(), abs=1e-5)
    assert len(figures_in(out)) == 1 and "most frequent words" in out


def test_pca_errors_name_the_fix():
    with pytest.raises(LexiconError, match="exactly one of 'words', 'groups' or 'top'") as e:
        spec_of("pca", _yaml({"words": ["cat", "dog"], "top": 100}))
    assert "top: 10000" in e.value.fix
    with pytest.raises(LexiconError, match="cannot read the claim 'two < 30%'") as e:
        spec_of("pca", _yaml({"words": ["cat", "dog", "car"], "expect": ["two < 30%"]}))
    assert "first 2 < 30%" in e.value.fix
    with pytest.raises(LexiconError, match="at most 3"):
        spec_of("pca", _yaml({"words": ["cat", "dog", "car"], "expect": ["first 5 < 30%"]}))
    with pytest.raises(LexiconError, match="a map of the 'top' words"):
        spec_of("pca", _yaml({"top": 100, "map": True}))


def test_pca_values_are_written_as_the_table_writes_them(kv):
    spec, result, _, out = go(kv, "pca", {"top": 10000, "components": 50})
    shares = result["shares"]
    cum = np.cumsum(shares)
    assert quote("pca", spec, result, "share", "2").text == f"{cum[1] * 100:.1f}%"
    assert quote("pca", spec, result, "component", "1").text == f"{shares[0] * 100:.1f}%"
    n = int(np.argmax(cum >= 0.9)) + 1
    v = quote("pca", spec, result, "components_for", "90%")
    assert v.text == str(n) and v.number == n and cum[n - 1] >= 0.9 > cum[n - 2]
    assert quote("pca", spec, result, "components_for", "0.5").text == str(int(np.argmax(cum >= 0.5)) + 1)
    assert quote("pca", spec, result, "points").text == "10,000"
    assert quote("pca", spec, result, "dims").text == "50"
    # The table beside the text shows the same strings.
    for text in (quote("pca", spec, result, "share", "2").text, quote("pca", spec, result, "component", "1").text):
        assert f">{text}<" in out
    with pytest.raises(LexiconError, match="no component '51'"):
        quote("pca", spec, result, "share", "51")
    with pytest.raises(LexiconError, match="not a share"):
        quote("pca", spec, result, "components_for", "most")


# --- variance-exercise --------------------------------------------------------------------------------

def test_variance_exercise_answer_is_the_bin_of_the_real_share(kv):
    from sklearn.decomposition import PCA

    x = np.asarray(kv.vectors[:3000], dtype=np.float64)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    share = PCA(svd_solver="full").fit(x).explained_variance_ratio_[:3].sum() * 100
    labels = ["less than 5%", "5% to 15%", "15% to 30%", "30% or more"]
    right = labels[sum(share >= b for b in (5, 15, 30))]
    wrong = next(lab for lab in labels if lab != right)
    spec, result, claims, out = go(kv, "variance-exercise", {"top": 3000, "components": 3, "bins": [5, 15, 30],
                                                             "answer": right})
    assert claims[0].ok and f"{share:.2f}%" in claims[0].actual
    answer = json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))
    assert answer["kind"] == "choice" and answer["answer"] == right
    # Each wrong band says which way it is off (the first hint), without naming the answer.
    for i, label in enumerate(labels):
        if label != right:
            said = answer["why"][label]
            assert said.startswith("too low" if i < labels.index(right) else "too high") and right not in said
    assert quote("variance-exercise", spec, result, "choice").text == right
    assert quote("variance-exercise", spec, result, "kept").text == f"{share:.1f}%"
    assert f"keep {quote('variance-exercise', spec, result, 'kept').text} of the variance" in out
    _, _, claims, _ = go(kv, "variance-exercise", {"top": 3000, "components": 3, "bins": [5, 15, 30],
                                                   "answer": wrong})
    assert not claims[0].ok and right in claims[0].actual
    with pytest.raises(LexiconError, match="not one of the choices") as e:
        spec_of("variance-exercise", _yaml({"top": 3000, "components": 3, "answer": "about half"}))
    assert "10% to 25%" in e.value.fix


def test_variance_exercise_counts_only_the_components_that_hold_variance(kv):
    # 6 points span at most 5 directions of the 50: the reveal speaks of 5 - 2 others, not 48.
    words = ["cat", "dog", "car", "truck", "king", "queen"]
    _, _, _, out = go(kv, "variance-exercise", {"words": words, "components": 2})
    assert "The other 3 components hold the remaining" in html.unescape(out)
    _, _, _, out = go(kv, "variance-exercise", {"top": 3000, "components": 3})
    assert "The other 47 components hold the remaining" in html.unescape(out)


def test_variance_exercise_errors_name_the_fix():
    with pytest.raises(LexiconError, match="'bins' must go up, each once"):
        spec_of("variance-exercise", _yaml({"top": 3000, "components": 3, "bins": [25, 10]}))
    with pytest.raises(LexiconError, match="3 components of 3 points always keep all the variance") as e:
        spec_of("variance-exercise", _yaml({"words": ["cat", "dog", "car"], "components": 3}))
    assert "fewer than 3 components" in e.value.fix
    assert spec_of("variance-exercise", _yaml({"top": 3000, "components": 3})).what == \
        "the model's 3,000 most frequent words"


# --- tsne and umap -------------------------------------------------------------------------------------

def _kept(x, coords, k):
    """Shares of kept neighbours computed independently, with numpy sorting."""
    cos = x @ x.T
    np.fill_diagonal(cos, -np.inf)
    d = np.linalg.norm(coords[:, None] - coords[None], axis=-1)
    np.fill_diagonal(d, np.inf)
    full = np.argsort(-cos, axis=1, kind="stable")[:, :k]
    flat = np.argsort(d, axis=1, kind="stable")[:, :k]
    return np.mean([len(set(a) & set(b)) / k for a, b in zip(full, flat)])


@pytest.fixture(scope="module")
def tsne_run(kv):
    data = {"groups": GROUPS, "perplexities": [3, 8], "expect": ["kept(8) > 0.1", "groups(3) > 1.5"]}
    return data, go(kv, "tsne", data)


def test_tsne_maps_match_sklearn_and_are_repeatable(kv, tsne_run):
    from sklearn.manifold import TSNE

    data, (_, result, claims, out) = tsne_run
    x = unit(kv, WORDS)
    ref = TSNE(n_components=2, perplexity=8.0, init="pca", metric="cosine", random_state=42,
               max_iter=1000).fit_transform(x)
    ref = ref - ref.mean(axis=0)
    ref = ref / np.abs(ref).max()
    assert np.array(result["maps"][1]["coords"]) == pytest.approx(ref, abs=1e-3)
    assert result["maps"][1]["kept"] == pytest.approx(_kept(x, ref, 5), abs=0.02)
    assert claims[0].ok is (result["maps"][1]["kept"] > 0.1) and claims[1].ok is False
    assert go(kv, "tsne", data)[1] == result  # same seed, same numbers
    fig = figures_in(out)[0]
    assert len(fig["data"]) == 2 * len(GROUPS) and "perplexity 8" in json.dumps(fig["layout"])


def test_sweep_values_are_written_as_the_table_writes_them(kv, tsne_run):
    from lexicon.render import fmt

    _, (spec, result, _, out) = tsne_run
    first, second = result["maps"]
    assert quote("tsne", spec, result, "kept_at", "8").text == fmt(second["kept"], 3)
    assert quote("tsne", spec, result, "kept_at", "3.0").text == fmt(first["kept"], 3)
    assert quote("tsne", spec, result, "groups_at", "3").text == fmt(first["groups"], 3)
    assert f">{fmt(second['kept'], 3)}<" in out
    assert quote("tsne", spec, result, "most_kept").text == ("3" if first["kept"] >= second["kept"] else "8")
    assert quote("tsne", spec, result, "fewest_kept").text == ("3" if first["kept"] <= second["kept"] else "8")
    assert quote("tsne", spec, result, "points").text == "18"
    assert quote("tsne", spec, result, "dims").text == "50"
    with pytest.raises(LexiconError, match="no map at perplexity 5") as e:
        quote("tsne", spec, result, "kept_at", "5")
    assert "3, 8" in e.value.fix


def test_tsne_perplexity_must_be_below_the_number_of_words():
    with pytest.raises(LexiconError, match=r"perplexity 30 must be less than the number of words \(18\)") as e:
        spec_of("tsne", _yaml({"groups": GROUPS, "perplexities": [5, 30]}))
    assert "lower the perplexity below 18" in e.value.fix


def test_umap_is_deterministic_and_matches_umap_learn(kv):
    import warnings

    import umap

    x = unit(kv, WORDS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runs = [umap.UMAP(n_components=2, n_neighbors=5, min_dist=0.1, metric="cosine", init="pca", random_state=7,
                          n_jobs=1).fit_transform(x) for _ in range(2)]
    assert np.array_equal(runs[0], runs[1])  # single-threaded with a seed: identical to the last digit
    _, result, claims, _ = go(kv, "umap", {"groups": GROUPS, "n_neighbors": [5], "seed": 7,
                                           "expect": ["kept(5) < 0.01"]})
    ref = runs[0] - runs[0].mean(axis=0)
    ref = ref / np.abs(ref).max()
    assert np.array(result["maps"][0]["coords"]) == pytest.approx(ref, abs=1e-3)
    assert claims[0].ok is (result["maps"][0]["kept"] < 0.01)
    assert "0." in claims[0].actual and "n_neighbors 5" in claims[0].actual


def test_sweep_errors_name_the_fix():
    with pytest.raises(LexiconError, match=r"n_neighbors 18 must be less than the number of words \(18\)"):
        spec_of("umap", _yaml({"groups": GROUPS, "n_neighbors": [5, 18]}))
    with pytest.raises(LexiconError, match="names n_neighbors 7, which the block does not compute") as e:
        spec_of("umap", _yaml({"groups": GROUPS, "n_neighbors": [5, 15], "expect": ["kept(7) > 0.5"]}))
    assert "5, 15" in e.value.fix
    with pytest.raises(LexiconError, match="listed twice"):
        spec_of("umap", _yaml({"groups": {"a": ["cat", "dog"], "b": ["dog", "car"]}}))
    with pytest.raises(LexiconError, match="either 'words'"):
        spec_of("umap", "")
    with pytest.raises(LexiconError, match=r"k \(5\) must be less than the number of words \(4\)"):
        spec_of("tsne", _yaml({"words": ["cat", "dog", "car", "bus"], "perplexities": [2]}))
    spec = spec_of("tsne", _yaml({"words": WORDS, "perplexities": [2], "expect": ["groups(2) > 0.5"]}))
    with pytest.raises(LexiconError, match="is about groups, but the block has one list of words"):
        registry()["tsne"].claims(spec, {"maps": [{"coords": [], "kept": 0.5}]}, Checks(Where("t.md", 1, "tsne")))


# --- embedding-map (was compute.projections) --------------------------------------------------------------

MAP_GROUPS = {"animals": ["cat", "dog", "horse", "cow", "pig", "sheep", "goat", "lion", "tiger", "bear"],
              "vehicles": ["car", "bus", "truck", "train", "taxi", "van", "tram", "ferry", "boat", "ship"],
              "colours": ["red", "blue", "green", "yellow", "purple", "pink", "brown", "black", "white", "grey"]}


@pytest.mark.parametrize("method", ["pca", "tsne", "umap"])
def test_projections_are_deterministic_and_keep_groups(kv, method):
    k = registry()["embedding-map"]
    spec = spec_of("embedding-map", _yaml({"groups": MAP_GROUPS, "methods": [method], "seed": 42}))
    a, b = k.compute(kv, spec), k.compute(kv, spec)
    assert a == b
    m = a["maps"][method]
    assert len(m["coords"]) == len(spec.word_list) and all(len(c) == 2 for c in m["coords"])
    # Three well-separated groups: most words have a same-group neighbour on any map.
    assert m["agreement"] >= 0.8
    assert a["full_agreement"] >= 0.9


def test_embedding_map_renders_one_tab_per_method_and_quotes_its_agreement(kv):
    data = {"groups": {"fruit": ["banana", "cherry", "grape", "lemon"], "tools": ["hammer", "saw", "drill", "wrench"]},
            "methods": ["pca", "tsne"], "caption": "Hover *here*."}
    spec, result, _, out = go(kv, "embedding-map", data)
    assert [lab for lab in re.findall(r'<label for="b-(\w+)-tab">', out)] == ["pca", "tsne"]
    assert 'id="b-pca"' in out and 'id="b-tsne"' in out and len(figures_in(out)) == 2
    assert '<p class="ll-map__caption">Hover <em>here</em>.</p>' in out
    assert "Coordinates of all 8 words" in out
    # Words written beside their points (at most 5 a group, none overlapping), named in the alt text;
    # every point names its word on hover.
    for fig in figures_in(out):
        written = [t for trace in fig["data"] for t in trace["text"] if t]
        assert 2 <= len(written) <= 8 and set(written) <= set(spec.word_list)
        assert sorted(t for trace in fig["data"] for t in trace["hovertext"]) == sorted(spec.word_list)
    assert out.count("Words written on the map: ") == 2
    v = quote("embedding-map", spec, result, "agreement", "tsne")
    assert v.text == f"{result['maps']['tsne']['agreement'] * 100:.0f}%" and f"t-SNE: {v.text} of words" in out
    assert quote("embedding-map", spec, result, "agreement", "PCA").number == result["maps"]["pca"]["agreement"]
    assert f"(in the full space: {quote('embedding-map', spec, result, 'full_agreement').text})" in out
    assert quote("embedding-map", spec, result, "points").text == "8"
    with pytest.raises(LexiconError, match="no 'umap' map"):
        quote("embedding-map", spec, result, "agreement", "umap")
    with pytest.raises(LexiconError, match="is in two groups"):
        spec_of("embedding-map", _yaml({"groups": {"a": ["cat", "dog"], "b": ["dog", "car"]}}))


# --- map-exercise -------------------------------------------------------------------------------------

def test_map_exercise_answer_is_the_highest_mean_cosine(kv):
    data = {"method": "pca", "groups": GROUPS, "target": "animals", "answer": "fruit"}
    spec, result, claims, out = go(kv, "map-exercise", data)
    x = unit(kv, WORDS)
    a, v, f = x[:6], x[6:12], x[12:]
    means = {"vehicles": float((a @ v.T).mean()), "fruit": float((a @ f.T).mean())}
    assert result["cosine"] == pytest.approx(means, abs=1e-4)
    best = max(means, key=means.get)
    assert result["answer"] == best and claims[0].ok is (best == "fruit")
    answer = json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))
    assert answer["answer"] == best and set(answer["why"]) == {"vehicles", "fruit"}
    # The map is part of the question: after the prompt, before the choices.
    assert out.index("ll-exercise__prompt") < out.index("ll-plot") < out.index("ll-exercise__choices")
    assert "Look at the PCA map. Which group do you think is closest to <em>animals</em>" in out
    assert quote("map-exercise", spec, result, "closest").text == best
    assert quote("map-exercise", spec, result, "map_closest").text == result["map_answer"]
    assert quote("map-exercise", spec, result, "cosine", "fruit").text == f"{result['cosine']['fruit']:.4f}"
    assert quote("map-exercise", spec, result, "distance", "fruit").text == \
        f"{result['distance']['fruit']:.3f}".replace("-", "−")
    with pytest.raises(LexiconError, match="'animals' is not one of the groups compared"):
        quote("map-exercise", spec, result, "cosine", "animals")


def test_map_exercise_errors():
    groups = _yaml({"groups": GROUPS})
    with pytest.raises(LexiconError, match="'target' \\(boats\\) is not one of the groups") as e:
        spec_of("map-exercise", "method: pca\ntarget: boats\n" + groups)
    assert "animals, vehicles, fruit" in e.value.fix
    with pytest.raises(LexiconError, match="missing option 'setting'"):
        spec_of("map-exercise", "method: tsne\ntarget: fruit\n" + groups)
    with pytest.raises(LexiconError, match="'answer' \\(fruit\\) is not one of the other groups"):
        spec_of("map-exercise", "method: pca\ntarget: fruit\nanswer: fruit\n" + groups)
    with pytest.raises(LexiconError, match="a PCA map has no 'setting'"):
        spec_of("map-exercise", "method: pca\nsetting: 5\ntarget: fruit\n" + groups)
    with pytest.raises(LexiconError, match="n_neighbors must be a whole number of 2 or more, not 2.5"):
        spec_of("map-exercise", "method: umap\nsetting: 2.5\ntarget: fruit\n" + groups)
    assert spec_of("map-exercise", "method: umap\nsetting: 5.0\ntarget: fruit\n" + groups).setting == 5


# --- escaping ---------------------------------------------------------------------------------------------

def test_every_maps_kind_escapes_author_text():
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
        "embedding-map": ({"groups": {EVIL: ["a", "b"], "g2": ["c", EVIL + "2"]}, "methods": ["pca"], "caption": EVIL},
                          {"full_agreement": 1.0, "ranks": [0, 1, 2, 3],
                           "maps": {"pca": {"coords": [[0, 0], [0, 1], [1, 0], [1, 1]], "agreement": 1.0}}}),
    }
    for kind, (data, result) in cases.items():
        out = render_only(kind, data, result)
        assert "<script>" not in out, kind
        assert "&lt;script&gt;" in out, kind
        assert "<b>model</b>" not in out, kind
        for fig in figures_in(out):
            assert "data" in fig and "layout" in fig
    # The data is intact; plotly draws it as text.
    out = render_only("embedding-map", *cases["embedding-map"])
    assert EVIL + "2" in [t for trace in figures_in(out)[0]["data"] for t in trace.get("hovertext", [])]


def test_unknown_option_suggests_the_right_one():
    for kind, data, wrong, right in [("tsne", {"words": ["a", "b"], "perplexity": [5]}, "perplexity", "perplexities"),
                                     ("pca", {"top": 100, "component": 5}, "component", "components")]:
        k = registry()[kind]
        with pytest.raises(LexiconError, match=f"unknown option '{wrong}'") as e:
            read_block(kind, _yaml(data), k.options, k.example)
        assert f"did you mean '{right}'?" in e.value.fix


def test_cache_keys_follow_the_result_options_only():
    """Options the old kinds kept out of their cache keys are display options here too."""
    display = {kind: sorted(n for n, o in registry()[kind].options if o.display)
               for kind in ("embedding-map", "pca", "tsne", "umap", "map-exercise", "variance-exercise")}
    assert display == {
        "embedding-map": ["caption", "id", "labels"],
        "pca": ["caption", "components", "expect", "id", "labels", "map"],
        "tsne": ["caption", "expect", "id"],
        "umap": ["caption", "expect", "id"],
        "map-exercise": ["answer", "explanation", "id", "map_answer", "prompt"],
        # components: the old kind hashed it, but the PCA it computes does not depend on it
        "variance-exercise": ["answer", "bins", "components", "explanation", "id", "prompt"],
    }


# --- end to end: a strict build names the file, the line and the fix ------------------------------------------

def test_strict_build_reports_each_broken_block(tmp_path):
    body = ("Intro.\n\n```pca\nwords: [cat, dog, car, bus]\nexpect:\n  - first 1 < 1%\n```\n\n"
            "```tsne\nwords: [cat, dog, car, bus]\nperplexities: [10]\n```\n")
    proc = build(make_project(tmp_path, {"page.md": body}))
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "docs/page.md:3: pca block: false claim: the first principal component explains less than 1%" in out
    assert "tsne block: perplexity 10 must be less than the number of words (4)" in out
    assert "Fix: lower the perplexity below 4" in out


# --- review 21: coordinates rounded once; the code panel lists every word; compare in variance-exercise -------

def test_pca_map_coordinates_are_rounded_once_and_the_panel_runs_as_shown(kv):
    from sklearn.decomposition import PCA

    words = ["cat", "dog", "horse", "cow", "lion", "tiger", "rabbit", "mouse", "india", "hockey", "golf", "car"]
    spec, result, _, out = go(kv, "pca", {"words": words})
    ref = PCA(svd_solver="full").fit(unit(kv, words)).transform(unit(kv, words))[:, :2]
    assert np.array(result["coords"]) == pytest.approx(ref * np.sign(ref[0] * np.array(result["coords"][0])), abs=1e-7)
    for w, c in zip(words, result["coords"]):        # the table shows each coordinate rounded once, to 3 decimals
        for x in c:
            assert f"{x:.3f}".replace("-", "−") in out or f"{x:.3f}" in out
    assert "..." not in out.split("The scikit-learn calls")[1]
    from lexicon.engine.pieces import Code
    code = next(p for p in registry()["pca"].render(spec, result, None) if isinstance(p, Code)).source
    scope = {"kv": kv}
    exec(code.replace("pca.transform(x)[:, :2]", "points = pca.transform(x)[:, :2]"), scope)   # noqa: S102
    assert scope["words"] == words
    assert np.abs(scope["points"]) == pytest.approx(np.abs(np.array(result["coords"])), abs=1e-7)


def test_variance_exercise_compares_with_other_words(kv):
    from sklearn.decomposition import PCA

    def kept(n, k):
        x = np.asarray(kv.vectors[:n], dtype=np.float64)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        return PCA(svd_solver="full").fit(x).explained_variance_ratio_[:k].sum()

    spec, result, _, out = go(kv, "variance-exercise", {"top": 1000, "compare": 3000, "components": 5, "bins": [20, 40]})
    other = kept(3000, 5)
    v = quote("variance-exercise", spec, result, "compared")
    assert v.number == pytest.approx(other, abs=1e-3) and v.text == f"{other * 100:.1f}%"
    assert f"Of the 3,000 most frequent words, the first 5 components keep {other * 100:.1f}%" in out
    assert ("less" if other < kept(1000, 5) else "more") in out.split("Of the 3,000")[1][:80]
    spec, result, _, _ = go(kv, "variance-exercise", {"top": 1000, "components": 5, "bins": [20, 40]})
    with pytest.raises(LexiconError, match="share of other words") as e:
        quote("variance-exercise", spec, result, "compared")
    assert "compare: 50000" in e.value.fix
    for bad in ({"words": WORDS, "compare": 3000}, {"top": 1000, "compare": 1000}):
        with pytest.raises(LexiconError, match="'compare'"):
            spec_of("variance-exercise", _yaml({**bad, "components": 2, "bins": [20]}))
