"""Sentence vectors as the mean of their tokens' word vectors, compared by cosine.

A sentence is split with gensim's ``simple_preprocess`` and its vector is the mean of the
model's vectors of its tokens (every token must be in the vocabulary, so a typo fails the
build). Averaging throws word order away.
"""

from __future__ import annotations

import math

import numpy as np

from ...errors import LexiconError
from ._tokens import tokens_of

METHOD_NOTE = ("Each sentence’s vector is the mean of the GloVe vectors of its tokens (gensim’s "
               "<code>simple_preprocess</code>: lower-cased; one-letter words, digits and punctuation dropped{}).")

DROP_STOPWORDS_DOC = "Remove gensim's stop words before averaging (the list includes *not*)."


def sentence_words(text: str, drop_stopwords: bool, what: str = "sentence") -> list[str]:
    """The tokens that are averaged, or an error if none are left."""
    from gensim.parsing.preprocessing import STOPWORDS

    toks = tokens_of(text)
    if drop_stopwords:
        toks = [t for t in toks if t not in STOPWORDS]
    if not toks:
        raise LexiconError(f"the {what} '{text}' has no tokens left to average",
                           fix="write words of 2 or more letters" + (" that are not stop words" if drop_stopwords
                                                                      else ""))
    return toks


def mean_vectors(kv, token_lists: list[list[str]]) -> np.ndarray:
    """One row per sentence: the mean of its tokens' vectors, in float64.

    Sums use ``math.fsum`` (exact, then rounded once), so the same tokens in any order give
    exactly the same vector, as the mathematics says, rather than nearly the same.
    """
    rows = []
    for toks in token_lists:
        x = np.stack([kv[t] for t in toks]).astype(np.float64)
        rows.append([math.fsum(col) / len(toks) for col in x.T])
    return np.array(rows, dtype=np.float64)


def cosines(m: np.ndarray, v: np.ndarray | None = None) -> np.ndarray:
    u = m / np.linalg.norm(m, axis=1, keepdims=True)
    return u @ u.T if v is None else u @ (v / np.linalg.norm(v))
