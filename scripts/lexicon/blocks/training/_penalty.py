"""What the regression-loss and penalty kinds share: error measures on the diabetes validation split, least
squares against least absolute deviations, the exact lasso path with the order in which features drop out,
ridge against least squares on correlated features, and both penalties over bootstrap resamples.

Every fit is scikit-learn's (``LinearRegression``, ``QuantileRegressor``, ``Lasso``, ``lars_path``, ``LassoCV``,
``Ridge``, ``RidgeCV``); the error measures are written out in numpy and checked against ``sklearn.metrics``
in the tests. Seeds are fixed, so two builds give the same numbers.
"""

from __future__ import annotations

import numpy as np

from ._data import diabetes, split

SPLITS = 50           # split seeds over which error_measures also reports the top misses' share
PAIR = ("s1", "s2")   # total and LDL cholesterol: the diabetes data's most correlated pair of features


def errors(y_true, y_pred) -> dict:
    """Mean squared error, root mean squared error and mean absolute error of one set of predictions."""
    e = np.asarray(y_true, float) - np.asarray(y_pred, float)
    mse = float(np.mean(e ** 2))
    return {"mse": mse, "rmse": float(np.sqrt(mse)), "mae": float(np.mean(np.abs(e)))}


def top_shares(e: np.ndarray, share: float) -> tuple[float, float, int]:
    """The share of the summed squared errors and of the summed absolute errors that the largest ``share`` of the
    misses (by size, rounded up to whole patients) make up, and how many misses that is."""
    a = np.abs(np.asarray(e, float))
    k = int(np.ceil(share * len(a) - 1e-9))
    top = np.argsort(-a, kind="stable")[:k]
    return float((a[top] ** 2).sum() / (a ** 2).sum()), float(a[top].sum() / a.sum()), k


def _fit_split(test_size: float, seed: int):
    from sklearn.linear_model import LinearRegression

    x, y, _ = diabetes()
    x_tr, x_va, y_tr, y_va = split(x, y, test_size, seed, False)
    model = LinearRegression().fit(x_tr, y_tr)
    return y_tr, y_va, model.predict(x_tr), model.predict(x_va)


def error_measures(test_size: float, seed: int, share: float) -> dict:
    """A least-squares linear regression on the diabetes training split, scored on the validation split: MSE, RMSE,
    MAE (and the training mean's), each validation miss, and the share of the squared and of the absolute error
    that the largest ``share`` of the misses make up; that share again over split seeds 0 … ``SPLITS`` − 1."""
    y_tr, y_va, _, pred = _fit_split(test_size, seed)
    e = y_va - pred
    sq, ab, k = top_shares(e, share)
    over = [top_shares(v - p, share)[:2] for v, p in (_fit_split(test_size, s)[1::2] for s in range(SPLITS))]
    return {**errors(y_va, pred), "baseline": errors(y_va, np.full(len(y_va), y_tr.mean())),
            "misses": e.tolist(), "top": k, "top_sq": sq, "top_abs": ab, "validation": int(len(y_va)),
            "train": int(len(y_tr)), "splits": SPLITS, "splits_sq": [o[0] for o in over], "splits_abs": [o[1] for o in over]}


def loss_fits(test_size: float, seed: int) -> dict:
    """Three fits on the diabetes training split: least squares (``LinearRegression``), least absolute deviations
    (``QuantileRegressor(quantile=0.5, alpha=0)``, the median regression) and the training mean; each one's MSE and
    MAE on the training split it learned from and on the validation split."""
    from sklearn.linear_model import LinearRegression, QuantileRegressor

    x, y, _ = diabetes()
    x_tr, x_va, y_tr, y_va = split(x, y, test_size, seed, False)
    models = {"least-squares": LinearRegression().fit(x_tr, y_tr),
              "least-absolute": QuantileRegressor(quantile=0.5, alpha=0.0, solver="highs").fit(x_tr, y_tr)}
    out = {name: {"train": errors(y_tr, m.predict(x_tr)), "validation": errors(y_va, m.predict(x_va))}
           for name, m in models.items()}
    out["mean"] = {"train": errors(y_tr, np.full(len(y_tr), y_tr.mean())),
                   "validation": errors(y_va, np.full(len(y_va), y_tr.mean()))}
    return {"fits": out, "train": int(len(y_tr)), "validation": int(len(y_va))}


