"""Two cold builds of the real site are byte-identical, and a warm build equals them.

The sources are copied first (docs, overrides, notebooks, mkdocs.yml), so that an edit made
while the test runs cannot pass for non-determinism. Each cold build gets its own empty cache
(LEXICON_CACHE_DIR). Only the sitemap's <lastmod> dates may differ. Slow: two cold builds.

At 150 terms three builds of the whole site cost too much of the suite's budget, so the copy is a
representative subset: every term page stays (front matter, headings, so every link, anchor,
listing, the search index and glossary.json are the real site's), but only a few pages keep their
text and blocks: the fewest that use every block kind a term page uses, and the pages of the
beginners' path. The block reference's live examples (every kind) and the notebooks are built whole.
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
from lexicon.engine.registry import registry
from lexicon.locate import iter_fences

SOURCES = ("mkdocs.yml", "docs", "overrides", "notebooks")
LINKED = ("node_modules",)
SITE_URL = "http://127.0.0.1:8000/"


def representative(terms: dict[str, str]) -> set[str]:
    """The fewest term pages (greedily) whose blocks use every kind that any term page uses, and
    the beginners' path (its pages are the home page's)."""
    kinds = set(registry())
    used = {slug: {f.kind for f in iter_fences(text)} & kinds for slug, text in terms.items()}
    chosen = set(re.findall(r"^\s*-\s*([a-z0-9-]+)", (ROOT / "docs/_data/start-here.yml").read_text(), re.M))
    missing = set().union(*used.values()) - set().union(set(), *(used[s] for s in chosen if s in used))
    while missing:
        best = max(sorted(used), key=lambda s: len(used[s] & missing))
        chosen.add(best)
        missing -= used[best]
    return chosen


def outline(text: str) -> str:
    """A term page reduced to its front matter and headings: the same page, links and anchors,
    without its text and blocks (fenced lines are skipped, so a '#' comment in a block is not a heading)."""
    front, body = re.match(r"(---\n.*?\n---\n)(.*)", text, re.S).groups()
    fenced = {n for f in iter_fences(body) for n in range(f.start, f.end + 1)}
    heads = [line for n, line in enumerate(body.split("\n"), 1) if n not in fenced and re.match(r"#{2,6} ", line)]
    return front + "\n" + "\n\n".join(h + "\n\nLeft out of this build." for h in heads) + "\n"


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
    terms = {p.stem: p.read_text() for p in (dest / "docs" / "terms").glob("*.md") if p.stem != "index"}
    keep = representative(terms)
    for slug, text in terms.items():
        if slug not in keep and not re.search(r"^#{2,6} .*\{\{", text, re.M):   # a heading quoting a value keeps its page
            (dest / "docs" / "terms" / f"{slug}.md").write_text(outline(text))
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


def test_the_subset_uses_every_kind_and_keeps_every_page_and_heading(tmp_path):
    src = snapshot(tmp_path / "src")
    pages = {p.stem: p.read_text() for p in (src / "docs" / "terms").glob("*.md")}
    originals = {p.stem: p.read_text() for p in (ROOT / "docs" / "terms").glob("*.md")}
    assert pages.keys() == originals.keys()
    whole = {s for s, t in pages.items() if t == originals[s]}
    kinds = set(registry())
    used = {f.kind for t in originals.values() for f in iter_fences(t)} & kinds
    assert used and used <= {f.kind for s in whole for f in iter_fences(pages[s])}
    assert len(whole) < len(pages)
    for slug in pages.keys() - whole:
        heads = [ln for ln in pages[slug].split("\n") if ln.startswith("## ")]
        assert heads[:5] == ["## Definition", "## Key Concepts", "## Examples", "## Interactive Exercise",
                             "## Pro Tips"], slug
        assert not list(iter_fences(pages[slug])), slug
