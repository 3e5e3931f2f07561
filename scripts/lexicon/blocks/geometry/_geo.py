"""What the geometry kinds share: a slice of the vocabulary as a matrix, distances under several
measures, neighbour lists and their overlap, mean cosine of random pairs, and k-occurrence counts.

The model's vocabulary is in frequency order (GloVe's file lists the most frequent words first),
so "the top N words" is the first N rows of ``kv.vectors``.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import skew
from sklearn.decomposition import PCA

from ...errors import LexiconError
from ...render import fmt

MEASURES = {
    # key: (name, higher means closer?)
    "cosine": ("cosine similarity", True),
    "euclidean": ("Euclidean distance", False),
    "manhattan": ("Manhattan distance", False),
    "dot": ("dot product", True),
}
TITLES = {"cosine": "Cosine", "euclidean": "Euclidean", "manhattan": "Manhattan", "dot": "Dot product"}
DIGITS = 4


def top_matrix(kv, top: int) -> np.ndarray:
    """The vectors of the ``top`` most frequent words, float64."""
    return np.asarray(kv.vectors[:top], dtype=np.float64)


def unit_rows(m: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.where(n == 0, 1.0, n)


def scores(m: np.ndarray, v: np.ndarray, measure: str) -> np.ndarray:
    """Each row of ``m`` against ``v`` under ``measure`` (a similarity or a distance)."""
    if measure == "cosine":
        return unit_rows(m) @ (v / np.linalg.norm(v))
    if measure == "dot":
        return m @ v
    if measure == "euclidean":
        return np.sqrt(np.square(m - v).sum(axis=1))
    if measure == "manhattan":
        return np.abs(m - v).sum(axis=1)
    raise LexiconError(f"'{measure}' is not a measure", fix="write " + ", ".join(MEASURES))


def neighbours(kv, word: str, measure: str, topn: int, top: int, unit: bool = False) -> list[list]:
    """The ``topn`` nearest words to ``word`` among the ``top`` most frequent words (the word itself
    left out), nearest first, with their scores; ties keep frequency order."""
    m = top_matrix(kv, top)
    v = np.asarray(kv[word], dtype=np.float64)
    if unit:
        m, v = unit_rows(m), v / np.linalg.norm(v)
    s = scores(m, v, measure)
    key = -s if MEASURES[measure][1] else s
    order = np.argsort(key, kind="stable")
    out = []
    for i in order:
        w = kv.index_to_key[int(i)]
        if w != word:
            out.append([w, round(float(s[i]), DIGITS)])
        if len(out) == topn:
            break
    return out


def neighbour_sets(kv, a: str, b: str, topn: int, top: int) -> tuple[list[str], list[str]]:
    """Each word's ``topn`` nearest words by cosine, leaving out the pair's own two words."""
    na = [w for w, _ in neighbours(kv, a, "cosine", topn + 1, top) if w != b][:topn]
    nb = [w for w, _ in neighbours(kv, b, "cosine", topn + 1, top) if w != a][:topn]
    return na, nb


def jaccard(a, b) -> float:
    """|A ∩ B| / |A ∪ B| of two collections read as sets (1 for two empty sets)."""
    a, b = set(a), set(b)
    return 1.0 if not a | b else len(a & b) / len(a | b)


def mean_pair_cosine(m: np.ndarray, pairs: int, seed: int) -> float:
    """The mean cosine similarity of ``pairs`` random pairs of distinct rows (numpy seed ``seed``)."""
    rng = np.random.default_rng(seed)
    i = rng.integers(0, len(m), pairs)
    j = rng.integers(0, len(m) - 1, pairs)
    j = j + (j >= i)   # a row is never paired with itself
    u = unit_rows(m)
    return float(np.einsum("ij,ij->i", u[i], u[j]).mean())


def centred(m: np.ndarray) -> np.ndarray:
    return m - m.mean(axis=0)


def all_but_the_top(m: np.ndarray, d: int) -> np.ndarray:
    """Mu and Viswanath's post-processing: subtract the mean, then the projections on the top ``d``
    principal directions (exact PCA)."""
    c = centred(m)
    if d == 0:
        return c
    pcs = PCA(n_components=d, svd_solver="full").fit(c).components_
    return c - (c @ pcs.T) @ pcs


HUB_METHODS = {
    # key: what the page calls it
    "cosine": "cosine similarity",
    "euclidean": "Euclidean distance",
    "centred": "cosine after subtracting the mean vector",
    "csls": "CSLS (cosine, locally scaled)",
}
CHUNK = 1000   # rows of the similarity matrix held at once


def _similarity_rows(m: np.ndarray, method: str, rows: slice) -> np.ndarray:
    """Rows of the square similarity matrix of ``m`` under ``method`` (higher = closer; for
    Euclidean distance, the negative squared distance, which ranks alike)."""
    if method == "euclidean":
        sq = np.square(m).sum(axis=1)
        return 2 * m[rows] @ m.T - sq[rows, None] - sq[None, :]
    u = unit_rows(centred(m) if method == "centred" else m)
    return u[rows] @ u.T


def _top_k(s: np.ndarray, start: int, k: int) -> np.ndarray:
    """The column indices of the ``k`` largest entries of each row, the row's own column left out."""
    s = s.copy()
    s[np.arange(len(s)), np.arange(start, start + len(s))] = -np.inf
    return np.argpartition(-s, k, axis=1)[:, :k]


