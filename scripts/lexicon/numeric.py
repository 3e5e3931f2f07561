"""Small numeric helpers every family uses: unit vectors, rounding for cached results."""

from __future__ import annotations

import numpy as np

SCORE_DIGITS = 4    # cosines, weights and scores in results and tables
COORD_DIGITS = 3    # 2-D coordinates of maps


def rounded(x, digits: int = SCORE_DIGITS):
    """Plain Python numbers (lists), rounded: what a cached result holds."""
    return np.round(np.asarray(x, dtype=float), digits).tolist()


def unit(m) -> np.ndarray:
    """Rows scaled to length 1 (float64); a zero row stays zero."""
    m = np.asarray(m, dtype=np.float64)
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.where(norms == 0, 1, norms)


def word_vectors(kv, words: list[str]) -> np.ndarray:
    """The words' unit vectors, one row each (float64): maps and cosines follow direction only."""
    return unit(np.stack([kv[w] for w in words]))


def pca2(m: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """The rows on their first two principal components (exact PCA), and each one's variance share."""
    from sklearn.decomposition import PCA

    pca = PCA(n_components=2, svd_solver="full")
    coords = pca.fit_transform(m)
    return coords, pca.explained_variance_ratio_.tolist()
