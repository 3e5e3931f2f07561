"""The block engine: how a fenced block becomes a computed, checked, rendered part of a page.

A kind module imports what it needs from here::

    from ...engine import Kind, ExerciseKind, value, Value, opt
    from ...engine.pieces import Figure, Table, Code, Caption, Text, Html, Details

See ``kind.py`` for what a kind defines, ``options.py`` for option declarations,
``pieces.py`` and ``frame.py`` for rendering, ``deps.py`` for how results are cached.
"""

from . import options as opt  # noqa: F401
from .kind import ExerciseKind, Kind, Value, value  # noqa: F401
