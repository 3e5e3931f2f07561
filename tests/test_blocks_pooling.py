"""The ``pooling`` and ``pooling-exercise`` kinds: four poolings of the transformer's last layer, checked
against a direct numpy computation; the model's own pooling is the mean; claims can be false; errors."""

from __future__ import annotations

import numpy as np
import pytest

from blocktest import quote, run
from lexicon import minilm
from lexicon.errors import LexiconError
from lexicon.engine.registry import registry
from lexicon.geometry import check_graded
from project import build, make_project

SIMILAR = [["A man is playing a guitar.", "Someone is strumming a guitar."],
           ["The cat sleeps on the sofa.", "A kitten is napping on the couch."]]
RELATED = [["A man is playing a guitar.", "A woman is playing the violin."]]
UNRELATED = [["A man is playing a guitar.", "The stock market fell sharply today."],
             ["The cat sleeps on the sofa.", "Interest rates rose in March."]]


def body(expect: str = "[]", related: bool = True) -> str:
    def pairs(ps):
        return "[" + ", ".join(f"[{a}, {b}]" for a, b in ps) + "]"
    return (f"similar: {pairs(SIMILAR)}\n" + (f"related: {pairs(RELATED)}\n" if related else "")
            + f"unrelated: {pairs(UNRELATED)}\nexpect: {expect}\n")


@pytest.fixture(scope="module")
def block():
    """The block run once for the module, with claims that are true and claims that are false."""
    return run(None, "pooling", body('[mean gap > cls gap, "mean is the model\'s embedding", batch independent, '
                                     'cls gap > mean gap, "max: not separate", mean auc < 0.5]'))


def direct(texts):
    """The four poolings computed here from the model's hidden states, without the kind's code."""
    enc = minilm.encode(texts)
    out = {}
    for name, f in (("mean", lambda h: h.mean(0)), ("content", lambda h: h[1:-1].mean(0)),
                    ("cls", lambda h: h[0]), ("max", lambda h: h.max(0))):
        v = np.stack([f(h[6].astype(np.float64)) for h in enc.hidden_states])
        out[name] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out, enc


def test_cosines_gap_and_order_match_a_direct_computation(block):
    _, result, _, _ = block
    for group, pairs in (("similar", SIMILAR), ("related", RELATED), ("unrelated", UNRELATED)):
        v, _ = direct([s for p in pairs for s in p])
        for p in ("mean", "content", "cls", "max"):
            want = [float(v[p][2 * k] @ v[p][2 * k + 1]) for k in range(len(pairs))]
            assert result["cosines"][group][p] == pytest.approx(want, abs=2e-6)
    c = result["cosines"]
    for p in ("mean", "cls"):
        gap = np.mean(c["similar"][p]) - np.mean(c["unrelated"][p])
        assert quote("pooling", block[0], result, "gap", p).number == pytest.approx(gap)
        won = sum(s > u for s in c["similar"][p] for u in c["unrelated"][p])
        assert quote("pooling", block[0], result, "ordered", p).number == won
    assert quote("pooling", block[0], result, "combinations").number == 4


def test_the_auc_is_scikit_learns():
    from sklearn.metrics import roc_auc_score

    from lexicon.blocks.transformer._pooling import ordered

    c = {"similar": {"x": [0.9, 0.5, 0.4]}, "unrelated": {"x": [0.5, 0.1]}}
    won, n = ordered(c, "x")
    assert won / n == pytest.approx(roc_auc_score([1, 1, 1, 0, 0], [0.9, 0.5, 0.4, 0.5, 0.1]))


def test_mean_pooling_is_the_models_embedding():
    texts = [s for p in SIMILAR for s in p]
    v, enc = direct(texts)
    assert np.abs(v["mean"] - enc.embeddings.astype(np.float64)).max() < 1e-6
    assert np.abs(v["content"] - enc.embeddings).max() > 1e-3     # the special tokens count in the model's mean


def test_claims_true_and_false(block):
    _, result, claims, html = block
    by = {c.statement: c.ok for c in claims}
    assert result["own"] < 1e-6 and result["batch"] < 1e-5
    assert by["the mean of all the last layer's token vectors, normalised, is the model's sentence embedding "
              "(within 1e-05)"] is True
    assert by["every text's embedding is the same (within 1e-05) encoded alone as encoded with the block's other "
              "texts"] is True
    gaps = {p: np.mean(result["cosines"]["similar"][p]) - np.mean(result["cosines"]["unrelated"][p])
            for p in ("mean", "cls")}
    mean_first = [s for s in by if s.startswith("with the mean of all tokens, the gap")][0]
    cls_first = [s for s in by if s.startswith("with the [CLS] vector, the gap")][0]
    assert by[mean_first] is bool(gaps["mean"] > gaps["cls"]) and by[cls_first] is bool(gaps["cls"] > gaps["mean"])
    assert by[cls_first] is False
    assert by["with the mean of all tokens, the AUC is less than 0.5"] is False
    assert "Mean without [CLS] and [SEP]" in html and "data-figure" in html
    assert "Each text encoded alone against encoded with the block" in html   # the checks, shown under the table


