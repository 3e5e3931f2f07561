"""HTML building blocks shared by every block renderer.

Every author string goes through :func:`esc` or :func:`author_markdown`, which
escapes raw HTML: a caption holding ``<script>`` is shown, never run; and a link or image
Markdown makes of it must pass :mod:`lexicon.sanitise` (``[x](javascript:…)`` fails the build). Figure
data goes into a ``data-figure`` attribute (not a ``<script>``), because
Material's instant navigation re-runs inline scripts as JavaScript.
"""

from __future__ import annotations

import html
import json
import re

import markdown

from .figures import dumps_figure, is_static
from .sanitise import check


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def attr_json(obj) -> str:
    """JSON for a single-quoted HTML attribute: only ``& ' < >`` need escaping."""
    text = obj if isinstance(obj, str) else json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    return (text.replace("&", "&amp;").replace("'", "&#39;")
            .replace("<", "&lt;").replace(">", "&gt;"))


class _NoRawHtml(markdown.extensions.Extension):
    """Markdown for author strings: emphasis, code and links, but raw HTML is escaped."""

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


_md = markdown.Markdown(extensions=[_NoRawHtml()])


AUTHOR_TEXT = "a caption, prompt, explanation or note of this block"


def author_markdown(text: str, inline: bool = False, what: str = AUTHOR_TEXT) -> str:
    """Render an author's Markdown string safely: no raw HTML, and only links the site allows
    (:func:`lexicon.sanitise.check`: a located error otherwise)."""
    _md.reset()
    out = check(_md.convert(str(text)).strip(), what)
    if inline:
        out = re.sub(r"^<p>(.*)</p>$", r"\1", out, flags=re.S)
    return out


def fmt(x: float, digits: int = 4) -> str:
    return f"{x:.{digits}f}".replace("-", "−")


def percent(share: float) -> str:
    """A share as the site's tables write it: ``12.3%``."""
    return f"{share * 100:.1f}%"


def _finite_cell(cell, numeric: bool, header: str) -> None:
    """A table never prints "nan" or "inf" (``geometry``): a number that is not one is an error."""
    from .errors import LexiconError
    from .geometry import finite, shows_non_finite

    if isinstance(cell, float) and not finite(cell) or (
            numeric and isinstance(cell, str) and shows_non_finite(cell.strip())):
        raise LexiconError(f"a table cell (column '{header}') would show {cell!r}, which is not a finite number",
                           fix="use words whose vectors are not zero or identical, or repair the model file")


