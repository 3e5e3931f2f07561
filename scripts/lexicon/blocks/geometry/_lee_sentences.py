"""The first sentence of each of the 50 held-out stories of gensim's Lee corpus (``lee.cor``), for
the geometry kinds that run the transformer: real text, read from the installed gensim package."""

from __future__ import annotations

from ...engine.deps import DataFile


def _find() -> str:
    from gensim.test.utils import datapath

    return datapath("lee.cor")


LEE_HELD_OUT = DataFile(_find)


def first_sentences(n: int) -> list[str]:
    """The first sentence (up to the first '. ') of each of the first ``n`` stories (Latin-1: the
    file holds a pound sign the UTF-8 codec refuses)."""
    with open(LEE_HELD_OUT.path, encoding="latin-1") as f:
        stories = [line.strip() for line in f if line.strip()]
    return [s.split(". ")[0].strip() for s in stories[:n]]
