"""The instructors page links the offline zip on the site's own host.

The zip is no documentation file: the Pages workflow puts it into the built site after
``make build`` and ``make offline`` (``make publish``: ``lexicon.offline_bundle --publish``).
The test-built site is the site before that step, so its only link to a missing file is
that one; the site published the workflow's way serves it.
"""

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from conftest import ROOT, _QuietHandler, free_port
from lexicon.offline_bundle import SITE_PATH

pytestmark = pytest.mark.browser


def missing_links(site: Path, page: Path) -> list[str]:
    """The links of a built page to its own site whose target is no file of the site."""
    out = []
    for a in BeautifulSoup(page.read_text(), "html.parser").find_all("a", href=True):
        parts = urlsplit(a["href"])
        if parts.scheme or parts.netloc or not parts.path:
            continue
        # A path from the root (the 404 page's links: it is served at any URL) is the site's root here.
        target = (site / unquote(parts.path).lstrip("/")) if parts.path.startswith("/") else page.parent / unquote(parts.path)
        if target.is_dir():   # a directory URL: "../", ".."
            target = target / "index.html"
        if not target.resolve().is_relative_to(site.resolve()) or not target.is_file():
            out.append(a["href"])
    return out


@pytest.fixture(scope="module")
def published_site(built_site, offline_zip, tmp_path_factory) -> Path:
    """The built site as the Pages workflow uploads it: `make publish` run on a copy of it."""
    site = tmp_path_factory.mktemp("published") / "site"
    shutil.copytree(built_site, site)
    proc = subprocess.run([sys.executable, "-m", "lexicon.offline_bundle", "--out", str(offline_zip),
                           "--publish", str(site)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return site


@pytest.fixture(scope="module")
def published_url(published_site):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", free_port()), functools.partial(_QuietHandler, directory=str(published_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_the_built_site_links_the_zip_that_publishing_adds(built_site, published_site):
    page = Path("instructors") / "index.html"
    assert missing_links(built_site, built_site / page) == [f"../{SITE_PATH}"]
    assert missing_links(published_site, published_site / page) == []


def test_publish_needs_a_built_site_and_a_zip(tmp_path):
    from lexicon.offline_bundle import main

    (tmp_path / "site").mkdir()
    assert main(["--out", str(tmp_path / "none.zip"), "--publish", str(tmp_path / "site")]) == 1
    assert not (tmp_path / "site" / "downloads").exists()


def test_instructors_page_downloads_the_zip_from_the_same_host(new_page, published_url, offline_zip):
    page = new_page(accept_downloads=True)
    elsewhere = []
    page.on("request", lambda r: r.url.startswith((published_url, "data:", "blob:")) or elsewhere.append(r.url))
    served = page.goto(published_url + "instructors/").text()
    # As served, the link is relative: it cannot name another host. (Material's instant
    # navigation then rewrites links to absolute URLs, of the same host.)
    hrefs = [a["href"] for a in BeautifulSoup(served, "html.parser").select("a[download]")]
    assert hrefs == [f"../{SITE_PATH}"]
    link = page.get_by_role("link", name="Download the offline copy")
    link.scroll_into_view_if_needed()
    expect(link).to_be_visible()
    absolute = link.evaluate("a => a.href")
    assert urlsplit(absolute).netloc == urlsplit(page.url).netloc
    response = page.request.get(absolute)
    assert response.status == 200 and response.body()[:4] == b"PK\x03\x04"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "latent-lexicon-offline.zip"
    assert Path(download.value.path()).read_bytes() == offline_zip.read_bytes()
    assert elsewhere == []


def test_no_page_of_the_published_site_links_a_missing_file(published_site):
    """Every relative link of every page leads to a file: links written inside computed blocks
    (an exercise's explanation) and notebook cells included, which MkDocs does not resolve
    (lexicon/links.py does)."""
    broken = {}
    for page in sorted(published_site.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        if 'http-equiv="refresh"' in text[:2000]:
            continue   # an alias's redirect page
        missing = missing_links(published_site, page)
        if missing:
            broken[page.relative_to(published_site).as_posix()] = missing
    assert not broken, broken
