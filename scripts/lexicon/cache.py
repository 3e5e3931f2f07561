"""The one verified cache layer: everything the build keeps in ``.cache/lexicon`` is read and
written here, and nothing read back is trusted without its checksum.

- :class:`ResultCache`: keyed JSON entries (blocks' results, blocks' rendered HTML);
- :func:`read_checked` / :func:`write_checked`: a text file with its SHA-256 beside it (code keys,
  the model's hashes and facts, the explorer's vectors, executed notebooks, last-build.json);
  the SHA-256 covers the file's name (which holds its key) as well as its bytes, so a file moved or
  swapped to another key's name, with its checksum, is refused and rebuilt like a damaged one
  (:func:`_digest`; the same for :func:`sign_foreign`'s checksums);
- :func:`verify_foreign` / :func:`sign_foreign`: a folder another plugin writes (mkdocs-jupyter's
  HTML): entries are checked before that plugin reads them and signed after it wrote them;
- :func:`usable`: whether a folder can be written at all.

Results of computed blocks are cached on disk by a hash of everything they depend on.

An entry is JSON that repeats its own key and the SHA-256 of its result; an
entry that does not parse, whose key does not match, or whose result does not
match its checksum (a truncated write, a flipped byte, a hand edit) is treated
as missing: the block is recomputed and the entry rewritten, never trusted.
The build says so in one INFO line (not a warning: a strict build must not fail
over a cache it can repair itself). A cache folder that cannot be written (read-only, or a file
where the folder should be) is skipped with one INFO line (one per file for the few checked
files, one per result cache for its many entries); the site is the same.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.lexicon")
_MISSING = (FileNotFoundError, NotADirectoryError)   # no entry (or no folder) there: a plain miss


def _cannot_write(folder: Path, exc: OSError) -> None:
    log.info("lexicon: could not write the cache in %s (%s); the build goes on without it", folder, exc)


def make_key(kind: str, spec: dict, model_id: dict, code: str = "") -> str:
    """Content hash of (block kind, result options, model identity, code version).

    ``code`` is the kind's derived code key (``lexicon.engine.deps.compute_code``).
    """
    payload = json.dumps([kind, spec, model_id["sha256"], code],
                         sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


class ResultCache:
    """A folder of ``<key>.json`` files, written atomically."""

    def __init__(self, root: Path, redo: str = "recomputing it"):
        self.root = Path(root)
        self.redo = redo  # what the build does instead, for the INFO line ("re-rendering its HTML")
        self.hits = 0
        self.misses = 0
        self.bad = 0  # entries found corrupt (and recomputed) in this build
        self.unwritable = False  # reported once: a build puts hundreds of entries

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def has(self, key: str) -> bool:
        """Whether an entry exists (not whether it is sound: :meth:`get` checks that)."""
        return self._path(key).exists()

    def get(self, key: str):
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except _MISSING:
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
        log.info("lexicon: ignoring %s cache entry %s (%s); %s. Nothing to fix: the "
                 "entry is rewritten (delete %s if this keeps happening)", what, path, why, self.redo, self.root)
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
            if not self.unwritable:
                self.unwritable = True
                _cannot_write(self.root, exc)
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
    except _MISSING:
        return None
    except OSError as exc:
        log.info("lexicon: ignoring unreadable cache file %s (%s); rebuilding it", path, exc)
        return None
    try:
        want = path.with_name(path.name + ".sha256").read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        want = None
    if want != _digest(data, path.name).decode().strip():
        log.info("lexicon: ignoring %s cache file %s; rebuilding it. Nothing to fix: the file is "
                 "rewritten", "corrupt" if want else "unchecked", path)
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def read_checked_json(path: Path, want: type = dict):
    """A cached JSON file written by :func:`write_checked` (of type ``want``), or None."""
    text = read_checked(path)
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, want):
        log.info("lexicon: ignoring cache file %s (not what this version writes); rebuilding it", path)
        return None
    return value


def write_checked(path: Path, text: str) -> bool:
    """Write a cached text file and its checksum, atomically; failure never fails the build
    (it returns False, in one INFO line)."""
    path = Path(path)
    data = text.encode("utf-8")
    tmp = path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for target, content in ((path, data), (_sidecar(path), _digest(data, path.name))):
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            tmp.write_bytes(content)
            os.replace(tmp, target)
        return True
    except OSError as exc:
        _cannot_write(path.parent, exc)
        _remove(tmp)
        return False


def usable(folder: Path) -> bool:
    """Whether ``folder`` exists or can be made, and files can be written in it (else one INFO line)."""
    probe = Path(folder) / f".probe.{os.getpid()}.tmp"
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
        return True
    except OSError as exc:
        _cannot_write(folder, exc)
        return False


# --- a folder another plugin writes (mkdocs-jupyter's HTML cache) --------------------------------

def verify_foreign(folder: Path, pattern: str = "*.json", valid=lambda data: True) -> bool:
    """Before the other plugin reads ``folder``: remove every entry whose checksum (written by
    :func:`sign_foreign` after an earlier build) is missing or wrong, or that ``valid(bytes)``
    refuses, so it is rebuilt, not read. False if the folder cannot be used (the caller turns
    that cache off for this build)."""
    folder = Path(folder)
    if not usable(folder):
        return False
    for entry in sorted(folder.glob(pattern)):
        try:
            data = entry.read_bytes()
            got = _digest(data, entry.name).decode().strip() if valid(data) else "refused"
        except OSError:
            got = None
        try:
            want = _sidecar(entry).read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            want = None
        if got is not None and want == got:
            continue
        log.info("lexicon: ignoring %s cache file %s; rebuilding it. Nothing to fix: the file is rewritten",
                 "unchecked" if want is None else "corrupt", entry)
        if not (_remove(entry) and _remove(_sidecar(entry))):
            return False
    return True


def sign_foreign(folder: Path, pattern: str = "*.json", valid=lambda data: True) -> None:
    """After the other plugin wrote ``folder``: a checksum beside each new entry that ``valid``
    accepts (not one another build is half-way through writing); orphans go."""
    folder = Path(folder)
    try:
        entries = sorted(p for p in folder.glob(pattern) if p.is_file())
        for entry in entries:
            data = entry.read_bytes()
            if not _sidecar(entry).exists() and valid(data):
                tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
                tmp.write_bytes(_digest(data, entry.name))
                os.replace(tmp, _sidecar(entry))
        for sidecar in folder.glob(pattern + ".sha256"):
            if not sidecar.with_name(sidecar.name[:-len(".sha256")]).exists():
                sidecar.unlink()
    except OSError as exc:  # unsigned entries are rebuilt next time: slower, never wrong
        _cannot_write(folder, exc)


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _digest(data: bytes, name: str) -> bytes:
    """The checksum of a file named ``name`` (its key) holding ``data``: what it is, and for what."""
    return hashlib.sha256(name.encode("utf-8") + b"\0" + data).hexdigest().encode() + b"\n"


def _remove(path: Path) -> bool:
    """Remove a file or folder that is in the way; False if it is still there."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        return not path.exists()
    return True
