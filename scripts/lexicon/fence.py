"""The superfences custom-fence entry point: a fenced block in, rendered HTML out.

Superfences swallows ordinary exceptions from a formatter (and falls back to
a code block), so errors are recorded on the page and raised by the plugin
after the page's Markdown is rendered.
"""

from __future__ import annotations

import logging
import re

from . import session as session_mod
from .blocks import REGISTRY, RenderContext
from .blocks.base import read_yaml
from .errors import LexiconError
from .render import error_html

log = logging.getLogger("mkdocs.plugins.lexicon")


def format_block(source, language, css_class, options, md, **kwargs):
    """Render one computed block (the ``format`` of every lexicon custom fence)."""
    session = session_mod.SESSION
    block = REGISTRY[language]
    src = session.page.src_path if session and session.page else "<unknown page>"
    line = session.locate(language, source) if session else None
    try:
        if session is None:
            raise LexiconError("computed blocks need the 'lexicon' plugin",
                               fix="add '- lexicon' under 'plugins:' in mkdocs.yml")
        data = read_yaml(language, source, block.schema, block.example)
        spec = block.parse(data)
        result = session.result(block, spec)
        anchor = session.unique_anchor(slugify(f"{block.kind} {block.anchor_hint(spec)}"))
        claims = block.claims(spec, result)
        for c in claims:
            c.file, c.line, c.block, c.anchor = src, line or 0, block.kind, anchor
            session.claims.append(c)
            if not c.ok:
                log.error("%s:%s: %s block: false claim: %s. The model says: %s.\n  Fix: correct the "
                          "claim (the 'expect' or 'answer' option) or the text around it.",
                          src, line, block.kind, c.statement, c.actual)
        session.blocks_rendered += 1
        session.usage.append((language, session.page.src_uri if session.page else "", anchor))
        return block.render(spec, result, RenderContext(model_id=session.model_id, anchor=anchor,
                                                        claims=claims))
    except Exception as exc:  # noqa: BLE001 - superfences would hide it as a plain code block
        if not isinstance(exc, LexiconError):
            log.exception("lexicon: internal error while rendering a %s block", language)
            exc = LexiconError(f"internal error: {type(exc).__name__}: {exc}",
                               fix="this is a bug in scripts/lexicon; please report it with the block")
        err = exc
        if err.line is None and getattr(err, "word", None):
            err.line = _line_with_word(source, err.word)
        # Lines inside the block are 0-based from the line after the fence. An error located
        # elsewhere (the model's settings in mkdocs.yml) keeps its own file and line.
        inner = None if err.file else err.line
        if not err.file:
            err.line = None
        err.located(file=src, line=(line + 1 + inner) if (line and inner is not None) else line,
                    block=language)
        if session and session.page:
            session.page.errors.append(err)
        return error_html(err)


def _line_with_word(source: str, word: str) -> int | None:
    """0-based line of the block that holds ``word`` (so an error points at it)."""
    for i, line in enumerate(source.split("\n")):
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", line):
            return i
    return None


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
