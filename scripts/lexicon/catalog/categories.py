"""The category tree (``docs/_data/categories.yml``): every term's category must be listed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ..errors import LexiconError
from ..locate import line_of_key
from ..sources import check_text, line_of_field, present, read_text, read_yaml
from ..terms import Term, TermIndex

CATEGORIES_FILE = "_data/categories.yml"
ENTRY_FIX = "write entries like:\n  - path: Similarity & Distance\n    about: One sentence."


@dataclass
class Category:
    path: str
    about: str

    @property
    def parts(self) -> list[str]:
        return self.path.split(" / ")


def load_categories(docs_dir: Path, index: TermIndex) -> list[Category]:
    """The category tree; without a categories file, the categories the terms use, A–Z."""
    path = docs_dir / CATEGORIES_FILE
    if not present(path):
        used = sorted({" / ".join(t.category) for t in index.terms.values()})
        return [Category(p, "") for p in used]
    rel = f"{index.docs_rel}/{CATEGORIES_FILE}"
    data, text = read_yaml(path, rel, fix=ENTRY_FIX)
    data = data or []
    if not isinstance(data, list) or not all(isinstance(d, dict) and isinstance(d.get("path"), str) for d in data):
        raise LexiconError("the category list must be a list of entries with a 'path'", file=rel, line=1,
                           fix=ENTRY_FIX)
    cats = [Category(d["path"], str(d.get("about", ""))) for d in data]
    index.category_order = [c.path for c in cats]
    seen: dict[str, int] = {}
    for i, cat in enumerate(cats):
        first = cats[seen.setdefault(cat.path.casefold(), i)].path
        if seen[cat.path.casefold()] != i:
            raise LexiconError(f"category '{cat.path}' is listed twice"
                               + ("" if first == cat.path else f" (first as '{first}')"), file=rel,
                               line=_line_of_path(text, cat.path),
                               fix="list each category path once: the navigation would show it twice")
    for cat in cats:                  # shown on the category pages, the home page and the nav
        line = _line_of_path(text, cat.path)
        check_text(cat.path, "category path", rel, line)
        check_text(cat.about, f"'about' of category '{cat.path}'", rel, line_of_field(text, line, "about"))
    known = [c.path for c in cats]
    for term in index.terms.values():
        joined = " / ".join(term.category)
        if joined not in known:
            close = difflib.get_close_matches(joined, known, n=1, cutoff=0.5)
            raise LexiconError(
                f"category '{joined}' is not in {rel}", file=term.src_path,
                line=_line(term, "category"),
                fix=(f"did you mean '{close[0]}'? " if close else "") +
                    f"use one of the listed paths, or add the new one to {rel}")
    return cats


def _line(term: Term, key: str) -> int:
    return line_of_key(read_text(term.abs_path, term.src_path), key)


def _line_of_path(text: str, path: str) -> int:
    """The line of the last entry whose path is ``path`` (the second of two is the one to remove)."""
    found = 1
    for i, line in enumerate(text.split("\n"), start=1):
        value = line.strip().removeprefix("-").strip()
        if value.startswith("path:") and value[5:].strip().strip("'\"").casefold() == path.casefold():
            found = i
    return found


