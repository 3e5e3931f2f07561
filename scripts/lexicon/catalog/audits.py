"""Page-wide listings filled in once every page has rendered: the claims audit and the block kinds."""

from __future__ import annotations

import html

from . import md_text


def block_kinds_markdown(registry, usage, here: str, url_of, title_of=lambda src: src) -> str:
    """Every block kind: its one-line summary and the pages that use it (links to the first block)."""
    pages_of: dict[str, dict[str, str]] = {}
    for kind, src, anchor in usage:
        if src and src != here:
            pages_of.setdefault(kind, {}).setdefault(src, anchor)
    rows = ["| Kind | Shows | Used on |", "|---|---|---|"]
    for kind in sorted(registry):
        block = registry[kind]
        used = pages_of.get(kind, {})
        links = ", ".join(f'<a href="{html.escape(url_of(src))}#{html.escape(anchor)}">'
                          f'{md_text(title_of(src))}</a>' for src, anchor in sorted(used.items(), key=lambda t: title_of(t[0]).lower()))
        rows.append(f"| [`{kind}`](#{kind}) | {md_text(block.summary())} | {links or '—'} |")
    return "\n".join(rows) + "\n"


def claims_audit_html(claims, url_of, title_of) -> str:
    """Every claim checked in this build, with its outcome and a link to its block.

    ``url_of(src)`` gives a page's URL relative to the audit page, ``title_of(src)`` its title.
    Written as HTML, not Markdown: a table of several hundred rows costs the Markdown parser a
    good part of a warm build, and every cell is escaped text or a link anyway. MkDocs cannot
    see the anchors of computed blocks (they are raw HTML); the test suite checks every link
    against the built pages.
    """
    if not claims:
        return "<p>No page makes a claim yet.</p>\n"
    esc = html.escape
    false = [c for c in claims if not c.ok]
    pages = {c.where.page for c in claims}
    rows = []
    for c in sorted(claims, key=lambda c: (title_of(c.where.page).lower(), c.where.page, c.where.line)):
        status = '✓ <span class="ll-visually-hidden">true</span>' if c.ok else "✗ <strong>false</strong>"
        target = url_of(c.where.page) + (f"#{c.where.anchor}" if c.where.anchor else "")
        where = f'<a href="{esc(target)}">{esc(title_of(c.where.page))}</a><br><small>{esc(c.where.kind)}</small>'
        actual = c.actual if len(c.actual) <= 300 else c.actual[:300].rsplit(", ", 1)[0] + ", …"
        rows.append(f"<tr><td>{status}</td><td>{where}</td><td>{esc(c.statement)}</td><td>{esc(actual)}</td></tr>")
    verdict = f"<strong>{len(false)} false</strong> (the strict build fails)." if false else "all of them hold."
    return (f"<p><strong>{len(claims)} claims</strong> on {len(pages)} pages were checked against the model "
            f"in this build: {verdict}</p>\n<table>\n<thead><tr><th></th><th>Page and block</th>"
            "<th>The page claims</th><th>The model says</th></tr></thead>\n<tbody>\n"
            + "\n".join(rows) + "\n</tbody>\n</table>\n")
