"""The behaviour helper's block kinds: cooccurrence, direction, senses, subword, fasttext-oov, lookup
and their exercises. Numbers are checked against gensim, numpy and scikit-learn directly; renderers
escape author text; every error names its fix; false claims fail a strict build."""

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
from project import build, make_project

from blocktest import EVIL, MODEL, run, spec_of  # noqa: E402,F401






def figures_in(page_html: str) -> list[dict]:
    return [json.loads(html.unescape(m)) for m in re.findall(r"data-figure='([^']*)'", page_html)]


def unit(v):
    v = np.asarray(v, dtype=np.float64)
    return v / np.linalg.norm(v)


# --- cooccurrence ---------------------------------------------------------------------------

def independent_contexts(target: str, window: int) -> dict:
    """A second, independent count: gensim's corpus and stop words, numpy windows."""
    from gensim.parsing.preprocessing import STOPWORDS
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    counts: dict = {}
    for line in open(datapath("lee_background.cor"), encoding="utf-8"):
        words = np.array(simple_preprocess(line) or [""], dtype=object)
        for i in np.flatnonzero(words == target):
            lo, hi = max(0, i - window), min(len(words), i + window + 1)
            for j in range(lo, hi):
                if j != i and words[j] not in STOPWORDS:
                    counts[words[j]] = counts.get(words[j], 0) + 1
    return counts


def test_cooccurrence_counts_overlap_and_model_cosine(kv):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    src = ("words: [troops, soldiers, airline]\nwindow: 5\ntopn: 6\n"
           "expect:\n  - troops~soldiers > troops~airline\n  - troops~soldiers share israeli\n"
           "  - airline near workers\nagree: true")
    spec, result, claims, out = run(kv, "cooccurrence", src)
    counts = {w: independent_contexts(w, 5) for w in spec["words"]}
    assert result["all_counts"] == {w: dict(sorted(c.items())) for w, c in counts.items()}
    m = DictVectorizer().fit_transform([counts[w] for w in spec["words"]])
    sims = cosine_similarity(m)
    pairs = {tuple(p["pair"]): p for p in result["pairs"]}
    assert pairs[("troops", "soldiers")]["overlap"] == pytest.approx(sims[0, 1], abs=1e-4)
    assert pairs[("troops", "airline")]["overlap"] == pytest.approx(sims[0, 2], abs=1e-4)
    assert pairs[("troops", "soldiers")]["model"] == pytest.approx(float(kv.similarity("troops", "soldiers")),
                                                                    abs=1e-4)
    # Each target's top contexts are its most frequent ones, ties broken by word.
    for w in spec["words"]:
        want = sorted(counts[w].items(), key=lambda t: (-t[1], t[0]))[:6]
        assert [tuple(x) for x in result["top"][w]] == want
    assert all(c.ok for c in claims), [c.actual for c in claims if not c.ok]
    assert len(figures_in(out)) == 1 and figures_in(out)[0]["data"][0]["type"] == "heatmap"
    # Deterministic: a second computation is identical, byte for byte.
    assert json.dumps(REGISTRY["cooccurrence"].compute(kv, spec)) == json.dumps(
        REGISTRY["cooccurrence"].compute(kv, spec))


def test_cooccurrence_false_claims_say_what_the_corpus_says(kv):
    src = ("words: [troops, soldiers, airline]\n"
           "expect:\n  - troops~airline > troops~soldiers\n  - soldiers~airline share israeli\n"
           "  - airline near israeli\nagree: false")
    _, _, claims, out = run(kv, "cooccurrence", src)
    assert [c.ok for c in claims] == [False, False, False, False]
    assert "context overlap(troops, airline) = 0.0786" in claims[0].actual
    assert "0 times near 'airline'" in claims[1].actual
    assert "False claim" in out


def test_cooccurrence_exercise_answer_is_the_highest_overlap(kv):
    src = ("word: police\nchoices: [officers, arrested, firefighters, cricket]\n"
           "answer: arrested\nmodel_answer: officers")
    spec, result, claims, out = run(kv, "cooccurrence-exercise", src)
    from lexicon.blocks.cooccurrence import context_counts, context_overlap

    police = context_counts("police", 5, True)
    overlaps = {c: context_overlap(police, context_counts(c, 5, True)) for c in spec["choices"]}
    assert result["answer"] == max(overlaps, key=overlaps.get) == "arrested"
    assert max(spec["choices"], key=lambda c: kv.similarity("police", c)) == "officers"
    assert all(c.ok for c in claims)
    answer = json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))
    assert answer["kind"] == "choice" and answer["answer"] == "arrested"
    assert set(answer["why"]) == set(spec["choices"])


