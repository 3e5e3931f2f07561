"""Everything generated from the term index rather than written by hand.

- the Terms part of the nav (by category, in the order of ``_data/categories.yml``);
- the index pages: A–Z (``terms/index.md``), by category, by level;
- the learning path: prerequisites from the related-term graph and the levels, the
  "before this / after this" of each term, a suggested order and the graph figure;
- ``glossary.json`` (and its JSON schema) and one embeddable card per term.

All of it is a pure function of the term files, so it needs no model and is the same
on every build. Generated Markdown links to ``.md`` sources, so MkDocs checks and
rewrites every link as it does for hand-written pages.
"""

from __future__ import annotations

import difflib
import html
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import LexiconError
from .terms import LEVELS, TERMS_DIR, Term, TermIndex

CATEGORIES_FILE = "_data/categories.yml"
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


@dataclass
class Category:
    path: str
    about: str

    @property
    def parts(self) -> list[str]:
        return self.path.split(" / ")


def load_categories(docs_dir: Path, index: TermIndex) -> list[Category]:
    """The category tree; without a categories file, the categories the terms use, A–Z."""
    path = docs_dir / CATEGORIES_FILE
    if not path.exists():
        used = sorted({" / ".join(t.category) for t in index.terms.values()})
        return [Category(p, "") for p in used]
    rel = f"{index.docs_rel}/{CATEGORIES_FILE}"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise LexiconError(f"not valid YAML: {exc}", file=rel, fix="a list of '- path: A / B' and 'about: ...'")
    if not isinstance(data, list) or not all(isinstance(d, dict) and isinstance(d.get("path"), str) for d in data):
        raise LexiconError("the category list must be a list of entries with a 'path'", file=rel, line=1,
                           fix="write entries like:\n  - path: Similarity & Distance\n    about: One sentence.")
    cats = [Category(d["path"], str(d.get("about", ""))) for d in data]
    known = [c.path for c in cats]
    for term in index.terms.values():
        joined = " / ".join(term.category)
        if joined not in known:
            close = difflib.get_close_matches(joined, known, n=1, cutoff=0.5)
            raise LexiconError(
                f"category '{joined}' is not in {rel}", file=term.src_path,
                line=_line(term, "category"),
                fix=(f"did you mean '{close[0]}'? " if close else "") +
                    f"use one of the listed paths, or add the new one to {rel}")
    return cats


