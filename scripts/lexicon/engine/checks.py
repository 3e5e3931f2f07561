"""Claims: what an author says a block's result is, checked against the computation.

A claim is created already located (the page, line, block and anchor it belongs to),
through the :class:`Checks` a kind's ``claims`` method is handed. A false claim is
logged as an error (a strict build fails), shown in red under its block, and listed
with every true one on the claims audit page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import LexiconError
from ..geometry import finite, shows_non_finite, tied


@dataclass(frozen=True)
class Where:
    """Where a claim was made: ``file:line`` for people, ``page#anchor`` for links."""

    file: str               # docs/terms/embedding.md (or notebooks/x.ipynb)
    line: int               # 1-based; 0 when unknown
    kind: str               # the block kind, or "notebook check"
    page: str = ""          # docs-relative source of the page: terms/embedding.md
    anchor: str = ""


@dataclass
class Claim:
    statement: str          # what the author claims, in words
    ok: bool                # does the computation agree?
    actual: str             # what it says, in words
    where: Where = field(default_factory=lambda: Where("", 0, ""))
    against: str = "the model"   # "Checked against <against>: …"

    def __post_init__(self):
        # The one guard every claim passes, however it is made (a block's Checks, a notebook's
        # check cell): no ✓ beside a number that is not a number (lexicon.geometry).
        if self.ok and shows_non_finite(self.actual):
            self.ok, self.actual = False, self.actual + NOT_FINITE


class Checks:
    """Collects the claims of one block, each located where the block is."""

    def __init__(self, where: Where, against: str = "the model"):
        self.where = where
        self.against = against
        self.made: list[Claim] = []

    def __call__(self, statement: str, ok: bool, actual: str, *, against: str | None = None,
                 decided_by: list[float] | None = None) -> Claim:
        """``decided_by``: the scores the claim's answer wins on (the highest wins): if it ties the
        runner-up, the answer is decided by rounding and the claim is not true."""
        if ok and decided_by is not None and not finite(*decided_by):
            ok, actual = False, actual + NOT_FINITE
        best = sorted(decided_by or [], reverse=True)[:2]
        if ok and len(best) == 2 and tied(*best):
            ok, actual = False, actual + " (the best two scores tie: the answer is decided by rounding, not by the model)"
        claim = Claim(statement, bool(ok), actual, self.where, against or self.against)
        self.made.append(claim)
        return claim

    def rank(self, expect: dict, answers: list[list], subject: str, phrases=None) -> Claim:
        """A rank expectation (``parse_rank``) against a ranked list ``[[word, score], ...]``."""
        phrases = phrases or ANALOGY_PHRASES
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
        tie = _tie(answers, position, expect) if ok else ""
        return self(statement, ok and not tie, f"{where}{tie}; the model's answers: {shown}")

    def listed(self, claim: dict, answers: list[list], subject: str) -> Claim:
        """A ``parse_listed`` claim (``rank``, ``within`` or ``absent``) about a neighbour list."""
        if not claim.get("absent"):
            return self.rank(claim, answers, subject, NEIGHBOUR_PHRASES)
        word, words = claim["word"], [w for w, _ in answers]
        shown = ", ".join(f"{w} ({s:.4f})" for w, s in answers)
        where = f"'{word}' is #{words.index(word) + 1}" if word in words else f"'{word}' is not in the list"
        return self(f"'{word}' is not among the {len(words)} nearest words to {subject}", word not in words,
                    f"{where}; the list: {shown}")

    def comparison(self, text: str, left: float, right: float) -> Claim:
        """``cat~dog > cat~car`` given the two similarities."""
        (a, b), op, (c, d) = parse_comparison(text)
        ok = (left > right if op == ">" else left < right) and not tied(left, right) and finite(left, right)
        return self(f"similarity({a}, {b}) {op} similarity({c}, {d})", ok,
                    f"similarity({a}, {b}) = {left:.4f}, similarity({c}, {d}) = {right:.4f}")

    def order(self, labels: list[str], scores: list[float], expected: list[str], what: str) -> Claim:
        """The order of ``labels`` by score (highest first) is ``expected``."""
        ranked = sorted(zip(scores, labels), key=lambda t: -t[0])
        shown = ", ".join(f"{lab} ({s:.4f})" for s, lab in ranked)
        ties = [f"{a} and {b}" for (s, a), (t, b) in zip(ranked, ranked[1:]) if tied(s, t)]
        tie = f" ({', '.join(ties)} tie: their order is decided by rounding)" if ties else ""
        return self(f"the model orders {what} as {' > '.join(expected)}",
                    [lab for _, lab in ranked] == list(expected) and not ties and finite(*scores),
                    f"the model's order: {shown}{tie}")


