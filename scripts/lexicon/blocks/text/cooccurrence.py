"""The cooccurrence kind: the distributional hypothesis, counted in a real news corpus.

Each target's context words are counted in gensim's Lee corpus (:mod:`._corpus`); two words'
context overlap (the cosine of their context counts) is set beside the model's cosine for the
same words.
"""

from __future__ import annotations

import itertools
import re

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.checks import parse_comparison
from ...engine.pieces import Code, Figure, Html, Table, Text
from ...errors import LexiconError
from ...numeric import SCORE_DIGITS
from ...render import fmt
from ._corpus import (CORPUS, STOPWORDS_DOC, WINDOW_DOC, context_counts, context_overlap, corpus_frequencies,
                      corpus_stories, most_shared, require_in_corpus)

COUNT_CODE = """\
from collections import Counter
from gensim.parsing.preprocessing import STOPWORDS
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

stories = [simple_preprocess(line) for line in open(datapath({corpus!r}), encoding="utf-8")]

def contexts(target, window={window}, drop_stopwords={stopwords}):
    counts = Counter()
    for words in stories:
        for i, w in enumerate(words):
            if w == target:
                for c in words[max(0, i - window):i] + words[i + 1:i + 1 + window]:
                    if not (drop_stopwords and c in STOPWORDS):
                        counts[c] += 1
    return counts
"""
SHARE = re.compile(r"^\s*(\S+)\s*~\s*(\S+)\s+share\s+(\S+)\s*$")
NEAR = re.compile(r"^\s*(\S+)\s+near\s+(\S+)\s*$")


def overlap_result(kv, words: list[str], window: int, drop_stopwords: bool, topn: int) -> dict:
    """Counts, top contexts, the context-count heatmap rows and every pair's two scores."""
    counts = {w: context_counts(w, window, drop_stopwords) for w in words}
    top = {w: sorted(counts[w].items(), key=lambda t: (-t[1], t[0]))[:topn] for w in words}
    rows = sorted({c for w in words for c, _ in top[w]},
                  key=lambda c: (-sum(1 for w in words if counts[w].get(c)),
                                 -sum(counts[w].get(c, 0) for w in words), c))
    pairs = []
    for a, b in itertools.combinations(words, 2):
        pairs.append({"pair": [a, b], "overlap": context_overlap(counts[a], counts[b]),
                      "model": round(float(kv.similarity(a, b)), SCORE_DIGITS),
                      "shared": most_shared(counts[a], counts[b])})
    freq = corpus_frequencies()
    return {
        "occurrences": {w: freq[w] for w in words},
        "top": {w: [[c, n] for c, n in top[w]] for w in words},
        # every context count, so that claims about any context word need no recount
        "all_counts": {w: dict(sorted(counts[w].items())) for w in words},
        "rows": rows,
        "matrix": [[counts[w].get(c, 0) for w in words] for c in rows],
        "pairs": pairs,
        "stories": len(corpus_stories()),
        "tokens": sum(freq.values()),
    }


def parse_statement(text: str, words: list[str]):
    """``troops~soldiers > troops~airline`` (overlaps), ``troops~soldiers share israeli`` (a context
    word of both) or ``airline near workers`` (a context word of one)."""
    m, near = SHARE.match(str(text)), NEAR.match(str(text))
    if m:
        a, b, c = m.groups()
        used, parsed = [a, b], ("share", a, b, c)
    elif near:
        a, c = near.groups()
        used, parsed = [a], ("near", a, c)
    else:
        try:
            left, op, right = parse_comparison(text)
        except LexiconError as err:
            err.fix = ("write 'troops~soldiers > troops~airline' (context overlap of the first pair is "
                       "larger), 'troops~soldiers share israeli' (a context word of both) or "
                       "'airline near workers' (a context word of one)")
            raise
        used, parsed = left + right, ("compare", left, op, right)
    for w in used:
        if w not in words:
            raise LexiconError(f"the statement '{text}' uses '{w}', which is not one of the words",
                               fix=f"use the block's words: {', '.join(words)}")
    return parsed


def _target(spec, word: str) -> str:
    if word not in spec.words:
        raise LexiconError(f"'{word}' is not one of the block's words", fix="name one of the words under 'words'")
    return word


def _pair(result, a: str, b: str) -> dict:
    for p in result["pairs"]:
        if sorted(p["pair"]) == sorted([a, b]):
            return p
    raise LexiconError(f"{a} – {b} is not a pair of the block's words", fix="name two of the words under 'words'")