def test_cooccurrence_rejects_rare_words_and_foreign_comparisons():
    with pytest.raises(LexiconError) as err:
        spec_of("cooccurrence", "words: [troops, zebra]")
    assert "occurs 0 times in the corpus" in str(err.value) and "police" in err.value.fix
    with pytest.raises(LexiconError) as err:
        spec_of("cooccurrence", "words: [troops, soldiers]\nexpect:\n  - troops~cricket > troops~soldiers")
    assert "'cricket', which is not one of the words" in str(err.value)
    with pytest.raises(LexiconError) as err:
        spec_of("cooccurrence", "words: [troops, soldiers]\nagree: true")
    assert "needs at least 3 words" in str(err.value)


# --- direction ------------------------------------------------------------------------------

PAIRS = "pairs:\n  - [he, she]\n  - [man, woman]\n  - [his, her]\n"


def test_direction_projections_match_numpy(kv):
    src = PAIRS + "words: [nurse, engineer, captain, homemaker]\nexpect:\n  - nurse < 0\n  - captain > nurse"
    spec, result, claims, out = run(kv, "direction", src)
    d = unit(np.mean([unit(kv[a]) - unit(kv[b]) for a, b in spec["pairs"]], axis=0))
    for w, s in zip(spec["words"], result["scores"]):
        assert s == pytest.approx(float(unit(kv[w]) @ d), abs=1e-4)
    for (a, b), g in zip(spec["pairs"], result["pair_agreement"]):
        assert g == pytest.approx(float(unit(unit(kv[a]) - unit(kv[b])) @ d), abs=1e-4)
    assert all(c.ok for c in claims)
    fig = figures_in(out)[0]
    assert fig["data"][0]["y"] == [w for w, _ in sorted(zip(spec["words"], result["scores"]),
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
    d = unit(np.mean([unit(kv[a]) - unit(kv[b]) for a, b in spec["pairs"]], axis=0))
    assert min(spec["words"], key=lambda w: float(unit(kv[w]) @ d)) == "nurse"
    assert claims[0].ok
    answer = json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))
    assert answer["answer"] == "nurse" and "towards she" in answer["why"]["nurse"]
    with pytest.raises(LexiconError) as err:
        spec_of("direction-exercise", PAIRS + "words: [nurse, engineer]\ntowards: woman")
    assert "neither end of the first pair" in str(err.value) and "towards: he" in err.value.fix


# --- senses ---------------------------------------------------------------------------------

def test_senses_lists_match_most_similar(kv):
    src = ("word: bank\ncontexts: [river, money]\ntopn: 8\nexpect:\n  - {word: river, absent: true}\n"
           "  - {word: shore, context: river, within: 3}")
    spec, result, claims, out = run(kv, "senses", src)
    assert [r[0] for r in result["lists"]["alone"]] == [w for w, _ in kv.most_similar("bank", topn=8)]
    want = kv.most_similar(positive=["bank", "river"], topn=8)
    assert [r[0] for r in result["lists"]["river"]] == [w for w, _ in want]
    for row, (w, s) in zip(result["lists"]["river"], want):
        assert row[1] == pytest.approx(s, abs=1e-4)
        assert row[2] == pytest.approx(float(kv.similarity("bank", w)), abs=1e-4)
        assert row[3] == pytest.approx(float(kv.similarity("river", w)), abs=1e-4)
    assert all(c.ok for c in claims)
    _, _, claims, _ = run(kv, "senses", "word: bank\ncontexts: [river]\nexpect:\n  - {word: banks, absent: true}")
    assert not claims[0].ok and "'banks' is #1" in claims[0].actual


def test_senses_option_errors():
    with pytest.raises(LexiconError) as err:
        spec_of("senses", "word: bank\ncontexts: [river]\nexpect:\n  - {word: shore, context: money}")
    assert "names the context 'money'" in str(err.value) and "river" in err.value.fix
    with pytest.raises(LexiconError) as err:
        spec_of("senses", "word: bank\ncontexts: [river]\nexpect:\n  - {word: shore, within: 3, absent: true}")
    assert "use one" in str(err.value)
    with pytest.raises(LexiconError) as err:
        spec_of("senses", "word: bank\ncontexts: [river]\ntopn: 5\nexpect:\n  - {word: shore, within: 9}")
    assert "raise 'topn'" in err.value.fix


# --- subword --------------------------------------------------------------------------------

