"""Rebuilding only the edited page under ``mkdocs serve --dirty``, with whole-site outputs still whole.

MkDocs' dirty build reads and renders only the pages whose source is newer than their HTML.
Whatever a build collects from every page would then come from the edited page alone: the
claims audit, the block kinds' "used on" lists, ``glossary.json``'s anchors, the search index
and, in the navigation, the titles of pages that were not read. So between the builds of one
``mkdocs serve --dirty`` (the plugins define ``on_startup``, so MkDocs keeps the same plugin
objects), :class:`Carried` keeps what each page contributed when it last rendered and hands it
back for the pages a dirty build skips.

What a page shows of *other* pages comes from the site-wide inputs (:func:`fingerprint`): every
page's front matter and first heading, the term index read from them, ``docs/_data/``,
``mkdocs.yml``, the theme's overrides and the list of files. When that changes, every page is
rendered again. Otherwise a dirty build renders the pages whose source changed, the generated
pages whose Markdown changed (MkDocs would render every page held in memory), the notebooks'
pages (mkdocs-jupyter would otherwise evict their HTML from its cache as unused) and the pages
filled from the whole build (the claims audit, the block kinds). The first build of a session,
and any build after a failed one, renders every page. The test suite holds that a dirty
rebuild after an edit writes the same site, byte for byte, as a clean build of the edited sources.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from .catalog.listings import LATE, MARKER

log = logging.getLogger("mkdocs.plugins.lexicon")

SEARCH_PLUGIN = "material/search"
_DIRTY_WARNING = "A 'dirty' build is being performed"
_HEAD = re.compile(r"\A---\n.*?\n---\n|^#[ \t].*$", re.S | re.M)


@dataclass
class Contribution:
    """What one page gave the build when it last rendered."""
    title: str | None               # page.title, as the navigation prints it
    listed_as: str                  # its title in the build's listings (text)
    url: str
    claims: list = field(default_factory=list)
    usage: list = field(default_factory=list)
    anchors: list | None = None     # a term page's headings, for glossary.json
    search: list = field(default_factory=list)   # its entries in the search index, as Material wrote them
    made: str | None = None         # a generated page's Markdown (its hash), as the build made it


class Carried:
    """The pages' contributions, kept from one build of a ``mkdocs serve --dirty`` session to the next."""

    def __init__(self):
        self.fingerprint: tuple = (None, None)   # (site-wide inputs, pages other plugins add)
        self._early: str | None = None
        self._seen: set[str] = set()              # the pages on_files saw
        self.pages: dict[str, Contribution] = {}
        self.rebuilt: set[str] | None = None     # this build's pages; None: every page
        self._fresh: dict[str, Contribution] = {}
        self._marks: tuple[int, int] = (0, 0)

    # --- deciding what to rebuild (on_files, then on_nav) ---------------------------------------
    def plan(self, files, print_: str) -> None:
        """``on_files``: the pages this build renders, as far as the files gathered so far tell
        (the helper process starts on their blocks)."""
        self._early = print_
        pages = list(files.documentation_pages())
        self._seen = {f.src_uri for f in pages}
        if print_ != self.fingerprint[0] or any(f.src_uri not in self.pages for f in pages):
            self.rebuilt = None
        else:
            self.rebuilt = {f.src_uri for f in pages if _changed(f, self.pages[f.src_uri]) or _late(f)}

    def settle(self, files) -> None:
        """``on_nav``, once every plugin has added its files: the pages added after ``on_files``
        (the notebooks') always render, and a change in them rebuilds every page. Marks the pages
        to render for MkDocs."""
        seen = self.rebuilt if self.rebuilt is not None else set()
        pages = list(files.documentation_pages())
        late = [f for f in pages if f.src_uri not in self._seen]
        h = hashlib.sha256()
        for f in late:
            h.update(f"\0{f.src_uri}\0".encode() + f.content_bytes)
        print_ = (self._early, h.hexdigest())
        if self.rebuilt is None or print_ != self.fingerprint or any(f.src_uri not in self.pages for f in late):
            self.pages.clear()
            self.rebuilt, self.fingerprint = None, print_
            for f in pages:
                _force(f)
            return
        for f in pages:
            if f.src_uri in seen or f.src_uri not in self._seen:
                _force(f)
                self.rebuilt.add(f.src_uri)
            else:
                f.is_modified = _never   # a generated page whose Markdown is what the last build made

    def renders(self, src: str) -> bool:
        return self.rebuilt is None or src in self.rebuilt

    # --- what each page gives, as it renders -----------------------------------------------------
    def page_starts(self, build) -> None:
        self._marks = (len(build.claims), len(build.usage))

    def page_done(self, page, build, listings, anchors) -> None:
        claims_from, usage_from = self._marks
        src = page.file.src_uri
        self._fresh[src] = Contribution(page.title, listings.titles[src], page.url, build.claims[claims_from:],
                                        build.usage[usage_from:], anchors, made=_made(page.file))

    # --- the pages a dirty build skipped (on_env) --------------------------------------------------
    def restore(self, files, build, listings, anchors: dict, term_slug) -> None:
        """Hand back the skipped pages' contributions: their claims, block usage, titles, URLs,
        anchors, and the title the navigation shows for them."""
        if self.rebuilt is None:
            return
        for f in files.documentation_pages():
            if f.src_uri in self._fresh:
                continue
            c = self.pages[f.src_uri]
            build.claims.extend(c.claims)
            build.usage.extend(c.usage)
            listings.titles[f.src_uri] = c.listed_as
            listings.urls[f.src_uri] = c.url
            if c.anchors is not None:
                anchors[term_slug(f.src_uri)] = c.anchors
            if f.page is not None and f.page.title is None:
                f.page.title = c.title

    # --- the search index, and the end of a build (on_post_build) ---------------------------------
    def merge_search(self, site_dir: str, order: list[str]) -> None:
        """The search index of the whole site: Material's entries for the pages rendered now, the
        kept entries of the others, in page order (``order``: the pages' URLs, as a full build adds them)."""
        path = Path(site_dir) / "search" / "search_index.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        by_url: dict[str, list] = {}
        for entry in data["docs"]:
            by_url.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
        for src, c in self._fresh.items():
            c.search = by_url.get(c.url, [])
        if self.rebuilt is None:
            return
        kept = {c.url: c.search for src, c in self.pages.items() if src not in self._fresh}
        kept.update({c.url: c.search for c in self._fresh.values()})
        data["docs"] = [e for url in order for e in kept.get(url, [])]
        path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")

    def finish(self) -> None:
        """The build succeeded: its contributions are the ones to keep."""
        self.pages.update(self._fresh)
        self._fresh = {}

    def forget(self) -> None:
        """The build failed: the next one rebuilds every page."""
        self.fingerprint, self.pages, self._fresh = (None, None), {}, {}


