"""The distance family: distance-compare, distance-exercise, direction, direction-exercise, human-similarity,
direction-pca, debias, pairs-exercise.

Every number is checked against gensim, numpy and scipy called directly, on the real model;
renderers escape author text; every error names its fix; values quoted in prose read as the
blocks' tables; false claims fail a strict build with the file, the line and the fix.
"""

from __future__ import annotations

import html
import json
import re
from types import SimpleNamespace

import numpy as np
import pytest
from gensim.test.utils import datapath
from scipy.stats import spearmanr

from blocktest import EVIL, MODEL, MODEL_SPEC, run, spec_of
from lexicon.engine.deps import compute_code
from lexicon.engine.frame import RenderContext, block_html, exercise_html
from lexicon.engine.registry import registry
from lexicon.engine.values import block_value
from lexicon.errors import LexiconError
from lexicon.model import require_words
from project import build, make_project, term

PAIRS = "pairs:\n  - [he, she]\n  - [man, woman]\n  - [his, her]\n"


def figures_in(out):
    return [json.loads(html.unescape(m)) for m in re.findall(r"data-figure='([^']*)'", out)]


def answer_of(out):
    return json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))


def unit(v):
    v = np.asarray(v, dtype=np.float64)
    return v / np.linalg.norm(v)


def render_with(kind: str, source: str, result: dict) -> str:
    """Render a block from a made-up result (words need not be in the model), as the build does."""
    k = registry()[kind]
    spec = spec_of(kind, source)
    ctx = RenderContext(anchor="b", model_id=MODEL, model_spec=MODEL_SPEC)
    parts = k.render(spec, result, ctx)
    if k.is_exercise:
        return exercise_html(kind, k.prompt(spec), parts, spec.explanation, ctx, [])
    return block_html(kind, parts, ctx, [], figures=spec.figure, code=spec.code)


def quote(kv, kind: str, source: str, name: str, *args: str):
    """A value prose would quote from this block: ``{{ id.name(args) }}``."""
    spec, result, _, _ = run(kv, kind, source)
    return block_value(SimpleNamespace(kind=registry()[kind], spec=spec, result=result), name, list(args), False)


# --- distance-compare -------------------------------------------------------------------------

def test_distance_compare_matches_numpy(kv):
    pairs = [["cat", "dog"], ["minister", "ministry"]]
    _, result, _, out = run(kv, "distance-compare", "pairs:\n  - [cat, dog]\n  - [minister, ministry]\nnorms: true")
    for (a, b), m in zip(pairs, result["measures"]):
        va, vb = kv[a].astype(float), kv[b].astype(float)
        assert m["cosine"] == pytest.approx(float(kv.similarity(a, b)), abs=1e-4)
        assert m["dot"] == pytest.approx(float(np.dot(va, vb)), abs=1e-4)
        assert m["euclidean"] == pytest.approx(float(np.linalg.norm(va - vb)), abs=1e-4)
        assert m["norms"] == pytest.approx([float(np.linalg.norm(va)), float(np.linalg.norm(vb))], abs=1e-4)
    assert len(figures_in(out)) == 2  # ranks and norms
    assert 'class="ll-block ll-block--distance-compare"' in out


def test_distance_measures_disagree_because_of_length(kv):
    """The pages' point, on the real vectors: dot product and Euclidean distance rank by length too."""
    cos = lambda a, b: float(kv.similarity(a, b))  # noqa: E731
    dot = lambda a, b: float(np.dot(kv[a], kv[b]))  # noqa: E731
    l2 = lambda a, b: float(np.linalg.norm(kv[a] - kv[b]))  # noqa: E731
    assert cos("cat", "dog") > cos("minister", "ministry") and dot("cat", "dog") < dot("minister", "ministry")
    assert cos("king", "queen") > cos("lastly", "ironically") and l2("king", "queen") > l2("lastly", "ironically")
    src = ("pairs:\n  - [cat, dog]\n  - [minister, ministry]\nexpect:\n  - 'cosine: ordered'\n"
           "  - 'dot: cat~dog < minister~ministry'\n  - 'euclidean: king~queen < lastly~ironically'\n"
           "  - 'norm: minister > cat'\n  - 'dot: ordered'")
    _, _, claims, _ = run(kv, "distance-compare", src)
    assert [c.ok for c in claims] == [True, True, False, True, False]
    assert "Euclidean distance(king, queen) = " in claims[2].actual


def test_unit_vectors_make_all_three_rankings_agree(kv):
    src = ("pairs:\n  - [cat, dog]\n  - [king, queen]\n  - [lastly, ironically]\nunit: true\n"
           "expect:\n  - 'cosine: ordered'\n  - 'dot: ordered'\n  - 'euclidean: ordered'")
    _, result, claims, out = run(kv, "distance-compare", src)
    assert all(c.ok for c in claims)
    for m in result["measures"]:
        assert m["dot"] == pytest.approx(m["cosine"], abs=2e-4)
        assert m["euclidean"] ** 2 == pytest.approx(2 - 2 * m["cosine"], abs=1e-3)
        assert m["norms"] == pytest.approx([1.0, 1.0], abs=1e-4)
    code = html.unescape(re.sub(r"<[^>]+>", "", out))  # the highlighted snippet as plain text
    assert "kv.get_vector('cat', norm=True)" in code


