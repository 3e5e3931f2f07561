"""Where things are in a page's Markdown source: fenced blocks and their line numbers.

Superfences hands a formatter the block's text but not its position, so the
plugin scans the page file itself. Every fence is skipped whole, as
superfences reads it, so a block shown as an example inside a longer
````markdown fence is not mistaken for a real one.
"""

from __future__ import annotations

import re
import textwrap
from typing import Iterator

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?[ \t]*\.?(?P<kind>[\w-]*)")


def iter_fences(markdown: str) -> Iterator[tuple[int, int, str, list[str]]]:
    """Yield (first line, last line, kind, dedented body lines) of every fence; lines are 1-based."""
    lines = markdown.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence = m.group("indent"), m.group("fence")
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        body = [l[len(indent):] if l.startswith(indent) else l for l in lines[i + 1:j]]
        yield i + 1, min(j + 1, len(lines)), m.group("kind"), body
        i = j + 1


def find_fences(markdown: str, kinds) -> dict:
    """Map (kind, normalised body) of every block of a known kind to its line numbers."""
    out: dict = {}
    for start, _, kind, body in iter_fences(markdown):
        if kind in kinds:
            out.setdefault((kind, normalise("\n".join(body))), []).append(start)
    return out


def fenced_lines(markdown: str) -> set[int]:
    """1-based numbers of every line inside (or opening/closing) a fence."""
    return {n for start, end, _, _ in iter_fences(markdown) for n in range(start, end + 1)}


def normalise(body: str) -> str:
    return textwrap.dedent("\n".join(l.rstrip() for l in body.split("\n"))).strip()
