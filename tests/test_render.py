"""The frame and the HTML helpers: author strings escaped, figure JSON intact, the switches."""

import html
import json
import re

from lexicon.engine.checks import Claim
from lexicon.engine.frame import RenderContext, block_html, exercise_html
from lexicon.engine.pieces import Caption, Choices, Code, Details, Figure, Html, Note, Tab, Table, Tabs, Text
from lexicon.render import attr_json, author_markdown, claims_html

MODEL = {"name": "Test <b>model</b>", "format": "glove", "sha256": "ab" * 32}
EVIL = "<script>alert('x')</script>"
CTX = RenderContext(anchor="block-1", model_id=MODEL)


def figure_payloads(page_html):
    return [json.loads(html.unescape(m)) for m in re.findall(r"data-figure='([^']*)'", page_html)]


def fig():
    import plotly.graph_objects as go

    return go.Figure(go.Bar(x=[1, 2], y=[EVIL, "b"]))


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


def test_the_frame_escapes_every_part_and_keeps_figure_data_intact():
    parts = [Text(EVIL), Caption(f"*{EVIL}*"), Table(["h", EVIL], [[EVIL, 1.5]]),
             Figure(fig, alt=EVIL, height=200, caption=EVIL, table=Table(["x"], [[EVIL]])),
             Details(EVIL, [Text(EVIL)]), Tabs([Tab(EVIL, "one", [Text(EVIL)])]), Code(f"print({EVIL!r})")]
    claims = [Claim(f"the word is '{EVIL}'", True, EVIL)]
    out = block_html("analogy", parts, CTX, claims)
    assert "<script>" not in out and "<b>model</b>" not in out and "&lt;script&gt;" in out
    assert out.startswith('<div class="ll-block ll-block--analogy" id="block-1">')
    assert out.index('class="ll-claims"') < out.index('class="ll-code"') < out.index('class="ll-model"')
    [payload] = figure_payloads(out)
    assert payload["data"][0]["y"] == [EVIL, "b"]  # the data is intact; plotly draws it as text
    assert 'id="block-1-figure"' in out and 'id="block-1-one-tab"' in out


def test_figure_and_code_switches():
    parts = [Figure(fig, alt="a", height=200, caption="*mine*", table=Table(["n"], [[1]])), Code("x = 1")]
    off = block_html("k", parts, CTX, [], figures=False, code=False)
    assert not figure_payloads(off) and "<em>mine</em>" in off and ">1</th>" in off and "ll-code" not in off
    gone = block_html("k", [Figure(fig, alt="a", height=200, fallback=False, table=Table(["n"], [[1]]))],
                      CTX, [], figures=False)
    assert "<table>" not in gone
    silent = block_html("k", [Html("<p>x</p>"), Note("")], CTX, [])
    assert "ll-model" not in silent


def test_an_exercise_hides_its_answer_and_names_its_grader():
    ex = Choices(["a", EVIL], EVIL, {"a": "no", EVIL: "yes"}, [Text("reveal")])
    out = exercise_html("odd-one-out", f"Which? {EVIL}", ex, f"Because {EVIL}", CTX, [Claim("c", True, "x")])
    assert "<script>" not in out and 'data-exercise="choice"' in out and "ll-exercise--odd-one-out" in out
    reveal = out[out.index("<section"):out.index("</section>")]
    assert "hidden data-search-exclude" in reveal and "reveal" in reveal and "ll-claims" in reveal
    assert "Because &lt;script&gt;" in reveal


def test_false_claim_is_shown_on_the_page():
    out = claims_html([Claim(statement="the top answer is 'x'", ok=False, actual=EVIL)])
    assert "False claim" in out and "<script>" not in out


def test_true_claims_fold_into_one_summary_and_a_false_one_stays_outside():
    ok = [Claim("a holds", True, "x"), Claim("b holds", True, "y")]
    out = claims_html(ok + [Claim("c holds", False, "it is d")])
    folded = out[out.index("<details"):out.index("</details>")]
    assert out.count("<details") == 1 and "Verified against the model (2)</summary>" in folded
    assert "a holds" in folded and "b holds" in folded and "c holds" not in folded
    assert out.index("False claim") < out.index("<details")
    mixed = claims_html([Claim("a", True, "x", against="the corpus"), Claim("b", True, "y")])
    assert "Verified (2)</summary>" in mixed and "Checked against the corpus: a." in mixed
    assert "<details" not in claims_html([Claim("c holds", False, "it is d")])


