"""Notebook pages: notebooks/*.ipynb executed at build time (cached), rendered by mkdocs-jupyter,
drawn with the site's single plotly.js, searchable, downloadable, and offline.

Layers: the HTML clean-up and the output rules on real mkdocs-jupyter output; the display
helpers; executing (a failing cell names notebook, cell and error); strict builds of a small
project (cold, then cached); the real built site; Chromium against it, served and from file://.
"""

from __future__ import annotations

import html
import json
import os
import re
import textwrap
import time
from pathlib import Path
from urllib.parse import urljoin

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from conftest import ROOT
from lexicon import notebook_display, render
from lexicon.errors import LexiconError
from lexicon.engine import deps
from lexicon.notebooks.html import clean_html
from lexicon.notebooks.runner import CHECK_MIME, cache_key, check_outputs, check_source, checks, execute
from project import build, make_project

NOTEBOOKS = {"train-word2vec": "Train a word2vec model", "glove-geometry": "Exploring GloVe's geometry"}
PLOTLY_PATH = "assets/vendor/plotly.min.js"


def notebook(*cells: tuple[str, str]):
    """A notebook from ("md" | "code", source) pairs, without outputs."""
    made = [new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells]
    for i, cell in enumerate(made, 1):
        cell["id"] = f"c{i}"
    return new_notebook(cells=made, metadata={"kernelspec": {"name": "python3", "language": "python",
                                                             "display_name": "Python 3"}})


def small_figure():
    import plotly.graph_objects as go

    return go.Figure(go.Bar(x=[0.5, 0.25], y=["cat", "dog"], orientation="h"))


FIGURE_CELL = textwrap.dedent("""\
    import plotly.graph_objects as go
    from lexicon.notebook_display import load_model, model_note, show

    kv, model_id = load_model()
    model_note(model_id)
    top = kv.most_similar("frog", topn=3)
    fig = go.Figure(go.Bar(x=[round(s, 4) for _, s in top], y=[w for w, _ in top], orientation="h"))
    show(fig, alt="The 3 nearest words to frog", caption="Nearest to *frog*",
         data_table=(["word", "cosine"], [[w, s] for w, s in top]))
    print("nearest:", top[0][0])""")


# --- the rendered page: mkdocs-jupyter's real output, cleaned ------------------------------------

@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """mkdocs-jupyter's HTML for a notebook holding a figure, with the site's settings."""
    from mkdocs_jupyter.convert import nb2html

    display = {"text/html": render.figure(small_figure(), alt="two bars", caption="A *caption*",
                                          data_table=None, height=300, anchor="figure-1"),
               notebook_display.PLOTLY_MIME: {"data": [], "layout": {}}, "text/plain": "Figure"}
    nb = notebook(("md", "# The title\n\nSome *prose*.\n\n## A section"),
                  ("code", "x = 1\nprint(x)"), ("code", "show(fig)"))
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nb.cells[2].outputs = [nbformat.v4.new_output("display_data", data=display)]
    path = tmp_path_factory.mktemp("nb") / "demo.ipynb"
    nbformat.write(nb, str(path))
    return nb2html(str(path), theme="", no_prompt=True, include_requirejs=False, custom_mathjax_url="")


def test_mkdocs_jupyter_output_carries_what_the_site_must_not_ship(converted):
    """The reason clean_html exists: if mkdocs-jupyter stops adding these, this test says so."""
    assert "<script" in converted and "cdnjs.cloudflare.com" in converted
    assert len(converted) > 400_000  # JupyterLab's whole stylesheet, inlined


def test_clean_html_removes_scripts_styles_and_cdns(converted):
    out = clean_html(converted, download="demo.ipynb")
    assert "<script" not in out
    assert not re.search(r"https?://|//cdn", out)
    assert "<style" not in out and len(out) < 10_000  # its styles are in lexicon.css
    assert "clipboard" not in out and 'class="jp-Collapser' not in out


