"""Running one block kind the way the build does, for the block kinds' own tests."""

from __future__ import annotations

import json

from lexicon.blocks import REGISTRY, RenderContext
from lexicon.blocks.base import read_yaml
from lexicon.model import require_words

MODEL = {"name": "Test <b>model</b>", "format": "glove", "sha256": "ab" * 32}
EVIL = "<script>alert('x')</script>"


def spec_of(kind: str, source: str) -> dict:
    """Read and parse a block body exactly as the build does."""
    block = REGISTRY[kind]
    return block.parse(read_yaml(kind, source, block.schema, block.example))


def run(kv, kind: str, source: str):
    """parse → words → compute → claims → render, as the build does (minus the cache).

    Returns (spec, result, claims, html); the result is JSON round-tripped, exactly what the
    cache stores, so a block that renders from anything else fails here too.
    """
    block = REGISTRY[kind]
    spec = spec_of(kind, source)
    if block.needs_model:
        require_words(kv, block.words(spec))
    result = json.loads(json.dumps(block.compute(kv if block.needs_model else None, spec)))
    claims = block.claims(spec, result)
    html = block.render(spec, result, RenderContext(model_id=MODEL, anchor="b", claims=claims))
    return spec, result, claims, html
