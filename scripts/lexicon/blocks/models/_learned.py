"""What one fitted model learned, on the seeded, stratified training split of :func:`_data.split`: a logistic
regression's coefficients and the sigmoid of its scores, a decision tree's first splits, a tree ensemble's feature
importances, one test sample's nearest neighbours. Each is a plain function of its arguments."""

from __future__ import annotations

import numpy as np

from ._data import describe, estimator, parse_model, split

# show -> the models whose learned state it reads
SHOWS = {"coefficients": ("logistic-regression",), "tree": ("decision-tree",),
         "importances": ("decision-tree", "random-forest", "gradient-boosting"), "neighbours": ("knn",),
         "correlations": ("naive-bayes",), "support-vectors": ("svm-linear", "svm-rbf")}


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + e^−z), the probability a binary logistic regression gives its class 1."""
    return 1.0 / (1.0 + np.exp(-z))


def coefficients(dataset: str, model: str, test_size: float, seed: int, top: int, examples: int) -> dict:
    """The pipeline's coefficients (one per standardised feature, for class 1 of a two-class dataset), the ``top``
    largest in size; and for the first ``examples`` test samples the score z = intercept + w·x, sigmoid(z) and
    ``predict_proba``'s probability of class 1 (equal: the sigmoid is how the model turns a score into one)."""
    x_tr, x_te, y_tr, y_te = split(dataset, test_size, seed)
    info = describe(dataset)
    pipe = estimator(model, seed).fit(x_tr, y_tr)
    lr = pipe[-1]
    w, b = lr.coef_[0], float(lr.intercept_[0])
    order = np.argsort(-np.abs(w), kind="stable")[:top]
    z = pipe.decision_function(x_te[:examples])
    return {"coef": [{"feature": info["feature_names"][j], "weight": float(w[j])} for j in order],
            "intercept": b, "positives": int((w > 0).sum()), "features": len(w),
            "examples": [{"z": float(zi), "sigmoid": float(sigmoid(zi)), "proba": float(p),
                          "true": info["classes"][int(t)]}
                         for zi, p, t in zip(z, pipe.predict_proba(x_te[:examples])[:, 1], y_te[:examples])],
            "accuracy": float(pipe.score(x_te, y_te)), "train": int(len(y_tr)), "test": int(len(y_te))}


def tree(dataset: str, model: str, test_size: float, seed: int, levels: int) -> dict:
    """The fitted tree's nodes down to depth ``levels`` (breadth first): the feature and threshold of each split,
    its training samples and their classes; ``export_text`` to the same depth; the tree's depth, leaves and test accuracy."""
    from sklearn.tree import export_text

    x_tr, x_te, y_tr, y_te = split(dataset, test_size, seed)
    info = describe(dataset)
    t = estimator(model, seed).fit(x_tr, y_tr)
    nodes, queue = [], [(0, 0)]
    while queue:
        node, depth = queue.pop(0)
        left, right = int(t.tree_.children_left[node]), int(t.tree_.children_right[node])
        counts = np.bincount(y_tr[_reaching(t, x_tr, node)], minlength=len(info["classes"]))
        row = {"node": node, "depth": depth, "samples": int(t.tree_.n_node_samples[node]), "counts": counts.tolist(),
               "leaf": left == -1}
        if left != -1:
            row.update(feature=info["feature_names"][int(t.tree_.feature[node])], threshold=float(t.tree_.threshold[node]))
            if depth + 1 < levels:
                queue += [(left, depth + 1), (right, depth + 1)]
        nodes.append(row)
    return {"nodes": nodes, "text": export_text(t, feature_names=info["feature_names"], max_depth=levels - 1,
                                                decimals=2, show_weights=True),
            "depth": int(t.get_depth()), "leaves": int(t.get_n_leaves()), "accuracy": float(t.score(x_te, y_te)),
            "train_accuracy": float(t.score(x_tr, y_tr)), "train": int(len(y_tr)), "test": int(len(y_te))}


def _reaching(t, x, node: int) -> np.ndarray:
    """Which rows of ``x`` pass through ``node`` (the tree's decision path)."""
    return t.decision_path(x)[:, node].toarray().ravel().astype(bool)


