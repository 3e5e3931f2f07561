"""Benchmark the Latent Lexicon build: cold, warm and plain build times, page weight, Lighthouse.

    .venv/bin/python bench/run.py [--runs 3] [--output bench/results.json]
                                  [--no-browser] [--no-lighthouse] [--lighthouse-runs 3]

Every build is a real ``python -m mkdocs build --strict`` in a subprocess (the
venv's interpreter), timed by wall clock, with its own temporary cache and site
folders, so the project's .cache/ and site/ are never touched:

  cold   an empty LEXICON_CACHE_DIR: every computed block is computed, the model loaded
  warm   the same cache again (--runs times, median): no block computed, model not loaded
  plain  docs/ copied with every computed block removed, built --runs times (median)

then the first-load and total weight of the Embedding page of the warm build
(raw and gzip -9), and the same for a naive copy of the page with plotly.js
inlined in every figure (plotly.py's to_html); the in-browser explorer's speed:
the warm build served on 127.0.0.1, headless Chromium (Playwright) times the data
load and decode and 200 neighbour and 200 analogy queries inside the page (skip
with --no-browser); and Lighthouse (the npm devDependency, mobile and desktop,
performance and accessibility) on the Embedding page of the warm build, served
gzip-compressed on 127.0.0.1 (skip with --no-lighthouse). With Lighthouse, every
build gets that server's address as SITE_URL.
Results go to bench/results.json and a table to stdout. Standard library only,
except Playwright for the browser section, plotly.py for the naive page and Node
for Lighthouse; exits non-zero, loudly, if a build fails, Lighthouse fails or a
check does not hold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import hashlib
import html
import http.server
import io
import json
import math
import os
import platform
import random
import re
import shlex
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
from urllib.parse import urlsplit

from lexicon import pageweight
from lexicon.pageweight import PLOTLY, VECTORS

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.yml"
PAGE = "terms/embedding/index.html"          # the Embedding page, relative to the site folder
# PLOTLY (assets/vendor/plotly.min.js) is loaded lazily by figures.js, VECTORS
# (assets/explorer/vectors.js) by explorer.js: neither is part of first load.
EXPLORER_PAGE = "explorer/"                  # the page the explorer is timed on
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The same flags as tests/conftest.py CHROMIUM_ARGS.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERIES = 200       # neighbour queries, and as many analogy queries
COMMON = 5_000      # queries use words among the most frequent COMMON
SEED = 42
LOADS = 3           # fresh page loads (no HTTP cache) for the data load time
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"   # pinned in package.json (devDependencies)
LIGHTHOUSE_PAGE = "terms/embedding/"         # the page Lighthouse loads, from the warm build
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility")
LIGHTHOUSE_PRESETS = ("mobile", "desktop")   # Lighthouse's default (mobile) and --preset=desktop
LIGHTHOUSE_TIMEOUT = 300                     # seconds for one Lighthouse run
# Audit id -> key in results.json: the metrics of the performance score, and the page's weight.
LIGHTHOUSE_METRICS = {"first-contentful-paint": "fcp_ms", "largest-contentful-paint": "lcp_ms",
                      "total-blocking-time": "tbt_ms", "cumulative-layout-shift": "cls",
                      "speed-index": "speed_index_ms", "total-byte-weight": "total_byte_weight"}
AIM = 0.95          # the aim: performance (mobile) and accessibility scores
# The naive page: the Embedding page with plotly.js inlined in every figure (plotly.py's to_html).
# Same depth as PAGE, so its relative URLs (CSS, scripts) resolve to the same files.
NAIVE_PAGE = "terms/embedding-naive/index.html"
# A figure as render.figure() writes it: an empty div carrying the figure's JSON.
PLOT_DIV = re.compile(r"""<div class="ll-plot"[^>]*?\sdata-figure='(?P<json>[^']*)'[^>]*></div>""")


class BenchError(Exception):
    """A build failed or a check did not hold: the benchmark's numbers cannot be trusted."""


