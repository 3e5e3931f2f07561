"""Reading the author's files: one way for every page and data file the build reads itself.

Term pages, ``docs/_data/*.yml``, the bibliography and the notebooks are read here, never with a
bare ``read_text``:

- anything at a file's name that is not a readable ordinary file (a folder, a symbolic link that
  loops or leads nowhere, a named pipe, a file without read permission) is an error naming the
  file and the fix, never a traceback (or, for a pipe, a build that waits forever);
- a file that is not UTF-8 gets an error naming the file, the line and the byte;
- a byte-order mark (which some editors write) is dropped, and every line ending (``\\r\\n``, and
  ``\\r`` alone, as old Mac editors write) is read as ``\\n``: MkDocs reads pages the same way
  (Python's universal newlines), so the build and MkDocs see the same lines.

YAML data files are parsed here too, so a YAML error names the file and the line, never a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import yaml

from .errors import LexiconError, load_yaml, yaml_problem

BOM = b"\xef\xbb\xbf"
UTF8_FIX = ("save the file as UTF-8 (in most editors: Save with Encoding, UTF-8); the build reads every "
            "page and data file as UTF-8")
_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def present(path: Path | str) -> bool:
    """Whether anything is at ``path``, even a symbolic link that loops or leads nowhere
    (which ``Path.exists`` reports as absent, so the file would be silently skipped)."""
    return os.path.lexists(path)


def check_file(path: Path | str, rel: str) -> None:
    """``path`` (shown as ``rel``) is an ordinary file that can be read; else a LexiconError that says
    what is there instead, and the fix."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise _unreadable(path, rel, exc) from None
    if stat.S_ISDIR(mode):
        raise LexiconError("this is a folder, not a file: the build reads every file with this name as a page "
                           "or data file", file=rel,
                           fix="rename the folder (a name ending in .md or .yml is read as a file), or move "
                               "the files in it to where they belong")
    kind = next((name for test, name in _KINDS if test(mode)), None)
    if kind is not None:
        raise LexiconError(f"this is {kind}, not an ordinary file: reading it would wait forever or read "
                           "endlessly", file=rel, fix="replace it by an ordinary file, or delete it")
    if not os.access(path, os.R_OK):
        raise _unreadable(path, rel, PermissionError(errno.EACCES, os.strerror(errno.EACCES)))


def _unreadable(path: Path, rel: str, exc: OSError) -> LexiconError:
    if exc.errno == errno.ELOOP:
        return LexiconError("this is a symbolic link that leads back to itself (a loop), so there is no file "
                            "to read", file=rel,
                            fix="replace the link by the file itself, or point it at an existing file "
                                "(`ls -l` shows where each link points)")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR) and path.is_symlink():
        return LexiconError(f"this is a symbolic link to {os.readlink(path)}, which does not exist", file=rel,
                            fix="point the link at an existing file, or delete it")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return LexiconError("the file cannot be read: permission denied", file=rel,
                            fix="give yourself read permission (chmod u+r on the file, and u+x on its folders)")
    return LexiconError(f"the file cannot be read: {exc.strerror or exc}", file=rel,
                        fix="check that the file exists and can be read, or delete it")


def read_bytes(path: Path | str, rel: str) -> bytes:
    """The bytes of an author's file, which must be an ordinary readable file (:func:`check_file`)."""
    check_file(path, rel)
    try:
        return Path(path).read_bytes()
    except OSError as exc:     # removed or changed between the check and the read
        raise _unreadable(Path(path), rel, exc) from None


def read_text(path: Path | str, rel: str) -> str:
    """The text of ``path`` (shown as ``rel`` in errors): UTF-8, a leading byte-order mark dropped,
    every line ending read as ``\\n``."""
    data = read_bytes(path, rel)
    if data.startswith(BOM):
        data = data[len(BOM):]
    # Byte for byte, as universal newlines do: a CR byte is never part of a UTF-8 sequence.
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
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
                           line=(line + first_line) if line is not None else first_line,
                           fix=getattr(exc, "fix", None) or fix) from None


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
