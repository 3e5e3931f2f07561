"""The vocabulary kind: which words the model knows, and how frequent they are.

GloVe keeps the most frequent words of its training text and stores them from most to least
frequent, so a word's row index plus one is its frequency rank ("the" is rank 1). Words outside
the vocabulary are shown, not refused: that is what the block is for.
"""

from __future__ import annotations

import math
import re

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc
from ._tokens import rank_of

# Claims, one string each:  rank(the) = 1 | rank(aardvark) > 50000 | rank(dog) < rank(cat)
#                           colour in vocabulary | tokenisation not in vocabulary | size = 400000
RANK_CLAIM = re.compile(r"^\s*rank\((\S+?)\)\s*([<>=])\s*(?:rank\((\S+?)\)|([\d,_]+))\s*$")
IN_CLAIM = re.compile(r"^\s*(\S+)\s+(not\s+)?in\s+(?:the\s+)?vocabulary\s*$")
SIZE_CLAIM = re.compile(r"^\s*size\s*([<>=])\s*([\d,_]+)\s*$")
CLAIM_FIX = ("write a claim as 'rank(the) = 1', 'rank(aardvark) > 50000', 'rank(dog) < rank(cat)', "
             "'colour in vocabulary', 'tokenisation not in vocabulary' or 'size = 400000'")


def parse_claim(text: str) -> dict:
    m = RANK_CLAIM.match(text)
    if m:
        word, op, other, number = m.groups()
        return {"type": "rank", "word": word, "op": op, "other": other,
                "number": int(re.sub(r"[,_]", "", number)) if number else None}
    m = IN_CLAIM.match(text)
    if m:
        return {"type": "in", "word": m.group(1), "in": not m.group(2)}
    m = SIZE_CLAIM.match(text)
    if m:
        return {"type": "size", "op": m.group(1), "number": int(re.sub(r"[,_]", "", m.group(2)))}
    raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)


def claim_words(text: str) -> list[str]:
    c = parse_claim(text)
    return [w for w in (c.get("word"), c.get("other")) if w]


def _holds(left: int, op: str, right: int) -> bool:
    return {"<": left < right, ">": left > right, "=": left == right}[op]


def check_claim(check, text: str, ranks: dict, size: int) -> None:
    """``ranks`` maps every word the claim names to its rank, or None if the model lacks it."""
    c = parse_claim(text)
    if c["type"] == "size":
        check(f"the vocabulary has {'exactly ' if c['op'] == '=' else ''}"
              f"{'more than ' if c['op'] == '>' else 'fewer than ' if c['op'] == '<' else ''}"
              f"{c['number']:,} words", _holds(size, c["op"], c["number"]), f"it has {size:,}")
        return
    word = c["word"]

    def shown(w):
        return f"\u201c{w}\u201d is rank {ranks[w]:,}" if ranks.get(w) else f"\u201c{w}\u201d is not in the vocabulary"

    if c["type"] == "in":
        check(f"\u201c{word}\u201d is {'' if c['in'] else 'not '}in the model's vocabulary",
              (ranks.get(word) is not None) == c["in"], shown(word))
        return
    named = [word] + ([c["other"]] if c["other"] else [])
    right_text = f"the rank of \u201c{c['other']}\u201d" if c["other"] else f"{c['number']:,}"
    op_text = {"<": "lower than", ">": "higher than", "=": ""}[c["op"]]
    statement = f"the frequency rank of \u201c{word}\u201d is {op_text + ' ' if op_text else ''}{right_text}"
    actual = "; ".join(shown(w) for w in named)
    if any(ranks.get(w) is None for w in named):
        check(statement, False, actual)
        return
    right = ranks[c["other"]] if c["other"] else c["number"]
    check(statement, _holds(ranks[word], c["op"], right), actual)


def share(rank: int, size: int) -> str:
    """'top 1.4%' or 'bottom 5%' — where the rank falls in the vocabulary, as readers think of it."""
    pct = 100 * rank / size
    if pct > 50:  # "top 95%" is true but reads as a high rank
        return "bottom " + _percent(100 - pct + 100 / size)
    return "top " + _percent(pct)


def _percent(pct: float) -> str:
    digits = 0 if pct >= 10 else 1 if pct >= 1 else 2 if pct >= 0.01 else 4
    return f"{pct:.{digits}f}%"


def rank_figure(words: list[str], ranks: list[int], size: int):
    """Each known word as a dot on a log-scaled axis from rank 1 to the vocabulary size."""
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(
        x=ranks, y=words, mode="markers+text", text=[f"{r:,}" for r in ranks],
        # A label near the right end goes to the left of its dot, so a phone does not cut it off.
        textposition=["top left" if math.log10(r) > math.log10(size) - 0.7 else "top center" for r in ranks],
        marker=dict(size=12, color=figures.PALETTE[0]), cliponaxis=False,
        hovertemplate="%{y}: rank %{x:,}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, showlegend=False,
                      xaxis=dict(type="log", range=[-0.1, round(math.log10(size) + 0.1, 3)],
                                 title=dict(text="frequency rank (log scale)", standoff=6),
                                 automargin=True),
                      yaxis=dict(autorange="reversed", automargin=True))
    return fig


