"""Edit distances by dynamic programming (Wagner–Fischer), and close spellings among a model's words.

:func:`table` fills the Levenshtein table of two strings: cell (i, j) is the fewest insertions,
deletions and substitutions that turn the first i characters of ``a`` into the first j of ``b``.
:func:`osa` adds the swap of two neighbouring characters as one edit (optimal string alignment, the
distance the site's explorer uses for its suggestions); :func:`indel` allows only insertions and
deletions (a substitution then costs two). :func:`alignment` walks the table back into the edits.
:func:`suggestions` finds a string's closest words among the most frequent of a model's vocabulary.
No edit-distance library is installed here: the tests check these against a brute-force search.
"""

from __future__ import annotations

import numpy as np

from ...errors import LexiconError

MAX_LENGTH = 20   # characters of a string whose table is shown or compared
DISTANCES = {"levenshtein": "Levenshtein distance (insert, delete, substitute)",
             "osa": "optimal string alignment (Levenshtein plus swapping two neighbours)",
             "indel": "insertions and deletions only"}


def table(a: str, b: str) -> list[list[int]]:
    """The (len(a)+1) × (len(b)+1) Levenshtein table; its last cell is the distance."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    return d


def osa(a: str, b: str, limit: int | None = None) -> int:
    """Optimal-string-alignment distance; with ``limit``, ``limit + 1`` as soon as it must exceed it
    (the explorer's ``distance``)."""
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
        if limit is not None and min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[len(b)]


def indel(a: str, b: str) -> int:
    """Insertions and deletions only: len(a) + len(b) − 2 × the longest common subsequence."""
    lcs = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            lcs[i][j] = lcs[i - 1][j - 1] + 1 if a[i - 1] == b[j - 1] else max(lcs[i - 1][j], lcs[i][j - 1])
    return len(a) + len(b) - 2 * lcs[len(a)][len(b)]


def distance(kind: str, a: str, b: str) -> int:
    return {"levenshtein": lambda: table(a, b)[-1][-1], "osa": lambda: osa(a, b), "indel": lambda: indel(a, b)}[kind]()


def alignment(a: str, b: str, d: list[list[int]]) -> list[list]:
    """One cheapest path back through the table, from (0, 0): ``[op, i, j, char of a, char of b]`` with op
    keep / substitute / delete / insert. At a tie the walk prefers keep or substitute, then delete."""
    i, j, ops = len(a), len(b), []
    while i or j:
        if i and j and d[i][j] == d[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            ops.append(["keep" if a[i - 1] == b[j - 1] else "substitute", i, j, a[i - 1], b[j - 1]])
            i, j = i - 1, j - 1
        elif i and d[i][j] == d[i - 1][j] + 1:
            ops.append(["delete", i, j, a[i - 1], ""])
            i -= 1
        else:
            ops.append(["insert", i, j, "", b[j - 1]])
            j -= 1
    return ops[::-1]


def require_short(strings, what: str = "string") -> None:
    for s in strings:
        if not s or len(s) > MAX_LENGTH:
            raise LexiconError(f"the {what} '{s[:40]}' has {len(s)} characters; a table needs 1 to {MAX_LENGTH}",
                               fix=f"use words of 1 to {MAX_LENGTH} characters")


def suggestions(vocab: list[str], word: str, max_distance: int, limit: int | None) -> list[list]:
    """Up to ``limit`` words (all of them when ``limit`` is None) of ``vocab`` (most frequent first) within
    ``max_distance`` OSA edits of ``word``, other than the word itself: the closest first, then the most
    frequent, as the explorer orders them. ``[word, distance, rank]`` with rank from 1."""
    lengths = np.fromiter((len(w) for w in vocab), dtype=np.int64, count=len(vocab))
    near = np.flatnonzero(np.abs(lengths - len(word)) <= max_distance)   # each edit changes the length by ≤ 1
    found = []
    for i in near.tolist():
        w = vocab[i]
        if w != word:
            dist = osa(word, w, max_distance)
            if dist <= max_distance:
                found.append([w, dist, i + 1])
    found.sort(key=lambda t: (t[1], t[2]))
    return found[:limit]
