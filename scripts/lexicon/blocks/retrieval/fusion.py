"""The fusion kind: BM25 and a dense encoder rank the same documents; reciprocal rank fusion and a weighted sum
of normalised scores combine them; each ranking is scored against stated relevant documents."""

from __future__ import annotations

import re

from ...claimterms import match_term, read
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from . import _fusion
from ._bm25 import NOTE, check_documents, check_query, document, numbered
from ._ranking import mean, precision_at_k, reciprocal_rank



def short(v: float) -> str:
    """A metric as the tables write it: at most four decimals, without trailing zeros (0.5, 1, 0.6875)."""
    return fmt(v).rstrip("0").rstrip(".") if "." in fmt(v) else fmt(v)


def _scores(q: dict, method: str) -> list[float]:
    return q[{"bm25": "bm25", "dense": "cosine", "rrf": "rrf", "weighted": "weighted"}[method]]


def _ties(q: dict, method: str) -> dict[int, list[int]]:
    return _fusion.tied_with(_scores(q, method), q["rankings"][method])

METHODS = {"bm25": "BM25", "dense": "MiniLM", "rrf": "RRF", "weighted": "Weighted sum"}
METRICS = {"precision": "precision at k", "rr": "reciprocal rank"}
QUERIES = {"type": "object", "minProperties": 1, "maxProperties": 8,
           "additionalProperties": {"type": "array", "minItems": 1, "maxItems": 16, "uniqueItems": True,
                                    "items": {"type": "integer", "minimum": 1, "maximum": 16}}}
TERM = re.compile(r"^\s*(?:(precision|rr)\s*\(\s*(bm25|dense|rrf|weighted)\s*(?:,\s*([0-9]+)\s*)?\)"
                  r"|(-?[0-9]*\.?[0-9]+))\s*$")
EXAMPLE_CLAIM = "rr(rrf) > rr(bm25)"


