"""Latent semantic analysis of the Lee corpus: a truncated SVD of its TF-IDF matrix (scikit-learn).

Stop words (gensim's list) are removed and words found in a single story dropped (``min_df=2``) before
``TfidfVectorizer`` (its defaults otherwise); ``TruncatedSVD(n_components=k, algorithm="arpack", random_state=0)``
factorises the story × word matrix. ARPACK computes the exact leading singular vectors (the default randomized
solver with its 5 iterations moves the third decimal of the cosines and reorders small components' words). Words are compared by the cosine of their rows of ``components_.T · singular values``.
"""

from __future__ import annotations

import functools

import numpy as np

from ...errors import LexiconError
from ._lee import stopword_list, stories

SEED = 0


@functools.lru_cache(maxsize=4)
def fitted(components: int):
    """(words, TF-IDF matrix, the fitted TruncatedSVD) for ``components`` dimensions."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    stop = stopword_list()
    docs = [[w for w in s if w not in stop] for s in stories()]
    vectorizer = TfidfVectorizer(analyzer=list, min_df=2)
    matrix = vectorizer.fit_transform(docs)
    svd = TruncatedSVD(n_components=components, algorithm="arpack", random_state=SEED).fit(matrix)
    return [str(w) for w in vectorizer.get_feature_names_out()], matrix, svd


def word_vectors(components: int):
    """Each word's LSA vector (its column of the components, scaled by the singular values), unit length."""
    words, _, svd = fitted(components)
    vectors = svd.components_.T * svd.singular_values_
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return {w: i for i, w in enumerate(words)}, vectors / np.where(norms == 0, 1, norms)


def require_lsa_words(words, components: int) -> None:
    index, _ = word_vectors(components)
    stop = stopword_list()
    for w in words:
        if w not in index:
            why = "it is on gensim's stop word list" if w in stop else "it occurs in fewer than two stories (or none)"
            raise LexiconError(f"'{w}' has no LSA vector: {why}",
                               fix="choose a content word found in several stories, e.g. israeli, cricket, qantas")
