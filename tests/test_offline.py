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


def test_zip_holds_one_folder_with_index_html_and_is_reproducible(offline_zip, tmp_path):
    import zipfile

    from lexicon.offline_bundle import FIXED_DATE, zip_site

    with zipfile.ZipFile(offline_zip) as z:
        infos = z.infolist()
        names = [i.filename for i in infos]
        # Unzipping makes one folder, not 200 files where the reader unzips it.
        assert {n.split("/", 1)[0] for n in names} == {"latent-lexicon"}
        assert all(n.startswith("latent-lexicon/") and "/" in n.rstrip("/") for n in names)
        assert "latent-lexicon/index.html" in names and "latent-lexicon/terms/embedding.html" in names
        assert "latent-lexicon/assets/vendor/plotly.min.js" in names
        assert "latent-lexicon/assets/explorer/vectors.js" in names
        assert names == sorted(names) and {i.date_time for i in infos} == {FIXED_DATE}
        z.extractall(tmp_path / "a")
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["latent-lexicon"]
    zip_site(tmp_path / "a" / "latent-lexicon", tmp_path / "again.zip")
    assert (tmp_path / "again.zip").read_bytes() == offline_zip.read_bytes()


def test_the_unzipped_folder_opens_from_file_url(offline_page, offline_site):
    """What the README and the instructors page say: unzip, open latent-lexicon/index.html."""
    page = offline_page
    assert offline_site.name == "latent-lexicon"
    page.goto((offline_site / "index.html").as_uri())
    expect(page.locator("h1")).to_contain_text("Latent Lexicon")
    assert page.outside == [] and page.errors == []


def test_offline_instructors_page_says_it_is_the_offline_copy_and_links_no_missing_file(
        offline_page, offline_site):
    """The offline bundle holds no zip: its instructors page links none, and every link it has
    reaches a file of the bundle."""
    page = offline_page
    page.goto(page.root + "/instructors.html")
    note = page.locator(".ll-download")
    expect(note).to_be_visible()
    expect(note).to_contain_text("You are reading the offline copy")
    assert page.locator("a[href*='.zip']").count() == 0
    hrefs = page.locator("a[href]").evaluate_all("as => as.map(a => a.href)")
    local = [h for h in hrefs if h.startswith("file:")]
    assert len(local) > 20
    missing = [h for h in local if not _file_of(h).exists()]
    assert missing == []
    assert page.outside == [] and page.errors == []


def _file_of(url: str):
    from pathlib import Path
    from urllib.parse import unquote, urlsplit

    path = Path(unquote(urlsplit(url).path))
    return path / "index.html" if url.split("#")[0].endswith("/") else path


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
    page.goto(page.root + "/claims/behaviour-evaluation.html")
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
