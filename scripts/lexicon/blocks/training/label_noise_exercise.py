"""An exercise: which nearest-neighbour classifier loses the most test accuracy when training labels are wrong,
graded from the fits over several seeds."""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import fmt
from ._data import NOTE, check_dataset
from ._labels import label_noise

VALUES_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 50}, "minItems": 2,
                 "maxItems": 4, "uniqueItems": True}


class LabelNoiseExercise(ExerciseKind):
    """An exercise: a share of the training labels is flipped to a wrong class, and the reader picks the
    nearest-neighbour classifier (by how many neighbours vote) that loses the most test accuracy.

    For each number of neighbours in `values`, the `label-noise` computation is run twice over the same seeds
    0 … `seeds` − 1 (split and flips): with no label flipped and with `share` flipped. A choice's score is its mean
    clean accuracy minus its mean noisy accuracy (the loss); the answer loses the most. The table also shows in
    how many seeds each classifier lost the most. `answer` is the number of neighbours you claim loses most.
    """

    example = "values: [1, 25]\nshare: 0.2\nseeds: 3\nanswer: 1"
    default_prompt = "Which classifier loses the most test accuracy when {share_said} of its training labels are wrong?"
    note = NOTE
    needs_model = False
    options = opt.Options(
        ExerciseKind.options,
        values=opt.raw("The numbers of neighbours that vote, one classifier each.", VALUES_SCHEMA,
                       "list of 2–4 different whole numbers", required=True, convert=list),
        share=opt.number("The share of the training labels flipped.", default=0.2, above=0, max=0.5),
        dataset=opt.text("A bundled classification dataset: `breast_cancer`, `iris`, `wine` or `digits`.",
                         default="breast_cancer"),
        seeds=opt.integer("How many seeds (a split and its flips each).", default=10, min=1, max=20),
        test_size=opt.number("The share of the examples held out as the test set.", default=0.25, min=0.1, max=0.5),
        answer=opt.integer("The number of neighbours you claim loses the most (a [claim](#claims)).", display=True),
    )

    def prepare(self, spec):
        check_dataset(spec.dataset)
        spec.share_said = f"{spec.share * 100:.1f}%"   # as render.percent writes it (prepare is compute code: no render import)
        if spec.answer is not None and spec.answer not in spec.values:
            raise LexiconError(f"'answer' is {spec.answer}, which is not one of the values",
                               fix="name one of: " + ", ".join(str(v) for v in spec.values))

    def anchor_hint(self, spec):
        return f"exercise label noise {spec.dataset}"

    def compute(self, kv, spec):
        rows = []
        for k in spec.values:
            fit = label_noise(spec.dataset, "nearest-neighbours", k, [0.0, spec.share], spec.seeds, spec.test_size)
            clean, noisy = fit["rows"]
            drops = [c - n for c, n in zip(clean["accuracy"], noisy["accuracy"])]
            rows.append({"value": k, "clean": clean["mean"], "noisy": noisy["mean"], "score": clean["mean"] - noisy["mean"],
                         "drops": drops})
        worst = [max(range(len(rows)), key=lambda i: rows[i]["drops"][s]) for s in range(spec.seeds)]
        for i, r in enumerate(rows):
            r["worst_in"] = sum(w == i for w in worst)
        return {"rows": rows, "flipped": fit["rows"][1]["flipped"], "train": fit["train"]}

    @staticmethod
    def _label(k) -> str:
        return f"{k} nearest neighbour" + ("s" if k != 1 else "")

    def graded(self, spec, result):
        return {self._label(r["value"]): round(r["score"], 4) for r in result["rows"]}

    @staticmethod
    def _best(result) -> dict:
        return max(result["rows"], key=lambda r: r["score"])

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        check(f"{self._label(spec.answer)} loses the most test accuracy with {spec.share_said} of the labels flipped",
              self._best(result)["value"] == spec.answer,
              "; ".join(f"{self._label(r['value'])}: loses {fmt(r['score'])}" for r in result["rows"]),
              decided_by=[r["score"] for r in result["rows"]])

    @value("The number of neighbours that loses the most (the answer).")
    def best(self, spec, result):
        v = self._best(result)["value"]
        return Value(str(v), v)

    def render(self, spec, result, ctx):
        rows, best = result["rows"], self._best(result)
        table = Table(["Classifier", "Mean accuracy, clean labels", f"Mean accuracy, {spec.share_said} flipped",
                       "Accuracy lost", f"Lost the most in (of {spec.seeds} seeds)"],
                      [[self._label(r["value"]), fmt(r["clean"]), fmt(r["noisy"]), fmt(r["score"]), str(r["worst_in"])]
                       for r in rows], numeric=(1, 2, 3, 4))
        why = {self._label(r["value"]): f"{self._label(r['value']).capitalize()}: {fmt(r['clean'])} with clean labels, "
               f"{fmt(r['noisy'])} with {spec.share_said} flipped." for r in rows}
        reveal = [Html(f"<p><strong>{self._label(best['value'])}</strong> loses the most.</p>"), table]
        intro = (f"Nearest-neighbour classifiers (features standardised) learn from the {result['train']:,} training "
                 f"examples of the {spec.dataset.replace('_', ' ')} data, where {result['flipped']:,} labels "
                 f"({spec.share_said}) have been flipped to a wrong class; the test labels are left as they are. "
                 f"Averaged over {spec.seeds} seeds.")
        return Choices([self._label(v) for v in spec.values], self._label(best["value"]), why, reveal,
                       [Html(f"<p>{intro}</p>")])
