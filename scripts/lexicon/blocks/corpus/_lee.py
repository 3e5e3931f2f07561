"""gensim's Lee corpus, read once for every kind of the family.

``lee_background.cor``: 300 short news stories from the Australian Broadcasting Corporation collected
by Lee, Pincombe and Welsh (2005), one story per line; ``lee.cor``: 50 more, held out (gensim's test
set, encoded in Latin-1). Stories are tokenised with gensim's ``simple_preprocess`` (lower case,
letters only, 2–15 characters), as the ``text`` family does. Both files are declared as
:class:`DataFile`, so their content hashes join the cache key of every kind that reads them.
"""

from __future__ import annotations

import difflib
import functools
from collections import Counter

from ...engine.deps import DataFile
from ...errors import LexiconError

BACKGROUND = "lee_background.cor"
HELD_OUT = "lee.cor"
NOTE = "Computed at build time from gensim\u2019s Lee corpus ({what}); no embedding model."
READ = ("from gensim.test.utils import datapath\nfrom gensim.utils import simple_preprocess\n\n"
        "stories = [simple_preprocess(line) for line in open(datapath({corpus!r}), encoding=\"utf-8\")]\n")


def _path(name: str):
    def find() -> str:
        from gensim.test.utils import datapath

        return datapath(name)
    return find


LEE = DataFile(_path(BACKGROUND))
LEE_HELD_OUT = DataFile(_path(HELD_OUT))


@functools.lru_cache(maxsize=1)
def stories() -> tuple[tuple[str, ...], ...]:
    """The 300 background stories as token lists, one per line of the file."""
    from gensim.utils import simple_preprocess

    with open(LEE.path, encoding="utf-8") as f:
        return tuple(tuple(simple_preprocess(line)) for line in f)


@functools.lru_cache(maxsize=1)
def held_out() -> tuple[tuple[str, ...], ...]:
    """The 50 held-out stories of ``lee.cor`` (Latin-1: it holds a pound sign the UTF-8 codec refuses)."""
    from gensim.utils import simple_preprocess

    with open(LEE_HELD_OUT.path, encoding="latin-1") as f:
        return tuple(tuple(simple_preprocess(line)) for line in f)


@functools.lru_cache(maxsize=1)
def frequencies() -> Counter:
    """How often each word occurs in the background stories."""
    return Counter(w for s in stories() for w in s)


def stopword_list() -> frozenset:
    from gensim.parsing.preprocessing import STOPWORDS

    return frozenset(STOPWORDS)


def tokens(text: str) -> list[str]:
    """A sentence as ``simple_preprocess`` tokenises it."""
    from gensim.utils import simple_preprocess

    return simple_preprocess(str(text))


def story_index(story: int, held: bool = False) -> int:
    """The 0-based index of a story given by its number (its line in the file)."""
    n = len(held_out() if held else stories())
    if not 1 <= story <= n:
        raise LexiconError(f"the corpus ({HELD_OUT if held else BACKGROUND}) has {n} stories, so there is no "
                           f"story {story}", fix=f"choose a story from 1 to {n}")
    return story - 1


def require_words(words, what: str = "word") -> None:
    """Each word must occur in the background corpus (lower case, as ``simple_preprocess`` writes it)."""
    freq = frequencies()
    for w in words:
        if w not in freq:
            close = difflib.get_close_matches(str(w).lower(), list(freq), n=3, cutoff=0.8)
            hint = f"; close words that it has: {', '.join(close)}" if close else ""
            raise LexiconError(f"the {what} '{w}' does not occur in the corpus ({BACKGROUND}){hint}",
                               fix="write words in lower case, as gensim's simple_preprocess does, and pick words "
                                   "this news corpus uses, e.g. police, government, cricket, qantas")


def opening(words, n: int = 18) -> str:
    """The first words of a story, for a table or a caption."""
    return " ".join(words[:n]) + (" \u2026" if len(words) > n else "")
