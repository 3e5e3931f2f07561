"""The block kind: what one file in a family folder defines.

A kind is a class in ``lexicon/blocks/<family>/<kind_name>.py`` (the file is named after
the kind, ``-`` written as ``_``). Its docstring's first paragraph is the one-line summary
of the authoring guide's table, the rest its description there. It declares:

- ``options``: every option, once (:mod:`lexicon.engine.options`);
- ``example``: the YAML body of an example block (the guide shows it, the tests build it);
- ``prepare(spec)``: values derived from the options and checks across options;
- ``words(spec)``: the words the model must know (by default every ``vocab`` option's words);
- ``compute(kv, spec)``: the result, plain JSON data, cached by content;
- ``claims(spec, result, check)``: the author's claims, checked against the result;
- ``render(spec, result, ctx)``: the block's parts (:mod:`lexicon.engine.pieces`);
- ``@value`` methods: numbers prose can quote (``{{ id.name(args) }}``), from the result.

The cache key of a result is derived from the code ``compute`` reaches
(:mod:`lexicon.engine.deps`): editing ``render`` or ``claims`` recomputes nothing.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

from .options import BASE, Options, Spec, text


@dataclass(frozen=True)
class Value:
    """A computed number for running prose: its text exactly as the block's table shows it."""

    text: str
    number: float | int | None = None


def value(doc: str):
    """Mark a method ``(self, spec, result, *args) -> Value`` as a value prose can quote."""
    def mark(fn):
        fn.lexicon_value = doc
        return fn
    return mark


class Kind:
    """Base class of every block kind (see the module docstring)."""

    kind = ""                 # set from the module name by the registry
    family = ""               # the family package's name
    example = ""
    options: Options = BASE
    needs_model = True        # False: computed without the embedding model (cached under NO_MODEL)
    # Rendering: "Computed at build time from <model>" unless the kind says otherwise.
    note: str | None = None
    # Kinds with the same costly start-up (numba compiling a library) name it alike, so that a
    # cold build computes them all in one process and pays it once (engine.helper).
    startup: str = ""
    # A map lays its words out by their directions: two words of one direction (copies of one
    # vector) cannot be told apart, and t-SNE on copies crashes the process (geometry.require_spread).
    distinct_words: bool = False

    # --- what a kind may override -----------------------------------------------------------
    def prepare(self, spec: Spec) -> None:
        """Derive values from the options (``spec.x = …``); raise LexiconError for bad combinations."""

    def words(self, spec: Spec) -> list[str]:
        """The words of every ``vocab`` option that changes the result. A claim's words are not
        looked up (a warm build never loads the model): a word the model lacks makes a false claim."""
        out: list[str] = []
        for name, opt in self.options:
            if opt.vocab and not opt.display:
                out += _words_in(getattr(spec, name))
        return list(dict.fromkeys(out))

    def queries(self, spec: Spec) -> list[tuple[list[str], list[str]]]:
        """The word sums the block ranks or projects against, as (added, subtracted) words: each
        must leave a direction that is not rounding noise (``geometry.check_query``)."""
        return []

    def compute(self, kv, spec: Spec) -> dict:
        raise NotImplementedError(f"{type(self).__name__}.compute")

    def claims(self, spec: Spec, result: dict, check) -> None:
        """Check the author's claims with ``check(...)``, ``check.rank(...)``, …"""

    def render(self, spec: Spec, result: dict, ctx) -> list:
        raise NotImplementedError(f"{type(self).__name__}.render")

    def anchor_hint(self, spec: Spec) -> str:
        """Words for the block's stable anchor (``#analogy-king-man-woman``)."""
        return " ".join(self.words(spec)[:4])

    # --- derived from the declarations ----------------------------------------------------------
    def read(self, source: str) -> Spec:
        """A block's body (YAML) → its validated spec, defaults filled in, then prepared."""
        from .yamlread import read_block

        spec = self.options.spec(read_block(self.kind, source, self.options, self.example))
        self.prepare(spec)
        return spec

    @classmethod
    def summary(cls) -> str:
        return _paragraphs(cls)[0]

    @classmethod
    def description(cls) -> str:
        return "\n\n".join(_paragraphs(cls)[1:])

    @classmethod
    def values(cls) -> dict[str, object]:
        """The kind's ``@value`` methods by name."""
        return {name: fn for name, fn in inspect.getmembers(cls, callable) if hasattr(fn, "lexicon_value")}

    @property
    def is_exercise(self) -> bool:
        return isinstance(self, ExerciseKind)


class ExerciseKind(Kind):
    """An exercise: ``render`` returns an :class:`~lexicon.engine.pieces.Exercise` or
    :class:`~lexicon.engine.pieces.Choices`; the frame adds the prompt, the buttons, the live
    status and the hidden answer with the claims and the author's explanation."""

    default_prompt = ""       # may name options: "Which word shares the most contexts with “{word}”?"
    options = Options(BASE,
                      prompt=text("The question the reader answers (Markdown).", display=True),
                      explanation=text("Shown with the model's answer once the reader has answered "
                                       "(Markdown).", display=True))

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if cls.default_prompt and "prompt" in cls.options and cls.options["prompt"].default_doc is None:
            shown = re.sub(r"\{\w+\}", "…", cls.default_prompt)   # the block's own words go there
            cls.options = cls.options.with_defaults(prompt={"default_doc": f"“{shown}”"})

    def prompt(self, spec: Spec) -> str:
        return spec.prompt or self.default_prompt.format_map(vars(spec))

    # An exercise graded by the top of a ranking says so with ``graded``: the page then refuses a
    # tie at the top (``geometry.check_graded``); "order": every neighbouring pair of the order.
    graded_by = "highest"   # or "lowest", or "order"

    def graded(self, spec: Spec, result: dict) -> dict | None:
        """Choice label -> the score (as the table shows it) whose ``graded_by`` is the graded
        answer; None for an exercise not graded by a ranking (a count, a relation, a range)."""
        return None

    def graded_end(self, spec: Spec) -> str:
        """``graded_by`` for this block (a kind whose options choose the end overrides it)."""
        return self.graded_by


def _paragraphs(cls) -> list[str]:
    # The kind's own docstring, never one inherited from a base class.
    doc = inspect.cleandoc(cls.__dict__.get("__doc__") or "")
    # A paragraph of prose is joined into one line; lists, tables, code and admonitions keep their lines.
    paras = [" ".join(p.split()) if not p.lstrip().startswith(("-", "|", "`", "!!!", "???", "    ")) else p
             for p in doc.split("\n\n") if p.strip()]
    return paras or [""]


def _words_in(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        if "word" in value:
            return [value["word"]]
        return [w for v in value.values() for w in _words_in(v)]
    if isinstance(value, (list, tuple)):
        return [w for v in value for w in _words_in(v)]
    return []
