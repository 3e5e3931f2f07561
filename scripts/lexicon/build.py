"""The state of one build, created by the plugin and handed to whatever needs it.

It holds the model (loaded lazily, at most once), the result cache, every claim checked
and every block rendered, and the progress report. Nothing reaches it through a module
global: the fence formatter gets it bound in, the plugins hold it.
"""

from __future__ import annotations

import json
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from threadpoolctl import threadpool_limits

from . import geometry
from . import model as model_mod
from .cache import ResultCache, make_key
from .engine.codekeys import CodeKeys
from .engine.helper import Helper
from .progress import Progress

NO_MODEL = {"name": "no model", "sha256": "no-model"}   # the model part of a key of a kind that needs none
_LOADED: dict = {}   # `mkdocs serve` makes a new Build per rebuild: keep the vectors across them


@dataclass
class Usage:
    kind: str
    page: str       # docs-relative source: terms/embedding.md
    anchor: str


@dataclass
class Stats:
    blocks: int = 0
    without_model: int = 0
    compute_seconds: float = 0.0
    computed: list = field(default_factory=list)   # (where, seconds) of every block computed
    by_kind: dict = field(default_factory=dict)    # kind -> seconds computed (the bench's shares)


class Model:
    """The configured model: its identity (cheap, from a hash memo) and its vectors (loaded once)."""

    def __init__(self, spec: model_mod.ModelSpec, cache_dir: Path, progress: Progress):
        self.spec, self.cache_dir, self.progress = spec, cache_dir, progress
        self._id = None
        self._kv = None

    @property
    def id(self) -> dict:
        if self._id is None:
            self._id = model_mod.identity(self.spec, self.cache_dir)
        return self._id

    @property
    def loaded(self) -> bool:
        return self._kv is not None

    def facts(self) -> dict:
        """The model's vocabulary size and dimensions, remembered so a warm build never loads it."""
        from .cache import read_checked, write_checked

        path = self.cache_dir / "model-facts" / f"{self.id['sha256']}.json"
        text = read_checked(path)
        if text is None:
            kv = self.vectors()
            text = json.dumps({"words": len(kv), "dims": int(kv.vector_size)})
            write_checked(path, text)
        return json.loads(text)

    def vectors(self):
        if self._kv is None:
            sha = self.id["sha256"]
            if sha not in _LOADED:
                _LOADED.clear()
                with self.progress.step(f"loading the model {self.spec.name}"):
                    _LOADED[sha] = model_mod.load(self.spec)
            self._kv = _LOADED[sha]
        return self._kv


def compute_checked(kind, kv, spec) -> dict:
    """A block's result, computed behind the vector-validity rule (``geometry``): the words exist
    and have a direction, its queries leave one, and every number of the result is finite.
    The result is what a warm build reads back (JSON), so that a cold build renders the same.

    Computed on one thread (BLAS and OpenMP): KMeans and other libraries sum in as many threads as
    they find, and a different count (a build with or without its helper process, a machine with
    more cores) can change a result's last digits, hence a page. A kind that needs threads and
    stays exact sets its own limit inside (the transformer's forward pass)."""
    if kv is not None:
        model_mod.require_words(kv, kind.words(spec))
        for positive, negative in kind.queries(spec):
            geometry.check_query(kv, positive, negative)
        if kind.distinct_words:
            geometry.require_spread(kv, kind.words(spec))
    with threadpool_limits(limits=1):
        computed = kind.compute(kv, spec)
    result = json.loads(json.dumps(computed, ensure_ascii=False))
    geometry.check_finite(result, kv)     # never cached, never shown
    return result


