"""One embeddable card per term (``cards/<slug>.html``), for course pages to show in an iframe."""

from __future__ import annotations

import html

from ..terms import Term, TermIndex
from . import CARDS_DIR


CARD = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {site}</title>
<style>
:root {{ color-scheme: light dark; --fg: #1f2330; --muted: #4d5363; --bg: #fff; --line: #d5d8e0; --link: #3949ab; }}
@media (prefers-color-scheme: dark) {{ :root {{ --fg: #e6e8ef; --muted: #b4b9c6; --bg: #1e2129; --line: #3a3f4d; --link: #9fa8ff; }} }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }}
article {{ border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; max-width: 36rem; }}
p {{ margin: 0.3em 0; }}
.cat, .level {{ color: var(--muted); font-size: 0.85em; }}
h1 {{ font-size: 1.25em; margin: 0.15em 0; }}
a {{ color: var(--link); }}
</style>
</head>
<body>
<article>
<p class="cat">{category}</p>
<h1>{title}</h1>
<p class="level">{level}</p>
<p>{summary}</p>
<p><a href="{href}" target="_blank" rel="noopener">Read “{title}” on {site} →</a></p>
</article>
</body>
</html>
"""


def card_html(term: Term, site_name: str, href: str) -> str:
    e = html.escape
    return CARD.format(title=e(term.title), site=e(site_name), category=e(" › ".join(term.category)),
                       level=e(term.level_label), summary=e(term.summary), href=e(href))




def card_preview(index: TermIndex, site_url: str, src: str) -> str:
    """For the instructors' page: the iframe snippet to copy, and a live preview of one card.

    ``src`` is the card's URL relative to the page that shows the preview.
    """
    slug = preview_slug(index)
    title = html.escape(index.terms[slug].title)  # an attribute value: quotes and markup escaped
    base = (site_url or "https://example.org/latent-lexicon/").rstrip("/") + "/"
    snippet = (f'<iframe src="{base}{CARDS_DIR}/{slug}.html" title="{title} (Latent Lexicon)"\n'
               f'        width="100%" height="220" style="border:0" loading="lazy"></iframe>')
    return ("```html\n" + snippet + "\n```\n\n"
            f'<iframe class="ll-card-preview" src="{src}" title="Preview: the term card of {title}" '
            'height="220" loading="lazy"></iframe>\n')


def preview_slug(index: TermIndex) -> str:
    return "embedding" if "embedding" in index.terms else sorted(index.terms)[0]
