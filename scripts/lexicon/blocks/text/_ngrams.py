"""Word n-grams counted with scikit-learn's CountVectorizer in gensim's Lee corpus.

A story is tokenised with gensim's ``simple_preprocess`` (lower case, letters only, 2–15 characters), as
every corpus kind does; an n-gram is n tokens in a row inside one story (never across two stories).
:func:`count_ngrams` counts them with ``CountVectorizer(ngram_range=(n, n))`` on the token lists, and
:func:`held_out_unseen` asks how many of the n-grams of the 50 held-out stories (``lee.cor``) the
background stories never contain. Used by the ngrams and ngram-exercise kinds.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from ._corpus import corpus_stories as stories
from ._corpus import held_out


def vectorizer(n: int):
    """CountVectorizer counting n-grams of already tokenised documents (token lists)."""
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(tokenizer=_same, preprocessor=_same, lowercase=False, token_pattern=None,
                           ngram_range=(n, n))


def _same(doc):
    return doc


def count_ngrams(docs, n: int) -> dict[str, int]:
    """Each n-gram (its tokens joined by one space) -> how often it occurs in ``docs`` (token lists)."""
    docs = [list(d) for d in docs]
    if not any(len(d) >= n for d in docs):
        return {}
    cv = vectorizer(n)
    counts = np.asarray(cv.fit_transform(docs).sum(axis=0)).ravel()
    return {g: int(c) for g, c in zip(cv.get_feature_names_out(), counts)}


def most_frequent(counts: dict[str, int], k: int) -> list[list]:
    """The k most frequent n-grams, ``[n-gram, count]``; equal counts in alphabetical order."""
    return [[g, c] for g, c in sorted(counts.items(), key=lambda t: (-t[1], t[0]))[:k]]


def held_out_unseen(seen: dict[str, int], n: int) -> list[int]:
    """``[held-out n-grams (running), of them never in the background stories]``."""
    running = Counter(" ".join(s[i:i + n]) for s in held_out() for i in range(len(s) - n + 1))
    return [sum(running.values()), sum(c for g, c in running.items() if g not in seen)]


def corpus_table(n_max: int, top: int) -> list[dict]:
    """For n = 1 … n_max: distinct and running n-grams, how many occur once, the most frequent, and the
    held-out stories' n-grams never seen."""
    rows = []
    for n in range(1, n_max + 1):
        counts = count_ngrams(stories(), n)
        held, unseen = held_out_unseen(counts, n)
        rows.append({"n": n, "distinct": len(counts), "running": sum(counts.values()),
                     "once": sum(1 for c in counts.values() if c == 1), "top": most_frequent(counts, top),
                     "held_out": held, "unseen": unseen})
    return rows
