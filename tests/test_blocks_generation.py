"""The generation family: the n-gram language model, decoding, sampling, int8 quantization and low-rank SVD.

Every probability distribution sums to 1; perplexity equals exp of the mean negative log-likelihood recomputed
token by token; beam search of width 1 is greedy and wider beams score at least as high on the pages' prompts;
seeded sampling is deterministic; top-p keeps at least p and no more tokens than it needs; the int8 round
trip moves no number by more than half a scale; the SVD's energy equals the error of numpy's own rank-r
reconstruction; bad options are refused with a fix. The n-gram model is counted once per process (about a
second), so these tests stay fast.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from blocktest import quote, run, spec_of
from lexicon.blocks.generation import _decoding as dec
from lexicon.blocks.generation import _ngram as ng
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

KINDS = ("next-token", "ngram-perplexity", "decoding", "sampling", "generation-exercise", "low-rank",
         "sequence-probability", "context-window", "low-rank-exercise")
CONTEXTS = ("the prime", "australian troops", "the police said", "the")


def test_the_family_is_registered_and_only_quantization_needs_the_embedding_model():
    for name in KINDS:
        kind = registry()[name]
        assert kind.family == "generation" and not kind.needs_model and kind.note
    assert registry()["quantization"].needs_model and registry()["quantization-exercise"].needs_model


def test_the_corpus_is_read_whole_and_the_held_out_stories_are_other_stories():
    train, held = ng.training_stories(), ng.held_out_stories()
    assert (len(train), len(held)) == (300, 50)
    assert not set(train) & set(held)
    m = ng.model(3)
    assert m.vocab == sorted(m.vocab) and {ng.UNK, ng.EOS} <= set(m.vocab) and ng.BOS not in m.vocab


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("smoothing", ["interpolated", "add-k"])
def test_every_next_token_distribution_sums_to_1_and_prob_reads_the_same_numbers(order, smoothing):
    m = ng.model(order, smoothing, 1.0)
    for text in CONTEXTS + ("zebra crossing",):
        history = [ng.BOS, ng.BOS] + [w if w in m.index else ng.UNK for w in text.split()]
        p = m.distribution(history)
        assert abs(p.sum() - 1) < 1e-9 and (p > 0).all()
        for w in ("the", ng.EOS, ng.UNK, "minister"):
            assert abs(m.prob(history, w) - p[m.index[w]]) < 1e-12


def test_the_unsmoothed_model_is_maximum_likelihood():
    m = ng.model(2, "none")
    c = m.counts[2]
    total = sum(n for g, n in c.items() if g[0] == "prime")
    assert m.prob(["prime"], "minister") == c[("prime", "minister")] / total
    assert m.prob(["prime"], "zebra") == 0


def test_the_interpolation_weights_sum_to_1_and_are_chosen_without_the_held_out_file():
    for order in (1, 2, 3):
        w = ng.weights(order)
        assert len(w) == order and abs(sum(w) - 1) < 1e-12 and min(w) >= 0.1 - 1e-12
    # the development split is counted without its own stories
    dev = ng.counts(dev=True)
    assert sum(dev.grams[1].values()) < sum(ng.counts().grams[1].values())


@pytest.mark.parametrize("order, smoothing", [(1, "interpolated"), (2, "interpolated"), (3, "interpolated"),
                                              (3, "add-k"), (2, "none")])
def test_perplexity_is_exp_of_the_mean_negative_log_likelihood_token_by_token(order, smoothing):
    m = ng.model(order, smoothing, 1.0)
    nll, n, zeros = 0.0, 0, 0
    for story in ng.held_out_stories():
        seq = ng.padded(story, m.index)
        for i in range(2, len(seq)):
            p = m.prob(seq[:i], seq[i])
            n += 1
            if p == 0:
                zeros += 1
            else:
                nll -= math.log(p)
    got = ng.evaluate(m, ng.held_out_stories(), "held_out")
    assert got["tokens"] == n and got["zeros"] == zeros
    if zeros:
        assert got["perplexity"] is None
    else:
        assert abs(got["perplexity"] - math.exp(nll / n)) < 1e-3


def test_the_perplexity_block_compares_orders_and_smoothings():
    src = ("orders: [1, 2, 3]\nsmoothings: [interpolated, add-k, none]\nexpect:\n  - held_out(3) < held_out(1)\n"
           "  - training(3) < held_out(3)\n  - held_out(3, add-k) < held_out(3)")
    spec, result, claims, out = run(None, "ngram-perplexity", src)
    assert [c.ok for c in claims] == [True, True, False]
    assert quote("ngram-perplexity", spec, result, "held_out", "3", "none").text == "∞"
    assert ">∞<" in out
    assert int(quote("ngram-perplexity", spec, result, "zeros", "3", "none").number) > 0


def test_the_next_token_block_lists_the_top_and_the_rest_of_the_mass():
    spec, result, claims, out = run(None, "next-token", "context: the prime\ntop: 5\nmost_likely: minister")
    assert claims[0].ok and result["top"][0][0] == "minister"
    assert abs(sum(p for _, p in result["top"]) + result["rest"] - 1) < 1e-5
    assert quote("next-token", spec, result, "prob", "minister").text in out
    _, _, claims, _ = run(None, "next-token", "context: the prime\nmost_likely: president")
    assert not claims[0].ok


@pytest.mark.parametrize("prompt", ["australian troops", "the police said", "the prime minister"])
def test_beam_search_of_width_1_is_greedy_and_wider_beams_score_at_least_as_high(prompt):
    m = ng.model(3)
    context = ng.context_tokens(prompt, m)
    g = dec.greedy(m, context, 12)
    assert dec.beam(m, context, 12, 1)["tokens"] == g["tokens"]
    assert abs(sum(math.log(m.prob(context + g["tokens"][:i], t)) for i, t in enumerate(g["tokens"])) - g["logp"]) < 1e-5
    for w in (2, 4):
        assert dec.beam(m, context, 12, w)["logp"] >= g["logp"] - 1e-9


def test_the_decoding_block_finds_greedy_loops():
    spec, result, claims, out = run(None, "decoding", "prompt: australian troops\nsteps: 12\nexpect:\n"
                                                      "  - beam(4) >= greedy\n  - greedy loops\n  - beam(4) loops")
    assert [c.ok for c in claims] == [True, True, False]
    lp = result["runs"]["greedy"]["loop"]
    toks = result["runs"]["greedy"]["tokens"]
    assert toks[lp["start"]:lp["start"] + lp["period"]] == toks[lp["start"] + lp["period"]:lp["start"] + 2 * lp["period"]]
    assert dec.loop(["a", "b", "c"], 3) is None and dec.loop(["the", "the"], 1)["period"] == 1


def test_reshaping_keeps_what_it_says():
    m = ng.model(3)
    p = m.distribution(ng.context_tokens("the police", m))
    q, kept, mass = dec.reshape(p, m.vocab, "temperature", 1.0)
    assert np.allclose(q, p) and kept == m.size
    ent = [ng.entropy_bits(dec.reshape(p, m.vocab, "temperature", t)[0]) for t in (0.5, 1, 2)]
    assert ent[0] < ent[1] < ent[2]
    for k in (1, 5, 50):
        q, kept, mass = dec.reshape(p, m.vocab, "top-k", k)
        assert kept == k == (q > 0).sum() and abs(q.sum() - 1) < 1e-12
        assert abs(mass - np.sort(p)[::-1][:k].sum()) < 1e-12
    for top_p in (0.3, 0.5, 0.9):
        q, kept, mass = dec.reshape(p, m.vocab, "top-p", top_p)
        assert mass >= top_p - 1e-9 and (q > 0).sum() == kept
        assert np.sort(p)[::-1][:kept - 1].sum() < top_p        # one token fewer would not reach p


def test_seeded_sampling_is_deterministic():
    src = "context: the prime\nmethod: top-p\nsettings: [0.9]\nsamples: 3\nseed: 7"
    a, b = run(None, "sampling", src)[1], run(None, "sampling", src)[1]
    assert a == b
    c = run(None, "sampling", src.replace("seed: 7", "seed: 8"))[1]
    assert c["rows"][0]["samples"] != a["rows"][0]["samples"]


@pytest.mark.parametrize("src, answer", [
    ("ask: greedy\ncontext: australian troops\nchoices: [arrived, the, in]", "arrived"),
    ("ask: next-token\ncontext: the prime\nchoices: [minister, president, police]", "minister"),
    ("ask: top-p\ncontext: the prime\nsetting: 0.55\nchoices: [1, 2, 3, 4]", "3"),
    ("ask: top-k\ncontext: the police\nsetting: 3\nchoices: [force, federation, the]", "the"),
    ("ask: temperature\ncontext: australian troops\nchoices: [0.5, 1, 2]", "2"),
    ("ask: order\nchoices: [1, 2, 3]", "3"),
    ("ask: beam-keep\ncontext: the police said\ntarget: initial reports\nchoices: [1, 2, 3, 4]", "3"),
])
def test_each_exercise_grades_the_computed_answer(src, answer):
    spec, result, claims, out = run(None, "generation-exercise", src + f"\nanswer: '{answer}'")
    assert claims[0].ok and quote("generation-exercise", spec, result, "best").text == answer
    wrong = next(c for c in spec.choices if c != answer)
    assert not run(None, "generation-exercise", src + f"\nanswer: '{wrong}'")[2][0].ok


def test_the_int8_round_trip_moves_no_number_more_than_half_a_scale(kv):
    from lexicon.blocks.generation.quantization import dequantize, quantize

    m = np.asarray(kv.vectors[:5000], dtype=np.float32)
    q, s = quantize(m)
    assert q.dtype == np.int8 and np.abs(q).max() == 127
    assert np.all(np.abs(m - dequantize(q, s)) <= s[:, None].astype(np.float64) / 2 + 1e-12)
    spec, result, _, out = run(kv, "quantization", "top: 5000\nwords: [king, paris]\ntopn: 5")
    assert result["bound"] <= 1 + 1e-9 and result["float_bytes"] / result["int8_bytes"] > 3.5
    assert 0 <= result["error"]["50"] <= result["error"]["100"] < 1e-3


def test_the_svd_energy_equals_numpys_rank_r_reconstruction_error():
    from lexicon import minilm

    spec, result, _, out = run(None, "low-rank", "layer: 2\nmatrix: value\nranks: [8, 32]")
    w = minilm.load().weights["encoder.layer.1.attention.self.value.weight"].astype(np.float64)
    u, s, vt = np.linalg.svd(w, full_matrices=False)
    for r in (8, 32, 200):
        wr = (u[:, :r] * s[:r]) @ vt[:r]
        err = np.linalg.norm(w - wr) ** 2 / np.linalg.norm(w) ** 2
        assert abs(err - (1 - result["energy"][r - 1])) < 1e-6
    assert quote("low-rank", spec, result, "params", "8").number == 8 * (384 + 384)
    assert quote("low-rank", spec, result, "full").number == 384 * 384


@pytest.mark.parametrize("kind, src, message", [
    ("next-token", "context: the zzyzx", "occurs fewer than 2 times"),
    ("next-token", "context: the prime\norder: 4", "option 'order'"),
    ("sampling", "context: the prime\nmethod: top-k\nsettings: [2.5]", "whole number"),
    ("sampling", "context: the prime\nmethod: top-p\nsettings: [1.5]", "over 1"),
    ("generation-exercise", "ask: greedy\nchoices: [a, b]", "needs 'context'"),
    ("generation-exercise", "ask: order\nchoices: [1, 4]", "orders 1, 2 and 3"),
    ("generation-exercise", "ask: greedy\ncontext: the prime\nchoices: [the, of]\nanswer: to", "not one of the choices"),
    ("decoding", "prompt: the prime\nexpect: [beam(3) > greedy]", "not one of the block's decoders"),
    ("ngram-perplexity", "expect: [held_out(3) <> held_out(1)]", "cannot read the claim"),
    ("low-rank", "matrix: gate", "option 'matrix'"),
    ("low-rank", "ranks: [500]", "more than the limit of 384"),
])
def test_bad_blocks_name_the_fix(kind, src, message):
    with pytest.raises(LexiconError, match=message) as err:
        spec, *_ = run(None, kind, src)
    assert err.value.fix or "option" in message


def test_content_errors_found_when_computing_name_the_fix(kv):
    with pytest.raises(LexiconError, match="not among the choices") as err:
        run(None, "generation-exercise", "ask: greedy\ncontext: the prime\nchoices: [the, of]")
    assert "minister" in err.value.fix
    with pytest.raises(LexiconError, match="outside the 1,000 quantized"):
        run(kv, "quantization", "top: 1000\nwords: [frog]")
    with pytest.raises(LexiconError, match="keeps"):
        run(None, "generation-exercise", "ask: top-p\ncontext: the\nsetting: 0.9\nchoices: [1, 2]")


def test_every_kind_s_example_runs(kv):
    for name in KINDS + ("quantization", "quantization-exercise"):
        kind = registry()[name]
        spec_of(name, kind.example)
        _, _, claims, out = run(kv if kind.needs_model else None, name, kind.example)
        assert all(c.ok for c in claims) and out


def test_a_texts_perplexity_is_exp_of_the_mean_of_its_tokens_negative_log_probabilities():
    spec, result, _, out = run(None, "sequence-probability", "text: the prime minister said")
    rows = result["rows"]
    assert [r["token"] for r in rows] == ["the", "prime", "minister", "said", ng.EOS]
    m = ng.model(3)
    seq = ng.padded("the prime minister said".split(), m.index)
    assert [r["p"] for r in rows] == [m.prob(seq[:i], seq[i]) for i in range(2, len(seq))]
    assert abs(result["perplexity"] - math.exp(-sum(math.log(r["p"]) for r in rows) / len(rows))) < 1e-9
    assert abs(result["perplexity"] - math.prod(r["p"] for r in rows) ** (-1 / len(rows))) < 1e-6
    scrambled = run(None, "sequence-probability", "text: the minister prime said")[1]
    assert scrambled["perplexity"] > result["perplexity"]
    unsmoothed = run(None, "sequence-probability", "text: the minister prime said\nsmoothing: none")
    assert unsmoothed[1]["perplexity"] is None and "infinite" in unsmoothed[3]


def test_the_context_window_reads_the_limits_from_the_models_files():
    import json

    from lexicon import minilm

    spec, result, _, out = run(None, "context-window", "corpus: training")
    folder = minilm.files.package_folder()
    assert result["positions"] == json.load(open(folder / "config.json"))["max_position_embeddings"] == 512
    assert result["max_seq"] == json.load(open(folder / "sentence_bert_config.json"))["max_seq_length"]
    assert result["max_seq"] == minilm.MAX_TOKENS
    assert len(result["lengths"]) == 300 and min(result["lengths"]) > 2
    # the lengths are the model's own tokens: truncated at max_seq_length, minilm.tokenize agrees
    short = min(range(300), key=lambda i: result["lengths"][i])
    from gensim.test.utils import datapath

    text = open(datapath("lee_background.cor"), encoding="latin-1").read().splitlines()[short]
    assert len(minilm.tokenize([text]).tokens[0]) == min(result["lengths"][short], minilm.MAX_TOKENS)
    n = int(quote("context-window", spec, result, "over", "max_seq_length").number)
    assert n == sum(1 for x in result["lengths"] if x > 256)


def test_the_window_exercise_finds_the_only_words_an_n_gram_model_sees():
    src = ("ask: window\ncontext: australian troops arrived in afghanistan and the prime\n"
           "choices: [australian, arrived, afghanistan, prime]\nanswer: prime")
    spec, result, claims, _ = run(None, "generation-exercise", src)
    assert claims[0].ok and result["scores"]["australian"] == result["scores"]["arrived"] == 0
    assert result["scores"]["prime"] > 0
    with pytest.raises(LexiconError, match="occurs 0 times"):
        run(None, "generation-exercise", src.replace("[australian,", "[zebra,"))


def test_the_beam_keep_exercise_follows_the_beam_s_pruning():
    """Width B keeps the B best first tokens; the target survives only if its first token does, and then only if
    it ranks among the B best two-token candidates."""
    src = "ask: beam-keep\ncontext: the police said\ntarget: initial reports\nchoices: [1, 2, 3, 4]\nanswer: 3"
    spec, result, claims, out = run(None, "generation-exercise", src)
    assert claims[0].ok and result["first_rank"] == 3 and result["place"] == 1
    m = ng.model(3)
    h = ng.context_tokens("the police said", m)
    p = m.distribution(h)
    top = [m.vocab[i] for i in ng.ranked(p, m.vocab)[:4]]
    assert top.index("initial") == 2
    for w in (1, 2, 3, 4):
        first = [t[0] for _, t in dec.beams(m, h, 1, w)[0]]
        assert first == top[:w] and result["kept"][str(w)]["holds"] == (w >= 3)
    assert result["target_logp"] == pytest.approx(math.log(p[m.index["initial"]]) + math.log(
        m.distribution(h + ["initial"])[m.index["reports"]]), abs=1e-6)
    with pytest.raises(LexiconError, match="not two tokens"):
        run(None, "generation-exercise", src.replace("initial reports", "initial"))


def test_the_memory_exercises_compute_their_answers(kv):
    _, result, claims, _ = run(kv, "quantization-exercise", "choices: [2, 3.7, 4, 8]\nanswer: 3.7")
    assert claims[0].ok and result["ratio"] == 4 * 50 / 54
    assert not run(kv, "quantization-exercise", "choices: [2, 3.7, 4, 8]\nanswer: 4")[2][0].ok
    with pytest.raises(LexiconError, match="equal it"):
        run(kv, "quantization-exercise", "choices: [2, 4, 8]")
    _, result, claims, _ = run(None, "low-rank-exercise", "layer: 3\nmatrix: ffn-in\nrank: 16\n"
                                                          "choices: [256, 30720, 589824]\nanswer: 30720")
    assert claims[0].ok and result["right"] == 16 * (1536 + 384)
    with pytest.raises(LexiconError, match="none of the choices"):
        run(None, "low-rank-exercise", "rank: 4\nchoices: [1, 2]")


def test_the_ceiling_bounds_every_next_token_probability_and_is_reached():
    """No token gets more than (1 − λ1) + λ1·max P_unigram after any context; a history seen once with one
    follower whose bigram is also certain reaches it. The next-token values read the counts behind it."""
    m = ng.model(3)
    top = ng.ceiling(m)
    best = 0.0
    for h in list(m.histories[3])[:4000]:
        best = max(best, float(m.distribution(list(h)).max()))
    assert best <= top + 1e-12 and top - best < 1e-3
    assert ng.ceiling(ng.model(1)) == 1.0 and ng.ceiling(ng.model(3, "add-k")) == 1.0
    spec, result, _, _ = run(None, "next-token", "context: the police said\ntop: 6")
    assert quote("next-token", spec, result, "count", "3", "</s>").number == 0
    said = m.histories[2][("said",)]
    assert quote("next-token", spec, result, "history_count", "2").number == said
    assert quote("next-token", spec, result, "count", "2", "</s>").number == m.counts[2][("said", "</s>")]
    assert quote("next-token", spec, result, "weight", "1").number == m.lambdas[0]
    assert abs(quote("next-token", spec, result, "ceiling").number - top) < 1e-6
    # the bigram interpolation: 0.5 · c(said </s>) / c(said) + 0.5 · P_uni(</s>) … within the trigram mix
    p = result["top"]
    assert any(w == "</s>" for w, _ in p)


def test_the_new_sampling_decoding_and_perplexity_values_recompute():
    spec, result, _, _ = run(None, "sampling", "context: the prime\nmethod: top-p\nsettings: [0.9]\nsamples: 0")
    kept = quote("sampling", spec, result, "kept", "0.9").number
    assert quote("sampling", spec, result, "left_out", "0.9").number == result["vocab"] - kept
    assert abs(quote("sampling", spec, result, "max_entropy").number - math.log2(result["vocab"])) < 1e-12
    spec, result, _, _ = run(None, "decoding", "prompt: the police said\nsteps: 15\nwidths: [4]")
    r = result["runs"]["greedy"]
    assert abs(quote("decoding", spec, result, "per_token", "greedy").number - r["logp"] / len(r["tokens"])) < 1e-12
    spec, result, _, _ = run(None, "ngram-perplexity", "orders: [3]")
    m = ng.model(3)
    unseen = sum(1 for s in ng.held_out_stories() for i, seq in [(0, ng.padded(s, m.index))]
                 for j in range(2, len(seq)) if m.histories[3].get(tuple(seq[j - 2:j]), 0) == 0)
    assert abs(quote("ngram-perplexity", spec, result, "unseen_history", "3").number
               - unseen / result["rows"][0]["held_out"]["tokens"]) < 1e-12


def test_the_quantization_error_is_float64_and_a_global_scale_is_worse(kv):
    spec, result, _, _ = run(kv, "quantization", "top: 5000\nwords: [king]\ntopn: 5")
    from lexicon.blocks.generation.quantization import dequantize, quantize

    m = np.asarray(kv.vectors[:5000], dtype=np.float64)
    back = dequantize(*quantize(m.astype(np.float32)))
    cos = (m * back).sum(1) / np.linalg.norm(m, axis=1) / np.linalg.norm(back, axis=1)
    assert abs(np.percentile(1 - cos, 100) - result["error"]["100"]) < 1e-9
    assert result["global_error"]["50"] > result["error"]["50"]


def test_the_low_rank_break_even_and_the_window_s_extra_limits():
    spec, result, _, out = run(None, "low-rank", "layer: 1\nmatrix: query\nranks: [8]\nfigure: false")
    assert quote("low-rank", spec, result, "break_even").text == "192"
    assert "full matrix W" in out and "smallest 0.0025." in out     # two significant figures, not "0.00"
    spec, result, _, out = run(None, "context-window", "corpus: training")
    assert quote("context-window", spec, result, "limit", "truncation").number == 128
    long = [n for n in result["lengths"] if n > 256]
    assert abs(quote("context-window", spec, result, "cut_long", "max_seq_length").number
               - sum(n - 256 for n in long) / sum(long)) < 1e-12
    assert "the last 2 words" in out


def test_shown_probabilities_are_rounded_once():
    """Results keep full precision and are rounded only when shown: <unk> after “the prime” under top-p
    p = 0.6 is 0.043050…, which shows as 0.0431 (rounding to 6 places first gave 0.0430)."""
    _, result, _, out = run(None, "sampling", "context: the prime\nmethod: top-p\nsettings: [0.6]\nsamples: 1")
    unk = dict(result["rows"][-1]["top"])["<unk>"]
    assert 0.04305 < unk < 0.043051 and "&lt;unk&gt; 0.0431" in out


def test_the_memory_exercise_can_ask_about_another_vector_size(kv):
    spec, result, claims, out = run(kv, "quantization-exercise", "dims: 300\nchoices: [2, 3.95, 4, 8]\nanswer: 3.95")
    assert claims[0].ok and result["ratio"] == 4 * 300 / 304 and "Vectors of 300 numbers" in out
    assert not run(kv, "quantization-exercise", "dims: 300\nchoices: [2, 3.95, 4, 8]\nanswer: 4")[2][0].ok
