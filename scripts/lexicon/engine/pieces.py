"""What a kind's ``render`` returns: the parts of its block, in order, as plain data.

The frame (:mod:`lexicon.engine.frame`) turns them into HTML: the wrapper, figures or
their tables, captions, folded numbers and code, the checked claims and the model note.
Every author string is escaped or rendered as safe Markdown there, never here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..render import Raw  # noqa: F401  (a trusted table cell: re-exported for kinds)


@dataclass
class Html:
    """Trusted HTML built by the kind with :func:`lexicon.render.esc` around every value."""

    html: str


@dataclass
class Text:
    """A paragraph of plain text (escaped)."""

    text: str
    cls: str = "ll-caption"


@dataclass
class Caption:
    """A paragraph of Markdown, such as an author's caption (raw HTML is shown as text)."""

    markdown: str
    cls: str = "ll-caption"


@dataclass
class Subhead:
    text: str


@dataclass
class Table:
    """Rows of cells (text, numbers, or :class:`Raw`); the first cell of a row is its header."""

    headers: list
    rows: list
    numeric: tuple = ()
    cls: str = ""


@dataclass
class Figure:
    """A Plotly figure with its text alternative, caption and the numbers behind it.

    ``figure`` may be a zero-argument function, called only when the figure is shown.
    ``caption`` is the author's (Markdown) and wins over ``default_caption``. When the
    block's ``figure`` option is false, the figure gives way to the author's caption and
    its ``table`` (``fallback=False``: to nothing; ``always=True``: it stays). ``anchor`` is
    appended to the block's.
    """

    figure: Any
    alt: str
    height: int
    caption: str | None = None
    default_caption: str = ""
    table: Table | Html | None = None
    anchor: str = "figure"
    fallback: bool = True
    always: bool = False         # shown even with ``figure: false`` (a second figure the switch is not about)
    links: bool = False          # nodes carry URLs to follow (the learning path)

    def make(self):
        return self.figure() if callable(self.figure) else self.figure


@dataclass
class Details:
    """A folded section ("Coordinates of all 48 words")."""

    summary: str
    body: list
    cls: str = "ll-data"


@dataclass
class Tab:
    label: str
    anchor: str
    body: list


@dataclass
class Tabs:
    tabs: list[Tab]


@dataclass
class Code:
    """The code behind the numbers, folded; shown after the claims unless ``code: false``."""

    source: str
    summary: str = "The gensim call behind these numbers"


@dataclass
class Note:
    """Replaces the "computed from <model>" line, for a block computed without the model."""

    html: str


# --- Exercises ---------------------------------------------------------------------------------

@dataclass
class Exercise:
    """An exercise: its controls, the answer the browser grades against, and what is revealed.

    ``grader`` names the grader in ``exercises.js`` (``rank``, ``odd-one-out``, ``analogy``,
    ``choice``); ``answer`` is the data it grades with. The reveal is hidden (and kept out of
    the search index) until the reader checks an answer; the frame adds the claims to it.
    """

    grader: str
    controls: str
    answer: dict
    reveal: list = field(default_factory=list)


@dataclass
class Choices:
    """A multiple-choice exercise: the options in display order, the right one, and one
    computed sentence per option that the status line reads out after grading. ``before``
    holds parts shown between the prompt and the choices (the text a question is about)."""

    options: list[str]
    answer: str
    why: dict[str, str]
    reveal: list = field(default_factory=list)
    before: list = field(default_factory=list)


Piece = Html | Text | Caption | Subhead | Table | Figure | Details | Tabs | Code | Note
Renderable = Callable[..., str]