def test_subword_ngrams_are_gensims(kv):
    from gensim.models.fasttext import compute_ngrams, ft_ngram_hashes

    spec, result, claims, out = run(kv, "subword", "word: where\nexpect: {count: 14, contains: ['<wh', 'her']}")
    assert sorted(result["ngrams"]) == sorted(compute_ngrams("where", 3, 6))
    assert result["ngrams"][:4] == ["<wh", "<whe", "<wher", "<where"]  # fastText's own order
    assert result["buckets"] == [int(h) for h in ft_ngram_hashes("where", 3, 6, 2_000_000)]
    # Count by formula: every piece of n characters of the 7 characters of <where>, n = 3..6.
    assert len(result["ngrams"]) == sum(7 - n + 1 for n in range(3, 7))
    assert all(c.ok for c in claims)
    _, _, claims, _ = run(kv, "subword", "word: where\nexpect: {count: 6, contains: ['<her']}")
    assert [c.ok for c in claims] == [False, False] and "it forms 14" in claims[0].actual
    with pytest.raises(LexiconError) as err:
        spec_of("subword", "word: where\nminn: 5\nmaxn: 3")
    assert "larger than 'maxn'" in str(err.value) and "minn: 3, maxn: 6" in err.value.fix


def test_subword_exercise_choices_are_computed(kv):
    spec, result, claims, out = run(kv, "subword-exercise", "word: vector\nanswer: 18")
    assert claims[0].ok and len(result["ngrams"]) == 18
    answer = json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))
    assert answer["answer"] == "18"
    # The wrong choices are the usual mistakes: no markers, only 3-grams, the whole word counted.
    assert set(answer["why"]) == {"18", str(len(result["no_markers"])), "6", "19"}
    assert len(result["no_markers"]) == sum(6 - n + 1 for n in range(3, 7))
    assert "GloVe" not in out  # it uses no embedding model, and says so
    _, _, claims, _ = run(kv, "subword-exercise", "word: vector\nanswer: 19")
    assert not claims[0].ok


# --- fasttext-oov ---------------------------------------------------------------------------

def test_fasttext_oov_vectors_come_from_ngrams(kv):
    from gensim.models.fasttext import ft_ngram_hashes

    from lexicon.blocks.fasttext_oov import PARAMS, tiny_fasttext

    src = ("words: [cricketer, terorists]\nexpect:\n  - {word: cricketer, neighbour: cricket, within: 3}\n"
           "  - {word: terorists, in_glove: false}")
    spec, result, claims, out = run(kv, "fasttext-oov", src)
    ft = tiny_fasttext()
    for w in spec["words"]:
        assert w not in ft.wv.key_to_index
        rows = ft_ngram_hashes(w, PARAMS["min_n"], PARAMS["max_n"], PARAMS["bucket"])
        np.testing.assert_allclose(ft.wv[w], ft.wv.vectors_ngrams[rows].mean(axis=0), rtol=1e-5, atol=1e-6)
    assert [n for n, _ in result["rows"][0]["neighbours"]] == [w for w, _ in ft.wv.most_similar("cricketer", topn=5)]
    assert result["rows"][1]["in_model"] is False and result["rows"][0]["in_model"] is True
    assert all(c.ok for c in claims)


def test_fasttext_oov_training_is_deterministic():
    from gensim.models import FastText

    from lexicon.blocks.cooccurrence import corpus_stories
    from lexicon.blocks.fasttext_oov import PARAMS, tiny_fasttext

    again = FastText(sentences=[list(s) for s in corpus_stories()], **PARAMS)
    np.testing.assert_array_equal(again.wv.vectors_ngrams, tiny_fasttext().wv.vectors_ngrams)


def test_fasttext_oov_refuses_seen_words_and_bad_claims():
    with pytest.raises(LexiconError) as err:
        spec_of("fasttext-oov", "words: [government]")
    assert "occurs" in str(err.value) and "not an unseen word" in str(err.value) and "never uses" in err.value.fix
    with pytest.raises(LexiconError) as err:
        spec_of("fasttext-oov", "words: [cricketer]\nexpect:\n  - {word: cricketer}")
    assert "either 'neighbour' or 'in_glove'" in str(err.value)


# --- lookup ---------------------------------------------------------------------------------

def test_lookup_rows_are_the_matrix_rows(kv):
    spec, result, claims, out = run(kv, "lookup", "words: [the, cat]\nexpect:\n  - the < cat")
    assert result["shape"] == list(kv.vectors.shape)
    for r in result["rows"]:
        i = kv.key_to_index[r["word"]]
        assert r["id"] == i and r["same_as_onehot"]
        np.testing.assert_allclose(r["row"], kv.vectors[i], atol=5e-4)
    assert claims[0].ok
    _, _, claims, _ = run(kv, "lookup", "words: [the, cat]\nexpect:\n  - cat < the")
    assert not claims[0].ok and "'cat' is row 5,450" in claims[0].actual.replace(
        f"{kv.key_to_index['cat']:,}", "5,450")


