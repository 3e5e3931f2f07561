"""The ``residual-stream`` kind: per layer, how much attention and the feed-forward network add to a token's vector."""

from __future__ import annotations

import plotly.graph_objects as go

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._minilm import NOTE
from ._sublayers import MAX_TOKENS, MEASURES, check_claims, layer_arg, layer_measures, parse_claim, run

CLAIMS = {k: MEASURES[k] for k in ("attention ratio", "ffn ratio", "attention length", "ffn length", "keep")}
FIX = ("write 'ffn ratio at layer 1 > attention ratio at layer 1' or 'keep at layer 6 < 0.8' (attention ratio, "
       "ffn ratio: the length of what the sub-layer adds over the length of the vector it reads; attention length, "
       "ffn length: the length of what it adds; keep: cosine of a token's vector before and after the layer; "
       "layers 1–6)")
NORMS = {"stream": "the vector a layer reads (the residual stream)", "attention": "what attention adds",
         "ffn": "what the feed-forward network adds"}


class ResidualStream(Kind):
    """How a real transformer's layers (all-MiniLM-L6-v2) add to the token vectors they read, sub-layer by
    sub-layer.

    Each layer of this BERT-style model is **post-LN**: attention's output is *added* to the vector x the
    layer reads, and the sum is normalised, a = LN(x + Attn(x)); then the feed-forward network's output is
    added to a, and normalised again, LN(a + FFN(a)). The block runs one sentence and reports, per layer
    and as medians over its tokens ([CLS] and [SEP] included; a median, because one token can be far off the
    others): the length of x, of what attention adds and
    of what the feed-forward network adds (claims: `attention length`, `ffn length`); the **attention ratio**
    |Attn(x)| / |x| and the **ffn ratio** |FFN(a)| / |a|, each the median of every token's own ratio (so not
    one median length over another); and **keep**, the cosine between a token's vector before the layer and after it
    (1: the layer left its direction unchanged). `top` names the token with the largest ffn ratio in a
    layer: in this model, often [CLS], whose feed-forward output can be many times longer than any other
    token's. Needs no GloVe vectors.
    """

    example = ("sentence: The bank raised its interest rates because inflation stayed high.\n"
               "expect: [ffn ratio at layer 1 > attention ratio at layer 1, keep at layer 6 < keep at layer 2]")
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        sentence=opt.text(f"The sentence (up to {MAX_TOKENS} WordPiece tokens).", required=True),
        expect=opt.claims("`ffn ratio at layer 1 > attention ratio at layer 1`, `keep at layer 6 < 0.8`, "
                          "`attention ratio at layer 6 > attention ratio at layer 5` (layers 1–6)."),
        caption=opt.caption("“How long the vectors are that each layer reads and adds …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        for text in spec.expect:
            parse_claim(text, CLAIMS, FIX)

    def anchor_hint(self, spec):
        return "residual " + spec.sentence[:30]

    def compute(self, kv, spec):
        tokens, hidden, layers = run(spec.sentence)
        return {"tokens": tokens, "layers": layer_measures(hidden, layers)}

    def claims(self, spec, result, check):
        check_claims(spec, result["layers"], check, CLAIMS, FIX)

    @value("A median length at layer k (1–6): `stream` (the vector the layer reads), `attention` or `ffn` (what "
           "the sub-layer adds), as the table shows it.")
    def norm(self, spec, result, what, k):
        if what not in NORMS:
            raise LexiconError(f"'{what}' is no length the block measures", fix="name stream, attention or ffn")
        v = result["layers"][layer_arg(k) - 1][what]
        return Value(fmt(v, 2), v)

    @value("A ratio at layer k (1–6): `attention` (|Attn(x)| / |x|) or `ffn` (|FFN(a)| / |a|), as the table "
           "shows it.")
    def ratio(self, spec, result, what, k):
        if what not in ("attention", "ffn"):
            raise LexiconError(f"'{what}' has no ratio here", fix="name attention or ffn")
        v = result["layers"][layer_arg(k) - 1][what + " ratio"]
        return Value(fmt(v, 3), v)

    @value("Keep at layer k (1–6): the median cosine between a token's vector before the layer and after it.")
    def keep(self, spec, result, k):
        v = result["layers"][layer_arg(k) - 1]["keep"]
        return Value(fmt(v, 3), v)

    @value("The token with the largest ffn ratio at layer k (1–6).")
    def top(self, spec, result, k):
        return Value(result["tokens"][result["layers"][layer_arg(k) - 1]["top"][0]])

    @value("The largest ffn ratio of any token at layer k (1–6), that of `top`.")
    def top_ratio(self, spec, result, k):
        v = result["layers"][layer_arg(k) - 1]["top"][1]
        return Value(fmt(v, 2), v)

    @value("At layer k (1–6), the cosine of `top`'s vector before the feed-forward sub-layer (a) and after the "
           "layer (LN(a + FFN(a))): how far its long addition turned it.")
    def top_keep(self, spec, result, k):
        v = result["layers"][layer_arg(k) - 1]["top"][2]
        return Value(fmt(v, 3), v)

    @value("How many tokens the model sees, [CLS] and [SEP] included.")
    def tokens(self, spec, result):
        return Value(str(len(result["tokens"])), len(result["tokens"]))

    def render(self, spec, result, ctx):
        layers = result["layers"]
        table = Table(["Layer", "|x| (read)", "|Attn(x)| (added)", "|FFN(a)| (added)",
                       "Attention ratio: median of each token's |Attn(x)| / |x|",
                       "FFN ratio: median of each token's |FFN(a)| / |a|", "cos(x, layer output)",
                       "Largest FFN ratio (token)"],
                      [[k, fmt(r["stream"], 2), fmt(r["attention"], 2), fmt(r["ffn"], 2),
                        fmt(r["attention ratio"], 3), fmt(r["ffn ratio"], 3), fmt(r["keep"], 3),
                        f"{fmt(r['top'][1], 2)} ({result['tokens'][r['top'][0]]})"]
                       for k, r in enumerate(layers, start=1)], numeric=(1, 2, 3, 4, 5, 6))
        alt = ("Line chart by layer, 1 to 6, of median vector lengths: the vector each layer reads, "
               + ", ".join(f"layer {k} {r['stream']:.1f}" for k, r in enumerate(layers, start=1))
               + "; what attention adds, " + ", ".join(f"{r['attention']:.1f}" for r in layers)
               + "; what the feed-forward network adds, " + ", ".join(f"{r['ffn']:.1f}" for r in layers) + ".")
        return [
            Html('<p class="ll-query">' + " · ".join(esc(t) for t in result["tokens"]) + "</p>"),
            Figure(lambda: stream_figure(layers), alt=alt, caption=spec.caption, table=table, height=340,
                   default_caption=("How long the vectors are that each layer reads and that its two sub-layers "
                                    "add. Every column is a median over the sentence's tokens, taken on its own: a "
                                    "ratio column is the median of each token's own ratio, so it is not one length "
                                    "column divided by another.")),
            *([Code(CODE.format(sentence=spec.sentence), "The numpy code behind these numbers")] if spec.code else []),
        ]


def stream_figure(layers) -> go.Figure:
    fig = go.Figure()
    for i, (key, name) in enumerate(NORMS.items()):
        fig.add_trace(go.Scatter(x=list(range(1, len(layers) + 1)), y=[r[key] for r in layers], name=name,
                                 mode="lines+markers", line=dict(color=figures.PALETTE[i]),
                                 marker=dict(symbol=["circle", "square", "diamond"][i], size=9),
                                 hovertemplate="layer %{x}: %{y:.2f}<extra></extra>"))
    fig.update_layout(**figures.LEGEND_ON_TOP, xaxis=dict(title=dict(text="layer"), dtick=1),
                      yaxis=dict(title=dict(text="median length"), rangemode="tozero", automargin=True))
    return fig


CODE = """\
import numpy as np
from lexicon import minilm      # this site's numpy forward pass of all-MiniLM-L6-v2

enc = minilm.encode([{sentence!r}], trace=True)
h, trace = enc.hidden_states[0], enc.trace[0]          # [7, tokens, 384]; per layer, its sub-layers
norm = lambda a: np.linalg.norm(a, axis=-1)
for k, t in enumerate(trace, start=1):
    x, a, y = h[k - 1], t["attention_norm"], h[k]       # a = LN(x + Attn(x)), y = LN(a + FFN(a))
    med = np.median
    keep = med((x * y).sum(-1) / (norm(x) * norm(y)))
    print(k, med(norm(x)), med(norm(t["attention"])), med(norm(t["ffn"])),
          med(norm(t["attention"]) / norm(x)), med(norm(t["ffn"]) / norm(a)), keep)
"""