def _line(term: Term, key: str) -> int:
    for i, line in enumerate(Path(term.abs_path).read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith(key + ":"):
            return i
    return 1


def by_title(terms) -> list[Term]:
    return sorted(terms, key=lambda t: (t.title.lower(), t.slug))


def by_level(terms) -> list[Term]:
    return sorted(terms, key=lambda t: (t.level, t.title.lower(), t.slug))


def level_group(level: int) -> str:
    return LEVELS[level]


# --- The learning path ------------------------------------------------------------------

class LearningPath:
    """Prerequisites follow from the related-term graph and the levels.

    Two terms are neighbours when either names the other under ``related``. Of two
    neighbours, the one at the lower level comes *before* the other; neighbours at the
    same level are simply related. Every edge goes up a level, so the graph has no cycle.
    """

    def __init__(self, index: TermIndex):
        self.index = index
        terms = index.terms
        self.neighbours: dict[str, set[str]] = {s: set() for s in terms}
        for t in terms.values():
            for r in t.related:
                if r in terms:
                    self.neighbours[t.slug].add(r)
                    self.neighbours[r].add(t.slug)

    def before(self, slug: str) -> list[Term]:
        me = self.index.terms[slug]
        return by_level(self.index.terms[s] for s in self.neighbours[slug] if self.index.terms[s].level < me.level)

    def after(self, slug: str) -> list[Term]:
        me = self.index.terms[slug]
        return by_level(self.index.terms[s] for s in self.neighbours[slug] if self.index.terms[s].level > me.level)

    def edges(self) -> list[tuple[str, str]]:
        return sorted((b.slug, s) for s in self.index.terms for b in self.before(s))

    def order(self, max_level: int = 5) -> list[Term]:
        """A reading order: every term after all its prerequisites (Kahn's algorithm; ties by
        level, then by how many terms a term opens up, then title)."""
        terms = {s: t for s, t in self.index.terms.items() if t.level <= max_level}
        waiting = {s: {b.slug for b in self.before(s) if b.slug in terms} for s in terms}
        done: list[Term] = []
        while waiting:
            ready = [terms[s] for s, pre in waiting.items() if not pre]
            pick = min(ready, key=lambda t: (t.level, -len(self.after(t.slug)), t.title.lower()))
            done.append(pick)
            del waiting[pick.slug]
            for pre in waiting.values():
                pre.discard(pick.slug)
        return done

    def depth(self, slug: str) -> int:
        """Longest chain of prerequisites below a term."""
        pre = self.before(slug)
        return 1 + max((self.depth(b.slug) for b in pre), default=-1)


# --- Generated Markdown ----------------------------------------------------------------------

def link(here: str, target: str) -> str:
    """A relative link from the page ``here`` to the source ``target`` (both docs-relative)."""
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


def _md(text: str) -> str:
    """Author text inside generated Markdown: no HTML, no link syntax."""
    return html.escape(text).replace("[", "&#91;").replace("]", "&#93;").replace("*", "&#42;").replace("_", "&#95;")


def level_badge(term: Term) -> str:
    # &#47;: smartsymbols would turn "1/5" into a vulgar fraction.
    return f'<span class="ll-chip" data-level="{term.level}">{level_group(term.level)} {term.level}&#47;5</span>'


def term_line(here: str, term: Term) -> str:
    return (f"- [{_md(term.title)}]({link(here, term_src(term))}) {level_badge(term)} — "
            f"{_md(term.summary)}")


def term_src(term: Term) -> str:
    return f"{TERMS_DIR}/{term.slug}.md"


def browse_links(here: str) -> str:
    return ("<nav class=\"ll-browse\" aria-label=\"Browse the glossary\" markdown>"
            f"[A–Z]({link(here, INDEX_PAGES['az'])}) · "
            f"[By category]({link(here, INDEX_PAGES['categories'])}) · "
            f"[By level]({link(here, INDEX_PAGES['levels'])}) · "
            f"[Learning path]({link(here, INDEX_PAGES['path'])})</nav>\n")


def az_page(index: TermIndex) -> str:
    here = INDEX_PAGES["az"]
    entries: list[tuple[str, str]] = []
    for t in index.terms.values():
        entries.append((t.title, term_line(here, t)))
        for alias in t.aliases:
            if alias.lower() != t.title.lower():
                entries.append((alias, f"- {_md(alias)}: see [{_md(t.title)}]({link(here, term_src(t))})"))
    entries.sort(key=lambda e: (e[0].lower(), e[0]))
    groups: dict[str, list[str]] = {}
    for name, line in entries:
        first = name[:1].upper()
        groups.setdefault(first if first.isalpha() else "#", []).append(line)
    out = ["---", "hide: [toc]", "---", "", "# All terms, A–Z", "",
           f"{len(index.terms)} terms; other names they go by are listed too, with a pointer to the term.",
           "", browse_links(here), ""]
    out.append('<nav class="ll-letters" aria-label="Letters">' + " ".join(
        f'<a href="#{_letter_id(g)}">{g}</a>' for g in groups) + "</nav>\n")
    for g, lines in groups.items():
        out += [f"## {g} {{#{_letter_id(g)}}}", "", *lines, ""]
    return "\n".join(out)


def _letter_id(g: str) -> str:
    return f"letter-{g.lower()}" if g.isalpha() else "letter-other"


def category_page(index: TermIndex, cats: list[Category]) -> str:
    here = INDEX_PAGES["categories"]
    out = ["# Terms by category", "", browse_links(here), ""]
    for cat in cats:
        terms = by_level(t for t in index.terms.values() if " / ".join(t.category) == cat.path)
        if not terms:
            continue
        out += [f"## {_md(' › '.join(cat.parts))}", ""]
        if cat.about:
            out += [_md(cat.about), ""]
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
    """The beginners' path for the home page: Beginner terms in prerequisite order."""
    order = LearningPath(index).order(FEATURED_MAX_LEVEL)
    return "\n".join(f"{i}. [{_md(t.title)}]({link(here, term_src(t))}) — {_md(t.summary)}"
                     for i, t in enumerate(order, start=1)) + "\n"


def home_browse_markdown(index: TermIndex, cats: list[Category], here: str) -> str:
    """Category cards and level links for the home page."""
    cards = ['<div class="grid cards ll-home-cards" markdown>', ""]
    for cat in cats:
        terms = by_level(t for t in index.terms.values() if " / ".join(t.category) == cat.path)
        if not terms:
            continue
        anchor = "#" + _slug(" › ".join(cat.parts))
        cards += [f"- **[{_md(' › '.join(cat.parts))}]({link(here, INDEX_PAGES['categories'])}{anchor})**",
                  "", "    " + (_md(cat.about) + " " if cat.about else "") +
                  ", ".join(f"[{_md(t.title)}]({link(here, term_src(t))})" for t in terms), ""]
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


def path_page(index: TermIndex, figure_html: str) -> str:
    here = INDEX_PAGES["path"]
    lp = LearningPath(index)
    out = ["# Learning path", "",
           "Which terms should you read first? Each term names its related terms; of two related terms, "
           "the one at the lower level comes first. The figure draws every term by level (left to right) "
           "with a line from each prerequisite; select a term to open it. The same graph follows as a "
           "list in reading order.", "", browse_links(here), "", figure_html, "",
           "## Reading order", "",
           "Every term comes after all the terms it builds on.", ""]
    for i, t in enumerate(lp.order(), start=1):
        pre = lp.before(t.slug)
        needs = ("after " + ", ".join(f"[{_md(b.title)}]({link(here, term_src(b))})" for b in pre)
                 if pre else "no prerequisites")
        out.append(f"{i}. [{_md(t.title)}]({link(here, term_src(t))}) {level_badge(t)} — {needs}")
    return "\n".join(out) + "\n"


def path_figure(index: TermIndex, urls: dict[str, str]):
    """The whole graph as a Plotly figure: x = level, y = order within the level; lines up a level.

    ``urls`` maps a slug to the term's URL relative to the learning-path page (customdata,
    followed by figures.js when a node is selected).
    """
    import plotly.graph_objects as go

    lp = LearningPath(index)
    cats = {" / ".join(t.category) for t in index.terms.values()}
    cat_rank = {c: i for i, c in enumerate(sorted(cats))}
    pos: dict[str, tuple[float, float]] = {}
    for lv in range(1, 6):
        col = sorted((t for t in index.terms.values() if t.level == lv),
                     key=lambda t: (cat_rank[" / ".join(t.category)], t.title.lower()))
        for i, t in enumerate(col):
            pos[t.slug] = (lv, -(i - (len(col) - 1) / 2))
    fig = go.Figure()
    ex, ey = [], []
    for a, b in lp.edges():
        (x0, y0), (x1, y1) = pos[a], pos[b]
        ex += [x0, x1, None]
        ey += [y0, y1, None]
    fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", hoverinfo="skip", showlegend=False,
                             line={"width": 1, "color": "rgba(120,120,140,0.45)"}))
    for cat in sorted(cats):
        ts = by_title(t for t in index.terms.values() if " / ".join(t.category) == cat)
        fig.add_trace(go.Scatter(
            x=[pos[t.slug][0] for t in ts], y=[pos[t.slug][1] for t in ts], mode="markers+text",
            name=cat.replace(" / ", " › "), text=[t.title for t in ts], textposition="middle right",
            customdata=[urls[t.slug] for t in ts], marker={"size": 12, "line": {"width": 1}},
            hovertext=[f"{t.title} ({level_group(t.level)} {t.level}/5)<br>{t.summary}" for t in ts],
            hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_layout(
        xaxis={"title": "Level", "tickvals": [1, 2, 3, 4, 5], "range": [0.7, 6.3], "zeroline": False,
               "ticktext": ["1 Beginner", "2 Beginner", "3 Intermediate", "4 Advanced", "5 Advanced"]},
        yaxis={"visible": False}, legend={"orientation": "h", "y": -0.12},
        margin={"l": 10, "r": 10, "t": 10, "b": 10}, hovermode="closest")
    return fig


def path_figure_alt(index: TermIndex) -> str:
    lp = LearningPath(index)
    return (f"A graph of all {len(index.terms)} terms arranged by level from 1 (left) to 5 (right), with "
            f"{len(lp.edges())} lines from each term to the related terms at higher levels. "
            "The reading order below lists the same graph in words.")


# --- glossary.json and cards ------------------------------------------------------------

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": GLOSSARY_SCHEMA,
    "title": "Latent Lexicon glossary",
    "description": "Every term of the glossary with its URLs and stable anchors, for linking from course material.",
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "site_name", "site_url", "model", "terms"],
    "properties": {
        "version": {"const": 1},
        "site_name": {"type": "string"},
        "site_url": {"type": "string", "description": "Absolute base URL of the web build (may be empty)."},
        "model": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        "terms": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["slug", "title", "aliases", "category", "level", "level_label", "summary",
                         "path", "url", "alias_paths", "card", "related", "before", "after", "anchors"],
            "properties": {
                "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                "title": {"type": "string", "minLength": 1},
                "aliases": {"type": "array", "items": {"type": "string"}},
                "category": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "level": {"type": "integer", "minimum": 1, "maximum": 5},
                "level_label": {"type": "string"},
                "summary": {"type": "string", "minLength": 1},
                "path": {"type": "string", "description": "URL path relative to the site root."},
                "url": {"type": "string", "description": "Absolute URL (site_url + path)."},
                "alias_paths": {"type": "array", "items": {"type": "string"},
                                "description": "Paths that redirect to the term."},
                "card": {"type": "string", "description": "Path of the embeddable term card."},
                "related": {"type": "array", "items": {"type": "string"}},
                "before": {"type": "array", "items": {"type": "string"}},
                "after": {"type": "array", "items": {"type": "string"}},
                "anchors": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["id", "kind", "title"],
                    "properties": {
                        "id": {"type": "string", "pattern": "^[A-Za-z][-A-Za-z0-9_:.]*$"},
                        "kind": {"enum": ["section", "example", "exercise", "figure", "block"]},
                        "title": {"type": "string"},
                    }}},
            }}},
    },
}