def test_clean_html_keeps_the_figure_markup_exactly(converted):
    out = clean_html(converted, download="demo.ipynb")
    [plot] = re.findall(r'<div [^>]*class="ll-plot"[^>]*>', out)
    figure = json.loads(re.search(r"data-figure='([^']*)'", plot).group(1).replace("&lt;", "<")
                        .replace("&gt;", ">").replace("&#39;", "'").replace("&amp;", "&"))
    assert figure["data"][0]["y"] == ["cat", "dog"]
    # small_figure() keeps Plotly's default dragmode (zoom): a named group, not an image.
    assert 'role="group"' in plot and 'aria-label="two bars"' in plot and 'style="height:300px"' in plot
    assert "<em>caption</em>" in out


def test_clean_html_puts_title_and_download_link_first_and_uses_material_code_blocks(converted):
    out = clean_html(converted, download="demo.ipynb")
    assert out.startswith('<h1 id="the-title">The title<a class="headerlink" title="Link to this section" '
                          'href="#the-title">¶</a></h1><p class="ll-notebook-source">')
    assert '<a href="demo.ipynb" download>Download demo.ipynb</a>' in out
    assert out.count("<h1") == 1
    # Material's highlighting and copy button (content.code.copy looks for pre > code).
    assert re.search(r'<div class="language-python highlight"><pre><span></span><code>'
                     r'<span class="n">x</span>', out)



def test_clean_html_folds_a_hide_input_cell_under_its_title_and_drops_tag_toolbars(tmp_path):
    from mkdocs_jupyter.convert import nb2html

    nb = notebook(("code", "# @title Helpers: tables\ndef f():\n    return '</div>'"), ("code", "y = 2"),
                  ("code", "z = 3"))
    nb.cells[0].metadata = {"tags": ["hide-input"], "jupyter": {"source_hidden": True}}
    nb.cells[2].metadata = {"tags": ["other"]}
    nbformat.write(nb, str(tmp_path / "t.ipynb"))
    out = clean_html(nb2html(str(tmp_path / "t.ipynb"), theme="", no_prompt=True, include_requirejs=False,
                             custom_mathjax_url=""), download="t.ipynb")
    [fold] = re.findall(r"<details.*?</details>", out, re.S)
    assert fold.startswith('<details class="ll-notebook-fold" data-search-exclude><summary>Helpers: tables'
                           '</summary><div class="language-python highlight"><pre>')
    assert "&lt;/div&gt;" in fold and fold.endswith("</code></pre></div></details>")
    assert 'class="celltoolbar"' not in out and 'class="cell-tag"' not in out
    assert re.search(r'</details>.*<span class="n">y</span>.*<span class="n">z</span>', out, re.S)


# --- what a notebook may output ------------------------------------------------------------------

def with_output(**output):
    nb = notebook(("code", "fig.show()"))
    nb.cells[0].outputs = [nbformat.v4.new_output(**output)]
    return nb


@pytest.mark.parametrize("output, message", [
    (dict(output_type="display_data", data={"text/html": "<div></div><script>Plotly.newPlot()</script>"}),
     "outputs a script"),
    (dict(output_type="display_data", data={"application/javascript": "require(['plotly'])"}),
     "outputs a script"),
    (dict(output_type="display_data", data={notebook_display.PLOTLY_MIME: {}, "text/plain": "Figure"}),
     "cannot draw"),
    (dict(output_type="display_data", data={"text/html": '<img src="https://example.org/a.png">'}),
     "another host"),
    (dict(output_type="stream", name="stderr", text="DeprecationWarning: old\n"), "wrote to stderr"),
])
def test_outputs_that_break_the_site_rules_fail_with_the_fix(output, message):
    with pytest.raises(LexiconError) as err:
        check_outputs(with_output(**output), "notebooks/demo.ipynb")
    text = str(err.value)
    assert "notebooks/demo.ipynb: cell 1" in text and message in text and "Fix:" in text


