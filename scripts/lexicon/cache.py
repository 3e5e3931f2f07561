"""Results of computed blocks, cached on disk by a hash of everything they depend on.

An entry is JSON that repeats its own key and the SHA-256 of its result; an
entry that does not parse, whose key does not match, or whose result does not
match its checksum (a truncated write, a flipped byte, a hand edit) is treated
as missing: the block is recomputed and the entry rewritten, never trusted.
The build says so in one INFO line (not a warning: a strict build must not fail
over a cache it can repair itself).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.lexicon")


def make_key(kind: str, spec: dict, model_id: dict, code: str = "") -> str:
    """Content hash of (block kind, result options, model identity, code version).

    ``code`` is the kind's derived code key (``lexicon.engine.deps.compute_code``).
    """
    payload = json.dumps([kind, spec, model_id["sha256"], code],
                         sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


class ResultCache:
    """A folder of ``<key>.json`` files, written atomically."""

    def __init__(self, root: Path, quiet: bool = False):
        self.root = Path(root)
        self.quiet = quiet  # a cache of rendered HTML: a bad entry is re-rendered without a word
        self.hits = 0
        self.misses = 0
        self.bad = 0  # entries found corrupt (and recomputed) in this build

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def has(self, key: str) -> bool:
        """Whether an entry exists (not whether it is sound: :meth:`get` checks that)."""
        return self._path(key).exists()

    def get(self, key: str):
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError) as exc:  # ValueError: bad JSON or bad UTF-8
            return self._bad(path, "unreadable", f"{type(exc).__name__}: {exc}")
        if not isinstance(entry, dict) or entry.get("key") != key or "result" not in entry:
            return self._bad(path, "stale or corrupt", "it is not an entry for this key")
        if "sha256" not in entry:
            return self._bad(path, "stale", "written by an older version, without a checksum")
        if entry["sha256"] != checksum(_dumps(entry["result"])):
            return self._bad(path, "corrupt", "its result does not match its checksum")
        self.hits += 1
        return entry["result"]

    def _bad(self, path: Path, what: str, why: str) -> None:
        if not self.quiet:
            log.info("lexicon: ignoring %s cache entry %s (%s); recomputing it. Nothing to fix: the "
                     "entry is rewritten (delete %s if this keeps happening)", what, path, why, self.root)
        self.bad += 1
        self.misses += 1
        return None

    def put(self, key: str, result) -> None:
        """Write an entry atomically; a cache that cannot be written never fails the build."""
        path = self._path(key)
        text = _dumps(result)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text('{"key":%s,"sha256":"%s","result":%s}' % (json.dumps(key), checksum(text), text),
                           encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            log.info("lexicon: could not write cache entry %s (%s); the build goes on without it",
                     path, exc)
            try:
                tmp.unlink()
            except OSError:
                pass


def _dumps(result) -> str:
    """The one serialisation of a result (loads then dumps gives the same text back)."""
    return json.dumps(result, ensure_ascii=False, separators=(",", ":"))


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_checked(path: Path) -> str | None:
    """A cached text file written by :func:`write_checked`, or None if missing or damaged.

    The SHA-256 of the text sits beside it (``<name>.sha256``): a truncated or edited
    file, or one without its checksum, is reported in one INFO line and rebuilt.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.info("lexicon: ignoring unreadable cache file %s (%s); rebuilding it", path, exc)
        return None
    try:
        want = path.with_name(path.name + ".sha256").read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        want = None
    if want != hashlib.sha256(data).hexdigest():
        log.info("lexicon: ignoring %s cache file %s; rebuilding it. Nothing to fix: the file is "
                 "rewritten", "corrupt" if want else "unchecked", path)
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def write_checked(path: Path, text: str) -> None:
    """Write a cached text file and its checksum, atomically; failure never fails the build."""
    path = Path(path)
    data = text.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for target, content in ((path, data), (path.with_name(path.name + ".sha256"),
                                               hashlib.sha256(data).hexdigest().encode() + b"\n")):
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            tmp.write_bytes(content)
            os.replace(tmp, target)
    except OSError as exc:
        log.info("lexicon: could not write cache file %s (%s); the build goes on without it", path, exc)