def test_distance_compare_rank_figure_is_compact_and_deterministic(kv):
    src = "pairs:\n  - [cat, dog]\n  - [king, queen]\n  - [lastly, ironically]"
    a, b = run(kv, "distance-compare", src)[3], run(kv, "distance-compare", src)[3]
    assert a == b
    fig = figures_in(a)[0]
    assert [t["name"] for t in fig["data"]] == ["cat – dog", "king – queen", "lastly – ironically"]
    lastly = fig["data"][2]["y"]
    assert lastly[0] == 3 and lastly[2] == 2  # last by cosine, second by Euclidean distance
    raw = re.search(r"data-figure='([^']*)'", a).group(1)
    assert all(len(d) <= 4 for d in re.findall(r"-?\d+\.(\d+)", html.unescape(raw)))


def test_distance_compare_claim_errors_name_the_fix():
    with pytest.raises(LexiconError) as err:
        spec_of("distance-compare", "pairs:\n  - [cat, dog]\nmetrics: [cosine]\nexpect:\n  - 'dot: ordered'")
    assert "which the block does not show" in str(err.value) and "add dot to 'metrics'" in err.value.fix
    with pytest.raises(LexiconError) as err:
        spec_of("distance-compare", "pairs:\n  - [cat, dog]\nexpect:\n  - 'closeness: cat~dog > a~b'")
    assert "cannot read the claim" in str(err.value) and "'cosine: ordered'" in err.value.fix


# --- distance-exercise ------------------------------------------------------------------------

def test_distance_exercise_answer_is_computed(kv):
    pairs = [["man", "woman"], ["cat", "dog"], ["president", "minister"]]
    body = "pairs:\n" + "".join(f"  - [{a}, {b}]\n" for a, b in pairs)
    _, _, claims, out = run(kv, "distance-exercise", body + "metric: dot\nanswer: [president, minister]")
    best = max(pairs, key=lambda p: float(np.dot(kv[p[0]], kv[p[1]])))
    assert best == ["president", "minister"] and claims[0].ok
    assert answer_of(out)["answer"] == "president – minister"
    # A dot product is large or small, not close: it grows with length (the lesson of the dot-product page).
    assert "Which pair has the largest dot product?" in out
    assert "closest pair" not in html.unescape(out) and "closest first" not in html.unescape(out)
    assert "The pair with the largest dot product is <strong>president – minister</strong>" in html.unescape(out)
    assert claims[0].statement == "the pair with the largest dot product is president – minister"
    _, _, claims, out = run(kv, "distance-exercise", body + "metric: euclidean\nquestion: farthest\nanswer: [cat, dog]")
    far = max(pairs, key=lambda p: float(np.linalg.norm(kv[p[0]] - kv[p[1]])))
    assert answer_of(out)["answer"] == f"{far[0]} – {far[1]}" and claims[0].ok == (far == ["cat", "dog"])
    with pytest.raises(LexiconError, match="is not one of the pairs"):
        spec_of("distance-exercise", body + "metric: dot\nanswer: [cat, car]")
    with pytest.raises(LexiconError, match="a pair is listed twice"):
        spec_of("distance-exercise", body + "  - [cat, dog]\nmetric: dot")


@pytest.mark.parametrize("metric", ["cosine", "dot", "euclidean"])
def test_distance_exercise_answer_table_is_listed_closest_first_as_captioned(kv, metric):
    """Closest first, or for the dot product largest first (the caption says which)."""
    pairs = [["man", "woman"], ["cat", "car"], ["president", "minister"], ["cat", "dog"]]
    body = "pairs:\n" + "".join(f"  - [{a}, {b}]\n" for a, b in pairs) + f"metric: {metric}\n"
    _, _, _, out = run(kv, "distance-exercise", body)

    def score(p):
        u, v = kv[p[0]].astype(np.float64), kv[p[1]].astype(np.float64)
        return {"cosine": -float(u @ v / np.linalg.norm(u) / np.linalg.norm(v)), "dot": -float(u @ v),
                "euclidean": float(np.linalg.norm(u - v))}[metric]

    expected = [f"{a} – {b}" for a, b in sorted(pairs, key=score)]
    answer = html.unescape(out[out.index("largest first" if metric == "dot" else "closest first"):])
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>', answer)
    assert rows == expected, "the answer's table must follow its caption's order"
    assert expected != [f"{a} – {b}" for a, b in pairs]  # input order differs, so the test can fail


# --- human-similarity -------------------------------------------------------------------------

