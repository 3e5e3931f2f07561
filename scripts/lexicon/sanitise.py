"""One rule for every piece of HTML that comes from content: nothing in it can run.

Authors write Markdown in block options (captions, prompts, explanations, benchmark notes) and
in notebook cells; MkDocs and our renderers turn it into HTML that reaches the page, and the
offline bundle, which has no Content-Security-Policy. That HTML may hold only what the
allow-list below names:

- **tags**: text markup, lists, tables, headings, code, figures and images; never ``script``,
  ``style``, ``iframe``, ``object``, ``embed``, ``form``, ``svg``, ``math``, ``base``, ``meta``,
  ``link``, ``template`` …;
- **attributes**: presentation and accessibility ones (``class``, ``id``, ``title``, ``aria-*`` …),
  the URL of a link or an image, and a ``style`` without ``url()``, ``@import`` or
  ``expression()``; never an event handler (``on*``), nor a ``data-*`` attribute that our own
  scripts read (``data-figure``, ``data-links`` …);
- **URLs** (``href``, ``src``): a path on this site (``../benchmarks.md``, ``img/x.png``) or an
  ``#anchor``. Anything with a scheme (``javascript:``, ``JaVaScRiPt:``, ``&#106;avascript:``,
  ``java&#9;script:``, ``vbscript:``, ``data:text/html``, ``file:``, ``http:`` …) or another host
  (``//host/…``, ``\\\\host``) is refused: the site never sends a reader to another host. The one
  exception is an image's ``data:image/png|jpeg|gif|webp`` (a notebook's plot).

The HTML is parsed by bleach's html5lib parser, as a browser parses it, so entities, case,
stray whitespace and control characters are decoded before the rules apply. :func:`findings`
lists what breaks a rule; a build fails on any, with a located error and a fix: in an author
string (:func:`lexicon.render.author_markdown`: captions, prompts, explanations, notes), a
notebook's Markdown cell (``notebooks/runner.check_source``) and a term page's own prose
(``PageBlocks.prose_errors``: the page's HTML without its blocks, which are built by the
kinds). Inline scripts anywhere are the CSP module's (:func:`lexicon.csp.check`).
Nothing is cleaned: unsafe content is refused, never shown altered.
"""

from __future__ import annotations

import functools
import html as html_mod
import re

import bleach
import tinycss2

from .errors import LexiconError

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "input", "label", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul", "var", "wbr",
})
GLOBAL_ATTRS = frozenset({"class", "id", "title", "lang", "dir", "role", "tabindex", "style"})
TAG_ATTRS = {
    "a": {"href", "download", "rel", "target", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align", "valign"},
    "th": {"colspan", "rowspan", "align", "valign", "scope"},
    "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "type", "reversed"}, "li": {"value"},
    "details": {"open"}, "abbr": {"title"}, "q": {"cite"}, "blockquote": {"cite"},
    # What nbconvert writes on a cell's output (data-mime-type) and Pygments on code lines.
    "div": {"data-mime-type", "data-tabs"}, "span": {"data-line"},
    # pymdownx.tabbed's tabs: radio buttons and their labels (no form, no handler: nothing to run).
    "input": {"type", "name", "checked"}, "label": {"for"},
}
URL_ATTRS = frozenset({"href", "src", "cite"})
_IMAGE_DATA = re.compile(r"data:image/(?:png|jpeg|gif|webp)[;,]", re.I)
# A browser drops tabs and newlines anywhere in a URL and leading/trailing C0 controls and spaces.
_URL_NOISE = re.compile(r"[\t\n\r]")
_CSS_BAD = ("url", "expression", "image", "image-set", "-webkit-image-set", "element", "paint")


def allowed_url(value: str, *, image: bool = False) -> bool:
    """A path on this site or an ``#anchor``; for an image also a raster ``data:`` URL."""
    url = _URL_NOISE.sub("", html_mod.unescape(value)).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                           "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c"
                                           "\x1d\x1e\x1f ")
    if image and _IMAGE_DATA.match(url):
        return True
    if url.startswith(("//", "\\", "/\\")):
        return False                    # another host, whatever the scheme
    # A colon before the first / ? # is a scheme: javascript:, data:, file:, http: … all refused.
    head = re.split(r"[/?#]", url, maxsplit=1)[0]
    return ":" not in head


