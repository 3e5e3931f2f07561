"""The in-browser explorer's speed: data load and decode, neighbour and analogy queries.

Serves the warm build on 127.0.0.1 (http.server in a thread), opens the explorer page in
headless Chromium through Playwright and times, inside the page with performance.now(),
the explorer's own API: load() on fresh browser contexts, then QUERIES neighbour and
QUERIES analogy queries on words drawn with a fixed seed.
"""

from __future__ import annotations

import functools
import http.server
import json
import math
import random
import statistics
import threading
from pathlib import Path

from lexicon import pageweight
from lexicon.pageweight import VECTORS

from .common import CHROMIUM, CHROMIUM_ARGS, BenchError, check
from .server import QuietHandler

EXPLORER_PAGE = "explorer/"                  # the page the explorer is timed on
QUERIES = 200       # neighbour queries, and as many analogy queries
COMMON = 5_000      # queries use words among the most frequent COMMON
SEED = 42
LOADS = 3           # fresh page loads (no HTTP cache) for the data load time


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
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
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
