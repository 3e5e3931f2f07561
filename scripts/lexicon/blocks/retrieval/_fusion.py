"""Fusing a lexical and a dense ranking: reciprocal rank fusion (Cormack et al. 2009) and a weighted sum of
min-max normalised scores. Shared by ``fusion`` and ``fusion-exercise``.

Documents are numbered from 0 here. BM25 (gensim's ``OkapiBM25Model``, as ``rerank`` computes it)
*retrieves* only the documents that share a word with the query (a score above 0); the dense side
(all-MiniLM-L6-v2's cosine with the query) ranks every document.
"""

from __future__ import annotations

import numpy as np

from ... import minilm
from ._bm25 import bm25_scores


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


# --- ties: the same score, so the order comes from the tie-break (the lower document number first) ------------
TIE = 1e-9          # relative: RRF sums such as 1/62 + 1/63 and 1/63 + 1/62 may differ in the last bit
MAX_ORDERINGS = 40_320


def same(a: float, b: float) -> bool:
    return abs(a - b) <= TIE * max(1.0, abs(a), abs(b))


def groups(scores: list[float], ranked: list[int]) -> list[list[int]]:
    """The ranking cut into runs of equal scores (a run of one is a document without a tie)."""
    out: list[list[int]] = []
    for i in ranked:
        if out and same(scores[out[-1][-1]], scores[i]):
            out[-1].append(i)
        else:
            out.append([i])
    return out


def tied_with(scores: list[float], ranked: list[int]) -> dict[int, list[int]]:
    """For each ranked document that shares its score with others, those others."""
    return {i: [j for j in g if j != i] for g in groups(scores, ranked) if len(g) > 1 for i in g}


def arranged(scores: list[float], ranked: list[int], relevant: set, favour: bool) -> list[int]:
    """The ranking with every tie broken for (``favour``) or against the relevant documents."""
    return [i for g in groups(scores, ranked) for i in sorted(g, key=lambda i: ((i in relevant) != favour, i))]


def orderings(scores: list[float], retrieved_only: bool = False):
    """Every ranking a tie-break could give (each run of equal scores in every order)."""
    from itertools import permutations, product
    from math import factorial, prod

    runs = groups(scores, ranking(scores, retrieved_only))
    n = prod(factorial(len(g)) for g in runs)
    if n > MAX_ORDERINGS:
        from ...errors import LexiconError
        raise LexiconError(f"{n:,} tie-breaks of equal scores to try (at most {MAX_ORDERINGS:,})",
                           fix="use documents whose scores differ (not many of the same length sharing one word)")
    for choice in product(*(permutations(g) for g in runs)):
        yield [i for g in choice for i in g]


def rrf_scores(lex: list[int], den: list[int], n: int, k: int) -> list[float]:
    r = rrf([lex, den], k)
    return [r.get(i, 0.0) for i in range(n)]


def tie_range(q: dict, method: str, relevant: set, metric, rrf_k: int) -> tuple[float, float]:
    """The lowest and highest value of ``metric(ranking, relevant)`` over every way of breaking ties: in the
    method's own scores and, for RRF, in the two rankings it fuses."""
    key = {"bm25": "bm25", "dense": "cosine", "weighted": "weighted"}.get(method)
    if key is not None:
        s, ranked = q[key], q["rankings"][method]
        return (metric(arranged(s, ranked, relevant, False), relevant),
                metric(arranged(s, ranked, relevant, True), relevant))
    n = len(q["bm25"])
    vals = []
    for lex in orderings(q["bm25"], True):
        for den in orderings(q["cosine"]):
            s = rrf_scores(lex, den, n, rrf_k)
            ranked = ranking(s, retrieved_only=True)
            vals += [metric(arranged(s, ranked, relevant, f), relevant) for f in (False, True)]
    return min(vals), max(vals)


def rrf_winners(q: dict, picked: list[int], rrf_k: int) -> set[int]:
    """The documents among ``picked`` that RRF could put first, over every tie-break of the two rankings it
    fuses (a tie in the fused score counts both)."""
    n, won = len(q["bm25"]), set()
    for lex in orderings(q["bm25"], True):
        for den in orderings(q["cosine"]):
            s = rrf_scores(lex, den, n, rrf_k)
            top = max(s[i] for i in picked)
            won |= {i for i in picked if same(s[i], top)}
    return won
