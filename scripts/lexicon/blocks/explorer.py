"""``explorer``: the in-browser vector explorer (neighbours and analogies), optionally collapsed."""

from __future__ import annotations

from .. import session as session_mod
from ..render import author_markdown, esc
from .base import Block, obj, register


@register
class Explorer(Block):
    kind = "explorer"
    summary = ("The vector explorer: readers type a word or 'a - b + c' and get neighbours or analogy "
               "answers computed in their browser, on the model's most frequent words.")
    schema = obj({
        "collapsed": {"type": "boolean"},
        "example": {"type": "string", "minLength": 1},
        "caption": {"type": "string", "minLength": 1},
    })
    example = "collapsed: true\nexample: king - man + woman"
    needs_model = False

    def parse(self, data):
        return {"collapsed": data.get("collapsed", False), "example": data.get("example", "frog"),
                "caption": data.get("caption")}

    def anchor_hint(self, spec):
        return ""

    def compute(self, kv, spec):
        return {}

    def render(self, spec, result, ctx):
        n = session_mod.SESSION.explorer_words if session_mod.SESSION else 50_000
        a = esc(ctx.anchor)
        widget = "".join([
            f'<div class="ll-explorer" data-explorer data-example="{esc(spec["example"])}">',
            '<form class="ll-explorer__form" role="search" aria-label="Vector explorer">',
            f'<label for="{a}-q" class="ll-explorer__label">A word, or an analogy such as '
            f'<code>king - man + woman</code></label>',
            f'<div class="ll-explorer__row"><input id="{a}-q" class="ll-explorer__input" type="text" '
            f'list="{a}-list" autocomplete="off" autocapitalize="none" spellcheck="false" '
            f'placeholder="{esc(spec["example"])}">',
            f'<datalist id="{a}-list"></datalist>',
            '<button type="submit" class="md-button md-button--primary">Explore</button></div>',
            "</form>",
            '<p class="ll-explorer__status" role="status" aria-live="polite"></p>',
            '<div class="ll-explorer__results"></div>',
            '<div class="ll-explorer__plot" hidden></div>',
            f'<p class="ll-explorer__note">Computed in your browser from the {n:,} most frequent words of '
            f'<strong>{esc(ctx.model_id["name"])}</strong>, each vector stored in 7 bits a number; '
            "scores can differ from gensim’s in the third decimal.</p>",
            "</div>",
        ])
        caption = (f'<p class="ll-caption">{author_markdown(spec["caption"], inline=True)}</p>'
                   if spec["caption"] else "")
        if spec["collapsed"]:
            return (f'<details class="ll-block ll-explorer-details" id="{a}"><summary>Open the vector explorer'
                    f'</summary>{caption}{widget}</details>')
        return f'<div class="ll-block" id="{a}">{caption}{widget}</div>'
