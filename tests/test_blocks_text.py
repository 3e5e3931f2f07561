"""The text family: tokenize, vocabulary, subword, fasttext-oov, cooccurrence and their exercises.

Every number is checked against gensim / numpy / scikit-learn computed here directly, on the real
model and on gensim's own Lee corpus; renderers escape author text; every error names its fix;
false claims fail a strict build; the values prose can quote read as the block's own table does.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

import numpy as np
import pytest
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess, tokenize

from blocktest import EVIL, MODEL, MODEL_SPEC, run, spec_of
from blocktest import quote as value
from lexicon.engine.checks import Checks, Where
from lexicon.engine.deps import compute_code
from lexicon.engine.frame import RenderContext, block_html, exercise_html, note
from lexicon.engine.kind import ExerciseKind
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError
from project import build, make_project

SENTENCE = "The café's Wi-Fi didn't work at 9:30, so I e-mailed them."
TEXT_KINDS = ("tokenize", "tokenize-exercise", "vocabulary", "vocabulary-exercise", "subword", "subword-exercise",
              "fasttext-oov", "cooccurrence", "cooccurrence-exercise")


def figures_in(out):
    return [json.loads(html.unescape(m)) for m in re.findall(r"data-figure='([^']*)'", out)]


def answer_of(out):
    return json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))


def rank(kv, w):
    return kv.key_to_index[w] + 1 if w in kv.key_to_index else None


def rendered(kind: str, source: str, result: dict) -> str:
    """A block rendered from a given result (as the build renders a cached one)."""
    k = registry()[kind]
    spec = spec_of(kind, source)
    check = Checks(Where("docs/test.md", 1, kind, "test.md", "b"))
    k.claims(spec, result, check)
    ctx = RenderContext(anchor="b", model_id=MODEL, model_spec=MODEL_SPEC)
    parts = k.render(spec, result, ctx)
    if isinstance(k, ExerciseKind):
        return exercise_html(kind, k.prompt(spec), parts, spec.explanation, ctx, check.made,
                             note=note(k.note).html if k.note else None)
    return block_html(kind, list(parts) + ([note(k.note)] if k.note else []), ctx, check.made)


# --- the family -------------------------------------------------------------------------------

def test_the_family_holds_its_kinds_with_summaries_and_examples():
    kinds = registry()
    for name in TEXT_KINDS:
        k = kinds[name]
        assert k.family == "text" and k.summary() and k.example, name
    # Kinds computed without the embedding model say so in their own model line.
    assert not kinds["subword"].needs_model and not kinds["subword-exercise"].needs_model
    assert kinds["subword"].note.startswith("Computed at build time with")


def test_the_lee_corpus_is_one_data_file_in_the_cache_key_of_every_kind_that_reads_it():
    from lexicon.blocks.text._corpus import LEE

    sha = hashlib.sha256(Path(datapath("lee_background.cor")).read_bytes()).hexdigest()
    assert LEE.fingerprint() == sha
    for name in ("cooccurrence", "cooccurrence-exercise", "fasttext-oov"):
        assert compute_code(type(registry()[name])).data == {"lexicon.blocks.text._corpus.LEE": sha}, name
    for name in ("tokenize", "vocabulary", "subword"):
        assert compute_code(type(registry()[name])).data == {}, name


def test_display_options_stay_out_of_the_cache_key():
    inputs = registry()["tokenize"].options.result_inputs(
        spec_of("tokenize", 'texts: ["a b"]\ncaption: x\ntable: false\ncode: false\nexpect: {tokens: 2}'))
    assert set(inputs) == {"texts", "tokenizer"}
    # The vocabulary looks up the words its claims name: its claims are part of what it computes.
    inputs = registry()["vocabulary"].options.result_inputs(spec_of("vocabulary", "words: [cat]\ncaption: x"))
    assert set(inputs) == {"words", "top", "expect"}
    inputs = registry()["cooccurrence-exercise"].options.result_inputs(
        spec_of("cooccurrence-exercise", "word: police\nchoices: [officers, arrested]\nmodel_answer: officers"))
    assert set(inputs) == {"word", "choices", "window", "stopwords"}


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
    _, _, claims, out = run(kv, "tokenize", src)
    oov = [t for t in SENTENCE.lower().split() if t not in kv.key_to_index]
    assert oov == ["café's", "didn't", "9:30,", "them."]
    assert [c.ok for c in claims] == [True, True, True, True]
    assert out.count("✓") == 4 + 1 and "Verified against the model (4)" in out   # four checks, one fold
    assert "(not in the vocabulary)" in out
    # The same claims, wrong: each is false and says what the model found.
    bad = (f'texts: ["{SENTENCE}"]\ntokenizer: simple_preprocess\nexpect:\n  tokens: 11\n'
           "  out-of-vocabulary: [selfie]\n  includes: [t]\n  excludes: [didn]")
    _, _, claims, _ = run(kv, "tokenize", bad)
    assert [c.ok for c in claims] == [False, False, False, False]
    n = len(simple_preprocess(SENTENCE))
    assert f"it makes {n}:" in claims[0].actual
    assert "none" in claims[1].actual


def test_tokenize_needs_no_vocabulary_words_and_counts_per_text(kv):
    kind = registry()["tokenize"]
    src = ('texts: ["Bob posted a selfie on TikTok.", "to be or not to be"]\n'
           "expect:\n  tokens: [5, 6]\n  out-of-vocabulary: [selfie, tiktok]")
    assert kind.words(spec_of("tokenize", src)) == []  # out-of-vocabulary tokens are shown, never an error
    _, _, claims, _ = run(kv, "tokenize", src)
    assert [c.ok for c in claims] == [True, True]
    with pytest.raises(LexiconError, match="lists 1 counts for 2 texts"):
        spec_of("tokenize", 'texts: ["a b", "c d"]\nexpect:\n  tokens: [2]')
    # The tokens depend on gensim's code: its version is part of the cache key.
    import gensim

    assert compute_code(type(kind)).packages["gensim"] == gensim.__version__


def test_tokenize_values_read_as_the_table(kv):
    texts = ["The cat sat on the mat.", "Bob posted a selfie on TikTok."]
    spec, result, _, out = run(kv, "tokenize", f"texts: {json.dumps(texts)}")
    tokens = [simple_preprocess(t) for t in texts]
    assert value("tokenize", spec, result, "tokens").text == str(len(tokens[0]) + len(tokens[1])) == "11"
    assert value("tokenize", spec, result, "tokens", "2").text == str(len(tokens[1]))
    assert value("tokenize", spec, result, "types").number == len(set(tokens[0] + tokens[1])) == 9
    assert value("tokenize", spec, result, "missing").number == 2  # selfie, tiktok
    assert "; 2 not in the vocabulary" in out
    r = value("tokenize", spec, result, "rank", "cat")
    assert r.number == rank(kv, "cat") and f">{r.text}<" in out
    with pytest.raises(LexiconError, match="not one of the block's tokens"):
        value("tokenize", spec, result, "rank", "selfie")


def test_tokenize_exercise_answer_is_computed_and_must_be_a_choice(kv):
    spec, result, claims, out = run(kv, "tokenize-exercise",
                                    "text: \"It's 5 o'clock: time for tea!\"\nchoices: [5, 6, 7]\nanswer: 5")
    n = len(simple_preprocess("It's 5 o'clock: time for tea!"))
    assert n == 5 and claims[0].ok
    answer = answer_of(out)
    assert answer["kind"] == "choice" and answer["answer"] == str(n)
    assert set(answer["why"]) == {"5", "6", "7"} and "1 too many" in answer["why"]["6"]
    assert '<section class="ll-exercise__reveal" hidden data-search-exclude>' in out
    # The text to count stands between the question and the choices.
    assert out.index("ll-tokens__text") < out.index('<fieldset class="ll-exercise__choices">')
    assert "How many tokens does gensim's simple_preprocess make of this text?" in out
    assert value("tokenize-exercise", spec, result, "count").text == "5"
    with pytest.raises(LexiconError, match="makes 5 tokens of the text, which is not one of the choices") as e:
        run(kv, "tokenize-exercise", "text: \"It's 5 o'clock: time for tea!\"\nchoices: [6, 7]")
    assert "add 5 to 'choices'" in e.value.fix
    _, _, claims, _ = run(kv, "tokenize-exercise",
                          "text: \"It's 5 o'clock: time for tea!\"\nchoices: [5, 6]\nanswer: 6")
    assert not claims[0].ok
    with pytest.raises(LexiconError, match="'answer' \\(8\\) is not one of the choices"):
        spec_of("tokenize-exercise", "text: a b\nchoices: [1, 2]\nanswer: 8")


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
    assert spec.size is True and "<strong>400,000</strong>" in out
    fig = figures_in(out)[0]
    assert fig["data"][0]["x"] == [rank(kv, w) for w in ["the", "cat", "aardvark"]]
    assert fig["layout"]["xaxis"]["type"] == "log"


def test_vocabulary_claim_syntax_errors_name_the_fix():
    with pytest.raises(LexiconError, match="cannot read the claim 'the is first'") as e:
        spec_of("vocabulary", "words: [the]\nexpect:\n  - the is first")
    assert "rank(the) = 1" in e.value.fix
    with pytest.raises(LexiconError, match="shows nothing"):
        spec_of("vocabulary", "figure: false")
    with pytest.raises(LexiconError, match="not a whole number"):
        spec_of("vocabulary", "top: 5.0")


def test_vocabulary_values_read_as_the_table(kv):
    spec, result, _, out = run(kv, "vocabulary", "words: [cat, quokka, selfie]\nfigure: false")
    assert value("vocabulary", spec, result, "size").text == "400,000"
    r = value("vocabulary", spec, result, "rank", "quokka")
    assert r.number == rank(kv, "quokka") and f">{r.text}<" in out
    where = value("vocabulary", spec, result, "where", "cat")
    assert where.text.startswith("top ") and f">{where.text}<" in out
    with pytest.raises(LexiconError, match="'selfie' is not a listed word in the vocabulary"):
        value("vocabulary", spec, result, "rank", "selfie")


def test_vocabulary_exercise_questions(kv):
    spec, result, claims, out = run(kv, "vocabulary-exercise", "words: [colour, emoji, aardvark]\nanswer: emoji")
    assert "emoji" not in kv.key_to_index and claims[0].ok and answer_of(out)["answer"] == "emoji"
    assert value("vocabulary-exercise", spec, result, "answer").text == "emoji"
    assert "Which of these words is not in the model’s vocabulary?" in out
    words = ["cat", "dog", "horse", "rabbit"]
    spec, result, _, out = run(kv, "vocabulary-exercise", f"words: [{', '.join(words)}]\nquestion: most-frequent")
    assert answer_of(out)["answer"] == min(words, key=lambda w: kv.key_to_index[w])
    assert value("vocabulary-exercise", spec, result, "rank", "horse").text == f"{rank(kv, 'horse'):,}"
    _, _, _, out = run(kv, "vocabulary-exercise", f"words: [{', '.join(words)}]\nquestion: least-frequent")
    assert answer_of(out)["answer"] == max(words, key=lambda w: kv.key_to_index[w])
    with pytest.raises(LexiconError, match="2 of the words are not in the vocabulary"):
        run(kv, "vocabulary-exercise", "words: [colour, emoji, selfie]")
    # Frequency questions need every word: an unknown one is the usual vocabulary error.
    with pytest.raises(LexiconError, match="word 'emoji' is not in the model's vocabulary"):
        run(kv, "vocabulary-exercise", "words: [colour, emoji, cat]\nquestion: most-frequent")


# --- cooccurrence ---------------------------------------------------------------------------

def independent_contexts(target: str, window: int) -> dict:
    """A second, independent count: gensim's corpus and stop words, numpy windows."""
    from gensim.parsing.preprocessing import STOPWORDS

    counts: dict = {}
    for line in Path(datapath("lee_background.cor")).read_text(encoding="utf-8").split("\n"):
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
    counts = {w: independent_contexts(w, 5) for w in spec.words}
    assert result["all_counts"] == {w: dict(sorted(c.items())) for w, c in counts.items()}
    m = DictVectorizer().fit_transform([counts[w] for w in spec.words])
    sims = cosine_similarity(m)
    pairs = {tuple(p["pair"]): p for p in result["pairs"]}
    assert pairs[("troops", "soldiers")]["overlap"] == pytest.approx(sims[0, 1], abs=1e-4)
    assert pairs[("troops", "airline")]["overlap"] == pytest.approx(sims[0, 2], abs=1e-4)
    assert pairs[("troops", "soldiers")]["model"] == pytest.approx(float(kv.similarity("troops", "soldiers")),
                                                                    abs=1e-4)
    # Each target's top contexts are its most frequent ones, ties broken by word.
    for w in spec.words:
        want = sorted(counts[w].items(), key=lambda t: (-t[1], t[0]))[:6]
        assert [tuple(x) for x in result["top"][w]] == want
    assert all(c.ok for c in claims), [c.actual for c in claims if not c.ok]
    assert len(figures_in(out)) == 1 and figures_in(out)[0]["data"][0]["type"] == "heatmap"
    # Deterministic: a second computation is identical, byte for byte.
    kind = registry()["cooccurrence"]
    assert json.dumps(kind.compute(kv, spec)) == json.dumps(kind.compute(kv, spec))