# --- building ------------------------------------------------------------------------------

def build(config: Path, site_dir: Path, cache_dir: Path, site_url: str | None = None) -> float:
    """One strict build in a subprocess; returns its wall-clock seconds, raises if it fails.

    site_url, if given, is the build's SITE_URL (where the site will be served).
    """
    env = dict(os.environ)
    env.update(NO_MKDOCS_2_WARNING="1", LEXICON_CACHE_DIR=str(cache_dir))
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


def check(condition: bool, message: str) -> None:
    if not condition:
        raise BenchError(message)


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

def page_weight(site: Path, page: str = PAGE) -> dict:
    """lexicon.pageweight.page_weight (the code tests/test_budget.py holds to its budget), checked."""
    check((site / page).is_file(), f"{page} is not in the built site")
    check((site / PLOTLY).is_file(), f"{PLOTLY} is not in the built site")
    try:
        return pageweight.page_weight(site, page)
    except ValueError as exc:     # another host, outside the site, or a missing file
        raise BenchError(f"{exc}: the page cannot be weighed") from None


def naive_weight(site: Path) -> dict:
    """First-load weight of the Embedding page as a naive page would be: plotly.js in every figure.

    A copy of PAGE in which every figure's div is replaced by what plotly.py's
    ``to_html(fig, include_plotlyjs=True, full_html=False)`` writes for the same figure
    (the whole plotly.js bundle of plotly.py, inline, then the figure), written to
    NAIVE_PAGE in the same site and weighed by page_weight().
    """
    import plotly
    import plotly.io as pio

    text = (site / PAGE).read_text(encoding="utf-8")
    figures = page_weight(site, PAGE)["figures"]

    def inline(m: re.Match) -> str:
        fig = pio.from_json(html.unescape(m.group("json")))
        return pio.to_html(fig, include_plotlyjs=True, full_html=False)

    naive, n = PLOT_DIV.subn(inline, text)
    check(n > 0 and n == figures, f"{PAGE}: replaced {n} figure divs, but the page has {figures} "
                                  "elements with data-figure: PLOT_DIV no longer matches render.figure()")
    out = site / NAIVE_PAGE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(naive, encoding="utf-8")
    weight = page_weight(site, NAIVE_PAGE)
    check(weight["figures"] == 0, f"{NAIVE_PAGE} still has {weight['figures']} data-figure elements")
    return {"page": NAIVE_PAGE, "figures_inlined": n, "plotly_py": plotly.__version__,
            "html": weight["html"], "first_load": weight["first_load"]}


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
        "vectors_js": {**pageweight.weigh(site, [VECTORS]), "file": VECTORS},
    }


# --- Lighthouse ----------------------------------------------------------------------------------

# Served gzip-compressed when the request accepts it, as GitHub Pages does (with a charset for text).
GZIP_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
              ".js": "text/javascript; charset=utf-8", ".json": "application/json",
              ".svg": "image/svg+xml", ".xml": "application/xml"}


