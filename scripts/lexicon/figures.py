"""Plotly figures, built with plotly.py and shipped as compact JSON.

Only trace types in the site's plotly.js bundle may be used (a test checks
this against the bundle). Colours of text, grid and background are left to
the browser script, which follows the reader's light or dark palette.
"""

from __future__ import annotations

import json
import math
import re

import plotly.graph_objects as go
from plotly.subplots import make_subplots
from plotly.utils import PlotlyJSONEncoder

# Okabe–Ito: distinguishable with colour-vision deficiencies, readable on both palettes.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8F7F00", "#999999"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon"]
DIVERGING = "RdBu"
BASE_LAYOUT = dict(margin=dict(l=8, r=8, t=36, b=8, pad=2), hovermode="closest",
                   font=dict(size=13), dragmode=False)
# A chart of two to four series: their legend on one line above the plot, where it covers nothing.
LEGEND_ON_TOP = dict(BASE_LAYOUT, margin=dict(l=8, r=8, t=56, b=8, pad=2),
                     legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"))
# Trace types of the bundle drawn without x and y axes.
NO_AXES = {"pie", "scatterternary"}


def dumps_figure(fig: go.Figure) -> str:
    """Compact JSON of ``{data, layout}`` without plotly.py's 7 kB default template.

    Every axis gets ``automargin``: with BASE_LAYOUT's 8 px margins, an axis without it has its
    tick labels and title cut off at the edge of the figure; a log axis, :func:`log_ticks`."""
    d = fig.to_plotly_json()
    d["layout"].pop("template", None)
    for axis in axes(d):
        layout = d["layout"].setdefault(axis, {})
        layout.setdefault("automargin", True)
        if layout.get("type") == "log" and not {"tickvals", "dtick", "nticks"} & set(layout):
            layout.update(log_ticks(_decades(d, axis)))
    return json.dumps({"data": d["data"], "layout": d["layout"]}, cls=PlotlyJSONEncoder,
                      separators=(",", ":"), ensure_ascii=False)


def log_ticks(decades: float | None) -> dict:
    """Tick settings for a log axis spanning ``decades`` powers of ten.

    Over one to two and a half decades plotly.js marks every digit of each decade and labels it
    with the digit alone ("3 4 5 6 7 8 9 10k 2 3"); on a short axis, or a phone, those labels
    overlapped. There it is asked for fewer ticks, so it marks 1, 2 and 5 of each decade, written
    in full ("5000 10k 20k 50k"). A shorter axis gets plain linear ticks from plotly.js, a longer
    one whole decades: both are left as they are."""
    if decades is None or not 1.0 <= decades <= 2.5:
        return {}
    return {"nticks": max(3, round(decades / 0.4)), "minorloglabels": "complete"}


def _decades(d: dict, axis: str) -> float | None:
    """How many powers of ten the positive values drawn on ``axis`` span (its range, if set)."""
    rng = d["layout"].get(axis, {}).get("range")
    if isinstance(rng, (list, tuple)) and len(rng) == 2 and all(isinstance(v, (int, float)) for v in rng):
        return abs(rng[1] - rng[0])
    letter, ref = axis[0], axis[0] + axis[5:]
    values = [v for trace in d["data"] if trace.get(letter + "axis", letter) == ref
              for v in (trace.get(letter) or []) if isinstance(v, (int, float)) and v > 0]
    return math.log10(max(values) / min(values)) if values else None


def axes(d: dict) -> list[str]:
    """The layout keys of every cartesian axis a figure draws: those of its layout and the ones
    its traces refer to (``x2`` is ``xaxis2``); a figure without either draws xaxis and yaxis."""
    names = {k for k in d["layout"] if re.fullmatch(r"[xy]axis\d*", k)}
    for trace in d["data"]:
        if trace.get("type", "scatter") in NO_AXES:
            continue
        names.update(letter + "axis" + trace.get(letter + "axis", letter)[1:] for letter in "xy")
    return sorted(names)


def is_static(fig: go.Figure) -> bool:
    """A figure that cannot be dragged (BASE_LAYOUT's ``dragmode=False``): no zoom, so no mode bar."""
    return fig.layout.dragmode is False



def bar_scores(labels: list[str], scores: list[float], *, title: str, highlight=None) -> go.Figure:
    """Horizontal bars of cosine scores, best at the top."""
    colours = [PALETTE[1] if lab == highlight else PALETTE[0] for lab in labels]
    fig = go.Figure(go.Bar(
        x=scores, y=labels, orientation="h", marker_color=colours,
        text=[f"{s:.3f}" for s in scores], textposition="auto",
        hovertemplate="%{y}: %{x:.4f}<extra></extra>"))
    fig.update_layout(**BASE_LAYOUT, title=dict(text=title, font=dict(size=14)),
                      yaxis=dict(autorange="reversed", automargin=True),
                      xaxis=dict(title=dict(text="cosine similarity", standoff=6), automargin=True,
                                 range=[min(0, min(scores)), 1]))
    return fig


def analogy(points: dict, target: list[float], positive: list[str], negative: list[str],
            answer: str, query: str) -> go.Figure:
    """Words as labelled points, with the offsets the analogy relies on drawn as arrows."""
    fig = go.Figure()
    roles = {w: "query (+)" for w in positive}
    roles.update({w: "query (−)" for w in negative})
    roles[answer] = "answer"
    for i, role in enumerate(["query (+)", "query (−)", "answer"]):
        ws = [w for w in points if roles.get(w) == role]
        if ws:
            fig.add_trace(go.Scatter(
                x=[points[w][0] for w in ws], y=[points[w][1] for w in ws], mode="markers+text",
                name=role, text=ws, textposition="top center",
                marker=dict(size=12, color=PALETTE[[0, 5, 2][i]], symbol=SYMBOLS[i]),
                hovertemplate="%{text}<extra>" + role + "</extra>"))
    fig.add_trace(go.Scatter(
        x=[target[0]], y=[target[1]], mode="markers", name="target point",
        marker=dict(size=14, symbol="x-thin", line=dict(width=3, color=PALETTE[3])),
        hovertemplate=query + "<extra>target point</extra>"))
    # a - b + c ≈ d: draw b→a and c→d, the two offsets that should be parallel.
    if len(positive) == 2 and len(negative) == 1:
        a, c = positive
        b = negative[0]
        for start, end, colour in ((b, a, PALETTE[0]), (c, answer, PALETTE[2])):
            fig.add_annotation(x=points[end][0], y=points[end][1], ax=points[start][0],
                               ay=points[start][1], xref="x", yref="y", axref="x", ayref="y",
                               showarrow=True, arrowhead=3, arrowwidth=2, arrowcolor=colour,
                               standoff=10, startstandoff=10, text="")
    fig.update_layout(**BASE_LAYOUT, showlegend=True,
                      legend=dict(orientation="h", y=-0.08),
                      xaxis=dict(zeroline=False, showticklabels=False),
                      yaxis=dict(zeroline=False, showticklabels=False, scaleanchor="x", scaleratio=1))
    return fig


def vectors_heatmap(words: list[str], vectors: list[list[float]]) -> go.Figure:
    dims = list(range(1, len(vectors[0]) + 1))
    fig = go.Figure(go.Heatmap(
        z=vectors, x=dims, y=words, colorscale=DIVERGING, zmid=0, reversescale=True,
        colorbar=dict(title=dict(text="value"), thickness=12),
        hovertemplate="%{y}, dimension %{x}: %{z:.3f}<extra></extra>"))
    fig.update_layout(**BASE_LAYOUT, xaxis=dict(title=dict(text="dimension", standoff=4), automargin=True, dtick=5),
                      yaxis=dict(autorange="reversed", automargin=True))
    return fig


def cosine_pair(words: list[str], left: list[list[float]], right: list[list[float]],
                titles: tuple[str, str]) -> go.Figure:
    """Two cosine-similarity matrices side by side on one colour scale."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=titles, horizontal_spacing=0.12)
    for col, z in ((1, left), (2, right)):
        fig.add_trace(go.Heatmap(
            z=z, x=words, y=words, zmin=-1, zmax=1, colorscale=DIVERGING, reversescale=True,
            texttemplate="%{z:.2f}", showscale=col == 2,
            colorbar=dict(title=dict(text="cosine"), thickness=12),
            hovertemplate="%{y} · %{x}: %{z:.4f}<extra></extra>"), row=1, col=col)
        # The right matrix has the same rows: its labels would crowd the left one on a phone.
        fig.update_yaxes(autorange="reversed", automargin=True, showticklabels=col == 1, row=1, col=col)
        fig.update_xaxes(automargin=True, row=1, col=col)
    fig.update_layout(**BASE_LAYOUT)
    fig.update_layout(margin=dict(t=48))
    return fig


def embedding_map(words: list[str], labels: list[str], coords: list[list[float]],
                  written: dict[int, str] | None = None, half: float = 1.12) -> go.Figure:
    """Groups of words as coloured points; the words of ``written`` ({index: textposition}) are also
    written beside their points. Every point names its word on hover. The axes show at least
    [-half, half] on both sides (the coordinates lie within [-1, 1])."""
    written = written or {}
    fig = go.Figure()
    groups = list(dict.fromkeys(labels))
    for i, g in enumerate(groups):
        idx = [k for k, lab in enumerate(labels) if lab == g]
        # Where each label sits; one value for the whole trace when its labels agree (shorter JSON).
        sides = [written[k] for k in idx if k in written] or ["top center"]
        common = max(dict.fromkeys(sides), key=sides.count)
        side = common if set(sides) == {common} else [written.get(k, common) for k in idx]
        text = dict(mode="markers+text", text=[words[k] if k in written else "" for k in idx],
                    textposition=side, textfont=dict(size=11, shadow="auto")) if written else dict(mode="markers")
        fig.add_trace(go.Scatter(
            x=[coords[k][0] for k in idx], y=[coords[k][1] for k in idx],
            name=g, hovertext=[words[k] for k in idx], **text,
            marker=dict(size=9, color=PALETTE[i % len(PALETTE)], symbol=SYMBOLS[i % len(SYMBOLS)],
                        line=dict(width=0.5, color="#ffffff")),
            hovertemplate="%{hovertext}<extra>" + g + "</extra>"))
    fig.update_layout(**BASE_LAYOUT, legend=dict(orientation="h", y=-0.05),
                      xaxis=dict(showticklabels=False, zeroline=False, range=[-half, half]),
                      yaxis=dict(showticklabels=False, zeroline=False, range=[-half, half],
                                 scaleanchor="x", scaleratio=1))
    fig.update_layout(dragmode="pan")
    return fig
