from __future__ import annotations

from ... import figures
from ...engine import ExerciseKind, opt
from ...engine.pieces import Exercise, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._cosine import similarities

LETTER = {"type": "string", "pattern": "^[A-Z]$"}


class RankExercise(ExerciseKind):
    """An exercise: rank word pairs by similarity. The answer (order and scores) is computed from the model.

    An exercise for the Interactive Exercise section. Readers rank the pairs with a drop-down list
    each, press **Check answer** and are graded pair by pair; then the model's ranking appears, with
    its scores as a chart and your explanation. **Try again** resets the exercise. Until the reader
    checks an answer, the model's answer is neither shown nor found by the site search.
    """

    example = """\
prompt: Rank these pairs from most to least similar, as the model sees them.
pairs:
  A: [ocean, sea]
  B: [ocean, river]
  C: [ocean, desert]
answer: [A, C, B]
explanation: |
  *Sea* is almost a synonym, so **A** comes first. Most people then
  pick *river*, which is also water, but the model puts *desert*
  second. The model doesn't know what the words mean. It only knows
  which contexts they appear in. An ocean and a desert are both
  described as vast, empty expanses, while rivers appear with towns,
  bridges and floods."""
    default_prompt = "Rank these word pairs by similarity (1 = most similar)."
    options = opt.Options(
        ExerciseKind.options,
        pairs=opt.raw("The pairs, each under a capital letter: `A: [cat, dog]`.",
                      {"type": "object", "minProperties": 2, "maxProperties": 8,
                       "propertyNames": {"pattern": "^[A-Z]$"}, "additionalProperties": opt.word_list(2, 2)},
                      "2–8 letters, each a `[word, word]` pair", required=True, vocab=True),
        answer=opt.raw("The order you claim the model gives, most similar first: `[A, C, B]`.",
                       {"type": "array", "items": LETTER}, "list of letters, a [claim](#claims)", display=True),
    )

    def prepare(self, spec):
        spec.letters = list(spec.pairs)
        spec.pair_list = [spec.pairs[k] for k in spec.letters]
        if spec.answer is not None and sorted(spec.answer) != sorted(spec.letters):
            raise LexiconError(f"'answer' must list each of {', '.join(spec.letters)} exactly once",
                               fix=f"write the order you claim the model gives, e.g. answer: [{', '.join(spec.letters)}]")

    def anchor_hint(self, spec):
        return "exercise " + " ".join(self.words(spec)[:4])

    def compute(self, kv, spec):
        return {"scores": similarities(kv, spec.pair_list)}

    graded_by = "order"   # the reader ranks every pair

    def graded(self, spec, result):
        return dict(zip(spec.letters, result["scores"]))

    def claims(self, spec, result, check):
        if spec.answer:
            check.order(spec.letters, result["scores"], spec.answer, "the pairs")

    def render(self, spec, result, ctx):
        letters, pairs, scores = spec.letters, spec.pair_list, result["scores"]
        order = sorted(range(len(letters)), key=lambda i: -scores[i])
        n = len(letters)
        a = esc(ctx.anchor)
        options = '<option value="">Rank…</option>' + "".join(f"<option>{r}</option>" for r in range(1, n + 1))
        items = "".join(
            f'<li class="ll-exercise__item" data-key="{esc(k)}">'
            f'<label for="{a}-{esc(k)}"><span class="ll-letter">{esc(k)}.</span> {esc(w1)} – {esc(w2)}</label>'
            f'<select id="{a}-{esc(k)}" name="{esc(k)}">{options}</select>'
            f'<span class="ll-exercise__mark"></span></li>'
            for k, (w1, w2) in zip(letters, pairs))
        ranked = [f"{letters[i]}. {pairs[i][0]} – {pairs[i][1]}" for i in order]
        reveal = [
            Html(f'<p>The model ranks them <strong>{", ".join(letters[i] for i in order)}</strong>.</p>'),
            Figure(figures.bar_scores(ranked, [scores[i] for i in order], title="The model's ranking"),
                   alt="Bar chart of the model's cosine similarity for each pair, highest first: "
                       + ", ".join(f"{lab} {scores[i]:.2f}" for lab, i in zip(ranked, order)) + ".",
                   caption="Cosine similarity of each pair, from the model.", height=80 + 36 * n, anchor="answer",
                   table=Table(["Rank", "Pair", "Cosine"], [[r + 1, ranked[r], fmt(scores[order[r]])] for r in range(n)],
                               numeric=(0, 2))),
        ]
        answer = {"kind": "rank", "order": [letters[i] for i in order], "scores": dict(zip(letters, scores)),
                  "labels": {k: f"{w1} – {w2}" for k, (w1, w2) in zip(letters, pairs)}}
        return Exercise("rank", f'<ol class="ll-exercise__items">{items}</ol>', answer, reveal)
