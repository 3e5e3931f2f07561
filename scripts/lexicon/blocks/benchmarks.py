"""``analogy-benchmark`` and ``similarity-benchmark``: the model measured on gensim's test data.

The analogy benchmark answers gensim's ``questions-words.txt`` with gensim's
``evaluate_word_analogies`` settings (see ``lexicon.evaluate``: same counts, batched);
the similarity benchmark runs gensim's ``evaluate_word_pairs`` on ``wordsim353.tsv`` or
``simlex999.txt``. Published figures are written by the author, with their source, and
shown beside the measured ones: they are literature, not computed.
"""

from __future__ import annotations

import plotly.graph_objects as go

from .. import evaluate
from ..claims import Claim
from ..figures import BASE_LAYOUT, PALETTE
from ..render import Raw, author_markdown, code_details, esc, figure, model_note, table
from .base import CAPTION, Block, obj, register

COMPUTE_DEPENDS = ("evaluate.py",)  # the result is lexicon.evaluate's: editing it recomputes

PUBLISHED = {
    "type": "array", "minItems": 1,
    "items": obj({
        "model": {"type": "string", "minLength": 1},
        "source": {"type": "string", "minLength": 1},
        "total": {"type": ["number", "null"]}, "semantic": {"type": ["number", "null"]},
        "syntactic": {"type": ["number", "null"]},
        "spearman": {"type": ["number", "null"]}, "pearson": {"type": ["number", "null"]},
        "note": {"type": "string"},
    }, required=["model", "source"]),
}
AT_LEAST = {"type": "number", "minimum": 0, "maximum": 1}


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _published(x) -> str:
    return "not reported" if x is None else f"{x:.1f} %"


def _published_rows(items, fields):
    rows = []
    for p in items:
        cells = [Raw(author_markdown(p["model"], inline=True))]
        cells += [_published(p.get(f)) if f in ("total", "semantic", "syntactic")
                  else ("not reported" if p.get(f) is None else f"{p[f]:.3f}") for f in fields]
        cells.append(Raw(author_markdown(p["source"] + (f" — {p['note']}" if p.get("note") else ""), inline=True)))
        rows.append(cells)
    return rows


