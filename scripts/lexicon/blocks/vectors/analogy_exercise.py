from __future__ import annotations

from ... import figures
from ...engine import ExerciseKind, opt
from ...engine.checks import RANK_SCHEMA, check_depth, parse_rank
from ...engine.pieces import Exercise, Figure, Html, Table
from ...numeric import SCORE_DIGITS
from ...render import esc, fmt
from ._query import QUERY_DOC, parse_query, pretty_query

CANDIDATES = 100  # the page knows this many answers, so a near miss can be told apart


class AnalogyExercise(ExerciseKind):
    """An exercise: the reader types the word that completes an analogy. An answer in the model's top k (k = accept) counts as right; the model's top 5 are then revealed.

    Readers type the word that completes an analogy. Any word in the model's top `accept` answers
    counts as right; a word further down the model's list is "close", with its rank (the page knows
    the model's 100 best answers); a word the model does not know gets close spellings, and a word
    of the query is explained rather than marked wrong. The reveal shows the model's top 5. Typed
    answers are lower-cased and trimmed.
    """

    example = 'prompt: "Brother is to man as ___ is to woman."\nquery: brother - man + woman\naccept: 2\nexpect: daughter'
    default_prompt = "Which word completes the analogy? Type it and check."
    options = opt.Options(
        ExerciseKind.options,
        query=opt.text(QUERY_DOC, required=True),
        accept=opt.integer("How many of the model's top answers count as right.", default=3, min=1, max=20,
                           display=True),
        expect=opt.raw("The word you expect the model to give (checked like the analogy block's).",
                       RANK_SCHEMA, "[rank claim](#claims)", display=True, convert=parse_rank),
    )

    def prepare(self, spec):
        spec.query = spec.query.strip()
        spec.positive, spec.negative = parse_query(spec.query)
        check_depth(spec.expect, CANDIDATES)

    def words(self, spec):
        return spec.positive + spec.negative

    def anchor_hint(self, spec):
        return " ".join(spec.positive[:1] + spec.negative + spec.positive[1:])

    def compute(self, kv, spec):
        answers = kv.most_similar(positive=spec.positive, negative=spec.negative, topn=CANDIDATES)
        return {"answers": [[w, round(float(s), SCORE_DIGITS)] for w, s in answers]}

    def claims(self, spec, result, check):
        if spec.expect:
            check.rank(spec.expect, result["answers"], pretty_query(spec.query))

    def render(self, spec, result, ctx):
        q = pretty_query(spec.query)
        top = result["answers"][:5]
        k = spec.accept
        accepted = "only the model\u2019s top answer" if k == 1 else f"any of the model\u2019s top {k} answers"
        a = esc(ctx.anchor)
        controls = (f'<div class="ll-exercise__analogy"><label for="{a}-input">'
                    f'<span class="ll-query__expr">{esc(q)}</span> =</label> '
                    f'<input id="{a}-input" name="answer" type="text" autocomplete="off" '
                    f'autocapitalize="none" spellcheck="false" aria-describedby="{a}-hint">'
                    f'<p class="ll-exercise__hint" id="{a}-hint">{accepted.capitalize()} '
                    f'counts as right. Lower-case, one word.</p></div>')
        reveal = [
            Html(f'<p>The model\u2019s top answer is <strong>{esc(top[0][0])}</strong>; {accepted} counts as right.</p>'),
            Figure(figures.bar_scores([w for w, _ in top], [s for _, s in top], title=f"{q} = ?"),
                   alt=f"Bar chart of the model's top 5 answers to {q}: " + ", ".join(f"{w} {s:.2f}" for w, s in top) + ".",
                   caption=f"The model's five best answers to {q}, by cosine similarity.",
                   height=80 + 30 * len(top), anchor="answer",
                   table=Table(["Rank", "Word", "Cosine"], [[i + 1, w, fmt(s)] for i, (w, s) in enumerate(top)],
                               numeric=(0, 2))),
        ]
        answer = {"kind": "analogy", "accept": k, "query": q,
                  "inputs": spec.positive + spec.negative, "top": result["answers"]}
        return Exercise("analogy", controls, answer, reveal)