def glossary(index: TermIndex, *, site_name: str, site_url: str, model_name: str,
             urls: dict[str, str], alias_urls: dict[str, list[str]], anchors: dict[str, list[dict]]) -> dict:
    lp = LearningPath(index)
    base = site_url if not site_url or site_url.endswith("/") else site_url + "/"
    terms = []
    for t in by_title(index.terms.values()):
        terms.append({
            "slug": t.slug, "title": t.title, "aliases": list(t.aliases), "category": list(t.category),
            "level": t.level, "level_label": t.level_label, "summary": t.summary,
            "path": urls[t.slug], "url": base + urls[t.slug], "alias_paths": alias_urls.get(t.slug, []),
            "card": f"{CARDS_DIR}/{t.slug}.html", "related": list(t.related),
            "before": [b.slug for b in lp.before(t.slug)], "after": [a.slug for a in lp.after(t.slug)],
            "anchors": anchors.get(t.slug, []),
        })
    return {"version": 1, "site_name": site_name, "site_url": site_url,
            "model": {"name": model_name}, "terms": terms}


LATE_MARKERS = re.compile(r"^<!-- lexicon:(claims-audit|block-kinds) -->", re.M)


def block_kinds_markdown(registry, usage, here: str, url_of) -> str:
    """Every block kind: its one-line summary and the pages that use it (links to the first block)."""
    pages_of: dict[str, dict[str, str]] = {}
    for kind, src, anchor in usage:
        if src and src != here:
            pages_of.setdefault(kind, {}).setdefault(src, anchor)
    rows = ["| Kind | Shows | Used on |", "|---|---|---|"]
    for kind in sorted(registry):
        block = registry[kind]
        used = pages_of.get(kind, {})
        links = ", ".join(f'<a href="{html.escape(url_of(src))}#{html.escape(anchor)}">'
                          f'{_md(Path(src).stem.replace("-", " "))}</a>' for src, anchor in sorted(used.items()))
        rows.append(f"| [`{kind}`](#{kind}) | {_md(block.summary)} | {links or '—'} |")
    return "\n".join(rows) + "\n"


