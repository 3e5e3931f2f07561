"""What the clustering kinds share: the words and their true groups, the vectors, k-means, and the
scores (adjusted Rand index, silhouette) — every one of them scikit-learn's own.

A block names its words in groups (``animals: [cat, dog, …]``); the groups are the truth a clustering
is scored against and never reach the clustering itself. Vectors are float64 copies of the model's,
scaled to unit length unless ``unit: false`` (on unit vectors, squared Euclidean distance is
2 − 2 × cosine, so k-means groups by cosine similarity).
"""

from __future__ import annotations

import numpy as np

from ...engine import opt
from ...errors import LexiconError

GROUPS = opt.groups("The words in named groups, `animals: [cat, dog, horse]`: the true groups the clusters are "
                    "scored against (the clustering never sees them). A word may be in only one group.",
                    min=2, max=8, required=True)
UNIT = opt.flag("Scale every vector to unit length first, so that distances follow cosine similarity.",
                default=True)
SEED = opt.seed("The `random_state` of k-means (its starting centres).", default=0)
N_INIT = opt.integer("How many times k-means starts from new random centres (`n_init`); the run with the "
                     "lowest inertia is kept.", default=10, min=1, max=50)
# k-means' options as every kind that runs it declares them: its restarts and its seed.
KMEANS_OPTIONS = dict(n_init=N_INIT, seed=SEED)
KS = {"type": "array", "items": {"type": "integer", "minimum": 2, "maximum": 20}, "minItems": 2, "maxItems": 12,
      "uniqueItems": True}
KS_DOC = "list of 2–12 different whole numbers, 2–20"


def read_groups(spec) -> None:
    """``spec.groups`` → ``spec.word_list`` and ``spec.truth`` (the group of each word, by index)."""
    words, truth = [], []
    names = list(spec.groups)
    for i, (name, ws) in enumerate(spec.groups.items()):
        for w in ws:
            if w in words:
                raise LexiconError(f"the word '{w}' is listed twice ('{names[truth[words.index(w)]]}' and '{name}')",
                                   fix="keep each word in one group, once")
            words.append(w)
            truth.append(i)
    spec.word_list, spec.truth, spec.group_names = words, truth, names


def read_words_ks(spec) -> None:
    """What kmeans and silhouette read alike from their options: the groups' words (:func:`read_groups`), ``k``
    (default: one cluster per group) added to ``ks``, and every k below the number of words (``spec.k_list``)."""
    read_groups(spec)
    spec.k = spec.k or len(spec.group_names)
    spec.k_list = check_ks(sorted(set(spec.ks) | {spec.k}), len(spec.word_list))


def check_ks(ks: list[int], n: int, what: str = "ks") -> list[int]:
    """The k values sorted; each must leave at least one word more than clusters (silhouette needs 2 ≤ k < n)."""
    ks = sorted(ks)
    if ks[-1] >= n:
        raise LexiconError(f"'{what}' asks for {ks[-1]} clusters of only {n} words",
                           fix=f"use k values below {n}, or add words")
    return ks


def matrix(kv, words: list[str], unit: bool) -> np.ndarray:
    x = np.asarray([kv[w] for w in words], dtype=np.float64)
    if unit:
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        if (norms == 0).any():
            zero = words[int(np.argmin(norms))]
            raise LexiconError(f"the vector of '{zero}' is zero: it has no direction to scale",
                               fix="choose another word, or set 'unit: false'")
        x = x / norms
    return x


def kmeans(x: np.ndarray, k: int, n_init: int, seed: int):
    """scikit-learn's KMeans (k-means++ starts, Lloyd's algorithm), fitted; its labels renumbered in
    the order clusters first appear among the rows, so that cluster 1 holds the first word.
    Repeatable because the build computes every block on one thread (``build.compute_checked``)."""
    from sklearn.cluster import KMeans

    km = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(x)
    return km, first_seen(km.labels_)


def first_seen(labels) -> list[int]:
    """Cluster numbers renumbered 0, 1, … in the order they first appear (a clustering's names are arbitrary)."""
    order: dict[int, int] = {}
    for lab in labels:
        order.setdefault(int(lab), len(order))
    return [order[int(lab)] for lab in labels]


def ari(truth: list[int], labels: list[int]) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(truth, labels))


def members(words: list[str], labels: list[int]) -> list[list[str]]:
    """The words of each cluster, cluster 1 first, in the order the block lists them."""
    out: list[list[str]] = [[] for _ in range(max(labels) + 1)]
    for w, lab in zip(words, labels):
        out[lab].append(w)
    return out


def majority(group_names: list[str], truth: list[int], labels: list[int]) -> list[str]:
    """For each cluster, the true group most of its words belong to ("animals 7/8")."""
    out = []
    for c in range(max(labels) + 1):
        inside = [t for t, lab in zip(truth, labels) if lab == c]
        counts = np.bincount(inside, minlength=len(group_names))
        best = int(np.argmax(counts))
        out.append(f"{group_names[best]} {counts[best]}/{len(inside)}")
    return out


def word_index(spec, word: str) -> int:
    word = str(word).strip()
    if word not in spec.word_list:
        raise LexiconError(f"'{word}' is not one of the block's words", fix="name one of: " + ", ".join(spec.word_list))
    return spec.word_list.index(word)


def k_index(ks: list[int], k) -> int:
    try:
        return ks.index(int(str(k).strip()))
    except ValueError:
        raise LexiconError(f"'{k}' is not one of the k values", fix="name one of: " + ", ".join(map(str, ks))) from None