def test_source_notebooks_with_stored_outputs_are_refused():
    nb = with_output(output_type="stream", name="stdout", text="1\n")
    with pytest.raises(LexiconError, match=r"cell 1 has stored outputs.*\n.*Fix: clear them: "
                                           r"\.venv/bin/jupyter nbconvert --clear-output --inplace"):
        check_source(nb, "notebooks/demo.ipynb")
    check_source(notebook(("code", "1")), "notebooks/demo.ipynb")


# --- the display helpers -------------------------------------------------------------------------

@pytest.fixture
def shown(monkeypatch):
    out = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: out.append(obj))
    return out


def test_show_emits_the_site_figure_markup_and_the_plotly_json(shown):
    fig = small_figure()
    notebook_display.show(fig, alt="two <b>bars</b>", caption="A <script>x</script>", anchor="bars",
                          data_table=(["word", "score"], [["cat", 0.5], ["dog", 0.25]]))
    [bundle] = shown
    expected = render.figure(fig, alt="two <b>bars</b>", caption="A <script>x</script>", height=420,
                             anchor="bars", data_table=render.table(
                                 ["word", "score"], [["cat", "0.5000"], ["dog", "0.2500"]],
                                 numeric_cols=range(1, 2)))
    assert bundle["text/html"] == expected
    assert "<script" not in bundle["text/html"] and "&lt;script&gt;" in bundle["text/html"]
    assert bundle[notebook_display.PLOTLY_MIME]["data"][0]["y"] == ["cat", "dog"]
    assert "template" not in bundle[notebook_display.PLOTLY_MIME]["layout"]


def test_check_shows_a_true_claim_and_fails_on_a_false_one(shown):
    notebook_display.check("cats come first", True, "cats 3, dogs 2")
    assert "ll-claim--ok" in shown[0]["text/html"] and "cats come first" in shown[0]["text/html"]
    # The same check as data, which the build reads into the claims audit (never from the HTML).
    assert shown[0][CHECK_MIME] == {"statement": "cats come first", "actual": "cats 3, dogs 2"}
    nb = notebook(("code", "check()"))
    nb.cells[0].outputs = [{"output_type": "display_data", "metadata": {}, "data": dict(shown[0])}]
    assert checks(nb) == [(1, {"statement": "cats come first", "actual": "cats 3, dogs 2"})]
    with pytest.raises(AssertionError, match="False claim: dogs come first. it is cats"):
        notebook_display.check("dogs come first", False, "it is cats")


def test_table_formats_floats_and_escapes_cells(shown):
    notebook_display.table(["word", "score"], [["<b>", 0.123456]], numeric_cols=(1,), digits=2)
    html = shown[0]["text/html"]
    assert "&lt;b&gt;" in html and '<td class="ll-num">0.12</td>' in html
    assert "0.12" in shown[0]["text/plain"]


def test_load_model_uses_the_model_the_build_names(monkeypatch):
    spec = {"name": "Mine", "format": "glove", "path": "vectors.txt", "config_file": "/x/mkdocs.yml"}
    monkeypatch.setenv(notebook_display.MODEL_ENV, json.dumps(spec))
    assert notebook_display.model_spec().name == "Mine"
    monkeypatch.delenv(notebook_display.MODEL_ENV)
    assert notebook_display.model_spec() == notebook_display.DEFAULT_MODEL



# --- the notebooks' own cells: they run outside the project ---------------------------------------

def source_notebook(name):
    return nbformat.read(str(ROOT / "notebooks" / f"{name}.ipynb"), as_version=4)


