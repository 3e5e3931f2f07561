"""``umap``: the same words laid out by UMAP at several n_neighbors values, side by side.

UMAP with a fixed ``random_state`` runs single-threaded and gives the same numbers on every
run (tests/test_blocks_reduce.py checks this); coordinates are rounded all the same.
"""

from __future__ import annotations

from .base import register
from .layouts import SweepBlock


@register
class UMAPMaps(SweepBlock):
    kind = "umap"
    summary = ("The same words laid out by UMAP (umap-learn, fixed seed) at several n_neighbors values, "
               "with the share of nearest neighbours each map keeps.")
    method = "umap"
    default_settings = [2, 5, 15, 30]
    extra_options = {"min_dist": {"type": "number", "minimum": 0, "maximum": 1}}
    example = ("groups:\n  animals: [cat, dog, horse, cow, lion, tiger]\n"
               "  vehicles: [car, bus, truck, train, boat, taxi]\nn_neighbors: [2, 5]")
