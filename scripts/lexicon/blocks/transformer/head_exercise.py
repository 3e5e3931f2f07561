"""The ``head-exercise`` kind: in one real attention head, which token does a token attend to most?"""

from __future__ import annotations

import numpy as np

from ... import minilm
from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html
from ...errors import LexiconError
from ...render import esc, fmt
from ._attention import row_figure
from ._minilm import NOTE, parse_head

HEAD_DOC = "The head, as `layer.head` (`1.3`: layer 1, head 3; layers 1–6, heads 1–12)."


def choice_weights(spec, result) -> dict:
    """Each choice's weight in the asking token's row of the head; the token and every choice must occur once."""
    tokens = result["tokens"]
    for t in [spec.token] + spec.choices:
        if tokens.count(t) != 1:
            raise LexiconError(f"'{t}' occurs {tokens.count(t)} times among the sentence's tokens "
                               f"({' '.join(tokens)})", fix="name tokens that occur exactly once, as written there")
    row = result["weights"][tokens.index(spec.token)]
    return {c: row[tokens.index(c)] for c in spec.choices}


def model_answer(spec, result) -> str:
    w = choice_weights(spec, result)
    return max(spec.choices, key=lambda c: (w[c], -spec.choices.index(c)))


class HeadExercise(ExerciseKind):
    """An exercise: in one attention head of a real transformer (all-MiniLM-L6-v2), which token does a token
    attend to most? The weights are the model's own, computed for the sentence.

    A multiple-choice exercise over one head's softmax weights: `token` asks, the `choices` are other
    tokens of the sentence, and the model's answer is the choice with the largest weight in the
    token's row (two choices tied at the shown precision fail the build). Tokens are written as the
    model's WordPiece tokenizer makes them (lower case; `[CLS]`, `[SEP]`, `##` pieces); the asking
    token and each choice must occur exactly once. The reveal shows the token's whole row of weights.
    Needs no GloVe vectors.
    """

    example = ("sentence: The cat sat on the mat.\nhead: '1.3'\ntoken: sat\n"
               "choices: [cat, mat, '.', '[SEP]']\nanswer: cat")
    default_prompt = "In head {head} of all-MiniLM-L6-v2, which token does “{token}” attend to most?"
    needs_model = False
    note = NOTE
    options = opt.Options(
        ExerciseKind.options,
        sentence=opt.text("The sentence, shown under the prompt (up to 40 WordPiece tokens).", required=True),
        head=opt.text(HEAD_DOC, required=True),
        # The whole head is computed: which token asks and which choices are offered only change
        # what is shown and graded.
        token=opt.text("The token asking, as the tokenizer writes it; it must occur once.", required=True,
                       display=True),
        choices=opt.texts("The choices: other tokens of the sentence, each occurring once.", min=2, max=8,
                          type_doc="list of 2–8 tokens", required=True, display=True),
        answer=opt.text("The choice you claim the head gives the most weight to (a [claim](#claims)).",
                        display=True),
    )

    def prepare(self, spec):
        spec.layer, spec.head_no = parse_head(spec.head)
        if len(set(spec.choices)) != len(spec.choices):
            raise LexiconError("a choice is listed twice", fix="list each choice once")
        if spec.token in spec.choices:
            raise LexiconError(f"'{spec.token}' is both the asking token and a choice", fix="remove it from 'choices'")
        if spec.answer is not None and spec.answer not in spec.choices:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                               fix="name one of: " + ", ".join(spec.choices))

    def anchor_hint(self, spec):
        return f"exercise head {spec.head} {spec.token}"

    def prompt(self, spec):
        return super().prompt(spec) + f"  \n“{spec.sentence}”"

    def compute(self, kv, spec):
        enc = minilm.encode([spec.sentence])
        tokens = enc.tokens[0]
        if len(tokens) > 42:
            raise LexiconError(f"the sentence is {len(tokens) - 2} WordPiece tokens; the exercise takes up to 40",
                               fix="shorten the sentence")
        w = enc.attentions[0][spec.layer - 1, spec.head_no - 1].astype(np.float64)
        return {"tokens": tokens, "weights": np.round(w, 4).tolist()}

    def claims(self, spec, result, check):
        w = choice_weights(spec, result)
        if spec.answer is None:
            return
        shown = ", ".join(f"{c} ({w[c]:.4f})" for c in sorted(spec.choices, key=lambda c: -w[c]))
        check(f"in head {spec.layer}.{spec.head_no}, of {', '.join(spec.choices)}, '{spec.token}' attends most "
              f"to '{spec.answer}'", model_answer(spec, result) == spec.answer, f"the weights: {shown}",
              decided_by=[w[c] for c in spec.choices])

    def graded(self, spec, result):
        return choice_weights(spec, result)

    @value("The choice the token gives the most weight to.")
    def answer(self, spec, result):
        return Value(model_answer(spec, result))

    @value("The weight the token gives a choice, as the reveal's table shows it.")
    def weight(self, spec, result, choice):
        w = choice_weights(spec, result)
        if choice not in w:
            raise LexiconError(f"'{choice}' is not one of the choices", fix="name one of: " + ", ".join(spec.choices))
        return Value(fmt(w[choice]), w[choice])

    def render(self, spec, result, ctx):
        w, answer = choice_weights(spec, result), model_answer(spec, result)
        ranked = sorted(spec.choices, key=lambda c: (-w[c], spec.choices.index(c)))
        why = {c: f"“{spec.token}” gives “{c}” a weight of {w[c]:.4f}"
                  f"{' (the most of these tokens)' if c == answer else f', #{ranked.index(c) + 1} of these tokens'}."
               for c in spec.choices}
        tokens, weights = result["tokens"], result["weights"]
        i = tokens.index(spec.token)
        top = max((j for j in range(len(tokens)) if j != i), key=lambda j: (weights[i][j], -j))
        row = {"tokens": tokens, "weights": weights, "top_other": [top if j == i else None for j in range(len(tokens))]}
        return Choices(spec.choices, answer, why, [
            Html(f"<p>In head {spec.layer}.{spec.head_no}, of these tokens \u201c{esc(spec.token)}\u201d gives the most "
                 f"weight to <strong>{esc(answer)}</strong>. It keeps {weights[i][i]:.4f} for itself.</p>"),
            row_figure(row, i, False, "answer",
                       caption=f"Layer {spec.layer}, head {spec.head_no}: the weights of \u201c{spec.token}\u201d "
                               f"over \u201c{spec.sentence}\u201d (they sum to 1)."),
        ])
