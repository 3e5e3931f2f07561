"""Rendered blocks, cached: a warm build reuses a block's HTML instead of drawing it again.

Rendering a block (its figures through plotly, its tables and the frame) costs more than reading
its result back, so a warm build that rendered every block again took far longer than a build
without blocks. The HTML is cached under a key that hashes everything rendering reads:

- the kind, every option of the spec (display options included), the result, the claims with
  their locations, and the render context (anchor, model, explorer size);
- the render version: the source of every module of the lexicon package and the versions of
  the packages that write HTML (plotly, Markdown, pymdown-extensions, Material).

Editing any lexicon module therefore re-renders every block once; nothing is ever reused across
a code change. Entries carry a checksum like result entries and are re-rendered if damaged, and
a cache that cannot be written never fails the build. The byte-identical build test compares a
cold build (every block rendered) with a warm one (every block read back).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from functools import lru_cache
from pathlib import Path

HTML_PACKAGES = ("plotly", "markdown", "pymdown-extensions", "mkdocs-material", "bleach")


@lru_cache(maxsize=1)
def render_version() -> str:
    """A hash of the lexicon package's source and of the HTML-writing packages' versions."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    for dist in HTML_PACKAGES:
        try:
            h.update(f"{dist}=={importlib.metadata.version(dist)}".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{dist} missing".encode())
    return h.hexdigest()


def render_key(kind: str, spec, result, claims: list, ctx) -> str:
    """Everything the block's HTML is made from, hashed. A value without a stable text form
    (an object's default repr names its address) only makes the key miss, never collide."""
    payload = json.dumps([render_version(), kind, vars(spec), result, [repr(c) for c in claims], repr(ctx)],
                         sort_keys=True, default=_plain, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _plain(value):
    # Sets print in hash order, which changes from run to run: sort them.
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    return repr(value)
