"""Declared prerequisites: validation, the reading order, the transitive reduction, "Before this",
and a learning-path graph whose labels never overlap (the site's terms, and 150)."""

from __future__ import annotations

import json
import random

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from lexicon.catalog.learning_path import (MARKER_PX, MIN_PLOT_WIDTH, X_RANGE, LearningPath, label_boxes, path_figure,
                                           path_layout)
from lexicon.errors import LexiconError
from lexicon.terms import Term, TermIndex
from project import term

DOCS = ROOT / "docs"
TERMS = len(list((DOCS / "terms").glob("*.md")))   # the site's term pages
SECTIONS = "".join(f"## {s}\n\nText.\n\n" for s in
                   ["Definition", "Key Concepts", "Examples", "Interactive Exercise", "Pro Tips"])


@pytest.fixture(scope="module")
def index():
    return TermIndex.load(DOCS)


def _load(tmp_path, spec):
    """spec: (slug, level, prerequisites or None for no field). The prerequisites line is line 8."""
    docs = tmp_path / "docs"
    (docs / "terms").mkdir(parents=True)
    for slug, level, pre in spec:
        fm = (f"title: {slug.title()}\nslug: {slug}\ncategory: Testing / Fixtures\nlevel: {level}\n"
              f"aliases: []\nrelated: []\n" + (f"prerequisites: [{', '.join(pre)}]\n" if pre is not None else "")
              + f"summary: The term {slug} for tests.")
        (docs / "terms" / f"{slug}.md").write_text(term(slug, SECTIONS, fm))
    return TermIndex.load(docs)


def _error(tmp_path, spec) -> str:
    with pytest.raises(LexiconError) as err:
        _load(tmp_path, spec)
    return str(err.value)


# --- Validation --------------------------------------------------------------------------------

def test_prerequisites_are_optional(tmp_path):
    idx = _load(tmp_path, [("a", 1, None), ("b", 2, ["a"])])
    assert idx.terms["a"].prerequisites == [] and idx.terms["b"].prerequisites == ["a"]


def test_unknown_prerequisite_names_file_line_and_nearest_slug(tmp_path):
    msg = _error(tmp_path, [("embedding", 1, []), ("b", 2, ["embeding"])])
    assert msg.startswith("docs/terms/b.md:8: prerequisite 'embeding' is not a term page"), msg
    assert "Fix: did you mean embedding?" in msg and "prerequisites name existing term pages" in msg


def test_a_term_cannot_be_its_own_prerequisite(tmp_path):
    msg = _error(tmp_path, [("a", 1, ["a"])])
    assert msg.startswith("docs/terms/a.md:8: a term cannot be its own prerequisite"), msg
    assert "Fix: remove 'a' from prerequisites" in msg


def test_a_prerequisite_cannot_be_at_a_higher_level(tmp_path):
    msg = _error(tmp_path, [("a", 2, ["b"]), ("b", 5, [])])
    assert msg.startswith("docs/terms/a.md:8: prerequisite 'b' is at level 5, higher than this term's level 2"), msg
    assert "Fix: remove 'b' from prerequisites" in msg and "set this term's level to 5" in msg
    assert "docs/terms/b.md" in msg


def test_a_cycle_is_named(tmp_path):
    msg = _error(tmp_path, [("a", 2, ["c"]), ("b", 2, ["a"]), ("c", 2, ["b"]), ("d", 1, [])])
    assert msg.startswith("docs/terms/a.md:8: prerequisites form a cycle: a → c → b → a"), msg
    assert "Fix:" in msg and "'c' from the prerequisites of docs/terms/a.md" in msg


# --- The graph ---------------------------------------------------------------------------------

