"""scikit-learn's bundled datasets by name, for the block families that learn from data.

Only the copies that ship inside scikit-learn (breast cancer, iris, wine, digits, diabetes): nothing
is ever downloaded. An unknown name is an error that suggests the closest name and lists them all;
asking for the classes of the diabetes data (a regression target) says why it has none. The
``learning``, ``training``, ``neural`` and ``tuning`` families read their data here.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from .errors import LexiconError

# scikit-learn's loaders; diabetes is listed so that asking a classifier of it says why it does not fit.
LOADERS = {"breast_cancer": "load_breast_cancer", "iris": "load_iris", "wine": "load_wine",
           "digits": "load_digits", "diabetes": "load_diabetes"}
CLASSIFICATION = ("breast_cancer", "iris", "wine", "digits")
MAX_ITER = 5000     # LogisticRegression's lbfgs converges on every bundled dataset well within this


@lru_cache(maxsize=None)
def load(name: str):
    """A bundled dataset by name (``breast_cancer``, ``iris``, …), as scikit-learn returns it."""
    import sklearn.datasets

    if name not in LOADERS:
        close = difflib.get_close_matches(str(name), list(LOADERS), n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise LexiconError(f"there is no bundled dataset '{name}'",
                           fix=f"{hint}name one of scikit-learn's bundled datasets: {', '.join(LOADERS)}")
    return getattr(sklearn.datasets, LOADERS[name])()


def class_names(name: str) -> list[str]:
    """The class names of a classification dataset, as text (the digits' are ``0`` to ``9``)."""
    if name == "diabetes" or name not in LOADERS:
        load(name)   # an unknown name: the error lists the names
        raise LexiconError("the diabetes data is a regression dataset: its target is a number (disease "
                           "progression), not a class, so it has no classes to predict",
                           fix=f"name a classification dataset: {', '.join(CLASSIFICATION)}")
    return [str(c) for c in load(name).target_names]
