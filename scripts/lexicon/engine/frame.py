"""The one frame every block is rendered in: a kind returns its parts, the frame writes the HTML.

A block is ``<div class="ll-block ll-block--<kind>" id="<anchor>">`` holding its parts in order,
then its checked claims, then the code behind the numbers (unless ``code: false``), then
the line that names the model and its hash. A figure shows its numbers folded under it;
with ``figure: false`` its table (and the author's caption) stand in its place.

An exercise is the same frame around a form: the prompt, the controls, Check answer /
Show answer, Try again, a live status line, and the model's answer in a hidden ``<section>`` that is
kept out of the search index until the reader asks (``data-search-exclude``; a
``<section>`` because Material's search parser ends an exclusion at the first closing
tag of the same name, and the answer holds many ``<div>``s).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..render import attr_json, author_markdown, claims_html, code_details, esc, figure, model_note, table
from .pieces import Caption, Choices, Code, Details, Exercise, Figure, Html, Note, Subhead, Table, Tabs, Text


@dataclass
class RenderContext:
    """What rendering may know beyond the spec and the result."""

    anchor: str
    model_id: dict
    model_spec: object = None
    explorer_words: int = 50_000
    explorer_bytes: int = 0      # the vectors' download, for the explorer's loading line
    # A drawn figure's folded table of numbers. The block reference leaves it out of its live
    # examples (every figure keeps its text alternative): one page shows every kind, and its
    # first load stays within the budget. Term pages always have it.
    numbers: bool = True


def render_kind(kind, spec, result, claims: list, ctx: RenderContext) -> str:
    """A kind's parts for this spec and result, in the frame: the whole block's HTML."""
    from .kind import ExerciseKind

    parts = kind.render(spec, result, ctx)
    if isinstance(kind, ExerciseKind):
        return exercise_html(kind.kind, kind.prompt(spec), parts, spec.explanation, ctx, claims,
                             note=note(kind.note).html if kind.note else None)
    parts = list(parts) + ([note(kind.note)] if kind.note else [])
    return block_html(kind.kind, parts, ctx, claims, figures=_switch(kind, spec, "figure"),
                      code=_switch(kind, spec, "code"))


def _switch(kind, spec, option: str) -> bool:
    """A kind's ``figure`` or ``code`` switch: on unless the kind has the option and it is false."""
    return not (option in kind.options and getattr(spec, option) is False)


@dataclass
class _Switches:
    anchor: str
    figures: bool = True
    code: bool = True
    numbers: bool = True


def block_html(kind: str, parts: list, ctx: RenderContext, claims: list, *, figures: bool = True,
               code: bool = True) -> str:
    sw = _Switches(ctx.anchor, figures, code, ctx.numbers)
    codes = [p for p in parts if isinstance(p, Code)]
    notes = [p for p in parts if isinstance(p, Note)]
    body = "".join(_piece(p, sw) for p in parts if not isinstance(p, (Code, Note)))
    tail = claims_html(claims)
    if code:
        tail += "".join(code_details(c.source, c.summary) for c in codes)
    tail += notes[-1].html if notes else model_note(ctx.model_id)
    return f'<div class="ll-block ll-block--{esc(kind)}" id="{esc(ctx.anchor)}">{body}{tail}</div>'


def exercise_html(kind: str, prompt: str, ex: Exercise | Choices, explanation: str | None,
                  ctx: RenderContext, claims: list, note: str | None = None) -> str:
    a = esc(ctx.anchor)
    sw = _Switches(ctx.anchor, numbers=ctx.numbers)
    if isinstance(ex, Choices):
        ex = _choice(ex, sw)
    reveal = "".join(_piece(p, sw) for p in ex.reveal) + claims_html(claims)
    explained = (f'<div class="ll-explanation">{author_markdown(explanation)}</div>' if explanation else "")
    return "".join([
        f'<div class="ll-block ll-exercise ll-exercise--{esc(kind)}" id="{a}" data-exercise="{esc(ex.grader)}"'
        f" data-answer='{attr_json(ex.answer)}'>",
        f'<p class="ll-exercise__prompt" id="{a}-prompt">{author_markdown(prompt, inline=True)}</p>',
        f'<form class="ll-exercise__form" aria-labelledby="{a}-prompt" novalidate>',
        ex.controls,
        '<div class="ll-exercise__actions">'
        '<button type="submit" class="md-button md-button--primary ll-exercise__check">Check answer</button>'
        '<button type="button" class="md-button ll-exercise__show">Show answer</button>'
        '<button type="button" class="md-button ll-exercise__retry" hidden>Try again</button></div>',
        "</form>",
        '<p class="ll-exercise__status" role="status" aria-live="polite"></p>',
        '<noscript><p class="ll-exercise__noscript">Checking an answer needs JavaScript.</p></noscript>',
        f'<section class="ll-exercise__reveal" hidden data-search-exclude>'
        f'<p class="ll-exercise__reveal-title">The model’s answer</p>{reveal}{explained}</section>',
        note if note is not None else model_note(ctx.model_id), "</div>",
    ])


