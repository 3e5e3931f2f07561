"""Two cold builds of the real site are byte-identical, and a warm build equals them.

The sources are copied first (docs, overrides, notebooks, mkdocs.yml), so that an edit made
while the test runs cannot pass for non-determinism. Each cold build gets its own empty cache
(LEXICON_CACHE_DIR). Only the sitemap's <lastmod> dates may differ. Slow: two cold builds.
"""

from __future__ import annotations

import difflib
import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, mkdocs_build

SOURCES = ("mkdocs.yml", "docs", "overrides", "notebooks")
LINKED = ("node_modules",)
SITE_URL = "http://127.0.0.1:8000/"


def snapshot(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    for name in LINKED:
        (dest / name).symlink_to(ROOT / name)
    return dest


def cold_build(src: Path, site: Path, cache: Path) -> dict:
    mkdocs_build(src / "mkdocs.yml", site, {"LEXICON_CACHE_DIR": str(cache), "SITE_URL": SITE_URL})
    return json.loads((cache / "last-build.json").read_text())


def normalised(path: Path) -> bytes:
    """The file's bytes, with the sitemap's build dates taken out."""
    data = path.read_bytes()
    if path.name == "sitemap.xml.gz":
        data = gzip.decompress(data)
    if path.name.startswith("sitemap.xml"):
        data = re.sub(rb"<lastmod>[^<]*</lastmod>", b"", data)
    return data


def differences(a: Path, b: Path) -> list[str]:
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    out = [f"only in the first build: {f}" for f in sorted(files_a - files_b)]
    out += [f"only in the second build: {f}" for f in sorted(files_b - files_a)]
    for rel in sorted(files_a & files_b):
        x, y = normalised(a / rel), normalised(b / rel)
        if x != y:
            out.append(f"{rel} differs:\n{first_difference(x, y)}")
    return out


def first_difference(x: bytes, y: bytes, context: int = 120) -> str:
    i = next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
    start = max(0, i - context)
    left = x[start:i + context].decode("utf-8", "replace")
    right = y[start:i + context].decode("utf-8", "replace")
    diff = difflib.unified_diff([left], [right], lineterm="", n=0)
    return f"  at byte {i:,} of {len(x):,} / {len(y):,}\n  " + "\n  ".join(list(diff)[2:])


@pytest.mark.site
@pytest.mark.slow
def test_two_cold_builds_are_byte_identical_and_a_warm_build_equals_them(tmp_path):
    src = snapshot(tmp_path / "src")
    first = cold_build(src, tmp_path / "a", tmp_path / "cache-a")
    second = cold_build(src, tmp_path / "b", tmp_path / "cache-b")
    assert first["model_loaded"] and second["model_loaded"] and first["cache_misses"] > 0
    found = differences(tmp_path / "a", tmp_path / "b")
    assert not found, "two cold builds differ:\n" + "\n".join(found[:20])
    # A warm build (every result from the cache, the model not loaded) publishes the same bytes.
    warm = cold_build(src, tmp_path / "w", tmp_path / "cache-a")
    assert warm["cache_misses"] == 0 and not warm["model_loaded"], warm
    found = differences(tmp_path / "a", tmp_path / "w")
    assert not found, "a warm build differs from a cold one:\n" + "\n".join(found[:20])


def test_the_comparison_ignores_only_sitemap_dates(tmp_path):
    """The comparison above can fail: any other byte, or a missing file, is a difference."""
    for name, day, extra in (("a", "2024-01-01", "1.2345"), ("b", "2031-12-31", "1.2346")):
        site = tmp_path / name
        (site / "x").mkdir(parents=True)
        sitemap = f"<url><loc>http://x/</loc><lastmod>{day}</lastmod></url>".encode()
        (site / "sitemap.xml").write_bytes(sitemap)
        (site / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap, mtime=int(day[:4])))
        (site / "x" / "index.html").write_text(f"<p>{extra}</p>")
    (tmp_path / "b" / "only-b.js").write_text("")
    found = differences(tmp_path / "a", tmp_path / "b")
    assert found[0] == "only in the second build: only-b.js"
    assert len(found) == 2 and found[1].startswith("x/index.html differs:") and "1.2345" in found[1]
