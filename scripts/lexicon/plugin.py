"""The MkDocs plugin: MkDocs' events, each handed to the module that does the work.

Configured in ``mkdocs.yml`` under ``plugins: - lexicon:`` (``config.py``). A build goes:

- ``on_config``: the build's state (``build.Build``), one superfences fence per block kind,
  the term index and the generated nav;
- ``on_files``: alias redirects, vendored front-end files, the explorer's vectors, the
  generated pages; the number of blocks to compute, for the progress report;
- ``on_page_markdown``: listings, then the page's blocks prepared (read, computed, checked),
  computed values put into the prose, the numbers check, the Related Terms section;
- ``on_page_content``: the page's errors logged, links written inside blocks and notebooks
  resolved (``links.py``), its anchors kept for ``glossary.json``;
- ``on_page_context``: the term header's context; the build-wide listings filled in;
- ``on_post_build``: the summary, ``glossary.json``, the Content-Security-Policy.

Under ``mkdocs serve --dirty`` (``make serve``), ``incremental.Carried`` decides which pages a
rebuild renders and hands back what the others gave the last build (``on_startup``, ``on_env``).
"""

from __future__ import annotations

import functools
import html as html_mod
import json
import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from . import assets, explorer_asset, incremental, links
from .build import Build
from .cache import write_checked
from .catalog import block_pages, claim_pages, generated, glossary, learning_path, nav, search
from .catalog.categories import load_categories
from .catalog.start_here import load_start_here
from .catalog.listings import Listings
from .config import LexiconConfig
from .engine import deps, helper, numbers, values
from .engine.page import PageBlocks, format_block
from .engine.registry import registry
from .errors import LexiconError, fence_kind_typos
from .locate import fenced_lines, line_of_key
from .model import ModelSpec
from .sources import check_file, check_text
from .terms import TERMS_DIR, TermIndex, check_sections

log = logging.getLogger("mkdocs.plugins.lexicon")


