"""Cosine similarities as gensim computes them, rounded as the pages show them."""

from __future__ import annotations

import numpy as np

from ...numeric import SCORE_DIGITS, rounded, unit


def similarities(kv, pairs: list[list[str]]) -> list[float]:
    """Cosine similarity of each pair, as gensim's ``similarity``."""
    return [round(float(kv.similarity(a, b)), SCORE_DIGITS) for a, b in pairs]


def cosine_matrix(kv, words: list[str]) -> list[list[float]]:
    u = unit(np.stack([kv[w] for w in words]))
    return rounded(u @ u.T)


def pair_label(pair) -> str:
    return f"{pair[0]} – {pair[1]}"


COMPARISONS_DOC = ("Comparisons such as `cat~dog > cat~car` (the similarity of *cat* and *dog* is greater "
                   "than that of *cat* and *car*); they may use words that are not in the block.")
