"""An exercise: how many boosting stages, or how many bagged trees, graded from the ensembles' own held-out scores."""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt, percent
from ._data import NOTE, check_dataset
from ._ensembles import bagging_oob, constant_start, parse_line, refuse_unscored, staged

VALUES_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 300}, "minItems": 2,
                 "maxItems": 5, "uniqueItems": True}
SAID = {"log-loss": "the {lo} mean held-out log-loss", "accuracy": "the {hi} mean held-out accuracy",
        "oob": "the {hi} out-of-bag accuracy"}


class EnsembleExercise(ExerciseKind):
    """An exercise: the reader picks a number of boosting stages or of bagged trees, and the build grades
    it from the scores it computed.

    `choose: stages` grows the ensemble `line` (as in `ensemble-curve`: `boosting-0.1`, `random-forest`, …)
    to the largest of `values` on each of `seeds` seeded, stratified splits, and scores it on the held-out
    part after each of `values` trees or stages: `score: log-loss` (the default; the answer has the lowest
    mean) or `score: accuracy` (the highest). `choose: trees` (`score: oob`) fits a bagging of fully grown
    trees on all of `dataset` once per seed for each count of `values`, as `bagging-oob` does; the answer
    has the highest mean out-of-bag accuracy. `ask: worst` asks for the other end. The reveal shows each
    choice's mean and on how many seeds it wins on its own. Two choices whose means tie at the shown
    precision fail the build; `answer` is the value you claim wins.

    For a boosting, the reveal also scores the constant model it starts from (stage 0: the training split's
    class shares, scikit-learn's `init`) and says how much of the way from it to the best choice each
    choice has gone (`constant`, `covered(5)`). For `choose: trees` it gives the mean number of trees that
    left a row out, the trees of its out-of-bag vote (`voters(25)`).
    """

    example = "dataset: iris\nchoose: stages\nline: boosting-1\nvalues: [1, 3, 20]\nseeds: 2\nanswer: 3"
    default_prompt = "Which number of {choose} gives {said}?"
    note = NOTE
    needs_model = False
    options = opt.Options(
        ExerciseKind.options,
        dataset=opt.text("One of scikit-learn's bundled classification datasets: `breast_cancer`, `iris`, `wine` or "
                         "`digits`.", default="breast_cancer"),
        choose=opt.choice("What the reader chooses.", ["stages", "trees"], required=True),
        line=opt.text("The ensemble of `choose: stages` (`boosting-0.1`, `random-forest`, `bagging`).", default=None),
        values=opt.raw("The counts to choose from, in this order.", VALUES_SCHEMA, "list of 2–5 different whole numbers",
                       convert=list, required=True),
        score=opt.choice("`log-loss` or `accuracy` (stages), `oob` (trees).", ["log-loss", "accuracy", "oob"],
                         default_doc="`log-loss` for stages, `oob` for trees"),
        ask=opt.choice("Ask for the best choice or the worst.", ["best", "worst"], default="best"),
        seeds=opt.integer("How many seeds (splits, or baggings) the means are taken over.", default=3, min=1, max=8),
        test_size=opt.number("The share held out (`choose: stages`).", default=0.25, min=0.1, max=0.5),
        seed=opt.seed("The first seed.", default=0),
        answer=opt.integer("The count you claim wins (a [claim](#claims)).", display=True),
    )

    def prepare(self, spec):
        check_dataset(spec.dataset)
        spec.score = spec.score or ("log-loss" if spec.choose == "stages" else "oob")
        if (spec.choose == "trees") != (spec.score == "oob"):
            raise LexiconError(f"'score: {spec.score}' does not judge choose: {spec.choose}",
                               fix="use score: oob with choose: trees, log-loss or accuracy with choose: stages")
        if spec.choose == "stages":
            if spec.line is None:
                raise LexiconError("choose: stages needs the ensemble", fix="add e.g. 'line: boosting-0.1'")
            parse_line(spec.line)
            spec.line = str(spec.line).strip()
        elif spec.line is not None:
            raise LexiconError("'line' is set, but choose: trees always fits a bagging", fix="remove 'line'")
        elif min(spec.values) < 10:
            raise LexiconError(f"a bagging of {min(spec.values)} trees leaves rows without an out-of-bag vote",
                               fix="choose counts of 10 trees or more")
        spec.values = [int(v) for v in spec.values]
        if spec.answer is not None and spec.answer not in spec.values:
            raise LexiconError(f"'answer' is {spec.answer}, which is not one of the values",
                               fix="name one of: " + ", ".join(map(str, spec.values)))
        lower = spec.score == "log-loss"
        spec.high = (spec.ask == "best") != lower      # is the answer the highest score?
        spec.said = SAID[spec.score].format(hi="highest" if spec.ask == "best" else "lowest",
                                            lo="lowest" if spec.ask == "best" else "highest")

    def anchor_hint(self, spec):
        return f"exercise {spec.choose} {spec.dataset}"

    def compute(self, kv, spec):
        if spec.choose == "stages":
            c = staged(spec.dataset, spec.line, max(spec.values), spec.seeds, spec.test_size, spec.seed)
            per = _per_seed(spec, c)
            key = "accuracy" if spec.score == "accuracy" else "loss"
            const = (constant_start(spec.dataset, spec.seeds, spec.test_size, spec.seed)[key]
                     if parse_line(spec.line)[0] == "boosting" else None)
            return {"rows": [{"value": v, "mean": c[key][v - 1], "seeds": per[v]} for v in spec.values], "test": c["test"],
                    "constant": const}
        rows = []
        for v in spec.values:
            out = bagging_oob(spec.dataset, v, spec.seeds, spec.seed)
            refuse_unscored(out, v)
            rows.append({"value": v, "mean": sum(out["oob"]) / len(out["oob"]), "seeds": out["oob"],
                         "voters": v * out["share"]})
        return {"rows": rows, "samples": out["samples"]}

    def graded_end(self, spec):
        return "highest" if spec.high else "lowest"

    def graded(self, spec, result):
        return {str(r["value"]): r["mean"] for r in result["rows"]}

    def _winner(self, spec, result) -> dict:
        return (max if spec.high else min)(result["rows"], key=lambda r: r["mean"])

    def _wins(self, spec, result) -> dict:
        wins = {r["value"]: 0 for r in result["rows"]}
        for i in range(spec.seeds):
            scores = [r["seeds"][i] for r in result["rows"]]
            top = (max if spec.high else min)(scores)
            if scores.count(top) == 1:
                wins[result["rows"][scores.index(top)]["value"]] += 1
        return wins

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        win = self._winner(spec, result)
        sign = 1 if spec.high else -1
        check(f"{spec.answer} {spec.choose} give {spec.said} of " + ", ".join(map(str, spec.values)),
              win["value"] == spec.answer, "; ".join(f"{r['value']}: {fmt(r['mean'])}" for r in result["rows"]),
              decided_by=[sign * r["mean"] for r in result["rows"]])

    @value("The count that wins (the answer).")
    def best(self, spec, result):
        v = self._winner(spec, result)["value"]
        return Value(f"{v:,}", v)

    def _row(self, spec, result, count) -> dict:
        row = next((r for r in result["rows"] if str(r["value"]) == str(count).strip()), None)
        if row is None:
            raise LexiconError(f"'{count}' is not one of the values", fix="name one of: " + ", ".join(map(str, spec.values)))
        return row

    @value("One choice's mean score: `mean(50)`.")
    def mean(self, spec, result, count):
        row = self._row(spec, result, count)
        return Value(fmt(row["mean"]), row["mean"])

    def _constant(self, spec, result) -> float:
        if result.get("constant") is None:
            raise LexiconError("only a boosting starts from a constant model",
                               fix="use constant and covered with choose: stages and a boosting line")
        return result["constant"]

    @value("A boosting's constant start (stage 0, the training split's class shares), scored as the choices are.")
    def constant(self, spec, result):
        v = self._constant(spec, result)
        return Value(fmt(v), v)

    @value("How much of the way from the constant start to the best choice a choice has gone (a percentage): "
           "`covered(5)`.")
    def covered(self, spec, result, count):
        v = _covered(self._constant(spec, result), self._row(spec, result, count)["mean"], self._winner(spec, result)["mean"])
        return Value(percent(v), v)

    @value("The mean number of trees that left a row out, which make its out-of-bag vote (choose: trees): "
           "`voters(25)`.")
    def voters(self, spec, result, count):
        row = self._row(spec, result, count)
        if "voters" not in row:
            raise LexiconError("voters counts the trees of an out-of-bag vote", fix="use it with choose: trees")
        return Value(f"{row['voters']:.1f}", row["voters"])

    def render(self, spec, result, ctx):
        win, wins = self._winner(spec, result), self._wins(spec, result)
        what = {"oob": "Out-of-bag accuracy", "log-loss": "Held-out log-loss", "accuracy": "Held-out accuracy"}[spec.score]
        const = result.get("constant")
        headers = [spec.choose.capitalize(), f"{what}, mean over {spec.seeds} seeds", f"Seeds on which it wins (of {spec.seeds})"]
        rows = [[str(r["value"]), fmt(r["mean"]), str(wins[r["value"]])] for r in result["rows"]]
        if const is not None:
            headers.append("Of the way from the constant start to the best choice")
            rows = ([["0 (the constant start: the training split's class shares)", fmt(const), "–", "0.0%"]]
                    + [row + [percent(_covered(const, r["mean"], win["mean"]))] for row, r in zip(rows, result["rows"])])
        elif spec.choose == "trees":
            headers.append("Trees in each row's out-of-bag vote (mean)")
            rows = [row + [f"{r['voters']:.1f}"] for row, r in zip(rows, result["rows"])]
        table = Table(headers, rows, numeric=tuple(range(1, len(headers))))
        why = {str(r["value"]): f"{r['value']} {spec.choose}: {what.lower()} {fmt(r['mean'])}, mean over {spec.seeds} seeds."
               for r in result["rows"]}
        if spec.choose == "stages":
            intro = (f"<p>{esc(spec.line)} on the {esc(spec.dataset)} data, fitted on {spec.seeds} seeded, stratified "
                     f"splits ({result['test']:,} samples held out each time) and scored after each count.</p>")
        else:
            intro = (f"<p>A bagging of fully grown trees is fitted on all {result['samples']:,} samples of the "
                     f"{esc(spec.dataset)} data, {spec.seeds} times (seeds) for each count; every sample is scored by the "
                     "trees whose bootstrap sample left it out.</p>")
        reveal = [Html(f"<p><strong>{win['value']}</strong> {spec.choose} give {esc(spec.said)}.</p>"), table]
        return Choices([str(v) for v in spec.values], str(win["value"]), why, reveal, [Html(intro)])


def _per_seed(spec, c) -> dict:
    """Each count's score on each split, from the curves :func:`_ensembles.staged` keeps per split."""
    key = "accuracy_splits" if spec.score == "accuracy" else "loss_splits"
    return {v: [row[v - 1] for row in c[key]] for v in spec.values}


def _covered(start: float, score: float, best: float) -> float:
    """The share of the way from the constant start to the best choice that ``score`` has gone."""
    return (score - start) / (best - start) if best != start else 1.0
