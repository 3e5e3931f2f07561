"""Real-browser tests of the figures' frame: the mode bar, axis labels, and the box before plotly.js.

- No mode-bar control names or reaches another host ("Share chart" to Plotly's cloud, the
  Plotly logo); a chart that cannot be dragged has no mode bar; a map that can has zoom and
  reset only, and a figure named as an image (role="img") holds nothing focusable.
- Every drawn figure's tick labels and axis titles lie inside its SVG box (automargin).
- Until plotly.js arrives, each figure box shows its text alternative (CSS generated content); plotly.js is fetched
  when the page is idle on a page with figures (prefetched, run only when a figure is drawn), and never
  on a page without.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from browser_util import draw, draw_all, screenshot

pytestmark = pytest.mark.browser

EMBEDDING = "terms/embedding/"
# The benchmarks bar chart, both similarity scatters, a notebook scatter, and the transformer's
# layer lines, sink bars and head heatmaps; the sub-layers' lines and the LayerNorm's tokens (slanted ticks).
AXIS_PAGES = [EMBEDDING, "benchmarks/", "terms/semantic-similarity/", "terms/word-analogy/",
              "notebooks/train-word2vec/", "terms/contextual-embedding/", "terms/attention-sink/",
              "terms/residual-connection/", "terms/layer-normalization/", "terms/mean-pooling/",
              "terms/confusion-matrix/", "terms/precision/", "terms/recall/"]
ZOOM_BUTTONS = ["zoomIn2d", "zoomOut2d", "resetScale2d"]

# Everything a keyboard reaches, and every control of the mode bar, inside one figure box.
CONTROLS_JS = """el => {
  const focusable = [...el.querySelectorAll(
      'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')]
    .filter(e => !e.disabled);
  return {
    role: el.getAttribute('role'),
    label: (el.getAttribute('aria-label') || '').slice(0, 50),
    dragmode: el._fullLayout.dragmode,
    focusable: focusable.map(e => e.outerHTML.slice(0, 120)),
    buttons: [...el.querySelectorAll('.modebar-btn')].map(b => ({
      name: b.getAttribute('data-title') || '', attr: b.getAttribute('data-attr') || '',
      val: b.getAttribute('data-val') || '', href: b.getAttribute('href') || '',
      id: (b.getAttribute('data-title') || '') + ' ' + (b.getAttribute('class') || '')})),
    links: [...el.querySelectorAll('a[href]')].map(a => a.href),
    names: [...el.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title')),
  };
}"""

# Text of the axes (tick labels, axis titles) that lies outside the figure's SVG box.
TICKS_OUTSIDE_JS = """el => {
  const svg = el.querySelector('svg.main-svg');
  if (!svg) return ['no svg'];
  const box = svg.getBoundingClientRect();
  const out = [];
  el.querySelectorAll('.xtick text, .ytick text, .g-xtitle text, .g-ytitle text, '
                      + '[class^="g-x"][class$="title"] text, [class^="g-y"][class$="title"] text')
    .forEach(t => {
      const r = t.getBoundingClientRect();
      if (!t.textContent.trim() || r.width === 0) return;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        out.push(`${t.textContent} [${Math.round(r.left - box.left)}, ${Math.round(r.top - box.top)}, `
                 + `${Math.round(box.right - r.right)}, ${Math.round(box.bottom - r.bottom)}]`);
    });
  return out;
}"""

# The placeholder of a figure box: the ::before text, its box, and whether it has readable colour.
WAIT_TEXT_JS = """el => {
  const st = getComputedStyle(el, '::before');
  const m = st.content.match(/^"(.*)" \\/ ""$/) || st.content.match(/^"(.*)"$/);
  return {text: m ? m[1].replace(/\\"/g, '"') : st.content, display: st.display,
          height: parseFloat(st.height), visible: st.visibility === 'visible' && st.color !== 'rgba(0, 0, 0, 0)'};
}"""


def test_mode_bar_reaches_no_other_host_and_static_charts_have_none(site_url, new_page):
    page = new_page()
    requests: list[str] = []
    page.context.on("request", lambda r: requests.append(r.url))
    page.goto(site_url + EMBEDDING)
    n = draw_all(page)
    assert n >= 11
    plots = page.locator(".ll-plot")
    static, zoomable, bad = 0, 0, []
    for i in range(n):
        c = plots.nth(i).evaluate(CONTROLS_JS)
        outside = [u for u in c["links"] if not u.startswith(site_url)]
        cloud = [b for b in c["buttons"]
                 if re.search(r"share|cloud|studio|plotly|edit|download|save", b["id"], re.I)]
        if outside or cloud:
            bad.append((c["label"], outside, cloud))
        if c["dragmode"] is False:
            static += 1
            assert c["role"] == "img", c
            assert not c["buttons"], f"a chart that cannot be dragged has mode-bar buttons: {c}"
        else:
            zoomable += 1
            assert c["role"] == "group", c
            kinds = sorted(b["attr"] + ":" + b["val"] for b in c["buttons"])
            assert kinds == sorted(["zoom:in", "zoom:out", "zoom:reset"]) or not c["buttons"], c
        if c["role"] == "img":
            assert not c["focusable"], f"focusable controls inside role=img: {c}"
        assert len(c["focusable"]) <= 3, f"{len(c['focusable'])} tab stops in one figure: {c}"
    assert not bad, f"mode-bar controls that name or reach another host: {bad}"
    assert static >= 8 and zoomable >= 1, (static, zoomable)

    # Every button of a map, clicked: nothing is requested from another host.
    zoomable_plot = page.locator('.ll-plot[role="group"]').first
    draw(zoomable_plot)
    zoomable_plot.hover()
    buttons = zoomable_plot.locator(".modebar-btn")
    assert buttons.count() == 3
    for i in range(buttons.count()):
        buttons.nth(i).click()
    page.wait_for_load_state("networkidle")
    assert len(page.context.pages) == 1, "a mode-bar button opened a window"
    outside = [u for u in requests if not u.startswith(site_url) and not u.startswith(("data:", "blob:"))]
    assert not outside, f"requests left 127.0.0.1: {outside}"


def test_zoom_buttons_show_when_reached_by_keyboard(site_url, new_page):
    page = new_page()
    page.goto(site_url + EMBEDDING)
    plot = page.locator('.ll-plot[role="group"]').first
    draw(plot)
    page.mouse.move(0, 0)
    first = plot.locator(".modebar-btn").first
    first.focus()
    expect(first).to_be_focused()
    shown = "b => getComputedStyle(b.closest('.modebar-group')).opacity === '1'"
    try:  # Plotly fades the mode bar in (0.3 s)
        page.wait_for_function(shown, arg=first.element_handle(), timeout=2_000)
    except PlaywrightTimeout:
        pass  # reported by the assertion below
    opacity = first.evaluate("b => getComputedStyle(b.closest('.modebar-group')).opacity")
    assert float(opacity) == 1, f"a focused mode-bar button is invisible (opacity {opacity})"


@pytest.mark.parametrize("path", AXIS_PAGES)
def test_tick_labels_lie_inside_the_plot_box(site_url, new_page, path):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + path)
    n = draw_all(page)
    assert n >= 1
    plots = page.locator(".ll-plot")
    cut = {}
    for i in range(n):
        draw(plots.nth(i))  # measured while visible: figures in other tabs have no box
        outside = plots.nth(i).evaluate(TICKS_OUTSIDE_JS)
        if outside:
            cut[plots.nth(i).get_attribute("aria-label")[:60]] = outside[:5]
    screenshot(page, "axes-" + (path.strip("/").replace("/", "-") or "home") + ".png")
    assert not cut, f"axis labels outside the figure's box (cut off): {cut}"


LOG_AXIS_PAGES = ["terms/adam/", "terms/layer-normalization/", "terms/mini-batch/", "terms/wordpiece/",
                  "terms/random-forest/", "terms/zipfs-law/"]
OVERLAPPING_TICKS_JS = """el => {
  const out = [];
  for (const [name, ax] of Object.entries(el._fullLayout || {})) {
    if (!/^[xy]axis\\d*$/.test(name) || ax.type !== 'log') continue;
    const boxes = [...el.querySelectorAll('g.' + ax._id + 'tick text')].map(t => [t.textContent, t.getBoundingClientRect()]);
    for (let a = 0; a < boxes.length; a++) for (let b = a + 1; b < boxes.length; b++) {
      const [ta, A] = boxes[a], [tb, B] = boxes[b];
      if (A.width && B.width && A.left < B.right - 1 && B.left < A.right - 1 && A.top < B.bottom - 1 && B.top < A.bottom - 1)
        out.push(name + ': ' + ta + ' / ' + tb);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("path", LOG_AXIS_PAGES)
def test_log_axis_labels_do_not_overlap_at_phone_width(site_url, new_page, path):
    """Log axes of one to two and a half decades had every digit labelled, overlapping on a phone
    (figures.log_ticks)."""
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + path)
    n = draw_all(page)
    plots = page.locator(".ll-plot")
    overlapping, logs = {}, 0
    for i in range(n):
        draw(plots.nth(i))
        logs += plots.nth(i).evaluate("el => Object.values(el._fullLayout || {}).some(a => a && a.type === 'log')")
        found = plots.nth(i).evaluate(OVERLAPPING_TICKS_JS)
        if found:
            overlapping[plots.nth(i).get_attribute("aria-label")[:60]] = found[:5]
    assert logs, f"{path} draws no log axis any more: choose another page"
    assert not overlapping, f"log-axis tick labels overlap at 390 px: {overlapping}"


def test_placeholder_until_plotly_arrives(site_url, new_page):
    page = new_page()
    held = []  # the plotly.js request, never answered: plotly.js is still on its way
    page.route("**/plotly.min.js", lambda route: held.append(route))
    page.goto(site_url + "benchmarks/", wait_until="domcontentloaded")  # the load event waits for plotly.js
    plot = page.locator(".ll-plot").first
    plot.scroll_into_view_if_needed()
    expect(plot).to_be_visible()
    alt = plot.get_attribute("aria-label")
    # The text the box shows (generated content, so it stays out of the search index).
    shown = plot.evaluate(WAIT_TEXT_JS)
    assert shown["text"] == "Loading the chart: " + alt, shown
    assert shown["display"] == "flex" and shown["height"] > 100 and shown["visible"], shown
    assert held, "plotly.js was not even requested"
    assert plot.get_attribute("data-state") != "drawn"
    screenshot(page, "figure-placeholder.png")


def test_plotly_fetched_when_idle_on_pages_with_figures_only(site_url, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    plotly: list[str] = []
    page.context.on("request", lambda r: plotly.append(r.url) if "plotly" in r.url else None)
    page.goto(site_url + "about/")
    assert page.locator(".ll-plot").count() == 0
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert not plotly, "plotly.js fetched on a page without figures"

    # On the Embedding page the first figure is far below the first screen: plotly.js comes
    # anyway, once the page is idle, and the figures in view of nothing stay undrawn.
    page.goto(site_url + EMBEDDING)
    first = page.locator(".ll-plot").first
    assert first.bounding_box()["y"] > 900 + 300, "the first figure is near the first screen"
    page.wait_for_function("() => !!document.querySelector('link[rel=prefetch][data-ll-plotly]')", timeout=15_000)
    page.wait_for_load_state("networkidle")
    assert len(plotly) == 1                                   # fetched into the cache ...
    assert page.evaluate("typeof window.Plotly") == "undefined"   # ... but not run: no main-thread cost
    assert first.get_attribute("data-state") is None
    draw(first)                                               # a figure in view runs it
    assert page.evaluate("typeof window.Plotly") == "object"
