"""A notebook page as mkdocs-jupyter renders it, made to follow the site's rules."""

from __future__ import annotations

import html
import re


_STYLE_OR_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_COMMENTS = re.compile(r"<!--.*?-->", re.S)
# mkdocs-jupyter's copy button and the hidden copy of each cell's source it copies from
# (Material's own copy button replaces it); JupyterLab's empty collapser columns.
_CLIPBOARD = re.compile(
    r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>'
    r'|<div [^>]*class="clipboard-copy-txt"[^>]*>.*?</div>'
    r'|<div class="jp-Collapser[^"]*">\s*</div>', re.S)
_H1 = re.compile(r"<h1\b[^>]*>.*?</h1>", re.S)
_HIGHLIGHT = re.compile(r'<div class="highlight-ipynb hl-(\w+)\s*"><pre>(.*?)</pre></div>', re.S)
# A cell's tags, which mkdocs-jupyter shows as a toolbar above its code (after _HIGHLIGHT).
_TAGGED = re.compile(r'<div class="celltoolbar">\s*((?:<div class="button_container tags_button_container">'
                     r'.*?</div>\s*)+)</div>\s*(<div class="CodeMirror cm-s-jupyter">)\s*'
                     r'(<div class="language-\w+ highlight">.*?</pre></div>)', re.S)
_TAG = re.compile(r'<span class="cell-tag">([^<]*)</span>')
# Colab's form title, which names a folded cell: "# @title Helpers" (as Pygments marks it up).
_TITLE = re.compile(r'<code><span class="c1">#\s*@title\s+([^<]*)</span>')
FOLD_TAG = "hide-input"


def clean_html(text: str, *, download: str) -> str:
    """mkdocs-jupyter's page body, made to follow the site's rules (see the module docstring)."""
    text = _COMMENTS.sub("", text)
    text = _STYLE_OR_SCRIPT.sub("", text)
    text = _CLIPBOARD.sub("", text)
    # Heading links as Material makes them: styled alike, and left out of search results.
    text = text.replace('<a class="anchor-link" ', '<a class="headerlink" title="Link to this section" ')
    # Cells are not controls: keyboard focus should go to links and code, not every cell.
    text = text.replace('<div class="jp-Cell-inputWrapper" tabindex="0">', '<div class="jp-Cell-inputWrapper">')
    # Code cells become Material code blocks: its highlighting colours (light and dark) and
    # its copy button (content.code.copy looks for pre > code).
    text = _HIGHLIGHT.sub(lambda m: f'<div class="language-{m.group(1)} highlight"><pre><span></span>'
                                    f'<code>{_strip_empty_span(m.group(2))}</code></pre></div>', text)
    # The code of a cell tagged "hide-input" (a notebook's helpers) folds away under its title,
    # as Jupyter folds it ("source_hidden"); tags themselves are not for readers.
    text = _TAGGED.sub(_fold, text)
    link = (f'<p class="ll-notebook-source">This page is a Jupyter notebook, run when the site was built. '
            f'<a href="{html.escape(download)}" download>Download {html.escape(download)}</a> '
            f'(with its outputs) to run it yourself.</p>')
    # The title first, as on every other page: Material's search then treats it as the page's
    # title rather than as a section of its own.
    title = _H1.search(text)
    head = ""
    if title:
        head, text = title.group(0), text[:title.start()] + text[title.end():]
    # Its styles are in the site's stylesheet (.jupyter-wrapper): a <style> may not stand in <article>.
    return head + link + text.strip() + "\n"


def _fold(m: re.Match) -> str:
    tags, editor, code = _TAG.findall(m.group(1)), m.group(2), m.group(3)
    if FOLD_TAG not in tags:
        return editor + code
    title = _TITLE.search(code)
    summary = title.group(1).strip() if title else "Code"
    # Out of the search index: helper code is not what a learner searches for.
    return (f'{editor}<details class="ll-notebook-fold" data-search-exclude><summary>{summary}</summary>'
            f'{code}</details>')


def _strip_empty_span(code: str) -> str:
    return code[len("<span></span>"):] if code.startswith("<span></span>") else code


