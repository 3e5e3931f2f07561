"""Vector geometry

How the shape of an embedding space changes what "near" means: Manhattan against Euclidean and
cosine neighbours, what scaling vectors to length 1 does, set overlap (Jaccard similarity) of
neighbour lists, how distances bunch together as dimensions grow, how far word vectors share one
direction (anisotropy), and why a few words are the nearest neighbours of very many (hubness).
Every number is computed from the model, or from scikit-learn's bundled datasets, at build time.
"""

ORDER = 17  # where the family stands in the authoring guide
