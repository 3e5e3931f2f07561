"""The regularised logistic regression of the breast cancer data that the ``optim`` and ``tuning`` families train:
the design matrix, the loss, its gradient and its lowest value, each a plain function (shared, so that neither family
imports the other).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=None)
def breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    """The breast cancer design matrix (a column of ones, then the 30 standardised features) and the 0/1 labels."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.preprocessing import StandardScaler

    data = load_breast_cancer()
    return np.column_stack([np.ones(len(data.target)), StandardScaler().fit_transform(data.data)]), data.target.astype(float)


def log_loss(a, y, w, alpha: float) -> float:
    """The mean logistic loss plus ``alpha / 2 · ‖w‖²`` (the intercept, ``w[0]``, unpenalised): the objective of
    ``SGDClassifier(loss="log_loss", alpha=alpha)`` and of ``LogisticRegression(C=1 / (n · alpha))``."""
    z = a @ w
    return float(np.mean(np.logaddexp(0.0, z) - y * z) + alpha / 2 * w[1:] @ w[1:])


def log_gradient(a, y, w, alpha: float) -> np.ndarray:
    p = 0.5 * (1.0 + np.tanh(0.5 * (a @ w)))        # the sigmoid, without overflow
    g = a.T @ (p - y) / len(y)
    g[1:] += alpha * w[1:]
    return g


def logistic_optimum(a, y, alpha: float) -> float:
    """The lowest regularised logistic loss: ``LogisticRegression(C=1 / (n · alpha))`` minimises the same objective."""
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=1.0 / (len(y) * alpha), tol=1e-10, max_iter=10_000).fit(a[:, 1:], y)
    return log_loss(a, y, np.r_[m.intercept_, m.coef_[0]], alpha)
