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
import math

from ._corpus import corpus_stories as stories

SCORERS = ("default", "npmi")
LOW = {"default": 1e-12, "npmi": -1.0}   # below every score a kept bigram can have: export them all


@functools.lru_cache(maxsize=4)
def _phrases(min_count: int) -> tuple[dict[str, list], dict[str, int]]:
    from gensim.models.phrases import Phrases

    docs = [list(s) for s in stories()]
    out: dict[str, list] = {}
    models = {s: Phrases(docs, min_count=min_count, threshold=LOW[s], scoring=s, delimiter="_") for s in SCORERS}
    both = [m.export_phrases() for m in models.values()]
    vocab = models["npmi"].vocab
    for g in sorted(both[1]):
        out[g.replace("_", " ")] = [int(vocab[g]), float(both[0].get(g, 0.0)), float(both[1][g])]
    # what gensim hands its scorers: len_vocab counts every distinct word AND every distinct pair it collected
    return out, {"len_vocab": len(vocab), "words": int(models["npmi"].corpus_word_count)}


def scored(min_count: int) -> dict[str, list]:
    """``"a b"`` -> ``[count of the bigram, default score, npmi score]`` for every bigram seen at least
    ``min_count`` times (one seen exactly ``min_count`` times has the default score 0, which gensim does not
    export)."""
    return _phrases(min_count)[0]


def totals(min_count: int) -> dict[str, int]:
    """The two totals gensim's scorers use: ``len_vocab`` (the default scorer's multiplier: the number of
    distinct words plus distinct word pairs gensim counted) and ``words`` (``corpus_word_count``, the running
    words, NPMI's denominator)."""
    return _phrases(min_count)[1]


def association(pair: int, a: int, b: int, words: int) -> dict[str, float]:
    """How far a pair is above chance, from counts: ``chance`` = p(a b) / (p(a) p(b)), the times the pair
    occurs as often as independent words would, and ``pmi`` = log2 of it, in bits (Church and Hanks' PMI)."""
    ratio = pair * words / (a * b)
    return {"chance": ratio, "pmi": math.log2(ratio)}


def counts_of(words: list[str]) -> dict[str, int]:
    """How often each word occurs in the background stories."""
    from ._corpus import corpus_frequencies as frequencies

    f = frequencies()
    return {w: int(f.get(w, 0)) for w in words}


def times(x: float) -> str:
    """A "times chance" ratio as pages write it: one decimal below 10 (4.4), whole above (831)."""
    return f"{x:.1f}" if x < 10 else f"{x:,.0f}"
