from __future__ import annotations

from ...engine import Kind, opt
from ...engine.pieces import Caption, Details, Html, Note
from ...render import esc


class Explorer(Kind):
    """The vector explorer: readers type a word or 'a - b + c' and get neighbours or analogy answers computed in their browser, on the model's most frequent words.

    Readers type a word (nearest neighbours) or an analogy such as `king - man + woman`, and the
    answer is computed in their browser, also offline, on the model's most frequent words (50,000
    by default: `explorer_words` under `plugins.lexicon` in `mkdocs.yml`). It computes nothing at
    build time. The vectors are shipped once for the whole site (a script under `assets/explorer/`, 7
    bits a number) and loaded on first use, so a page with the explorer costs nothing until a
    reader types. The [Explorer](explorer.md) page has one.
    """

    example = "collapsed: true\nexample: king - man + woman"
    needs_model = False
    options = opt.Options(
        Kind.options,
        collapsed=opt.flag("Show the explorer folded, behind “Open the vector explorer”.", default=False,
                           display=True),
        example=opt.text("The placeholder and the example query shown to readers.", default="frog", display=True),
        caption=opt.caption(doc="A line above the explorer (Markdown)."),
    )

    def anchor_hint(self, spec):
        return ""

    def compute(self, kv, spec):
        return {}

    def render(self, spec, result, ctx):
        a = esc(ctx.anchor)
        widget = Html("".join([
            f'<div class="ll-explorer" data-explorer data-example="{esc(spec.example)}" '
            f'data-bytes="{int(ctx.explorer_bytes)}">',
            '<form class="ll-explorer__form" role="search" aria-label="Vector explorer">',
            f'<label for="{a}-q" class="ll-explorer__label">A word, or an analogy such as '
            f'<code>king - man + woman</code></label>',
            f'<div class="ll-explorer__row"><input id="{a}-q" class="ll-explorer__input" type="text" '
            f'list="{a}-list" autocomplete="off" autocapitalize="none" spellcheck="false" '
            f'placeholder="{esc(spec.example)}">',
            f'<datalist id="{a}-list"></datalist>',
            '<button type="submit" class="md-button md-button--primary">Explore</button></div>',
            "</form>",
            '<p class="ll-explorer__status" role="status" aria-live="polite"></p>',
            '<div class="ll-explorer__results"></div>',
            '<div class="ll-explorer__plot" hidden></div>',
            '<p class="ll-explorer__mapnote" hidden>The map flattens the vectors to two dimensions (PCA of the '
            "words shown), so nearness on it is only approximate: a word drawn nearer can be less similar. The "
            "table's cosines give the true order.</p>",
            f'<p class="ll-explorer__note">Computed in your browser from the {ctx.explorer_words:,} most frequent '
            f'words of <strong>{esc(ctx.model_id["name"])}</strong>, each vector stored in 7 bits a number; '
            "scores can differ from gensim’s in the third decimal.</p>",
            "</div>",
        ]))
        body = ([Caption(spec.caption)] if spec.caption else []) + [widget]
        # The widget says itself where its numbers come from: no "computed at build time" line.
        if spec.collapsed:
            return [Details("Open the vector explorer", body, cls="ll-explorer-details"), Note("")]
        return body + [Note("")]