def _accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header accepts gzip (listed, or by '*', and not with q=0)."""
    codings = {}
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        codings[name.strip().lower()] = q
    return codings.get("gzip", codings.get("*", 0.0)) > 0


class _GzipHandler(_QuietHandler):
    """Files of the site; text types (GZIP_TYPES) gzip-compressed if the request accepts gzip.

    Every response says Cache-Control: max-age=600, as GitHub Pages does, and connections are
    kept alive (HTTP/1.1): a new connection for every request would cost Lighthouse's simulated
    mobile network a round trip each.
    """

    protocol_version = "HTTP/1.1"

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def guess_type(self, path):
        return GZIP_TYPES.get(os.path.splitext(str(path))[1].lower()) or super().guess_type(path)

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and urlsplit(self.path).path.endswith("/"):
            path = os.path.join(path, "index.html")
        if (os.path.splitext(path)[1].lower() not in GZIP_TYPES or not os.path.isfile(path)
                or not _accepts_gzip(self.headers.get("Accept-Encoding", ""))):
            return super().send_head()   # redirects, 404s, other types, and no gzip: as usual
        body = self.server.gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(os.stat(path).st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


class GzipServer(http.server.ThreadingHTTPServer):
    """A static server for `site` on 127.0.0.1 (a free port, bound at once) that gzips text files.

    Bound before the site exists, so that the builds can be given its address as SITE_URL;
    start() serves it from a thread. Each file is compressed once (gzip -9, the level the
    page weight uses) and kept in memory; prewarm() compresses them all before a measurement,
    so that no response waits for compression.
    """

    daemon_threads = True

    def __init__(self, site: Path):
        self.site = site
        self._gz: dict[tuple, bytes] = {}
        self._lock = threading.Lock()
        self._thread = None
        super().__init__(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(site)))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/"

    def gzipped(self, path) -> bytes:
        st = os.stat(path)
        key = (str(path), st.st_mtime_ns, st.st_size)
        with self._lock:
            body = self._gz.get(key)
        if body is None:
            body = gzip.compress(Path(path).read_bytes(), compresslevel=9, mtime=0)
            with self._lock:
                self._gz[key] = body
        return body

    def prewarm(self) -> None:
        for f in sorted(self.site.rglob("*")):
            if f.suffix.lower() in GZIP_TYPES and f.is_file():
                self.gzipped(f)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self.serve_forever, daemon=True)
            self._thread.start()

    def close(self) -> None:
        if self._thread is not None:
            self.shutdown()
        self.server_close()


def _audit_items(audit: dict, limit: int = 20) -> list[dict]:
    """The elements or URLs an audit points at (details.items), in short."""
    items = []
    for item in (audit.get("details") or {}).get("items") or []:
        node = item.get("node") if isinstance(item.get("node"), dict) else None
        if node:
            entry = {"selector": node.get("selector"), "snippet": node.get("snippet"),
                     "label": node.get("nodeLabel")}
            explanation = node.get("explanation")
            if explanation:
                entry["explanation"] = explanation
        elif item.get("url"):
            entry = {"url": item["url"]}
            for key in ("wastedMs", "wastedBytes", "totalBytes"):
                if item.get(key):
                    entry[key] = round(item[key])
        else:
            continue
        items.append(entry)
        if len(items) == limit:
            break
    return items


def lighthouse_summary(lhr: dict, origin: str) -> dict:
    """Scores, metrics and what costs points, from one Lighthouse report (lhr)."""
    if lhr.get("runtimeError"):
        err = lhr["runtimeError"]
        raise BenchError(f"Lighthouse could not measure {lhr.get('finalDisplayedUrl')}: "
                         f"{err.get('code')}: {err.get('message')}")
    audits, cats = lhr["audits"], lhr["categories"]
    scores = {}
    for cat in LIGHTHOUSE_CATEGORIES:
        check(cat in cats and cats[cat].get("score") is not None,
              f"Lighthouse gave no {cat} score (warnings: {lhr.get('runWarnings')})")
        scores[cat] = cats[cat]["score"]
    metrics = {}
    for audit_id, key in LIGHTHOUSE_METRICS.items():
        value = audits.get(audit_id, {}).get("numericValue")
        check(value is not None, f"Lighthouse reported no {audit_id}: "
                                 f"{audits.get(audit_id, {}).get('errorMessage')}")
        metrics[key] = round(value, 3) if key == "cls" else round(value)
    # Every request the page made must go to the local server: the measurement is offline.
    requests = (audits.get("network-requests", {}).get("details") or {}).get("items") or []
    check(requests, "Lighthouse reported no network requests")
    outside = sorted({r["url"] for r in requests
                      if not r["url"].startswith((origin, "data:", "blob:"))})
    check(not outside, f"the page requested other hosts during the Lighthouse run: {outside}")

    def points_lost(cat: str) -> list[dict]:
        """The category's weighted audits that did not pass, most points lost first."""
        # As Lighthouse scores a category: weighted audits with a score (not manual, not n/a).
        refs = [r for r in cats[cat]["auditRefs"]
                if r.get("weight") and audits[r["id"]].get("score") is not None]
        total = sum(r["weight"] for r in refs)
        lost = []
        for ref in refs:
            a = audits[ref["id"]]
            if a["score"] < 1:
                lost.append({"id": ref["id"], "title": a.get("title"), "score": a["score"],
                             "display": a.get("displayValue"),
                             "points_lost": round(ref["weight"] * (1 - a["score"]) / total * 100, 1),
                             **({"elements": len((a.get("details") or {}).get("items") or []),
                                 "items": _audit_items(a)} if cat == "accessibility" else {})})
        return sorted(lost, key=lambda x: -x["points_lost"])

    # Opportunities and insights: what Lighthouse estimates each fix would save.
    perf_ids = {r["id"] for r in cats["performance"]["auditRefs"] if not r.get("weight")}
    opportunities = []
    for audit_id in perf_ids:
        a = audits.get(audit_id, {})
        details = a.get("details") or {}
        saved_ms = details.get("overallSavingsMs") or 0
        saved_bytes = details.get("overallSavingsBytes") or 0
        savings = {k: v for k, v in (a.get("metricSavings") or {}).items() if v}
        if a.get("score") is None or a["score"] >= 0.9 or not (saved_ms or saved_bytes or savings):
            continue
        opportunities.append({"id": audit_id, "title": a.get("title"), "score": a["score"],
                              "display": a.get("displayValue"), "savings_ms": round(saved_ms),
                              "savings_bytes": round(saved_bytes), "metric_savings": savings,
                              "items": _audit_items(a, 5)})
    opportunities.sort(key=lambda x: (-x["savings_ms"], -sum(x["metric_savings"].values()),
                                      -x["savings_bytes"]))
    env = lhr.get("environment", {})
    settings = lhr.get("configSettings", {})
    return {
        "scores": scores, "metrics": metrics,
        "requests": len(requests),
        "performance_lost": points_lost("performance"),
        "accessibility_failed": points_lost("accessibility"),
        "opportunities": opportunities,
        "warnings": lhr.get("runWarnings", []),
        "form_factor": settings.get("formFactor"),
        "throttling_method": settings.get("throttlingMethod"),
        "throttling": settings.get("throttling"),
        "benchmark_index": env.get("benchmarkIndex"),
        "user_agent": env.get("hostUserAgent"),
        "lighthouse_version": lhr.get("lighthouseVersion"),
    }