class Fusion(Kind):
    """Hybrid retrieval on stated documents and queries: BM25 and the cosine of all-MiniLM-L6-v2 sentence
    embeddings rank the documents for each query, and two fusions combine the rankings: reciprocal rank
    fusion and a weighted sum of min-max normalised scores.

    BM25 is gensim's `OkapiBM25Model`, as in `rerank`. **Reciprocal rank fusion** gives each document the
    sum of 1 / (`rrf_k` + its rank) over the rankings that hold it (Cormack et al. 2009 use `rrf_k` = 60);
    the **weighted sum** is `alpha` × dense + (1 − `alpha`) × BM25, each min-max scaled to 0–1 per query.

    BM25 retrieves only the documents that share a word with the query (a score above 0); the dense
    side ranks every document. `queries` states, for each query, the numbers of the documents a judge
    counts as relevant. The block shows each ranking's first `k` documents per query, its precision at
    `k` and reciprocal rank, and their means over the queries; `detail` (a query's number) adds every
    document's scores and ranks for that query. Claims: `rr(rrf) > rr(bm25)` (means over the queries),
    `rr(rrf, 1) = 1` (query 1), `precision(weighted) > precision(dense)`.

    **Ties.** Two documents with the same score (RRF often gives one to mirror-image rank pairs, #2 and #3
    against #3 and #2) are ordered by the lower document number; the tables mark them, and a metric that
    another tie-break would change is starred. A claim must hold whatever the tie-break. `borderline`
    names documents a judge could count either way (counted not relevant; `lenient(...)` counts them).
    """

    example = ("documents:\n  - Paper jams happen most often with damp or curled paper.\n"
               "  - Store paper flat in a dry place so that it feeds cleanly.\n"
               "  - The white paper in the shop is recycled.\n  - Cats sleep for most of the day.\n"
               "queries:\n  paper will not feed: [1, 2]\nk: 2\nexpect:\n  - precision(rrf, 1) = 1")
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        documents=opt.texts("The documents, numbered 1, 2, … in `queries`.", min=3, max=16,
                            type_doc="list of 3–16 texts", required=True),
        queries=opt.raw("Each query with the numbers of the documents a judge counts as relevant, "
                        "`'my query': [2, 5]`.", QUERIES, "queries with lists of document numbers", required=True,
                        convert=lambda v: {str(q): list(r) for q, r in v.items()}),
        k=opt.integer("The k of precision at k, and how many documents the table shows per ranking.", default=3,
                      min=1, max=16),
        rrf_k=opt.integer("The constant of reciprocal rank fusion.", default=60, min=0, max=1000),
        alpha=opt.number("The weight of the dense score in the weighted sum (BM25 gets 1 − alpha).", default=0.5,
                         min=0, max=1),
        borderline=opt.raw("Documents a judge could count as relevant or not, per query (counted not relevant; "
                           "marked ?, and `lenient(...)` counts them).", QUERIES, "queries with lists of document "
                           "numbers", convert=lambda v: {str(q): list(r) for q, r in v.items()}),
        detail=opt.integer("A query's number: show every document's scores and ranks for it.", min=1, max=8),
        expect=opt.claims("[Claims](#claims): `rr(rrf) > rr(bm25)`, `rr(rrf, 1) = 1`, "
                          "`precision(weighted) > precision(dense)`."),
        caption=opt.caption("none"),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        n = check_documents(spec.documents)
        spec.query_list = list(spec.queries)
        for q, rel in spec.queries.items():
            if max(rel) > n:
                raise LexiconError(f"the query '{q}' names document {max(rel)}, but there are {n}",
                                   fix=f"number the documents from 1 to {n}")
            check_query(q)
        if spec.k > n:
            raise LexiconError(f"'k' ({spec.k}) is more than the {n} documents", fix=f"use at most {n}")
        if spec.detail is not None and spec.detail > len(spec.query_list):
            raise LexiconError(f"'detail' names query {spec.detail}, but there are {len(spec.query_list)}",
                               fix=f"name a query from 1 to {len(spec.query_list)}")
        spec.borderline = spec.borderline or {}
        for q, docs in spec.borderline.items():
            if q not in spec.queries:
                raise LexiconError(f"'borderline' names the query '{q}', which is not one of 'queries'",
                                   fix="copy the query's text from 'queries'")
            if max(docs) > n or set(docs) & set(spec.queries[q]):
                raise LexiconError(f"'borderline' for '{q}' names a document that is not one of 1–{n} or is "
                                   "already relevant", fix="list documents judged not relevant, 1 to " + str(n))
        spec.parsed = [_parse(t, len(spec.query_list)) for t in spec.expect]

    def anchor_hint(self, spec):
        return "fusion " + spec.query_list[0][:30]

    def compute(self, kv, spec):
        return {"queries": _fusion.compute(spec.query_list, spec.documents, spec.rrf_k, spec.alpha)}

    def _score(self, spec, result, metric, method, query=None, mode=None) -> float:
        """The metric under the block's tie-break, or (``mode``) its ``worst`` or ``best`` over every
        tie-break, or ``lenient`` (borderline documents counted relevant)."""
        def fn(r, rel):
            return precision_at_k(r, rel, spec.k) if metric == "precision" else reciprocal_rank(r, rel)

        def one(j):
            q = spec.query_list[j]
            rel = {d - 1 for d in spec.queries[q] + (spec.borderline.get(q, []) if mode == "lenient" else [])}
            if mode in ("worst", "best"):
                return _fusion.tie_range(result["queries"][j], method, rel, fn, spec.rrf_k)[mode == "best"]
            return fn(result["queries"][j]["rankings"][method], rel)
        if query is not None:
            return one(query - 1)
        return mean([one(j) for j in range(len(spec.query_list))])

    def claims(self, spec, result, check):
        for left, op, right in spec.parsed:
            lows, highs, said = [], [], []
            for t in (left, right):
                if t[0] == "number":
                    lows.append(t[1])
                    highs.append(t[1])
                    continue
                lo, hi = (self._score(spec, result, t[1], t[2], t[3], m) for m in ("worst", "best"))
                lows.append(lo)
                highs.append(hi)
                v = self._score(spec, result, t[1], t[2], t[3])
                said.append(f"{_said(t)} is {short(v)}" + ("" if lo == hi else f" ({short(lo)} to {short(hi)} "
                                                                                 "over the tie-breaks)"))
            (la, lb), (ha, hb) = lows, highs
            ok = {"<": ha < lb, ">": la > hb, "=": la == ha == lb == hb}[op]
            words = {"<": "is less than", ">": "is greater than", "=": "is"}[op]
            check(f"{_said(left)} {words} {_said(right)}, whatever the tie-break", ok, "; ".join(said))

    @value("A metric of a ranking: `metric(rr, rrf)` (the mean over the queries) or `metric(precision, bm25, 2)` "
           "(query 2). Metrics: `precision` (at k), `rr`; rankings: `bm25`, `dense`, `rrf`, `weighted`.")
    def metric(self, spec, result, metric, method, query=None):
        metric, method = str(metric).strip(), str(method).strip()
        if metric not in METRICS:
            raise LexiconError(f"'{metric}' is not a metric of the block", fix="name one of: precision, rr")
        return self._metric(spec, result, metric, method, query, None)

    def _metric(self, spec, result, metric, method, query, mode):
        metric, method = str(metric).strip(), str(method).strip()
        if metric not in METRICS:
            raise LexiconError(f"'{metric}' is not a metric of the block", fix="name one of: precision, rr")
        v = self._score(spec, result, metric, _method(method), None if query is None else _query(spec, query), mode)
        return Value(short(v), v)

    @value("A metric with every tie broken against the relevant documents (in the fused scores and, for RRF, in "
           "the two rankings it fuses): `worst(precision, rrf)`, `worst(rr, rrf, 5)`.")
    def worst(self, spec, result, metric, method, query=None):
        return self._metric(spec, result, metric, method, query, "worst")

    @value("A metric with every tie broken for the relevant documents: `best(precision, rrf)`.")
    def best(self, spec, result, metric, method, query=None):
        return self._metric(spec, result, metric, method, query, "best")

    @value("A metric counting the `borderline` documents as relevant: `lenient(precision, dense)`.")
    def lenient(self, spec, result, metric, method, query=None):
        return self._metric(spec, result, metric, method, query, "lenient")

    @value("On how many queries another tie-break would change a ranking's metric: `flips(precision, rrf)`.")
    def flips(self, spec, result, metric, method):
        metric, m = str(metric).strip(), _method(method)
        v = sum(1 for j in range(len(spec.query_list)) if self._score(spec, result, metric, m, j + 1, "worst")
                != self._score(spec, result, metric, m, j + 1, "best"))
        return Value(f"{v:,}", v)

    @value("On how many queries two documents share a score in a ranking: `ties(rrf)`.")
    def ties(self, spec, result, method):
        m = _method(method)
        v = sum(1 for q in result["queries"] if _ties(q, m))
        return Value(f"{v:,}", v)

    @value("The documents that share a score in a ranking for a query: `tied(rrf, 5)` reads “2 and 10”.")
    def tied(self, spec, result, method, query):
        m = _method(method)
        runs = [g for g in _fusion.groups(_scores(result["queries"][_query(spec, query) - 1], m),
                                          result["queries"][_query(spec, query) - 1]["rankings"][m]) if len(g) > 1]
        if not runs:
            raise LexiconError(f"no two documents share a score in the {METHODS[m]} ranking of query {query}",
                               fix="quote a query with a tie, or remove the value")
        text = "; ".join(", ".join(str(i + 1) for i in g[:-1]) + f" and {g[-1] + 1}" for g in runs)
        return Value(text, len(runs))

    @value("The highest mean precision at k any ranking could reach with these judgements (a query with fewer "
           "relevant documents than k cannot reach 1): `ceiling`.")
    def ceiling(self, spec, result):
        v = mean([min(spec.k, len(r)) / spec.k for r in spec.queries.values()])
        return Value(short(v), v)

    @value("The number of queries with fewer relevant documents than k.")
    def few(self, spec, result):
        v = sum(1 for r in spec.queries.values() if len(r) < spec.k)
        return Value(f"{v:,}", v)

    @value("A document's rank in a ranking for a query: `rank(rrf, 1, 3)` (ranking, query, document); “not "
           "retrieved” for a document BM25 does not retrieve.")
    def rank(self, spec, result, method, query, doc):
        r = result["queries"][_query(spec, query) - 1]["rankings"][_method(method)]
        d = document(spec, doc)
        if d not in r:
            return Value("not retrieved", 0)
        return Value(f"#{r.index(d) + 1}", r.index(d) + 1)

    @value("A document's score for a query: `score(bm25, 1, 3)`, `score(dense, 1, 3)` (the cosine), "
           "`score(rrf, 1, 3)`, `score(weighted, 1, 3)`.")
    def score(self, spec, result, method, query, doc):
        q = result["queries"][_query(spec, query) - 1]
        key = {"bm25": "bm25", "dense": "cosine", "rrf": "rrf", "weighted": "weighted"}[_method(method)]
        v = q[key][document(spec, doc)]
        return Value(fmt(v), v)

    @value("On how many queries one ranking has a higher reciprocal rank than another: `wins(rrf, bm25)`.")
    def wins(self, spec, result, method, other):
        a, b = _method(method), _method(other)
        v = sum(1 for j in range(len(spec.query_list))
                if self._score(spec, result, "rr", a, j + 1) > self._score(spec, result, "rr", b, j + 1))
        return Value(f"{v:,}", v)

    @value("The number of queries.")
    def count(self, spec, result):
        return Value(f"{len(spec.query_list):,}", len(spec.query_list))

    def render(self, spec, result, ctx):
        k = spec.k
        docs = Table(["Doc", "Text"], [[str(i + 1), d] for i, d in enumerate(spec.documents)], numeric=(0,))
        tops, rrs, starred = [], [], []

        def cell(metric, m, j=None):
            v = self._score(spec, result, metric, m, j)
            lo, hi = (self._score(spec, result, metric, m, j, w) for w in ("worst", "best"))
            if lo == hi:
                return short(v)
            said = f"precision at {spec.k}" if metric == "precision" else METRICS[metric]
            starred.append(f"{METHODS[m]}'s {said} " + (f"on query {j}" if j else "(mean)") +
                           f" is {short(v)} under this tie-break, {short(lo)} to {short(hi)} over all")
            return short(v) + "*"

        for j, q in enumerate(spec.query_list):
            rel = {d - 1 for d in spec.queries[q]}
            maybe = {d - 1 for d in spec.borderline.get(q, [])}
            row = [f"{j + 1}. {q}", ", ".join(str(d) for d in spec.queries[q]) +
                   ("; borderline: " + ", ".join(str(d) for d in spec.borderline[q]) if maybe else "")]
            for m in METHODS:
                r, tie = result["queries"][j]["rankings"][m][:k], _ties(result["queries"][j], m)
                row.append(", ".join(f"{i + 1}{' ✓' if i in rel else ' ?' if i in maybe else ''}" +
                                     (" (= " + ", ".join(str(t + 1) for t in tie[i]) + ")" if i in tie else "")
                                     for i in r) or "none")
            tops.append(row)
            rrs.append([f"{j + 1}"] + [f"{cell('precision', m, j + 1)} / {cell('rr', m, j + 1)}" for m in METHODS])
        rrs.append(["Mean"] + [f"{cell('precision', m)} / {cell('rr', m)}" for m in METHODS])
        names = list(METHODS.values())
        parts = [Caption(spec.caption)] if spec.caption else []
        parts += [Html("<p>The documents (relevance stated per query):</p>"), docs,
                  Html(f"<p>BM25 retrieves the documents that share a word with the query; MiniLM ranks all by "
                       f"cosine; RRF adds 1 / ({spec.rrf_k} + rank) from each ranking; the weighted sum is "
                       f"{spec.alpha:g} × MiniLM + {1 - spec.alpha:g} × BM25, each min-max scaled to 0–1. "
                       f"The first {k} documents of each ranking, relevant ones marked ✓"
                       + (", borderline ones ? (counted not relevant)" if spec.borderline else "") +
                       ". Two documents with the same score are ordered by the lower number and marked "
                       "“(= …)” with the documents they tie with:</p>"),
                  Table(["Query", "Relevant (stated)"] + names, tops),
                  Table(["Query"] + [f"{n}: P@{k} / RR" for n in names], rrs, numeric=(1, 2, 3, 4))]
        if starred:
            parts.append(Html("<p>* Rests on a tie: " + esc("; ".join(starred)) + ".</p>"))
        if spec.detail is not None:
            q = result["queries"][spec.detail - 1]
            rel = {d - 1 for d in spec.queries[spec.query_list[spec.detail - 1]]}
            rows = []
            tie = {m: _ties(q, m) for m in METHODS}
            for i in q["rankings"]["rrf"]:
                rank = {m: (f"#{q['rankings'][m].index(i) + 1}" if i in q["rankings"][m] else "—") +
                        (" (= " + ", ".join(str(t + 1) for t in tie[m][i]) + ")" if i in tie[m] else "")
                        for m in METHODS}
                rows.append([str(i + 1), fmt(q["bm25"][i]), rank["bm25"], fmt(q["cosine"][i]), rank["dense"],
                             fmt(q["rrf"][i]), rank["rrf"], fmt(q["weighted"][i]), rank["weighted"],
                             "✓" if i in rel else ""])
            parts += [Html(f"<p>Every document for query {spec.detail}, <em>{esc(spec.query_list[spec.detail - 1])}"
                           "</em>, in RRF order (— : not retrieved by BM25; “(= 5)”: the same score as "
                           "document 5, ordered by the lower number):</p>"),
                      Table(["Doc", "BM25", "BM25 rank", "Cosine", "MiniLM rank", "RRF", "RRF rank", "Weighted",
                             "Weighted rank", "Relevant"], rows, numeric=tuple(range(9)))]
        parts.append(Code(self._code(spec, result), "The fusion of the computed rankings, in plain Python"))
        return parts

    def _code(self, spec, result) -> str:
        j = (spec.detail or 1) - 1
        q = result["queries"][j]
        bm25 = [round(x, 4) for x in q["bm25"]]
        cos = [round(x, 4) for x in q["cosine"]]
        return ("# the scores of query " + f"{j + 1} ({spec.query_list[j]!r}), documents 1, 2, …, as computed above\n"
                f"bm25 = {bm25}\ncosine = {cos}\n\n"
                "def ranking(s, retrieved_only=False):\n"
                "    return sorted((i for i in range(len(s)) if not retrieved_only or s[i] > 0), key=lambda i: (-s[i], i))\n\n"
                f"K = {spec.rrf_k}\nrrf = [0.0] * len(bm25)\n"
                "for r in (ranking(bm25, True), ranking(cosine)):\n"
                "    for pos, doc in enumerate(r, start=1):\n"
                "        rrf[doc] += 1 / (K + pos)\n\n"
                "def minmax(s):\n"
                "    lo, hi = min(s), max(s)\n"
                "    return [0.0 if hi == lo else (x - lo) / (hi - lo) for x in s]\n\n"
                f"alpha = {spec.alpha}\n"
                "weighted = [alpha * d + (1 - alpha) * b for b, d in zip(minmax(bm25), minmax(cosine))]\n"
                "print('RRF:', [i + 1 for i in ranking(rrf)])\nprint('weighted:', [i + 1 for i in ranking(weighted)])\n")


