"""One error type for everything an author can get wrong.

Every message names the file, the line and the fix, so that `mkdocs build`
reads like a compiler: ``docs/terms/embedding.md:42: ... Fix: ...``.
"""

from __future__ import annotations

import yaml


class LexiconError(Exception):
    """A problem in the site's sources, located at ``file:line``, with a fix."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 fix: str | None = None, block: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.fix = fix
        self.block = block

    def located(self, file: str | None = None, line: int | None = None,
                block: str | None = None) -> "LexiconError":
        """Fill in the location if it is not known yet (inner code rarely knows it)."""
        self.file = self.file or file
        if line is not None and self.line is None:
            self.line = line
        self.block = self.block or block
        return self

    def __str__(self) -> str:
        what = f"{self.block} block: " if self.block else ""
        if self.file is None and self.line is None:
            text = f"{what}{self.message}"   # the message names its own file (e.g. a notebook's cell)
        else:
            where = (self.file or "<unknown file>") + (f":{self.line}" if self.line is not None else "")
            text = f"{where}: {what}{self.message}"
        if self.fix:
            text += f"\n  Fix: {self.fix}"
        return text


def fence_kind_typos(markdown: str, kinds, src: str) -> list[LexiconError]:
    """Fences whose name is a near miss of a block kind (```neighbors, ```Analogy).

    Superfences renders a fence of an unknown name as a plain code block, so a typo
    in a block kind would silently publish the block's YAML instead of its result.
    A fence named like a Pygments language (```python, ```yaml) is never reported.
    """
    import difflib

    from pygments.lexers import find_lexer_class_by_name
    from pygments.util import ClassNotFound

    from .locate import iter_fences

    kinds = sorted(kinds)
    found = []
    for fence in iter_fences(markdown):
        name = fence.kind
        if not name or name in kinds:
            continue
        close = difflib.get_close_matches(name.lower(), kinds, n=1, cutoff=0.75)
        if not close:
            continue
        try:
            find_lexer_class_by_name(name)
            continue  # a real language name
        except ClassNotFound:
            pass
        found.append(LexiconError(
            f"unknown block kind '{name}': this fence would be shown as plain code, not computed",
            file=src, line=fence.start,
            fix=f"did you mean '{close[0]}'? Write ```{close[0]} (every block kind is listed under "
                "docs/blocks.md, the block reference)"))
    return found


def yaml_problem(exc) -> tuple[str, int | None]:
    """What a YAML parser error says, and the 0-based line it should point at.

    When the parser names an unclosed construct (a quote, a bracket) that opened on an
    earlier line, that line is the one to fix, not the line where the parser gave up
    (often the end of the text): ``found unexpected end of stream (while scanning a
    quoted scalar that starts on this line)``.
    """
    problem = getattr(exc, "problem", None) or str(exc)
    mark = getattr(exc, "problem_mark", None)
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark is not None and (mark is None or context_mark.line != mark.line):
        return f"{problem} ({context} that starts on this line)", context_mark.line
    return problem, (mark.line if mark is not None else None)


# libyaml's safe loader when PyYAML was built with it (as the wheels are): the same YAML, read
# several times faster, which a warm build feels over two hundred blocks.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(source: str):
    """YAML read with libyaml; on an error, PyYAML's own parser says what is wrong (in plainer words)."""
    try:
        return yaml.load(source, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(source)
