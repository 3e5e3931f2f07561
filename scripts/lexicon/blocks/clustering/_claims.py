"""Claims of the clustering kinds: two quantities (or a quantity and a number) compared, such as
``ari > 0.9``, ``ari(5) < ari(4)``, ``silhouette(5) > silhouette(4)``, ``best_k = 5`` or
``ari(ward) > ari(single)`` (the argument in brackets is a k or, for the linkages, a name).

Each kind says which names it computes and reads them from its result (``lookup``)."""

from __future__ import annotations

import re

from ...errors import LexiconError
from ...render import fmt

TERM = re.compile(r"^\s*(?:([a-z_]+)\s*(?:\(\s*([a-z0-9_]+)\s*\))?|(-?[0-9]*\.?[0-9]+))\s*$")
CLAIM = re.compile(r"^(.+?)\s*([<>=])\s*(.+)$")
WORDS = {"<": "is less than", ">": "is greater than", "=": "is"}


def parse(text: str, names: dict[str, str], example: str) -> tuple:
    """``(left, op, right)``; a term is ``("number", x, text)`` or ``("quantity", name, k or None)``.
    ``names`` maps each name the kind computes to how a sentence says it."""
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
        elif t.group(1) not in names:
            raise LexiconError(f"the claim '{text}' names '{t.group(1)}', which the block does not compute",
                               fix="name one of: " + ", ".join(names))
        else:
            arg = t.group(2)
            terms.append(("quantity", t.group(1), int(arg) if arg and arg.isdigit() else arg))
    if terms[0][0] == terms[1][0] == "number":
        raise LexiconError(f"the claim '{text}' compares two numbers and checks nothing computed",
                           fix=f"write e.g. '{example}'")
    return terms[0], m.group(2), terms[1]


def said(term: tuple, names: dict[str, str]) -> str:
    if term[0] == "number":
        return term[2]
    arg = term[2]
    return names[term[1]] + ("" if arg is None else f" at k = {arg}" if isinstance(arg, int) else f" with {arg} linkage")


def check_all(parsed: list[tuple], names: dict[str, str], lookup, check) -> None:
    """Check each claim; ``lookup(name, arg)`` gives the number (the kind's ``prepare`` checked every arg)."""
    for left, op, right in parsed:
        values, actual = [], []
        for term in (left, right):
            if term[0] == "number":
                values.append(term[1])
                continue
            v = lookup(term[1], term[2])
            values.append(v)
            actual.append(f"{said(term, names)} is {v if isinstance(v, int) else fmt(v)}")
        a, b = values
        ok = {"<": a < b, ">": a > b, "=": a == b}[op]
        check(f"{said(left, names)} {WORDS[op]} {said(right, names)}", ok, "; ".join(actual))


def require_ks(parsed: list[tuple], ks: list[int]) -> None:
    """Every k a claim reads in brackets must be one the block computes."""
    for claim in parsed:
        for term in (claim[0], claim[2]):
            if term[0] == "quantity" and term[2] is not None and term[2] not in ks:
                raise LexiconError(f"a claim reads k = {term[2]}, which is not one of the k values",
                                   fix="add it to 'ks', or name one of: " + ", ".join(map(str, ks)))
