"""Real-browser tests of the word maps' labels: the 200-word map writes a readable subset of its words.

On the Embedding page's map (200 words in 8 groups, one tab per method), at a desktop width and at
a phone width: words are drawn as SVG text beside their points, every group has at least one, no
two labels overlap, every label lies inside the plot area, and a point without a label still
names its word when the pointer is on it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_util import SHOTS, draw

pytestmark = pytest.mark.browser

EMBEDDING = "terms/embedding/"
MAP = ".ll-block--embedding-map"
MIN_LABELS = 10   # the fewest words a 200-word map writes (the build writes 14 to 27)
TOLERANCE = 2     # px: glyph boxes of neighbouring labels may touch

# Every written label (non-empty text of a scatter point) with its box, its trace (group) and the
# plot area, all in page pixels.
LABELS_JS = """el => {
  const fl = el._fullLayout, svg = el.querySelector('svg.main-svg').getBoundingClientRect();
  const area = {left: svg.left + fl.xaxis._offset, top: svg.top + fl.yaxis._offset,
                right: svg.left + fl.xaxis._offset + fl.xaxis._length,
                bottom: svg.top + fl.yaxis._offset + fl.yaxis._length};
  const labels = [];
  el.querySelectorAll('.scatterlayer .trace').forEach((tr, i) => {
    tr.querySelectorAll('.textpoint text').forEach(t => {
      const r = t.getBoundingClientRect();
      if (!t.textContent.trim() || r.width === 0) return;
      labels.push({word: t.textContent, group: i, left: r.left, top: r.top, right: r.right, bottom: r.bottom});
    });
  });
  return {area, labels, groups: el.data.length, points: el.data.reduce((n, t) => n + t.x.length, 0)};
}"""


def _overlap(a, b) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > TOLERANCE
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > TOLERANCE)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_200_word_map_labels_a_subset_that_does_not_collide(site_url, new_page, width):
    phone = width < 500
    page = new_page(viewport={"width": width, "height": 900}, is_mobile=phone, has_touch=phone,
                    device_scale_factor=1)
    page.goto(site_url + EMBEDDING)
    block = page.locator(MAP)
    for method in ("pca", "tsne", "umap"):
        plot = block.locator(f"figure[id$='-{method}'] .ll-plot")
        draw(plot)
        got = plot.evaluate(LABELS_JS)
        labels, area = got["labels"], got["area"]
        assert got["points"] == 200
        assert len(labels) >= MIN_LABELS, f"{method} at {width} px: {len(labels)} labels"
        assert len(labels) < got["points"] / 2, f"{method}: {len(labels)} labels is not a subset"
        assert {lab["group"] for lab in labels} == set(range(got["groups"])), f"{method}: a group has no label"
        words = set(plot.evaluate("el => el.data.flatMap(t => t.hovertext)"))
        assert {lab["word"] for lab in labels} <= words
        clashes = [(a["word"], b["word"]) for i, a in enumerate(labels) for b in labels[i + 1:] if _overlap(a, b)]
        assert not clashes, f"{method} at {width} px: overlapping labels {clashes}"
        outside = [lab["word"] for lab in labels
                   if lab["left"] < area["left"] - 1 or lab["right"] > area["right"] + 1
                   or lab["top"] < area["top"] - 1 or lab["bottom"] > area["bottom"] + 1]
        assert not outside, f"{method} at {width} px: labels outside the plot area {outside}"
        if method == "pca" and not phone:
            _an_unlabelled_point_names_its_word_on_hover(page, plot, {lab["word"] for lab in labels})
        SHOTS.mkdir(parents=True, exist_ok=True)
        plot.screenshot(path=str(SHOTS / f"map-labels-{method}-{width}.png"))


def _an_unlabelled_point_names_its_word_on_hover(page, plot, written: set[str]) -> None:
    point = plot.evaluate("""(el, written) => {
      const fl = el._fullLayout, svg = el.querySelector('svg.main-svg').getBoundingClientRect();
      for (const t of el.data) for (let i = 0; i < t.x.length; i++) if (!written.includes(t.hovertext[i]))
        return {word: t.hovertext[i], x: svg.left + fl.xaxis._offset + fl.xaxis.l2p(t.x[i]),
                y: svg.top + fl.yaxis._offset + fl.yaxis.l2p(t.y[i])};
    }""", sorted(written))
    page.mouse.move(point["x"], point["y"])
    expect(plot.locator(".hoverlayer .hovertext").first).to_contain_text(point["word"])
