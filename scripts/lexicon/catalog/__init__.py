"""Everything generated from the term index rather than written by hand.

- ``nav``: the Terms part of the nav (by category, in the order of ``_data/categories.yml``);
- ``index_pages``: A–Z (``terms/index.md``), by category, by level, and the home page's listings;
- ``learning_path``: the declared prerequisites (transitively reduced), the "before this /
  after this" of each term, a suggested order and the graph figure;
- ``glossary``: ``glossary.json``, its JSON schema and the anchors it lists;
- ``cards``: one embeddable card per term;
- ``audits``: the claims audit and the block-kind table, filled in once every page has rendered;
- ``listings``: the ``<!-- lexicon:NAME -->`` markers a hand-written page asks for listings with.

All of it is a pure function of the term files (and, for the audits, of the build's records).
Generated Markdown links to ``.md`` sources, so MkDocs checks and rewrites every link as it does
for hand-written pages.
"""

from __future__ import annotations

import html
import posixpath

from ..terms import LEVELS, TERMS_DIR, Term

INDEX_PAGES = {
    "az": f"{TERMS_DIR}/index.md",
    "categories": "browse/categories.md",
    "levels": "browse/levels.md",
    "path": "learning-path.md",
}
CARDS_DIR = "cards"
GLOSSARY = "glossary.json"
GLOSSARY_SCHEMA = "glossary.schema.json"
LEVEL_GROUPS = [("Beginner", (1, 2)), ("Intermediate", (3,)), ("Advanced", (4, 5))]
# Terms that make up the beginners' featured path on the home page: levels up to this one.
FEATURED_MAX_LEVEL = 2


def by_title(terms) -> list[Term]:
    return sorted(terms, key=lambda t: (t.title.lower(), t.slug))


def by_level(terms) -> list[Term]:
    return sorted(terms, key=lambda t: (t.level, t.title.lower(), t.slug))


def level_group(level: int) -> str:
    return LEVELS[level]


def link(here: str, target: str) -> str:
    """A relative link from the page ``here`` to the source ``target`` (both docs-relative)."""
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


def md_text(text: str) -> str:
    """Author text inside generated Markdown: no HTML, no link syntax."""
    return html.escape(text).replace("[", "&#91;").replace("]", "&#93;").replace("*", "&#42;").replace("_", "&#95;")


def level_badge(term: Term) -> str:
    # &#47;: smartsymbols would turn "1/5" into a vulgar fraction.
    return f'<span class="ll-chip" data-level="{term.level}">{level_group(term.level)} {term.level}&#47;5</span>'


def term_line(here: str, term: Term) -> str:
    return (f"- [{md_text(term.title)}]({link(here, term_src(term))}) {level_badge(term)} — "
            f"{md_text(term.summary)}")


def term_src(term: Term) -> str:
    return f"{TERMS_DIR}/{term.slug}.md"


def browse_links(here: str) -> str:
    return ("<nav class=\"ll-browse\" aria-label=\"Browse the glossary\" markdown>"
            f"[A–Z]({link(here, INDEX_PAGES['az'])}) · "
            f"[By category]({link(here, INDEX_PAGES['categories'])}) · "
            f"[By level]({link(here, INDEX_PAGES['levels'])}) · "
            f"[Learning path]({link(here, INDEX_PAGES['path'])})</nav>\n")