def lighthouse_run(url: str, preset: str, out: Path, origin: str) -> dict:
    """One Lighthouse run (Node, the pinned package) of `url`; raises BenchError on any failure."""
    out.unlink(missing_ok=True)
    cmd = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={out}",
           f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
           "--chrome-flags=" + " ".join(["--headless=new"] + CHROMIUM_ARGS),
           "--disable-full-page-screenshot", "--no-enable-error-reporting"]
    if preset != "mobile":
        cmd.append(f"--preset={preset}")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=LIGHTHOUSE_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise BenchError(f"Lighthouse ({preset}) took more than {LIGHTHOUSE_TIMEOUT} s: "
                         f"{shlex.join(cmd)}") from None
    except OSError as exc:
        raise BenchError(f"Lighthouse could not be started ({exc}): run `make setup` (npm ci), "
                         "or run with --no-lighthouse") from None
    lhr = None
    if out.is_file():
        try:
            lhr = json.loads(out.read_text(encoding="utf-8"))
        except ValueError:
            pass
    if lhr is not None and lhr.get("runtimeError"):   # the page could not be measured: say why
        err = lhr["runtimeError"]
        raise BenchError(f"Lighthouse ({preset}) could not measure {url}: {err.get('code')}: "
                         f"{err.get('message')}\n{shlex.join(cmd)}")
    if proc.returncode != 0 or lhr is None:
        lines = [ln for ln in (proc.stderr or proc.stdout).strip().splitlines()
                 if "Waiting for browser" not in ln]
        tail = "\n".join(lines[-25:])
        raise BenchError(f"Lighthouse ({preset}) failed (exit {proc.returncode}"
                         + ("" if out.is_file() else ", no report") + f"): {shlex.join(cmd)}\n{tail}")
    return {**lighthouse_summary(lhr, origin), "preset": preset, "report": str(out)}


