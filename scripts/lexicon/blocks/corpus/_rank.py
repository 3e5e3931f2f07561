"""Ranking the 300 stories for a query: Okapi BM25 (gensim) and TF-IDF cosine (scikit-learn).

BM25 (gensim's ``OkapiBM25Model``) weighs each word t of a story d as

    idf(t) · tf(t, d) · (k1 + 1) / (tf(t, d) + k1 · (1 − b + b · |d| / avgdl)),
    idf(t) = ln((N − df(t) + 0.5) / (df(t) + 0.5))

(a negative idf, for a word in more than half the stories, is replaced by ε times the mean idf,
ε = 0.25), and a story's score for a query is the sum of the weights of the query's distinct words.
The TF-IDF ranking is the cosine of the query's and each story's ``TfidfVectorizer`` rows (the library's
defaults, as the ``text`` family's ``tfidf`` kind uses them).
"""

from __future__ import annotations

import functools

from ...errors import LexiconError
from ._lee import BACKGROUND, frequencies, stories, tokens


@functools.lru_cache(maxsize=1)
def dictionary_and_bows():
    from gensim.corpora import Dictionary

    docs = [list(s) for s in stories()]
    dictionary = Dictionary(docs)
    return dictionary, [dictionary.doc2bow(d) for d in docs]


@functools.lru_cache(maxsize=1)
def tfidf_matrix():
    """scikit-learn's TF-IDF rows of the 300 stories (defaults: smooth idf, l2 norm) and the fitted vectorizer."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=list)
    return vectorizer, vectorizer.fit_transform([list(s) for s in stories()]).tocsr()


def query_words(query: str) -> list[str]:
    """The query's distinct words that the corpus has, in query order; an error if none is left."""
    freq = frequencies()
    words = list(dict.fromkeys(tokens(query)))
    known = [w for w in words if w in freq]
    if not known:
        raise LexiconError(f"no word of the query '{query}' occurs in the corpus ({BACKGROUND})",
                           fix="use lower-case words this news corpus uses, e.g. qantas, fire, police, cricket")
    return known


def bm25_scores(words: list[str], k1: float, b: float) -> list[float]:
    """Each story's BM25 score for the query words (gensim's OkapiBM25Model weights, summed)."""
    from gensim.models import OkapiBM25Model

    dictionary, bows = dictionary_and_bows()
    model = OkapiBM25Model(dictionary=dictionary, k1=k1, b=b)
    ids = {dictionary.token2id[w] for w in words}
    return [float(sum(wt for i, wt in model[bow] if i in ids)) for bow in bows]


def idf_floor() -> dict:
    """gensim's idf floor: ε times the mean raw idf, given to every word whose raw idf is negative (a word in
    more than half the stories); how many words get it, and how many words found in fewer stories get less."""
    import math

    from gensim.models import OkapiBM25Model

    dictionary, _ = dictionary_and_bows()
    n = dictionary.num_docs
    raw = {i: math.log((n - df + 0.5) / (df + 0.5)) for i, df in dictionary.dfs.items()}
    model = OkapiBM25Model(dictionary=dictionary)
    floor = model.epsilon * sum(raw.values()) / len(raw)
    if any(abs(model.idfs[i] - (x if x >= 0 else floor)) > 1e-9 for i, x in raw.items()):
        raise LexiconError("gensim's BM25 idfs do not match ln((N − df + 0.5) / (df + 0.5)) floored at ε · mean",
                           fix="report this: the installed gensim computes its idf floor differently")
    return {"floor": floor, "epsilon": model.epsilon, "floored": sum(x < 0 for x in raw.values()),
            "below_floor": sum(0 <= x < floor for x in raw.values())}


def tfidf_scores(words: list[str]) -> list[float]:
    """Each story's cosine with the query's TF-IDF row (both rows have length 1)."""
    vectorizer, matrix = tfidf_matrix()
    q = vectorizer.transform([words])
    return [float(x) for x in (matrix @ q.T).toarray().ravel()]


def order(scores: list[float], digits: int = 4) -> list[int]:
    """Story indices, best first: by score as shown (rounded), ties by story number."""
    return sorted(range(len(scores)), key=lambda i: (-round(scores[i], digits), i))


def tied_ranks(scores: list[float], digits: int = 4) -> list[int]:
    """Each story's rank, 1 + the number of stories with a higher score as shown: equal scores share a rank."""
    shown = sorted((round(x, digits) for x in scores), reverse=True)
    first = {}
    for i, x in enumerate(shown):
        first.setdefault(x, i + 1)
    return [first[round(x, digits)] for x in scores]


def term_counts(index: int, words: list[str]) -> list[int]:
    s = stories()[index]
    return [s.count(w) for w in words]


def document_frequency(word: str) -> int:
    return sum(1 for s in stories() if word in s)