def imported_distributions(nb) -> set[str]:
    """The installed distributions whose modules the notebook's code imports (lexicon, the
    standard library and the kernel's IPython aside)."""
    import ast
    import importlib.metadata
    import sys

    from lexicon.notebooks.runner import python_only

    owners = importlib.metadata.packages_distributions()
    found = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(python_only(cell.source))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            for top in {n.split(".")[0] for n in names}:
                if top not in sys.stdlib_module_names and top not in ("IPython", "lexicon"):
                    found.update(d.lower() for d in owners[top])
    return found


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_install_cell_pins_what_the_notebook_imports_as_requirements_txt_does(name):
    from test_notebook_venv import install_pins, pins

    nb = source_notebook(name)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert first.source.startswith("# Installs") and "%pip install" in first.source
    wanted = install_pins(nb)
    assert set(wanted) == imported_distributions(nb)
    assert wanted == {k: pins()[k] for k in wanted}


def helpers(name, monkeypatch, *, lexicon: bool):
    """The notebook's helpers cell, run as Jupyter would: with lexicon importable, or without."""
    import sys

    nb = source_notebook(name)
    [cell] = [c for c in nb.cells if "hide-input" in c.metadata.get("tags", [])]
    assert cell.metadata["jupyter"] == {"source_hidden": True}  # folded in Jupyter too
    if not lexicon:
        monkeypatch.setitem(sys.modules, "lexicon.notebook_display", None)  # import fails
    namespace: dict = {}
    exec(compile(cell.source, f"{name}:helpers", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_helpers_cell_runs_without_lexicon_and_its_check_stops_on_a_false_claim(name, monkeypatch, capsys):
    from lexicon import figures

    # On the site's build, the same names are lexicon's (the site's markup, the model's hash).
    site = helpers(name, monkeypatch, lexicon=True)
    assert all(site[f] is getattr(notebook_display, f)
               for f in ("check", "load_model", "model_note", "show", "table"))
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    plain = helpers(name, monkeypatch, lexicon=False)
    assert plain["check"].__module__ != notebook_display.__name__
    # The figure style is the site's.
    assert (plain["PALETTE"], plain["SYMBOLS"], plain["BASE_LAYOUT"]) == \
        (figures.PALETTE, figures.SYMBOLS, figures.BASE_LAYOUT)
    plain["check"]("cats come first", True)
    assert "✓ Checked against the model: cats come first." in capsys.readouterr().out
    with pytest.raises(AssertionError, match="False claim: dogs come first. it is cats"):
        plain["check"]("dogs come first", False, "it is cats")
    plain["table"](["word", "score"], [["<b>", 0.123456]], numeric_cols=(1,), digits=2, caption="A & B")
    html_out = shown[-1].data
    assert "&lt;b&gt;" in html_out and ">0.12</td>" in html_out and "<p>A &amp; B</p>" in html_out


# --- the cache key ---------------------------------------------------------------------------------

MODEL = {"name": "GloVe 6B 50d", "sha256": "a" * 64}


def test_cache_key_covers_notebook_model_and_imported_code():
    nb = notebook(("code", "import numpy as np\nfrom lexicon.notebook_display import show"))
    raw = nbformat.writes(nb).encode()
    key = cache_key(raw, nb, MODEL)
    assert key == cache_key(raw, nb, MODEL)
    assert key != cache_key(raw + b" ", nb, MODEL)
    assert key != cache_key(raw, nb, {**MODEL, "sha256": "b" * 64})
    code = deps.source_code("import numpy as np\nfrom lexicon.notebook_display import show")
    # show() renders with render.py and figures.py; the packages they use count too.
    assert {"lexicon.notebook_display:show", "lexicon.render:figure", "lexicon.figures:dumps_figure"} \
        <= set(code.symbols)
    assert {"numpy", "plotly"} <= set(code.packages)


def test_cache_key_changes_when_the_lexicon_code_a_cell_uses_changes():
    helper = ROOT / "scripts" / "lexicon" / f"zz_nb_helper_{os.getpid()}.py"
    name = helper.stem
    helper.write_text("def x():\n    return 1\n")
    try:
        nb = notebook(("code", f"%matplotlib inline\nfrom lexicon.{name} import x\nprint(x())"))
        raw = nbformat.writes(nb).encode()
        deps.clear()
        before = cache_key(raw, nb, MODEL)
        helper.write_text("def x():\n    # a comment is not code\n    return 1\n")
        deps.clear()
        assert cache_key(raw, nb, MODEL) == before
        helper.write_text("def x():\n    return 2\n")
        deps.clear()
        assert cache_key(raw, nb, MODEL) != before
    finally:
        helper.unlink()
        deps.clear()


# --- executing -----------------------------------------------------------------------------------

def test_a_failing_cell_names_the_notebook_the_cell_and_the_error(tmp_path):
    nb = notebook(("md", "# Demo"), ("code", "x = 1"), ("md", "text"),
                  ("code", "# divide\ny = x / 0"), ("code", "print('never')"))
    with pytest.raises(LexiconError) as err:
        execute(nb, rel="notebooks/demo.ipynb", cwd=tmp_path, timeout=60, env=dict(os.environ))
    text = str(err.value)
    assert "notebooks/demo.ipynb: cell 4 (code cell 2) failed: ZeroDivisionError: division by zero" in text
    assert "cell starts: # divide" in text and "y = x / 0" in text and "Fix:" in text
    assert "\x1b[" not in text  # no terminal colour codes


def test_a_print_split_over_several_stream_messages_is_one_output(tmp_path):
    """The kernel may send a print's text and its newline as two messages (it did on a busy machine,
    and two cold builds differed): consecutive streams are merged, so outputs are reproducible."""
    code = "import sys, time\nsys.stdout.write('a'); sys.stdout.flush(); time.sleep(0.3)\nprint('b')"
    done = execute(notebook(("code", code)), rel="notebooks/demo.ipynb", cwd=tmp_path, timeout=60,
                   env=dict(os.environ))
    assert [(o["output_type"], o["text"]) for o in done.cells[0].outputs] == [("stream", "ab\n")]


# --- strict builds of a small project ------------------------------------------------------------

def notebook_project(tmp: Path, cells, cache: Path) -> Path:
    project = make_project(tmp, {"index.md": "# Home\n\nSee the notebook.\n"}, cache_dir=cache)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "  - redirects\n",
        "  - redirects\n  - lexicon-notebooks\n"
        "  - mkdocs-jupyter: {execute: false, include_source: true, include_requirejs: false,"
        " no_prompt: true, ignore: ['*.md', '*.py']}\n"))
    (project / "notebooks").mkdir(exist_ok=True)
    nbformat.write(notebook(*cells), str(project / "notebooks" / "demo.ipynb"))
    return project


