"""Links to pages written inside computed blocks and notebooks (lexicon/links.py)."""

from types import SimpleNamespace

from mkdocs.structure.files import File, Files

from lexicon.links import resolve


def _site():
    files = Files([File(p, "/docs", "/site", use_directory_urls=True)
                   for p in ("index.md", "benchmarks.md", "terms/word-analogy.md")])
    for f in files:
        f.page = object()
    page = SimpleNamespace(file=files.get_file_from_path("terms/word-analogy.md"), url="terms/word-analogy/")
    return page, files


def test_links_to_source_files_become_page_urls_relative_to_the_page():
    page, files = _site()
    html = ('<a href="../benchmarks.md">b</a> <a href="../benchmarks.md#totals">t</a> '
            '<a href="word-analogy.md">self</a>')
    out, errors = resolve(html, page, files)
    assert errors == []
    assert out == ('<a href="../../benchmarks/">b</a> <a href="../../benchmarks/#totals">t</a> '
                   '<a href="./">self</a>')


def test_other_links_are_left_as_they_are():
    page, files = _site()
    html = ('<a href="https://example.org/a.md">x</a> <a href="/abs.md">y</a> <a href="#benchmarks.md">z</a> '
            '<a href="../benchmarks/">w</a> <code>[b](../benchmarks.md)</code>')
    assert resolve(html, page, files) == (html, [])


def test_a_link_to_no_page_is_an_error_naming_the_page_and_the_target():
    page, files = _site()
    out, errors = resolve('<a href="../benchmark.md">b</a>', page, files)
    assert out == '<a href="../benchmark.md">b</a>'
    assert [str(e).splitlines()[0] for e in errors] == [
        "docs/terms/word-analogy.md: the link '../benchmark.md' (in a block's text or a notebook cell) leads to "
        "no page: docs/benchmark.md does not exist"]


def test_a_download_link_keeps_the_file_it_names():
    """A notebook page's "download the notebook" link names the .ipynb itself, whatever the order
    in which plugins add it."""
    files = Files([File(p, "/docs", "/site", use_directory_urls=True) for p in ("index.md", "notebooks/x.ipynb")])
    for f in files:
        f.page = object()
    page = SimpleNamespace(file=files.get_file_from_path("notebooks/x.ipynb"), url="notebooks/x/")
    html = ('<a download href="x.ipynb">Download</a> <a href="x.ipynb" download="x.ipynb">D</a> '
            '<a class="download" href="../index.md">home</a>')
    out, errors = resolve(html, page, files)
    assert errors == []
    assert out == ('<a download href="x.ipynb">Download</a> <a href="x.ipynb" download="x.ipynb">D</a> '
                   '<a class="download" href="../../">home</a>')
