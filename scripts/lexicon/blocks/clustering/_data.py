"""What the dataset clustering kinds share: a bundled dataset's features (standardised unless
``scale: false``) and its classes, which only ever score a clustering, and the options that choose them."""

from __future__ import annotations

import numpy as np

from ...datasets import class_names, load
from ...engine import Value, opt, value
from ...errors import LexiconError
from ._claims import parse, require_ks

DATASETS = ["iris", "wine", "breast_cancer", "digits"]
DATASET = opt.choice("One of scikit-learn's bundled classification datasets (never a download).", DATASETS,
                     default="iris")
SCALE = opt.flag("Standardise every feature (mean 0, variance 1) before clustering.", default=True)
SEEDS = opt.integer("How many seeds (`random_state` 0, 1, …) each clustering is repeated with; the page shows the "
                    "spread over them.", default=5, min=1, max=20)
# The options every dataset clustering kind declares the same way, first of its own: which data, scaled or not.
DATA_OPTIONS = dict(dataset=DATASET, scale=SCALE)


class DatasetValues:
    """The values the dataset clustering kinds quote alike (elbow, gaussian-mixture, dbscan, kmeans-dataset,
    rand-index), so that prose words and formats them one way; each result holds ``samples``."""

    @value("How many samples the dataset has.")
    def samples(self, spec, result):
        return Value(f"{result['samples']:,}", result["samples"])


def features(dataset: str, scale: bool) -> tuple[np.ndarray, list[int]]:
    """The samples (float64, standardised with `StandardScaler` when ``scale``) and their classes."""
    from sklearn.preprocessing import StandardScaler

    data = load(dataset)
    x = np.asarray(data.data, dtype=np.float64)
    return (StandardScaler().fit_transform(x) if scale else x), data.target.tolist()


def classes(dataset: str) -> list[str]:
    return class_names(dataset)


def read_classes_ks(spec, names: dict[str, str], example: str) -> None:
    """What kmeans-dataset and gaussian-mixture read alike from their options: the dataset's classes, ``k`` (default:
    one per class) added to ``ks`` (``spec.k_list``), and the claims parsed, every k they name among those."""
    spec.classes = classes(spec.dataset)
    spec.k = spec.k or len(spec.classes)
    spec.k_list = sorted(set(spec.ks) | {spec.k})
    spec.parsed = [parse(t, names, example) for t in spec.expect]
    require_ks(spec.parsed, spec.k_list)


def loader_code(dataset: str, scale: bool) -> str:
    """The first lines of a code panel: load the data, standardise it."""
    return (f"from sklearn.datasets import load_{dataset}\n"
            "from sklearn.preprocessing import StandardScaler\n\n"
            f"data = load_{dataset}()\n"
            + ("x = StandardScaler().fit_transform(data.data)\n" if scale else "x = data.data\n"))


def pick(ks: list, k, what: str = "k values"):
    """The index of ``k`` among ``ks`` (numbers compared as written), or a located error."""
    text = str(k).strip()
    for i, v in enumerate(ks):
        if text == str(v) or _num(text) == v:
            return i
    raise LexiconError(f"'{k}' is not one of the {what}", fix="name one of: " + ", ".join(map(str, ks)))


def _num(text: str):
    try:
        return float(text)
    except ValueError:
        return None


def sci(x: float) -> str:
    """A small or large number in scientific notation, as the site writes it: ``1.0e−3``."""
    return "0" if x == 0 else f"{x:.1e}".replace("e+0", "e").replace("e+", "e").replace("e-0", "e-").replace("-", "−")


def prob(p: float) -> str:
    """A probability at 4 decimals, or in scientific notation when it is below 0.0001 (never a false 0.0000)."""
    from ...render import fmt

    return fmt(p) if p >= 1e-4 or p == 0 else sci(p)
