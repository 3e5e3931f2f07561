"""A page's computed blocks: read, computed and checked before its Markdown is rendered.

``on_page_markdown`` hands the page to :meth:`PageBlocks.prepare`, which finds every fence
of a known kind (as superfences will read them), locates it in the page's file (so errors
name the author's line), reads its options, computes or fetches its result, and checks
its claims, each claim located as it is made. Prose can then quote the blocks' values,
and superfences' formatter (:func:`format_block`) only renders what was prepared.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field

from ..errors import LexiconError
from ..geometry import check_graded
from ..locate import find_fences, iter_fences, normalise
from ..render import error_html
from .checks import Checks, Where
from .frame import RenderContext, render_kind
from .kind import Kind
from .options import Spec
from .registry import registry
from .rendered import render_key

log = logging.getLogger("mkdocs.plugins.lexicon")


@dataclass
class Prepared:
    kind: Kind
    line: int | None                      # 1-based line of the opening fence in the file
    spec: Spec | None = None
    result: dict | None = None
    claims: list = field(default_factory=list)
    anchor: str = ""
    error: LexiconError | None = None


_HEADING_ID = re.compile(r"^#{1,6} .*\{#([A-Za-z0-9_-]+)\}[ \t]*$", re.M)


class PageBlocks:
    """The blocks of one page, in order; created per page by the plugin."""

    def __init__(self, build, src_path: str, src_uri: str, file_text: str):
        self.build, self.src_path, self.src_uri = build, src_path, src_uri
        self.kinds = registry()
        self._lines = find_fences(file_text, self.kinds)        # (kind, body) -> [line, ...]
        self._queue: dict = defaultdict(deque)                   # (kind, body) -> [Prepared, ...]
        self.blocks: list[Prepared] = []
        self.anchors: set[str] = set()
        self.errors: list[LexiconError] = []
        self.file_text = file_text
        self.rendered: list[str] = []                            # the blocks' HTML, as returned

    # --- preparing ------------------------------------------------------------------------------
    def prepare(self, markdown: str) -> None:
        # A heading's own id ("### explorer {#explorer}" in the block reference) is never a block's too.
        self.anchors.update(_HEADING_ID.findall(markdown))
        for fence in iter_fences(markdown):
            if fence.kind in self.kinds:
                body = "\n".join(fence.body)
                self._queue[(fence.kind, normalise(body))].append(self._prepare(fence.kind, body))

    def _prepare(self, name: str, source: str) -> Prepared:
        kind = self.kinds[name]
        lines = self._lines.get((name, normalise(source)))
        p = Prepared(kind, lines.pop(0) if lines else None)
        self.blocks.append(p)
        try:
            spec, key = self.build.read(kind, source)
            p.anchor = self._unique(slugify(f"{name} {kind.anchor_hint(spec)}"))
            where = (f"the {name} block at {self.src_path}:{p.line}" if p.line
                     else f"the {name} block generated into {self.src_path}")
            p.result = self.build.result(kind, spec, where, key)
            if kind.is_exercise:   # cached or fresh: an answer decided by a tie is never graded
                check_graded(kind.graded(spec, p.result), kind.graded_end(spec))
            check = Checks(Where(self.src_path, p.line or 0, name, self.src_uri, p.anchor),
                           against="the model" if kind.needs_model else "the computation")
            kind.claims(spec, p.result, check)
            p.spec, p.claims = spec, check.made
            self.build.claims.extend(check.made)
            for c in check.made:
                if not c.ok:
                    log.error("%s:%s: %s block: false claim: %s. The %s says: %s.\n  Fix: correct the "
                              "claim (the 'expect', 'answer' or other claim option) or the text around it.",
                              self.src_path, p.line, name, c.statement,
                              "model" if kind.needs_model else "computation", c.actual)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a located error on the page
            p.error = self._located(exc, name, source, p.line)
            self.errors.append(p.error)
        return p

    def _unique(self, base: str) -> str:
        anchor, n = base, 2
        while anchor in self.anchors:
            anchor, n = f"{base}-{n}", n + 1
        self.anchors.add(anchor)
        return anchor

    def _located(self, exc: Exception, kind: str, source: str, line: int | None) -> LexiconError:
        if not isinstance(exc, LexiconError):
            log.exception("lexicon: internal error while computing a %s block", kind)
            exc = LexiconError(f"internal error: {type(exc).__name__}: {exc}",
                               fix="this is a bug in scripts/lexicon; please report it with the block")
        err = exc
        if err.line is None and getattr(err, "word", None):
            err.line = _line_with_word(source, err.word)
        # Lines inside the block count from 0 after the fence. An error located elsewhere (the
        # model's settings in mkdocs.yml) keeps its own file and line.
        inner = None if err.file else err.line
        if not err.file:
            err.line = None
        return err.located(file=self.src_path, block=kind,
                           line=(line + 1 + inner) if (line and inner is not None) else line)

    # --- rendering (superfences) ---------------------------------------------------------------------
    def render(self, name: str, source: str) -> str:
        queue = self._queue.get((name, normalise(source)))
        p = queue.popleft() if queue else self._prepare(name, source)
        if p.error is not None:
            return self._out(error_html(p.error))
        kind, spec = p.kind, p.spec
        ctx = RenderContext(anchor=p.anchor, model_id=self.build.model.id, model_spec=self.build.model.spec,
                            explorer_words=self.build.explorer_words,
                            explorer_bytes=self.build.explorer_bytes, numbers=p.line is not None)
        try:
            html = self._render_cached(kind, spec, p, ctx)
        except Exception as exc:  # noqa: BLE001
            p.error = self._located(exc, name, source, p.line)
            self.errors.append(p.error)
            return self._out(error_html(p.error))
        self.build.stats.blocks += 1
        self.build.usage.append((name, self.src_uri, p.anchor))
        return self._out(html)

    def _out(self, html: str) -> str:
        self.rendered.append(html)
        return html

    def prose_errors(self, html: str) -> list[LexiconError]:
        """What the page's own Markdown (its prose, not its blocks, which are built by the kinds
        from checked author strings) puts on the page against :mod:`lexicon.sanitise`'s rule.
        Every page written in Markdown is checked (``plugin.on_page_content``), term or not;
        ``html`` is given without what the build's listings wrote into it."""
        from ..sanitise import FIX, findings

        for block in self.rendered:
            html = html.replace(block, "")
        out = []
        # Every page's scripts are the CSP check's, with a fix for scripts: said once.
        for found in findings(html, checked_elsewhere=("script",)):
            m = re.search(r'="([^"]*)"', found) or re.search(r"<(\w+)", found)
            needle = (m.group(1) if m and m.group(1) else found).removesuffix("…")   # a long value is cut
            line = next((i for i, ln in enumerate(self.file_text.split("\n"), 1) if needle.lower() in ln.lower()), None)
            out.append(LexiconError(f"the page's Markdown would put on the page what the site does not allow: {found}",
                                    file=self.src_path, line=line, fix=FIX))
        return out

    def _render_cached(self, kind, spec, p: Prepared, ctx: RenderContext) -> str:
        cache = self.build.rendered
        if cache is None:
            return render_kind(kind, spec, p.result, p.claims, ctx)
        key = render_key(kind.kind, spec, p.result, p.claims, ctx)
        entry = cache.get(key)
        if isinstance(entry, dict) and isinstance(entry.get("html"), str):
            return entry["html"]
        if entry is not None:   # sound JSON with its checksum, but not an entry this version writes
            log.info("lexicon: ignoring stale rendered cache entry %s (not a block's HTML); re-rendering its "
                     "HTML. Nothing to fix: the entry is rewritten", cache._path(key))
        html = render_kind(kind, spec, p.result, p.claims, ctx)
        cache.put(key, {"html": html})
        return html

    def names(self) -> list[str]:
        """What prose may call this page's blocks: their ids, and kinds the page has one block of."""
        ids = [p.spec.id for p in self.blocks if p.spec is not None and getattr(p.spec, "id", None)]
        kinds = [k for k in dict.fromkeys(p.kind.kind for p in self.blocks)
                 if sum(p.kind.kind == k for p in self.blocks) == 1]
        return list(dict.fromkeys(ids + kinds))

    def find(self, ref: str) -> Prepared | None:
        """The block that prose calls ``ref``: its ``id``, or its kind if the page has one such block."""
        named = [p for p in self.blocks if p.spec is not None and getattr(p.spec, "id", None) == ref]
        if named:
            return named[0]
        same = [p for p in self.blocks if p.kind.kind == ref]
        return same[0] if len(same) == 1 else None


def format_block(source, language, css_class, options, md, build=None, **kwargs):
    """The ``format`` of every lexicon custom fence (superfences), bound to the build."""
    page = build.page if build is not None else None
    if page is None:
        err = LexiconError("computed blocks need the 'lexicon' plugin",
                           fix="add '- lexicon' under 'plugins:' in mkdocs.yml")
        return error_html(err.located(block=language))
    return page.render(language, source)


def _line_with_word(source: str, word: str) -> int | None:
    """0-based line of the block that holds ``word`` (so an error points at it)."""
    for i, line in enumerate(source.split("\n")):
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", line):
            return i
    return None


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
