"""Block kinds: one module each, registered by kind name.

A block kind is a fenced code block name (```` ```analogy ````) that an author
writes in Markdown. Each kind says which options it takes (a JSON schema),
which words it needs, how to compute its result from the model, which claims
it checks and how to render it. Adding a kind is one new module here: every
module in this package is imported, and its ``@register`` classes join the registry.
"""

import importlib
import pkgutil

from .base import REGISTRY, Block, RenderContext  # noqa: F401

for _mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _mod not in ("base", "exercise"):
        importlib.import_module(f"{__name__}.{_mod}")
