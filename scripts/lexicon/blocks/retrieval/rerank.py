"""The rerank kind: a cheap first stage (BM25) picks candidates, a transformer re-ranks them."""

from __future__ import annotations

import numpy as np

from ... import minilm
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._bm25 import NOTE, bm25_scores, check_documents, check_query, document
from ._ranking import check_all, parse, precision_at_k, reciprocal_rank

NAMES = {"rr_before": "the reciprocal rank of the first stage", "rr_after": "the reciprocal rank after re-ranking",
         "precision_before": "the precision at k of the first stage",
         "precision_after": "the precision at k after re-ranking"}
EXAMPLE_CLAIM = "rr_after > rr_before"


def order(scores: list[float]) -> list[int]:
    """Document indexes best first; ties to the earlier document."""
    return sorted(range(len(scores)), key=lambda i: (-scores[i], i))


class Rerank(Kind):
    """Two-stage retrieval: BM25 (word matching, gensim's `OkapiBM25Model`) ranks the documents, its
    first `candidates` go to a re-ranker, the sentence embeddings of all-MiniLM-L6-v2 (cosine with
    the query), which re-orders them; the rest keep their BM25 order below.

    The table shows each document's BM25 score and rank, its cosine with the query (for the
    candidates only: the re-ranker never sees the others), its final rank, and whether the author
    marked it `relevant`. Below it, precision at `k` and the reciprocal rank of the first stage and
    of the re-ranked list. A relevant document outside the candidates cannot be rescued. Words for
    BM25 are gensim's `simple_preprocess` tokens without its stop words. Claims:
    `rr_after > rr_before`, `precision_after > precision_before`, `rr_before < 0.5`.
    """

    example = ("query: how do plants make food from light\n"
               "documents:\n  - Plants make food from light in their leaves.\n"
               "  - Photosynthesis turns sunlight, water and carbon dioxide into sugar.\n"
               "  - The light bulb was a famous invention.\n"
               "relevant: [1, 2]\ncandidates: 2\nk: 1")
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        query=opt.text("The query.", required=True),
        documents=opt.texts("The documents, numbered 1, 2, … in `relevant`.", min=3, max=12,
                            type_doc="list of 3–12 texts", required=True),
        relevant=opt.raw("The numbers of the documents a judge counts as relevant.",
                         {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 12},
                          "minItems": 1, "uniqueItems": True}, "list of document numbers", required=True,
                         convert=list),
        candidates=opt.integer("How many of BM25's first results the re-ranker re-orders.", default=3, min=2,
                               max=12),
        k=opt.integer("The k of precision at k.", default=3, min=1, max=12),
        expect=opt.claims("[Claims](#claims): `rr_after > rr_before`, `precision_after > precision_before`, "
                          "`rr_before < 0.5`."),
        caption=opt.caption("none"),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        n = check_documents(spec.documents)
        if max(spec.relevant) > n:
            raise LexiconError(f"'relevant' names document {max(spec.relevant)}, but there are {n}",
                               fix=f"number the documents from 1 to {n}")
        for name in ("candidates", "k"):
            if getattr(spec, name) > n:
                raise LexiconError(f"'{name}' ({getattr(spec, name)}) is more than the {n} documents",
                                   fix=f"use at most {n}")
        check_query(spec.query)
        spec.parsed = [parse(t, NAMES, set(), [], EXAMPLE_CLAIM) for t in spec.expect]

    def anchor_hint(self, spec):
        return "rerank " + spec.query[:30]

    def compute(self, kv, spec):
        bm25 = bm25_scores(spec.query, spec.documents)
        first = order(bm25)
        picked = first[:spec.candidates]
        e = minilm.encode([spec.query] + [spec.documents[i] for i in picked], details=False).embeddings
        e = e.astype(np.float64) / np.linalg.norm(e.astype(np.float64), axis=1, keepdims=True)
        cos = {i: float(e[0] @ e[j + 1]) for j, i in enumerate(picked)}
        after = sorted(picked, key=lambda i: (-cos[i], i)) + first[spec.candidates:]
        return {"bm25": bm25, "before": first, "after": after, "cosine": {str(i): c for i, c in cos.items()}}

    def _metric(self, spec, result, name):
        rel = {r - 1 for r in spec.relevant}
        ranking = result["before" if name.endswith("before") else "after"]
        return precision_at_k(ranking, rel, spec.k) if name.startswith("precision") else reciprocal_rank(ranking, rel)

    def claims(self, spec, result, check):
        check_all(spec.parsed, NAMES, lambda name, _: self._metric(spec, result, name), check, fmt)

    @value("A metric: `rr_before`, `rr_after`, `precision_before` or `precision_after` (at k).")
    def metric(self, spec, result, name):
        name = str(name).strip()
        if name not in NAMES:
            raise LexiconError(f"'{name}' is not a metric of the block", fix="name one of: " + ", ".join(NAMES))
        v = self._metric(spec, result, name)
        return Value(fmt(v), v)

    @value("A document's rank before re-ranking (BM25): `rank_before(3)`.")
    def rank_before(self, spec, result, doc):
        r = result["before"].index(document(spec, doc)) + 1
        return Value(f"#{r}", r)

    @value("A document's rank after re-ranking: `rank_after(3)`.")
    def rank_after(self, spec, result, doc):
        r = result["after"].index(document(spec, doc)) + 1
        return Value(f"#{r}", r)

    @value("A document's BM25 score: `bm25(5)`.")
    def bm25(self, spec, result, doc):
        v = result["bm25"][document(spec, doc)]
        return Value(fmt(v), v)

    @value("How many other documents have exactly the same BM25 score as a document: `ties(5)`. Their BM25 "
           "order is then only the tie-break by document number.")
    def ties(self, spec, result, doc):
        i = document(spec, doc)
        v = sum(1 for j, s in enumerate(result["bm25"]) if j != i and s == result["bm25"][i])
        return Value(f"{v:,}", v)

    @value("The first stage's recall among its candidates: the share of the relevant documents that reach the "
           "re-ranker. Precision at k after re-ranking can be no higher than (relevant candidates) / k.")
    def candidate_recall(self, spec, result):
        rel = {r - 1 for r in spec.relevant}
        v = len(rel & set(result["before"][:spec.candidates])) / len(rel)
        return Value(fmt(v), v)

    @value("The highest precision at k any re-ranking of the candidates could reach: min(relevant candidates, k) / k.")
    def precision_ceiling(self, spec, result):
        rel = {r - 1 for r in spec.relevant}
        v = min(len(rel & set(result["before"][:spec.candidates])), spec.k) / spec.k
        return Value(fmt(v), v)

    def render(self, spec, result, ctx):
        rel = {r - 1 for r in spec.relevant}
        rows = []
        for i in result["after"]:
            c = result["cosine"].get(str(i))
            rows.append([str(i + 1), spec.documents[i], fmt(result["bm25"][i]), f"#{result['before'].index(i) + 1}",
                         fmt(c) if c is not None else "not re-ranked", f"#{result['after'].index(i) + 1}",
                         "✓" if i in rel else ""])
        k = spec.k
        metrics = [["BM25 alone", fmt(self._metric(spec, result, "precision_before")),
                    fmt(self._metric(spec, result, "rr_before"))],
                   [f"BM25, then MiniLM re-ranks the first {spec.candidates}",
                    fmt(self._metric(spec, result, "precision_after")), fmt(self._metric(spec, result, "rr_after"))]]
        code = ("from gensim.corpora import Dictionary\nfrom gensim.models import OkapiBM25Model\n"
                "from gensim.parsing.preprocessing import STOPWORDS\nfrom gensim.utils import simple_preprocess\n"
                "from sentence_transformers import SentenceTransformer\n\n"
                "def tokens(t): return [w for w in simple_preprocess(t) if w not in STOPWORDS]\n"
                f"query, docs = {spec.query!r}, {spec.documents!r}\n"
                "d = Dictionary(map(tokens, docs)); bm25 = OkapiBM25Model(dictionary=d)\n"
                "q = {d.token2id[w] for w in tokens(query) if w in d.token2id}\n"
                "scores = [sum(v for i, v in bm25[d.doc2bow(tokens(x))] if i in q) for x in docs]\n"
                f"first = sorted(range(len(docs)), key=lambda i: -scores[i])[:{spec.candidates}]\n"
                "model = SentenceTransformer('sentence-transformers/all-MiniLM-L6-v2')\n"
                "e = model.encode([query] + [docs[i] for i in first], normalize_embeddings=True)\n"
                "reranked = [first[j] for j in sorted(range(len(first)), key=lambda j: -(e[0] @ e[j + 1]))]\n")
        caption = [Caption(spec.caption)] if spec.caption else []
        return caption + [
            Html(f"<p>Query: <strong>{esc(spec.query)}</strong>. BM25 ranks all {len(spec.documents)} documents; "
                 f"its first {spec.candidates} are re-ranked by their cosine with the query under "
                 f"{esc(minilm.MODEL_ID)}. Final order, relevant documents (stated) marked ✓:</p>"),
            Table(["Doc", "Text", "BM25", "BM25 rank", "MiniLM cosine", "Final rank", "Relevant"], rows,
                  numeric=(0, 2, 3, 4, 5)),
            Table(["Ranking", f"Precision@{k}", "Reciprocal rank"], metrics, numeric=(1, 2)),
            Code(code, "The same pipeline with gensim and sentence-transformers"),
        ]

