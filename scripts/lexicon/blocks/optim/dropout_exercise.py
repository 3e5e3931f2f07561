"""An exercise: which scale of the kept units keeps the mean activation under dropout, graded from real masks."""

from __future__ import annotations

import numpy as np

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import fmt
from ._data import NOTE, digit_activations, dropout

SCALES_SCHEMA = {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0}, "minItems": 2, "maxItems": 5,
                 "uniqueItems": True}


class DropoutExercise(ExerciseKind):
    """An exercise: at drop probability `p`, the reader picks the factor by which the kept units must be multiplied
    so that the mean activation with dropout matches the mean without it.

    The build applies `masks` random masks
    (`RandomState(seed)`) to the hidden activations of `dropout-masks` (the digits network) at each scale of `values`
    and grades by how far the mean masked activation over the masks lies from the unmasked mean (the ratio's distance
    from 1). `answer` is the scale you claim comes closest.
    """

    example = "p: 0.5\nvalues: [0.5, 1, 2]\nanswer: 2"
    default_prompt = "Dropout drops each unit with probability {p}. By how much must the kept units be multiplied?"
    note = NOTE
    needs_model = False
    graded_by = "lowest"
    options = opt.Options(
        ExerciseKind.options,
        p=opt.number("The probability of dropping a unit.", default=0.5, min=0.05, max=0.9),
        values=opt.raw("The scales to choose from.", SCALES_SCHEMA, "list of 2–5 different positive numbers",
                       required=True, convert=list),
        masks=opt.integer("The random masks averaged over.", default=20, min=1, max=200),
        hidden=opt.integer("The hidden units of the network.", default=64, min=8, max=256),
        seed=opt.seed("The seed of the network, the split and the masks.", default=0),
        answer=opt.number("The scale you claim keeps the mean activation (a [claim](#claims)).", display=True),
    )

    def prepare(self, spec):
        if spec.answer is not None and spec.answer not in spec.values:
            raise LexiconError(f"'answer' is {spec.answer:g}, which is not one of the values",
                               fix="name one of: " + ", ".join(f"{v:g}" for v in spec.values))

    def anchor_hint(self, spec):
        return f"exercise dropout {spec.p:g}"

    def compute(self, kv, spec):
        h, _ = digit_activations(spec.hidden, spec.seed)
        rows = []
        for scale in spec.values:
            rng = np.random.RandomState(spec.seed)      # the same masks for every scale
            mean = float(np.mean([dropout(h, spec.p, scale, rng)[0].mean() for _ in range(spec.masks)]))
            rows.append({"value": scale, "mean": mean, "ratio": mean / float(h.mean()),
                         "score": abs(mean / float(h.mean()) - 1)})
        return {"rows": rows, "mean": float(h.mean())}

    def graded(self, spec, result):
        return {f"× {r['value']:g}": float(fmt(r["score"])) for r in result["rows"]}

    def _best(self, result) -> dict:
        return min(result["rows"], key=lambda r: r["score"])

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        check(f"× {spec.answer:g} keeps the mean activation closest at p = {spec.p:g}",
              self._best(result)["value"] == spec.answer,
              "; ".join(f"× {r['value']:g}: ratio {fmt(r['ratio'])}" for r in result["rows"]),
              decided_by=[-r["score"] for r in result["rows"]])

    @value("The scale that keeps the mean closest (the answer).")
    def best(self, spec, result):
        v = self._best(result)["value"]
        return Value(f"{v:g}", v)

    def render(self, spec, result, ctx):
        rows, best = result["rows"], self._best(result)
        table = Table(["Scale of the kept units", f"Mean activation over {spec.masks} masks",
                       "Ratio to the mean without dropout"],
                      [[f"× {r['value']:g}", fmt(r["mean"]), fmt(r["ratio"])] for r in rows], numeric=(1, 2))
        why = {f"× {r['value']:g}": f"× {r['value']:g}: the mean activation is {fmt(r['ratio'])} times the mean "
                                    "without dropout." for r in rows}
        reveal = [Html(f"<p><strong>× {best['value']:g}</strong> keeps the mean activation (without dropout: "
                       f"{fmt(result['mean'])}).</p>"), table]
        intro = ("The hidden activations of the digits network of the example above, under random dropout masks that "
                 f"each drop a unit with probability {spec.p:g}; the surviving activations are multiplied by the scale.")
        return Choices([f"× {v:g}" for v in spec.values], f"× {best['value']:g}", why, reveal, [Html(f"<p>{intro}</p>")])