def test_human_similarity_matches_the_data_file_and_scipy(kv):
    src = ("pairs:\n  - [tiger, cat]\n  - [cup, coffee]\n  - [asylum, madhouse]\n  - [Wednesday, news]\n"
           "expect:\n  - 'human: asylum~madhouse > cup~coffee'\n  - 'model: asylum~madhouse > cup~coffee'\n"
           "  - 'dataset spearman > 0.45'")
    spec, result, claims, out = run(kv, "human-similarity", src)
    rows = {}
    for line in open(datapath("wordsim353.tsv"), encoding="utf-8"):
        if not line.startswith("#"):
            a, b, s = line.rstrip("\n").split("\t")
            rows[(a.lower(), b.lower())] = float(s)
    assert result["human"] == [rows[tuple(p)] for p in spec.pairs]
    assert result["model"] == pytest.approx([float(kv.similarity(a, b)) for a, b in spec.pairs], abs=1e-4)
    assert result["spearman"] == pytest.approx(spearmanr(result["human"], result["model"]).statistic, abs=1e-3)
    # Over the whole data set, the same number as gensim's own evaluation.
    gensim_rho = kv.evaluate_word_pairs(datapath("wordsim353.tsv"), restrict_vocab=len(kv))[1].statistic
    assert result["dataset"]["spearman"] == pytest.approx(gensim_rho, abs=1e-3)
    assert len(result["dataset"]["pairs"]) == 353
    assert [c.ok for c in claims] == [True, False, True]
    assert len(figures_in(out)[0]["data"]) == 2  # the data set behind, the chosen pairs in front


def test_human_similarity_simlex_and_unknown_pair(kv):
    _, result, claims, _ = run(kv, "human-similarity", "dataset: simlex999\npairs:\n  - [easy, difficult]\n"
                                                        "  - [hard, difficult]\nexpect:\n  - 'dataset spearman < 0.35'")
    assert result["human"][0] < result["human"][1] and result["model"][0] > result["model"][1]
    assert claims[0].ok
    with pytest.raises(LexiconError, match="the pair tiger–zebra is not in WordSim-353") as e:
        spec_of("human-similarity", "pairs:\n  - [tiger, zebra]\n  - [cup, coffee]")
    assert "tiger~cat" in e.value.fix
    assert e.value.word == "tiger"  # the build points at the line that names it
    with pytest.raises(LexiconError, match="names the pair cat~dog, which the block does not list"):
        spec_of("human-similarity",
                "pairs:\n  - [tiger, cat]\n  - [cup, coffee]\nexpect:\n  - 'human: cat~dog > cup~coffee'")
    with pytest.raises(LexiconError, match="needs the whole data set") as e:
        spec_of("human-similarity", "pairs:\n  - [tiger, cat]\n  - [cup, coffee]\nbackground: false\n"
                                    "expect:\n  - 'dataset spearman > 0.4'")
    assert "background: false" in e.value.fix


def test_human_similarity_ratings_files_join_the_cache_key():
    """The ratings are data the result is computed from: their content hashes are part of the key."""
    key = compute_code(type(registry()["human-similarity"]))
    assert set(key.data) == {"lexicon.blocks.distance._ratings.WORDSIM353", "lexicon.blocks.distance._ratings.SIMLEX999"}
    assert "scipy" in key.packages


# --- direction ------------------------------------------------------------------------------

def test_direction_projections_match_numpy(kv):
    src = PAIRS + "words: [nurse, engineer, captain, homemaker]\nexpect:\n  - nurse < 0\n  - captain > nurse"
    spec, result, claims, out = run(kv, "direction", src)
    d = unit(np.mean([unit(kv[a]) - unit(kv[b]) for a, b in spec.pairs], axis=0))
    for w, s in zip(spec.words, result["scores"]):
        assert s == pytest.approx(float(unit(kv[w]) @ d), abs=1e-4)
    for (a, b), g in zip(spec.pairs, result["pair_agreement"]):
        assert g == pytest.approx(float(unit(unit(kv[a]) - unit(kv[b])) @ d), abs=1e-4)
    assert all(c.ok for c in claims)
    fig = figures_in(out)[0]
    assert fig["data"][0]["y"] == [w for w, _ in sorted(zip(spec.words, result["scores"]),
                                                         key=lambda t: -t[1])]
    assert not any(t.startswith("-0.00") or t == "+0.00" for t in fig["data"][0]["text"])


def test_direction_false_claims_and_ordered(kv):
    _, result, claims, _ = run(kv, "direction", PAIRS + "words: [nurse, captain]\nexpect:\n  - nurse > 0\n"
                                                        "  - nurse > captain")
    assert [c.ok for c in claims] == [False, False]
    assert "projection of 'nurse' = −" in claims[0].actual.replace("-", "−")
    _, _, claims, _ = run(kv, "direction", PAIRS + "words: [captain, nurse]\nexpect: ordered")
    assert claims[0].ok
    _, _, claims, _ = run(kv, "direction", PAIRS + "words: [nurse, captain]\nexpect: ordered")
    assert not claims[0].ok and "the model's order: captain" in claims[0].actual


def test_direction_ends_name_the_claims_and_the_axis(kv):
    src = PAIRS + "words: [nurse, captain]\nends: [masculine, feminine]\nexpect:\n  - nurse < 0"
    _, _, claims, out = run(kv, "direction", src)
    assert claims[0].statement == "'nurse' leans towards 'feminine' (projection < 0)"
    assert "towards “masculine”" in figures_in(out)[0]["layout"]["xaxis"]["title"]["text"]


