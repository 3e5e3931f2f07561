"""Distance concentration: as the number of dimensions grows, a point's farthest and nearest neighbours end up almost equally far. The median ratio of the largest to the smallest distance, for GloVe vectors cut down to a few of their dimensions and for random points as a baseline.

For each number of dimensions d, GloVe's `top` most frequent words are kept with d of the
model's dimensions chosen at random (per seed); the random baseline draws as many points from a
standard normal distribution in d dimensions. For `queries` points, the ratio of the largest to
the smallest Euclidean distance to the others is taken; the table gives the median over the
queries, averaged over the seeds.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Table
from ...errors import LexiconError
from ...render import fmt
from ._geo import top_matrix
from ._noise import distance_ratio


class Concentration(Kind):
    """Distance concentration: the median ratio of a point's largest to its smallest distance to the others, as the number of dimensions grows, for GloVe vectors cut to d random dimensions and for random normal points as a baseline.

    For each d in `dims`, the `top` most frequent words are kept with d of the model's dimensions
    chosen at random, and as many random points are drawn from a standard normal distribution in
    d dimensions (NumPy's `default_rng`, seeds 0 … `seeds` − 1). For `queries` points drawn with
    the same seed, the ratio of the largest to the smallest Euclidean distance to the other points
    is taken; the table gives the median over the queries, averaged over the seeds, and the
    seeds' range. A d above the model's dimensions has the random baseline only.
    """

    example = "top: 1000\ndims: [2, 10, 50]\nqueries: 50\nseeds: 2"
    options = opt.Options(
        Kind.options,
        top=opt.integer("How many of the most frequent words (and random points) to use.", default=5000,
                        min=200, max=20000),
        dims=opt.raw("The numbers of dimensions, increasing.", {"type": "array", "items": {"type": "integer",
                     "minimum": 2, "maximum": 1000}, "minItems": 2, "maxItems": 10, "uniqueItems": True},
                     "2–10 whole numbers from 2 to 1,000", default=[2, 5, 10, 20, 50], convert=list),
        queries=opt.integer("How many query points per seed.", default=100, min=10, max=500),
        seeds=opt.integer("How many seeds (0, 1, …).", default=3, min=1, max=10),
        caption=opt.caption("“The median ratio of the farthest to the nearest distance …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        if spec.queries > spec.top:
            raise LexiconError(f"'queries' ({spec.queries}) is more than 'top' ({spec.top})",
                               fix=f"write queries: {spec.top} or fewer")
        if spec.dims != sorted(spec.dims):
            raise LexiconError(f"'dims' {spec.dims} must increase", fix=f"write dims: {sorted(spec.dims)}")

    def anchor_hint(self, spec):
        return "concentration"

    def compute(self, kv, spec):
        m = top_matrix(kv, spec.top)
        rows = []
        for d in spec.dims:
            glove, rand = [], []
            for s in range(spec.seeds):
                rng = np.random.default_rng(s)
                if d <= m.shape[1]:
                    cols = np.sort(rng.choice(m.shape[1], size=d, replace=False))
                    glove.append(distance_ratio(m[:, cols], spec.queries, s))
                rand.append(distance_ratio(rng.standard_normal((spec.top, d)), spec.queries, s))
            rows.append({"dims": d, "glove": summary(glove) if glove else None, "random": summary(rand)})
        return {"rows": rows, "model_dims": int(m.shape[1])}

    def _row(self, spec, result, d, which):
        for r in result["rows"]:
            if r["dims"] == int(d):
                if r[which] is None:
                    raise LexiconError(f"no GloVe ratio at {d} dimensions (the model has {result['model_dims']})",
                                       fix="name a smaller number of dimensions")
                return r[which]
        raise LexiconError(f"{d} is not one of the block's dims", fix="name one of: " + ", ".join(map(str, spec.dims)))

    @value("The median max/min distance ratio of GloVe cut to d dimensions: `glove(2)`.")
    def glove(self, spec, result, d):
        x = self._row(spec, result, d, "glove")["mean"]
        return Value(fmt(x, 2), x)

    @value("The same for random normal points in d dimensions: `random(50)`.")
    def random(self, spec, result, d):
        x = self._row(spec, result, d, "random")["mean"]
        return Value(fmt(x, 2), x)

    def render(self, spec, result, ctx):
        rows = result["rows"]
        cell = lambda s: f"{fmt(s['mean'], 2)} ({fmt(s['low'], 2)} to {fmt(s['high'], 2)})" if s else "–"  # noqa: E731
        tbl = Table(["Dimensions", "GloVe words (seeds' range)", "Random normal points (seeds' range)"],
                    [[r["dims"], cell(r["glove"]), cell(r["random"])] for r in rows], numeric=(0,))
        return [
            Figure(lambda: lines(rows),
                   alt="Line chart of the median max/min distance ratio by dimensions: " + ", ".join(
                       f"{r['dims']} dims: random {r['random']['mean']:.2f}"
                       + (f", GloVe {r['glove']['mean']:.2f}" if r["glove"] else "") for r in rows) + ".",
                   caption=spec.caption,
                   default_caption=f"Median ratio of the farthest to the nearest Euclidean distance from a point "
                                   f"to {spec.top - 1:,} others ({spec.queries} query points, {spec.seeds} seeds). "
                                   "A ratio near 1 means every point is about equally far.",
                   height=300, table=tbl),
            Code("import numpy as np\n\n"
                 "def ratio(x, queries, seed):\n"
                 "    rng = np.random.default_rng(seed)\n"
                 "    out = []\n"
                 "    for i in rng.choice(len(x), size=queries, replace=False):\n"
                 "        d = np.linalg.norm(x - x[i], axis=1)\n"
                 "        d = d[d > 0]\n"
                 "        out.append(d.max() / d.min())\n"
                 "    return np.median(out)\n\n"
                 f"m = kv.vectors[:{spec.top}].astype(np.float64)\n"
                 f"d, seed = {spec.dims[0]}, 0\n"
                 "rng = np.random.default_rng(seed)\n"
                 "cols = np.sort(rng.choice(m.shape[1], size=d, replace=False))\n"
                 f"print(ratio(m[:, cols], {spec.queries}, seed))\n"
                 f"print(ratio(rng.standard_normal(({spec.top}, d)), {spec.queries}, seed))",
                 "The NumPy calls behind the first row (seed 0)"),
        ]


def summary(values: list[float]) -> dict:
    return {"mean": round(float(np.mean(values)), 4), "low": round(min(values), 4), "high": round(max(values), 4)}


def lines(rows) -> go.Figure:
    fig = go.Figure()
    g = [r for r in rows if r["glove"]]
    fig.add_trace(go.Scatter(x=[r["dims"] for r in g], y=[r["glove"]["mean"] for r in g], mode="lines+markers",
                             name="GloVe words", line=dict(width=2, color=figures.PALETTE[0]),
                             hovertemplate="GloVe, %{x} dims: %{y:.2f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[r["dims"] for r in rows], y=[r["random"]["mean"] for r in rows], mode="lines+markers",
                             name="random normal points", line=dict(width=2, dash="dash", color=figures.PALETTE[1]),
                             hovertemplate="random, %{x} dims: %{y:.2f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, showlegend=True, legend=dict(orientation="h", y=-0.25),
                      xaxis=dict(title=dict(text="dimensions", standoff=6), type="log", automargin=True),
                      yaxis=dict(title=dict(text="farthest ÷ nearest distance", standoff=6), type="log",
                                 automargin=True))
    return fig