@register
class AnalogyBenchmark(Block):
    kind = "analogy-benchmark"
    summary = ("Word-analogy accuracy on gensim's questions-words.txt with evaluate_word_analogies' settings: "
               "total, semantic, syntactic and per section, beside published figures.")
    schema = obj({
        "restrict_vocab": {"type": "integer", "minimum": 1000},
        "case_insensitive": {"type": "boolean"},
        "published": PUBLISHED,
        "expect": obj({"total_at_least": AT_LEAST, "total_below": AT_LEAST}),
        "caption": CAPTION,
    })
    example = "restrict_vocab: 300000\npublished:\n  - {model: GloVe 6B 300d, source: Pennington et al. 2014, total: 71.7}"

    def parse(self, data):
        return {"restrict_vocab": data.get("restrict_vocab", 300_000),
                "case_insensitive": data.get("case_insensitive", True),
                "published": data.get("published", []), "expect": data.get("expect", {}),
                "caption": data.get("caption")}

    def anchor_hint(self, spec):
        return "questions words"

    def compute(self, kv, spec):
        r = evaluate.analogies(kv, restrict_vocab=spec["restrict_vocab"],
                               case_insensitive=spec["case_insensitive"])
        s = evaluate.summary(r)
        return {"sections": [{"name": x.name, "correct": x.correct, "total": x.total,
                              "misses": [[w.lower() if isinstance(w, str) else w for w in m] for m in x.examples]}
                             for x in r["sections"]],
                "summary": s, "oov": r["oov"], "questions": r["questions"],
                "exact_rechecks": r["exact_rechecks"], "vocab": min(spec["restrict_vocab"], len(kv))}

    def claims(self, spec, result):
        out, total = [], result["summary"]["total"]["accuracy"]
        e = spec["expect"]
        if "total_at_least" in e:
            out.append(Claim(f"total analogy accuracy is at least {_pct(e['total_at_least'])}",
                             total >= e["total_at_least"], f"it is {_pct(total)}"))
        if "total_below" in e:
            out.append(Claim(f"total analogy accuracy is below {_pct(e['total_below'])}",
                             total < e["total_below"], f"it is {_pct(total)}"))
        return out

    def render(self, spec, result, ctx):
        s = result["summary"]
        secs = result["sections"]
        head = table(["Questions", "Answered", "Correct", "Accuracy"], [
            [name, f"{s[key]['total']:,}", f"{s[key]['correct']:,}", _pct(s[key]["accuracy"])]
            for name, key in (("Total", "total"), ("Semantic (5 sections)", "semantic"),
                              ("Syntactic (9 sections)", "syntactic"))], numeric_cols=(1, 2, 3))
        names = [x["name"] for x in secs]
        acc = [x["correct"] / x["total"] if x["total"] else 0 for x in secs]
        colours = [PALETTE[0] if n in evaluate.SEMANTIC else PALETTE[1] for n in names]
        fig = go.Figure(go.Bar(x=[100 * a for a in acc], y=names, orientation="h", marker_color=colours,
                               text=[f"{100 * a:.1f} %" for a in acc], textposition="auto",
                               customdata=[[x["correct"], x["total"]] for x in secs],
                               hovertemplate="%{y}: %{x:.1f} % (%{customdata[0]} of %{customdata[1]})<extra></extra>"))
        fig.update_layout(**BASE_LAYOUT, xaxis=dict(title="Accuracy (%)", range=[0, 100]),
                          yaxis=dict(autorange="reversed", automargin=True), showlegend=False)
        rows = [[x["name"], "semantic" if x["name"] in evaluate.SEMANTIC else "syntactic", f"{x['total']:,}",
                 f"{x['correct']:,}", _pct(x["correct"] / x["total"] if x["total"] else 0),
                 "; ".join(f"{a} : {b} :: {c} : {d} (model: {p})" for a, b, c, d, p in x["misses"])]
                for x in secs]
        per = table(["Section", "Kind", "Answered", "Correct", "Accuracy", "Some misses"], rows,
                    numeric_cols=(2, 3, 4), cls="ll-table--wide")
        alt = ("Bar chart of analogy accuracy per section: " +
               ", ".join(f"{n} {100 * a:.0f} %" for n, a in zip(names, acc)) + ".")
        caption = spec["caption"] or ("Accuracy per section of questions-words.txt; blue bars are the semantic "
                                      "sections, orange the syntactic ones.")
        published = ""
        if spec["published"]:
            rows = [[Raw(f"<strong>{esc(ctx.model_id['name'])}</strong> (measured on this site)"),
                     _pct(s["total"]["accuracy"]), _pct(s["semantic"]["accuracy"]), _pct(s["syntactic"]["accuracy"]),
                     "this build"]] + _published_rows(spec["published"], ("total", "semantic", "syntactic"))
            published = ('<p class="ll-subhead">Measured and published</p>'
                         + table(["Model", "Total", "Semantic", "Syntactic", "Source"], rows, numeric_cols=(1, 2, 3)))
        settings = table(["Setting", "Value"], [
            ["Questions file", "gensim.test.utils.datapath('questions-words.txt')"],
            ["Questions in the file", f"{result['questions']:,}"],
            ["Skipped (a word outside the vocabulary)", f"{result['oov']:,} ({_pct(s['oov_share'])})"],
            ["Vocabulary searched", f"the {result['vocab']:,} most frequent words (restrict_vocab)"],
            ["Case", "case-insensitive" if spec["case_insensitive"] else "case-sensitive"],
            ["Method", "3CosAdd: the word nearest to b − a + c by cosine, the question's words excluded"],
            ["Near-ties answered again one by one", f"{result['exact_rechecks']}"],
        ])
        code = ("from gensim.test.utils import datapath\n\n"
                f"score, sections = kv.evaluate_word_analogies(datapath('questions-words.txt'),\n"
                f"    restrict_vocab={spec['restrict_vocab']}, case_insensitive={spec['case_insensitive']})\n")
        return (f'<div class="ll-block ll-benchmark" id="{esc(ctx.anchor)}">' + head
                + figure(fig, alt=alt, caption=caption, data_table=per, height=90 + 26 * len(secs),
                         anchor=ctx.anchor + "-sections")
                + published + '<p class="ll-subhead">Settings</p>' + settings
                + code_details(code, "The same evaluation with gensim's own evaluator (about 100 s)")
                + model_note(ctx.model_id) + "</div>")


