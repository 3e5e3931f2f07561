"""``umap``: the same words laid out by UMAP at several n_neighbors values, side by side."""

from __future__ import annotations

from ...engine import opt
from ._sweep import Sweep, sweep_options


class UMAPMaps(Sweep):
    """The same words laid out by UMAP (umap-learn, fixed seed) at several n_neighbors values, with the
    share of nearest neighbours each map keeps.

    Like [tsne](#tsne), with umap-learn. `n_neighbors` takes a list of whole numbers of 2 or more,
    each less than the number of words; the default is `[2, 5, 15, 30]`. `min_dist` (0 to 1,
    default `0.1`) applies to every panel. With a seed, umap-learn runs single-threaded and gives
    the same coordinates on every run, with two exceptions: another CPU may draw a slightly
    different map, and a map at `n_neighbors` 2 (a graph of many small pieces) can differ from one
    run to the next.
    """

    method = "umap"
    settings_key = "n_neighbors"
    example = ("groups:\n  animals: [cat, dog, horse, cow, lion, tiger, rabbit, mouse]\n"
               "  vehicles: [car, bus, truck, train, boat, taxi, plane, bicycle]\n"
               "  fruit: [apple, banana, cherry, grape, lemon, mango, peach, pear]\n"
               "n_neighbors: [5, 15]\nexpect:\n  - groups(15) > 0.9")
    options = sweep_options(
        settings_key, "The n_neighbors values, one map each: how many neighbours each word's graph connects; "
        "each must be less than the number of words.", {"type": "integer", "minimum": 2},
        "list of 1–6 whole numbers, each 2 or more",
        min_dist=opt.number("How close together UMAP may pack points on the map, for every panel.",
                            default=0.1, min=0, max=1))
