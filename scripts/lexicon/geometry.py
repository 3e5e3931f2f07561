"""The one vector-validity rule: nothing computed from vectors that cannot be compared is shown.

A cosine divides by the lengths of two vectors, so it is undefined (0/0, NaN) for a vector of
length zero; a query whose terms cancel out (``king - king + queen``, ``man - man``) leaves a
point whose direction is rounding noise; a ranking whose scores tie is decided by rounding.
Whatever a block computes, the same checks apply:

- at load (:func:`check_model`, :func:`check_unique`): the model must hold at least two words, each
  listed once, not every vector may be zero, and a word2vec header must agree with the rows that follow it;
- before compute (:func:`require_directions`): every word a block uses has a direction;
- for a query (:func:`check_query`): no word both added and subtracted, and the combined vector
  is not negligible next to its inputs;
- after compute (:func:`check_finite`): every number of a result, cached or fresh, is finite;
- for a claim (:mod:`lexicon.engine.checks`): a score that is not finite, or a tie that decides the
  claim, is never marked ✓;
- for an exercise graded by the model's top item (:func:`check_graded`): the best two scores do not
  tie, so the exercise never marks one of two tied items right and the other wrong.

Each raises a :class:`LexiconError` naming the word(s) and the fix; the page locates it at the
block's line.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

from .errors import LexiconError

# A combined query vector shorter than this share of the sum of its inputs' lengths (unit
# vectors: one per term) is noise: float32 vectors carry ~7 significant digits.
NEGLIGIBLE = 1e-4
# Two scores closer than this are tied: which comes first is decided by rounding.
TIE = 1e-6


def _origin(kv) -> tuple[str, int | None]:
    """The model file and the line of its first vector (set by ``model.load``)."""
    return getattr(kv, "lexicon_file", "the model file"), getattr(kv, "lexicon_first_line", None)


def where_in_model(kv, i: int) -> str:
    """'vectors.txt:3' for word #i (0-based) of a text model file, else 'word #3 of vectors.kv'."""
    file, first = _origin(kv)
    return f"{file}:{first + i}" if first is not None else f"word #{i + 1:,} of {file}"


def zero_rows(kv) -> np.ndarray:
    """Indices of the words whose vector has no usable length: zero, or so short (1e-30) or long
    (1e30) that its float32 length, which gensim divides by, is 0 or infinite (computed once)."""
    rows = getattr(kv, "lexicon_zero_rows", None)
    if rows is None:
        with np.errstate(over="ignore", invalid="ignore"):
            kv.fill_norms()
        rows = np.flatnonzero(~(np.isfinite(kv.norms) & (kv.norms > 0)))
        try:
            kv.lexicon_zero_rows = rows
        except AttributeError:
            pass
    return rows


# --- at load -----------------------------------------------------------------------------------

def check_model(kv, shown: str, set_in: str) -> None:
    """A model whose vectors cannot be compared: fewer than 2 words, or every vector zero."""
    if len(kv) < 2:
        raise LexiconError(
            f"the model holds only {len(kv)} word ({kv.index_to_key[0]!r}): a similarity needs two words to compare",
            file=shown, line=None, fix="point plugins.lexicon.model.path at a complete vectors file " + set_in)
    zeros = zero_rows(kv)
    if len(zeros) == len(kv):
        raise LexiconError(
            f"every vector of the model is zero ({len(kv):,} words): no word has a direction, so no cosine "
            "can be computed", file=shown, line=None,
            fix="the file is damaged or was written empty: download or copy the vectors file again " + set_in)


def check_header(path: Path, fmt: str, shown: str, set_in: str) -> None:
    """A word2vec text header must agree with the rows: gensim reads only as many words as it
    announces (and silently drops the rest), and fails on other widths with a numpy message."""
    if fmt != "word2vec":
        return
    with path.open("rb") as fh:
        head = fh.readline(100).split()
        first = fh.readline()
        rows = (1 if first.strip() else 0) + sum(1 for line in fh if line.strip())
    if not (len(head) == 2 and head[0].isdigit() and head[1].isdigit()):
        shown_head = b" ".join(head).decode("utf-8", "replace")[:60]
        raise LexiconError(
            f"could not load the model file: its line 1 ({shown_head!r}) is not the '<words> <dims>' header a "
            "word2vec text file starts with", file=shown, line=1,
            fix=f"write the header '{rows + 1} {len(first.split()) - 1 if first.strip() else 'N'}' as line 1 if the "
                "rows below it are all vectors; a file without a header is in 'glove' format " + set_in)
    words, dims = int(head[0]), int(head[1])
    width = len(first.split()) - 1
    if first.strip() and width != dims:
        raise LexiconError(
            f"could not load the model file: its header (line 1) announces {dims} numbers per word, but line 2 "
            f"has {width}", file=shown, line=1,
            fix=f"correct the header to '{rows} {width}', or download or copy the file again " + set_in)
    if words < rows:  # fewer rows than announced: the "ends early" message of model.load
        raise LexiconError(
            f"could not load the model file: its header (line 1) announces {words:,} words, but "
            f"{rows:,} lines of vectors follow it", file=shown, line=1,
            fix=f"correct the header to '{rows} {dims}', or download or copy the file again " + set_in)


