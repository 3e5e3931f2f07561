"""``tsne``: the same words laid out by t-SNE at several perplexities, side by side."""

from __future__ import annotations

from ._sweep import Sweep, sweep_options


class TSNEMaps(Sweep):
    """The same words laid out by t-SNE (scikit-learn, fixed seed) at several perplexities, with the share
    of nearest neighbours each map keeps.

    The same words laid out by scikit-learn's t-SNE at several perplexities, as small panels side
    by side. The seed is fixed, with `init='pca'` and `metric='cosine'`. Each panel title gives two
    numbers: *kept*, the share of each word's `k` nearest words in the full space that are also
    among its `k` nearest on the map; and *groups*, the share of words whose nearest word on the
    map is in their own group.

    Each perplexity must be less than the number of words, or the build stops: "perplexity 30 must
    be less than the number of words (24)".
    """

    method = "tsne"
    settings_key = "perplexities"
    example = ("groups:\n  animals: [cat, dog, horse, cow, lion, tiger, rabbit, mouse]\n"
               "  vehicles: [car, bus, truck, train, boat, taxi, plane, bicycle]\n"
               "  fruit: [apple, banana, cherry, grape, lemon, mango, peach, pear]\n"
               "perplexities: [2, 10]\nexpect:\n  - groups(10) > 0.9")
    options = sweep_options(
        settings_key, "The perplexities, one map each (roughly: how many neighbours each word keeps close); "
        "each must be less than the number of words.", {"type": "number", "exclusiveMinimum": 0},
        "list of 1–6 numbers, each more than 0")
