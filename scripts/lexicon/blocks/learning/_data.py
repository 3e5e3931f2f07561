"""What the learning kinds share: the split, the model, the metrics, on a bundled dataset.

Everything is scikit-learn's: its bundled datasets (:mod:`lexicon.datasets`, no download), ``train_test_split`` (seeded and
stratified by class), a pipeline of ``StandardScaler`` and ``LogisticRegression`` with fixed options, and
``sklearn.metrics`` for every number. A multi-class dataset is turned into one binary question, one
class (the *positive* one) against the rest, before the model is fitted.
"""

from __future__ import annotations

import numpy as np

from ...datasets import MAX_ITER, class_names, load
from ...engine import opt
from ...errors import LexiconError

# The class a reader of each binary dataset would call "positive" when none is named: the disease.
DEFAULT_POSITIVE = {"breast_cancer": "malignant"}
SAMPLES = {"breast_cancer": "tumours", "iris": "flowers", "wine": "wines", "digits": "images"}
NOTE = "Computed at build time with scikit-learn, on its bundled copy of the data; no embedding model."

# The options every kind of the family declares the same way: which data, which class, which split.
SPLIT_OPTIONS = dict(
    dataset=opt.text("One of scikit-learn's bundled classification datasets: `breast_cancer`, `iris`, `wine` "
                     "or `digits`.", default="breast_cancer"),
    positive=opt.raw("The positive class, by name (a digit for `digits`); the other classes are its negatives.",
                     {"type": ["string", "integer"]}, "class name",
                     default_doc="`malignant` for breast_cancer; required for the others", convert=str),
    test_size=opt.number("The share of the samples held out as the test split.", default=0.25, min=0.1, max=0.5),
    seed=opt.seed("The seed of the split (`random_state`).", default=0),
)


def positive_class(dataset: str, positive) -> str:
    """The positive class named (or the dataset's default), checked against the dataset's classes."""
    names = class_names(dataset)
    if positive is None:
        if dataset in DEFAULT_POSITIVE:
            return DEFAULT_POSITIVE[dataset]
        raise LexiconError(f"the {dataset} data has {len(names)} classes, so the block needs to know which one "
                           "is the positive class (the others are its negatives: one-vs-rest)",
                           fix=f"add e.g. 'positive: {names[0]}' (one of: {', '.join(names)})")
    if str(positive) not in names:
        raise LexiconError(f"the {dataset} data has no class '{positive}'",
                           fix=f"name one of its classes: {', '.join(names)}")
    return str(positive)


def split(dataset: str, positive: str, test_size: float, seed: int) -> dict:
    """The seeded split, stratified by class, of ``dataset`` into training and test parts, with the target
    turned into ``positive`` (1) against the rest (0); ``c_*`` keep the original classes."""
    from sklearn.model_selection import train_test_split

    data = load(dataset)
    names = class_names(dataset)
    target = (data.target == names.index(positive)).astype(int)
    x_train, x_test, y_train, y_test, c_train, c_test = train_test_split(
        data.data, target, data.target, test_size=test_size, random_state=seed, stratify=data.target)
    return {"data": data, "names": names, "x_train": x_train, "x_test": x_test, "y_train": y_train,
            "y_test": y_test, "c_train": c_train, "c_test": c_test}


