"""The forward pass of all-MiniLM-L6-v2 (a 6-layer BERT) in numpy float32.

Written to match sentence-transformers' Transformer -> mean Pooling -> Normalize modules:
word + position + token-type embeddings, LayerNorm, then per layer 12-head self-attention
(padding masked out), residual + LayerNorm, the exact erf GELU feed-forward, residual +
LayerNorm; finally the mean of the last hidden states over real tokens ([CLS] and [SEP]
included) and L2 normalisation. Checked against golden values from sentence-transformers
(tests/test_minilm.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

F32 = np.float32


@dataclass(frozen=True)
class Output:
    """One batch's results; arrays keep the batch's padded length T."""

    embeddings: np.ndarray     # [n, 384] unit sentence vectors
    hidden_states: list        # 7 arrays [n, T, 384]: the embedding output, then each layer's
    attentions: list           # 6 arrays [n, heads, T, T]: each layer's softmax weights
    trace: list | None = None  # with trace=True: per layer a dict of its sub-layers' arrays (TRACE)


# What trace=True keeps per layer, in the order a post-LN (BERT) layer computes them:
# x1 = LN(x + Attn(x)); x2 = LN(x1 + FFN(x1)), FFN(y) = W2 gelu(W1 y + b1) + b2.
TRACE = {"attention": "the attention sub-layer's output, before the residual addition [n, T, 384]",
         "attention_sum": "x + attention: the residual sum before the first LayerNorm",
         "attention_norm": "LN(attention_sum): the input of the feed-forward sub-layer",
         "gelu": "the feed-forward sub-layer's GELU activations [n, T, 1536]",
         "ffn": "the feed-forward sub-layer's output, before the residual addition",
         "ffn_sum": "attention_norm + ffn: the residual sum before the second LayerNorm",
         "ffn_norm": "LN(ffn_sum): the layer's output, the next hidden state"}


def layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(-1, keepdims=True)   # biased variance, as torch's LayerNorm
    return centred / np.sqrt(var + F32(eps)) * gamma + beta


def gelu(x: np.ndarray) -> np.ndarray:
    """BERT's "gelu": the exact x * Phi(x) with erf, not the tanh approximation."""
    from scipy.special import erf

    return x * F32(0.5) * (F32(1.0) + erf(x * F32(1 / np.sqrt(2.0))).astype(F32, copy=False))


def softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(-1, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(-1, keepdims=True)


def linear(x: np.ndarray, w: dict, name: str) -> np.ndarray:
    # torch's Linear stores weight as [out, in]: y = x W^T + b. Flattened to 2-D first: one large
    # BLAS call instead of one small call per text (numpy loops over a 3-D operand's leading axis).
    weight = w[name + ".weight"]
    y = x.reshape(-1, x.shape[-1]) @ weight.T + w[name + ".bias"]
    return y.reshape(*x.shape[:-1], weight.shape[0])


def attention(x: np.ndarray, w: dict, prefix: str, additive_mask: np.ndarray, heads: int):
    """Multi-head self-attention; returns the layer's output and its weights [n, heads, T, T]."""
    n, t, d = x.shape
    size = d // heads

    def split(y):   # [n, T, d] -> [n, heads, T, size]
        return y.reshape(n, t, heads, size).transpose(0, 2, 1, 3)

    q = split(linear(x, w, prefix + "self.query"))
    k = split(linear(x, w, prefix + "self.key"))
    v = split(linear(x, w, prefix + "self.value"))
    scores = (q @ k.transpose(0, 1, 3, 2)) * F32(1 / np.sqrt(size)) + additive_mask
    weights = softmax(scores)
    context = (weights @ v).transpose(0, 2, 1, 3).reshape(n, t, d)
    return linear(context, w, prefix + "output.dense"), weights


def forward(w: dict, config: dict, ids: np.ndarray, mask: np.ndarray, trace: bool = False) -> Output:
    """Run the model on a padded batch of token ids ([n, T]) with its attention mask; ``trace=True``
    also keeps every layer's sub-layer arrays (``TRACE``), the very arrays the pass computes."""
    eps = float(config["layer_norm_eps"])
    heads = int(config["num_attention_heads"])
    n, t = ids.shape
    x = (w["embeddings.word_embeddings.weight"][ids]
         + w["embeddings.position_embeddings.weight"][:t][None]
         + w["embeddings.token_type_embeddings.weight"][0])   # one segment: token type 0 everywhere
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    # Padding keys get the most negative float, as transformers does: exp() makes them exactly 0.
    additive = np.where(mask[:, None, None, :] > 0, F32(0), np.finfo(F32).min).astype(F32)
    hidden, attentions, traced = [x], [], []
    for i in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{i}."
        out, weights = attention(x, w, p + "attention.", additive, heads)
        s1 = out + x
        x = layer_norm(s1, w[p + "attention.output.LayerNorm.weight"],
                       w[p + "attention.output.LayerNorm.bias"], eps)
        act = gelu(linear(x, w, p + "intermediate.dense"))
        ffn = linear(act, w, p + "output.dense")
        s2 = ffn + x
        if trace:
            traced.append({"attention": out, "attention_sum": s1, "attention_norm": x, "gelu": act, "ffn": ffn,
                           "ffn_sum": s2})
        x = layer_norm(s2, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        if trace:
            traced[-1]["ffn_norm"] = x
        hidden.append(x)
        attentions.append(weights)
    m = mask[..., None].astype(F32)
    pooled = (x * m).sum(1) / np.maximum(m.sum(1), F32(1e-9))
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return Output(embeddings=pooled / np.maximum(norms, F32(1e-12)),
                  hidden_states=hidden, attentions=attentions, trace=traced if trace else None)
