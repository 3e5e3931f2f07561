"""Block kinds: one module each, registered by kind name.

A block kind is a fenced code block name (```` ```analogy ````) that an author
writes in Markdown. Each kind says which options it takes (a JSON schema),
which words it needs, how to compute its result from the model, which claims
it checks and how to render it. Adding a kind is one new module here.
"""

from .base import REGISTRY, Block, RenderContext  # noqa: F401
from . import analogy, neighbours, similarity, onehot, embedding_map, rank_exercise, model_card, odd_one_out, analogy_exercise, explorer  # noqa: F401,E402
