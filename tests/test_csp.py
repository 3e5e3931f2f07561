"""The web build's Content-Security-Policy: present everywhere, and nothing on the site breaks it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lexicon import csp

PAGES = ["", "terms/embedding/", "notebooks/train-word2vec/", "terms/cosine-similarity/", "explorer/", "learning-path/", "benchmarks/",
         "instructors/", "claims/", "terms/"]

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def test_inline_script_hashes_and_policy():
    html = ('<script>var a=1</script><script type="application/json">{"x":1}</script>'
            '<script src="x.js"></script><script type="module">import x</script>')
    hashes = csp.script_hashes(html)
    assert len(hashes) == 2
    pol = csp.policy(hashes)
    assert "script-src 'self' 'sha256-" in pol and "'unsafe-eval'" not in pol and "object-src 'none'" in pol
    assert "http" not in pol  # no other host is allowed anything


@pytest.mark.site
def test_every_page_of_the_web_build_has_the_same_policy(built_site):
    policies = set()
    for page in built_site.rglob("*.html"):
        m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page.read_text())
        assert m, f"{page} has no policy"
        policies.add(m.group(1))
    assert len(policies) == 1


@pytest.mark.browser
def test_no_page_violates_the_policy(site_url, new_page):
    from browser_util import draw_all

    page = new_page()
    page.add_init_script(WATCH)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    for path in PAGES:
        page.goto(site_url + path)
        draw_all(page)
        assert page.evaluate("window.__csp") == [], path
    # Instant navigation keeps the first page's policy: follow a link and use the next page.
    page.goto(site_url)
    page.locator("article ol a[href*='terms/']").first.click()   # the first term of the beginners' path
    page.wait_for_selector(".ll-term-header")
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially("cosine", delay=20)   # Material searches on key events
    # The search worker has answered (its results are in the page): whether the overlay is shown
    # yet does not matter to the policy, and on a loaded machine it may still be opening.
    expect(page.locator(".md-search-result__item").first).to_be_attached()
    assert page.evaluate("window.__csp") == []
    assert errors == []
