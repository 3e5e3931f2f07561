"""One error type for everything an author can get wrong.

Every message names the file, the line and the fix, so that `mkdocs build`
reads like a compiler: ``docs/terms/embedding.md:42: ... Fix: ...``.
"""

from __future__ import annotations


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
        where = self.file or "<unknown file>"
        if self.line is not None:
            where += f":{self.line}"
        what = f"{self.block} block: " if self.block else ""
        text = f"{where}: {what}{self.message}"
        if self.fix:
            text += f"\n  Fix: {self.fix}"
        return text
