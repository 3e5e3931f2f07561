"""Okapi BM25 over a few stated documents (gensim's OkapiBM25Model), shared by ``rerank`` and ``fusion``.

The kinds that rank stated documents with BM25 and all-MiniLM-L6-v2 (``rerank``, ``fusion``,
``fusion-exercise``) also take their documents and query alike: the checks and the note they
share are here, so that they refuse the same input in the same words.
"""

from __future__ import annotations

from ... import minilm
from ...errors import LexiconError

NOTE = (f"Computed at build time: BM25 with gensim, and the transformer {minilm.MODEL_ID} run in numpy "
        f"(weights SHA-256 {minilm.SHA256[:8]}…, verified at load); no GloVe vectors.")


def check_documents(documents: list[str]) -> int:
    """The number of stated documents, refusing a document listed twice (the kinds number the documents
    and a judge names them by number)."""
    n = len(documents)
    if len(set(documents)) != n:
        raise LexiconError("a document is listed twice", fix="list each document once")
    return n


def check_query(query: str) -> None:
    """Refuse a query BM25 cannot score: one with no words left after its stop words."""
    if not any(tokens(query)):
        raise LexiconError(f"the query '{query}' has no words left for BM25 (only stop words)",
                           fix="write a query with content words")


def numbered(text, count: int, what: str) -> int:
    """The number (from 1) prose gives for one of ``count`` numbered things (``what``: a document, a query),
    refused in the same words whatever is numbered."""
    try:
        i = int(str(text).strip())
    except ValueError:
        i = 0
    if not 1 <= i <= count:
        raise LexiconError(f"there is no {what} '{text}'", fix=f"name a {what} from 1 to {count}")
    return i


def document(spec, doc) -> int:
    """The index (from 0) of one of ``spec.documents`` that prose names by its number (from 1)."""
    return numbered(doc, len(spec.documents), "document") - 1


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