def test_cooccurrence_values_read_as_the_tables(kv):
    spec, result, _, out = run(kv, "cooccurrence", "words: [troops, soldiers, airline]")
    assert value("cooccurrence", spec, result, "stories").text == "300"
    lines = Path(datapath("lee_background.cor")).read_text(encoding="utf-8").split("\n")
    tokens = sum(len(simple_preprocess(line)) for line in lines)
    assert value("cooccurrence", spec, result, "tokens").text == f"{tokens:,}"
    occ = value("cooccurrence", spec, result, "occurrences", "troops")
    assert f"troops {occ.text}" in out
    overlap = value("cooccurrence", spec, result, "overlap", "soldiers", "troops")  # either order
    assert f">{overlap.text}<" in out and overlap.number == result["pairs"][0]["overlap"]
    cosine = value("cooccurrence", spec, result, "cosine", "troops", "soldiers")
    assert cosine.number == pytest.approx(float(kv.similarity("troops", "soldiers")), abs=1e-4)
    assert value("cooccurrence", spec, result, "count", "troops", "israeli").number == \
        independent_contexts("troops", 5).get("israeli", 0) > 0
    with pytest.raises(LexiconError, match="'police' is not one of the block's words"):
        value("cooccurrence", spec, result, "occurrences", "police")


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
    from lexicon.blocks.text._corpus import context_counts, context_overlap

    src = ("word: police\nchoices: [officers, arrested, firefighters, cricket]\n"
           "answer: arrested\nmodel_answer: officers")
    spec, result, claims, out = run(kv, "cooccurrence-exercise", src)
    police = context_counts("police", 5, True)
    overlaps = {c: context_overlap(police, context_counts(c, 5, True)) for c in spec.choices}
    assert result["answer"] == max(overlaps, key=overlaps.get) == "arrested"
    assert max(spec.choices, key=lambda c: kv.similarity("police", c)) == "officers"
    assert all(c.ok for c in claims)
    answer = answer_of(out)
    assert answer["kind"] == "choice" and answer["answer"] == "arrested"
    assert set(answer["why"]) == set(spec.choices)
    assert "which word shares the most contexts with “police”?" in out
    assert value("cooccurrence-exercise", spec, result, "answer").text == "arrested"
    assert value("cooccurrence-exercise", spec, result, "model_answer").text == "officers"
    assert f">{value('cooccurrence-exercise', spec, result, 'overlap', 'cricket').text}<" in out
    assert f">{value('cooccurrence-exercise', spec, result, 'cosine', 'officers').text}<" in out


