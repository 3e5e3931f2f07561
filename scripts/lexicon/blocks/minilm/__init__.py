"""A real transformer: all-MiniLM-L6-v2, run in numpy.

The sentence-transformers model all-MiniLM-L6-v2 (6 layers, 12 heads, 384 dimensions), computed at
build time by :mod:`lexicon.minilm` from its verified weights: WordPiece tokens and ids, the same word's
vectors in different sentences layer by layer, and the exercises built on them. No GloVe vectors:
these kinds are cached under the transformer's weights (their hash is part of the code they reach).
"""

ORDER = 8  # where the family stands in the authoring guide