def claims_audit_markdown(claims, url_of) -> str:
    """Every claim checked in this build, with its outcome and a link to its block.

    ``url_of(src)`` gives a page's URL relative to the audit page. The links are HTML, not
    Markdown: MkDocs cannot see the anchors of computed blocks (they are raw HTML), so it
    would reject them; the test suite checks every one against the built pages instead.
    """
    if not claims:
        return "No page makes a claim yet.\n"
    false = [c for c in claims if not c.ok]
    pages = {c.extra.get("src") for c in claims}
    lines = [f"**{len(claims)} claims** on {len(pages)} pages were checked against the model in this build: "
             + (f"**{len(false)} false** (the strict build fails)." if false else "all of them hold."), "",
             "| | Page and block | The page claims | The model says |", "|---|---|---|---|"]
    for c in sorted(claims, key=lambda c: (c.extra.get("title", "").lower(), c.extra.get("src", ""), c.line)):
        status = "✓ <span class=\"ll-visually-hidden\">true</span>" if c.ok else "✗ **false**"
        target = url_of(c.extra.get("src", "")) + (f"#{c.anchor}" if c.anchor else "")
        where = (f'<a href="{html.escape(target)}">{_md(c.extra.get("title", ""))}</a>'
                 f"<br><small>{_md(c.block)}</small>")
        actual = c.actual if len(c.actual) <= 300 else c.actual[:300].rsplit(", ", 1)[0] + ", …"
        lines.append(f"| {status} | {where} | {_md(c.statement)} | {_md(actual)} |")
    return "\n".join(lines) + "\n"


