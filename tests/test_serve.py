"""``make serve`` (``mkdocs serve --dirty``): an edit re-renders only what it must, and the site
it leaves is the site a clean build of the edited sources writes, byte for byte.

Runs the Makefile's own serve command on a copy of the sources (``bench/serve.py``), with a copy
of the warm cache the session's real build left, then edits pages as an author does:

1. a term's summary (front matter, shown on other pages): every page is rendered again;
2. a sentence of a term's text: a dirty build renders a few pages, not the site;
3. a claim of another page: the claims audit, which lists every page's claims, shows it.

The site the server then holds must equal a clean strict build of the edited copy (without the
Content-Security-Policy, which a served page cannot have: MkDocs' live reload is an inline script
with a new value on every load): the claims audit, the block kinds' "used on" lists,
glossary.json, the search index and every page's navigation must not forget the pages the dirty
builds skipped. And the page open in Chromium reloads itself with the edit, as an author sees it.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from conftest import ROOT, mkdocs_build

from bench.serve import Serve

SUMMARY = "summary: Linear regression with a penalty on the sum of the absolute weights"
NEW_SUMMARY = "summary: Least squares with a penalty on the sum of the absolute weights"
CSP = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def _cache() -> Path:
    return Path(os.environ.get("LEXICON_CACHE_DIR") or ROOT / ".cache" / "lexicon").resolve()


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): CSP.sub(b"", p.read_bytes())
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_an_edit_under_make_serve_leaves_the_site_a_clean_build_writes(built_site, tmp_path, new_page):
    from playwright.sync_api import expect

    cache = tmp_path / "cache"
    shutil.copytree(_cache(), cache)      # warm (the session's build), and ours to change
    with Serve(tmp_path, cache) as s:
        first = len(s.log)
        # 1. Front matter another page shows: Ridge regression lists Lasso with its summary.
        since = s.edit("docs/terms/lasso.md", SUMMARY, NEW_SUMMARY)
        s.wait_for("terms/ridge-regression/", "Least squares with a penalty on the sum", since)
        assert not s.rendered(), f"a summary edit must render every page, not a dirty few: {s.log[-5:]}"

        # 2. A sentence of a page's text: only the pages that show what changed are rendered, and
        #    the page open in the browser reloads itself (MkDocs' live reload) and shows it.
        page = new_page()
        page.goto(s.url + "terms/lasso/")
        expect(page).to_have_title(re.compile(r"^Lasso\b"))
        since = s.edit("docs/terms/lasso.md", "\n## Key Concepts", "\nA sentence an author added.\n\n## Key Concepts")
        s.wait_for("terms/lasso/", "A sentence an author added.", since)
        expect(page.get_by_text("A sentence an author added.")).to_be_visible(timeout=30_000)
        rendered, pages = s.rendered()[-1]
        assert rendered < pages / 4, f"a text edit rendered {rendered} of {pages} pages"

        # 3. A claim on another page: the claims audit (its part's page) shows the new statement.
        since = s.edit("docs/terms/cosine-similarity.md", "expect: {word: tea, within: 5}",
                       "expect: {word: tea, within: 6}")
        s.wait_for("claims/similarity-distance/", "within the 6 nearest words to &#x27;coffee&#x27;", since)

        problems = [line for line in s.log[first:] if "ERROR" in line or "WARNING" in line or "Evicted" in line]
        assert not problems, "\n".join(problems)
        served = _files(s.site_dir)

    clean = tmp_path / "clean"
    mkdocs_build(s.project / "mkdocs.yml", clean, {"SITE_URL": s.url, "LEXICON_CACHE_DIR": str(cache)})
    built = _files(clean)
    assert sorted(served) == sorted(built), (sorted(set(served) ^ set(built)))[:20]
    differ = [name for name in built if served[name] != built[name]]
    assert not differ, f"{len(differ)} files differ from a clean build, e.g. {differ[:10]}"
    assert any(CSP.search(p.read_bytes()) for p in clean.glob("*.html")), "the clean build has its policy"
