"""``neighbours``: the nearest words to a word by cosine similarity."""

from __future__ import annotations

from .. import compute, figures
from ..claims import NEIGHBOUR_PHRASES, check_rank, parse_rank_expectation, rank_expectation_schema
from ..code import python_html
from ..errors import LexiconError
from ..render import author_markdown, esc, fmt, model_note, claims_html, table, figure
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
            spec["expect"] = parse_rank_expectation(data["expect"])
            if spec["expect"].get("within", spec["expect"].get("rank")) > spec["topn"]:
                raise LexiconError("'expect' looks further down the list than 'topn' computes",
                                   fix="raise 'topn' or lower 'rank'/'within'")
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
        parts = [f'<div class="ll-block ll-neighbours" id="{esc(ctx.anchor)}">']
        if spec["figure"]:
            alt = (f"Bar chart of the {len(nb)} nearest words to {word}: " +
                   ", ".join(f"{w} {s:.2f}" for w, s in nb) + ".")
            caption = spec["caption"] or f"Nearest neighbours of “{word}” by cosine similarity."
            fig = figures.bar_scores([w for w, _ in nb], [s for _, s in nb], title=f"Nearest to “{word}”")
            parts.append(figure(fig, alt=alt, caption=caption, height=60 + 28 * len(nb),
                                anchor=ctx.anchor + "-figure", data_table=tbl))
        else:
            if spec["caption"]:
                parts.append(f'<p class="ll-caption">{author_markdown(spec["caption"], inline=True)}</p>')
            parts.append(tbl)
        parts.append(claims_html(ctx.claims))
        parts.append('<details class="ll-code"><summary>The gensim call behind these numbers</summary>'
                     + python_html(f"kv.most_similar({word!r}, topn={spec['topn']})") + "</details>")
        parts.append(model_note(ctx.model_id) + "</div>")
        return "".join(parts)
