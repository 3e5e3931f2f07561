"""Ranking metrics, written out in numpy-free arithmetic so that each is the textbook formula: precision
at k, recall at k, the reciprocal rank, and their means over queries. Shared by ``ranking-metrics``
(GloVe's nearest words scored against stated relevant words) and ``ranking-exercise`` (a stated ranking).

A ranking is a list of items, best first; ``relevant`` is the set the judge marked relevant.
"""

from __future__ import annotations

import re

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


# --- claims: 'mrr > 0.5', 'precision(car) > precision(happy)', 'rr(big) = 1' ------------------------------
TERM = re.compile(r"^\s*(?:([a-z_]+)\s*(?:\(\s*([^)\s]+)\s*\))?|(-?[0-9]*\.?[0-9]+))\s*$")
CLAIM = re.compile(r"^(.+?)\s*([<>=])\s*(.+)$")
WORDS = {"<": "is less than", ">": "is greater than", "=": "is"}


def parse(text: str, names: dict[str, str], per_query: set[str], queries: list[str], example: str) -> tuple:
    """``(left, op, right)``, each term ``("number", x, text)`` or ``("quantity", name, query or None)``;
    ``per_query`` names need a query in brackets, the others take none."""
    m = CLAIM.match(str(text))
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=f"write e.g. '{example}'")
    terms = []
    for part in (m.group(1), m.group(3)):
        t = TERM.match(part)
        if not t:
            raise LexiconError(f"cannot read '{part.strip()}' in the claim '{text}'", fix=f"write e.g. '{example}'")
        if t.group(3) is not None:
            terms.append(("number", float(t.group(3)), t.group(3)))
            continue
        name, arg = t.group(1), t.group(2)
        if name not in names:
            raise LexiconError(f"the claim '{text}' names '{name}', which the block does not compute",
                               fix="name one of: " + ", ".join(names))
        if (name in per_query) != (arg is not None):
            raise LexiconError(f"the claim '{text}': '{name}' " + ("needs a query in brackets" if arg is None
                                                                   else "takes no query in brackets"),
                               fix=f"write e.g. '{example}'")
        if arg is not None and arg not in queries:
            raise LexiconError(f"the claim '{text}' names '{arg}', which is not one of the queries",
                               fix="name one of: " + ", ".join(queries))
        terms.append(("quantity", name, arg))
    if terms[0][0] == terms[1][0] == "number":
        raise LexiconError(f"the claim '{text}' compares two numbers and checks nothing computed",
                           fix=f"write e.g. '{example}'")
    return terms[0], m.group(2), terms[1]


def check_all(parsed: list[tuple], names: dict[str, str], lookup, check, shown) -> None:
    """Check each claim; ``lookup(name, query)`` gives the number, ``shown(x)`` writes it as the table does."""
    def said(term):
        return term[2] if term[0] == "number" else names[term[1]] + ("" if term[2] is None else f" of '{term[2]}'")

    for left, op, right in parsed:
        values, actual = [], []
        for term in (left, right):
            if term[0] == "number":
                values.append(term[1])
                continue
            v = lookup(term[1], term[2])
            values.append(v)
            actual.append(f"{said(term)} is {shown(v)}")
        a, b = values
        check(f"{said(left)} {WORDS[op]} {said(right)}", {"<": a < b, ">": a > b, "=": a == b}[op], "; ".join(actual))
