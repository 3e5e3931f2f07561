"""What the sub-layer kinds share: one sentence run with the forward pass's trace, measured per layer.

all-MiniLM-L6-v2 is post-LN, as BERT: each layer computes a = LN(x + Attn(x)), then
LN(a + FFN(a)). The measures below compare what each sub-layer adds with the vector it reads.
"""

from __future__ import annotations

import re

import numpy as np

from ... import minilm
from ...errors import LexiconError

LAYERS = 6
MAX_TOKENS = 40
MEASURES = {
    "attention ratio": "the median over the tokens of each token's |Attn(x)| / |x|, the length of what attention "
                       "adds over the length of the vector it reads",
    "ffn ratio": "the median over the tokens of each token's |FFN(a)| / |a|, the length of what the feed-forward "
                 "network adds over the length of the vector it reads",
    "attention length": "the length of what attention adds, median token",
    "ffn length": "the length of what the feed-forward network adds, median token",
    "keep": "the cosine between a token's vector before the layer and after it, median token",
    "positive": "share of the feed-forward network's GELU activations that are above 0",
    "positive energy": "share of the sum of the squared GELU activations that the positive ones hold",
    "spread": "largest token's standard deviation over the smallest's, before the LayerNorm that ends the layer",
    "spread after": "largest token's standard deviation over the smallest's, after the LayerNorm that ends the layer",
}


def run(sentence: str) -> tuple[list[str], np.ndarray, list[dict]]:
    """The sentence's tokens, its hidden states [7, T, 384] and each layer's sub-layer arrays (float64)."""
    enc = minilm.encode([sentence], trace=True)
    tokens = enc.tokens[0]
    if len(tokens) > MAX_TOKENS + 2:
        raise LexiconError(f"the sentence is {len(tokens) - 2} WordPiece tokens; the block takes up to {MAX_TOKENS}",
                           fix="shorten the sentence")
    layers = [{k: v.astype(np.float64) for k, v in t.items()} for t in enc.trace[0]]
    return tokens, enc.hidden_states[0].astype(np.float64), layers


def _norm(a):
    return np.linalg.norm(a, axis=-1)


def _cos(a, b):
    return np.sum(a * b, axis=-1) / (_norm(a) * _norm(b))


def layer_measures(hidden: np.ndarray, layers: list[dict], near: float = 0.05) -> list[dict]:
    """Per layer (1-6), medians over the sentence's tokens ([CLS] and [SEP] included): one token can be far
    off the others (here [CLS], whose feed-forward output can be many times longer), and a median is what
    a typical token gets. ``top`` names the token with the largest feed-forward ratio, and gives that ratio and
    that token's cosine between the feed-forward sub-layer's input a and the layer's output."""
    out = []
    for k, t in enumerate(layers, start=1):
        x, a, y = hidden[k - 1], t["attention_norm"], hidden[k]
        g = t["gelu"]
        ffn = _norm(t["ffn"]) / _norm(a)
        top = int(ffn.argmax())
        std = t["ffn_sum"].std(-1), y.std(-1)
        out.append({"stream": float(np.median(_norm(x))),
                    "attention": float(np.median(_norm(t["attention"]))),
                    "ffn": float(np.median(_norm(t["ffn"]))),
                    "attention length": float(np.median(_norm(t["attention"]))),
                    "ffn length": float(np.median(_norm(t["ffn"]))),
                    "attention ratio": float(np.median(_norm(t["attention"]) / _norm(x))),
                    "ffn ratio": float(np.median(ffn)),
                    "top": [top, float(ffn[top]), float(_cos(a[top], y[top]))],
                    "keep": float(np.median(_cos(x, y))),
                    "attention keep": float(np.median(_cos(x, a))),
                    "ffn keep": float(np.median(_cos(a, y))),
                    "positive": float((g > 0).mean()),
                    # the share of the activations' squares (sum of g²) that the positive ones hold
                    "positive energy": float((g[g > 0] ** 2).sum() / (g ** 2).sum()),
                    "spread": float(std[0].max() / std[0].min()),
                    "spread after": float(std[1].max() / std[1].min()),
                    "near zero": float((np.abs(g) < near).mean())})
    return out


def parse_claim(text: str, allowed: tuple[str, ...], fix: str):
    """'<measure> at layer K > <measure> at layer J' or '<measure> at layer K < 0.5'."""
    names = "|".join(re.escape(m) for m in allowed)
    m = re.fullmatch(rf"\s*({names}) at layer ([1-6])\s*([<>])\s*(?:({names}) at layer ([1-6])|(-?\d*\.?\d+))\s*",
                     text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=fix)
    right = (m.group(4), int(m.group(5))) if m.group(4) else float(m.group(6))
    return m.group(1), int(m.group(2)), m.group(3), right


def check_claims(spec, layers: list[dict], check, measures: dict, fix, claims=None) -> None:
    """Check the comparison claims among ``claims`` (default: every ``expect``) on ``measures`` (name -> doc)."""
    for text in spec.expect if claims is None else claims:
        what, k, op, right = parse_claim(text, tuple(measures), fix)
        left = layers[k - 1][what]
        if isinstance(right, tuple):
            r, name = layers[right[1] - 1][right[0]], f"{right[0]} at layer {right[1]}"
            shown = f"; {name} is {r:.4f}"
        else:
            r, name, shown = right, f"{right:g}", ""
        check(f"{what} at layer {k} ({measures[what]}) is {'above' if op == '>' else 'below'} {name}",
              left > r if op == ">" else left < r, f"{what} at layer {k} is {left:.4f}{shown}",
              decided_by=[left, r])


def layer_arg(k) -> int:
    if not str(k).strip().isdigit() or not 1 <= int(k) <= LAYERS:
        raise LexiconError(f"'{k}' names no layer", fix="name a layer from 1 to 6")
    return int(k)