def test_transitive_reduction(tmp_path):
    """a→b→c and a→c: the direct a→c is implied, so it is neither "Before this" nor a line."""
    idx = _load(tmp_path, [("a", 1, []), ("b", 2, ["a"]), ("c", 3, ["b", "a"])])
    lp = LearningPath(idx)
    assert [t.slug for t in lp.before("c")] == ["b"]
    assert [t.slug for t in lp.after("a")] == ["b"]
    assert lp.edges() == [("a", "b"), ("b", "c")]
    fig = path_figure(idx, {s: f"../{s}/" for s in idx.terms})
    xs, ys = fig.data[0].x, fig.data[0].y
    pos, _ = path_layout(lp)
    segments = []
    start = 0
    for i, x in enumerate(xs):
        if x is None:
            segments.append(((xs[start], ys[start]), (xs[i - 1], ys[i - 1])))
            start = i + 1
    ends = {s: (pos[s][0], pos[s][1]) for s in idx.terms}
    assert sorted(segments) == sorted([(ends["a"], ends["b"]), (ends["b"], ends["c"])])


def test_reading_order_respects_every_declared_prerequisite(index):
    lp = LearningPath(index)
    order = [t.slug for t in lp.order()]
    assert sorted(order) == sorted(index.terms)
    levels = [index.terms[s].level for s in order]
    assert levels == sorted(levels)                        # level by level
    for s, t in index.terms.items():
        for p in t.prerequisites:                           # declared, reduced away or not
            assert order.index(p) < order.index(s), (p, s)


def test_every_term_declares_its_prerequisites(index):
    assert all("prerequisites" in (DOCS / "terms" / f"{s}.md").read_text().split("\n---")[0]
               for s in index.terms)
    lp = LearningPath(index)
    assert [t.slug for t in lp.before("word-analogy")] == ["embedding"]   # cosine: through embedding
    assert [t.slug for t in lp.before("cosine-similarity")] == ["dot-product"]  # vector-space: implied
    order = [t.slug for t in lp.order()]
    assert order.index("vector-space") < order.index("embedding")
    assert len(lp.after("embedding")) < 10


def _synthetic(n=150, seed=3) -> TermIndex:
    rng = random.Random(seed)
    words = ["vector", "distributional", "approximate", "nearest-neighbour", "search", "embedding",
             "encoding", "hypothesis", "layer", "reduction", "similarity", "of", "a", "model", "attention"]
    terms = {}
    for i in range(n):
        level = 1 + i * 5 // n
        slug = f"t{i}"
        title = " ".join(rng.choice(words) for _ in range(rng.randint(1, 4))).capitalize()
        earlier = [s for s, t in terms.items() if t.level <= level]
        pre = rng.sample(earlier, min(len(earlier), rng.randint(0, 3)))
        terms[slug] = Term(slug=slug, title=title, category=["Testing", f"C{i % 7}"], level=level, aliases=[],
                           related=[], summary="A synthetic term for the layout test.", src_path=f"{slug}.md",
                           prerequisites=pre)
    return TermIndex(terms, {}, "docs")


@pytest.mark.parametrize("n", ["site", 150])
def test_graph_labels_never_overlap(index, n):
    """At the narrowest width the graph is shown, no label box meets another label or a marker."""
    idx = index if n == "site" else _synthetic(n)
    pos, height = path_layout(LearningPath(idx))
    boxes = label_boxes(pos, MIN_PLOT_WIDTH)
    assert len(boxes) == len(idx.terms)
    items = sorted(boxes.items())
    for i, (a, (l1, t1, r1, b1)) in enumerate(items):
        assert 0 <= t1 and b1 <= height
        for b, (l2, t2, r2, b2) in items[i + 1:]:
            assert not (l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1), (a, b, boxes[a], boxes[b])
    px = MIN_PLOT_WIDTH / (X_RANGE[1] - X_RANGE[0])
    for a, (l1, t1, r1, b1) in items:        # the label runs right of its marker: no other marker inside
        for b, (lv, y, _) in pos.items():
            x = (lv - X_RANGE[0]) * px
            if a != b:
                assert not (l1 < x + MARKER_PX / 2 and x - MARKER_PX / 2 < r1 and t1 < y + MARKER_PX / 2
                            and y - MARKER_PX / 2 < b1), (a, b)


