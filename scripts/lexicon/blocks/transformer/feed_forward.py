"""The ``feed-forward`` kind: a real transformer's feed-forward sub-layers: their shapes, activations and effect."""

from __future__ import annotations

import math

import numpy as np

from ... import minilm
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt, percent
from ._minilm import NOTE
from ._sublayers import MAX_TOKENS, MEASURES, check_claims, layer_arg, layer_measures, parse_claim, run

CLAIMS = {k: MEASURES[k] for k in ("positive", "positive energy", "ffn ratio", "attention ratio", "ffn length",
                                   "attention length")}
FIX = ("write 'positive at layer 2 < 0.5' (the share of GELU activations above 0), 'ffn ratio at layer 1 > "
       "ffn ratio at layer 4' (the length of what the network adds over the length of the vector it reads) or "
       "'ffn ratio at layer 1 > attention ratio at layer 1', 'ffn length at layer 3 > attention length at layer 3' "
       "(the median length of what each adds) or 'positive energy at layer 2 > 0.5' (the share of the squared "
       "activations the positive ones hold) (layers 1–6)")
SHAPES = {"in": "the vector width (the network's input and output)", "inner": "the inner width (GELU units)",
          "parameters": "one layer's feed-forward parameters (both weight matrices and biases)",
          "total": "the parameters of all layers' feed-forward networks",
          "attention": "one layer's attention parameters (query, key, value and output weights and biases)",
          "embeddings": "the embedding tables' parameters (word, position and token type)"}
ATTENTION = [f"attention.{n}.{p}" for n in ("self.query", "self.key", "self.value", "output.dense")
             for p in ("weight", "bias")]
EMBEDDINGS = [f"embeddings.{n}_embeddings.weight" for n in ("word", "position", "token_type")]


def gelu_min() -> float:
    """The smallest value GELU(x) = x·Φ(x) takes, on a grid of step 1e-4 over [−3, 0]."""
    x = np.arange(-30000, 1) / 1e4
    return float(np.min(x * 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))))


