"""What the tfidf kind ranks and the claims it reads: the two orders of a story's words, and the
statements ``top_count = the``, ``top_tfidf in stopwords``, ``tfidf(qantas) > tfidf(the)``, ``idf(the) = 1``,
``stopwords(count) > stopwords(tfidf)``.

A story's words are held as ``{word: [count, df, idf, tfidf, stop word (0/1)]}``.
"""

from __future__ import annotations

import re

from ...errors import LexiconError
from ...render import fmt

BY = {"count": "raw count", "tfidf": "TF-IDF"}
_W = r"([^\s,()]+)"
TERM = rf"(count|df|idf|tfidf|count_rank|tfidf_rank)\(\s*{_W}\s*\)|stopwords\(\s*(count|tfidf)\s*\)"
TOP = re.compile(rf"^\s*top_(count|tfidf)\s*=\s*{_W}\s*$")
STOP = re.compile(r"^\s*top_(count|tfidf)\s+(in|not in)\s+stopwords\s*$")
COMPARE = re.compile(rf"^\s*(?:{TERM})\s*(<=|>=|<|>|=)\s*(?:{TERM}|([-\u2212]?\d+(?:\.\d+)?))\s*$")
CLAIM_FIX = ("write 'top_count = the', 'top_tfidf = qantas', 'top_count in stopwords', "
             "'tfidf(qantas) > tfidf(the)', 'idf(the) = 1', 'df(qantas) < 20', 'tfidf_rank(pay) <= 3' or "
             "'stopwords(count) > stopwords(tfidf)' (terms: count, df, idf, tfidf, count_rank, tfidf_rank of a "
             "word; stopwords(count) or stopwords(tfidf), the stop words in a table)")


def ranking(entries: dict, by: str) -> list[str]:
    """The story's words by count (ties alphabetical), or by TF-IDF as the table shows it (ties by count,
    then alphabetical)."""
    if by == "count":
        return sorted(entries, key=lambda t: (-entries[t][0], t))
    return sorted(entries, key=lambda t: (-entries[t][3], -entries[t][0], t))


def parse_statement(text: str):
    """('top', by, word), ('stop', by, negated) or ('compare', term, op, term | number); a term is
    (name, word) or ('stopwords', by)."""
    text = str(text)
    m, s, c = TOP.match(text), STOP.match(text), COMPARE.match(text)
    if m:
        return ("top", m.group(1), m.group(2))
    if s:
        return ("stop", s.group(1), s.group(2) == "not in")
    if not c:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    g = c.groups()

    def term(name, word, by):
        return ("stopwords", by) if by else (name, word)

    left, op = term(*g[0:3]), g[3]
    right = term(*g[4:7]) if g[4] or g[6] else float(g[7].replace("\u2212", "-"))
    return ("compare", left, op, right)


def term_value(result: dict, term: tuple):
    """A term's number, or None when the story cannot give it (a word it lacks has no df, idf or rank)."""
    name, arg = term
    if name == "stopwords":
        return sum(result["words"][t][4] for t in result["by_" + arg])
    entry = result["words"].get(arg)
    if name in ("count", "tfidf"):
        return (entry[0] if name == "count" else entry[3]) if entry else 0
    if entry is None:
        return None
    if name in ("df", "idf"):
        return entry[1] if name == "df" else entry[2]
    return ranking(result["words"], name.split("_")[0]).index(arg) + 1


def said(result: dict, term: tuple, v) -> str:
    name, arg = term
    if name == "stopwords":
        return f"{v} of the top {len(result['by_' + arg])} words by {BY[arg]} are stop words"
    if v is None:
        return f"'{arg}' does not occur in story {result['story']}, so it has no {name.replace('_', ' ')} here"
    return f"{name}({arg}) = {fmt(v) if isinstance(v, float) else v}"


def holds(left, op: str, right) -> bool:
    return {"<": left < right, ">": left > right, "=": left == right,
            "<=": left <= right, ">=": left >= right}[op]


def term_name(term: tuple) -> str:
    return f"{term[0]}({term[1]})"


def cell(result: dict, word: str, by: str) -> str:
    v = result["words"][word]
    return str(v[0]) if by == "count" else fmt(v[3])
