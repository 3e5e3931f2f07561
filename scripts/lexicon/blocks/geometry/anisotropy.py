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
from ...engine.pieces import Caption, Code, Figure, Table
from ...errors import LexiconError
from ...render import fmt, percent
from ._geo import all_but_the_top, kept_neighbours, pair_cosines, small, top_matrix, unit_rows, variance_shares


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

    A mean cosine near 0 does not mean the directions are even: a centred cloud stretched along one
    axis has it too. So a second table gives the share of the variance along each of the top
    `directions` principal directions, after subtracting the mean and after all-but-the-top (evenly
    spread directions would give 1 ÷ the number of dimensions each). And `kept` says how many of a
    word's `k` nearest words by cosine stay after subtracting the mean, over `queries` random words
    (seed 0).
    """

    example = "top: 5000\npairs: 2000\nseeds: 2\nremove: 2"
    options = opt.Options(
        Kind.options,
        top=opt.integer("How many of the most frequent words to draw from.", default=10000, min=100, max=100000),
        pairs=opt.integer("How many random pairs per seed.", default=10000, min=100, max=50000),
        seeds=opt.integer("How many seeds (0, 1, …) to draw pairs with.", default=5, min=1, max=10),
        remove=opt.integer("How many top principal directions to remove after the mean (0: none).", default=2,
                           min=0, max=20),
        directions=opt.integer("How many top principal directions' shares of the variance to list.", default=5,
                               min=1, max=10),
        queries=opt.integer("How many random words' neighbour lists to compare before and after centring.",
                            default=200, min=10, max=2000),
        k=opt.integer("How many nearest words each of those lists holds.", default=10, min=1, max=50),
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
        variance = {t: [round(x, 4) for x in variance_shares(all_but_the_top(m, d), spec.directions)]
                    for t, d in (("centred", 0), (f"top{spec.remove}", spec.remove)) if t == "centred" or spec.remove}
        return {"treatments": out, "to_mean": round(float(to_mean.mean()), 4),
                "positive": round(float((to_mean > 0).mean()), 4), "variance": variance,
                "kept": round(kept_neighbours(m, spec.queries, spec.k), 2), "dims": int(m.shape[1])}

    def _t(self, spec, result, t):
        if t not in result["treatments"]:
            raise LexiconError(f"'{t}' is not one of the block's treatments",
                               fix="name one of: " + ", ".join(result["treatments"]))
        return result["treatments"][t]

    @value("The mean cosine of random pairs under a treatment (`raw`, `centred` or `top2` for `remove: 2`): "
           "`mean(raw)`.")
    def mean(self, spec, result, t="raw"):
        x = self._t(spec, result, t)["mean"]
        return Value(small(x), x)

    @value("The smallest seed's mean under a treatment: `low(raw)`.")
    def low(self, spec, result, t="raw"):
        x = self._t(spec, result, t)["low"]
        return Value(small(x), x)

    @value("The largest seed's mean under a treatment: `high(raw)`.")
    def high(self, spec, result, t="raw"):
        x = self._t(spec, result, t)["high"]
        return Value(small(x), x)

    @value("The mean cosine of a word's (raw) vector with the mean vector.")
    def to_mean(self, spec, result):
        return Value(fmt(result["to_mean"], 2), result["to_mean"])

    @value("The share of words whose vector has a positive cosine with the mean vector.")
    def positive(self, spec, result):
        return Value(percent(result["positive"]), result["positive"])

    @value("The share of the variance along a principal direction (1 = the top one) after a treatment "
           "(`centred`, or `top2` for `remove: 2`): `variance(centred, 1)`.")
    def variance(self, spec, result, t="centred", direction="1"):
        if t not in result["variance"]:
            raise LexiconError(f"'{t}' has no variance shares", fix="name one of: " + ", ".join(result["variance"]))
        i = int(direction)
        if not 1 <= i <= spec.directions:
            raise LexiconError(f"there is no direction {direction} in the table",
                               fix=f"name a direction from 1 to {spec.directions}")
        x = result["variance"][t][i - 1]
        return Value(percent(x), x)

    @value("The share each principal direction would hold if the variance were spread evenly (1 ÷ dimensions).")
    def even(self, spec, result):
        x = 1 / result["dims"]
        return Value(percent(x), x)

    @value("How many of a word's `k` nearest words by cosine stay after subtracting the mean, on average.")
    def kept(self, spec, result):
        return Value(fmt(result["kept"], 1), result["kept"])

    def render(self, spec, result, ctx):
        ts = list(result["treatments"])
        res = result["treatments"]
        tbl = Table(["Vectors", "Mean cosine of random pairs", "Lowest seed", "Highest seed"],
                    [[treatment_name(t), small(res[t]["mean"]), small(res[t]["low"]), small(res[t]["high"])]
                     for t in ts], numeric=(1, 2, 3))
        var = result["variance"]
        spread = Table(["Vectors"] + [f"Direction {i + 1}" for i in range(spec.directions)],
                       [[treatment_name(t)] + [percent(x) for x in var[t]] for t in var],
                       numeric=tuple(range(1, spec.directions + 1)))
        return [
            Figure(lambda: bars([treatment_name(t) for t in ts], [res[t]["mean"] for t in ts]),
                   alt="Bar chart of the mean cosine of random word pairs: "
                       + ", ".join(f"{treatment_name(t)} {res[t]['mean']:.3f}" for t in ts) + ".",
                   caption=spec.caption,
                   default_caption=f"Mean cosine similarity of {spec.pairs:,} random pairs among the {spec.top:,} most "
                                   f"frequent words, averaged over {spec.seeds} seeds. Evenly spread directions "
                                   "would give about 0.", height=240, table=tbl),
            Caption(f"Share of the variance along each of the top {spec.directions} principal directions "
                    f"(scikit-learn's PCA). Spread evenly over {result['dims']} dimensions, each would hold "
                    f"{percent(1 / result['dims'])}."),
            spread,
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
