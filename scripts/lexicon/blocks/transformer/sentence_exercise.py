"""The ``sentence-exercise`` kind: which sentence's mean vector is closest?"""

from __future__ import annotations

import numpy as np

from ... import figures
from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._sentence_vectors import DROP_STOPWORDS_DOC, METHOD_NOTE, cosines, mean_vectors, sentence_words


class SentenceExercise(ExerciseKind):
    """An exercise: which sentence is closest to a given one? Sentence vectors are the mean of their word
    vectors; the answer and every score are computed.

    A multiple-choice exercise: which choice's mean vector is closest to `sentence`'s? The
    vectors are those of the [sentence-similarity](#sentence-similarity) block; the sentence is
    shown under the prompt, and the cosines are revealed as a chart.
    """

    example = ("sentence: The children played football in the park\n"
               "choices:\n  A: Kids were kicking a ball on the grass\n  B: The children studied in the library\n"
               "answer: B")
    default_prompt = "Which sentence is closest to this one, as the averaged word vectors see it?"
    options = opt.Options(
        ExerciseKind.options,
        sentence=opt.text("The given sentence, shown under the prompt.", required=True),
        choices=opt.raw("The sentences to choose from, each under a capital letter: `A: Kids were kicking a ball`.",
                        {"type": "object", "minProperties": 2, "maxProperties": 6,
                         "propertyNames": {"pattern": "^[A-Z]$"},
                         "additionalProperties": {"type": "string", "minLength": 1}},
                        "2–6 letters, each a text", required=True),
        drop_stopwords=opt.flag(DROP_STOPWORDS_DOC, default=False),
        answer=opt.text("The letter of the choice you claim is closest (a [claim](#claims)).", pattern="^[A-Z]$",
                        type_doc="letter", display=True),
    )

    def prepare(self, spec):
        spec.letters = list(spec.choices)
        spec.texts = [spec.choices[k] for k in spec.letters]
        if len(set(spec.texts)) != len(spec.texts) or spec.sentence in spec.texts:
            raise LexiconError("the choices must differ from each other and from 'sentence'",
                               fix="write each sentence once")
        if spec.answer is not None and spec.answer not in spec.letters:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                               fix="name one of: " + ", ".join(spec.letters))
        spec.tokens = [sentence_words(s, spec.drop_stopwords) for s in [spec.sentence] + spec.texts]

    def words(self, spec):
        return [t for toks in spec.tokens for t in toks]

    def anchor_hint(self, spec):
        return "exercise " + " ".join(spec.tokens[0][:3])

    def prompt(self, spec):
        return super().prompt(spec) + f"  \n“{spec.sentence}”"

    def compute(self, kv, spec):
        m = mean_vectors(kv, spec.tokens)
        scores = cosines(m[1:], m[0])
        best = max(range(len(scores)), key=lambda k: (scores[k], -k))
        return {"scores": np.round(scores, 4).tolist(), "answer": best}

    def graded(self, spec, result):
        return dict(zip(spec.letters, result["scores"]))

    def claims(self, spec, result, check):
        if not spec.answer:
            return
        got = spec.letters[result["answer"]]
        shown = ", ".join(f"{spec.letters[k]} ({s:.4f})" for k, s in
                          sorted(enumerate(result["scores"]), key=lambda t: -t[1]))
        check(f"the choice closest to “{spec.sentence}” is {spec.answer}", got == spec.answer,
              f"the model's scores: {shown}", decided_by=result["scores"])

    @value("The letter of the closest choice.")
    def answer(self, spec, result):
        return Value(spec.letters[result["answer"]])

    @value("The cosine of a choice (by letter) with the given sentence, as the reveal's table shows it.")
    def cosine(self, spec, result, letter):
        if letter not in spec.letters:
            raise LexiconError(f"'{letter}' is not one of the choices", fix="name one of: " + ", ".join(spec.letters))
        s = result["scores"][spec.letters.index(letter)]
        return Value(fmt(s), s)

    def render(self, spec, result, ctx):
        letters, texts, scores = spec.letters, spec.texts, result["scores"]
        options = [f"{k}. {t}" for k, t in zip(letters, texts)]
        best = result["answer"]
        order = sorted(range(len(texts)), key=lambda k: (-scores[k], k))
        why = {o: f"{letters[k]} has cosine {scores[k]:.4f} with the given sentence"
                  f"{' (the highest)' if k == best else f', #{order.index(k) + 1} of {len(texts)}'}."
               for k, o in enumerate(options)}
        alt = ("Bar chart of each choice's cosine similarity to the given sentence, highest first: " +
               ", ".join(f"{letters[k]} {scores[k]:.2f}" for k in order) + ".")

        def chart():
            fig = figures.bar_scores([letters[k] for k in order], [scores[k] for k in order],
                                     title="Cosine with the given sentence", highlight=letters[best])
            fig.update_layout(xaxis=dict(range=[min(0, min(scores)), 1]))
            return fig

        stop = "; stop words removed" if spec.drop_stopwords else ""
        return Choices(options, options[best], why, [
            Html(f'<p>The closest is <strong>{esc(letters[best])}. {esc(texts[best])}</strong> '
                 f'(cosine {esc(fmt(scores[best]))}).</p>'
                 f'<p class="ll-caption">Given sentence: “{esc(spec.sentence)}” → '
                 f'{esc(" ".join(spec.tokens[0]))}. {METHOD_NOTE.format(stop)}</p>'),
            Figure(chart, alt=alt, caption="Each choice's cosine similarity to the given sentence.",
                   table=Table(["Choice", "Tokens averaged", "Cosine"],
                               [[f"{letters[k]}. {texts[k]}", " ".join(spec.tokens[k + 1]), fmt(scores[k])]
                                for k in order], numeric=(2,)),
                   height=80 + 34 * len(texts), anchor="answer"),
        ])
