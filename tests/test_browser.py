"""Real-browser tests of the built site: figures draw, nothing leaves 127.0.0.1, instant
navigation, palette, keyboard and phone width.

Headless Debian Chromium (see conftest.py) loads the strictly built site from a local
server. Full-page screenshots for human review go to /tmp/ll-shots/ (not asserted).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from browser_util import (
    assert_downloaded_once,
    screenshot,
    built_figures,
    click_every_tab,
    count_plots_in_html,
    draw,
    draw_all,
    open_every_plot_details,
    plot_states,
    watch_errors,
)

pytestmark = pytest.mark.browser

EMBEDDING = "terms/embedding/"
PLOTLY_PATH = "assets/vendor/plotly.min.js"
# Instant navigation swaps the page in place: a global set before a click survives it.
MARKER_SET = "window.__llMarker = 1"
MARKER_GET = "window.__llMarker === 1"






def assert_all_drawn(page, expected: int) -> list[dict]:
    states = plot_states(page)
    assert len(states) == expected, f"{len(states)} figures on the page, {expected} in the HTML"
    bad = [s for s in states if s["state"] != "drawn" or not s["svg"] or not s["plotly"]]
    assert not bad, f"figures not drawn: {bad}"
    dup = [s for s in states if s["containers"] != 1]
    assert not dup, f"figures drawn more than once (or not at all): {dup}"
    return states


def is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob") or parts.hostname == "127.0.0.1"


def wait_for_instant(page, url: str) -> None:
    """Wait for an in-place navigation to url, and for Material to have swapped the content."""
    page.wait_for_url(url)
    page.wait_for_function("u => location.href === u && document.querySelector('.md-content') !== null",
                           arg=url)
    assert page.evaluate(MARKER_GET), f"navigation to {url} was a full page load, not an instant one"


# --- 1. every figure draws -------------------------------------------------------------------

def test_every_figure_on_embedding_page_is_drawn(site_url, built_site, new_page):
    expected = count_plots_in_html(built_site / EMBEDDING / "index.html")
    assert expected >= 11, f"only {expected} figures in the built Embedding page"
    page = new_page()
    page.goto(site_url + EMBEDDING)

    labels = page.locator(".tabbed-set > .tabbed-labels > label").count()
    assert labels >= 7, "the analogy tabs (4) and the map tabs (3) are missing"
    assert click_every_tab(page) == labels
    assert open_every_plot_details(page) >= 3, "the three exercises' answers hold figures"
    plots = page.locator(".ll-plot")
    for i in range(plots.count()):
        draw(plots.nth(i))
    assert_all_drawn(page, expected)
    screenshot(page, "embedding-light-desktop.png")


# --- 2. no console errors ------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["", EMBEDDING, "authoring/"])
def test_no_console_or_page_errors(site_url, new_page, path):
    page = new_page()
    errors = watch_errors(page)
    page.goto(site_url + path, wait_until="load")
    n = draw_all(page)
    if path == EMBEDDING:
        assert n >= 11
    page.wait_for_load_state("networkidle")
    assert not errors, "\n".join(errors)


# --- 3. nothing leaves 127.0.0.1; plotly.js once, from the site ------------------------------

def test_no_request_leaves_loopback_and_plotly_loads_once(site_url, new_page):
    page = new_page()
    requests: list[str] = []
    page.context.on("request", lambda r: requests.append(r.url))
    errors = watch_errors(page)

    # Full loads of both pages (everything outside the content area is requested too) ...
    page.goto(site_url)
    page.goto(site_url + EMBEDDING)
    draw_all(page)
    # ... then away and back within the same page: instant navigation keeps plotly.js.
    page.evaluate(MARKER_SET)
    page.locator(".md-sidebar--primary a[href$='authoring/']:visible").first.click()
    wait_for_instant(page, site_url + "authoring/")
    page.locator("a.md-logo").first.click()
    wait_for_instant(page, site_url)
    page.locator(f".md-content a[href$='{EMBEDDING}']").first.click()
    wait_for_instant(page, site_url + EMBEDDING)
    draw(page.locator(".ll-plot:visible").first)
    page.go_back()
    wait_for_instant(page, site_url)
    page.go_forward()
    wait_for_instant(page, site_url + EMBEDDING)
    draw(page.locator(".ll-plot:visible").first)
    page.wait_for_load_state("networkidle")

    assert requests, "no requests recorded"
    outside = sorted({u for u in requests if not is_loopback(u)})
    assert not outside, f"requests left 127.0.0.1: {outside}"
    plotly = [u for u in requests if "plotly" in u.lower()]
    assert set(plotly) == {site_url + PLOTLY_PATH}, f"plotly.js requests: {plotly}"
    assert_downloaded_once(page, site_url + PLOTLY_PATH)
    assert page.evaluate("typeof window.Plotly === 'object' && !!window.Plotly.newPlot")
    assert not errors, "\n".join(errors)


# --- 4. instant navigation ---------------------------------------------------------------------

def test_instant_navigation_to_embedding_and_back(site_url, built_site, new_page):
    expected = count_plots_in_html(built_site / EMBEDDING / "index.html")
    page = new_page()
    errors = watch_errors(page)
    page.goto(site_url)
    page.evaluate(MARKER_SET)

    link = page.locator(f".md-content a[href$='{EMBEDDING}']").first
    link.click()
    wait_for_instant(page, site_url + EMBEDDING)
    expect(page.locator(".ll-plot")).to_have_count(expected)
    first = page.locator(".ll-plot:visible").first
    draw(first)
    assert plot_states(page)[0]["svg"] > 0

    # Back and forward by history, then home by the logo link and back by the card link.
    page.go_back()
    wait_for_instant(page, site_url)
    expect(page.locator(".ll-plot")).to_have_count(0)
    page.go_forward()
    wait_for_instant(page, site_url + EMBEDDING)
    draw(page.locator(".ll-plot:visible").first)
    page.locator("a.md-logo").first.click()
    wait_for_instant(page, site_url)
    page.locator(f".md-content a[href$='{EMBEDDING}']").first.click()
    wait_for_instant(page, site_url + EMBEDDING)
    assert draw_all(page) == expected
    assert_all_drawn(page, expected)
    assert not errors, "\n".join(errors)


# --- 5. the shipped plotly.js bundle knows every trace type the site uses ----------------------

def test_plotly_bundle_has_every_trace_type(site_url, built_site, new_page):
    figures = built_figures(built_site)
    assert EMBEDDING + "index.html" in figures
    used = {t.get("type", "scatter") for figs in figures.values() for f in figs for t in f["data"]}
    assert used, "no traces in the built site"
    page = new_page()
    page.goto(site_url + EMBEDDING)
    draw(page.locator(".ll-plot:visible").first)
    available = set(page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)"))
    missing = used - available
    assert not missing, f"trace types used by the site but not in {PLOTLY_PATH}: {sorted(missing)}"


# --- 6. palette toggle re-themes drawn figures -----------------------------------------------

FONT_COLORS = """() => Array.from(document.querySelectorAll('.ll-plot[data-state="drawn"]'))
    .map(el => el._fullLayout.font.color)"""


def test_palette_toggle_rethemes_figures(site_url, built_site, new_page):
    expected = count_plots_in_html(built_site / EMBEDDING / "index.html")
    page = new_page()
    page.goto(site_url + EMBEDDING)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    draw(page.locator(".ll-plot:visible").first)
    light = page.evaluate(FONT_COLORS)
    assert len(light) >= 1

    page.locator('form[data-md-component="palette"] label:visible').first.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    try:
        page.wait_for_function(f"before => ({FONT_COLORS})().every((c, i) => c !== before[i])",
                               arg=light, timeout=5_000)
    except PlaywrightTimeout:
        pytest.fail(f"drawn figures kept their light font colour after the switch to slate: "
                    f"{light} -> {page.evaluate(FONT_COLORS)}")
    # Figures drawn after the switch get the same dark theme as the re-themed ones.
    draw_all(page)
    dark = page.evaluate(FONT_COLORS)
    assert len(dark) == expected
    assert set(dark) == {dark[0]} and dark[0] not in light, (light, dark)
    screenshot(page, "embedding-dark-desktop.png")


# --- 7. keyboard: see tests/test_exercises.py and tests/test_explorer.py --------------------------

# --- 8. phone width ------------------------------------------------------------------------------

def test_phone_width_no_overflow(site_url, built_site, new_page):
    expected = count_plots_in_html(built_site / EMBEDDING / "index.html")
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                    device_scale_factor=1)
    page.goto(site_url + EMBEDDING)
    assert draw_all(page) == expected
    assert_all_drawn(page, expected)
    dims = page.evaluate("""() => ({sw: document.documentElement.scrollWidth,
        cw: document.documentElement.clientWidth, bw: document.body.scrollWidth})""")
    assert dims["cw"] <= 390
    assert dims["sw"] <= dims["cw"] + 1 and dims["bw"] <= dims["cw"] + 1, f"horizontal overflow: {dims}"
    widths = page.eval_on_selector_all(".ll-plot", """els => els.map(el => {
        const svg = el.querySelector('.main-svg'), r = svg.getBoundingClientRect();
        return {drawn: el._fullLayout.width, visible: r.width > 0, left: r.left, right: r.right,
                label: el.getAttribute('aria-label').slice(0, 50)};
    })""")
    too_wide = [w for w in widths if w["drawn"] > dims["cw"]
                or (w["visible"] and (w["left"] < -1 or w["right"] > dims["cw"] + 1))]
    assert not too_wide, f"figures wider than the {dims['cw']} px viewport: {too_wide}"
    screenshot(page, "embedding-phone.png")


# --- Figures fit their boxes --------------------------------------------------------------------

TEXT_OUTSIDE_JS = """el => {
  const box = el.getBoundingClientRect(), out = [];
  el.querySelectorAll('.main-svg text').forEach(t => {
    const r = t.getBoundingClientRect();
    if (!t.textContent.trim() || r.width === 0) return;
    if (r.top < box.top - 1 || r.bottom > box.bottom + 1 || r.left < box.left - 1 || r.right > box.right + 1)
      out.push(t.textContent + ' (' + (t.parentElement.getAttribute('class') || '') + ')');
  });
  return out;
}"""


def test_figure_text_is_not_clipped(site_url, new_page):
    page = new_page()
    page.goto(site_url + EMBEDDING)
    click_every_tab(page)
    open_every_plot_details(page)
    clipped = {}
    plots = page.locator(".ll-plot")
    for i in range(plots.count()):
        draw(plots.nth(i))  # measured while visible: figures in other tabs have no box
        outside = plots.nth(i).evaluate(TEXT_OUTSIDE_JS)
        if outside:
            clipped[plots.nth(i).get_attribute("aria-label")[:50]] = outside
    assert not clipped, f"figure text outside the figure box (cut off): {clipped}"


def test_hidden_figure_refits_after_window_narrows(site_url, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + EMBEDDING)
    first_tab = page.locator(".tabbed-set").first.locator(":scope > .tabbed-labels > label")
    plot = page.locator(".tabbed-set").first.locator(".ll-plot").first
    draw(plot)
    first_tab.nth(1).click()  # hide it in an inactive tab ...
    page.set_viewport_size({"width": 390, "height": 844})  # ... while the window narrows
    first_tab.nth(0).click()
    fits = "el => el._fullLayout.width <= el.getBoundingClientRect().width + 1"
    try:
        page.wait_for_function(fits, arg=plot.element_handle(), timeout=5_000)
    except PlaywrightTimeout:
        pass  # the assertion below reports the sizes
    sizes = plot.evaluate("el => [el._fullLayout.width, el.getBoundingClientRect().width]")
    assert sizes[0] <= sizes[1] + 1, f"figure drawn {sizes[0]} px wide in a {sizes[1]} px box"


def test_the_home_page_search_hint_fits_the_device(site_url, new_page):
    """A phone has no "/" key: touch screens are told to tap the search icon instead."""
    desktop = new_page(viewport={"width": 1280, "height": 900})
    desktop.goto(site_url)
    expect(desktop.locator(".ll-keys")).to_be_visible()
    expect(desktop.locator(".ll-keys")).to_contain_text("Press /")
    expect(desktop.locator(".ll-touch")).to_be_hidden()
    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=1)
    phone.goto(site_url)
    expect(phone.locator(".ll-touch")).to_be_visible()
    expect(phone.locator(".ll-touch")).to_have_text("Tap the search icon")
    expect(phone.locator(".ll-keys")).to_be_hidden()
