"""The Lee background corpus that gensim ships, read once for every kind that counts in it.

300 short news stories from the Australian Broadcasting Corporation collected by Lee,
Pincombe and Welsh (2005), one story per line, tokenised with gensim's ``simple_preprocess``.
A context of a word is every word within ``window`` positions on either side, inside the same
story. Two words' *context overlap* is the cosine similarity of their context-count vectors.

The file is declared once, as :data:`LEE`: its content hash joins the cache key of every kind
whose compute code reads it (a new gensim release may ship another corpus).
"""

from __future__ import annotations

import difflib
import functools
from collections import Counter

import numpy as np

from ...engine.deps import DataFile
from ...errors import LexiconError
from ...numeric import SCORE_DIGITS

CORPUS = "lee_background.cor"
MIN_OCCURRENCES = 5  # below this a word's contexts are too few to say anything


def _lee_path() -> str:
    from gensim.test.utils import datapath

    return datapath(CORPUS)


LEE = DataFile(_lee_path)
BACKGROUND = CORPUS
HELD_OUT = "lee.cor"   # gensim's 50 held-out Lee stories


def _held_out_path() -> str:
    from gensim.test.utils import datapath

    return datapath(HELD_OUT)


LEE_HELD_OUT = DataFile(_held_out_path)


@functools.lru_cache(maxsize=1)
def held_out() -> tuple[tuple[str, ...], ...]:
    """The 50 held-out stories of ``lee.cor`` (Latin-1: it holds a pound sign the UTF-8 codec refuses)."""
    from gensim.utils import simple_preprocess

    with open(LEE_HELD_OUT.path, encoding="latin-1") as f:
        return tuple(tuple(simple_preprocess(line)) for line in f)


@functools.lru_cache(maxsize=1)
def corpus_stories() -> tuple[tuple[str, ...], ...]:
    """The corpus as token lists, one per story (line), exactly as ``simple_preprocess`` gives them."""
    from gensim.utils import simple_preprocess

    with open(LEE.path, encoding="utf-8") as f:
        return tuple(tuple(simple_preprocess(line)) for line in f)


@functools.lru_cache(maxsize=1)
def corpus_frequencies() -> Counter:
    return Counter(w for story in corpus_stories() for w in story)


def context_counts(target: str, window: int, drop_stopwords: bool) -> Counter:
    """How often each word occurs within ``window`` words of ``target`` (both sides, same story)."""
    from gensim.parsing.preprocessing import STOPWORDS

    counts: Counter = Counter()
    for words in corpus_stories():
        for i, w in enumerate(words):
            if w == target:
                for c in words[max(0, i - window):i] + words[i + 1:i + 1 + window]:
                    if not (drop_stopwords and c in STOPWORDS):
                        counts[c] += 1
    return counts


def context_overlap(a: Counter, b: Counter) -> float:
    """Cosine similarity of two context-count vectors (0 when they share no context)."""
    keys = sorted(set(a) | set(b))
    va = np.array([a.get(k, 0) for k in keys], dtype=float)
    vb = np.array([b.get(k, 0) for k in keys], dtype=float)
    denom = float(np.linalg.norm(va) * np.linalg.norm(vb))
    return round(float(va @ vb) / denom, SCORE_DIGITS) if denom else 0.0


def most_shared(a: Counter, b: Counter, k: int = 5) -> list[str]:
    """The contexts both words have most often (highest smaller count; ties by word)."""
    both = [(min(a[c], b[c]), c) for c in set(a) & set(b)]
    return [c for _, c in sorted(both, key=lambda t: (-t[0], t[1]))[:k]]


def require_in_corpus(words) -> None:
    """Every word must occur often enough in the corpus to have contexts worth counting."""
    freq = corpus_frequencies()
    for w in words:
        if freq.get(w, 0) < MIN_OCCURRENCES:
            common = [c for c, n in freq.items() if n >= MIN_OCCURRENCES]
            close = difflib.get_close_matches(w, common, n=3, cutoff=0.75)
            hint = f"; close words that it has: {', '.join(close)}" if close else ""
            err = LexiconError(
                f"'{w}' occurs {freq.get(w, 0)} times in the corpus ({CORPUS}); a target needs at "
                f"least {MIN_OCCURRENCES}{hint}",
                fix="choose a word this news corpus uses often, e.g. police, troops, government, "
                    "cricket, israeli, qantas")
            err.word = w
            raise err


WINDOW_DOC = "How many words on each side count as context (within one story)."
STOPWORDS_DOC = "Leave out gensim's list of common English function words (*the*, *of*, …)."
