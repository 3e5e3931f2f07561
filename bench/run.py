"""Benchmark the Latent Lexicon build: cold, warm and plain build times, and page weight.

    .venv/bin/python bench/run.py [--runs 3] [--output bench/results.json]

Every build is a real ``python -m mkdocs build --strict`` in a subprocess (the
venv's interpreter), timed by wall clock, with its own temporary cache and site
folders, so the project's .cache/ and site/ are never touched:

  cold   an empty LEXICON_CACHE_DIR: every computed block is computed, the model loaded
  warm   the same cache again (--runs times, median): no block computed, model not loaded
  plain  docs/ copied with every computed block removed, built --runs times (median)

then the first-load and total weight of the Embedding page of the warm build
(raw and gzip -9), and the in-browser explorer's speed: the warm build served on
127.0.0.1, headless Chromium (Playwright) times the data load and decode and 200
neighbour and 200 analogy queries inside the page (skip with --no-browser).
Results go to bench/results.json and a table to stdout. Standard library only,
except Playwright for the browser section; exits non-zero, loudly, if a build
fails or a check does not hold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import hashlib
import html.parser
import http.server
import json
import math
import os
import platform
import posixpath
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.yml"
PAGE = "terms/embedding/index.html"          # the Embedding page, relative to the site folder
PLOTLY = "assets/vendor/plotly.min.js"       # loaded lazily by figures.js: not first load
VECTORS = "assets/explorer/vectors.js"       # loaded lazily by explorer.js: not first load
EXPLORER_PAGE = "explorer/"                  # the page the explorer is timed on
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The same flags as tests/conftest.py CHROMIUM_ARGS.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERIES = 200       # neighbour queries, and as many analogy queries
COMMON = 5_000      # queries use words among the most frequent COMMON
SEED = 42
LOADS = 3           # fresh page loads (no HTTP cache) for the data load time


class BenchError(Exception):
    """A build failed or a check did not hold: the benchmark's numbers cannot be trusted."""


# --- building ------------------------------------------------------------------------------

def build(config: Path, site_dir: Path, cache_dir: Path) -> float:
    """One strict build in a subprocess; returns its wall-clock seconds, raises if it fails."""
    env = dict(os.environ)
    env.update(NO_MKDOCS_2_WARNING="1", LEXICON_CACHE_DIR=str(cache_dir))
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


def check(condition: bool, message: str) -> None:
    if not condition:
        raise BenchError(message)


# --- the plain docs: every computed block removed --------------------------------------------

# The opening of a fence as pymdownx.superfences reads it (after any indent or '>' prefix):
# the language is the first word (optionally with a dot) or the first class in {attrs}.
FENCE_OPEN = re.compile(r"(?P<fence>~{3,}|`{3,})[ \t]*(?:\{[ \t]*\.(?P<cls>[\w#.+-]+)|\.?(?P<lang>[\w#.+-]+))?")
PREFIX = re.compile(r"[ \t>]*")


def strip_blocks(text: str, kinds) -> tuple[str, int]:
    """Remove every fenced block whose language is a computed kind, at any indent.

    Fences of other languages are skipped whole, so a computed block shown as an
    example inside a longer ```` ```` ```` fence is left alone, as superfences does.
    A removed block becomes one empty line (keeping a '>' quote prefix) so the
    paragraphs around it stay separate.
    """
    lines = text.split("\n")
    out: list[str] = []
    removed = 0
    i = 0
    while i < len(lines):
        prefix = PREFIX.match(lines[i]).group(0)
        m = FENCE_OPEN.match(lines[i], len(prefix))
        if m is None:
            out.append(lines[i])
            i += 1
            continue
        fence = m.group("fence")
        end = re.compile(re.escape(fence) + r"[ \t]*$")
        j = i + 1
        while j < len(lines) and not end.match(lines[j][len(PREFIX.match(lines[j]).group(0)):]):
            j += 1
        if j == len(lines):          # never closed: superfences does not treat it as a fence
            out.append(lines[i])
            i += 1
            continue
        if (m.group("lang") or m.group("cls")) in kinds:
            out.append(prefix.rstrip(" \t"))
            removed += 1
        else:
            out.extend(lines[i:j + 1])
        i = j + 1
    return "\n".join(out), removed


