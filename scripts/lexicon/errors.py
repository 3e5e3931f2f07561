"""One error type for everything an author can get wrong.

Every message names the file, the line and the fix, so that `mkdocs build`
reads like a compiler: ``docs/terms/embedding.md:42: ... Fix: ...``.
"""

from __future__ import annotations

import re

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
        return clip(text)


# An error quotes at most this many characters of any one value: a 200,000-letter word is shown
# as its first 100 and "…", not as a line of 200,000 characters.
SHOWN = 100
_QUOTED = re.compile(r"""(?<!\w)(['"])([^'"\n]{%d,})\1(?!\w)""" % (SHOWN + 1))
_RUN = re.compile(r"\S{%d,}" % (2 * SHOWN + 1))     # unquoted; a long path is left whole


def shown(value) -> str:
    """``repr(value)``, cut to :data:`SHOWN` characters and an ellipsis (a list or mapping, too)."""
    text = repr(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def schema_message(err) -> str:
    """A jsonschema error's message, with the value it quotes cut by :func:`shown`."""
    return err.message.replace(repr(err.instance), shown(err.instance), 1)


def clip(text: str) -> str:
    """``text`` with every quoted value, every list or mapping in brackets, and every unbroken run
    of letters cut to :data:`SHOWN` characters and an ellipsis."""
    text = _clip_brackets(text)
    text = _QUOTED.sub(lambda m: f"{m[1]}{m[2][:SHOWN]}…{m[1]}", text)
    return _RUN.sub(lambda m: m[0][:SHOWN] + "…", text)


def _clip_brackets(text: str) -> str:
    out, start, depth = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "[{":
            if depth == 0:
                out.append(text[start:i])
                start = i
            depth += 1
        elif ch in "]}" and depth:
            depth -= 1
            if depth == 0:
                span = text[start:i + 1]
                out.append(span if len(span) <= SHOWN + 2 else span[:SHOWN] + "…" + ch)
                start = i + 1
    out.append(text[start:])
    return "".join(out)


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
                "docs/blocks/, the block reference)"))
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


class Refused(yaml.MarkedYAMLError):
    """YAML the build will not read: nested deeper than ``LIMITS['nesting']`` (``engine.options``), or
    holding an alias inside its own anchor (a loop); ``fix`` says what to do."""

    def __init__(self, mark, problem: str, fix: str):
        super().__init__(problem=problem, problem_mark=mark)
        self.fix = fix


def _too_deep(mark, limit: int) -> Refused:
    return Refused(mark, f"lists or mappings are nested here more than {limit} levels deep, the limit",
                   f"write it with at most {limit} levels of lists and mappings inside one another (a block "
                   "option, a front matter field or a data file needs 3 or 4)")


def load_yaml(source: str):
    """YAML read with libyaml, nested at most ``LIMITS['nesting']`` levels; on an error, PyYAML's own
    parser says what is wrong (in plainer words). An alias inside its own anchor (a loop) is refused.

    The depth is measured on the composed nodes, where an alias is the node it names (shared, not
    copied), so a "billion laughs" of aliases costs what its text costs. libyaml itself refuses
    more than 1,000 levels; the pure-Python parser would recurse once per level (RecursionError),
    so it is never asked about a text libyaml found too deep.
    """
    from .engine.options import LIMITS

    limit = LIMITS["nesting"]
    try:
        return _load(source, SAFE_LOADER, limit)
    except Refused:
        raise
    except yaml.YAMLError as exc:
        if "nesting depth" in str(exc):
            raise _too_deep(getattr(exc, "problem_mark", None), limit) from None
        if SAFE_LOADER is yaml.SafeLoader:
            raise
        try:
            _load(source, yaml.SafeLoader, limit)
        except RecursionError:
            raise exc from None
        raise


def _load(source: str, loader_class, limit: int):
    loader = loader_class(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_depth(node, limit)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_depth(root, limit: int) -> None:
    """Refuse the first node holding more than ``limit`` levels, or itself (each node is visited once)."""
    height: dict[int, int] = {}
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        kids = [k for pair in node.value for k in pair] if isinstance(node, yaml.MappingNode) else \
            node.value if isinstance(node, yaml.SequenceNode) else ()
        if done:
            height[id(node)] = 1 + max((height.get(id(k), 0) for k in kids), default=0)
            if height[id(node)] > limit:
                raise _too_deep(node.start_mark, limit)
        elif height.get(id(node)) == 0:
            raise Refused(node.start_mark, "an alias (*name) here stands for a list or mapping that holds it: "
                          "a loop", "write the values out, or use an alias only after its anchor's value has ended")
        elif id(node) not in height and isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            height[id(node)] = 0      # in progress: met again before it is done, it holds itself
            stack.append((node, True))
            stack.extend((k, False) for k in kids)
