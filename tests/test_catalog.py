"""The generated glossary: nav, index pages, learning path, glossary.json, cards, copy links."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from lexicon.catalog import FEATURED_MAX_LEVEL
from lexicon.catalog.start_here import MAX_TERMS, load_start_here, start_order
from lexicon.catalog.categories import load_categories
from lexicon.catalog.index_pages import az_page
from lexicon.catalog.learning_path import LearningPath
from lexicon.catalog.nav import expand_nav
from lexicon.errors import LexiconError
from lexicon.terms import TermIndex
from project import build, make_project, term

DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def index():
    return TermIndex.load(DOCS)


def _fm(slug, level, related=(), category="Testing / Fixtures", aliases=()):
    return (f"title: {slug.title()}\nslug: {slug}\ncategory: {category}\nlevel: {level}\n"
            f"aliases: [{', '.join(aliases)}]\nrelated: [{', '.join(related)}]\nsummary: The term {slug} for tests.")


SECTIONS = "".join(f"## {s}\n\nText.\n\n" for s in
                   ["Definition", "Key Concepts", "Examples", "Interactive Exercise", "Pro Tips"])


# --- Learning path ------------------------------------------------------------------------

def _toy_index(tmp_path, spec):
    """spec: (slug, level, related, prerequisites)."""
    docs = tmp_path / "docs"
    (docs / "terms").mkdir(parents=True)
    for slug, level, related, pre in spec:
        fm = _fm(slug, level, related).replace("\nsummary:", f"\nprerequisites: [{', '.join(pre)}]\nsummary:")
        (docs / "terms" / f"{slug}.md").write_text(term(slug, SECTIONS, fm))
    return TermIndex.load(docs)


def test_prerequisites_are_declared_not_guessed_from_related_terms(tmp_path):
    idx = _toy_index(tmp_path, [("a", 1, [], []), ("b", 2, ["a"], ["a"]), ("c", 2, ["b", "e"], ["b"]),
                                ("d", 3, ["b", "c"], ["b", "c"]), ("e", 4, [], []), ("f", 5, ["e", "a"], ["a"])])
    lp = LearningPath(idx)
    assert [t.slug for t in lp.before("b")] == ["a"]
    assert [t.slug for t in lp.after("a")] == ["b", "f"]
    assert [t.slug for t in lp.before("c")] == ["b"]       # same level: a prerequisite when declared
    assert [t.slug for t in lp.before("d")] == ["c"]       # b is implied by c: reduced away
    assert [t.slug for t in lp.before("f")] == ["a"]       # related to e, but e is not declared
    order = [t.slug for t in lp.order()]
    for s in idx.terms:
        for b in lp.before(s):
            assert order.index(b.slug) < order.index(s), (b.slug, s)
    assert [t.slug for t in lp.order(2)] == ["a", "b", "c"]
    assert lp.edges() == sorted([("a", "b"), ("b", "c"), ("c", "d"), ("a", "f")])


def test_real_reading_order_respects_every_prerequisite(index):
    lp = LearningPath(index)
    order = [t.slug for t in lp.order()]
    assert sorted(order) == sorted(index.terms)
    for s in index.terms:
        for b in lp.before(s):
            assert order.index(b.slug) < order.index(s)
            assert b.level <= index.terms[s].level


# --- Categories and the nav ----------------------------------------------------------------

def test_every_term_category_is_in_the_category_tree(index):
    cats = load_categories(DOCS, index)
    assert {" / ".join(t.category) for t in index.terms.values()} <= {c.path for c in cats}


def test_unknown_category_names_file_line_and_closest(tmp_path):
    docs = tmp_path / "docs"
    (docs / "terms").mkdir(parents=True)
    (docs / "_data").mkdir()
    (docs / "_data" / "categories.yml").write_text("- path: Similarity & Distance\n  about: x\n")
    (docs / "terms" / "a.md").write_text(term("a", SECTIONS, _fm("a", 1, category="Similarity & Distances")))
    idx = TermIndex.load(docs)
    with pytest.raises(LexiconError) as err:
        load_categories(docs, idx)
    msg = str(err.value)
    assert "docs/terms/a.md:4" in msg and "did you mean 'Similarity & Distance'" in msg


def test_terms_nav_is_generated_from_front_matter(index):
    cats = load_categories(DOCS, index)
    nav = [{"Home": "index.md"}, {"Terms": "terms/index.md"}]
    assert expand_nav(nav, index, cats)
    listed = re.findall(r"terms/([a-z0-9-]+)\.md", json.dumps(nav))
    assert sorted(set(listed) - {"index"}) == sorted(index.terms)
    assert nav[1]["Terms"][0] == "terms/index.md"
    # Within a category, a term comes after its prerequisites (and so in the footer's Previous / Next).
    where = {slug: i for i, slug in enumerate(listed)}
    for slug, t in index.terms.items():
        for pre in LearningPath(index).before(slug):
            if pre.category == t.category:
                assert where[pre.slug] < where[slug], (pre.slug, slug)


def test_generated_markdown_escapes_author_text(tmp_path):
    idx = _toy_index(tmp_path, [("a", 1, [], [])])
    idx.terms["a"].title = "<script>alert(1)</script> [x](y)"
    page = az_page(idx)
    assert "<script>" not in page and "[x](y)" not in page


def test_a_page_at_a_generated_path_is_refused(tmp_path):
    project = make_project(tmp_path, {"terms/a.md": term("a", SECTIONS), "learning-path.md": "# Mine\n"})
    proc = build(project)
    assert proc.returncode != 0
    assert "learning-path.md is generated by the lexicon plugin" in proc.stderr
    assert "Fix: delete or rename that file" in proc.stderr


# --- The built site ------------------------------------------------------------------------

@pytest.mark.site
def test_glossary_json_validates_against_its_published_schema(built_site, index):
    data = json.loads((built_site / "glossary.json").read_text())
    schema = json.loads((built_site / "glossary.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert sorted(t["slug"] for t in data["terms"]) == sorted(index.terms)
    broken = dict(data)
    broken["terms"] = [{**data["terms"][0], "level": 7}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


@pytest.mark.site
def test_glossary_urls_anchors_aliases_and_cards_resolve(built_site, index):
    data = json.loads((built_site / "glossary.json").read_text())
    for t in data["terms"]:
        assert t["path"] == f"terms/{t['slug']}/" and t["url"].endswith(t["path"])
        html = (built_site / t["path"] / "index.html").read_text()
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        kinds = {a["kind"] for a in t["anchors"]}
        assert {"definition", "key-concepts", "examples", "interactive-exercise", "pro-tips"} <= {
            a["id"] for a in t["anchors"]}, t["slug"]
        assert "exercise" in kinds or index.terms[t["slug"]].level >= 4, f"{t['slug']} has no exercise anchor"
        for a in t["anchors"]:
            assert a["id"] in ids, (t["slug"], a["id"])
        for alias in t["alias_paths"]:
            redirect = (built_site / alias / "index.html").read_text()
            assert f"../{t['slug']}/" in redirect, alias
        card = (built_site / t["card"]).read_text()
        assert "<script" not in card
        href = re.search(r'<a href="([^"]+)"', card).group(1)
        assert (built_site / "cards" / href / "index.html").resolve() == (built_site / t["path"] / "index.html").resolve()


@pytest.mark.site
def test_index_pages_list_every_term_and_alias(built_site, index):
    az = BeautifulSoup((built_site / "terms" / "index.html").read_text(), "html.parser")
    text = az.select_one("article").get_text(" ")
    for t in index.terms.values():
        assert az.select_one(f'article a[href="{t.slug}/"]'), t.slug
        for alias in t.aliases:
            assert alias in text, alias
    for page in ("browse/categories", "browse/levels"):
        soup = BeautifulSoup((built_site / page / "index.html").read_text(), "html.parser")
        linked = {a["href"].rstrip("/").split("/")[-1] for a in soup.select("article a[href*='terms/']")}
        assert set(index.terms) <= linked, (page, set(index.terms) - linked)


@pytest.mark.site
def test_term_pages_show_before_and_after_this(built_site, index):
    lp = LearningPath(index)
    for slug in index.terms:
        soup = BeautifulSoup((built_site / "terms" / slug / "index.html").read_text(), "html.parser")
        nav = soup.select_one("nav.ll-path")
        before, after = lp.before(slug), lp.after(slug)
        if not before and not after:
            continue
        paras = {p.select_one(".ll-path__label").get_text(): [a.get_text() for a in p.select("a")]
                 for p in nav.select("p") if p.select_one(".ll-path__label")}
        assert paras.get("Before this", []) == [t.title for t in before], slug
        assert paras.get("After this", []) == [t.title for t in after], slug


@pytest.mark.site
def test_every_term_is_in_the_nav_under_its_category(built_site, index):
    soup = BeautifulSoup((built_site / "index.html").read_text(), "html.parser")
    nav_links = {a["href"].rstrip("/").split("/")[-1] for a in soup.select("nav.md-nav--primary a[href*='terms/']")}
    assert set(index.terms) <= nav_links


@pytest.mark.site
def test_learning_path_figure_links_every_term(built_site, index):
    soup = BeautifulSoup((built_site / "learning-path" / "index.html").read_text(), "html.parser")
    plot = soup.select_one(".ll-plot[data-links]")
    fig = json.loads(plot["data-figure"])
    targets = [u for tr in fig["data"] for u in (tr.get("customdata") or [])]
    assert sorted(u.rstrip("/").split("/")[-1] for u in targets) == sorted(index.terms)
    for u in targets:
        assert (built_site / "learning-path" / u / "index.html").resolve().exists(), u
    assert plot["aria-label"].startswith("A graph of all")


@pytest.mark.site
def test_home_page_has_featured_path_and_browse(built_site, index):
    soup = BeautifulSoup((built_site / "index.html").read_text(), "html.parser")
    ol = soup.select_one("#new-here-start-with-this-path ~ ol")
    titles = [a.get_text() for a in ol.select("a")]
    listed = load_start_here(DOCS, index)
    want = [t.title for t in LearningPath(index).order(FEATURED_MAX_LEVEL) if t.slug in listed]
    assert titles == want and len(titles) == len(listed) <= MAX_TERMS
    assert soup.select(".ll-home-cards a")


# --- In the browser -------------------------------------------------------------------------

@pytest.mark.browser
def test_copy_link_buttons_copy_the_anchor_url(site_url, new_page, built_site):
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page.goto(site_url + "terms/cosine-similarity/")
    buttons = page.locator("button.ll-copylink")
    data = json.loads((built_site / "glossary.json").read_text())
    entry = next(t for t in data["terms"] if t["slug"] == "cosine-similarity")
    wanted = {a["id"] for a in entry["anchors"] if a["kind"] in ("section", "example", "exercise")}
    have = set(buttons.evaluate_all("bs => bs.map(b => b.dataset.anchor)"))
    assert wanted <= have
    button = page.locator('button.ll-copylink[data-anchor="interactive-exercise"]')
    button.focus()
    page.keyboard.press("Enter")
    # A function, not an expression string: polling an expression evals it, which the CSP forbids.
    page.wait_for_function("() => document.querySelector('#ll-copylink-status').textContent.length > 0")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == site_url + "terms/cosine-similarity/#interactive-exercise"
    assert "Link copied" in button.inner_text()


@pytest.mark.browser
def test_selecting_a_node_of_the_learning_path_opens_the_term(site_url, new_page):
    from browser_util import draw

    page = new_page()
    page.goto(site_url + "learning-path/")
    plot = page.locator(".ll-plot[data-links]")
    draw(plot)
    point = page.evaluate("""() => {
        const el = document.querySelector('.ll-plot[data-links]');
        const tr = el._fullData.findIndex(t => (t.customdata || []).some(u => /cosine-similarity/.test(u)));
        const i = el._fullData[tr].customdata.findIndex(u => /cosine-similarity/.test(u));
        const xa = el._fullLayout.xaxis, ya = el._fullLayout.yaxis;
        const box = el.getBoundingClientRect();
        return {x: box.left + xa._offset + xa.l2p(el._fullData[tr].x[i]),
                y: box.top + ya._offset + ya.l2p(el._fullData[tr].y[i])};
    }""")
    page.mouse.move(point["x"], point["y"])
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/terms/cosine-similarity/")


@pytest.mark.site
def test_instructors_page_documents_every_glossary_field_and_previews_a_card(built_site):
    soup = BeautifulSoup((built_site / "instructors" / "index.html").read_text(), "html.parser")
    fields = {c.get_text() for c in soup.select("article table td:first-child code")}
    schema = json.loads((built_site / "glossary.schema.json").read_text())
    assert set(schema["properties"]["terms"]["items"]["properties"]) <= fields
    frame = soup.select_one("iframe.ll-card-preview")
    assert (built_site / "instructors" / frame["src"]).resolve().is_file()
    assert soup.select_one('a[href="../glossary.json"]') and soup.select_one('a[href="../glossary.schema.json"]')


def test_az_sets_the_other_names_apart(tmp_path):
    idx = _toy_index(tmp_path, [("a", 1, [], [])])
    idx.terms["a"].title = "Apple"
    idx.terms["a"].aliases = ["Apfel", "3-fruit"]
    page = az_page(idx)
    a = page[page.index("## A {#letter-a}"):]
    assert a.index("- [Apple]") < a.index("*Also called:* Apfel → [Apple]")      # terms first
    assert "{: .ll-az-aliases }" in a and "\n- Apfel" not in page                # not a term line
    assert "## 0–9 {#letter-other}" in page and "3-fruit → [Apple]" in page      # not an empty '#'
    assert "1 terms, and under each letter, set apart, 2 other names" in page


def test_the_beginners_path_is_short_and_every_term_follows_its_prerequisites(index, tmp_path):
    """start-here.yml: at most MAX_TERMS beginner terms; without the file, every beginner term."""
    listed = load_start_here(DOCS, index)
    assert listed and len(listed) <= MAX_TERMS
    order = [t.slug for t in start_order(index, listed)]
    assert sorted(order) == sorted(listed)
    for i, slug in enumerate(order):
        assert all(p.slug in order[:i] for p in LearningPath(index).before(slug)), slug
    assert [t.slug for t in start_order(index, None)] == [t.slug for t in LearningPath(index).order(FEATURED_MAX_LEVEL)]
    beginners = [t.slug for t in index.terms.values() if t.level <= FEATURED_MAX_LEVEL and not LearningPath(index).before(t.slug)]
    (tmp_path / "_data").mkdir()
    (tmp_path / "_data" / "start-here.yml").write_text("".join(f"- {s}\n" for s in (beginners * 13)[:MAX_TERMS + 1]))
    with pytest.raises(LexiconError) as err:
        load_start_here(tmp_path, index)
    assert f"lists {MAX_TERMS + 1} terms" in str(err.value) and "start-here.yml:13" in str(err.value)
    (tmp_path / "_data" / "start-here.yml").write_text("- token\n- token\n")
    with pytest.raises(LexiconError, match="lists 'token' twice"):
        load_start_here(tmp_path, index)