def _choice(ch: Choices, sw: "_Switches") -> Exercise:
    if ch.answer not in ch.options:
        raise ValueError(f"answer {ch.answer!r} is not one of the options")
    name = esc(f"{sw.anchor}-choice")
    boxes = "".join(f'<label class="ll-exercise__choice"><input type="radio" name="{name}" '
                    f'value="{esc(o)}"> {esc(o)}</label>' for o in ch.options)
    controls = ("".join(_piece(p, sw) for p in ch.before)
                + f'<fieldset class="ll-exercise__choices"><legend>Your answer</legend>{boxes}</fieldset>')
    return Exercise("choice", controls, {"kind": "choice", "answer": ch.answer, "why": ch.why}, ch.reveal)


# --- the parts ----------------------------------------------------------------------------------

def _piece(p, sw: _Switches) -> str:
    if isinstance(p, Html):
        return p.html
    if isinstance(p, str):
        raise TypeError("a kind returns parts (Html, Text, Table, Figure, …), not bare strings")
    if isinstance(p, Text):
        return f'<p class="{esc(p.cls)}">{esc(p.text)}</p>'
    if isinstance(p, Caption):
        return f'<p class="{esc(p.cls)}">{author_markdown(p.markdown, inline=True)}</p>'
    if isinstance(p, Subhead):
        return f'<p class="ll-subhead">{esc(p.text)}</p>'
    if isinstance(p, Table):
        return _table(p)
    if isinstance(p, Figure):
        return _figure(p, sw)
    if isinstance(p, Details):
        body = "".join(_piece(q, sw) for q in p.body)
        return f'<details class="{esc(p.cls)}"><summary>{esc(p.summary)}</summary>{body}</details>'
    if isinstance(p, Tabs):
        return _tabs(p, sw)
    if isinstance(p, Code):  # in an exercise's answer; a block shows its code after the claims
        return code_details(p.source, p.summary)
    raise TypeError(f"not a block part: {p!r}")


def _table(t: Table) -> str:
    return table(t.headers, t.rows, cls=t.cls, numeric_cols=t.numeric)


def _figure(f: Figure, sw: _Switches) -> str:
    numbers = None if f.table is None else (f.table.html if isinstance(f.table, Html) else _table(f.table))
    if not sw.figures and not f.always:
        if not f.fallback:
            return ""
        shown = f'<p class="ll-caption">{author_markdown(f.caption, inline=True)}</p>' if f.caption else ""
        return shown + (numbers or "")
    return figure(f.make(), alt=f.alt, caption=f.caption or f.default_caption,
                  data_table=numbers if sw.numbers else None,
                  height=f.height, anchor=f"{sw.anchor}-{f.anchor}" if f.anchor else sw.anchor, links=f.links)


def _tabs(t: Tabs, sw: _Switches) -> str:
    group = esc(f"{sw.anchor}-tabs")
    inputs, labels, bodies = [], [], []
    for i, tab in enumerate(t.tabs):
        tab_id = esc(f"{sw.anchor}-{tab.anchor}-tab")  # readable in a URL when a reader links a tab
        inputs.append(f'<input{" checked" if i == 0 else ""} id="{tab_id}" name="{group}" type="radio">')
        labels.append(f'<label for="{tab_id}">{esc(tab.label)}</label>')
        bodies.append('<div class="tabbed-block">' + "".join(_piece(q, sw) for q in tab.body) + "</div>")
    return (f'<div class="tabbed-set tabbed-alternate" data-tabs="{len(t.tabs)}">' + "".join(inputs)
            + '<div class="tabbed-labels">' + "".join(labels) + "</div>"
            + '<div class="tabbed-content">' + "".join(bodies) + "</div></div>")


def note(text: str) -> Note:
    """A model line for blocks computed without the embedding model ("Computed at build time with …")."""
    return Note(f'<p class="ll-model" data-search-exclude>{esc(text)}</p>')
