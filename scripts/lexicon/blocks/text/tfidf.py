"""The tfidf kind: one news story's words ranked by raw count and by TF-IDF, side by side.

Every story of gensim's Lee corpus (:mod:`._corpus`, one story per line, ``simple_preprocess``
tokens) is a document. scikit-learn's ``CountVectorizer`` gives the raw counts and its
``TfidfVectorizer``, with its defaults (``smooth_idf=True``, ``sublinear_tf=False``, ``norm="l2"``),
the weights:

    idf(t) = ln((1 + n) / (1 + df(t))) + 1,   tfidf(t, d) = count(t, d) · idf(t) / ‖count(·, d) · idf‖₂

with n the number of stories and df(t) the number of stories that contain t. A word in every story
keeps idf 1 (the "+ 1"), so it is down-weighted, never removed. The kind needs no embedding model;
its result is cached like every kind's.
"""

from __future__ import annotations

import difflib
import functools
import math

import numpy as np

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Figure, Html, Text
from ...errors import LexiconError
from ...numeric import SCORE_DIGITS
from ...render import fmt, table
from ._corpus import CORPUS, corpus_stories
from ._tfidf import BY, cell, holds, parse_statement, ranking, said, term_name, term_value

NOTE = "Computed at build time from gensim\u2019s Lee corpus (300 news stories) with scikit-learn; no embedding model."
AGAINST = "the corpus"
CODE = """\
from gensim.parsing.preprocessing import STOPWORDS
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

stories = [simple_preprocess(line) for line in open(datapath({corpus!r}), encoding="utf-8")]
counter = CountVectorizer(analyzer=list)      # the stories are already lists of tokens
tfidf = TfidfVectorizer(analyzer=list)        # defaults: smooth_idf=True, sublinear_tf=False, norm="l2"
counts = counter.fit_transform(stories)       # {n} stories × vocabulary
weights = tfidf.fit_transform(stories)        # the same vocabulary, in the same order
words = tfidf.get_feature_names_out()
df = (counts > 0).sum(axis=0).A1              # in how many stories each word occurs
# tfidf.idf_ == np.log((1 + {n}) / (1 + df)) + 1

i = {index}                                    # story {story}
c, w = counts[i].toarray().ravel(), weights[i].toarray().ravel()
seen = c.nonzero()[0]
by_count = sorted(seen, key=lambda j: (-c[j], words[j]))[:{topn}]
by_tfidf = sorted(seen, key=lambda j: (-round(w[j], 4), -c[j], words[j]))[:{topn}]
for j in by_tfidf:
    print(words[j], c[j], df[j], round(tfidf.idf_[j], 4), round(w[j], 4), words[j] in STOPWORDS)
"""


