"""What the site's search finds first (issue 12): term pages, then the rest.

Material's search plugin indexes every section of every page as one document, with a per-page
``search: boost`` from the front matter. Three things are set here, and nothing else:

- **boosts** (:func:`boost_page`, in ``on_page_markdown``): a term page's sections get ``TERM``,
  every other indexed page (notebooks, benchmarks, explorer, instructors, the A–Z and browse
  listings, the learning path) ``OTHER``, so for a term's own words its page comes before a page
  that only mentions them. An author's own ``search:`` front matter wins.
- **what is indexed** (:func:`tune`): Material fetches the whole index on a reader's first visit,
  so it must stay small as the glossary grows (issue 12: first load, index included, within 200 KB
  gzip at 150 terms). A section is indexed by its heading and its first ``SNIPPET_WORDS`` words,
  which are also the snippet a result shows; tables' numbers, code and checks never were words a
  learner searches for.
- **the term's own entry** (:func:`tune`, after the search plugin has written the index): the page's
  first document, whose text would be empty (the term header, with the summary and the aliases, is
  printed by the template, outside the page content). It gets that header text and ``TERM_PAGE``,
  so a search for a term or one of its aliases ("3CosAdd", "vector offset method") lands on it.
- **a summary field** (:func:`tune`): Material's search appends ``*`` to every query word and weighs
  a title's words 1,000 times other text, so "man" in "king man woman" matched the title *Manhattan
  distance* far above *Word analogy*, whose summary has all three words ("man is to king as woman
  is to queen"). Each term's own entry also indexes its summary in a field of its own, weighed
  ``SUMMARY`` (the search worker reads the fields from the index's ``config``).

Pages written for authors (the authoring guide, the block reference, the claims audit) are left
out by their own ``search: exclude: true``.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

TERM = 2.0        # every section of a term page
TERM_PAGE = 4.0   # the term page's own entry (its title, summary and aliases), × (1 + 2 / title words)
SUMMARY = 300.0   # the field boost of a term's summary words (a title's words weigh 1,000, other text 1)
OTHER = 0.5       # every other indexed page
SNIPPET_WORDS = 10   # 12 at 117 terms; 10 leaves the first load about 5 KB of room at 154


def boost_page(meta: dict, is_term: bool) -> None:
    """Set the page's search boost, unless its front matter sets one or excludes the page."""
    search = meta.get("search")
    if search is None:
        search = meta["search"] = {}
    if not isinstance(search, dict) or "boost" in search or search.get("exclude"):
        return
    search["boost"] = TERM if is_term else OTHER


def tune(site_dir: str | Path, terms: dict[str, object]) -> int:
    """Give each term page's own entry its header text; ``terms`` maps a page URL (as the index
    writes locations, e.g. ``terms/glove/``) to its term. Returns how many entries were set."""
    path = Path(site_dir) / "search" / "search_index.json"
    if not path.is_file():           # search turned off
        return 0
    data = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("config", {}).setdefault("fields", {})["summary"] = {"boost": SUMMARY}
    done = 0
    for entry in data.get("docs", []):
        term = terms.get(entry.get("location"))
        if term is None:
            entry["text"] = snippet(entry.get("text", ""))
            continue
        text = f"<p>{html.escape(term.summary, quote=False)}</p>"
        if term.aliases:
            text += "<p>Also called: " + ", ".join(html.escape(a, quote=False) for a in term.aliases) + "</p>"
        entry["text"] = text
        entry["summary"] = html.escape(term.summary, quote=False)
        # Material's search turns lunr's length normalisation off (b = 0), and a query word matches
        # every word it begins: so "Bias in word embeddings", whose rarer "embeddings" weighs more,
        # outranked "Embedding" for "embedding". A shorter title gets more of the boost (with the
        # summary field, "Bias in word embeddings" has the word twice over: hence 2 / title words).
        entry["boost"] = round(TERM_PAGE * (1 + 2 / max(1, len(term.title.split()))), 3)
        done += 1
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")   # as Material writes it
    return done


def snippet(text: str, words: int = SNIPPET_WORDS) -> str:
    """The first ``words`` words of an indexed section, as plain text (an ellipsis if cut)."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", text)).split()
    cut = " ".join(plain[:words]) + (" …" if len(plain) > words else "")
    return html.escape(cut, quote=False)
