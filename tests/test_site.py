"""Read the built site: the Embedding page has everything a reader is promised."""

import gzip
import html
import json
import re
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.site

SECTIONS = ["Definition", "Key Concepts", "Examples", "Interactive Exercise", "Pro Tips", "Related Terms", "References"]


@pytest.fixture(scope="module")
def page(built_site):
    return BeautifulSoup((built_site / "terms" / "embedding" / "index.html").read_text(), "html.parser")


def test_header_breadcrumb_level_aliases(page):
    header = page.select_one("header.ll-term-header")
    assert [li.get_text(strip=True) for li in header.select(".ll-breadcrumb li")] == \
        ["Model Internals", "Representations"]
    assert header.select_one("h1").get_text(strip=True) == "Embedding"
    assert header.select_one(".ll-level__label").get_text(strip=True) == "Beginner · 2/5"
    assert [a.get_text(strip=True) for a in header.select(".ll-alias")] == \
        ["Vector representation", "Dense representation", "Neural embedding"]


def test_sections_in_the_seed_order(page):
    h2 = [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")]
    assert h2 == SECTIONS


def test_every_figure_has_json_alt_caption_and_numbers(page):
    figures = page.select("figure.ll-figure")
    assert len(figures) >= 11
    for fig in figures:
        plot = fig.select_one(".ll-plot")
        data = json.loads(plot["data-figure"])  # BeautifulSoup has unescaped the attribute
        assert data["data"] and "layout" in data
        assert len(plot["aria-label"]) > 40
        # An image holds nothing focusable: a figure that can be dragged keeps zoom buttons.
        assert plot["role"] == ("img" if data["layout"].get("dragmode") is False else "group")
        assert fig.select_one("figcaption").get_text(strip=True)
        # Numbers: in the figure's own table, or (maps) in the block's coordinates table.
        block = fig.find_parent(class_="ll-block")
        assert fig.select_one("details.ll-data table") or block.select_one("details.ll-data table")


def test_every_computed_block_names_its_model(page, built_site):
    blocks = page.select(".ll-block")
    assert len(blocks) >= 9
    for b in blocks:
        if "ll-block--model-card" in b["class"] or b.select_one(".ll-explorer"):
            assert "GloVe 6B 50d" in b.get_text()
        else:
            assert "GloVe 6B 50d" in b.select_one(".ll-model").get_text()


def test_analogies_show_top5_and_the_honest_bigger_answer(page):
    analogies = page.select(".ll-block--analogy")
    assert len(analogies) == 5
    tops = [a.select_one(".ll-query__answer").get_text() for a in analogies]
    assert tops == ["queen", "rome", "swam", "larger", "king"]  # the last counts the query words in
    for a in analogies:
        assert len(a.select("table tbody tr")) >= 5
    bigger = analogies[3].select("table")[0].select("tbody tr")
    assert [r.select("td")[0].get_text() for r in bigger[:2]] == ["larger", "smaller"]
    assert "larger" in page.get_text() and "comes first" in page.get_text()


def test_exercise_answers_are_hidden_unsearchable_and_graded_from_data(page, built_site):
    kinds = {ex["data-exercise"]: ex for ex in page.select("[data-exercise]")}
    assert set(kinds) == {"rank", "odd-one-out", "analogy"}
    for ex in kinds.values():
        reveal = ex.select_one(".ll-exercise__reveal")
        assert reveal.has_attr("hidden") and reveal.has_attr("data-search-exclude")
        assert ex.select_one(".ll-exercise__status")["role"] == "status"
        assert ex.select_one("button.ll-exercise__check").get_text() == "Check answer"
        assert ex.select_one("button.ll-exercise__show").get_text() == "Show answer"
        assert reveal.select_one(".ll-plot")  # the model's answer as a figure, drawn when shown
    rank = json.loads(kinds["rank"]["data-answer"])
    assert rank["order"] == ["A", "B", "C"] and rank["scores"]["A"] > rank["scores"]["B"]
    assert len(kinds["rank"].select("select")) == 3
    rows = kinds["rank"].select(".ll-exercise__reveal table tbody tr")
    assert [r.select("td")[0].get_text() for r in rows] == ["A. happy – sad", "B. happy – joyful",
                                                           "C. happy – computer"]
    assert "antonyms" in kinds["rank"].select_one(".ll-exercise__reveal").get_text()
    odd = json.loads(kinds["odd-one-out"]["data-answer"])
    assert odd["answer"] == min(odd["means"], key=odd["means"].get)
    assert len(kinds["odd-one-out"].select("input[type=radio]")) == len(odd["means"])
    analogy = json.loads(kinds["analogy"]["data-answer"])
    assert analogy["top"][0][0] == "tokyo" and len(analogy["top"]) == 100
    # The search index holds no answer: Material leaves out data-search-exclude regions.
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("terms/embedding/"))
    assert "antonyms" not in text and "The model’s answer" not in text


