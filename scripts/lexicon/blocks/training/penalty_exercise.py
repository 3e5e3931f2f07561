"""An exercise on penalised regression over bootstrap resamples or repeated splits: whose coefficient varies most
(ridge), which feature the lasso keeps least often, or which rule names the feature the lasso keeps longest, graded
from the fits."""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import fmt
from ._data import FEATURES, NOTE
from ._penalty import PAIR, RULES, lasso_last, lasso_pair, ridge_correlated

ALPHAS_SCHEMA = {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0, "maximum": 100000},
                 "minItems": 1, "maxItems": 4, "uniqueItems": True}
FEATURES_SCHEMA = {"type": "array", "items": {"enum": list(FEATURES)}, "minItems": 2, "maxItems": 4, "uniqueItems": True}
RULES_SCHEMA = {"type": "array", "items": {"enum": list(RULES)}, "minItems": 2, "maxItems": 3, "uniqueItems": True}


class PenaltyExercise(ExerciseKind):
    """An exercise over bootstrap resamples of scikit-learn's diabetes data (all 442 patients, ten standardised
    features), where total cholesterol (s1) and LDL cholesterol (s2) are strongly correlated.

    `ask: spread` (the ridge question): least squares and `Ridge(alpha)` for each of `alphas` are fitted on
    `resamples` resamples (`RandomState(seed)`); the reader picks the model whose `feature` coefficient (s1 or
    s2) varies most over them (the highest standard deviation), or, with `against` (a feature without a near copy,
    such as `bmi`), the highest standard deviation relative to that feature's in the same fits: a penalty shrinks
    every weight and with it every spread, so the ratio shows what the correlation adds. `ask: kept` (the lasso question): `Lasso(alpha)`
    is fitted on the resamples; the reader picks, among `features`, the one whose coefficient is non-zero in the
    fewest resamples. The table also shows how many resamples keep both s1 and s2, exactly one, or neither.
    `ask: last` (the question of the lasso path's order): on the `splits` train/validation splits of seeds 0 …
    `splits` − 1 (`test_size`; the features standardised on each training part), the exact lasso path
    (`lars_path(method="lasso")`) of the training part gives the feature kept non-zero up to the largest alpha;
    the reader picks, among `rules`, the rule that names that feature on the most splits: `correlation` (the
    largest correlation with the target on its own), `least-squares` (the largest least-squares weight in size)
    or `independent` (the weakest largest correlation with another feature).
    `answer` is the choice you claim wins: `ols` or an alpha for `ask: spread`, a feature for `ask: kept`, a rule
    for `ask: last`.
    """

    example = "ask: kept\nfeatures: [s2, bmi]\nalpha: 1\nresamples: 30\nanswer: s2"
    default_prompt = "Which choice wins over the bootstrap resamples?"
    note = NOTE
    needs_model = False
    options = opt.Options(
        ExerciseKind.options,
        ask=opt.choice("The question: the spread of a coefficient (ridge) or the feature kept least often (lasso).",
                       ["spread", "kept", "last"], required=True),
        alphas=opt.raw("The ridge penalties beside least squares (`ask: spread`).", ALPHAS_SCHEMA,
                       "list of 1–4 different numbers", convert=lambda v: sorted(v)),
        feature=opt.choice("The coefficient whose spread is compared (`ask: spread`).", list(PAIR), default="s1"),
        against=opt.choice("A feature whose spread in the same fits divides `feature`'s (`ask: spread`; none: the raw "
                           "standard deviation).", [f for f in FEATURES if f not in PAIR]),
        features=opt.raw("The diabetes features to choose from (`ask: kept`), by scikit-learn's names.", FEATURES_SCHEMA,
                         "list of 2–4 different feature names", convert=list),
        alpha=opt.number("The lasso's penalty (`ask: kept`).", default=1, above=0, max=100),
        resamples=opt.integer("How many bootstrap resamples of the patients.", default=100, min=10, max=300),
        seed=opt.seed("The seed of the resamples.", default=0),
        rules=opt.raw("The rules to choose from (`ask: last`).", RULES_SCHEMA, "list of 2–3 of: " + ", ".join(RULES),
                      default=list(RULES), convert=list),
        splits=opt.integer("How many train/validation splits (`ask: last`).", default=200, min=10, max=500),
        test_size=opt.number("The share of the patients held out of each split's training part (`ask: last`).",
                             default=0.25, min=0.1, max=0.5),
        answer=opt.text("The choice you claim wins (a [claim](#claims)): `ols` or an alpha (`ask: spread`); "
                        "a feature (`ask: kept`); a rule (`ask: last`).", display=True),
    )

    def prepare(self, spec):
        if spec.ask != "last" and (spec.given("rules") or spec.given("splits") or spec.given("test_size")):
            raise LexiconError("'rules', 'splits' and 'test_size' are ask: last's", fix="remove them, or set 'ask: last'")
        if spec.ask == "last":
            if spec.alphas is not None or spec.features is not None or spec.given("alpha") or spec.given("feature") \
                    or spec.given("resamples") or spec.given("seed"):
                raise LexiconError("ask: last compares rules over repeated splits", fix="remove 'alphas', 'alpha', "
                                   "'feature', 'features', 'resamples' and 'seed'; list the 'rules' and set 'splits'")
            spec.choices = list(spec.rules)
        elif spec.ask == "spread":
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
        if spec.ask != "spread" and spec.against is not None:
            raise LexiconError("'against' is ask: spread's", fix="remove 'against'")
        if spec.answer is not None and str(spec.answer) not in spec.choices:
            raise LexiconError(f"'answer' is {spec.answer}, which is not one of the choices",
                               fix="name one of: " + ", ".join(spec.choices))

    def anchor_hint(self, spec):
        return f"exercise penalty {spec.ask}"

    def compute(self, kv, spec):
        if spec.ask == "last":
            fit = lasso_last(spec.test_size, spec.splits)
            return {"rows": [{"value": r, "score": fit["hits"][r]} for r in spec.rules], "last": fit["last"]}
        if spec.ask == "spread":
            fit = ridge_correlated(spec.alphas, spec.resamples, spec.seed, 2, 1)
            j, names = PAIR.index(spec.feature), fit["features"]
            rows = [{"value": m, "sd": fit["boot"][m]["std"][j], "mean": fit["boot"][m]["mean"][j],
                     "coef": fit["coef"][m][names.index(spec.feature)]} for m in spec.choices]
            for r in rows:
                r["ref"] = fit["boot"][r["value"]]["std_all"][names.index(spec.against)] if spec.against else None
                r["score"] = r["sd"] / r["ref"] if spec.against else r["sd"]
            return {"rows": rows, "corr": fit["corr"]}
        fit = lasso_pair(spec.alpha, spec.resamples, spec.seed)
        return {"rows": [{"value": f, "score": fit["kept"][f]} for f in spec.features], "kept": fit["kept"],
                "pair": {o: fit[o] for o in ("both", "one", "neither")}}

    def _label(self, spec, v) -> str:
        if spec.ask == "last":
            return RULES[v]
        if spec.ask == "kept":
            return f"{v} ({FEATURES[v]})"
        return "least squares" if v == "ols" else f"ridge, alpha {v}"

    def graded_end(self, spec):
        return "lowest" if spec.ask == "kept" else "highest"

    def graded(self, spec, result):
        return {self._label(spec, r["value"]): float(r["score"]) if spec.ask != "spread" else round(r["score"], 4)
                for r in result["rows"]}

    def _best(self, spec, result) -> dict:
        pick = min if spec.ask == "kept" else max
        return pick(result["rows"], key=lambda r: r["score"])

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        said = {"spread": f"has the most variable {spec.feature} coefficient"
                          + (f" relative to {spec.against}'s" if spec.against else "") + f" over {spec.resamples} resamples",
                "kept": f"is the feature the lasso at alpha {spec.alpha:g} keeps in the fewest of {spec.resamples} resamples",
                "last": f"names the feature the lasso keeps longest on the most of {spec.splits} splits"}[spec.ask]
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
            f, ref = spec.feature, spec.against
            intro = (f"Least squares and ridge regressions are fitted on {spec.resamples} bootstrap resamples of the diabetes "
                     f"patients; {f} ({FEATURES[f]}) is correlated with its partner at {fmt(result['corr'])}"
                     + (f"; {ref} ({FEATURES[ref]}) has no such near copy." if ref else "."))
            headers = ["Model", f"{f} on all patients", f"{f}: mean over the resamples", f"{f}: standard deviation"]
            cells = [[self._label(spec, r["value"]), fmt(r["coef"]), fmt(r["mean"]), fmt(r["sd"])] for r in rows]
            if ref:
                headers += [f"{ref}: standard deviation", f"{f} ÷ {ref} (standard deviations)"]
                cells = [c + [fmt(r["ref"]), fmt(r["score"])] for c, r in zip(cells, rows)]
            table = Table(headers, cells, numeric=tuple(range(1, len(headers))))
            why = {self._label(spec, r["value"]): f"{self._label(spec, r['value']).capitalize()}: the {f} coefficient has a "
                   f"standard deviation of {fmt(r['sd'])} over the resamples"
                   + (f", {fmt(r['score'])} times {ref}'s ({fmt(r['ref'])})." if ref else ".") for r in rows}
        elif spec.ask == "last":
            intro = (f"The diabetes patients are split {spec.splits} times into training and validation parts; on each "
                     "training part (features standardised on it) the exact lasso path gives the feature whose coefficient "
                     "stays non-zero up to the largest alpha, and each rule names the feature it predicts.")
            table = Table(["Rule", f"Names the last feature standing, of {spec.splits} splits"],
                          [[self._label(spec, r["value"]), str(r["score"])] for r in rows], numeric=(1,))
            why = {self._label(spec, r["value"]): f"This rule names the feature the lasso keeps longest on {r['score']} of "
                   f"{spec.splits} splits." for r in rows}
        else:
            intro = (f"A lasso at alpha {spec.alpha:g} is fitted on {spec.resamples} bootstrap resamples of the diabetes "
                     "patients (drawn with replacement); each time, each coefficient is exactly zero or not.")
            kept, pair = result["kept"], result["pair"]
            table = Table(["Feature", f"Kept (non-zero) in, of {spec.resamples} resamples"],
                          [[self._label(spec, f), str(kept[f])] for f in FEATURES], numeric=(1,))
            why = {self._label(spec, r["value"]): f"{self._label(spec, r['value']).capitalize()}: kept in {r['score']} of "
                   f"{spec.resamples} resamples." for r in rows}
        reveal = [Html(f"<p><strong>{self._label(spec, best['value'])}</strong>.</p>"), table]
        if spec.ask == "last":
            reveal.append(Html("<p>The last feature standing: " + ", ".join(
                f"{k} ({FEATURES[k]}) on {n} split" + ("s" if n != 1 else "") for k, n in result["last"].items())
                + ".</p>"))
        if spec.ask == "kept":
            reveal.append(Html(f"<p>Total cholesterol (s1) and LDL cholesterol (s2): both kept in {pair['both']}, exactly "
                               f"one in {pair['one']}, neither in {pair['neither']} of the resamples.</p>"))
        return Choices([self._label(spec, v) for v in spec.choices], self._label(spec, best["value"]), why, reveal,
                       [Html(f"<p>{intro}</p>")])
