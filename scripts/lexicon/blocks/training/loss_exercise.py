"""An exercise: which of three fits has the lowest squared or absolute error on the patients it learned from,
graded from the fits."""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import fmt
from ._data import NOTE
from ._penalty import loss_fits

FITS = {"least-squares": "least squares (LinearRegression)",
        "least-absolute": "least absolute deviations (QuantileRegressor, the median)",
        "mean": "always the training mean"}
SCORES = {"mse": "mean squared error", "mae": "mean absolute error"}


class LossExercise(ExerciseKind):
    """An exercise: three fits learn from the same diabetes training patients, and the reader picks the one
    with the lowest mean squared error (`score: mse`) or mean absolute error (`score: mae`) on those training
    patients.

    The fits are least squares (`LinearRegression`, which minimises the squared error), least absolute
    deviations (`QuantileRegressor(quantile=0.5, alpha=0)`, which minimises the absolute error) and always the
    training mean; all use the ten standardised features of the training split (`test_size`, `seed`). On the
    training patients each linear fit is best at the loss it minimises, on every split; the reveal also shows the
    validation patients, where that is no longer guaranteed. `answer` is the fit you claim wins.
    """

    example = "score: mae\nanswer: least-absolute"
    default_prompt = "Which fit has the lowest {said} on the patients it learned from?"
    note = NOTE
    needs_model = False
    graded_by = "lowest"
    options = opt.Options(
        ExerciseKind.options,
        score=opt.choice("The error the fits are judged by, on the training patients.", list(SCORES), default="mse"),
        test_size=opt.number("The share of the patients held out as the validation split.", default=0.25, min=0.1,
                             max=0.5),
        seed=opt.seed("The seed of the split (`random_state`).", default=0),
        answer=opt.choice("The fit you claim has the lowest error (a [claim](#claims)).", list(FITS), display=True),
    )

    def prepare(self, spec):
        spec.said = SCORES[spec.score]

    def anchor_hint(self, spec):
        return f"exercise loss {spec.score}"

    def compute(self, kv, spec):
        return loss_fits(spec.test_size, spec.seed)

    def graded(self, spec, result):
        return {FITS[k]: round(f["train"][spec.score], 4) for k, f in result["fits"].items()}

    def _best(self, spec, result) -> str:
        return min(result["fits"], key=lambda k: result["fits"][k]["train"][spec.score])

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        fits = result["fits"]
        check(f"{FITS[spec.answer]} has the lowest training {spec.said}", self._best(spec, result) == spec.answer,
              "; ".join(f"{FITS[k]}: {fmt(f['train'][spec.score])}" for k, f in fits.items()),
              decided_by=[-f["train"][spec.score] for f in fits.values()])

    @value("The fit with the lowest training error (the answer).")
    def best(self, spec, result):
        k = self._best(spec, result)
        return Value(FITS[k], k)

    @value("One fit's error: `error(least-squares, train, mae)`; the split is train or validation, the measure mse, "
           "rmse or mae.")
    def error(self, spec, result, fit, where, measure):
        fit, where, measure = str(fit).strip(), str(where).strip(), str(measure).strip()
        if fit not in FITS or where not in ("train", "validation") or measure not in ("mse", "rmse", "mae"):
            raise LexiconError(f"cannot read error({fit}, {where}, {measure})",
                               fix="name a fit (" + ", ".join(FITS) + "), train or validation, and mse, rmse or mae")
        v = result["fits"][fit][where][measure]
        return Value(fmt(v), v)

    def render(self, spec, result, ctx):
        fits, best = result["fits"], self._best(spec, result)
        table = Table(["Fit", "Training MSE", "Training MAE", "Validation MSE", "Validation MAE"],
                      [[FITS[k], fmt(f["train"]["mse"]), fmt(f["train"]["mae"]), fmt(f["validation"]["mse"]),
                        fmt(f["validation"]["mae"])] for k, f in fits.items()], numeric=(1, 2, 3, 4))
        why = {FITS[k]: f"{FITS[k][0].upper() + FITS[k][1:]}: training {spec.said} {fmt(f['train'][spec.score])}."
               for k, f in fits.items()}
        reveal = [Html(f"<p><strong>{FITS[best]}</strong> has the lowest {spec.said} on the {result['train']:,} "
                       f"training patients; the last two columns score the {result['validation']:,} validation "
                       "patients.</p>"), table]
        intro = (f"Three fits learn from the same {result['train']:,} training patients of scikit-learn's diabetes data "
                 "(ten standardised features): least squares, least absolute deviations, and always predicting the "
                 "training mean.")
        return Choices([FITS[k] for k in FITS], FITS[best], why, reveal, [Html(f"<p>{intro}</p>")])
