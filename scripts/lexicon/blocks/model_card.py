"""``model-card``: which model the page's numbers come from, and the code that loads it."""

from __future__ import annotations

from .. import session as session_mod
from ..code import loading_code, python_html
from ..render import esc, table
from .base import Block, obj, register


@register
class ModelCard(Block):
    kind = "model-card"
    summary = "The configured model's name, size and hash, and the Python that loads it the way the build does."
    schema = obj({"example": {"type": "string", "pattern": r"^\S+( [+-] \S+)*$"}})
    example = "example: king - man + woman"

    def parse(self, data):
        return {"example": data.get("example")}

    def words(self, spec):
        return [w for w in (spec["example"] or "").split() if w not in "+-"]

    def anchor_hint(self, spec):
        return "model"

    def compute(self, kv, spec):
        return {"words": len(kv), "dims": int(kv.vector_size), "first": kv.index_to_key[:10]}

    def render(self, spec, result, ctx):
        session = session_mod.SESSION
        code = loading_code(session.spec)
        if spec["example"]:
            from .analogy import parse_query

            pos, neg = parse_query(spec["example"])
            code += f"\nprint(kv.most_similar(positive={pos!r}, negative={neg!r}, topn=5))\n"
        rows = [["Model", ctx.model_id["name"]], ["Vocabulary", f"{result['words']:,} words"],
                ["Dimensions", result["dims"]], ["Most frequent words", " ".join(result["first"])],
                ["Content hash (sha256)", ctx.model_id["sha256"]]]
        return (f'<div class="ll-block ll-model-card" id="{esc(ctx.anchor)}">'
                + table(["Property", "Value"], rows) + python_html(code) + "</div>")
