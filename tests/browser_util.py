"""Helpers for the browser tests: reveal and draw figures, collect errors and requests.

Figures are drawn lazily by docs/assets/javascripts/figures.js: only when they
come near the viewport, and only once they have a box (a closed <details> or an
inactive content tab hides them). These helpers do what a reader would do to
see every figure: click tab labels, open <details>, scroll.
"""

from __future__ import annotations

import html.parser
import json
from pathlib import Path

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

DRAW_TIMEOUT = 15_000  # ms: plotly.js is ~4 MB and the first figure waits for it

# For one .ll-plot: the controls that hide it (outermost first): the <summary> of
# each closed <details> around it and the label of each tab it sits in.
_HIDERS_JS = """el => {
  const out = [];
  for (let n = el.parentElement; n; n = n.parentElement) {
    if (n.tagName === 'DETAILS' && !n.open) {
      const s = n.querySelector(':scope > summary');
      if (s) out.unshift(s);
    }
    if (n.classList.contains('tabbed-block') && n.parentElement
        && n.parentElement.classList.contains('tabbed-content')) {
      const set = n.parentElement.parentElement;
      const i = Array.prototype.indexOf.call(n.parentElement.children, n);
      const labels = set.querySelectorAll(':scope > .tabbed-labels > label');
      if (labels[i]) out.unshift(labels[i]);
    }
  }
  return out;
}"""


def reveal(plot) -> None:
    """Open the tabs and <details> that hide one figure, outermost first."""
    handles = plot.evaluate_handle(_HIDERS_JS)
    for h in handles.get_properties().values():
        el = h.as_element()
        if el is None:
            continue
        is_open_summary = el.evaluate("e => e.tagName === 'SUMMARY' && e.parentElement.open")
        if not is_open_summary:
            el.click()
    handles.dispose()


def draw(plot, timeout: int = DRAW_TIMEOUT) -> None:
    """Reveal one figure, scroll it into view and wait until figures.js has drawn it."""
    reveal(plot)
    expect(plot).to_be_visible()
    plot.scroll_into_view_if_needed()
    handle = plot.element_handle()
    try:
        # Poll every animation frame: expect() backs off to 1 s between polls.
        plot.page.wait_for_function("el => el.dataset.state === 'drawn' || el.dataset.state === 'failed'",
                                    arg=handle, polling="raf", timeout=timeout)
    except PlaywrightTimeout:
        pass  # reported by the assertion below
    finally:
        handle.dispose()
    expect(plot).to_have_attribute("data-state", "drawn", timeout=1_000)


def click_every_tab(page: Page) -> int:
    """Click every label of every tabbed set; draw what each tab shows. Returns labels clicked."""
    clicked = 0
    sets = page.locator(".tabbed-set")
    for s in range(sets.count()):
        labels = sets.nth(s).locator(":scope > .tabbed-labels > label")
        for j in range(labels.count()):
            if not labels.nth(j).is_visible():
                reveal(labels.nth(j))   # tabs inside a closed box: a reader opens the box first
            labels.nth(j).click()
            clicked += 1
            block = sets.nth(s).locator(":scope > .tabbed-content > .tabbed-block").nth(j)
            expect(block).to_be_visible()
            plots = block.locator(".ll-plot")
            for k in range(plots.count()):
                if plots.nth(k).is_visible():
                    draw(plots.nth(k))
    return clicked


def open_every_plot_details(page: Page) -> int:
    """Open every <details> that holds a figure, and show every exercise's answer region.

    A reader shows an exercise's answer by checking an answer (tests/test_exercises.py does
    that); here, where only the figures matter, the region is simply un-hidden.
    """
    opened = page.evaluate("""() => {
        const hidden = [...document.querySelectorAll('.ll-exercise__reveal[hidden]')];
        hidden.forEach(el => { el.hidden = false; });
        return hidden.length;
    }""")
    details = page.locator("details:has(.ll-plot)")
    for i in range(details.count()):
        d = details.nth(i)
        if not d.evaluate("d => d.open"):
            reveal(d)  # a <details> inside a closed <details> or an inactive tab
            d.locator(":scope > summary").click()
            expect(d).to_have_js_property("open", True)
            opened += 1
    return opened