def test_cooccurrence_rejects_rare_words_and_foreign_comparisons(kv):
    with pytest.raises(LexiconError) as err:
        run(kv, "cooccurrence", "words: [troops, zebra]")
    assert "occurs 0 times in the corpus" in str(err.value) and "police" in err.value.fix
    assert err.value.word == "zebra"  # the build points at the line that names it
    with pytest.raises(LexiconError) as err:
        spec_of("cooccurrence", "words: [troops, soldiers]\nexpect:\n  - troops~cricket > troops~soldiers")
    assert "'cricket', which is not one of the words" in str(err.value)
    with pytest.raises(LexiconError) as err:
        spec_of("cooccurrence", "words: [troops, soldiers]\nagree: true")
    assert "needs at least 3 words" in str(err.value)
    with pytest.raises(LexiconError, match="'police' is both the word and one of the choices"):
        spec_of("cooccurrence-exercise", "word: police\nchoices: [police, arrested]")


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
    assert "Computed at build time with gensim’s fastText n-gram code (no embedding model)." in out
    assert value("subword", spec, result, "count").text == "14"
    assert value("subword", spec, result, "count", "3").text == "5"
    bucket = value("subword", spec, result, "bucket", "her")
    assert bucket.number == int(ft_ngram_hashes("where", 3, 6, 2_000_000)[result["ngrams"].index("her")])
    assert f">{bucket.text}<" in out
    _, _, claims, _ = run(kv, "subword", "word: where\nexpect: {count: 6, contains: ['<her']}")
    assert [c.ok for c in claims] == [False, False] and "it forms 14" in claims[0].actual
    with pytest.raises(LexiconError) as err:
        spec_of("subword", "word: where\nminn: 5\nmaxn: 3")
    assert "larger than 'maxn'" in str(err.value) and "minn: 3, maxn: 6" in err.value.fix
    with pytest.raises(LexiconError, match="is not a single word"):
        spec_of("subword", "word: two words")


