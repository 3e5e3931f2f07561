"""A block's checked claims, as a reader meets them: one folded "Verified against … (n)" per block.

The lines used to follow each example like test output (seven after one table on fastText).
A false claim (a non-strict build) is never folded away: it stays in view before the fold.
"""

from __future__ import annotations

import html
import json
import re

from playwright.sync_api import expect

from browser_util import screenshot, tab_until
from lexicon.engine.checks import Claim
from lexicon.render import claims_html

SUMMARY = re.compile(r"^✓?Verified( against .+)? \((\d+)\)$")


def test_each_block_folds_its_checks_into_one_summary_that_opens_from_the_keyboard(site_url, new_page):
    page = new_page()
    page.goto(site_url + "terms/fasttext/")
    folds = page.locator(".ll-block details.ll-verified")
    assert folds.count() >= 3
    for i in range(folds.count()):
        fold = folds.nth(i)
        assert fold.evaluate("d => d.closest('.ll-block').querySelectorAll(':scope > details.ll-verified').length") <= 1
        m = SUMMARY.match(fold.locator(":scope > summary").inner_text().strip())
        assert m, fold.locator(":scope > summary").inner_text()
        assert int(m.group(2)) == fold.locator("li.ll-claim--ok").count() >= 1
    # Folded: no checked line is on screen until the reader asks.
    expect(page.locator("li.ll-claim--ok").first).to_be_hidden()
    assert not [e for e in page.locator("li.ll-claim--ok").all() if e.is_visible()]
    # The biggest fold (the table the issue names) opens from the keyboard.
    counts = [int(SUMMARY.match(folds.nth(i).locator(":scope > summary").inner_text().strip()).group(2))
              for i in range(folds.count())]
    biggest = folds.nth(counts.index(max(counts)))
    summary = biggest.locator(":scope > summary")
    summary.scroll_into_view_if_needed()
    page.evaluate("s => { s.scrollIntoView(); const prev = s.closest('.ll-block'); prev.tabIndex = -1; prev.focus(); }",
                  summary.element_handle())
    assert tab_until(page, summary, limit=60), "the summary is not reachable with Tab"
    page.keyboard.press("Enter")
    expect(biggest).to_have_js_property("open", True)
    expect(biggest.locator("li.ll-claim--ok").first).to_be_visible()
    assert biggest.locator("li.ll-claim--ok").count() == max(counts)
    screenshot(page, "verified-fasttext-open.png")


def test_a_false_claim_stays_in_view_beside_the_closed_fold(site_url, new_page):
    """As a non-strict build writes it (the strict build fails instead): the frame's own HTML."""
    page = new_page()
    page.goto(site_url + "terms/fasttext/")
    html = claims_html([Claim("'where' has 5 pieces", False, "it has 4"), Claim("'<wh' is a piece", True, "yes")])
    page.evaluate("h => { const b = document.querySelector('.ll-block'); b.querySelectorAll('details.ll-verified')"
                  ".forEach(d => d.remove()); b.insertAdjacentHTML('beforeend', h); }", html)
    block = page.locator(".ll-block").first
    wrong = block.locator("li.ll-claim--false")
    expect(wrong).to_be_visible()
    expect(wrong).to_contain_text("False claim: 'where' has 5 pieces. it has 4.")
    expect(block.locator("details.ll-verified")).to_have_js_property("open", False)
    expect(block.locator("details.ll-verified > summary")).to_have_text("✓Verified against the model (1)")


def test_folded_checks_stay_out_of_search_and_on_the_claims_audit(built_site, site_url, new_page):
    docs = json.loads((built_site / "search" / "search_index.json").read_text())["docs"]
    page = new_page()
    page.goto(site_url + "terms/fasttext/")
    statement = page.locator("details.ll-verified li.ll-claim--ok").first.text_content().lstrip("✓").rstrip(".")
    # Checks are not what a learner searches for (the index keeps text as HTML: '<wh' reads '&lt;wh').
    assert not any(html.escape(statement[:40], quote=False) in d["text"] for d in docs)
    assert not any("Verified against" in d["text"] or "Computed at build time" in d["text"] for d in docs)
    # The audit lists it and its link lands on the block that holds the fold.
    page.goto(site_url + "claims/model-internals/")     # fastText's part of the audit; its group is closed: the reader types words of it into the filter
    page.locator('input[name="words"]').fill(statement[:40])   # by name: a select's label may repeat "Words"
    link = page.locator("tr", has_text=statement[:40]).locator("a").first
    anchor = link.get_attribute("href").split("#", 1)[1]
    link.click()
    page.wait_for_url(re.compile(re.escape("#" + anchor) + "$"))
    expect(page.locator(f'[id="{anchor}"] details.ll-verified')).to_have_count(1)