def lasso_dropout(folds: int, shuffles: int) -> dict:
    """The exact lasso path on all the patients (``lars_path(method="lasso")`` on the centred, standardised data,
    alphas on ``Lasso``'s scale): its knots and coefficients, and for each feature the largest alpha at which its
    coefficient is non-zero (above it, zero for good) and whether it is zero again somewhere below that. Then
    ``LassoCV`` with ``KFold(folds, shuffle=True, random_state=s)`` for s in 0 … ``shuffles`` − 1: each chosen
    alpha and how many coefficients the chosen model keeps."""
    from sklearn.linear_model import LassoCV, lars_path
    from sklearn.model_selection import KFold

    x, y, names = diabetes()
    alphas, _, coefs = lars_path(x - x.mean(axis=0), y - y.mean(), method="lasso")
    drop, back = {}, {}
    for j, name in enumerate(names):
        nz = np.flatnonzero(coefs[j])
        drop[name] = float(alphas[nz[0] - 1]) if len(nz) else 0.0
        back[name] = bool(len(nz) and (coefs[j][nz[0]:] == 0).any())
    from threadpoolctl import threadpool_limits

    chosen = []
    for s in range(shuffles):
        with threadpool_limits(1):
            cv = LassoCV(cv=KFold(folds, shuffle=True, random_state=s), max_iter=100_000).fit(x, y)
        chosen.append({"alpha": float(cv.alpha_), "kept": int((cv.coef_ != 0).sum())})
    return {"features": names, "knots": alphas.tolist(), "coefs": coefs.T.tolist(), "drop": drop, "returns": back,
            "cv": chosen, "samples": int(len(y))}


def ridge_correlated(alphas: list[float], resamples: int, seed: int, folds: int, shuffles: int) -> dict:
    """One BLAS thread (many small fits), then :func:`_ridge_correlated`."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return _ridge_correlated(alphas, resamples, seed, folds, shuffles)


def _ridge_correlated(alphas: list[float], resamples: int, seed: int, folds: int, shuffles: int) -> dict:
    """Ridge against least squares on all the patients: the correlation of s1 and s2 (raw values), every
    coefficient of least squares and of ``Ridge(alpha)``; over ``resamples`` bootstrap resamples
    (``RandomState(seed)``) the mean and standard deviation of each model's s1 and s2 coefficients; and the alpha
    ``RidgeCV`` chooses from a log grid by leave-one-out (its default) and by ``KFold(folds, shuffle=True)`` over
    ``shuffles`` seeds."""
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import LinearRegression, Ridge, RidgeCV
    from sklearn.model_selection import KFold

    x, y, names = diabetes()
    raw = load_diabetes(scaled=False).data
    i, j = names.index(PAIR[0]), names.index(PAIR[1])
    models = {"ols": LinearRegression}
    models.update({f"{a:g}": (lambda a=a: Ridge(alpha=a)) for a in alphas})
    coef = {k: make().fit(x, y).coef_.tolist() for k, make in models.items()}
    rng = np.random.RandomState(seed)
    samples = [rng.randint(0, len(y), len(y)) for _ in range(resamples)]
    boot = {}
    for k, make in (models.items() if resamples else ()):
        c = np.array([make().fit(x[b], y[b]).coef_[[i, j]] for b in samples])
        boot[k] = {"mean": c.mean(axis=0).tolist(), "std": c.std(axis=0).tolist()}
    grid = np.logspace(-2, 3, 26)
    loo = float(RidgeCV(alphas=grid).fit(x, y).alpha_)
    kfold = [float(RidgeCV(alphas=grid, cv=KFold(folds, shuffle=True, random_state=s)).fit(x, y).alpha_)
             for s in range(shuffles)]
    return {"features": names, "corr": float(np.corrcoef(raw[:, i], raw[:, j])[0, 1]), "coef": coef, "boot": boot,
            "loo": loo, "kfold": kfold, "grid": [float(grid[0]), float(grid[-1]), len(grid)], "samples": int(len(y))}


def lasso_pair(alpha: float, resamples: int, seed: int) -> dict:
    """``Lasso(alpha)`` on ``resamples`` bootstrap resamples of all the patients (``RandomState(seed)``): in how many
    it keeps both s1 and s2 non-zero, exactly one of them, or neither; and how often each feature is kept."""
    from sklearn.linear_model import Lasso

    x, y, names = diabetes()
    i, j = names.index(PAIR[0]), names.index(PAIR[1])
    rng = np.random.RandomState(seed)
    kept = np.array([Lasso(alpha=alpha, max_iter=100_000).fit(x[b], y[b]).coef_ != 0
                     for b in (rng.randint(0, len(y), len(y)) for _ in range(resamples))])
    a, b = kept[:, i], kept[:, j]
    return {"both": int((a & b).sum()), "one": int((a ^ b).sum()), "neither": int((~a & ~b).sum()),
            "kept": dict(zip(names, kept.sum(axis=0).tolist())), "resamples": resamples}