def test_subword_exercise_choices_are_computed(kv):
    spec, result, claims, out = run(kv, "subword-exercise", "word: vector\nanswer: 18")
    assert claims[0].ok and len(result["ngrams"]) == 18
    answer = answer_of(out)
    assert answer["answer"] == "18"
    # The wrong choices are the usual mistakes: no markers, only 3-grams, the whole word counted.
    assert set(answer["why"]) == {"18", str(len(result["no_markers"])), "6", "19"}
    assert len(result["no_markers"]) == sum(6 - n + 1 for n in range(3, 7))
    # It uses no embedding model, and says so instead of naming one.
    assert "GloVe" not in out and "Test &lt;b&gt;model" not in out and "no embedding model" in out
    assert "With n from 3 to 6, how many character n-grams does fastText form for “vector”?" in out
    assert value("subword-exercise", spec, result, "count").text == "18"
    _, _, claims, _ = run(kv, "subword-exercise", "word: vector\nanswer: 19")
    assert not claims[0].ok


# --- fasttext-oov ---------------------------------------------------------------------------

def test_fasttext_oov_vectors_come_from_ngrams(kv):
    from gensim.models.fasttext import ft_ngram_hashes

    from lexicon.blocks.text.fasttext_oov import PARAMS, tiny_fasttext

    src = ("words: [cricketer, terorists]\nexpect:\n  - {word: cricketer, neighbour: cricket, within: 3}\n"
           "  - {word: terorists, in_glove: false}")
    spec, result, claims, out = run(kv, "fasttext-oov", src)
    ft = tiny_fasttext()
    for w in spec.words:
        assert w not in ft.wv.key_to_index
        rows = ft_ngram_hashes(w, PARAMS["min_n"], PARAMS["max_n"], PARAMS["bucket"])
        np.testing.assert_allclose(ft.wv[w], ft.wv.vectors_ngrams[rows].mean(axis=0), rtol=1e-5, atol=1e-6)
    assert [n for n, _ in result["rows"][0]["neighbours"]] == [w for w, _ in ft.wv.most_similar("cricketer", topn=5)]
    assert result["rows"][1]["in_model"] is False and result["rows"][0]["in_model"] is True
    assert all(c.ok for c in claims)
    # Values, as the caption and the table show them.
    assert value("fasttext-oov", spec, result, "stories").text == "300"
    assert f"among the {value('fasttext-oov', spec, result, 'vocab').text} words it learned" in out
    assert f"({value('fasttext-oov', spec, result, 'tokens').text} words)" in out
    first = value("fasttext-oov", spec, result, "neighbour", "cricketer")
    assert first.text == result["rows"][0]["neighbours"][0][0]
    score = value("fasttext-oov", spec, result, "score", "cricketer", first.text)
    assert f"{first.text} <small>{score.text}</small>" in out
    assert value("fasttext-oov", spec, result, "ngrams", "cricketer").text == str(result["rows"][0]["ngrams"])
    with pytest.raises(LexiconError, match="lists 5 neighbours of 'cricketer', not #9"):
        value("fasttext-oov", spec, result, "neighbour", "cricketer", "9")


