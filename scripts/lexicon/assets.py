"""Front-end files the site ships from npm (pinned in package-lock.json), never from a CDN."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

PLOTLY = ("plotly.js-cartesian-dist-min", "plotly-cartesian.min.js", "assets/vendor/plotly.min.js")
# Material's offline plugin adds the iframe-worker shim (search from file://) from a CDN unless a
# polyfill named like it is configured: ship the pinned npm copy instead.
IFRAME_WORKER = ("iframe-worker", "shim/index.js", "assets/vendor/iframe-worker-shim.js")


def vendored(offline: bool) -> list[tuple[str, str, str]]:
    return [PLOTLY] + ([IFRAME_WORKER] if offline else [])


def add_vendored(files, config, root: Path, offline: bool) -> None:
    for package, name, dest in vendored(offline):
        src = root / "node_modules" / package / name
        if not src.exists():
            shown = src.relative_to(root).as_posix() if src.is_relative_to(root) else str(src)
            raise PluginError(f"{shown} is missing: the site ships its own copy of {package}.\n"
                              "  Fix: run `npm ci` (or `make setup`) in the project folder")
        files.append(File.generated(config, dest, abs_src_path=str(src)))
