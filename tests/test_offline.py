"""The offline bundle works from file:// with every request to anything but file: aborted."""

import re

import pytest
from playwright.sync_api import expect

from browser_util import draw_all

pytestmark = pytest.mark.browser


@pytest.fixture
def offline_page(browser, offline_site):
    """A page that may load only file: URLs (and data:/blob:); everything else is aborted and counted."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.outside = []
    page.errors = []

    def gate(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            page.outside.append(url)
            route.abort()

    context.route("**/*", gate)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.root = offline_site.as_uri()
    yield page
    context.close()


def test_zip_has_index_html_at_the_top_and_is_reproducible(offline_zip, tmp_path):
    import zipfile

    from lexicon.offline_bundle import zip_site

    with zipfile.ZipFile(offline_zip) as z:
        names = z.namelist()
        assert "index.html" in names and "terms/embedding.html" in names
        assert "assets/vendor/plotly.min.js" in names and "assets/explorer/vectors.js" in names
        assert names == sorted(names)
        z.extractall(tmp_path / "a")
    zip_site(tmp_path / "a", tmp_path / "again.zip")
    assert (tmp_path / "again.zip").read_bytes() == offline_zip.read_bytes()


def test_bundle_has_no_directory_urls_and_no_instant_navigation(offline_site):
    html = (offline_site / "terms" / "embedding.html").read_text()
    assert "navigation.instant" not in html
    assert 'src="../assets/vendor/iframe-worker-shim.js"' in html
    assert "unpkg" not in html
    assert (offline_site / "search" / "search_index.js").exists()


def test_every_figure_on_every_page_draws_from_file_url(offline_page, offline_site):
    page = offline_page
    pages = sorted(p.relative_to(offline_site).as_posix() for p in offline_site.rglob("*.html")
                   if "data-figure" in p.read_text())
    assert "terms/embedding.html" in pages and len(pages) >= 5
    for rel in pages:
        page.goto(f"{page.root}/{rel}")
        assert draw_all(page) >= 1, rel
    assert page.outside == [] and page.errors == []


def answer(ex) -> None:
    """Answer an exercise with the model's own answer, read from its data."""
    data = ex.evaluate("el => JSON.parse(el.dataset.answer)")
    if data["kind"] == "rank":
        for rank, key in enumerate(data["order"], start=1):
            ex.locator(f'select[name="{key}"]').select_option(str(rank))
    elif data["kind"] in ("odd-one-out", "choice"):
        radios = ex.locator("input[type=radio]")
        values = radios.evaluate_all("rs => rs.map(r => r.value)")
        radios.nth(values.index(str(data["answer"]))).check()
    else:
        ex.locator("input[type=text]").fill(data["accepted"][0])
    ex.locator("button.ll-exercise__check").click()
    expect(ex.locator("[role=status]")).to_contain_text("Right")
    expect(ex.locator(".ll-exercise__reveal")).to_be_visible()


def test_exercises_and_explorer_work_from_file_url(offline_page, offline_site):
    page = offline_page
    exercise_pages = sorted(p.relative_to(offline_site).as_posix()
                            for p in (offline_site / "terms").glob("*.html") if "data-exercise" in p.read_text())
    assert "terms/embedding.html" in exercise_pages
    kinds = set()
    for rel in exercise_pages:
        page.goto(f"{page.root}/{rel}")
        exercises = page.locator("[data-exercise]")
        for i in range(exercises.count()):
            ex = exercises.nth(i)
            kinds.add(ex.get_attribute("data-exercise"))
            answer(ex)
    assert kinds == {"rank", "odd-one-out", "analogy", "choice"}
    # The explorer loads its vectors by <script> (no fetch) and answers.
    page.goto(page.root + "/explorer.html")
    top = page.evaluate("""async () => {
        const api = await window.LatentLexicon.explorer.load();
        return api.analogy(['king', 'woman'], ['man'], 5)[0][0];
    }""")
    assert top == "queen"
    assert page.outside == [] and page.errors == []


def test_search_works_from_file_url(offline_page):
    page = offline_page
    page.goto(page.root + "/index.html")
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially("distributional", delay=20)  # Material searches on key events
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=10_000)
    expect(page.locator(".md-search-result")).to_contain_text("Distributional hypothesis")   # the term page
    assert page.outside == [] and page.errors == []


def test_claims_audit_filters_from_file_url(offline_page):
    page = offline_page
    page.goto(page.root + "/claims.html")
    page.get_by_label("Kind").select_option("analogy")
    rows = page.locator("details.ll-audit__page tbody tr:visible")
    expect(rows.first).to_be_visible()
    n = rows.count()
    assert n == page.locator('details.ll-audit__page tr[data-kind="analogy"]').count() > 0
    expect(page.locator(".ll-audit__count")).to_have_text(re.compile(rf"^Showing {n} claims of "))
    assert page.outside == [] and page.errors == []


def test_navigation_between_pages_from_file_url(offline_page):
    page = offline_page
    page.goto(page.root + "/index.html")
    page.locator("article a[href$='terms/embedding.html']").first.click()
    page.wait_for_url("**/terms/embedding.html")
    expect(page.locator("h1")).to_have_text("Embedding")
    page.locator("nav.md-nav a[href$='explorer.html']").first.click()
    page.wait_for_url("**/explorer.html")
    page.go_back()
    page.wait_for_url("**/terms/embedding.html")
    assert page.outside == [] and page.errors == []
