"""A bias direction found by PCA of definitional pairs (Bolukbasi et al. 2016), and neutralising.

Each pair (a, b) is centred on its own mean: the rows unit(a) − μ and unit(b) − μ, with
μ = (unit(a) + unit(b)) / 2, go into one matrix, and scikit-learn's PCA finds the axes of largest
variance. If the pairs share one direction, the first axis holds most of the variance. The first
axis is turned so that the first word of the pairs is on its positive side. The baseline is the
same computation on pairs of words drawn at random from the most frequent ones.
"""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA


def unit_rows(m) -> np.ndarray:
    m = np.asarray(m, dtype=np.float64)
    n = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.where(n == 0, 1, n)


def centred_pairs(vectors: list) -> np.ndarray:
    """The 2n rows unit(a) − μ, unit(b) − μ of n pairs of vectors [(a, b), …]."""
    rows = []
    for a, b in vectors:
        ua, ub = unit_rows(a), unit_rows(b)
        mu = (ua + ub) / 2
        rows += [ua - mu, ub - mu]
    return np.array(rows)


def pca_of_pairs(vectors: list) -> tuple[np.ndarray, np.ndarray]:
    """(first axis, oriented towards the pairs' first words; the share of variance of every axis)."""
    rows = centred_pairs(vectors)
    # A pair's two rows are opposite, so n pairs span at most n axes: the others hold nothing.
    pca = PCA(n_components=min(len(vectors), rows.shape[1]), svd_solver="full").fit(rows)
    g = pca.components_[0]
    if sum(unit_rows(a) @ g - unit_rows(b) @ g for a, b in vectors) < 0:
        g = -g
    return g, pca.explained_variance_ratio_


def pair_direction(kv, pairs: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    return pca_of_pairs([(kv[a], kv[b]) for a, b in pairs])


def random_pair_shares(kv, n_pairs: int, top: int, draws: int, seed: int) -> list[float]:
    """The first axis's share of variance for ``draws`` sets of ``n_pairs`` random pairs of the
    ``top`` most frequent words (``default_rng(seed)``)."""
    rng = np.random.default_rng(seed)
    vecs = kv.vectors[:top]
    shares = []
    for _ in range(draws):
        idx = rng.choice(top, size=2 * n_pairs, replace=False)
        shares.append(float(pca_of_pairs([(vecs[i], vecs[j]) for i, j in idx.reshape(-1, 2)])[1][0]))
    return shares


def neutralise(m, g: np.ndarray) -> np.ndarray:
    """Remove the component along the unit vector ``g`` from each row, then scale rows to length 1."""
    u = unit_rows(m)
    return unit_rows(u - np.outer(u @ g, g) if u.ndim == 2 else u - (u @ g) * g)


def equalise(a, b, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bolukbasi et al.'s equalise step: both words get the neutralised mean of the pair plus
    ± the same amount of ``g``, so they end up at length 1 and equally far from every neutral word."""
    ua, ub = unit_rows(a), unit_rows(b)
    mu = (ua + ub) / 2
    nu = mu - (mu @ g) * g
    scale = np.sqrt(max(0.0, 1 - float(nu @ nu)))
    sa = np.sign(float((ua - mu) @ g)) or 1.0
    return nu + sa * scale * g, nu - sa * scale * g
