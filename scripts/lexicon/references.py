"""References: one bibliography for the site, cited from term pages.

- ``docs/_data/references.yml`` holds every work the site cites, once, under a key such as
  ``pennington-2014``: authors ("Surname, Given names"), year, title, venue, and a DOI, an arXiv
  id or an https URL for the reader to follow.
- A term page lists the keys it cites in its front matter (``references: [pennington-2014]``);
  the References section at the end of the page is generated from them, after Related Terms.
- Every author–year citation in the page's prose, "Pennington et al. (2014, Table 2)" or
  "(Harris 1954, p. 146)", must name a work the page lists, so a reader can always follow it.

Each work's DOI, arXiv id or URL is shown as text for the reader to copy, not as a link: the site
requests nothing from another host, not even after a click.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .engine.options import Validator
from .errors import LexiconError
from .locate import fenced_lines, front_matter_lines, line_of_key
from .sources import check_text, line_of_field, present, read_yaml

BIBLIOGRAPHY_FILE = "_data/references.yml"
KEY = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
DOI = r"^10\.\d{4,9}/[-._;()/:A-Za-z0-9]+$"
ARXIV = r"^\d{4}\.\d{4,5}$"
ENTRY_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["authors", "year", "title", "venue"],
    "properties": {
        "authors": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        "year": {"type": "integer", "minimum": 1700, "maximum": 2100},
        "suffix": {"type": "string", "pattern": "^[a-z]$"},
        "et_al": {"type": "boolean"},
        "group": {"type": "boolean"},   # the one author is a group ("scikit-learn developers"), not a person
        "title": {"type": "string", "minLength": 1},
        "venue": {"type": "string", "minLength": 1},
        "doi": {"type": "string", "pattern": DOI},
        "arxiv": {"type": "string", "pattern": ARXIV},
        "url": {"type": "string", "pattern": r"^https://[^\s<>\"']+$"},
    },
    "anyOf": [{"required": ["doi"]}, {"required": ["arxiv"]}, {"required": ["url"]}],
    "if": {"properties": {"group": {"const": True}}, "required": ["group"]},
    "then": {"properties": {"authors": {"maxItems": 1, "items": {"pattern": r"^[^,]+$"}}}},
    "else": {"properties": {"authors": {"items": {"pattern": r"^[^,]+, [^,]+$"}}}},
}
ENTRY_HELP = ("pennington-2014:\n  authors: [\"Pennington, Jeffrey\", \"Socher, Richard\"]\n  year: 2014\n"
              "  title: \"GloVe: Global Vectors for Word Representation\"\n  venue: EMNLP 2014, pp. 1532–1543\n"
              "  doi: 10.3115/v1/D14-1162     (or arxiv: 1301.3781, or url: https://…)")

_NAME = r"[A-Z][\w'’-]+"
_PARTICLE = r"(?:van der |van |de |von )?"
# "Pennington et al. (2014", "Pennington et al. 2014", "Levy and Goldberg (2014", "(Levy and Goldberg 2014",
# "Harris (1954", "(Harris 1954", "Timkey and van Schijndel (2021": the shapes of an author–year citation (a
# second author may have a particle). A bare "Wikipedia 2014" is not one.
CITATION = re.compile(
    rf"(?:(?<=\()|(?<=\[))(?:van der |van |de |von )?(?P<a>{_NAME})(?: et al\.?|,? (?:and|&) {_PARTICLE}{_NAME})?,? "
    rf"(?P<y>(?:1[7-9]|20)\d\d)(?P<s>[a-z]?)\b"
    rf"|(?:van der |van |de |von )?(?P<a2>{_NAME})(?P<etal> et al\.?|,? (?:and|&) {_PARTICLE}{_NAME})? "
    rf"\((?P<y2>(?:1[7-9]|20)\d\d)(?P<s2>[a-z]?)\b"
    rf"|(?:van der |van |de |von )?(?P<a3>{_NAME})(?: et al\.?| (?:and|&) {_PARTICLE}{_NAME}) (?P<y3>(?:1[7-9]|20)\d\d)(?P<s3>[a-z]?)\b")


@dataclass(frozen=True)
class Reference:
    key: str
    authors: tuple[str, ...]
    year: int
    title: str
    venue: str
    suffix: str = ""
    et_al: bool = False
    group: bool = False
    doi: str = ""
    arxiv: str = ""
    url: str = ""

    @property
    def surname(self) -> str:
        """The first author's surname's last word: "van der Maaten, Laurens" → "Maaten"."""
        return self.authors[0].split(",")[0].split()[-1]

    @property
    def sort_name(self) -> str:
        """Where the References list files the work: the first author's surname without its leading
        particles and accents ("van der Maaten" → "maaten", "Spärck Jones" → "sparck jones")."""
        words = self.authors[0].split(",")[0].split()
        while len(words) > 1 and words[0][:1].islower() and not self.group:
            words = words[1:]
        plain = unicodedata.normalize("NFKD", " ".join(words))
        return "".join(c for c in plain if not unicodedata.combining(c)).lower()

    @property
    def cite(self) -> str:
        """How the prose cites it: "Pennington et al. 2014", "Levy and Goldberg 2014", "Harris 1954"."""
        names = [a.split(",")[0] for a in self.authors]
        who = (names[0] if len(names) == 1 and not self.et_al
               else f"{names[0]} and {names[1]}" if len(names) == 2 and not self.et_al
               else f"{names[0]} et al.")
        return f"{who} {self.year}{self.suffix}"

    @property
    def link(self) -> str:
        """The work's address: its DOI or arXiv resolver, or its URL."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.arxiv:
            return f"https://arxiv.org/abs/{self.arxiv}"
        return self.url

    def markdown(self) -> str:
        """One entry of the References list: authors (year). Title. Venue. Link."""
        def initials(given: str) -> str:
            return " ".join(part[0] + "." for part in re.split(r"[\s]+", given.strip()) if part)

        names = []
        for author in self.authors:
            surname, _, given = (s.strip() for s in author.partition(","))
            names.append(f"{surname}, {initials(given)}" if given else surname)
        if self.et_al:
            who = ", ".join(names) + " et al."
        else:
            who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return (f'- <span id="ref-{self.key}"></span>{_text(who)} ({self.year}{self.suffix}). '
                f'*{_text(self.title.rstrip("."))}.* {_text(self.venue)}. `{self.identifier}`')

    @property
    def identifier(self) -> str:
        """What a reader copies to find the work: ``doi:…``, ``arXiv:…`` or the URL. Shown as text:
        the site never links to another host (a click must not leave it either)."""
        return f"doi:{self.doi}" if self.doi else f"arXiv:{self.arxiv}" if self.arxiv else self.url


