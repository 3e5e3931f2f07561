"""The Python shown on the Embedding page is true: run it, get the numbers the page shows."""

import ast
import contextlib
import io

from bs4 import BeautifulSoup


def test_model_card_code_reproduces_the_analogy_table(built_site):
    page = BeautifulSoup((built_site / "terms" / "embedding" / "index.html").read_text(), "html.parser")
    code = page.select_one(".ll-block--model-card pre code").get_text()
    assert "most_similar" in code
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "model-card snippet", "exec"), {})  # noqa: S102 - our own page's code
    printed = ast.literal_eval(out.getvalue().strip().splitlines()[-1])
    king = page.select(".ll-block--analogy")[0]
    rows = [[td.get_text() for td in tr.select("td")] for tr in king.select("table")[0].select("tbody tr")]
    assert [w for w, _ in printed] == [r[0] for r in rows]
    assert [f"{s:.4f}" for _, s in printed] == [r[1] for r in rows]


def test_each_blocks_gensim_call_is_the_call_that_was_made(built_site, kv):
    page = BeautifulSoup((built_site / "terms" / "embedding" / "index.html").read_text(), "html.parser")
    for block in page.select(".ll-block--analogy"):
        call = block.select_one("details.ll-code code").get_text().strip()
        answers = eval(call, {"kv": kv})  # noqa: S307 - our own page's code
        rows = [[td.get_text() for td in tr.select("td")] for tr in block.select("table")[0].select("tbody tr")]
        # A query word counted in (query_words: true) is marked as such in the table.
        assert [(w, f"{s:.4f}") for w, s in answers] == [(r[0].replace(" (a query word)", ""), r[1]) for r in rows]
