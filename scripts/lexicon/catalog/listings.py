"""Listings a hand-written page asks for with a comment on a line of its own: ``<!-- lexicon:NAME -->``.

Most are written into the page's Markdown at once (the home page's path and cards, the
glossary fields, a card preview, the block reference of the authoring guide). Two list
what the whole build did, every claim and every block, so they can only be written once
every page has rendered: those leave a placeholder that :meth:`Listings.fill` replaces in
the second phase (``on_page_context``), the way Material's tags plugin fills its listings.
An unknown name fails the build.
"""

from __future__ import annotations

import re
import secrets

import markdown as markdown_mod

from ..engine.options import limits_markdown
from ..errors import LexiconError
from ..offline_bundle import SITE_PATH
from . import audits, cards, claim_pages, downloads, glossary, index_pages

MARKER = re.compile(r"^<!-- lexicon:([a-z-]+)(?::([a-z-]+))? -->[ \t]*$", re.M)
PLACEHOLDER = re.compile(r"<!-- lexicon-listing:([a-z-]+)(?::([a-z-]+))? -->")
LATE = ("claims-audit", "block-kinds")
WITH_ARGUMENT = ("block-reference",)   # <!-- lexicon:block-reference:vectors -->: one family's reference
MAY_TAKE_ARGUMENT = ("claims-audit",)  # <!-- lexicon:claims-audit:retrieval -->: one group's claims


class Listings:
    def __init__(self, index, categories, site_url: str, build, registry, config):
        self.index, self.categories, self.site_url = index, categories, site_url
        self.build, self.registry, self.config = build, registry, config
        self.titles: dict[str, str] = {}        # docs-relative source -> page title, as pages render
        self.urls: dict[str, str] = {}          # docs-relative source -> page URL (notebooks' too)
        self.offline = False                     # the offline bundle (Material's offline plugin) is building
        # What a listing writes into a page is the build's, not the author's: it is fenced by two
        # comments holding a token no author can know, so the page's prose check
        # (PageBlocks.prose_errors) leaves it out, and :meth:`unfence` removes the comments.
        token = secrets.token_hex(8)
        self._open, self._close = f"<!-- lexicon-made:{token} -->", f"<!-- /lexicon-made:{token} -->"
        self._made = re.compile(re.escape(self._open) + ".*?" + re.escape(self._close), re.S)

    def expand(self, markdown: str, here: str, src_path: str, url_of) -> str:
        """``url_of(src)``: the URL of a docs-relative source (or a path of the built site),
        relative to this page."""
        from ..engine.reference import families_markdown, reference_markdown

        makers = {
            "browse": lambda: index_pages.home_browse_markdown(self.index, self.categories, here),
            "featured-path": lambda: index_pages.featured_path_markdown(self.index, here),
            "glossary-fields": glossary.glossary_fields_markdown,
            "card-preview": lambda: cards.card_preview(
                self.index, self.site_url, url_of(f"{cards.CARDS_DIR}/{cards.preview_slug(self.index)}.html")),
            "block-reference": reference_markdown,      # :family (one family's page)
            "block-families": families_markdown,
            "offline-download": lambda: downloads.offline_download(self.offline, url_of(SITE_PATH)),
            "limits": limits_markdown,
        }

        def sub(m):
            name = m.group(1)
            arg, line = m.group(2), markdown.count("\n", 0, m.start()) + 1
            if name in MAY_TAKE_ARGUMENT and arg:
                known = [g for g, _ in claim_pages.groups(self.categories)]
                if arg not in known:
                    raise LexiconError(f"the marker '<!-- lexicon:{name}:{arg} -->' names no group of the "
                                       "claims audit", file=src_path, line=line,
                                       fix=f"use one of: {', '.join(known)}")
                return f"<!-- lexicon-listing:{name}:{arg} -->"
            if name in LATE:
                if arg:
                    raise LexiconError(f"the marker '<!-- lexicon:{name}:{arg} -->' takes no ':{arg}'",
                                       file=src_path, line=line, fix=f"write '<!-- lexicon:{name} -->'")
                return f"<!-- lexicon-listing:{name} -->"
            if name not in makers:
                raise LexiconError(f"unknown marker '<!-- lexicon:{name} -->'", file=src_path, line=line,
                                   fix=f"use one of: {', '.join(list(makers) + list(LATE))}")
            if bool(arg) != (name in WITH_ARGUMENT):
                raise LexiconError(f"the marker '<!-- lexicon:{name}{':' + arg if arg else ''} -->' "
                                   + (f"takes no ':{arg}'" if arg else "needs a family: ':vectors'"),
                                   file=src_path, line=line,
                                   fix=f"write '<!-- lexicon:{name} -->'" if arg else
                                   f"write '<!-- lexicon:{name}:FAMILY -->' (a folder of scripts/lexicon/blocks/)")
            try:
                made = makers[name](arg) if arg else makers[name]()
            except LexiconError as err:
                raise LexiconError(err.message, file=src_path, line=line, fix=err.fix) from None
            return f"{self._open}\n\n{made}\n\n{self._close}"
        return MARKER.sub(sub, markdown)

    def without_made(self, html: str) -> str:
        """The page's HTML without what its listings wrote: the author's own part."""
        return self._made.sub("", html)

    def unfence(self, html: str) -> str:
        """The page's HTML without the comments that fence what its listings wrote."""
        return re.sub(r"\n?(?:" + re.escape(self._open) + "|" + re.escape(self._close) + r")\n?", "", html)

    @staticmethod
    def blocks(markdown: str, kinds) -> list[tuple[str, str]]:
        """A page's computed blocks once its listings are expanded: (kind, body), in order."""
        from ..engine.reference import reference_markdown
        from ..locate import iter_fences

        markdown = MARKER.sub(lambda m: reference_markdown(m.group(2))
                              if m.group(1) == "block-reference" and m.group(2) else m.group(0), markdown)
        return [(f.kind, "\n".join(f.body)) for f in iter_fences(markdown) if f.kind in kinds]

    def fill(self, html: str, here: str, url_of) -> str:
        """Replace the placeholders of the page ``here`` once the whole build has rendered."""
        def title_of(src):
            return self.titles.get(src, src)

        def sub(m):
            if m.group(1) == "claims-audit" and m.group(2):
                claims = [c for c in self.build.claims
                          if claim_pages.group_of(c.where.page, self.index) == m.group(2)]
                return audits.claims_audit_html(claims, url_of, title_of)
            if m.group(1) == "claims-audit":
                return audits.claims_overview_html(
                    self.build.claims, claim_pages.groups(self.categories),
                    lambda src: claim_pages.group_of(src, self.index),
                    lambda group: url_of(claim_pages.src_of(group)), url_of, title_of)
            md = audits.block_kinds_markdown(self.registry, self.build.usage, here, url_of,
                                             lambda src: self.titles.get(src, src))
            return markdown_mod.markdown(md, extensions=["tables", "attr_list", "md_in_html"])
        return PLACEHOLDER.sub(sub, html)
