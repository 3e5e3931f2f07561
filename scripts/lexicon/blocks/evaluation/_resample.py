"""Resampling a word-pair benchmark: Spearman's ρ of bootstrap resamples, vectorised.

A benchmark's correlation is measured on one fixed sample of word pairs; drawing the pairs again
with replacement (the bootstrap) shows how much the figure would move with another sample of the
same size. ``spearman_rows`` ranks each resample's values (average ranks for ties, as
``scipy.stats.spearmanr``) and correlates the ranks row by row; the tests compare it with scipy.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

LEVEL = 95   # the interval shown: the middle 95 % of the resampled values


def spearman_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman's ρ of each row of ``x`` with the same row of ``y`` (both shaped resamples × pairs)."""
    rx = rankdata(x, axis=1)
    ry = rankdata(y, axis=1)
    rx -= rx.mean(axis=1, keepdims=True)
    ry -= ry.mean(axis=1, keepdims=True)
    den = np.sqrt((rx * rx).sum(axis=1) * (ry * ry).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (rx * ry).sum(axis=1) / den


def resampled_rho(human: np.ndarray, model: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """ρ(human, model) on ``resamples`` bootstrap resamples of the pairs (drawn with replacement)."""
    idx = rng.integers(0, len(human), size=(resamples, len(human)))
    rho = spearman_rows(human[idx], model[idx])
    return rho[np.isfinite(rho)]


def interval(values: np.ndarray) -> list[float]:
    """The middle ``LEVEL`` % of the values: [low, high]."""
    tail = (100 - LEVEL) / 2
    low, high = np.percentile(values, [tail, 100 - tail])
    return [float(low), float(high)]
