"""Transformer arithmetic.

The ideas behind transformers, computed on this site's static word vectors or with numpy: one
step of scaled dot-product self-attention with no learned weights, a toy contextual vector
made from it, the sinusoidal positional encoding, sentence vectors as the mean of their word
vectors, and the exercises built on them.
"""

ORDER = 6  # where the family stands in the authoring guide
