"""The models kinds' claims: ``mean(knn-5) > mean(knn-1)``, ``std(random-forest) < std(decision-tree)``, read
by the reader the learning families share (:mod:`lexicon.claimterms`)."""

from ...claimterms import Names

__all__ = ["Names"]
