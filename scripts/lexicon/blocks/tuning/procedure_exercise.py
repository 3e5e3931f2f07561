"""An exercise on the training procedure: which hyperparameter value scores best, which preprocessing step leaks
most, by how much a larger batch shrinks the gradient noise, when to stop, or which schedule or base rate ends best,
graded from the runs themselves."""

from __future__ import annotations

import numpy as np

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._data import (ALPHA, MODELS, NOTE, PLACES, SCHEDULES, STEPS, check_dataset, early_stopping_runs, gradient_noise,
                    leakage, scheduled_sgd, sweep)

VALUES_SCHEMA = {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0}, "minItems": 2, "maxItems": 5,
                 "uniqueItems": True}
SIZES_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 569}, "minItems": 2,
                "maxItems": 2, "uniqueItems": True}
ANSWER_SCHEMA = {"anyOf": [{"type": "number"}, {"enum": list(STEPS) + list(SCHEDULES)}]}
SCHEDULES_SCHEMA = {"type": "array", "items": {"enum": list(SCHEDULES)}, "minItems": 2, "maxItems": 4, "uniqueItems": True}
QUESTIONS = ("sweep", "leak", "noise-ratio", "stop-epoch", "schedule-spread", "schedule-rate")


class ProcedureExercise(ExerciseKind):
    """An exercise on the training procedure, graded from the runs.

    `question: sweep` sweeps the hyperparameter of `model` over `values` as `hyperparameter-sweep` does (`dataset`,
    `splits` random splits); the answer is the value with the highest mean accuracy on the training split
    (`score: training`) or on the validation split (`score: validation`). `question: leak` (no `values`) runs
    `leakage` for both steps, `scaling` and `selection`, on the same tumours, noise and folds (`patients`, `noise`,
    `real`, `repeats`); the answer is the step whose leak (leaky minus honest mean accuracy) is the larger.
    `question: noise-ratio` measures the gradient noise of `gradient-noise` at the two `batch_sizes` (`at`); `values`
    are factors, and the answer is the factor closest to the noise at the smaller batch divided by the noise at the
    larger. `question: stop-epoch` runs the unpenalised logistic regression of `early-stopping` (`patients`,
    `seeds` splits from `seed`, learning `rate`, 0.5 unless set) for the largest epoch of `values`; the answer is the epoch (of `values`) with
    the lowest mean validation loss over the splits. `question: schedule-spread` runs each of `schedules` at the one
    base `rate` with batches of `batch` for `epochs` epochs on `seeds` shuffles, as `lr-schedule` does; the answer is the
    schedule whose final loss varies most over the shuffles (highest minus lowest). `question: schedule-rate` runs the
    one `schedule` at each base rate of `values` (batches of `batch`, `epochs` epochs, `seeds` shuffles); the answer is
    the base rate with the lowest mean final loss. Two choices that tie at the shown precision fail the build. `answer` is the choice you claim is right.
    """

    example = "question: noise-ratio\nbatch_sizes: [8, 32]\nvalues: [1, 2, 4]\nanswer: 2"
    default_prompt = "Which choice is right?"
    note = NOTE
    needs_model = False
    options = opt.Options(
        ExerciseKind.options,
        question=opt.choice("What is asked: `sweep`, `leak`, `noise-ratio`, `stop-epoch`, `schedule-spread` or "
                            "`schedule-rate`.",
                            list(QUESTIONS), required=True),
        values=opt.raw("The hyperparameter values (`sweep`), factors (`noise-ratio`), epochs (`stop-epoch`) or base "
                       "rates (`schedule-rate`) to choose from.",
                       VALUES_SCHEMA, "list of 2–5 different positive numbers", convert=list),
        model=opt.choice("The classifier of `question: sweep`: `knn` or `logistic`.", list(MODELS), default="logistic"),
        dataset=opt.text("The classification dataset of `question: sweep`.", default="breast_cancer"),
        score=opt.choice("The split `question: sweep` scores on.", ["training", "validation"], default="validation"),
        splits=opt.integer("The random splits of `question: sweep`.", default=20, min=1, max=50),
        patients=opt.integer("The tumours of each repeat (`leak`) or training tumours of each split (`stop-epoch`).",
                             default=60, min=20, max=569),
        noise=opt.integer("The noise columns (`question: leak`).", default=1000, min=1, max=5000),
        real=opt.flag("Put the 30 real measurements first (`question: leak`).", default=False),
        repeats=opt.integer("The repeats of `question: leak`.", default=10, min=1, max=30),
        batch_sizes=opt.raw("The two batch sizes of `question: noise-ratio`.", SIZES_SCHEMA, "two batch sizes",
                            convert=list),
        at=opt.choice("Where `question: noise-ratio` takes the gradients: `start` or `optimum`.", list(PLACES),
                      default="start"),
        draws=opt.integer("The random batches of `question: noise-ratio`.", default=1000, min=10, max=2000),
        seeds=opt.integer("The splits (`stop-epoch`) or shuffles (`schedule-spread`).", default=5, min=2, max=20),
        schedules=opt.raw("The schedules to choose from (`question: schedule-spread`).", SCHEDULES_SCHEMA,
                          "list of 2–4 schedules", convert=list),
        schedule=opt.choice("The schedule of `question: schedule-rate`.", list(SCHEDULES), default="constant"),
        rate=opt.number("The base rate of `question: schedule-spread` (default 1) or the learning rate of "
                        "`question: stop-epoch` (default 0.5).", above=0, max=10),
        batch=opt.integer("The batch size of `question: schedule-spread`.", default=32, min=1, max=569),
        epochs=opt.integer("The epochs of `question: schedule-spread`.", default=10, min=1, max=30),
        seed=opt.seed("The seed of the splits, the noise or the batches.", default=0),
        answer=opt.raw("The choice you claim is right (a [claim](#claims)): a value, a factor, an epoch, `scaling` / "
                       "`selection`, or a schedule.", ANSWER_SCHEMA, "a number, a step or a schedule", display=True),
    )

    def prepare(self, spec):
        if spec.rate is None:
            spec.rate = 0.5 if spec.question == "stop-epoch" else 1
        if spec.question == "schedule-spread":
            if spec.schedules is None:
                raise LexiconError("question: schedule-spread needs the schedules to choose from",
                                   fix="add e.g. 'schedules: [constant, step, cosine]'")
            spec.values = list(spec.schedules)
        elif spec.question == "leak":
            if spec.values is not None:
                raise LexiconError("'values' is set, but question: leak always compares scaling and selection",
                                   fix="remove 'values'")
            spec.values = list(STEPS)[::-1]
        elif spec.values is None:
            raise LexiconError(f"question: {spec.question} needs the values to choose from", fix="add e.g. 'values: [1, 2, 4]'")
        if spec.question == "sweep":
            check_dataset(spec.dataset)
            if spec.model == "knn" and any(v != int(v) for v in spec.values):
                raise LexiconError("k, the number of neighbours, is a whole number", fix="write values such as [1, 5, 25]")
        if spec.question == "schedule-rate" and any(v > 10 for v in spec.values):
            raise LexiconError("a base rate above 10 only diverges", fix="choose rates such as [0.03, 0.1, 1]")
        if spec.question == "stop-epoch" and any(v != int(v) or v > 5000 for v in spec.values):
            raise LexiconError("an epoch is a whole number up to 5,000", fix="write epochs such as [10, 100, 2000]")
        if spec.question == "noise-ratio" and spec.batch_sizes is None:
            raise LexiconError("question: noise-ratio needs its two batch sizes", fix="add e.g. 'batch_sizes: [8, 32]'")
        if spec.answer is not None and spec.answer not in spec.values:
            raise LexiconError(f"'answer' is {spec.answer}, which is not one of the choices",
                               fix="name one of: " + ", ".join(self._key(v) for v in spec.values))

    def anchor_hint(self, spec):
        return f"exercise {spec.question}"

    def graded_end(self, spec):
        return "lowest" if spec.question in ("noise-ratio", "stop-epoch", "schedule-rate") else "highest"

    def compute(self, kv, spec):
        if spec.question == "sweep":
            r = sweep(spec.dataset, spec.model, spec.values, spec.splits, 0.3, spec.seed)
            train, valid = np.array(r["train"]), np.array(r["valid"])
            rows = [{"value": v, "training": float(train[i].mean()), "validation": float(valid[i].mean())}
                    for i, v in enumerate(spec.values)]
            for row in rows:
                row["score"] = row[spec.score]
            return {"rows": rows}
        if spec.question == "leak":
            rows = []
            for step in spec.values:
                r = leakage(step, spec.patients, spec.noise, 10, spec.real, spec.repeats, 5, spec.seed)
                leaky, honest = float(np.mean(r["leaky"])), float(np.mean(r["honest"]))
                rows.append({"value": step, "leaky": leaky, "honest": honest, "score": leaky - honest})
            return {"rows": rows}
        if spec.question == "stop-epoch":
            r = early_stopping_runs(spec.patients, int(max(spec.values)), spec.rate, spec.seeds, spec.seed)
            valid = np.array([run["valid"] for run in r["runs"]])
            return {"rows": [{"value": v, "score": float(valid[:, int(v)].mean())} for v in spec.values],
                    "best": [int(b) for b in valid.argmin(axis=1)]}
        if spec.question == "schedule-spread":
            rows = []
            for k in spec.values:
                finals = [scheduled_sgd(k, spec.rate, spec.batch, spec.epochs, s)[-1] for s in range(spec.seeds)]
                if None in finals:
                    raise LexiconError(f"the {k} schedule diverged at rate {spec.rate:g}", fix="choose a smaller rate")
                rows.append({"value": k, "score": float(max(finals) - min(finals)), "mean": float(np.mean(finals))})
            return {"rows": rows}
        if spec.question == "schedule-rate":
            from ...logistic import breast_cancer, logistic_optimum

            rows = []
            for v in spec.values:
                finals = [scheduled_sgd(spec.schedule, v, spec.batch, spec.epochs, s)[-1] for s in range(spec.seeds)]
                if None in finals:
                    raise LexiconError(f"the {spec.schedule} schedule diverged at rate {v:g}", fix="choose smaller rates")
                rows.append({"value": v, "score": float(np.mean(finals)), "spread": float(max(finals) - min(finals))})
            a, y = breast_cancer()
            return {"rows": rows, "optimum": logistic_optimum(a, y, ALPHA)}
        small, large = sorted(spec.batch_sizes)
        r = gradient_noise([small, large], spec.at, spec.draws, spec.seed)
        ratio = r["rows"][0]["measured"] / r["rows"][1]["measured"]
        exact = r["rows"][0]["exact"] / r["rows"][1]["exact"]
        return {"rows": [{"value": v, "score": abs(ratio - v)} for v in spec.values], "ratio": ratio, "exact": exact,
                "small": small, "large": large}

    @staticmethod
    def _key(v) -> str:
        return v if isinstance(v, str) else f"{v:g}"

    def _label(self, spec, v) -> str:
        if spec.question == "sweep":
            return f"{MODELS[spec.model][0]} = {v:g}"
        if spec.question == "leak":
            return STEPS[v].split(" (")[0]
        if spec.question == "stop-epoch":
            return f"after {v:,.0f} epochs"
        if spec.question == "schedule-spread":
            return SCHEDULES[v]
        if spec.question == "schedule-rate":
            return f"base rate {v:g}"
        return f"about {v:g} times smaller"

    def _score_text(self, spec, x) -> str:
        if spec.question == "schedule-spread":
            return f"{x:.2e}"
        return fmt(x, 2) if spec.question == "noise-ratio" else fmt(x)

    def graded(self, spec, result):
        return {self._label(spec, r["value"]): float(self._score_text(spec, r["score"]).replace("−", "-")) for r in result["rows"]}

    def _best(self, spec, result) -> dict:
        pick = min if self.graded_end(spec) == "lowest" else max
        return pick(result["rows"], key=lambda r: r["score"])

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        best = self._best(spec, result)
        sign = -1 if self.graded_end(spec) == "lowest" else 1
        check(f"{self._label(spec, spec.answer)} is the right choice", best["value"] == spec.answer,
              "; ".join(f"{self._label(spec, r['value'])}: {self._score_text(spec, r['score'])}" for r in result["rows"]),
              decided_by=[sign * r["score"] for r in result["rows"]])

    @value("The right choice (the answer).")
    def best(self, spec, result):
        v = self._best(spec, result)["value"]
        return Value(self._key(v), v)

    @value("The measured noise ratio of `question: noise-ratio`.")
    def ratio(self, spec, result):
        if spec.question != "noise-ratio":
            raise LexiconError("only question: noise-ratio has a ratio", fix="quote 'best' instead")
        return Value(fmt(result["ratio"], 2), result["ratio"])

    def render(self, spec, result, ctx):
        rows, best = result["rows"], self._best(spec, result)
        if spec.question == "sweep":
            name, what = MODELS[spec.model]
            intro = (f"The {what} is swept over {len(spec.values)} values on scikit-learn's "
                     f"{spec.dataset.replace('_', ' ')} data, each trained on 70% and validated on 30%, over "
                     f"{spec.splits} random splits.")
            table = Table([name, "Training accuracy (mean)", "Validation accuracy (mean)"],
                          [[f"{r['value']:g}", fmt(r["training"]), fmt(r["validation"])] for r in rows], numeric=(0, 1, 2))
            why = {self._label(spec, r["value"]): f"{name} = {r['value']:g}: training {fmt(r['training'])}, validation "
                   f"{fmt(r['validation'])}." for r in rows}
            said = f"the highest mean {spec.score} accuracy"
        elif spec.question == "leak":
            intro = (f"{spec.patients} tumours of the breast cancer data with their real diagnoses and "
                     + ("the 30 real measurements plus " if spec.real else "")
                     + f"{spec.noise:,} columns of random noise; a logistic regression is cross-validated over 5 folds, "
                     f"{spec.repeats} times, with each step fitted on all the data first (leaky) or inside each fold "
                     "(honest). Feature selection keeps 10 columns.")
            table = Table(["Step", "Leaky (mean)", "Honest (mean)", "Leak"],
                          [[self._label(spec, r["value"]), fmt(r["leaky"]), fmt(r["honest"]), fmt(r["score"])]
                           for r in rows], numeric=(1, 2, 3))
            why = {self._label(spec, r["value"]): f"{self._label(spec, r['value'])}: leaky {fmt(r['leaky'])}, honest "
                   f"{fmt(r['honest'])}." for r in rows}
            said = "the larger leak"
        elif spec.question == "stop-epoch":
            intro = (f"A logistic regression without any penalty learns from {spec.patients} tumours of the breast cancer "
                     f"data by full-batch gradient descent (rate {spec.rate:g}) and is validated on the rest; {spec.seeds} random "
                     "splits.")
            table = Table(["Stopped", f"Validation loss (mean of {spec.seeds} splits)"],
                          [[self._label(spec, r["value"]), fmt(r["score"])] for r in rows], numeric=(1,))
            why = {self._label(spec, r["value"]): f"{self._label(spec, r['value'])}: mean validation loss "
                   f"{fmt(r['score'])}." for r in rows}
            said = ("the lowest mean validation loss; the best epochs of the splits run from "
                    f"{min(result['best']):,} to {max(result['best']):,}")
        elif spec.question == "schedule-rate":
            intro = (f"Mini-batch gradient descent (batches of {spec.batch}) on the breast cancer logistic regression, "
                     f"{SCHEDULES[spec.schedule]} schedule, {spec.epochs} epochs, each base rate on {spec.seeds} "
                     f"shuffles. The lowest loss possible is {fmt(result['optimum'])}.")
            table = Table(["Base rate", f"Final loss (mean of {spec.seeds})", "Above the optimum",
                           "Spread over the shuffles"],
                          [[f"{r['value']:g}", fmt(r["score"]), f"{r['score'] - result['optimum']:.1e}",
                            f"{r['spread']:.1e}"] for r in rows], numeric=(0, 1, 2, 3))
            why = {self._label(spec, r["value"]): f"Base rate {r['value']:g}: mean final loss {fmt(r['score'])}, "
                   f"{r['score'] - result['optimum']:.1e} above the optimum." for r in rows}
            said = "the lowest mean final loss"
        elif spec.question == "schedule-spread":
            intro = (f"Mini-batch gradient descent (batches of {spec.batch}) on the breast cancer logistic regression, "
                     f"base rate {spec.rate:g}, {spec.epochs} epochs, each schedule on {spec.seeds} shuffles.")
            table = Table(["Schedule", "Final loss (mean)", "Spread over the shuffles"],
                          [[SCHEDULES[r["value"]], fmt(r["mean"]), f"{r['score']:.2e}"] for r in rows], numeric=(1, 2))
            why = {SCHEDULES[r["value"]]: f"{SCHEDULES[r['value']]}: final loss from shuffle to shuffle varies by "
                   f"{r['score']:.2e}." for r in rows}
            said = "the final loss that varies most from shuffle to shuffle"
        else:
            intro = (f"Batches of {result['small']} and of {result['large']} patients from the breast cancer logistic "
                     f"regression, {PLACES[spec.at]}; {spec.draws} batches of each size.")
            table = Table(["Noise at the smaller batch / noise at the larger", "Exact"],
                          [[fmt(result["ratio"], 2), fmt(result["exact"], 2)]], numeric=(0, 1))
            why = {self._label(spec, r["value"]): f"The measured ratio is {fmt(result['ratio'], 2)}." for r in rows}
            said = f"the factor closest to the measured ratio, {fmt(result['ratio'], 2)}"
        reveal = [Html(f"<p><strong>{esc(self._label(spec, best['value']))}</strong> has {said}.</p>"), table]
        return Choices([self._label(spec, v) for v in spec.values], self._label(spec, best["value"]), why, reveal,
                       [Html(f"<p>{intro}</p>")])
