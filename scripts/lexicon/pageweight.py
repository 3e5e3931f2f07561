"""What a page costs a reader: the bytes of its first load, raw and gzip.

"First load" is the page's HTML plus every stylesheet and script it
references; plotly.js and the explorer's vectors are loaded by our scripts
only when needed, so they are not part of it. Bytes are deterministic, so
the budget can be a test (tests/test_budget.py) and a bench figure.
"""

from __future__ import annotations

import gzip
import html.parser
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

PLOTLY = "assets/vendor/plotly.min.js"
VECTORS = "assets/explorer/vectors.js"
SEARCH_INDEX = "search/search_index.json"
GROWN_TO = 150   # terms: the glossary's size after issue 15, for the search index's projection


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


def search_index_weight(site: Path, grown_to: int = GROWN_TO) -> dict:
    """The search index Material fetches on a first visit: its gzip bytes, its bytes per term page,
    and a projection to ``grown_to`` terms (the term pages' share scaled, the rest as it is), or to
    the glossary's own size once it has grown past that (never below what it is)."""
    path = site / SEARCH_INDEX
    data = json.loads(path.read_text(encoding="utf-8"))
    docs = data["docs"]
    is_term = [re.match(r"terms/[^/#]+[/.]", d["location"]) is not None for d in docs]
    terms = sum(1 for d, t in zip(docs, is_term) if t and "#" not in d["location"])

    def gz(part: list) -> int:
        return len(gzip.compress(json.dumps({**data, "docs": part}, separators=(",", ":")).encode(), 9, mtime=0))
    term_part = gz([d for d, t in zip(docs, is_term) if t])
    rest = gz([d for d, t in zip(docs, is_term) if not t])
    per_term = term_part / terms if terms else 0.0
    target = max(grown_to, terms)
    return {**weigh(site, [SEARCH_INDEX]), "terms": terms, "gzip_bytes_per_term": round(per_term),
            "projected_gzip_bytes": round(rest + per_term * target), "projected_terms": target}
