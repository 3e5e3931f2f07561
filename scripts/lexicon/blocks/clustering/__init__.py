"""Clustering.

Grouping vectors without labels: k-means (scikit-learn's `KMeans`, seeded, `n_init` stated), the
silhouette of each word and of each k, and agglomerative (hierarchical) clustering with scikit-learn
and SciPy. The vectors are the model's own (unit length by default, so Euclidean distance follows
cosine similarity), or one of scikit-learn's bundled datasets; the groups the author states are the
truth the clusters are scored against, by the adjusted Rand index. An exercise is built on them.
"""

ORDER = 13  # where the family stands in the authoring guide
