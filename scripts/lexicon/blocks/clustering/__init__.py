"""Clustering.

Grouping vectors without labels: k-means (scikit-learn's `KMeans`, seeded, `n_init` stated), the
silhouette of each word and of each k, and agglomerative (hierarchical) clustering with scikit-learn
and SciPy. The vectors are the model's own (unit length by default, so Euclidean distance follows
cosine similarity), or one of scikit-learn's bundled datasets; the groups the author states are the
truth the clusters are scored against, by the adjusted Rand index. An exercise is built on them.

On the bundled datasets the family also draws the elbow (inertia and silhouette over k and seeds), runs
DBSCAN (its k-distance plot, clusters and noise over eps) and Gaussian mixtures fitted by EM (BIC over
components and seeds, soft assignments), works the adjusted Rand index out from a contingency table beside
random labellings, and asks an exercise on each.
"""

ORDER = 13  # where the family stands in the authoring guide
