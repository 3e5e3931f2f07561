"""``analogy``: word arithmetic such as ``king - man + woman``, with its top answers."""

from __future__ import annotations

import re

from .. import compute, figures
from ..claims import check_rank, rank_expectation_option, rank_expectation_schema
from ..errors import LexiconError
from ..render import Raw, author_markdown, claims_html, code_details, esc, figure, fmt, model_note, table
from .base import CAPTION, Block, obj, register


def parse_query(query: str) -> tuple[list[str], list[str]]:
    """``king - man + woman`` → (positive ``[king, woman]``, negative ``[man]``)."""
    parts = re.split(r"\s+([+-])\s+", query.strip())
    words, ops = parts[0::2], ["+"] + parts[1::2]
    if len(words) < 2 or any(not w or re.search(r"\s", w) for w in words):
        raise LexiconError(f"cannot read the query '{query}'",
                           fix="write words separated by ' + ' or ' - ' with spaces around "
                               "the signs, e.g. 'king - man + woman'")
    pos = [w for w, op in zip(words, ops) if op == "+"]
    neg = [w for w, op in zip(words, ops) if op == "-"]
    return pos, neg


def pretty_query(query: str) -> str:
    return re.sub(r"\s+-\s+", " − ", query.strip())


@register
class Analogy(Block):
    kind = "analogy"
    summary = "Word arithmetic (gensim's most_similar with positive and negative words): top answers, scores, a 2-D picture of the offsets."
    schema = obj({
        "query": {"type": "string", "minLength": 1},
        "topn": {"type": "integer", "minimum": 1, "maximum": 50},
        "expect": rank_expectation_schema(),
        "caption": CAPTION,
        "figure": {"type": "boolean"},
        "code": {"type": "boolean"},
    }, required=["query"])
    example = "query: king - man + woman\ntopn: 5\nexpect: queen"

    def parse(self, data):
        pos, neg = parse_query(data["query"])
        spec = {"query": data["query"].strip(), "positive": pos, "negative": neg,
                "topn": data.get("topn", 5), "figure": data.get("figure", True),
                "code": data.get("code", True), "caption": data.get("caption")}
        if "expect" in data:
            spec["expect"] = rank_expectation_option(data, spec["topn"])
        return spec

    def words(self, spec):
        return spec["positive"] + spec["negative"] + ([spec["expect"]["word"]] if "expect" in spec else [])

    def anchor_hint(self, spec):
        return " ".join(spec["positive"][:1] + spec["negative"] + spec["positive"][1:])

    def compute(self, kv, spec):
        return compute.analogy(kv, spec["positive"], spec["negative"], spec["topn"])

    def claims(self, spec, result):
        if "expect" not in spec:
            return []
        return [check_rank(spec["expect"], result["answers"], pretty_query(spec["query"]))]

    def render(self, spec, result, ctx):
        q = pretty_query(spec["query"])
        answers = result["answers"]
        top = answers[0][0]
        rows = [[i + 1, Raw(f"<strong>{esc(w)}</strong>" if i == 0 else esc(w)), fmt(s)]
                for i, (w, s) in enumerate(answers)]
        parts = [f'<div class="ll-block ll-analogy" id="{esc(ctx.anchor)}">',
                 f'<p class="ll-query"><span class="ll-query__expr">{esc(q)}</span> ≈ '
                 f'<strong class="ll-query__answer">{esc(top)}</strong></p>',
                 table(["Rank", "Word", "Cosine"], rows, numeric_cols=(0, 2)),
                 claims_html(ctx.claims)]
        if spec["caption"] and not spec["figure"]:
            parts.insert(2, f'<p class="ll-caption">{author_markdown(spec["caption"], inline=True)}</p>')
        if spec["figure"]:
            alt = (f"Scatter plot, a 2-D PCA projection of the words in {q} and of the answer {top}. "
                   "Arrows show the offsets " +
                   (f"{spec['negative'][0]} to {spec['positive'][0]} and {spec['positive'][1]} to {top}"
                    if len(spec["positive"]) == 2 and len(spec["negative"]) == 1 else "between the words") +
                   f"; the two components keep {sum(result['explained']) * 100:.0f}% of the variance of these points.")
            fig = figures.analogy(result["points"], result["target"], spec["positive"],
                                  spec["negative"], top, q)
            coords = [[w, fmt(x, 3), fmt(y, 3)] for w, (x, y) in result["points"].items()]
            coords.append([f"{q} (target)", fmt(result["target"][0], 3), fmt(result["target"][1], 3)])
            caption = spec["caption"] or f"The offsets behind {q} ≈ {top}, projected to 2-D with PCA."
            parts.append(figure(fig, alt=alt, caption=caption, height=380, anchor=ctx.anchor + "-figure",
                                data_table=table(["Point", "PC 1", "PC 2"], coords, numeric_cols=(1, 2))))
        if spec["code"]:
            call = (f"kv.most_similar(positive={spec['positive']!r}, negative={spec['negative']!r}, "
                    f"topn={spec['topn']})")
            parts.append(code_details(call))
        parts.append(model_note(ctx.model_id))
        parts.append("</div>")
        return "".join(parts)
