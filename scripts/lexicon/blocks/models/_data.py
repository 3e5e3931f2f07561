"""What the models kinds share: a model named in a block (``knn-5``, ``decision-tree-3``), the scikit-learn
estimator it stands for, its cross-validated accuracy over several shuffles of the folds, and what it learned.

A model is written ``name`` or ``name-setting``: the setting is the one hyperparameter the name takes
(``knn-5``: five neighbours; ``decision-tree-3``: depth 3; ``svm-rbf-10``: C = 10). Models that measure
distances or penalise weights (logistic regression, k nearest neighbours, support vector machines) are
a pipeline whose first step standardises the features (fitted on each training part only); trees,
forests, boosting and naive Bayes read the features as measured (their results do not depend on the
features' scale). Datasets come from :mod:`lexicon.datasets` (an unknown name is a located error).
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

import numpy as np

from ...datasets import CLASSIFICATION, MAX_ITER, class_names, load
from ...errors import LexiconError

NOTE = "Computed at build time with scikit-learn, on scikit-learn's bundled copy of the data; no embedding model."
# name -> (what the setting is, its default, whole number?, lowest, highest, the estimator's code with {v} and {seed})
MODELS = {
    "logistic-regression": ("C (inverse penalty strength)", 1.0, False, 1e-4, 1e4,
                            "make_pipeline(StandardScaler(), LogisticRegression(C={v:g}, max_iter=5000))"),
    "knn": ("k (neighbours)", 5, True, 1, 100, "make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors={v}))"),
    "decision-tree": ("maximum depth", None, True, 1, 30, "DecisionTreeClassifier(max_depth={v}, random_state={seed})"),
    "naive-bayes": (None, None, False, None, None, "GaussianNB()"),
    "svm-linear": ("C", 1.0, False, 1e-4, 1e4, "make_pipeline(StandardScaler(), SVC(kernel=\"linear\", C={v:g}))"),
    "svm-rbf": ("C", 1.0, False, 1e-4, 1e4, "make_pipeline(StandardScaler(), SVC(kernel=\"rbf\", C={v:g}))"),
    "random-forest": ("trees", 100, True, 1, 300,
                      "RandomForestClassifier(n_estimators={v}, random_state={seed}, n_jobs=1)"),
    "bagging": ("trees", 100, True, 1, 300,
                "BaggingClassifier(DecisionTreeClassifier(), n_estimators={v}, random_state={seed}, n_jobs=1)"),
    "gradient-boosting": ("stages", 100, True, 1, 300, "GradientBoostingClassifier(n_estimators={v}, random_state={seed})"),
}
NAME = re.compile(r"^([a-z]+(?:-[a-z]+)*)(?:-([0-9]+(?:\.[0-9]+)?(?:e-?[0-9]+)?))?$")
IMPORTS = {"LogisticRegression": "sklearn.linear_model", "KNeighborsClassifier": "sklearn.neighbors",
           "DecisionTreeClassifier": "sklearn.tree", "GaussianNB": "sklearn.naive_bayes", "SVC": "sklearn.svm",
           "RandomForestClassifier": "sklearn.ensemble", "BaggingClassifier": "sklearn.ensemble",
           "GradientBoostingClassifier": "sklearn.ensemble", "StandardScaler": "sklearn.preprocessing",
           "make_pipeline": "sklearn.pipeline"}


def parse_model(text) -> tuple[str, float | int | None]:
    """``knn-5`` -> ("knn", 5); ``naive-bayes`` -> ("naive-bayes", None); anything else is a located error."""
    t = str(text).strip()
    m = NAME.match(t)
    name = m.group(1) if m else t
    if not m or name not in MODELS:
        close = difflib.get_close_matches(name, list(MODELS), n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise LexiconError(f"there is no model '{t}'", fix=f"{hint}name one of: {', '.join(MODELS)}, with an optional "
                                                           "setting after a hyphen (e.g. knn-5, decision-tree-3, svm-rbf-10)")
    what, default, whole, lo, hi, _ = MODELS[name]
    if m.group(2) is None:
        return name, default
    if what is None:
        raise LexiconError(f"'{t}': {name} takes no setting", fix=f"write '{name}'")
    v = float(m.group(2))
    if whole and not v.is_integer():
        raise LexiconError(f"'{t}': the {what} of {name} is a whole number", fix=f"write e.g. '{name}-{int(v) or 1}'")
    if not lo <= v <= hi:
        raise LexiconError(f"'{t}': the {what} of {name} must be from {lo:g} to {hi:g}", fix="choose a setting in that range")
    return name, (int(v) if whole else v)


def code_of(text: str, seed: int) -> str:
    """The estimator's scikit-learn constructor, as the code panel shows it."""
    name, v = parse_model(text)
    return MODELS[name][5].format(v=v, seed=seed)


