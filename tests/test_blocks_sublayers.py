"""The transformer's sub-layer kinds (residual-stream, layer-norm, feed-forward, sublayer-exercise) against a
direct numpy computation from the forward pass's trace; their false claims, bad options and ties."""

from __future__ import annotations

from html import unescape

import numpy as np
import pytest

from blocktest import quote, run
from lexicon import minilm
from lexicon.errors import LexiconError

S = "The cat sat on the mat."


@pytest.fixture(scope="module")
def traced():
    enc = minilm.encode([S], trace=True)
    h = enc.hidden_states[0].astype(np.float64)
    return h, [{k: v.astype(np.float64) for k, v in t.items()} for t in enc.trace[0]]


def norm(a):
    return np.linalg.norm(a, axis=-1)


def cos(a, b):
    return (a * b).sum(-1) / (norm(a) * norm(b))


@pytest.fixture(scope="module")
def stream():
    return run(None, "residual-stream", f"sentence: {S}\nexpect: [ffn ratio at layer 2 > attention ratio at layer 2]")


def test_residual_stream_matches_the_trace(traced, stream):
    h, tr = traced
    spec, result, claims, html = stream
    for k, t in enumerate(tr, start=1):
        r = result["layers"][k - 1]
        assert r["stream"] == pytest.approx(np.median(norm(h[k - 1])), rel=1e-9)
        assert r["attention"] == pytest.approx(np.median(norm(t["attention"])), rel=1e-9)
        assert r["attention ratio"] == pytest.approx(np.median(norm(t["attention"]) / norm(h[k - 1])), rel=1e-9)
        assert r["ffn ratio"] == pytest.approx(np.median(norm(t["ffn"]) / norm(t["attention_norm"])), rel=1e-9)
        assert r["keep"] == pytest.approx(np.median(cos(h[k - 1], h[k])), rel=1e-9)
    assert [c.ok for c in claims] == [True]
    top = [int(np.argmax(norm(t["ffn"]) / norm(t["attention_norm"]))) for t in tr]
    assert [r["top"][0] for r in result["layers"]] == top
    assert quote("residual-stream", spec, result, "top", "1").text == result["tokens"][top[0]]
    assert quote("residual-stream", spec, result, "keep", "6").text == f"{np.median(cos(h[5], h[6])):.3f}"
    assert quote("residual-stream", spec, result, "ratio", "attention", "2").text == \
        f"{np.median(norm(tr[1]['attention']) / norm(h[1])):.3f}"
    assert "Line chart by layer" in html and "|FFN(a)| (added)" in html


def test_residual_stream_false_claims_are_false(stream):
    _, result, claims, _ = run(None, "residual-stream",
                               f"sentence: {S}\nexpect: [attention ratio at layer 2 > ffn ratio at layer 2, "
                               "keep at layer 1 > 1]")
    assert [c.ok for c in claims] == [False, False]


@pytest.mark.parametrize("kind, body, message", [
    ("residual-stream", "expect: [keep at layer 7 > 0.5]", "cannot read the claim"),
    ("residual-stream", "expect: [keep > 0.5]", "cannot read the claim"),
    ("layer-norm", "expect: [normalised at layer 0]", "cannot read the claim"),
    ("feed-forward", "expect: [keep at layer 2 < 0.5]", "cannot read the claim"),   # not a feed-forward claim
    ("feed-forward", "near: 0", "near"),
    ("layer-norm", "layer: 7", "layer"),
    ("sublayer-exercise", "sublayer: attention\nchoices: [1, 7]", "choices"),
    ("sublayer-exercise", "sublayer: attention\nchoices: [1, 2]\nanswer: 3", "not one of the choices"),
    ("sublayer-exercise", "sublayer: ffn\nchoices: [1, 2]", "sublayer"),
    ("sublayer-exercise", "ask: compare\nsublayer: attention\nlayer: 2", "takes a 'layer'"),
    ("sublayer-exercise", "ask: compare", "takes a 'layer'"),
    ("sublayer-exercise", "ask: least\nsublayer: attention\nchoices: [1, 2]\nlayer: 2", "takes no 'layer'"),
    ("sublayer-exercise", "ask: most\nchoices: [1, 2]", "needs 'sublayer'"),
])
def test_bad_options_are_refused_with_a_message(kind, body, message):
    with pytest.raises(LexiconError, match=message):
        run(None, kind, f"sentence: {S}\n{body}")


def test_a_value_naming_no_layer_is_refused(stream):
    spec, result, _, _ = stream
    with pytest.raises(LexiconError, match="names no layer"):
        quote("residual-stream", spec, result, "keep", "0")


