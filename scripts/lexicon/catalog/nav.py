"""The Terms part of the nav, generated from the term index and the category tree."""

from __future__ import annotations

import html

from ..terms import TermIndex
from . import INDEX_PAGES, term_src
from .categories import Category
from .learning_path import LearningPath


def expand_nav(nav: list, index: TermIndex, cats: list[Category]) -> bool:
    """Replace the nav entry ``Terms: terms/index.md`` with the generated Terms section.

    Returns False if the nav has no such entry (the author lists term pages by hand).
    """
    for i, item in enumerate(nav):
        if isinstance(item, dict) and len(item) == 1:
            (title, value), = item.items()
            if value == INDEX_PAGES["az"]:
                nav[i] = {title: terms_nav(index, cats)}
                return True
    return False


def terms_nav(index: TermIndex, cats: list[Category]) -> list:
    section: list = [INDEX_PAGES["az"], {"By category": INDEX_PAGES["categories"]},
                     {"By level": INDEX_PAGES["levels"]}]
    tree: dict = {}
    # Within a category, the learning path's order: level by level, each term after its prerequisites
    # (so the page footer's "Next" never leads to a page that assumes the one after it), then by title.
    order = LearningPath(index).order()
    for cat in cats:
        terms = [t for t in order if " / ".join(t.category) == cat.path]
        if not terms:
            continue
        node = tree
        for part in cat.parts:
            node = node.setdefault(part, {})
        # Nav titles are HTML to MkDocs and Material: a term's title is text.
        node.setdefault("", []).extend({html.escape(t.title, quote=False): term_src(t)} for t in terms)

    def build(node: dict) -> list:
        items = list(node.get("", []))
        items += [{html.escape(name, quote=False): build(child)} for name, child in node.items() if name]
        return items

    return section + build(tree)