def lighthouse(server: GzipServer, out_dir: Path, log, runs: int = 1) -> dict:
    """Lighthouse (mobile and desktop) on the warm build's Embedding page, served gzip-compressed.

    With several runs a preset reports its median run: the one with the median performance
    score (ties: the median LCP); `runs` in the result lists every run's scores.
    """
    check(shutil.which("node") is not None, "Lighthouse needs Node.js (node on the PATH); "
                                            "or run with --no-lighthouse")
    check(LIGHTHOUSE.exists(), f"{LIGHTHOUSE.relative_to(ROOT)} is missing: run `make setup` "
                               "(npm ci installs the pinned lighthouse), or run with --no-lighthouse")
    check(Path(CHROMIUM).exists(), f"{CHROMIUM} is missing (apt-get install chromium, or set CHROMIUM=); "
                                   "or run with --no-lighthouse")
    check((server.site / LIGHTHOUSE_PAGE / "index.html").is_file(),
          f"{LIGHTHOUSE_PAGE} is not in the built site")
    out_dir = out_dir.resolve()      # Lighthouse runs in ROOT
    out_dir.mkdir(parents=True, exist_ok=True)
    server.prewarm()
    server.start()
    url = server.url + LIGHTHOUSE_PAGE
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    presets = {}
    for preset in LIGHTHOUSE_PRESETS:
        done = []
        for n in range(runs):
            log(f"lighthouse: {preset} {n + 1}/{runs} ...")
            done.append(lighthouse_run(url, preset, out_dir / f"lighthouse-{preset}-{n + 1}.json",
                                       server.url))
        ranked = sorted(done, key=lambda x: (x["scores"]["performance"], -x["metrics"]["lcp_ms"]))
        presets[preset] = {**ranked[(len(ranked) - 1) // 2],
                           "runs": [{**x["scores"], **x["metrics"]} for x in done]}
    first = presets[LIGHTHOUSE_PRESETS[0]]
    return {"version": first["lighthouse_version"], "node": node, "url": url,
            "chrome": first["user_agent"], "served": "gzip -9 (text types), http.server on 127.0.0.1",
            "categories": list(LIGHTHOUSE_CATEGORIES), "aim": AIM, "runs": runs, **presets}


# --- the benchmark -----------------------------------------------------------------------------

def run(runs: int, tmp: Path, log, browser: bool = True, lighthouse_dir: Path | None = None,
        lighthouse_runs: int = 3) -> dict:
    """Every measurement; lighthouse_dir None skips Lighthouse, else its reports go there."""
    cache = tmp / "cache"
    warm_site = tmp / f"site-warm-{runs - 1}"
    # Lighthouse loads the last warm build from this server: every build gets its address as
    # SITE_URL (the same for all, so the cold and warm pages can still be compared byte for byte).
    server = GzipServer(warm_site) if lighthouse_dir is not None else None
    try:
        return _run(runs, tmp, log, browser, cache, warm_site, server, lighthouse_dir, lighthouse_runs)
    finally:
        if server is not None:
            server.close()


def _run(runs, tmp, log, browser, cache, warm_site, server, lighthouse_dir, lighthouse_runs) -> dict:
    site_url = server.url if server is not None else None
    log("cold build (empty cache) ...")
    cold_site = tmp / "site-cold"
    cold_s = build(CONFIG, cold_site, cache, site_url)
    cold = last_build(cache)
    check(cold.get("model_loaded") is True,
          f"cold build: expected the model to be loaded, last-build.json says {cold}")
    # Blocks of kinds that need no model (the explorer) are rendered but never cached.
    free = cold.get("blocks_without_model", 0)
    # A block written twice with the same options (on two pages) is computed once: the second
    # is a hit even in a cold build. Every block that needs the model is a miss or such a hit.
    check(cold.get("blocks", 0) > 0 and cold.get("cache_misses", 0) > 0
          and cold.get("cache_misses") + cold.get("cache_hits") == cold.get("blocks") - free,
          f"cold build: expected every block but the {free} that need no model to be computed, "
          f"last-build.json says {cold}")

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
              and warm.get("cache_hits") == cold["blocks"] - free,
              f"warm build {n + 1}: expected all {cold['blocks'] - free} blocks that need the model from "
              f"the cache, last-build.json says {warm}{hint}")
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
            plain_s.append(build(config, site, plain_cache, site_url))
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
    lh = lighthouse(server, lighthouse_dir, log, lighthouse_runs) if server is not None else None
    log("naive page (plotly.js inlined in every figure) ...")
    naive = naive_weight(warm_site)
    ours = weight["first_load"]["gzip_bytes"]
    naive["naive_over_ours_first_load_gzip"] = round(naive["first_load"]["gzip_bytes"] / ours, 1)
    naive["naive_over_ours_first_load_raw"] = round(
        naive["first_load"]["raw_bytes"] / weight["first_load"]["raw_bytes"], 1)
    # Ours once a figure is drawn (plotly.js loaded): naive first load / our total.
    naive["naive_over_ours_total_gzip"] = round(
        naive["first_load"]["gzip_bytes"] / weight["total"]["gzip_bytes"], 1)

    warm_med, plain_med = statistics.median(warm_s), statistics.median(plain_s)
    return {
        "cold": {"seconds": round(cold_s, 2), "last_build": cold, "blocks_without_model": free},
        "warm": {"runs": [round(s, 2) for s in warm_s], "median_seconds": round(warm_med, 2),
                 "last_build": warm, "page_html_identical_to_cold": same_html},
        "plain": {"runs": [round(s, 2) for s in plain_s], "median_seconds": round(plain_med, 2),
                  "blocks_removed": removed, "last_build": plain},
        "warm_over_plain": round(warm_med / plain_med, 2),
        "site_url": site_url,
        "page_weight": weight,
        "naive_page_weight": naive,
        "explorer": explorer,
        "lighthouse": lh,
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
    nv = r.get("naive_page_weight")
    if nv:
        out.append("")
        out += _grid([
            (f"naive page: plotly.js inline in each of {nv['figures_inlined']} figures", "raw", "gzip -9"),
            ("HTML alone", kb(nv["html"]["raw_bytes"]), kb(nv["html"]["gzip_bytes"])),
            (f"first load ({len(nv['first_load']['files'])} files)",
             kb(nv["first_load"]["raw_bytes"]), kb(nv["first_load"]["gzip_bytes"])),
            ("naive / ours, first load", f"{nv['naive_over_ours_first_load_raw']:.1f}x",
             f"{nv['naive_over_ours_first_load_gzip']:.1f}x"),
            ("naive first load / our total (with plotly)", "", f"{nv['naive_over_ours_total_gzip']:.1f}x"),
        ], right=(1, 2))
    lh = r.get("lighthouse")
    if lh:
        out.append("")
        out += lighthouse_table(lh)
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


def lighthouse_table(lh: dict) -> list[str]:
    """Scores and metrics per preset, then what costs points (accessibility, performance)."""
    score = lambda x: f"{x:.2f}" + ("" if x >= lh["aim"] else " *")  # noqa: E731
    rows = [(f"Lighthouse {lh['version']}: {lh['url'].split('/', 3)[3]} (gzip)", "performance",
             "accessibility", "FCP", "LCP", "TBT", "CLS", "Speed Index", "transferred")]
    for preset in LIGHTHOUSE_PRESETS:
        x = lh[preset]
        m = x["metrics"]
        rows.append((f"{preset} (bench index {x['benchmark_index']:.0f})",
                     score(x["scores"]["performance"]), score(x["scores"]["accessibility"]),
                     f"{m['fcp_ms'] / 1000:.2f} s", f"{m['lcp_ms'] / 1000:.2f} s", f"{m['tbt_ms']} ms",
                     f"{m['cls']:.3f}", f"{m['speed_index_ms'] / 1000:.2f} s", kb(m["total_byte_weight"])))
    out = _grid(rows, right=tuple(range(1, 9)))
    out.append(f"* below the aim of {lh['aim']:.2f}. Median of {lh['runs']} runs each (by performance score); "
               "performance scores of every run: "
               + "; ".join(f"{p} " + ", ".join(f"{x['performance']:.2f}" for x in lh[p]["runs"])
                           for p in LIGHTHOUSE_PRESETS))
    for preset in LIGHTHOUSE_PRESETS:
        x = lh[preset]
        if x["accessibility_failed"]:
            out.append(f"\n{preset}: accessibility audits that failed (points lost of 100, elements):")
            for a in x["accessibility_failed"]:
                out.append(f"  {a['id']} (-{a['points_lost']}, {a['elements']}): {a['title']}")
                for item in a["items"][:8]:
                    out.append(f"      {item.get('selector') or item.get('url')}")
                if a["elements"] > 8:
                    out.append(f"      ... {a['elements'] - 8} more in results.json")
        if x["performance_lost"]:
            out.append(f"{preset}: performance points lost: "
                       + ", ".join(f"{a['id']} -{a['points_lost']} ({a['display']})"
                                   for a in x["performance_lost"]).replace("\u00a0", " "))
        shown = [o for o in x["opportunities"] if not o["id"].endswith("-insight")][:5]
        if shown:
            out.append(f"{preset}: biggest performance opportunities (Lighthouse's estimates):")
            for o in shown:
                saving = ", ".join(f"{k} {v:.0f} ms" if k != "CLS" else f"CLS {v:.3f}"
                                   for k, v in o["metric_savings"].items())
                out.append(f"  {o['id']}: {(o['display'] or '').replace(chr(160), ' ')}"
                           + (f" ({saving})" if saving else ""))
    return out


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
    parser.add_argument("--no-lighthouse", action="store_true",
                        help="skip Lighthouse (node_modules/.bin/lighthouse + Chromium)")
    parser.add_argument("--lighthouse-runs", type=int, default=3,
                        help="Lighthouse runs per preset; the median run is reported (default 3)")
    parser.add_argument("--lighthouse-dir", type=Path, default=None,
                        help="keep Lighthouse's JSON reports in this folder (default: a temporary one, deleted)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.lighthouse_runs < 1:
        parser.error("--lighthouse-runs must be at least 1")
    # A SIGTERM (e.g. from `timeout`) should still clean up the temporary folders.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    log = lambda msg: print(f"bench: {msg}", file=sys.stderr, flush=True)  # noqa: E731
    started = dt.datetime.now(dt.timezone.utc)
    before = (source_hash(), docs_hash())
    tmp = Path(tempfile.mkdtemp(prefix="lexicon-bench-"))
    try:
        lighthouse_dir = None if args.no_lighthouse else (args.lighthouse_dir or tmp / "lighthouse")
        figures = run(args.runs, tmp, log, browser=not args.no_browser, lighthouse_dir=lighthouse_dir,
                      lighthouse_runs=args.lighthouse_runs)
        if figures["lighthouse"] and args.lighthouse_dir is None:
            for preset in LIGHTHOUSE_PRESETS:      # the temporary folder is deleted below
                figures["lighthouse"][preset]["report"] = None
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
