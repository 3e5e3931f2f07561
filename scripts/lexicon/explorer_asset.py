"""The explorer's vectors for the browser: the N most frequent words, 7 bits a number.

Browsers refuse ``fetch()`` of local files, so the offline bundle could not
read a binary file from ``file://``. The data therefore ships as a script,
``assets/explorer/vectors.js``, that sets ``window.__llExplorer``:

    {version, model, dims, count, bits, levels, words: "w1\\nw2…",
     vectors: base64 of a bit stream: count × dims codes of `bits` bits, least significant first}

Each row is quantised with its own scale: ``q = round(v / s)`` with
``s = max|v| / levels``, stored as the code ``q + levels``. Cosine similarity
does not depend on a row's length, so the browser needs no scales: it takes
the cosine of the integer rows. 7 bits (levels = 63) keep the file under
2.5 MB gzip for 50,000 words; 8 bits would not fit, since base64 of 8-bit
codes gzips badly. The file is cached by (model hash, N, code version).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from pathlib import Path

import numpy as np

log = logging.getLogger("mkdocs.plugins.lexicon")

ASSET_PATH = "assets/explorer/vectors.js"


BITS = 7
LEVELS = 2 ** (BITS - 1) - 1  # codes 0..126 for q in -63..63


def quantise(vectors: np.ndarray, levels: int = LEVELS) -> np.ndarray:
    """Each row as integers in ``[-levels, levels]`` with its own scale (scales are not kept)."""
    v = np.asarray(vectors, dtype=np.float64)
    peak = np.abs(v).max(axis=1, keepdims=True)
    return np.rint(v / np.where(peak == 0, 1, peak) * levels).astype(np.int8)


def pack(q: np.ndarray, bits: int = BITS, levels: int = LEVELS) -> bytes:
    """Codes ``q + levels`` as one little-endian bit stream of ``bits`` bits each."""
    codes = (q.astype(np.int16).ravel() + levels).astype(np.uint8)
    stream = np.unpackbits(codes[:, None], axis=1, bitorder="little")[:, :bits].ravel()
    return np.packbits(stream, bitorder="little").tobytes()


def unpack(data: bytes, n: int, bits: int = BITS, levels: int = LEVELS) -> np.ndarray:
    """Inverse of :func:`pack` (the browser does the same in explorer.js)."""
    stream = np.unpackbits(np.frombuffer(data, dtype=np.uint8), bitorder="little")[:n * bits]
    codes = np.packbits(stream.reshape(n, bits), axis=1, bitorder="little")[:, 0]
    return codes.astype(np.int16) - levels


def shipped_rows(kv, count: int) -> tuple[list[int], list[int]]:
    """The rows of the ``count`` most frequent words the explorer ships, and those it leaves out.

    The rule is the model check's (``geometry.zero_rows``): a model may hold words whose vector is
    zero or has no usable length, and only a block that uses one fails. The explorer's words are
    not the author's choice, so such a word is left out rather than failing the build; shipped, it
    would give NaN in the browser (a cosine with it is 0/0). Each is named in one INFO line."""
    from .errors import LexiconError
    from .geometry import where_in_model, zero_rows

    n = min(count, len(kv))
    bad = [int(i) for i in zero_rows(kv) if i < n]
    skip = set(bad)
    rows = [i for i in range(n) if i not in skip]
    if not rows:   # the model check passed (some later word has a direction), but none of these has
        file, first = getattr(kv, "lexicon_file", "the model file"), getattr(kv, "lexicon_first_line", None)
        raise LexiconError(
            f"none of the {n:,} most frequent words of the model, which the explorer ships, has a direction: "
            f"every one of their vectors is zero, e.g. '{kv.index_to_key[0]}' ({where_in_model(kv, 0)})",
            file=file, line=first, fix="the file is damaged or was written empty: download or copy the vectors "
                                       "file again (plugins.lexicon.model.path in mkdocs.yml)")
    return rows, bad


def build(kv, count: int, model_name: str) -> str:
    """The text of ``vectors.js`` for the ``count`` most frequent words of ``kv`` that have a
    direction (:func:`shipped_rows`)."""
    from .geometry import where_in_model

    rows, left_out = shipped_rows(kv, count)
    words = [kv.index_to_key[i] for i in rows]
    if any("\n" in w for w in words):
        raise ValueError("a vocabulary word contains a newline")
    q = quantise(kv.vectors[rows])
    if left_out:
        log.info("lexicon: the explorer leaves out %d of the %d most frequent words of %s, whose vector is "
                 "zero or has no usable length (a cosine with it is undefined), e.g. %s",
                 len(left_out), len(rows) + len(left_out), model_name,
                 ", ".join(f"'{kv.index_to_key[i]}' ({where_in_model(kv, i)})" for i in left_out[:3]))
    payload = {
        "model": model_name, "dims": int(kv.vector_size), "count": len(words),
        "bits": BITS, "levels": LEVELS, "words": "\n".join(words),
        "vectors": base64.b64encode(pack(q)).decode("ascii"),
    }
    if left_out:   # only then, so a model without such rows ships the same bytes as before
        payload["left_out"] = {"reason": "the vector is zero or has no usable length",
                               "words": [kv.index_to_key[i] for i in left_out]}
    payload["version"] = hashlib.sha256(payload["vectors"].encode()).hexdigest()[:12]
    # json.dumps escapes quotes and non-ASCII; "</" is escaped so the text can never end a script.
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")
    return ("/* Latent Lexicon explorer data, generated at build time: see scripts/lexicon/"
            "explorer_asset.py. */\nwindow.__llExplorer=" + text + ";\n")


def asset_key(model_sha256: str, count: int) -> str:
    """The cache key of the asset: the model, the word count and this module's own code."""
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    return hashlib.sha256(json.dumps([model_sha256, count, code]).encode()).hexdigest()


def cached_asset(build_state, count: int) -> str:
    """The asset's text from the cache, or built now (loading the model) and cached.

    Cached by the model's hash, ``count`` and this module's own code.
    """
    from .cache import read_checked, write_checked

    model = build_state.model
    path = Path(build_state.cache_dir) / "explorer" / f"{asset_key(model.id['sha256'], count)}.js"
    text = read_checked(path)  # None if missing, truncated or altered: then it is rebuilt
    if text is not None and _is_for(text, model.id["name"], min(count, model.facts()["words"])):
        return text
    kv = model.vectors()
    model.facts()   # remembered now, while the model is loaded: the next build checks the asset against it
    with build_state.progress.step(f"building the explorer's vectors ({count:,} words)"):
        text = build(kv, count, model.id["name"])
    write_checked(path, text)
    return text


def _is_for(text: str, model_name: str, count: int) -> bool:
    """Whether a cached asset says it is the one asked for: this model, ``count`` words.
    Anything else is rebuilt, in one INFO line."""
    try:
        head = json.loads(text.split("window.__llExplorer=", 1)[1].rstrip().removesuffix(";"))
        # Rows without a direction are left out (listed under left_out): shipped + left out = asked.
        left_out = len(head.get("left_out", {}).get("words", []))
        ok = (head["model"] == model_name and head["count"] + left_out == count
              and head["count"] == len(head["words"].split("\n")))
    except (IndexError, ValueError, KeyError, TypeError, AttributeError):
        ok = False
    if not ok:
        log.info("lexicon: ignoring the cached explorer vectors (not the asset for %s, %s words); rebuilding them",
                 model_name, f"{count:,}")
    return ok
