"""The optimiser kinds' claims: ``final(adam) < final(gd)``, ``loss(1, 3) < loss(full, 3)``, read by the
reader the learning family shares (:mod:`lexicon.claimterms`)."""

from ...claimterms import Names

__all__ = ["Names"]