# --- The built site ----------------------------------------------------------------------------

@pytest.mark.site
def test_term_page_shows_its_declared_prerequisites(built_site):
    soup = BeautifulSoup((built_site / "terms" / "word-analogy" / "index.html").read_text(), "html.parser")
    paras = {p.select_one(".ll-path__label").get_text(): [a.get_text() for a in p.select("a")]
             for p in soup.select("nav.ll-path p") if p.select_one(".ll-path__label")}
    assert paras["Before this"] == ["Embedding"]          # Cosine similarity comes before Embedding
    soup = BeautifulSoup((built_site / "terms" / "embedding" / "index.html").read_text(), "html.parser")
    paras = {p.select_one(".ll-path__label").get_text(): [a.get_text() for a in p.select("a")]
             for p in soup.select("nav.ll-path p") if p.select_one(".ll-path__label")}
    assert paras["Before this"] == ["One-hot encoding", "Cosine similarity"]   # Vector space: through Cosine
    assert "Vector space" not in paras["After this"]


@pytest.mark.site
def test_figure_alt_counts_the_lines_it_draws(built_site, index):
    soup = BeautifulSoup((built_site / "learning-path" / "index.html").read_text(), "html.parser")
    plot = soup.select_one("#learning-path-graph .ll-plot")
    fig = json.loads(plot["data-figure"])
    lines = sum(1 for v in fig["data"][0]["x"] if v is None)
    assert f"with {lines} lines" in plot["aria-label"] and lines == len(LearningPath(index).edges())


def _label_overlaps(page) -> list:
    boxes = page.evaluate("""() => [...document.querySelectorAll('#learning-path-graph .textpoint text')]
        .map(t => { const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.top, r.right, r.bottom]; })""")
    assert len(boxes) == TERMS
    return [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 600])
def test_learning_path_labels_do_not_collide_in_the_browser(site_url, new_page, width):
    from browser_util import draw

    page = new_page(viewport={"width": width, "height": 900})
    page.goto(site_url + "learning-path/")
    draw(page.locator("#learning-path-graph .ll-plot"))
    assert _label_overlaps(page) == []
    assert not page.locator(".ll-path-narrow").is_visible()


@pytest.mark.browser
def test_phone_gets_the_reading_order_instead_of_the_graph(site_url, new_page):
    page = new_page(viewport={"width": 390, "height": 844})
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(site_url + "learning-path/")
    page.wait_for_load_state("networkidle")
    assert not page.locator("#learning-path-graph").is_visible()
    assert page.locator(".ll-path-narrow").is_visible()
    items = page.locator("#reading-order ~ ol > li")
    assert items.count() == TERMS and items.first.is_visible()
    assert not any("plotly" in u for u in requested)


def test_within_a_level_the_order_follows_the_category_list():
    """Ties go by categories.yml's order, not the names A–Z: Polysemy, which defines itself
    against Word2Vec, fastText and GloVe, comes after them (review P2, M2)."""
    from lexicon.catalog.categories import load_categories

    idx = TermIndex.load(DOCS)
    cats = [c.path for c in load_categories(DOCS, idx)]
    order = LearningPath(idx).order()
    for level in range(1, 6):
        ranks = [cats.index(" / ".join(t.category)) for t in order if t.level == level]
        # prerequisites may pull a term forward, never a whole topic: most steps keep the list's order
        # (at most 3 steps back, or one in seven as a level grows past 21 terms: at 154 terms level 2
        # has 50, and 7 steps back, each a term placed after a prerequisite from a later category,
        # such as Embedding after Cosine similarity)
        assert sum(a <= b for a, b in zip(ranks, ranks[1:])) >= len(ranks) - max(3, len(ranks) // 7), (level, ranks)
    slugs = [t.slug for t in order]
    assert all(slugs.index(s) < slugs.index("polysemy") for s in ("word2vec", "fasttext", "glove"))
