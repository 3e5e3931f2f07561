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
