"""What the training kinds share: the diabetes regression data, gradient descent in numpy, the
complexity sweep, the regularisation path and cross-validation, each a plain function of its options.

Datasets come from :mod:`lexicon.datasets` (scikit-learn's bundled copies, an unknown name is a located
error); the diabetes data is read unscaled and standardised here with ``StandardScaler``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ...errors import LexiconError
from ...datasets import CLASSIFICATION, MAX_ITER, class_names, load
from ...minibatch import minibatch_epochs

NOTE = "Computed at build time with scikit-learn and numpy, on scikit-learn's bundled copy of the data; no embedding model."
DIVERGED = 1e3      # a loss more than this many times its starting value: the run has diverged
# The diabetes features by scikit-learn's names, as a reader would say them.
FEATURES = {"age": "age", "sex": "sex", "bmi": "body mass index", "bp": "blood pressure", "s1": "total cholesterol",
            "s2": "LDL cholesterol", "s3": "HDL cholesterol", "s4": "cholesterol ratio", "s5": "log triglycerides",
            "s6": "blood sugar"}


@lru_cache(maxsize=None)
def diabetes() -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The diabetes data: features standardised (mean 0, standard deviation 1), the target as given, names."""
    from sklearn.datasets import load_diabetes
    from sklearn.preprocessing import StandardScaler

    data = load_diabetes(scaled=False)
    return StandardScaler().fit_transform(data.data), data.target.astype(float), list(data.feature_names)


def check_dataset(dataset: str) -> None:
    """A located error for an unknown dataset or for diabetes (a regression dataset), before computing."""
    if dataset not in CLASSIFICATION:
        class_names(dataset)     # raises: unknown name (with the closest), or diabetes is a regression dataset


def classification(dataset: str):
    """(features, labels) of a bundled classification dataset; diabetes and unknown names are located errors."""
    check_dataset(dataset)
    data = load(dataset)
    return data.data, data.target


# --- gradient descent --------------------------------------------------------------------------------

def design(x: np.ndarray) -> np.ndarray:
    """The features with a leading column of ones: the intercept is the first weight."""
    return np.column_stack([np.ones(len(x)), x])