def test_direction_statement_errors_name_the_fix():
    with pytest.raises(LexiconError) as err:
        spec_of("direction", PAIRS + "words: [nurse, captain]\nexpect:\n  - nurse is small")
    assert "cannot read the statement" in str(err.value) and "'nurse < 0'" in err.value.fix
    with pytest.raises(LexiconError) as err:
        spec_of("direction", PAIRS + "words: [nurse, captain]\nexpect:\n  - pilot > 0")
    assert "'pilot', which is not one of the words" in str(err.value)


def test_direction_exercise_picks_the_extreme_word(kv):
    src = PAIRS + "words: [nurse, engineer, teacher]\ntowards: she\nanswer: nurse"
    spec, result, claims, out = run(kv, "direction-exercise", src)
    d = unit(np.mean([unit(kv[a]) - unit(kv[b]) for a, b in spec.pairs], axis=0))
    assert min(spec.words, key=lambda w: float(unit(kv[w]) @ d)) == "nurse"
    assert claims[0].ok
    answer = answer_of(out)
    assert answer["answer"] == "nurse" and "towards she" in answer["why"]["nurse"]
    assert "Which word does the model place furthest towards “she”?" in out
    with pytest.raises(LexiconError) as err:
        spec_of("direction-exercise", PAIRS + "words: [nurse, engineer]\ntowards: woman")
    assert "neither end of the first pair" in str(err.value) and "towards: he" in err.value.fix


# --- values for prose -------------------------------------------------------------------------

DC = "pairs:\n  - [cat, dog]\n  - [king, queen]\n  - [lastly, ironically]\nnorms: true"


def test_distance_compare_values_read_as_the_table(kv):
    _, result, _, out = run(kv, "distance-compare", DC)
    dot = quote(kv, "distance-compare", DC, "score", "dot", "dog", "cat")  # either order
    assert dot.number == result["measures"][0]["dot"] and f"<td class=\"ll-num\">{dot.text}</td>" in out
    length = quote(kv, "distance-compare", DC, "length", "lastly")
    assert length.number == result["measures"][2]["norms"][0] and length.text in out
    assert quote(kv, "distance-compare", DC, "rank", "euclidean", "lastly", "ironically").text == "2"
    assert quote(kv, "distance-compare", DC, "rank", "cosine", "lastly", "ironically").text == "3"
    with pytest.raises(LexiconError, match="the pair cat–car is not listed"):
        quote(kv, "distance-compare", DC, "score", "cosine", "cat", "car")
    with pytest.raises(LexiconError, match="'manhattan' is not a measure"):
        quote(kv, "distance-compare", DC, "score", "manhattan", "cat", "dog")


def test_distance_exercise_values_read_as_the_answer_table(kv):
    src = "pairs:\n  - [man, woman]\n  - [president, minister]\nmetric: dot"
    _, result, _, out = run(kv, "distance-exercise", src)
    cos = quote(kv, "distance-exercise", src, "score", "cosine", "president", "minister")
    assert cos.number == result["measures"][1]["cosine"] and f">{cos.text}<" in out
    assert quote(kv, "distance-exercise", src, "length", "president").number == result["measures"][1]["norms"][0]


def test_direction_values_read_as_the_tables(kv):
    src = PAIRS + "words: [nurse, captain, engineer]"
    _, result, _, out = run(kv, "direction", src)
    p = quote(kv, "direction", src, "projection", "nurse")
    assert p.number == result["scores"][0] and p.text.startswith("−") and f">{p.text}<" in out
    order = sorted(zip(["nurse", "captain", "engineer"], result["scores"]), key=lambda t: -t[1])
    assert quote(kv, "direction", src, "rank", "nurse").text == str([w for w, _ in order].index("nurse") + 1)
    g = quote(kv, "direction", src, "agreement", "man", "woman")
    assert g.number == result["pair_agreement"][1] and f">{g.text}<" in out
    with pytest.raises(LexiconError, match="'pilot' is not one of the block's words"):
        quote(kv, "direction", src, "projection", "pilot")
    ex = PAIRS + "words: [nurse, captain]\ntowards: he"
    assert quote(kv, "direction-exercise", ex, "projection", "nurse").text == p.text


def test_human_similarity_values_read_as_the_block(kv):
    src = "pairs:\n  - [tiger, cat]\n  - [cup, coffee]\n  - [Wednesday, news]"
    _, result, _, out = run(kv, "human-similarity", src)
    rho = quote(kv, "human-similarity", src, "spearman")
    assert rho.number == result["spearman"] and f"<strong>{rho.text}</strong>" in out
    d = quote(kv, "human-similarity", src, "dataset_spearman")
    assert d.number == result["dataset"]["spearman"] and f"<strong>{d.text}</strong>" in out
    assert quote(kv, "human-similarity", src, "dataset_size").text == "353"
    assert quote(kv, "human-similarity", src, "dataset_known").text == "353"
    h = quote(kv, "human-similarity", src, "human", "cat", "tiger")
    assert h.number == result["human"][0] and f">{h.text}<" in out
    m = quote(kv, "human-similarity", src, "model", "wednesday", "news")
    assert m.number == result["model"][2] and f">{m.text}<" in out
    with pytest.raises(LexiconError, match="does not compute the whole data set"):
        quote(kv, "human-similarity", src + "\nbackground: false", "dataset_spearman")