def test_layer_norm_matches_the_trace(traced):
    h, tr = traced
    spec, result, claims, html = run(None, "layer-norm", f"sentence: {S}\nlayer: 2\nexpect: [normalised at layer 4, "
                                     "spread before at layer 1 > spread after at layer 1, spread after at layer 1 > 5]")
    w = minilm.load().weights
    for k, t in enumerate(tr, start=1):
        r, s = result["layers"][k - 1], t["ffn_sum"]
        assert r["before"]["std"] == pytest.approx(s.std(-1).tolist(), rel=1e-9)
        assert r["after"]["std"] == pytest.approx(h[k].std(-1).tolist(), rel=1e-9)
        assert r["after"]["mean"] == pytest.approx([h[k].mean(-1).min(), h[k].mean(-1).max()], rel=1e-9)
        gamma = w[f"encoder.layer.{k - 1}.output.LayerNorm.weight"]
        assert r["gamma"] == pytest.approx([gamma.min(), gamma.max()], rel=1e-6)
        assert r["affine"] < 1e-4
    assert [c.ok for c in claims] == [True, True, False]
    spread = s.std(-1).max() / s.std(-1).min()
    assert quote("layer-norm", spec, result, "spread", "before", "6").text == f"{spread:.1f}×"
    assert quote("layer-norm", spec, result, "stat", "std", "after", "1", "max").text == f"{h[1].std(-1).max():.3f}"


def test_layer_norm_after_attention_reads_the_first_layernorm(traced):
    _, tr = traced
    _, result, _, _ = run(None, "layer-norm", f"sentence: {S}\nafter: attention")
    assert result["layers"][0]["before"]["std"] == pytest.approx(tr[0]["attention_sum"].std(-1).tolist(), rel=1e-9)
    assert result["layers"][0]["after"]["std"] == pytest.approx(tr[0]["attention_norm"].std(-1).tolist(), rel=1e-9)


def test_feed_forward_matches_the_weights_and_the_trace(traced):
    h, tr = traced
    spec, result, claims, html = run(None, "feed-forward", f"sentence: {S}\nnear: 0.1\n"
                                     "expect: [positive at layer 2 < 0.5, positive at layer 2 > 0.5]")
    assert result["shapes"] == {"w1": [1536, 384], "b1": [1536], "w2": [384, 1536], "b2": [384]}
    assert result["parameters"] == [384 * 1536 * 2 + 1536 + 384] * 6
    for k, t in enumerate(tr, start=1):
        r = result["layers"][k - 1]
        assert r["positive"] == pytest.approx((t["gelu"] > 0).mean(), rel=1e-12)
        assert r["near zero"] == pytest.approx((np.abs(t["gelu"]) < 0.1).mean(), rel=1e-12)
        assert r["ffn keep"] == pytest.approx(np.median(cos(t["attention_norm"], h[k])), rel=1e-9)
    assert [c.ok for c in claims] == [True, False]
    assert quote("feed-forward", spec, result, "size", "total").text == "7,089,408"
    assert quote("feed-forward", spec, result, "share", "positive", "3").text == \
        f"{(tr[2]['gelu'] > 0).mean() * 100:.1f}%"


def spread(a):
    return a.std(-1).max() / a.std(-1).min()


@pytest.mark.parametrize("sublayer, key, header", [
    ("attention", "attention ratio", "median of each token's |Attn(x)| / |x|"),
    ("feed-forward", "ffn ratio", "median of each token's |FFN(a)| / |a|"),
    ("layer-norm", "growth", "Spread after (output)")])
def test_the_exercise_grades_the_sub_layer_asked_about(traced, sublayer, key, header):
    h, tr = traced
    direct = {"attention ratio": [np.median(norm(t["attention"]) / norm(h[k])) for k, t in enumerate(tr)],
              "ffn ratio": [np.median(norm(t["ffn"]) / norm(t["attention_norm"])) for t in tr],
              "growth": [spread(h[k + 1]) / spread(t["ffn_sum"]) for k, t in enumerate(tr)]}[key]
    best = max(range(1, 7), key=lambda k: direct[k - 1])
    wrong = min(range(1, 7), key=lambda k: direct[k - 1])
    spec, result, claims, html = run(None, "sublayer-exercise", f"sentence: {S}\nsublayer: {sublayer}\n"
                                     f"choices: [1, 2, 3, 4, 5, 6]\nanswer: {best}")
    assert all(c.ok for c in claims) and len(claims) == (2 if sublayer == "layer-norm" else 1)
    # the reveal shows only the columns the question is about
    others = {"attention": ["FFN ratio", "Spread"], "feed-forward": ["Attention ratio", "Spread"],
              "layer-norm": ["Attention ratio", "FFN ratio"]}[sublayer]
    text = unescape(html)
    assert header in text and not any(o in text for o in others)
    from lexicon.engine.registry import registry

    assert registry()["sublayer-exercise"].graded(spec, result)[f"Layer {best}"] == round(direct[best - 1], 3)
    _, _, claims, _ = run(None, "sublayer-exercise", f"sentence: {S}\nsublayer: {sublayer}\n"
                          f"choices: [1, 2, 3, 4, 5, 6]\nanswer: {wrong}")
    assert not all(c.ok for c in claims)


