"""``glossary.json``: every term with its URLs and stable anchors, for linking from course material."""

from __future__ import annotations

import html as html_mod
import json
import re
from pathlib import Path

from ..terms import TermIndex
from . import CARDS_DIR, GLOSSARY, GLOSSARY_SCHEMA, by_title
from .learning_path import LearningPath


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
                         "path", "url", "alias_paths", "card", "related", "before", "after", "anchors",
                         "references"],
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
                "references": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False, "required": ["key", "cite", "title", "link"],
                    "properties": {"key": {"type": "string"}, "cite": {"type": "string"},
                                   "title": {"type": "string"}, "link": {"type": "string"}}}},
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
            "references": [{"key": r.key, "cite": r.cite, "title": r.title, "link": r.link}
                           for r in (index.bibliography.entries[k] for k in t.references)],
        })
    return {"version": 1, "site_name": site_name, "site_url": site_url,
            "model": {"name": model_name}, "terms": terms}



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
        "before": "Slugs of the terms to read first: the declared prerequisites, transitively reduced.",
        "after": "Slugs of the terms that list this one as a direct prerequisite (after reduction).",
        "references": "The works the page cites: `key`, `cite` (as prose cites it, e.g. `Pennington et al. "
                      "2014`), `title` and `link` (a DOI, arXiv or publisher URL).",
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




def write(site_dir: str, index: TermIndex, *, site_name: str, site_url: str, model_name: str,
          urls: dict[str, str], redirects: dict[str, str], use_directory_urls: bool,
          anchors: dict[str, list[dict]]) -> None:
    """Write ``glossary.json`` into the built site (after the build: it lists every page's anchors)."""
    alias_paths: dict[str, list[str]] = {}
    for alias_src, target in sorted(redirects.items()):
        page = alias_src[:-3] + ("/" if use_directory_urls else ".html")
        alias_paths.setdefault(Path(target).stem, []).append(page)
    data = glossary(index, site_name=site_name, site_url=site_url, model_name=model_name, urls=urls,
                    alias_urls=alias_paths, anchors=anchors)
    (Path(site_dir) / GLOSSARY).write_text(dumps(data), encoding="utf-8")


_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_BLOCK = re.compile(r'<(?:div|figure) class="(ll-block[^"]*|ll-figure)" id="([^"]+)"')


def page_anchors(html: str) -> list[dict]:
    """The stable anchors of a rendered term page, in page order: sections, examples, blocks."""
    found = []
    for m in _HEADING.finditer(html):
        title = re.sub(r"<[^>]+>", "", re.sub(r'<a class="headerlink".*?</a>', "", m.group(3))).strip()
        found.append((m.start(), m.group(2), "section" if m.group(1) == "2" else "example", title))
    for m in _BLOCK.finditer(html):
        cls = m.group(1)
        kind = "exercise" if "ll-exercise" in cls else "figure" if cls == "ll-figure" else "block"
        found.append((m.start(), m.group(2), kind, ""))
    found.sort()
    section = heading = ""
    out, seen = [], set()
    for _, ident, kind, title in found:
        if kind == "section":
            section = heading = title
        elif kind == "example":
            heading = title
            if section != "Examples":
                kind = "section"
        else:
            title = heading  # a block is named by the heading it sits under
        if ident in seen:
            continue
        seen.add(ident)
        out.append({"id": ident, "kind": kind, "title": html_mod.unescape(title)})
    return out
