"""The cooccurrence-exercise kind: which word shares the most contexts with a target in the news corpus?"""

from __future__ import annotations

from ... import figures
from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Figure, Html, Table
from ...errors import LexiconError
from ...numeric import SCORE_DIGITS
from ...render import esc, fmt
from ._corpus import STOPWORDS_DOC, WINDOW_DOC, context_counts, context_overlap, most_shared, require_in_corpus


class CooccurrenceExercise(ExerciseKind):
    """An exercise: which word shares the most contexts with a target word in the news corpus? The answer
    is the highest context overlap, shown beside the model's cosine.

    A multiple-choice exercise: which choice has the highest context overlap with `word` in the news
    corpus of [cooccurrence](#cooccurrence)? The reveal shows every choice's context overlap beside the
    model's cosine for the same pair, and `model_answer` can claim which choice the model ranks first.
    """

    example = "word: troops\nchoices: [soldiers, airline, cricket]\nanswer: soldiers"
    default_prompt = "In the news corpus, which word shares the most contexts with \u201c{word}\u201d?"
    options = opt.Options(
        ExerciseKind.options,
        word=opt.word("The target word; it must occur at least 5 times in the corpus.", required=True),
        choices=opt.words("The choices, each compared with `word`.", min=2, max=6, unique=True,
                          type_doc="2–6 different words", required=True),
        window=opt.integer(WINDOW_DOC, default=5, min=1, max=10),
        stopwords=opt.flag(STOPWORDS_DOC, default=True),
        answer=opt.text("The choice you claim shares the most contexts with `word` (a [claim](#claims)).",
                        type_doc="one of the choices", display=True),
        model_answer=opt.text("The choice you claim has the highest model cosine with `word` (a "
                              "[claim](#claims)).", type_doc="one of the choices", display=True),
    )

    def prepare(self, spec):
        if spec.word in spec.choices:
            raise LexiconError(f"'{spec.word}' is both the word and one of the choices",
                               fix="list other words under 'choices'")
        for key in ("answer", "model_answer"):
            if getattr(spec, key) is not None and getattr(spec, key) not in spec.choices:
                raise LexiconError(f"'{key}' ({getattr(spec, key)}) is not one of the choices",
                                   fix="name one of the words listed under 'choices'")

    def anchor_hint(self, spec):
        return "exercise " + spec.word

    def compute(self, kv, spec):
        require_in_corpus([spec.word] + spec.choices)   # when computing: see cooccurrence
        word = spec.word
        target = context_counts(word, spec.window, spec.stopwords)
        out = []
        for c in spec.choices:
            counts = context_counts(c, spec.window, spec.stopwords)
            out.append({"word": c, "overlap": context_overlap(target, counts),
                        "model": round(float(kv.similarity(word, c)), SCORE_DIGITS),
                        "shared": most_shared(target, counts, 3)})
        best = sorted(out, key=lambda r: (-r["overlap"], r["word"]))[0]["word"]
        return {"choices": out, "answer": best}

    def graded(self, spec, result):
        return {r["word"]: r["overlap"] for r in result["choices"]}

    def claims(self, spec, result, check):
        if spec.answer:
            shown = ", ".join(f"{r['word']} ({r['overlap']:.4f})"
                              for r in sorted(result["choices"], key=lambda r: -r["overlap"]))
            check(f"of {', '.join(spec.choices)}, '{spec.answer}' shares the most contexts with '{spec.word}' in "
                  "the corpus", result["answer"] == spec.answer,
                  f"the highest context overlap is '{result['answer']}'; overlaps: {shown}")
        if spec.model_answer:
            ranked = sorted(result["choices"], key=lambda r: (-r["model"], r["word"]))
            shown = ", ".join(f"{r['word']} ({r['model']:.4f})" for r in ranked)
            check(f"of {', '.join(spec.choices)}, the model's cosine is highest for '{spec.model_answer}'",
                  ranked[0]["word"] == spec.model_answer,
                  f"it is highest for '{ranked[0]['word']}'; cosines: {shown}",
                  decided_by=[r["model"] for r in result["choices"]])   # a tie at the top decides nothing

    @value("The choice with the highest context overlap (the right answer).")
    def answer(self, spec, result):
        return Value(result["answer"])

    @value("The choice with the highest model cosine.")
    def model_answer(self, spec, result):
        return Value(sorted(result["choices"], key=lambda r: (-r["model"], r["word"]))[0]["word"])

    @value("A choice's context overlap with the word, as the table shows it.")
    def overlap(self, spec, result, choice):
        s = _choice(result, choice)["overlap"]
        return Value(fmt(s), s)

    @value("The model's cosine of the word and a choice, as the table shows it.")
    def cosine(self, spec, result, choice):
        s = _choice(result, choice)["model"]
        return Value(fmt(s), s)

    def render(self, spec, result, ctx):
        word = spec.word
        rows = sorted(result["choices"], key=lambda r: (-r["overlap"], r["word"]))
        why = {r["word"]: (f"{r['word']}: context overlap with {word} {r['overlap']:.2f}"
                           + (f" (shared contexts: {', '.join(r['shared'])})" if r["shared"] else
                              " (no shared contexts)")
                           + f"; model cosine {r['model']:.2f}.") for r in result["choices"]}

        def chart():
            fig = figures.bar_scores([r["word"] for r in rows], [r["overlap"] for r in rows],
                                     title=f"Context overlap with “{word}”", highlight=result["answer"])
            fig.update_xaxes(title_text="context overlap (cosine of context counts)")
            return fig

        return Choices(list(spec.choices), result["answer"], why, [
            Html(f'<p>In the corpus, <strong>{esc(result["answer"])}</strong> shares the most contexts with '
                 f'<em>{esc(word)}</em> (window of {spec.window} words on each side).</p>'),
            Figure(chart, alt=f"Bar chart of each choice's context overlap with {word}: "
                              + ", ".join(f"{r['word']} {r['overlap']:.2f}" for r in rows) + ".",
                   caption="Context overlap of each choice with the word; the table adds the model's cosine for "
                           "the same pairs.", height=90 + 34 * len(rows), anchor="answer"),
            Table(["Word", "Context overlap", "Model cosine", "Shared contexts"],
                  [[r["word"], fmt(r["overlap"]), fmt(r["model"]), ", ".join(r["shared"]) or "none"] for r in rows],
                  numeric=(1, 2)),
        ])


def _choice(result, choice) -> dict:
    for r in result["choices"]:
        if r["word"] == choice:
            return r
    raise LexiconError(f"'{choice}' is not one of the choices", fix="name one of the words under 'choices'")
