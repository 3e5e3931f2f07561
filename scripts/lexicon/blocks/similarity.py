"""``similarity``: cosine similarity of word pairs, with order and comparison claims."""

from __future__ import annotations

from .. import compute, figures
from ..claims import check_comparison, check_order, parse_comparison
from ..render import claims_html, code_details, esc, figure_or_table, fmt, model_note, table
from .base import CAPTION, Block, obj, register, str_list

EXPECT_SCHEMA = {"oneOf": [{"const": "ordered"}, str_list()]}


def pair_label(pair) -> str:
    return f"{pair[0]} – {pair[1]}"


@register
class Similarity(Block):
    kind = "similarity"
    summary = "Cosine similarity of word pairs (gensim's similarity), as a table and a bar chart."
    schema = obj({
        "pairs": {"type": "array", "minItems": 1, "items": str_list(2, 2)},
        "expect": EXPECT_SCHEMA,
        "caption": CAPTION,
        "figure": {"type": "boolean"},
    }, required=["pairs"])
    display_options = ("caption", "figure")  # 'expect' comparisons are computed
    example = "pairs:\n  - [cat, dog]\n  - [cat, car]\nexpect: ordered"

    def parse(self, data):
        spec = {"pairs": data["pairs"], "figure": data.get("figure", True),
                "caption": data.get("caption")}
        if "expect" in data:
            spec["expect"] = data["expect"]
            if data["expect"] != "ordered":
                for text in data["expect"]:
                    parse_comparison(text)
        return spec

    def words(self, spec):
        ws = [w for p in spec["pairs"] for w in p]
        if isinstance(spec.get("expect"), list):
            for text in spec["expect"]:
                left, _, right = parse_comparison(text)
                ws += left + right
        return ws

    def anchor_hint(self, spec):
        return " ".join(w for p in spec["pairs"][:2] for w in p)

    def compute(self, kv, spec):
        out = {"scores": compute.similarities(kv, spec["pairs"])}
        if isinstance(spec.get("expect"), list):
            out["compared"] = [compute.similarities(kv, [parse_comparison(t)[0], parse_comparison(t)[2]])
                               for t in spec["expect"]]
        return out

    def claims(self, spec, result):
        expect = spec.get("expect")
        if expect == "ordered":
            labels = [pair_label(p) for p in spec["pairs"]]
            return [check_order(labels, result["scores"], labels, "these pairs")]
        if isinstance(expect, list):
            return [check_comparison(t, *vals) for t, vals in zip(expect, result["compared"])]
        return []

    def render(self, spec, result, ctx):
        labels = [pair_label(p) for p in spec["pairs"]]
        scores = result["scores"]
        rows = [[lab, fmt(s)] for lab, s in zip(labels, scores)]
        tbl = table(["Pair", "Cosine"], rows, numeric_cols=(1,))
        calls = "\n".join(f"kv.similarity({a!r}, {b!r})" for a, b in spec["pairs"])
        return "".join([
            f'<div class="ll-block ll-similarity" id="{esc(ctx.anchor)}">',
            figure_or_table(
                spec["figure"], lambda: figures.bar_scores(labels, scores, title="Cosine similarity"),
                alt="Bar chart of cosine similarity: " +
                    ", ".join(f"{lab} {s:.2f}" for lab, s in zip(labels, scores)) + ".",
                caption=spec["caption"], default_caption="Cosine similarity of each pair.",
                data_table=tbl, height=80 + 34 * len(labels), anchor=ctx.anchor + "-figure"),
            claims_html(ctx.claims),
            code_details(calls, "The gensim calls behind these numbers"),
            model_note(ctx.model_id), "</div>",
        ])
