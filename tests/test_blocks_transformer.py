"""The transformer family: attention, toy contextual vectors, positional encoding, sentence vectors.

Numbers are checked against numpy / gensim / sklearn computed here directly, on the real model.
"""

from __future__ import annotations

import html
import json
import re
from types import SimpleNamespace

import numpy as np
import pytest
from gensim.parsing.preprocessing import STOPWORDS
from gensim.utils import simple_preprocess
from sklearn.metrics.pairwise import cosine_similarity

from lexicon.engine.deps import compute_code
from lexicon.engine.registry import families, registry
from lexicon.engine.values import resolver
from lexicon.errors import LexiconError
from lexicon.model import require_words
from project import build, make_project

from blocktest import EVIL, run, spec_of

KING = "The king and queen ruled the kingdom"
PILOT = "The pilot landed the plane at the airport"
RIVER = "She sat on the river bank and watched the water"
LOAN = "The bank approved the loan and the money arrived"
KINDS = ["attention", "attention-exercise", "toy-context", "positional-encoding", "positional-exercise",
         "sentence-similarity", "sentence-exercise"]
# The real transformer's kinds (tests/test_blocks_transformer_real.py) share the family.
REAL = ["wordpiece", "contextual-layers", "attention-heads", "transformer-layers", "position-similarity",
        "semantic-search", "sentence-pairs", "search-exercise", "transformer-card", "head-exercise",
        "pooling", "pooling-exercise", "residual-stream", "layer-norm", "feed-forward", "sublayer-exercise"]


def softmax_rows(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def figures_in(out):
    return [json.loads(html.unescape(m)) for m in re.findall(r"data-figure='([^']*)'", out)]


def answer_of(out):
    return json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))


_RUNS: dict = {}


def value(kv, kind, source, expr):
    """``{{ b.<expr> }}`` of the block, resolved as prose on a page resolves it (each block run once)."""
    if (kind, source) not in _RUNS:
        _RUNS[kind, source] = run(kv, kind, source)
    spec, result, _, _ = _RUNS[kind, source]
    block = SimpleNamespace(kind=registry()[kind], spec=spec, result=result, error=None)
    return resolver(lambda ref: block if ref == "b" else None, dict)(f"b.{expr}")


# --- the family -------------------------------------------------------------------------------

def test_the_family_holds_its_kinds():
    fam = next(f for f in families() if f.name == "transformer")
    assert fam.title == "Transformers: their arithmetic, and a real one" and sorted(fam.kinds) == sorted(KINDS + REAL)
    for k in KINDS:
        kind = registry()[k]
        assert kind.family == "transformer"
        assert not kind.summary().startswith("Base class"), k   # the class docstring, not Kind's
    assert registry()["positional-encoding"].needs_model is False
    assert registry()["positional-exercise"].needs_model is False


def test_display_options_stay_out_of_the_cache_key():
    display = {k: sorted(n for n, o in registry()[k].options if o.display) for k in KINDS}
    assert display["attention"] == ["caption", "expect", "figure", "focus", "id"]
    assert display["toy-context"] == ["caption", "expect", "id"]
    # the comparisons are computed with the encoding, so they are part of the result
    assert display["positional-encoding"] == ["caption", "id"]
    assert display["sentence-similarity"] == ["caption", "expect", "figure", "id"]
    assert display["attention-exercise"] == ["answer", "choices", "explanation", "id", "prompt", "word"]
    assert display["positional-exercise"] == ["answer", "explanation", "id", "prompt"]
    assert display["sentence-exercise"] == ["answer", "explanation", "id", "prompt"]


def test_cache_key_covers_the_shared_arithmetic_not_the_figures():
    symbols = set(compute_code(type(registry()["toy-context"])).symbols)
    assert "lexicon.blocks.transformer._attention:attention_weights" in symbols
    assert not any("row_bars" in s or "probe_figure" in s or "render" in s for s in symbols)
    assert "lexicon.blocks.transformer._sentence_vectors:mean_vectors" in \
        compute_code(type(registry()["sentence-exercise"])).symbols


