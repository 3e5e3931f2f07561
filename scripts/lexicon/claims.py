"""Claims: what an author asserts a block's result is, checked against the model.

A claim records its page, line, statement and outcome. A false claim is logged
as an error (so ``mkdocs build --strict`` fails) and shown on the page; the
same records can feed an audit page later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import LexiconError


@dataclass
class Claim:
    statement: str          # what the author claims, in words
    ok: bool                # does the model agree?
    actual: str             # what the model says, in words
    file: str = ""
    line: int = 0
    block: str = ""
    anchor: str = ""
    extra: dict = field(default_factory=dict)


# --- "the word is at rank r / within the top k" (analogy, neighbours) --------

def parse_rank_expectation(value) -> dict:
    """``queen`` | ``{word: queen}`` | ``{word: smaller, rank: 2}`` | ``{word: smaller, within: 3}``."""
    if isinstance(value, str):
        return {"word": value, "rank": 1}
    if "rank" in value and "within" in value:
        raise LexiconError("'expect' takes either 'rank' or 'within', not both",
                           fix="keep one: rank: 2 (exactly second) or within: 3 (somewhere in the top 3)")
    out = {"word": value["word"]}
    if "within" in value:
        out["within"] = value["within"]
    else:
        out["rank"] = value.get("rank", 1)
    return out


def rank_expectation_option(data: dict, topn: int) -> dict | None:
    """The block's ``expect`` option as a rank expectation, checked against its ``topn``."""
    if "expect" not in data:
        return None
    expect = parse_rank_expectation(data["expect"])
    if expect.get("within", expect.get("rank")) > topn:
        raise LexiconError("'expect' looks further down the list than 'topn' computes",
                           fix="raise 'topn' or lower 'rank'/'within'")
    return expect


def rank_expectation_schema() -> dict:
    return {
        "oneOf": [
            {"type": "string", "minLength": 1},
            {"type": "object", "additionalProperties": False, "required": ["word"],
             "properties": {"word": {"type": "string", "minLength": 1},
                            "rank": {"type": "integer", "minimum": 1},
                            "within": {"type": "integer", "minimum": 1}}},
        ]
    }


ANALOGY_PHRASES = ("the top answer of {s} is '{w}'", "'{w}' is answer #{r} of {s}",
                   "'{w}' is within the top {k} answers of {s}")
NEIGHBOUR_PHRASES = ("the nearest word to {s} is '{w}'", "'{w}' is the #{r} nearest word to {s}",
                     "'{w}' is within the {k} nearest words to {s}")


def check_rank(expect: dict, answers: list[list], subject: str, phrases=ANALOGY_PHRASES) -> Claim:
    """Check a rank expectation against a ranked answer list ``[[word, score], ...]``."""
    words = [w for w, _ in answers]
    word = expect["word"]
    position = words.index(word) + 1 if word in words else None
    if "within" in expect:
        k = expect["within"]
        statement = phrases[2].format(s=subject, w=word, k=k)
        ok = position is not None and position <= k
    else:
        r = expect["rank"]
        statement = (phrases[0] if r == 1 else phrases[1]).format(s=subject, w=word, r=r)
        ok = position == r
    shown = ", ".join(f"{w} ({s:.4f})" for w, s in answers)
    where = f"'{word}' is #{position}" if position else f"'{word}' is not among the top {len(words)}"
    return Claim(statement=statement, ok=ok, actual=f"{where}; the model's answers: {shown}")


# --- "sim(a, b) > sim(c, d)" (similarity, one-hot vs dense) -----------------

COMPARISON = re.compile(r"^\s*(\S+)\s*~\s*(\S+)\s*([<>])\s*(\S+)\s*~\s*(\S+)\s*$")


def parse_comparison(text: str) -> tuple[list[str], str, list[str]]:
    m = COMPARISON.match(text)
    if not m:
        raise LexiconError(f"cannot read the comparison '{text}'",
                           fix="write it as 'cat~dog > cat~car' (similarity of cat and dog "
                               "is greater than that of cat and car)")
    a, b, op, c, d = m.groups()
    return [a, b], op, [c, d]


def check_comparison(text: str, left: float, right: float) -> Claim:
    (a, b), op, (c, d) = parse_comparison(text)
    ok = left > right if op == ">" else left < right
    return Claim(statement=f"similarity({a}, {b}) {op} similarity({c}, {d})", ok=ok,
                 actual=f"similarity({a}, {b}) = {left:.4f}, similarity({c}, {d}) = {right:.4f}")


def check_order(labels: list[str], scores: list[float], expected: list[str], what: str) -> Claim:
    """The model's order (highest score first) equals ``expected``."""
    order = [lab for _, lab in sorted(zip(scores, labels), key=lambda t: -t[0])]
    shown = ", ".join(f"{lab} ({s:.4f})" for s, lab in sorted(zip(scores, labels), key=lambda t: -t[0]))
    return Claim(statement=f"the model orders {what} as {' > '.join(expected)}",
                 ok=order == list(expected), actual=f"the model's order: {shown}")