def test_table_cells_reach_the_search_index_as_separate_words():
    # Material's indexer keeps only the whitespace between tags. Cells written back to back became
    # one token ("rankwordcosine1queen0.8524…"); thousands of such digit-laden tokens corrupted
    # lunr's token set and made the browser's search fail for "cosine" with a TypeError.
    from material.plugins.search.plugin import Parser

    from lexicon.render import table

    parser = Parser()
    parser.feed(table(["Rank", "Word", "Cosine"], [[1, "queen", "0.8524"], [2, "throne", "0.7765"]]))
    parser.close()
    words = "".join(parser.data[0].text).split()
    assert words == ["Rank", "Word", "Cosine", "1", "queen", "0.8524", "2", "throne", "0.7765"]


def test_every_axis_of_every_figure_gets_automargin():
    """With BASE_LAYOUT's 8 px margins, an axis without automargin has its labels cut off."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from lexicon.figures import BASE_LAYOUT, dumps_figure

    plain = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    plain.update_layout(**BASE_LAYOUT, xaxis={"title": "x"})
    layout = json.loads(dumps_figure(plain))["layout"]
    assert layout["xaxis"] == {"title": {"text": "x"}, "automargin": True}
    assert layout["yaxis"] == {"automargin": True}
    pair = make_subplots(rows=1, cols=2)
    pair.add_trace(go.Bar(x=[1], y=[2]), row=1, col=2)
    pair.update_xaxes(automargin=False, row=1, col=1)  # a figure's own choice wins
    layout = json.loads(dumps_figure(pair))["layout"]
    assert [layout[a]["automargin"] for a in ("xaxis", "yaxis", "xaxis2", "yaxis2")] == [False, True, True, True]


def test_a_log_axis_of_one_to_two_and_a_half_decades_asks_for_1_2_5_ticks_written_in_full():
    """plotly.js marks every digit of such an axis with the digit alone, and on a phone the labels
    overlapped (the browser test holds the real pages); shorter and longer axes are left alone."""
    import plotly.graph_objects as go

    from lexicon.figures import dumps_figure, log_ticks

    assert log_ticks(1.6) == {"nticks": 4, "minorloglabels": "complete"}
    assert log_ticks(1.0)["nticks"] == 3 and log_ticks(2.5)["nticks"] == 6
    assert log_ticks(0.9) == log_ticks(2.6) == log_ticks(None) == {}

    def y_axis(ys, **axis):
        fig = go.Figure(go.Scatter(x=list(range(len(ys))), y=ys))
        fig.update_layout(yaxis=dict(type="log", **axis))
        return json.loads(dumps_figure(fig))["layout"]["yaxis"]

    assert y_axis([5000, 200_000])["nticks"] == 4                       # 1.6 decades of data
    assert "nticks" not in y_axis([0.1, 0.8])                            # under a decade: linear ticks
    assert "nticks" not in y_axis([10, 1e6])                             # five decades: whole decades
    assert y_axis([1, 2], range=[0, 2])["nticks"] == 5                   # a set range counts, not the data
    assert "nticks" not in y_axis([5000, 200_000], tickvals=[1e4, 1e5])   # a figure's own ticks win
    assert "nticks" not in y_axis([0, -1, 5000, 200_000][:2])             # no positive value: nothing known


def test_a_figure_that_cannot_be_dragged_is_an_image_and_shows_no_text_of_its_own():
    import plotly.graph_objects as go

    from lexicon.figures import BASE_LAYOUT
    from lexicon.render import figure

    still = go.Figure(go.Bar(x=[1], y=["a"]))
    still.update_layout(**BASE_LAYOUT)
    out = figure(still, alt="A bar", caption="c", data_table=None, height=200, anchor="f")
    assert 'role="img" aria-label="A bar"' in out and "></div><figcaption>" in out
    still.update_layout(dragmode="pan")
    out = figure(still, alt="A map", caption="c", data_table=None, height=200, anchor="f")
    assert 'role="group" aria-label="A map"' in out