@pytest.mark.parametrize("source, message", [
    (body("[mean gap > avg gap]"), "cannot read the claim"),
    (body("[mean gap > cls auc]"), "compares a gap with a auc"),
    (body().replace("similar:", "similer:"), "similer"),
    ("similar: [[a b]]\nunrelated: [[c, d]]", "similar"),
])
def test_bad_options_are_refused(source, message):
    with pytest.raises(LexiconError, match=message):
        run(None, "pooling", source)


def test_bad_value_arguments_are_refused(block):
    spec, result, _, _ = block
    with pytest.raises(LexiconError, match="names no pooling"):
        quote("pooling", spec, result, "gap", "avg")
    with pytest.raises(LexiconError, match="no group"):
        quote("pooling", spec, result, "mean", "paraphrase", "mean")


def test_a_text_with_no_word_is_refused():
    with pytest.raises(LexiconError, match="no token between"):
        run(None, "pooling", "similar: [['  ', a b]]\nunrelated: [[c, d]]")


def test_the_exercise_grades_the_padded_poolings_against_a_direct_computation_and_refuses_ties():
    sentence, length = "She bought a new car.", 12
    _, result, claims, html = run(None, "pooling-exercise", f"sentence: {sentence}\npadded_to: {length}\nanswer: padded")
    # the padded batch computed here, from the model's own forward pass with the attention mask
    from lexicon.minilm.forward import forward
    model = minilm.load()
    enc = minilm.encode([sentence])
    n = len(enc.tokens[0])
    ids = np.zeros((1, length), dtype=np.int64)
    ids[0, :n] = enc.ids[0, :n]
    h = forward(model.weights, model.config, ids, (np.arange(length) < n)[None].astype(np.int64)).hidden_states[-1][0]
    h = h.astype(np.float64)
    own = enc.embeddings[0].astype(np.float64)

    def unit(v):
        return v / np.linalg.norm(v)
    want = {p: float(np.linalg.norm(unit(v) - own)) for p, v in (
        ("padded", h.mean(0)), ("content", h[1:n - 1].mean(0)), ("cls", h[0]), ("max", h[:n].max(0)))}
    assert result["distance"] == pytest.approx(want, abs=2e-6)
    assert np.linalg.norm(unit(h[:n].mean(0)) - own) < 1e-5        # the masked mean is the model's embedding
    assert result["answer"] == "content" == min(want, key=want.get)
    assert want["padded"] > 2 * want["content"]                    # the padding moves the mean more
    assert [x.ok for x in claims] == [False]                      # "padded" claimed: false
    assert "attention mask" in html and "Euclidean distance" in html and "[PAD] included" in html
    _, _, claims, _ = run(None, "pooling-exercise", f"sentence: {sentence}\npadded_to: {length}\nanswer: content")
    assert [x.ok for x in claims] == [True]
    with pytest.raises(LexiconError, match="leaves no \\[PAD\\]"):
        run(None, "pooling-exercise", f"sentence: {sentence}\npadded_to: {n}")
    with pytest.raises(LexiconError, match="decided by a tie"):
        check_graded({"Mean without [CLS] and [SEP]": 0.16271, "[CLS] vector": 0.16273, "Max pooling": 0.9},
                     registry()["pooling-exercise"].graded_end(None))


def test_a_pairs_cosine_is_quoted(block):
    spec, result, _, _ = block
    assert quote("pooling", spec, result, "pair", "unrelated", 2, "cls").number == result["cosines"]["unrelated"]["cls"][1]
    with pytest.raises(LexiconError, match="no pair"):
        quote("pooling", spec, result, "pair", "related", 2, "mean")


def test_a_located_error_in_a_build(tmp_path):
    page = "Intro.\n\n```pooling\n" + body("[mean gap > avg gap]") + "```\n"
    proc = build(make_project(tmp_path, {"page.md": page}))
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "docs/page.md:3: pooling block: cannot read the claim 'mean gap > avg gap'" in out
    assert "Fix: write 'mean gap > cls gap'" in out