def test_explorer_vectors_asset_decodes_to_the_quantised_model(built_site, kv):
    import base64

    import numpy as np

    from lexicon.explorer_asset import quantise, unpack

    text = (built_site / "assets" / "explorer" / "vectors.js").read_text()
    data = json.loads(text[text.index("=") + 1:].rstrip().rstrip(";"))
    assert data["count"] == 50_000 and data["dims"] == 50 and data["bits"] == 7
    words = data["words"].split("\n")
    assert words == kv.index_to_key[:50_000]
    q = unpack(base64.b64decode(data["vectors"]), 50_000 * 50).reshape(50_000, 50)
    assert np.array_equal(q, quantise(kv.vectors[:50_000]))
    # Cosine on the integer rows is close to the model's.
    a, b = q[kv.key_to_index["king"]].astype(float), q[kv.key_to_index["queen"]].astype(float)
    assert abs(a @ b / np.linalg.norm(a) / np.linalg.norm(b) - kv.similarity("king", "queen")) < 0.01
    # Not on first load: no page references it; explorer.js loads it on first use.
    assert not any("vectors.js" in p.read_text() for p in built_site.rglob("*.html"))


def test_map_has_three_tabs_with_200_words(page):
    m = page.select_one(".ll-block--embedding-map")
    assert [l.get_text() for l in m.select(".tabbed-labels label")] == ["PCA", "t-SNE", "UMAP"]
    assert len(m.select("details.ll-data tbody tr")) == 200
    for plot in m.select(".ll-plot"):
        traces = json.loads(plot["data-figure"])["data"]
        assert 6 <= len(traces) <= 8
        assert all("text" in t for t in traces)  # hover shows the word


def test_related_terms_link_existing_pages_and_name_planned_ones(page):
    from conftest import ROOT
    from lexicon.terms import TermIndex

    index = TermIndex.load(ROOT / "docs")
    related = page.find("h2", id="related-terms").find_next("ul")
    items = related.select("li")
    assert len(items) == len(index.terms["embedding"].related)
    for slug, li in zip(index.terms["embedding"].related, items):
        link = li.select_one("a")
        if slug in index.terms:
            assert link and link["href"] == f"../{slug}/"
        else:
            assert link is None and "coming soon" in li.get_text()
    # Backlinks: the terms whose related list names embedding.
    back = page.find(string=lambda t: t and "Terms that point here" in t)
    assert back is not None
    assert {a["href"] for a in back.find_parent("p").select("a")} == \
        {f"../{t.slug}/" for t in index.backlinks("embedding")}


def test_claims_are_checked_and_none_is_false(page):
    assert len(page.select(".ll-claim--ok")) >= 8
    assert not page.select(".ll-claim--false")


def _foreign(url: str) -> bool:
    url = url.strip()
    if url.startswith("//"):
        url = "http:" + url
    parsed = urlparse(url)
    loopback = parsed.hostname in {"127.0.0.1", "localhost"}  # e.g. "open http://127.0.0.1:8000/"
    return parsed.scheme in {"http", "https", "ws", "wss", "ftp"} and not loopback


