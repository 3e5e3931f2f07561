"""The numpy all-MiniLM-L6-v2 (lexicon.minilm) against sentence-transformers' own numbers.

The golden values (tests/reference/minilm_golden.json) were written by
tests/reference/minilm_reference.py, which runs sentence-transformers and torch in a throwaway
venv; these tests only read the JSON, so torch is never needed here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from lexicon import minilm
from lexicon.errors import LexiconError
from lexicon.minilm import files
from lexicon.minilm.forward import forward

GOLDEN = Path(__file__).parent / "reference" / "minilm_golden.json"


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def encoded(golden) -> minilm.Encoded:
    return minilm.encode(golden["sentences"])


# --- golden values ---

def test_the_golden_values_were_computed_from_the_pinned_weights(golden):
    assert golden["provenance"]["model_sha256"] == minilm.SHA256
    assert golden["provenance"]["max_seq_length"] == minilm.MAX_TOKENS


def test_token_ids_equal_sentence_transformers(golden, encoded):
    ours = [row[m.astype(bool)].tolist() for row, m in zip(encoded.ids, encoded.mask)]
    assert ours == golden["token_ids"]


def test_sentence_embeddings_match_within_1e_5(golden, encoded):
    diff = np.abs(encoded.embeddings - np.array(golden["embeddings"], dtype=np.float64))
    assert diff.max() < 1e-5, f"max abs difference {diff.max():.2e} at sentence {diff.max(1).argmax()}"


def test_every_layers_hidden_states_match_within_1e_4(golden):
    detail = golden["detail"]
    enc = minilm.encode([detail["sentence"]])
    assert enc.ids[0].tolist() == detail["token_ids"]
    want = np.array(detail["hidden_states"])
    assert enc.hidden_states[0].shape == want.shape == (7, len(detail["token_ids"]), 384)
    diff = np.abs(enc.hidden_states[0] - want).max(axis=(1, 2))
    assert diff.max() < 1e-4, f"max abs difference per layer: {diff}"


def test_attention_of_layers_0_and_5_matches_within_1e_4(golden):
    detail = golden["detail"]
    enc = minilm.encode([detail["sentence"]])
    for layer, want in detail["attentions"].items():
        want = np.array(want)
        got = enc.attentions[0][int(layer)]
        assert got.shape == want.shape == (12, len(detail["token_ids"]), len(detail["token_ids"]))
        assert np.abs(got - want).max() < 1e-4, layer


# --- invariants ---

SHORT, LONG = "The bank raised its rates.", "A much longer sentence about the river bank, " * 6


def test_a_sentence_alone_equals_itself_padded_beside_a_longer_one():
    model = minilm.load()
    run = lambda texts: forward(model.weights, model.config, *_ids_mask(texts))   # noqa: E731
    alone, padded = run([SHORT]), run([SHORT, LONG])
    k = len(minilm.tokenize([SHORT]).tokens[0])
    assert padded.hidden_states[0].shape[1] > 3 * k                 # it really ran padded
    assert np.abs(alone.embeddings[0] - padded.embeddings[0]).max() < 1e-6
    for a, p in zip(alone.hidden_states, padded.hidden_states):
        assert np.abs(a[0] - p[0, :k]).max() < 1e-5
    for a, p in zip(alone.attentions, padded.attentions):
        assert np.abs(a[0] - p[0, :, :k, :k]).max() < 1e-6


def test_encode_gives_the_same_vectors_whatever_the_batch():
    one_by_one = np.stack([minilm.encode([t], details=False).embeddings[0] for t in (SHORT, LONG, "bank")])
    together = minilm.encode([SHORT, LONG, "bank"], details=False, batch_size=2).embeddings
    assert np.abs(one_by_one - together).max() < 1e-6


def _ids_mask(texts):
    batch = minilm.tokenize(texts)
    return batch.ids, batch.mask


def test_sentence_embeddings_have_norm_1(encoded):
    np.testing.assert_allclose(np.linalg.norm(encoded.embeddings, axis=1), 1.0, atol=1e-6)


def test_attention_rows_sum_to_1_and_give_padding_exactly_0():
    model = minilm.load()
    batch = minilm.tokenize([SHORT, LONG])
    out = forward(model.weights, model.config, batch.ids, batch.mask)
    k = int(batch.mask[0].sum())
    assert len(out.attentions) == 6 and len(out.hidden_states) == 7
    for weights in out.attentions:
        assert weights.shape[1] == 12
        np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-5)
        assert np.all(weights[0, :, :, k:] == 0.0)


def test_wordpiece_splits_embeddings_into_four_pieces():
    assert minilm.tokenize(["embeddings"]).tokens[0] == ["[CLS]", "em", "##bed", "##ding", "##s", "[SEP]"]


def test_accents_are_stripped_and_text_lowercased():
    assert minilm.tokenize(["Café"]).tokens[0] == ["[CLS]", "cafe", "[SEP]"]


def test_truncation_is_at_256_not_the_128_baked_into_tokenizer_json():
    batch = minilm.tokenize(["word " * 200, "word " * 400, "word"])
    lengths = batch.mask.sum(1).tolist()
    assert lengths == [202, 256, 3]
    assert batch.tokens[1][-1] == "[SEP]"
    assert batch.ids.shape[1] == 256                            # padded to the longest, not to 128
    assert minilm.tokenize(["word"]).ids.shape == (1, 3)        # a lone short text is not padded


# --- the files are checked ---

def _copy(tmp_path: Path, changed: str) -> Path:
    """The model folder in tmp_path: ``changed`` copied, every other file a symlink (91 MB saved)."""
    source = files.locate(verify=False).folder
    for item in source.iterdir():
        if item.is_file():
            if item.name == changed:
                (tmp_path / item.name).write_bytes(item.read_bytes())
            else:
                os.symlink(item, tmp_path / item.name)
    return tmp_path


def _fails(folder: Path, name: str) -> str:
    with pytest.raises(LexiconError) as info:
        minilm.load(folder)
    text = str(info.value)
    assert name in text and "Fix:" in text and "make setup" in text, text
    assert "Traceback" not in text
    return text


def test_one_changed_byte_in_the_weights_fails_naming_the_file_and_the_fix(tmp_path):
    folder = _copy(tmp_path, "model.safetensors")
    data = bytearray((folder / "model.safetensors").read_bytes())
    data[len(data) // 2] ^= 0x01
    (folder / "model.safetensors").write_bytes(bytes(data))
    text = _fails(folder, "model.safetensors")
    assert "SHA-256" in text and minilm.SHA256 in text


def test_a_changed_tokenizer_fails(tmp_path):
    folder = _copy(tmp_path, "tokenizer.json")
    (folder / "tokenizer.json").write_text((folder / "tokenizer.json").read_text().replace('"lowercase":true',
                                                                                            '"lowercase":false'))
    _fails(folder, "tokenizer.json")


def test_another_models_config_fails(tmp_path):
    folder = _copy(tmp_path, "config.json")
    config = json.loads((folder / "config.json").read_text())
    config["hidden_act"] = "gelu_new"
    (folder / "config.json").write_text(json.dumps(config))
    assert "hidden_act" in _fails(folder, "config.json")


def test_a_missing_file_fails(tmp_path):
    folder = _copy(tmp_path, "config.json")
    (folder / "config.json").unlink()
    _fails(folder, "config.json")


def test_a_missing_package_fails_with_the_fix(monkeypatch):
    from importlib import metadata

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "distribution", missing)
    with pytest.raises(LexiconError) as info:
        files.package_folder()
    assert files.PACKAGE in str(info.value) and "make setup" in str(info.value)


def test_the_identity_for_cache_keys_reads_no_file(monkeypatch):
    def no(*args, **kwargs):
        raise AssertionError("identity() must not touch the model files")

    monkeypatch.setattr(files, "locate", no)
    monkeypatch.setattr(files, "sha256_of", no)
    ident = minilm.identity()
    assert ident["sha256"] == minilm.SHA256 and ident["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    json.dumps(ident, sort_keys=True)     # usable as (part of) a cache key


# --- parameter counts ---

def test_parameter_counts_add_up_to_every_float_tensor_in_the_file():
    from safetensors import safe_open

    counts = minilm.parameter_counts()
    with safe_open(str(files.locate(verify=False).weights), framework="numpy") as fh:
        sizes = {k: int(np.prod(fh.get_slice(k).get_shape())) for k in fh.keys()}
    floats = sum(v for k, v in sizes.items() if k != "embeddings.position_ids")   # an int buffer
    assert counts["total"] == floats == 22_713_216                               # "22.7M"
    parts = counts["embeddings"]["total"] + sum(x["total"] for x in counts["layers"]) + counts["pooler"]
    assert parts == counts["total"] and len(counts["layers"]) == 6
    assert counts["embeddings"]["word"] == 30522 * 384
    assert counts["layers"][0]["attention"] == 4 * (384 * 384 + 384)
    assert counts["layers"][0]["feed_forward"] == 384 * 1536 + 1536 + 1536 * 384 + 384


def test_the_licence_notice_names_both_licences():
    assert "Apache License 2.0" in minilm.LICENCE and "MIT" in minilm.LICENCE and minilm.SHA256 in minilm.LICENCE


# --- the sub-layer trace (forward(..., trace=True)) ---

@pytest.fixture(scope="module")
def traced() -> minilm.Encoded:
    return minilm.encode(["The cat sat on the mat.", "Rates rose again."], trace=True)


def test_the_trace_is_opt_in_and_changes_nothing(traced):
    plain = minilm.encode(["The cat sat on the mat.", "Rates rose again."])
    assert plain.trace is None
    for a, b in zip(plain.hidden_states, traced.hidden_states):
        assert np.array_equal(a, b)
    assert np.array_equal(plain.embeddings, traced.embeddings)


def test_the_trace_recomposes_the_hidden_states_exactly(traced):
    """Post-LN: x1 = LN(x + Attn(x)), x2 = LN(x1 + FFN(x1)); the trace's pieces add up to the next hidden state."""
    from lexicon.minilm.forward import TRACE, layer_norm

    w, eps = minilm.load().weights, float(minilm.load().config["layer_norm_eps"])
    for text, layers in enumerate(traced.trace):
        h = traced.hidden_states[text]
        assert len(layers) == 6 and all(set(t) == set(TRACE) for t in layers)
        for i, t in enumerate(layers):
            p = f"encoder.layer.{i}."
            assert t["gelu"].shape == (h.shape[1], 1536) and t["ffn"].shape == h.shape[1:]
            assert np.array_equal(t["attention_sum"], t["attention"] + h[i])
            assert np.array_equal(layer_norm(t["attention_sum"], w[p + "attention.output.LayerNorm.weight"],
                                             w[p + "attention.output.LayerNorm.bias"], eps), t["attention_norm"])
            assert np.array_equal(t["ffn_sum"], t["ffn"] + t["attention_norm"])
            assert np.array_equal(t["ffn_norm"], h[i + 1])