def make_plain_docs(src: Path, dest: Path) -> int:
    """Copy docs/ to dest with the computed blocks removed; returns how many were removed.

    The plain build's last-build.json then proves that none is left (0 blocks rendered).
    """
    from lexicon.blocks import REGISTRY

    shutil.copytree(src, dest)
    removed = 0
    for md in sorted(dest.rglob("*.md")):
        plain, n = strip_blocks(md.read_text(encoding="utf-8"), REGISTRY)
        if n:
            md.write_text(plain, encoding="utf-8")
            removed += n
    return removed


def docs_dir() -> Path:
    """The docs folder mkdocs.yml names (the default, docs/, if it names none)."""
    m = re.search(r"(?m)^docs_dir[ \t]*:[ \t]*['\"]?([^'\"#\n]+?)['\"]?[ \t]*(?:#.*)?$",
                  CONFIG.read_text(encoding="utf-8"))
    return ROOT / (m.group(1) if m else "docs")


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


# --- page weight -------------------------------------------------------------------------------

class _Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.figures = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").lower().split() and a.get("href"):
            self.styles.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        if "data-figure" in a:
            self.figures += 1

    handle_startendtag = handle_starttag


def _resolve(url: str, page: str, site: Path) -> str:
    """A URL in `page` as a path relative to the site folder (raises if it leaves the site)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        raise BenchError(f"{page} loads {url} from another host: it cannot be weighed")
    path = unquote(parts.path)
    rel = posixpath.normpath(path.lstrip("/") if path.startswith("/")
                             else posixpath.join(posixpath.dirname(page), path))
    check(not rel.startswith("../"), f"{page}: {url} points outside the site")
    if (site / rel).is_dir():
        rel = posixpath.join(rel, "index.html")
    check((site / rel).is_file(), f"{page} references {url}, but {rel} is not in the built site")
    return rel


def _weigh(site: Path, rels) -> dict:
    raw = gz = 0
    for rel in rels:
        data = (site / rel).read_bytes()
        raw += len(data)
        gz += len(gzip.compress(data, compresslevel=9, mtime=0))
    return {"raw_bytes": raw, "gzip_bytes": gz}


def page_weight(site: Path, page: str = PAGE) -> dict:
    check((site / page).is_file(), f"{page} is not in the built site")
    refs = _Refs()
    refs.feed((site / page).read_text(encoding="utf-8"))
    refs.close()
    styles = list(dict.fromkeys(_resolve(u, page, site) for u in refs.styles))
    scripts = list(dict.fromkeys(_resolve(u, page, site) for u in refs.scripts))
    check((site / PLOTLY).is_file(), f"{PLOTLY} is not in the built site")
    eager_plotly = PLOTLY in scripts
    first = [page] + [r for r in styles + scripts if r != PLOTLY]
    return {
        "page": page,
        "figures": refs.figures,
        "html": _weigh(site, [page]),
        "first_load": {**_weigh(site, first), "files": first},
        "plotly": {**_weigh(site, [PLOTLY]), "file": PLOTLY, "in_first_load_html": eager_plotly},
        "total": _weigh(site, first + [PLOTLY]),
    }


# --- the explorer in the browser ---------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _percentile(xs: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of xs."""
    ys = sorted(xs)
    return ys[min(len(ys), max(1, math.ceil(len(ys) * p / 100))) - 1]


def _stats(ms: list[float]) -> dict:
    return {"queries": len(ms), "median_ms": round(statistics.median(ms), 3),
            "p95_ms": round(_percentile(ms, 95), 3), "max_ms": round(max(ms), 3), "first_ms": round(ms[0], 3)}


def explorer_queries(site: Path) -> tuple[list[str], list[list[str]], int]:
    """Random common words (letters only, among the first COMMON) from the shipped vocabulary, fixed seed."""
    text = (site / VECTORS).read_text(encoding="ascii")
    data = json.loads(text[text.index("=") + 1:].rstrip().rstrip(";"))
    common = [w for w in data["words"].split("\n")[:COMMON] if w.isascii() and w.isalpha()]
    rng = random.Random(SEED)
    return ([rng.choice(common) for _ in range(QUERIES)],
            [rng.sample(common, 3) for _ in range(QUERIES)], data["count"])