@functools.lru_cache(maxsize=1)
def corpus_weights():
    """Counts, TF-IDF weights, document frequencies and idf of every story, by scikit-learn (fitted once)."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    stories = corpus_stories()
    counter, weigher = CountVectorizer(analyzer=list), TfidfVectorizer(analyzer=list)
    counts, weights = counter.fit_transform(stories).tocsr(), weigher.fit_transform(stories).tocsr()
    words = weigher.get_feature_names_out()
    if list(words) != list(counter.get_feature_names_out()):
        raise LexiconError("CountVectorizer and TfidfVectorizer built different vocabularies",
                           fix="report this: the two are meant to tokenise the stories the same way")
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    return [str(w) for w in words], counts, weights, df, weigher.idf_


def pick_story(story, containing) -> int:
    """The 0-based index of the story: given by number, or the first that contains a word."""
    stories = corpus_stories()
    if story is not None:
        if story > len(stories):
            raise LexiconError(f"the corpus has {len(stories)} stories, so there is no story {story}",
                               fix=f"choose a story from 1 to {len(stories)}")
        return story - 1
    index = next((i for i, s in enumerate(stories) if containing in s), None)
    if index is None:
        seen = sorted({w for s in stories for w in s})
        close = difflib.get_close_matches(containing.lower(), seen, n=3, cutoff=0.8)
        hint = f"; close words that it has: {', '.join(close)}" if close else ""
        raise LexiconError(f"no story in the corpus ({CORPUS}) contains '{containing}'{hint}",
                           fix="write the word in lower case, as gensim's simple_preprocess does, e.g. qantas, "
                               "police, cricket, bushfire")
    return index


def tfidf_result(index: int, topn: int) -> dict:
    """Every word of one story with its count, df, idf and TF-IDF weight, and the two top lists."""
    from gensim.parsing.preprocessing import STOPWORDS

    words, counts, weights, df, idf = corpus_weights()
    c, w = counts.getrow(index), weights.getrow(index)
    weight = dict(zip(w.indices.tolist(), w.data.tolist()))
    entries = {}
    for j, n in sorted(zip(c.indices.tolist(), c.data.tolist()), key=lambda t: words[t[0]]):
        entries[words[j]] = [int(n), int(df[j]), round(float(idf[j]), SCORE_DIGITS),
                             round(weight[j], SCORE_DIGITS), int(words[j] in STOPWORDS)]
    n_stories = counts.shape[0]
    raw = c.toarray().ravel() * idf   # count · idf, before each row is scaled to length 1
    return {
        "story": index + 1, "stories": n_stories, "tokens": int(c.sum()),
        "opening": " ".join(corpus_stories()[index][:30]),
        "norm": round(float(np.linalg.norm(raw)), SCORE_DIGITS),   # ‖count · idf‖₂
        "idf_one": round(math.log((1 + n_stories) / 2) + 1, SCORE_DIGITS),   # a word of this story only
        "words": entries,   # word: [count, df, idf, tfidf, stop word]
        "by_count": ranking(entries, "count")[:topn],
        "by_tfidf": ranking(entries, "tfidf")[:topn],
    }


class Tfidf(Kind):
    """One news story's words ranked by raw count next to the same words ranked by TF-IDF, which
    down-weights words that occur in many stories.

    Each of the 300 stories of gensim's Lee corpus is a document. The block picks one, by its number
    (`story`, the line of the file) or as the first story that contains a word (`containing`), counts
    its words with scikit-learn's `CountVectorizer` and weights them with its `TfidfVectorizer` at the
    library's defaults: `idf(t) = ln((1 + n) / (1 + df(t))) + 1`, with `n` the number of stories and
    `df(t)` the number that contain `t`; `tf-idf = count × idf`, and each story's row is then scaled
    to length 1. Two tables set the top words by raw count beside the top words by TF-IDF, each word
    with its count, document frequency, idf and weight; stop words (gensim's list) are marked. A
    figure places every word of the story by count and weight between two lines: a word found in every
    story (idf 1) and a word found in this story only. Needs no embedding model.
    """

    example = "containing: qantas\nexpect:\n  - top_count in stopwords\n  - top_tfidf = qantas"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        story=opt.integer("The story's number (its line in the corpus file); give this or `containing`.", min=1),
        containing=opt.word("Pick the first story that contains this word (lower case); give this or `story`.",
                            vocab=False),
        topn=opt.integer("How many words each table lists.", default=8, min=3, max=20),
        expect=opt.claims("Claims: `top_count = w`, `top_tfidf = w`, `top_count in stopwords` (or `not in`), or a "
                          "comparison of `count`, `df`, `idf`, `tfidf`, `count_rank`, `tfidf_rank` of a word, or "
                          "`stopwords(count)`, `stopwords(tfidf)` (stop words in a table), with `<`, `>`, `=`, "
                          "`<=`, `>=` and another term or a number: `tfidf(qantas) > tfidf(the)`.",
                          "list of statements"),
        caption=opt.caption("“Story … of …: its words by raw count and by TF-IDF.”",
                            doc="A line above the tables (Markdown)."),
        figure=opt.show_figure("Show the count-against-weight chart (its numbers are then folded under it)."),
        code=opt.show_code("Show the collapsible Python."),
    )

    def prepare(self, spec):
        if (spec.story is None) == (spec.containing is None):
            raise LexiconError("a tfidf block needs exactly one of 'story' and 'containing'",
                               fix="write 'story: 68' (a story's number) or 'containing: qantas' (the first "
                                   "story with that word), not both")
        for text in spec.expect:
            parse_statement(text)

    def anchor_hint(self, spec):
        return f"story {spec.story}" if spec.story is not None else spec.containing

    def compute(self, kv, spec):
        # Checked when computing (as cooccurrence does): a cached result came from the same spec and corpus.
        return tfidf_result(pick_story(spec.story, spec.containing), spec.topn)

    def claims(self, spec, result, check):
        story = f"story {result['story']}"
        for text in spec.expect:
            parsed = parse_statement(text)
            if parsed[0] in ("top", "stop"):
                _, by, arg = parsed
                order = ranking(result["words"], by)
                shown = ", ".join(f"{t} ({cell(result, t, by)})" for t in order[:3])
                if parsed[0] == "top":
                    check(f"the top word of {story} by {BY[by]} is '{arg}'", order[:1] == [arg],
                          f"by {BY[by]}: {shown}", against=AGAINST)
                else:
                    stop = bool(result["words"][order[0]][4])
                    check(f"the top word of {story} by {BY[by]} is {'not ' if arg else ''}a stop word",
                          stop != arg, f"by {BY[by]}: {shown}; '{order[0]}' is {'' if stop else 'not '}in "
                                       f"gensim's stop word list", against=AGAINST)
                continue
            _, left_term, op, right = parsed
            left = term_value(result, left_term)
            if isinstance(right, tuple):
                rv = term_value(result, right)
                statement = f"{term_name(left_term)} {op} {term_name(right)} in {story}"
                actual = f"{said(result, left_term, left)}; {said(result, right, rv)}"
            else:
                rv, statement = right, f"{term_name(left_term)} {op} {right:g} in {story}"
                actual = said(result, left_term, left)
            check(statement, left is not None and rv is not None and holds(left, op, rv), actual,
                  against=AGAINST)

    def _entry(self, result, word):
        entry = result["words"].get(word)
        if entry is None:
            raise LexiconError(f"'{word}' does not occur in story {result['story']}",
                               fix="quote a word of the story (the block's chart lists them all)")
        return entry

    @value("How many stories (documents) the corpus has: n.")
    def stories(self, spec, result):
        return Value(str(result["stories"]), result["stories"])

    @value("The number of the story the block shows (its line in the corpus file).")
    def story_number(self, spec, result):
        return Value(str(result["story"]), result["story"])

    @value("How many words (tokens) the story has.")
    def tokens(self, spec, result):
        return Value(str(result["tokens"]), result["tokens"])

    @value("How many times a word occurs in the story (0 if never).")
    def count(self, spec, result, word):
        entry = result["words"].get(word)
        return Value(str(entry[0] if entry else 0), entry[0] if entry else 0)

    @value("In how many stories a word of the story occurs: df.")
    def df(self, spec, result, word):
        n = self._entry(result, word)[1]
        return Value(str(n), n)

    @value("A word's idf, `ln((1 + n) / (1 + df)) + 1`, as the tables show it.")
    def idf(self, spec, result, word):
        x = self._entry(result, word)[2]
        return Value(fmt(x), x)

    @value("The idf of a word that occurs in one story only, the highest idf the corpus gives.")
    def idf_one(self, spec, result):
        return Value(fmt(result["idf_one"]), result["idf_one"])

    @value("A word's TF-IDF weight in the story, as the tables show it (0 if it does not occur).")
    def tfidf(self, spec, result, word):
        entry = result["words"].get(word)
        x = entry[3] if entry else 0.0
        return Value(fmt(x), x)

    @value("The word at a rank (default 1) `by` `count` or `tfidf` (ties as the tables break them).")
    def top(self, spec, result, by, rank="1"):
        if by not in BY:
            raise LexiconError(f"'{by}' is not a ranking", fix="write count or tfidf as the first argument")
        order = ranking(result["words"], by)
        if not str(rank).isdigit() or not 1 <= int(rank) <= len(order):
            raise LexiconError(f"rank '{rank}' is not between 1 and {len(order)}, the story's distinct words",
                               fix="quote a rank the story has")
        return Value(order[int(rank) - 1])

    @value("A word's rank in the story `by` `count` or `tfidf` (ties as the tables break them).")
    def rank(self, spec, result, word, by):
        self._entry(result, word)
        if by not in BY:
            raise LexiconError(f"'{by}' is not a ranking", fix="write count or tfidf as the second argument")
        r = ranking(result["words"], by).index(word) + 1
        return Value(str(r), r)

    @value("How many different words the story has.")
    def distinct(self, spec, result):
        n = len(result["words"])
        return Value(str(n), n)

    @value("How many of the story's words occur in it more than once; `repeated(stopwords)`: how many of "
           "those are in gensim's stop word list.")
    def repeated(self, spec, result, which=""):
        if which not in ("", "stopwords"):
            raise LexiconError(f"'{which}' is not a subset", fix="write repeated or repeated(stopwords)")
        n = sum(1 for e in result["words"].values() if e[0] > 1 and (not which or e[4]))
        return Value(str(n), n)

    @value("How many of a table's words (`count` or `tfidf`) are in gensim's stop word list.")
    def stopwords(self, spec, result, by):
        if by not in BY:
            raise LexiconError(f"'{by}' is not a table", fix="write count or tfidf")
        n = term_value(result, ("stopwords", by))
        return Value(str(n), n)

    def render(self, spec, result, ctx):
        entries, n, story = result["words"], result["stories"], result["story"]

        def rows(order):
            return [[i + 1, t + (" *" if entries[t][4] else ""), entries[t][0], entries[t][1], fmt(entries[t][2]),
                     fmt(entries[t][3])] for i, t in enumerate(order)]

        heads, cols = ["#", "Word", "Count", "df", "idf", "TF-IDF"], (0, 2, 3, 4, 5)
        grid = (f'<div class="grid ll-tfidf">'
                f'<div><p class="ll-subhead">By raw count</p>'
                f'{table(heads, rows(result["by_count"]), numeric_cols=cols, cls="ll-table--wide")}</div>'
                f'<div><p class="ll-subhead">By TF-IDF</p>'
                f'{table(heads, rows(result["by_tfidf"]), numeric_cols=cols, cls="ll-table--wide")}</div></div>')
        opening = result["opening"] + (" \u2026" if result["tokens"] > 30 else "")
        first = f"; the first that contains \u201c{spec.containing}\u201d" if spec.containing else ""
        lead = (Caption(spec.caption) if spec.caption else
                Text(f"Story {story} of {n} ({result['tokens']} words{first}), by raw count and by TF-IDF; its opening as tokenised "
                     f"(lower case, letters only, one-letter words dropped): \u201c{opening}\u201d"))
        definition = (f"df = the number of the {n} stories that contain the word; idf = ln((1 + {n}) / (1 + df)) + 1, "
                      f"from 1 for a word in every story to {fmt(result['idf_one'])} for a word in one story only; "
                      f"TF-IDF = count \u00d7 idf / {fmt(result['norm'])}, the length of this story's row of "
                      f"count \u00d7 idf (scikit-learn's defaults). * marks a word in gensim's stop word list. Ties "
                      f"are listed by count, then alphabetically.")
        parts = [lead, Html(grid), Text(definition)]
        parts.append(Figure(lambda: tfidf_figure(result), alt=_alt(result), caption=None, table=_all_words(result),
                            default_caption=(f"Every word of story {story}: its count against its TF-IDF weight. "
                                             f"Each word lies between the lower line, a word found in all {n} "
                                             f"stories (idf 1), and the upper line, a word found in this story only."),
                            height=380))
        parts.append(Code(CODE.format(corpus=CORPUS, n=n, index=story - 1, story=story, topn=spec.topn),
                          "The Python behind these numbers"))
        return parts


def _all_words(result: dict) -> Html:
    entries = result["words"]
    rows = [[t, "yes" if entries[t][4] else "", entries[t][0], entries[t][1], fmt(entries[t][2]), fmt(entries[t][3])]
            for t in ranking(entries, "tfidf")]
    return Html(table(["Word", "Stop word", "Count", "df", "idf", "TF-IDF"], rows, numeric_cols=(2, 3, 4, 5)))


def _alt(result: dict) -> str:
    entries = result["words"]
    top_c, top_t = result["by_count"][0], result["by_tfidf"][0]
    stops = [v[2] for v in entries.values() if v[4]]
    return (f"Scatter chart of the {len(entries)} distinct words of story {result['story']}, count in the story "
            f"(horizontal) against TF-IDF weight (vertical). The most frequent word, {top_c}, occurs "
            f"{entries[top_c][0]} times in the story and in {entries[top_c][1]} of {result['stories']} stories, "
            f"weight {fmt(entries[top_c][3])}; the heaviest, {top_t}, occurs {entries[top_t][0]} times and in "
            f"{entries[top_t][1]} stories, weight {fmt(entries[top_t][3])}. Every point lies between the line of a "
            f"word found in every story (idf 1) and the line of a word found in this story only "
            f"(idf {fmt(result['idf_one'])})." + (f" The {len(stops)} stop words have idf from {fmt(min(stops))} to "
                                                  f"{fmt(max(stops))}." if stops else ""))


def tfidf_figure(result: dict):
    """Count against weight for every word of the story; stop words apart; the two bounding lines."""
    import plotly.graph_objects as go

    entries, norm = result["words"], result["norm"]
    label = set(result["by_count"][:2]) | set(result["by_tfidf"][:3])
    top_x, top_y = max(v[0] for v in entries.values()), max(v[3] for v in entries.values())
    fig = go.Figure()
    for i, (name, stop) in enumerate((("other words", 0), ("stop words", 1))):
        groups: dict = {}
        for t in ranking(entries, "tfidf"):
            if entries[t][4] == stop:
                groups.setdefault((entries[t][0], entries[t][3]), []).append(t)
        pts = sorted(groups.items())
        fig.add_trace(go.Scatter(
            x=[c for (c, _), _ in pts], y=[w for (_, w), _ in pts], mode="markers+text", name=name,
            text=[", ".join(ws[:2]) + (" \u2026" if len(ws) > 2 else "") if set(ws) & label else "" for _, ws in pts],
            textposition="middle right", cliponaxis=False,
            customdata=[", ".join(ws[:6]) + (f" and {len(ws) - 6} more" if len(ws) > 6 else "") for _, ws in pts],
            marker=dict(size=9, color=figures.PALETTE[[0, 1][i]], symbol=figures.SYMBOLS[i], opacity=0.85),
            hovertemplate="%{customdata}: count %{x}, TF-IDF %{y:.4f}<extra>" + name + "</extra>"))
    for idf, name, colour in ((1.0, "a word in every story (idf 1)", figures.PALETTE[7]),
                              (result["idf_one"], "a word in this story only", figures.PALETTE[2])):
        fig.add_trace(go.Scatter(x=[0, top_x * 1.2 + 1], y=[0, round((top_x * 1.2 + 1) * idf / norm, 4)], mode="lines",
                                 name=name, line=dict(color=colour, width=1.5, dash="dash"), hoverinfo="skip"))
    fig.update_layout(**figures.BASE_LAYOUT, showlegend=True, legend=dict(orientation="h", y=-0.2),
                      xaxis=dict(title=dict(text="count in the story", standoff=6), automargin=True,
                                 range=[0, round(top_x * 1.12 + 0.6, 2)], dtick=1 if top_x <= 12 else None),
                      # The upper line leaves the chart early: the range follows the words, not the line.
                      yaxis=dict(title=dict(text="TF-IDF weight", standoff=6), range=[0, round(top_y * 1.2, 3)],
                                 automargin=True))
    return fig
