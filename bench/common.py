"""What the bench's modules share: the project's paths, the measured page, Chromium, checks.

Also what results.json records about the run: the versions, and hashes of the plugin's
source and of the docs (to tell which code and pages were measured, and whether they
changed during the run).
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.yml"
PAGE = "terms/embedding/index.html"          # the Embedding page, relative to the site folder
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The same flags as tests/conftest.py CHROMIUM_ARGS.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class BenchError(Exception):
    """A build failed or a check did not hold: the benchmark's numbers cannot be trusted."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise BenchError(message)


def docs_dir() -> Path:
    """The docs folder mkdocs.yml names (the default, docs/, if it names none)."""
    m = re.search(r"(?m)^docs_dir[ \t]*:[ \t]*['\"]?([^'\"#\n]+?)['\"]?[ \t]*(?:#.*)?$",
                  CONFIG.read_text(encoding="utf-8"))
    return ROOT / (m.group(1) if m else "docs")


def versions() -> dict:
    def v(dist):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None
    return {"python": platform.python_version(), "mkdocs": v("mkdocs"),
            "mkdocs_material": v("mkdocs-material"), "lexicon_source": source_hash(),
            "platform": platform.platform(), "cpus": os.cpu_count()}


def source_hash() -> str:
    """Hash of the plugin's source (scripts/lexicon/**/*.py), to tell which code was measured."""
    h = hashlib.sha256()
    root = ROOT / "scripts" / "lexicon"
    for f in sorted(root.rglob("*.py")):
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def docs_hash() -> str:
    h = hashlib.sha256()
    root = docs_dir()
    for f in sorted(root.rglob("*")):
        if f.is_file():
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]
