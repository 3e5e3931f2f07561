"""Build times: the cold, warm and plain builds, each checked against the plugin's last-build.json.

  cold   an empty LEXICON_CACHE_DIR: every computed block is computed, the model loaded; then
         again in one process (LEXICON_HELPER=0), which must give the same site byte for byte
  warm   the same cache again (--runs times, median): no block computed, model not loaded
  plain  docs/ copied with every computed block removed, built --runs times (median)

Every build is a real ``python -m mkdocs build --strict`` in a subprocess (the venv's
interpreter), timed by wall clock, with its own temporary cache and site folders, so the
project's .cache/ and site/ are never touched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .common import CONFIG, PAGE, ROOT, BenchError, check, docs_dir


def build(config: Path, site_dir: Path, cache_dir: Path, site_url: str | None = None, **env_extra: str) -> float:
    """One strict build in a subprocess; returns its wall-clock seconds, raises if it fails.

    site_url, if given, is the build's SITE_URL (where the site will be served).
    """
    env = dict(os.environ)
    env.update(NO_MKDOCS_2_WARNING="1", LEXICON_CACHE_DIR=str(cache_dir), **env_extra)
    if site_url:
        env["SITE_URL"] = site_url
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
           "--site-dir", str(site_dir)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise BenchError(f"build failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                         f"{proc.stdout}{proc.stderr}".rstrip())
    return seconds


def last_build(cache_dir: Path) -> dict:
    path = cache_dir / "last-build.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BenchError(f"the plugin wrote no readable {path}: {exc}") from None


# --- the plain docs: every computed block removed --------------------------------------------

def strip_blocks(text: str, kinds) -> tuple[str, int]:
    """Remove every fenced block whose kind is computed, at any indent (lexicon.locate finds them).

    A computed block shown as an example inside a longer fence is not a block, as for
    superfences. A removed block becomes one empty line (keeping a '>' quote prefix) so the
    paragraphs around it stay separate.
    """
    from lexicon.locate import iter_fences

    lines = text.split("\n")
    removed = 0
    for f in reversed([f for f in iter_fences(text) if f.kind in kinds]):
        lines[f.start - 1:f.end] = [f.prefix.rstrip(" \t")]
        removed += 1
    return "\n".join(lines), removed


REFERENCE_MARKER = re.compile(r"^<!-- lexicon:block-reference:([a-z-]+) -->[ \t]*$", re.M)


def without_block_values(text: str) -> str:
    """Computed values in prose quote blocks that the plain docs no longer have, or the model's
    facts (which would load the model into an empty cache): each becomes "0". Arithmetic stays."""
    from lexicon.engine.values import REF, outside_code
    from lexicon.locate import fenced_lines

    def plain(part: str) -> str:
        return REF.sub(lambda m: m.group(0) if m.group(1).strip().startswith("=") else "0", part)

    lines, fenced = text.split("\n"), fenced_lines(text)
    for i, line in enumerate(lines, start=1):
        if "{{" in line and i not in fenced:
            lines[i - 1] = outside_code(line, plain)
    return "\n".join(lines)


def make_plain_docs(src: Path, dest: Path) -> int:
    """Copy docs/ to dest with the computed blocks removed; returns how many were removed.

    A computed block is a fence whose language is a kind of the engine's registry (whether
    or not it needs the model), as the plugin finds them. The plain build's last-build.json
    then proves that none is left (0 blocks rendered).
    """
    from lexicon.engine.reference import reference_markdown
    from lexicon.engine.registry import registry

    kinds = registry()
    shutil.copytree(src, dest)
    removed = 0
    for md in sorted(dest.rglob("*.md")):
        plain, n = strip_blocks(md.read_text(encoding="utf-8"), kinds)
        # The block reference (docs/blocks/<family>.md) is written from a marker, with one live
        # example per kind: the plain docs get the same reference with those examples removed.
        for m in list(REFERENCE_MARKER.finditer(plain)):
            reference, k = strip_blocks(reference_markdown(m.group(1)), kinds)
            plain = plain.replace(m.group(0), reference)
            n += k
        if n:
            plain = without_block_values(plain)
        if n:
            md.write_text(plain, encoding="utf-8")
            removed += n
    return removed


def write_plain_config(docs_dir: Path) -> Path:
    """A copy of mkdocs.yml beside it (paths resolve from its folder) with docs_dir replaced.

    Edited as text, since the config uses !ENV tags that a plain YAML loader rejects.
    """
    text = CONFIG.read_text(encoding="utf-8")
    line = f"docs_dir: {json.dumps(str(docs_dir))}"
    text, n = re.subn(r"(?m)^docs_dir[ \t]*:.*$", lambda _: line, text)
    if n == 0:
        text = text.rstrip("\n") + "\n\n# bench/run.py: the docs without computed blocks\n" + line + "\n"
    path = ROOT / f".bench-plain-{os.getpid()}.yml"
    path.write_text(text, encoding="utf-8")
    return path


# --- the builds ----------------------------------------------------------------------------------

def warm_site(tmp: Path, runs: int) -> Path:
    """Where the last warm build is left: the site the later measurements weigh, time and serve."""
    return tmp / f"site-warm-{runs - 1}"


def builds(runs: int, tmp: Path, log, site_url: str | None = None) -> dict:
    """The cold build, `runs` warm builds, `runs` plain builds, in that order, each checked.

    Returns results.json's cold, warm, plain and warm_over_plain. The last warm build is left
    in warm_site(tmp, runs); the cold site is deleted once compared with it.
    """
    cache = tmp / "cache"
    cold_site = tmp / "site-cold"
    cold_s, cold, free = cold_build(cold_site, cache, log, site_url)
    one = one_process_build(cold_site, tmp, cold, log, site_url)
    warm_s, warm = warm_builds(runs, tmp, cache, cold, log, site_url)
    same_html = (cold_site / PAGE).read_bytes() == (warm_site(tmp, runs) / PAGE).read_bytes()
    shutil.rmtree(cold_site)
    plain_s, plain, removed = plain_builds(runs, tmp, cache, cold, log, site_url)

    warm_med, plain_med = statistics.median(warm_s), statistics.median(plain_s)
    return {
        "cold": {"seconds": round(cold_s, 2), "last_build": cold, "blocks_without_model": free,
                 "one_process": one},
        "warm": {"runs": [round(s, 2) for s in warm_s], "median_seconds": round(warm_med, 2),
                 "last_build": warm, "page_html_identical_to_cold": same_html},
        "plain": {"runs": [round(s, 2) for s in plain_s], "median_seconds": round(plain_med, 2),
                  "blocks_removed": removed, "last_build": plain},
        "warm_over_plain": round(warm_med / plain_med, 2),
    }


def cold_build(site: Path, cache: Path, log, site_url: str | None) -> tuple[float, dict, int]:
    """One build with an empty cache: (seconds, last-build.json, blocks that need no model)."""
    log("cold build (empty cache) ...")
    cold_s = build(CONFIG, site, cache, site_url)
    cold = last_build(cache)
    check(cold.get("model_loaded") is True,
          f"cold build: expected the model to be loaded, last-build.json says {cold}")
    # Blocks of kinds that need no model (the explorer, a formula) are cached too, by their code.
    free = cold.get("blocks_without_model", 0)
    # A block written twice with the same options (on two pages) is computed once: the second
    # is a hit even in a cold build. Every block is a miss or such a hit.
    check(cold.get("blocks", 0) > 0 and cold.get("cache_misses", 0) > 0
          and cold.get("cache_misses") + cold.get("cache_hits") == cold.get("blocks"),
          f"cold build: expected every block to be computed (or a repeat of one), last-build.json says {cold}")
    return cold_s, cold, free


def one_process_build(cold_site: Path, tmp: Path, cold: dict, log, site_url: str | None) -> dict:
    """The cold build again without the helper process: its seconds, and a check that every
    file of the site is the same byte for byte (the helper may change the time, never a page)."""
    log("cold build in one process (LEXICON_HELPER=0) ...")
    site, cache = tmp / "site-cold-one", tmp / "cache-one"
    seconds = build(CONFIG, site, cache, site_url, LEXICON_HELPER="0")
    one = last_build(cache)
    check(one.get("computed_alongside") == [] and one.get("cache_misses") == cold.get("cache_misses"),
          f"one-process cold build: expected {cold.get('cache_misses')} blocks computed here, none "
          f"alongside; last-build.json says {one}")
    differ = sorted(str(p.relative_to(site)) for p in site.rglob("*")
                    if p.is_file() and p.name != "sitemap.xml.gz"
                    and (cold_site / p.relative_to(site)).read_bytes() != p.read_bytes())
    check(not differ, f"the one-process cold build differs from the cold build in: {', '.join(differ[:10])}")
    shutil.rmtree(site)
    shutil.rmtree(cache)
    return {"seconds": round(seconds, 2), "same_site": True, "helper_took": cold.get("computed_alongside", []),
            "seconds_by_kind": one.get("seconds_by_kind", {})}


def warm_builds(runs: int, tmp: Path, cache: Path, cold: dict, log,
                site_url: str | None) -> tuple[list[float], dict]:
    """`runs` builds on the cold build's cache: (seconds of each, the last last-build.json).

    Each goes to its own site folder, the previous one deleted; the last stays.
    """
    warm_s, warm = [], {}
    for n in range(runs):
        log(f"warm build {n + 1}/{runs} ...")
        site = tmp / f"site-warm-{n}"
        if n:
            shutil.rmtree(tmp / f"site-warm-{n - 1}")
        warm_s.append(build(CONFIG, site, cache, site_url))
        warm = last_build(cache)
        hint = "; did scripts/lexicon/, docs/ or the model change during the run?"
        check(warm.get("model_loaded") is False,
              f"warm build {n + 1}: the model was loaded, last-build.json says {warm}{hint}")
        check(warm.get("cache_misses") == 0 and warm.get("blocks") == cold["blocks"]
              and warm.get("cache_hits") == cold["blocks"],
              f"warm build {n + 1}: expected all {cold['blocks']} blocks from the cache, "
              f"last-build.json says {warm}{hint}")
    return warm_s, warm


def plain_builds(runs: int, tmp: Path, cache: Path, cold: dict, log,
                 site_url: str | None) -> tuple[list[float], dict, int]:
    """`runs` builds of docs/ without computed blocks: (seconds of each, last-build.json, blocks removed)."""
    log("plain build (computed blocks removed) ...")
    removed = make_plain_docs(docs_dir(), tmp / "docs-plain")
    check(removed == cold["blocks"], f"removed {removed} computed blocks from docs/, but the cold "
                                     f"build rendered {cold['blocks']}: the plain docs are not comparable")
    plain_cache = tmp / "cache-plain"
    # The explorer's vectors (built from the model, cached like a result) come with every build,
    # blocks or not: the plain builds get them from the warm cache, as the warm builds do.
    if (cache / "explorer").is_dir():
        shutil.copytree(cache / "explorer", plain_cache / "explorer")
    plain_s, plain = [], {}
    config = write_plain_config(tmp / "docs-plain")
    try:
        for n in range(runs):
            log(f"plain build {n + 1}/{runs} ...")
            site = tmp / "site-plain"
            shutil.rmtree(site, ignore_errors=True)
            plain_s.append(build(config, site, plain_cache, site_url))
            plain = last_build(plain_cache)
            check(plain.get("blocks") == 0 and plain.get("model_loaded") is False,
                  f"plain build: expected no computed block, last-build.json says {plain}")
    finally:
        config.unlink(missing_ok=True)
    return plain_s, plain, removed