def table(headers: list[str], rows: list[list], *, cls: str = "", numeric_cols=()) -> str:
    """A plain HTML table; cells are escaped unless wrapped in :class:`Raw`."""
    # Cells and rows are separated by a newline: the search indexer keeps whitespace between tags
    # and nothing else, so without it "Rank", "Word" and "0.8524" would run into one token.
    # An empty corner cell is a <td>: an empty header cell names nothing (axe: empty-table-header).
    head = "\n".join(f'<th scope="col">{esc(h)}</th>' if h != "" else "<td></td>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            _finite_cell(cell, i in numeric_cols, headers[i] if i < len(headers) else "")
            content = cell.html if isinstance(cell, Raw) else esc(cell)
            cls_attr = ' class="ll-num"' if i in numeric_cols else ""
            tag = "th" if i == 0 else "td"
            scope = ' scope="row"' if i == 0 else ""
            cells.append(f"<{tag}{scope}{cls_attr}>{content}</{tag}>")
        body.append("<tr>" + "\n".join(cells) + "</tr>")
    rows_html = "\n".join(body)
    # A wide table scrolls sideways in its wrapper, which a keyboard must reach to scroll it
    # (axe: scrollable-region-focusable); lexicon.css makes this wrapper the scroller.
    scroll = (' tabindex="0" role="region" aria-label="Table, scrolls sideways"'
              if "ll-table--wide" in cls.split() else "")
    # No class on <table>: Material styles only class-less tables; variants go on the wrapper.
    return (f'<div class="ll-table{" " + cls if cls else ""}"{scroll}><table><thead><tr>{head}</tr></thead>\n'
            f'<tbody>{rows_html}</tbody></table></div>')


class Raw:
    """Trusted HTML for a table cell (built by our own code, not by an author)."""

    def __init__(self, html_text: str):
        self.html = html_text


def figure(fig, *, alt: str, caption: str, data_table: str | None, height: int,
           anchor: str, links: bool = False) -> str:
    """A figure box: reserved height, text alternative, caption, and its numbers in a table.

    The numbers are folded right after the ``<figure>``, not inside it: a figure's caption must be
    its first or last child, so nothing may follow the caption within it (the Nu HTML checker).
    ``links``: the points carry URLs (customdata) that figures.js follows when one is selected.
    A figure that cannot be dragged is an image (``role="img"``, no mode bar, nothing focusable
    inside); one that can keeps zoom buttons, so it is a group named by the same text. Until
    plotly.js has drawn it, the box shows its text alternative (lexicon.css, from aria-label:
    not text of the page, which search would index twice).
    """
    role = "img" if is_static(fig) else "group"
    return (
        f'<figure class="ll-figure{" ll-figure--numbers" if data_table else ""}" id="{esc(anchor)}">'
        f'<div class="ll-plot"{" data-links" if links else ""} role="{role}" aria-label="{esc(alt)}" style="height:{int(height)}px"'
        f" data-figure='{attr_json(dumps_figure(fig))}'></div>"
        f'<figcaption>{author_markdown(caption, inline=True)}</figcaption></figure>'
        + (f'<details class="ll-data"><summary>Numbers behind this figure</summary>{data_table}</details>'
           if data_table else "")
    )


def figure_or_table(show_figure: bool, make_figure, *, alt: str, caption: str | None,
                    default_caption: str, data_table: str, height: int, anchor: str) -> str:
    """The block's figure with its table folded away, or (``figure: false``) caption and table."""
    if show_figure:
        return figure(make_figure(), alt=alt, caption=caption or default_caption,
                      data_table=data_table, height=height, anchor=anchor)
    shown = f'<p class="ll-caption">{author_markdown(caption, inline=True)}</p>' if caption else ""
    return shown + data_table


def code_details(source: str, summary: str = "The gensim call behind these numbers") -> str:
    """A folded Python snippet: the exact calls that produced a block's numbers."""
    from .code import python_html

    return f'<details class="ll-code" data-search-exclude><summary>{esc(summary)}</summary>{python_html(source)}</details>'


def model_note(model_id: dict) -> str:
    return (f'<p class="ll-model" data-search-exclude title="model content hash sha256:{esc(model_id["sha256"])}">'
            f'Computed at build time from <strong>{esc(model_id["name"])}</strong> '
            f'<code>sha256:{esc(model_id["sha256"][:12])}</code></p>')


def claims_html(claims) -> str:
    """A block's checked claims: the true ones folded into one "Verified against … (n)".

    A false claim (a non-strict build; the strict build fails on it) is never folded away: it
    stays in view, in red, before the fold. Checks, like the code and the model line, stay out of
    the search index (the claims audit lists them). When the true claims were not all checked against
    the same thing, the summary says "Verified (n)" and each line names what it was checked against.
    """
    if not claims:
        return ""
    false = [c for c in claims if not c.ok]
    ok = [c for c in claims if c.ok]
    out = ""
    if false:
        out += '<ul class="ll-claims ll-claims--false">' + "".join(
            f'<li class="ll-claim ll-claim--false"><span class="ll-claim__mark" aria-hidden="true">✗</span>'
            f'<strong>False claim:</strong> {esc(c.statement)}. {esc(c.actual)}.</li>' for c in false) + "</ul>"
    if ok:
        against = {getattr(c, "against", "the model") for c in ok}
        same = against.pop() if len(against) == 1 else None
        items = "".join(
            '<li class="ll-claim ll-claim--ok"><span class="ll-claim__mark" aria-hidden="true">✓</span>'
            + ("" if same else f'Checked against {esc(getattr(c, "against", "the model"))}: ')
            + f"{esc(c.statement)}.</li>" for c in ok)
        summary = f"Verified against {same} ({len(ok)})" if same else f"Verified ({len(ok)})"
        out += (f'<details class="ll-verified" data-search-exclude><summary><span class="ll-claim__mark" aria-hidden="true">✓</span>'
                f'{esc(summary)}</summary><ul class="ll-claims">{items}</ul></details>')
    return out


def error_html(err) -> str:
    return (f'<div class="admonition failure ll-error"><p class="admonition-title">Computed block failed</p>'
            f"<pre>{esc(str(err))}</pre></div>")