class Cooccurrence(Kind):
    """Which words occur near each target word in a real news corpus (gensim's Lee corpus), how much two
    words' contexts overlap, and the model's cosine for the same words.

    Counts which words occur near each target word in a real corpus that gensim ships: the Lee
    background corpus, 300 short news stories from the Australian Broadcasting Corporation (Lee,
    Pincombe and Welsh, 2005), tokenised with gensim's `simple_preprocess`. A heatmap shows each
    target's most frequent context words. A table gives, for every pair, the contexts they share
    most, their **context overlap** (the cosine similarity of their context counts) and the model's
    cosine for the same two words. Targets must occur at least 5 times in the corpus and be in the
    model.
    """

    example = ("words: [troops, soldiers, airline]\ntopn: 6\nexpect:\n  - troops~soldiers share israeli\n"
               "  - troops~soldiers > troops~airline\nagree: true")
    options = opt.Options(
        Kind.options,
        words=opt.words("The target words.", min=2, max=4, unique=True, type_doc="2–4 different words",
                        required=True),
        window=opt.integer(WINDOW_DOC, default=5, min=1, max=10),
        stopwords=opt.flag(STOPWORDS_DOC, default=True),
        topn=opt.integer("How many top contexts of each word the heatmap shows.", default=8, min=3, max=15),
        expect=opt.claims("Statements: `a~b > c~d`: the context overlap of *a, b* is larger than that of *c, d*. "
                          "`a~b share c`: *c* occurs near both *a* and *b*. `a near c`: *c* occurs near *a*. "
                          "Words must be the block's words (except *c*).", "list of statements"),
        agree=opt.raw("A claim that the model's cosine ranks the pairs in the same (`true`) or a different "
                      "(`false`) order as their context overlap. Needs 3 or more words.", {"type": "boolean"},
                      "`true` / `false`", display=True),
        caption=opt.text("Caption of the heatmap (Markdown).",
                         default_doc="“How often each word occurs within … words of the targets …”",
                         display=True),
        code=opt.show_code("Show the collapsible Python."),
    )

    def prepare(self, spec):
        for text in spec.expect:
            parse_statement(text, spec.words)
        if spec.agree is not None and len(spec.words) < 3:
            raise LexiconError("'agree' needs at least 3 words (two words make only one pair)",
                               fix="add a third word, or remove 'agree'")

    def anchor_hint(self, spec):
        return " ".join(spec.words[:3])

    def compute(self, kv, spec):
        # Checked when computing, like the vocabulary: a cached result was computed from the same
        # words and the same corpus, so a warm build need not read the corpus again.
        require_in_corpus(spec.words)
        return overlap_result(kv, spec.words, spec.window, spec.stopwords, spec.topn)

    def claims(self, spec, result, check):
        for text in spec.expect:
            parsed = parse_statement(text, spec.words)
            if parsed[0] == "near":
                _, a, c = parsed
                n = result["all_counts"][a].get(c, 0)
                check(f"'{c}' occurs near '{a}' in the corpus", n > 0,
                      f"'{c}' occurs {n} times within the window of '{a}'")
            elif parsed[0] == "share":
                _, a, b, c = parsed
                n_a, n_b = result["all_counts"][a].get(c, 0), result["all_counts"][b].get(c, 0)
                check(f"'{c}' occurs near both '{a}' and '{b}' in the corpus", n_a > 0 and n_b > 0,
                      f"'{c}' occurs {n_a} times near '{a}' and {n_b} times near '{b}'")
            else:
                _, (a, b), op, (c, d) = parsed
                left, right = _pair(result, a, b)["overlap"], _pair(result, c, d)["overlap"]
                check(f"in the corpus, context overlap({a}, {b}) {op} context overlap({c}, {d})",
                      left > right if op == ">" else left < right,
                      f"context overlap({a}, {b}) = {left:.4f}, context overlap({c}, {d}) = {right:.4f}")
        if spec.agree is not None:
            _agreement(check, result["pairs"], spec.agree)

    @value("How many stories the corpus holds.")
    def stories(self, spec, result):
        return Value(str(result["stories"]), result["stories"])

    @value("How many words (tokens) the corpus holds.")
    def tokens(self, spec, result):
        return Value(f"{result['tokens']:,}", result["tokens"])

    @value("How many times a target word occurs in the corpus.")
    def occurrences(self, spec, result, word):
        n = result["occurrences"][_target(spec, word)]
        return Value(str(n), n)

    @value("How many times a context word occurs within the window of a target word.")
    def count(self, spec, result, word, context):
        n = result["all_counts"][_target(spec, word)].get(context, 0)
        return Value(str(n), n)

    @value("The context overlap of two target words, as the table shows it.")
    def overlap(self, spec, result, a, b):
        s = _pair(result, a, b)["overlap"]
        return Value(fmt(s), s)

    @value("The model's cosine of two target words, as the table shows it.")
    def cosine(self, spec, result, a, b):
        s = _pair(result, a, b)["model"]
        return Value(fmt(s), s)

    def render(self, spec, result, ctx):
        words, rows, matrix = spec.words, result["rows"], result["matrix"]
        alt = ("Heatmap of how often each context word occurs near " + ", ".join(words) + ": " +
               "; ".join(f"{w}: " + ", ".join(f"{c} {n}" for c, n in result["top"][w][:4]) for w in words) + ".")
        pair_rows = [[f"{p['pair'][0]} – {p['pair'][1]}", ", ".join(p["shared"]) or "none",
                      fmt(p["overlap"]), fmt(p["model"])] for p in result["pairs"]]
        occ = ", ".join(f"{w} {result['occurrences'][w]}" for w in words)
        return [
            Text(f"Times each word occurs in the corpus ({result['tokens']:,} words in {result['stories']} "
                 f"stories): {occ}."),
            Figure(lambda: cooccurrence_heatmap(words, rows, matrix), alt=alt, caption=spec.caption,
                   default_caption=f"How often each word occurs within {spec.window} words of the targets in "
                                   f"{result['stories']} news stories"
                                   f"{' (common function words left out)' if spec.stopwords else ''}. "
                                   "A row lit up in several columns is a context the words share.",
                   height=110 + 24 * len(rows),
                   table=Table(["Context word"] + words, [[c] + row for c, row in zip(rows, matrix)],
                               numeric=tuple(range(1, len(words) + 1)))),
            Html('<p class="ll-caption"><em>Context overlap</em>: the cosine similarity of two words\u2019 '
                 'context counts, over every context word, in the corpus above. <em>Model cosine</em>: the '
                 'cosine similarity of the same two words in the embedding model.</p>'),
            Table(["Pair", "Most shared contexts", "Context overlap", "Model cosine"], pair_rows,
                  numeric=(2, 3), cls="ll-table--pairs"),
            Code(COUNT_CODE.format(corpus=CORPUS, window=spec.window, stopwords=spec.stopwords) + "\n"
                 + "\n".join(f"kv.similarity({a!r}, {b!r})" for a, b in (p["pair"] for p in result["pairs"])),
                 "The Python behind these numbers"),
        ]


