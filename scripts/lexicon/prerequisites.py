"""Declared prerequisites: validation (known, not self, not higher, acyclic) and the graph helpers.

A term's front matter may name, under ``prerequisites``, the terms a reader needs first. The
learning path draws their transitive reduction: a prerequisite that another prerequisite already
implies (a→b→c and a→c) is left out of "Before this" and of the graph.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Mapping

from .errors import LexiconError
from .locate import line_of_key
from .sources import read_text

if TYPE_CHECKING:
    from .terms import Term


def _line(term: "Term") -> int:
    try:
        return line_of_key(read_text(term.abs_path, term.src_path), "prerequisites")
    except LexiconError:
        return 1


def check_prerequisites(terms: Mapping[str, "Term"]) -> None:
    """Every prerequisite is another term page at the same level or lower, and none loops back."""
    for term in terms.values():
        for slug in term.prerequisites:
            if slug == term.slug:
                raise LexiconError("a term cannot be its own prerequisite", file=term.src_path,
                                   line=_line(term), fix=f"remove '{slug}' from prerequisites")
            if slug not in terms:
                close = difflib.get_close_matches(slug, sorted(terms), n=3)
                raise LexiconError(
                    f"prerequisite '{slug}' is not a term page", file=term.src_path, line=_line(term),
                    fix=(f"did you mean {', '.join(close)}? " if close else "") +
                        "prerequisites name existing term pages by slug (the file name without .md)")
            other = terms[slug]
            if other.level > term.level:
                raise LexiconError(
                    f"prerequisite '{slug}' is at level {other.level}, higher than this term's level "
                    f"{term.level}", file=term.src_path, line=_line(term),
                    fix=f"remove '{slug}' from prerequisites (it may stay under related), or set this "
                        f"term's level to {other.level} or more, or lower the level of {other.src_path}")
    cycle = find_cycle({s: t.prerequisites for s, t in terms.items()})
    if cycle:
        first = terms[cycle[0]]
        raise LexiconError(
            "prerequisites form a cycle: " + " → ".join(cycle) + " (each needs the next)",
            file=first.src_path, line=_line(first),
            fix="a term cannot need, even through other terms, a term that needs it: remove one of "
                + ", ".join(f"'{n}' from the prerequisites of {terms[s].src_path}"
                            for s, n in zip(cycle, cycle[1:])))


def find_cycle(graph: Mapping[str, list[str]]) -> list[str]:
    """A cycle as [a, b, ..., a] (a needs b ...), or [] when there is none. Depth-first, in slug order."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt in graph and nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def ancestors(graph: Mapping[str, list[str]]) -> dict[str, set[str]]:
    """Every term's prerequisites, direct and indirect (the graph must be acyclic)."""
    memo: dict[str, set[str]] = {}

    def up(node: str) -> set[str]:
        if node not in memo:
            memo[node] = set()
            for p in graph.get(node, ()):
                memo[node] |= {p} | up(p)
        return memo[node]

    return {s: up(s) for s in graph}


def reduce(graph: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The transitive reduction: drop a prerequisite that another prerequisite already needs."""
    anc = ancestors(graph)
    return {s: [p for p in pre if not any(p in anc[q] for q in pre if q != p)] for s, pre in graph.items()}
