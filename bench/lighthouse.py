"""Lighthouse (the npm devDependency) on the warm build's Embedding page, mobile and desktop.

The page is served by server.GzipServer on 127.0.0.1, as GitHub Pages would serve it. Each
preset runs --lighthouse-runs times and reports its median run (by performance score, ties
by LCP): scores, the metrics of the performance score, and what costs points. Any failure
(Lighthouse, the page, a missing score or metric, a request to another host) is a BenchError.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

from .common import CHROMIUM, CHROMIUM_ARGS, ROOT, BenchError, check
from .server import GzipServer

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