@pytest.mark.parametrize("kind", KINDS)
def test_examples_compute(kv, kind):
    _, _, claims, out = run(kv, kind, registry()[kind].example)
    assert claims and all(c.ok for c in claims), [c.actual for c in claims]
    assert figures_in(out)


# --- attention ---------------------------------------------------------------------------------

def test_attention_weights_are_softmax_of_scaled_dot_products(kv):
    _, r, claims, out = run(kv, "attention", f"sentence: {KING}\nfocus: king\n"
                                             "expect: ['king -> queen', 'queen -> king', 'every word -> itself']")
    tokens = simple_preprocess(KING)
    x = np.stack([kv[t] for t in tokens]).astype(np.float64)
    want = softmax_rows(x @ x.T / np.sqrt(50))
    got = np.array(r["weights"])
    assert r["tokens"] == tokens and r["dims"] == 50
    assert np.allclose(got, want, atol=1e-4)
    assert np.allclose(got.sum(axis=1), 1, atol=1e-3)
    king = tokens.index("king")
    others = [j for j in range(len(tokens)) if j != king]
    assert tokens[max(others, key=lambda j: want[king, j])] == "queen"
    assert all(c.ok for c in claims), [c.actual for c in claims]
    assert len(figures_in(out)) == 2  # the heatmap and king's row
    assert "No learned weights" in out and "simple_preprocess" in out
    assert out.startswith('<div class="ll-block ll-block--attention" id="b">')


def test_attention_focus_row_stays_a_chart_without_the_heatmap(kv):
    _, _, _, out = run(kv, "attention", f"sentence: {PILOT}\nfocus: landed\nfigure: false")
    figs = figures_in(out)
    assert len(figs) == 1 and figs[0]["data"][0]["type"] == "bar"   # landed's row; the heatmap is a table
    assert 'id="b-row"' in out and "Query ↓ · key →" in out


def test_attention_not_every_word_attends_most_to_itself(kv):
    """'landed' gives more weight to 'plane' than to itself: the claim must be able to fail."""
    _, _, claims, _ = run(kv, "attention", f"sentence: {PILOT}\nexpect: ['every word -> itself', 'landed -> plane', "
                                           "'landed -> plane > itself', 'pilot -> plane > itself']")
    tokens = simple_preprocess(PILOT)
    x = np.stack([kv[t] for t in tokens]).astype(np.float64)
    w = softmax_rows(x @ x.T / np.sqrt(50))
    i = tokens.index("landed")
    assert w[i, tokens.index("plane")] > w[i, i]
    assert not claims[0].ok and "landed" in claims[0].actual
    assert claims[1].ok and claims[2].ok
    assert w[tokens.index("pilot"), tokens.index("pilot")] > w[tokens.index("pilot"), tokens.index("plane")]
    assert not claims[3].ok and "it gives" in claims[3].actual


def test_attention_unscaled_is_sharper_and_causal_hides_later_words(kv):
    _, scaled, _, _ = run(kv, "attention", f"sentence: {KING}")
    _, raw, _, _ = run(kv, "attention", f"sentence: {KING}\nscale: false")
    assert all(max(a) >= max(b) for a, b in zip(raw["weights"], scaled["weights"]))
    _, causal, claims, out = run(kv, "attention", f"sentence: {KING}\ncausal: true\nexpect: ['queen -> king']")
    w = np.array(causal["weights"])
    assert np.all(np.triu(w, k=1) == 0) and w[0, 0] == 1
    tokens = simple_preprocess(KING)
    x = np.stack([kv[t] for t in tokens]).astype(np.float64)
    s = x @ x.T / np.sqrt(50)
    q = tokens.index("queen")
    assert np.allclose(w[q, :q + 1], softmax_rows(s[q:q + 1, :q + 1])[0], atol=1e-4)
    assert claims[0].ok
    assert "triu_indices" in out  # the code shown masks the later words too


