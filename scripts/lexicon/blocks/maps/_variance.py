"""PCA's share of the variance per component (pca, variance-exercise), and the values prose quotes."""

from __future__ import annotations

import numpy as np

from ...engine import Value, value
from ...engine.values import share
from ...errors import LexiconError
from ...render import percent


def pca_variance(x: np.ndarray) -> tuple[list[float], np.ndarray]:
    """Each component's share of the variance (all of them), and the points on the first two."""
    from sklearn.decomposition import PCA

    pca = PCA(svd_solver="full").fit(x)
    shares = np.round(pca.explained_variance_ratio_.astype(np.float64), 5).tolist()
    return shares, pca.transform(x)[:, :2]


def cumulative(shares: list[float], n: int) -> float:
    return round(float(sum(shares[:n])), 5)


# --- values for prose, written as the variance table writes them -----------------------------------

def _component(shares: list[float], n) -> int:
    try:
        k = int(str(n).strip())
    except ValueError:
        k = 0
    if not 1 <= k <= len(shares):
        raise LexiconError(f"there is no component '{n}'", fix=f"name a component from 1 to {len(shares)}")
    return k


def component_value(shares: list[float], n) -> Value:
    """Component n's own share of the variance."""
    k = _component(shares, n)
    return Value(percent(shares[k - 1]), shares[k - 1])


def share_value(shares: list[float], n) -> Value:
    """The share of the variance the first n components keep together."""
    k = _component(shares, n)
    total = float(np.cumsum(shares)[k - 1])
    return Value(percent(total), total)


def components_for_value(shares: list[float], wanted) -> Value:
    """The fewest components that together explain at least ``wanted`` (``90%``) of the variance."""
    x = share(wanted)
    cum = np.cumsum(shares)
    reached = [i + 1 for i, c in enumerate(cum) if c >= x]
    if not reached:
        raise LexiconError(f"all {len(shares)} components together explain {percent(cum[-1])}, less than {wanted}",
                           fix="ask for a smaller share")
    return Value(str(reached[0]), reached[0])


class VarianceValues:
    """The values of a kind whose result holds PCA's ``shares`` (pca, variance-exercise)."""

    @value("The share of the variance the first n components keep together, as the table shows it (`35.2%`).")
    def share(self, spec, result, n):
        return share_value(result["shares"], n)

    @value("The fewest components that together explain at least this share of the variance "
           "(`components_for(90%)`).")
    def components_for(self, spec, result, wanted):
        return components_for_value(result["shares"], wanted)
