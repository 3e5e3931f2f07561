"""Issue 13, class 3: nothing executable from content reaches a page (web build and offline bundle).

One rule (scripts/lexicon/sanitise.py) for every author string rendered as HTML and every
notebook Markdown cell: links only to this site (a relative path or an #anchor), no event
handlers, no frames, objects, forms, SVG, styles that load, meta or base. The payloads below are
generated (every dangerous URL × every way of spelling it × every Markdown form of a link), and
go through every path an author string takes to the page. Each must fail with a located error;
an independent oracle (BeautifulSoup, not html5lib) also checks that what :func:`clean` keeps is
inert. The CSP half: only the theme's own inline scripts are known; any other fails the build.
"""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from lexicon import csp, render, sanitise
from lexicon.engine import frame, pieces
from lexicon.errors import LexiconError

ROOT = Path(__file__).resolve().parents[1]

# --- the payloads --------------------------------------------------------------------------------

URLS = ["javascript:alert(1)", "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd",
        "http://evil.example/", "https://evil.example/x.png", "//evil.example/x", "mailto:a@evil.example",
        "livescript:x", "jar:http://evil.example!/"]


def spellings(url: str) -> list[str]:
    """The ways a browser still reads ``url``: case, entities, tabs/newlines/controls inside, spaces."""
    scheme, sep, rest = url.partition(":")
    out = [url, url.upper() if sep else url, scheme[:1].upper() + scheme[1:] + sep + rest]
    if sep:
        first = scheme[0]
        out += [f"&#{ord(first)};{scheme[1:]}:{rest}", f"&#x{ord(first):X};{scheme[1:]}:{rest}",
                f"&#0000{ord(first)}{scheme[1:]}:{rest}",
                f"{scheme[:2]}&#9;{scheme[2:]}:{rest}", f"{scheme[:2]}&Tab;{scheme[2:]}:{rest}",
                f"{scheme[:2]}&#10;{scheme[2:]}:{rest}", f"&#1;{url}", f"{scheme}&#58;{rest}", f"{scheme}&colon;{rest}"]
    return list(dict.fromkeys(out))


FORMS = ["[x]({u})", "![x]({u})", "[x](<{u}>)", '[x]({u} "title")', "[x][r]\n\n[r]: {u}", "see [x]({u}) here"]
LINK_PAYLOADS = sorted({f.format(u=s) for u in URLS for s in spellings(u) for f in FORMS})

RAW_HTML = [
    "<img src=x onerror=alert(1)>", "<IMG SRC=x OnErRoR=alert(1)>", "<img/src=x onerror=alert(1)>",
    "<svg onload=alert(1)>", "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>",
    "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>",
    "<iframe src=javascript:alert(1)></iframe>", "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<object data=data:text/html,x></object>", "<embed src=x.swf>", "<form action=javascript:alert(1)><button>go</button></form>",
    "<button formaction=javascript:alert(1)>go</button>", "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>", "<video><source onerror=alert(1)></video>",
    "<a href=javascript:alert(1)>x</a>", "<a href='jav&#x09;ascript:alert(1)'>x</a>", "<a href=' javascript:alert(1)'>x</a>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "<base href=//evil.example/>",
    "<link rel=stylesheet href=http://evil.example/x.css>", "<style>@import url(http://evil.example/x.css)</style>",
    '<p style="background:url(http://evil.example/x.png)">x</p>', '<p style="background:u\\72l(x.png)">x</p>',
    '<p style="width:expression(alert(1))">x</p>', '<div class="ll-plot" data-figure=\'{"data":[]}\'>x</div>',
    '<div data-links>x</div>', "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<template><img src=x onerror=alert(1)></template>", "<script>alert(1)</script>", "<body onload=alert(1)>",
    '<img src="ok.png" srcset="http://evil.example/x.png 2x">', "<a href=x.md ping=http://evil.example/>x</a>",
]
SAFE = ["*em* and **strong** and `<iframe>` as code", "[the benchmarks](../benchmarks.md)", "[above](#figure)",
        "[a term](../cosine-similarity.md#examples)", "x<sub>2</sub>", "![plot](img/plot.png)"]