def test_attention_is_blind_to_word_order(kv):
    _, a, _, _ = run(kv, "attention", "sentence: dog bites man")
    _, b, _, _ = run(kv, "attention", "sentence: man bites dog")
    wa, wb = np.array(a["weights"]), np.array(b["weights"])
    perm = [2, 1, 0]  # position k of "man bites dog" is position perm[k] of "dog bites man"
    assert np.allclose(wb, wa[np.ix_(perm, perm)])


def test_attention_false_claim_names_the_models_answer(kv):
    _, _, claims, out = run(kv, "attention", f"sentence: {KING}\nexpect: ['king -> kingdom']")
    assert not claims[0].ok
    assert "attends most to queen" in claims[0].actual
    assert "False claim" in out


@pytest.mark.parametrize("source, message, fix", [
    (f"sentence: {KING}\nfokus: king", "unknown option 'fokus'", "did you mean 'focus'?"),
    (f"sentence: {KING}\nfocus: prince", "'focus' (prince) is not a token", "king"),
    (f"sentence: {KING}\nexpect: ['the -> king']", "occurs 2 times", "occur once"),
    (f"sentence: {KING}\nexpect: ['king => queen']", "cannot read the claim", "river -> water"),
    (f"sentence: {KING}\nexpect: ['king -> itself > itself']", "cannot read the claim", "> itself"),
    (f"sentence: {KING}\nexpect: ['king -> prince']", "not a token of the sentence", "queen"),
    ("sentence: I, a", "has 0 token(s)", "2 or more letters"),
    (f"sentence: {KING}\ncausal: true\nexpect: ['the -> king']", "occurs 2 times", "occur once"),
])
def test_attention_errors_name_the_fix(source, message, fix):
    with pytest.raises(LexiconError) as err:
        spec_of("attention", source)
    assert message in err.value.message and fix in err.value.fix


def test_unknown_word_in_a_sentence_suggests_spellings(kv):
    spec = spec_of("attention", "sentence: The kng ruled")
    with pytest.raises(LexiconError) as err:
        require_words(kv, registry()["attention"].words(spec))
    assert "'kng' is not in the model's vocabulary" in err.value.message and "did you mean" in err.value.message


def test_attention_values_read_the_weights(kv):
    src = f"sentence: {KING}\nfocus: king\nscale: false"
    _, r, _, out = run(kv, "attention", src)
    tokens = r["tokens"]
    k, q = tokens.index("king"), tokens.index("queen")
    v = value(kv, "attention", src, "weight(king, queen)")
    assert v.number == r["weights"][k][q] and f"<td class=\"ll-num\">{v.text}</td>" in out   # the focus table
    assert value(kv, "attention", src, "weight(king, itself)").number == r["weights"][k][k]
    assert value(kv, "attention", src, "top(king)").text == "queen"
    assert value(kv, "attention", src, "tokens").text == "7"
    assert value(kv, "attention", src, "dims").text == "50"
    assert value(kv, "attention", src, "root_dims").text == "7"
    assert value(kv, "attention", src, "root_dims(2)").text == "7.07"
    with pytest.raises(LexiconError, match="occurs 2 times"):
        value(kv, "attention", src, "weight(the, king)")
    with pytest.raises(LexiconError, match="not a token"):
        value(kv, "attention", src, "top(prince)")


# --- attention exercise ---------------------------------------------------------------------