def _parse(text: str, n_queries: int) -> tuple:
    def term(part, claim):
        t = match_term(TERM, part, claim, f"write e.g. '{EXAMPLE_CLAIM}' or 'rr(rrf, 2) = 1' (metrics precision, "
                                          "rr; rankings bm25, dense, rrf, weighted)")
        if t.group(4) is not None:
            return ("number", float(t.group(4)), t.group(4))
        q = None if t.group(3) is None else int(t.group(3))
        if q is not None and not 1 <= q <= n_queries:
            raise LexiconError(f"the claim '{claim}' names query {q}, but there are {n_queries}",
                               fix=f"name a query from 1 to {n_queries}")
        return ("quantity", t.group(1), t.group(2), q)
    return read(text, term, f"write e.g. '{EXAMPLE_CLAIM}'")


def _said(t) -> str:
    if t[0] == "number":
        return t[2]
    where = "the mean over the queries" if t[3] is None else f"query {t[3]}"
    return f"the {METRICS[t[1]]} of {METHODS[t[2]]} ({where})"


def _method(name) -> str:
    name = str(name).strip()
    if name not in METHODS:
        raise LexiconError(f"'{name}' is not a ranking of the block", fix="name one of: " + ", ".join(METHODS))
    return name


def _query(spec, q) -> int:
    return numbered(q, len(spec.query_list), "query")

