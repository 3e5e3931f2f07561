"""What the regression-loss and penalty kinds share: error measures on the diabetes validation split, least
squares against least absolute deviations, the exact lasso path with the order in which features drop out,
ridge against least squares on correlated features, and both penalties over bootstrap resamples.

Every fit is scikit-learn's (``LinearRegression``, ``QuantileRegressor``, ``Lasso``, ``lars_path``, ``LassoCV``,
``Ridge``, ``RidgeCV``); the error measures are written out in numpy and checked against ``sklearn.metrics``
in the tests. Seeds are fixed, so two builds give the same numbers.
"""

from __future__ import annotations

import numpy as np

from ._data import diabetes, train_scaled

SPLITS = 50           # split seeds over which error_measures also reports the top misses' share
PAIR = ("s1", "s2")   # total and LDL cholesterol: the diabetes data's most correlated pair of features
# The rules penalty-exercise's `ask: last` weighs: which feature each one says the lasso keeps longest.
RULES = {"correlation": "the largest correlation with the target, on its own",
         "least-squares": "the largest least-squares weight (in size)",
         "independent": "the weakest correlation with the other features"}


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

    x_tr, x_va, y_tr, y_va, _ = train_scaled(test_size, seed)
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

    x_tr, x_va, y_tr, y_va, _ = train_scaled(test_size, seed)
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
    chosen = []
    for s in range(shuffles):
        cv = LassoCV(cv=KFold(folds, shuffle=True, random_state=s), max_iter=100_000).fit(x, y)
        chosen.append({"alpha": float(cv.alpha_), "kept": int((cv.coef_ != 0).sum())})
    return {"features": names, "knots": alphas.tolist(), "coefs": coefs.T.tolist(), "drop": drop, "returns": back,
            "cv": chosen, "samples": int(len(y))}


def ridge_correlated(alphas: list[float], resamples: int, seed: int, folds: int, shuffles: int) -> dict:
    """Ridge against least squares on all the patients: the correlation of s1 and s2 (raw values), every
    coefficient of least squares and of ``Ridge(alpha)``; over ``resamples`` bootstrap resamples
    (``RandomState(seed)``) the mean and standard deviation of each model's s1 and s2 coefficients (and of every
    coefficient: ``mean_all``, ``std_all``); and the alpha
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
        c = np.array([make().fit(x[b], y[b]).coef_ for b in samples])
        boot[k] = {"mean": c.mean(axis=0)[[i, j]].tolist(), "std": c.std(axis=0)[[i, j]].tolist(),
                   "mean_all": c.mean(axis=0).tolist(), "std_all": c.std(axis=0).tolist()}
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


def ridge_wins(alphas: list[float], test_size: float, splits: int) -> dict:
    """On the diabetes splits of seeds 0 … ``splits`` − 1 (``train_scaled``): on how many ridge at each alpha scores a
    higher validation R² than least squares. Ridge in closed form, as ``Ridge`` solves it (the intercept unpenalised:
    centre, then solve ``(XᵀX + alpha·I) w = Xᵀy``; alpha 0 is least squares); the tests check it against ``Ridge``."""
    wins = [0] * len(alphas)
    for s in range(splits):
        x_tr, x_va, y_tr, y_va, _ = train_scaled(test_size, s)
        plain, *penalised_r2 = (ridge_r2(x_tr, y_tr, x_va, y_va, a) for a in [0.0, *alphas])
        for i, r2 in enumerate(penalised_r2):
            wins[i] += int(r2 > plain)
    return {"splits": splits, "wins": wins}


def ridge_r2(x_tr, y_tr, x_va, y_va, alpha: float) -> float:
    """The validation R² of ridge regression at ``alpha`` (0: least squares), solved in closed form."""
    mx, my = x_tr.mean(axis=0), y_tr.mean()
    xc = x_tr - mx
    w = np.linalg.solve(xc.T @ xc + alpha * np.eye(x_tr.shape[1]), xc.T @ (y_tr - my))
    pred = (x_va - mx) @ w + my
    return float(1 - ((y_va - pred) ** 2).sum() / ((y_va - y_va.mean()) ** 2).sum())


def lasso_last(test_size: float, splits: int) -> dict:
    """On the diabetes splits of seeds 0 … ``splits`` − 1 (``train_scaled``): the feature the exact lasso path of the
    training part (``lars_path(method="lasso")``) keeps non-zero up to the largest alpha (the last one standing),
    and the feature each of ``RULES`` names on that training part: the largest absolute correlation with the target
    (``correlation``), the largest absolute ``LinearRegression`` coefficient (``least-squares``), the smallest
    largest absolute correlation with another feature (``independent``). Counts over the splits: how often each
    feature is the last standing, and how often each rule names it."""
    from sklearn.linear_model import LinearRegression, lars_path

    last, hits, names = {}, dict.fromkeys(RULES, 0), None
    for s in range(splits):
        x_tr, _, y_tr, _, names = train_scaled(test_size, s)
        alphas, _, coefs = lars_path(x_tr - x_tr.mean(axis=0), y_tr - y_tr.mean(), method="lasso")
        entry = [alphas[np.flatnonzero(c)[0] - 1] if c.any() else 0.0 for c in coefs]
        winner = int(np.argmax(entry))
        last[names[winner]] = last.get(names[winner], 0) + 1
        corr = np.corrcoef(np.column_stack([x_tr, y_tr]).T)
        between = np.abs(corr[:-1, :-1]) - np.eye(len(names))
        named = {"correlation": int(np.argmax(np.abs(corr[:-1, -1]))),
                 "least-squares": int(np.argmax(np.abs(LinearRegression().fit(x_tr, y_tr).coef_))),
                 "independent": int(np.argmin(between.max(axis=0)))}
        for rule, j in named.items():
            hits[rule] += j == winner
    return {"splits": splits, "last": dict(sorted(last.items(), key=lambda kv: -kv[1])),
            "hits": {k: int(v) for k, v in hits.items()}}
