"""Page weight: the Embedding page of the warm build, and a naive copy with plotly.js in every figure.

The weight is lexicon.pageweight's (first load and total, raw and gzip -9), the code
tests/test_budget.py holds to its budget. The naive page is the same page with every
figure written as plotly.py's ``to_html(fig, include_plotlyjs=True, full_html=False)``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from lexicon import pageweight
from lexicon.pageweight import PLOTLY, VECTORS

from .common import PAGE, BenchError, check

# PLOTLY (assets/vendor/plotly.min.js) is loaded lazily by figures.js, VECTORS
# (assets/explorer/vectors.js) by explorer.js: neither is part of first load.
# The naive page: the Embedding page with plotly.js inlined in every figure (plotly.py's to_html).
# Same depth as PAGE, so its relative URLs (CSS, scripts) resolve to the same files.
NAIVE_PAGE = "terms/embedding-naive/index.html"
# A figure as render.figure() writes it: an empty div carrying the figure's JSON.
PLOT_DIV = re.compile(r"""<div class="ll-plot"[^>]*?\sdata-figure='(?P<json>[^']*)'[^>]*></div>""")


def page_weight(site: Path, page: str = PAGE) -> dict:
    """lexicon.pageweight.page_weight (the code tests/test_budget.py holds to its budget), checked."""
    check((site / page).is_file(), f"{page} is not in the built site")
    check((site / PLOTLY).is_file(), f"{PLOTLY} is not in the built site")
    try:
        return pageweight.page_weight(site, page)
    except ValueError as exc:     # another host, outside the site, or a missing file
        raise BenchError(f"{exc}: the page cannot be weighed") from None


def embedding_page(site: Path) -> dict:
    """page_weight() of the Embedding page; checks that plotly.js and the explorer's data stay lazy."""
    weight = page_weight(site)
    check(not weight["plotly"]["in_first_load_html"],
          f"{PAGE} loads {PLOTLY} with a <script src>: it is no longer lazy")
    check(VECTORS not in weight["first_load"]["files"],
          f"{PAGE} loads {VECTORS} with a <script src>: it is no longer lazy")
    weight["search_index"] = pageweight.search_index_weight(site)   # fetched on a first visit too
    return weight


def naive_weight(site: Path) -> dict:
    """First-load weight of the Embedding page as a naive page would be: plotly.js in every figure.

    A copy of PAGE in which every figure's div is replaced by what plotly.py's
    ``to_html(fig, include_plotlyjs=True, full_html=False)`` writes for the same figure
    (the whole plotly.js bundle of plotly.py, inline, then the figure), written to
    NAIVE_PAGE in the same site and weighed by page_weight().
    """
    import plotly
    import plotly.io as pio

    text = (site / PAGE).read_text(encoding="utf-8")
    figures = page_weight(site, PAGE)["figures"]

    def inline(m: re.Match) -> str:
        fig = pio.from_json(html.unescape(m.group("json")))
        return pio.to_html(fig, include_plotlyjs=True, full_html=False)

    naive, n = PLOT_DIV.subn(inline, text)
    check(n > 0 and n == figures, f"{PAGE}: replaced {n} figure divs, but the page has {figures} "
                                  "elements with data-figure: PLOT_DIV no longer matches render.figure()")
    out = site / NAIVE_PAGE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(naive, encoding="utf-8")
    weight = page_weight(site, NAIVE_PAGE)
    check(weight["figures"] == 0, f"{NAIVE_PAGE} still has {weight['figures']} data-figure elements")
    return {"page": NAIVE_PAGE, "figures_inlined": n, "plotly_py": plotly.__version__,
            "html": weight["html"], "first_load": weight["first_load"]}


def naive_page(site: Path, weight: dict) -> dict:
    """naive_weight(site), and how much heavier it is than ours (`weight`: embedding_page(site))."""
    naive = naive_weight(site)
    ours = weight["first_load"]["gzip_bytes"]
    naive["naive_over_ours_first_load_gzip"] = round(naive["first_load"]["gzip_bytes"] / ours, 1)
    naive["naive_over_ours_first_load_raw"] = round(
        naive["first_load"]["raw_bytes"] / weight["first_load"]["raw_bytes"], 1)
    # Ours once a figure is drawn (plotly.js loaded): naive first load / our total.
    naive["naive_over_ours_total_gzip"] = round(
        naive["first_load"]["gzip_bytes"] / weight["total"]["gzip_bytes"], 1)
    return naive
