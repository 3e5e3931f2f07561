"""Claims of the clustering kinds: two quantities (or a quantity and a number) compared, such as
``ari > 0.9``, ``ari(5) < ari(4)``, ``silhouette(5) > silhouette(4)``, ``best_k = 5`` or
``ari(ward) > ari(single)`` (the argument in brackets is a k or, for the linkages, a name).

Each kind says which names it computes and reads them from its result (``lookup``). The terms are the
family's own; reading ``left op right`` and checking it are the reader every family shares
(:mod:`lexicon.claimterms`)."""

from __future__ import annotations

import re

from ...claimterms import check_each, match_term, read
from ...errors import LexiconError
from ...render import fmt

TERM = re.compile(r"^\s*(?:([a-z_]+)\s*(?:\(\s*([a-z0-9_]+)\s*\))?|(-?[0-9]*\.?[0-9]+))\s*$")


def parse(text: str, names: dict[str, str], example: str) -> tuple:
    """``(left, op, right)``; a term is ``("number", x, text)`` or ``("quantity", name, k or None)``.
    ``names`` maps each name the kind computes to how a sentence says it."""
    fix = f"write e.g. '{example}'"

    def term(part, claim):
        t = match_term(TERM, part, claim, fix)
        if t.group(3) is not None:
            return ("number", float(t.group(3)), t.group(3))
        if t.group(1) not in names:
            raise LexiconError(f"the claim '{claim}' names '{t.group(1)}', which the block does not compute",
                               fix="name one of: " + ", ".join(names))
        arg = t.group(2)
        return ("quantity", t.group(1), int(arg) if arg and arg.isdigit() else arg)
    return read(text, term, fix)


def said(term: tuple, names: dict[str, str]) -> str:
    if term[0] == "number":
        return term[2]
    arg = term[2]
    return names[term[1]] + ("" if arg is None else f" at k = {arg}" if isinstance(arg, int) else f" with {arg} linkage")


def check_all(parsed: list[tuple], names: dict[str, str], lookup, check) -> None:
    """Check each claim; ``lookup(name, arg)`` gives the number (the kind's ``prepare`` checked every arg)."""
    check_each(parsed, lambda t: lookup(t[1], t[2]), lambda t: said(t, names),
               lambda t, v: str(v) if isinstance(v, int) else fmt(v), check)


def require_ks(parsed: list[tuple], ks: list[int]) -> None:
    """Every k a claim reads in brackets must be one the block computes."""
    for claim in parsed:
        for term in (claim[0], claim[2]):
            if term[0] == "quantity" and term[2] is not None and term[2] not in ks:
                raise LexiconError(f"a claim reads k = {term[2]}, which is not one of the k values",
                                   fix="add it to 'ks', or name one of: " + ", ".join(map(str, ks)))