def _text(value: str) -> str:
    """Author data as literal text inside generated Markdown: HTML escaped, Markdown inert."""
    return re.sub(r"([\\`*_\[\]{}#!])", r"\\\1", html.escape(value, quote=False))


class Bibliography:
    """Every work the site cites, by key."""

    def __init__(self, entries: dict[str, Reference], src: str):
        self.entries = entries
        self.src = src

    @classmethod
    def load(cls, docs_dir: Path, docs_rel: str = "docs") -> "Bibliography":
        path = docs_dir / BIBLIOGRAPHY_FILE
        src = f"{docs_rel}/{BIBLIOGRAPHY_FILE}"
        if not present(path):
            return cls({}, src)
        data, text = read_yaml(path, src, fix="check the quoting and indentation; quote a title that holds ': '")
        data = data or {}
        if not isinstance(data, dict):
            raise LexiconError("the bibliography must map keys to works", file=src, line=1, fix=ENTRY_HELP)
        entries: dict[str, Reference] = {}
        validator = Validator(ENTRY_SCHEMA)   # exact types: a year is a whole number
        for key, entry in data.items():
            line = line_of_key(text, str(key))
            if not isinstance(key, str) or not re.match(KEY, key):
                raise LexiconError(f"reference key {key!r} is not a lower-case key such as 'pennington-2014'",
                                   file=src, line=line, fix="use letters, digits and hyphens: surname-year")
            errors = list(validator.iter_errors(entry))
            if errors:
                err = min(errors, key=lambda e: len(e.path))
                where = "/".join(str(p) for p in err.path) or "the entry"
                raise LexiconError(f"reference '{key}', {where}: {_plain(err)}", file=src, line=line,
                                   fix="write the entry as\n" + ENTRY_HELP)
            for field in ("authors", "title", "venue", "url"):
                for value in ([entry[field]] if isinstance(entry.get(field), str) else entry.get(field, [])):
                    check_text(value, f"'{field}' of reference '{key}'", src, line_of_field(text, line, field))
            entries[key] = Reference(key=key, authors=tuple(entry["authors"]), year=entry["year"],
                                     title=entry["title"], venue=entry["venue"], suffix=entry.get("suffix", ""),
                                     et_al=entry.get("et_al", False), group=entry.get("group", False),
                                     doi=entry.get("doi", ""), arxiv=entry.get("arxiv", ""),
                                     url=entry.get("url", ""))
        bib = cls(entries, src)
        bib._check_distinct(text)
        return bib

    def _check_distinct(self, text: str) -> None:
        seen: dict[tuple, str] = {}
        for ref in self.entries.values():
            mark = (ref.surname.lower(), ref.year, ref.suffix)
            if mark in seen:
                raise LexiconError(
                    f"'{ref.key}' and '{seen[mark]}' would both be cited as “{ref.cite}”",
                    file=self.src, line=line_of_key(text, ref.key),
                    fix="give them year suffixes, e.g. suffix: a and suffix: b (cited as 2013a, 2013b)")
            seen[mark] = ref.key

    def check_keys(self, keys: list[str], file: str, line: int) -> LexiconError | None:
        """The first key of a page's 'references' list that is not in the bibliography, as an error."""
        for key in keys:
            if key not in self.entries:
                close = difflib.get_close_matches(key, list(self.entries), n=3)
                return LexiconError(f"reference '{key}' is not in {self.src}", file=file, line=line,
                                    fix=(f"did you mean {', '.join(close)}? " if close else "")
                                        + f"or add the work to {self.src}")
        return None

    def section(self, keys: list[str]) -> str:
        """The generated References section of a page."""
        if not keys:
            return ""
        refs = sorted((self.entries[k] for k in keys), key=lambda r: (r.sort_name, r.year, r.suffix))
        return "\n".join(["", "## References", "", *(r.markdown() for r in refs)]) + "\n"

    def check_citations(self, text: str, src: str, keys: list[str]) -> list[LexiconError]:
        """Every author–year citation in the prose must name a work the page lists."""
        listed = {(self.entries[k].surname.lower(), self.entries[k].year, self.entries[k].suffix): k
                  for k in keys if k in self.entries}
        anywhere = {(r.surname.lower(), r.year, r.suffix): r.key for r in self.entries.values()}
        errors, fenced = [], fenced_lines(text)
        body_start = max(front_matter_lines(text), default=0) + 1
        for number, line in enumerate(text.split("\n"), start=1):
            if number < body_start or number in fenced:
                continue
            for m in CITATION.finditer(re.sub(r"`[^`]*`", "", line)):
                surname = m.group("a") or m.group("a2") or m.group("a3")
                year = int(m.group("y") or m.group("y2") or m.group("y3"))
                suffix = m.group("s") or m.group("s2") or m.group("s3") or ""
                mark = (surname.lower(), year, suffix)
                if mark in listed:
                    continue
                cited = m.group(0).strip()
                if mark in anywhere:
                    fix = f"add '{anywhere[mark]}' to the page's 'references:' list"
                else:
                    fix = (f"add the work to {self.src} (see the authoring guide's References section) "
                           "and its key to the page's 'references:' list")
                errors.append(LexiconError(f"“{cited}” cites a work that is not in the page's references",
                                           file=src, line=number, fix=fix))
        return errors


def _plain(err) -> str:
    if err.validator == "anyOf":
        return "needs a link for the reader: doi, arxiv or url"
    if err.validator == "pattern" and err.path and err.path[0] == "authors":
        if "," in str(err.instance):
            return f"{err.instance!r} is a group's name ('group: true'), written without a comma"
        return f"{err.instance!r} should be written “Surname, Given names”"
    return err.message
