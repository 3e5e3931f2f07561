"""What the curse-of-dimensionality kinds share: the max/min distance ratio of a set of points,
and classifiers' accuracy on a bundled dataset with random noise features added."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedShuffleSplit, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from ... import datasets

MODELS = {"knn": "k-nearest neighbours (k = 5)", "logistic": "logistic regression",
          "tree": "decision tree"}
TEST_SIZE = 0.3


def distance_ratio(x: np.ndarray, queries: int, seed: int) -> float:
    """The median, over ``queries`` points drawn with ``seed``, of the ratio of a point's largest to
    its smallest Euclidean distance to the other points (points at distance 0 left out)."""
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(x), size=min(queries, len(x)), replace=False)
    ratios = []
    for i in picked:
        d = np.sqrt(np.square(x - x[i]).sum(axis=1))
        d = d[d > 0]
        ratios.append(d.max() / d.min())
    return float(np.median(ratios))


def model(name: str):
    if name == "knn":
        return KNeighborsClassifier(n_neighbors=5)
    if name == "logistic":
        return LogisticRegression(max_iter=datasets.MAX_ITER)
    return DecisionTreeClassifier(random_state=0)


def with_noise(name: str, noise: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A bundled dataset's features with ``noise`` standard-normal columns appended (NumPy ``seed``; the
    blocks use 0, the tests check other draws)."""
    d = datasets.load(name)
    x = np.asarray(d.data, dtype=np.float64)
    extra = np.random.default_rng(seed).standard_normal((len(x), noise))
    return np.hstack([x, extra]), np.asarray(d.target)


def accuracy(name: str, noise: int, model_name: str, splits: int, seed: int = 0) -> dict:
    """Test accuracy of a standardised model over ``splits`` stratified 70/30 splits (seed 0), with the
    noise drawn with NumPy ``seed``: the mean, the lowest and the highest split."""
    x, y = with_noise(name, noise, seed)
    cv = StratifiedShuffleSplit(n_splits=splits, test_size=TEST_SIZE, random_state=0)
    a = cross_val_score(make_pipeline(StandardScaler(), model(model_name)), x, y, cv=cv, n_jobs=1)
    return {"mean": round(float(a.mean()), 4), "low": round(float(a.min()), 4), "high": round(float(a.max()), 4),
            "splits": [round(float(v), 4) for v in a]}
