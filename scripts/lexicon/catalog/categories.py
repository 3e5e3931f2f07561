"""The category tree (``docs/_data/categories.yml``): every term's category must be listed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import LexiconError, load_yaml
from ..terms import Term, TermIndex

CATEGORIES_FILE = "_data/categories.yml"


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
    if not path.exists():
        used = sorted({" / ".join(t.category) for t in index.terms.values()})
        return [Category(p, "") for p in used]
    rel = f"{index.docs_rel}/{CATEGORIES_FILE}"
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise LexiconError(f"not valid YAML: {exc}", file=rel, fix="a list of '- path: A / B' and 'about: ...'")
    if not isinstance(data, list) or not all(isinstance(d, dict) and isinstance(d.get("path"), str) for d in data):
        raise LexiconError("the category list must be a list of entries with a 'path'", file=rel, line=1,
                           fix="write entries like:\n  - path: Similarity & Distance\n    about: One sentence.")
    cats = [Category(d["path"], str(d.get("about", ""))) for d in data]
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
    for i, line in enumerate(Path(term.abs_path).read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith(key + ":"):
            return i
    return 1


