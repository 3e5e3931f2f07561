"""A Content-Security-Policy for the web build, as a <meta> tag (GitHub Pages sets no headers).

The policy allows nothing from another host, and scripts only from the site's own files or,
for the few inline scripts Material writes into every page, by their SHA-256 hash. Instant
navigation keeps the first page's policy while it swaps in later pages, so every page gets
the same policy listing the hashes of every inline script on the site.

Styles stay 'unsafe-inline': plotly.js styles its figures with <style> elements and style
attributes, and Material sets style attributes too. The offline bundle gets no policy:
from file:// every page is its own opaque origin, so 'self' would match nothing.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
JS_TYPES = ("", "text/javascript", "module", "application/javascript")
META = '<meta http-equiv="Content-Security-Policy" content="{}">'


def _is_inline_js(attrs: str) -> bool:
    if re.search(r"\ssrc\s*=", attrs, re.I):
        return False
    m = re.search(r"\stype\s*=\s*[\"']?([^\"'\s>]+)", attrs, re.I)
    return (m.group(1).lower() if m else "") in JS_TYPES


def script_hashes(html: str) -> set[str]:
    out = set()
    for m in INLINE_SCRIPT.finditer(html):
        if _is_inline_js(m.group("attrs")):
            digest = hashlib.sha256(m.group("body").encode("utf-8")).digest()
            out.add("'sha256-" + base64.b64encode(digest).decode() + "'")
    return out


def policy(hashes: set[str]) -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(sorted(hashes)),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def apply(site: Path) -> str:
    """Add the policy to every HTML page of ``site``; returns the policy."""
    pages = sorted(site.rglob("*.html"))
    texts = {p: p.read_text(encoding="utf-8") for p in pages}
    hashes = set().union(*(script_hashes(t) for t in texts.values())) if texts else set()
    meta = META.format(policy(hashes))
    for p, text in texts.items():
        if "http-equiv=\"Content-Security-Policy\"" in text:
            continue
        new, n = re.subn(r"(<meta charset=[\"']?utf-8[\"']?\s*/?>)", lambda m: m.group(1) + meta, text, count=1,
                         flags=re.I)
        if n == 0:
            new, n = re.subn(r"(<head[^>]*>)", lambda m: m.group(1) + meta, text, count=1, flags=re.I)
        if n:
            p.write_text(new, encoding="utf-8")
    return policy(hashes)