# --- options: what joins the cache key --------------------------------------------------------

@pytest.mark.parametrize("kind, display", [
    ("distance-compare", {"id", "metrics", "norms", "caption", "figure", "code"}),
    ("distance-exercise", {"id", "metric", "question", "answer", "prompt", "explanation"}),
    ("direction", {"id", "ends", "expect", "caption", "figure", "code"}),
    ("direction-exercise", {"id", "towards", "answer", "prompt", "explanation"}),
    ("human-similarity", {"id", "expect", "caption", "figure", "code"}),
    ("direction-pca", {"id", "expect", "caption", "figure", "code"}),
    ("debias", {"id", "expect", "code"}),
    ("pairs-exercise", {"id", "answer", "prompt", "explanation"}),
])
def test_display_options_stay_out_of_the_cache_key(kind, display):
    assert {name for name, o in registry()[kind].options if o.display} == display


def test_examples_compute(kv):
    for kind in ("distance-compare", "distance-exercise", "direction", "direction-exercise", "human-similarity",
                 "direction-pca", "debias", "pairs-exercise"):
        _, _, claims, out = run(kv, kind, registry()[kind].example)
        assert claims and all(c.ok for c in claims), kind
        assert "ll-error" not in out


# --- rendering: author text is escaped everywhere -----------------------------------------------

def test_every_kind_escapes_author_text():
    m = {"cosine": 0.5, "dot": 2.0, "euclidean": 1.0, "norms": [1.0, 2.0]}
    e = EVIL.replace("'", "''")
    cases = {
        "distance-compare": (f"pairs:\n  - ['{e}', b]\n  - [c, d]\ncaption: '{e}'\nnorms: true",
                             {"measures": [m, {**m, "cosine": 0.1}], "compared": []}),
        "distance-exercise": (f"pairs:\n  - ['{e}', b]\n  - [c, d]\nmetric: dot\nprompt: '{e}'\nexplanation: '{e}'",
                              {"measures": [m, {**m, "dot": 1.0}]}),
        # human-similarity validates its pairs against the data set: a real spec with an evil caption.
        "human-similarity": (f"pairs:\n  - [tiger, cat]\n  - [cup, coffee]\ncaption: '{e}'\nbackground: false",
                             {"human": [7.35, 6.58], "model": [0.6, 0.3], "spearman": 1.0}),
    }
    for kind, (source, result) in cases.items():
        out = render_with(kind, source, result)
        assert "<script>" not in out and "<b>model</b>" not in out, kind
        assert "&lt;script&gt;" in out, kind


@pytest.mark.parametrize("kind, source", [
    ("direction", PAIRS + "words: [nurse, captain]\ncaption: '{e}'"),
    ("direction-exercise", PAIRS + "words: [nurse, captain]\ntowards: he\nprompt: '{e}'\nexplanation: '{e}'"),
])
def test_author_text_is_escaped(kv, kind, source):
    _, _, _, out = run(kv, kind, source.format(e=EVIL.replace("'", "''")))
    assert "<script>" not in out and "<b>model</b>" not in out
    assert "&lt;script&gt;" in out


# --- errors name the fix ----------------------------------------------------------------------

def test_unknown_options_suggest_the_right_one():
    with pytest.raises(LexiconError) as err:
        spec_of("direction", PAIRS + "words: [nurse]\nword: [nurse]")
    assert "unknown option" in str(err.value) and "did you mean 'words'?" in err.value.fix


@pytest.mark.parametrize("kind, source", [
    ("direction", "pairs:\n  - [he, she]\nwords: [nurse, nurze]"),
    ("direction-exercise", "pairs:\n  - [he, shhe]\nwords: [nurse, teacher]\ntowards: he"),
])
def test_unknown_words_get_close_spellings(kv, kind, source):
    with pytest.raises(LexiconError) as err:
        require_words(kv, registry()[kind].words(spec_of(kind, source)))
    assert "is not in the model's vocabulary" in str(err.value) and "did you mean" in str(err.value)
    assert "correct the spelling" in err.value.fix


# --- the build: errors name the file, the line and the fix ----------------------------------------

SECTIONS = "## Definition\n\n## Key Concepts\n\n## Examples\n\n## Interactive Exercise\n\n## Pro Tips\n"