def test_the_layer_norm_exercise_needs_the_answer_to_be_the_only_layer_whose_spread_grows(traced):
    h, tr = traced
    grows = [k for k, t in enumerate(tr, start=1) if spread(h[k]) > spread(t["ffn_sum"])]
    assert grows == [6]             # this sentence: only the last LayerNorm widens the spread
    _, _, claims, html = run(None, "sublayer-exercise", f"sentence: {S}\nsublayer: layer-norm\nchoices: [1, 6]\n"
                             "answer: 6")
    assert [c.ok for c in claims] == [True, True] and "Spread before (input)" in html
    fake = {"tokens": ["a"], "layers": [{"spread": 1.0, "spread after": 1.2}] * 6}
    from lexicon.engine.registry import registry

    k = registry()["sublayer-exercise"]
    spec = k.read(f"sentence: {S}\nsublayer: layer-norm\nchoices: [1, 2]\nanswer: 1")
    checks = []
    k.claims(spec, {**fake, "layers": [{"spread": 1.0, "spread after": 1.3}] + fake["layers"][1:]},
             lambda *a, **kw: checks.append(a[1]))
    assert checks == [True, False]  # layer 1 grows most, but layer 2 grows too: the question has two answers


def test_sub_layer_measures_new_in_review(traced, stream):
    h, tr = traced
    _, result, _, html = stream
    for k, t in enumerate(tr, start=1):
        r, a, g = result["layers"][k - 1], t["attention_norm"], t["gelu"]
        top = int(np.argmax(norm(t["ffn"]) / norm(a)))
        assert r["top"][2] == pytest.approx(cos(a[top], h[k][top]), rel=1e-9)
        assert r["ffn length"] > 0 and r["attention length"] == r["attention"]
    assert "median of each token's" in unescape(html) and "not one length column divided by another" in html
    spec, result, claims, html = run(None, "feed-forward", f"sentence: {S}\n"
                                     "expect: [positive energy at layer 2 > 0.5, ffn length at layer 1 > 1000]")
    assert [c.ok for c in claims] == [True, False]
    g = tr[1]["gelu"]
    assert result["layers"][1]["positive energy"] == pytest.approx((g[g > 0] ** 2).sum() / (g ** 2).sum(), rel=1e-9)
    assert quote("feed-forward", spec, result, "gelu_min").text == "−0.17"
    assert quote("feed-forward", spec, result, "size", "attention").text == f"{4 * (384 * 384 + 384):,}"
    assert quote("feed-forward", spec, result, "size", "embeddings").text == f"{(30522 + 512 + 2) * 384:,}"
    assert "Keep" not in html and "cos(a, LN(a + FFN(a)))" in html


def test_layer_norm_zero_gains_and_caption(traced):
    h, tr = traced
    spec, result, claims, html = run(None, "layer-norm", f"sentence: {S}\nlayer: 6\n"
                                     "expect: [zero share at layer 6 > 0.5, zero share at layer 1 > 0]")
    w = minilm.load().weights
    gamma = w["encoder.layer.5.output.LayerNorm.weight"].astype(np.float64)
    zero = np.abs(gamma) < 1e-6
    s = tr[5]["ffn_sum"]
    z = (s - s.mean(-1, keepdims=True)) / np.sqrt(s.var(-1, keepdims=True) + 1e-12)
    n = int(np.argmin(h[6].std(-1)))
    assert quote("layer-norm", spec, result, "zero_gains", "6").text == str(int(zero.sum()))
    assert result["layers"][5]["zero_share"][n] == pytest.approx((z[n, zero] ** 2).sum() / (z[n] ** 2).sum(),
                                                                 rel=1e-6)
    assert [c.ok for c in claims] == [(z[n, zero] ** 2).sum() / (z[n] ** 2).sum() > 0.5, False]
    assert quote("layer-norm", spec, result, "narrowest", "6").text == result["tokens"][n]
    assert quote("layer-norm", spec, result, "gamma", "min", "6").text == "0.00"     # −1.5e-9, no minus sign
    assert "−0.00" not in html and "Spread before" in html and "Mean before" not in html
    assert f"all lie between {h[6].std(-1).min():.2f} and {h[6].std(-1).max():.2f}" in html


