"""The ``direction-exercise`` kind: which word lies furthest towards one end of a direction?"""

from __future__ import annotations

from ...engine import ExerciseKind, opt, value
from ...engine.pieces import Choices, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._projection import describe, pairs_option, projection_figure, projection_of, projections, signed, \
    sorted_words


class DirectionExercise(ExerciseKind):
    """An exercise: which word does the model place furthest towards one end of a direction defined by word pairs? The answer and every choice's projection are computed.

    A multiple-choice exercise: which word's projection lies furthest towards the end named in `towards`, one
    end of the first pair? The direction and the projections are those of the
    [direction](#direction) block; the status line gives each pick's projection, and the
    reveal charts them all.
    """

    # The guide's example had two pairs, on which 'illness', not 'murder', is the answer (a false
    # claim, unnoticed while examples were not computed); with love − hate, as on the latent-space page:
    example = ("pairs:\n  - [good, bad]\n  - [happy, sad]\n  - [love, hate]\nwords: [funeral, war, illness, murder]\n"
               "towards: bad\nanswer: murder")
    options = opt.Options(
        ExerciseKind.options,
        pairs=pairs_option(),
        words=opt.words("The choices, in the order they are offered.", min=2, max=6, unique=True, required=True,
                        type_doc="2–6 different words"),
        # The projections of every word are computed; 'towards' only picks the end the question asks about.
        towards=opt.word("The end the question asks about: one word of the first pair.", vocab=False,
                         required=True, display=True),
        answer=opt.word("The word you claim the model places furthest towards that end (a [claim](#claims)).",
                        vocab=False, display=True),
    ).with_defaults(prompt={"default_doc": "“Which word does the model place furthest towards “…”?” (the "
                                           "`towards` word)"})

    def prepare(self, spec):
        first = spec.pairs[0]
        if spec.towards not in first:
            raise LexiconError(f"'towards' ({spec.towards}) is neither end of the first pair {first}",
                               fix=f"write towards: {first[0]} or towards: {first[1]}")
        if spec.answer is not None and spec.answer not in spec.words:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the words",
                               fix="name one of the words listed under 'words'")

    def prompt(self, spec):
        return spec.prompt or f"Which word does the model place furthest towards \u201c{spec.towards}\u201d?"

    def anchor_hint(self, spec):
        return "exercise " + " ".join(spec.pairs[0])

    def queries(self, spec):
        return [([a], [b]) for a, b in spec.pairs]

    def compute(self, kv, spec):
        return projections(kv, spec.pairs, spec.words)

    def graded(self, spec, result):
        return dict(zip(spec.words, result["scores"]))

    def graded_end(self, spec):   # 'towards' names the first pair's first word (highest) or second
        return "highest" if spec.towards == spec.pairs[0][0] else "lowest"

    def claims(self, spec, result, check):
        if not spec.answer:
            return
        got = answer_of(spec, result)
        shown = ", ".join(f"{w} ({s:.4f})" for w, s in sorted_words(spec.words, result["scores"]))
        check(f"of {', '.join(spec.words)}, '{spec.answer}' lies furthest towards '{spec.towards}'",
              got == spec.answer, f"the furthest is '{got}'; projections: {shown}",
              decided_by=[s if spec.towards == spec.pairs[0][0] else -s for s in result["scores"]])

    @value("A choice's projection (its cosine with the direction), as the answer's table shows it: "
           "`projection(murder)`.")
    def projection(self, spec, result, word):
        return projection_of(spec.words, result["scores"], word)

    def render(self, spec, result, ctx):
        words, scores = spec.words, result["scores"]
        ends = (spec.pairs[0][0], spec.pairs[0][1])
        answer = answer_of(spec, result)
        why = {w: f"{w}: {describe(s, ends)}." for w, s in zip(words, scores)}
        order = sorted_words(words, scores)
        pair_names = ", ".join(f"{a} − {b}" for a, b in spec.pairs)
        reveal = [
            Html(f'<p>The model places <strong>{esc(answer)}</strong> furthest towards '
                 f'\u201c{esc(spec.towards)}\u201d on the direction {esc(pair_names)}.</p>'),
            Figure(projection_figure(words, scores, ends, f"{ends[0]} ↔ {ends[1]}", highlight=answer),
                   alt=(f"Bar chart of projections on the {ends[0]}–{ends[1]} direction: "
                        + ", ".join(f"{w} {signed(s)}" for w, s in order) + "."),
                   caption="Each choice's projection: its cosine similarity with the direction.",
                   height=90 + 30 * len(words), anchor="answer",
                   table=Table(["Word", "Projection"], [[w, fmt(s)] for w, s in order], numeric=(1,))),
        ]
        return Choices(words, answer, why, reveal)


def answer_of(spec, result) -> str:
    """The word furthest towards ``towards`` (ties broken by word)."""
    sign = 1 if spec.towards == spec.pairs[0][0] else -1
    return sorted(zip(spec.words, result["scores"]), key=lambda t: (-sign * t[1], t[0]))[0][0]
