"""The speed budget, from the built files (bytes are deterministic): first load ≤ 200 KB gzip."""

import html
import json
import re

import pytest

from lexicon.engine.registry import families
from lexicon.pageweight import GROWN_TO, PLOTLY, VECTORS, page_weight, search_index_weight

BUDGET_GZIP = 200_000
# Every family's page of the block reference too: one page per family keeps each within budget.
PAGES = ["terms/embedding/index.html", "index.html", "explorer/index.html", "authoring/index.html",
         "blocks/index.html"] + [f"blocks/{family.name}/index.html" for family in families()]


@pytest.mark.parametrize("page", PAGES)
def test_first_load_within_budget(built_site, page):
    weight = page_weight(built_site, page)
    assert weight["first_load"]["gzip_bytes"] <= BUDGET_GZIP, weight["first_load"]
    # plotly.js and the explorer's vectors stay out of first load: our scripts fetch them lazily.
    assert not weight["plotly"]["in_first_load_html"]
    assert all(VECTORS not in f and PLOTLY not in f for f in weight["first_load"]["files"])


def test_first_load_with_the_search_index_fits_at_150_terms(built_site):
    """Material fetches the search index on a reader's first visit: the heaviest term page's first
    load plus the index, projected to the glossary's size after issue 15, stays within budget."""
    index = search_index_weight(built_site)
    page = page_weight(built_site, "terms/embedding/index.html")["first_load"]["gzip_bytes"]
    assert index["terms"] >= 30 and index["projected_terms"] == max(GROWN_TO, index["terms"])
    assert page + index["projected_gzip_bytes"] <= BUDGET_GZIP, (page, index)


def test_figures_reserve_their_box_and_carry_compact_json(built_site):
    text = (built_site / "terms" / "embedding" / "index.html").read_text()
    plots = re.findall(r'<div class="ll-plot"[^>]*>', text)
    assert len(plots) >= 13
    for tag in plots:
        assert re.search(r'style="height:\d+px"', tag), tag  # no layout shift when drawn
        figure = html.unescape(re.search(r"data-figure='([^']*)'", tag).group(1))
        compact = json.dumps(json.loads(figure), separators=(",", ":"), ensure_ascii=False)
        assert len(figure) == len(compact)  # no whitespace between tokens
        for number in re.findall(r"-?\d+\.(\d+)", figure):
            assert len(number) <= 4, f"a float with {len(number)} decimals in a figure"
