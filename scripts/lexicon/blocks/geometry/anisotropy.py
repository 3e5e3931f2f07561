"""Anisotropy: the mean cosine similarity between random pairs of words, which is 0 for directions spread evenly and grows when all vectors lean one way; and what subtracting the mean vector, and then the top principal directions, does to it.

Pairs of distinct words are drawn at random among the `top` most frequent words, `pairs` pairs
per seed for seeds 0 … `seeds` − 1; the table gives the mean over seeds and the smallest and
largest seed's mean.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Table
from ...errors import LexiconError
from ...render import fmt, percent
from ._geo import all_but_the_top, pair_cosines, top_matrix, unit_rows


def treatments(remove: int) -> list[str]:
    return ["raw", "centred"] + ([f"top{remove}"] if remove else [])


def treatment_name(t: str) -> str:
    return {"raw": "raw vectors", "centred": "mean vector subtracted"}.get(
        t, f"mean and top {t[3:]} principal directions removed")


class Anisotropy(Kind):
    """Anisotropy: the mean cosine similarity of random word pairs (0 if directions were spread evenly), before and after subtracting the mean vector and the top principal directions ("all-but-the-top").

    Pairs of distinct words are drawn at random among the `top` most frequent words, `pairs`
    per seed for seeds 0 … `seeds` − 1 (NumPy's `default_rng`); the table gives the mean over
    seeds and the smallest and largest seed's mean, for the raw vectors, the vectors with the
    mean vector subtracted, and (with `remove` above 0) with the top `remove` principal
    directions removed as well (exact PCA, scikit-learn). It also gives the cosine of the mean
    vector with each word's vector on average.
    """

    example = "top: 5000\npairs: 2000\nseeds: 2\nremove: 2"
    options = opt.Options(
        Kind.options,
        top=opt.integer("How many of the most frequent words to draw from.", default=10000, min=100, max=100000),
        pairs=opt.integer("How many random pairs per seed.", default=10000, min=100, max=50000),
        seeds=opt.integer("How many seeds (0, 1, …) to draw pairs with.", default=5, min=1, max=10),
        remove=opt.integer("How many top principal directions to remove after the mean (0: none).", default=2,
                           min=0, max=20),
        caption=opt.caption("“Mean cosine of random pairs of words …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def anchor_hint(self, spec):
        return "anisotropy"

    def compute(self, kv, spec):
        m = top_matrix(kv, spec.top)
        out = {"raw": pair_cosines(m, spec.pairs, spec.seeds),
               "centred": pair_cosines(m - m.mean(axis=0), spec.pairs, spec.seeds)}
        if spec.remove:
            out[f"top{spec.remove}"] = pair_cosines(all_but_the_top(m, spec.remove), spec.pairs, spec.seeds)
        mean = m.mean(axis=0)
        to_mean = unit_rows(m) @ (mean / np.linalg.norm(mean))
        return {"treatments": out, "to_mean": round(float(to_mean.mean()), 4),
                "positive": round(float((to_mean > 0).mean()), 4)}

    def _t(self, spec, result, t):
        if t not in result["treatments"]:
            raise LexiconError(f"'{t}' is not one of the block's treatments",
                               fix="name one of: " + ", ".join(result["treatments"]))
        return result["treatments"][t]

    @value("The mean cosine of random pairs under a treatment (`raw`, `centred` or `top2` for `remove: 2`): "
           "`mean(raw)`.")
    def mean(self, spec, result, t="raw"):
        x = self._t(spec, result, t)["mean"]
        return Value(fmt(x, 3), x)

    @value("The smallest seed's mean under a treatment: `low(raw)`.")
    def low(self, spec, result, t="raw"):
        x = self._t(spec, result, t)["low"]
        return Value(fmt(x, 3), x)

    @value("The largest seed's mean under a treatment: `high(raw)`.")
    def high(self, spec, result, t="raw"):
        x = self._t(spec, result, t)["high"]
        return Value(fmt(x, 3), x)

    @value("The mean cosine of a word's (raw) vector with the mean vector.")
    def to_mean(self, spec, result):
        return Value(fmt(result["to_mean"], 2), result["to_mean"])

    @value("The share of words whose vector has a positive cosine with the mean vector.")
    def positive(self, spec, result):
        return Value(percent(result["positive"]), result["positive"])

    def render(self, spec, result, ctx):
        ts = list(result["treatments"])
        res = result["treatments"]
        tbl = Table(["Vectors", "Mean cosine of random pairs", "Lowest seed", "Highest seed"],
                    [[treatment_name(t), fmt(res[t]["mean"], 3), fmt(res[t]["low"], 3), fmt(res[t]["high"], 3)]
                     for t in ts], numeric=(1, 2, 3))
        return [
            Figure(lambda: bars([treatment_name(t) for t in ts], [res[t]["mean"] for t in ts]),
                   alt="Bar chart of the mean cosine of random word pairs: "
                       + ", ".join(f"{treatment_name(t)} {res[t]['mean']:.3f}" for t in ts) + ".",
                   caption=spec.caption,
                   default_caption=f"Mean cosine similarity of {spec.pairs:,} random pairs among the {spec.top:,} most "
                                   f"frequent words, averaged over {spec.seeds} seeds. Evenly spread directions "
                                   "would give about 0.", height=240, table=tbl),
            Code(code_for(spec), "The NumPy and scikit-learn calls behind these numbers (one seed)"),
        ]


def bars(labels, means) -> go.Figure:
    fig = go.Figure(go.Bar(x=means, y=labels, orientation="h", marker_color=figures.PALETTE[0],
                           text=[f"{m:.3f}" for m in means], textposition="auto",
                           hovertemplate="%{y}: %{x:.4f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, yaxis=dict(autorange="reversed", automargin=True),
                      xaxis=dict(title=dict(text="mean cosine of random pairs", standoff=6), automargin=True))
    return fig


def code_for(spec) -> str:
    lines = ["import numpy as np", "from sklearn.decomposition import PCA", "",
             f"m = kv.vectors[:{spec.top}].astype(np.float64)", "",
             "def mean_cosine(x, seed=0):",
             "    rng = np.random.default_rng(seed)",
             f"    i = rng.integers(0, len(x), {spec.pairs})",
             f"    j = rng.integers(0, len(x) - 1, {spec.pairs})",
             "    j = j + (j >= i)  # never a word with itself",
             "    u = x / np.linalg.norm(x, axis=1, keepdims=True)",
             "    return (u[i] * u[j]).sum(axis=1).mean()", "",
             "c = m - m.mean(axis=0)",
             "print(mean_cosine(m), mean_cosine(c))"]
    if spec.remove:
        lines += [f"pcs = PCA(n_components={spec.remove}, svd_solver='full').fit(c).components_",
                  "print(mean_cosine(c - (c @ pcs.T) @ pcs))"]
    return "\n".join(lines)