class Vocabulary(Kind):
    """Which words are in the model's vocabulary, with each word's frequency rank, and optionally the
    model's most frequent words.

    The model's vocabulary size, optionally its most frequent tokens, and the frequency rank of any
    words you list, as a dot chart on a log scale and a table. Words that are not in the vocabulary are
    listed as such (no error), so you can compare spellings.
    """

    example = ("words: [color, colour, email, e-mail]\nexpect:\n  - rank(color) < rank(colour)\n"
               "  - rank(email) < rank(e-mail)")
    options = opt.Options(
        Kind.options,
        words=opt.words("Words to look up; any spelling, in or out of the vocabulary.", min=0, max=20,
                        unique=True, vocab=False, type_doc="list of up to 20 words", default=[]),
        top=opt.integer("Also list the model's N most frequent tokens.", default=0, min=0, max=100),
        size=opt.flag("Say how many words the vocabulary has.", default=None,
                      default_doc="`true` if `top` is set", display=True),
        # The words a claim names are looked up too, so the claims join the cache key.
        expect=opt.raw("[Claims](#claims): `rank(the) = 1`, `rank(dog) < rank(cat)`, `rank(aardvark) > 50000`, "
                       "`colour in vocabulary`, `emoji not in vocabulary`, `size = 400000`. Put words "
                       "with punctuation in quotes.", opt.word_list(), "list of [claims](#claims)", default=[],
                       convert=list),
        caption=opt.text("Caption of the chart (Markdown); with `figure: false`, shown under the table.",
                         default_doc="“Where each word falls among the model’s words, from the most frequent "
                                     "(rank 1) to the rarest.”", display=True),
        figure=opt.show_figure("Show the chart (the table is then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        if not spec.words and not spec.top and not spec.size:
            raise LexiconError("the block shows nothing: no words, no top words and no size",
                               fix="add 'words: [the, cat]', 'top: 10' or 'size: true'")
        if spec.size is None:
            spec.size = spec.top > 0
        for text in spec.expect:
            parse_claim(text)

    def anchor_hint(self, spec):
        return " ".join(spec.words[:4]) or f"top {spec.top}"

    def compute(self, kv, spec):
        named = list(dict.fromkeys(spec.words + [w for t in spec.expect for w in claim_words(t)]))
        return {"ranks": {w: rank_of(kv, w) for w in named}, "size": len(kv),
                "top": kv.index_to_key[:spec.top]}

    def claims(self, spec, result, check):
        for text in spec.expect:
            check_claim(check, text, result["ranks"], result["size"])

    @value("How many words the vocabulary has.")
    def size(self, spec, result):
        return Value(f"{result['size']:,}", result["size"])

    @value("A listed word's frequency rank, as the table shows it.")
    def rank(self, spec, result, word):
        r = result["ranks"].get(word)
        if r is None:
            raise LexiconError(f"'{word}' is not a listed word in the vocabulary",
                               fix="name a word listed under 'words' that the model knows")
        return Value(f"{r:,}", r)

    @value("Where a listed word falls in the vocabulary, as the table shows it (“top 1.4%”).")
    def where(self, spec, result, word):
        r = result["ranks"].get(word)
        if r is None:
            raise LexiconError(f"'{word}' is not a listed word in the vocabulary",
                               fix="name a word listed under 'words' that the model knows")
        return Value(share(r, result["size"]), 100 * r / result["size"])

    def render(self, spec, result, ctx):
        size, ranks = result["size"], result["ranks"]
        parts = []
        if spec.size:
            parts.append(Html(f'<p>The model\u2019s vocabulary has <strong>{size:,}</strong> words.</p>'))
        if result["top"]:
            # A wrapping line of rank + token, not a tall two-column table.
            items = "\u2003".join(f'<span class="ll-top-word">{i + 1}.\u00a0<code>{esc(w)}</code></span>'
                                   for i, w in enumerate(result["top"]))
            parts.append(Html(f'<p class="ll-subhead">Its {len(result["top"])} most frequent tokens</p>'
                              f'<p class="ll-tokens">{items}</p>'))
        words = spec.words
        if words:
            rows = [[w, "yes" if ranks[w] else "no", f"{ranks[w]:,}" if ranks[w] else "—",
                     share(ranks[w], size) if ranks[w] else "—"] for w in words]
            tbl = Table(["Word", "In the vocabulary?", "Frequency rank", "Where in the vocabulary"], rows,
                        numeric=(2, 3))
            known = [w for w in words if ranks[w]]
            missing = [w for w in words if not ranks[w]]
            if spec.figure and known:
                alt = ("Dot chart of frequency ranks on a log scale: " +
                       ", ".join(f"{w} {ranks[w]:,}" for w in known) + "." +
                       (f" Not in the vocabulary: {', '.join(missing)}." if missing else ""))
                parts.append(Figure(lambda: rank_figure(known, [ranks[w] for w in known], size), alt=alt,
                                    caption=spec.caption, height=110 + 44 * len(known), table=tbl,
                                    default_caption="Where each word falls among the model\u2019s words, from "
                                                    "the most frequent (rank 1) to the rarest."))
                if missing:
                    parts.append(Html('<p class="ll-caption">Not in the vocabulary, so not on the chart: '
                                      f'{", ".join(f"<code>{esc(w)}</code>" for w in missing)}.</p>'))
            else:
                parts.append(tbl)
                if spec.caption:
                    parts.append(Caption(spec.caption))
        code = "len(kv)\n" if spec.size else ""
        if result["top"]:
            code += f"kv.index_to_key[:{spec.top}]\n"
        if words:
            code += ("{w: kv.key_to_index[w] + 1 if w in kv.key_to_index else None\n"
                     f" for w in {words!r}}}\n")
        parts.append(Code(code, "The gensim calls behind these numbers"))
        return parts
