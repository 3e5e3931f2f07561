"""An exercise: of a few stated rankings, which has the highest precision at k, or the highest reciprocal rank?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._ndcg import dcg, idcg, ndcg
from ._ranking import first_relevant, precision_at_k, recall_at_k, reciprocal_rank

RANKINGS = {"type": "object", "minProperties": 2, "maxProperties": 5,
            "propertyNames": {"pattern": "^[A-Za-z0-9]{1,12}$"},
            "additionalProperties": {"type": "array", "minItems": 1, "maxItems": 20,
                                     "items": {"type": "string", "minLength": 1}}}
PROMPTS = {"precision": "Which ranking has the highest precision at {k}?",
           "rr": "Which ranking has the highest reciprocal rank?",
           "recall": "Which ranking has the highest recall at {k}?",
           "ndcg": "Which ranking has the highest nDCG at {k}?",
           "recall-all": "Which result list has the highest recall: the share of the relevant items it holds?"}


class RankingExercise(ExerciseKind):
    """An exercise on stated rankings: the reader sees the relevant items and a few rankings (the
    results of search systems for one query, best first) and picks the one that scores highest.

    The score is, by `metric`: `precision`, the precision at `k` (the share of the first k results
    that are relevant); `recall`, the share of the relevant items among the first `k` results, or
    among all of a ranking's results when `k` is left out (so that lists of different lengths can be
    compared); `rr`, the reciprocal rank (1 / the position of the first relevant result, 0 with
    none); `ndcg`, the nDCG at `k` with graded judgements in `grades` instead of `relevant` (the DCG,
    Σ grade / log2(position + 1) over the first k results, divided by the DCG of the ideal order).

    Nothing here comes from a model: the rankings and the relevant items are the author's, and the
    block does the arithmetic (the answer section shows it for every ranking). A tie at the shown
    precision fails the build, so choose rankings that differ. `answer` is the ranking you claim
    wins.
    """

    example = ("relevant: [cars, vehicle, automobile]\nrankings:\n  A: [truck, cars, vehicle, bus]\n"
               "  B: [automobile, driver, road, taxi]\nmetric: precision\nk: 4\nanswer: A")
    needs_model = False
    note = "Computed at build time from the rankings the block states; no embedding model."
    options = opt.Options(
        ExerciseKind.options,
        relevant=opt.texts("The items a judge counts as relevant (not with `metric: ndcg`).", min=1, max=20,
                           type_doc="list of 1–20 items"),
        grades=opt.raw("`metric: ndcg`: each relevant item with its grade, `{automobile: 2, cars: 1}` (grades 1–5).",
                       {"type": "object", "minProperties": 1, "maxProperties": 20,
                        "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 5}},
                       "items with grades", convert=lambda v: {str(k): int(g) for k, g in v.items()}),
        rankings=opt.raw("Two to five rankings by name, each a list of 1–20 items, best first.", RANKINGS,
                         "named lists of items", required=True,
                         convert=lambda v: {str(k): list(items) for k, items in v.items()}),
        metric=opt.choice("What the reader compares: precision at k, recall (at k, or of the whole list), the "
                          "reciprocal rank, or nDCG at k.", ["precision", "recall", "rr", "ndcg"], required=True),
        k=opt.integer("The k of precision at k (`metric: precision`, required) or recall at k (`metric: recall`, "
                      "optional: without it, each whole list).", min=1, max=20),
        query=opt.text("The query the rankings answer, shown to the reader.", display=True),
        answer=opt.text("The ranking you claim wins (a [claim](#claims)).", type_doc="a ranking's name", display=True),
    )

    def prepare(self, spec):
        if spec.metric == "ndcg":
            if not spec.grades or spec.relevant:
                raise LexiconError("'metric: ndcg' reads graded judgements: 'grades', not 'relevant'",
                                   fix="write e.g. 'grades: {automobile: 2, cars: 1}' and remove 'relevant'")
            if spec.k is None:
                raise LexiconError("'metric: ndcg' needs 'k', the number of results it adds up", fix="add e.g. 'k: 5'")
            spec.relevant = list(spec.grades)
        elif spec.grades:
            raise LexiconError("'grades' is for 'metric: ndcg'", fix="remove 'grades', or use 'metric: ndcg'")
        if not spec.relevant:
            raise LexiconError("missing option 'relevant'", fix="add e.g. 'relevant: [cars, automobile]'")
        if spec.metric == "precision" and spec.k is None:
            raise LexiconError("'metric: precision' needs 'k', the number of results it looks at",
                               fix="add e.g. 'k: 5'")
        if spec.metric == "rr" and spec.k is not None:
            raise LexiconError("'k' is for 'metric: precision'; the reciprocal rank reads the whole ranking",
                               fix="remove 'k'")
        for name, items in spec.rankings.items():
            if len(set(items)) != len(items):
                raise LexiconError(f"ranking '{name}' lists an item twice", fix="list each item once")
        if spec.answer is not None and spec.answer not in spec.rankings:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the rankings",
                               fix="name one of: " + ", ".join(spec.rankings))

    def prompt(self, spec):
        key = "recall-all" if spec.metric == "recall" and spec.k is None else spec.metric
        return spec.prompt or PROMPTS[key].format(k=spec.k)

    def anchor_hint(self, spec):
        return f"exercise {spec.metric}"

    def compute(self, kv, spec):
        rel = set(spec.relevant)
        scores = {}
        for name, items in spec.rankings.items():
            if spec.metric == "precision":
                scores[name] = precision_at_k(items, rel, spec.k)
            elif spec.metric == "ndcg":
                scores[name] = ndcg(items, spec.grades, spec.k)
            elif spec.metric == "recall":
                scores[name] = recall_at_k(items, rel, spec.k or len(items))
            else:
                scores[name] = reciprocal_rank(items, rel)
        return {"scores": scores, "first": {name: first_relevant(items, rel) for name, items in spec.rankings.items()}}

    def graded(self, spec, result):
        return dict(result["scores"])

    def _best(self, result) -> str:
        return max(result["scores"].items(), key=lambda t: t[1])[0]

    def _metric(self, spec) -> str:
        if spec.metric == "ndcg":
            return f"nDCG at {spec.k}"
        if spec.metric == "recall":
            return "recall" if spec.k is None else f"recall at {spec.k}"
        return f"precision at {spec.k}" if spec.metric == "precision" else "reciprocal rank"

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        best = self._best(result)
        check(f"ranking {spec.answer} has the highest {self._metric(spec)} of " + ", ".join(spec.rankings),
              best == spec.answer, "; ".join(f"{n}: {fmt(s)}" for n, s in result["scores"].items()),
              decided_by=list(result["scores"].values()))

    @value("The ranking with the highest score.")
    def best(self, spec, result):
        return Value(self._best(result))

    @value("A ranking's precision at k or reciprocal rank: `score(A)`.")
    def score(self, spec, result, name):
        name = str(name).strip()
        if name not in result["scores"]:
            raise LexiconError(f"'{name}' is not one of the rankings", fix="name one of: " + ", ".join(spec.rankings))
        v = result["scores"][name]
        return Value(fmt(v), v)

    def _working(self, spec, result, name) -> str:
        rel, items = set(spec.relevant), spec.rankings[name]
        if spec.metric == "precision":
            hits = sum(1 for w in items[:spec.k] if w in rel)
            return f"{hits} of its first {spec.k} results are relevant: {hits} / {spec.k} = {fmt(result['scores'][name])}"
        if spec.metric == "ndcg":
            terms = [f"{spec.grades[w]}/log2({i + 2})" for i, w in enumerate(items[:spec.k]) if w in spec.grades]
            return (f"DCG = {' + '.join(terms) or '0'} = {fmt(dcg(items, spec.grades, spec.k))}; divided by the ideal "
                    f"DCG {fmt(idcg(spec.grades, spec.k))}: {fmt(result['scores'][name])}")
        if spec.metric == "recall":
            k = spec.k or len(items)
            hits, n = sum(1 for w in items[:k] if w in rel), len(rel)
            where = f"its first {k} results" if spec.k else f"its {k} results"
            return (f"{hits} of the {n} relevant items are among {where}: {hits} / {n} = "
                    f"{fmt(result['scores'][name])} (precision {hits} / {k} = {fmt(hits / k)})")
        first = result["first"][name]
        if first is None:
            return "none of its results is relevant: 0"
        return f"its first relevant result is at position {first}: 1 / {first} = {fmt(result['scores'][name])}"

    def render(self, spec, result, ctx):
        rel = set(spec.relevant)
        names = list(spec.rankings)
        depth = max(len(items) for items in spec.rankings.values())
        rows = [[str(i + 1)] + [spec.rankings[n][i] if i < len(spec.rankings[n]) else "" for n in names]
                for i in range(depth)]
        query = f" for the query <em>{esc(spec.query)}</em>" if spec.query else ""
        judged = (", ".join(f"{w} (grade {g})" for w, g in spec.grades.items()) if spec.metric == "ndcg"
                  else ", ".join(spec.relevant))
        before = [Html(f"<p>Relevant{query}: <strong>{esc(judged)}</strong>. The rankings, best "
                       "first:</p>"),
                  Table(["Position"] + [f"Ranking {n}" for n in names], rows, numeric=(0,))]
        best = self._best(result)
        why = {n: f"Ranking {n}: {self._working(spec, result, n)}." for n in names}
        marked = [[str(i + 1)] + [(spec.rankings[n][i] + _mark(spec, spec.rankings[n][i], rel))
                                  if i < len(spec.rankings[n]) else "" for n in names] for i in range(depth)]
        reveal = [Html(f"<p>Ranking <strong>{esc(best)}</strong> has the highest {self._metric(spec)}.</p>"),
                  Table(["Ranking", _heading(self._metric(spec)), "Working"],
                        [[n, fmt(result["scores"][n]), self._working(spec, result, n)] for n in names], numeric=(1,)),
                  Table(["Position"] + [f"Ranking {n}" for n in names], marked, numeric=(0,))]
        return Choices(names, best, why, reveal, before)


def _mark(spec, item, rel) -> str:
    if item not in rel:
        return ""
    return f" ({spec.grades[item]})" if spec.metric == "ndcg" else " ✓"


def _heading(metric: str) -> str:
    """A metric's name as a column heading: capitalised, but nDCG keeps its letters."""
    return metric if metric.startswith("nDCG") else metric.capitalize()
