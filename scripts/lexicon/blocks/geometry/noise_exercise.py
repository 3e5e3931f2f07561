"""An exercise: which classifier loses the most test accuracy when random noise features are added to a bundled dataset? The answer is computed with scikit-learn over repeated splits.

Each choice is a model; its score is its mean accuracy on the real features minus its mean
accuracy with `noise` standard-normal features added, over the same stratified splits.
"""

from __future__ import annotations

from ... import datasets, figures
from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt, percent
from ._noise import MODELS, accuracy


class NoiseExercise(ExerciseKind):
    """An exercise: which classifier loses the most test accuracy when random noise features are added to a bundled dataset? The answer is computed with scikit-learn over repeated splits.

    For each model in `models` (`knn`, `logistic`, `tree`, as in the `noise-features` block), the
    drop is its mean test accuracy on the real features minus its mean accuracy with `noise`
    standard-normal features appended, over the same `splits` stratified 70/30 splits; the
    reveal also gives, split by split, how often each model dropped the most.
    """

    needs_model = False
    note = "Computed at build time with scikit-learn on its bundled dataset and NumPy noise; no embedding model."
    example = "dataset: wine\nnoise: 100\nmodels: [knn, tree]\nsplits: 3\nanswer: knn"
    default_prompt = "Which model loses the most accuracy when the noise features are added?"
    options = opt.Options(
        ExerciseKind.options,
        dataset=opt.choice("One of scikit-learn's bundled classification datasets.", list(datasets.CLASSIFICATION),
                           required=True),
        noise=opt.integer("How many noise features to add.", default=100, min=1, max=2000),
        models=opt.raw("The choices: " + ", ".join(f"`{m}`" for m in MODELS) + ".",
                       {"type": "array", "items": {"enum": list(MODELS)}, "minItems": 2, "uniqueItems": True},
                       "2–3 of " + ", ".join(f"`{m}`" for m in MODELS), default=list(MODELS), convert=list),
        splits=opt.integer("How many random 70/30 splits.", default=10, min=2, max=20),
        answer=opt.choice("The model you claim loses the most (a [claim](#claims)).", list(MODELS), display=True),
    )

    def prepare(self, spec):
        if spec.answer is not None and spec.answer not in spec.models:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the models",
                               fix="name one of: " + ", ".join(spec.models))

    def anchor_hint(self, spec):
        return f"exercise noise {spec.dataset}"

    def compute(self, kv, spec):
        out = {}
        for m in spec.models:
            clean, noisy = accuracy(spec.dataset, 0, m, spec.splits), accuracy(spec.dataset, spec.noise, m, spec.splits)
            out[m] = {"clean": clean["mean"], "noisy": noisy["mean"], "drop": round(clean["mean"] - noisy["mean"], 4),
                      "drops": [round(a - b, 4) for a, b in zip(clean["splits"], noisy["splits"])]}
        return {"models": out}

    def graded(self, spec, result):
        return {MODELS[m]: result["models"][m]["drop"] for m in spec.models}

    def _answer(self, spec, result) -> str:
        d = [result["models"][m]["drop"] for m in spec.models]
        return spec.models[min(range(len(d)), key=lambda i: (-d[i], i))]

    def _wins(self, spec, result) -> dict:
        """How many splits each model dropped the most on (ties count for each)."""
        drops = [result["models"][m]["drops"] for m in spec.models]
        wins = dict.fromkeys(spec.models, 0)
        for split in zip(*drops):
            for m, d in zip(spec.models, split):
                wins[m] += d == max(split)
        return wins

    def claims(self, spec, result, check):
        if spec.answer:
            got = self._answer(spec, result)
            check(f"with {spec.noise} noise features on the {spec.dataset.replace('_', ' ')} data, "
                  f"{MODELS[spec.answer]} loses the most accuracy", got == spec.answer,
                  f"the model's answer is {MODELS[got]}; drops: "
                  + ", ".join(f"{m} {fmt(result['models'][m]['drop'])}" for m in spec.models),
                  decided_by=[result["models"][m]["drop"] for m in spec.models])

    @value("A model's mean drop in accuracy: `drop(knn)`.")
    def drop(self, spec, result, m):
        if m not in result["models"]:
            raise LexiconError(f"'{m}' is not one of the models", fix="name one of: " + ", ".join(spec.models))
        x = result["models"][m]["drop"]
        return Value(percent(x), x)

    @value("On how many of the splits a model dropped the most: `wins(knn)`.")
    def wins(self, spec, result, m):
        if m not in result["models"]:
            raise LexiconError(f"'{m}' is not one of the models", fix="name one of: " + ", ".join(spec.models))
        n = self._wins(spec, result)[m]
        return Value(str(n), n)

    def render(self, spec, result, ctx):
        res, answer = result["models"], self._answer(spec, result)
        wins = self._wins(spec, result)
        order = sorted(spec.models, key=lambda m: (-res[m]["drop"], spec.models.index(m)))
        labels = [MODELS[m] for m in spec.models]
        why = {MODELS[m]: f"{MODELS[m]}: {percent(res[m]['clean'])} on the real features, {percent(res[m]['noisy'])} "
                          f"with the noise: a drop of {percent(res[m]['drop'])} (the largest drop on {wins[m]} of "
                          f"{spec.splits} splits)." for m in spec.models}
        tbl = Table(["Model", "Real features only", f"With {spec.noise} noise features", "Drop",
                     "Splits where it dropped most"],
                    [[MODELS[m], percent(res[m]["clean"]), percent(res[m]["noisy"]), percent(res[m]["drop"]),
                      f"{wins[m]} of {spec.splits}"] for m in order], numeric=(1, 2, 3))
        reveal = [
            Html(f"<p><strong>{esc(MODELS[answer])}</strong> loses the most: {esc(percent(res[answer]['drop']))} "
                 f"of accuracy on average.</p>"),
            Figure(lambda: figures.bar_scores([MODELS[m] for m in order], [res[m]["drop"] for m in order],
                                              title="Drop in test accuracy", highlight=MODELS[answer]),
                   alt="Bar chart of each model's drop in accuracy, largest first: "
                       + ", ".join(f"{MODELS[m]} {res[m]['drop']:.3f}" for m in order) + ".",
                   caption=f"Mean test accuracy lost when {spec.noise} noise features are added (one draw of the "
                           f"noise, NumPy seed 0), over {spec.splits} stratified 70/30 splits.", table=tbl, height=80 + 36 * len(order), anchor="answer"),
        ]
        return Choices(labels, MODELS[answer], why, reveal)
