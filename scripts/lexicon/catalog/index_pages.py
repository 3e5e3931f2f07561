"""The generated index pages (A–Z, by category, by level) and the home page's listings."""

from __future__ import annotations

from ..terms import TermIndex
from . import INDEX_PAGES, LEVEL_GROUPS, browse_links, by_level, by_title, link, md_text, term_line, term_src
from .categories import Category


def az_page(index: TermIndex) -> str:
    """Every term by its first letter, and under each letter, set apart, the other names terms
    go by ("Also called: ANN → Approximate nearest neighbours")."""
    here = INDEX_PAGES["az"]
    entries: list[tuple[str, bool, str]] = []   # (name, is an alias, Markdown)
    for t in index.terms.values():
        entries.append((t.title, False, term_line(here, t)))
        for alias in t.aliases:
            if alias.lower() != t.title.lower():
                entries.append((alias, True, f"{md_text(alias)} → [{md_text(t.title)}]({link(here, term_src(t))})"))
    entries.sort(key=lambda e: (e[0].lower(), e[0]))
    groups: dict[str, tuple[list[str], list[str]]] = {}
    for name, is_alias, text in entries:
        first = name[:1].upper()
        terms, aliases = groups.setdefault(first if first.isalpha() else OTHER, ([], []))
        (aliases if is_alias else terms).append(text)
    aliases_total = sum(len(a) for _, a in groups.values())
    out = ["---", "hide: [toc]", "---", "", "# All terms, A–Z", "",
           f"{len(index.terms)} terms, and under each letter, set apart, {aliases_total} other names they go by.",
           "", browse_links(here), ""]
    out.append('<nav class="ll-letters" aria-label="Letters">' + " ".join(
        f'<a href="#{_letter_id(g)}">{g}</a>' for g in groups) + "</nav>\n")
    for g, (terms, aliases) in groups.items():
        out += [f"## {g} {{#{_letter_id(g)}}}", "", *terms, ""]
        if aliases:
            out += ["*Also called:* " + "; ".join(aliases), "{: .ll-az-aliases }", ""]
    return "\n".join(out)


OTHER = "0–9"   # names that start with a digit or a sign (3CosAdd); '#' would read as a heading mark


def _letter_id(g: str) -> str:
    return f"letter-{g.lower()}" if g.isalpha() else "letter-other"


def category_page(index: TermIndex, cats: list[Category]) -> str:
    here = INDEX_PAGES["categories"]
    out = ["# Terms by category", "", browse_links(here), ""]
    for cat in cats:
        terms = by_level(t for t in index.terms.values() if " / ".join(t.category) == cat.path)
        if not terms:
            continue
        out += [f"## {md_text(' › '.join(cat.parts))}", ""]
        if cat.about:
            out += [md_text(cat.about), ""]
        out += [term_line(here, t) for t in terms] + [""]
    return "\n".join(out)


def level_page(index: TermIndex) -> str:
    here = INDEX_PAGES["levels"]
    out = ["# Terms by level", "",
           "Levels run from 1 to 5: **Beginner** (1–2) assumes no background, **Intermediate** (3) "
           "assumes the beginner terms, **Advanced** (4–5) assumes some linear algebra and machine learning.",
           "", browse_links(here), ""]
    for name, levels in LEVEL_GROUPS:
        terms = by_level(t for t in index.terms.values() if t.level in levels)
        if not terms:
            continue
        out += [f"## {name}", ""]
        for lv in levels:
            group = [t for t in terms if t.level == lv]
            if group:
                out += [f"### Level {lv}", "", *[term_line(here, t) for t in by_title(group)], ""]
    return "\n".join(out)


def featured_path_markdown(index: TermIndex, here: str) -> str:
    """The beginners' path for the home page: the terms of ``start-here.yml`` (or every beginner
    term, without that file) in prerequisite order."""
    from .start_here import start_order

    order = start_order(index, index.start_here)
    return "\n".join(f"{i}. [{md_text(t.title)}]({link(here, term_src(t))}) — {md_text(t.summary)}"
                     for i, t in enumerate(order, start=1)) + "\n"


def home_browse_markdown(index: TermIndex, cats: list[Category], here: str) -> str:
    """Category cards and level links for the home page."""
    cards = ['<div class="grid cards ll-home-cards" markdown>', ""]
    for cat in cats:
        terms = by_level(t for t in index.terms.values() if " / ".join(t.category) == cat.path)
        if not terms:
            continue
        anchor = "#" + _slug(" › ".join(cat.parts))
        cards += [f"- **[{md_text(' › '.join(cat.parts))}]({link(here, INDEX_PAGES['categories'])}{anchor})**",
                  "", "    " + (md_text(cat.about) + " " if cat.about else "") +
                  ", ".join(f"[{md_text(t.title)}]({link(here, term_src(t))})" for t in terms), ""]
    cards += ["</div>", ""]
    levels = []
    for name, lvls in LEVEL_GROUPS:
        n = sum(1 for t in index.terms.values() if t.level in lvls)
        if n:
            levels.append(f"[{name} ({n})]({link(here, INDEX_PAGES['levels'])}#{name.lower()})")
    return "\n".join(cards) + "\n**By level:** " + " · ".join(levels) + "\n"


def _slug(text: str) -> str:
    """The id Python-Markdown's toc gives a heading (default slugify, unicode dropped)."""
    from markdown.extensions.toc import slugify
    return slugify(text, "-")


