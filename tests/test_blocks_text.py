"""The text and distance blocks: tokenize, vocabulary, distance-compare, human-similarity and their exercises.

Every number is checked against gensim / numpy / scipy computed here directly, on the real model.
"""

from __future__ import annotations

import html
import json
import re

import gensim
import numpy as np
import pytest
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess, tokenize
from scipy.stats import spearmanr

from lexicon.blocks import REGISTRY, RenderContext
from lexicon.blocks.base import read_yaml
from lexicon.errors import LexiconError
from lexicon.model import require_words
from project import build, make_project, term

from blocktest import EVIL, MODEL, run, spec_of  # noqa: E402,F401
SENTENCE = "The café's Wi-Fi didn't work at 9:30, so I e-mailed them."






def figures_in(out):
    return [json.loads(html.unescape(m)) for m in re.findall(r"data-figure='([^']*)'", out)]


def answer_of(out):
    return json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))


def rank(kv, w):
    return kv.key_to_index[w] + 1 if w in kv.key_to_index else None


# --- tokenize ----------------------------------------------------------------------------------

@pytest.mark.parametrize("tokenizer, expected", [
    ("simple_preprocess", lambda t: simple_preprocess(t)),
    ("tokenize", lambda t: list(tokenize(t, lowercase=True))),
    ("split", lambda t: t.lower().split()),
])
def test_tokenize_matches_gensim_and_looks_up_frequency_ranks(kv, tokenizer, expected):
    _, result, _, out = run(kv, "tokenize", f'texts: ["{SENTENCE}"]\ntokenizer: {tokenizer}')
    tokens = expected(SENTENCE)
    assert [t for t, _ in result["tokens"][0]] == tokens
    assert [r for _, r in result["tokens"][0]] == [rank(kv, t) for t in tokens]
    assert result["vocabulary_size"] == len(kv)
    # The index is a frequency rank: 'the' is the first row of GloVe.
    assert kv.index_to_key[0] == "the" and dict(result["tokens"][0])["the"] == 1
    for t, r in result["tokens"][0]:
        assert f"<code>{html.escape(t)}</code>" in out or f"<mark>{html.escape(t)}</mark>" in out


def test_tokenize_claims_count_oov_and_tokens(kv):
    src = (f'texts: ["{SENTENCE}"]\ntokenizer: split\nexpect:\n  tokens: 11\n'
           "  out-of-vocabulary: [\"café's\", \"didn't\", \"9:30,\", them.]\n  includes: [wi-fi]\n  excludes: [wi]")
    _, result, claims, out = run(kv, "tokenize", src)
    oov = [t for t in SENTENCE.lower().split() if t not in kv.key_to_index]
    assert oov == ["café's", "didn't", "9:30,", "them."]
    assert [c.ok for c in claims] == [True, True, True, True]
    assert out.count("✓") == 4 and "(not in the vocabulary)" in out
    # The same claims, wrong: each is false and says what the model found.
    bad = (f'texts: ["{SENTENCE}"]\ntokenizer: simple_preprocess\nexpect:\n  tokens: 11\n'
           "  out-of-vocabulary: [selfie]\n  includes: [t]\n  excludes: [didn]")
    _, _, claims, _ = run(kv, "tokenize", bad)
    assert [c.ok for c in claims] == [False, False, False, False]
    n = len(simple_preprocess(SENTENCE))
    assert f"it makes {n}:" in claims[0].actual
    assert "none" in claims[1].actual


def test_tokenize_needs_no_vocabulary_words_and_counts_per_text(kv):
    block = REGISTRY["tokenize"]
    spec = spec_of("tokenize", 'texts: ["Bob posted a selfie on TikTok.", "to be or not to be"]\n'
                               "expect:\n  tokens: [5, 6]\n  out-of-vocabulary: [selfie, tiktok]")
    assert block.words(spec) == []  # out-of-vocabulary tokens are shown, never an error
    result = block.compute(kv, spec)
    assert [c.ok for c in block.claims(spec, result)] == [True, True]
    with pytest.raises(LexiconError, match="lists 1 counts for 2 texts"):
        spec_of("tokenize", 'texts: ["a b", "c d"]\nexpect:\n  tokens: [2]')
    # The tokens depend on gensim's code: its version is part of the cache key.
    assert block.result_inputs(spec)["gensim"] == gensim.__version__


