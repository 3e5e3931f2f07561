"""The zipf kind: Zipf's law counted in gensim's Lee corpus.

Every word type of the corpus (:mod:`._corpus`) is ranked by how often it occurs (rank 1 the most
frequent; equal counts ranked alphabetically). The block draws count against rank on log–log axes,
fits a straight line there by least squares over a range of ranks (``numpy.polyfit``), and says how
much of the running text the most frequent words cover and how many types occur only once.
"""

from __future__ import annotations

import difflib
import re

import numpy as np

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import fmt, percent, table
from ._corpus import CORPUS, corpus_frequencies, corpus_stories

NOTE = f"Computed at build time from gensim\u2019s Lee corpus ({CORPUS}); no embedding model."
QUANTITY = r"(slope|hapax|types|tokens|share\(\s*\d+\s*\)|count\(\s*[^()\s]+\s*\)|rank\(\s*[^()\s]+\s*\))"
NUMBER = r"([-−+]?\d[\d,_]*(?:\.\d+)?\s*%?)"
BETWEEN = re.compile(rf"^\s*{QUANTITY}\s+between\s+{NUMBER}\s+and\s+{NUMBER}\s*$")
COMPARE = re.compile(rf"^\s*{QUANTITY}\s*([<>=])\s*(?:{QUANTITY}|{NUMBER})\s*$")
OP_WORDS = {"<": "is less than", ">": "is more than", "=": "is"}
SAMPLE_RANKS = (1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
WHOLE = ("hapax", "types", "tokens", "count", "rank")   # quantities that are counts: `=` makes sense
CLAIM_FIX = ("write e.g. 'slope between -1.2 and -0.8', 'share(100) > 0.4' (or '> 40%'), 'hapax > 3000', "
             "'count(police) > count(troops)' or 'rank(the) = 1'")
FIT_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 2, "maxItems": 2}
TOP_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 1, "maxItems": 6,
              "uniqueItems": True}


def _quantity(text: str) -> tuple[str, str | None]:
    """``share( 100 )`` → ("share", "100"); ``slope`` → ("slope", None)."""
    m = re.match(r"^(\w+)(?:\(\s*(\S+?)\s*\))?$", text.strip())
    return m.group(1), m.group(2)


def _number(text: str, name: str, claim: str) -> float:
    t = text.replace("−", "-").replace(",", "").replace("_", "").replace(" ", "")
    x = float(t.rstrip("%")) / (100 if t.endswith("%") else 1)
    if name == "share" and not t.endswith("%") and not 0 <= x <= 1:
        raise LexiconError(f"the claim '{claim}' compares a share with {text}, which is not a fraction",
                           fix="write a share as a fraction from 0 to 1 ('share(100) > 0.4') or a percentage "
                               "('share(100) > 40%')")
    return x


def parse_claim(text: str) -> dict:
    """``{"left": (name, arg), "op": "<"|">"|"="|"between", "right": number | (name, arg) | (lo, hi)}``."""
    text = str(text)
    m = BETWEEN.match(text)
    if m:
        left = _quantity(m.group(1))
        lo, hi = sorted((_number(m.group(2), left[0], text), _number(m.group(3), left[0], text)))
        return {"left": left, "op": "between", "right": (lo, hi)}
    m = COMPARE.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    left, op = _quantity(m.group(1)), m.group(2)
    right = _quantity(m.group(3)) if m.group(3) else _number(m.group(4), left[0], text)
    if op == "=" and not (left[0] in WHOLE and (isinstance(right, tuple) and right[0] in WHOLE or
                                                 isinstance(right, float) and right.is_integer())):
        raise LexiconError(f"the claim '{text}' asks for equality of a measured number",
                           fix="compare a slope or a share with '<', '>' or 'between … and …'; keep '=' for "
                               "whole counts such as 'rank(the) = 1'")
    return {"left": left, "op": op, "right": right}


def claim_needs(texts) -> tuple[list[str], list[int]]:
    """The words (count, rank) and top-N sizes (share) the claims name: the result must hold them."""
    words, tops = [], []
    for t in texts:
        c = parse_claim(t)
        for name, arg in [c["left"]] + ([c["right"]] if isinstance(c["right"], tuple) and
                                        isinstance(c["right"][0], str) else []):
            if name in ("count", "rank"):
                words.append(arg)
            elif name == "share":
                tops.append(int(arg))
    return words, tops