def test_the_trace_matches_a_direct_float64_recomputation(traced):
    from scipy.special import erf

    w = {k: v.astype(np.float64) for k, v in minilm.load().weights.items()}

    def close(ours, exact):   # float32 against float64: within 1e-5 of the array's scale
        return np.abs(ours - exact).max() <= 1e-5 * max(1.0, np.abs(exact).max())

    h = traced.hidden_states[0].astype(np.float64)
    for i, t in enumerate(traced.trace[0]):
        p = f"encoder.layer.{i}."
        x = h[i]

        def lin(y, name):
            return y @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q, k, v = (lin(x, "attention.self." + n).reshape(len(x), 12, 32).transpose(1, 0, 2)
                   for n in ("query", "key", "value"))
        s = q @ k.transpose(0, 2, 1) / np.sqrt(32)
        a = np.exp(s - s.max(-1, keepdims=True))
        a /= a.sum(-1, keepdims=True)
        attn = lin((a @ v).transpose(1, 0, 2).reshape(len(x), 384), "attention.output.dense")
        assert close(t["attention"], attn)
        y = t["attention_norm"].astype(np.float64)
        z = lin(y, "intermediate.dense")
        g = z * 0.5 * (1 + erf(z / np.sqrt(2)))
        assert close(t["gelu"], g)
        assert close(t["ffn"], lin(g, "output.dense"))