def mse(a: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """The mean squared error of the weights ``w`` (intercept first)."""
    r = a @ w - y
    return float(r @ r / len(y))


def gradient(a: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The gradient of the mean squared error: ``(2 / n) Aᵀ(Aw − y)``."""
    return 2.0 * a.T @ (a @ w - y) / len(y)


def descend(a: np.ndarray, y: np.ndarray, rate: float, steps: int) -> dict:
    """Batch gradient descent from all-zero weights: ``w ← w − rate · gradient``. The loss before each
    step and after the last (``steps + 1`` numbers); a run whose loss passes ``DIVERGED`` × its start (or
    overflows) stops there and says at which step, so no infinity or NaN leaves this function."""
    w = np.zeros(a.shape[1])
    start = mse(a, y, w)
    losses = [start]
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(1, steps + 1):
            w = w - rate * gradient(a, y, w)
            loss = mse(a, y, w)
            if not np.isfinite(loss) or loss > DIVERGED * start:
                return {"rate": rate, "losses": losses, "diverged_at": step, "weights": None}
            losses.append(loss)
    return {"rate": rate, "losses": losses, "diverged_at": None, "weights": w.tolist()}


def minibatch_descent(a: np.ndarray, y: np.ndarray, rate: float, batch: int, epochs: int, seed: int) -> dict:
    """Mini-batch gradient descent from all-zero weights: each epoch shuffles the samples (``RandomState(seed)``,
    one stream for the whole run) and steps ``w ← w − rate · gradient`` on each run of ``batch`` samples in turn
    (the last one shorter); ``batch = len(y)`` is batch gradient descent, ``batch = 1`` stochastic. The loss on
    all the samples before the first epoch and after each; a run whose loss passes ``DIVERGED`` × its start stops
    there, as :func:`descend` does."""
    w = np.zeros(a.shape[1])
    start = mse(a, y, w)
    losses = [start]
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch, w in enumerate(minibatch_epochs(w, len(y), batch, epochs, seed,
                                                   lambda w, idx: w - rate * gradient(a[idx], y[idx], w)), start=1):
            loss = mse(a, y, w)
            if not np.isfinite(loss) or loss > DIVERGED * start:
                return {"batch": batch, "losses": losses, "diverged_at": epoch}
            losses.append(loss)
    return {"batch": batch, "losses": losses, "diverged_at": None, "updates": -(-len(y) // batch)}


def closed_form(x: np.ndarray, y: np.ndarray) -> dict:
    """The least-squares optimum from scikit-learn's ``LinearRegression`` (intercept first) and its loss."""
    from sklearn.linear_model import LinearRegression

    model = LinearRegression().fit(x, y)
    w = np.concatenate([[model.intercept_], model.coef_])
    return {"weights": w.tolist(), "loss": mse(design(x), y, w)}


def curvature(a: np.ndarray, y: np.ndarray) -> float:
    """The largest eigenvalue of the loss's Hessian ``(2 / n) AᵀA``: rates above 2 / this diverge."""
    return float(np.linalg.eigvalsh(2.0 * a.T @ a / len(y)).max())


def curvatures(a: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The smallest and the largest eigenvalue of the loss's Hessian: a step at ``rate`` multiplies the error
    along their directions by ``1 − rate × eigenvalue``."""
    ev = np.linalg.eigvalsh(2.0 * a.T @ a / len(y))
    return float(ev.min()), float(ev.max())


# --- model complexity --------------------------------------------------------------------------------

def split(x, y, test_size: float, seed: int, stratify: bool):
    from sklearn.model_selection import train_test_split

    return train_test_split(x, y, test_size=test_size, random_state=seed, stratify=y if stratify else None)


def tree_scores(dataset: str, depths: list[int], test_size: float, seed: int) -> list[dict]:
    """A ``DecisionTreeClassifier(max_depth=d, random_state=seed)`` per depth, fitted on the training split:
    its accuracy on the training split and on the validation split (seeded, stratified), the depth it actually
    reached, and how many of the validation samples it gets right."""
    from sklearn.tree import DecisionTreeClassifier

    x, y = classification(dataset)
    x_tr, x_va, y_tr, y_va = split(x, y, test_size, seed, True)
    out = []
    for d in depths:
        tree = DecisionTreeClassifier(max_depth=d, random_state=seed).fit(x_tr, y_tr)
        out.append({"depth": d, "train": float(tree.score(x_tr, y_tr)), "validation": float(tree.score(x_va, y_va)),
                    "leaves": int(tree.get_n_leaves()), "reached": int(tree.get_depth()),
                    "right": int((tree.predict(x_va) == y_va).sum()), "held_out": int(len(y_va))})
    return out


def best_depths(dataset: str, max_depth: int, test_size: float, seed: int, seeds: int,
                depths: list[int] | None = None) -> list[dict]:
    """For each split seed ``seed`` … ``seed + seeds − 1``: the training and validation accuracy at each depth
    (``depths``, or 1 to ``max_depth``), the depth with the highest validation accuracy (the shallowest of equals)
    and whether the deepest tree fits its training split perfectly."""
    out = []
    for s in range(seed, seed + seeds):
        rows = tree_scores(dataset, depths or list(range(1, max_depth + 1)), test_size, s)
        best = max(rows, key=lambda r: (r["validation"], -r["depth"]))
        out.append({"seed": s, "best": best["depth"], "perfect": rows[-1]["train"] == 1.0,
                    "train": [r["train"] for r in rows], "validation": [r["validation"] for r in rows]})
    return out


def mean_gap(runs: list[dict], i: int) -> dict:
    """The mean training and validation accuracy of the ``i``-th depth of ``best_depths`` runs, their mean gap (the
    exercise's score), and on how many runs that depth's gap is the largest of the depths compared."""
    n = len(runs)
    gaps = [[t - v for t, v in zip(r["train"], r["validation"])] for r in runs]
    return {"train": sum(r["train"][i] for r in runs) / n, "validation": sum(r["validation"][i] for r in runs) / n,
            "score": sum(g[i] for g in gaps) / n, "widest": sum(g[i] == max(g) for g in gaps)}


# --- linear regression ------------------------------------------------------------------------------

SPLITS = 200   # split seeds 0 … SPLITS − 1 over which linear_fit also averages its R² scores


def linear_fit(features: list[str] | None, test_size: float, seed: int) -> dict:
    """``LinearRegression`` on the diabetes training split, using ``features`` (None: all ten), scored on the
    validation split with ``sklearn.metrics`` (R², mean absolute error, mean squared error), beside the baseline
    that always predicts the training split's mean (``DummyRegressor``). The features are standardised with a
    ``StandardScaler`` fitted on the training split only. The same fit is repeated on the splits of seeds
    0 … ``SPLITS`` − 1: the mean training and validation R² over them, and how many of them give a lower
    validation R² than the split of ``seed``."""
    from sklearn.dummy import DummyRegressor
    from sklearn.linear_model import LinearRegression
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

    from sklearn.datasets import load_diabetes
    from sklearn.preprocessing import StandardScaler

    data = load_diabetes(scaled=False)
    names = list(data.feature_names)
    cols = [names.index(f) for f in features] if features else list(range(len(names)))
    x_tr, x_va, y_tr, y_va = split(data.data[:, cols], data.target.astype(float), test_size, seed, False)
    scaler = StandardScaler().fit(x_tr)     # fitted on the training split only: no validation patient leaks into it
    x_tr, x_va = scaler.transform(x_tr), scaler.transform(x_va)
    model = LinearRegression().fit(x_tr, y_tr)
    pred = model.predict(x_va)
    base = DummyRegressor(strategy="mean").fit(x_tr, y_tr).predict(x_va)
    return {"features": [names[j] for j in cols], "coef": model.coef_.tolist(), "intercept": float(model.intercept_),
            "train": len(y_tr), "validation": len(y_va), "actual": y_va.tolist(), "predicted": pred.tolist(),
            "r2": float(r2_score(y_va, pred)), "mae": float(mean_absolute_error(y_va, pred)),
            "mse": float(mean_squared_error(y_va, pred)), "baseline_mae": float(mean_absolute_error(y_va, base)),
            "baseline_r2": float(r2_score(y_va, base)), "baseline_mse": float(mean_squared_error(y_va, base)),
            "train_r2": float(r2_score(y_tr, model.predict(x_tr))), "train_mean": float(y_tr.mean()),
            **_r2_over_splits(data.data[:, cols], data.target.astype(float), test_size, float(r2_score(y_va, pred)))}


def _r2_over_splits(x, y, test_size: float, r2: float) -> dict:
    """Mean training and validation R² of the scaled linear regression over split seeds 0 … SPLITS − 1, and the
    number of those splits whose validation R² is below ``r2``."""
    from sklearn.linear_model import LinearRegression
    from sklearn.metrics import r2_score
    from sklearn.preprocessing import StandardScaler

    tr_scores, va_scores = [], []
    for s in range(SPLITS):
        x_tr, x_va, y_tr, y_va = split(x, y, test_size, s, False)
        scaler = StandardScaler().fit(x_tr)
        model = LinearRegression().fit(scaler.transform(x_tr), y_tr)
        tr_scores.append(float(r2_score(y_tr, model.predict(scaler.transform(x_tr)))))
        va_scores.append(float(r2_score(y_va, model.predict(scaler.transform(x_va)))))
    return {"splits": SPLITS, "splits_train_r2": float(np.mean(tr_scores)), "splits_r2": float(np.mean(va_scores)),
            "splits_below": int(sum(v < r2 - 1e-12 for v in va_scores))}


# --- bias and variance ----------------------------------------------------------------------------------

def bias_variance(depths: list[int], bootstraps: int, test_size: float, seed: int) -> dict:
    """For each depth, ``bootstraps`` ``DecisionTreeRegressor(max_depth=d, random_state=seed)`` fitted on bootstrap
    resamples of the diabetes training split (``RandomState(seed)``, the same resamples for every depth), each
    predicting the validation split. Per validation patient, the predictions' mean and variance over the resamples;
    averaged over the patients: ``bias2`` (the squared gap between the mean prediction and the true value, which
    here includes the noise no model can remove), ``variance``, and ``error`` (the mean squared error of one tree,
    averaged over the resamples), so that ``error = bias2 + variance`` exactly."""
    from sklearn.tree import DecisionTreeRegressor

    x, y, _ = diabetes()
    x_tr, x_va, y_tr, y_va = split(x, y, test_size, seed, False)
    rng = np.random.RandomState(seed)
    samples = [rng.randint(0, len(y_tr), len(y_tr)) for _ in range(bootstraps)]
    rows = []
    for d in depths:
        preds = np.array([DecisionTreeRegressor(max_depth=d, random_state=seed).fit(x_tr[i], y_tr[i]).predict(x_va)
                          for i in samples])
        mean = preds.mean(axis=0)
        rows.append({"depth": d, "bias2": float(((mean - y_va) ** 2).mean()), "variance": float(preds.var(axis=0).mean()),
                     "error": float(((preds - y_va) ** 2).mean())})
    return {"rows": rows, "train": int(len(y_tr)), "validation": int(len(y_va))}


# --- feature scaling ----------------------------------------------------------------------------------

SCALERS = {"none": "no scaling", "standard": "standardised (StandardScaler)", "minmax": "scaled to 0–1 (MinMaxScaler)"}


def scaled_knn(dataset: str, scalers: list[str], neighbours: int, test_size: float, seed: int) -> dict:
    """A ``KNeighborsClassifier(neighbours)`` on the training split (seeded, stratified) of a classification dataset,
    after each scaler (fitted on the training split only, in a pipeline), scored (accuracy) on the test split; and
    each feature's standard deviation on the training split, with the share of the total variance the largest holds."""
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    data = load(dataset)
    check_dataset(dataset)
    x_tr, x_te, y_tr, y_te = split(data.data, data.target, test_size, seed, True)
    steps = {"none": [], "standard": [StandardScaler()], "minmax": [MinMaxScaler()]}
    scores = {s: float(make_pipeline(*steps[s], KNeighborsClassifier(n_neighbors=neighbours)).fit(x_tr, y_tr)
                       .score(x_te, y_te)) for s in scalers}
    std = x_tr.std(axis=0)
    var = std ** 2
    top = int(np.argmax(var))
    return {"accuracy": scores, "features": [str(f) for f in data.feature_names], "std": std.tolist(),
            "largest": str(data.feature_names[top]), "largest_share": float(var[top] / var.sum()),
            "train": int(len(y_tr)), "test": int(len(y_te))}


# --- regularisation ----------------------------------------------------------------------------------

def train_scaled(test_size: float, seed: int):
    """The diabetes split (``split``, unshuffled by class) with its features standardised by a ``StandardScaler``
    fitted on the training part only, so no validation patient leaks into the scaling: x_tr, x_va, y_tr, y_va, names."""
    from sklearn.preprocessing import StandardScaler

    x, y, names = _raw_diabetes()
    x_tr, x_va, y_tr, y_va = split(x, y, test_size, seed, False)
    scaler = StandardScaler().fit(x_tr)
    return scaler.transform(x_tr), scaler.transform(x_va), y_tr, y_va, list(names)


@lru_cache(maxsize=None)
def _raw_diabetes():
    from sklearn.datasets import load_diabetes

    data = load_diabetes(scaled=False)
    return data.data, data.target.astype(float), tuple(data.feature_names)


def penalised(alphas: list[float], test_size: float, seed: int) -> dict:
    """Ridge (L2) and Lasso (L1) fitted on the diabetes training split (standardised on it, ``train_scaled``) at each alpha: their coefficients,
    how many are exactly zero, their L2 norm, and R² on the validation split; least squares for comparison."""
    from sklearn.linear_model import Lasso, LinearRegression, Ridge

    x_tr, x_va, y_tr, y_va, names = train_scaled(test_size, seed)
    plain = LinearRegression().fit(x_tr, y_tr)
    out = {"features": names, "train": len(y_tr), "validation": len(y_va),
           "ols": {"coef": plain.coef_.tolist(), "norm": float(np.linalg.norm(plain.coef_)),
                   "r2": float(plain.score(x_va, y_va))}}
    for name, model in (("ridge", Ridge), ("lasso", Lasso)):
        rows = []
        for alpha in alphas:
            m = model(alpha=alpha, max_iter=100_000).fit(x_tr, y_tr) if name == "lasso" else model(alpha=alpha).fit(x_tr, y_tr)
            coef = np.asarray(m.coef_)
            rows.append({"alpha": alpha, "coef": coef.tolist(), "zeros": int((coef == 0).sum()),
                         "norm": float(np.linalg.norm(coef)), "r2": float(m.score(x_va, y_va))})
        out[name] = rows
    return out


def lasso_entries(test_size: float, seed: int) -> dict:
    """For each diabetes feature, the largest alpha at which the lasso fitted on the training split (the split of
    ``penalised``) keeps its coefficient non-zero: the knot where it first enters the exact lasso path
    (``lars_path(method="lasso")``, on the centred training split, standardised on it, alphas on ``Lasso``'s scale); above it the
    coefficient is exactly zero. 0 for a feature that never enters. The path's end (alpha 0) is least squares."""
    from sklearn.linear_model import lars_path

    x_tr, _, y_tr, _, names = train_scaled(test_size, seed)
    alphas, _, coefs = lars_path(x_tr - x_tr.mean(axis=0), y_tr - y_tr.mean(), method="lasso")
    out = {}
    for j, name in enumerate(names):
        nonzero = np.flatnonzero(coefs[j])
        out[name] = float(alphas[nonzero[0] - 1]) if len(nonzero) else 0.0
    return {"entries": out, "ols": dict(zip(names, coefs[:, -1].tolist())), "train": int(len(y_tr))}


# --- cross-validation ----------------------------------------------------------------------------------

def estimator(model: str, depth: int, seed: int):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    if model == "logistic-regression":
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=MAX_ITER))
    return DecisionTreeClassifier(max_depth=depth, random_state=seed)


def cross_validated(dataset: str, model: str, depth: int, folds: int, seed: int, test_size: float,
                    splits: int, shuffles: int = 1) -> dict:
    """``cross_val_score`` over ``StratifiedKFold(folds, shuffle=True, random_state=seed)``, and for
    comparison the test accuracy of ``splits`` single train/test splits (seeds ``seed`` … ``seed + splits − 1``)."""
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    x, y = classification(dataset)
    counts = np.bincount(y)
    if counts.min() < folds:
        raise LexiconError(f"the {dataset} data's smallest class has {counts.min()} samples, fewer than the "
                           f"{folds} folds", fix="use fewer folds")
    kfold = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    scores = cross_val_score(estimator(model, depth, seed), x, y, cv=kfold)
    single = []
    for s in range(seed, seed + splits):
        x_tr, x_te, y_tr, y_te = split(x, y, test_size, s, True)
        single.append(float(estimator(model, depth, seed).fit(x_tr, y_tr).score(x_te, y_te)))
    fold_sizes = [int(len(test)) for _, test in kfold.split(x, y)]
    # The mean again with the folds shuffled by seeds seed + 1, …: how much the mean itself moves.
    means = [float(scores.mean())] + [float(cross_val_score(estimator(model, depth, seed), x, y, cv=StratifiedKFold(
        n_splits=folds, shuffle=True, random_state=s)).mean()) for s in range(seed + 1, seed + shuffles)]
    return {"samples": int(len(y)), "folds": [float(s) for s in scores], "fold_sizes": fold_sizes,
            "mean": float(scores.mean()), "std": float(scores.std()), "single": single, "shuffle_means": means}


def cross_validated_training(dataset: str, depths: list[int], folds: int, seed: int, test_size: float,
                             shuffles: int) -> dict:
    """Trees of each depth cross-validated on the TRAINING split only (the split of ``tree_scores``, whose
    held-out part stays untouched as a test set): the mean fold accuracy for each of ``shuffles`` shuffles of
    the folds (seeds ``seed`` …), their average, the standard error of the mean from the fold scores (sample standard
    deviation of the ``folds`` scores / √folds, averaged over the shuffles), and the training accuracy of a tree fitted
    on the whole split."""
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    x, y = classification(dataset)
    x_tr, _, y_tr, _ = split(x, y, test_size, seed, True)
    rows = []
    for d in depths:
        scores = [cross_val_score(estimator("decision-tree", d, seed), x_tr, y_tr, cv=StratifiedKFold(
            n_splits=folds, shuffle=True, random_state=s)) for s in range(seed, seed + shuffles)]
        means = [float(s.mean()) for s in scores]
        se = float(np.mean([s.std(ddof=1) / np.sqrt(folds) for s in scores]))
        train = float(estimator("decision-tree", d, seed).fit(x_tr, y_tr).score(x_tr, y_tr))
        rows.append({"depth": d, "train": train, "cv": float(np.mean(means)), "cv_min": min(means), "cv_max": max(means),
                     "se": se, "means": means})
    return {"training": int(len(y_tr)), "held_out": int(len(y) - len(y_tr)), "rows": rows}
