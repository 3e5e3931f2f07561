"""Term pages: the front matter schema, the index of all terms, levels and related terms.

The index is read from the term files themselves before any page renders, so
a related term can be checked (and linked) whatever order pages build in.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path

import yaml
from mkdocs.utils.meta import get_data

from .engine.options import Validator, bounded
from .errors import LexiconError, load_yaml, schema_message, yaml_problem
from .locate import fenced_lines, line_of_key
from .prerequisites import check_prerequisites
from .references import BIBLIOGRAPHY_FILE, Bibliography
from .sources import check_text, present, read_text, read_yaml

TERMS_DIR = "terms"
PLANNED_FILE = "_data/planned-terms.yml"

SECTIONS = ["Definition", "Key Concepts", "Examples", "Interactive Exercise", "Pro Tips"]
GENERATED_SECTIONS = {"Related Terms": "related", "References": "references"}

LEVELS = {1: "Beginner", 2: "Beginner", 3: "Intermediate", 4: "Advanced", 5: "Advanced"}

SLUG = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
FRONT_MATTER_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "slug", "category", "level", "aliases", "related", "summary"],
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "slug": SLUG,
        "category": {"type": "string", "pattern": r"^[^/]+( / [^/]+)*$"},
        "level": {"type": "integer", "minimum": 1, "maximum": 5},
        "aliases": {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True},
        "related": {"type": "array", "items": SLUG, "uniqueItems": True},
        "prerequisites": {"type": "array", "items": SLUG, "uniqueItems": True},
        "summary": {"type": "string", "minLength": 10},
        "references": {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True},
    },
}
FIELD_HELP = {
    "title": "title: Embedding",
    "slug": "slug: embedding   (the file name without .md)",
    "category": "category: Model Internals / Representations",
    "level": "level: 2   (1 to 5; 1-2 Beginner, 3 Intermediate, 4-5 Advanced)",
    "aliases": "aliases: [Vector representation, Dense representation]   ([] if none)",
    "related": "related: [one-hot-encoding, word2vec]   (slugs of terms; [] if none)",
    "summary": "summary: One sentence that says what the term is.",
    "prerequisites": "prerequisites: [one-hot-encoding, vector-space]   (slugs of the terms a reader needs "
                     "first, at this level or lower; [] if none)",
    "references": "references: [pennington-2014, mikolov-2013a]   (keys in docs/_data/references.yml)",
}


@dataclass
class Term:
    slug: str
    title: str
    category: list[str]
    level: int
    aliases: list[str]
    related: list[str]
    summary: str
    src_path: str
    related_line: int = 1
    abs_path: str = ""
    references: tuple[str, ...] = ()
    prerequisites: list[str] = dc_field(default_factory=list)

    @property
    def alias_slugs(self) -> list[str]:
        """URL slugs of the aliases: /terms/<alias-slug>/ redirects to this term."""
        return [slug_of(a) for a in self.aliases]

    @property
    def level_label(self) -> str:
        return f"{LEVELS[self.level]} · {self.level}/5"


def slug_of(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")



def _is_slug(text: str) -> bool:
    return re.fullmatch(SLUG["pattern"], text) is not None


def _slug_fix(path: Path) -> str:
    """The one fix for a slug that is not a slug: both the slug and the file name, when both must change."""
    good = path.stem if _is_slug(path.stem) else slug_of(path.stem)
    if good == path.stem:
        return f"set slug: {good}   (the file name without .md)"
    return (f"rename the file to {good}.md and set slug: {good} (a term's file name is its slug: "
            "lower-case letters, digits and hyphens)")


def read_term(path: Path, rel: str) -> Term:
    """Read and validate one term file's front matter (errors name the line and the fix)."""
    text = read_text(path, rel)
    if not text.startswith("---"):
        raise LexiconError("a term page must start with YAML front matter between '---' lines",
                           file=rel, line=1, fix="add front matter with: " + ", ".join(FIELD_HELP))
    head = re.match(r"^---[ \t]*\n(.*?\n)?---[ \t]*\n", text, flags=re.S)
    if head is None:
        raise LexiconError("the front matter has no closing '---' line", file=rel, line=1,
                           fix="end the front matter with a line holding only ---")
    try:
        load_yaml(head.group(1) or "")  # MkDocs hides YAML errors; find them first
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc)
        raise LexiconError(f"front matter is not valid YAML: {problem}",
                           file=rel, line=(line + 2) if line is not None else 1,
                           fix=getattr(exc, "fix", None) or "check the quoting and indentation on that line; quote a value that "
                               "holds ': ', e.g. summary: \"Embeddings: numbers for words\"") from None
    _, meta = get_data(text)
    if not meta:
        raise LexiconError("front matter is empty or not valid YAML", file=rel, line=1,
                           fix="write 'key: value' lines between the '---' lines")
    errors = list(Validator(bounded(FRONT_MATTER_SCHEMA)).iter_errors(meta))   # exact types: 3.0 is not a level
    if errors:
        err = min(errors, key=lambda e: (e.validator != "additionalProperties", len(e.path)))
        if err.validator == "additionalProperties":
            unknown = sorted(set(meta) - set(FRONT_MATTER_SCHEMA["properties"]))[0]
            close = difflib.get_close_matches(unknown, list(FIELD_HELP), n=1)
            raise LexiconError(f"unknown front matter field '{unknown}'", file=rel,
                               line=line_of_key(text, unknown),
                               fix=(f"did you mean '{close[0]}'? " if close else "") +
                                   "allowed fields: " + ", ".join(FIELD_HELP))
        if err.validator == "required":
            missing = re.findall(r"'([^']+)'", err.message)[0]
            raise LexiconError(f"missing front matter field '{missing}'", file=rel, line=1,
                               fix=f"add a line such as  {FIELD_HELP[missing]}")
        key = str(err.path[0]) if err.path else ""
        if key == "slug" and err.validator == "pattern":
            raise LexiconError(f"slug {meta['slug']!r} is not a slug: lower-case letters, digits and hyphens",
                               file=rel, line=line_of_key(text, "slug"), fix=_slug_fix(path))
        if err.validator == "uniqueItems":
            twice = next(v for i, v in enumerate(err.instance) if v in err.instance[:i])
            raise LexiconError(f"{twice!r} is listed twice under '{key}'", file=rel, line=line_of_key(text, key),
                               fix=f"remove one {twice!r}")
        if err.validator == "maxLength":
            raise LexiconError(f"front matter field '{key}' has {len(err.instance):,} characters, more than the limit "
                               f"of {err.validator_value:,}", file=rel, line=line_of_key(text, key),
                               fix=f"shorten it to at most {err.validator_value:,} characters")
        raise LexiconError(f"front matter field '{key}': {schema_message(err)}", file=rel,
                           line=line_of_key(text, key), fix=f"write it as  {FIELD_HELP.get(key, key)}")
    for key in ("title", "summary", "category", "aliases"):   # shown on other pages too: checked here
        for value in ([meta[key]] if isinstance(meta[key], str) else meta[key]):
            check_text(value, f"'{key}' field", rel, line_of_key(text, key))
    owner = path.with_name(f"{meta['slug']}.md")
    if meta["slug"] != path.stem and owner.exists():
        raise LexiconError(f"slug '{meta['slug']}' is already the slug of {rel.rsplit('/', 1)[0]}/{owner.name}",
                           file=rel, line=line_of_key(text, "slug"),
                           fix=f"set slug: {path.stem} (a term's slug is its file name without .md)")
    if meta["slug"] != path.stem:
        raise LexiconError(f"slug '{meta['slug']}' does not match the file name '{path.name}'",
                           file=rel, line=line_of_key(text, "slug"),
                           fix=(f"set slug: {path.stem}, or rename the file to {meta['slug']}.md"
                                if _is_slug(path.stem) else f"rename the file to {meta['slug']}.md "
                                "(a term's file name is its slug: lower-case letters, digits and hyphens)"))
    return Term(slug=meta["slug"], title=meta["title"], category=meta["category"].split(" / "),
                level=meta["level"], aliases=meta["aliases"], related=meta["related"],
                summary=meta["summary"], src_path=rel, related_line=line_of_key(text, "related"),
                abs_path=str(path), references=tuple(meta.get("references", ())),
                prerequisites=list(meta.get("prerequisites", [])))


