"""Collocations of gensim's Lee corpus scored by gensim's ``Phrases``, with both of its scorers.

:func:`scored` trains ``gensim.models.phrases.Phrases`` on the background stories (``simple_preprocess``
tokens, as every corpus kind) twice, once per scorer, with a threshold low enough to export every
bigram that reaches ``min_count``: the ``default`` scorer of Mikolov et al. (2013),
``(count(a b) − min_count) / (count(a) × count(b)) × vocabulary size``, and ``npmi``, normalised
pointwise mutual information (Bouma 2009), from −1 to 1. Used by the collocations and
collocation-exercise kinds.
"""

from __future__ import annotations

import functools

from ..corpus._lee import stories

SCORERS = ("default", "npmi")
LOW = {"default": 1e-12, "npmi": -1.0}   # below every score a kept bigram can have: export them all


@functools.lru_cache(maxsize=4)
def scored(min_count: int) -> dict[str, list]:
    """``"a b"`` -> ``[count of the bigram, default score, npmi score]`` for every bigram seen at least
    ``min_count`` times (one seen exactly ``min_count`` times has the default score 0, which gensim does not
    export)."""
    from gensim.models.phrases import Phrases

    docs = [list(s) for s in stories()]
    out: dict[str, list] = {}
    models = {s: Phrases(docs, min_count=min_count, threshold=LOW[s], scoring=s, delimiter="_") for s in SCORERS}
    both = [m.export_phrases() for m in models.values()]
    vocab = models["npmi"].vocab
    for g in sorted(both[1]):
        out[g.replace("_", " ")] = [int(vocab[g]), float(both[0].get(g, 0.0)), float(both[1][g])]
    return out


def counts_of(words: list[str]) -> dict[str, int]:
    """How often each word occurs in the background stories."""
    from ..corpus._lee import frequencies

    f = frequencies()
    return {w: int(f.get(w, 0)) for w in words}
