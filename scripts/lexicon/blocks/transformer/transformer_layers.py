"""The ``transformer-layers`` kind: a real transformer's parameters, and what each layer does to a sentence."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from ... import figures, minilm
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt, percent
from ._minilm import NOTE

LAYERS = 7
MEASURES = {"change": "cosine between a token's vector after the layer and before it",
            "alike": "mean cosine between the vectors of two different tokens",
            "norm": "mean length of a token's vector"}
CLAIM = re.compile(r"^\s*(?:(change|alike|norm) at layer ([0-6])\s*([<>])\s*(?:(change|alike|norm) at layer ([0-6])"
                   r"|(-?\d*\.?\d+))|(word embeddings|feed-forward|attention) share\s*>\s*(\d*\.?\d+)"
                   r"|feed-forward > attention)\s*$")
CLAIM_FIX = ("write 'alike at layer 6 > alike at layer 0', 'change at layer 6 < 0.8' (change: cosine of a token's "
             "vector after a layer with it before; alike: mean cosine between different tokens; norm: mean "
             "length), 'word embeddings share > 0.5' (of all parameters; also 'feed-forward share', "
             "'attention share') or 'feed-forward > attention' (parameters per layer)")


def parse_claim(text: str):
    m = CLAIM.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    if m.group(1):
        if m.group(1) == "change" and m.group(2) == "0" or m.group(4) == "change" and m.group(5) == "0":
            raise LexiconError(f"the claim '{text}' asks how layer 0 changed the vectors; it is the input",
                               fix="ask about change at layers 1–6")
        right = (m.group(4), int(m.group(5))) if m.group(4) else float(m.group(6))
        return ("measure", m.group(1), int(m.group(2)), m.group(3), right)
    if m.group(7):
        return ("share", m.group(7), float(m.group(8)))
    return ("ffn",)


def share(x: float) -> str:
    """A share of all parameters; a tiny one is not rounded to a false 0%."""
    return "<0.1%" if 0 < x < 0.001 else percent(x)


def _layer(k, low: int = 0) -> int:
    if not str(k).strip().isdigit() or not low <= int(k) < LAYERS:
        raise LexiconError(f"'{k}' names no layer", fix=f"name a layer from {low} to 6 (0: the embedding layer)")
    return int(k)


class TransformerLayers(Kind):
    """A real transformer (all-MiniLM-L6-v2) taken apart: its parameters counted from the weights file, and
    how each of its layers changes a sentence's token vectors.

    The parameter table counts every tensor of the weights file by component: the embedding layer
    (word, position and token-type vectors, and a LayerNorm), then for each of the 6 layers the
    attention (query, key, value and output projections), the feed-forward network (384 → 1536 → 384)
    and two LayerNorms, and the pooler BERT carries, which sentence embeddings do not use. The
    sentence is then run through the model, and for every layer the block measures three things:
    **change**, the mean cosine between a token's vector after the layer and before it (1: the
    layer left it pointing the same way); **alike**, the mean cosine between the vectors of two
    different tokens; and **norm**, their mean length. Needs no GloVe vectors.
    """

    example = ("sentence: The bank raised its interest rates because inflation stayed high.\n"
               "expect: [alike at layer 6 > alike at layer 0, feed-forward > attention]")
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        sentence=opt.text("The sentence (up to 60 WordPiece tokens).", required=True),
        expect=opt.claims("`alike at layer 6 > alike at layer 0`, `change at layer 6 < 0.8`, `norm at layer 4 > "
                          "norm at layer 0`, `word embeddings share > 0.5`, `feed-forward share > 0.3`, "
                          "`feed-forward > attention`."),
        caption=opt.caption("“What each layer does to the sentence's token vectors …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        for text in spec.expect:
            parse_claim(text)

    def anchor_hint(self, spec):
        return "layers " + spec.sentence[:30]

    def compute(self, kv, spec):
        enc = minilm.encode([spec.sentence])
        h = enc.hidden_states[0].astype(np.float64)         # [7, T, 384]
        if h.shape[1] > 62:
            raise LexiconError(f"the sentence is {h.shape[1] - 2} WordPiece tokens; the block takes up to 60",
                               fix="shorten the sentence")
        norms = np.linalg.norm(h, axis=2)
        unit = h / norms[..., None]
        t = h.shape[1]
        off = ~np.eye(t, dtype=bool)
        layers = []
        for k in range(LAYERS):
            c = unit[k] @ unit[k].T
            layers.append({"alike": float(c[off].mean()), "norm": float(norms[k].mean()),
                           "change": float(np.sum(unit[k] * unit[k - 1], axis=1).mean()) if k else None})
        c = minilm.load().config
        config = {"layers": c["num_hidden_layers"], "heads": c["num_attention_heads"], "dims": c["hidden_size"],
                  "ffn": c["intermediate_size"], "vocabulary": c["vocab_size"],
                  "positions": c["max_position_embeddings"]}
        return {"tokens": enc.tokens[0], "layers": layers, "parameters": minilm.parameter_counts(),
                "config": config}

    # --- claims and values ----------------------------------------------------------------------------
    @staticmethod
    def _shares(p) -> dict:
        total = p["total"]
        return {"word embeddings": p["embeddings"]["word"] / total,
                "feed-forward": sum(x["feed_forward"] for x in p["layers"]) / total,
                "attention": sum(x["attention"] for x in p["layers"]) / total}

    def claims(self, spec, result, check):
        layers, p = result["layers"], result["parameters"]
        for text in spec.expect:
            claim = parse_claim(text)
            if claim[0] == "measure":
                _, what, k, op, right = claim
                left = layers[k][what]
                if isinstance(right, tuple):
                    r, name = layers[right[1]][right[0]], f"{right[0]} at layer {right[1]}"
                    shown = f"; {name} is {r:.4f}"
                else:
                    r, name, shown = right, f"{right:g}", ""
                check(f"{what} at layer {k} ({MEASURES[what]}) is {'above' if op == '>' else 'below'} {name}",
                      left > r if op == ">" else left < r, f"{what} at layer {k} is {left:.4f}{shown}")
            elif claim[0] == "share":
                _, what, x = claim
                got = self._shares(p)[what]
                check(f"the {what} hold{'s' if what != 'word embeddings' else ''} more than {x:g} of all parameters",
                      got > x, f"{what}: {got:.4f} of {p['total']:,}")
            else:
                a, f = p["layers"][0]["attention"], p["layers"][0]["feed_forward"]
                same = all(x["attention"] == a and x["feed_forward"] == f for x in p["layers"])
                check("each layer's feed-forward network has more parameters than its attention",
                      all(x["feed_forward"] > x["attention"] for x in p["layers"]),
                      f"feed-forward {f:,}, attention {a:,}" + ("" if same else " (layer 1; the layers differ)"))

    @value("How many parameters the weights file holds, all tensors counted (`22,713,216`).")
    def parameters(self, spec, result):
        n = result["parameters"]["total"]
        return Value(f"{n:,}", n)

    @value("A component's parameters: `word`, `position` (embedding tables), `attention`, `feed_forward` "
           "(per layer), `layer` (one whole layer), `pooler`.")
    def count(self, spec, result, part):
        p = result["parameters"]
        table = {"word": p["embeddings"]["word"], "position": p["embeddings"]["position"],
                 "attention": p["layers"][0]["attention"], "feed_forward": p["layers"][0]["feed_forward"],
                 "layer": p["layers"][0]["total"], "pooler": p["pooler"]}
        if part not in table:
            raise LexiconError(f"'{part}' is no component the block counts", fix="name one of " + ", ".join(table))
        return Value(f"{table[part]:,}", table[part])

    @value("The share of all parameters in the word embeddings, feed-forward networks or attention "
           "(`word embeddings`, `feed-forward`, `attention`), as a percentage.")
    def share(self, spec, result, part):
        shares = self._shares(result["parameters"])
        part = part.replace("_", " ")
        if part not in shares:
            raise LexiconError(f"'{part}' has no share here", fix="name word embeddings, feed-forward or attention")
        return Value(percent(shares[part]), shares[part])

    @value("A measure at layer k, as the table shows it: `change` (1–6), `alike` or `norm` (0–6).")
    def measure(self, spec, result, what, k):
        if what not in MEASURES:
            raise LexiconError(f"'{what}' is no measure of the block", fix="name change, alike or norm")
        v = result["layers"][_layer(k, 1 if what == "change" else 0)][what]
        return Value(fmt(v, 2 if what == "norm" else 3), v)

    @value("A size from the model's config: `layers`, `heads`, `dims` (vector width), `ffn` (the feed-forward "
           "network's inner width), `vocabulary`, `positions` (how many position vectors it has), `head_dims` "
           "(dims / heads: the width of one attention head's queries, keys and values).")
    def config(self, spec, result, name):
        c = result["config"]
        sizes = {**c, "head_dims": c["dims"] // c["heads"]}
        if name not in sizes:
            raise LexiconError(f"'{name}' is no size the block reads", fix="name one of " + ", ".join(sizes))
        n = int(sizes[name])
        return Value(f"{n:,}", n)

    @value("How many tokens the model sees, [CLS] and [SEP] included.")
    def tokens(self, spec, result):
        return Value(str(len(result["tokens"])), len(result["tokens"]))

    # --- rendering -----------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        p, layers = result["parameters"], result["layers"]
        total, e, one = p["total"], p["embeddings"], p["layers"][0]
        n = len(p["layers"])
        same = all(x == one for x in p["layers"])
        rows = [["Word embeddings (one vector per vocabulary entry)", f"{e['word']:,}", share(e["word"] / total)],
                ["Position embeddings", f"{e['position']:,}", share(e["position"] / total)],
                ["Token-type embeddings and the embedding LayerNorm", f"{e['token_type'] + e['layer_norm']:,}",
                 share((e["token_type"] + e["layer_norm"]) / total)]]
        for label, key in (("attention (Q, K, V and output projections)", "attention"),
                           ("feed-forward network", "feed_forward")):
            k = sum(x[key] for x in p["layers"])
            rows.append([f"{n} × {label}" + (f", {one[key]:,} each" if same else ""), f"{k:,}", share(k / total)])
        norms = sum(x["attention_layer_norm"] + x["ffn_layer_norm"] for x in p["layers"])
        rows.append([f"{n} × two LayerNorms", f"{norms:,}", share(norms / total)])
        rows.append(["Pooler (BERT's, unused by sentence embeddings)", f"{p['pooler']:,}", share(p["pooler"] / total)])
        rows.append(["Total", f"{total:,}", "100%"])
        params = Table(["Component", "Parameters", "Share"], rows, numeric=(1, 2))
        measures = Table(["Layer", "Change (cosine with the layer before)", "Alike (cosine between tokens)",
                          "Norm (mean length)"],
                         [[k, "—" if r["change"] is None else fmt(r["change"], 3), fmt(r["alike"], 3),
                           fmt(r["norm"], 2)] for k, r in enumerate(layers)], numeric=(1, 2, 3))
        alt = ("Line chart by layer, 0 (the embedding layer) to 6: the cosine between a token's vector after each "
               "layer and before it, " + ", ".join(f"layer {k} {r['change']:.2f}" for k, r in enumerate(layers) if k)
               + "; the mean cosine between different tokens, " + ", ".join(f"layer {k} {r['alike']:.2f}"
                                                                              for k, r in enumerate(layers)) + ".")
        return [
            Html(f"<p>all-MiniLM-L6-v2 has <strong>{total:,}</strong> parameters, counted from its weights file.</p>"),
            params,
            Html('<p class="ll-query">' + " · ".join(esc(t) for t in result["tokens"]) + "</p>"),
            Figure(lambda: layers_figure(layers), alt=alt, caption=spec.caption, table=measures, height=340,
                   default_caption=("What each layer does to the sentence's token vectors: how far it turns each "
                                    "vector (1 = not at all) and how alike different tokens' vectors are.")),
            *([Code(CODE.format(sentence=spec.sentence), "The numpy code behind these numbers")] if spec.code else []),
        ]


def layers_figure(layers) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=list(range(1, len(layers))), y=[r["change"] for r in layers[1:]],
                             name="change: cosine with the layer before", mode="lines+markers",
                             line=dict(color=figures.PALETTE[0]), marker=dict(symbol="circle", size=9),
                             hovertemplate="layer %{x}: %{y:.3f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=list(range(len(layers))), y=[r["alike"] for r in layers],
                             name="alike: cosine between tokens", mode="lines+markers",
                             line=dict(color=figures.PALETTE[1]), marker=dict(symbol="square", size=9),
                             hovertemplate="layer %{x}: %{y:.3f}<extra></extra>"))
    fig.update_layout(**figures.LEGEND_ON_TOP,
                      xaxis=dict(title=dict(text="layer (0: embedding layer)"), dtick=1),
                      yaxis=dict(title=dict(text="mean cosine"), range=[0, 1.02], automargin=True))
    return fig


CODE = """\
import numpy as np
from lexicon import minilm      # this site's numpy forward pass of all-MiniLM-L6-v2

print(minilm.parameter_counts()["total"])
h = minilm.encode([{sentence!r}]).hidden_states[0]     # [7 layers, tokens, 384]
unit = h / np.linalg.norm(h, axis=2, keepdims=True)
for k in range(7):
    c = unit[k] @ unit[k].T
    alike = c[~np.eye(len(c), dtype=bool)].mean()
    change = (unit[k] * unit[k - 1]).sum(axis=1).mean() if k else None
    print(k, change, alike, np.linalg.norm(h[k], axis=1).mean())
"""
