"""Where things are in a page's Markdown source: fenced blocks, front-matter keys and their line numbers.

Superfences hands a formatter the block's text but not its position, so the
plugin scans the page file itself. Every fence is skipped whole, as
superfences reads it, so a block shown as an example inside a longer
````markdown fence is not mistaken for a real one.
"""

from __future__ import annotations

import re
import textwrap
from typing import Iterator, NamedTuple

# The opening of a fence as pymdownx.superfences reads it, after any indent or '>' quote prefix:
# the kind is the first word (optionally with a dot) or the first class in {attrs}.
FENCE = re.compile(r"(?P<fence>~{3,}|`{3,})[ \t]*(?:\{[ \t]*\.(?P<cls>[\w#.+-]+)|\.?(?P<lang>[\w#.+-]+))?")
PREFIX = re.compile(r"[ \t>]*")


class Fence(NamedTuple):
    start: int          # 1-based line of the opening fence
    end: int            # 1-based line of the closing fence
    kind: str           # the fence's language, "" if none
    prefix: str         # indent and '>' quote marks before the opening fence
    body: list[str]     # the lines between, with the opening line's prefix removed


def iter_fences(markdown: str) -> Iterator[Fence]:
    """Every closed fence of the page, in order; an unclosed one is not a fence (as superfences)."""
    lines = markdown.split("\n")
    i = 0
    while i < len(lines):
        prefix = PREFIX.match(lines[i]).group(0)
        m = FENCE.match(lines[i], len(prefix))
        if m is None:
            i += 1
            continue
        closing = re.compile(re.escape(m.group("fence")) + r"[ \t]*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j][len(PREFIX.match(lines[j]).group(0)):]):
            j += 1
        if j == len(lines):
            i += 1
            continue
        body = [l[len(prefix):] if l.startswith(prefix) else l.lstrip(" \t>") for l in lines[i + 1:j]]
        yield Fence(i + 1, j + 1, m.group("lang") or m.group("cls") or "", prefix, body)
        i = j + 1


def find_fences(markdown: str, kinds) -> dict:
    """Map (kind, normalised body) of every block of a known kind to its line numbers."""
    out: dict = {}
    for f in iter_fences(markdown):
        if f.kind in kinds:
            out.setdefault((f.kind, normalise("\n".join(f.body))), []).append(f.start)
    return out


def fenced_lines(markdown: str) -> set[int]:
    """1-based numbers of every line inside (or opening/closing) a fence."""
    return {n for f in iter_fences(markdown) for n in range(f.start, f.end + 1)}


def normalise(body: str) -> str:
    return textwrap.dedent("\n".join(l.rstrip() for l in body.split("\n"))).strip()


def line_of_key(text: str, key: str) -> int:
    """The 1-based line where a top-level YAML key (front matter or data file) is written; 1 if absent."""
    for i, line in enumerate(text.split("\n"), start=1):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            return i
    return 1


def front_matter_lines(text: str) -> set[int]:
    """The 1-based lines of the page's front matter, both '---' fences included; empty if it has none."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                return set(range(1, i + 2))
    return set()
