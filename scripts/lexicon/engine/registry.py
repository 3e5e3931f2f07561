"""Finding the block kinds: every family folder under ``lexicon/blocks``, every kind file in it.

A family is a package ``lexicon/blocks/<family>/`` whose docstring names and describes it
(and whose ``ORDER`` places it in the authoring guide).
Each module in it whose name does not start with ``_`` is one kind, named after the file
(``onehot_vs_dense.py`` is the kind ``onehot-vs-dense``), and defines exactly one public
:class:`~lexicon.engine.kind.Kind` subclass. Modules starting with ``_`` hold what the
family's kinds share. Adding a kind is adding a file: nothing is registered by hand.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from functools import lru_cache

from ..errors import LexiconError
from .kind import Kind

PACKAGE = "lexicon.blocks"


@dataclass(frozen=True)
class Family:
    name: str
    title: str
    about: str
    kinds: tuple[str, ...]
    order: int = 100          # ``ORDER`` in the family's __init__.py: its place in the guide


@lru_cache(maxsize=1)
def registry() -> dict[str, Kind]:
    """Every kind by name (sorted), one instance each."""
    kinds, _ = _discover()
    return kinds


@lru_cache(maxsize=1)
def families() -> list[Family]:
    _, fams = _discover()
    return fams


def _discover():
    root = importlib.import_module(PACKAGE)
    kinds: dict[str, Kind] = {}
    fams: list[Family] = []
    for fam in sorted(pkgutil.iter_modules(root.__path__), key=lambda m: m.name):
        if not fam.ispkg or fam.name.startswith("_"):
            continue
        package = importlib.import_module(f"{PACKAGE}.{fam.name}")
        names = []
        for mod in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            if mod.name.startswith("_") or mod.ispkg:
                continue
            module = importlib.import_module(f"{package.__name__}.{mod.name}")
            cls = _the_kind(module)
            kind = mod.name.replace("_", "-")
            if kind in kinds:
                raise LexiconError(f"two block kinds are named '{kind}' ({kinds[kind].family} and {fam.name})",
                                   fix="rename one of the files")
            cls.kind, cls.family = kind, fam.name
            kinds[kind] = cls()
            names.append(kind)
        doc = inspect.getdoc(package) or fam.name
        title, _, about = doc.partition("\n")
        fams.append(Family(fam.name, title.strip().rstrip("."), " ".join(about.split()), tuple(names),
                           getattr(package, "ORDER", 100)))
    return dict(sorted(kinds.items())), sorted(fams, key=lambda f: (f.order, f.name))


def _the_kind(module) -> type:
    found = [c for c in vars(module).values()
             if isinstance(c, type) and issubclass(c, Kind) and c.__module__ == module.__name__
             and not c.__name__.startswith("_") and not inspect.isabstract(c)]
    if len(found) != 1:
        raise LexiconError(
            f"{module.__file__}: a kind module defines exactly one public Kind subclass; found "
            f"{len(found)} ({', '.join(c.__name__ for c in found) or 'none'})",
            fix="move shared classes to a '_'-prefixed module of the family, or prefix their names with '_'")
    return found[0]


def clear() -> None:
    registry.cache_clear()
    families.cache_clear()
