"""Ranking metrics, written out in numpy-free arithmetic so that each is the textbook formula: precision
at k, recall at k, the reciprocal rank, and their means over queries. Shared by ``ranking-metrics``
(GloVe's nearest words scored against stated relevant words) and ``ranking-exercise`` (a stated ranking).

A ranking is a list of items, best first; ``relevant`` is the set the judge marked relevant.

:class:`QueryRanking` is the base of the kinds that rank the model's nearest words for stated query words
(``ranking-metrics``, ``ranking-cutoffs``, ``ndcg``); the claims of ``ranking-metrics`` and ``rerank`` are
read here, with the reader every family shares (:mod:`lexicon.claimterms`).
"""

from __future__ import annotations

import re

from ...claimterms import check_each, match_term, read
from ...engine import Kind, Value, opt, value
from ...errors import LexiconError


def precision_at_k(ranking: list, relevant: set, k: int) -> float:
    """The share of the first k results that are relevant (a ranking shorter than k counts its missing places
    as not relevant: k is the denominator)."""
    return sum(1 for item in ranking[:k] if item in relevant) / k


def recall_at_k(ranking: list, relevant: set, k: int) -> float:
    """The share of the relevant items found among the first k results."""
    return sum(1 for item in ranking[:k] if item in relevant) / len(relevant)


def first_relevant(ranking: list, relevant: set) -> int | None:
    """The position (1 = first) of the first relevant result; None when none is relevant."""
    return next((i + 1 for i, item in enumerate(ranking) if item in relevant), None)


def reciprocal_rank(ranking: list, relevant: set) -> float:
    """1 / the position of the first relevant result; 0 when the ranking holds none."""
    r = first_relevant(ranking, relevant)
    return 0.0 if r is None else 1 / r


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


# --- the kinds that rank the model's nearest words for stated queries --------------------------------------
QUERIES = opt.groups("Each query word with the words counted as relevant answers to it, `car: [cars, "
                     "automobile]`.", min=1, max=8, per_group=1)


def read_queries(spec) -> None:
    """``spec.query_list`` from ``queries`` (a query with its relevant words, as ``QUERIES`` reads them),
    refusing what the search cannot score: a query listed as its own answer (the search leaves the query
    out) or a relevant word listed twice. Shared by ``ranking-metrics`` and ``ranking-cutoffs``, which
    state their queries alike."""
    if spec.queries is None:
        raise LexiconError("missing option 'queries'", fix="add e.g. 'queries: {car: [cars, automobile]}'")
    spec.query_list = list(spec.queries)
    for q, rel in spec.queries.items():
        if q in rel:
            raise LexiconError(f"the query '{q}' lists itself as relevant, but the search leaves the query out",
                               fix=f"remove '{q}' from its relevant words")
        if len(set(rel)) != len(rel):
            raise LexiconError(f"the query '{q}' lists a relevant word twice", fix="list each word once")


class QueryRanking(Kind):
    """The base of the kinds that search the model's nearest words for stated query words and score each
    ranking against the words stated for its query (``ranking-metrics``, ``ranking-cutoffs``, ``ndcg``):
    ``spec.queries`` maps each query to those words, ``spec.query_list`` keeps the queries' order, and the
    result's ``rows`` are ``_ann.ranked_results``. What they share is here, written once: the words the
    model must know, a query named in prose, a stated word's position and the number of queries."""

    def words(self, spec):
        return list(dict.fromkeys(spec.query_list + [w for rel in spec.queries.values() for w in rel]))

    def _q(self, spec, query):
        """A query named in prose (None when the value was quoted without one, for the mean)."""
        if query is None:
            return None
        q = str(query).strip()
        if q not in spec.query_list:
            raise LexiconError(f"'{q}' is not one of the queries", fix="name one of: " + ", ".join(spec.query_list))
        return q

    def _position(self, spec, result, query, word, stated: str) -> Value:
        """A stated word's position in a query's whole ranking (“#3”); ``stated`` says what the kind calls
        the words stated for a query (a relevant word, a graded word)."""
        q = self._q(spec, query)
        w = str(word).strip()
        ranks = result["rows"][spec.query_list.index(q)]["ranks"]
        if w not in ranks:
            raise LexiconError(f"'{w}' is not a {stated} of '{q}'", fix="name one of: " + ", ".join(ranks))
        return Value(f"#{ranks[w]:,}", ranks[w])

    @value("The number of queries.")
    def count(self, spec, result):
        return Value(f"{len(spec.query_list):,}", len(spec.query_list))


# --- claims: 'mrr > 0.5', 'precision(car) > precision(happy)', 'rr(big) = 1' ------------------------------
TERM = re.compile(r"^\s*(?:([a-z_]+)\s*(?:\(\s*([^)\s]+)\s*\))?|(-?[0-9]*\.?[0-9]+))\s*$")


def parse(text: str, names: dict[str, str], per_query: set[str], queries: list[str], example: str) -> tuple:
    """``(left, op, right)``, each term ``("number", x, text)`` or ``("quantity", name, query or None)``;
    ``per_query`` names need a query in brackets, the others take none."""
    fix = f"write e.g. '{example}'"

    def term(part, claim):
        t = match_term(TERM, part, claim, fix)
        if t.group(3) is not None:
            return ("number", float(t.group(3)), t.group(3))
        name, arg = t.group(1), t.group(2)
        if name not in names:
            raise LexiconError(f"the claim '{claim}' names '{name}', which the block does not compute",
                               fix="name one of: " + ", ".join(names))
        if (name in per_query) != (arg is not None):
            raise LexiconError(f"the claim '{claim}': '{name}' " + ("needs a query in brackets" if arg is None
                                                                    else "takes no query in brackets"), fix=fix)
        if arg is not None and arg not in queries:
            raise LexiconError(f"the claim '{claim}' names '{arg}', which is not one of the queries",
                               fix="name one of: " + ", ".join(queries))
        return ("quantity", name, arg)
    return read(text, term, fix)


def check_all(parsed: list[tuple], names: dict[str, str], lookup, check, shown) -> None:
    """Check each claim; ``lookup(name, query)`` gives the number, ``shown(x)`` writes it as the table does."""
    def said(term):
        return term[2] if term[0] == "number" else names[term[1]] + ("" if term[2] is None else f" of '{term[2]}'")

    check_each(parsed, lambda t: lookup(t[1], t[2]), said, lambda t, v: shown(v), check)