def draw_all(page: Page) -> int:
    """Do what a reader does to see every figure on the page; return how many there are."""
    click_every_tab(page)
    open_every_plot_details(page)
    plots = page.locator(".ll-plot")
    n = plots.count()
    for i in range(n):
        draw(plots.nth(i))
    return n


def plot_states(page: Page) -> list[dict]:
    """State of every figure: drawn?, has an svg?, how many plot containers, its label."""
    return page.eval_on_selector_all(".ll-plot", """els => els.map(el => ({
        state: el.dataset.state || null,
        svg: el.querySelectorAll('.main-svg').length,
        containers: el.querySelectorAll(':scope > .plot-container').length,
        plotly: el.classList.contains('js-plotly-plot'),
        label: (el.getAttribute('aria-label') || '').slice(0, 60),
    }))""")


def watch_errors(page: Page) -> list[str]:
    """Collect console errors and uncaught page errors into a list (filled as they happen)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text} @ {m.location}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    return errors


class _FigureParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.figures: list[dict] = []
        self.plots = 0  # every .ll-plot element, with or without data

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "ll-plot" in (a.get("class") or "").split():
            self.plots += 1
            if "data-figure" in a:
                self.figures.append(json.loads(a["data-figure"]))


def built_figures(site: Path) -> dict[str, list[dict]]:
    """Every figure (parsed data-figure JSON) in every built HTML file, keyed by relative path."""
    out = {}
    for f in sorted(site.rglob("*.html")):
        p = _FigureParser()
        p.feed(f.read_text(encoding="utf-8"))
        if p.figures:
            out[f.relative_to(site).as_posix()] = p.figures
    return out


def count_plots_in_html(path: Path) -> int:
    p = _FigureParser()
    p.feed(path.read_text(encoding="utf-8"))
    return p.plots


# --- Exercises (docs/assets/javascripts/exercises.js) -----------------------------------------

def exercise(page: Page, kind: str):
    """The exercise block of one kind: "rank", "odd-one-out" or "analogy"."""
    return page.locator(f'.ll-exercise[data-exercise="{kind}"]')


def exercise_answer(ex) -> dict:
    """The model's answer, as the page carries it for exercises.js (data-answer JSON)."""
    return json.loads(ex.get_attribute("data-answer"))


def is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_until(page: Page, locator, limit: int = 20) -> bool:
    """Press Tab (as a keyboard user would) until locator has focus; False if it never does."""
    for _ in range(limit):
        if is_focused(locator):
            return True
        page.keyboard.press("Tab")
    return is_focused(locator)


# The contrast ratio (WCAG) between an element's text colour and the first opaque background
# behind it (walking up the tree); enough for flat backgrounds such as the exercise boxes.
CONTRAST_JS = """el => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  let bg = null;
  for (let n = el; n && !bg; n = n.parentElement) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) bg = c;
  }
  bg = bg || [255, 255, 255];
  let fg = rgb(getComputedStyle(el).color);
  if (fg.length === 4) fg = [0, 1, 2].map(i => fg[3] * fg[i] + (1 - fg[3]) * bg[i]);  // translucent text
  const a = lum(fg), b = lum(bg);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def contrast(locator) -> float:
    return locator.evaluate(CONTRAST_JS)


SHOTS = Path("/tmp/ll-shots")  # screenshots for people to look at; never asserted on


def screenshot(page: Page, name: str) -> None:
    """Full-page screenshot from the top (so the sticky header and sidebars sit where they belong)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_function("() => window.scrollY === 0")
    page.screenshot(path=str(SHOTS / name), full_page=True)


def assert_downloaded_once(page: Page, url: str) -> None:
    """``url`` was transferred in full once in this document: the idle prefetch and the <script>
    that runs it later share one download (later entries come from the cache, 0 bytes, or are a
    revalidation of the cached copy, a few hundred bytes), across instant navigation."""
    sizes = page.evaluate("u => performance.getEntriesByType('resource').filter(e => e.name === u)"
                          ".map(e => [e.transferSize, e.encodedBodySize])", url)
    assert len([t for t, body in sizes if t >= body > 0]) == 1, f"{url} transfers in this document: {sizes}"
