"""An exercise: which of these words is the nearest neighbour of a word?"""

from __future__ import annotations

from ... import figures
from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Figure, Html, Table
from ...errors import LexiconError
from ...numeric import SCORE_DIGITS
from ...render import esc, fmt


class NearestExercise(ExerciseKind):
    """An exercise: pick the option nearest to a word. The answer is the option with the highest
    cosine similarity, with each option's rank among all the model's words.

    The model's answer is the option with the highest cosine similarity to the word (gensim's
    `similarity`). The answer section also gives each option's rank among all the model's words
    (gensim's `rank`), so the reader sees how far down the whole vocabulary each choice sits.
    """

    example = "word: moon\noptions: [sun, earth, star, lunar]\nanswer: earth"
    default_prompt = "Which of these words is nearest to *{word}* in the model?"
    options = opt.Options(
        ExerciseKind.options,
        word=opt.word("The query word.", required=True),
        options=opt.words("The choices, in this order. The query word may not be one of them.", min=2, max=6,
                          unique=True, required=True),
        answer=opt.text("The option you claim is nearest to the word (a [claim](#claims)).",
                        type_doc="one of the options", display=True),
    )

    def prepare(self, spec):
        if spec.word in spec.options:
            raise LexiconError(f"'{spec.word}' is both the word and one of the options",
                               fix="remove it from 'options' (a word is always nearest to itself)")
        if spec.answer is not None and spec.answer not in spec.options:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the options",
                               fix=f"name one of: {', '.join(spec.options)}")

    def anchor_hint(self, spec):
        return f"exercise nearest {spec.word}"

    def compute(self, kv, spec):
        w = spec.word
        scores = [round(float(kv.similarity(w, o)), SCORE_DIGITS) for o in spec.options]
        ranks = [int(kv.rank(w, o)) for o in spec.options]
        # Ties (equal cosines to 4 digits are possible) go to the word with the better full-precision rank.
        answer = min(spec.options, key=lambda o: ranks[spec.options.index(o)])
        return {"scores": scores, "ranks": ranks, "answer": answer, "vocabulary": len(kv)}

    def graded(self, spec, result):
        return dict(zip(spec.options, result["scores"]))

    def claims(self, spec, result, check):
        if not spec.answer:
            return
        shown = ", ".join(f"{o} ({s:.4f}, #{r})" for o, s, r in sorted(
            zip(spec.options, result["scores"], result["ranks"]), key=lambda t: t[2]))
        check(f"the nearest of {', '.join(spec.options)} to '{spec.word}' is '{spec.answer}'",
              result["answer"] == spec.answer, f"it is '{result['answer']}': {shown}", decided_by=result["scores"])

    @value("The option nearest to the word.")
    def nearest(self, spec, result):
        return Value(result["answer"])

    @value("An option's cosine similarity to the word, as the table shows it.")
    def cosine(self, spec, result, option):
        s = result["scores"][_index(spec, option)]
        return Value(fmt(s), s)

    @value("An option's rank among all the model's words by similarity to the word, as the table shows it "
           "(“#12”).")
    def rank(self, spec, result, option):
        r = result["ranks"][_index(spec, option)]
        return Value(f"#{r:,}", r)

    def render(self, spec, result, ctx):
        word, options = spec.word, spec.options
        scores, ranks = result["scores"], result["ranks"]
        order = sorted(range(len(options)), key=lambda i: ranks[i])
        vocab = f"{result['vocabulary']:,}"
        why = {o: f"{o}: cosine {s:.4f} to {word}, #{r:,} of the model's {vocab} words." for o, s, r in
               zip(options, scores, ranks)}
        best = order[0]
        reveal = [
            Html(f"<p><strong>{esc(result['answer'])}</strong> is the nearest of the options: cosine "
                 f"{fmt(scores[best])}, the #{ranks[best]:,} nearest of all {vocab} words to "
                 f"<em>{esc(word)}</em>.</p>"),
            Figure(lambda: figures.bar_scores([options[i] for i in order], [scores[i] for i in order],
                                              title=f"Cosine similarity to “{word}”", highlight=result["answer"]),
                   alt=(f"Bar chart of each option's cosine similarity to {word}, highest first: "
                        + ", ".join(f"{options[i]} {scores[i]:.2f} (rank {ranks[i]})" for i in order) + "."),
                   default_caption=f"Each option's cosine similarity to “{word}” and its rank among all the "
                                   "model's words.",
                   height=80 + 34 * len(options), anchor="answer",
                   table=Table(["Option", f"Cosine to {word}", f"Rank among all {vocab} words"],
                               [[options[i], fmt(scores[i]), f"#{ranks[i]:,}"] for i in order], numeric=(1, 2))),
        ]
        return Choices(options, result["answer"], why, reveal)


def _index(spec, option: str) -> int:
    if option not in spec.options:
        raise LexiconError(f"'{option}' is not one of the options", fix=f"name one of: {', '.join(spec.options)}")
    return spec.options.index(option)