@register
class SimilarityBenchmark(Block):
    kind = "similarity-benchmark"
    summary = ("Pearson and Spearman correlation between the model's cosine and human similarity scores "
               "(gensim's wordsim353.tsv or simlex999.txt), with the share of pairs skipped, and a scatter plot.")
    schema = obj({
        "dataset": {"enum": sorted(evaluate.PAIRS)},
        "restrict_vocab": {"type": "integer", "minimum": 1000},
        "published": PUBLISHED,
        "caption": CAPTION,
    }, required=["dataset"])
    example = "dataset: wordsim353"

    def parse(self, data):
        return {"dataset": data["dataset"], "restrict_vocab": data.get("restrict_vocab", 300_000),
                "published": data.get("published", []), "caption": data.get("caption")}

    def anchor_hint(self, spec):
        return spec["dataset"]

    def compute(self, kv, spec):
        return evaluate.word_pairs(kv, spec["dataset"], restrict_vocab=spec["restrict_vocab"])

    def render(self, spec, result, ctx):
        pairs = result["pairs"]
        head = table(["Measure", "Value"], [
            ["Spearman ρ (rank correlation)", f"{result['spearman']:.3f}"],
            ["Pearson r", f"{result['pearson']:.3f}"],
            ["Pairs used", f"{len(pairs):,}"],
            ["Pairs skipped (a word outside the vocabulary)", f"{result['skipped']} ({_pct(result['oov_ratio'])})"],
        ], numeric_cols=(1,))
        fig = go.Figure(go.Scatter(
            x=[p[2] for p in pairs], y=[p[3] for p in pairs], mode="markers",
            marker=dict(size=6, color=PALETTE[0], opacity=0.6),
            text=[f"{p[0]} – {p[1]}" for p in pairs],
            hovertemplate="%{text}<br>human %{x:.2f}, model cosine %{y:.3f}<extra></extra>"))
        fig.update_layout(**BASE_LAYOUT, xaxis=dict(title="Human similarity score"),
                          yaxis=dict(title="Model cosine similarity"), showlegend=False)
        ordered = sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))
        data = table(["Pair", "Human score", "Model cosine"],
                     [[f"{a} – {b}", f"{h:.2f}", f"{c:.4f}"] for a, b, h, c in ordered], numeric_cols=(1, 2))
        alt = (f"Scatter plot of {len(pairs)} word pairs from {result['file']}: human similarity score across, "
               f"the model's cosine similarity up. Spearman correlation {result['spearman']:.2f}.")
        caption = spec["caption"] or (f"Each dot is a word pair of {result['file']}; hover for the words. "
                                      "A perfect model would put the dots on a rising curve.")
        published = ""
        if spec["published"]:
            rows = [[Raw(f"<strong>{esc(ctx.model_id['name'])}</strong> (measured on this site)"),
                     f"{result['spearman']:.3f}", f"{result['pearson']:.3f}", "this build"]]
            rows += _published_rows(spec["published"], ("spearman", "pearson"))
            published = ('<p class="ll-subhead">Measured and published</p>'
                         + table(["Model", "Spearman", "Pearson", "Source"], rows, numeric_cols=(1, 2)))
        code = ("from gensim.test.utils import datapath\n\n"
                f"pearson, spearman, oov_percent = kv.evaluate_word_pairs(datapath('{result['file']}'),\n"
                f"    restrict_vocab={spec['restrict_vocab']}, case_insensitive=True)\n")
        return (f'<div class="ll-block ll-benchmark" id="{esc(ctx.anchor)}">' + head
                + figure(fig, alt=alt, caption=caption, data_table=data, height=420, anchor=ctx.anchor + "-scatter")
                + published + code_details(code) + model_note(ctx.model_id) + "</div>")
