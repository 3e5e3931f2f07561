"""Analogy queries such as ``king - man + woman``: read once here for every kind that takes one.

The browser reads them with the same rules (``core.js``, ``LatentLexicon.parseQuery``).
"""

from __future__ import annotations

import re

from ...errors import LexiconError
from ...geometry import check_terms


def parse_query(query: str) -> tuple[list[str], list[str]]:
    """``king - man + woman`` → (positive ``[king, woman]``, negative ``[man]``)."""
    parts = re.split(r"\s+([+-])\s+", query.strip())
    words, ops = parts[0::2], ["+"] + parts[1::2]
    if len(words) < 2 or any(not w or re.search(r"\s", w) for w in words):
        raise LexiconError(f"cannot read the query '{query}'",
                           fix="write words separated by ' + ' or ' - ' with spaces around "
                               "the signs, e.g. 'king - man + woman'")
    pos = [w for w, op in zip(words, ops) if op == "+"]
    neg = [w for w, op in zip(words, ops) if op == "-"]
    check_terms(pos, neg)
    return pos, neg


def pretty_query(query: str) -> str:
    """The query as the page shows it, with a real minus sign."""
    return re.sub(r"\s+-\s+", " − ", query.strip())


QUERY_DOC = ("Words joined by ` + ` or ` - `, with a space on each side of every sign, e.g. "
             "`king - man + woman`. The first word is always added.")
