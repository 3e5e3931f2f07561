"""``analogy-exercise``: the reader completes an analogy; accepted if in the model's top k."""

from __future__ import annotations

from .. import compute, figures
from ..claims import rank_expectation_option, rank_expectation_schema
from ..render import claims_html, esc, figure, fmt, table
from .analogy import Analogy, parse_query, pretty_query
from .base import obj, register
from .exercise import exercise_html

CANDIDATES = 100  # the page knows this many answers, so a near miss can be told apart


@register
class AnalogyExercise(Analogy):
    """Shares the analogy block's query words, anchor and claim; its own options, result and page."""

    kind = "analogy-exercise"
    summary = ("An exercise: the reader types the word that completes an analogy. An answer in the "
               "model's top k (k = accept) counts as right; the model's top 5 are then revealed.")
    schema = obj({
        "prompt": {"type": "string", "minLength": 1},
        "query": {"type": "string", "minLength": 1},
        "accept": {"type": "integer", "minimum": 1, "maximum": 20},
        "expect": rank_expectation_schema(),
        "explanation": {"type": "string", "minLength": 1},
    }, required=["query"])
    example = "query: paris - france + italy\naccept: 3\nexpect: rome"

    def parse(self, data):
        pos, neg = parse_query(data["query"])
        spec = {"query": data["query"].strip(), "positive": pos, "negative": neg,
                "accept": data.get("accept", 3), "explanation": data.get("explanation"),
                "prompt": data.get("prompt", "Which word completes the analogy? Type it and check.")}
        if "expect" in data:
            spec["expect"] = rank_expectation_option(data, CANDIDATES)
        return spec

    def compute(self, kv, spec):
        answers = kv.most_similar(positive=spec["positive"], negative=spec["negative"], topn=CANDIDATES)
        return {"answers": [[w, round(float(s), compute.SCORE_DIGITS)] for w, s in answers]}

    def render(self, spec, result, ctx):
        q = pretty_query(spec["query"])
        top = result["answers"][:5]
        k = spec["accept"]
        accepted = "only the model\u2019s top answer" if k == 1 else f"any of the model\u2019s top {k} answers"
        controls = (f'<div class="ll-exercise__analogy"><label for="{esc(ctx.anchor)}-input">'
                    f'<span class="ll-query__expr">{esc(q)}</span> =</label> '
                    f'<input id="{esc(ctx.anchor)}-input" name="answer" type="text" autocomplete="off" '
                    f'autocapitalize="none" spellcheck="false" aria-describedby="{esc(ctx.anchor)}-hint">'
                    f'<p class="ll-exercise__hint" id="{esc(ctx.anchor)}-hint">{accepted.capitalize()} '
                    f'counts as right. Lower-case, one word.</p></div>')
        rows = [[i + 1, w, fmt(s)] for i, (w, s) in enumerate(top)]
        tbl = table(["Rank", "Word", "Cosine"], rows, numeric_cols=(0, 2))
        alt = f"Bar chart of the model's top 5 answers to {q}: " + ", ".join(f"{w} {s:.2f}" for w, s in top) + "."
        fig = figures.bar_scores([w for w, _ in top], [s for _, s in top], title=f"{q} = ?")
        reveal = (f'<p>The model\u2019s top answer is <strong>{esc(top[0][0])}</strong>; '
                  f'{accepted} counts as right.</p>'
                  + figure(fig, alt=alt, caption=f"The model's five best answers to {q}, by cosine similarity.",
                           height=80 + 30 * len(top), anchor=ctx.anchor + "-answer", data_table=tbl)
                  + claims_html(ctx.claims))
        answer = {"kind": "analogy", "accept": k, "query": q,
                  "inputs": spec["positive"] + spec["negative"], "top": result["answers"]}
        return exercise_html("analogy", ctx.anchor, spec["prompt"], controls, answer, reveal,
                             spec["explanation"], ctx.model_id)