class FeedForward(Kind):
    """A real transformer's feed-forward sub-layers (all-MiniLM-L6-v2): their shapes, counted from the weights,
    and what they do to one sentence.

    Each layer's feed-forward network works on each token's vector alone: FFN(a) = W2 · GELU(W1 · a + b1) + b2,
    widening the 384 numbers to 1,536 and back; its output is added to its input a and normalised (post-LN).
    The block reads W1, b1, W2, b2 from the weights file, then runs the sentence and reports per layer,
    over all tokens ([CLS] and [SEP] included) and all 1,536 units: the share of GELU activations that are
    **positive** (GELU lets a positive input through almost unchanged and squashes a negative one to a
    small negative number, never below GELU's minimum, `gelu_min`), the share of the squared activations
    that the positive ones hold (**positive energy**), the share that are **near zero** (|GELU| below `near`), and
    the **ffn ratio** |FFN(a)| / |a|, the length of what the network adds over the length of the vector it
    reads, with **keep**, the cosine between a token's vector before the sub-layer and after it (with its
    LayerNorm); both are medians over the tokens. Needs no GloVe vectors.
    """

    example = ("sentence: The bank raised its interest rates because inflation stayed high.\n"
               "expect: [positive at layer 2 < 0.5]")
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        sentence=opt.text(f"The sentence (up to {MAX_TOKENS} WordPiece tokens).", required=True),
        near=opt.number("An activation counts as near zero when its absolute value is below this.", default=0.05,
                        above=0, max=1),
        expect=opt.claims("`positive at layer 2 < 0.5`, `ffn ratio at layer 1 > ffn ratio at layer 4`, "
                          "`ffn ratio at layer 1 > attention ratio at layer 1` (layers 1–6)."),
        caption=opt.caption("“What each layer's feed-forward network does …”"),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        for text in spec.expect:
            parse_claim(text, CLAIMS, FIX)

    def anchor_hint(self, spec):
        return "feed-forward " + spec.sentence[:30]

    def compute(self, kv, spec):
        tokens, hidden, layers = run(spec.sentence)
        w = minilm.load().weights
        p = "encoder.layer.0."
        shapes = {"w1": list(w[p + "intermediate.dense.weight"].shape), "b1": list(w[p + "intermediate.dense.bias"].shape),
                  "w2": list(w[p + "output.dense.weight"].shape), "b2": list(w[p + "output.dense.bias"].shape)}
        per_layer = [int(sum(w[f"encoder.layer.{k}.{n}"].size for n in ("intermediate.dense.weight",
                                                                          "intermediate.dense.bias",
                                                                          "output.dense.weight", "output.dense.bias")))
                     for k in range(len(layers))]
        attention = int(sum(w[f"encoder.layer.0.{n}"].size for n in ATTENTION))
        embeddings = int(sum(w[n].size for n in EMBEDDINGS))
        return {"tokens": tokens, "shapes": shapes, "parameters": per_layer, "attention": attention,
                "embeddings": embeddings, "gelu_min": gelu_min(),
                "layers": layer_measures(hidden, layers, near=spec.near)}

    def claims(self, spec, result, check):
        check_claims(spec, result["layers"], check, CLAIMS, FIX)

    @value("A size read from the weights: `in` (384), `inner` (the GELU units), `parameters` (one layer's "
           "feed-forward network), `total` (all layers'), `attention` (one layer's attention sub-layer), "
           "`embeddings` (the word, position and token-type tables).")
    def size(self, spec, result, name):
        s, p = result["shapes"], result["parameters"]
        sizes = {"in": s["w1"][1], "inner": s["w1"][0], "parameters": p[0], "total": sum(p),
                 "attention": result["attention"], "embeddings": result["embeddings"]}
        if name not in sizes:
            raise LexiconError(f"'{name}' is no size the block reads", fix="name one of " + ", ".join(SHAPES))
        return Value(f"{sizes[name]:,}", sizes[name])

    @value("At layer k (1–6), the share of GELU activations that are `positive` or `near_zero`, or the share of "
           "their squares that the positive ones hold (`positive_energy`), as a percentage.")
    def share(self, spec, result, what, k):
        key = what.replace("_", " ")
        if key not in ("positive", "near zero", "positive energy"):
            raise LexiconError(f"'{what}' is no share of the block", fix="name positive, near_zero or "
                                                                            "positive_energy")
        v = result["layers"][layer_arg(k) - 1][key]
        return Value(percent(v), v)

    @value("GELU's smallest output (at x ≈ −0.75), computed on a grid.")
    def gelu_min(self, spec, result):
        return Value(fmt(result["gelu_min"], 2), result["gelu_min"])

    @value("At layer k (1–6), the ffn ratio |FFN(a)| / |a|, as the table shows it.")
    def ratio(self, spec, result, k):
        v = result["layers"][layer_arg(k) - 1]["ffn ratio"]
        return Value(fmt(v, 3), v)

    @value("At layer k (1–6), keep: the median cosine between a token's vector before the feed-forward sub-layer "
           "and after it (its LayerNorm included).")
    def keep(self, spec, result, k):
        v = result["layers"][layer_arg(k) - 1]["ffn keep"]
        return Value(fmt(v, 3), v)

    def render(self, spec, result, ctx):
        s, p, layers = result["shapes"], result["parameters"], result["layers"]
        same = all(x == p[0] for x in p)
        shapes = Table(["Tensor", "Shape", "Parameters"],
                       [["W1 (widens)", " × ".join(map(str, s["w1"])), f"{s['w1'][0] * s['w1'][1]:,}"],
                        ["b1", str(s["b1"][0]), f"{s['b1'][0]:,}"],
                        ["W2 (narrows)", " × ".join(map(str, s["w2"])), f"{s['w2'][0] * s['w2'][1]:,}"],
                        ["b2", str(s["b2"][0]), f"{s['b2'][0]:,}"],
                        ["One layer's network" + ("" if same else " (layer 1)"), "", f"{p[0]:,}"],
                        [f"All {len(p)} layers", "", f"{sum(p):,}"]], numeric=(2,))
        table = Table(["Layer", "GELU positive", "Positive units' share of Σ GELU²",
                       f"GELU near zero (|GELU| < {spec.near:g})", "FFN ratio: median of each token's |FFN(a)| / |a|",
                       "cos(a, LN(a + FFN(a))), median"],
                      [[k, percent(r["positive"]), percent(r["positive energy"]), percent(r["near zero"]),
                        fmt(r["ffn ratio"], 3), fmt(r["ffn keep"], 3)] for k, r in enumerate(layers, start=1)],
                      numeric=(1, 2, 3, 4, 5))
        return [
            Html("<p>The feed-forward network of each layer, read from the weights file (torch stores a weight "
                 "as [out, in]):</p>"),
            shapes,
            Html('<p class="ll-query">' + " · ".join(esc(t) for t in result["tokens"]) + "</p>"),
            *([Caption(spec.caption)] if spec.caption else []),
            table,
            *([Code(CODE.format(sentence=spec.sentence, near=spec.near), "The numpy code behind these numbers")]
              if spec.code else []),
        ]


CODE = """\
import numpy as np
from lexicon import minilm      # this site's numpy forward pass of all-MiniLM-L6-v2

w = minilm.load().weights
print(w["encoder.layer.0.intermediate.dense.weight"].shape, w["encoder.layer.0.output.dense.weight"].shape)
enc = minilm.encode([{sentence!r}], trace=True)
h = enc.hidden_states[0]
norm = lambda v: np.linalg.norm(v, axis=-1)
for k, t in enumerate(enc.trace[0], start=1):
    g, a, y = t["gelu"], t["attention_norm"], h[k]          # GELU units [tokens, 1536]; input; layer output
    print(k, (g > 0).mean(), (g[g > 0] ** 2).sum() / (g ** 2).sum(), (abs(g) < {near!r}).mean(),
          np.median(norm(t["ffn"]) / norm(a)),
          np.median((a * y).sum(-1) / (norm(a) * norm(y))))
"""
