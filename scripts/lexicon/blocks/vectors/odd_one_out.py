from __future__ import annotations

import numpy as np

from ... import figures
from ...engine import ExerciseKind, opt
from ...engine.pieces import Exercise, Figure, Html, Table
from ...errors import LexiconError
from ...numeric import rounded
from ...render import esc, fmt
from ._cosine import cosine_matrix


class OddOneOut(ExerciseKind):
    """An exercise: pick the word that does not belong. The model's answer is the word with the lowest mean cosine similarity to the others, with the numbers shown.

    Readers pick the word that does not belong, with radio buttons, and press **Check answer**.
    The model's answer is the word whose mean cosine similarity to the other words is the lowest;
    the reveal shows every word's mean as a chart and a table.
    """

    example = ("words: [monday, tuesday, friday, january]\nanswer: january\n"
               "explanation: The weekdays share their contexts almost perfectly; *january* is a month.")
    default_prompt = "Which word does not belong with the others?"
    options = opt.Options(
        ExerciseKind.options,
        words=opt.words("The words to choose from, in this order.", min=3, max=8, unique=True, required=True),
        answer=opt.text("The word you claim the model picks, one of the words (a [claim](#claims)).",
                        display=True),
    )

    def prepare(self, spec):
        if spec.answer is not None and spec.answer not in spec.words:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the words",
                               fix="name one of the words listed under 'words'")

    def anchor_hint(self, spec):
        return " ".join(spec.words[:3])

    def compute(self, kv, spec):
        """Each word's mean cosine similarity to the others; the odd one out has the lowest."""
        m = np.array(cosine_matrix(kv, spec.words))
        means = (m.sum(axis=1) - np.diag(m)) / (len(spec.words) - 1)
        return {"means": rounded(means), "matrix": rounded(m), "answer": spec.words[int(np.argmin(means))]}

    graded_by = "lowest"

    def graded(self, spec, result):
        return dict(zip(spec.words, result["means"]))

    def claims(self, spec, result, check):
        if spec.answer:
            means = ", ".join(f"{w} ({m:.4f})" for w, m in sorted(zip(spec.words, result["means"]), key=lambda t: t[1]))
            check(f"the odd one out of {', '.join(spec.words)} is '{spec.answer}'", result["answer"] == spec.answer,
                  f"the model picks '{result['answer']}'; mean similarity to the others: {means}",
                  decided_by=[-m for m in result["means"]])

    def render(self, spec, result, ctx):
        words, means = spec.words, result["means"]
        order = sorted(range(len(words)), key=lambda i: means[i])
        name = esc(f"{ctx.anchor}-choice")
        choices = "".join(f'<label class="ll-exercise__choice"><input type="radio" name="{name}" '
                          f'value="{esc(w)}"> {esc(w)}</label>' for w in words)
        reveal = [
            Html(f'<p>The model picks <strong>{esc(result["answer"])}</strong>: its mean cosine similarity '
                 f'to the other words is the lowest.</p>'),
            Figure(figures.bar_scores([words[i] for i in order], [means[i] for i in order],
                                      title="Mean similarity to the other words", highlight=result["answer"]),
                   alt="Bar chart of each word's mean cosine similarity to the other words, lowest first: "
                       + ", ".join(f"{words[i]} {means[i]:.2f}" for i in order) + ".",
                   caption="Each word's mean cosine similarity to the others.", height=80 + 34 * len(words),
                   anchor="answer",
                   table=Table(["Word", "Mean cosine to the others"], [[words[i], fmt(means[i])] for i in order],
                               numeric=(1,))),
        ]
        answer = {"kind": "odd-one-out", "answer": result["answer"], "means": dict(zip(words, means))}
        return Exercise("odd-one-out", f'<fieldset class="ll-exercise__choices"><legend>Your answer</legend>'
                                       f'{choices}</fieldset>', answer, reveal)