# Runs in the page: loads the data through the explorer's own api, then times each query.
_LOAD_JS = """async () => {
  const t0 = performance.now();
  const api = await LatentLexicon.explorer.load();
  return {total_ms: performance.now() - t0, script_ms: api.info.loadMs, decode_ms: api.info.decodeMs};
}"""
_QUERY_JS = """async ([words, triples]) => {
  const api = await LatentLexicon.explorer.load();
  const time = f => { const t = performance.now(); const r = f(); const ms = performance.now() - t;
                      if (r.length !== 10) throw new Error('expected 10 answers, got ' + r.length); return ms; };
  return {
    neighbours: words.map(w => time(() => api.neighbours(w, 10))),
    analogies: triples.map(([a, b, c]) => time(() => api.analogy([a, c], [b], 10))),
    check: api.analogy(['king', 'woman'], ['man'], 1)[0][0],
  };
}"""


def explorer_speed(site: Path, log) -> dict:
    """Serve the built site on 127.0.0.1, and time the explorer inside headless Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BenchError("the browser section needs Playwright (pip install -r requirements-dev.txt); "
                         "or run with --no-browser") from None
    check(Path(CHROMIUM).exists(), f"{CHROMIUM} is missing (apt-get install chromium, or set CHROMIUM=); "
                                   "or run with --no-browser")
    check((site / VECTORS).is_file(), f"{VECTORS} is not in the built site")
    words, triples, count = explorer_queries(site)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/{EXPLORER_PAGE}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                loads, errors = [], []
                for n in range(LOADS):
                    log(f"explorer: data load {n + 1}/{LOADS} ...")
                    ctx = browser.new_context()  # a fresh context: nothing in the HTTP cache
                    page = ctx.new_page()
                    page.on("pageerror", lambda e: errors.append(str(e)))
                    page.goto(url)
                    loads.append(page.evaluate(_LOAD_JS))
                    if n < LOADS - 1:
                        ctx.close()
                log(f"explorer: {QUERIES} neighbour and {QUERIES} analogy queries ...")
                timed = page.evaluate(_QUERY_JS, [words, triples])
                ctx.close()
                version = browser.version
            finally:
                browser.close()
    except BenchError:
        raise
    except Exception as exc:  # Playwright's errors: a page that failed is not a measurement
        raise BenchError(f"the explorer benchmark failed in Chromium: {exc}") from None
    finally:
        server.shutdown()
        server.server_close()
    check(not errors, f"errors in the explorer page: {errors}")
    check(timed["check"] == "queen", f"king - man + woman gave {timed['check']!r} in the browser, not 'queen'")
    pick = lambda key: round(statistics.median(x[key] for x in loads), 1)  # noqa: E731
    return {
        "browser": f"Chromium {version} (headless, Playwright)",
        "page": EXPLORER_PAGE, "words": count, "seed": SEED, "common_words": COMMON,
        "neighbours": _stats(timed["neighbours"]),
        "analogies": _stats(timed["analogies"]),
        "data_load": {"runs": LOADS, "median_ms": pick("total_ms"), "script_ms": pick("script_ms"),
                      "decode_ms": pick("decode_ms"), "runs_ms": [round(x["total_ms"], 1) for x in loads]},
        "vectors_js": {**_weigh(site, [VECTORS]), "file": VECTORS},
    }


# --- the benchmark -----------------------------------------------------------------------------

def run(runs: int, tmp: Path, log, browser: bool = True) -> dict:
    cache = tmp / "cache"

    log("cold build (empty cache) ...")
    cold_site = tmp / "site-cold"
    cold_s = build(CONFIG, cold_site, cache)
    cold = last_build(cache)
    check(cold.get("model_loaded") is True,
          f"cold build: expected the model to be loaded, last-build.json says {cold}")
    # Blocks of kinds that need no model (the explorer) are rendered but never cached.
    free = cold.get("blocks_without_model", 0)
    check(cold.get("blocks", 0) > 0 and cold.get("cache_misses") == cold.get("blocks") - free,
          f"cold build: expected every block but the {free} that need no model to be computed, "
          f"last-build.json says {cold}")

    warm_s, warm = [], {}
    for n in range(runs):
        log(f"warm build {n + 1}/{runs} ...")
        site = tmp / f"site-warm-{n}"
        if n:
            shutil.rmtree(tmp / f"site-warm-{n - 1}")
        warm_s.append(build(CONFIG, site, cache))
        warm = last_build(cache)
        hint = "; did scripts/lexicon/, docs/ or the model change during the run?"
        check(warm.get("model_loaded") is False,
              f"warm build {n + 1}: the model was loaded, last-build.json says {warm}{hint}")
        check(warm.get("cache_misses") == 0 and warm.get("blocks") == cold["blocks"]
              and warm.get("cache_hits") == cold["blocks"] - free,
              f"warm build {n + 1}: expected all {cold['blocks'] - free} blocks that need the model from "
              f"the cache, last-build.json says {warm}{hint}")
    warm_site = tmp / f"site-warm-{runs - 1}"
    same_html = (cold_site / PAGE).read_bytes() == (warm_site / PAGE).read_bytes()
    shutil.rmtree(cold_site)

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
            plain_s.append(build(config, site, plain_cache))
            plain = last_build(plain_cache)
            check(plain.get("blocks") == 0 and plain.get("model_loaded") is False,
                  f"plain build: expected no computed block, last-build.json says {plain}")
    finally:
        config.unlink(missing_ok=True)

    weight = page_weight(warm_site)
    check(not weight["plotly"]["in_first_load_html"],
          f"{PAGE} loads {PLOTLY} with a <script src>: it is no longer lazy")
    check(VECTORS not in weight["first_load"]["files"],
          f"{PAGE} loads {VECTORS} with a <script src>: it is no longer lazy")
    explorer = explorer_speed(warm_site, log) if browser else None

    warm_med, plain_med = statistics.median(warm_s), statistics.median(plain_s)
    return {
        "cold": {"seconds": round(cold_s, 2), "last_build": cold, "blocks_without_model": free},
        "warm": {"runs": [round(s, 2) for s in warm_s], "median_seconds": round(warm_med, 2),
                 "last_build": warm, "page_html_identical_to_cold": same_html},
        "plain": {"runs": [round(s, 2) for s in plain_s], "median_seconds": round(plain_med, 2),
                  "blocks_removed": removed, "last_build": plain},
        "warm_over_plain": round(warm_med / plain_med, 2),
        "page_weight": weight,
        "explorer": explorer,
    }


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


def kb(n: int) -> str:
    return f"{n:,} B ({n / 1024:,.1f} KiB)"


def table(r: dict) -> str:
    c, w, p, pw = r["cold"], r["warm"], r["plain"], r["page_weight"]
    runs = lambda xs: ", ".join(f"{x:.2f}" for x in xs)  # noqa: E731
    rows = [
        ("Build (mkdocs build --strict)", "seconds", "notes"),
        ("cold (empty cache)", f"{c['seconds']:.2f}",
         f"{c['last_build']['cache_misses']} blocks computed"
         + (f" (+{c['blocks_without_model']} need no model)" if c.get("blocks_without_model") else "")
         + ", model loaded"),
        (f"warm (median of {len(w['runs'])})", f"{w['median_seconds']:.2f}",
         f"runs {runs(w['runs'])}; {w['last_build']['cache_hits']}/{w['last_build']['blocks']} cached, "
         "model not loaded"),
        (f"plain (median of {len(p['runs'])})", f"{p['median_seconds']:.2f}",
         f"runs {runs(p['runs'])}; {p['blocks_removed']} blocks removed"),
        ("warm / plain", f"{r['warm_over_plain']:.2f}x", ""),
    ]
    out = _grid(rows)
    out.append("")
    wrows = [
        (f"{pw['page']} ({pw['figures']} figures)", "raw", "gzip -9"),
        ("HTML alone", kb(pw["html"]["raw_bytes"]), kb(pw["html"]["gzip_bytes"])),
        (f"first load ({len(pw['first_load']['files'])} files, no plotly)",
         kb(pw["first_load"]["raw_bytes"]), kb(pw["first_load"]["gzip_bytes"])),
        ("plotly.min.js (lazy)", kb(pw["plotly"]["raw_bytes"]), kb(pw["plotly"]["gzip_bytes"])),
        ("total (first load + plotly)", kb(pw["total"]["raw_bytes"]), kb(pw["total"]["gzip_bytes"])),
    ]
    out += _grid(wrows, right=(1, 2))
    ex = r.get("explorer")
    if ex:
        n, a, ld, v = ex["neighbours"], ex["analogies"], ex["data_load"], ex["vectors_js"]
        erows = [
            (f"Explorer in {ex['browser'].split(' (')[0]} ({ex['words']:,} words)", "median", "p95", "notes"),
            (f"neighbours, top 10 ({n['queries']} queries)", f"{n['median_ms']:.2f} ms", f"{n['p95_ms']:.2f} ms",
             f"first {n['first_ms']:.1f} ms, max {n['max_ms']:.1f} ms"),
            (f"analogies a - b + c, top 10 ({a['queries']} queries)", f"{a['median_ms']:.2f} ms",
             f"{a['p95_ms']:.2f} ms", f"first {a['first_ms']:.1f} ms, max {a['max_ms']:.1f} ms"),
            (f"data load + decode ({ld['runs']} fresh loads)", f"{ld['median_ms']:.0f} ms", "",
             f"script {ld['script_ms']:.0f} ms + decode {ld['decode_ms']:.0f} ms (medians)"),
        ]
        out.append("")
        out += _grid(erows, right=(1, 2))
        out.append("")
        out += _grid([("Explorer data (lazy)", "raw", "gzip -9"),
                      (v["file"], kb(v["raw_bytes"]), kb(v["gzip_bytes"]))], right=(1, 2))
    return "\n".join(out)


def _grid(rows, right=(1,)) -> list[str]:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for k, row in enumerate(rows):
        cells = [str(x).rjust(widths[i]) if i in right else str(x).ljust(widths[i]) for i, x in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * wd for wd in widths))
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="warm and plain builds to take the median of")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--no-browser", action="store_true",
                        help="skip the in-browser explorer timings (Playwright + Chromium)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    # A SIGTERM (e.g. from `timeout`) should still clean up the temporary folders.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    log = lambda msg: print(f"bench: {msg}", file=sys.stderr, flush=True)  # noqa: E731
    started = dt.datetime.now(dt.timezone.utc)
    before = (source_hash(), docs_hash())
    tmp = Path(tempfile.mkdtemp(prefix="lexicon-bench-"))
    try:
        figures = run(args.runs, tmp, log, browser=not args.no_browser)
    except BenchError as err:
        changed = [name for name, a, b in zip(("scripts/lexicon/", "docs/"), before,
                                              (source_hash(), docs_hash())) if a != b]
        print(f"bench: FAILED: {err}", file=sys.stderr)
        if changed:
            print(f"bench: note: {' and '.join(changed)} changed during the run (cached results "
                  "depend on both): run the benchmark again", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    changed = before != (source_hash(), docs_hash())
    if changed:
        log("warning: scripts/lexicon/ or docs/ changed during the run: the builds measured "
            "different code or pages")
    results = {"timestamp": started.isoformat(timespec="seconds"), "versions": versions(),
               "command": "python -m mkdocs build --strict", "runs": args.runs,
               "sources_changed_during_run": changed, **figures}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = args.output.with_name(f".{args.output.name}.{os.getpid()}.tmp")
    tmp_out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp_out, args.output)
    print(table(results))
    try:
        shown = args.output.resolve().relative_to(ROOT)
    except ValueError:
        shown = args.output
    print(f"\nwritten to {shown}")
    if not figures["warm"]["page_html_identical_to_cold"]:
        log(f"warning: {PAGE} differs between the cold and the warm build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
