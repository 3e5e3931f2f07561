"""``tsne``: the same words laid out by t-SNE at several perplexities, side by side."""

from __future__ import annotations

from .base import register
from .layouts import SweepBlock


@register
class TSNEMaps(SweepBlock):
    kind = "tsne"
    summary = ("The same words laid out by t-SNE (scikit-learn, fixed seed) at several perplexities, "
               "with the share of nearest neighbours each map keeps.")
    method = "tsne"
    default_settings = [2, 5, 15, 30]
    example = ("groups:\n  animals: [cat, dog, horse, cow, lion, tiger]\n"
               "  vehicles: [car, bus, truck, train, boat, taxi]\nperplexities: [2, 5]")