class LexiconPlugin(BasePlugin[LexiconConfig]):
    carried: incremental.Carried | None = None   # a dirty session's pages (kept: on_startup is defined)
    serving = False

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"
        self.carried = incremental.Carried() if dirty else None
        if dirty:
            incremental.quiet_dirty_warning()

    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        m = self.config.model
        spec = ModelSpec(name=m.name, format=m.format, path=m.path, config_file=str(config.config_file_path))
        deps.clear()
        self.build = Build.create(spec, self.root / self.config.cache_dir, self.config.explorer_words)
        if "pymdownx.superfences" not in config.markdown_extensions:
            raise PluginError(f"{config.config_file_path}: computed blocks need pymdownx.superfences.\n"
                              "  Fix: add '- pymdownx.superfences' under markdown_extensions")
        self.offline = any(type(p).__name__ == "OfflinePlugin" and p.config.enabled
                           for p in config.plugins.values())
        if self.offline:
            # file:// has no server to answer instant navigation's requests.
            config.theme["features"] = [f for f in config.theme.get("features", [])
                                        if not f.startswith("navigation.instant")]
            config.extra["polyfills"] = [*config.extra.get("polyfills", []), assets.IFRAME_WORKER.dest]
        self.kinds = registry()
        fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
        taken = {f.get("name") for f in fences}
        fmt = functools.partial(format_block, build=self.build)
        fences += [{"name": k, "class": k, "format": fmt} for k in self.kinds if k not in taken]
        docs = Path(config.docs_dir)
        try:
            self.index = TermIndex.load(docs, _rel(docs, self.root))
            self.categories = load_categories(docs, self.index)
            self.index.start_here = load_start_here(docs, self.index)
        except LexiconError as err:
            raise PluginError(str(err)) from None
        done = sorted(set(self.index.planned) & set(self.index.terms))
        if done:
            log.info("lexicon: planned terms that now have a page (their entries in "
                     "docs/_data/planned-terms.yml can go): %s", ", ".join(done))
        if config.nav:
            nav.expand_nav(config.nav, self.index, self.categories)
            block_pages.expand_nav(config.nav)
            claim_pages.expand_nav(config.nav, self.categories)
        self.listings = Listings(self.index, self.categories, config.site_url or "", self.build, self.kinds, config)
        self.listings.offline = self.offline
        self.anchors: dict[str, list[dict]] = {}
        if self.carried is not None:
            incremental.search_plugin_keeps_nothing(config)
        return config

    def on_files(self, files, config):
        # Every source file is an ordinary readable file before anything reads or copies it.
        try:
            for f in files:
                if f.abs_src_path and not f.generated_by and not f.inclusion.is_excluded():
                    check_file(f.abs_src_path, f"{self.index.docs_rel}/{f.src_uri}")
        except LexiconError as err:
            raise PluginError(str(err)) from None
        redirects = self.index.redirects()
        if redirects:
            plugin = config.plugins.get("redirects")
            if plugin is None:
                raise PluginError(f"{config.config_file_path}: term aliases need the redirects plugin.\n"
                                  "  Fix: add '- redirects' under 'plugins:' after '- lexicon' "
                                  "(pip package mkdocs-redirects)")
            # mkdocs-redirects reads its map in its own on_files, which runs after this one.
            plugin.config["redirect_maps"] = {**plugin.config.get("redirect_maps", {}), **redirects}
        assets.add_vendored(files, config, self.root, self.offline)
        try:
            vectors = explorer_asset.cached_asset(self.build, self.config.explorer_words)
        except LexiconError as err:
            raise PluginError(str(err)) from None
        self.build.explorer_bytes = len(vectors.encode("utf-8"))
        files.append(File.generated(config, explorer_asset.ASSET_PATH, content=vectors))
        self.term_urls, self.path_url = generated.add_generated(files, config, self.index, self.categories)
        claim_pages.add(files, config, self.categories)
        made = block_pages.add(files, config)
        if self.carried is not None:
            self.carried.plan(files, incremental.fingerprint(files, config, self.index))
        self._start_helper(files, made)
        return files

    def _start_helper(self, files, generated_pages=()) -> None:
        """Count the blocks for the progress report, and hand the ones the cache lacks to a
        process that computes them alongside this one (``engine.helper``)."""
        jobs, total = [], 0
        for f in files.documentation_pages():
            if not f.abs_src_path and f not in generated_pages or self.carried and not self.carried.renders(f.src_uri):
                continue
            for name, body in self.listings.blocks(f.content_string, self.kinds):
                total += 1
                try:
                    _, key = self.build.read(self.kinds[name], body, keep=True)
                except Exception:  # noqa: BLE001 - the page reports it, located, when it renders
                    continue
                if not self.build.cache.has(key):
                    jobs.append(helper.Job(name, self.kinds[name].startup or name, body, key))
        self.build.progress.total = total
        self.build.helper = helper.start(jobs, self.build.cache.root, self.build.model.spec)

    def on_page_markdown(self, markdown, page, config, files):
        if self.carried is not None:
            self.carried.page_starts(self.build)
        file_text = page.file.content_string
        src = (_rel(Path(page.file.abs_src_path), self.root) if page.file.abs_src_path
               else f"(generated) {page.file.src_uri}")
        here = page.file.src_uri
        try:
            markdown = self.listings.expand(markdown, here, src,
                                            lambda s: get_relative_url(_url(files, s), page.url))
        except LexiconError as err:
            raise PluginError(str(err)) from None
        blocks = self.build.page = PageBlocks(self.build, src, here, file_text)
        # A misspelt block kind (```neighbors) would be published as plain code: report it.
        blocks.errors.extend(fence_kind_typos(file_text, self.kinds, src))
        blocks.prepare(markdown)
        markdown = self._values(markdown, blocks, file_text, src)
        # MkDocs and Material print page.title as HTML (nav, header, <title>); a front matter
        # title is text, so escape it once here, as MkDocs does for a title taken from the H1.
        # Material prints 'description' into an attribute unescaped: both are text, escaped once,
        # and every string of a hand-written page's front matter passes the author-string rule.
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = html_mod.escape(page.meta[key])
        if page.file.abs_src_path and self._term(page) is None:
            for key, value in page.meta.items():
                try:
                    check_text(html_mod.unescape(value), f"'{key}' field", src, line_of_key(file_text, key)) \
                        if isinstance(value, str) else None
                except LexiconError as err:
                    blocks.errors.append(err)
        term = self._term(page)
        search.boost_page(page.meta, term is not None)
        if term is None:
            return markdown + self._page_references(page, file_text, src, blocks)
        page.meta["template"] = "term.html"
        try:
            check_sections(file_text, term.src_path)
        except LexiconError as err:
            raise PluginError(str(err)) from None
        blocks.errors.extend(numbers.check(file_text, src, self.config.number_names))
        blocks.errors.extend(self.index.bibliography.check_citations(file_text, src, list(term.references)))
        return markdown + self.index.related_markdown(term) + self.index.references_markdown(term)

    def _page_references(self, page, file_text: str, src: str, blocks: PageBlocks) -> str:
        """Another page (not a term) may cite works too: ``references:`` in its front matter."""
        keys = page.meta.get("references")
        if not keys:
            return ""
        bib = self.index.bibliography
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise PluginError(f"{src}: 'references' must be a list of keys, e.g. references: [pennington-2014]")
        err = bib.check_keys(keys, src, line_of_key(file_text, "references"))
        if err:
            raise PluginError(str(err))
        blocks.errors.extend(bib.check_citations(file_text, src, keys))
        return bib.section(keys)

    def _values(self, markdown: str, blocks: PageBlocks, file_text: str, src: str) -> str:
        resolve = values.resolver(blocks.find, self._model_facts, blocks.names)
        markdown, errors = values.substitute(markdown, resolve, fenced_lines(markdown))
        file_lines = file_text.split("\n")
        for line, err in errors:
            text = markdown.split("\n")[line - 1]
            at = next((i for i, fl in enumerate(file_lines, 1) if fl == text), None)
            blocks.errors.append(err.located(file=src, line=at))
        return markdown

    def _model_facts(self) -> dict:
        from .engine.kind import Value

        facts = self.build.model.facts()
        return {"name": Value(self.build.model.spec.name),
                "dims": Value(str(facts["dims"]), facts["dims"]),
                "words": Value(f"{facts['words']:,}", facts["words"])}

    def on_page_content(self, html, page, config, files):
        # Logged errors fail a strict build (make build, make test) after every page has
        # reported its own; a non-strict `make serve` keeps running and shows them in place.
        for err in self.build.page.errors if self.build.page else []:
            log.error("%s", err)
        term = self._term(page)
        # Every page written in Markdown, term or not (a notebook's cells are the runner's; a
        # generated page holds author strings checked where they are read): the content rule.
        if self.build.page and page.file.abs_src_path and page.file.src_uri.endswith(".md"):
            for err in self.build.page.prose_errors(self.listings.without_made(html)):
                log.error("%s", err)
        html = self.listings.unfence(html)
        html, broken = links.resolve(html, page, files)
        for err in broken:
            log.error("%s", err)
        self.listings.titles[page.file.src_uri] = html_mod.unescape(page.title or page.file.src_uri)
        self.listings.urls[page.file.src_uri] = page.url
        if term is not None:
            self.anchors[term.slug] = glossary.page_anchors(html)
        if self.carried is not None:
            self.carried.page_done(page, self.build, self.listings, self.anchors.get(term.slug) if term else None)
        return html

    def on_nav(self, nav, config, files):
        if self.carried is not None:
            self.carried.settle(files)
        return nav

    def on_env(self, env, config, files):
        if self.carried is not None:
            self.carried.restore(files, self.build, self.listings, self.anchors, lambda src: Path(src).stem)
            self.page_urls = [f.page.url for f in files.documentation_pages()]
        return env

    @event_priority(50)  # before the search plugin indexes the page
    def on_page_context(self, context, page, config, nav):
        page.content = self.listings.fill(
            page.content, page.file.src_uri, lambda s: get_relative_url(self.listings.urls.get(s, s), page.url))
        term = self._term(page)
        if term is not None:
            context["term"] = term
            lp = learning_path.LearningPath(self.index)
            context["term_path"] = {
                "before": [(t.title, self.term_urls[t.slug]) for t in lp.before(term.slug)],
                "after": [(t.title, self.term_urls[t.slug]) for t in lp.after(term.slug)],
                "path_url": self.path_url,
            }
        return context

    def on_build_error(self, error):
        self._stop_helper()
        if self.carried is not None:
            self.carried.forget()

    def _stop_helper(self) -> None:
        if self.build.helper is not None:
            self.build.helper.close()

    @event_priority(-100)  # after every other plugin has written its files (redirect pages too)
    def on_post_build(self, config):
        stats = self.build.summary()
        self._stop_helper()
        self.build.progress.close()
        if self.build.code_keys is not None:
            self.build.code_keys.save()
        partial = self.carried is not None and self.carried.rebuilt is not None
        if partial:
            log.info("lexicon: dirty build: %d of %d pages rendered (%s); what the others gave the last "
                     "build is kept", len(self.carried.rebuilt), len(self.page_urls),
                     ", ".join(sorted(self.carried.rebuilt)[:3]) + (", …" if len(self.carried.rebuilt) > 3 else ""))
        log.info("lexicon: %(blocks)d computed blocks (%(cache_hits)d cached, %(cache_misses)d computed), "
                 "%(claims)d claims checked, %(false_claims)d false; model loaded: %(model_loaded)s", stats)
        if not partial:   # a record of a whole build for the bench, never a reason to fail the build
            write_checked(self.build.cache_dir / "last-build.json", json.dumps(stats, indent=1))
        glossary.write(config.site_dir, self.index, site_name=config.site_name, site_url=config.site_url or "",
                       model_name=self.config.model.name, urls=self.term_urls, redirects=self.index.redirects(),
                       use_directory_urls=config.use_directory_urls, anchors=self.anchors)
        if self.carried is not None:
            self.carried.merge_search(config.site_dir, self.page_urls)
        search.tune(config.site_dir, {self.term_urls[slug]: term for slug, term in self.index.terms.items()})
        from . import csp

        srcs = {(u + "index.html" if not u or u.endswith("/") else u): s for s, u in self.listings.urls.items()}
        try:    # the web build and the offline bundle alike
            pages = csp.check(Path(config.site_dir), srcs.get, Path(config.docs_dir), config.theme.custom_dir)
        except LexiconError as err:
            raise PluginError(str(err)) from None
        if self.config.csp and not self.offline and not self.serving:
            csp.apply(Path(config.site_dir), pages)
        elif self.config.csp and not self.offline:
            # MkDocs' live reload is an inline script it adds to each page as it serves it, with a
            # new value every time: no hash can allow it, and a policy would stop every reload.
            log.info("lexicon: no Content-Security-Policy under mkdocs serve (its live-reload script "
                     "is inline); make build and the published site have it")
        if self.carried is not None:
            self.carried.finish()

    def _term(self, page):
        path = page.file.src_uri
        if path.startswith(TERMS_DIR + "/") and path.endswith(".md"):
            return self.index.terms.get(Path(path).stem)
        return None


def _rel(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _url(files, src: str) -> str:
    """The URL of a docs-relative source; a path that is no documentation file (the offline
    zip, which the publishing step adds to the built site) is its own URL."""
    f = files.get_file_from_path(src)
    return f.url if f else src
