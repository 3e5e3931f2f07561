"""The sinusoidal positional encoding of Vaswani et al. (2017), with numpy: no model involved.

PE(pos, 2i) = sin(pos / base^(2i/d)), PE(pos, 2i+1) = cos(pos / base^(2i/d)).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ... import figures


def sinusoidal(positions: int, dims: int, base: float = 10000.0) -> np.ndarray:
    """The ``positions`` × ``dims`` matrix: even columns sine, odd columns cosine, one frequency per pair."""
    pos = np.arange(positions, dtype=np.float64)[:, None]
    i = np.arange(dims // 2, dtype=np.float64)[None, :]
    angles = pos / base ** (2 * i / dims)
    pe = np.empty((positions, dims), dtype=np.float64)
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles)
    return pe


def cosine_matrix(pe: np.ndarray) -> np.ndarray:
    u = pe / np.linalg.norm(pe, axis=1, keepdims=True)
    return u @ u.T


def similarity_line(cos, ref) -> go.Figure:
    """The cosine of one position's encoding with every position's, as a line."""
    n = len(cos)
    fig = go.Figure(go.Scatter(
        x=list(range(n)), y=cos, mode="lines+markers", marker=dict(size=5, color=figures.PALETTE[0]),
        line=dict(color=figures.PALETTE[0]), hovertemplate="position %{x}: %{y:.4f}<extra></extra>"))
    fig.add_vline(x=ref, line=dict(color=figures.PALETTE[1], dash="dot"))
    fig.update_layout(**figures.BASE_LAYOUT,
                      xaxis=dict(title=dict(text="position", standoff=4), automargin=True),
                      yaxis=dict(title=dict(text=f"cosine with position {ref}", standoff=4), automargin=True))
    return fig


DIMS_SCHEMA = {"type": "integer", "minimum": 4, "maximum": 256, "multipleOf": 2}
DIMS_TYPE = "even whole number, 4–256"