def test_tokenize_exercise_answer_is_computed_and_must_be_a_choice(kv):
    _, result, claims, out = run(kv, "tokenize-exercise",
                                 "text: \"It's 5 o'clock: time for tea!\"\nchoices: [5, 6, 7]\nanswer: 5")
    n = len(simple_preprocess("It's 5 o'clock: time for tea!"))
    assert n == 5 and claims[0].ok
    answer = answer_of(out)
    assert answer["kind"] == "choice" and answer["answer"] == str(n)
    assert set(answer["why"]) == {"5", "6", "7"} and "1 too many" in answer["why"]["6"]
    assert '<section class="ll-exercise__reveal" hidden data-search-exclude>' in out
    with pytest.raises(LexiconError, match="makes 5 tokens of the text, which is not one of the choices") as e:
        run(kv, "tokenize-exercise", "text: \"It's 5 o'clock: time for tea!\"\nchoices: [6, 7]")
    assert "add 5 to 'choices'" in e.value.fix
    _, _, claims, _ = run(kv, "tokenize-exercise",
                          "text: \"It's 5 o'clock: time for tea!\"\nchoices: [5, 6]\nanswer: 6")
    assert not claims[0].ok


# --- vocabulary -------------------------------------------------------------------------------

def test_vocabulary_ranks_size_and_claims(kv):
    src = ("words: [the, cat, aardvark, tokenisation]\ntop: 5\nexpect:\n  - rank(the) = 1\n"
           "  - rank(dog) < rank(cat)\n  - rank(aardvark) > 50000\n  - tokenisation not in vocabulary\n"
           "  - size = 400000\n  - rank(tokenisation) < 10")
    spec, result, claims, out = run(kv, "vocabulary", src)
    assert result["size"] == len(kv) == 400_000
    assert result["top"] == kv.index_to_key[:5]
    assert result["ranks"] == {w: rank(kv, w) for w in ["the", "cat", "aardvark", "tokenisation", "dog"]}
    assert result["ranks"]["tokenisation"] is None
    assert [c.ok for c in claims] == [True, rank(kv, "dog") < rank(kv, "cat"), True, True, True, False]
    assert "not in the vocabulary" in claims[-1].actual
    assert spec["size"] is True and "<strong>400,000</strong>" in out
    fig = figures_in(out)[0]
    assert fig["data"][0]["x"] == [rank(kv, w) for w in ["the", "cat", "aardvark"]]
    assert fig["layout"]["xaxis"]["type"] == "log"


def test_vocabulary_claim_syntax_errors_name_the_fix():
    with pytest.raises(LexiconError, match="cannot read the claim 'the is first'") as e:
        spec_of("vocabulary", "words: [the]\nexpect:\n  - the is first")
    assert "rank(the) = 1" in e.value.fix
    with pytest.raises(LexiconError, match="shows nothing"):
        spec_of("vocabulary", "figure: false")


def test_vocabulary_exercise_questions(kv):
    _, _, claims, out = run(kv, "vocabulary-exercise", "words: [colour, emoji, aardvark]\nanswer: emoji")
    assert "emoji" not in kv.key_to_index and claims[0].ok and answer_of(out)["answer"] == "emoji"
    words = ["cat", "dog", "horse", "rabbit"]
    _, _, _, out = run(kv, "vocabulary-exercise", f"words: [{', '.join(words)}]\nquestion: most-frequent")
    assert answer_of(out)["answer"] == min(words, key=lambda w: kv.key_to_index[w])
    _, _, _, out = run(kv, "vocabulary-exercise", f"words: [{', '.join(words)}]\nquestion: least-frequent")
    assert answer_of(out)["answer"] == max(words, key=lambda w: kv.key_to_index[w])
    with pytest.raises(LexiconError, match="2 of the words are not in the vocabulary"):
        run(kv, "vocabulary-exercise", "words: [colour, emoji, selfie]")
    # Frequency questions need every word: an unknown one is the usual vocabulary error.
    with pytest.raises(LexiconError, match="word 'emoji' is not in the model's vocabulary"):
        run(kv, "vocabulary-exercise", "words: [colour, emoji, cat]\nquestion: most-frequent")


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


def test_distance_exercise_answer_is_computed(kv):
    pairs = [["man", "woman"], ["cat", "dog"], ["president", "minister"]]
    body = "pairs:\n" + "".join(f"  - [{a}, {b}]\n" for a, b in pairs)
    _, _, claims, out = run(kv, "distance-exercise", body + "metric: dot\nanswer: [president, minister]")
    best = max(pairs, key=lambda p: float(np.dot(kv[p[0]], kv[p[1]])))
    assert best == ["president", "minister"] and claims[0].ok
    assert answer_of(out)["answer"] == "president – minister"
    _, _, claims, out = run(kv, "distance-exercise", body + "metric: euclidean\nquestion: farthest\nanswer: [cat, dog]")
    far = max(pairs, key=lambda p: float(np.linalg.norm(kv[p[0]] - kv[p[1]])))
    assert answer_of(out)["answer"] == f"{far[0]} – {far[1]}" and claims[0].ok == (far == ["cat", "dog"])
    with pytest.raises(LexiconError, match="is not one of the pairs"):
        spec_of("distance-exercise", body + "metric: dot\nanswer: [cat, car]")


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
    assert result["human"] == [rows[tuple(p)] for p in spec["pairs"]]
    assert result["model"] == pytest.approx([float(kv.similarity(a, b)) for a, b in spec["pairs"]], abs=1e-4)
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
    with pytest.raises(LexiconError, match="names the pair cat~dog, which the block does not list"):
        spec_of("human-similarity",
                "pairs:\n  - [tiger, cat]\n  - [cup, coffee]\nexpect:\n  - 'human: cat~dog > cup~coffee'")


