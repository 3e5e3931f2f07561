"""The Lee corpus as an inverted index: each word's posting list, and AND queries by merging. Shared by
``inverted-index`` and ``corpus-exercise`` (ask ``and-match``)."""

from __future__ import annotations

import functools

from ._lee import stories


@functools.lru_cache(maxsize=1)
def index() -> dict[str, tuple[int, ...]]:
    """Every word of the 300 stories -> the numbers (1-based lines) of the stories that contain it, ascending."""
    postings: dict[str, list[int]] = {}
    for n, s in enumerate(stories(), start=1):
        for w in sorted(set(s)):
            postings.setdefault(w, []).append(n)
    return {w: tuple(p) for w, p in postings.items()}


def intersect(a: list[int], b: list[int]) -> list[int]:
    """The merge of two ascending posting lists: walk both once, keep the numbers they share."""
    i = j = 0
    out = []
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            out.append(a[i])
            i += 1
            j += 1
        elif a[i] < b[j]:
            i += 1
        else:
            j += 1
    return out


def and_query(words: list[str]) -> dict:
    """The stories containing every word, by intersecting posting lists shortest first; how many posting
    entries that reads, against a scan of every story."""
    lists = sorted((list(index()[w]) for w in words), key=len)
    result = lists[0]
    for p in lists[1:]:
        result = intersect(result, p)
    return {"matches": result, "read": sum(len(p) for p in lists), "candidates": len(lists[0])}
