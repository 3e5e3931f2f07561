"""Front-end files the site ships from npm (pinned in package-lock.json), never from a CDN.

Each shipped file is verified before it is copied: the package's version and the file's SHA-256
must be the ones declared here, so a damaged install (an empty or cut-off plotly.js, a different
version) fails the build with the fix, instead of publishing a site whose every figure is dead.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File


@dataclass(frozen=True)
class Vendored:
    package: str
    name: str        # the file inside the package
    dest: str        # where the site ships it
    version: str     # package-lock.json's version
    sha256: str      # of that file in that version


PLOTLY = Vendored("plotly.js-cartesian-dist-min", "plotly-cartesian.min.js", "assets/vendor/plotly.min.js",
                  "4.1.1", "79542150855a52c567260e3137095dbe2b744e6d702a5cabe67da246942fba7a")
# Material's offline plugin adds the iframe-worker shim (search from file://) from a CDN unless a
# polyfill named like it is configured: ship the pinned npm copy instead.
IFRAME_WORKER = Vendored("iframe-worker", "shim/index.js", "assets/vendor/iframe-worker-shim.js",
                         "1.0.4", "e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609")


def vendored(offline: bool) -> list[Vendored]:
    return [PLOTLY] + ([IFRAME_WORKER] if offline else [])


def verify(asset: Vendored, root: Path) -> Path:
    """The installed file of ``asset``, after checking it is the declared one; else a PluginError with the fix."""
    folder = root / "node_modules" / asset.package
    src = folder / asset.name
    shown = src.relative_to(root).as_posix() if src.is_relative_to(root) else str(src)
    reinstall = "run `npm ci` (or `make setup`) in the project folder"
    if not src.is_file():
        raise PluginError(f"{shown} is missing: the site ships its own copy of {asset.package}.\n  Fix: {reinstall}")
    try:
        version = json.loads((folder / "package.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        version = None
    if version != asset.version:
        raise PluginError(f"{shown}: node_modules holds {asset.package} {version or '(unreadable)'}, the site "
                          f"ships {asset.version}.\n  Fix: {reinstall}; to move to another version, change it in "
                          "package.json, and its version and SHA-256 in scripts/lexicon/assets.py")
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    if digest != asset.sha256:
        size = src.stat().st_size
        raise PluginError(f"{shown} is damaged: {size:,} bytes with SHA-256 {digest[:12]}…, not the file of "
                          f"{asset.package} {asset.version} (SHA-256 {asset.sha256[:12]}…).\n"
                          f"  Fix: delete node_modules and {reinstall}")
    return src


def add_vendored(files, config, root: Path, offline: bool) -> None:
    for asset in vendored(offline):
        src = verify(asset, root)
        files.append(File.generated(config, asset.dest, abs_src_path=str(src)))
