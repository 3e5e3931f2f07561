"""The rows of a text vectors file (word2vec, glove): what is wrong with a line, said plainly.

gensim reads a line as ``word`` then numbers, split on single spaces, and its errors name neither
the line nor the cause (``could not convert string to float``, ``could not broadcast``). When a
text model does not load, :func:`bad_line` finds the first line that breaks the format and says
how: it is empty, it has a field that is not a number (a word with a space in it), tabs where
spaces belong, a header where there should be none, or another count of numbers.
"""

from __future__ import annotations

import re
from pathlib import Path

_NUMBER = re.compile(rb"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|[-+]?(nan|inf)", re.I)
_HEADER = re.compile(rb"\d+ \d+")


def count_lines(path: Path) -> int:
    n = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            n += chunk.count(b"\n")
    return n


def cr_only(path: Path) -> bool:
    """Lines that end in CR alone (old Mac line endings): gensim sees one endless line."""
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    return b"\r" in head and b"\n" not in head


def bad_line(path: Path, fmt: str, header) -> tuple[int, str] | None:
    """The first line (1-based) that breaks the format, and what is wrong with it."""
    want = header[1] if header else None
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, start=1):
            if n == 1 and header:
                continue
            line = raw.rstrip(b"\r\n")
            if n == 1 and fmt == "glove" and _HEADER.fullmatch(line.strip()):
                return n, (f"line 1 is a '<words> <dims>' header ({line.decode()!r}), which a glove file does not "
                           "have: the file is in 'word2vec' format")
            if not line.strip():
                return n, f"line {n:,} is empty"
            if b"\t" in line:
                return n, f"line {n:,} separates its fields with tabs; the format wants single spaces"
            fields = line.rstrip(b" ").split(b" ")
            if not fields[0]:
                return n, f"line {n:,} starts with a space, so its word is empty"
            odd = next((f for f in fields[1:] if not _NUMBER.fullmatch(f)), None)
            if odd is not None:
                return n, (f"line {n:,}: {odd.decode('utf-8', 'replace')[:40]!r} is not a number (a word with a "
                           "space in it, or a damaged line)")
            found = len(fields) - 1
            if want is None:
                want = found
            elif found != want:
                return n, f"line {n:,} has {found} numbers where the other lines have {want}"
    return None
