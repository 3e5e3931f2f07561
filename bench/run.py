"""Benchmark the Latent Lexicon build: cold, warm and plain build times, page weight, Lighthouse.

    .venv/bin/python bench/run.py [--runs 3] [--output bench/results.json]
                                  [--no-browser] [--no-lighthouse] [--lighthouse-runs 3]
                                  [--lighthouse-dir DIR]

(``python -m bench.run`` from the project root does the same.) This is the entry point: it
parses the arguments, runs the measurements in order, one module each, writes
bench/results.json and prints the table (bench/report.py):

  builds      cold, warm and plain builds, checked against last-build.json (bench/builds.py)
  serve       an edit to one page under `make serve` (mkdocs serve --dirty), on the warm cache:
              seconds from saving to the served page showing it (bench/serve.py)
  weight      the Embedding page of the warm build, and a naive copy with plotly.js
              inlined in every figure (bench/weight.py)
  explorer    the in-browser explorer's speed in headless Chromium (bench/explorer.py;
              skip with --no-browser)
  lighthouse  Lighthouse, mobile and desktop, on the Embedding page served gzip-compressed
              on 127.0.0.1 by bench/server.py (bench/lighthouse.py; skip with --no-lighthouse).
              With Lighthouse, every build gets that server's address as SITE_URL.

Standard library only, except Playwright for the browser section, plotly.py for the naive
page and Node for Lighthouse; exits non-zero, loudly, if a build fails, Lighthouse fails or
a check does not hold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

if not __package__:     # run as a script (python bench/run.py): import bench/ as the package it is,
    _BENCH = Path(__file__).resolve().parent      # from the project root, not its modules one by one
    sys.path[:] = [str(_BENCH.parent)] + [p for p in sys.path if Path(p or ".").resolve() != _BENCH]

from bench import builds, explorer, report, serve, transformer, weight  # noqa: E402
from bench.common import PAGE, ROOT, BenchError, docs_hash, source_hash, versions  # noqa: E402
from bench.lighthouse import LIGHTHOUSE_PRESETS, lighthouse  # noqa: E402
from bench.server import GzipServer  # noqa: E402


def run(runs: int, tmp: Path, log, browser: bool = True, lighthouse_dir: Path | None = None,
        lighthouse_runs: int = 3) -> dict:
    """Every measurement; lighthouse_dir None skips Lighthouse, else its reports go there."""
    warm_site = builds.warm_site(tmp, runs)
    # Lighthouse loads the last warm build from this server: every build gets its address as
    # SITE_URL (the same for all, so the cold and warm pages can still be compared byte for byte).
    server = GzipServer(warm_site) if lighthouse_dir is not None else None
    try:
        return _run(runs, tmp, log, browser, warm_site, server, lighthouse_dir, lighthouse_runs)
    finally:
        if server is not None:
            server.close()


def _run(runs, tmp, log, browser, warm_site, server, lighthouse_dir, lighthouse_runs) -> dict:
    site_url = server.url if server is not None else None
    built = builds.builds(runs, tmp, log, site_url)
    edit = serve.serve_edit(tmp, tmp / "cache", log, runs)
    page = weight.embedding_page(warm_site)
    ex = explorer.explorer_speed(warm_site, log) if browser else None
    lh = lighthouse(server, lighthouse_dir, log, lighthouse_runs) if server is not None else None
    log("naive page (plotly.js inlined in every figure) ...")
    naive = weight.naive_page(warm_site, page)
    tf = transformer.transformer(built["cold"], log)
    return {**built, "serve_edit": edit, "site_url": site_url, "page_weight": page, "naive_page_weight": naive,
            "explorer": ex, "lighthouse": lh, "transformer": tf}


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
    print(report.table(results))
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