def importances(dataset: str, model: str, test_size: float, seed: int, top: int) -> dict:
    """``feature_importances_`` (mean impurity decrease, summing to 1) of a tree or tree ensemble fitted on the
    training split, the ``top`` largest, and how many features share the importance at all."""
    x_tr, x_te, y_tr, y_te = split(dataset, test_size, seed)
    info = describe(dataset)
    m = estimator(model, seed).fit(x_tr, y_tr)
    imp = m.feature_importances_
    order = np.argsort(-imp, kind="stable")[:top]
    return {"importances": [{"feature": info["feature_names"][j], "importance": float(imp[j])} for j in order],
            "used": int((imp > 0).sum()), "features": len(imp), "accuracy": float(m.score(x_te, y_te)),
            "train": int(len(y_tr)), "test": int(len(y_te))}


def neighbours(dataset: str, model: str, test_size: float, seed: int, sample: int) -> dict:
    """The k training samples nearest to test sample ``sample`` (1-based) in the standardised features (the
    pipeline's own scaler and ``kneighbors``): their distance and class, the vote, and the prediction."""
    x_tr, x_te, y_tr, y_te = split(dataset, test_size, seed)
    info = describe(dataset)
    pipe = estimator(model, seed).fit(x_tr, y_tr)
    _, k = parse_model(model)
    q = x_te[sample - 1:sample]
    dist, idx = pipe[-1].kneighbors(pipe[0].transform(q), n_neighbors=k)
    votes = np.bincount(y_tr[idx[0]], minlength=len(info["classes"]))
    return {"rows": [{"train_index": int(i), "distance": float(d), "class": info["classes"][int(y_tr[i])]}
                     for d, i in zip(dist[0], idx[0])],
            "votes": {info["classes"][c]: int(v) for c, v in enumerate(votes) if v},
            "predicted": info["classes"][int(pipe.predict(q)[0])], "true": info["classes"][int(y_te[sample - 1])],
            "accuracy": float(pipe.score(x_te, y_te)), "train": int(len(y_tr)), "test": int(len(y_te))}


def correlations(dataset: str, model: str, test_size: float, seed: int, top: int) -> dict:
    """What naive Bayes assumes away: the features' correlations WITHIN each class on the training split (each
    class's mean subtracted, the residuals pooled, ``np.corrcoef``), the ``top`` pairs strongest in size, and the
    share of all pairs whose size passes 0.5 and 0.9; with the model's test accuracy on the same split."""
    x_tr, x_te, y_tr, y_te = split(dataset, test_size, seed)
    info = describe(dataset)
    m = estimator(model, seed).fit(x_tr, y_tr)
    resid = x_tr - np.array([x_tr[y_tr == c].mean(axis=0) for c in y_tr])
    r = np.corrcoef(resid, rowvar=False)
    i, j = np.triu_indices(r.shape[0], k=1)
    order = np.argsort(-np.abs(r[i, j]), kind="stable")[:top]
    size = np.abs(r[i, j])
    return {"pairs": [{"a": info["feature_names"][int(i[k])], "b": info["feature_names"][int(j[k])], "r": float(r[i[k], j[k]])}
                      for k in order],
            "count": int(len(size)), "over_half": int((size > 0.5).sum()), "over_09": int((size > 0.9).sum()),
            "accuracy": float(m.score(x_te, y_te)), "train": int(len(y_tr)), "test": int(len(y_te))}


def support_vectors(dataset: str, models: list[str], test_size: float, seed: int) -> dict:
    """Each support vector machine of ``models`` fitted on the training split: how many training samples are support
    vectors (``n_support_`` summed), its accuracy on the training split and on the test split."""
    x_tr, x_te, y_tr, y_te = split(dataset, test_size, seed)
    rows = []
    for model in models:
        pipe = estimator(model, seed).fit(x_tr, y_tr)
        rows.append({"model": model, "support": int(pipe[-1].n_support_.sum()), "train_accuracy": float(pipe.score(x_tr, y_tr)),
                     "accuracy": float(pipe.score(x_te, y_te))})
    return {"rows": rows, "train": int(len(y_tr)), "test": int(len(y_te))}