def test_strict_build_reports_each_broken_block_with_file_line_and_fix(tmp_path):
    blocks = [
        ("direction", PAIRS + "words: [nurse, captain]\nexpect:\n  - nurse > captain"),
        ("distance-compare", "pairs:\n  - [cat, dgo]"),
        ("distance-compare", "pairs:\n  - [cat, dog]\n  - [minister, ministry]\nexpect:\n  - 'dot: ordered'"),
        ("human-similarity",
         "pairs:\n  - [tiger, cat]\n  - [cup, coffee]\nexpect:\n  - 'model: cup~coffee > tiger~cat'"),
        ("direction", PAIRS + "words: [nurse, captain]\nend: [a, b]"),
    ]
    body = "".join(f"Intro.\n\n```{k}\n{b}\n```\n\n" for k, b in blocks) + SECTIONS
    page = term("t", body)
    fences = [i + 1 for i, line in enumerate(page.split("\n")) if line.startswith("```") and line != "```"]
    proc = build(make_project(tmp_path, {"terms/t.md": page}))
    out = proc.stderr + proc.stdout
    assert proc.returncode != 0
    assert (f"docs/terms/t.md:{fences[0]}: direction block: false claim: 'nurse' lies further towards 'he' "
            "than 'captain'") in out
    assert f"docs/terms/t.md:{fences[1] + 2}: distance-compare block: word 'dgo' is not in the model's vocabulary" in out
    assert "did you mean 'dog'" in out
    assert "distance-compare block: false claim: by dot product, the pairs as listed go from largest to smallest" in out
    assert "human-similarity block: false claim: the model scores cup–coffee higher than tiger–cat" in out
    assert f"docs/terms/t.md:{fences[4] + 6}: direction block: unknown option 'end'" in out
    assert "did you mean 'ends'?" in out
    assert "Fix: correct the claim" in out and "Aborted" in out


# --- direction-pca: Bolukbasi et al.'s PCA of centred definitional pairs ------------------------------

NINE = ("pairs:\n  - [woman, man]\n  - [girl, boy]\n  - [she, he]\n  - [mother, father]\n  - [daughter, son]\n"
        "  - [female, male]\n  - [her, his]\n  - [herself, himself]\n  - [mary, john]\n")


def test_direction_pca_equals_numpy_svd_of_the_centred_pairs(kv):
    src = NINE + "words: [nurse, engineer, person]\nbaseline_draws: 3\n"
    spec, result, _, out = run(kv, "direction-pca", src)
    rows = []
    for a, b in spec.pairs:
        mu = (unit(kv[a]) + unit(kv[b])) / 2
        rows += [unit(kv[a]) - mu, unit(kv[b]) - mu]
    rows = np.array(rows)
    centred = rows - rows.mean(axis=0)
    _, sv, vt = np.linalg.svd(centred, full_matrices=False)
    assert result["shares"][:5] == pytest.approx(list((sv ** 2 / (sv ** 2).sum())[:5]), abs=1e-6)
    g = vt[0] if sum(unit(kv[a]) @ vt[0] - unit(kv[b]) @ vt[0] for a, b in spec.pairs) > 0 else -vt[0]
    assert result["scores"] == pytest.approx([unit(kv[w]) @ g for w in spec.words], abs=1e-4)
    mean_dir = unit(np.mean([unit(kv[a]) - unit(kv[b]) for a, b in spec.pairs], axis=0))
    assert result["mean_cosine"] == pytest.approx(g @ mean_dir, abs=1e-6)
    assert result["scores"][0] > 0 > result["scores"][1]                 # nurse towards woman, engineer man
    assert len(figures_in(out)) == 2 and "PCA(n_components=len(pairs), svd_solver=" in html.unescape(re.sub("<[^>]+>", "", out))


def test_direction_pca_baseline_is_random_pairs_fixed_by_the_seed(kv):
    from lexicon.blocks.distance._pca_direction import pca_of_pairs

    _, a, _, _ = run(kv, "direction-pca", NINE + "baseline_draws: 4\nbaseline_vocab: 2000\nseed: 7")
    _, b, _, _ = run(kv, "direction-pca", NINE + "baseline_draws: 4\nbaseline_vocab: 2000\nseed: 7")
    assert a["baseline"] == b["baseline"] and len(a["baseline"]) == 4
    idx = np.random.default_rng(7).choice(2000, size=18, replace=False).reshape(-1, 2)
    first = pca_of_pairs([(kv.vectors[i], kv.vectors[j]) for i, j in idx])[1][0]
    assert a["baseline"][0] == pytest.approx(first, abs=1e-6)
    assert max(a["baseline"]) < a["shares"][0]                           # the pairs share a direction


def test_direction_pca_claims_and_values(kv):
    src = NINE + "words: [nurse, captain]\nbaseline_draws: 3\nexpect:\n  - share > baseline\n  - share > 0.7\n  - nurse > captain\n"
    spec, result, claims, _ = run(kv, "direction-pca", src)
    assert len(claims) == 3 and all(c.ok for c in claims)
    _, _, claims, _ = run(kv, "direction-pca", src.replace("share > 0.7", "share < 0.5").replace("nurse > captain",
                                                                                                   "nurse < 0"))
    assert [c.ok for c in claims] == [True, False, False]
    assert quote(kv, "direction-pca", src, "share").text == f"{100 * result['shares'][0]:.1f} %"
    assert quote(kv, "direction-pca", src, "share", "2").text == f"{100 * result['shares'][1]:.1f} %"
    assert quote(kv, "direction-pca", src, "projection", "nurse").text == f"{result['scores'][0]:.4f}"
    with pytest.raises(LexiconError, match="no axis"):
        quote(kv, "direction-pca", src, "share", "99")


