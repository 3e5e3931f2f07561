"""An exercise: among which slice of the vocabulary do random word pairs have the highest mean cosine similarity (the most anisotropic)? The answer is computed from the model.

The choices are numbers of most frequent words; for each, random pairs are drawn per seed as in
the `anisotropy` block. The reveal charts each slice's mean, with the spread over seeds.
"""

from __future__ import annotations

from ... import figures
from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._geo import pair_cosines, top_matrix


def slice_label(n: int) -> str:
    return f"the {n:,} most frequent words"


class AnisotropyExercise(ExerciseKind):
    """An exercise: among which slice of the vocabulary (the N most frequent words) do random pairs of words have the highest mean cosine similarity? The answer is computed from the model.

    For each choice of N, `pairs` random pairs of distinct words among the N most frequent are
    drawn for each seed 0 … `seeds` − 1 (as in the `anisotropy` block). The reveal charts each
    slice's mean over seeds, with the smallest and largest seed's mean.
    """

    example = "tops: [1000, 100000]\npairs: 2000\nseeds: 2\nanswer: 1000"
    default_prompt = "Among which of these slices of the vocabulary do random pairs of words have the highest mean cosine similarity?"
    options = opt.Options(
        ExerciseKind.options,
        tops=opt.raw("The choices: numbers of most frequent words, each from 100 to 400,000.",
                     {"type": "array", "items": {"type": "integer", "minimum": 100, "maximum": 400000},
                      "minItems": 2, "maxItems": 5, "uniqueItems": True}, "2–5 whole numbers", required=True,
                     convert=list),
        pairs=opt.integer("How many random pairs per seed.", default=10000, min=100, max=50000),
        seeds=opt.integer("How many seeds (0, 1, …) to draw pairs with.", default=5, min=1, max=10),
        answer=opt.integer("The slice you claim has the highest mean (a [claim](#claims)).", min=100, max=400000,
                           display=True),
    )

    def prepare(self, spec):
        if spec.answer is not None and spec.answer not in spec.tops:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices under 'tops'",
                               fix="name one of: " + ", ".join(str(t) for t in spec.tops))

    def anchor_hint(self, spec):
        return "exercise anisotropy"

    def compute(self, kv, spec):
        return {"slices": [pair_cosines(top_matrix(kv, n), spec.pairs, spec.seeds) for n in spec.tops]}

    def graded(self, spec, result):
        return {slice_label(n): s["mean"] for n, s in zip(spec.tops, result["slices"])}

    def _answer(self, spec, result) -> int:
        means = [s["mean"] for s in result["slices"]]
        return spec.tops[min(range(len(means)), key=lambda i: (-means[i], i))]

    def claims(self, spec, result, check):
        if spec.answer is not None:
            got = self._answer(spec, result)
            check(f"random pairs among {slice_label(spec.answer)} have the highest mean cosine of the slices",
                  got == spec.answer, f"the model's answer is {slice_label(got)}; "
                  + ", ".join(f"{n:,}: {fmt(s['mean'])}" for n, s in zip(spec.tops, result["slices"])),
                  decided_by=[s["mean"] for s in result["slices"]])

    @value("A slice's mean cosine of random pairs: `mean(1000)`.")
    def mean(self, spec, result, n):
        if int(n) not in spec.tops:
            raise LexiconError(f"{n} is not one of the choices", fix="name one of: " + ", ".join(map(str, spec.tops)))
        x = result["slices"][spec.tops.index(int(n))]["mean"]
        return Value(fmt(x, 3), x)

    def render(self, spec, result, ctx):
        labels = [slice_label(n) for n in spec.tops]
        sl = result["slices"]
        answer = slice_label(self._answer(spec, result))
        order = sorted(range(len(labels)), key=lambda i: (-sl[i]["mean"], i))
        why = {lab: f"{lab}: mean cosine {fmt(s['mean'], 3)} (seeds from {fmt(s['low'], 3)} to {fmt(s['high'], 3)})."
               for lab, s in zip(labels, sl)}
        tbl = Table(["Words", "Mean cosine of random pairs", "Lowest seed", "Highest seed"],
                    [[labels[i], fmt(sl[i]["mean"], 3), fmt(sl[i]["low"], 3), fmt(sl[i]["high"], 3)] for i in order],
                    numeric=(1, 2, 3))
        reveal = [
            Html(f"<p>Random pairs among <strong>{esc(answer)}</strong> have the highest mean cosine.</p>"),
            Figure(lambda: figures.bar_scores([labels[i] for i in order], [sl[i]["mean"] for i in order],
                                              title="Mean cosine of random pairs", highlight=answer),
                   alt="Bar chart of the mean cosine of random pairs, highest first: "
                       + ", ".join(f"{labels[i]} {sl[i]['mean']:.3f}" for i in order) + ".",
                   caption=f"Mean cosine of {spec.pairs:,} random pairs per seed, over {spec.seeds} seeds.",
                   table=tbl, height=80 + 36 * len(labels), anchor="answer"),
        ]
        return Choices(labels, answer, why, reveal)
