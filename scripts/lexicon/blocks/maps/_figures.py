"""The maps' figures: scatter maps (one, or one small panel per setting) and PCA's variance chart."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ...engine.pieces import Table
from ...figures import BASE_LAYOUT, PALETTE, SYMBOLS
from ...render import percent

FRAME = "rgba(128, 128, 128, 0.35)"


def small_multiples(words: list[str], labels: list[str], panels: list[list], titles: list[str],
                    cols: int = 2) -> go.Figure:
    """One scatter panel per setting, groups coloured alike in every panel, one shared legend."""
    n = len(panels)
    cols = min(cols, n)
    rows = -(-n // cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.04,
                        vertical_spacing=0.1 if rows > 1 else 0.0)
    groups = list(dict.fromkeys(labels))
    for p, coords in enumerate(panels):
        r, c = p // cols + 1, p % cols + 1
        for g_i, g in enumerate(groups):
            idx = [k for k, lab in enumerate(labels) if lab == g]
            fig.add_trace(go.Scatter(
                x=[coords[k][0] for k in idx], y=[coords[k][1] for k in idx], mode="markers",
                name=g, legendgroup=g, showlegend=p == 0 and len(groups) > 1,
                text=[words[k] for k in idx],
                marker=dict(size=7, color=PALETTE[g_i % len(PALETTE)], symbol=SYMBOLS[g_i % len(SYMBOLS)],
                            line=dict(width=0.5, color="#ffffff")),
                hovertemplate="%{text}<extra>" + g + "</extra>"), row=r, col=c)
    # A light frame around every panel (readable on both palettes; the page script themes only
    # the first two axes of a figure, so the colour is set here).
    frame = dict(showticklabels=False, showgrid=False, zeroline=False, range=[-1.12, 1.12],
                 showline=True, mirror=True, linecolor=FRAME, linewidth=1)
    fig.update_xaxes(**frame)
    fig.update_yaxes(**frame)
    fig.update_layout(**BASE_LAYOUT, legend=dict(orientation="h", y=-0.02, yanchor="top"))
    fig.update_layout(margin=dict(t=48))
    for a in fig.layout.annotations:
        a.font = dict(size=11)
    return fig


def labelled_map(words: list[str], labels: list[str], coords: list, show_text: bool) -> go.Figure:
    """One 2-D map; words written beside their points when ``show_text``."""
    fig = go.Figure()
    groups = list(dict.fromkeys(labels))
    for g_i, g in enumerate(groups):
        idx = [k for k, lab in enumerate(labels) if lab == g]
        fig.add_trace(go.Scatter(
            x=[coords[k][0] for k in idx], y=[coords[k][1] for k in idx],
            mode="markers+text" if show_text else "markers", textposition="top center",
            textfont=dict(size=11), name=g, showlegend=len(groups) > 1, text=[words[k] for k in idx],
            marker=dict(size=8, color=PALETTE[g_i % len(PALETTE)], symbol=SYMBOLS[g_i % len(SYMBOLS)],
                        line=dict(width=0.5, color="#ffffff")),
            hovertemplate="%{text}<extra>" + g + "</extra>"))
    fig.update_layout(**BASE_LAYOUT, legend=dict(orientation="h", y=-0.05),
                      xaxis=dict(showticklabels=False, zeroline=False, showgrid=False, showline=True,
                                 mirror=True, linecolor=FRAME),
                      yaxis=dict(showticklabels=False, zeroline=False, showgrid=False, showline=True,
                                 mirror=True, linecolor=FRAME, scaleanchor="x", scaleratio=1))
    return fig


def variance_figure(shares: list[float], show: int, highlight: int | None = None) -> go.Figure:
    """Bars: each component's share of the variance; line: the running total."""
    xs = list(range(1, show + 1))
    per = [s * 100 for s in shares[:show]]
    cum = np.cumsum(shares)[:show] * 100
    colours = [PALETTE[1] if highlight and i <= highlight else PALETTE[0] for i in xs]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=xs, y=per, name="this component", marker_color=colours,
                         hovertemplate="component %{x}: %{y:.1f}% of the variance<extra></extra>"))
    fig.add_trace(go.Scatter(x=xs, y=cum.tolist(), name="first components together", mode="lines+markers",
                             line=dict(color=PALETTE[5], width=2), marker=dict(size=6),
                             hovertemplate="components 1–%{x}: %{y:.1f}%<extra></extra>"))
    fig.update_layout(**BASE_LAYOUT, legend=dict(orientation="h", y=-0.18),
                      xaxis=dict(title=dict(text="principal component", standoff=4), dtick=1 if show <= 20 else 5,
                                 automargin=True),
                      yaxis=dict(title=dict(text="% of the variance", standoff=4), range=[0, 100],
                                 automargin=True, ticksuffix="%"))
    return fig


def variance_table(shares: list[float], show: int) -> Table:
    cum = np.cumsum(shares)
    rows = [[i + 1, percent(shares[i]), percent(cum[i])] for i in range(show)]
    return Table(["Component", "Share of the variance", "Components 1 to this one"], rows, numeric=(0, 1, 2))