def test_attention_exercise_answer_and_reasons(kv):
    sentence = "The chef cooked pasta with garlic and tomatoes"
    src = f"sentence: {sentence}\nword: cooked\nchoices: [chef, pasta, garlic, tomatoes]\nanswer: garlic"
    _, _, claims, out = run(kv, "attention-exercise", src)
    tokens = simple_preprocess(sentence)
    x = np.stack([kv[t] for t in tokens]).astype(np.float64)
    w = softmax_rows(x @ x.T / np.sqrt(50))[tokens.index("cooked")]
    best = max(["chef", "pasta", "garlic", "tomatoes"], key=lambda c: w[tokens.index(c)])
    ans = answer_of(out)
    assert ans["kind"] == "choice" and ans["answer"] == best == "garlic"
    assert f"{w[tokens.index('garlic')]:.4f}" in ans["why"]["garlic"]
    assert claims[0].ok
    assert 'data-exercise="choice"' in out and "ll-exercise--attention-exercise" in out
    assert 'section class="ll-exercise__reveal" hidden' in out
    assert f"“{sentence}”" in out.split("</p>")[0]   # the sentence under the prompt
    assert value(kv, "attention-exercise", src, "answer").text == "garlic"
    assert value(kv, "attention-exercise", src, "weight(garlic)").text == f"{w[tokens.index('garlic')]:.4f}"
    assert value(kv, "attention-exercise", src, "self_weight").text == f"{w[tokens.index('cooked')]:.4f}"


def test_attention_exercise_false_claim_and_errors(kv):
    _, _, claims, _ = run(kv, "attention-exercise", f"sentence: {KING}\nword: king\nanswer: kingdom")
    assert not claims[0].ok and "queen" in claims[0].actual
    with pytest.raises(LexiconError, match="not one of the other words"):
        spec_of("attention-exercise", f"sentence: {KING}\nword: king\nchoices: [queen, prince]")
    with pytest.raises(LexiconError, match="occurs 2 times"):
        spec_of("attention-exercise", f"sentence: {KING}\nword: the")
    # causal: the word may only attend to earlier words
    spec = spec_of("attention-exercise", f"sentence: {KING}\nword: ruled\ncausal: true")
    assert spec.choices == ["the", "king", "and", "queen"]


# --- toy contextual vectors -----------------------------------------------------------------

TOY = (f"word: bank\nsentences:\n  - {RIVER}\n  - {LOAN}\nprobes: [river, water, money, loan]\n"
       "expect:\n  - river@1 > river@static\n  - river@1 > river@2\n  - rank(loan@2) < rank(loan@static)\n"
       "  - rank(loan@1) > rank(loan@static)\n")


def test_toy_context_static_is_identical_and_toy_vectors_move(kv):
    spec, r, claims, out = run(kv, "toy-context", TOY)
    assert r["static_identical"] is True and r["static_cosine"][0][1] == 1.0
    toys = []
    for s in (RIVER, LOAN):
        tokens = simple_preprocess(s)
        x = np.stack([kv[t] for t in tokens]).astype(np.float64)
        toys.append((softmax_rows(x @ x.T / np.sqrt(50)) @ x)[tokens.index("bank")])
    between = float(cosine_similarity(toys[0][None], toys[1][None])[0, 0])
    assert r["toy_cosine"][0][1] == pytest.approx(between, abs=1e-4)
    assert r["toy_cosine"][0][1] < 1
    for v, vec in enumerate([kv["bank"]] + toys):
        for q, p in enumerate(spec.probes):
            assert r["probe_cosine"][v][q] == pytest.approx(
                float(cosine_similarity(np.asarray(vec, dtype=np.float64)[None], kv[p][None].astype(np.float64))[0, 0]),
                abs=1e-4)
    assert all(c.ok for c in claims), [c.actual for c in claims]
    assert "A toy" in out


def test_toy_context_self_weight_and_distance_from_static(kv):
    extra = "  - self_weight@1 > 0.5\n  - cos_static@2 > 0.9\n  - rank(money@1) < 200\n  - self_weight@2 > 0.99\n"
    _, r, claims, _ = run(kv, "toy-context", TOY + extra)
    tokens = simple_preprocess(LOAN)
    x = np.stack([kv[t] for t in tokens]).astype(np.float64)
    w = softmax_rows(x @ x.T / np.sqrt(50))
    i = tokens.index("bank")
    assert r["self_weights"][1] == pytest.approx(w[i, i], abs=1e-4)
    toy = w[i] @ x
    moved = float(cosine_similarity(toy[None], kv["bank"][None].astype(np.float64))[0, 0])
    assert r["moved"][1] == pytest.approx(moved, abs=1e-4)
    assert [c.ok for c in claims[-4:]] == [True, True, True, False]
    assert "the weight 'bank' keeps on itself in sentence 2 = " in claims[-1].actual


