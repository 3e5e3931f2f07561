"""What a page costs a reader: the bytes of its first load, raw and gzip.

"First load" is the page's HTML plus every stylesheet and script it
references; plotly.js and the explorer's vectors are loaded by our scripts
only when needed, so they are not part of it. Bytes are deterministic, so
the budget can be a test (tests/test_budget.py) and a bench figure.
"""

from __future__ import annotations

import gzip
import html.parser
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

PLOTLY = "assets/vendor/plotly.min.js"
VECTORS = "assets/explorer/vectors.js"


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


def resolve(url: str, page: str, site: Path) -> str:
    """A URL found in ``page`` as a path relative to the site folder."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        raise ValueError(f"{page} loads {url} from another host")
    path = unquote(parts.path)
    rel = posixpath.normpath(path.lstrip("/") if path.startswith("/")
                             else posixpath.join(posixpath.dirname(page), path))
    if rel.startswith("../"):
        raise ValueError(f"{page}: {url} points outside the site")
    if (site / rel).is_dir():
        rel = posixpath.join(rel, "index.html")
    if not (site / rel).is_file():
        raise ValueError(f"{page} references {url}, but {rel} is not in the built site")
    return rel


def weigh(site: Path, rels) -> dict:
    raw = gz = 0
    for rel in rels:
        data = (site / rel).read_bytes()
        raw += len(data)
        gz += len(gzip.compress(data, compresslevel=9, mtime=0))
    return {"raw_bytes": raw, "gzip_bytes": gz}


def page_weight(site: Path, page: str) -> dict:
    """First-load and total bytes of ``page`` (a path in ``site``, e.g. terms/embedding/index.html)."""
    refs = _Refs()
    refs.feed((site / page).read_text(encoding="utf-8"))
    refs.close()
    styles = list(dict.fromkeys(resolve(u, page, site) for u in refs.styles))
    scripts = list(dict.fromkeys(resolve(u, page, site) for u in refs.scripts))
    first = [page] + [r for r in styles + scripts if r != PLOTLY]
    return {
        "page": page,
        "figures": refs.figures,
        "html": weigh(site, [page]),
        "first_load": {**weigh(site, first), "files": first},
        "plotly": {**weigh(site, [PLOTLY]), "file": PLOTLY, "in_first_load_html": PLOTLY in scripts},
        "total": weigh(site, first + [PLOTLY]),
    }