@pytest.mark.parametrize("source, message", [
    (NINE + "expect:\n  - share > lots", "cannot read the claim"),
    (NINE + "words: [nurse]\nexpect:\n  - doctor > 0", "not one of the words"),
    (NINE + "baseline_draws: 0\nexpect:\n  - share > baseline", "baseline_draws is 0"),
    ("pairs:\n  - [she, he]", "pairs"),
])
def test_direction_pca_bad_input_names_the_fix(source, message):
    with pytest.raises(LexiconError, match=message) as err:
        spec_of("direction-pca", source)
    assert err.value.fix


# --- debias: neutralise, equalise, and Gonen & Goldberg's recovery test ------------------------------

DEBIAS = NINE + ("words: [nurse, engineer, babysit]\nequalise:\n  - [grandmother, grandfather]\n"
                 "vocab: 5000\nbiased: 100\nshuffles: 2\n")


def test_neutralise_and_equalise_do_what_they_promise(kv):
    from lexicon.blocks.distance._pca_direction import equalise, neutralise, pair_direction

    g, _ = pair_direction(kv, [["she", "he"], ["woman", "man"], ["her", "his"]])
    n = neutralise(kv[["nurse", "engineer"]], g)
    assert np.abs(n @ g).max() < 1e-12 and np.linalg.norm(n, axis=1) == pytest.approx([1, 1])
    ea, eb = equalise(kv["grandmother"], kv["grandfather"], g)
    assert np.linalg.norm(ea) == pytest.approx(1) and np.linalg.norm(eb) == pytest.approx(1)
    assert (ea - eb) @ g > 0                                             # grandmother keeps the 'she' side
    assert n @ ea == pytest.approx(n @ eb, abs=1e-12)                    # equally similar to every neutral word


def test_debias_recovery_equals_sklearn_called_directly(kv):
    import re as _re

    from sklearn.cluster import KMeans
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.neighbors import KNeighborsClassifier

    spec, result, _, out = run(kv, "debias", DEBIAS)
    assert result["after"] == [0.0, 0.0, 0.0] and result["residual"] == 0.0
    assert result["equalise"][0]["after"] == 0.0 and result["equalise"][0]["norms"] == [1.0, 1.0]
    from lexicon.blocks.distance._pca_direction import pair_direction
    g, _ = pair_direction(kv, spec.pairs)
    skip = {w for p in spec.pairs + spec.equalise for w in p}
    words = [w for w in kv.index_to_key[:5000] if _re.fullmatch("[a-z]+", w) and w not in skip]
    u = np.array([unit(kv[w]) for w in words])
    order = np.argsort(-(u @ g), kind="stable")
    idx = np.concatenate([order[:100], order[::-1][:100]])
    assert result["first_words"] == [words[i] for i in order[:12]]
    y = np.r_[np.ones(100, dtype=int), np.zeros(100, dtype=int)]
    d = u[idx] - np.outer(u[idx] @ g, g)
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    labels = KMeans(n_clusters=2, n_init=10, random_state=0).fit(d).labels_
    assert result["kmeans_after"] == pytest.approx(max(np.mean(labels == y), np.mean(labels != y)))
    knn = [cross_val_score(KNeighborsClassifier(n_neighbors=10), d, y,
                           cv=StratifiedKFold(5, shuffle=True, random_state=i)).mean() for i in range(2)]
    assert result["knn_after_runs"] == pytest.approx(knn)
    assert result["knn_before"] > 0.95 and result["knn_after"] > 0.75   # the lesson, on a small test
    assert "Can the two sides still be told apart?" in out
    # the control: the same test along random directions, called directly
    control = []
    for r in np.random.default_rng(0).standard_normal((10, u.shape[1])):
        r = r / np.linalg.norm(r)
        o = np.argsort(-(u @ r), kind="stable")
        ci = np.concatenate([o[:100], o[::-1][:100]])
        z = u[ci] - np.outer(u[ci] @ r, r)
        z /= np.linalg.norm(z, axis=1, keepdims=True)
        control.append(cross_val_score(KNeighborsClassifier(n_neighbors=10), z, y,
                                       cv=StratifiedKFold(5, shuffle=True, random_state=0)).mean())
    assert result["control_runs"] == pytest.approx(control)
    assert result["control"] == pytest.approx(np.mean(control)) and result["control_low"] == min(control)
    assert "random directions" in out
    gm = result["equalise"][0]                   # the middle column: neutral words neutralised, pair as it was
    w = np.array([unit(kv[x]) for x in spec.words])
    w = w - np.outer(w @ g, g)
    w /= np.linalg.norm(w, axis=1, keepdims=True)
    assert gm["neutralised"] == pytest.approx(np.mean(np.abs(w @ unit(kv["grandmother"]) - w @ unit(kv["grandfather"]))),
                                              abs=1e-6)
    assert gm["after"] < 1e-9 < gm["neutralised"] < gm["before"]


