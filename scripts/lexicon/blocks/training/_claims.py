"""The training kinds' claims: ``loss(0.1) < loss(0.01)``, ``best = 3``, ``zeros(lasso, 10) > 3``, read by the
reader the learning family shares (:mod:`lexicon.claimterms`)."""

from ...claimterms import Names

__all__ = ["Names"]
