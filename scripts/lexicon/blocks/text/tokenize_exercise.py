"""The tokenize-exercise kind: how many tokens does a tokenizer make of a text?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Code, Html, Text
from ...render import esc
from ._number_choices import answer_option, check_answer, choices_option, off_by, require_among_choices
from ._tokens import TOKENIZER, chips_html, code_for, describe, look_up, run_tokenizer, summary_line, tokens_table

PROMPT = "How many tokens does {tokenizer} make of this text?"


class TokenizeExercise(ExerciseKind):
    """An exercise: how many tokens does the tokenizer make of a text? The count is computed.

    A multiple-choice exercise: how many tokens does the tokenizer make of a text? The count is
    computed; if it is not among `choices`, the build says so. The reveal shows the tokens and their
    ranks.
    """

    example = "text: \"It's 5 o'clock: time for tea!\"\nchoices: [5, 6, 7]\nanswer: 5"
    options = opt.Options(
        ExerciseKind.options.with_defaults(prompt={"default_doc": "“" + PROMPT.format(
            tokenizer="gensim's simple_preprocess") + "” (naming the tokenizer)"}),
        text=opt.text("The text to tokenize (quote it if it holds `: `).", required=True),
        tokenizer=opt.choice("As in [tokenize](#tokenize).", list(TOKENIZER.schema["enum"]),
                             default=TOKENIZER.default),
        choices=choices_option("count"),
        answer=answer_option("count"),
    )

    def prepare(self, spec):
        check_answer(spec)

    def prompt(self, spec):
        return spec.prompt or PROMPT.format(tokenizer=describe(spec.tokenizer))

    def anchor_hint(self, spec):
        return "exercise " + " ".join(spec.text.split()[:3])

    def compute(self, kv, spec):
        return {"tokens": look_up(kv, run_tokenizer(spec.tokenizer, spec.text))}

    def claims(self, spec, result, check):
        n = len(result["tokens"])
        require_among_choices(n, spec.choices, f"{describe(spec.tokenizer)} makes {n} tokens of the text")
        if spec.answer is not None:
            check(f"{describe(spec.tokenizer)} makes {spec.answer} tokens of the text", n == spec.answer,
                  f"it makes {n}: {' · '.join(t for t, _ in result['tokens'])}")

    @value("How many tokens the tokenizer makes of the text (the right answer).")
    def count(self, spec, result):
        n = len(result["tokens"])
        return Value(str(n), n)

    def render(self, spec, result, ctx):
        looked_up = result["tokens"]
        n = len(looked_up)
        who = describe(spec.tokenizer)
        listed = " · ".join(t for t, _ in looked_up)
        why = {}
        for c in spec.choices:
            if c == n:
                why[str(c)] = f"{who} makes {n} tokens: {listed}."
            else:
                why[str(c)] = off_by(c, n)
        reveal = [
            Html(f'<p>{esc(who)} makes <strong>{n}</strong> token{"s" if n != 1 else ""}:</p>'
                 + chips_html(looked_up) + f'<p class="ll-caption">{summary_line(looked_up)}</p>'),
            tokens_table([looked_up], False),
            Code(code_for(spec.tokenizer, [spec.text]), "The gensim call behind this answer"),
        ]
        # The text to tokenize stands between the question and the choices.
        return Choices([str(c) for c in spec.choices], str(n), why, reveal,
                       before=[Text(f"\u201c{spec.text}\u201d", cls="ll-tokens__text")])