def check_binary_rows(kv, path: Path, fmt: str, shown: str, set_in: str) -> None:
    """A word2vec binary header announcing fewer words than the file holds: gensim reads only those."""
    if fmt != "word2vec-binary":
        return
    with path.open("rb") as fh:
        header = len(fh.readline(100))
    per_word = kv.vector_size * 4 + 2   # "word " + float32 numbers (+ a line break in the C tool's files)
    most = header + sum(len(w.encode("utf-8")) + per_word for w in kv.index_to_key)
    size = path.stat().st_size
    if size > most:
        raise LexiconError(
            f"could not load the model file: its header (line 1) announces {len(kv):,} words, but the file "
            f"goes on for {size - most:,} bytes after them", file=shown, line=1,
            fix="correct the header's word count, or download or copy the file again " + set_in)


def check_unique(kv, path: Path, fmt: str, shown: str, set_in: str) -> None:
    """Every word of the model is listed once: gensim keeps the first of two rows of one word and
    leaves a hole (``None``) for the second in a text or binary file, and both in a folder's index."""
    if len(kv.key_to_index) == len(kv.index_to_key):
        return
    seen: dict[str, int] = {}
    for word, at in _words_in_file(path, fmt, kv):
        if word in seen:
            lines = fmt in ("word2vec", "glove")
            first, again = (f"line {seen[word]:,}", f"line {at:,}") if lines else (f"word #{seen[word]:,}", f"word #{at:,}")
            raise LexiconError(
                f"the word {word!r} is listed twice in the model: first at {first}, again at {again}; a word has "
                "one vector, so the build cannot tell which one is meant", file=shown, line=at if lines else None,
                fix=f"delete one of the two rows of {word!r} (or download or copy the file again) " + set_in)
        seen[word] = at


def _words_in_file(path: Path, fmt: str, kv):
    """Each word in the order the file lists it, with where it is: its line, or its position."""
    if fmt in ("word2vec", "glove"):
        with path.open("rb") as fh:
            for n, raw in enumerate(fh, start=1):
                if raw.strip() and not (n == 1 and fmt == "word2vec"):
                    yield raw.rstrip().split(b" ")[0].decode("utf-8", "replace"), n
    elif fmt == "word2vec-binary":   # "<word> " then the float32 numbers, as gensim reads it
        with path.open("rb") as fh:
            fh.readline()
            for n in range(1, len(kv.index_to_key) + 1):
                word = bytearray()
                while (ch := fh.read(1)) not in (b" ", b""):
                    word += ch
                yield word.lstrip(b"\n").decode("utf-8", "replace"), n
                fh.seek(kv.vector_size * 4, 1)
    else:
        yield from ((w, n) for n, w in enumerate(kv.index_to_key, start=1))


# --- before and during compute --------------------------------------------------------------------

def require_directions(kv, words) -> None:
    """Every word a block uses has a vector of non-zero length (it was found in the vocabulary)."""
    zeros = zero_rows(kv)
    if not len(zeros):
        return
    zero = set(zeros.tolist())
    for w in words:
        i = kv.key_to_index.get(w)
        if i is not None and i in zero:
            err = LexiconError(
                f"the vector of '{w}' is zero ({where_in_model(kv, i)}): it has no direction, so a cosine "
                "with it is undefined (0/0) and any score or rank it takes part in is meaningless"
                + ("" if not kv.vectors[i].any() else
                   f" (its numbers are not all 0, but its length in float32 is {float(kv.norms[i])})"),
                fix=f"choose another word than '{w}', or repair that line of the model file")
            err.word = w
            raise err


