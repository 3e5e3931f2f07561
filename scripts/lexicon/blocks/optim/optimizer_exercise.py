"""An exercise: which optimiser, or which momentum β, ends lowest on the diabetes least squares, graded from the runs."""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc
from ._data import METHODS, NOTE, best_run, curvatures, diabetes, least_squares, loss_text, optimise, rate_text

BETAS_SCHEMA = {"type": "array", "items": {"type": "number", "minimum": 0, "exclusiveMaximum": 1}, "minItems": 2,
                "maxItems": 5, "uniqueItems": True}
ANSWER_SCHEMA = {"anyOf": [{"type": "number"}, {"enum": list(METHODS)}]}


class OptimizerExercise(ExerciseKind):
    """An exercise: the reader picks the optimiser (`choose: method`) or the momentum coefficient β (`choose: beta`)
    that ends with the lowest loss after `steps` full-batch steps on the diabetes linear regression of
    `optimizer-race`, its features as measured (`scaled: false`) or standardised (`scaled: true`), and the build
    grades it from the runs.

    `choose: method` runs gradient descent, momentum and Adam each at the best rate of its grid, as
    `optimizer-race` does. `choose: beta` runs momentum at each β of `values` (β = 0 is plain gradient descent), all
    at the rate 1/L, where L is the loss's largest curvature (half gradient descent's limit 2/L, and stable for
    every β). Two choices whose losses tie at the shown precision fail the build. `answer` is the choice you claim
    wins.
    """

    example = "choose: beta\nvalues: [0, 0.5, 0.9]\nsteps: 100\nanswer: 0.9"
    default_prompt = "Which {choose} ends with the lowest loss after {steps} steps?"
    note = NOTE
    needs_model = False
    graded_by = "lowest"
    options = opt.Options(
        ExerciseKind.options,
        choose=opt.choice("What the reader chooses.", ["method", "beta"], required=True),
        values=opt.raw("The β values to choose from (`choose: beta`), each from 0 up to (not including) 1.",
                       BETAS_SCHEMA, "list of 2–5 different numbers in [0, 1)", convert=list),
        steps=opt.integer("The full-batch steps of every run.", default=100, min=1, max=3000),
        scaled=opt.flag("Standardise the features first (the default keeps them as measured).", default=False),
        answer=opt.raw("The choice you claim ends lowest (a [claim](#claims)): `gd`, `momentum` or `adam`, or a β.",
                       ANSWER_SCHEMA, "a method name or a number", display=True),
    )

    def prepare(self, spec):
        if spec.choose == "method":
            if spec.values is not None:
                raise LexiconError("'values' is set, but choose: method always compares gd, momentum and adam",
                                   fix="remove 'values'")
            spec.values = list(METHODS)
        elif spec.values is None:
            raise LexiconError("choose: beta needs the β values to choose from", fix="add e.g. 'values: [0, 0.5, 0.9]'")
        if spec.answer is not None and spec.answer not in spec.values:
            raise LexiconError(f"'answer' is {spec.answer}, which is not one of the choices",
                               fix="name one of: " + ", ".join(self._key(v) for v in spec.values))

    def anchor_hint(self, spec):
        return f"exercise {spec.choose}"

    def compute(self, kv, spec):
        a, y = diabetes(spec.scaled)
        _, steep = curvatures(a, y)
        if spec.choose == "method":
            runs = [best_run(a, y, m, spec.steps, steep) for m in METHODS]
            rows = [{"value": r["method"], "score": r["losses"][-1], "rate": r["rate"]} for r in runs]
        else:
            runs = [optimise(a, y, "momentum", 1 / steep, spec.steps, beta=b) for b in spec.values]
            # 1/L is below momentum's limit 2(1 + β)/L for every β in [0, 1): no run diverges.
            assert all(r["diverged_at"] is None for r in runs)
            rows = [{"value": b, "score": r["losses"][-1], "rate": 1 / steep} for b, r in zip(spec.values, runs)]
        return {"rows": rows, "optimum": least_squares(a, y), "start": runs[0]["losses"][0]}

    @staticmethod
    def _key(v) -> str:
        return v if isinstance(v, str) else f"{v:g}"

    def _label(self, spec, v) -> str:
        return METHODS[v] if spec.choose == "method" else f"β = {v:g}"

    def graded(self, spec, result):
        return {self._label(spec, r["value"]): float(loss_text(r["score"])) for r in result["rows"]}

    def _best(self, result) -> dict:
        return min(result["rows"], key=lambda r: r["score"])

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        best = self._best(result)
        check(f"{self._label(spec, spec.answer)} ends with the lowest loss after {spec.steps} steps",
              best["value"] == spec.answer, "; ".join(f"{self._label(spec, r['value'])}: {loss_text(r['score'])}"
                                                      for r in result["rows"]),
              decided_by=[-r["score"] for r in result["rows"]])

    @value("The choice that ends lowest (the answer).")
    def best(self, spec, result):
        v = self._best(result)["value"]
        return Value(self._key(v), v)

    @value("The final loss of one choice: `score(0.9)` or `score(adam)`.")
    def score(self, spec, result, v):
        row = next((r for r in result["rows"] if self._key(r["value"]) == str(v).strip()), None)
        if row is None:
            raise LexiconError(f"'{v}' is not one of the exercise's choices",
                               fix="name one of: " + ", ".join(self._key(x) for x in spec.values))
        return Value(loss_text(row["score"]), row["score"])

    def render(self, spec, result, ctx):
        rows, best = result["rows"], self._best(result)
        what = "standardised" if spec.scaled else "as measured (unscaled)"
        if spec.choose == "method":
            intro = (f"Gradient descent, momentum (β = 0.9) and Adam fit a linear regression to scikit-learn's diabetes "
                     f"data, features {what}, from all-zero weights, for {spec.steps} full-batch steps; each runs at "
                     "the rate of its grid that ends lowest.")
            why = {self._label(spec, r["value"]): f"{METHODS[r['value']]} at its best rate {rate_text(r['rate'])}: loss "
                   f"{loss_text(r['score'])} after {spec.steps} steps." for r in rows}
        else:
            intro = (f"Momentum fits a linear regression to scikit-learn's diabetes data, features {what}, from all-zero "
                     f"weights, for {spec.steps} full-batch steps at rate {rate_text(rows[0]['rate'])} (1/L), with each "
                     "β; β = 0 is plain gradient descent.")
            why = {self._label(spec, r["value"]): f"β = {r['value']:g}: loss {loss_text(r['score'])} after {spec.steps} steps."
                   for r in rows}
        table = Table(["Choice", f"Loss after {spec.steps} steps", "Rate"],
                      [[self._label(spec, r["value"]), loss_text(r["score"]), rate_text(r["rate"])] for r in rows],
                      numeric=(1, 2))
        reveal = [Html(f"<p><strong>{esc(self._label(spec, best['value']))}</strong> ends lowest; the least-squares "
                       f"optimum is {loss_text(result['optimum'])}, the start {loss_text(result['start'])}.</p>"), table]
        return Choices([self._label(spec, v) for v in spec.values], self._label(spec, best["value"]), why, reveal,
                       [Html(f"<p>{intro}</p>")])
