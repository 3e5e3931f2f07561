"""The clustering family's figures: one line of a score against k (inertia's elbow, the silhouette)."""

from __future__ import annotations

import plotly.graph_objects as go

from ...figures import BASE_LAYOUT, PALETTE


def score_by_k(ks: list[int], scores: list[float], *, title: str, y_title: str, mark: int | None = None) -> go.Figure:
    """A score against the number of clusters, one marker per k; ``mark`` (a k) in the second colour."""
    colours = [PALETTE[1] if k == mark else PALETTE[0] for k in ks]
    sizes = [13 if k == mark else 9 for k in ks]
    fig = go.Figure(go.Scatter(x=ks, y=scores, mode="lines+markers", line=dict(color=PALETTE[0]),
                               marker=dict(color=colours, size=sizes),
                               hovertemplate="k = %{x}: %{y:.4f}<extra></extra>"))
    fig.update_layout(**BASE_LAYOUT, title=dict(text=title, font=dict(size=14)), showlegend=False,
                      xaxis=dict(title=dict(text="k (number of clusters)"), tickmode="array", tickvals=ks),
                      yaxis=dict(title=dict(text=y_title)))
    return fig


def dendrogram(icoord: list, dcoord: list, leaves: list[str], *, title: str) -> go.Figure:
    """SciPy's dendrogram coordinates drawn as one line trace: every merge is a ∏ shape; leaf i sits at x = 10 i + 5."""
    xs, ys = [], []
    for xc, yc in zip(icoord, dcoord):
        xs += list(xc) + [None]
        ys += list(yc) + [None]
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=PALETTE[0], width=1.5), hoverinfo="skip"))
    fig.update_layout(**BASE_LAYOUT, title=dict(text=title, font=dict(size=14)), showlegend=False,
                      xaxis=dict(tickmode="array", tickvals=[10 * i + 5 for i in range(len(leaves))], ticktext=leaves,
                                 tickangle=-60, showgrid=False, zeroline=False),
                      yaxis=dict(title=dict(text="merge height"), rangemode="tozero"))
    return fig
