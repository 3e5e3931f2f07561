"""Doc2Vec (gensim, PV-DBOW) trained on the 300 background stories, and inference for a held-out story.

``Doc2Vec(dm=0, vector_size=50, min_count=2, epochs=20, workers=1, seed=0)``: the distributed bag-of-words
variant (faster than PV-DM, and better on this small corpus in a trial of a few held-out stories); one worker thread, so the order of
updates, and with the seed the vectors, are the same on every run. gensim starts an inferred vector from a
pseudo-random vector seeded by Python's ``hash`` of the document's text, which changes from process to
process (``PYTHONHASHSEED``); :func:`infer` seeds it with CRC-32 instead, so inference is reproducible too.
"""

from __future__ import annotations

import functools
import zlib

from ._lee import held_out, stories

VECTOR_SIZE, MIN_COUNT, EPOCHS, SEED = 50, 2, 20, 0


@functools.lru_cache(maxsize=1)
def model():
    from gensim.models.doc2vec import Doc2Vec, TaggedDocument

    docs = [TaggedDocument(list(s), [i]) for i, s in enumerate(stories())]
    m = Doc2Vec(dm=0, vector_size=VECTOR_SIZE, min_count=MIN_COUNT, epochs=EPOCHS, workers=1, seed=SEED)
    m.build_vocab(docs)
    m.train(docs, total_examples=m.corpus_count, epochs=m.epochs)
    return m


def _stable_hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def infer(words) -> "object":
    """gensim's ``infer_vector`` with its starting vector seeded by CRC-32 instead of Python's ``hash``."""
    import gensim.models.doc2vec as d2v

    original = d2v.pseudorandom_weak_vector
    d2v.pseudorandom_weak_vector = lambda size, seed_string=None, hashfxn=None: original(
        size, seed_string=seed_string, hashfxn=_stable_hash)
    try:
        m = model()
        m.random.seed(SEED)   # the negative samples drawn during inference
        return m.infer_vector(list(words))
    finally:
        d2v.pseudorandom_weak_vector = original


def held_out_story(number: int) -> tuple[str, ...]:
    return held_out()[number - 1]