def test_toy_context_ranks_match_gensim_most_similar(kv):
    _, r, _, _ = run(kv, "toy-context", TOY)
    listed = [w for w, _ in kv.most_similar("bank", topn=200)]
    assert r["probe_rank"][0][3] == listed.index("loan") + 1
    assert [w for w, _ in r["neighbours"][0]] == listed[:8]
    near = [w for w, _ in kv.similar_by_vector(np.asarray(kv["bank"]), topn=9) if w != "bank"]
    assert [w for w, _ in r["neighbours"][0]] == near[:8]


def test_toy_context_false_claim_and_errors(kv):
    _, _, claims, _ = run(kv, "toy-context", TOY.replace("river@1 > river@static", "river@static > river@1"))
    assert not claims[0].ok and "similarity(static 'bank', river) = 0.4142" in claims[0].actual
    bad = [("  - rank(river@1) < river@2\n", "compares a rank with a cosine"),
           ("  - rank(river@1) < rank(river\n", "cannot read the claim"),
           ("  - self_weight@static > 0.5\n", "cannot read the claim"),
           ("  - self_weight@1 > rank(river@1)\n", "compares a weight with a rank"),
           ("  - shore@1 > shore@2\n", "not one of the probes"),
           ("  - river@3 > river@2\n", "names sentence 3")]
    for line, message in bad:
        with pytest.raises(LexiconError, match=re.escape(message)):
            spec_of("toy-context", TOY + line)
    with pytest.raises(LexiconError, match="holds 'bank' 0 times"):
        spec_of("toy-context", "word: bank\nsentences: [the river, the bank]\nprobes: [river, loan]")


def test_toy_context_values_as_the_tables_show_them(kv):
    _, r, _, out = run(kv, "toy-context", TOY)
    cos = value(kv, "toy-context", TOY, "cosine(river, 1)")
    assert cos.number == r["probe_cosine"][1][0] and f"{cos.text} <small>(#" in out
    assert value(kv, "toy-context", TOY, "cosine(loan, static)").number == r["probe_cosine"][0][3]
    rank = value(kv, "toy-context", TOY, "rank(loan, static)")
    assert rank.number == r["probe_rank"][0][3] and f"(#{rank.text})" in out
    sw = value(kv, "toy-context", TOY, "self_weight(2)")
    assert sw.number == r["self_weights"][1] and f">{sw.text}</td>" in out
    assert value(kv, "toy-context", TOY, "cos_static(1)").number == r["moved"][0]
    toy = value(kv, "toy-context", TOY, "toy_cosine(1, 2)")
    assert toy.number == r["toy_cosine"][0][1] and f"S1–S2 {toy.text}" in out
    with pytest.raises(LexiconError, match="not one of the probes"):
        value(kv, "toy-context", TOY, "rank(shore, 1)")
    with pytest.raises(LexiconError, match="names no sentence"):
        value(kv, "toy-context", TOY, "self_weight(3)")


# --- positional encoding --------------------------------------------------------------------

