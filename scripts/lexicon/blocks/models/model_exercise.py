"""An exercise: which model (or which setting of one) cross-validates best on a dataset, graded from the scores."""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._data import NOTE, check_dataset, check_folds, cross_validated, describe, parse_model

MODELS_SCHEMA = {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 5, "uniqueItems": True}


class ModelExercise(ExerciseKind):
    """An exercise: the reader picks the model, or the setting of one model, with the highest (or lowest)
    mean cross-validated accuracy on a dataset, and the build grades it from the scores it computed.

    The models are written as in `model-compare` (`knn-1`, `knn-15`, `decision-tree-3`, `svm-rbf-10`,
    `naive-bayes`, …) and scored the same way: `cross_val_score` with `StratifiedKFold(folds,
    shuffle=True)`, repeated on `shuffles` shuffles of the folds. The answer has the highest mean over
    all `folds × shuffles` scores (`ask: worst`: the lowest). The reveal shows each model's mean ± standard
    deviation and how often it comes first shuffle by shuffle. Two models whose means tie at the shown
    precision fail the build, so choose models that separate. `answer` is the model you claim wins.
    """

    example = "dataset: iris\nmodels: [knn-1, naive-bayes]\nshuffles: 2\nanswer: naive-bayes"
    default_prompt = "Which model has the {end} mean cross-validated accuracy on the {dataset} data?"
    note = NOTE
    needs_model = False
    options = opt.Options(
        ExerciseKind.options,
        dataset=opt.text("One of scikit-learn's bundled classification datasets: `breast_cancer`, `iris`, `wine` or "
                         "`digits`.", default="breast_cancer"),
        models=opt.raw("The 2–5 models to choose from, in this order (written as in `model-compare`).",
                       MODELS_SCHEMA, "list of 2–5 model names", convert=list, required=True),
        ask=opt.choice("Ask for the best model or the worst.", ["best", "worst"], default="best"),
        folds=opt.integer("How many folds (k).", default=5, min=2, max=10),
        shuffles=opt.integer("How many shuffles of the folds the mean is taken over.", default=3, min=1, max=10),
        seed=opt.seed("The seed of the first shuffle and of the models.", default=0),
        answer=opt.text("The model you claim wins (a [claim](#claims)).", display=True),
    )

    def prepare(self, spec):
        check_dataset(spec.dataset)
        check_folds(spec.dataset, spec.folds)
        for m in spec.models:
            parse_model(m)
        spec.models = [str(m).strip() for m in spec.models]
        spec.end = "highest" if spec.ask == "best" else "lowest"
        if spec.answer is not None and str(spec.answer).strip() not in spec.models:
            raise LexiconError(f"'answer' is {spec.answer}, which is not one of the models",
                               fix="name one of: " + ", ".join(spec.models))

    def anchor_hint(self, spec):
        return f"exercise models {spec.dataset}"

    def compute(self, kv, spec):
        return {"rows": [cross_validated(spec.dataset, m, spec.folds, spec.shuffles, spec.seed) for m in spec.models],
                "info": describe(spec.dataset)}

    def graded_end(self, spec):
        return spec.end

    def graded(self, spec, result):
        return {r["model"]: r["mean"] for r in result["rows"]}

    def _best(self, result, spec) -> dict:
        return (max if spec.ask == "best" else min)(result["rows"], key=lambda r: r["mean"])

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        best = self._best(result, spec)
        sign = 1 if spec.ask == "best" else -1
        check(f"{spec.answer} has the {spec.end} mean cross-validated accuracy of " + ", ".join(spec.models),
              best["model"] == str(spec.answer).strip(),
              "; ".join(f"{r['model']}: {fmt(r['mean'])}" for r in result["rows"]),
              decided_by=[sign * r["mean"] for r in result["rows"]])

    @value("The model that wins (the answer).")
    def best(self, spec, result):
        return Value(self._best(result, spec)["model"])

    @value("One model's mean accuracy: `mean(knn-5)`.")
    def mean(self, spec, result, model):
        row = next((r for r in result["rows"] if r["model"] == str(model).strip()), None)
        if row is None:
            raise LexiconError(f"'{model}' is not one of the exercise's models", fix="name one of: " + ", ".join(spec.models))
        return Value(fmt(row["mean"]), row["mean"])

    def _firsts(self, spec, result) -> dict:
        """How many shuffles each model wins on its own (ties give no one the shuffle)."""
        pick = max if spec.ask == "best" else min
        wins = {r["model"]: 0 for r in result["rows"]}
        for i in range(spec.shuffles):
            scores = [r["means"][i] for r in result["rows"]]
            top = pick(scores)
            if scores.count(top) == 1:
                wins[result["rows"][scores.index(top)]["model"]] += 1
        return wins

    def render(self, spec, result, ctx):
        info, rows = result["info"], result["rows"]
        best = self._best(result, spec)
        wins = self._firsts(spec, result)
        table = Table(["Model", f"Accuracy, mean ± SD over {spec.folds * spec.shuffles} folds",
                       f"Shuffles on which it is {spec.end} (of {spec.shuffles})"],
                      [[r["model"], f"{fmt(r['mean'])} ± {fmt(r['std'])}", str(wins[r["model"]])] for r in rows],
                      numeric=(1, 2))
        why = {r["model"]: (f"{r['model']}: mean accuracy {fmt(r['mean'])} ± {fmt(r['std'])} over "
                            f"{spec.folds * spec.shuffles} folds.") for r in rows}
        intro = (f"Each model is cross-validated on the {info['samples']:,} samples of the {esc(spec.dataset)} data "
                 f"({spec.folds} stratified folds, repeated on {spec.shuffles} shuffles of the folds).")
        reveal = [Html(f"<p><strong>{esc(best['model'])}</strong> has the {spec.end} mean accuracy.</p>"), table]
        return Choices(list(spec.models), best["model"], why, reveal, [Html(f"<p>{intro}</p>")])
