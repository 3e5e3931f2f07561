"""An exercise on penalised regression over bootstrap resamples: whose coefficient varies most (ridge), or which
feature the lasso keeps least often, graded from the resampled fits."""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import fmt
from ._data import FEATURES, NOTE
from ._penalty import PAIR, lasso_pair, ridge_correlated

ALPHAS_SCHEMA = {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0, "maximum": 100000},
                 "minItems": 1, "maxItems": 4, "uniqueItems": True}
FEATURES_SCHEMA = {"type": "array", "items": {"enum": list(FEATURES)}, "minItems": 2, "maxItems": 4, "uniqueItems": True}


class PenaltyExercise(ExerciseKind):
    """An exercise over bootstrap resamples of scikit-learn's diabetes data (all 442 patients, ten standardised
    features), where total cholesterol (s1) and LDL cholesterol (s2) are strongly correlated.

    `ask: spread` (the ridge question): least squares and `Ridge(alpha)` for each of `alphas` are fitted on
    `resamples` resamples (`RandomState(seed)`); the reader picks the model whose `feature` coefficient (s1 or
    s2) varies most over them (the highest standard deviation). `ask: kept` (the lasso question): `Lasso(alpha)`
    is fitted on the resamples; the reader picks, among `features`, the one whose coefficient is non-zero in the
    fewest resamples. The table also shows how many resamples keep both s1 and s2, exactly one, or neither.
    `answer` is the choice you claim wins: `ols` or an alpha for `ask: spread`, a feature for `ask: kept`.
    """

    example = "ask: kept\nfeatures: [s2, bmi]\nalpha: 1\nresamples: 30\nanswer: s2"
    default_prompt = "Which choice wins over the bootstrap resamples?"
    note = NOTE
    needs_model = False
    options = opt.Options(
        ExerciseKind.options,
        ask=opt.choice("The question: the spread of a coefficient (ridge) or the feature kept least often (lasso).",
                       ["spread", "kept"], required=True),
        alphas=opt.raw("The ridge penalties beside least squares (`ask: spread`).", ALPHAS_SCHEMA,
                       "list of 1–4 different numbers", convert=lambda v: sorted(v)),
        feature=opt.choice("The coefficient whose spread is compared (`ask: spread`).", list(PAIR), default="s1"),
        features=opt.raw("The diabetes features to choose from (`ask: kept`), by scikit-learn's names.", FEATURES_SCHEMA,
                         "list of 2–4 different feature names", convert=list),
        alpha=opt.number("The lasso's penalty (`ask: kept`).", default=1, above=0, max=100),
        resamples=opt.integer("How many bootstrap resamples of the patients.", default=100, min=10, max=300),
        seed=opt.seed("The seed of the resamples.", default=0),
        answer=opt.text("The choice you claim wins (a [claim](#claims)): `ols` or an alpha (`ask: spread`); "
                        "a feature (`ask: kept`).", display=True),
    )

    def prepare(self, spec):
        if spec.ask == "spread":
            if spec.alphas is None:
                raise LexiconError("ask: spread needs the ridge penalties to compare", fix="add e.g. 'alphas: [10, 100]'")
            if spec.given("alpha") or spec.features is not None:
                raise LexiconError("'alpha' and 'features' are the lasso's (ask: kept)",
                                   fix="list the ridge penalties under 'alphas' and name one 'feature'")
            spec.choices = ["ols"] + [f"{a:g}" for a in spec.alphas]
        else:
            if spec.alphas is not None or spec.given("feature"):
                raise LexiconError("ask: kept fits one lasso and compares features", fix="remove 'alphas' and 'feature'; "
                                   "set the lasso's 'alpha' and list the 'features'")
            if spec.features is None:
                raise LexiconError("ask: kept needs the features to choose from", fix="add e.g. 'features: [age, s2, s4]'")
            spec.choices = list(spec.features)
        if spec.answer is not None and str(spec.answer) not in spec.choices:
            raise LexiconError(f"'answer' is {spec.answer}, which is not one of the choices",
                               fix="name one of: " + ", ".join(spec.choices))

    def anchor_hint(self, spec):
        return f"exercise penalty {spec.ask}"

    def compute(self, kv, spec):
        if spec.ask == "spread":
            fit = ridge_correlated(spec.alphas, spec.resamples, spec.seed, 2, 1)
            j = PAIR.index(spec.feature)
            return {"rows": [{"value": m, "score": fit["boot"][m]["std"][j], "mean": fit["boot"][m]["mean"][j],
                              "coef": fit["coef"][m][fit["features"].index(spec.feature)]} for m in spec.choices],
                    "corr": fit["corr"]}
        fit = lasso_pair(spec.alpha, spec.resamples, spec.seed)
        return {"rows": [{"value": f, "score": fit["kept"][f]} for f in spec.features], "kept": fit["kept"],
                "pair": {o: fit[o] for o in ("both", "one", "neither")}}

    def _label(self, spec, v) -> str:
        if spec.ask == "kept":
            return f"{v} ({FEATURES[v]})"
        return "least squares" if v == "ols" else f"ridge, alpha {v}"

    def graded_end(self, spec):
        return "lowest" if spec.ask == "kept" else "highest"

    def graded(self, spec, result):
        return {self._label(spec, r["value"]): float(r["score"]) if spec.ask == "kept" else round(r["score"], 4)
                for r in result["rows"]}

    def _best(self, spec, result) -> dict:
        pick = min if spec.ask == "kept" else max
        return pick(result["rows"], key=lambda r: r["score"])

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        said = (f"has the most variable {spec.feature} coefficient over {spec.resamples} resamples" if spec.ask == "spread"
                else f"is the feature the lasso at alpha {spec.alpha:g} keeps in the fewest of {spec.resamples} resamples")
        sign = -1 if spec.ask == "kept" else 1
        check(f"{self._label(spec, str(spec.answer))} {said}", self._best(spec, result)["value"] == str(spec.answer),
              "; ".join(f"{self._label(spec, r['value'])}: {fmt(r['score']) if spec.ask == 'spread' else r['score']}"
                        for r in result["rows"]), decided_by=[sign * r["score"] for r in result["rows"]])

    @value("The winning choice (the answer).")
    def best(self, spec, result):
        v = self._best(spec, result)["value"]
        return Value(self._label(spec, v), v)

    def render(self, spec, result, ctx):
        rows, best = result["rows"], self._best(spec, result)
        if spec.ask == "spread":
            intro = (f"Least squares and ridge regressions are fitted on {spec.resamples} bootstrap resamples of the diabetes "
                     f"patients; {spec.feature} ({FEATURES[spec.feature]}) is correlated with its partner at "
                     f"{fmt(result['corr'])}.")
            table = Table(["Model", f"{spec.feature} on all patients", "Mean over the resamples", "Standard deviation"],
                          [[self._label(spec, r["value"]), fmt(r["coef"]), fmt(r["mean"]), fmt(r["score"])] for r in rows],
                          numeric=(1, 2, 3))
            why = {self._label(spec, r["value"]): f"{self._label(spec, r['value']).capitalize()}: the {spec.feature} "
                   f"coefficient has a standard deviation of {fmt(r['score'])} over the resamples." for r in rows}
        else:
            intro = (f"A lasso at alpha {spec.alpha:g} is fitted on {spec.resamples} bootstrap resamples of the diabetes "
                     "patients (drawn with replacement); each time, each coefficient is exactly zero or not.")
            kept, pair = result["kept"], result["pair"]
            table = Table(["Feature", f"Kept (non-zero) in, of {spec.resamples} resamples"],
                          [[self._label(spec, f), str(kept[f])] for f in FEATURES], numeric=(1,))
            why = {self._label(spec, r["value"]): f"{self._label(spec, r['value']).capitalize()}: kept in {r['score']} of "
                   f"{spec.resamples} resamples." for r in rows}
        reveal = [Html(f"<p><strong>{self._label(spec, best['value'])}</strong>.</p>"), table]
        if spec.ask == "kept":
            reveal.append(Html(f"<p>Total cholesterol (s1) and LDL cholesterol (s2): both kept in {pair['both']}, exactly "
                               f"one in {pair['one']}, neither in {pair['neither']} of the resamples.</p>"))
        return Choices([self._label(spec, v) for v in spec.choices], self._label(spec, best["value"]), why, reveal,
                       [Html(f"<p>{intro}</p>")])
