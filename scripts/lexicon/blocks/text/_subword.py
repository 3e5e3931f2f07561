"""A word's character n-grams exactly as fastText forms them: shared by subword and subword-exercise.

fastText (Bojanowski et al. 2017) wraps a word in the boundary markers ``<`` and ``>`` and
represents it by all its character n-grams, n from 3 to 6 by default. The n-grams come from
gensim's own functions (``compute_ngrams_bytes``, the port of fastText's C++ code that gensim
trains with, and ``ft_ngram_hashes`` for the bucket each n-gram's vector lives in), not from
code of ours. Neither kind needs the embedding model, so they compute on every build.
"""

from __future__ import annotations

from ...engine import opt
from ...engine.pieces import Raw, Table
from ...errors import LexiconError
from ...render import esc

BUCKETS = 2_000_000  # fastText's and gensim's default number of hash buckets
NOTE = "Computed at build time with gensim\u2019s fastText n-gram code (no embedding model)."

WORD = opt.text("One word, without spaces; any word works, also one outside the vocabulary.", type_doc="word",
                required=True)
MINN = opt.integer("The shortest n-gram (fastText's default).", default=3, min=1, max=10)
MAXN = opt.integer("The longest n-gram (fastText's default).", default=6, min=1, max=10)


def ngrams(word: str, minn: int, maxn: int) -> list[str]:
    """The n-grams in the order fastText builds them (by start position, then length)."""
    from gensim.models.fasttext import compute_ngrams_bytes

    return [b.decode("utf-8") for b in compute_ngrams_bytes(word, minn, maxn)]


def bucket_ids(word: str, minn: int, maxn: int, buckets: int) -> list[int]:
    from gensim.models.fasttext import ft_ngram_hashes

    return [int(h) for h in ft_ngram_hashes(word, minn, maxn, buckets)]


def check(spec) -> None:
    """One word, and an n-gram range that is not empty."""
    if not spec.word.strip() or any(ch.isspace() for ch in spec.word):
        raise LexiconError(f"'{spec.word}' is not a single word", fix="write one word without spaces")
    if spec.minn > spec.maxn:
        raise LexiconError(f"'minn' ({spec.minn}) is larger than 'maxn' ({spec.maxn})",
                           fix="make minn at most maxn, e.g. minn: 3, maxn: 6 (fastText's defaults)")


def by_length(grams: list[str]) -> Table:
    """The n-grams grouped by length, one row per n."""
    groups: dict[int, list[str]] = {}
    for g in grams:
        groups.setdefault(len(g), []).append(g)
    rows = [[n, Raw(" ".join(f"<code>{esc(g)}</code>" for g in gs)), len(gs)] for n, gs in sorted(groups.items())]
    return Table(["n", "Character n-grams", "How many"], rows, numeric=(0, 2), cls="ll-table--ngrams")
