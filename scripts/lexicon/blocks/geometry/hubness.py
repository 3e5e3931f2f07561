"""Hubness: how unevenly the nearest-neighbour relation is shared out. For each of the most frequent words, count how often it is among the k nearest words of the others (its k-occurrence); the skewness of those counts, the biggest hubs, and the words that are nobody's neighbour, under several ways of measuring.

Among the `top` most frequent words, each word's `k` nearest words are found by each method;
a word's k-occurrence N_k is the number of lists it appears in (the counts average exactly `k`).
A right-skewed distribution (skewness well above 0) means a few words, the hubs, appear in very
many lists while many appear in none.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Figure, Table
from ...errors import LexiconError
from ...render import fmt
from ._geo import HUB_METHODS, hub_stats, k_occurrence, top_matrix

METHODS_SCHEMA = {"type": "array", "items": {"enum": list(HUB_METHODS)}, "minItems": 1, "uniqueItems": True}


class Hubness(Kind):
    """Hubness among the most frequent words: the skewness of the k-occurrence counts, the biggest hubs and the words that are nobody's neighbour, under cosine, Euclidean distance, centred cosine or CSLS.

    Among the `top` most frequent words, each word's `k` nearest words are found by each method
    in `methods`; a word's k-occurrence N_k counts the lists it appears in (the counts average
    exactly `k`). `centred` subtracts the mean vector before the cosine; `csls` is cross-domain
    similarity local scaling used within one space, 2 cos(x, y) − r(x) − r(y), where r is a
    word's mean cosine to its `k` nearest words. A table gives the skewness (`scipy.stats.skew`),
    the largest count and the number of words with N_k = 0 per method, and a chart the
    distribution of the counts; a second table lists the top hubs of each method.
    """

    example = "top: 2000\nk: 10\nmethods: [cosine, csls]\nhubs: 5"
    options = opt.Options(
        Kind.options,
        top=opt.integer("How many of the most frequent words take part.", default=5000, min=500, max=10000),
        k=opt.integer("How many nearest words each word's list holds.", default=10, min=1, max=50),
        methods=opt.raw("The ways of measuring, in this order: " + ", ".join(f"`{m}`" for m in HUB_METHODS) + ".",
                        METHODS_SCHEMA, "list of " + ", ".join(f"`{m}`" for m in HUB_METHODS),
                        default=["cosine", "centred", "csls"], convert=list),
        hubs=opt.integer("How many top hubs to list per method.", default=8, min=1, max=20, display=True),
        caption=opt.caption("“How many words have each k-occurrence …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def anchor_hint(self, spec):
        return "hubness " + " ".join(spec.methods)

    def compute(self, kv, spec):
        m = top_matrix(kv, spec.top)
        out = {}
        for method in spec.methods:
            counts = k_occurrence(m, method, spec.k)
            order = np.argsort(-counts, kind="stable")[:20]
            out[method] = dict(hub_stats(counts), hubs=[[kv.index_to_key[int(i)], int(counts[i])] for i in order],
                               histogram=np.bincount(counts).tolist())
        return {"methods": out}

    def _method(self, spec, result, method):
        if method not in result["methods"]:
            raise LexiconError(f"'{method}' is not one of the block's methods", fix="name one of: " + ", ".join(spec.methods))
        return result["methods"][method]

    @value("The skewness of the k-occurrence counts under a method: `skew(cosine)`.")
    def skew(self, spec, result, method):
        s = self._method(spec, result, method)["skew"]
        return Value(fmt(s, 2), s)

    @value("The largest k-occurrence (the biggest hub's count) under a method: `max(cosine)`.")
    def max(self, spec, result, method):
        n = self._method(spec, result, method)["max"]
        return Value(str(n), n)

    @value("How many words are in no list (N_k = 0) under a method: `zero(cosine)`.")
    def zero(self, spec, result, method):
        n = self._method(spec, result, method)["zero"]
        return Value(f"{n:,}", n)

    @value("The hub at a rank under a method (1 = the biggest): `hub(cosine, 1)`.")
    def hub(self, spec, result, method, rank="1"):
        return Value(self._method(spec, result, method)["hubs"][int(rank) - 1][0])

    @value("A hub's k-occurrence under a method, by its rank: `count(cosine, 1)`.")
    def count(self, spec, result, method, rank="1"):
        n = self._method(spec, result, method)["hubs"][int(rank) - 1][1]
        return Value(str(n), n)

    def render(self, spec, result, ctx):
        res = result["methods"]
        stats = Table(["Method", "Skewness of N_k", "Largest N_k", "Words with N_k = 0"],
                      [[HUB_METHODS[m], fmt(res[m]["skew"], 2), res[m]["max"], f"{res[m]['zero']:,}"]
                       for m in spec.methods], numeric=(1, 2, 3))
        hubs = Table(["Rank"] + [HUB_METHODS[m] for m in spec.methods],
                     [[i + 1] + [f"{res[m]['hubs'][i][0]} ({res[m]['hubs'][i][1]})" for m in spec.methods]
                      for i in range(spec.hubs)], numeric=(0,))
        return [
            Figure(lambda: histogram(spec.methods, res),
                   alt="How many words have each k-occurrence, per method; skewness "
                       + ", ".join(f"{HUB_METHODS[m]} {res[m]['skew']:.2f}" for m in spec.methods) + ".",
                   caption=spec.caption,
                   default_caption=f"How many of the {spec.top:,} most frequent words appear in how many of the "
                                   f"others' lists of {spec.k} nearest words (k-occurrence Nₖ). A long right "
                                   "tail means hubs.", height=320, table=stats),
            Caption(f"The {spec.hubs} biggest hubs under each method, with their k-occurrence."),
            hubs,
            Code(code_for(spec), "The NumPy and SciPy calls behind the cosine numbers"),
        ]


def histogram(methods, res) -> go.Figure:
    fig = go.Figure()
    for i, m in enumerate(methods):
        h = res[m]["histogram"]
        fig.add_trace(go.Scatter(x=list(range(len(h))), y=h, mode="lines", name=HUB_METHODS[m],
                                 line=dict(width=2, color=figures.PALETTE[i % len(figures.PALETTE)]),
                                 hovertemplate=HUB_METHODS[m] + ": %{y} words with N_k = %{x}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, showlegend=True, legend=dict(orientation="h", y=-0.25),
                      xaxis=dict(title=dict(text="k-occurrence N_k", standoff=6), automargin=True),
                      yaxis=dict(title=dict(text="words", standoff=6), automargin=True, rangemode="tozero"))
    return fig


def code_for(spec) -> str:
    return ("import numpy as np\nfrom scipy.stats import skew\n\n"
            f"m = kv.vectors[:{spec.top}].astype(np.float64)\n"
            "u = m / np.linalg.norm(m, axis=1, keepdims=True)\n"
            "s = u @ u.T\n"
            "np.fill_diagonal(s, -2.0)  # below any cosine: a word is not its own neighbour\n"
            f"nearest = np.argpartition(-s, {spec.k}, axis=1)[:, :{spec.k}]\n"
            f"counts = np.bincount(nearest.ravel(), minlength={spec.top})\n"
            "print(skew(counts), counts.max(), (counts == 0).sum())\n"
            "print([(kv.index_to_key[i], counts[i]) for i in np.argsort(-counts, kind='stable')[:5]])")