def test_fasttext_oov_training_is_deterministic():
    from gensim.models import FastText

    from lexicon.blocks.text._corpus import corpus_stories
    from lexicon.blocks.text.fasttext_oov import PARAMS, tiny_fasttext

    again = FastText(sentences=[list(s) for s in corpus_stories()], **PARAMS)
    np.testing.assert_array_equal(again.wv.vectors_ngrams, tiny_fasttext().wv.vectors_ngrams)


def test_fasttext_oov_refuses_seen_words_and_bad_claims(kv):
    with pytest.raises(LexiconError) as err:
        run(kv, "fasttext-oov", "words: [government]")   # checked when computing
    assert "occurs" in str(err.value) and "not an unseen word" in str(err.value) and "never uses" in err.value.fix
    with pytest.raises(LexiconError) as err:
        spec_of("fasttext-oov", "words: [cricketer]\nexpect:\n  - {word: cricketer}")
    assert "either 'neighbour' or 'in_glove'" in str(err.value)
    with pytest.raises(LexiconError, match="further down the list than 'topn'"):
        spec_of("fasttext-oov", "words: [cricketer]\ntopn: 2\nexpect:\n  - {word: cricketer, neighbour: x, rank: 3}")
    with pytest.raises(LexiconError, match="not one lower-case word"):
        spec_of("fasttext-oov", "words: [Cricketer]")


