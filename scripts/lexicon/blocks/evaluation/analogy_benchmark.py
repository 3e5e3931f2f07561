"""The model's word-analogy accuracy on gensim's questions-words.txt, beside published figures."""

from __future__ import annotations

import plotly.graph_objects as go

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Subhead, Table
from ...errors import LexiconError
from ...evaluate import SEMANTIC, analogies
from ...evaluate import summary as totals
from ...figures import BASE_LAYOUT, PALETTE
from ...relations import ANALOGY_SET as QUESTIONS
from ._benchmark import pct, published, published_table, restrict_vocab

SHARE = {"type": "number", "minimum": 0, "maximum": 1}
GROUPS = ("total", "semantic", "syntactic")


class AnalogyBenchmark(Kind):
    """Word-analogy accuracy on gensim's questions-words.txt with evaluate_word_analogies' settings:
    total, semantic, syntactic and per section, beside published figures.

    Word-analogy accuracy of the configured model on gensim's `questions-words.txt` (19,544
    questions in 14 sections), with the settings of gensim's `evaluate_word_analogies`: the
    `restrict_vocab` most frequent words, case-insensitive, questions with an unknown word skipped,
    3CosAdd. It shows the total, semantic and syntactic accuracy, a bar per section with a few misses
    in its table, the settings, and the published figures you list beside the measured ones. The
    counts are computed in batches (`lexicon.evaluate`) and equal gensim's, section by section.

    A cold computation over the default 300,000 words takes about 15–20 s; it is cached like every
    block. The example below searches only the 10,000 most frequent words, so that it computes in
    about a second; fewer questions are answered then (the others have a word outside those 10,000).
    """

    example = ("restrict_vocab: 10000\npublished:\n  - {model: GloVe 6B 300d, source: \"Pennington et al. 2014, "
               "Table 2\", total: 71.7, semantic: 77.4, syntactic: 67.0}\nexpect:\n  total_at_least: 0.4")
    options = opt.Options(
        Kind.options,
        restrict_vocab=restrict_vocab(),
        case_insensitive=opt.flag("Compare words ignoring case, as gensim does by default.", default=True),
        published=published("Figures from the literature, in percent; `null` for a figure the source does not "
                            "report (shown as “not reported”).", "total, semantic, syntactic"),
        expect=opt.raw("Claims on the total accuracy, as fractions: at least `total_at_least`, below `total_below`.",
                       {"type": "object", "additionalProperties": False,
                        "properties": {"total_at_least": SHARE, "total_below": SHARE}},
                       "`{total_at_least: 0.4, total_below: 0.6}`", default={}, default_doc="none", display=True),
        caption=opt.caption("“Accuracy per section of questions-words.txt; blue bars are the semantic sections, "
                            "orange the syntactic ones.”"),
    )

    def anchor_hint(self, spec):
        return "questions words"

    def compute(self, kv, spec):
        r = analogies(kv, QUESTIONS.path, restrict_vocab=spec.restrict_vocab, case_insensitive=spec.case_insensitive)
        s = totals(r)
        return {"sections": [{"name": x.name, "correct": x.correct, "total": x.total,
                              "misses": [[w.lower() if isinstance(w, str) else w for w in m] for m in x.examples]}
                             for x in r["sections"]],
                "summary": s, "oov": r["oov"], "questions": r["questions"],
                "exact_rechecks": r["exact_rechecks"], "vocab": min(spec.restrict_vocab, len(kv))}

    def claims(self, spec, result, check):
        total, e = result["summary"]["total"]["accuracy"], spec.expect or {}
        if "total_at_least" in e:
            check(f"total analogy accuracy is at least {pct(e['total_at_least'])}",
                  total >= e["total_at_least"], f"it is {pct(total)}")
        if "total_below" in e:
            check(f"total analogy accuracy is below {pct(e['total_below'])}",
                  total < e["total_below"], f"it is {pct(total)}")

    # --- values for prose ------------------------------------------------------------------------
    @value("Accuracy of all questions (`total`, the default), of the `semantic` or `syntactic` ones, or of "
           "one section by name, as the tables show it (`46.4 %`).")
    def accuracy(self, spec, result, group="total"):
        correct, total = _counts(result, group)
        acc = correct / total if total else 0.0
        return Value(pct(acc), acc)

    @value("How many questions were answered correctly: `total` (the default), `semantic`, `syntactic` "
           "or one section.")
    def correct(self, spec, result, group="total"):
        n = _counts(result, group)[0]
        return Value(f"{n:,}", n)

    @value("How many questions were answered (all their words known): `total` (the default), `semantic`, "
           "`syntactic` or one section.")
    def answered(self, spec, result, group="total"):
        n = _counts(result, group)[1]
        return Value(f"{n:,}", n)

    @value("How many questions the file holds.")
    def questions(self, spec, result):
        return Value(f"{result['questions']:,}", result["questions"])

    @value("How many questions were skipped because a word is outside the searched vocabulary.")
    def skipped(self, spec, result):
        return Value(f"{result['oov']:,}", result["oov"])

    @value("How many sections the file holds: `all` (the default), `semantic` or `syntactic`.")
    def sections(self, spec, result, group="all"):
        names = [x["name"] for x in result["sections"]]
        if group not in ("all", "semantic", "syntactic"):
            raise LexiconError(f"'{group}' is not a group of sections", fix="write all, semantic or syntactic")
        n = len([x for x in names if group == "all" or (x in SEMANTIC) == (group == "semantic")])
        return Value(str(n), n)

    # --- rendering ---------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        s = result["summary"]
        secs = result["sections"]
        head = Table(["Questions", "Answered", "Correct", "Accuracy"], [
            [name, f"{s[key]['total']:,}", f"{s[key]['correct']:,}", pct(s[key]["accuracy"])]
            for name, key in (("Total", "total"), ("Semantic (5 sections)", "semantic"),
                              ("Syntactic (9 sections)", "syntactic"))], numeric=(1, 2, 3))
        names = [x["name"] for x in secs]
        acc = [x["correct"] / x["total"] if x["total"] else 0 for x in secs]
        rows = [[x["name"], "semantic" if x["name"] in SEMANTIC else "syntactic", f"{x['total']:,}",
                 f"{x['correct']:,}", pct(x["correct"] / x["total"] if x["total"] else 0),
                 "; ".join(f"{a} : {b} :: {c} : {d} (model: {p})" for a, b, c, d, p in x["misses"])]
                for x in secs]
        per = Table(["Section", "Kind", "Answered", "Correct", "Accuracy", "Some misses"], rows,
                    numeric=(2, 3, 4), cls="ll-table--wide")
        alt = ("Bar chart of analogy accuracy per section: " +
               ", ".join(f"{n} {100 * a:.0f} %" for n, a in zip(names, acc)) + ".")
        settings = Table(["Setting", "Value"], [
            ["Questions file", "gensim.test.utils.datapath('questions-words.txt')"],
            ["Questions in the file", f"{result['questions']:,}"],
            ["Skipped (a word outside the vocabulary)", f"{result['oov']:,} ({pct(s['oov_share'])})"],
            ["Vocabulary searched", f"the {result['vocab']:,} most frequent words (restrict_vocab)"],
            ["Case", "case-insensitive" if spec.case_insensitive else "case-sensitive"],
            ["Method", "3CosAdd: the word nearest to b − a + c by cosine, the question's words excluded"],
            ["Near-ties answered again one by one", f"{result['exact_rechecks']}"],
        ])
        code = ("from gensim.test.utils import datapath\n\n"
                f"score, sections = kv.evaluate_word_analogies(datapath('questions-words.txt'),\n"
                f"    restrict_vocab={spec.restrict_vocab}, case_insensitive={spec.case_insensitive})\n")
        measured = [pct(s["total"]["accuracy"]), pct(s["semantic"]["accuracy"]), pct(s["syntactic"]["accuracy"])]
        return [
            head,
            Figure(lambda: _bars(secs, names, acc), alt=alt, caption=spec.caption, height=90 + 26 * len(secs),
                   default_caption=("Accuracy per section of questions-words.txt; blue bars are the semantic "
                                    "sections, orange the syntactic ones."),
                   table=per, anchor="sections"),
            *published_table(spec, ctx, measured, GROUPS, ["Total", "Semantic", "Syntactic"], (1, 2, 3)),
            Subhead("Settings"), settings,
            Code(code, "The same evaluation with gensim's own evaluator (slower)"),
        ]


