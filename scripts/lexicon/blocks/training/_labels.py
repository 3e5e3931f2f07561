"""What the label kinds share: the labels of scikit-learn's bundled datasets, and training labels flipped at
random to measure what label noise costs a classifier on clean test labels.

The datasets come from :mod:`lexicon.datasets` (an unknown name is a located error). Each seed makes its own
stratified split and its own flips (``RandomState(seed)``), so the spread over seeds covers both.
"""

from __future__ import annotations

import numpy as np

from ...datasets import CLASSIFICATION, MAX_ITER, load
from ._data import check_dataset, split

MODELS = {"logistic-regression": "StandardScaler + LogisticRegression", "nearest-neighbours": "StandardScaler + KNeighborsClassifier"}


def label_summary(dataset: str) -> dict:
    """The label column of a bundled dataset: for a classification dataset each class's name and count; for the
    diabetes data (a number per patient) the smallest, largest, mean and median value and how many distinct ones."""
    data = load(dataset)          # an unknown name is a located error that lists the names
    y = np.asarray(data.target)
    if dataset not in CLASSIFICATION:   # the diabetes data
        return {"kind": "number", "samples": int(len(y)), "min": float(y.min()), "max": float(y.max()),
                "mean": float(y.mean()), "median": float(np.median(y)), "distinct": int(len(np.unique(y)))}
    counts = np.bincount(y)
    return {"kind": "class", "samples": int(len(y)), "classes": [str(c) for c in data.target_names],
            "counts": counts.tolist()}


def flip(y: np.ndarray, share: float, classes: int, rng: np.random.RandomState) -> tuple[np.ndarray, int]:
    """A copy of ``y`` in which ``round(share × len(y))`` labels, picked without replacement, are each replaced by
    another class drawn uniformly; and how many were flipped."""
    y = y.copy()
    n = int(round(share * len(y)))
    for i in rng.choice(len(y), n, replace=False):
        others = [c for c in range(classes) if c != y[i]]
        y[i] = others[rng.randint(len(others))]
    return y, n


def classifier(model: str, neighbours: int):
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if model == "logistic-regression":
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=MAX_ITER))
    return make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=neighbours))


def label_noise(dataset: str, model: str, neighbours: int, shares: list[float], seeds: int, test_size: float) -> dict:
    """For each share of flipped training labels and each seed 0 … ``seeds`` − 1: a stratified split (``seed``), that
    share of the training labels flipped (``RandomState(seed)``), the model fitted on them and scored (accuracy) on
    the untouched test labels. Per share: the accuracies, their mean, lowest and highest."""
    check_dataset(dataset)
    data = load(dataset)
    x, y = data.data, np.asarray(data.target)
    classes = int(y.max()) + 1
    rows = []
    for share in shares:
        acc, flipped = [], 0
        for s in range(seeds):
            x_tr, x_te, y_tr, y_te = split(x, y, test_size, s, True)
            noisy, flipped = flip(y_tr, share, classes, np.random.RandomState(s))
            acc.append(float(classifier(model, neighbours).fit(x_tr, noisy).score(x_te, y_te)))
        rows.append({"share": share, "accuracy": acc, "mean": float(np.mean(acc)), "min": min(acc), "max": max(acc),
                     "flipped": flipped})
    x_tr, x_te, _, _ = split(x, y, test_size, 0, True)
    return {"rows": rows, "train": int(len(x_tr)), "test": int(len(x_te)), "classes": classes}
