"""The ndcg kind: a word's nearest words scored against graded relevance judgements (DCG, ideal DCG, nDCG)."""

from __future__ import annotations

import re

from ...claimterms import check_each, match_term, read
from ...code import loading_code
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Raw, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._ann import TOP_DOC, ranked_results
from ._ndcg import dcg, idcg, ndcg
from ._ranking import QueryRanking, mean

GRADES = {"type": "object", "minProperties": 1, "maxProperties": 8,
          "additionalProperties": {"type": "object", "minProperties": 1, "maxProperties": 10,
                                   "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 5}}}
TERM = re.compile(r"^\s*(?:(ndcg|binary|dcg)\s*(?:\(\s*([^)\s]+)\s*\))?|(-?[0-9]*\.?[0-9]+))\s*$")
EXAMPLE_CLAIM = "ndcg(car) > ndcg(happy)"
NAMES = {"ndcg": "nDCG", "binary": "nDCG with every graded word counted as 1", "dcg": "DCG"}


class Ndcg(QueryRanking):
    """Normalised discounted cumulative gain of a word's nearest words in the model, against graded
    judgements: each query word is searched among the model's `top` most frequent words by cosine
    similarity (the query itself left out, as in `ranking-metrics`), and `queries` states, for each
    query, the relevant words with a grade (1 to 5; any other word has grade 0).

    DCG@k adds each of the first `k` results' grade divided by log2(position + 1); the ideal DCG is
    the DCG of the best possible order (the graded words, highest grade first); nDCG@k is their ratio,
    from 0 to 1. This is the form scikit-learn's `ndcg_score` computes. Beside it, the block gives the
    nDCG of the same ranking with every graded word counted as 1 (binary relevance), to show what the
    grades change. Claims: `ndcg(car) > ndcg(happy)`, `ndcg > 0.3` (the mean), `binary(car) > ndcg(car)`.
    """

    example = ("queries:\n  car: {automobile: 2, vehicle: 2, cars: 1}\n  river: {stream: 2, creek: 2, rivers: 1}\n"
               "k: 5\ntop: 10000\nexpect:\n  - ndcg > 0.1")
    options = opt.Options(
        Kind.options,
        queries=opt.raw("Each query word with its graded relevant words, `car: {automobile: 2, cars: 1}` (grades "
                        "1–5).", GRADES, "queries with graded words", required=True,
                        convert=lambda v: {str(q): {str(w): int(g) for w, g in ws.items()} for q, ws in v.items()}),
        k=opt.integer("How many results the DCG adds up (the k of nDCG@k).", default=10, min=1, max=30),
        top=opt.integer(TOP_DOC, default=50_000, min=1000, max=100_000),
        expect=opt.claims("[Claims](#claims): `ndcg(car) > ndcg(happy)`, `ndcg > 0.3`, `binary(car) > ndcg(car)`."),
        caption=opt.caption("none"),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.query_list = list(spec.queries)
        for q, grades in spec.queries.items():
            if q in grades:
                raise LexiconError(f"the query '{q}' grades itself, but the search leaves the query out",
                                   fix=f"remove '{q}' from its graded words")
        spec.parsed = [self._parse(t, spec) for t in spec.expect]

    def _parse(self, text, spec):
        def term(part, claim):
            t = match_term(TERM, part, claim,
                           f"write e.g. '{EXAMPLE_CLAIM}' (ndcg, binary or dcg, with or without a query)")
            if t.group(3) is not None:
                return ("number", float(t.group(3)), t.group(3))
            if t.group(2) is not None and t.group(2) not in spec.query_list:
                raise LexiconError(f"the claim '{claim}' names '{t.group(2)}', which is not one of the queries",
                                   fix="name one of: " + ", ".join(spec.query_list))
            return ("quantity", t.group(1), t.group(2))
        return read(text, term, f"write e.g. '{EXAMPLE_CLAIM}'")

    def anchor_hint(self, spec):
        return "ndcg " + " ".join(spec.query_list)

    def compute(self, kv, spec):
        return {"rows": ranked_results(kv, {q: list(g) for q, g in spec.queries.items()}, spec.top, spec.k)}

    def _row(self, spec, result, q) -> dict:
        row = result["rows"][spec.query_list.index(q)]
        grades = spec.queries[q]
        binary = {w: 1 for w in grades}
        exponential = {w: 2 ** g - 1 for w, g in grades.items()}
        return {"dcg": dcg(row["results"], grades, spec.k), "idcg": idcg(grades, spec.k),
                "ndcg": ndcg(row["results"], grades, spec.k), "binary": ndcg(row["results"], binary, spec.k),
                "exponential": ndcg(row["results"], exponential, spec.k)}

    def _get(self, spec, result, name, q=None) -> float:
        if q is not None:
            return self._row(spec, result, q)[name]
        return mean([self._row(spec, result, x)[name] for x in spec.query_list])

    def claims(self, spec, result, check):
        check_each(spec.parsed, lambda t: self._get(spec, result, t[1], t[2]), _said, lambda t, v: fmt(v), check)

    @value("nDCG@k: `ndcg(car)` for one query, `ndcg` for the mean over the queries.")
    def ndcg(self, spec, result, query=None):
        v = self._get(spec, result, "ndcg", self._q(spec, query))
        return Value(fmt(v), v)

    @value("nDCG@k with every graded word counted as 1: `binary(car)`, or `binary` for the mean.")
    def binary(self, spec, result, query=None):
        v = self._get(spec, result, "binary", self._q(spec, query))
        return Value(fmt(v), v)

    @value("nDCG@k with gains 2^grade − 1 instead of the grade (the form of Manning et al. 2008, §8.4): "
           "`exponential(car)`, or `exponential` for the mean.")
    def exponential(self, spec, result, query=None):
        v = self._get(spec, result, "exponential", self._q(spec, query))
        return Value(fmt(v), v)

    @value("A query's DCG@k: `dcg(car)`.")
    def dcg(self, spec, result, query):
        v = self._get(spec, result, "dcg", self._q(spec, query))
        return Value(fmt(v), v)

    @value("A query's ideal DCG@k: `idcg(car)`.")
    def idcg(self, spec, result, query):
        v = self._get(spec, result, "idcg", self._q(spec, query))
        return Value(fmt(v), v)

    @value("The position of a word in a query's ranking (“#3”): `position(car, cars)`.")
    def position(self, spec, result, query, word):
        return self._position(spec, result, query, word, "graded word")

    def render(self, spec, result, ctx):
        rows = []
        for q in spec.query_list:
            row, grades, m = result["rows"][spec.query_list.index(q)], spec.queries[q], self._row(spec, result, q)
            shown = Raw(", ".join(f"<strong>{esc(w)} ({grades[w]})</strong>" if w in grades else esc(w)
                                  for w in row["results"]))
            rows.append([q, ", ".join(f"{w} ({g})" for w, g in grades.items()), shown, fmt(m["dcg"]), fmt(m["idcg"]),
                         fmt(m["ndcg"]), fmt(m["binary"])])
        rows.append(["Mean", "", "", "", "", fmt(self._get(spec, result, "ndcg")), fmt(self._get(spec, result, "binary"))])
        k = spec.k
        code = (loading_code(ctx.model_spec) + "import numpy as np\nfrom sklearn.metrics import ndcg_score\n\n"
                f"queries = {spec.queries!r}\n"
                f"x = kv.vectors[:{spec.top}] / np.linalg.norm(kv.vectors[:{spec.top}], axis=1, keepdims=True)\n"
                "for q, grades in queries.items():\n"
                "    i = kv.key_to_index[q]\n"
                "    s = x @ x[i]\n"
                "    keep = np.arange(len(s)) != i        # the query itself is left out\n"
                f"    y_true = np.zeros(len(s))\n"
                "    for w, g in grades.items():\n"
                "        y_true[kv.key_to_index[w]] = g\n"
                f"    print(q, ndcg_score([y_true[keep]], [s[keep]], k={k}))\n")
        caption = [Caption(spec.caption)] if spec.caption else []
        return caption + [
            Html(f"<p>Each query word is searched among the model's {spec.top:,} most frequent words by cosine "
                 f"similarity; its first {k} results are shown, graded words in bold with their grade (stated). "
                 f"DCG@{k} adds grade / log2(position + 1); the ideal DCG orders the graded words best first.</p>"),
            Table(["Query", "Graded words (stated)", f"First {k} results", f"DCG@{k}", f"Ideal DCG@{k}",
                   f"nDCG@{k}", f"nDCG@{k}, binary"], rows, numeric=(3, 4, 5, 6)),
            Code(code, "The same nDCG with scikit-learn's ndcg_score")]


def _said(t) -> str:
    if t[0] == "number":
        return t[2]
    return f"the {NAMES[t[1]]}" + (" (the mean)" if t[2] is None else f" of '{t[2]}'")
