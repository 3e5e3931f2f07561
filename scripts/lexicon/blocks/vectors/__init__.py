"""Words as vectors.

The model's vectors themselves: nearest words, similarity of pairs, word arithmetic, the
embedding matrix as a lookup table, one-hot against dense vectors, and the exercises built
on them.
"""

ORDER = 1  # where the family stands in the authoring guide
