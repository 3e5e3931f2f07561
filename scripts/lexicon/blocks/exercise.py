"""The frame every exercise shares: prompt, form, Check/Try again, live status, hidden answer.

The answer (the model's, computed at build time) is rendered into a <section>
with the ``hidden`` attribute and ``data-search-exclude``, so it is neither
shown nor searchable before the reader asks; ``data-answer`` holds what
``exercises.js`` needs to grade. Without JavaScript, a note says so.
"""

from __future__ import annotations

from ..render import attr_json, author_markdown, esc, model_note


def exercise_html(kind: str, anchor: str, prompt: str, controls: str, answer: dict,
                  reveal: str, explanation: str | None, model_id: dict, note: str | None = None) -> str:
    """``note`` replaces the "computed from <model>" line, for exercises computed without the model."""
    explained = (f'<div class="ll-explanation">{author_markdown(explanation)}</div>'
                 if explanation else "")
    return "".join([
        f'<div class="ll-block ll-exercise ll-exercise--{kind}" id="{esc(anchor)}" data-exercise="{kind}"'
        f" data-answer='{attr_json(answer)}'>",
        f'<p class="ll-exercise__prompt" id="{esc(anchor)}-prompt">{author_markdown(prompt, inline=True)}</p>',
        f'<form class="ll-exercise__form" aria-labelledby="{esc(anchor)}-prompt" novalidate>',
        controls,
        '<div class="ll-exercise__actions">'
        '<button type="submit" class="md-button md-button--primary ll-exercise__check">Check answer</button>'
        '<button type="button" class="md-button ll-exercise__retry" hidden>Try again</button></div>',
        "</form>",
        '<p class="ll-exercise__status" role="status" aria-live="polite"></p>',
        '<noscript><p class="ll-exercise__noscript">Checking an answer needs JavaScript.</p></noscript>',
        # A <section>, not a <div>: Material's search parser ends an exclusion at the first
        # closing tag of the same name, and the answer holds many <div>s but no <section>.
        f'<section class="ll-exercise__reveal" hidden data-search-exclude>'
        f'<p class="ll-exercise__reveal-title">The model’s answer</p>{reveal}{explained}</section>',
        model_note(model_id) if note is None else note, "</div>",
    ])


def choice_exercise(kind: str, anchor: str, prompt: str, options: list[str], answer: str,
                    why: dict[str, str], reveal: str, explanation: str | None, model_id: dict,
                    note: str | None = None) -> str:
    """A multiple-choice exercise graded by exercises.js's generic ``choice`` grader.

    ``options`` are the choices in display order, ``answer`` the one the model's numbers make
    right, and ``why`` one plain-text sentence per option, computed from the model, that the
    status line reads out after grading (e.g. "cat–dog: cosine 0.9218."). ``kind`` only names
    the CSS class (``ll-exercise--<kind>``); grading is always ``choice``.
    """
    if answer not in options:
        raise ValueError(f"answer {answer!r} is not one of the options")
    name = f"{anchor}-choice"
    choices = "".join(f'<label class="ll-exercise__choice"><input type="radio" name="{esc(name)}" '
                      f'value="{esc(o)}"> {esc(o)}</label>' for o in options)
    controls = f'<fieldset class="ll-exercise__choices"><legend>Your answer</legend>{choices}</fieldset>'
    html = exercise_html("choice", anchor, prompt, controls,
                         {"kind": "choice", "answer": answer, "why": why}, reveal, explanation, model_id, note)
    return html.replace("ll-exercise--choice", f"ll-exercise--{kind}", 1) if kind != "choice" else html