def zipf_result(fit: list[int], tops: list[int], words: list[str]) -> dict:
    """Ranks, the count staircase, the least-squares line, top-N shares, hapax legomena, named words."""
    freq = corpus_frequencies()
    ranked = sorted(freq.items(), key=lambda t: (-t[1], t[0]))    # equal counts: alphabetical
    counts = np.array([n for _, n in ranked])
    types, tokens = len(counts), int(counts.sum())
    lo, hi = fit
    asked = [(hi, f"'fit' goes to rank {hi:,}", "'fit'")] + \
        [(n, f"a share of the top {n:,} words is asked for", "'top' and in the claims") for n in tops]
    for n, what, where in asked:
        if n > types:
            raise LexiconError(f"{what}, but the corpus has only {types:,} word types",
                               fix=f"use numbers up to {types:,} in {where}")
    ranks = np.arange(1, types + 1)
    slope, intercept = np.polyfit(np.log10(ranks[lo - 1:hi]), np.log10(counts[lo - 1:hi]), 1)
    steps = []   # one row per distinct count: [count, first rank, last rank, the first three words]
    for c in sorted(set(counts.tolist()), reverse=True):
        idx = np.flatnonzero(counts == c)
        steps.append([int(c), int(idx[0]) + 1, int(idx[-1]) + 1, [ranked[i][0] for i in idx[:3]]])
    cum = np.cumsum(counts)
    # The ranks the chart's table lists: a log-spaced sample, the fit's ends, the first word seen once, the last.
    once = np.flatnonzero(counts == 1)
    sample = sorted({r for r in SAMPLE_RANKS if r <= types} | {lo, hi, types} |
                    ({int(once[0]) + 1} if once.size else set()))
    rank_of = {w: i + 1 for i, (w, _) in enumerate(ranked)}
    return {
        "tokens": tokens, "types": types, "stories": len(corpus_stories()),
        "hapax": int((counts == 1).sum()),
        "fit": {"from": lo, "to": hi, "slope": round(float(slope), 4), "intercept": round(float(intercept), 4)},
        "steps": steps,
        "sample": [[r, ranked[r - 1][0], int(counts[r - 1])] for r in sample],
        "shares": [[n, int(cum[n - 1]), round(float(cum[n - 1]) / tokens, 5)] for n in sorted(set(tops))],
        "words": {w: [freq.get(w, 0), rank_of.get(w)] for w in dict.fromkeys(words)},
    }


def require_words(words: list[str]) -> None:
    """A word to mark on the chart must occur in the corpus (lower case, as simple_preprocess writes it)."""
    freq = corpus_frequencies()
    for w in words:
        if w not in freq:
            close = difflib.get_close_matches(w.lower(), list(freq), n=3, cutoff=0.8)
            hint = f"; close words that it has: {', '.join(close)}" if close else ""
            raise LexiconError(f"'{w}' does not occur in the corpus ({CORPUS}){hint}",
                               fix="write words in lower case, as gensim's simple_preprocess does, and pick "
                                   "words this news corpus uses, e.g. the, police, government, cricket")


