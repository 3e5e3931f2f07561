"""The claims audit: grouped by page (catalog/audits.py) and filtered in the browser (audit.js).

The listing is one closed <details> per page (open when the page makes a false claim), with a
summary of the whole build on top; the filters are hidden in the HTML and shown by audit.js.
tests/test_benchmarks.py checks that every claim of the real build is listed and every link
lands; test_offline.py that the filters work from file://.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from lexicon.catalog import claim_pages
from lexicon.catalog.audits import claims_audit_html, claims_overview_html
from lexicon.catalog.categories import Category
from lexicon.engine.checks import Claim, Where

TITLES = {"terms/cosine-similarity.md": "Cosine similarity", "terms/word-analogy.md": "Word analogy",
          "terms/evil.md": 'A & <b>"evil"</b>'}


def claim(page, kind, ok=True, statement="s", actual="a", anchor="blk", line=1):
    return Claim(statement, ok, actual, Where(f"docs/{page}", line, kind, page, anchor))


def audit(claims):
    html = claims_audit_html(claims, lambda src: "../" + (src[:-3] + "/" if src.endswith(".md") else src),
                             lambda src: TITLES.get(src, src))
    return html, BeautifulSoup(html, "html.parser")


def test_one_group_per_page_with_its_counts_and_false_groups_open():
    claims = ([claim("terms/word-analogy.md", "analogy", line=i) for i in range(3)]
              + [claim("terms/cosine-similarity.md", "similarity", line=i) for i in range(4)]
              + [claim("terms/cosine-similarity.md", "neighbours", ok=False, statement="cat is near car", line=9)])
    _, soup = audit(claims)
    groups = soup.select("div.ll-audit > details.ll-audit__page")
    assert [g["data-page"] for g in groups] == ["terms/cosine-similarity.md", "terms/word-analogy.md"]  # by title
    cos, ana = groups
    assert cos.summary.get_text() == "Cosine similarity — 5 claims, 1 false"
    assert ana.summary.get_text() == "Word analogy — 3 claims, all hold"
    assert len(cos.select("tbody tr")) == 5 and len(ana.select("tbody tr")) == 3
    assert cos.has_attr("open") and "failure" in cos["class"]
    assert not ana.has_attr("open") and "success" in ana["class"]
    bad = cos.select('tbody tr[data-status="false"]')
    assert len(bad) == 1 and "cat is near car" in bad[0].get_text() and bad[0]["data-kind"] == "neighbours"
    assert bad[0].select_one("a")["href"] == "../terms/cosine-similarity/#blk"
    assert len(soup.select('tr[data-status="holds"]')) == 7
    # The summary on top: totals, and the claims of each block kind.
    total = soup.select_one(".ll-audit__total").get_text()
    assert total.startswith("8 claims on 2 pages were checked") and "1 false" in total
    assert soup.select_one(".ll-audit")["data-total"] == "8" and soup.select_one(".ll-audit")["data-false"] == "1"
    kinds = [li.get_text() for li in soup.select("ul.ll-audit__kinds > li")]
    assert kinds == ["analogy 3", "neighbours 1 (1 false)", "similarity 4"]
    # The filters: hidden until audit.js shows them; each page and kind is a choice, with its count.
    form = soup.select_one("form.ll-audit__filters")
    assert form.has_attr("hidden")
    assert [o.get_text() for o in form.select("select[name=page] option")] == [
        "all pages", "Cosine similarity (5)", "Word analogy (3)"]
    assert [o["value"] for o in form.select("select[name=kind] option")] == ["", "analogy", "neighbours", "similarity"]
    assert [o["value"] for o in form.select("select[name=status] option")] == ["", "holds", "false"]
    assert soup.select_one(".ll-audit__count")["role"] == "status"
    # The filters' script is loaded by this page only (not by every page's first load).
    assert soup.select_one("div.ll-audit > script")["src"] == "../assets/javascripts/audit.js"


def test_a_green_build_opens_no_group():
    html, soup = audit([claim("terms/word-analogy.md", "analogy")])
    assert not soup.select("details[open]")
    assert soup.select_one("details.ll-audit__page summary").get_text() == "Word analogy — 1 claim, it holds"
    assert "all of them hold" in soup.select_one(".ll-audit__total").get_text()
    assert audit([])[0] == "<p>No page makes a claim yet.</p>\n"


def test_every_text_is_escaped():
    evil = '<script>alert("x")</script> & co'
    html, soup = audit([claim("terms/evil.md", 'k"ind<', statement=evil, actual=evil, anchor='a"b')])
    assert "<script>" not in html and "<b>" not in html
    assert soup.select_one(".ll-audit__title").get_text() == TITLES["terms/evil.md"]
    row = soup.select_one("tbody tr")
    assert row["data-kind"] == 'k"ind<' and row.select_one("a")["href"] == '../terms/evil/#a"b'
    assert [td.get_text() for td in row.select("td")[2:]] == [evil, evil]
    assert soup.select_one("select[name=page] option[value='terms/evil.md']").get_text() == TITLES["terms/evil.md"] + " (1)"


def test_the_parts_are_the_categories_first_parts_in_order_then_the_other_pages():
    cats = [Category("Foundations / Text and Tokens", ""), Category("Similarity & Distance", ""),
            Category("Foundations / Other", ""), Category("Machine Learning / Models", "")]
    assert claim_pages.groups(cats) == [("foundations", "Foundations"), ("similarity-distance", "Similarity & Distance"),
                                        ("machine-learning", "Machine Learning"), ("other-pages", "Other pages")]

    class Index:
        terms = {"cosine-similarity": type("T", (), {"category": ["Similarity & Distance"]})()}
    assert claim_pages.group_of("terms/cosine-similarity.md", Index) == "similarity-distance"
    assert claim_pages.group_of("terms/gone.md", Index) == "other-pages"
    assert claim_pages.group_of("notebooks/train-word2vec.ipynb", Index) == "other-pages"


def test_the_overview_links_each_part_and_lists_false_claims_in_full():
    claims = ([claim("terms/word-analogy.md", "analogy", line=i) for i in range(3)]
              + [claim("terms/cosine-similarity.md", "similarity", line=i) for i in range(4)]
              + [claim("terms/cosine-similarity.md", "neighbours", ok=False, statement="cat is near <car>", line=9)])
    group = {"terms/word-analogy.md": "behaviour", "terms/cosine-similarity.md": "similarity"}
    html = claims_overview_html(claims, [("similarity", "Similarity & Distance"), ("empty", "Empty"),
                                         ("behaviour", "Behaviour & Evaluation")],
                                group.get, lambda g: f"{g}/", lambda src: "../" + src[:-3] + "/", TITLES.get)
    soup = BeautifulSoup(html, "html.parser")
    parts = [[td.get_text() for td in tr.select("td")] for tr in soup.select(".ll-audit__groups table tbody tr")]
    assert parts == [["Similarity & Distance", "1", "5", "1 false"], ["Behaviour & Evaluation", "1", "3", "all hold"]]
    assert [a["href"] for a in soup.select(".ll-audit__groups table a")] == ["similarity/", "behaviour/"]
    assert soup.select_one(".ll-audit__total").get_text().startswith("8 claims on 2 pages were checked")
    false = soup.select(".ll-audit__false table tbody tr")
    assert len(false) == 1 and "cat is near <car>" in false[0].get_text() and "<car>" not in html
    assert false[0].select_one("a")["href"] == "../terms/cosine-similarity/#blk"
    green = claims_overview_html(claims[:3], [("behaviour", "B")], group.get, str, str, TITLES.get)
    assert "ll-audit__false" not in green and "all of them hold" in green


# --- In the browser, on the built site -------------------------------------------------------

def _visible_rows(page):
    return page.locator("details.ll-audit__page tbody tr:visible")


def _shown(page) -> int:
    m = re.search(r"Showing (?:all )?([\d,]+) claims?", page.locator(".ll-audit__count").text_content())
    return int(m.group(1).replace(",", ""))


PART = "claims/behaviour-evaluation/"     # the part of the audit that holds Word analogy's claims


@pytest.mark.browser
def test_audit_opens_short_with_every_group_closed(site_url, new_page):
    page = new_page()
    page.goto(site_url + "index.html")       # reached by instant navigation, as from the menu
    page.locator("nav.md-nav a[href$='claims/']").first.click()
    page.wait_for_url("**/claims/")
    everything = int(page.locator(".ll-audit").get_attribute("data-total"))
    assert everything > 300
    page.locator(".ll-audit__groups table a", has_text="Machine Learning").click()
    page.wait_for_url("**/claims/machine-learning/")
    expect(page.locator("article h1")).to_contain_text("Claims audit: Machine Learning")   # the content swapped too
    total = int(page.locator(".ll-audit").get_attribute("data-total"))
    assert 100 < total < everything
    expect(page.locator("form.ll-audit__filters")).to_be_visible()
    expect(page.locator("details.ll-audit__page[open]")).to_have_count(0)     # a green build
    expect(page.locator(".ll-audit__count")).to_have_text(re.compile(rf"^Showing all {total:,} claims on \d+ pages\.$"))
    height = page.evaluate("document.documentElement.scrollHeight")
    groups = page.locator("details.ll-audit__page").count()
    # One closed line per page (it was about 34,000 px as one table of every claim at 31 terms).
    assert height < 1500 + 60 * groups, (height, groups)
    assert page.locator("details.ll-audit__page tbody tr").count() == total   # all there, closed


@pytest.mark.browser
def test_filtering_by_kind_shows_only_that_kind_and_says_how_many(site_url, new_page):
    page = new_page()
    page.goto(site_url + PART)
    kind = "analogy"
    expected = page.locator(f'details.ll-audit__page tr[data-kind="{kind}"]').count()
    assert expected > 5
    page.get_by_label("Kind").select_option(kind)
    rows = _visible_rows(page)
    expect(rows).to_have_count(expected)
    assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.kind)")) == {kind}
    assert set(rows.evaluate_all("rs => rs.map(r => r.cells[1].textContent)")) == {kind}
    assert _shown(page) == expected
    groups = page.locator("details.ll-audit__page:visible")
    assert groups.count() == page.locator("details.ll-audit__page[open]").count() > 1  # those with matches open
    # Narrowed further to one page, then back to everything as it opened.
    page.get_by_label("Page").select_option("terms/word-analogy.md")
    n = page.locator('details[data-page="terms/word-analogy.md"] tr[data-kind="analogy"]').count()
    expect(rows).to_have_count(n)
    assert _shown(page) == n and page.locator("details.ll-audit__page:visible").count() == 1
    page.get_by_role("button", name="Show all").click()
    expect(page.locator(".ll-audit__count")).to_have_text(re.compile(r"^Showing all "))
    expect(page.locator("details.ll-audit__page[open]")).to_have_count(0)
    expect(page.locator("details.ll-audit__page:visible")).to_have_count(page.locator("details.ll-audit__page").count())


@pytest.mark.browser
def test_status_false_in_a_green_build_says_there_are_none(site_url, new_page):
    page = new_page(color_scheme="dark")
    page.goto(site_url + PART)
    assert page.locator(".ll-audit").get_attribute("data-false") == "0"
    page.get_by_label("Status").select_option("false")
    count = page.locator(".ll-audit__count")
    expect(count).to_have_text(re.compile(r"^No false claims: all [\d,]+ claims hold in this build\.$"))
    expect(count).to_have_class(re.compile("ll-audit__count--good"))
    expect(_visible_rows(page)).to_have_count(0)
    expect(page.locator("details.ll-audit__page:visible")).to_have_count(0)
    page.get_by_label("Status").select_option("holds")
    assert _shown(page) == int(page.locator(".ll-audit").get_attribute("data-total"))


@pytest.mark.browser
def test_filters_and_groups_work_from_the_keyboard(site_url, new_page):
    page = new_page()
    page.goto(site_url + PART)
    status = page.get_by_label("Status")
    for _ in range(300):         # Tab from the top of the page (past the whole nav) reaches the filters
        page.keyboard.press("Tab")
        if status.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the Status filter")
    # By name: a label's text also holds its select's options, which may repeat "Words" (a page title).
    for name in ("page", "kind", "words"):
        page.keyboard.press("Tab")
        expect(page.locator(f'select[name="{name}"], input[name="{name}"]')).to_be_focused()
    page.keyboard.type("queen")
    expect(_visible_rows(page).first).to_be_visible()
    assert _shown(page) == _visible_rows(page).count() > 0
    assert all("queen" in t.lower() for t in _visible_rows(page).all_text_contents())
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show all")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".ll-audit__count")).to_have_text(re.compile(r"^Showing all "))
    page.keyboard.press("Tab")      # the first page's group
    first = page.locator("details.ll-audit__page").first
    expect(first.locator("summary")).to_be_focused()
    expect(first).to_have_js_property("open", False)
    page.keyboard.press("Enter")
    expect(first).to_have_js_property("open", True)
    expect(first.locator("tbody tr").first).to_be_visible()
    page.keyboard.press("Enter")
    expect(first).to_have_js_property("open", False)


@pytest.mark.browser
def test_without_javascript_the_listing_is_complete(site_url, new_page):
    page = new_page(java_script_enabled=False)
    page.goto(site_url + PART)
    expect(page.locator("form.ll-audit__filters")).to_be_hidden()
    total = int(page.locator(".ll-audit").get_attribute("data-total"))
    assert page.locator("details.ll-audit__page tbody tr").count() == total
    page.locator("details.ll-audit__page summary").first.click()
    expect(page.locator("details.ll-audit__page").first.locator("tbody tr").first).to_be_visible()
