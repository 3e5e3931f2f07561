"""What the procedure kinds share: the models a hyperparameter is swept for, repeated stratified splits, the
leakage experiment and the mini-batch gradient noise, each a plain function of its options.

Every run holds BLAS to one thread (the build's cores are shared, and it keeps the results byte-identical), and
every random draw has a stated seed.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

NOTE = "Computed at build time with scikit-learn and numpy, on scikit-learn's bundled copy of the data; no embedding model."
MODELS = {"knn": ("k", "neighbours k of a k-nearest-neighbour classifier"),
          "logistic": ("C", "inverse penalty strength C of a logistic regression")}
STEPS = {"selection": "feature selection (the best columns by an F-test)", "scaling": "standardisation (a scaler)"}


def make_model(model: str, value: float):
    """The classifier with its hyperparameter set, features standardised first (inside the pipeline)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if model == "knn":
        return make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=int(value)))
    return make_pipeline(StandardScaler(), LogisticRegression(C=float(value), max_iter=5000))


def sweep(dataset: str, model: str, values: list, splits: int, test_size: float, seed: int) -> dict:
    """Each value of the hyperparameter on each of ``splits`` stratified train/validation splits
    (``StratifiedShuffleSplit(random_state=seed)``): the training and validation accuracy, value by split."""
    from sklearn.model_selection import StratifiedShuffleSplit
    from threadpoolctl import threadpool_limits

    from ...datasets import load

    data = load(dataset)
    x, y = data.data, data.target
    train = np.zeros((len(values), splits))
    valid = np.zeros((len(values), splits))
    cut = StratifiedShuffleSplit(n_splits=splits, test_size=test_size, random_state=seed)
    with threadpool_limits(1):
        for s, (tr, va) in enumerate(cut.split(x, y)):
            for i, v in enumerate(values):
                m = make_model(model, v).fit(x[tr], y[tr])
                train[i, s] = m.score(x[tr], y[tr])
                valid[i, s] = m.score(x[va], y[va])
    return {"train": train.tolist(), "valid": valid.tolist(), "samples": int(len(y)),
            "train_size": int(len(tr)), "valid_size": int(len(va))}


def leakage(step: str, patients: int, noise: int, keep: int, real: bool, repeats: int, folds: int, seed: int) -> dict:
    """The leak of fitting ``step`` on all the data before cross-validation. Each repeat ``r`` draws ``patients``
    tumours of the breast cancer data at random (``RandomState(seed + r)``, their real diagnoses) and ``noise``
    standard normal columns (the same stream); the features are the noise columns, after the 30 real measurements
    if ``real``. A logistic regression is then cross-validated (``folds`` stratified folds, shuffled with
    ``random_state=seed + r``) twice: once on features the step has already been fitted to with ALL the patients
    (leaky), once with the step inside the pipeline, fitted on each training part only (honest)."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.feature_selection import SelectKBest, f_classif
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    data = load_breast_cancer()
    leaky, honest, majority = [], [], []
    with threadpool_limits(1):
        for r in range(repeats):
            rng = np.random.RandomState(seed + r)
            idx = rng.choice(len(data.target), patients, replace=False) if patients < len(data.target) \
                else np.arange(len(data.target))
            cols = rng.standard_normal((len(idx), noise))
            x = np.column_stack([data.data[idx], cols]) if real else cols
            y = data.target[idx]
            cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed + r)
            clf = LogisticRegression(max_iter=5000)
            if step == "selection":
                fitted = SelectKBest(f_classif, k=keep).fit_transform(x, y)
                leaky.append(cross_val_score(make_pipeline(StandardScaler(), clf), fitted, y, cv=cv).mean())
                honest.append(cross_val_score(make_pipeline(StandardScaler(), SelectKBest(f_classif, k=keep), clf),
                                              x, y, cv=cv).mean())
            else:
                fitted = StandardScaler().fit_transform(x)
                leaky.append(cross_val_score(clf, fitted, y, cv=cv).mean())
                honest.append(cross_val_score(make_pipeline(StandardScaler(), clf), x, y, cv=cv).mean())
            majority.append(max(y.mean(), 1 - y.mean()))
    # rounded, so that two accuracies equal but for the last bits of floating point compare equal
    return {"leaky": [round(float(v), 6) for v in leaky], "honest": [round(float(v), 6) for v in honest],
            "majority": [float(v) for v in majority], "features": int(x.shape[1])}


# --- mini-batch gradient noise ----------------------------------------------------------------------------------

ALPHA = 0.01   # the L2 penalty of the logistic loss (as the optim family's sgd-logistic)


@lru_cache(maxsize=None)
def weights_at(at: str) -> tuple:
    """All-zero weights (``start``) or the minimiser of the regularised logistic loss (``optimum``), fitted by
    ``LogisticRegression(C = 1 / (n · alpha))``, intercept first."""
    from sklearn.linear_model import LogisticRegression

    from ..optim._data import breast_cancer

    a, y = breast_cancer()
    if at == "start":
        return tuple(np.zeros(a.shape[1]))
    m = LogisticRegression(C=1.0 / (len(y) * ALPHA), tol=1e-10, max_iter=10_000).fit(a[:, 1:], y)
    return tuple(np.r_[m.intercept_, m.coef_[0]])


def example_gradients(a, y, w, alpha: float = ALPHA) -> np.ndarray:
    """One row per example: the gradient of that example's regularised logistic loss (their mean is the full
    gradient of the optim family's ``log_loss``)."""
    p = 0.5 * (1.0 + np.tanh(0.5 * (a @ w)))
    g = a * (p - y)[:, None]
    g[:, 1:] += alpha * w[1:]
    return g


def gradient_noise(sizes: list, at: str, draws: int, seed: int) -> dict:
    """For each batch size b, ``draws`` batches drawn without replacement (``RandomState(seed)``): the root mean
    squared distance of the batch gradient from the full gradient, and its exact value,
    ``σ · sqrt((N − b) / (b (N − 1)))`` with ``σ²`` the mean squared distance of one example's gradient from the
    full gradient."""
    from ..optim._data import breast_cancer

    a, y = breast_cancer()
    w = np.array(weights_at(at))
    g = example_gradients(a, y, w)
    full = g.mean(axis=0)
    n = len(y)
    sigma2 = float(np.mean(np.sum((g - full) ** 2, axis=1)))
    rng = np.random.RandomState(seed)
    rows = []
    for b in sizes:
        d2 = [float(np.sum((g[rng.choice(n, b, replace=False)].mean(axis=0) - full) ** 2)) for _ in range(draws)]
        rows.append({"batch": int(b), "measured": float(np.sqrt(np.mean(d2))),
                     "exact": float(np.sqrt(sigma2 * (n - b) / (b * (n - 1))))})
    return {"rows": rows, "full": float(np.linalg.norm(full)), "samples": int(n)}
