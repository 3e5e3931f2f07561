"""Page-wide listings filled in once every page has rendered: the claims audit and the block kinds."""

from __future__ import annotations

import html

from . import md_text

AUDIT_JS = "assets/javascripts/audit.js"


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
        page = html.escape(url_of(f"blocks/{block.family}.md"))     # the kind's section, on its family's page
        rows.append(f'| <a href="{page}#{kind}"><code>{kind}</code></a> | {md_text(block.summary())} | '
                    f"{links or '—'} |")
    return "\n".join(rows) + "\n"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _verdict(claims) -> str:
    false = sum(not c.ok for c in claims)
    if not false:
        return "all hold" if len(claims) > 1 else "it holds"
    return f"{false} false"


def _outcome(claims) -> str:
    """The verdict on some claims as a listing shows it: in bold when some are false."""
    return f"<strong>{_verdict(claims)}</strong>" if any(not c.ok for c in claims) else _verdict(claims)


def _summary(claims) -> tuple[list, dict[str, list], str, str]:
    """What the audit (:func:`claims_audit_html`) and its overview (:func:`claims_overview_html`) both open with,
    in one place so that the two pages count and word it alike: the false claims, the claims by block kind (in kind
    order), the sentence of totals with the build's verdict, and the closed list of claims by block kind."""
    esc = html.escape
    false = [c for c in claims if not c.ok]
    kinds: dict[str, list] = {}
    for c in sorted(claims, key=lambda c: c.where.kind):
        kinds.setdefault(c.where.kind, []).append(c)
    pages = len({c.where.page for c in claims})
    verdict = f"<strong>{len(false)} false</strong> (the strict build fails)." if false else "all of them hold."
    total = (f'<p class="ll-audit__total"><strong>{_plural(len(claims), "claim")}</strong> on '
             f"{_plural(pages, 'page')} were checked against the computation in this build: {verdict}</p>")
    by_kind = "".join(
        f"<li><code>{esc(k)}</code> {len(cs)}" + (f" ({_outcome(cs)})" if any(not c.ok for c in cs) else "") + "</li>"
        for k, cs in kinds.items())
    listing = (f'<details class="abstract ll-audit__bykind"><summary>Claims by block kind ({len(kinds)} kinds)</summary>'
               f'<ul class="ll-audit__kinds">{by_kind}</ul></details>')
    return false, kinds, total, listing


def _options(label: str, counts: dict[str, int], names=lambda k: k) -> str:
    esc = html.escape
    return f'<option value="">{label}</option>' + "".join(
        f'<option value="{esc(k)}">{esc(names(k))} ({n})</option>' for k, n in counts.items())


