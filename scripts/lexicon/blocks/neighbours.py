"""``neighbours``: the nearest words to a word by cosine similarity."""

from __future__ import annotations

from .. import compute, figures
from ..claims import NEIGHBOUR_PHRASES, check_rank, rank_expectation_option, rank_expectation_schema
from ..render import claims_html, code_details, esc, figure_or_table, fmt, model_note, table
from .base import CAPTION, Block, obj, register


@register
class Neighbours(Block):
    kind = "neighbours"
    summary = "The nearest words to one word (gensim's most_similar), as a table and a bar chart."
    schema = obj({
        "word": {"type": "string", "minLength": 1},
        "topn": {"type": "integer", "minimum": 1, "maximum": 50},
        "expect": rank_expectation_schema(),
        "caption": CAPTION,
        "figure": {"type": "boolean"},
    }, required=["word"])
    example = "word: frog\ntopn: 8\nexpect: {word: toad, within: 5}"

    def parse(self, data):
        spec = {"word": data["word"], "topn": data.get("topn", 10),
                "figure": data.get("figure", True), "caption": data.get("caption")}
        if "expect" in data:
            spec["expect"] = rank_expectation_option(data, spec["topn"])
        return spec

    def words(self, spec):
        return [spec["word"]] + ([spec["expect"]["word"]] if "expect" in spec else [])

    def anchor_hint(self, spec):
        return spec["word"]

    def compute(self, kv, spec):
        return {"neighbours": compute.neighbours(kv, spec["word"], spec["topn"])}

    def claims(self, spec, result):
        if "expect" not in spec:
            return []
        return [check_rank(spec["expect"], result["neighbours"], f"'{spec['word']}'", NEIGHBOUR_PHRASES)]

    def render(self, spec, result, ctx):
        nb = result["neighbours"]
        word = spec["word"]
        rows = [[i + 1, w, fmt(s)] for i, (w, s) in enumerate(nb)]
        tbl = table(["Rank", "Word", "Cosine"], rows, numeric_cols=(0, 2))
        return "".join([
            f'<div class="ll-block ll-neighbours" id="{esc(ctx.anchor)}">',
            figure_or_table(
                spec["figure"],
                lambda: figures.bar_scores([w for w, _ in nb], [s for _, s in nb], title=f"Nearest to “{word}”"),
                alt=(f"Bar chart of the {len(nb)} nearest words to {word}: " +
                     ", ".join(f"{w} {s:.2f}" for w, s in nb) + "."),
                caption=spec["caption"], default_caption=f"Nearest neighbours of “{word}” by cosine similarity.",
                data_table=tbl, height=60 + 28 * len(nb), anchor=ctx.anchor + "-figure"),
            claims_html(ctx.claims),
            code_details(f"kv.most_similar({word!r}, topn={spec['topn']})"),
            model_note(ctx.model_id), "</div>",
        ])
