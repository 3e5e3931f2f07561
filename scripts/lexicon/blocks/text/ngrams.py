"""The ngrams kind: word n-grams of gensim's Lee corpus counted with scikit-learn, n from 1 up.

For each n from 1 to ``n_max`` the block counts the n-grams of the 300 background stories
(:mod:`._ngrams`, ``CountVectorizer(ngram_range=(n, n))``), lists the most frequent, and measures
sparsity two ways: the share of distinct n-grams that occur only once, and the share of the held-out
stories' n-grams that the background stories never contain.
"""

from __future__ import annotations

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Raw, Table
from ...errors import LexiconError
from ...render import esc, percent, table
from ._corpus import BACKGROUND, HELD_OUT
from ._ngrams import corpus_table

NOTE = (f"Computed at build time with scikit-learn\u2019s CountVectorizer from gensim\u2019s Lee corpus "
        f"({BACKGROUND}, held out: {HELD_OUT}); no embedding model.")
EXPECT_SCHEMA = {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": {
    "most": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1, "maxItems": 5},
    "sparser": {"type": "boolean"},
}}


def sci(x: float) -> str:
    """A share as a fraction, as the V^n column writes it: ``1`` or ``0.25``, a tiny one in scientific notation
    (``7.1e−04``), never a percentage, so that the column has one unit."""
    if x >= 0.001:
        return f"{x:.3g}"
    return "0" if x == 0 else f"{x:.1e}".replace("-", "\u2212")


def name(n: int) -> str:
    return {1: "unigram", 2: "bigram", 3: "trigram"}.get(n, f"{n}-gram")


