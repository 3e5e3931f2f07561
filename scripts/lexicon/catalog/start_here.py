"""The home page's beginners' path (``docs/_data/start-here.yml``): a short list chosen by an editor.

The glossary grows across the whole field, so "every beginner term" would make the home page's first
path as long as a chapter. The path is instead a list of at most :data:`MAX_TERMS` beginner terms
(levels up to ``FEATURED_MAX_LEVEL``), each after its prerequisites; the list names the terms and the
site puts them in reading order (:class:`LearningPath`). A listed term's beginner prerequisites must
be listed too, so the path never sends a reader to a page that assumes one it skipped. Without the
file (a small site), the path is every beginner term, as before.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from ..errors import LexiconError
from ..sources import present, read_yaml
from ..terms import Term, TermIndex
from . import FEATURED_MAX_LEVEL
from .learning_path import LearningPath

START_FILE = "_data/start-here.yml"
MAX_TERMS = 12
FIX = "write a list of term slugs (file names under docs/terms/ without .md), like:\n  - token\n  - embedding"


def load_start_here(docs_dir: Path, index: TermIndex) -> list[str] | None:
    """The slugs the file lists, checked; ``None`` when there is no such file."""
    path = docs_dir / START_FILE
    if not present(path):
        return None
    rel = f"{index.docs_rel}/{START_FILE}"
    data, text = read_yaml(path, rel, fix=FIX)
    lines = _item_lines(text)
    if not isinstance(data, list) or not data or not all(isinstance(s, str) for s in data):
        raise LexiconError("the beginners' path must be a non-empty list of term slugs", file=rel,
                           line=lines[0] if lines else 1, fix=FIX)
    line = dict(zip(range(len(data)), lines))
    if len(data) > MAX_TERMS:
        raise LexiconError(f"the beginners' path lists {len(data)} terms; the home page shows at most {MAX_TERMS}",
                           file=rel, line=line.get(MAX_TERMS, 1),
                           fix="keep the first steps short: the learning path page lists every term in order")
    seen: set[str] = set()
    for i, slug in enumerate(data):
        where = {"file": rel, "line": line.get(i, 1)}
        if slug in seen:
            raise LexiconError(f"the beginners' path lists '{slug}' twice", **where, fix="list each term once")
        seen.add(slug)
        term = index.terms.get(slug)
        if term is None:
            close = difflib.get_close_matches(slug, list(index.terms), n=1, cutoff=0.6)
            raise LexiconError(f"the beginners' path lists '{slug}', which has no page", **where,
                               fix=(f"did you mean '{close[0]}'? " if close else "")
                                   + "name a file of docs/terms/ without .md")
        if term.level > FEATURED_MAX_LEVEL:
            raise LexiconError(f"the beginners' path lists '{slug}', a level {term.level} term", **where,
                               fix=f"list beginner terms only (level {FEATURED_MAX_LEVEL} or below)")
    path_ = LearningPath(index)
    for i, slug in enumerate(data):
        missing = [t.slug for t in path_.before(slug) if t.level <= FEATURED_MAX_LEVEL and t.slug not in seen]
        if missing:
            raise LexiconError(f"the beginners' path lists '{slug}' but not its prerequisite "
                               f"{', '.join(repr(m) for m in missing)}", file=rel, line=line.get(i, 1),
                               fix="list the prerequisite too, or choose a term that needs fewer")
    return list(data)


def start_order(index: TermIndex, slugs: list[str] | None) -> list[Term]:
    """The path in reading order: the listed terms (or every beginner term) after their prerequisites."""
    order = LearningPath(index).order(FEATURED_MAX_LEVEL)
    return order if slugs is None else [t for t in order if t.slug in set(slugs)]


def _item_lines(text: str) -> list[int]:
    """The line of each top-level list item, in order."""
    return [i for i, ln in enumerate(text.split("\n"), start=1) if ln.startswith("- ") or ln == "-"]