# --- escaping and errors ----------------------------------------------------------------------

def test_renderers_escape_author_text_and_words():
    e = json.dumps(EVIL)
    cases = {
        "tokenize": (f"texts: [{e}]\ncaption: {e}", {"tokens": [[[EVIL, None], ["x", 3]]], "vocabulary_size": 9}),
        "tokenize-exercise": (f"text: {e}\nchoices: [1, 2]\nprompt: {e}\nexplanation: {e}",
                              {"tokens": [[EVIL, None]]}),
        "vocabulary": (f"words: [{e}, b]\ntop: 2\ncaption: {e}",
                       {"ranks": {EVIL: 4, "b": None}, "size": 9, "top": [EVIL, "c"]}),
        "vocabulary-exercise": (f"words: [{e}, b, c]\nprompt: {e}\nexplanation: {e}",
                                {"ranks": {EVIL: None, "b": 2, "c": 3}, "size": 9}),
    }
    for kind, (source, result) in cases.items():
        out = rendered(kind, source, result)
        assert "<script>" not in out and "<b>model</b>" not in out, kind
        assert "&lt;script&gt;" in out, kind


@pytest.mark.parametrize("kind, source", [
    ("cooccurrence", "words: [troops, soldiers]\ncaption: '{e}'"),
    ("cooccurrence-exercise", "word: police\nchoices: [officers, arrested]\nprompt: '{e}'\nexplanation: '{e}'"),
    ("subword", "word: '{e}'\ncaption: '{e}'"),
    ("subword", "word: '{e}'"),
    ("subword-exercise", "word: '{e}'\nprompt: '{e}'\nexplanation: '{e}'"),
    ("fasttext-oov", "words: [cricketer]\ncaption: '{e}'"),
])
def test_author_text_is_escaped(kv, kind, source):
    _, _, _, out = run(kv, kind, source.format(e=EVIL.replace("'", "''")))
    assert "<script>" not in out and "<b>model</b>" not in out
    assert "&lt;script&gt;" in out