def test_a_notebook_is_executed_once_then_served_from_the_cache(tmp_path, kv):
    cache = tmp_path / "cache"
    project = notebook_project(tmp_path / "p", [("md", "# Demo notebook\n\nA *computed* figure."),
                                                ("code", FIGURE_CELL)], cache)
    started = time.perf_counter()
    cold = build(project)
    cold_seconds = time.perf_counter() - started
    assert cold.returncode == 0, cold.stderr
    assert "running notebooks/demo.ipynb" in cold.stderr
    page = (project / "site" / "notebooks" / "demo" / "index.html").read_text()
    assert page.count('class="ll-plot"') == 1 and "Computed at build time from" in page
    assert "<script" not in page.split("<article", 1)[1].split("</article>", 1)[0]
    # The download is the executed notebook, with the output the build checked.
    executed = nbformat.read(str(project / "site" / "notebooks" / "demo" / "demo.ipynb"), as_version=4)
    nearest = kv.most_similar("frog", topn=1)[0][0]
    assert executed.cells[1].outputs[-1]["text"] == f"nearest: {nearest}\n"
    assert executed.metadata["lexicon"]["model"] == "GloVe 6B 50d"

    started = time.perf_counter()
    warm = build(project)
    warm_seconds = time.perf_counter() - started
    assert warm.returncode == 0, warm.stderr
    assert "running notebooks/demo.ipynb" not in warm.stderr
    assert (project / "site" / "notebooks" / "demo" / "index.html").read_text() == page
    assert warm_seconds < cold_seconds

    # Editing the notebook runs it again.
    nb_path = project / "notebooks" / "demo.ipynb"
    nb = nbformat.read(str(nb_path), as_version=4)
    nb.cells[0].source += " Edited."
    nbformat.write(nb, str(nb_path))
    again = build(project)
    assert again.returncode == 0 and "running notebooks/demo.ipynb" in again.stderr


