"""How well a map keeps what the full space says, in numbers a reader can compare across maps.

- **kept neighbours**: the share of each word's *k* nearest words in the full space (by cosine)
  that are also among its *k* nearest on the map;
- **group agreement**: the share of words whose nearest word on the map is in the same group.
"""

from __future__ import annotations

import numpy as np

SHARE_DIGITS = 3


def _nearest(points: np.ndarray, k: int, metric: str) -> np.ndarray:
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=k + 1, metric=metric, algorithm="brute").fit(points)
    idx = nn.kneighbors(points, return_distance=False)
    # Drop each point itself (it is its own nearest, unless an exact duplicate sorts first).
    return np.array([[j for j in row if j != i][:k] for i, row in enumerate(idx)])


def kept_neighbours(x: np.ndarray, coords: np.ndarray, k: int) -> float:
    """Share of each word's k nearest words (cosine, full space) also among its k nearest on the map."""
    full = _nearest(x, k, "cosine")
    flat = _nearest(coords, k, "euclidean")
    return round(float(np.mean([len(set(a) & set(b)) / k for a, b in zip(full, flat)])), SHARE_DIGITS)


def group_agreement(coords: np.ndarray, labels: list[str]) -> float:
    """Share of words whose nearest word on the map has the same group."""
    nearest = _nearest(coords, 1, "euclidean")[:, 0]
    return round(float(np.mean([labels[i] == labels[j] for i, j in enumerate(nearest)])), SHARE_DIGITS)


def agreement(scores: np.ndarray, labels: list[str], *, higher_is_closer: bool) -> float:
    """Share of words whose nearest word by ``scores`` (similarities or distances, every pair)
    has the same group: the embedding-map's measure, ties going to the first word."""
    s = np.array(scores, dtype=float)
    np.fill_diagonal(s, -np.inf if higher_is_closer else np.inf)
    nearest = s.argmax(axis=1) if higher_is_closer else s.argmin(axis=1)
    same = [labels[i] == labels[j] for i, j in enumerate(nearest)]
    return round(float(np.mean(same)), SHARE_DIGITS)


def pct(share: float) -> str:
    return f"{share * 100:.0f}%"
