"""Transformers: their arithmetic, and a real one.

The ideas behind transformers, computed on this site's static word vectors or with numpy: one
step of scaled dot-product self-attention with no learned weights, a toy contextual vector
made from it, the sinusoidal positional encoding, sentence vectors as the mean of their word
vectors. Then a real transformer, all-MiniLM-L6-v2, run in numpy at build time by
:mod:`lexicon.minilm` from its verified weights: its WordPiece tokens, one word's vectors layer
by layer, its attention heads, its parameters, its learned position vectors, and its sentence
embeddings for search. Those kinds are cached under the transformer's weights (their hash is part
of the code they reach). And the exercises built on them.
"""

ORDER = 6  # where the family stands in the authoring guide