def _counts(result: dict, group: str) -> tuple[int, int]:
    """(correct, answered) of a group of the summary or of one section."""
    if group in GROUPS:
        g = result["summary"][group]
        return g["correct"], g["total"]
    for x in result["sections"]:
        if x["name"] == group:
            return x["correct"], x["total"]
    raise LexiconError(f"'{group}' is neither total, semantic, syntactic nor a section of questions-words.txt",
                       fix="use one of: " + ", ".join([*GROUPS, *(x["name"] for x in result["sections"])]))


def _bars(secs: list, names: list, acc: list) -> go.Figure:
    colours = [PALETTE[0] if n in SEMANTIC else PALETTE[1] for n in names]
    fig = go.Figure(go.Bar(x=[100 * a for a in acc], y=names, orientation="h", marker_color=colours,
                           text=[f"{100 * a:.1f} %" for a in acc], textposition="auto",
                           customdata=[[x["correct"], x["total"]] for x in secs],
                           hovertemplate="%{y}: %{x:.1f} % (%{customdata[0]} of %{customdata[1]})<extra></extra>"))
    fig.update_layout(**BASE_LAYOUT, xaxis={"title": "Accuracy (%)", "range": [0, 100]},
                      yaxis={"autorange": "reversed", "automargin": True}, showlegend=False)
    return fig