def test_a_tie_at_the_top_is_refused():
    from lexicon.engine.registry import registry
    from lexicon.geometry import check_graded

    k = registry()["sublayer-exercise"]
    spec = k.read(f"sentence: {S}\nsublayer: attention\nchoices: [1, 2]")
    tied = {"tokens": ["[CLS]", "[SEP]"], "layers": [{"attention ratio": 0.4, "ffn ratio": 0.9}] * 6}
    with pytest.raises(LexiconError, match="decided by a tie"):
        check_graded(k.graded(spec, tied), k.graded_end(spec))


@pytest.mark.parametrize("kind", ["residual-stream", "layer-norm", "feed-forward", "sublayer-exercise"])
def test_the_weights_hash_reaches_the_code_key(kind):
    """A warm build never loads the model, and a different model file is a different key."""
    from lexicon.engine import deps
    from lexicon.engine.registry import registry

    assert "lexicon.minilm.files:SHA256" in deps.compute_code(type(registry()[kind])).symbols


STORM = "A storm knocked out the power across the city last night."


def test_the_compare_question_grades_length_and_ratio_apart_against_the_trace():
    """Storm sentence, layer 4: the feed-forward network adds the longer vector, attention the more for its input."""
    enc = minilm.encode([STORM], trace=True)
    h, t = enc.hidden_states[0].astype(np.float64), {k: v.astype(np.float64) for k, v in enc.trace[0][3].items()}
    length = {"attention": np.median(norm(t["attention"])), "feed-forward": np.median(norm(t["ffn"]))}
    ratio = {"attention": np.median(norm(t["attention"]) / norm(h[3])),
             "feed-forward": np.median(norm(t["ffn"]) / norm(t["attention_norm"]))}
    longer, relative = max(length, key=length.get), max(ratio, key=ratio.get)
    assert (longer, relative) == ("feed-forward", "attention")      # the two disagree: why the question is asked
    spec, result, claims, html = run(None, "sublayer-exercise", f"sentence: {STORM}\nask: compare\nlayer: 4\n"
                                     f"longer: {longer}\nrelative: {relative}")
    assert [c.ok for c in claims] == [True, True]
    text = unescape(html)
    assert f"{length['feed-forward']:.2f}" in text and f"{ratio['attention']:.3f}" in text
    from lexicon.engine.registry import registry

    k = registry()["sublayer-exercise"]
    g = k.graded(spec, result)
    assert g == {"Longer: attention; more for its input: attention": 1,
                 "Longer: attention; more for its input: the feed-forward network": 0,
                 "Longer: the feed-forward network; more for its input: attention": 2,
                 "Longer: the feed-forward network; more for its input: the feed-forward network": 1}
    assert quote("sublayer-exercise", spec, result, "answer").text == \
        "Longer: the feed-forward network; more for its input: attention"
    _, _, claims, _ = run(None, "sublayer-exercise", f"sentence: {STORM}\nask: compare\nlayer: 4\n"
                          "longer: attention\nrelative: feed-forward")
    assert [c.ok for c in claims] == [False, False]
    tied = {"tokens": ["a"], "layers": [{"attention length": 5.001, "ffn length": 4.999, "attention ratio": 0.4,
                                         "ffn ratio": 0.3}] * 6}
    with pytest.raises(LexiconError, match="decided by a tie"):
        k.graded(k.read(f"sentence: {STORM}\nask: compare\nlayer: 4"), tied)


@pytest.mark.parametrize("sublayer, key", [("feed-forward", "ffn ratio"), ("layer-norm", "growth")])
def test_the_least_question_grades_the_smallest_score(traced, sublayer, key):
    h, tr = traced
    direct = {"ffn ratio": [np.median(norm(t["ffn"]) / norm(t["attention_norm"])) for t in tr],
              "growth": [spread(h[k + 1]) / spread(t["ffn_sum"]) for k, t in enumerate(tr)]}[key]
    choices = [2, 3, 4, 5]
    least = min(choices, key=lambda k: direct[k - 1])
    most = max(choices, key=lambda k: direct[k - 1])
    body = f"sentence: {S}\nask: least\nsublayer: {sublayer}\nchoices: {choices}\n"
    spec, result, claims, _ = run(None, "sublayer-exercise", body + f"answer: {least}")
    assert [c.ok for c in claims] == [True]          # no 'only layer that grows' claim with ask: least
    from lexicon.engine.registry import registry

    assert registry()["sublayer-exercise"].graded_end(spec) == "lowest"
    _, _, claims, _ = run(None, "sublayer-exercise", body + f"answer: {most}")
    assert [c.ok for c in claims] == [False]