def test_a_failing_notebook_fails_the_build_with_a_located_message(tmp_path):
    project = notebook_project(tmp_path / "p", [("md", "# Broken"), ("code", "import math"),
                                                ("code", "math.sqrt(-1)")], tmp_path / "cache")
    proc = build(project)
    assert proc.returncode != 0
    assert "notebooks/demo.ipynb: cell 3 (code cell 2) failed: ValueError: math domain error" in proc.stderr
    assert "Fix:" in proc.stderr


def test_plugin_order_and_mkdocs_jupyter_settings_are_enforced(tmp_path):
    project = notebook_project(tmp_path / "p", [("code", "1")], tmp_path / "cache")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("execute: false", "execute: true"))
    proc = build(project)
    assert proc.returncode != 0 and "Fix: set execute: false under '- mkdocs-jupyter:'" in proc.stderr


# --- the real site ---------------------------------------------------------------------------------

def article(html: str) -> str:
    return html.split("<article", 1)[1].split("</article>", 1)[0]


@pytest.mark.site
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_pages_follow_the_site_rules(built_site, name):
    html = (built_site / "notebooks" / name / "index.html").read_text()
    body = article(html)
    assert body.count("<h1") == 1 and NOTEBOOKS[name] in body
    assert "<script" not in body and not re.search(r"cdn|require\.js|mathjax|mermaid", body, re.I)
    assert len(html) < 400_000
    assert body.count('class="ll-plot"') >= 1 and "Computed at build time from" in body
    assert f'<a href="{name}.ipynb" download>' in body
    assert "ll-claim--false" not in body and "Traceback" not in body
    # The helpers cell is folded under its title; the install cell did nothing (no output).
    assert body.count('<details class="ll-notebook-fold"') == 1 and 'class="cell-tag"' not in body
    text = re.sub(r"<[^>]+>", "", body)
    assert "%pip install" in text and "Successfully installed" not in text and "restart the kernel" not in text


@pytest.mark.site
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_download_is_the_executed_notebook(built_site, name):
    source = nbformat.read(str(ROOT / "notebooks" / f"{name}.ipynb"), as_version=4)
    executed = nbformat.read(str(built_site / "notebooks" / name / f"{name}.ipynb"), as_version=4)
    nbformat.validate(executed)
    assert [c.source for c in executed.cells] == [c.source for c in source.cells]
    assert all(c.execution_count for c in executed.cells if c.cell_type == "code")
    mimes = {k for c in executed.cells if c.cell_type == "code" for o in c.outputs for k in o.get("data", {})}
    assert notebook_display.PLOTLY_MIME in mimes  # Jupyter draws the figures with its own renderer