def glossary_fields_markdown() -> str:
    """The fields of a glossary.json term, from the schema's own descriptions and types."""
    notes = {
        "slug": "The term's URL name: the page is `terms/<slug>/`.",
        "title": "The term's name as the page shows it.",
        "aliases": "Other names for the term; each one is also a URL that redirects to the term.",
        "category": "The category path, broadest first, e.g. `[\"Model Internals\", \"Representations\"]`.",
        "level": "1 to 5: 1–2 Beginner, 3 Intermediate, 4–5 Advanced.",
        "level_label": "The level as the page shows it, e.g. `Beginner · 2/5`.",
        "summary": "One sentence that says what the term is.",
        "related": "Slugs of the terms the page names as related.",
        "before": "Slugs of the terms to read first (related terms at a lower level).",
        "after": "Slugs of the terms this one leads to (related terms at a higher level).",
        "anchors": "Every linkable place on the page, in page order: `id` (append `#id` to the URL), "
                   "`kind` (`section`, `example`, `exercise`, `figure`, `block`) and `title` "
                   "(the heading it sits under).",
    }
    props = SCHEMA["properties"]["terms"]["items"]["properties"]
    rows = ["| Field | Type | Meaning |", "|---|---|---|"]
    for name, spec in props.items():
        kind = spec.get("type", "string")
        if kind == "array":
            kind = "list of " + ("objects" if spec["items"].get("type") == "object" else "strings")
        meaning = notes.get(name) or spec.get("description", "")
        rows.append(f"| `{name}` | {kind} | {meaning} |")
    return "\n".join(rows) + "\n"


def dumps(data) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


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


# --- The nav -----------------------------------------------------------------------------

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
    for cat in cats:
        terms = by_level(t for t in index.terms.values() if " / ".join(t.category) == cat.path)
        if not terms:
            continue
        node = tree
        for part in cat.parts:
            node = node.setdefault(part, {})
        # Nav titles are HTML to MkDocs and Material: a term's title is text.
        node.setdefault("", []).extend({html.escape(t.title): term_src(t)} for t in terms)

    def build(node: dict) -> list:
        items = list(node.get("", []))
        items += [{html.escape(name): build(child)} for name, child in node.items() if name]
        return items

    return section + build(tree)
