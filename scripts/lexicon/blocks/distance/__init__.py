"""Distance and direction

How close two words are by cosine similarity, dot product and Euclidean distance (and why
vector length makes them disagree), how the model's similarities compare with people's
ratings, and where words fall on a direction defined by word pairs, with the exercises
built on them.
"""

ORDER = 2  # where the family stands in the authoring guide