def allowed_style(value: str) -> bool:
    """A ``style`` attribute that loads nothing and runs nothing (parsed by tinycss2)."""
    def bad(tokens) -> bool:
        for t in tokens:
            if t.type == "url" or t.type == "at-keyword":
                return True
            if t.type == "function" and (t.lower_name in _CSS_BAD or bad(t.arguments)):
                return True
            if t.type in ("() block", "[] block", "{} block") and bad(t.content):
                return True
            if t.type == "ident" and t.lower_value in ("javascript", "behavior", "-moz-binding"):
                return True
        return False
    return not bad(tinycss2.parse_component_value_list(value))


def _attr_allowed(tag: str, name: str, value: str) -> bool:
    if name not in GLOBAL_ATTRS and not name.startswith("aria-") and name not in TAG_ATTRS.get(tag, ()):
        return False
    if name in URL_ATTRS:
        return allowed_url(value, image=(tag == "img"))
    if name == "style":
        return allowed_style(value)
    if tag == "input" and name == "type":
        return value.lower() in ("radio", "checkbox")
    return True


# bleach's html5lib tree walker: every element and attribute as a browser would build them.
_WALKER = bleach.html5lib_shim.getTreeWalker("etree")


def findings(html: str, *, checked_elsewhere: tuple[str, ...] = ()) -> list[str]:
    """What in ``html`` breaks the allow-list, one readable line each (empty: it is safe).

    ``checked_elsewhere`` names elements another check reports with its own fix (a page's
    ``script``: :func:`lexicon.csp.check`), so one fault gives one error."""
    return list(_findings(html, tuple(checked_elsewhere))) if html else []


@functools.lru_cache(maxsize=16_384)
def _findings(html: str, checked_elsewhere: tuple[str, ...]) -> tuple[str, ...]:
    # Remembered: the bibliography's and the blocks' strings are checked again at every rebuild
    # of `make serve`, and a string's findings depend on nothing else.
    out: list[str] = []
    # The parser bleach cleans with, told to keep every element (as a browser would build them).
    parser = bleach.html5lib_shim.BleachHTMLParser(tags=None, strip=False, consume_entities=True,
                                                   namespaceHTMLElements=False)
    for token in _WALKER(parser.parseFragment(html)):
        kind = token["type"]
        if kind in ("StartTag", "EmptyTag"):
            name = token["name"]
            if name in checked_elsewhere:
                continue
            if name not in TAGS:
                out.append(f"<{name}> (an element the site does not allow in content)")
                continue
            for (_ns, attr), value in token["data"].items():
                if not _attr_allowed(name, attr, value):
                    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in value)
                    shown = shown if len(shown) <= 80 else shown[:77] + "…"
                    out.append(f'<{name} {attr}="{shown}">' + (
                        " (an event handler runs script)" if attr.startswith("on") else
                        " (a link or image may only lead to a page of this site or an #anchor)"
                        if attr in URL_ATTRS else
                        " (a style may not load anything: no url(), @import or expression())"
                        if attr == "style" else " (an attribute the site does not allow in content)"))
    # A stray <body>, <html> or <head> inside content adds its attributes to the page's own
    # element (onload!), which a fragment's parse drops without a trace: parse it as a document.
    for token in _WALKER(parser.parse(html)):
        if token["type"] == "StartTag" and token["name"] in ("html", "head", "body") and token["data"]:
            out.append(f"<{token['name']} " + " ".join(a for (_ns, a) in token["data"])
                       + "> (attributes for the page's own element)")
    return tuple(dict.fromkeys(out))


FIX = ("link only to a page of this site, with a relative path (../benchmarks.md) or an #anchor, "
       "and write no HTML that runs or loads anything (no on* attributes, <iframe>, <object>, <form>, "
       "<svg>, <style>, <meta>, <base>); the site never sends a reader to another host")


def check(html: str, what: str) -> str:
    """``html`` unchanged if it is safe; otherwise a :class:`LexiconError` listing what is not.

    ``what`` names the author string ("a caption", "cell 3 of notebooks/x.ipynb"). The error's
    ``word`` is the first offending URL or attribute, so a block's error points at its line.
    """
    found = findings(html)
    if not found:
        return html
    err = LexiconError(f"{what} would put on the page what the site does not allow: " + "; ".join(found[:5]), fix=FIX)
    m = re.search(r'="([^"]*)"', found[0]) or re.search(r"<(\w+)", found[0])
    err.word = m.group(1) if m else None
    raise err