@dataclass
class Build:
    model: Model
    cache: ResultCache
    cache_dir: Path
    progress: Progress
    explorer_words: int = 50_000
    explorer_bytes: int = 0               # the size of the explorer's vectors.js (set in on_files)
    claims: list = field(default_factory=list)
    usage: list = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    started: float = field(default_factory=time.perf_counter)
    rendered: ResultCache | None = None   # blocks' HTML, by render key (lexicon.engine.rendered)
    code_keys: CodeKeys | None = None     # kinds' code keys, remembered between builds (set by create)
    helper: Helper | None = None          # the process computing blocks alongside (engine.helper)
    _read_ahead: dict = field(default_factory=dict)   # (kind, body) -> specs and keys read in on_files

    @classmethod
    def create(cls, spec: model_mod.ModelSpec, cache_dir: Path, explorer_words: int = 50_000) -> "Build":
        progress = Progress()
        return cls(Model(spec, Path(cache_dir), progress), ResultCache(Path(cache_dir) / "results"),
                   Path(cache_dir), progress, explorer_words,
                   rendered=ResultCache(Path(cache_dir) / "rendered", redo="re-rendering its HTML"),
                   code_keys=CodeKeys(Path(cache_dir) / "code-keys.json"))

    def key(self, kind, spec) -> str:
        """A block's cache key. A kind that needs no model (a corpus, a dataset, a formula) is
        cached the same way, by its options and code (and data files), under no model's identity."""
        model_id = self.model.id if kind.needs_model else NO_MODEL
        return make_key(kind.kind, kind.options.result_inputs(spec), model_id, self.code_key(type(kind)).sha256)

    def read(self, kind, source: str, keep: bool = False):
        """A block's spec and cache key. ``keep``: read ahead (``on_files``), kept for the page,
        which takes it once (so no two blocks share a spec) instead of reading the block again."""
        ahead = self._read_ahead.get((kind.kind, source))
        if ahead and not keep:
            return ahead.popleft()
        spec = kind.read(source)
        got = (spec, self.key(kind, spec))
        if keep:
            self._read_ahead.setdefault((kind.kind, source), deque()).append(got)
        return got

    def result(self, kind, spec, where: str, key: str | None = None) -> dict:
        """A kind's result for a spec: from the cache, from the helper process (``engine.helper``),
        or computed here (loading the model if need be)."""
        if not kind.needs_model:
            self.stats.without_model += 1
        key = key or self.key(kind, spec)
        if self.helper is not None:
            got = self.helper.result(key, lambda: self.progress.step(f"waiting for {where} (computed alongside)"))
            if got is not None:
                result, seconds = got
                self.cache.misses += 1          # computed in this build, by the other process
                self._computed(where, seconds, kind.kind)
                geometry.check_finite(result)
                return result
        cached = self.cache.get(key)
        if cached is not None:
            # Checked once, before it was written (compute_checked); its checksum holds it unchanged.
            self.progress.block_done(where, None)
            return cached
        kv = self.model.vectors() if kind.needs_model else None
        started = time.perf_counter()
        with self.progress.step(f"computing {where}"):
            result = compute_checked(kind, kv, spec)
        seconds = time.perf_counter() - started
        self.cache.put(key, result)
        self._computed(where, seconds, kind.kind)
        return result

    def _computed(self, where: str, seconds: float, kind: str) -> None:
        self.stats.by_kind[kind] = round(self.stats.by_kind.get(kind, 0.0) + seconds, 3)
        self.stats.compute_seconds += seconds
        self.stats.computed.append((where, round(seconds, 2)))
        self.progress.block_done(where, seconds)

    def code_key(self, kind_cls):
        """The kind's code key: remembered from an earlier build if nothing it reads has changed."""
        return self.code_keys.kind(kind_cls)

    def code_source(self, source: str):
        """The code key of a notebook's cells, remembered the same way."""
        return self.code_keys.source(source)

    def summary(self) -> dict:
        false = [c for c in self.claims if not c.ok]
        return {"blocks": self.stats.blocks, "cache_hits": self.cache.hits, "cache_misses": self.cache.misses,
                "blocks_without_model": self.stats.without_model,
                "model_loaded": self.model.loaded or bool(self.helper and self.helper.model_loaded()),
                "compute_seconds": round(self.stats.compute_seconds, 2), "claims": len(self.claims),
                "false_claims": len(false), "seconds": round(time.perf_counter() - self.started, 2),
                "rendered_hits": self.rendered.hits if self.rendered else 0,
                "code_keys_reused": self.code_keys.reused if self.code_keys else 0,
                "code_keys_derived": self.code_keys.derived if self.code_keys else 0,
                "slowest": sorted(self.stats.computed, key=lambda c: -c[1])[:10],
                "seconds_by_kind": dict(sorted(self.stats.by_kind.items())),
                "computed_alongside": self.helper.took() if self.helper else []}
