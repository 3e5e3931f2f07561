"""Discounted cumulative gain, written out as the textbook formula (the form scikit-learn's ``ndcg_score``
uses: linear gains, a log2(position + 1) discount). Shared by ``ndcg`` and ``ranking-exercise``.

``grades`` maps an item to its graded relevance (a number above 0); any other item has gain 0.
"""

from __future__ import annotations

import math


def dcg(ranking: list, grades: dict, k: int) -> float:
    """Σ over the first k positions i (1-based) of grade / log2(i + 1)."""
    return sum(grades.get(item, 0) / math.log2(i + 2) for i, item in enumerate(ranking[:k]))


def idcg(grades: dict, k: int) -> float:
    """The DCG of the ideal ranking: every graded item, highest grade first."""
    ideal = sorted(grades.values(), reverse=True)[:k]
    return sum(g / math.log2(i + 2) for i, g in enumerate(ideal))


def ndcg(ranking: list, grades: dict, k: int) -> float:
    """DCG / ideal DCG, from 0 to 1 (0 when nothing is graded)."""
    best = idcg(grades, k)
    return dcg(ranking, grades, k) / best if best > 0 else 0.0
