"""The built pages are valid HTML, as the W3C Nu HTML checker (vnu) reads them.

vnu.jar comes from the npm package ``vnu-jar`` (pinned in package.json, a dev dependency) and
runs on the machine's Java (Debian's ``default-jre-headless``; .ci/run installs it when missing).
Material's own markup has a few errors we do not patch; they are listed in THEME and filtered
narrowly (message *and* the theme's markup). Everything else vnu reports is ours and fails.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# A term page with figures and claims, a notebook page, the explorer, the home page, the A–Z
# page (a section index without a table of contents), the block reference (every kind) and the
# claims audit (its filters and one group per page).
PAGES = ["terms/embedding/index.html", "terms/fasttext/index.html", "notebooks/glove-geometry/index.html",
         "explorer/index.html", "index.html", "terms/index.html", "blocks/index.html", "blocks/transformer/index.html", "claims/index.html", "claims/machine-learning/index.html"]

# Material 9's own errors (not our markup): (message, a piece of the markup it is about).
THEME = [
    (re.compile(r"Bad value “” for attribute “tabindex” on element “label”"), 'class="md-nav__link'),
    (re.compile(r"Attribute “autocomplete” is only allowed when the input type is"), 'class="md-toggle"'),
    (re.compile(r"Attribute “autocorrect” not allowed on element “input”"), 'class="md-search__input"'),
]

# What the checker must catch in markup like ours (it did, before they were fixed). vnu 26 no
# longer reports a <style> in <article> (older checkers do): test_no_style_in_an_article checks it.
BAD = """<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><article>
<figure><div>plot</div><figcaption>c</figcaption><details><summary>Numbers</summary></details></figure>
<label for="__toc">Table of contents</label>
</article></body></html>"""


def theirs(m: dict) -> bool:
    return any(rx.search(m.get("message", "")) and snippet in m.get("extract", "") for rx, snippet in THEME)


def vnu(paths: list[Path]) -> dict[str, list[dict]]:
    """vnu's errors per file (its JSON report goes to stderr)."""
    if not shutil.which("java"):
        pytest.fail("java is missing: apt-get install default-jre-headless (.ci/run does this)")
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: run `npm ci` (make test installs the dev dependencies)")
    proc = subprocess.run(["java", "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json",
                           *map(str, paths)], capture_output=True, text=True, timeout=300)
    out: dict[str, list[dict]] = {str(p): [] for p in paths}
    for m in json.loads(proc.stderr)["messages"]:
        out.setdefault(m.get("url", "").removeprefix("file:"), []).append(m)
    return out


@pytest.fixture(scope="module")
def report(built_site, tmp_path_factory):
    bad = tmp_path_factory.mktemp("vnu") / "bad.html"
    bad.write_text(BAD)
    return bad, vnu([bad] + [built_site / p for p in PAGES])


def test_the_checker_catches_the_errors_we_fixed(report):
    bad, errors = report
    found = " | ".join(m["message"] for m in errors[str(bad)])
    assert "Element “details” not allowed as child of element “figure”" in found
    assert "must be the ID of a non-hidden form control" in found


@pytest.mark.parametrize("page", PAGES)
def test_no_nu_checker_error_in_our_markup(report, built_site, page):
    ours = [f'line {m.get("lastLine")}: {m["message"]} ({m.get("extract", "").strip()[:120]!r})'
            for m in report[1][str(built_site / page)] if not theirs(m)]
    assert not ours, "\n".join(ours)


def test_no_style_in_an_article(built_site):
    """Notebook pages kept their styles in a <style> inside the page's <article>: now in lexicon.css."""
    from bs4 import BeautifulSoup

    for page in PAGES + ["notebooks/train-word2vec/index.html"]:
        soup = BeautifulSoup((built_site / page).read_text(), "html.parser")
        assert not soup.select("article style"), page