class Zipf(Kind):
    """Zipf's law in a real corpus (gensim's Lee corpus): word counts against frequency rank on log–log axes,
    the least-squares slope, the share of the text the top words cover, and the words that occur once.

    Every word type of the Lee background corpus (300 short ABC news stories, tokenised with gensim's
    `simple_preprocess`) is ranked by its count, rank 1 the most frequent; words with equal counts are
    ranked alphabetically. The chart draws count against rank on log–log axes, where Zipf's law
    (count proportional to 1 / rank) is a straight line of slope −1, and a dashed least-squares line
    (`numpy.polyfit` on log rank and log count) over the ranks given by `fit`. A table gives the share of
    all tokens the `top` N words cover, and the block says how many types occur only once (*hapax
    legomena*). Needs no embedding model.
    """

    example = ("fit: [10, 1000]\ntop: [10, 100]\nwords: [the, police]\nexpect:\n  - slope between -1.2 and -0.8\n"
               "  - share(100) > 0.4")
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        fit=opt.raw("The first and last rank of the least-squares fit.", FIT_SCHEMA,
                    "`[first, last]` ranks", default=[10, 1000], convert=list),
        top=opt.raw("Sizes N of the top-N lists whose share of all tokens the table gives.", TOP_SCHEMA,
                    "list of 1–6 whole numbers", default=[10, 100, 1000], convert=list),
        words=opt.words("Words to mark on the chart, with their count and rank; they must occur in the corpus.",
                        min=0, max=8, unique=True, vocab=False, type_doc="list of up to 8 words", default=[]),
        # The words and top-N sizes a claim names are counted too, so the claims join the cache key.
        expect=opt.claims("[Claims](#claims): `slope between -1.2 and -0.8`, `share(100) > 0.4` (or `> 40%`), "
                          "`hapax > 3000`, `types < 10000`, `count(police) > count(troops)`, `rank(the) = 1`.",
                          display=False),
        caption=opt.caption("“Each word type’s count against its frequency rank, on log–log axes …”",
                            doc="Caption of the chart (Markdown)."),
        figure=opt.show_figure("Show the chart (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        lo, hi = spec.fit
        if lo >= hi:
            raise LexiconError(f"'fit' runs from rank {lo} to rank {hi}: the first rank must be the lower one",
                               fix="write the range low to high, e.g. 'fit: [10, 1000]'")
        spec.claim_words, spec.claim_tops = claim_needs(spec.expect)

    def anchor_hint(self, spec):
        return f"zipf ranks {spec.fit[0]} {spec.fit[1]}"

    def compute(self, kv, spec):
        # Checked when computing, like the vocabulary: a cached result comes from the same words and corpus.
        require_words(spec.words)
        return zipf_result(spec.fit, spec.top + spec.claim_tops, spec.words + spec.claim_words)

    # --- claims and values ----------------------------------------------------------------------------
    def claims(self, spec, result, check):
        names = {"slope": f"the least-squares slope over ranks {result['fit']['from']:,}–{result['fit']['to']:,}",
                 "hapax": "the number of word types that occur once",
                 "types": "the number of word types", "tokens": "the number of tokens"}

        def said(name, arg):
            if name == "share":
                return f"the share of all tokens covered by the {int(arg):,} most frequent words"
            return {"count": f"the count of \u201c{arg}\u201d", "rank": f"the rank of \u201c{arg}\u201d"}.get(
                name, names.get(name))

        def shown(name, x):
            return f"{x * 100:g}%" if name == "share" else fmt(x, 2) if name == "slope" else f"{x:,g}"

        for text in spec.expect:
            c = parse_claim(text)
            (name, arg), op, right = c["left"], c["op"], c["right"]
            left, actual = _measure(result, name, arg)
            if op == "between":
                lo, hi = right
                check(f"{said(name, arg)} is between {shown(name, lo)} and {shown(name, hi)}",
                      left is not None and lo <= left <= hi, actual)
                continue
            if isinstance(right, tuple):
                other, other_actual = _measure(result, *right)
                statement, actual = f"{said(name, arg)} {OP_WORDS[op]} {said(*right)}", f"{actual}; {other_actual}"
            else:
                other, statement = right, f"{said(name, arg)} {OP_WORDS[op]} {shown(name, right)}"
            ok = left is not None and other is not None and {"<": left < other, ">": left > other,
                                                               "=": left == other}[op]
            check(statement, ok, actual)

    @value("The least-squares slope of log count on log rank over the `fit` ranks (Zipf: about −1).")
    def slope(self, spec, result):
        return Value(fmt(result["fit"]["slope"], 2), result["fit"]["slope"])

    @value("The ranks the line is fitted over, as the block writes them (`10–1,000`).")
    def fitted_ranks(self, spec, result):
        return Value(f"{result['fit']['from']:,}–{result['fit']['to']:,}")

    @value("The share of all tokens the N most frequent words cover, as the table shows it (`46.4%`); "
           "N must be listed under `top`.")
    def share(self, spec, result, n):
        row = next((s for s in result["shares"] if str(s[0]) == str(n).strip()), None)
        if row is None:
            raise LexiconError(f"the block has no share for the top {n} words",
                               fix=f"add {n} to 'top' (it lists {', '.join(str(s[0]) for s in result['shares'])})")
        return Value(percent(row[2]), row[2])

    @value("How many word types occur exactly once (hapax legomena).")
    def hapax(self, spec, result):
        return Value(f"{result['hapax']:,}", result["hapax"])

    @value("The share of the word types that occur once (`43.3%`).")
    def hapax_types(self, spec, result):
        s = result["hapax"] / result["types"]
        return Value(percent(s), s)

    @value("The share of all tokens that are words occurring once (`5.2%`).")
    def hapax_tokens(self, spec, result):
        s = result["hapax"] / result["tokens"]
        return Value(percent(s), s)

    @value("How many word types (different words) the corpus has.")
    def types(self, spec, result):
        return Value(f"{result['types']:,}", result["types"])

    @value("How many tokens (running words) the corpus has.")
    def tokens(self, spec, result):
        return Value(f"{result['tokens']:,}", result["tokens"])

    @value("How many times a listed word occurs in the corpus.")
    def count(self, spec, result, word):
        n = _listed(result, word)[0]
        return Value(f"{n:,}", n)

    @value("A listed word's frequency rank in the corpus (1 = most frequent).")
    def rank(self, spec, result, word):
        r = _listed(result, word)[1]
        if r is None:
            raise LexiconError(f"'{word}' does not occur in the corpus, so it has no rank",
                               fix="quote the rank of a word the corpus has")
        return Value(f"{r:,}", r)

    # --- rendering -----------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        fit, steps, tokens, types, hapax = result["fit"], result["steps"], result["tokens"], result["types"], \
            result["hapax"]
        marked = [(w, *result["words"][w]) for w in spec.words]

        def count_at(rank):
            return next(c for c, first, last, _ in steps if first <= rank <= last)

        samples = ", ".join(f"rank {r:,} occurs {count_at(r):,} times" for r in (1, 10, 100, 1000) if r <= types)
        alt = (f"Log–log line chart of each word type’s count against its frequency rank in the Lee corpus: "
               f"{samples}; the last {hapax:,} ranks occur once. The dashed least-squares line over ranks "
               f"{fit['from']:,}–{fit['to']:,} has slope {fmt(fit['slope'], 2)}."
               + (" Marked: " + ", ".join(f"{w} (rank {r:,}, {c:,} times)" for w, c, r in marked) + "."
                  if marked else ""))

        def fitted(r):
            inside = fit["from"] <= r <= fit["to"]
            return f"{10 ** (fit['intercept'] + fit['slope'] * np.log10(r)):,.1f}" if inside else "—"

        rows = [[f"{r:,}", w, f"{c:,}", fitted(r)] for r, w, c in result["sample"]]
        data = Html(table(["Rank", "Word", "Occurrences", "Fitted line"], rows, numeric_cols=(0, 2, 3))
                    + f'<p class="ll-caption">A sample of the {types:,} ranks. The fitted line is given over the '
                      f'ranks it was fitted to, {fit["from"]:,}–{fit["to"]:,}.</p>')
        share_rows = [[f"top {n:,}", f"{covered:,}", percent(s)] for n, covered, s in result["shares"]]
        code = (
            "from collections import Counter\n\nimport numpy as np\n"
            "from gensim.test.utils import datapath\nfrom gensim.utils import simple_preprocess\n\n"
            f"counts = Counter(w for line in open(datapath({CORPUS!r}), encoding=\"utf-8\")\n"
            "                 for w in simple_preprocess(line))\n"
            "ranked = sorted(counts, key=lambda w: (-counts[w], w))  # rank 1 first; ties alphabetical\n"
            "freq = np.array([counts[w] for w in ranked])\n"
            "ranks = np.arange(1, len(freq) + 1)\n"
            f"lo, hi = {fit['from']}, {fit['to']}\n"
            "slope, intercept = np.polyfit(np.log10(ranks[lo - 1:hi]), np.log10(freq[lo - 1:hi]), 1)\n"
            + "".join(f"freq[:{n}].sum() / freq.sum()  # share of the tokens in the top {n}\n"
                      for n in spec.top)
            + "(freq == 1).sum()  # word types that occur once\n"
            + "".join(f"counts[{w!r}], ranked.index({w!r}) + 1\n" for w in spec.words))
        return [
            Html(f"<p>The corpus has <strong>{tokens:,}</strong> tokens of <strong>{types:,}</strong> word types "
                 f"in {result['stories']} stories. <strong>{hapax:,}</strong> types ({percent(hapax / types)} of "
                 f"them) occur only once, the <em>hapax legomena</em>; together they are "
                 f"{percent(hapax / tokens)} of the tokens.</p>"),
            Figure(lambda: zipf_figure(steps, fit, marked), alt=alt, caption=spec.caption, table=data,
                   default_caption=f"Each word type\u2019s count against its frequency rank, on log–log axes. "
                                   f"Dashed: the least-squares line over ranks {fit['from']:,}–{fit['to']:,}, "
                                   f"slope {fmt(fit['slope'], 2)}; Zipf\u2019s law would give \u22121.",
                   height=400),
            Table(["Most frequent words", "Tokens they cover", f"Share of all {tokens:,} tokens"], share_rows,
                  numeric=(1, 2)),
            Code(code, "The Python behind these numbers"),
        ]


def _measure(result, name: str, arg):
    """(number or None, words) of one quantity."""
    fit = result["fit"]
    if name == "slope":
        return fit["slope"], f"the least-squares slope is {fmt(fit['slope'])}"
    if name == "share":
        n, covered, share = next(s for s in result["shares"] if s[0] == int(arg))
        return share, (f"the {n:,} most frequent words cover {covered:,} of {result['tokens']:,} tokens "
                       f"({share * 100:.2f}%)")
    if name in ("count", "rank"):
        count, rank = result["words"][arg]
        if name == "count":
            return count, f"\u201c{arg}\u201d occurs {count:,} times"
        return rank, (f"\u201c{arg}\u201d is rank {rank:,}" if rank else f"\u201c{arg}\u201d does not occur")
    what = {"hapax": "word types occur once", "types": "word types", "tokens": "tokens"}[name]
    return result[name], f"{result[name]:,} {what}"


def _listed(result, word: str) -> list:
    if word not in result["words"]:
        raise LexiconError(f"'{word}' is not one of the block's words",
                           fix="add it to 'words' (or name it in a claim), then quote it")
    return result["words"][word]


def zipf_figure(steps: list, fit: dict, marked: list):
    """Count against rank (log–log), the fitted line over its ranks, and the marked words."""
    import plotly.graph_objects as go

    xs, ys, hover = [], [], []
    for c, first, last, words in steps:
        for r in dict.fromkeys((first, last)):
            xs.append(r)
            ys.append(c)
            hover.append(words[0] if first == last else f"{last - first + 1:,} words")
    lo, hi = fit["from"], fit["to"]
    line = [10 ** (fit["intercept"] + fit["slope"] * np.log10(r)) for r in (lo, hi)]
    fig = go.Figure([
        go.Scatter(x=xs, y=ys, mode="lines", name="observed", line=dict(color=figures.PALETTE[0], width=2),
                   customdata=hover, hovertemplate="rank %{x:,}: %{y:,} times (%{customdata})<extra></extra>"),
        go.Scatter(x=[lo, hi], y=[round(v, 3) for v in line], mode="lines",
                   name=f"least-squares fit, slope {fmt(fit['slope'], 2)}",
                   line=dict(color=figures.PALETTE[5], width=2, dash="dash"), hoverinfo="skip"),
    ])
    if marked:
        fig.add_trace(go.Scatter(
            x=[r for _, _, r in marked], y=[c for _, c, _ in marked], mode="markers+text", name="marked words",
            text=[w for w, _, _ in marked], textposition="top right", cliponaxis=False,
            marker=dict(size=10, color=figures.PALETTE[2], symbol=figures.SYMBOLS[2]),
            hovertemplate="%{text}: rank %{x:,}, %{y:,} times<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, showlegend=True, legend=dict(orientation="h", y=-0.18),
                      # dtick=1: one label per power of ten (1, 10, 100, 1,000), not the unlabelled-looking
                      # "5, 2" ticks plotly puts between decades
                      xaxis=dict(type="log", title=dict(text="frequency rank (log scale)", standoff=6),
                                 dtick=1, tickformat=",d", automargin=True),
                      yaxis=dict(type="log", title=dict(text="occurrences (log scale)", standoff=6),
                                 dtick=1, tickformat=",d", automargin=True))
    return fig