def _line_of_key_in(term: "Term", key: str) -> int:
    try:
        return line_of_key(read_text(term.abs_path, term.src_path), key)
    except LexiconError:
        return 1


def check_sections(text: str, rel: str) -> None:
    """A term page has the seed's sections as '## ' headings, all of them, in order."""
    lines = text.split("\n")
    fenced = fenced_lines(text)
    headings = [(i + 1, line[3:].strip()) for i, line in enumerate(lines)
                if line.startswith("## ") and i + 1 not in fenced]
    names = [h for _, h in headings]
    for section, field in GENERATED_SECTIONS.items():
        if section in names:
            raise LexiconError(f"the {section} section is generated from the '{field}' front matter field",
                               file=rel, line=headings[names.index(section)][0],
                               fix=f"remove the '## {section}' heading and list the "
                                   f"{'slugs' if field == 'related' else 'reference keys'} under '{field}:'")
    missing = [s for s in SECTIONS if s not in names]
    if missing:
        raise LexiconError(f"a term page needs the section '## {missing[0]}'", file=rel, line=1,
                           fix="term pages have these '## ' sections, in this order: " + ", ".join(SECTIONS))
    order = [n for n in names if n in SECTIONS]
    if order != SECTIONS:
        wrong = next(n for n, want in zip(order, SECTIONS) if n != want)
        raise LexiconError(f"the section '## {wrong}' is out of order", file=rel,
                           line=headings[names.index(wrong)][0],
                           fix="term pages have these '## ' sections, in this order: " + ", ".join(SECTIONS))


