"""A Content-Security-Policy for the web build, as a <meta> tag (GitHub Pages sets no headers).

The policy allows nothing from another host, and scripts only from the site's own files or,
for the few inline scripts Material writes into every page, by their SHA-256 hash. Instant
navigation keeps the first page's policy while it swaps in later pages, so every page gets
the same policy listing the hashes of every inline script on the site.

Only the theme's own inline scripts are known (:func:`known_scripts`): those of the installed
Material's ``partials/javascripts/`` templates, of our ``overrides/``, and mkdocs-redirects'
redirect page, each a pattern where a template value may only be a relative URL (no quote, no
colon). Any other inline script, in the web build or in the offline bundle (which has no
policy), was put there by content and fails the build (:func:`unknown_scripts`), naming the page.

Styles stay 'unsafe-inline': plotly.js styles its figures with <style> elements and style
attributes, and Material sets style attributes too. The offline bundle gets no policy:
from file:// every page is its own opaque origin, so 'self' would match nothing.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from .errors import LexiconError

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
JS_TYPES = ("", "text/javascript", "module", "application/javascript")
META = '<meta http-equiv="Content-Security-Policy" content="{}">'


def _is_inline_js(attrs: str) -> bool:
    if re.search(r"\ssrc\s*=", attrs, re.I):
        return False
    m = re.search(r"\stype\s*=\s*[\"']?([^\"'\s>]+)", attrs, re.I)
    return (m.group(1).lower() if m else "") in JS_TYPES


_VALUE = r"[\w./~%#-]*"      # a template value in a known script: a relative URL, nothing more
_TEMPLATE_VALUE = re.compile(r"\{\{.*?\}\}|\{url\}")


def _pattern(body: str) -> re.Pattern:
    parts = _TEMPLATE_VALUE.split(body)
    return re.compile(_VALUE.join(re.escape(p) for p in parts), re.S)


@lru_cache(maxsize=1)
def known_scripts(overrides: str = "overrides") -> tuple[re.Pattern, ...]:
    """The inline scripts the theme writes (as patterns): Material's, ours, the redirect page's."""
    import material
    import mkdocs_redirects.plugin

    templates = sorted((Path(material.__file__).parent / "templates" / "partials" / "javascripts").glob("*.html"))
    templates += sorted(Path(overrides).rglob("*.html")) if Path(overrides).is_dir() else []
    bodies = [m.group("body") for t in templates for m in INLINE_SCRIPT.finditer(t.read_text(encoding="utf-8"))
              if _is_inline_js(m.group("attrs"))]
    bodies += [m.group("body") for m in INLINE_SCRIPT.finditer(mkdocs_redirects.plugin.HTML_TEMPLATE)]
    return tuple(_pattern(b.strip()) for b in bodies)


def unknown_scripts(html: str, overrides: str = "overrides") -> list[str]:
    """The inline scripts of ``html`` that are not the theme's own (their first 60 characters)."""
    known = known_scripts(str(overrides))
    return [m.group("body").strip()[:60] for m in INLINE_SCRIPT.finditer(html)
            if _is_inline_js(m.group("attrs")) and not any(k.fullmatch(m.group("body").strip()) for k in known)]


def check(site: Path, src_of=lambda page: None, docs_dir: Path | None = None,
          overrides: str | None = None) -> dict[Path, str]:
    """Fail on any inline script that is not the theme's own; ``src_of`` maps a built page
    (site-relative path) to its source (docs-relative), to name it and its line in the error.
    Returns every page's text as read, so :func:`apply` need not read the site again."""
    bad, texts = [], {p: p.read_text(encoding="utf-8") for p in sorted(Path(site).rglob("*.html"))}
    for p, text in texts.items():
        for body in unknown_scripts(text, overrides or "overrides"):
            rel = p.relative_to(site).as_posix()
            src = src_of(rel)
            bad.append((f"docs/{src}" if src else f"site/{rel}", body, src))
    if bad:
        where, body, src = bad[0]
        line = _line_of(Path(docs_dir) / src, "<script") if src and docs_dir else None
        raise LexiconError(
            f"an inline script that is not the theme's own is on {len(bad)} page(s), first "
            f"{where}: <script>{body}…; content may not run script (the site's policy would allow it "
            "and the offline bundle has no policy)" + "".join(f"\n    also {w}" for w, _, _ in bad[1:5]),
            file=where if where.startswith("docs/") else None, line=line,
            fix="remove the <script> from the page's Markdown (or the notebook); a script of the site "
                "belongs in docs/assets/javascripts/ and in mkdocs.yml's extra_javascript")
    return texts


def _line_of(path: Path, needle: str) -> int | None:
    try:
        lines = Path(path).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return next((i for i, ln in enumerate(lines, 1) if needle in ln.lower()), None)


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


def apply(site: Path, texts: dict[Path, str] | None = None) -> str:
    """Add the policy to every HTML page of ``site`` (``texts``: the pages as :func:`check` read
    them); returns the policy. Every inline script is known (:func:`check` runs first), so the
    hashes are the theme's scripts' only."""
    if texts is None:
        texts = {p: p.read_text(encoding="utf-8") for p in sorted(Path(site).rglob("*.html"))}
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