@pytest.mark.site
def test_executing_the_word2vec_notebook_again_gives_the_same_outputs(built_site):
    """Deterministic: a fresh run (own kernel, own process) reproduces the published outputs."""
    name = "train-word2vec"
    published = nbformat.read(str(built_site / "notebooks" / name / f"{name}.ipynb"), as_version=4)
    source = nbformat.read(str(ROOT / "notebooks" / f"{name}.ipynb"), as_version=4)
    env = {**os.environ, "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "LEXICON_CACHE_DIR": str(ROOT / ".cache" / "lexicon")}
    fresh = execute(source, rel=f"notebooks/{name}.ipynb", cwd=ROOT, timeout=600, env=env)
    assert [c.get("outputs") for c in fresh.cells] == [c.get("outputs") for c in published.cells]


# --- in the browser --------------------------------------------------------------------------------

def notebook_only_word(built_site) -> tuple[str, str]:
    """A word that one notebook page's search entries hold and no other page's (none of whose
    words even begins with it, since the search adds a trailing wildcard), and that notebook's
    title. Taken from the index as built: sections are indexed by heading and first words."""
    data = json.loads((built_site / "search" / "search_index.json").read_text())
    separator = re.compile(data["config"]["separator"])

    def words(d):
        text = html.unescape(re.sub(r"<[^>]+>", " ", d["title"] + " " + d["text"])).lower()
        return {w for w in separator.split(text) if w}
    pages: dict[str, set[str]] = {}
    for d in data["docs"]:
        pages.setdefault(d["location"].split("#")[0], set()).update(words(d))
    for page, own in sorted(pages.items()):
        if not page.startswith("notebooks/"):
            continue
        others = set().union(*(w for p, w in pages.items() if p != page))
        for word in sorted(own):
            if len(word) >= 7 and word.isalpha() and not any(o.startswith(word) for o in others):
                return word, NOTEBOOKS[page.split("/")[1]]
    raise AssertionError("no word is found on one notebook page only")


@pytest.mark.browser
def test_figures_draw_once_with_the_site_plotly_across_instant_navigation(site_url, built_site, new_page):
    from browser_util import assert_downloaded_once, draw_all, plot_states, watch_errors

    page = new_page()
    requests: list[str] = []
    page.context.on("request", lambda r: requests.append(r.url))
    errors = watch_errors(page)
    page.goto(site_url)
    page.evaluate("window.__llMarker = 1")
    for name in NOTEBOOKS:  # instant navigation from the sidebar, as a reader clicks
        page.locator(f".md-sidebar--primary a[href$='notebooks/{name}/']").first.click()
        page.wait_for_url(site_url + f"notebooks/{name}/")
        page.wait_for_function("() => document.querySelector('article.md-content__inner h1') !== null")
        expected = article((built_site / "notebooks" / name / "index.html").read_text()).count('class="ll-plot"')
        assert draw_all(page) == expected
        states = plot_states(page)
        assert all(s["state"] == "drawn" and s["svg"] and s["containers"] == 1 for s in states), states
    assert page.evaluate("window.__llMarker === 1"), "a full page load, not instant navigation"
    page.wait_for_load_state("networkidle")
    outside = sorted({u for u in requests if not u.startswith(site_url) and not u.startswith(("data:", "blob:"))})
    assert not outside, f"requests left the site: {outside}"
    assert {u for u in requests if "plotly" in u.lower()} == {site_url + PLOTLY_PATH}
    assert_downloaded_once(page, site_url + PLOTLY_PATH)
    assert not errors, "\n".join(errors)


@pytest.mark.browser
def test_full_loads_of_notebook_pages_request_nothing_outside_and_break_no_policy(site_url, new_page):
    from browser_util import draw_all, screenshot, watch_errors

    page = new_page()
    # The web build's Content-Security-Policy (tests/test_csp.py) holds on notebook pages too.
    page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                         " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    requests: list[str] = []
    page.context.on("request", lambda r: requests.append(r.url))
    errors = watch_errors(page)
    for name in NOTEBOOKS:
        page.goto(site_url + f"notebooks/{name}/")
        assert draw_all(page) >= 1
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [], name
        screenshot(page, f"notebook-{name}-light.png")
    assert all(u.startswith((site_url, "data:", "blob:")) for u in requests), requests
    # Two full page loads: plotly.js once per load, from the site's own copy.
    # Each full load fetches plotly.js once: an idle prefetch, and the <script> that runs it takes
    # it from the cache (both are requests; test_browser.py checks that only one transfers).
    plotly = [u for u in requests if "plotly" in u.lower()]
    assert set(plotly) == {site_url + PLOTLY_PATH} and len(plotly) <= 2 * len(NOTEBOOKS), plotly
    assert not errors, "\n".join(errors)


@pytest.mark.browser
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_install_cell_shows_and_the_helpers_are_folded_until_opened(site_url, new_page, name):
    from playwright.sync_api import expect

    from browser_util import screenshot

    page = new_page()
    page.goto(site_url + f"notebooks/{name}/")
    # The first code a reader sees installs what the notebook imports.
    expect(page.locator("article pre code").first).to_contain_text("%pip install")
    expect(page.locator("article pre code").first).to_be_visible()
    fold = page.locator("article details.ll-notebook-fold")
    expect(fold).to_have_count(1)
    expect(fold.locator("summary")).to_have_text(re.compile(r"^Helpers: "))
    code = fold.locator("pre code")
    expect(code).to_be_hidden()
    screenshot(page, f"notebook-{name}-folded.png")
    fold.locator("summary").click()
    expect(code).to_be_visible()
    expect(code).to_contain_text("def check(")
    expect(page.locator("article")).not_to_contain_text("hide-input")  # tags are not for readers


@pytest.mark.browser
def test_search_finds_a_word_that_only_a_notebook_has(site_url, built_site, new_page):
    from playwright.sync_api import expect

    word, _ = notebook_only_word(built_site)
    page = new_page()
    page.goto(site_url + "notebooks/train-word2vec/")
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(word, delay=20)
    result = page.locator(".md-search-result__item").first
    expect(result).to_be_visible(timeout=10_000)
    link = page.locator(".md-search-result__item a").first.get_attribute("href")
    assert "notebooks/" in link, link
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_url(re.compile(r".*/notebooks/.*"))
    expect(page.locator("article.md-content__inner")).to_contain_text(re.compile(re.escape(word), re.I))


@pytest.mark.browser
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_download_link_serves_the_notebook(site_url, new_page, name):
    page = new_page()
    page.goto(site_url + f"notebooks/{name}/")
    link = page.locator("article.md-content__inner a[download]")
    # The built page links to "<name>.ipynb"; Material's instant navigation makes links absolute.
    url = urljoin(page.url, link.get_attribute("href"))
    assert url == site_url + f"notebooks/{name}/{name}.ipynb"
    response = page.request.get(url)
    assert response.ok
    nb = nbformat.reads(response.text(), as_version=4)
    assert nb.cells[0].source.startswith(f"# {NOTEBOOKS[name]}")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"{name}.ipynb"


@pytest.mark.browser
def test_notebook_pages_work_from_the_offline_bundle(browser, offline_site, built_site):
    """From file://, no network: figures draw, the download resolves, search finds a notebook."""
    from playwright.sync_api import expect

    from browser_util import draw_all

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside, errors = [], []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("file:", "data:", "blob:")) else (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    root = offline_site.as_uri()
    for name in NOTEBOOKS:
        page.goto(f"{root}/notebooks/{name}.html")
        assert draw_all(page) >= 1
        href = page.locator("article.md-content__inner a[download]").get_attribute("href")
        target = Path(page.evaluate("h => decodeURIComponent(new URL(h, location.href).pathname)", href))
        nbformat.read(str(target), as_version=4)
    box = page.locator(".md-search__input")
    box.click()
    word, title = notebook_only_word(built_site)
    box.press_sequentially(word, delay=20)
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=10_000)
    expect(page.locator(".md-search-result")).to_contain_text(title)
    assert outside == [] and errors == []
    context.close()


def test_a_build_that_fails_before_the_plugins_config_ends_without_a_second_traceback():
    """Another plugin's on_config fails first (a bad prerequisite): on_build_error must not raise."""
    from lexicon.notebooks.plugin import NotebooksPlugin

    NotebooksPlugin().on_build_error(error=RuntimeError("an earlier plugin's error"))
