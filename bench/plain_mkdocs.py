"""`mkdocs` for the plain builds: the block reference's generated family pages without their examples.

The family pages (``blocks/<family>.md``) are written by the plugin, not read from docs/, so
removing the computed blocks from a copy of docs/ cannot reach their live examples. This runs
mkdocs' own command line with ``reference_markdown`` returning each family's reference with those
examples removed, the way ``builds.strip_blocks`` removes them from every page. Nothing else changes.

    python bench/plain_mkdocs.py build --strict --config-file ... --site-dir ...
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    from lexicon.engine import reference
    from lexicon.engine.registry import registry
    from mkdocs.__main__ import cli

    from bench.builds import strip_blocks

    full = reference.reference_markdown

    def plain(family: str, level: int = 2) -> str:
        return strip_blocks(full(family, level), registry())[0]

    reference.reference_markdown = plain
    cli(prog_name="mkdocs")


if __name__ == "__main__":
    main()
