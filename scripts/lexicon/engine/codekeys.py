"""Code keys remembered between builds: a warm build checks them instead of deriving them again.

Deriving a kind's code key (:func:`lexicon.engine.deps.compute_code`) parses and walks the
syntax tree of every function the kind reaches and asks which installed distribution provides
each third-party package: about two seconds for the site's kinds, in every build. The key only
changes when something it was derived from changes, so the store keeps, beside each key, what
it was derived from, and a later build reuses the key only if all of it is unchanged:

- the content hash of every module the walk read (and of the deriving code itself), stored by
  module name and checked against the file that module is imported from now: a cache copied from
  another checkout (a worktree, a CI restore) is checked against this checkout's code, never
  against files at the path it was made in;
- the installed version of every distribution in the key;
- the content hash of every data file in the key (``DataFile``).

A notebook's cells are keyed the same way (:meth:`CodeKeys.source`), by the hash of their code.
The store is one checked JSON file (``code-keys.json``); a damaged or unwritable one is rebuilt
or skipped, never trusted and never a reason to fail the build.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import json
import sys
from pathlib import Path

from . import deps
from .deps import CodeKey, DataFile

STORE_VERSION = 2   # 1 stored absolute file paths


class CodeKeys:
    def __init__(self, path: Path):
        from ..cache import read_checked_json

        self.path = Path(path)
        self.entries: dict = {}
        self.reused = 0
        self.derived = 0
        self._file_sha: dict = {}
        self._version: dict = {}
        self._checked: dict = {}       # ident -> still valid, checked once per build
        stored = read_checked_json(self.path) or {}
        if stored.get("version") == STORE_VERSION and isinstance(stored.get("entries"), dict):
            self.entries = stored["entries"]
        self._dirty = False

    def kind(self, kind_cls) -> CodeKey:
        """The code key of a kind class, as :func:`deps.compute_code` derives it."""
        ident = f"{kind_cls.__module__}:{kind_cls.__qualname__}:{bool(kind_cls.needs_model)}"
        return self._get(ident, lambda: deps.compute_code(kind_cls))

    def source(self, source: str) -> CodeKey:
        """The code key of a piece of source (a notebook's cells), as :func:`deps.source_code`."""
        ident = "source:" + hashlib.sha256(source.encode("utf-8")).hexdigest()
        return self._get(ident, lambda: deps.source_code(source))

    def save(self) -> None:
        """Write the store if a key was derived in this build (never fails the build)."""
        from ..cache import write_checked

        if self._dirty:
            write_checked(self.path, json.dumps({"version": STORE_VERSION, "entries": self.entries},
                                                sort_keys=True))

    # --------------------------------------------------------------------------------------------
    def _get(self, ident: str, derive) -> CodeKey:
        entry = self.entries.get(ident)
        if ident not in self._checked:
            self._checked[ident] = isinstance(entry, dict) and self._unchanged(entry)
        if self._checked[ident]:
            self.reused += 1
            return CodeKey(entry["sha256"], tuple(entry["symbols"]), dict(entry["packages"]), dict(entry["data"]))
        key = derive()
        self.derived += 1
        self._checked[ident] = True
        self.entries[ident] = {"sha256": key.sha256, "symbols": list(key.symbols), "packages": key.packages,
                               "data": key.data, "files": {m: self._sha(m) for m in _modules(key)}}
        self._dirty = True
        return key

    def _unchanged(self, entry: dict) -> bool:
        try:
            return (all(sha is not None and self._sha(m) == sha for m, sha in entry["files"].items())
                    and all(self._installed(d) == v for d, v in entry["packages"].items())
                    and all(_data_sha(name) == sha for name, sha in entry["data"].items())
                    and {"sha256", "symbols"} <= set(entry))
        except (KeyError, AttributeError, TypeError, ValueError):
            return False

    def _sha(self, module: str) -> str | None:
        """The content hash of the file ``module`` is imported from in this process."""
        if module not in self._file_sha:
            try:
                mod = sys.modules.get(module) or importlib.import_module(module)
                self._file_sha[module] = hashlib.sha256(Path(mod.__file__).read_bytes()).hexdigest()
            except Exception:  # noqa: BLE001 - gone, renamed, not a file: the key is derived again
                self._file_sha[module] = None
        return self._file_sha[module]

    def _installed(self, dist: str) -> str | None:
        if dist not in self._version:
            try:
                self._version[dist] = importlib.metadata.version(dist)
            except importlib.metadata.PackageNotFoundError:
                self._version[dist] = None
        return self._version[dist]


def _modules(key: CodeKey) -> list[str]:
    """The modules a key was derived from: every module the walk read, and the deriving code."""
    names = {symbol.split(":", 1)[0] for symbol in key.symbols} | {deps.__name__, "lexicon.engine.kind"}
    return sorted(n for n in names
                  if getattr(sys.modules.get(n) or importlib.import_module(n), "__file__", None))


def _data_sha(name: str) -> str | None:
    module, attr = name.rsplit(".", 1)
    data = getattr(sys.modules.get(module) or importlib.import_module(module), attr, None)
    return data.fingerprint() if isinstance(data, DataFile) else None