def k_occurrence(m: np.ndarray, method: str, k: int) -> np.ndarray:
    """N_k of every row of ``m``: how often it is among the ``k`` nearest rows of the others, by
    ``method`` (Radovanović et al.'s k-occurrence). ``csls`` is Conneau et al.'s cross-domain
    similarity local scaling within one space: 2 cos(x, y) − r(x) − r(y), r = the mean cosine of a
    row to its ``k`` nearest rows."""
    n = len(m)
    counts = np.zeros(n, dtype=np.int64)
    r = None
    if method == "csls":
        r = np.empty(n)
        for a in range(0, n, CHUNK):
            s = _similarity_rows(m, "cosine", slice(a, a + CHUNK))
            s[np.arange(len(s)), np.arange(a, a + len(s))] = -np.inf
            r[a:a + len(s)] = np.sort(np.partition(s, -k, axis=1)[:, -k:], axis=1).mean(axis=1)
    for a in range(0, n, CHUNK):
        s = _similarity_rows(m, "cosine" if method == "csls" else method, slice(a, a + CHUNK))
        if r is not None:
            s = 2 * s - r[a:a + len(s), None] - r[None, :]
        counts += np.bincount(_top_k(s, a, k).ravel(), minlength=n)
    return counts


def hub_stats(counts: np.ndarray) -> dict:
    return {"skew": round(float(skew(counts)), DIGITS), "max": int(counts.max()),
            "zero": int((counts == 0).sum())}


def pair_cosines(m: np.ndarray, pairs: int, seeds: int) -> dict:
    """The mean cosine of ``pairs`` random pairs of rows, once per seed 0 … seeds − 1: the mean of
    those means and their smallest and largest."""
    means = [mean_pair_cosine(m, pairs, s) for s in range(seeds)]
    # + 0.0 writes a rounded −0.0 as 0.0
    return {"mean": round(float(np.mean(means)), DIGITS) + 0.0, "low": round(min(means), DIGITS) + 0.0,
            "high": round(max(means), DIGITS) + 0.0}


def small(x: float, digits: int = 3) -> str:
    """``fmt`` for a table of means near 0: a value that would print as ±0.000 is written in
    scientific notation (−3×10⁻⁴), and an exact 0 as 0."""
    if x == 0 or abs(x) >= 0.5 * 10 ** -digits:
        return fmt(x, digits)
    mant, exp = f"{x:.0e}".split("e")
    sup = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    return f"{mant.replace('-', '−')}×10{str(int(exp)).translate(sup)}"


def variance_shares(m: np.ndarray, n: int) -> list[float]:
    """The share of the total variance of ``m`` along each of its top ``n`` principal directions
    (scikit-learn's exact PCA, which centres the rows first)."""
    return [float(x) for x in PCA(n_components=n, svd_solver="full").fit(m).explained_variance_ratio_]


def pair_cosine_parts(m: np.ndarray) -> np.ndarray:
    """Each dimension's part of the exact mean cosine over all pairs of distinct rows: with unit rows
    u, the mean is Σ_d ((Σ_i u_id)² − Σ_i u_id²) / (n(n − 1)), one term per dimension."""
    u = unit_rows(m)
    n = len(u)
    return (np.square(u.sum(axis=0)) - np.square(u).sum(axis=0)) / (n * (n - 1))


def kept_neighbours(m: np.ndarray, queries: int, k: int, seed: int = 0) -> float:
    """The mean number of a query's ``k`` nearest rows by cosine that stay among its ``k`` nearest
    after the mean row is subtracted; ``queries`` rows drawn with NumPy ``seed`` (a row is not its own
    neighbour)."""
    picked = np.random.default_rng(seed).choice(len(m), size=min(queries, len(m)), replace=False)
    kept = []
    lists = []
    for x in (m, centred(m)):
        u = unit_rows(x)
        s = u[picked] @ u.T
        s[np.arange(len(picked)), picked] = -np.inf
        lists.append(np.argpartition(-s, k, axis=1)[:, :k])   # only the set of the k nearest counts
    for a, b in zip(*lists):
        kept.append(len(set(a.tolist()) & set(b.tolist())))
    return float(np.mean(kept))
