"""The procedure kinds' claims: ``validation(10) > validation(1)``, ``leaky > honest``, read by the reader the
learning family shares (:mod:`lexicon.claimterms`)."""

from ...claimterms import Names

__all__ = ["Names"]
