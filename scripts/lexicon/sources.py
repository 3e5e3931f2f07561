"""Reading the author's files: one way for every page and data file the build reads itself.

Term pages, ``docs/_data/*.yml`` and the bibliography are read here, never with a bare
``read_text``: a file that is not UTF-8 gets an error naming the file, the line and the byte,
and a byte-order mark (which some editors write) is dropped, as MkDocs drops it. YAML data files
are parsed here too, so a YAML error names the file and the line, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import LexiconError, load_yaml, yaml_problem

BOM = b"\xef\xbb\xbf"
UTF8_FIX = ("save the file as UTF-8 (in most editors: Save with Encoding, UTF-8); the build reads every "
            "page and data file as UTF-8")


def read_text(path: Path | str, rel: str) -> str:
    """The text of ``path`` (shown as ``rel`` in errors): UTF-8, a leading byte-order mark dropped."""
    data = Path(path).read_bytes()
    if data.startswith(BOM):
        data = data[len(BOM):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LexiconError(f"the file is not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, "
                           f"column {column} is not valid UTF-8", file=rel, line=line, fix=UTF8_FIX) from None


def read_yaml(path: Path | str, rel: str, *, fix: str) -> tuple[object, str]:
    """A YAML data file's data (``None`` when it is empty) and its text; ``fix`` says how it is written."""
    text = read_text(path, rel)
    return parse_yaml(text, rel, fix=fix), text


def parse_yaml(text: str, rel: str, *, fix: str, first_line: int = 1):
    """YAML ``text`` from ``rel`` (its first line is ``first_line`` of the file), errors located."""
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc)
        raise LexiconError(f"not valid YAML: {problem}", file=rel,
                           line=(line + first_line) if line is not None else first_line, fix=fix) from None


def check_text(value: str, what: str, rel: str, line: int) -> None:
    """An author string read from front matter or a data file (a title, an alias, a summary, a
    category, a planned term's title, a reference's fields), checked once, here, where it is
    written: pages show it as text (``catalog.md_text``, ``html.escape``), and its Markdown must
    pass the rule every author string passes (:func:`lexicon.render.author_markdown`), so no link
    it makes can run or leave the site wherever it is shown. ``what`` names it, e.g. "summary"."""
    from .render import author_markdown

    try:
        author_markdown(value, what=f"the {what}")
    except LexiconError as err:
        raise LexiconError(err.message, file=rel, line=line, fix=err.fix) from None


def line_of_field(text: str, start: int, field: str) -> int:
    """The line of ``field:`` in the YAML entry that begins on line ``start`` (1-based; ``start`` if
    the entry does not write it on one of its indented lines)."""
    lines = text.split("\n")
    for i in range(start, len(lines)):
        stripped = lines[i].lstrip(" -")
        if stripped.startswith(f"{field}:"):
            return i + 1
        if lines[i][:1] not in (" ", "\t", "#", ""):
            break                               # the next entry
    return start
