"""The ranking-cutoffs kind: precision at k and recall at k of the same rankings, at several cut-offs k."""

from __future__ import annotations

import re

from ...claimterms import check_each, match_term, read
from ...code import loading_code
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table
from ...errors import LexiconError
from ...render import fmt
from ._ann import TOP_DOC, ranked_results
from ._ranking import QUERIES, QueryRanking, mean, precision_at_k, read_queries, recall_at_k

TERM = re.compile(r"^\s*(?:(precision|recall)\s*\(\s*([0-9]+)\s*(?:,\s*([a-z]+)\s*)?\)|(-?[0-9]*\.?[0-9]+))\s*$")
EXAMPLE_CLAIM = "recall(20) > recall(5)"


class RankingCutoffs(QueryRanking):
    """The same search as `ranking-metrics` (each query word's nearest words in the model, scored
    against stated relevant words), read at several cut-offs: for each k in `ks`, the mean over the
    queries of precision at k (the share of the first k results that are relevant) and of recall at k
    (the share of the relevant words found among them), and each query's recall at k.

    As k grows, recall at k can only rise and precision at k usually falls: the table shows the
    trade. Claims: `recall(20) > recall(5)`, `precision(1) > precision(20)` (means over the queries),
    `recall(10, car) = 0.6` (one query).
    """

    example = ("queries:\n  car: [cars, vehicle, automobile]\n  river: [rivers, stream, creek]\nks: [1, 5, 20]\n"
               "top: 10000\nexpect:\n  - recall(20) > recall(1)")
    options = opt.Options(
        Kind.options,
        queries=QUERIES,
        ks=opt.raw("The cut-offs k, increasing.", {"type": "array", "minItems": 2, "maxItems": 8,
                                                   "items": {"type": "integer", "minimum": 1, "maximum": 1000}},
                   "list of 2–8 whole numbers from 1 to 1,000", required=True, convert=list),
        top=opt.integer(TOP_DOC, default=50_000, min=1000, max=100_000),
        expect=opt.claims("[Claims](#claims): `recall(20) > recall(5)`, `precision(1) > precision(20)`, "
                          "`recall(10, car) = 0.6`."),
        caption=opt.caption("none"),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        read_queries(spec)
        if any(b <= a for a, b in zip(spec.ks, spec.ks[1:])):
            raise LexiconError(f"'ks' ({spec.ks}) must increase", fix="list each cut-off once, smallest first")
        spec.parsed = [self._parse(t, spec) for t in spec.expect]

    def _parse(self, text, spec):
        def term(part, claim):
            t = match_term(TERM, part, claim, f"write e.g. '{EXAMPLE_CLAIM}' or 'recall(10, car) = 0.6'")
            if t.group(4) is not None:
                return ("number", float(t.group(4)), t.group(4))
            k, q = int(t.group(2)), t.group(3)
            if k not in spec.ks:
                raise LexiconError(f"the claim '{claim}' reads k = {k}, which is not one of 'ks'",
                                   fix="use one of: " + ", ".join(map(str, spec.ks)))
            if q is not None and q not in spec.query_list:
                raise LexiconError(f"the claim '{claim}' names '{q}', which is not one of the queries",
                                   fix="name one of: " + ", ".join(spec.query_list))
            return ("quantity", t.group(1), k, q)
        return read(text, term, f"write e.g. '{EXAMPLE_CLAIM}'")

    def anchor_hint(self, spec):
        return "cutoffs " + " ".join(spec.query_list)

    def compute(self, kv, spec):
        # the ranking-metrics search, read to the largest cut-off
        return {"rows": ranked_results(kv, spec.queries, spec.top, max(spec.ks))}

    def _get(self, spec, result, metric, k, query=None) -> float:
        def one(row):
            rel = set(spec.queries[row["query"]])
            return (precision_at_k if metric == "precision" else recall_at_k)(row["results"], rel, k)
        rows = result["rows"]
        if query is not None:
            return one(rows[spec.query_list.index(query)])
        return mean([one(r) for r in rows])

    def claims(self, spec, result, check):
        check_each(spec.parsed, lambda t: self._get(spec, result, t[1], t[2], t[3]), _said, lambda t, v: fmt(v),
                   check)

    def _k(self, spec, k) -> int:
        try:
            k = int(str(k).strip())
        except ValueError:
            k = -1
        if k not in spec.ks:
            raise LexiconError(f"k = {k} is not one of 'ks'", fix="use one of: " + ", ".join(map(str, spec.ks)))
        return k

    @value("Precision at k: `precision(10)` (the mean over the queries) or `precision(10, car)`.")
    def precision(self, spec, result, k, query=None):
        v = self._get(spec, result, "precision", self._k(spec, k), self._q(spec, query))
        return Value(fmt(v), v)

    @value("Recall at k: `recall(10)` (the mean over the queries) or `recall(10, car)`.")
    def recall(self, spec, result, k, query=None):
        v = self._get(spec, result, "recall", self._k(spec, k), self._q(spec, query))
        return Value(fmt(v), v)

    @value("The highest recall at k any ranking could reach, the mean of min(1, k / relevant words): "
           "`best_recall(1)`.")
    def best_recall(self, spec, result, k):
        k = self._k(spec, k)
        v = mean([min(1.0, k / len(spec.queries[q])) for q in spec.query_list])
        return Value(fmt(v), v)

    @value("The position of a relevant word in a query's whole ranking (“#100”): `position(quickly, swiftly)`.")
    def position(self, spec, result, query, word):
        return self._position(spec, result, query, word, "relevant word")

    def render(self, spec, result, ctx):
        rows = [[f"{k:,}", fmt(self._get(spec, result, "precision", k)), fmt(self._get(spec, result, "recall", k))]
                + [fmt(self._get(spec, result, "recall", k, q)) for q in spec.query_list] for k in spec.ks]
        code = (loading_code(ctx.model_spec) + "import numpy as np\n\n"
                f"queries = {spec.queries!r}\n"
                f"x = kv.vectors[:{spec.top}] / np.linalg.norm(kv.vectors[:{spec.top}], axis=1, keepdims=True)\n"
                f"for k in {spec.ks!r}:\n"
                "    p, r = [], []\n"
                "    for q, relevant in queries.items():\n"
                "        i = kv.key_to_index[q]\n"
                "        s = x @ x[i]\n"
                "        ranking = [kv.index_to_key[j] for j in np.argsort(-s, kind=\"stable\") if j != i][:k]\n"
                "        hits = sum(w in relevant for w in ranking)\n"
                "        p.append(hits / k)\n"
                "        r.append(hits / len(relevant))\n"
                "    print(k, np.mean(p), np.mean(r))\n")
        caption = [Caption(spec.caption)] if spec.caption else []
        return caption + [
            Html(f"<p>Each query word is searched among the model's {spec.top:,} most frequent words by cosine "
                 "similarity (the query itself left out); its first k results are scored against the relevant words "
                 "the block states. Means over the queries, then each query's recall at k:</p>"),
            Table(["k", "Mean precision@k", "Mean recall@k"] + [f"Recall@k: {q}" for q in spec.query_list], rows,
                  numeric=tuple(range(0, 3 + len(spec.query_list)))),
            Code(code, "The search, read at each cut-off")]


def _said(t) -> str:
    if t[0] == "number":
        return t[2]
    who = "the mean" if t[3] is None else f"'{t[3]}'"
    return f"the {t[1]} at {t[2]} ({who})"