def test_matrix_size_exercise_answer_is_rows_times_columns(kv):
    _, result, _, out = run(kv, "matrix-size-exercise", "")
    v, d = kv.vectors.shape
    answer = json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))
    assert answer["answer"] == f"{v * d:,}" and f"{v:,}" in answer["why"]


# --- escaping and errors ----------------------------------------------------------------------

@pytest.mark.parametrize("kind, source", [
    ("cooccurrence", "words: [troops, soldiers]\ncaption: '{e}'"),
    ("cooccurrence-exercise", "word: police\nchoices: [officers, arrested]\nprompt: '{e}'\nexplanation: '{e}'"),
    ("direction", PAIRS + "words: [nurse, captain]\ncaption: '{e}'"),
    ("direction-exercise", PAIRS + "words: [nurse, captain]\ntowards: he\nprompt: '{e}'\nexplanation: '{e}'"),
    ("senses", "word: bank\ncontexts: [river]\ncaption: '{e}'"),
    ("subword", "word: '{e}'\ncaption: '{e}'"),
    ("subword-exercise", "word: '{e}'\nprompt: '{e}'\nexplanation: '{e}'"),
    ("fasttext-oov", "words: [cricketer]\ncaption: '{e}'"),
    ("lookup", "words: [the, cat]\ncaption: '{e}'"),
    ("matrix-size-exercise", "prompt: '{e}'\nexplanation: '{e}'"),
])
def test_author_text_is_escaped(kv, kind, source):
    _, _, _, out = run(kv, kind, source.format(e=EVIL.replace("'", "''")))
    assert "<script>" not in out and "<b>model</b>" not in out
    assert "&lt;script&gt;" in out


@pytest.mark.parametrize("kind, source, suggestion", [
    ("cooccurrence", "words: [troops, soldiers]\nwindw: 3", "did you mean 'window'?"),
    ("direction", PAIRS + "words: [nurse]\nword: [nurse]", "did you mean 'words'?"),
    ("senses", "word: bank\ncontext: [river]", "did you mean 'contexts'?"),
    ("subword", "word: where\nmaxx: 5", "did you mean 'maxn'?"),
    ("fasttext-oov", "words: [cricketer]\ntop: 3", "did you mean 'topn'?"),
    ("lookup", "words: [cat]\ndim: 3", "did you mean 'dims'?"),
])
def test_unknown_options_suggest_the_right_one(kind, source, suggestion):
    with pytest.raises(LexiconError) as err:
        spec_of(kind, source)
    assert "unknown option" in str(err.value) and suggestion in err.value.fix


@pytest.mark.parametrize("kind, source", [
    ("direction", "pairs:\n  - [he, she]\nwords: [nurse, nurze]"),
    ("senses", "word: bank\ncontexts: [rivr]"),
    ("lookup", "words: [the, elephnat]"),
    ("direction-exercise", "pairs:\n  - [he, shhe]\nwords: [nurse, teacher]\ntowards: he"),
])
def test_unknown_words_get_close_spellings(kv, kind, source):
    block = REGISTRY[kind]
    with pytest.raises(LexiconError) as err:
        require_words(kv, block.words(spec_of(kind, source)))
    assert "is not in the model's vocabulary" in str(err.value) and "did you mean" in str(err.value)
    assert "correct the spelling" in err.value.fix


def test_strict_build_reports_each_broken_block_with_file_line_and_fix(tmp_path):
    page = "\n".join([
        "# Page", "",
        "```direction", PAIRS.rstrip(), "words: [nurse, captain]", "expect:", "  - nurse > captain", "```", "",
        "```senses", "word: bank", "contexts: [rivr]", "```", "",
        "```cooccurrence", "words: [troops, soldiers, airline]", "expect:",
        "  - troops~airline > troops~soldiers", "```", "",
        "```subword", "word: where", "expect: {count: 13}", "```", "",
    ])
    proc = build(make_project(tmp_path, {"page.md": page}))
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert ("docs/page.md:3: direction block: false claim: 'nurse' lies further towards 'he' than "
            "'captain'") in out
    assert "docs/page.md:15: senses block: word 'rivr' is not in the model's vocabulary" in out
    assert ("docs/page.md:18: cooccurrence block: false claim: in the corpus, context overlap(troops, airline) "
            "> context overlap(troops, soldiers)") in out
    assert "docs/page.md:24: subword block: false claim: fastText forms 13 character n-grams" in out
    assert out.count("Fix:") >= 4
