"""What the ensemble kinds compute: the rows a bagging's bootstrap samples leave out and its out-of-bag estimate,
held-out scores after each tree or boosting stage, and a forest's impurity and permutation importances.

A *line* of :func:`staged` is ``random-forest``, ``bagging`` or ``boosting-<learning rate>`` (``boosting-0.1``).
Every fit is seeded and single-threaded (``n_jobs=1``; the build computes on one BLAS/OpenMP thread), so results
repeat exactly.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

import numpy as np

from ...errors import LexiconError
from ._data import describe, load, split

LINE = re.compile(r"^(random-forest|bagging|boosting-([0-9]+(?:\.[0-9]+)?))$")
TREE_CODE = {"random-forest": "RandomForestClassifier(n_estimators={n}, random_state={seed}, n_jobs=1)",
             "bagging": "BaggingClassifier(DecisionTreeClassifier(), n_estimators={n}, random_state={seed}, n_jobs=1)",
             "boosting": "GradientBoostingClassifier(n_estimators={n}, learning_rate={rate:g}, random_state={seed})"}


def parse_line(text) -> tuple[str, float | None]:
    """``boosting-0.1`` -> ("boosting", 0.1); ``random-forest`` -> ("random-forest", None); else a located error."""
    t = str(text).strip()
    m = LINE.match(t)
    if not m:
        raise LexiconError(f"there is no ensemble '{t}'", fix="name random-forest, bagging or boosting-<learning rate> "
                                                              "(e.g. boosting-0.1)")
    if m.group(2) is None:
        return t, None
    rate = float(m.group(2))
    if not 0 < rate <= 2:
        raise LexiconError(f"'{t}': the learning rate must be above 0 and at most 2", fix="write e.g. boosting-0.1")
    return "boosting", rate


def line_code(text: str, n: int, seed) -> str:
    """The scikit-learn constructor of a line, as a code panel shows it."""
    kind, rate = parse_line(text)
    return TREE_CODE[kind].format(n=n, seed=seed, rate=rate or 0)


def _line_model(text: str, n: int, seed: int):
    from sklearn.ensemble import BaggingClassifier, GradientBoostingClassifier, RandomForestClassifier
    from sklearn.tree import DecisionTreeClassifier

    kind, rate = parse_line(text)
    if kind == "random-forest":
        return RandomForestClassifier(n_estimators=n, random_state=seed, n_jobs=1)
    if kind == "bagging":
        return BaggingClassifier(DecisionTreeClassifier(), n_estimators=n, random_state=seed, n_jobs=1)
    return GradientBoostingClassifier(n_estimators=n, learning_rate=rate, random_state=seed)


def _log_loss(y: np.ndarray, proba: np.ndarray) -> float:
    """Mean negative log-probability of the true class, probabilities clipped as scikit-learn's ``log_loss`` does."""
    p = np.clip(proba[np.arange(len(y)), y], np.finfo(proba.dtype).eps, 1)
    return float(-np.mean(np.log(p)))


def stage_probas(model, x: np.ndarray):
    """The predicted probabilities after 1, 2, … trees or stages: a boosting's ``staged_predict_proba``; for a forest
    or a bagging, the running mean of its first trees' ``predict_proba`` (how both average their trees)."""
    if hasattr(model, "staged_predict_proba"):
        yield from model.staged_predict_proba(x)
        return
    total = np.zeros((len(x), len(model.classes_)))
    for k, (tree, cols) in enumerate(zip(model.estimators_, _features(model)), start=1):
        total += tree.predict_proba(x[:, cols])
        yield total / k


def _features(model):
    return getattr(model, "estimators_features_", None) or [slice(None)] * len(model.estimators_)


@lru_cache(maxsize=None)
def staged(dataset: str, line: str, count: int, seeds: int, test_size: float, seed: int) -> dict:
    """For each split seed s = ``seed`` … ``seed + seeds − 1``: the seeded, stratified split of :func:`_data.split`, the
    line fitted with ``count`` trees (stages) and ``random_state=s``, and its held-out accuracy and log-loss after each
    tree; the mean curves over the seeds, each split's own curves, and each seed's own best count (highest accuracy, lowest log-loss; the
    earliest on a tie); and how many trees one stage adds (``per_stage``: a boosting fits one regression tree per
    class at each stage when there are more than two classes, ``estimators_.shape[1]``; a forest or a bagging, one)."""
    acc, loss, per_stage = [], [], 1
    for s in range(seed, seed + seeds):
        x_tr, x_te, y_tr, y_te = split(dataset, test_size, s)
        model = _line_model(line, count, s).fit(x_tr, y_tr)
        per_stage = int(model.estimators_.shape[1]) if hasattr(model, "staged_predict_proba") else 1
        a, ll = [], []
        for p in stage_probas(model, x_te):
            a.append(float(np.mean(model.classes_[np.argmax(p, axis=1)] == y_te)))
            ll.append(_log_loss(y_te, p))
        acc.append(a)
        loss.append(ll)
    acc_a, loss_a = np.array(acc), np.array(loss)
    return {"line": line, "accuracy": acc_a.mean(axis=0).tolist(), "loss": loss_a.mean(axis=0).tolist(),
            "best_accuracy": [int(np.argmax(r)) + 1 for r in acc_a], "best_loss": [int(np.argmin(r)) + 1 for r in loss_a],
            "accuracy_splits": acc, "loss_splits": loss, "per_stage": per_stage,
            "test": int(len(split(dataset, test_size, seed)[3]))}


