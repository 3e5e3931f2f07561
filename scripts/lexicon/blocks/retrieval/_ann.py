"""Exact and approximate nearest-neighbour search over the model's most frequent words.

Shared by the ``ann`` and ``ann-exercise`` kinds, so both count recall the same way (and the
cache key of each follows this code). Determinism: NNDescent gets a fixed ``random_state`` and
``n_jobs=1``; exact ties are broken by frequency rank. Cold cost: numba compiles pynndescent's
graph builder on first use in a process (it is not cached on disk); the results are cached.
"""

from __future__ import annotations

import numpy as np

from ...errors import LexiconError

STARTUP = "numba compiling pynndescent"   # the kinds' shared start-up (Kind.startup)


def unit_rows(kv, top: int) -> np.ndarray:
    x = np.asarray(kv.vectors[:top], dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1, norms)


def check_in_index(kv, words: list[str], top: int) -> None:
    """Every word must be one of the ``top`` most frequent (the index holds no other)."""
    for w in words:
        if kv.key_to_index[w] >= top:
            raise LexiconError(f"'{w}' is word #{kv.key_to_index[w] + 1:,} by frequency, outside the index "
                               f"of the {top:,} most frequent words",
                               fix=f"raise 'top' above {kv.key_to_index[w] + 1} or choose a more frequent word")


def sample_rows(top: int, sample: int, seed: int) -> np.ndarray:
    """``sample`` distinct random row numbers below ``top``, sorted (the same for a given seed)."""
    return np.sort(np.random.default_rng(seed).choice(top, size=sample, replace=False))


def exact_neighbours(x: np.ndarray, queries: np.ndarray, k: int, chunk: int = 256):
    """Exact top-k by cosine (rows of ``x`` are unit length), leaving out the query itself.

    Returns the neighbours' row numbers and their scores; ties go to the more frequent word.
    """
    idx_out, score_out = [], []
    for start in range(0, len(queries), chunk):
        q = queries[start:start + chunk]
        s = x[q] @ x.T
        s[np.arange(len(q)), q] = -np.inf
        part = np.argpartition(-s, k, axis=1)[:, :k + 1]
        for row, cand in zip(s, part):
            order = sorted(cand.tolist(), key=lambda j: (-row[j], j))[:k]
            idx_out.append(order)
            score_out.append([float(row[j]) for j in order])
    return np.array(idx_out), score_out


def true_rank(x: np.ndarray, q: int, j: int) -> int:
    """Rank of word j among all indexed words by cosine to word q (1 = nearest; q itself left out)."""
    s = x @ x[q]
    s[q] = -np.inf
    return int((s > s[j]).sum() + np.sum((s == s[j]) & (np.arange(len(s)) < j)) + 1)


def approximate_neighbours(index, x: np.ndarray, queries: np.ndarray, k: int, epsilon: float) -> list[list[int]]:
    found, _ = index.query(x[queries], k=k + 1, epsilon=epsilon)
    return [[int(j) for j in row if j != q and j >= 0][:k] for row, q in zip(found, queries)]


def build_index(x: np.ndarray, n_neighbors: int, seed: int):
    import warnings

    import pynndescent

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pynndescent.NNDescent(x, metric="cosine", n_neighbors=n_neighbors, random_state=seed, n_jobs=1)


def hits(approx: list[list[int]], exact: np.ndarray) -> list[int]:
    """For each query, how many of its true neighbours the approximate search returned."""
    return [len(set(a) & set(e.tolist())) for a, e in zip(approx, exact)]


def one_or_list(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "array", "minItems": 1, "maxItems": 5, "uniqueItems": True, "items": schema}]}


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


N_NEIGHBORS = {"type": "integer", "minimum": 2, "maximum": 100}
EPSILON = {"type": "number", "minimum": 0, "maximum": 1}
TOP_DOC = "How many of the model's most frequent words the index holds."
SAMPLE_DOC = "How many random words of the index to query for the overall recall."