PLANNED_FIX = ("write one line per planned term, 'slug: Its Title', e.g.  contrastive-learning: Contrastive "
               "learning; the file holds only '{}' when there are none, so delete that line when you add one")


def load_planned(path: Path, rel: str) -> dict[str, str]:
    """``docs/_data/planned-terms.yml``: slugs that related lists may name before their pages exist."""
    if not present(path):
        return {}
    data, text = read_yaml(path, rel, fix=PLANNED_FIX)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LexiconError("the planned terms must map slugs to titles", file=rel, line=1, fix=PLANNED_FIX)
    for slug, title in data.items():
        line = line_of_key(text, str(slug))
        if not isinstance(slug, str) or not _is_slug(slug):
            raise LexiconError(f"{slug!r} is not a slug: lower-case letters, digits and hyphens", file=rel,
                               line=line, fix=PLANNED_FIX)
        if not isinstance(title, str) or not title.strip():
            raise LexiconError(f"planned term {slug!r} has no title", file=rel, line=line,
                               fix=f"write its title after the colon, e.g.  {slug}: {slug.replace('-', ' ').capitalize()}")
        check_text(title, f"title of planned term {slug!r}", rel, line)
    return data


class TermIndex:
    """Every term page plus the planned terms that related lists may name before they exist."""

    def __init__(self, terms: dict[str, Term], planned: dict[str, str], docs_rel: str,
                 bibliography: Bibliography | None = None):
        self.terms = terms
        self.planned = planned
        self.docs_rel = docs_rel
        self.category_order: list[str] = []   # categories.yml's paths, in order (set with the categories)
        self.start_here: list[str] | None = None   # start-here.yml's slugs (catalog.start_here), if any
        self.bibliography = bibliography or Bibliography({}, f"{docs_rel}/{BIBLIOGRAPHY_FILE}")

    @classmethod
    def load(cls, docs_dir: Path, docs_rel: str = "docs") -> "TermIndex":
        terms: dict[str, Term] = {}
        for path in sorted((docs_dir / TERMS_DIR).glob("*.md")):
            rel = f"{docs_rel}/{TERMS_DIR}/{path.name}"
            term = read_term(path, rel)
            terms[term.slug] = term
        planned = load_planned(docs_dir / PLANNED_FILE, f"{docs_rel}/{PLANNED_FILE}")
        index = cls(terms, planned, docs_rel, Bibliography.load(docs_dir, docs_rel))
        index.check_titles()
        index.check_related()
        check_prerequisites(index.terms)
        index.check_aliases()
        index.check_references()
        return index

    def check_titles(self) -> None:
        """Two terms may not share a title, not even one that differs only in case: the navigation,
        the A–Z list and search would show the same name twice for two pages."""
        seen: dict[str, Term] = {}
        for term in sorted(self.terms.values(), key=lambda t: t.src_path):
            other = seen.setdefault(term.title.casefold(), term)
            if other is not term:
                raise LexiconError(f"title {term.title!r} is already the title of {other.src_path}"
                                   + ("" if other.title == term.title else f" ({other.title!r})"),
                                   file=term.src_path, line=_line_of_key_in(term, "title"),
                                   fix="give each term its own title; if they are the same term, merge the "
                                       "pages and list the other name under 'aliases'")

    def check_references(self) -> None:
        for term in self.terms.values():
            err = self.bibliography.check_keys(list(term.references), term.src_path, _line_of_key_in(term, "references"))
            if err:
                raise err

    def references_markdown(self, term: Term) -> str:
        """The References section, generated from the page's 'references' list."""
        return self.bibliography.section(list(term.references))

    def check_aliases(self) -> None:
        """Every alias URL must lead to one term: no alias may repeat a slug or another alias."""
        owner: dict[str, str] = {slug: f"the term page {t.src_path}" for slug, t in self.terms.items()}
        for term in self.terms.values():
            for alias, slug in zip(term.aliases, term.alias_slugs):
                if slug == term.slug:
                    continue  # "Embedding" as an alias of embedding: same URL, nothing to redirect
                if not slug:
                    raise LexiconError(f"alias '{alias}' has no letters or digits for a URL",
                                       file=term.src_path, line=_line_of_key_in(term, "aliases"),
                                       fix="write the alias with letters or digits")
                if slug in owner:
                    raise LexiconError(
                        f"alias '{alias}' (/terms/{slug}/) is already taken by {owner[slug]}",
                        file=term.src_path, line=_line_of_key_in(term, "aliases"),
                        fix="an alias URL must lead to one term: remove or reword one of them")
                owner[slug] = f"an alias of {term.src_path}"

    def redirects(self) -> dict[str, str]:
        """mkdocs-redirects map: each alias page to its term page."""
        return {f"{TERMS_DIR}/{a}.md": f"{TERMS_DIR}/{t.slug}.md"
                for t in self.terms.values() for a in t.alias_slugs if a != t.slug}

    def backlinks(self, slug: str) -> list[Term]:
        """Terms whose related list names ``slug``, by title."""
        return sorted((t for t in self.terms.values() if slug in t.related), key=lambda t: t.title.lower())

    def check_related(self) -> None:
        known = set(self.terms) | set(self.planned)
        for term in self.terms.values():
            for slug in term.related:
                if slug not in known:
                    close = difflib.get_close_matches(slug, sorted(known), n=3)
                    raise LexiconError(
                        f"related term '{slug}' is neither a term page nor a planned term",
                        file=term.src_path, line=term.related_line,
                        fix=(f"did you mean {', '.join(close)}? " if close else "") +
                            f"or add '{slug}: Its Title' to {self.docs_rel}/{PLANNED_FILE}")
                if slug == term.slug:
                    raise LexiconError("a term cannot be related to itself", file=term.src_path,
                                       line=term.related_line, fix=f"remove '{slug}'")

    def related_markdown(self, term: Term) -> str:
        """The Related Terms section: links to pages that exist, plain text for planned ones,
        then the terms that point here (backlinks)."""
        from .catalog import md_text   # as every listing shows them: text, never markup or a link

        back = self.backlinks(term.slug)
        if not term.related and not back:
            return ""
        lines = ["", "## Related Terms", ""]
        for slug in term.related:
            if slug in self.terms:
                other = self.terms[slug]
                lines.append(f"- [{md_text(other.title)}]({slug}.md) — {md_text(other.summary)}")
            else:
                lines.append(f'- {md_text(str(self.planned[slug]))} <span class="ll-soon">(page coming soon)</span>')
        if back:
            links = ", ".join(f"[{md_text(t.title)}]({t.slug}.md)" for t in back)
            lines += ["", f"**Terms that point here:** {links}"]
        return "\n".join(lines) + "\n"
