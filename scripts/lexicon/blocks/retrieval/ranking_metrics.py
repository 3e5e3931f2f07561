"""The ranking-metrics kind: a word's nearest words scored against the words a judge marked relevant."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Raw, Table
from ...render import esc, fmt
from ._ann import TOP_DOC, ranked_results
from ._ranking import QUERIES, QueryRanking, check_all, mean, parse, precision_at_k, read_queries, recall_at_k

NAMES = {"precision": "the precision at k", "recall": "the recall at k", "rr": "the reciprocal rank",
         "mean_precision": "the mean precision at k", "mean_recall": "the mean recall at k",
         "mrr": "the mean reciprocal rank"}
PER_QUERY = {"precision", "recall", "rr"}
EXAMPLE_CLAIM = "mrr > 0.5"


class RankingMetrics(QueryRanking):
    """A word's nearest words in the model, scored as a search engine's results: precision at k, recall
    at k and the reciprocal rank for each query, and their means over the queries (MRR).

    Each query is a word, searched among the model's `top` most frequent words by cosine similarity
    (exact search, the query itself left out, ties to the more frequent word). `queries` states, for
    each query, the words a judge counts as relevant answers: the block scores the ranking against
    them. Precision@k is the share of the first `k` results that are relevant; recall@k the share of
    the relevant words found in them; the reciprocal rank is 1 / the position of the first relevant
    word in the whole ranking (every relevant word must be in the index, so there always is one).
    The table marks the relevant results. Claims: `mrr > 0.5`, `mean_precision > 0.3`,
    `precision(car) > precision(happy)`, `rr(big) = 1`, `recall(dog) < 0.5`.
    """

    example = ("queries:\n  car: [cars, vehicle, automobile]\n  river: [rivers, stream, creek]\nk: 5\n"
               "top: 10000\nexpect:\n  - mrr > 0.5")
    options = opt.Options(
        Kind.options,
        queries=QUERIES,
        k=opt.integer("How many results precision and recall look at (the k of precision@k).", default=10, min=1,
                      max=30),
        top=opt.integer(TOP_DOC, default=50_000, min=1000, max=100_000),
        expect=opt.claims("[Claims](#claims): `mrr > 0.5`, `mean_precision > 0.3`, `mean_recall < 0.5`, "
                          "`precision(car) > precision(happy)`, `rr(big) = 1`, `recall(dog) < 0.5`."),
        caption=opt.caption("none"),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        read_queries(spec)
        spec.parsed = [parse(t, NAMES, PER_QUERY, spec.query_list, EXAMPLE_CLAIM) for t in spec.expect]

    def anchor_hint(self, spec):
        return "ranking " + " ".join(spec.query_list)

    def compute(self, kv, spec):
        return {"rows": ranked_results(kv, spec.queries, spec.top, spec.k)}

    def _metrics(self, spec, row) -> dict:
        rel = set(spec.queries[row["query"]])
        first = min(row["ranks"].values())
        return {"precision": precision_at_k(row["results"], rel, spec.k),
                "recall": recall_at_k(row["results"], rel, spec.k), "rr": 1 / first, "first": first,
                "hits": sum(1 for w in row["results"] if w in rel)}

    def _lookup(self, spec, result, name, query=None):
        per = [self._metrics(spec, r) for r in result["rows"]]
        if query is not None:
            return per[spec.query_list.index(query)][name]
        return mean([m[{"mean_precision": "precision", "mean_recall": "recall", "mrr": "rr"}[name]] for m in per])

    def claims(self, spec, result, check):
        check_all(spec.parsed, NAMES, lambda name, q: self._lookup(spec, result, name, q), check, fmt)

    @value("A query's precision at k: `precision(car)`.")
    def precision(self, spec, result, query):
        v = self._lookup(spec, result, "precision", self._q(spec, query))
        return Value(fmt(v), v)

    @value("A query's recall at k: `recall(car)`.")
    def recall(self, spec, result, query):
        v = self._lookup(spec, result, "recall", self._q(spec, query))
        return Value(fmt(v), v)

    @value("A query's reciprocal rank: `rr(car)`.")
    def rr(self, spec, result, query):
        v = self._lookup(spec, result, "rr", self._q(spec, query))
        return Value(fmt(v), v)

    @value("The position of a query's first relevant result (“#3”): `first(car)`.")
    def first(self, spec, result, query):
        v = self._lookup(spec, result, "first", self._q(spec, query))
        return Value(f"#{v:,}", v)

    @value("How many of a query's first k results are relevant: `hits(car)`.")
    def hits(self, spec, result, query):
        v = self._lookup(spec, result, "hits", self._q(spec, query))
        return Value(f"{v:,}", v)

    @value("The mean precision at k over the queries.")
    def mean_precision(self, spec, result):
        v = self._lookup(spec, result, "mean_precision")
        return Value(fmt(v), v)

    @value("The mean recall at k over the queries.")
    def mean_recall(self, spec, result):
        v = self._lookup(spec, result, "mean_recall")
        return Value(fmt(v), v)

    @value("The mean reciprocal rank over the queries (MRR).")
    def mrr(self, spec, result):
        v = self._lookup(spec, result, "mrr")
        return Value(fmt(v), v)

    @value("The highest mean precision at k any ranking could reach: the mean over the queries of "
           "min(relevant words, k) / k. A query with fewer relevant words than k cannot reach precision 1.")
    def best_precision(self, spec, result):
        v = mean([min(len(spec.queries[q]), spec.k) / spec.k for q in spec.query_list])
        return Value(fmt(v), v)

    @value("The mean reciprocal rank cut at k (MRR@k): a query whose first relevant result lies below "
           "position k scores 0.")
    def mrr_at_k(self, spec, result):
        per = [self._metrics(spec, r) for r in result["rows"]]
        v = mean([m["rr"] if m["first"] <= spec.k else 0.0 for m in per])
        return Value(fmt(v), v)

    def render(self, spec, result, ctx):
        rows = []
        for r in result["rows"]:
            rel, m = set(spec.queries[r["query"]]), self._metrics(spec, r)
            shown = Raw(", ".join(f"<strong>{esc(w)} ✓</strong>" if w in rel else esc(w) for w in r["results"]))
            rows.append([r["query"], ", ".join(spec.queries[r["query"]]), shown, f"{m['hits']:,}",
                         fmt(m["precision"]), fmt(m["recall"]), f"#{m['first']:,}", fmt(m["rr"])])
        k = spec.k
        means = ["Mean", "", "", "", fmt(self._lookup(spec, result, "mean_precision")),
                 fmt(self._lookup(spec, result, "mean_recall")), "", fmt(self._lookup(spec, result, "mrr"))]
        head = Html(f"<p>Each query word is searched among the model's {spec.top:,} most frequent words by cosine "
                    f"similarity; its first {k} results are shown, the relevant ones marked ✓. The first relevant "
                    "result is found in the whole ranking.</p>")
        code = ("import numpy as np\n\n"
                f"queries = {spec.queries!r}\n"
                f"x = kv.vectors[:{spec.top}] / np.linalg.norm(kv.vectors[:{spec.top}], axis=1, keepdims=True)\n"
                "rr = []\n"
                "for q, relevant in queries.items():\n"
                "    i = kv.key_to_index[q]\n"
                "    s = x @ x[i]\n"
                "    # best first, ties to the more frequent word; the query itself left out\n"
                "    ranking = [kv.index_to_key[j] for j in np.argsort(-s, kind=\"stable\") if j != i]\n"
                f"    p_at_k = sum(w in relevant for w in ranking[:{k}]) / {k}\n"
                "    first = next(n + 1 for n, w in enumerate(ranking) if w in relevant)\n"
                "    rr.append(1 / first)\n"
                "mrr = np.mean(rr)\n")
        caption = [Caption(spec.caption)] if spec.caption else []
        return caption + [head, Table(["Query", "Relevant (stated)", f"First {k} results", "Relevant in them",
                                       f"Precision@{k}", f"Recall@{k}", "First relevant", "Reciprocal rank"],
                                      rows + [means], numeric=(3, 4, 5, 6, 7)),
                          Code(code, "The search and the metrics")]
