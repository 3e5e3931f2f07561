"""The vocabulary-exercise kind: which word is missing from the vocabulary, or the most (least) frequent?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc
from ._tokens import rank_of

QUESTIONS = {
    "oov": "Which of these words is not in the model\u2019s vocabulary?",
    "most-frequent": "Which of these words is the most frequent in the model\u2019s training text?",
    "least-frequent": "Which of these words is the rarest in the model\u2019s training text?",
}


class VocabularyExercise(ExerciseKind):
    """An exercise: which word is not in the vocabulary, or which is the most (or least) frequent? The
    answer is computed from the model.

    A multiple-choice exercise on the vocabulary: which word is **not in it** (`question: oov`; exactly
    one word must be missing, or the build says so), or which is the **most** / **least frequent**
    (every word must be in it). The reveal lists every word's rank.
    """

    example = "words: [colour, emoji, aardvark, okapi]\nanswer: emoji"
    options = opt.Options(
        ExerciseKind.options.with_defaults(prompt={"default_doc": "a question matching `question`"}),
        words=opt.words("The choices.", min=3, max=8, unique=True, vocab=False, required=True,
                        type_doc="3–8 different words"),
        question=opt.choice("`oov`: which word is not in the vocabulary; `most-frequent` / `least-frequent`: "
                            "which word is the most frequent / the rarest.", list(QUESTIONS), default="oov"),
        answer=opt.text("The word you claim is the answer (a [claim](#claims)).", type_doc="one of the words",
                        display=True),
    )

    def prepare(self, spec):
        if spec.answer is not None and spec.answer not in spec.words:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the words",
                               fix="name one of the words listed under 'words'")

    def prompt(self, spec):
        return spec.prompt or QUESTIONS[spec.question]

    def words(self, spec):
        # Ranking by frequency needs every word; the 'not in the vocabulary' question needs none.
        return [] if spec.question == "oov" else list(spec.words)

    def anchor_hint(self, spec):
        return "exercise " + " ".join(spec.words[:3])

    def compute(self, kv, spec):
        return {"ranks": {w: rank_of(kv, w) for w in spec.words}, "size": len(kv)}

    def model_answer(self, spec, result) -> str:
        ranks, words = result["ranks"], spec.words
        if spec.question == "oov":
            missing = [w for w in words if ranks[w] is None]
            if len(missing) != 1:
                raise LexiconError(
                    f"{len(missing)} of the words are not in the vocabulary"
                    + (f" ({', '.join(missing)})" if missing else "")
                    + "; the question needs exactly one",
                    fix="change the words so that exactly one is missing from the model's vocabulary")
            return missing[0]
        pick = min if spec.question == "most-frequent" else max
        return pick(words, key=lambda w: ranks[w])

    def claims(self, spec, result, check):
        answer = self.model_answer(spec, result)  # raises when the question has no single answer
        if spec.answer:
            what = {"oov": "the word not in the model's vocabulary",
                    "most-frequent": "the most frequent word", "least-frequent": "the rarest word"}[spec.question]
            r = result["ranks"]
            ranks = ", ".join(f"{w} ({'rank ' + format(r[w], ',') if r[w] else 'not in the vocabulary'})"
                              for w in spec.words)
            check(f"{what} of {', '.join(spec.words)} is '{spec.answer}'", answer == spec.answer,
                  f"the model's answer is '{answer}'; " + ranks)

    @value("The model's answer.")
    def answer(self, spec, result):
        return Value(self.model_answer(spec, result))

    @value("A word's frequency rank, as the table shows it.")
    def rank(self, spec, result, word):
        r = result["ranks"].get(word)
        if r is None:
            raise LexiconError(f"'{word}' is not one of the words in the vocabulary",
                               fix="name one of the words that the table gives a rank")
        return Value(f"{r:,}", r)

    def render(self, spec, result, ctx):
        ranks, size, words = result["ranks"], result["size"], spec.words
        answer = self.model_answer(spec, result)
        why = {w: (f"{w}: frequency rank {ranks[w]:,} of {size:,}." if ranks[w]
                   else f"{w} is not in the model\u2019s vocabulary.") for w in words}
        order = sorted(words, key=lambda w: (ranks[w] is None, ranks[w] or 0, w))
        rows = [[w, "yes" if ranks[w] else "no", f"{ranks[w]:,}" if ranks[w] else "—"] for w in order]
        return Choices(list(words), answer, why, [
            Html(f'<p>The answer is <strong>{esc(answer)}</strong>. The words, from most to least frequent '
                 f'(the model has {size:,} words):</p>'),
            Table(["Word", "In the vocabulary?", "Frequency rank"], rows, numeric=(2,)),
        ])
