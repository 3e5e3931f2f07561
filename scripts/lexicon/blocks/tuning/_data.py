"""What the procedure kinds share: the models a hyperparameter is swept for, repeated stratified splits, the
leakage experiment and the mini-batch gradient noise, each a plain function of its options.

Every run is on one BLAS thread (the build computes every block so: ``build.compute_checked``), and every
random draw has a stated seed.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

NOTE = "Computed at build time with scikit-learn and numpy, on scikit-learn's bundled copy of the data; no embedding model."
MODELS = {"knn": ("k", "number of neighbours k of a k-nearest-neighbour classifier"),
          "logistic": ("C", "inverse penalty strength C of a logistic regression")}
PLACES = {"start": "at the start of training (all-zero weights)",
          "optimum": "at the minimum of the loss (LogisticRegression's fit)"}
STEPS = {"selection": "feature selection (the best columns by an F-test)", "scaling": "standardisation (a scaler)"}


def check_dataset(dataset: str) -> None:
    """A located error for an unknown dataset or for diabetes (a regression dataset), before computing."""
    from ...datasets import CLASSIFICATION, class_names

    if dataset not in CLASSIFICATION:
        class_names(dataset)     # raises: unknown name (with the closest), or diabetes is a regression dataset


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
    (``StratifiedShuffleSplit(random_state=seed)``): the training and validation accuracy, value by split; whether
    the model gives every validation example one and the same class (``constant``, value by split); and the share of
    the commonest class in each validation split (``majority``), the accuracy of always guessing it."""
    from sklearn.model_selection import StratifiedShuffleSplit

    from ...datasets import load

    data = load(dataset)
    x, y = data.data, data.target
    train = np.zeros((len(values), splits))
    valid = np.zeros((len(values), splits))
    constant = np.zeros((len(values), splits), dtype=bool)
    majority = np.zeros(splits)
    cut = StratifiedShuffleSplit(n_splits=splits, test_size=test_size, random_state=seed)
    for s, (tr, va) in enumerate(cut.split(x, y)):
        for i, v in enumerate(values):
            m = make_model(model, v).fit(x[tr], y[tr])
            train[i, s] = m.score(x[tr], y[tr])
            valid[i, s] = m.score(x[va], y[va])
            constant[i, s] = len(np.unique(m.predict(x[va]))) == 1
        majority[s] = np.bincount(y[va]).max() / len(va)
    return {"train": train.tolist(), "valid": valid.tolist(), "constant": constant.tolist(),
            "majority": majority.tolist(), "samples": int(len(y)),
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

    data = load_breast_cancer()
    leaky, honest, majority = [], [], []
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

    from ...logistic import breast_cancer

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
    from ...logistic import breast_cancer

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


# --- early stopping -------------------------------------------------------------------------------------------------

def early_stopping_runs(patients: int, epochs: int, rate: float, seeds: int, seed: int) -> dict:
    """Full-batch gradient descent on an UNPENALISED logistic regression of the breast cancer data: for run r, a
    stratified split (``random_state=seed + r``) of ``patients`` training tumours and the rest for validation,
    features standardised on the training part. The training and validation loss (mean logistic loss) and the
    validation accuracy before the first epoch and after each (one epoch is one full-batch step)."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from ...logistic import log_gradient, log_loss

    data = load_breast_cancer()
    runs = []
    for r in range(seeds):
        x_tr, x_va, y_tr, y_va = train_test_split(data.data, data.target.astype(float), train_size=patients,
                                                  stratify=data.target, random_state=seed + r)
        scaler = StandardScaler().fit(x_tr)
        a = np.column_stack([np.ones(len(y_tr)), scaler.transform(x_tr)])
        b = np.column_stack([np.ones(len(y_va)), scaler.transform(x_va)])
        w = np.zeros(a.shape[1])
        train, valid, acc = [log_loss(a, y_tr, w, 0.0)], [log_loss(b, y_va, w, 0.0)], [float(np.mean((b @ w > 0) == y_va))]
        for _ in range(epochs):
            w = w - rate * log_gradient(a, y_tr, w, 0.0)
            train.append(log_loss(a, y_tr, w, 0.0))
            valid.append(log_loss(b, y_va, w, 0.0))
            acc.append(float(np.mean((b @ w > 0) == y_va)))
        runs.append({"train": train, "valid": valid, "accuracy": acc})
    return {"runs": runs, "validation": int(len(y_va))}


def stop_at(valid: list, patience: int) -> tuple[int, int]:
    """Early stopping with ``patience``: training stops after the first epoch that is ``patience`` epochs past the
    lowest validation loss so far (or at the last epoch); the epoch stopped at, and the best epoch up to then (whose
    weights are kept)."""
    best = 0
    for e in range(1, len(valid)):
        if valid[e] < valid[best]:
            best = e
        elif e - best >= patience:
            return e, best
    return len(valid) - 1, best


# --- learning-rate schedules ---------------------------------------------------------------------------------------

SCHEDULES = {"constant": "constant", "step": "step decay (halved at each third)", "cosine": "cosine decay",
             "warmup": "linear warmup, then cosine"}
WARMUP = 0.1   # the share of the steps a warmup takes


def schedule_rate(kind: str, base: float, t: int, total: int) -> float:
    """The learning rate of step ``t`` (0, 1, …, total − 1): constant; step decay, halved after each third of the
    steps; cosine decay from ``base`` towards 0 (Loshchilov & Hutter 2017, without restarts); a linear warmup over the
    first ``WARMUP`` of the steps, then cosine decay over the rest."""
    if kind == "constant":
        return base
    if kind == "step":
        return base * 0.5 ** min(2, (3 * t) // total)
    if kind == "cosine":
        return base * 0.5 * (1 + np.cos(np.pi * t / total))
    warm = max(1, int(WARMUP * total))
    if t < warm:
        return base * (t + 1) / warm
    return base * 0.5 * (1 + np.cos(np.pi * (t - warm) / (total - warm)))


def scheduled_sgd(kind: str, base: float, batch: int, epochs: int, seed: int, alpha: float = ALPHA) -> list:
    """Mini-batch descent on the optim family's regularised logistic loss of the breast cancer data (all-zero start,
    a fresh shuffle each epoch from ``RandomState(seed)``), the rate of each step from the schedule. The loss on all
    the patients after each epoch; None from the epoch it passes 1e3 × its start (diverged)."""
    from ...logistic import breast_cancer, log_gradient, log_loss

    a, y = breast_cancer()
    rng = np.random.RandomState(seed)
    w = np.zeros(a.shape[1])
    losses = [log_loss(a, y, w, alpha)]
    per_epoch = -(-len(y) // batch)
    total, t = per_epoch * epochs, 0
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            order = rng.permutation(len(y))
            for s0 in range(0, len(y), batch):
                idx = order[s0:s0 + batch]
                w = w - schedule_rate(kind, base, t, total) * log_gradient(a[idx], y[idx], w, alpha)
                t += 1
            loss = log_loss(a, y, w, alpha)
            if not np.isfinite(loss) or loss > 1e3 * losses[0]:
                return losses + [None] * (epochs + 1 - len(losses))
            losses.append(loss)
    return losses