# --- rendering: author text is escaped everywhere -----------------------------------------------

def test_every_new_kind_escapes_author_text():
    ctx = RenderContext(model_id=MODEL, anchor="b")
    m = {"cosine": 0.5, "dot": 2.0, "euclidean": 1.0, "norms": [1.0, 2.0]}
    cases = {
        "tokenize": ({"texts": [EVIL], "caption": EVIL}, {"tokens": [[[EVIL, None], ["x", 3]]], "vocabulary_size": 9}),
        "tokenize-exercise": ({"text": EVIL, "choices": [1, 2], "prompt": EVIL, "explanation": EVIL},
                              {"tokens": [[EVIL, None]]}),
        "vocabulary": ({"words": [EVIL, "b"], "top": 2, "caption": EVIL},
                       {"ranks": {EVIL: 4, "b": None}, "size": 9, "top": [EVIL, "c"]}),
        "vocabulary-exercise": ({"words": [EVIL, "b", "c"], "prompt": EVIL, "explanation": EVIL},
                                {"ranks": {EVIL: None, "b": 2, "c": 3}, "size": 9}),
        "distance-compare": ({"pairs": [[EVIL, "b"], ["c", "d"]], "caption": EVIL, "norms": True},
                             {"measures": [m, {**m, "cosine": 0.1}], "compared": []}),
        "distance-exercise": ({"pairs": [[EVIL, "b"], ["c", "d"]], "metric": "dot", "prompt": EVIL,
                               "explanation": EVIL},
                              {"measures": [m, {**m, "dot": 1.0}]}),
    }
    for kind, (data, result) in cases.items():
        block = REGISTRY[kind]
        out = block.render(block.parse(data), result, ctx)
        assert "<script>" not in out and "<b>model</b>" not in out, kind
        assert "&lt;script&gt;" in out, kind
    # human-similarity validates its pairs against the data set, so render a real spec with an evil caption.
    block = REGISTRY["human-similarity"]
    spec = block.parse({"pairs": [["tiger", "cat"], ["cup", "coffee"]], "caption": EVIL, "background": False})
    out = block.render(spec, {"human": [7.35, 6.58], "model": [0.6, 0.3], "spearman": 1.0}, ctx)
    assert "<script>" not in out and "&lt;script&gt;" in out


# --- the build: errors name the file, the line and the fix ----------------------------------------

SECTIONS = "## Definition\n\n## Key Concepts\n\n## Examples\n\n## Interactive Exercise\n\n## Pro Tips\n"


def test_build_reports_unknown_options_words_and_false_claims(tmp_path):
    blocks = [
        ("tokenize", "texts: [\"Bob posted a selfie.\"]\ntokeniser: split"),
        ("tokenize", "texts: [\"Bob posted a selfie.\"]\nexpect:\n  out-of-vocabulary: []"),
        ("vocabulary", "words: [the]\nexpect:\n  - rank(the) = 2"),
        ("distance-compare", "pairs:\n  - [cat, dgo]"),
        ("distance-compare", "pairs:\n  - [cat, dog]\n  - [minister, ministry]\nexpect:\n  - 'dot: ordered'"),
        ("human-similarity",
         "pairs:\n  - [tiger, cat]\n  - [cup, coffee]\nexpect:\n  - 'model: cup~coffee > tiger~cat'"),
    ]
    body = "".join(f"Intro.\n\n```{k}\n{b}\n```\n\n" for k, b in blocks) + SECTIONS
    proc = build(make_project(tmp_path, {"terms/t.md": term("t", body)}))
    out = proc.stderr + proc.stdout
    assert proc.returncode != 0
    assert "docs/terms/t.md:15: tokenize block: unknown option 'tokeniser'" in out
    assert "did you mean 'tokenizer'?" in out
    assert ("tokenize block: false claim: every token is in the model's vocabulary. "
            "The model says: the tokens not in the vocabulary are: “selfie”") in out
    assert "vocabulary block: false claim: the frequency rank of “the” is 2" in out
    assert "docs/terms/t.md:38: distance-compare block: word 'dgo' is not in the model's vocabulary" in out
    assert "did you mean 'dog'" in out
    assert "distance-compare block: false claim: by dot product, the pairs as listed go from closest to farthest" in out
    assert "human-similarity block: false claim: the model scores cup–coffee higher than tiger–cat" in out
    assert "Fix: correct the claim" in out and "Aborted" in out