def setting_of(text: str) -> str:
    """The model's one setting in words: ``k (neighbours) = 5``, ``maximum depth = none (grown until pure)``."""
    name, v = parse_model(text)
    what = MODELS[name][0]
    if what is None:
        return "none"
    return f"{what} = {'none (grown until pure)' if v is None else format(v, 'g')}"


def imports_of(texts: list[str], seed: int) -> str:
    """The import lines the constructors of ``texts`` need."""
    used = " ".join(code_of(t, seed) for t in texts)
    by_module: dict[str, list[str]] = {}
    for cls, module in IMPORTS.items():
        if re.search(rf"\b{cls}\(", used):
            by_module.setdefault(module, []).append(cls)
    return "\n".join(f"from {m} import {', '.join(c)}" for m, c in sorted(by_module.items()))


def estimator(text: str, seed: int):
    """A fresh scikit-learn estimator for a model name (the constructor :func:`code_of` shows)."""
    from sklearn.ensemble import BaggingClassifier, GradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    name, v = parse_model(text)
    if name == "logistic-regression":
        return make_pipeline(StandardScaler(), LogisticRegression(C=v, max_iter=MAX_ITER))
    if name == "knn":
        return make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=v))
    if name == "decision-tree":
        return DecisionTreeClassifier(max_depth=v, random_state=seed)
    if name == "naive-bayes":
        return GaussianNB()
    if name in ("svm-linear", "svm-rbf"):
        return make_pipeline(StandardScaler(), SVC(kernel=name[4:], C=v))
    if name == "random-forest":
        return RandomForestClassifier(n_estimators=v, random_state=seed, n_jobs=1)
    if name == "bagging":
        return BaggingClassifier(DecisionTreeClassifier(), n_estimators=v, random_state=seed, n_jobs=1)
    return GradientBoostingClassifier(n_estimators=v, random_state=seed)


def check_dataset(dataset: str) -> None:
    """A located error for an unknown dataset or for diabetes (a regression dataset), before computing."""
    if dataset not in CLASSIFICATION:
        class_names(dataset)     # raises: unknown name (with the closest), or diabetes is a regression dataset


def check_folds(dataset: str, folds: int) -> None:
    counts = np.bincount(load(dataset).target)
    if counts.min() < folds:
        raise LexiconError(f"the {dataset} data's smallest class has {counts.min()} samples, fewer than the "
                           f"{folds} folds", fix="use fewer folds")


@lru_cache(maxsize=None)
def cross_validated(dataset: str, model: str, folds: int, shuffles: int, seed: int) -> dict:
    """``cross_val_score`` (accuracy) of one model with ``StratifiedKFold(folds, shuffle=True, random_state=s)`` for
    each shuffle seed ``s`` = ``seed`` … ``seed + shuffles − 1``: every fold score, the mean over all of them, their
    standard deviation (numpy's, over all ``folds × shuffles`` scores), and each shuffle's own mean."""
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    data = load(dataset)
    runs = [cross_val_score(estimator(model, seed), data.data, data.target,
                            cv=StratifiedKFold(n_splits=folds, shuffle=True, random_state=s))
            for s in range(seed, seed + shuffles)]
    scores = np.concatenate(runs)
    return {"model": model, "mean": float(scores.mean()), "std": float(scores.std()),
            "means": [float(r.mean()) for r in runs], "scores": [float(s) for s in scores]}


def describe(dataset: str) -> dict:
    data = load(dataset)
    return {"samples": int(data.data.shape[0]), "features": int(data.data.shape[1]),
            "classes": class_names(dataset), "feature_names": [str(f) for f in data.feature_names]}


def split(dataset: str, test_size: float, seed: int):
    """The seeded, stratified train/test split of the learning family's blocks (same call, same arguments)."""
    from sklearn.model_selection import train_test_split

    data = load(dataset)
    return train_test_split(data.data, data.target, test_size=test_size, random_state=seed, stratify=data.target)
