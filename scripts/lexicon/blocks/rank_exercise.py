"""``rank-exercise``: the reader ranks word pairs by similarity; the model's answer is computed."""

from __future__ import annotations

from .. import compute, figures
from ..claims import check_order
from ..errors import LexiconError
from ..render import claims_html, esc, figure, fmt, table
from .exercise import exercise_html
from .base import Block, obj, register, str_list


@register
class RankExercise(Block):
    kind = "rank-exercise"
    summary = "An exercise: rank word pairs by similarity. The answer (order and scores) is computed from the model."
    schema = obj({
        "prompt": {"type": "string", "minLength": 1},
        "pairs": {"type": "object", "minProperties": 2, "maxProperties": 8,
                  "propertyNames": {"pattern": "^[A-Z]$"},
                  "additionalProperties": str_list(2, 2)},
        "answer": {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]$"}},
        "explanation": {"type": "string", "minLength": 1},
    }, required=["pairs"])
    example = ("prompt: Rank these pairs by similarity (1 = most similar).\n"
               "pairs:\n  A: [cat, dog]\n  B: [cat, car]\nanswer: [A, B]\n"
               "explanation: Cats and dogs appear in the same kinds of sentences.")

    def parse(self, data):
        letters = list(data["pairs"])
        if "answer" in data and sorted(data["answer"]) != sorted(letters):
            raise LexiconError(f"'answer' must list each of {', '.join(letters)} exactly once",
                               fix=f"write the order you claim the model gives, e.g. answer: [{', '.join(letters)}]")
        return {"prompt": data.get("prompt", "Rank these word pairs by similarity (1 = most similar)."),
                "letters": letters, "pairs": [data["pairs"][k] for k in letters],
                "answer": data.get("answer"), "explanation": data.get("explanation")}

    def words(self, spec):
        return [w for p in spec["pairs"] for w in p]

    def anchor_hint(self, spec):
        return "exercise " + " ".join(self.words(spec)[:4])

    def compute(self, kv, spec):
        return {"scores": compute.similarities(kv, spec["pairs"])}

    def claims(self, spec, result):
        if not spec["answer"]:
            return []
        return [check_order(spec["letters"], result["scores"], spec["answer"], "the pairs")]

    def render(self, spec, result, ctx):
        letters, pairs, scores = spec["letters"], spec["pairs"], result["scores"]
        order = sorted(range(len(letters)), key=lambda i: -scores[i])
        n = len(letters)
        options = '<option value="">Rank…</option>' + "".join(f"<option>{r}</option>" for r in range(1, n + 1))
        items = "".join(
            f'<li class="ll-exercise__item" data-key="{esc(k)}">'
            f'<label for="{esc(ctx.anchor)}-{esc(k)}"><span class="ll-letter">{esc(k)}.</span> {esc(a)} – {esc(b)}</label>'
            f'<select id="{esc(ctx.anchor)}-{esc(k)}" name="{esc(k)}">{options}</select>'
            f'<span class="ll-exercise__mark"></span></li>'
            for k, (a, b) in zip(letters, pairs))
        ranked = [f"{letters[i]}. {pairs[i][0]} – {pairs[i][1]}" for i in order]
        rows = [[r + 1, ranked[r], fmt(scores[order[r]])] for r in range(n)]
        tbl = table(["Rank", "Pair", "Cosine"], rows, numeric_cols=(0, 2))
        alt = "Bar chart of the model's cosine similarity for each pair, highest first: " + \
            ", ".join(f"{lab} {scores[i]:.2f}" for lab, i in zip(ranked, order)) + "."
        fig = figures.bar_scores(ranked, [scores[i] for i in order], title="The model's ranking")
        reveal = (f'<p>The model ranks them <strong>{", ".join(letters[i] for i in order)}</strong>.</p>'
                  + figure(fig, alt=alt, caption="Cosine similarity of each pair, from the model.",
                           height=80 + 36 * n, anchor=ctx.anchor + "-answer", data_table=tbl)
                  + claims_html(ctx.claims))
        answer = {"kind": "rank", "order": [letters[i] for i in order],
                  "scores": dict(zip(letters, scores)),
                  "labels": {k: f"{a} – {b}" for k, (a, b) in zip(letters, pairs)}}
        return exercise_html("rank", ctx.anchor, spec["prompt"],
                             f'<ol class="ll-exercise__items">{items}</ol>', answer, reveal,
                             spec["explanation"], ctx.model_id)