class Ngrams(Kind):
    """Word n-grams of gensim's Lee corpus, n = 1, 2, 3 …: how many there are, the most frequent, and how
    fast they grow sparse.

    scikit-learn's `CountVectorizer(ngram_range=(n, n))` counts the n-grams (n tokens in a row, inside one
    story) of the 300 background stories of gensim's Lee corpus, tokenised with `simple_preprocess`. A
    table gives, for each n up to `n_max`, the running and distinct n-grams, the share of distinct ones
    seen only once, how small a part of the vocabulary's V^n possible n-grams ever occurs, the share of
    the 50 held-out stories' n-grams (`lee.cor`) that the background never contains, and the `top` most
    frequent. A chart draws the two sparsity shares against n. Needs no embedding model.
    """

    example = "n_max: 3\ntop: 3\nexpect:\n  most: [the, in the]\n  sparser: true"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        n_max=opt.integer("The longest n-grams counted (n runs from 1 to it).", default=3, min=1, max=5),
        top=opt.integer("How many of the most frequent n-grams the table lists for each n.", default=5, min=1,
                        max=10),
        expect=opt.raw("[Claims](#claims): `most`, n-grams each claimed the most frequent of its length "
                       "(`[the, in the]`); `sparser: true`, each longer n has more distinct n-grams, a larger "
                       "share of them seen once and a larger share of held-out n-grams never seen.",
                       EXPECT_SCHEMA, "`most`, `sparser`", default={}, display=True),
        caption=opt.caption("“How sparse n-grams become as n grows …”", doc="Caption of the chart (Markdown)."),
        figure=opt.show_figure("Show the chart (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        for g in spec.expect.get("most", []):
            n = len(g.split())
            if n > spec.n_max:
                raise LexiconError(f"the claim names '{g}', a {n}-gram, but the block counts n-grams up to "
                                   f"n = {spec.n_max}", fix=f"set 'n_max' to {n} or more, or claim a shorter n-gram")

    def anchor_hint(self, spec):
        return f"n up to {spec.n_max}"

    def compute(self, kv, spec):
        rows = corpus_table(spec.n_max, spec.top)
        return {"rows": rows}

    def claims(self, spec, result, check):
        rows = result["rows"]
        for g in spec.expect.get("most", []):
            words = " ".join(g.split())
            top = rows[len(g.split()) - 1]["top"]
            ok = top[0][0] == words and (len(top) < 2 or top[1][1] < top[0][1])
            check(f"\u201c{words}\u201d is the most frequent {name(len(g.split()))} of the corpus", ok,
                  f"the most frequent are {', '.join(f'{t} ({c:,})' for t, c in top[:3])}", against="the counts")
        if spec.expect.get("sparser"):
            bad = []
            for a, b in zip(rows, rows[1:]):
                if not (b["distinct"] > a["distinct"] and b["once"] / b["distinct"] > a["once"] / a["distinct"]
                        and b["unseen"] / b["held_out"] > a["unseen"] / a["held_out"]):
                    bad.append(f"n = {a['n']} to {b['n']}")
            check(f"from n = 1 to {spec.n_max}, each longer n has more distinct n-grams, a larger share seen once "
                  "and a larger share of held-out n-grams never seen", len(rows) > 1 and not bad,
                  "not from " + ", ".join(bad) if bad else "only one n is counted", against="the counts")

    def _row(self, spec, result, n) -> dict:
        if not (str(n).strip().isdigit() and 1 <= int(n) <= len(result["rows"])):
            raise LexiconError(f"the block has no row for n = {n}", fix=f"quote n from 1 to {len(result['rows'])}")
        return result["rows"][int(n) - 1]

    @value("How many distinct n-grams (types) of length n the corpus has; n = 1 is its vocabulary.")
    def distinct(self, spec, result, n):
        x = self._row(spec, result, n)["distinct"]
        return Value(f"{x:,}", x)

    @value("How many n-grams of length n the corpus has, counting repeats.")
    def running(self, spec, result, n):
        x = self._row(spec, result, n)["running"]
        return Value(f"{x:,}", x)

    @value("The share of the distinct n-grams of length n that occur only once (`77.9%`).")
    def once(self, spec, result, n):
        r = self._row(spec, result, n)
        return Value(percent(r["once"] / r["distinct"]), r["once"] / r["distinct"])

    @value("The share of the held-out stories' n-grams (counting repeats) never seen in the background.")
    def unseen(self, spec, result, n):
        r = self._row(spec, result, n)
        return Value(percent(r["unseen"] / r["held_out"]), r["unseen"] / r["held_out"])

    @value("How many n-grams of length n the held-out stories have, counting repeats.")
    def held_out(self, spec, result, n):
        x = self._row(spec, result, n)["held_out"]
        return Value(f"{x:,}", x)

    @value("The share of the V^n possible n-grams (V the vocabulary) that occur at all, as a fraction (tiny ones in scientific notation).")
    def filled(self, spec, result, n):
        x = self._row(spec, result, n)["distinct"] / result["rows"][0]["distinct"] ** int(n)
        return Value(sci(x), x)

    @value("The k-th most frequent n-gram of length n (`in the`).")
    def top(self, spec, result, n, k):
        r = self._row(spec, result, n)
        if not (str(k).strip().isdigit() and 1 <= int(k) <= len(r["top"])):
            raise LexiconError(f"the table lists {len(r['top'])} n-grams for each n, not {k}",
                               fix=f"quote k from 1 to {len(r['top'])}, or raise 'top'")
        return Value(r["top"][int(k) - 1][0])

    @value("How often the k-th most frequent n-gram of length n occurs.")
    def top_count(self, spec, result, n, k):
        r = self._row(spec, result, n)
        g = self.top(spec, result, n, k).text
        c = dict((t, c) for t, c in r["top"])[g]
        return Value(f"{c:,}", c)

    def render(self, spec, result, ctx):
        rows = result["rows"]
        v = rows[0]["distinct"]
        parts = [Html(f"<p>Word n-grams of the <strong>{rows[0]['running']:,}</strong> words of gensim\u2019s Lee "
                      f"background corpus (300 news stories, <code>simple_preprocess</code> tokens), counted by "
                      f"scikit-learn\u2019s <code>CountVectorizer</code>; an n-gram never spans two stories. "
                      f"Held out: the {HELD_OUT} stories ({rows[0]['held_out']:,} words).</p>")]
        parts.append(Table(
            ["n", "Running n-grams", "Distinct n-grams", "Seen once (of distinct)", "Share of the V^n possible (fraction)",
             "Held-out n-grams never seen", f"Most frequent {spec.top}"],
            [[r["n"], f"{r['running']:,}", f"{r['distinct']:,}", percent(r["once"] / r["distinct"]),
              sci(r["distinct"] / v ** r["n"]), percent(r["unseen"] / r["held_out"]),
              Raw(", ".join(f"<code>{esc(g)}</code>&nbsp;({c:,})" for g, c in r["top"]))] for r in rows],
            numeric=(0, 1, 2, 3, 4, 5)))
        if len(rows) > 1:
            once = [r["once"] / r["distinct"] for r in rows]
            unseen = [r["unseen"] / r["held_out"] for r in rows]
            alt = ("Line chart of two shares against n: distinct n-grams seen only once, "
                   + ", ".join(f"{percent(x)} at n = {r['n']}" for r, x in zip(rows, once))
                   + "; held-out n-grams never seen in the background, "
                   + ", ".join(f"{percent(x)} at n = {r['n']}" for r, x in zip(rows, unseen)) + ".")
            data = Html(table(["n", "Seen once (of distinct)", "Held-out n-grams never seen"],
                              [[r["n"], percent(a), percent(b)] for r, a, b in zip(rows, once, unseen)],
                              numeric_cols=(0, 1, 2)))
            parts.append(Figure(lambda: ngram_figure([r["n"] for r in rows], once, unseen), alt=alt,
                                caption=spec.caption, table=data, height=340,
                                default_caption="How sparse n-grams become as n grows: the longer the n-gram, "
                                                "the more of them are seen once, and the more of new text's "
                                                "n-grams were never seen at all."))
        parts.append(Code(CODE.format(background=BACKGROUND, held_out=HELD_OUT, n_max=spec.n_max, top=spec.top),
                          "The Python behind these numbers"))
        return parts


CODE = """\
from collections import Counter
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess
from sklearn.feature_extraction.text import CountVectorizer

stories = [simple_preprocess(line) for line in open(datapath({background!r}), encoding="utf-8")]
held_out = [simple_preprocess(line) for line in open(datapath({held_out!r}), encoding="latin-1")]
for n in range(1, {n_max} + 1):
    cv = CountVectorizer(tokenizer=lambda d: d, preprocessor=lambda d: d, lowercase=False,
                         token_pattern=None, ngram_range=(n, n))
    counts = dict(zip(cv.fit(stories).get_feature_names_out(), cv.transform(stories).sum(axis=0).A1))
    once = sum(1 for c in counts.values() if c == 1)
    new = Counter(" ".join(s[i:i + n]) for s in held_out for i in range(len(s) - n + 1))
    unseen = sum(c for g, c in new.items() if g not in counts)
    top = sorted(counts.items(), key=lambda t: (-t[1], t[0]))[:{top}]
    print(n, sum(counts.values()), len(counts), once / len(counts), unseen / sum(new.values()), top)
"""


def ngram_figure(ns: list[int], once: list[float], unseen: list[float]):
    """The two sparsity shares against n."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for i, (name, ys) in enumerate([("distinct n-grams seen once", once),
                                    ("held-out n-grams never seen", unseen)]):
        fig.add_trace(go.Scatter(x=ns, y=[round(100 * y, 2) for y in ys], mode="lines+markers", name=name,
                                 line=dict(color=figures.PALETTE[i], width=2),
                                 marker=dict(size=9, symbol=figures.SYMBOLS[i]),
                                 hovertemplate=f"n = %{{x}}: %{{y:.1f}}% {name}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, showlegend=True, legend=dict(orientation="h", y=-0.25),
                      xaxis=dict(title=dict(text="n (words per n-gram)", standoff=6), dtick=1, automargin=True),
                      yaxis=dict(title=dict(text="share (%)", standoff=6), range=[0, 100], automargin=True))
    return fig
