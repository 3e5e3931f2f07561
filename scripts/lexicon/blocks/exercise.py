"""The frame every exercise shares: prompt, form, Check/Try again, live status, hidden answer.

The answer (the model's, computed at build time) is rendered into a <section>
with the ``hidden`` attribute and ``data-search-exclude``, so it is neither
shown nor searchable before the reader asks; ``data-answer`` holds what
``exercises.js`` needs to grade. Without JavaScript, a note says so.
"""

from __future__ import annotations

from ..render import attr_json, author_markdown, esc, model_note


def exercise_html(kind: str, anchor: str, prompt: str, controls: str, answer: dict,
                  reveal: str, explanation: str | None, model_id: dict) -> str:
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
        model_note(model_id), "</div>",
    ])
