"""How long word vectors are, by how frequent the word is: Spearman's correlation of vector length with frequency rank, and the mean length in bands of ranks.

GloVe's vocabulary is listed most frequent first, so a word's row number is its frequency rank.
Normalising (scaling every vector to length 1) throws this length away.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from scipy.stats import spearmanr

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Table
from ...errors import LexiconError
from ...render import fmt
from ._geo import top_matrix


def band_labels(edges: list[int]) -> list[str]:
    lows = [1] + [e + 1 for e in edges[:-1]]
    return [f"{lo:,}–{hi:,}" for lo, hi in zip(lows, edges)]


class NormFrequency(Kind):
    """How long word vectors are by frequency: Spearman's correlation of vector length with frequency rank, and the mean length in bands of ranks.

    The model's vocabulary is listed most frequent first, so a word's row number is its frequency
    rank. The block correlates the length (L2 norm) of each of the `top` most frequent words'
    vectors with its rank (`scipy.stats.spearmanr`; a negative correlation means frequent words
    have longer vectors) and shows the mean length in each band of ranks.
    """

    example = "top: 10000\nbands: [100, 1000, 10000]"
    options = opt.Options(
        Kind.options,
        top=opt.integer("How many of the most frequent words to correlate.", default=10000, min=1000, max=100000),
        bands=opt.raw("The last rank of each band, increasing; the last one equals `top`.",
                      {"type": "array", "items": {"type": "integer", "minimum": 10, "maximum": 100000},
                       "minItems": 2, "maxItems": 8}, "2–8 increasing ranks", default=[100, 1000, 10000],
                      convert=list),
        caption=opt.caption("“Mean vector length in each band of frequency ranks.”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        if any(b >= c for b, c in zip(spec.bands, spec.bands[1:])) or spec.bands[-1] != spec.top:
            raise LexiconError(f"'bands' {spec.bands} must increase and end at top ({spec.top})",
                               fix=f"write e.g. bands: [100, 1000, {spec.top}]")

    def compute(self, kv, spec):
        norms = np.linalg.norm(top_matrix(kv, spec.top), axis=1)
        rho = spearmanr(np.arange(1, spec.top + 1), norms).statistic
        lows = [0] + spec.bands[:-1]
        return {"rho": round(float(rho), 4),
                "means": [round(float(norms[lo:hi].mean()), 4) for lo, hi in zip(lows, spec.bands)],
                "longest": [kv.index_to_key[int(i)] for i in np.argsort(-norms, kind="stable")[:5]],
                "shortest": [kv.index_to_key[int(i)] for i in np.argsort(norms, kind="stable")[:5]]}

    @value("Spearman's correlation of vector length with frequency rank (negative: frequent words are longer).")
    def rho(self, spec, result):
        return Value(fmt(result["rho"], 2), result["rho"])

    @value("The mean vector length in a band (1 = the most frequent band): `mean(1)`.")
    def mean(self, spec, result, band="1"):
        m = result["means"][int(band) - 1]
        return Value(fmt(m, 2), m)

    @value("The band's ranks as the table shows them: `band(1)` is “1–100”.")
    def band(self, spec, result, band="1"):
        return Value(band_labels(spec.bands)[int(band) - 1])

    @value("The word with the longest vector among the top words.")
    def longest(self, spec, result):
        return Value(result["longest"][0])

    def render(self, spec, result, ctx):
        labels = band_labels(spec.bands)
        means = result["means"]
        tbl = Table(["Frequency ranks", "Mean vector length"], [[lab, fmt(m, 3)] for lab, m in zip(labels, means)],
                    numeric=(1,))
        return [
            Figure(lambda: bars(labels, means),
                   alt="Bar chart of mean vector length by frequency rank band: "
                       + ", ".join(f"{lab} {m:.2f}" for lab, m in zip(labels, means)) + ".",
                   caption=spec.caption,
                   default_caption=f"Mean vector length in each band of frequency ranks. Spearman's correlation of "
                                   f"length with rank over the top {spec.top:,} words: {fmt(result['rho'], 2)}.",
                   height=260, table=tbl),
            Code(f"import numpy as np\nfrom scipy.stats import spearmanr\n\n"
                 f"norms = np.linalg.norm(kv.vectors[:{spec.top}].astype(np.float64), axis=1)\n"
                 f"print(spearmanr(np.arange(1, {spec.top + 1}), norms).statistic)\n"
                 f"lows = [0] + {spec.bands[:-1]!r}\n"
                 f"print([norms[lo:hi].mean() for lo, hi in zip(lows, {spec.bands!r})])",
                 "The NumPy and SciPy calls behind these numbers"),
        ]


def bars(labels, means) -> go.Figure:
    fig = go.Figure(go.Bar(x=labels, y=means, marker_color=figures.PALETTE[0], text=[f"{m:.2f}" for m in means],
                           textposition="auto", hovertemplate="ranks %{x}: mean length %{y:.3f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT,
                      xaxis=dict(title=dict(text="frequency rank (1 = most frequent)", standoff=6), automargin=True),
                      yaxis=dict(title=dict(text="mean vector length", standoff=6), automargin=True,
                                 rangemode="tozero"))
    return fig