def fitted(dataset: str, positive: str, test_size: float, seed: int, class_weight: str | None = None) -> dict:
    """Split (stratified by class, seeded), fit the pipeline on the training part to tell ``positive`` from
    the rest, and score the test part: ``y`` (1 = positive) and ``score`` (the model's probability of positive).
    ``class_weight="balanced"`` weights each class in training inversely to its frequency."""
    from sklearn.dummy import DummyClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, balanced_accuracy_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    s = split(dataset, positive, test_size, seed)
    data, names = s["data"], s["names"]
    x_train, x_test, y_train, y_test, c_train, c_test = (s[k] for k in ("x_train", "x_test", "y_train", "y_test",
                                                                        "c_train", "c_test"))
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=MAX_ITER, class_weight=class_weight))
    model.fit(x_train, y_train)
    score = model.predict_proba(x_test)[:, list(model.classes_).index(1)]
    counts = [int((data.target == i).sum()) for i in range(len(names))]
    # The baseline: always predict the training split's majority (positive or rest).
    majority = DummyClassifier(strategy="most_frequent").fit(x_train, y_train)
    return {"dataset": dataset, "positive": positive, "classes": names, "class_counts": counts,
            "samples": int(data.data.shape[0]), "features": int(data.data.shape[1]),
            "train": len(y_train), "test": len(y_test),
            "train_counts": np.bincount(c_train, minlength=len(names)).tolist(),
            "test_counts": np.bincount(c_test, minlength=len(names)).tolist(),
            "train_positive": int(y_train.sum()), "test_positive": int(y_test.sum()),
            "baseline": {"predicts": "positive" if majority.predict(x_test[:1])[0] == 1 else "negative",
                         "accuracy": float(accuracy_score(y_test, majority.predict(x_test))),
                         "balanced": float(balanced_accuracy_score(y_test, majority.predict(x_test)))},
            "y": y_test.tolist(), "score": [float(s) for s in score]}


def probabilities(dataset: str, positive: str, test_size: float, seed: int, model: str) -> dict:
    """The split of :func:`fitted`, one named model fitted on its training part (``logistic-regression``: the
    family's pipeline; ``naive-bayes``: ``GaussianNB``), and its probability of positive on the test part."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import GaussianNB
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    s = split(dataset, positive, test_size, seed)
    est = (GaussianNB() if model == "naive-bayes"
           else make_pipeline(StandardScaler(), LogisticRegression(max_iter=MAX_ITER)))
    est.fit(s["x_train"], s["y_train"])
    score = est.predict_proba(s["x_test"])[:, list(est.classes_).index(1)]
    return {"y": s["y_test"].tolist(), "score": [float(v) for v in score]}


def at_threshold(y: list[int], score: list[float], threshold: float) -> dict:
    """The confusion counts and sklearn.metrics' numbers when ``score >= threshold`` predicts positive.
    A metric whose denominator is 0 (precision with no positive prediction) is ``None``: undefined."""
    from sklearn import metrics

    y_true = np.asarray(y)
    y_pred = (np.asarray(score) >= threshold).astype(int)
    tn, fp, fn, tp = (int(v) for v in metrics.confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel())
    # per class (0, 1): precision, recall, F1; undefined (nan) where a denominator is 0
    p, r, f, _ = metrics.precision_recall_fscore_support(y_true, y_pred, labels=[0, 1], zero_division=np.nan)

    def defined(v):
        return None if np.isnan(v) else float(v)

    return {"threshold": threshold, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "accuracy": float(metrics.accuracy_score(y_true, y_pred)),
            # the mean of the recalls of the two classes: 0.5 for a classifier that always says one class
            "balanced": float(metrics.balanced_accuracy_score(y_true, y_pred)),
            "precision": defined(p[1]), "recall": defined(r[1]), "f1": defined(f[1]),
            "specificity": defined(r[0])}   # the recall of the negative class


def class_label(dataset: str, name: str) -> str:
    """A class as prose and figures write it: the digits' ``8`` is "digit 8"."""
    return f"digit {name}" if dataset == "digits" else name


def ranked_pairs(y, score) -> dict:
    """Every (positive, negative) pair of test samples: how many, how many the model orders rightly (the
    positive scored higher) and how many it ties. (ordered + tied / 2) / all is the AUC, counted by hand."""
    pos, neg = score[y == 1], score[y == 0]
    diff = pos[:, None] - neg[None, :]
    return {"all": int(diff.size), "ordered": int((diff > 0).sum()), "tied": int((diff == 0).sum())}