def require_spread(kv, words) -> None:
    """No two words of a map share one direction (their unit vectors differ by more than rounding)."""
    words = [w for w in dict.fromkeys(words) if w in kv.key_to_index]
    if len(words) < 2:
        return
    x = np.stack([kv[w] for w in words]).astype(np.float64)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    close = np.argwhere(np.triu(np.abs(x @ x.T - 1) <= TIE, k=1))
    if len(close):
        a, b = (words[i] for i in close[0])
        err = LexiconError(
            f"'{a}' and '{b}' have the same direction in the model (their vectors are copies of one "
            "another): a map cannot tell them apart" + (", and no word of this map differs from the others"
                                                        if len(close) == len(words) * (len(words) - 1) // 2 else ""),
            fix=f"leave out '{b}' (or '{a}'), or choose words whose vectors differ")
        err.word = b
        raise err


def check_terms(positive: list[str], negative: list[str]) -> None:
    """No word is both added and subtracted (read without the model, so a warm build checks it too)."""
    both = [w for w in positive if w in negative]
    if both:
        err = LexiconError(
            f"'{both[0]}' is both added and subtracted: the two cancel out, so the query's answer "
            "is decided by what is left, or by rounding noise",
            fix=f"use '{both[0]}' on one side of the query only (e.g. king - man + woman)")
        err.word = both[0]
        raise err


def check_query(kv, positive: list[str], negative: list[str]) -> None:
    """A query ``sum(unit(positive)) - sum(unit(negative))`` must leave a direction that is not noise."""
    check_terms(positive, negative)
    unit = lambda w: kv[w].astype(np.float64) / np.linalg.norm(kv[w].astype(np.float64))  # noqa: E731
    q = sum(unit(w) for w in positive) - sum((unit(w) for w in negative), np.zeros(kv.vector_size))
    n = len(positive) + len(negative)
    if not np.isfinite(q).all() or float(np.linalg.norm(q)) < NEGLIGIBLE * n:
        terms = " ".join([positive[0]] + [f"+ {w}" for w in positive[1:]] + [f"- {w}" for w in negative])
        err = LexiconError(
            f"the query '{terms}' adds up to (almost) nothing: length {float(np.linalg.norm(q)):.2g} against "
            f"{n} unit vectors, so its answers would be rounding noise (its words' vectors cancel out)",
            fix="use words whose vectors differ, e.g. king - man + woman")
        err.word = (negative or positive)[0]
        raise err


# --- after compute --------------------------------------------------------------------------------

def check_finite(result, kv=None) -> None:
    """Every number of a result is finite; else a located error (the page adds the block's line)."""
    path = _non_finite(result, "result")
    if path is None:
        return
    cause = ""
    if kv is not None and len(zero_rows(kv)):
        i = int(zero_rows(kv)[0])
        cause = (f"; the model has {len(zero_rows(kv)):,} word(s) whose vector is zero, e.g. "
                 f"'{kv.index_to_key[i]}' ({where_in_model(kv, i)}), and a cosine with one is 0/0")
    raise LexiconError(
        f"the computation gave a number that is not finite ({path[1]} at {path[0]}){cause}: it cannot be shown "
        "or checked", fix="use words whose vectors are not zero or identical (a map, a set or a query of copies "
                          "of one vector has no spread), or repair the model file")


def _non_finite(x, at: str):
    if isinstance(x, float):
        return None if math.isfinite(x) else (at, repr(x))
    if isinstance(x, dict):
        items = x.items()
    elif isinstance(x, (list, tuple)):
        items = enumerate(x)
    else:
        return None
    for k, v in items:
        found = _non_finite(v, f"{at}[{k!r}]")
        if found:
            return found
    return None


# --- claims ------------------------------------------------------------------------------------

# A number as a claim's text shows it ("= nan", "(inf)", "is -inf"), not a word of the vocabulary,
# which is quoted ("'nan' is #1") or followed by its score ("nan (0.4100)").
_SHOWN_NON_FINITE = re.compile(r"(?<![\w'’\"])[-+]?(?:nan|inf(?:inity)?)(?![\w'’\"]|\s\()", re.I)


def shows_non_finite(text: str) -> bool:
    return bool(_SHOWN_NON_FINITE.search(text))


def finite(*xs) -> bool:
    return all(isinstance(x, (int, float)) and math.isfinite(x) for x in xs)


def tied(a: float, b: float) -> bool:
    return abs(a - b) <= TIE


# --- exercises ------------------------------------------------------------------------------------

def scores_tie(a: float, b: float, digits: int = 4) -> bool:
    """Two scores a reader cannot tell apart: within :data:`TIE`, or equal as the tables show them."""
    return tied(a, b) or f"{a:.{digits}f}" == f"{b:.{digits}f}"


def check_graded(scores: dict | None, by: str = "highest") -> None:
    """An exercise whose graded answer is the ``by`` ("highest" or "lowest") of ``scores`` (choice
    label -> score as its table shows it) must have one: if the best two tie, which one the exercise
    marks right is decided by rounding. With ``by="order"`` the whole order (highest first) is
    graded, so no two neighbours in it may tie."""
    if not scores:
        return
    ranked = sorted(scores.items(), key=lambda t: t[1] if by == "lowest" else -t[1])
    pairs = list(zip(ranked, ranked[1:]))[:None if by == "order" else 1]
    for (a, x), (b, y) in pairs:
        if scores_tie(x, y):
            place = ("the order of the choices" if by == "order"
                     else f"the exercise's answer (the choice with the {by} score)")
            err = LexiconError(
                f"{place} is decided by a tie: '{a}' and '{b}' score the same ({x:.4f} and "
                f"{y:.4f}), so marking one of them right and the other wrong would be decided by rounding, "
                "not by the model", fix=f"choose other words or choices, so that one answer wins clearly "
                                        f"(e.g. leave out '{b}')")
            err.word = str(b)
            raise err
