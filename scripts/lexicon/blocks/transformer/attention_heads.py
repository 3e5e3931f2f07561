"""The ``attention-heads`` kind: a real transformer's attention weights, head by head, for one sentence."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from ... import figures, minilm
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Tab, Table, Tabs
from ...errors import LexiconError
from ...render import esc, fmt, percent
from ._attention import weights_heatmap
from ._tokens import token_labels
from ._minilm import HEAD, NOTE, parse_head

SINKS = ("[CLS]", "[SEP]", ".")
CLAIM = re.compile(rf"^\s*(?:strongest previous-token head is {HEAD}|{HEAD} previous-token\s*>\s*(\d*\.?\d+)"
                   r"|sink at layer ([1-6])\s*>\s*(uniform|\d*\.?\d+|sink at layer ([1-6])))\s*$")
CLAIM_FIX = ("write 'strongest previous-token head is 1.3' (layer 1, head 3), '1.3 previous-token > 0.9' (its mean "
             "weight on the token before), 'sink at layer 4 > 0.5' (the share of attention on [CLS], [SEP] and '.'), "
             "'sink at layer 4 > uniform' or 'sink at layer 4 > sink at layer 1'")


def parse_claim(text: str):
    m = CLAIM.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    if m.group(1):
        return ("strongest", parse_head(f"{m.group(1)}.{m.group(2)}"))
    if m.group(3):
        return ("previous", parse_head(f"{m.group(3)}.{m.group(4)}"), float(m.group(5)))
    right = m.group(7)
    if right == "uniform":
        return ("sink", int(m.group(6)), "uniform")
    if m.group(8):
        return ("sink", int(m.group(6)), ("layer", int(m.group(8))))
    return ("sink", int(m.group(6)), float(right))


class AttentionHeads(Kind):
    """A real transformer's attention (all-MiniLM-L6-v2, 6 layers × 12 heads) on one sentence: which heads look
    at the previous token, how much attention goes to [CLS], [SEP] and the full stop, and chosen heads as heatmaps.

    The sentence is run through the model and every head's softmax weights are kept. A head's
    **previous-token score** is the mean weight each token, from the second word on, gives to the token just
    before it; a grid shows it for all 72 heads. The **sink share** of a layer is the share of all
    its attention, over heads and tokens, that lands on `[CLS]`, `[SEP]` and `.`: tokens that carry
    little meaning of their own (the attention-sink effect), against the share they would get if
    every token were attended to equally (**uniform**). `heads` shows chosen heads as heatmaps (the
    strongest previous-token head by default). Heads and layers are numbered from 1. Needs no GloVe
    vectors.
    """

    example = ("sentence: The cat sat on the mat because it was tired.\n"
               "expect: [sink at layer 4 > uniform]")
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        sentence=opt.text("The sentence (up to 40 WordPiece tokens).", required=True),
        heads=opt.texts("Heads to show as heatmaps, as `layer.head` (`1.3`); default: the strongest "
                        "previous-token head.", min=0, max=4, type_doc="list of up to 4 heads", default=[],
                        display=True),
        expect=opt.claims("`strongest previous-token head is 1.3`, `1.3 previous-token > 0.9`, "
                          "`sink at layer 4 > 0.5`, `sink at layer 4 > uniform`, `sink at layer 4 > sink at layer 1`."),
        caption=opt.caption("“Previous-token score of every head …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.shown = [parse_head(h) for h in spec.heads]
        for text in spec.expect:
            parse_claim(text)

    def anchor_hint(self, spec):
        return "heads " + spec.sentence[:30]

    def compute(self, kv, spec):
        enc = minilm.encode([spec.sentence])
        tokens, a = enc.tokens[0], enc.attentions[0].astype(np.float64)   # [layers, heads, T, T]
        if len(tokens) > 42:
            raise LexiconError(f"the sentence is {len(tokens) - 2} WordPiece tokens; the block shows up to 40",
                               fix="shorten the sentence")
        n = len(tokens)
        prev = a[:, :, np.arange(2, n), np.arange(1, n - 1)].mean(axis=2)   # from the first word on
        sinks = {s: [float(a[layer, :, :, [i for i, t in enumerate(tokens) if t == s]].sum(axis=0).mean())
                     if s in tokens else 0.0 for layer in range(a.shape[0])] for s in SINKS}
        return {"tokens": tokens, "previous": np.round(prev, 6).tolist(), "sinks": sinks,
                "uniform": sum(tokens.count(s) for s in SINKS) / n,
                "weights": {f"{layer + 1}.{h + 1}": np.round(a[layer, h], 4).tolist()
                            for layer in range(a.shape[0]) for h in range(a.shape[1])}}

    # --- claims and values ----------------------------------------------------------------------------
    @staticmethod
    def _sink(result, layer: int) -> float:
        return sum(result["sinks"][s][layer - 1] for s in SINKS)

    @staticmethod
    def _strongest(result) -> tuple[int, int]:
        p = np.array(result["previous"])
        layer, head = np.unravel_index(int(p.argmax()), p.shape)
        return int(layer) + 1, int(head) + 1

    def claims(self, spec, result, check):
        p = result["previous"]
        for text in spec.expect:
            claim = parse_claim(text)
            if claim[0] == "strongest":
                (layer, head), got = claim[1], self._strongest(result)
                check(f"head {layer}.{head} looks at the previous token more than any other head",
                      got == (layer, head),
                      f"the strongest previous-token head is {got[0]}.{got[1]} ({p[got[0] - 1][got[1] - 1]:.4f}); "
                      f"{layer}.{head} scores {p[layer - 1][head - 1]:.4f}",
                      decided_by=[x for row in p for x in row])
            elif claim[0] == "previous":
                (layer, head), x = claim[1], claim[2]
                got = p[layer - 1][head - 1]
                check(f"head {layer}.{head} gives the previous token a mean weight above {x:g}", got > x,
                      f"its mean weight on the previous token is {got:.4f}")
            else:
                layer, right = claim[1], claim[2]
                got = self._sink(result, layer)
                if right == "uniform":
                    r, name = result["uniform"], f"the uniform share ({result['uniform']:.4f})"
                elif isinstance(right, tuple):
                    r, name = self._sink(result, right[1]), f"layer {right[1]}'s ({self._sink(result, right[1]):.4f})"
                else:
                    r, name = right, f"{right:g}"
                check(f"at layer {layer}, the share of attention on [CLS], [SEP] and '.' is above {name}", got > r,
                      f"it is {got:.4f}")

    @value("Head `h` of layer `layer`'s mean weight on the previous token (`layer.head`, e.g. `1.3`).")
    def previous(self, spec, result, head):
        layer, h = parse_head(head)
        v = result["previous"][layer - 1][h - 1]
        return Value(fmt(v), v)

    @value("The strongest previous-token head, as `layer.head`.")
    def strongest(self, spec, result):
        layer, head = self._strongest(result)
        return Value(f"{layer}.{head}")

    @value("The share of layer `k`'s attention on [CLS], [SEP] and '.', as a percentage (`62.3%`).")
    def sink(self, spec, result, k):
        if not str(k).isdigit() or not 1 <= int(k) <= 6:
            raise LexiconError(f"'{k}' names no layer", fix="name a layer from 1 to 6")
        v = self._sink(result, int(k))
        return Value(percent(v), v)

    @value("The share of layer `k`'s attention on [CLS] alone, as a percentage.")
    def cls_share(self, spec, result, k):
        if not str(k).isdigit() or not 1 <= int(k) <= 6:
            raise LexiconError(f"'{k}' names no layer", fix="name a layer from 1 to 6")
        v = result["sinks"]["[CLS]"][int(k) - 1]
        return Value(percent(v), v)

    @value("The share of layer `k`'s attention on [SEP] alone, as a percentage.")
    def sep_share(self, spec, result, k):
        if not str(k).isdigit() or not 1 <= int(k) <= 6:
            raise LexiconError(f"'{k}' names no layer", fix="name a layer from 1 to 6")
        v = result["sinks"]["[SEP]"][int(k) - 1]
        return Value(percent(v), v)

    @value("The share [CLS], [SEP] and '.' would get if every token were attended to equally (`23.1%`).")
    def uniform(self, spec, result):
        return Value(percent(result["uniform"]), result["uniform"])

    @value("How many tokens the model sees, [CLS] and [SEP] included.")
    def tokens(self, spec, result):
        return Value(str(len(result["tokens"])), len(result["tokens"]))

    # --- rendering -----------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        tokens, p = result["tokens"], result["previous"]
        labels = token_labels(tokens)
        best = self._strongest(result)
        shown = spec.shown or [best]
        layers = len(p)
        grid_rows = [[f"layer {k + 1}"] + [fmt(x, 2) for x in row] for k, row in enumerate(p)]
        grid = Figure(lambda: previous_grid(p), caption=spec.caption, height=330,
                      alt=(f"Heatmap of the previous-token score of all {layers * len(p[0])} heads, layers down, heads "
                           f"across. The strongest is head {best[0]}.{best[1]} with "
                           f"{p[best[0] - 1][best[1] - 1]:.2f}; the layer maxima are "
                           + ", ".join(f"layer {k + 1} {max(row):.2f}" for k, row in enumerate(p)) + "."),
                      default_caption=("Previous-token score of every head: the mean weight each token, from the "
                                       "second word on, gives to the token just before it (1 would be a head that "
                                       "does nothing else)."),
                      table=Table(["Layer"] + [f"head {h + 1}" for h in range(len(p[0]))], grid_rows,
                                  numeric=tuple(range(1, len(p[0]) + 1)), cls="ll-table--wide"))
        shares = [[f"layer {k + 1}"] + [percent(result["sinks"][s][k]) for s in SINKS]
                  + [percent(self._sink(result, k + 1))] for k in range(layers)]
        sink = Figure(lambda: sink_bars(result), height=340, anchor="sinks", always=True,
                      alt=("Stacked bars of the share of each layer's attention on [CLS], [SEP] and '.': "
                           + ", ".join(f"layer {k + 1} {self._sink(result, k + 1):.0%}" for k in range(layers))
                           + f"; spread evenly, they would get {result['uniform']:.0%}."),
                      default_caption=(f"Share of each layer's attention, over all heads and tokens, that lands on "
                                       f"[CLS], [SEP] and the full stop. Spread evenly over the {len(tokens)} tokens "
                                       f"it would be {percent(result['uniform'])} (dotted)."),
                      table=Table(["Layer", "[CLS]", "[SEP]", "'.'", "Together"], shares, numeric=(1, 2, 3, 4)))
        tabs = []
        for layer, head in shown:
            w = result["weights"][f"{layer}.{head}"]
            tabs.append(Tab(f"Head {layer}.{head}", f"head-{layer}-{head}", [Figure(
                lambda w=w, layer=layer, head=head: weights_heatmap(labels, w, f"Layer {layer}, head {head}"),
                height=max(320, 140 + 26 * len(tokens)), anchor=f"head-{layer}-{head}-figure", always=True,
                alt=(f"Heatmap of layer {layer}, head {head}'s attention weights over the {len(tokens)} tokens. "
                     "Each token attends most to: " + "; ".join(
                         f"{labels[i]} → {labels[int(np.argmax(row))]} ({max(row):.2f})" for i, row in enumerate(w))
                     + "."),
                default_caption=(f"Layer {layer}, head {head}: each row is one token's weights over the sentence "
                                 "and sums to 1."),
                table=Table(["Query ↓ · key →"] + labels, [[labels[i]] + [fmt(v, 3) for v in row]
                                                           for i, row in enumerate(w)],
                            numeric=tuple(range(1, len(tokens) + 1)), cls="ll-table--wide"))]))
        return [
            Html('<p class="ll-query">' + " · ".join(esc(t) for t in tokens) + "</p>"),
            grid, sink, Tabs(tabs),
            *([Code(CODE.format(sentence=spec.sentence), "The numpy code behind these numbers")] if spec.code else []),
        ]


def previous_grid(p) -> go.Figure:
    fig = go.Figure(go.Heatmap(
        z=p, x=[f"{h + 1}" for h in range(len(p[0]))], y=[f"{k + 1}" for k in range(len(p))], zmin=0, zmax=1,
        colorscale="Blues", texttemplate="%{z:.2f}", colorbar=dict(title=dict(text="score"), thickness=12),
        hovertemplate="layer %{y}, head %{x}: %{z:.4f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, xaxis=dict(title=dict(text="head"), side="bottom", dtick=1),
                      yaxis=dict(title=dict(text="layer"), autorange="reversed", automargin=True, dtick=1))
    return fig


def sink_bars(result) -> go.Figure:
    layers = [f"{k + 1}" for k in range(len(result["previous"]))]
    fig = go.Figure()
    for s, colour in zip(SINKS, (figures.PALETTE[0], figures.PALETTE[1], figures.PALETTE[2])):
        fig.add_trace(go.Bar(x=layers, y=result["sinks"][s], name=s, marker_color=colour,
                             hovertemplate=f"layer %{{x}}, {s}: %{{y:.1%}}<extra></extra>"))
    fig.add_hline(y=result["uniform"], line=dict(dash="dot", color=figures.PALETTE[7]))
    fig.update_layout(**figures.LEGEND_ON_TOP, barmode="stack",
                      xaxis=dict(title=dict(text="layer")),
                      yaxis=dict(title=dict(text="share of attention"), tickformat=".0%", range=[0, 1]))
    return fig


CODE = """\
import numpy as np
from lexicon import minilm      # this site's numpy forward pass of all-MiniLM-L6-v2

enc = minilm.encode([{sentence!r}])
tokens, a = enc.tokens[0], enc.attentions[0]   # a: [6 layers, 12 heads, tokens, tokens]
n = len(tokens)
previous = a[:, :, np.arange(2, n), np.arange(1, n - 1)].mean(axis=2)   # [6, 12]
sink = [i for i, t in enumerate(tokens) if t in ("[CLS]", "[SEP]", ".")]
share = a[:, :, :, sink].sum(axis=3).mean(axis=(1, 2))                   # per layer
"""
