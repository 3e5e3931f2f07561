"""The benchmarks page and the claims audit, as built (the evaluator and the block kinds are tested
in test_blocks_evaluation.py)."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup


def test_benchmarks_page_shows_measured_beside_published(built_site):
    soup = BeautifulSoup((built_site / "benchmarks" / "index.html").read_text(), "html.parser")
    blocks = soup.select(".ll-block--analogy-benchmark, .ll-block--similarity-benchmark")
    assert len(blocks) == 3
    text = blocks[0].get_text(" ")
    assert "71.7 %" in text and "not reported" in text and "measured on this site" in text
    acc = re.search(r"Total\s+([\d,]+)\s+([\d,]+)\s+([\d.]+) %", text)
    assert acc and 30 < float(acc.group(3)) < 80
    fig = json.loads(blocks[0].select_one(".ll-plot")["data-figure"])
    assert len(fig["data"][0]["y"]) == 14                     # every section of questions-words.txt
    scatter = json.loads(blocks[1].select_one(".ll-plot")["data-figure"])
    assert scatter["data"][0]["type"] == "scatter" and len(scatter["data"][0]["x"]) == 353
    assert "0.658" in blocks[1].get_text(" ")


@pytest.mark.site
def test_claims_audit_lists_every_claim_and_links_resolve(built_site):
    """The overview's total is the sum of its parts' pages; every part links to its page, and every
    claim's link lands on its block."""
    overview = BeautifulSoup((built_site / "claims" / "index.html").read_text(), "html.parser")
    summary = overview.select_one("article .ll-audit__total").get_text(" ")
    n = int(re.search(r"([\d,]+) claims", summary).group(1).replace(",", ""))
    assert "all of them hold" in summary and n > 50
    parts = overview.select("article .ll-audit__groups table tbody tr")
    assert len(parts) >= 8, len(parts)           # every part of the glossary, and the other pages
    rows = []
    for part in parts:
        href = part.select_one("a")["href"]
        page = built_site / "claims" / href / "index.html"
        soup = BeautifulSoup(page.read_text(), "html.parser")
        here = soup.select("article details.ll-audit__page table tbody tr")
        assert len(here) == int(part.select("td")[2].get_text().replace(",", "")), href
        assert len(here) == int(soup.select_one(".ll-audit")["data-total"]), href
        rows += [(page.parent, r) for r in here]
    assert len(rows) == n
    kinds = {r["data-kind"] for _, r in rows}
    assert kinds == {r.select_one("a").get_text() for _, r in rows}
    assert {"analogy", "analogy-benchmark", "notebook check"} <= kinds, kinds
    for folder, row in rows:
        a = row.select_one("a")
        page, _, anchor = a["href"].partition("#")
        target = (folder / page / "index.html").resolve()
        assert target.exists(), a["href"]
        if anchor:   # a notebook's checks link to the notebook page itself
            assert f'id="{anchor}"' in target.read_text(), a["href"]