def fingerprint(files, config, index) -> str:
    """A hash of what every page may show of other pages (see the module's docstring)."""
    h = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.src_uri):
        h.update(f"\0{f.src_uri}\0".encode())
        if f.is_documentation_page() and f.abs_src_path:
            h.update("\n".join(m.group(0) for m in _HEAD.finditer(_text(f))).encode())
    h.update(repr(sorted(index.terms.items())).encode())
    roots = [Path(config.docs_dir) / "_data", Path(config.config_file_path)]
    if config.theme.custom_dir:
        roots.append(Path(config.theme.custom_dir))
    for root in roots:
        for p in sorted([root] if root.is_file() else root.rglob("*")):
            if p.is_file():
                h.update(f"\0{p}\0".encode() + p.read_bytes())
    return h.hexdigest()


def search_plugin_keeps_nothing(config) -> None:
    """Material's search plugin, in a dirty session, merges its index by the first page it
    indexed only (it expects one page per rebuild): :meth:`Carried.merge_search` does it for every page."""
    search = config.plugins.get(SEARCH_PLUGIN)
    if search is not None and hasattr(search, "search_index_prev"):
        search.is_dirty, search.search_index_prev = False, None


class DirtyWarning(logging.Filter):
    """MkDocs warns at every dirty build that navigation and links may be wrong; with
    :class:`Carried` they are not, so the warning becomes a line saying what was rebuilt."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_WARNING)


def quiet_dirty_warning() -> None:
    logger = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, DirtyWarning) for f in logger.filters):
        logger.addFilter(DirtyWarning())


def _force(f) -> None:
    # MkDocs asks File.is_modified() (source newer than its HTML) whether a dirty build renders
    # the page; a page that shows what changed elsewhere must render although its source did not.
    f.is_modified = _always


def _always() -> bool:
    return True


def _never() -> bool:
    return False


def _changed(f, last: Contribution) -> bool:
    """A page's source is newer than its HTML, or a generated page's Markdown is not what it was."""
    return _made(f) != last.made if f.abs_src_path is None else f.is_modified()


def _made(f) -> str | None:
    return hashlib.sha256(f.content_bytes).hexdigest() if f.abs_src_path is None else None


def _late(f) -> bool:
    return any(m.group(1) in LATE for m in MARKER.finditer(_text(f)))


def _text(f) -> str:
    try:
        return f.content_string
    except (OSError, UnicodeDecodeError):
        return ""      # the build's own source check names the file
