"""Exact and approximate nearest-neighbour search over the model's most frequent words.

Shared by the ``ann`` and ``ann-exercise`` kinds, so both count recall the same way (and the
cache key of each follows this code). The index is faiss's HNSW graph (``IndexHNSWFlat`` over unit
vectors, inner product = cosine). Determinism: faiss draws each vector's layer from its own fixed
seed, and the index is built in one thread, so the same vectors give the same graph in any process;
exact ties are broken by frequency rank. Building an index over 50,000 words takes a few seconds and
needs no compilation.
"""

from __future__ import annotations

import numpy as np

from ...errors import LexiconError


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


def approximate_neighbours(index, x: np.ndarray, queries: np.ndarray, k: int, ef: int) -> list[list[int]]:
    """The k nearest words HNSW finds for each query row, searching with breadth ``ef`` (the query itself
    left out: it asks for k + 1, since a word finds itself)."""
    import faiss

    _, found = index.search(x[queries], k + 1, params=faiss.SearchParametersHNSW(efSearch=ef))
    return [[int(j) for j in row if j != q and j >= 0][:k] for row, q in zip(found, queries)]


def build_index(x: np.ndarray, m: int):
    """An HNSW graph over the unit rows of ``x``: ``m`` links per vector on the upper layers and up to
    ``2 m`` on the bottom one (faiss's ``M``), built with faiss's default ``efConstruction`` (40)."""
    import faiss

    faiss.omp_set_num_threads(1)   # a parallel build inserts in a different order each run
    index = faiss.IndexHNSWFlat(x.shape[1], m, faiss.METRIC_INNER_PRODUCT)
    index.add(np.ascontiguousarray(x, dtype=np.float32))
    return index


def check_ef(values: list[int], k: int) -> None:
    """faiss searches at least k + 1 candidates whatever ``ef`` says, so a smaller ef would be shown wrongly."""
    low = [e for e in values if e < k + 1]
    if low:
        raise LexiconError(f"ef {low[0]} is below k + 1 ({k + 1}): the search keeps at least k + 1 candidates "
                           "(k neighbours and the query itself), so a smaller ef means the same search",
                           fix=f"use ef values of {k + 1} or more, or lower 'k'")


def hits(approx: list[list[int]], exact: np.ndarray) -> list[int]:
    """For each query, how many of its true neighbours the approximate search returned."""
    return [len(set(a) & set(e.tolist())) for a, e in zip(approx, exact)]


def one_or_list(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "array", "minItems": 1, "maxItems": 5, "uniqueItems": True, "items": schema}]}


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


M = {"type": "integer", "minimum": 2, "maximum": 64}
EF = {"type": "integer", "minimum": 2, "maximum": 1024}
TOP_DOC = "How many of the model's most frequent words the index holds."
SAMPLE_DOC = "How many random words of the index to query for the overall recall."
M_DOC = ("Links per vector in the HNSW graph (faiss's `M`: up to `m` on the upper layers, `2 m` on the bottom "
         "layer)")
EF_DOC = "Search breadth (faiss's `efSearch`: how many candidates a query keeps while it walks the graph)"


def ranked_results(kv, queries: dict, top: int, k: int) -> list[dict]:
    """Each query word's nearest words among the ``top`` most frequent by cosine (exact search, the query
    left out, ties to the more frequent word): its first ``k`` results with their cosines, and the position
    in the whole ranking of each word listed for it. Shared by ``ranking-metrics``, ``ranking-cutoffs`` and
    ``ndcg``, so that they rank alike."""
    words = list(dict.fromkeys(list(queries) + [w for listed in queries.values() for w in listed]))
    check_in_index(kv, words, top)
    x = unit_rows(kv, top)
    rows = []
    for q, listed in queries.items():
        i = kv.key_to_index[q]
        s = x @ x[i]
        s[i] = -np.inf
        order = np.lexsort((np.arange(len(s)), -s))[:-1]       # best first, ties to the more frequent word
        position = np.empty(len(s), dtype=int)
        position[order] = np.arange(1, len(order) + 1)
        rows.append({"query": q, "results": [kv.index_to_key[j] for j in order[:k]],
                     "scores": [float(s[j]) for j in order[:k]],
                     "ranks": {w: int(position[kv.key_to_index[w]]) for w in listed}})
    return rows