def test_positional_encoding_is_the_formula_and_needs_no_model():
    _, r, claims, out = run(None, "positional-encoding",
                            "positions: 40\ndims: 16\nreference: 10\nexpect: ['10~11 > 10~30', '10~14 < 10~16']")
    pe = np.array(r["encoding"])
    assert pe.shape == (40, 16)
    for p in (0, 7, 39):
        for i in range(8):
            assert pe[p, 2 * i] == pytest.approx(np.sin(p / 10000 ** (2 * i / 16)), abs=1e-3)
            assert pe[p, 2 * i + 1] == pytest.approx(np.cos(p / 10000 ** (2 * i / 16)), abs=1e-3)

    def value_at(p, j):
        angle = p / 10000 ** (2 * (j // 2) / 16)
        return np.sin(angle) if j % 2 == 0 else np.cos(angle)

    exact = np.array([[value_at(p, j) for j in range(16)] for p in range(40)])
    c = cosine_similarity(exact)
    assert np.allclose(r["reference_cosine"], c[10], atol=1e-4)
    assert r["norm"] == pytest.approx(np.sqrt(8), abs=1e-4)
    assert r["offset_spread"] < 1e-12
    assert claims[0].ok
    # The similarity wobbles: 14 is not more similar to 10 than 16 is, so the second claim must fail.
    assert claims[1].ok == bool(c[10, 14] < c[10, 16])
    assert "no model" in out and len(figures_in(out)) == 2
    assert '<p class="ll-model" data-search-exclude>Computed at build time with numpy: a fixed formula, no model and no learned ' \
           'weights.</p></div>' in out


@pytest.mark.parametrize("source, message", [
    ("dims: 15", "is not a multiple of 2"),
    ("positions: 10\nreference: 10", "'reference' (10) must be a position"),
    ("positions: 10\nexpect: ['1~2 > 1~12']", "names position 12"),
    ("expect: ['1-2 > 1-3']", "cannot read the comparison"),
    ("position: 10", "unknown option 'position'"),
    ("positions: 10.0", "is not a whole number"),
])
def test_positional_encoding_errors(source, message):
    with pytest.raises(LexiconError) as err:
        spec_of("positional-encoding", source)
    assert message in err.value.message and err.value.fix


def test_positional_encoding_values():
    src = "positions: 50\ndims: 64\nreference: 10"
    _, r, _, out = run(None, "positional-encoding", src)
    peak = value(None, "positional-encoding", src, "first_peak")
    cos = r["reference_cosine"]
    assert peak.number == 16 and cos[16] > cos[15] and cos[16] > cos[17]
    assert all(cos[p] > cos[p + 1] for p in range(10, 15))           # falls steadily until then
    c16 = value(None, "positional-encoding", src, "cosine(16)")
    assert c16.number == cos[16] and f"<td class=\"ll-num\">{c16.text}</td>" in out
    length = value(None, "positional-encoding", src, "length")
    assert length.text == "5.6569" and f"same length, {length.text} (the square root of 32)" in out
    assert value(None, "positional-encoding", src, "frequencies").text == "32"
    assert value(None, "positional-encoding", "positions: 50\ndims: 16\nreference: 10", "first_peak").text == "16"
    with pytest.raises(LexiconError, match="not a position"):
        value(None, "positional-encoding", src, "cosine(50)")


# --- positional exercise --------------------------------------------------------------------

def test_positional_exercise_answer_and_values():
    src = "reference: 10\nchoices: [15, 16, 17, 40]\ndims: 64\nanswer: 16"
    _, r, claims, out = run(None, "positional-exercise", src)
    c = cosine_similarity(np.array([[np.sin(p / 10000 ** (2 * (j // 2) / 64)) if j % 2 == 0 else
                                     np.cos(p / 10000 ** (2 * (j // 2) / 64)) for j in range(64)]
                                    for p in range(41)]))[10]
    assert r["answer"] == 16 and r["scores"] == pytest.approx([c[15], c[16], c[17], c[40]], abs=1e-6)
    assert claims[0].ok and answer_of(out)["answer"] == "16"
    assert "ll-exercise--positional-exercise" in out and "a fixed formula, no model.</p></div>" in out
    assert value(None, "positional-exercise", src, "answer").text == "16"
    assert value(None, "positional-exercise", src, "cosine(15)").text == f"{c[15]:.4f}"
    _, _, claims, _ = run(None, "positional-exercise", src.replace("answer: 16", "answer: 15"))
    assert not claims[0].ok and "16 (" in claims[0].actual
    with pytest.raises(LexiconError, match="also a choice"):
        spec_of("positional-exercise", "reference: 10\nchoices: [10, 16]")
    with pytest.raises(LexiconError, match="not one of the choices"):
        spec_of("positional-exercise", "reference: 10\nchoices: [15, 16]\nanswer: 17")


# --- sentence vectors -----------------------------------------------------------------------

SENTENCES = ["The cat sat on the mat", "A dog slept on the rug", "Stock markets fell sharply today",
             "dog bites man", "man bites dog"]


def test_sentence_vectors_are_means_and_word_order_is_lost(kv):
    src = "sentences:\n" + "".join(f"  - {s}\n" for s in SENTENCES) + \
          "expect: ['4 = 5', '1 -> 2', '1~2 > 1~3', '4~5 > 1~2']"
    spec, r, claims, out = run(kv, "sentence-similarity", src)
    means = np.stack([np.mean([kv[t] for t in simple_preprocess(s)], axis=0) for s in SENTENCES])
    assert np.allclose(r["cosine"], cosine_similarity(means), atol=1e-4)
    assert spec.tokens[1] == ["dog", "slept", "on", "the", "rug"]  # 'a' is dropped by simple_preprocess
    assert r["max_diff"][3][4] == 0.0 and r["cosine"][3][4] == 1.0
    assert all(c.ok for c in claims), [c.actual for c in claims]
    assert "exactly the same 50 numbers" in out


def test_dropping_stop_words_deletes_not(kv):
    src = "sentences:\n  - The film was good\n  - The film was not good\ndrop_stopwords: true\nexpect: ['1 = 2']"
    spec, _, claims, _ = run(kv, "sentence-similarity", src)
    assert "not" in STOPWORDS and spec.tokens == [["film", "good"], ["film", "good"]]
    assert claims[0].ok
    _, r2, claims2, _ = run(kv, "sentence-similarity", src.replace("true", "false"))
    assert not claims2[0].ok and r2["max_diff"][0][1] > 0


def test_sentence_similarity_false_claims_and_errors(kv):
    src = "sentences:\n" + "".join(f"  - {s}\n" for s in SENTENCES) + "expect: ['1 -> 3', '1 = 2']"
    _, _, claims, _ = run(kv, "sentence-similarity", src)
    assert not claims[0].ok and "the nearest is S2" in claims[0].actual
    assert not claims[1].ok
    for extra, message in [("expect: ['1 -> 9']", "names sentence 9"), ("expect: ['1 -> 1']", "with itself"),
                           ("expect: ['1 ~ 2']", "cannot read the claim"), ("sentense: x", "unknown option")]:
        with pytest.raises(LexiconError, match=re.escape(message)):
            spec_of("sentence-similarity", "sentences: [dog bites man, man bites dog]\n" + extra)


def test_sentence_similarity_values(kv):
    src = "sentences:\n" + "".join(f"  - {s}\n" for s in SENTENCES)
    _, r, _, out = run(kv, "sentence-similarity", src)
    v = value(kv, "sentence-similarity", src, "cosine(1, 2)")
    assert v.number == r["cosine"][0][1] and f"<td class=\"ll-num\">{v.text}</td>" in out
    assert value(kv, "sentence-similarity", src, "cosine(4, 5)").text == "1.0000"
    assert value(kv, "sentence-similarity", src, "tokens(2)").text == "5"   # 'a' is dropped
    with pytest.raises(LexiconError, match="names no sentence"):
        value(kv, "sentence-similarity", src, "cosine(1, 6)")


def test_sentence_exercise_answer_is_the_closest_mean(kv):
    target = "The children played football in the park"
    choices = {"A": "Kids were kicking a ball on the grass", "B": "The children studied in the library",
               "C": "The park was closed for repairs"}
    src = f"sentence: {target}\nchoices:\n" + "".join(f"  {k}: {v}\n" for k, v in choices.items()) + "answer: B"
    _, r, claims, out = run(kv, "sentence-exercise", src)
    t = np.mean([kv[w] for w in simple_preprocess(target)], axis=0)
    sims = {k: float(cosine_similarity(t[None], np.mean([kv[w] for w in simple_preprocess(v)], axis=0)[None])[0, 0])
            for k, v in choices.items()}
    assert max(sims, key=sims.get) == "B"
    assert r["scores"] == pytest.approx([sims[k] for k in "ABC"], abs=1e-4)
    ans = answer_of(out)
    assert ans["answer"] == f"B. {choices['B']}" and f"{sims['B']:.4f}" in ans["why"][ans["answer"]]
    assert claims[0].ok and "ll-exercise--sentence-exercise" in out
    assert value(kv, "sentence-exercise", src, "answer").text == "B"
    assert value(kv, "sentence-exercise", src, "cosine(A)").text == f"{sims['A']:.4f}"
    _, _, claims, _ = run(kv, "sentence-exercise", src.replace("answer: B", "answer: A"))
    assert not claims[0].ok and "B (" in claims[0].actual
    with pytest.raises(LexiconError, match="not one of the choices"):
        spec_of("sentence-exercise", src.replace("answer: B", "answer: D"))


# --- rendering: author text is escaped everywhere -----------------------------------------------

@pytest.mark.parametrize("kind, source", [
    ("attention", f"sentence: \"{EVIL} {KING}\"\ncaption: \"{EVIL}\"\nfocus: king"),
    ("attention", f"sentence: \"{EVIL} {KING}\"\ncaption: \"{EVIL}\"\nfocus: king\nfigure: false"),
    ("attention-exercise", f"sentence: \"{EVIL} {KING}\"\nword: king\nprompt: \"{EVIL}\"\nexplanation: \"{EVIL}\""),
    ("toy-context", f"word: bank\nsentences: [\"{EVIL} {RIVER}\", \"{LOAN}\"]\nprobes: [river, loan]\n"
                    f"caption: \"{EVIL}\""),
    ("positional-encoding", f"positions: 12\ndims: 8\ncaption: \"{EVIL}\""),
    ("sentence-similarity", f"sentences: [\"{EVIL} dog bites man\", man bites dog]\ncaption: \"{EVIL}\""),
    ("sentence-exercise", f"sentence: \"{EVIL} dog bites man\"\nchoices:\n  A: \"{EVIL} a man\"\n  B: a dog\n"
                          f"prompt: \"{EVIL}\"\nexplanation: \"{EVIL}\""),
])
def test_author_text_is_escaped(kv, kind, source):
    _, _, _, out = run(kv, kind, source)
    assert "<script>" not in out and "<b>model</b>" not in out
    assert "&lt;script&gt;" in out
    for fig in figures_in(out):
        assert "data" in fig and "layout" in fig


# --- in a real build: located errors and a failing strict build -------------------------------

def test_build_reports_located_errors_for_these_blocks(tmp_path):
    page = ("Intro.\n\n```attention\nsentence: The kng ruled the land\n```\n\n"
            "```sentence-similarity\nsentences: [dog bites man, man bites dog]\nexpect: ['1~2 < 1~1']\n```\n\n"
            "```positional-encoding\npositions: 20\nrefrence: 3\n```\n\n"
            "```attention\nsentence: The king and queen ruled the kingdom\nexpect: ['king -> kingdom']\n```\n")
    proc = build(make_project(tmp_path, {"page.md": page}))
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "docs/page.md:4: attention block: word 'kng' is not in the model's vocabulary" in out
    assert "Fix: correct the spelling" in out
    assert "docs/page.md:14: positional-encoding block: unknown option 'refrence'" in out
    assert "did you mean 'reference'?" in out
    assert "docs/page.md:17: attention block: false claim: of the other words, 'king' attends most to 'kingdom'" in out
    assert "sentence-similarity block: false claim: similarity(S1, S2) < similarity(S1, S1)" in out
    assert "Aborted" in out