@lru_cache(maxsize=None)
def constant_start(dataset: str, seeds: int, test_size: float, seed: int) -> dict:
    """The constant model a boosting starts from (scikit-learn's ``init``: ``DummyClassifier(strategy="prior")``, the
    training split's class shares for every sample), scored on each held-out split as :func:`staged` scores a stage:
    per-split accuracy and log-loss, and their means."""
    acc, loss = [], []
    for s in range(seed, seed + seeds):
        x_tr, x_te, y_tr, y_te = split(dataset, test_size, s)
        classes, counts = np.unique(y_tr, return_counts=True)
        p = np.tile(counts / counts.sum(), (len(y_te), 1))
        acc.append(float(np.mean(classes[np.argmax(p, axis=1)] == y_te)))
        loss.append(_log_loss(np.searchsorted(classes, y_te), p))
    return {"accuracy": float(np.mean(acc)), "loss": float(np.mean(loss)), "accuracy_splits": acc, "loss_splits": loss}


@lru_cache(maxsize=None)
def bagging_oob(dataset: str, trees: int, seeds: int, seed: int) -> dict:
    """``BaggingClassifier(DecisionTreeClassifier(), oob_score=True)`` fitted on ALL the data for each seed: the share
    of the rows each tree's bootstrap sample leaves out (from ``estimators_samples_``), their mean, lowest and highest
    over every tree of every seed, and each seed's ``oob_score_``; with the exact expectation (1 − 1/n)^n, and how many rows (summed over the seeds) no
    tree left out, so that they have no out-of-bag vote."""
    from sklearn.ensemble import BaggingClassifier
    from sklearn.tree import DecisionTreeClassifier

    data = load(dataset)
    n = len(data.target)
    shares, oob, unscored = [], [], 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # "Some inputs do not have OOB scores": counted in 'unscored' instead
        for s in range(seed, seed + seeds):
            m = BaggingClassifier(DecisionTreeClassifier(), n_estimators=trees, oob_score=True, random_state=s,
                                  n_jobs=1).fit(data.data, data.target)
            shares += [1 - len(np.unique(rows)) / n for rows in m.estimators_samples_]
            oob.append(float(m.oob_score_))
            unscored += int(np.isnan(m.oob_decision_function_).any(axis=1).sum())
    return {"samples": n, "share": float(np.mean(shares)), "share_min": float(min(shares)),
            "share_max": float(max(shares)), "expected": float((1 - 1 / n) ** n), "oob": oob, "trees_drawn": len(shares),
            "unscored": unscored}


def refuse_unscored(out: dict, trees: int) -> None:
    """A located error when some row was drawn by every tree: it has no out-of-bag vote, and scikit-learn would count
    it as a guess of the first class."""
    if out["unscored"]:
        raise LexiconError(f"with {trees} trees, {out['unscored']} row(s) were drawn into every bootstrap sample and have "
                           "no out-of-bag vote", fix="use more trees (each row is left out by about 37% of them)")


@lru_cache(maxsize=None)
def forest_importances(dataset: str, trees: int, repeats: int, test_size: float, seed: int) -> dict:
    """A ``RandomForestClassifier`` fitted on the training split: each feature's ``feature_importances_`` (mean
    impurity decrease, from the training data) and ``permutation_importance`` on the held-out split (the mean drop
    in accuracy over ``repeats`` shuffles of that feature, and its standard deviation); ranks by each (1 = most); and each
    feature's most correlated other feature on the training split (``np.corrcoef``, largest in size) with its r."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.inspection import permutation_importance

    x_tr, x_te, y_tr, y_te = split(dataset, test_size, seed)
    names = describe(dataset)["feature_names"]
    rf = RandomForestClassifier(n_estimators=trees, random_state=seed, n_jobs=1).fit(x_tr, y_tr)
    perm = permutation_importance(rf, x_te, y_te, n_repeats=repeats, random_state=seed, n_jobs=1)
    imp, pm, ps = rf.feature_importances_, perm.importances_mean, perm.importances_std
    # Each shuffle's drop is a whole number of held-out samples over len(y_te): the mean over the repeats, counted in
    # 1 / (len(y_te) * repeats) steps, is a whole number, so equal importances compare equal exactly.
    steps = np.rint(pm * len(y_te) * repeats).astype(int)
    r_imp, o_imp = _ranks(imp), _order(imp)
    r_perm, o_perm = _ranks(steps), _order(steps)
    corr = np.corrcoef(x_tr, rowvar=False)
    np.fill_diagonal(corr, 0)
    twins = np.argmax(np.abs(corr), axis=1)
    rows = [{"feature": names[j], "impurity": float(imp[j]), "permutation": float(pm[j]), "permutation_sd": float(ps[j]),
             "impurity_rank": r_imp[j], "permutation_rank": r_perm[j], "impurity_order": o_imp[j],
             "permutation_order": o_perm[j], "impurity_tied": int((imp == imp[j]).sum()) - 1,
             "permutation_tied": int((steps == steps[j]).sum()) - 1, "twin": names[int(twins[j])],
             "twin_r": float(corr[j, twins[j]])} for j in range(len(names))]
    return {"rows": rows, "accuracy": float(rf.score(x_te, y_te)), "train": int(len(y_tr)), "test": int(len(y_te)),
            "below_zero": int((steps < 0).sum()), "zero": int((steps == 0).sum())}


def _ranks(v: np.ndarray) -> list[int]:
    """1 for the largest; equal values share the best of their places (1, 2, 2, 4: competition ranking)."""
    return [int((v > x).sum()) + 1 for x in v]


def _order(v: np.ndarray) -> list[int]:
    """Each value's place in a stable sort, largest first (1, 2, 3, 4 even through ties)."""
    order = np.argsort(-v, kind="stable")
    places = np.empty(len(v), dtype=int)
    places[order] = np.arange(1, len(v) + 1)
    return places.tolist()
