"""Links to pages written inside computed blocks and notebooks, resolved as MkDocs resolves the page's own.

MkDocs turns ``[text](../benchmarks.md)`` into the target page's URL only in the Markdown it
renders itself. An author string rendered inside a block (an explanation, a caption) and a
notebook's Markdown cell reach the page as raw HTML, so their links to ``.md`` files stayed as
written and led nowhere (``terms/word-analogy/`` linked ``../benchmarks.md``). This pass resolves
every relative ``href`` that names a ``.md`` or ``.ipynb`` source file in the page's HTML against the
site's files; one that names no file is an error with the page and the fix. A link marked
``download`` (a notebook page's "download the notebook") names the file itself and is left alone.
"""

from __future__ import annotations

import posixpath
import re

from mkdocs.utils import get_relative_url

from .errors import LexiconError

_HREF = re.compile(r'href="(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^"#?]+\.(?:md|ipynb))(#[^"]*)?"')
_A_TAG = re.compile(r"<a\s[^>]*>", re.I)
_DOWNLOAD = re.compile(r"\sdownload(?:[\s=>]|$)", re.I)


def resolve(html: str, page, files) -> tuple[str, list[LexiconError]]:
    """``html`` with its links to source files turned into page URLs, and the links that lead nowhere."""
    errors: list[LexiconError] = []
    base = posixpath.dirname(page.file.src_uri)

    def one(m: re.Match) -> str:
        written, anchor = m.group(1), m.group(2) or ""
        target = posixpath.normpath(posixpath.join(base, written))
        found = files.get_file_from_path(target)
        if found is None or found.page is None and not found.src_uri.endswith(".md"):
            errors.append(LexiconError(
                f"the link '{written}' (in a block's text or a notebook cell) leads to no page: "
                f"docs/{target} does not exist", file=f"docs/{page.file.src_uri}",
                fix="write the path relative to this page's file, e.g. ../benchmarks.md from a term page"))
            return m.group(0)
        return f'href="{get_relative_url(found.url, page.url) or "./"}{anchor}"'

    def tag(m: re.Match) -> str:
        return m.group(0) if _DOWNLOAD.search(m.group(0)) else _HREF.sub(one, m.group(0))

    return _A_TAG.sub(tag, html), errors
