"""The state of one build: configuration, the lazily loaded model, the cache, claims, errors.

MkDocs renders pages one after another, so the plugin sets the current page
here before Markdown runs, and the fence formatter (called by superfences,
which knows nothing of pages) reads it to locate blocks and report errors.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import model as model_mod
from .cache import ResultCache, code_version, make_key
from .locate import find_fences, normalise

log = logging.getLogger("mkdocs.plugins.lexicon")


@dataclass
class PageState:
    src_path: str                       # e.g. docs/terms/embedding.md
    fences: dict                        # (kind, body) -> [line, ...] still unclaimed
    src_uri: str = ""                   # e.g. terms/embedding.md (docs-relative)
    anchors: set = field(default_factory=set)
    errors: list = field(default_factory=list)


class Session:
    def __init__(self, spec: model_mod.ModelSpec, cache_dir: Path):
        self.spec = spec
        self.cache_dir = Path(cache_dir)
        self.cache = ResultCache(self.cache_dir / "results")
        self._model_id = None
        self._kv = None
        self.page: PageState | None = None
        self.claims: list = []
        self.usage: list = []   # (block kind, page src_uri, anchor) of every block rendered
        self.blocks_rendered = 0
        self.blocks_without_model = 0  # rendered, but neither a cache hit nor a miss
        self.explorer_words = 50_000
        self.compute_seconds = 0.0

    # --- model -------------------------------------------------------------
    @property
    def model_id(self) -> dict:
        if self._model_id is None:
            self._model_id = model_mod.identity(self.spec, self.cache_dir)
        return self._model_id

    @property
    def model_loaded(self) -> bool:
        return self._kv is not None

    def kv(self):
        if self._kv is None:
            # `mkdocs serve` makes a new session per rebuild: keep the vectors across them.
            sha = self.model_id["sha256"]
            if sha not in _LOADED:
                _LOADED.clear()
                _LOADED[sha] = model_mod.load(self.spec)
            self._kv = _LOADED[sha]
        return self._kv

    # --- pages -------------------------------------------------------------
    def start_page(self, src_path: str, markdown: str, kinds, src_uri: str = "") -> None:
        self.page = PageState(src_path=src_path, fences=find_fences(markdown, kinds), src_uri=src_uri)

    def locate(self, kind: str, source: str) -> int | None:
        """Line (1-based) of the block's opening fence in the page's Markdown."""
        if self.page is None:
            return None
        lines = self.page.fences.get((kind, normalise(source)))
        return lines.pop(0) if lines else None

    def unique_anchor(self, base: str) -> str:
        anchor, n = base, 2
        while anchor in self.page.anchors:
            anchor, n = f"{base}-{n}", n + 1
        self.page.anchors.add(anchor)
        return anchor

    # --- computing -----------------------------------------------------------
    def result(self, block, spec: dict):
        if not block.needs_model:
            self.blocks_without_model += 1
            return block.compute(None, spec)
        key = make_key(block.kind, block.result_inputs(spec), self.model_id,
                       code_version(type(block).__module__))
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        kv = self.kv()
        model_mod.require_words(kv, block.words(spec))
        started = time.perf_counter()
        result = block.compute(kv, spec)
        self.compute_seconds += time.perf_counter() - started
        self.cache.put(key, result)
        return result


SESSION: Session | None = None
_LOADED: dict = {}
