"""The family's numeric claims: ``name < number``, ``name > number``, ``name(arg) > name(arg)``.

Each kind names the quantities it computes; a claim reads them with ``lookup(name, arg)``.
"""

from __future__ import annotations

import re

from ...errors import LexiconError
from ...render import fmt

TERM = r"([a-z_]+)(?:\(\s*([^()]*?)\s*\))?"
CLAIM = re.compile(rf"^\s*{TERM}\s*(<=|>=|<|>|=)\s*(?:{TERM}|([-\u2212]?\d+(?:\.\d+)?)\s*(%?))\s*$")
OPS = {"<": lambda a, b: a < b, ">": lambda a, b: a > b, "=": lambda a, b: a == b,
       "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}


def parse(text: str, names: dict, example: str) -> tuple:
    """(left, op, right): a term is (name, arg or None); right may be a number. ``names`` maps each
    quantity the kind computes to True when it takes an argument."""
    m = CLAIM.match(str(text))
    fix = f"write e.g. '{example}'; quantities: " + ", ".join(f"{n}(…)" if a else n for n, a in names.items())
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=fix)
    g = m.groups()
    terms = [(g[0], g[1])] + ([(g[3], g[4])] if g[3] else [])
    for name, arg in terms:
        if name not in names:
            raise LexiconError(f"the claim '{text}' names '{name}', which the block does not compute", fix=fix)
        if bool(arg) != names[name]:
            raise LexiconError(f"the claim '{text}': '{name}' " + ("needs a word in brackets" if names[name]
                                                                  else "takes no argument"), fix=fix)
    right = terms[1] if g[3] else float(g[5].replace("\u2212", "-")) / (100 if g[6] else 1)
    return terms[0], g[2], right


def words_named(parsed: list[tuple]) -> list[str]:
    """The arguments the claims give, so that compute can measure them."""
    out = []
    for left, _, right in parsed:
        for t in (left, right):
            if isinstance(t, tuple) and t[1]:
                out.append(t[1])
    return list(dict.fromkeys(out))


def check_all(texts, names: dict, example: str, lookup, check, against: str = "the corpus") -> None:
    """Check every claim; ``lookup(name, arg)`` gives (number or None, what the block says)."""
    for text in texts:
        left, op, right = parse(text, names, example)
        a, said_a = lookup(*left)
        if isinstance(right, tuple):
            b, said_b = lookup(*right)
            actual = f"{said_a}; {said_b}"
        else:
            b, actual = right, said_a
        check(str(text).strip(), a is not None and b is not None and OPS[op](a, b), actual, against=against)


def shown(x) -> str:
    return f"{x:,}" if isinstance(x, int) else fmt(x)
