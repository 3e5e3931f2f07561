"""What the ivf-pq block and the pq-exercise share: repeatable k-means, decoding PQ codes, asymmetric
distances and the k smallest distances with ties to the more frequent word."""

from __future__ import annotations

import numpy as np

TRAIN = 10_000       # k-means trains on at most this many random rows of the index
ITERATIONS = 20      # Lloyd iterations of every k-means (random initial centroids, one run)


def _kmeans(data: np.ndarray, clusters: int, seed: int):
    """scikit-learn's KMeans (random initial centroids, one run), its convergence warning silenced; repeatable
    because the build computes every block on one thread (``build.compute_checked``)."""
    import warnings

    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return KMeans(clusters, init="random", n_init=1, max_iter=ITERATIONS, random_state=seed).fit(data)


def _decode(books: list, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every word's code decoded (its sub-vectors' centroids side by side, float64) and its squared
    length; and the words whose code an earlier word already has, with that earlier word."""
    vectors = np.hstack([book[codes[:, j]] for j, book in enumerate(books)]).astype(np.float64)
    _, first, which = np.unique(codes, axis=0, return_index=True, return_inverse=True)
    same = first[which.ravel()]
    repeats = np.flatnonzero(same != np.arange(len(codes)))
    return vectors, (vectors ** 2).sum(1), repeats, same[repeats]


def _adc(q: np.ndarray, decoded) -> np.ndarray:
    """Asymmetric distances from each uncompressed query to every word's code, less the query's
    own squared length (the same for every word, so the ranking is unchanged): −2 q·c + |c|², c
    the decoded code. Summed sub-vector by sub-vector, |q − c|² is ADC's table look-ups."""
    vectors, lengths, repeats, first = decoded
    out = q.astype(np.float64) @ vectors.T
    out *= -2
    out += lengths
    out[:, repeats] = out[:, first]         # the same code, the same distance, to the last bit
    return out


def _smallest(dist: np.ndarray, ids: np.ndarray, k: int) -> list[int]:
    """The ids of the k smallest distances; ties go to the lower id (the more frequent word)."""
    if len(dist) > k:
        keep = dist <= np.partition(dist, k - 1)[k - 1]
        dist, ids = dist[keep], ids[keep]
    return ids[np.lexsort((ids, dist))[:k]].tolist()