def test_no_reference_to_another_host(built_site):
    """No page links to or loads from another host: every URL in every HTML attribute, and every
    CSS url()/@import, is local. (XML namespaces and licence comments are not references; what
    the vendored JS requests is checked in the browser.)"""
    offenders = []
    for path in built_site.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(), "html.parser")
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                values = value if isinstance(value, list) else [value]
                for v in values:
                    for candidate in re.split(r"[\s,]+", v) if name == "srcset" else [v]:
                        if not name.startswith(("data-figure", "xmlns")) and _foreign(candidate):
                            offenders.append(f"{path.relative_to(built_site)}: <{tag.name} {name}={candidate}>")
    for path in built_site.rglob("*.css"):
        css = path.read_text(errors="ignore")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css) + re.findall(r"@import\s+['\"]([^'\"]+)", css):
            if _foreign(url):
                offenders.append(f"{path.relative_to(built_site)}: {url}")
    assert not offenders, offenders[:10]


def test_plotly_is_shipped_once_and_never_inlined(built_site):
    bundles = [p for p in built_site.rglob("*.js") if "plotly" in p.name.lower()]
    assert [p.relative_to(built_site).as_posix() for p in bundles] == ["assets/vendor/plotly.min.js"]
    for page_path in built_site.rglob("*.html"):
        text = page_path.read_text()
        assert "Plotly.newPlot" not in text and "plotly.min.js" not in text, page_path
        assert "plotly.js (" not in text and "plotly.js v" not in text, page_path  # no bundle inlined
        # Readers' pages stay small; the block reference's family pages (live examples, for authors) may not.
        # The claims audit grows with the glossary: it has a page per part of it (74 KB gzip as one page
        # at 117 terms), each held to 100 KB gzip.
        rel = page_path.relative_to(built_site).as_posix()
        if rel.startswith("claims/"):
            assert len(gzip.compress(text.encode(), 9)) < 100_000, page_path
        elif not rel.startswith("blocks/"):
            assert len(text) < 400_000, page_path


def test_figure_trace_types_are_in_the_shipped_bundle(built_site):
    """Static check against the npm package's list; the browser test asks plotly.js itself."""
    from conftest import ROOT

    listed = (ROOT / "node_modules" / "plotly.js-cartesian-dist-min" / "README.md").read_text()
    modules = set(re.findall(r"`(\w+)`", listed.split("Contains trace modules", 1)[1].split("\n", 1)[0]))
    used = set()
    for page_path in built_site.rglob("*.html"):
        for raw in re.findall(r"data-figure='([^']*)'", page_path.read_text()):
            used |= {t.get("type", "scatter") for t in json.loads(html.unescape(raw))["data"]}
    assert used and used <= modules, used - modules


def test_search_dialog_has_an_accessible_name(page):
    """overrides/main.html names Material's search dialog; this fails if Material's markup moves."""
    assert page.select_one('.md-search[role="dialog"]')["aria-label"] == "Search"


def test_every_alias_url_redirects_to_its_term(built_site):
    from conftest import ROOT
    from lexicon.terms import TermIndex

    terms = TermIndex.load(ROOT / "docs").terms
    checked = 0
    for slug, term in terms.items():
        for alias in term.alias_slugs:
            if alias == slug:
                continue
            page = (built_site / "terms" / alias / "index.html").read_text()
            assert f"../{slug}/" in page and "refresh" in page, alias
            checked += 1
    assert checked >= 3  # Embedding alone has three aliases


def test_the_block_reference_draws_its_examples_with_text_alternatives_not_number_tables(built_site):
    """The reference's family pages show every kind live: their figures keep their text alternative
    but not the folded table of numbers (term pages keep both), so each first load stays within the
    budget."""
    figures = [fig for page in sorted((built_site / "blocks").glob("*/index.html"))
               for fig in BeautifulSoup(page.read_text(), "html.parser").select("figure.ll-figure")]
    assert len(figures) >= 20
    for fig in figures:
        assert len(fig.select_one(".ll-plot")["aria-label"]) > 40
        assert not fig.select("details.ll-data")
        after = fig.find_next_sibling()
        assert not (after and after.name == "details" and "Numbers behind this figure" in after.get_text())