@pytest.mark.parametrize("kind, source, suggestion", [
    ("cooccurrence", "words: [troops, soldiers]\nwindw: 3", "did you mean 'window'?"),
    ("subword", "word: where\nmaxx: 5", "did you mean 'maxn'?"),
    ("fasttext-oov", "words: [cricketer]\ntop: 3", "did you mean 'topn'?"),
    ("tokenize", "texts: [a]\ntokeniser: split", "did you mean 'tokenizer'?"),
])
def test_unknown_options_suggest_the_right_one(kind, source, suggestion):
    with pytest.raises(LexiconError) as err:
        spec_of(kind, source)
    assert "unknown option" in str(err.value) and suggestion in err.value.fix


def test_strict_build_reports_each_broken_block_with_file_line_and_fix(tmp_path):
    blocks = [
        ("tokenize", "texts: [\"Bob posted a selfie.\"]\ntokeniser: split"),
        ("tokenize", "texts: [\"Bob posted a selfie.\"]\nexpect:\n  out-of-vocabulary: []"),
        ("vocabulary", "words: [the]\nexpect:\n  - rank(the) = 2"),
        ("cooccurrence", "words: [troops, soldiers, airline]\nexpect:\n  - troops~airline > troops~soldiers"),
        ("cooccurrence", "words: [troops, zebra]"),
        ("subword", "word: where\nexpect: {count: 13}"),
    ]
    page = "# Page\n\n" + "".join(f"```{k}\n{b}\n```\n\n" for k, b in blocks)
    lines = page.split("\n")

    def line(text, after=0):
        return next(i for i, l in enumerate(lines, start=1) if i > after and l == text)

    proc = build(make_project(tmp_path, {"page.md": page}))
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"docs/page.md:{line('tokeniser: split')}: tokenize block: unknown option 'tokeniser'" in out
    assert "did you mean 'tokenizer'?" in out
    assert (f"docs/page.md:{line('```tokenize', 3)}: tokenize block: false claim: every token is in the model's "
            "vocabulary. The model says: the tokens not in the vocabulary are: “selfie”") in out
    assert "vocabulary block: false claim: the frequency rank of “the” is 2" in out
    assert (f"docs/page.md:{line('```cooccurrence')}: cooccurrence block: false claim: in the corpus, context "
            "overlap(troops, airline) > context overlap(troops, soldiers)") in out
    assert f"docs/page.md:{line('words: [troops, zebra]')}: cooccurrence block: 'zebra' occurs 0 times" in out
    assert f"docs/page.md:{line('```subword')}: subword block: false claim: fastText forms 13 character n-grams" in out
    assert "Fix: correct the claim" in out and out.count("Fix:") >= 6 and "Aborted" in out
