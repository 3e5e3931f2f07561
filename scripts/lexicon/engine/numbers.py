"""The numbers check: every number in a term page's running prose must be accounted for.

A number in prose (paragraphs, lists, headings, admonitions, hand-written tables) passes if

- it is a computed value, ``{{ ref.value }}`` (:mod:`lexicon.engine.values`), which is not
  a number in the source at all;
- it stands in a sentence that cites where it comes from, with authors, year and a
  table, page, section or figure: ``(Pennington et al. 2014, Table 2)`` or
  ``Pennington et al. (2014, Table 2)``;
- it is an allowed form: a year (1900–2099); part of a name, such as word2vec, GPT-2,
  L2 or GloVe 6B 50d (digits joined to letters), or one of the names listed in the
  plugin's ``number_names``; a label such as "level 3" or "step 2"; or one of the
  constants of definitions, −1, 0 and 1.

Code spans, fenced blocks, link targets, HTML tags, the front matter and the References
section are not prose. Numbers written as words are not checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import LexiconError
from ..locate import fenced_lines, front_matter_lines

NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:,\d{3})*(?:\.\d+)?")
YEAR = re.compile(r"(?:19|20)\d\d")
LABELS = ("level", "levels", "step", "steps", "table", "figure", "fig.", "section", "§", "page", "p.", "pp.",
          "chapter", "equation", "eq.", "part", "example", "version", "layer", "head", "document")
CONSTANTS = {"0", "1", "-1", "−1"}
DEFAULT_NAMES = ("1-D", "2-D", "3-D")
# "(Pennington et al. 2014, Table 2)", "Pennington et al. (2014, Table 2)", "(Harris 1954, p. 146)"
_AUTHORS = r"[A-Z][\w'’-]+(?:(?:,| and| &) [A-Z][\w'’-]+)*(?: et al\.?)?"
_LOCATOR = r"(?:table|tab\.|page|p\.|pp\.|section|sec\.|§|figure|fig\.|equation|eq\.|chapter|ch\.)\s?[\w.–-]+"
CITATION = re.compile(rf"(?:\({_AUTHORS},? (?:19|20)\d\d[a-z]?,\s*{_LOCATOR}[^()]*\)"
                      rf"|{_AUTHORS} \((?:19|20)\d\d[a-z]?,\s*{_LOCATOR}[^()]*\))", re.I)
VALUE_REF = re.compile(r"\{\{.*?\}\}")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
LINK_TARGET = re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]")
TAG = re.compile(r"<!--.*?-->|<[^>]+>")
ATTRS = re.compile(r"\{[:#.][^}]*\}")
LIST_MARKER = re.compile(r"^(\s*(?:>\s*)*)\d+[.)](?=\s)")
FOOTNOTE = re.compile(r"\[\^[^\]]*\]")
BLOCK_START = re.compile(r"\s*(?:#|[-*+]\s|\d+[.)]\s|\||!!!|\?\?\?|>)")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[A-Z*_\[(“\"])")


@dataclass(frozen=True)
class Stray:
    line: int
    number: str
    context: str


def check(text: str, src: str, names=DEFAULT_NAMES) -> list[LexiconError]:
    """Errors for the numbers in ``text`` (a page file, front matter included) that are not accounted for."""
    return [LexiconError(
        f"the number '{s.number}' in the prose is neither computed nor cited: “{s.context}”",
        file=src, line=s.line,
        fix="quote the block's value with {{ id.value }} (docs/authoring.md, 'Computed values in prose'), "
            "cite its source in the sentence, e.g. (Pennington et al. 2014, Table 2), or write it in words "
            "if it is not a quantity") for s in strays(text, names)]


def strays(text: str, names=DEFAULT_NAMES) -> list[Stray]:
    lines = _label_cells(text.split("\n"))
    skip = fenced_lines(text) | front_matter_lines(text) | _references(lines)
    out: list[Stray] = []
    for para in _paragraphs(lines, skip):
        out += _in_paragraph(para, names)
    return out


TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
LABEL_CELL = re.compile(r"^(\s*)(\d+)(?=\s*(?:\(.*\))?\s*$)")


def _label_cells(lines: list[str]) -> list[str]:
    """Lines with the numbers of hand-written tables' label columns blanked out: a cell that is
    only a number ("2", "3 (optional)") under a header such as "Step" or "Level" is a label."""
    out, labels = list(lines), set()
    for i, line in enumerate(lines):
        if not line.lstrip().startswith("|"):
            labels = set()
            continue
        cells = line.split("|")
        if i + 1 < len(lines) and TABLE_RULE.match(lines[i + 1]):
            labels = {k for k, c in enumerate(cells) if c.strip().lower() in LABELS}
        elif labels and not TABLE_RULE.match(line):
            cells = [LABEL_CELL.sub(lambda m: m.group(1) + " " * len(m.group(2)), c) if k in labels else c
                     for k, c in enumerate(cells)]
            out[i] = "|".join(cells)
    return out



def _references(lines: list[str]) -> set[int]:
    """The References section: a bibliography, whose years, volumes and pages are not prose."""
    out, inside = set(), False
    for i, line in enumerate(lines, start=1):
        if line.startswith("## "):
            inside = line[3:].strip().lower() == "references"
        if inside:
            out.add(i)
    return out


def _paragraphs(lines: list[str], skip: set[int]):
    """Runs of prose lines as [(line number, cleaned text)]: a sentence never crosses a blank
    line, a list item, a heading or a table row."""
    para: list[tuple[int, str]] = []
    prev_quoted = False
    for i, raw in enumerate(lines, start=1):
        if i in skip or not raw.strip():
            if para:
                yield para
            para = []
            continue
        quoted = raw.lstrip().startswith(">")
        # A new block starts a new run of sentences; the lines of one quote run on together.
        if BLOCK_START.match(raw) and para and not (quoted and prev_quoted):
            yield para
            para = []
        prev_quoted = quoted
        para.append((i, _clean(raw).strip()))
        if raw.lstrip().startswith(("#", "|")):
            yield para
            para = []
    if para:
        yield para


def _clean(line: str) -> str:
    """The line's prose: code, link targets, tags, value references and list markers blanked out
    (same length, so positions stay put)."""
    for pattern in (CODE_SPAN, VALUE_REF, LINK_TARGET, TAG, ATTRS, FOOTNOTE):
        line = pattern.sub(lambda m: " " * len(m.group(0)), line)
    line = LIST_MARKER.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), line)
    return re.sub(r"^(\s*>)+", lambda m: " " * len(m.group(0)), line)


def _in_paragraph(para: list[tuple[int, str]], names) -> list[Stray]:
    text = " ".join(t for _, t in para)
    starts, pos = [], 0
    for number, t in para:
        starts.append((pos, number))
        pos += len(t) + 1
    cited = _cited_spans(text)
    out = []
    for m in NUMBER.finditer(text):
        if _allowed(text, m, names) or any(a <= m.start() < b for a, b in cited):
            continue
        line = max(n for p, n in starts if p <= m.start())
        out.append(Stray(line, m.group(0), _context(text, m)))
    return out


ABBREVIATIONS = ("al.", "e.g.", "i.e.", "p.", "pp.", "fig.", "eq.", "sec.", "tab.", "vs.", "cf.", "ch.")


def _cited_spans(text: str) -> list[tuple[int, int]]:
    """Sentences that carry a citation with a locator (a sentence does not end at "et al.")."""
    spans, start = [], 0
    bounds = [m.start() for m in SENTENCE_END.finditer(text)
              if not text[:m.start()].lower().endswith(ABBREVIATIONS)] + [len(text)]
    for end in bounds:
        if CITATION.search(text[start:end]):
            spans.append((start, end))
        start = end
    return spans


def _allowed(text: str, m, names) -> bool:
    token = m.group(0)
    plain = token.replace("−", "-")
    before, after = text[:m.start()], text[m.end():]
    if plain in CONSTANTS and not after.startswith("%"):
        return True
    if YEAR.fullmatch(plain) and not after.lstrip().startswith("%"):
        return True
    # Part of a name: digits joined to letters (word2vec, GPT-2, L2, 6B, 50d, int8).
    if re.match(r"[A-Za-z]", after[:1]) or re.search(r"[A-Za-z][-]?$", before[-2:] if before else ""):
        return True
    for name in names:
        for n in re.finditer(re.escape(name), text):
            if n.start() <= m.start() < n.end():
                return True
    word = before.rstrip().rsplit(" ", 1)[-1].lower() if before.strip() else ""
    return word.lstrip("([“\"'*_") in LABELS  # "(step 2", "*Level* 3"


def _context(text: str, m) -> str:
    a, b = max(0, m.start() - 50), min(len(text), m.end() + 50)
    return " ".join(text[a:b].split())
