"""Comparison claims of the kinds that learn from data: ``loss(0.1) < loss(0.01)``, ``best = 3``,
``zeros(lasso, 10) > 3``, ``brier(naive-bayes) > brier(logistic-regression)``.

One reader for every family that needs it (``training``, ``learning``'s calibration). A term is a number
(``0.9``, ``90%``) or a name the kind computes, with its arguments in brackets; each kind gives the names it knows (and which are whole numbers: only they may be compared with ``=``)
and a ``lookup(name, args)`` that reads the number from the result.

Under :class:`Names` lie the steps every comparison claim shares, whatever its terms look like:
:func:`read` splits ``left op right`` and refuses a claim that compares two numbers, :func:`match_term`
refuses a side it cannot read, and :func:`check_each` checks each claim and says what was found. The
families with terms of their own (``clustering``'s ``ari(5)``, ``learning``'s thresholds, ``retrieval``'s
queries) read and check their claims with them too.
"""

from __future__ import annotations

import re

from .errors import LexiconError

TERM = re.compile(r"^\s*(?:([a-z][a-z0-9_]*)\s*(?:\(\s*([^()]*?)\s*\))?|([0-9]*\.?[0-9]+)\s*(%?))\s*$")
CLAIM = re.compile(r"^(.+?)\s*([<>=])\s*(.+)$")
WORDS = {"<": "is less than", ">": "is greater than", "=": "is"}


def read(text, term, fix: str) -> tuple:
    """``(left, op, right)`` of the claim ``text``, each side read by ``term(part, claim)`` (a family's own
    terms; a number is ``("number", x, as written)``). What every comparison claim shares is read here once:
    the ``<``, ``>`` or ``=`` between two sides, and that the two are not both numbers (such a claim checks
    nothing computed). ``fix`` says how to write a claim of the kind."""
    m = CLAIM.match(str(text))
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=fix)
    left, op, right = term(m.group(1), text), m.group(2), term(m.group(3), text)
    if left[0] == right[0] == "number":
        raise LexiconError(f"the claim '{text}' compares two numbers and checks nothing computed", fix=fix)
    return left, op, right


def match_term(pattern: re.Pattern, part: str, claim, fix: str) -> re.Match:
    """``pattern``'s match of one side of a claim; a side it does not match is refused in the words every
    family uses (the pattern, which says what a term may be, is the family's own)."""
    m = pattern.match(part)
    if not m:
        raise LexiconError(f"cannot read '{part.strip()}' in the claim '{claim}'", fix=fix)
    return m


def check_each(parsed: list[tuple], lookup, said, shown, check) -> None:
    """Check each parsed claim ``(left, op, right)`` with ``check(sentence, ok, what was found)``, the loop
    every family's claims share: ``lookup(term)`` gives a quantity's number (None: it has none, and the
    claim fails), ``said(term)`` how a sentence names a term, ``shown(term, x)`` how the number is written."""
    for left, op, right in parsed:
        values, actual = [], []
        for term in (left, right):
            if term[0] == "number":
                values.append(term[1])
                continue
            v = lookup(term)
            values.append(v)
            actual.append(f"{said(term)} is {shown(term, v)}")
        a, b = values
        ok = a is not None and b is not None and {"<": a < b, ">": a > b, "=": a == b}[op]
        check(f"{said(left)} {WORDS[op]} {said(right)}", ok, "; ".join(actual))


class Names:
    """The names a kind's claims may use: name -> (what it is, how many arguments, whole number?)."""

    def __init__(self, help: str, **names: tuple[str, int, bool]):
        self.help, self.names = help, names

    def term(self, text: str, claim: str) -> tuple:
        m = match_term(TERM, text, claim, self.help)
        if m.group(3) is not None:
            return ("number", float(m.group(3)) / (100 if m.group(4) else 1), m.group(3) + m.group(4))
        name = m.group(1)
        args = [a.strip() for a in m.group(2).split(",")] if m.group(2) else []
        if name not in self.names:
            raise LexiconError(f"the claim '{claim}' names '{name}', which the block does not compute",
                               fix=self.help + "; names: " + ", ".join(self.names))
        want = self.names[name][1]
        if len(args) != want:
            raise LexiconError(f"the claim '{claim}' gives {name} {len(args)} argument(s), but it takes {want}",
                               fix=self.help)
        return ("quantity", name, tuple(args))

    def parse(self, text) -> tuple:
        """``(left, op, right)``; a term is ``("quantity", name, args)`` or ``("number", x, text)``."""
        left, op, right = read(text, self.term, self.help)
        whole = all(self.names[t[1]][2] if t[0] == "quantity" else float(t[1]).is_integer() for t in (left, right))
        if op == "=" and not whole:
            raise LexiconError(f"the claim '{text}' asks for equality of a measured score",
                               fix="compare scores with '<' or '>'; keep '=' for whole numbers such as steps or counts")
        return left, op, right

    def said(self, term: tuple) -> str:
        if term[0] == "number":
            return term[2]
        what = self.names[term[1]][0]
        return what.format(*term[2]) if term[2] else what

    def shown(self, term: tuple, x, show) -> str:
        if x is None:
            return "undefined (the run diverged)"
        return f"{x:,}" if self.names[term[1]][2] else show(x)

    def check_all(self, parsed: list[tuple], lookup, check, show) -> None:
        """Check each parsed claim; ``lookup(name, args)`` gives the number (None: it has none), ``show``
        writes a number as the page does (the kind passes ``render.fmt``: the rule that reads the claims
        is part of every result's key, how a number is written is not)."""
        check_each(parsed, lambda t: lookup(t[1], t[2]), self.said, lambda t, x: self.shown(t, x, show), check)

    def validate(self, parsed: list[tuple], arg_check) -> None:
        """Each quantity's arguments checked now (``arg_check(name, args)`` raises), not when the claim is read."""
        for left, _, right in parsed:
            for t in (left, right):
                if t[0] == "quantity":
                    arg_check(t[1], t[2])
