"""Results of computed blocks, cached on disk by a hash of everything they depend on.

An entry is JSON that repeats its own key; an entry that does not parse, or
whose key does not match, is treated as missing (and recomputed), never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from functools import lru_cache
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.lexicon")


# The modules whose code decides a block's *result* (rendering and claims are redone every build).
COMPUTE_MODULES = ("compute.py", "model.py")


@lru_cache(maxsize=None)
def code_version(block_module: str = "") -> str:
    """Hash of the code that computes a block's result: editing it invalidates those results.

    ``block_module`` is the block kind's module (``lexicon.blocks.analogy``); the shared
    computation modules count for every kind.
    """
    root = Path(__file__).parent
    files = [root / name for name in COMPUTE_MODULES]
    if block_module:
        files.append(root.joinpath(*block_module.split(".")[1:]).with_suffix(".py"))
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def make_key(kind: str, spec: dict, model_id: dict, code: str | None = None) -> str:
    """Content hash of (block kind, parsed block, model identity, code version)."""
    payload = json.dumps([kind, spec, model_id["sha256"], code or code_version()],
                         sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


class ResultCache:
    """A folder of ``<key>.json`` files, written atomically."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str):
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError) as exc:
            log.info("lexicon: ignoring unreadable cache entry %s (%s); recomputing", path, exc)
            self.misses += 1
            return None
        if not isinstance(entry, dict) or entry.get("key") != key or "result" not in entry:
            log.info("lexicon: ignoring stale or corrupt cache entry %s; recomputing", path)
            self.misses += 1
            return None
        self.hits += 1
        return entry["result"]

    def put(self, key: str, result) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"key": key, "result": result}, ensure_ascii=False,
                                  separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