def claims_audit_html(claims, url_of, title_of) -> str:
    """Every claim checked in this build, grouped by page, with its outcome and a link to its block.

    ``url_of(src)`` gives a page's URL relative to the audit page, ``title_of(src)`` its title.
    Written as HTML, not Markdown: a table of several hundred rows costs the Markdown parser a
    good part of a warm build, and every cell is escaped text or a link anyway. MkDocs cannot
    see the anchors of computed blocks (they are raw HTML); the test suite checks every link
    against the built pages.

    One ``<details>`` per page, closed unless the page makes a false claim; without JavaScript
    the listing is complete. The filters (status, page, kind, words) are hidden until
    audit.js runs them; they read the rows' ``data-`` attributes. ``url_of`` also gives the URL
    of audit.js, a file of docs/ (the web build and the offline bundle place the page differently).
    """
    if not claims:
        return "<p>No page makes a claim yet.</p>\n"
    esc = html.escape
    false, kinds, total, by_kind = _summary(claims)
    groups: dict[str, list] = {}
    for c in sorted(claims, key=lambda c: (title_of(c.where.page).lower(), c.where.page, c.where.line)):
        groups.setdefault(c.where.page, []).append(c)

    out = [f'<div class="ll-audit" data-ll-audit data-total="{len(claims)}" data-false="{len(false)}">',
           total,
           by_kind,
           '<form class="ll-audit__filters" aria-label="Filter the claims" hidden>'
           '<label>Status <select name="status"><option value="">all</option>'
           '<option value="holds">holds</option><option value="false">false</option></select></label>'
           f'<label>Page <select name="page">{_options("all pages", {p: len(cs) for p, cs in groups.items()}, title_of)}'
           '</select></label>'
           f'<label>Kind <select name="kind">{_options("all kinds", {k: len(cs) for k, cs in kinds.items()})}'
           '</select></label>'
           '<label>Words <input type="search" name="words" autocomplete="off" spellcheck="false"></label>'
           '<button type="reset">Show all</button></form>',
           '<p class="ll-audit__count" role="status"></p>']
    for page, cs in groups.items():
        n_false = sum(not c.ok for c in cs)
        rows = []
        for c in cs:
            status = ('<span aria-hidden="true">✓</span> <span class="ll-visually-hidden">holds</span>' if c.ok
                      else '<span aria-hidden="true">✗</span> <strong>false</strong>')
            target = url_of(page) + (f"#{c.where.anchor}" if c.where.anchor else "")
            actual = c.actual if len(c.actual) <= 300 else c.actual[:300].rsplit(", ", 1)[0] + ", …"
            rows.append(f'<tr data-kind="{esc(c.where.kind)}" data-status="{"holds" if c.ok else "false"}">'
                        f'<td>{status}</td><td><a href="{esc(target)}">{esc(c.where.kind)}</a></td>'
                        f"<td>{esc(c.statement)}</td><td>{esc(actual)}</td></tr>")
        tally = _plural(len(cs), "claim") + ", " + _outcome(cs)
        out.append(f'<details class="{"failure" if n_false else "success"} ll-audit__page" data-page="{esc(page)}"'
                   f'{" open" if n_false else ""}>'
                   f'<summary><span class="ll-audit__title">{esc(title_of(page))}</span> — {tally}'
                   '<span class="ll-audit__shown"></span></summary>\n'
                   '<table>\n<thead><tr><th>Status</th><th>Block</th><th>The page claims</th>'
                   "<th>The model says</th></tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n"
                   "</details>")
    # Only this page needs the filters: its own script keeps them out of every other page's first load
    # (Material re-runs a script of the page's content after an instant navigation).
    out.append(f'<script src="{esc(url_of(AUDIT_JS))}" defer></script>\n</div>')
    return "\n".join(out) + "\n"


def claims_overview_html(claims, groups, group_of, group_url, url_of, title_of) -> str:
    """The audit's overview: the build's totals, the claims of each block kind, and one line per
    group (``groups``: (slug, title) in order; ``group_of(src)``: a page's group) linking to the
    group's page, which lists its claims (:func:`claims_audit_html`). False claims are listed here
    in full too, so a failing build shows them on the page an author opens first."""
    if not claims:
        return "<p>No page makes a claim yet.</p>\n"
    esc = html.escape
    false, _, total, by_kind = _summary(claims)
    by_group: dict[str, list] = {}
    for c in claims:
        by_group.setdefault(group_of(c.where.page), []).append(c)
    rows = []
    for name, title in groups:
        cs = by_group.get(name, [])
        if not cs:
            continue
        rows.append(f'<tr data-group="{esc(name)}"><td><a href="{esc(group_url(name))}">{esc(title)}</a></td>'
                    f'<td class="ll-num">{len({c.where.page for c in cs}):,}</td>'
                    f'<td class="ll-num">{len(cs):,}</td><td>{_outcome(cs)}</td></tr>')
    out = [f'<div class="ll-audit ll-audit--overview" data-total="{len(claims)}" data-false="{len(false)}">',
           total,
           '<div class="ll-audit__groups"><table>\n<caption>Claims by part of the glossary; each part lists its '
           'claims page by page</caption>\n<thead><tr><th scope="col">Part</th><th scope="col">Pages</th>'
           '<th scope="col">Claims</th><th scope="col">Outcome</th></tr></thead>\n<tbody>\n'
           + "\n".join(rows) + "\n</tbody>\n</table></div>",
           by_kind]
    if false:
        lines = "".join(
            f'<tr data-status="false"><td><a href="{esc(url_of(c.where.page) + (f"#{c.where.anchor}" if c.where.anchor else ""))}">'
            f"{esc(title_of(c.where.page))}</a></td><td>{esc(c.where.kind)}</td><td>{esc(c.statement)}</td>"
            f"<td>{esc(c.actual[:300])}</td></tr>" for c in false)
        out.append('<div class="ll-audit__false"><table>\n<caption>The false claims</caption>\n<thead><tr>'
                   '<th scope="col">Page</th><th scope="col">Block</th><th scope="col">The page claims</th>'
                   f'<th scope="col">The model says</th></tr></thead>\n<tbody>\n{lines}\n</tbody>\n</table></div>')
    out.append("</div>")
    return "\n".join(out) + "\n"
