"""Renderers escape every author string; figure JSON survives the trip through HTML."""

import html
import json
import re

from lexicon.blocks import REGISTRY, RenderContext
from lexicon.render import attr_json, author_markdown

MODEL = {"name": "Test <b>model</b>", "format": "glove", "sha256": "ab" * 32}
EVIL = "<script>alert('x')</script>"


def ctx(**kw):
    return RenderContext(model_id=MODEL, anchor="block-1", **kw)


def figure_payloads(page_html):
    return [json.loads(html.unescape(m)) for m in re.findall(r"data-figure='([^']*)'", page_html)]


def test_author_markdown_escapes_raw_html_but_keeps_emphasis():
    out = author_markdown(f"*very* {EVIL} `code`")
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "<em>very</em>" in out and "<code>code</code>" in out


def test_attr_json_round_trips_and_cannot_close_the_attribute():
    obj = {"text": f"it's {EVIL} & more"}
    encoded = attr_json(obj)
    assert "'" not in encoded and "<" not in encoded
    assert json.loads(html.unescape(encoded)) == obj


def test_analogy_render_escapes_words_caption_and_model_name():
    block = REGISTRY["analogy"]
    spec = block.parse({"query": "a - b + c", "caption": EVIL})
    result = {"answers": [[EVIL, 0.5], ["d", 0.4]],
              "points": {"a": [0, 0], "b": [1, 0], "c": [0, 1], EVIL: [1, 1]},
              "target": [0.5, 0.5], "explained": [0.6, 0.3]}
    out = block.render(spec, result, ctx())
    assert "<script>" not in out and "<b>model</b>" not in out
    assert "&lt;script&gt;" in out
    figs = figure_payloads(out)
    assert len(figs) == 1
    texts = [t for trace in figs[0]["data"] for t in trace.get("text", [])]
    assert EVIL in texts  # the data is intact; plotly draws it as text


def test_every_block_kind_renders_its_author_strings_escaped():
    """Each renderer, fed author text holding markup, emits no live markup from it."""
    cases = {
        "neighbours": ({"word": EVIL, "caption": EVIL}, {"neighbours": [[EVIL, 0.9], ["x", 0.5]]}),
        "similarity": ({"pairs": [[EVIL, "b"], ["c", "d"]], "caption": EVIL}, {"scores": [0.3, 0.2]}),
        "onehot-vs-dense": ({"words": [EVIL, "b"], "caption": EVIL},
                            {"onehot": [[1, 0], [0, 1]], "vectors": [[0.1, 0.2], [0.3, 0.4]],
                             "onehot_cosine": [[1, 0], [0, 1]], "dense_cosine": [[1, 0.5], [0.5, 1]],
                             "dims": 2, "compared": []}),
        "embedding-map": ({"groups": {EVIL: ["a", "b"], "g2": ["c", EVIL + "2"]}, "methods": ["pca"],
                           "caption": EVIL},
                          {"full_agreement": 1.0, "maps": {"pca": {"coords": [[0, 0], [0, 1], [1, 0], [1, 1]],
                                                                    "agreement": 1.0}}}),
        "rank-exercise": ({"prompt": EVIL, "pairs": {"A": [EVIL, "b"], "B": ["c", "d"]}, "explanation": EVIL},
                          {"scores": [0.2, 0.7]}),
    }
    for kind, (data, result) in cases.items():
        block = REGISTRY[kind]
        out = block.render(block.parse(data), result, ctx())
        assert "<script>" not in out, kind
        assert "&lt;script&gt;" in out, kind
        for fig in figure_payloads(out):
            assert "data" in fig and "layout" in fig


def test_false_claim_is_shown_on_the_page():
    from lexicon.claims import Claim
    from lexicon.render import claims_html

    out = claims_html([Claim(statement="the top answer is 'x'", ok=False, actual=EVIL)])
    assert "False claim" in out and "<script>" not in out
