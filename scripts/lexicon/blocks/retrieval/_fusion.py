"""Fusing a lexical and a dense ranking: reciprocal rank fusion (Cormack et al. 2009) and a weighted sum of
min-max normalised scores. Shared by ``fusion`` and ``fusion-exercise``.

Documents are numbered from 0 here. BM25 (gensim's ``OkapiBM25Model``, as ``rerank`` computes it)
*retrieves* only the documents that share a word with the query (a score above 0); the dense side
(all-MiniLM-L6-v2's cosine with the query) ranks every document.
"""

from __future__ import annotations

import numpy as np

from ... import minilm
from ._bm25 import bm25_scores, tokens


def ranking(scores: list[float], retrieved_only: bool = False) -> list[int]:
    """Document indexes best first, ties to the earlier document; ``retrieved_only`` drops scores of 0 or less."""
    idx = [i for i in range(len(scores)) if not retrieved_only or scores[i] > 0]
    return sorted(idx, key=lambda i: (-scores[i], i))


def rrf(rankings: list[list[int]], k: int = 60) -> dict[int, float]:
    """Reciprocal rank fusion: each document's sum, over the rankings that hold it, of 1 / (k + its rank)."""
    fused: dict[int, float] = {}
    for r in rankings:
        for pos, doc in enumerate(r, start=1):
            fused[doc] = fused.get(doc, 0.0) + 1.0 / (k + pos)
    return fused


def minmax(scores: list[float]) -> list[float]:
    """Scores rescaled to 0..1 by (s − min) / (max − min); all 0 when every score is equal."""
    lo, hi = min(scores), max(scores)
    return [0.0 if hi == lo else (s - lo) / (hi - lo) for s in scores]


def weighted(lexical: list[float], dense: list[float], alpha: float) -> list[float]:
    """alpha · (min-max dense) + (1 − alpha) · (min-max lexical)."""
    return [alpha * d + (1 - alpha) * s for s, d in zip(minmax(lexical), minmax(dense))]


def cosines(queries: list[str], documents: list[str]) -> np.ndarray:
    """[queries, documents] cosines under all-MiniLM-L6-v2 (one pass over all texts)."""
    e = minilm.encode(list(queries) + list(documents), details=False).embeddings.astype(np.float64)
    e /= np.linalg.norm(e, axis=1, keepdims=True)
    return e[:len(queries)] @ e[len(queries):].T


def fuse_query(bm25: list[float], cos: list[float], rrf_k: int, alpha: float) -> dict:
    """The four rankings of one query, and the fused scores (JSON-ready: string keys)."""
    lex, den = ranking(bm25, retrieved_only=True), ranking(cos)
    r = rrf([lex, den], rrf_k)
    rrf_list = [r.get(i, 0.0) for i in range(len(bm25))]
    w = weighted(bm25, cos, alpha)
    return {"bm25": bm25, "cosine": cos, "rrf": rrf_list, "weighted": w,
            "rankings": {"bm25": lex, "dense": den, "rrf": ranking(rrf_list, retrieved_only=True),
                         "weighted": ranking(w)}}


def compute(queries: list[str], documents: list[str], rrf_k: int, alpha: float) -> list[dict]:
    cos = cosines(queries, documents)
    return [fuse_query(bm25_scores(q, documents), [float(x) for x in cos[j]], rrf_k, alpha)
            for j, q in enumerate(queries)]


def bm25_tokens(text: str) -> list[str]:
    """The words BM25 sees: gensim's ``simple_preprocess`` tokens without its stop words."""
    return tokens(text)
