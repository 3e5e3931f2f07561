from __future__ import annotations

from ...code import loading_code, python_html
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Html, Table
from ._query import parse_query


class ModelCard(Kind):
    """The configured model's name, size and hash, and the Python that loads it the way the build does.

    A card with the configured model's name, vocabulary size, number of dimensions, most frequent
    words and content hash, followed by the Python code that loads the model exactly as the build
    does. Readers can use it to reproduce any number on the site.
    """

    example = "example: tokyo - japan + france"
    options = opt.Options(
        Kind.options,
        example=opt.text("An analogy the loading code ends with, e.g. `king - man + woman`.",
                         pattern=r"^\S+( [+-] \S+)*$", type_doc="analogy query", display=True),
    )

    def words(self, spec):
        return [w for w in (spec.example or "").split() if w not in "+-"]

    def anchor_hint(self, spec):
        return "model"

    def compute(self, kv, spec):
        return {"words": len(kv), "dims": int(kv.vector_size), "first": kv.index_to_key[:10]}

    @value("The size of the model's vocabulary.")
    def vocabulary(self, spec, result):
        return Value(f"{result['words']:,}", result["words"])

    @value("The number of dimensions of each vector.")
    def dims(self, spec, result):
        return Value(str(result["dims"]), result["dims"])

    def render(self, spec, result, ctx):
        code = loading_code(ctx.model_spec)
        if spec.example:
            pos, neg = parse_query(spec.example)
            code += f"\nprint(kv.most_similar(positive={pos!r}, negative={neg!r}, topn=5))\n"
        rows = [["Model", ctx.model_id["name"]], ["Vocabulary", f"{result['words']:,} words"],
                ["Dimensions", result["dims"]], ["Most frequent words", " ".join(result["first"])],
                ["Content hash (sha256)", ctx.model_id["sha256"]]]
        return [Table(["Property", "Value"], rows), Html(python_html(code))]