# --- the oracle: an independent parser, so a blind spot of html5lib is not shared ----------------

BAD_TAGS = {"script", "iframe", "frame", "object", "embed", "base", "meta", "link", "style", "form", "svg",
            "math", "template", "button"}


def live(html: str) -> list[str]:
    """What in ``html`` could run, load from another host or leave the site."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag in soup.find_all(True):
        if tag.name in BAD_TAGS:
            found.append(tag.name)
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if tag.name in ("body", "html", "head") and tag.attrs:
                found.append(f"{tag.name} attributes")
            if name.startswith("on") or name in ("srcset", "srcdoc", "formaction", "action", "ping", "data-figure"):
                found.append(f"{tag.name} {name}")
            if name in ("href", "src", "xlink:href"):
                plain = re.sub(r"[\x00-\x20]", "", value)
                head = re.split(r"[/?#]", plain, maxsplit=1)[0]
                if (":" in head and not re.match(r"data:image/(png|jpeg|gif|webp)", plain, re.I)) or plain.startswith("//"):
                    found.append(f"{tag.name} {name}={value}")
            if name == "style" and re.search(r"url|expression|@import|\\", value, re.I):
                found.append(f"{tag.name} style")
    return found


def test_the_oracle_sees_a_live_link():
    assert live('<a href="javascript:alert(1)">x</a>') and live("<img src=x onerror=alert(1)>")
    assert not live('<a href="../x/">x</a><img src="data:image/png;base64,AA">')


# --- every path an author string takes -----------------------------------------------------------

def _fig():
    import plotly.graph_objects as go
    return go.Figure(go.Scatter(x=[1], y=[1]))


PATHS = {
    "author_markdown (inline: a caption, prompt, benchmark note)": lambda s: render.author_markdown(s, inline=True),
    "author_markdown (block: an explanation)": lambda s: render.author_markdown(s),
    "figure caption": lambda s: render.figure(_fig(), alt="a", caption=s, data_table=None, height=100, anchor="f"),
    "caption without a figure": lambda s: render.figure_or_table(False, _fig, alt="a", caption=s, default_caption="",
                                                                 data_table="<p>t</p>", height=100, anchor="f"),
    "Caption piece": lambda s: frame._piece(pieces.Caption(s), None),
}


@pytest.mark.parametrize("path", list(PATHS))
def test_every_dangerous_link_in_an_author_string_fails_with_the_fix(path):
    """{len(LINK_PAYLOADS)} link payloads through each path: each is refused, none renders live."""
    assert len(LINK_PAYLOADS) > 300
    rendered_live = []
    for payload in LINK_PAYLOADS:
        try:
            out = PATHS[path](payload)
        except LexiconError as err:
            assert "does not allow" in err.message and "link only to a page of this site" in err.fix, payload
            continue
        if live(out):
            rendered_live.append((payload, out))
        else:           # Markdown did not make a link of it (e.g. a space in the URL): text, not a link
            assert "href=" not in out and "src=" not in out, (payload, out)
    assert not rendered_live, rendered_live[:5]


@pytest.mark.parametrize("payload", [p for p in LINK_PAYLOADS if p.startswith("[x](") and "&" not in p][:20])
def test_a_refused_link_is_named_so_the_block_error_points_at_its_line(payload):
    with pytest.raises(LexiconError) as info:
        render.author_markdown(payload)
    word = info.value.word
    assert word and word in payload, (word, payload)


@pytest.mark.parametrize("text", SAFE)
def test_what_authors_write_renders_as_before(text):
    import markdown

    plain = markdown.markdown(text).strip()
    out = render.author_markdown(text)
    assert not live(out)
    if "<sub>" not in text:       # raw HTML stays escaped in author strings, as before
        assert out == plain


@pytest.mark.parametrize("payload", RAW_HTML)
def test_raw_html_in_an_author_string_is_shown_as_text(payload):
    assert not live(render.author_markdown(payload))


# --- notebook Markdown cells ---------------------------------------------------------------------

def _notebook(*sources):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")] + [nbformat.v4.new_markdown_cell(s) for s in sources]
    return nb


@pytest.mark.parametrize("payload", RAW_HTML + [p for p in LINK_PAYLOADS if "[r]" not in p][::7])
def test_a_notebook_markdown_cell_that_could_run_fails_naming_the_cell(payload):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from lexicon.notebooks.runner import check_source

    cell = "Fine text.\n\n" + payload
    if not live(markdown2html_mistune(cell)):
        # nbconvert shows it as text (not CommonMark HTML), or the oracle sees nothing live: it may
        # build, or be refused (the rule decodes entities once more than a browser would).
        try:
            check_source(_notebook(cell), "n.ipynb")
        except LexiconError as err:
            assert "cell 2 (Markdown)" in str(err)
        return
    with pytest.raises(LexiconError) as info:
        check_source(_notebook("# Title", cell), "notebooks/demo.ipynb")
    assert str(info.value).startswith("notebooks/demo.ipynb: cell 3 (Markdown) would put on the page"), str(info.value)
    assert "cell starts: Fine text." in str(info.value) and "link only to a page" in info.value.fix


def test_safe_notebook_cells_and_the_real_notebooks_pass():
    import nbformat

    from lexicon.notebooks.runner import check_source

    check_source(_notebook(*SAFE, "| a | b |\n|---|---|\n| 1 | 2 |", "$x^2$ and <sub>i</sub>"), "n.ipynb")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        check_source(nbformat.read(path, as_version=4), path.name)


@pytest.mark.parametrize("payload", RAW_HTML + LINK_PAYLOADS[::11])
def test_findings_name_every_raw_payload(payload):
    import markdown

    html = markdown.markdown(payload)
    assert sanitise.findings(html), html


# --- the Content-Security-Policy: only the theme's own inline scripts ----------------------------

def test_an_injected_inline_script_is_unknown_even_as_a_known_script_lookalike():
    assert csp.unknown_scripts("<script>alert(1)</script>") == ["alert(1)"]
    redirect = ('<script>var anchor=window.location.hash.substr(1);location.href="{}"+(anchor?"#"+anchor:"")'
                "</script>")
    assert csp.unknown_scripts(redirect.format("../glove/")) == []
    for evil in ('javascript:alert(1)', '"+alert(1)+"', "x\\u0022+alert(1)"):
        assert csp.unknown_scripts(redirect.format(evil)), evil
    assert csp.unknown_scripts('<script type="application/json">{"a":1}</script>') == []   # data, not script
    assert csp.unknown_scripts('<script src="x.js"></script>') == []


def test_an_injected_inline_script_fails_the_check_naming_the_source(tmp_path):
    site, docs = tmp_path / "site", tmp_path / "docs"
    (site / "page").mkdir(parents=True)
    docs.mkdir()
    (docs / "page.md").write_text("Intro.\n\n<SCRIPT>alert(1)</SCRIPT>\n")
    (site / "page" / "index.html").write_text("<html><body><SCRIPT>alert(1)</SCRIPT></body></html>")
    with pytest.raises(LexiconError) as info:
        csp.check(site, {"page/index.html": "page.md"}.get, docs)
    err = info.value
    assert (err.file, err.line) == ("docs/page.md", 3) and "remove the <script>" in err.fix


@pytest.mark.site
def test_the_real_sites_policy_lists_only_the_themes_scripts(built_site, tmp_path):
    bodies, hashes = set(), set()
    for page in built_site.rglob("*.html"):
        text = page.read_text()
        assert csp.unknown_scripts(text) == [], page
        for m in csp.INLINE_SCRIPT.finditer(text):
            if csp._is_inline_js(m.group("attrs")):
                bodies.add(m.group("body"))
        m = re.search(r"script-src 'self' ([^;]*);", text)
        hashes = set(m.group(1).split()) if m else hashes
    assert hashes == csp.script_hashes("".join(f"<script>{b}</script>" for b in bodies))
    # The same site with one script injected into a page: the check fails.
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    page = copy / "terms" / "embedding" / "index.html"
    page.write_text(page.read_text().replace("</article>", "<script>alert(1)</script></article>", 1))
    with pytest.raises(LexiconError, match="terms/embedding"):
        csp.check(copy)


def test_every_known_script_is_the_themes_own():
    known = csp.known_scripts()
    assert 5 <= len(known) <= 12
    payload = itertools.chain(RAW_HTML, ["alert(1)", "fetch('//evil.example')"])
    for p in payload:
        assert not any(k.fullmatch(p) for k in known), p


# --- whole builds: the offline bundle (no policy) refuses an inline script too ---------------------

@pytest.mark.parametrize("offline", [False, True])
def test_an_inline_script_in_a_page_fails_the_web_and_the_offline_build(tmp_path, offline):
    from project import build, make_project

    project = make_project(tmp_path / "p", {"page.md": "Intro.\n\n<script>alert(1)</script>\n"})
    if offline:
        config = project / "mkdocs.yml"
        config.write_text(config.read_text().replace("  - redirects\n", "  - redirects\n  - offline\n"))
    proc = build(project)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "Traceback" not in out, out
    assert "docs/page.md:3: an inline script that is not the theme's own" in out, out


def test_attr_list_event_handlers_are_found():
    """attr_list (on in mkdocs.yml) lets Markdown write any attribute: {onclick=…} is found."""
    import markdown

    html = markdown.markdown('[x](../a.md){onclick="alert(1)"} and ![p](p.png){onerror="alert(1)"}',
                             extensions=["attr_list"])
    assert len(sanitise.findings(html)) == 2


@pytest.mark.site
def test_no_page_of_the_real_site_has_a_live_handler_or_script_link(built_site):
    """What a reader gets: no element anywhere with an on* attribute or a javascript:-like URL
    (the site's own data-figure attributes and Material's markup included in the look)."""
    offenders = []
    for page in built_site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                value = " ".join(value) if isinstance(value, list) else value
                plain = re.sub(r"[\x00-\x20]", "", value).lower()
                if name.startswith("on") or (name in ("href", "src", "action", "formaction")
                                             and re.match(r"(javascript|vbscript|data:text|file):", plain)):
                    offenders.append(f"{page.relative_to(built_site)}: <{tag.name} {name}={value[:40]}>")
    assert not offenders, offenders[:10]


@pytest.mark.parametrize("payload", [p for p in LINK_PAYLOADS if "\n" not in p][::5] + RAW_HTML[::3])
def test_summaries_and_titles_shown_on_other_pages_stay_text(payload):
    """A term's title and summary reach the A–Z, category and level lists, the learning path and
    the home page as generated Markdown (md_text), and the cards as HTML (card_html): as text."""
    import markdown
    from types import SimpleNamespace

    from lexicon.catalog import md_text
    from lexicon.catalog.cards import card_html

    generated = markdown.markdown(f"- [{md_text(payload)}](../t.md) — {md_text(payload)}",
                                  extensions=["attr_list", "md_in_html"])
    assert not live(generated) and generated.count("<a ") == 1, generated
    term = SimpleNamespace(title=payload, summary=payload, category=[payload], level_label="Beginner")
    card = card_html(term, "Site", "../terms/t/")
    assert not live(card.split("<body>", 1)[1]), card


def test_an_element_another_check_reports_is_left_to_it_and_nothing_else_is():
    """A page's <script> is the CSP check's (one error, its fix); the allow-list still sees the rest."""
    html = '<script>alert(1)</script><p onclick="x()">a</p>'
    assert any(f.startswith("<script>") for f in sanitise.findings(html))
    left = sanitise.findings(html, checked_elsewhere=("script",))
    assert left == ['<p onclick="x()"> (an event handler runs script)']