def _agreement(check, pairs: list[dict], expected: bool) -> None:
    by_overlap = [p["pair"] for p in sorted(pairs, key=lambda p: (-p["overlap"], p["pair"]))]
    by_model = [p["pair"] for p in sorted(pairs, key=lambda p: (-p["model"], p["pair"]))]
    same = by_overlap == by_model

    def show(order, key):
        return " > ".join(f"{a}–{b} ({next(p[key] for p in pairs if p['pair'] == [a, b]):.4f})"
                          for a, b in order)

    statement = ("the model's cosine ranks the pairs in the same order as their context overlap" if expected
                 else "the model's cosine ranks the pairs in a different order from their context overlap")
    check(statement, same == expected,
          f"by context overlap: {show(by_overlap, 'overlap')}; by model cosine: {show(by_model, 'model')}")


def cooccurrence_heatmap(words: list[str], rows: list[str], matrix: list[list[int]]):
    """Context words (rows) × target words (columns); a blank cell is a count of 0."""
    import plotly.graph_objects as go

    z = [[n if n else None for n in row] for row in matrix]
    fig = go.Figure(go.Heatmap(
        z=z, x=words, y=rows, colorscale="Blues", zmin=0, texttemplate="%{z}", showscale=False,
        xgap=2, ygap=2, hoverongaps=False,
        hovertemplate="“%{y}” within the window of “%{x}”: %{z} times<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, xaxis=dict(side="top", automargin=True, fixedrange=True),
                      yaxis=dict(autorange="reversed", automargin=True, fixedrange=True))
    fig.update_layout(margin=dict(t=40, l=8, r=8, b=8))
    return fig
