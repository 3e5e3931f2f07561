"""The ``distance-compare`` kind: three measures of closeness side by side, and why they disagree."""

from __future__ import annotations

import re
from dataclasses import replace

import plotly.graph_objects as go

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Figure, Table, Text
from ...errors import LexiconError
from ...render import fmt
from ._measures import (METRICS, METRICS_DOC, TITLES, claim_values, claim_words, closeness_order, ends, find_pair,
                        measure, measures_table, metric_key, pair_label, parse_claim, ranks, word_length)

METRICS_SCHEMA = {"type": "array", "items": {"enum": list(METRICS)}, "minItems": 1, "uniqueItems": True}


class DistanceCompare(Kind):
    """Cosine similarity, dot product and Euclidean distance of word pairs side by side, with each vector's length, and each pair's rank under each measure.

    A chart shows each pair's rank under each measure (1 = closest), so lines that cross mark
    pairs the measures order differently: raw GloVe vectors differ in length, and the dot
    product and the distance depend on length while the cosine does not. A table gives every
    score with the length (norm) of both vectors; `norms: true` adds a bar chart of the
    lengths, and `unit: true` scales every vector to length 1 first, after which all three
    measures rank the pairs alike.
    """

    example = ("pairs:\n  - [cat, dog]\n  - [minister, ministry]\nmetrics: [cosine, dot]\nnorms: true\n"
               "expect:\n  - \"cosine: cat~dog > minister~ministry\"\n  - \"dot: cat~dog < minister~ministry\"")
    options = opt.Options(
        Kind.options,
        pairs=replace(opt.pairs("The pairs to measure, in the order they are listed.", max=8, required=True),
                      type_doc="1–8 pairs `[word, word]`"),
        # Every measure is computed; 'metrics' only chooses the columns and the chart's axes.
        metrics=opt.raw(f"The measures shown, in this order: {METRICS_DOC}.", METRICS_SCHEMA,
                        "list of `cosine`, `dot`, `euclidean`", default=list(METRICS), default_doc="all three",
                        display=True, convert=list),
        unit=opt.flag("Scale every vector to length 1 first; then all three measures rank alike.", default=False),
        norms=opt.flag("Add a bar chart of each word's vector length.", default=False, display=True),
        # Comparisons may name pairs and words that are not in the block: they are computed.
        expect=opt.raw("Claims, each in quotes (it holds `: `): `'cosine: ordered'` (the pairs as listed go "
                       "from closest to farthest), `'dot: cat~dog < minister~ministry'`, "
                       "`'euclidean: lastly~ironically < king~queen'`, `'norm: minister > cat'` (the vector "
                       "of *minister* is longer).", opt.word_list(), "list of [claims](#claims)",
                       default=[], convert=list),
        caption=opt.caption("“Each pair's rank under each measure (1 = closest). …”"),
        figure=opt.show_figure("Show the chart of ranks (and of lengths). With `false`, only the tables "
                               "are shown."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        for text in spec.expect:
            c = parse_claim(text)
            if c.get("ordered") and c["metric"] not in spec.metrics:
                raise LexiconError(f"the claim '{text}' is about {c['metric']}, which the block does not show",
                                   fix=f"add {c['metric']} to 'metrics', or drop the claim")

    def words(self, spec):
        return [w for p in spec.pairs for w in p] + [w for t in spec.expect for w in claim_words(t)]

    def anchor_hint(self, spec):
        return " ".join(w for p in spec.pairs[:2] for w in p)

    def compute(self, kv, spec):
        unit = spec.unit
        return {"measures": [measure(kv, a, b, unit) for a, b in spec.pairs],
                "compared": [claim_values(kv, t, unit) for t in spec.expect]}

    def claims(self, spec, result, check):
        for text, values in zip(spec.expect, result["compared"]):
            c = parse_claim(text)
            metric = c["metric"]
            if c.get("ordered"):
                labels = [pair_label(p) for p in spec.pairs]
                vals = [m[metric] for m in result["measures"]]
                order = closeness_order(labels, vals, metric)
                shown = ", ".join(f"{labels[i]} ({fmt(vals[i])})" for i in order)
                top, bottom = ends(metric)
                check(f"by {METRICS[metric][0]}, the pairs as listed go from {top} to {bottom}",
                      order == list(range(len(labels))), f"from {top} to {bottom}: {shown}")
                continue
            left, right = values
            ok = left > right if c["op"] == ">" else left < right
            if metric == "norm":
                check(f"the vector of '{c['left']}' is {'longer' if c['op'] == '>' else 'shorter'} "
                      f"than the vector of '{c['right']}'", ok,
                      f"length of '{c['left']}' = {left:.4f}, length of '{c['right']}' = {right:.4f}")
                continue
            name = METRICS[metric][0]
            (a, b), (x, y) = c["left"], c["right"]
            check(f"{name}({a}, {b}) {c['op']} {name}({x}, {y})", ok,
                  f"{name}({a}, {b}) = {left:.4f}, {name}({x}, {y}) = {right:.4f}")

    @value("A listed pair's score under a measure (`cosine`, `dot` or `euclidean`), as the table shows it: "
           "`score(dot, cat, dog)`.")
    def score(self, spec, result, metric, a, b):
        s = result["measures"][find_pair(spec.pairs, a, b)][metric_key(metric)]
        return Value(fmt(s), s)

    @value("A listed pair's rank under a measure (1 = closest), as the chart shows it: "
           "`rank(euclidean, lastly, ironically)`.")
    def rank(self, spec, result, metric, a, b):
        i = find_pair(spec.pairs, a, b)
        metric = metric_key(metric)
        r = ranks([pair_label(p) for p in spec.pairs], [ms[metric] for ms in result["measures"]], metric)[i]
        return Value(str(r), r)

    @value("The length (norm) of a word's vector, as the table shows it: `length(minister)`.")
    def length(self, spec, result, word):
        n = word_length(spec.pairs, result["measures"], word)
        return Value(fmt(n), n)

    def render(self, spec, result, ctx):
        pairs, measures, metrics = spec.pairs, result["measures"], spec.metrics
        labels = [pair_label(p) for p in pairs]
        tbl = measures_table(pairs, measures, metrics, lengths=not spec.unit)  # unit vectors: all 1
        parts = []
        if spec.unit:
            parts.append(Text("Every vector was first scaled to length 1 (normalised)."))
        if len(pairs) > 1 and len(metrics) > 1:
            alt_parts = []
            for m in metrics:
                order = closeness_order(labels, [ms[m] for ms in measures], m)
                alt_parts.append(f"by {METRICS[m][0]}: " + ", ".join(
                    f"{labels[i]} ({measures[i][m]:.2f})" for i in order))
            parts.append(Figure(lambda: rank_figure(labels, measures, metrics),
                                alt="Rank of each pair under each measure, closest (for the dot product, largest) first, " + "; ".join(alt_parts) + ".",
                                caption=spec.caption, height=max(240, 120 + 46 * len(pairs)),
                                default_caption="Each pair\u2019s rank under each measure (1 = the closest pair; for the dot "
                                                "product, the largest). "
                                                "Lines that cross mark pairs the measures put in a different order."))
        elif spec.caption:
            parts.append(Caption(spec.caption))
        parts.append(tbl)
        if spec.norms:
            words = list(dict.fromkeys(w for p in pairs for w in p))
            lengths = {w: ms["norms"][k] for p, ms in zip(pairs, measures) for k, w in enumerate(p)}
            parts.append(Figure(lambda: norms_figure(words, [lengths[w] for w in words]),
                                alt="Bar chart of vector lengths: " + ", ".join(f"{w} {lengths[w]:.2f}" for w in words) + ".",
                                default_caption="The length (norm) of each word\u2019s vector.",
                                height=80 + 30 * len(words), anchor="norms",
                                table=Table(["Word", "Length"], [[w, fmt(lengths[w])] for w in words], numeric=(1,))))
        parts.append(Code(code_for(pairs, metrics, spec.unit), "The gensim and NumPy calls behind these numbers"))
        return parts


def rank_figure(labels: list[str], measures: list[dict], metrics: list[str]) -> go.Figure:
    """Each pair's rank under each measure (1 = closest): crossing lines are disagreements."""
    n = len(labels)
    rank = {m: ranks(labels, [ms[m] for ms in measures], m) for m in metrics}
    x = [TITLES[m] for m in metrics]
    fig = go.Figure()
    for i, lab in enumerate(labels):
        fig.add_trace(go.Scatter(
            x=x, y=[rank[m][i] for m in metrics], mode="lines+markers+text", name=lab,
            # Each point is labelled with its score; the legend names the pairs.
            text=[f"{measures[i][m]:.3g}" for m in metrics], textposition="top center",
            customdata=[fmt(measures[i][m]) for m in metrics], cliponaxis=False,
            line=dict(width=3, color=figures.PALETTE[i % len(figures.PALETTE)]),
            marker=dict(size=11, symbol=figures.SYMBOLS[i % len(figures.SYMBOLS)],
                        color=figures.PALETTE[i % len(figures.PALETTE)]),
            hovertemplate=lab + "<br>%{x}: %{customdata} (rank %{y})<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, showlegend=True, legend=dict(orientation="h", y=-0.12),
                      yaxis=dict(autorange="reversed", tickvals=list(range(1, n + 1)), zeroline=False,
                                 title=dict(text="rank (1 = closest)", standoff=6), automargin=True,
                                 range=[n + 0.5, 0.5]),
                      xaxis=dict(automargin=True, range=[-0.35, len(metrics) - 0.65]))
    return fig


def norms_figure(words: list[str], lengths: list[float]) -> go.Figure:
    fig = go.Figure(go.Bar(
        x=lengths, y=words, orientation="h", marker_color=figures.PALETTE[2],
        text=[f"{v:.2f}" for v in lengths], textposition="auto",
        hovertemplate="%{y}: length %{x:.4f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, title=dict(text="Length (norm) of each vector", font=dict(size=14)),
                      yaxis=dict(autorange="reversed", automargin=True),
                      xaxis=dict(title=dict(text="length", standoff=6), automargin=True, rangemode="tozero"))
    return fig


def code_for(pairs, metrics, unit: bool = False) -> str:
    lines = ["import numpy as np", ""]
    for a, b in pairs:
        lines += [METRICS[m][2].format(a=a, b=b) for m in metrics]
    words = list(dict.fromkeys(w for p in pairs for w in p))
    lines.append("{w: float(np.linalg.norm(kv[w])) for w in " + repr(words) + "}")
    code = "\n".join(lines)
    if unit:
        # Unit vectors: gensim's get_vector(w, norm=True) instead of kv[w].
        code = re.sub(r"kv\[([^\]]+)\]", r"kv.get_vector(\1, norm=True)", code)
    return code
