"""Anisotropy layer by layer in a transformer: the mean cosine similarity between random pairs of token vectors at each layer of all-MiniLM-L6-v2, and of its sentence embeddings, on real sentences.

The sentences are the first sentence of each of the first `sentences` held-out stories of
gensim's Lee corpus (`lee.cor`). Every token but `[CLS]` and `[SEP]` is pooled across the
sentences; random pairs of distinct tokens are drawn per seed, as in the `anisotropy` block.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ... import figures, minilm
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Table
from ...errors import LexiconError
from ...render import fmt, percent
from ._geo import pair_cosine_parts, pair_cosines, small
from ._lee_sentences import first_sentences


class LayerAnisotropy(Kind):
    """Anisotropy layer by layer in a transformer: the mean cosine of random pairs of MiniLM token vectors at each layer, with and without the layer's mean vector, and of its sentence embeddings.

    The sentences are the first sentence of each of the first `sentences` held-out stories of
    gensim's Lee corpus (`lee.cor`). At each layer (0 = the embedding layer's output, 6 = the
    last) every token but `[CLS]` and `[SEP]` is pooled; `pairs` random pairs of distinct tokens
    are drawn for each seed 0 … `seeds` − 1. The last row gives the model's sentence
    embeddings (mean pooling, length 1), paired the same way. The last column names, per layer, the
    dimension that adds most to the exact mean cosine over all token pairs (each dimension's term of
    Σ_d ((Σ_i u_id)² − Σ_i u_id²) / (n(n − 1)) for the unit vectors u) and its share of that mean.
    """

    needs_model = False
    note = (f"Computed at build time by running the transformer {minilm.MODEL_ID} in numpy "
            f"(weights SHA-256 {minilm.SHA256[:8]}…, verified at load) on sentences of gensim's Lee corpus; "
            "no GloVe vectors.")
    example = "sentences: 10\npairs: 2000\nseeds: 2"
    options = opt.Options(
        Kind.options,
        sentences=opt.integer("How many Lee stories' first sentences to run.", default=50, min=5, max=50),
        pairs=opt.integer("How many random pairs per seed.", default=5000, min=100, max=20000),
        seeds=opt.integer("How many seeds (0, 1, …) to draw pairs with.", default=5, min=1, max=10),
        caption=opt.caption("“Mean cosine of random pairs of token vectors at each layer …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def anchor_hint(self, spec):
        return "layers"

    def compute(self, kv, spec):
        enc = minilm.encode(first_sentences(spec.sentences))
        layers = len(enc.hidden_states[0])
        rows = []
        for layer in range(layers):
            t = np.concatenate([h[layer][1:-1] for h in enc.hidden_states]).astype(np.float64)
            parts = pair_cosine_parts(t)
            top = int(np.argmax(parts))
            rows.append({"raw": pair_cosines(t, spec.pairs, spec.seeds),
                         "centred": pair_cosines(t - t.mean(axis=0), spec.pairs, spec.seeds),
                         "exact": round(float(parts.sum()), 4), "top_dim": top,
                         "top_part": round(float(parts[top]), 4)})
        tokens = sum(len(h[0]) - 2 for h in enc.hidden_states)
        sent = pair_cosines(enc.embeddings.astype(np.float64), spec.pairs, spec.seeds)
        return {"layers": rows, "sentence": sent, "tokens": int(tokens)}

    def _layer(self, result, layer):
        i = int(layer)
        if not 0 <= i < len(result["layers"]):
            raise LexiconError(f"there is no layer {layer}", fix=f"name a layer from 0 to {len(result['layers']) - 1}")
        return result["layers"][i]

    @value("The mean cosine of random token pairs at a layer (0 = embeddings): `mean(5)`.")
    def mean(self, spec, result, layer):
        x = self._layer(result, layer)["raw"]["mean"]
        return Value(fmt(x, 3), x)

    @value("The same after subtracting that layer's mean token vector: `centred(5)`.")
    def centred(self, spec, result, layer):
        x = self._layer(result, layer)["centred"]["mean"]
        return Value(fmt(x, 3), x)

    @value("The layer with the highest mean cosine of random token pairs.")
    def peak(self, spec, result):
        i = max(range(len(result["layers"])), key=lambda j: (result["layers"][j]["raw"]["mean"], -j))
        return Value(str(i), i)

    @value("The dimension that adds most to a layer's mean cosine over all token pairs: `rogue(5)`.")
    def rogue(self, spec, result, layer):
        i = self._layer(result, layer)["top_dim"]
        return Value(str(i), i)

    @value("That dimension's share of the layer's exact mean cosine over all token pairs: `rogue_share(5)`.")
    def rogue_share(self, spec, result, layer):
        r = self._layer(result, layer)
        if r["exact"] <= 0:
            raise LexiconError(f"layer {layer}'s mean cosine is not positive, so a share of it means nothing",
                               fix="quote `rogue_share` for a layer whose vectors lean one way")
        x = r["top_part"] / r["exact"]
        return Value(percent(x), x)

    @value("A layer's exact mean cosine over all pairs of its tokens (no sampling): `exact(5)`.")
    def exact(self, spec, result, layer):
        x = self._layer(result, layer)["exact"]
        return Value(fmt(x, 3), x)

    @value("The mean cosine of random pairs of sentence embeddings.")
    def sentence(self, spec, result):
        x = result["sentence"]["mean"]
        return Value(fmt(x, 3), x)

    @value("How many tokens are pooled at each layer.")
    def tokens(self, spec, result):
        return Value(f"{result['tokens']:,}", result["tokens"])

    def render(self, spec, result, ctx):
        layers = result["layers"]
        rows = [[f"layer {i}" + (" (embeddings)" if i == 0 else ""), fmt(r["raw"]["mean"], 3),
                 f"{fmt(r['raw']['low'], 3)} to {fmt(r['raw']['high'], 3)}", small(r["centred"]["mean"]),
                 f"{percent(r['top_part'] / r['exact'])} (dimension {r['top_dim']})" if r["exact"] > 0 else "–"]
                for i, r in enumerate(layers)]
        s = result["sentence"]
        rows.append(["sentence embeddings", fmt(s["mean"], 3), f"{fmt(s['low'], 3)} to {fmt(s['high'], 3)}", "–", "–"])
        tbl = Table(["Vectors", "Mean cosine of random pairs", "Range over seeds", "After subtracting the mean",
                     "Share of the mean cosine from one dimension"], rows, numeric=(1, 3))
        return [
            Figure(lambda: lines(layers),
                   alt="Line chart of the mean cosine of random token pairs by layer: "
                       + ", ".join(f"layer {i} {r['raw']['mean']:.3f}" for i, r in enumerate(layers)) + ".",
                   caption=spec.caption,
                   default_caption=f"Mean cosine of random pairs of token vectors at each layer of {minilm.MODEL_ID}, "
                                   f"over {result['tokens']:,} tokens of {spec.sentences} sentences, averaged over "
                                   f"{spec.seeds} seeds.", height=280, table=tbl),
            Code("import numpy as np\nfrom gensim.test.utils import datapath\n"
                 "from lexicon import minilm  # this site's numpy forward pass of all-MiniLM-L6-v2\n\n"
                 "stories = [s.strip() for s in open(datapath('lee.cor'), encoding='latin-1') if s.strip()]\n"
                 f"enc = minilm.encode([s.split('. ')[0].strip() for s in stories[:{spec.sentences}]])\n"
                 "for layer in range(len(enc.hidden_states[0])):\n"
                 "    rng = np.random.default_rng(0)\n"
                 "    t = np.concatenate([h[layer][1:-1] for h in enc.hidden_states]).astype(np.float64)\n"
                 "    u = t / np.linalg.norm(t, axis=1, keepdims=True)\n"
                 f"    i = rng.integers(0, len(u), {spec.pairs})\n"
                 f"    j = rng.integers(0, len(u) - 1, {spec.pairs})\n"
                 "    j = j + (j >= i)\n"
                 "    print(layer, (u[i] * u[j]).sum(axis=1).mean())",
                 "The calls behind these numbers (seed 0)"),
        ]


def lines(layers) -> go.Figure:
    x = list(range(len(layers)))
    fig = go.Figure()
    for i, (key, name) in enumerate([("raw", "raw"), ("centred", "mean subtracted")]):
        fig.add_trace(go.Scatter(x=x, y=[r[key]["mean"] for r in layers], mode="lines+markers", name=name,
                                 line=dict(width=2, color=figures.PALETTE[i]),
                                 hovertemplate=name + ", layer %{x}: %{y:.3f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, showlegend=True, legend=dict(orientation="h", y=-0.25),
                      xaxis=dict(title=dict(text="layer (0 = embeddings)", standoff=6), dtick=1, automargin=True),
                      yaxis=dict(title=dict(text="mean cosine of random pairs", standoff=6), automargin=True))
    return fig