def test_debias_claims_values_and_bad_input(kv):
    spec, result, claims, _ = run(kv, "debias", DEBIAS + "expect:\n  - knn_before > 0.95\n  - knn_after < 0.5\n"
                                  "  - control_high > control_low\n  - control < control_low\n")
    assert [c.ok for c in claims] == [True, False, True, False]
    assert quote(kv, "debias", DEBIAS, "accuracy", "control").text == f"{100 * result['control']:.1f} %"
    assert quote(kv, "debias", DEBIAS, "controls").text == "10"
    assert quote(kv, "debias", DEBIAS, "gap", "grandmother", "neutralised").number == result["equalise"][0]["neutralised"]
    assert quote(kv, "debias", DEBIAS, "accuracy", "knn_after").text == f"{100 * result['knn_after']:.1f} %"
    assert quote(kv, "debias", DEBIAS, "gap", "grandmother", "after").text == "0"
    assert quote(kv, "debias", DEBIAS, "per_side").text == "100"
    with pytest.raises(LexiconError, match="not a measure"):
        quote(kv, "debias", DEBIAS, "accuracy", "svm_after")
    for source, message in ((DEBIAS + "expect:\n  - svm_after > 0.5\n", "cannot read the claim"),
                            (NINE + "words: [nurse, actor]\nequalise:\n  - [actress, actor]\n", "both a neutral word"),
                            (NINE + "words: [nurse]\nbiased: 5\n", "biased"),
                            (DEBIAS + "expect:\n  - knn_after < svm\n", "cannot read the claim"),
                            (DEBIAS + "controls: 0\nexpect:\n  - knn_after < control\n", "needs the control")):
        with pytest.raises(LexiconError, match=message) as err:
            spec_of("debias", source)
        assert err.value.fix


def _printed(code: str, kv) -> list[str]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "code panel", "exec"), {"kv": kv})  # noqa: S102 - the block's own code panel
    return out.getvalue().strip().splitlines()


def test_the_code_panels_run_as_shown_and_print_the_blocks_numbers(kv):
    from lexicon.blocks.distance import debias, direction_pca

    spec, result, _, _ = run(kv, "direction-pca", NINE + "words: [nurse, captain]\nbaseline_draws: 2\n")
    lines = _printed(direction_pca._code(spec), kv)
    shares = [float(x) for x in lines[0].strip("[]").split() + " ".join(lines[1:-2]).strip("[] ").split()]
    assert shares[:3] == pytest.approx(result["shares"][:3], abs=1e-6)
    assert [float(line.split()[1]) for line in lines[-2:]] == pytest.approx(result["scores"], abs=1e-4)
    spec, result, _, _ = run(kv, "debias", DEBIAS)
    lines = _printed(debias._code(spec), kv)
    assert float(lines[0].split()[1]) == pytest.approx(result["kmeans_after"])
    knn = [float(line.split()[1]) for line in lines if line.startswith("kNN")]
    assert knn == pytest.approx(result["knn_after_runs"])
    control = [float(line.split()[1]) for line in lines if line.startswith("control")]
    assert control == pytest.approx(result["control_runs"])


# --- pairs-exercise: which added pair weakens the first axis most? ------------------------------------

PAIRS_EX = NINE + "choices:\n  - [queen, king]\n  - [ms, mr]\n  - [niece, nephew]\nneighbours: 2\nanswer: [ms, mr]\n"


def test_pairs_exercise_shares_equal_numpy_and_the_lowest_wins(kv):
    spec, result, claims, out = run(kv, "pairs-exercise", PAIRS_EX)

    def first_share(pairs):
        rows = []
        for a, b in pairs:
            mu = (unit(kv[a]) + unit(kv[b])) / 2
            rows += [unit(kv[a]) - mu, unit(kv[b]) - mu]
        rows = np.array(rows) - np.mean(rows, axis=0)
        sv = np.linalg.svd(rows, compute_uv=False)
        return (sv[0] ** 2) / (sv ** 2).sum()

    assert result["base"] == pytest.approx(first_share(spec.pairs), abs=1e-6)
    assert result["shares"] == pytest.approx([first_share(spec.pairs + [p]) for p in spec.choices], abs=1e-6)
    assert min(result["shares"]) == result["shares"][1] and all(c.ok for c in claims)
    assert result["neighbours"]["ms"] == [w for w, _ in kv.most_similar("ms", topn=2)]
    assert answer_of(out)["answer"] == "ms − mr"
    k = registry()["pairs-exercise"]
    assert k.graded(spec, result) == {"queen − king": result["shares"][0], "ms − mr": result["shares"][1],
                                      "niece − nephew": result["shares"][2]} and k.graded_end(spec) == "lowest"
    _, _, claims, _ = run(kv, "pairs-exercise", PAIRS_EX.replace("answer: [ms, mr]", "answer: [niece, nephew]"))
    assert not claims[0].ok and "with ms − mr" in claims[0].actual


@pytest.mark.parametrize("source, message", [
    (NINE + "choices:\n  - [she, he]\n  - [ms, mr]", "already one of the pairs"),
    (NINE + "choices:\n  - [ms, mr]\n  - [ms, mr]", "two choices are the same pair"),
    (NINE + "choices:\n  - [ms, mr]\n  - [queen, king]\nanswer: [aunt, uncle]", "not one of the choices"),
    (NINE + "choices:\n  - [ms, mr]", "choices"),
])
def test_pairs_exercise_bad_input_names_the_fix(source, message):
    with pytest.raises(LexiconError, match=message) as err:
        spec_of("pairs-exercise", source)
    assert err.value.fix
