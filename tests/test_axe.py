"""axe-core on every term page, in the light and the dark palette: no serious or critical violation.

axe-core comes from npm (a pinned dev dependency in package.json; `make test` installs it) and is
injected into each loaded page with add_script_tag. The site's Content-Security-Policy allows only
its own hashed inline scripts, so this test's browser context bypasses CSP for the injected tag
(tests/test_csp.py checks the policy itself). One browser and one page per palette serve all 62 loads;
the palette is chosen by the prefers-color-scheme media feature, as a reader's system would.

Before axe runs, every <details> is opened and every exercise's answer region shown (a reader
does that by clicking), and the page's first figure is drawn: an undrawn figure has no Plotly
mode bar, so axe would not see it. Violations below "serious" are reported as warnings.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser_util import draw

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TERMS = sorted(p.stem for p in (ROOT / "docs" / "terms").glob("*.md") if p.stem != "index")
PALETTES = {"light": "default", "dark": "slate"}
FAILING_IMPACTS = {"serious", "critical"}

# Rule ids allowed to fail for now, each with its reason; keep this empty.
ALLOWED: set[str] = set()

# Elements of the theme (Material) left out of the check, each with its upstream cause: none needed.
EXCLUDE: list[str] = []

REVEAL_JS = """() => {
  document.querySelectorAll('.ll-exercise__reveal[hidden]').forEach(el => { el.hidden = false; });
  document.querySelectorAll('details:not([open])').forEach(d => { d.open = true; });
}"""

RUN_AXE_JS = """async exclude => {
  const r = await axe.run({exclude: exclude.map(s => [s])}, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
}"""


@pytest.fixture(scope="module")
def axe_pages(browser):
    """One page per palette, reused for every term: Material remembers the palette a page
    loaded with (localStorage), so each palette keeps its own context."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: install the npm dev dependencies (npm ci)")
    pages, contexts = {}, []

    def get(palette: str):
        if palette not in pages:
            ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=palette,
                                      bypass_csp=True)
            ctx.set_default_timeout(15_000)
            contexts.append(ctx)
            pages[palette] = ctx.new_page()
        return pages[palette]

    yield get
    for ctx in contexts:
        ctx.close()


def format_violations(violations: list[dict], limit: int = 5) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}")
        for n in v["nodes"][:limit]:
            lines.append(f"    {n['target']}: {' '.join(n['summary'].split())[:200]}")
    return "\n".join(lines)


def test_axe_finds_axe_core():
    assert AXE.exists(), f"{AXE} is missing: install the npm dev dependencies (npm ci)"
    assert len(TERMS) >= 31, TERMS


@pytest.mark.parametrize("palette", list(PALETTES))
@pytest.mark.parametrize("term", TERMS)
def test_axe_no_serious_violations(site_url, axe_pages, term, palette):
    check(axe_pages(palette), site_url, f"terms/{term}/", palette)


@pytest.mark.parametrize("palette", list(PALETTES))
def test_axe_claims_audit(site_url, axe_pages, palette):
    """The claims audit: its overview, and a part's filters (shown by audit.js) and every page's group, opened."""
    page = axe_pages(palette)
    check(page, site_url, "claims/", palette)
    check(page, site_url, "claims/machine-learning/", palette)
    assert page.locator("form.ll-audit__filters").is_visible()


def check(page, site_url: str, path: str, palette: str) -> None:
    page.goto(site_url + path)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", PALETTES[palette])
    page.evaluate(REVEAL_JS)
    plots = page.locator(".ll-plot")
    if plots.count():
        draw(plots.first)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE_JS, EXCLUDE)

    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS and v["id"] not in ALLOWED]
    rest = [v for v in violations if v not in failing]
    if rest:
        warnings.warn(f"axe on {path} ({palette}), not failing:\n{format_violations(rest, 2)}", stacklevel=1)
    assert not failing, f"axe on {path} ({palette}):\n{format_violations(failing)}"
