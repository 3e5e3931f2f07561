"""Okapi BM25 over a few stated documents (gensim's OkapiBM25Model), shared by ``rerank`` and ``fusion``."""

from __future__ import annotations


def bm25_scores(query: str, documents: list[str]) -> list[float]:
    """Okapi BM25 (gensim's OkapiBM25Model, its default k1 = 1.5, b = 0.75) of every document for the query:
    the sum, over the query's distinct words, of each word's BM25 weight in the document. Words are
    gensim's ``simple_preprocess`` tokens without its stop words."""
    from gensim.corpora import Dictionary
    from gensim.models import OkapiBM25Model

    docs = [tokens(d) for d in documents]
    dictionary = Dictionary(docs)
    model = OkapiBM25Model(dictionary=dictionary)
    query_ids = {dictionary.token2id[t] for t in tokens(query) if t in dictionary.token2id}
    scores = []
    for d in docs:
        weights = dict(model[dictionary.doc2bow(d)])
        scores.append(float(sum(weights.get(i, 0.0) for i in query_ids)))
    return scores


def tokens(text: str) -> list[str]:
    from gensim.parsing.preprocessing import STOPWORDS
    from gensim.utils import simple_preprocess

    return [t for t in simple_preprocess(text) if t not in STOPWORDS]