NOT_FINITE = " (a number here is not finite: nothing can be checked against it)"


def _tie(answers: list[list], position: int, expect: dict) -> str:
    """Why a rank claim that holds is decided by rounding: its word ties the word across the line
    it draws (rank r: the words at r-1 and r+1; within k: the word at k+1), or its score is not finite."""
    scores = [s for _, s in answers]
    if not finite(*scores):
        return NOT_FINITE
    i = position - 1
    across = [i - 1, i + 1] if "rank" in expect else [expect["within"]]
    for j in (j for j in across if 0 <= j < len(scores)):
        if tied(scores[i], scores[j]):
            return (f", tied with '{answers[j][0]}' ({scores[j]:.4f}): the order is decided by rounding, "
                    "not by the model")
    return ""


# --- "the word is at rank r / within the top k" ---------------------------------------------

ANALOGY_PHRASES = ("the top answer of {s} is '{w}'", "'{w}' is answer #{r} of {s}",
                   "'{w}' is within the top {k} answers of {s}")
NEIGHBOUR_PHRASES = ("the nearest word to {s} is '{w}'", "'{w}' is the #{r} nearest word to {s}",
                     "'{w}' is within the {k} nearest words to {s}")

RANK_SCHEMA = {
    "oneOf": [
        {"type": "string", "minLength": 1},
        {"type": "object", "additionalProperties": False, "required": ["word"],
         "properties": {"word": {"type": "string", "minLength": 1},
                        "rank": {"type": "integer", "minimum": 1},
                        "within": {"type": "integer", "minimum": 1}}},
    ]
}


def parse_rank(value) -> dict:
    """``queen`` | ``{word: queen}`` | ``{word: smaller, rank: 2}`` | ``{word: smaller, within: 3}``."""
    if isinstance(value, str):
        return {"word": value, "rank": 1}
    if "rank" in value and "within" in value:
        raise LexiconError("'expect' takes either 'rank' or 'within', not both",
                           fix="keep one: rank: 2 (exactly second) or within: 3 (somewhere in the top 3)")
    if "within" in value:
        return {"word": value["word"], "within": value["within"]}
    return {"word": value["word"], "rank": value.get("rank", 1)}


LISTED_SCHEMA = {"rank": {"type": "integer", "minimum": 1}, "within": {"type": "integer", "minimum": 1},
                 "absent": {"const": True}}


def parse_listed(item: dict, word: str, topn: int) -> dict:
    """A claim about a list of nearest words: ``rank``, ``within`` or ``absent: true`` (one of
    them, none meaning rank 1), checked against how long the list is."""
    kinds = [k for k in ("rank", "within", "absent") if k in item]
    if len(kinds) > 1:
        raise LexiconError(f"the claim about '{word}' has {' and '.join(kinds)}; use one",
                           fix="rank: 2 (exactly second), within: 5 (in the top 5) or absent: true (not in the list)")
    if item.get("rank", item.get("within", 1)) > topn:
        raise LexiconError(f"the claim about '{word}' looks further down the list than 'topn' ({topn}) computes",
                           fix="raise 'topn' or lower 'rank'/'within'")
    if "absent" in item:
        return {"word": word, "absent": True}
    if "within" in item:
        return {"word": word, "within": item["within"]}
    return {"word": word, "rank": item.get("rank", 1)}


def check_depth(expect: dict | None, topn: int) -> None:
    """A rank expectation must fit in the list the block computes."""
    if expect and expect.get("within", expect.get("rank")) > topn:
        raise LexiconError("'expect' looks further down the list than 'topn' computes",
                           fix="raise 'topn' or lower 'rank'/'within'")


# --- "sim(a, b) > sim(c, d)" ------------------------------------------------------------------

COMPARISON = re.compile(r"^\s*(\S+)\s*~\s*(\S+)\s*([<>])\s*(\S+)\s*~\s*(\S+)\s*$")


def parse_comparison(text: str) -> tuple[list[str], str, list[str]]:
    m = COMPARISON.match(str(text))
    if not m:
        raise LexiconError(f"cannot read the comparison '{text}'",
                           fix="write it as 'cat~dog > cat~car' (similarity of cat and dog "
                               "is greater than that of cat and car)")
    a, b, op, c, d = m.groups()
    return [a, b], op, [c, d]
