"""The ``distance-exercise`` kind: which pair is closest (or farthest) by one measure?"""

from __future__ import annotations

from dataclasses import replace

import plotly.graph_objects as go

from ... import figures
from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Figure, Html
from ...errors import LexiconError
from ...render import esc, fmt
from ._measures import (METRICS, METRICS_DOC, TITLES, closeness_order, end, ends, find_pair, measure, measures_table,
                        metric_key, pair_label, the_pair, word_length)


class DistanceExercise(ExerciseKind):
    """An exercise: which pair is closest (or farthest) by cosine similarity, dot product or Euclidean distance? The answer is computed from the model.

    A multiple-choice exercise. The status line gives each pick's score, cosine and vector
    lengths; the reveal charts the asked measure and tabulates all three.
    """

    example = ("pairs:\n  - [man, woman]\n  - [cat, dog]\n  - [president, minister]\nmetric: dot\n"
               "answer: [president, minister]")
    # Every measure of every pair is computed: 'metric' and 'question' only pick the answer.
    options = opt.Options(
        ExerciseKind.options,
        pairs=replace(opt.pairs("The choices, in the order they are offered.", min=2, max=6, required=True),
                      type_doc="2–6 pairs `[word, word]`"),
        metric=opt.choice("The measure the question asks about.", list(METRICS), required=True, display=True),
        question=opt.choice("Ask for the closest or the farthest pair (for a distance, the smallest is "
                            "the closest; for the dot product, the largest or the smallest).",
                            ["closest", "farthest"], default="closest", display=True),
        answer=opt.raw("The pair you claim is the model's answer (a [claim](#claims)), e.g. "
                       "`[president, minister]`.", opt.word_list(2, 2), "a `[word, word]` pair",
                       display=True, convert=list),
    ).with_defaults(prompt={"default_doc": "“Which pair is closest by dot product?” (the question and the "
                                           "measure asked)"})

    def prepare(self, spec):
        labels = [pair_label(p) for p in spec.pairs]
        if len(set(labels)) != len(labels):
            raise LexiconError("a pair is listed twice", fix="list each pair once")
        if spec.answer is not None and pair_label(spec.answer) not in labels:
            raise LexiconError(f"'answer' ({pair_label(spec.answer)}) is not one of the pairs",
                               fix="write one of the pairs exactly as listed under 'pairs'")

    def prompt(self, spec):
        return spec.prompt or (f"Which pair has the {end('dot', spec.question)} dot product?" if spec.metric == "dot"
                               else f"Which pair is {spec.question} by {METRICS[spec.metric][0]}?")

    def anchor_hint(self, spec):
        return "exercise " + " ".join(w for p in spec.pairs[:2] for w in p)

    def compute(self, kv, spec):
        return {"measures": [measure(kv, a, b) for a, b in spec.pairs]}

    def graded(self, spec, result):
        return {pair_label(p): ms[spec.metric] for p, ms in zip(spec.pairs, result["measures"])}

    def graded_end(self, spec):   # closest: a high cosine or dot, a short distance
        return "highest" if METRICS[spec.metric][1] == (spec.question == "closest") else "lowest"

    def claims(self, spec, result, check):
        if not spec.answer:
            return
        i = model_answer(spec, result)
        labels = [pair_label(p) for p in spec.pairs]
        m = spec.metric
        shown = ", ".join(f"{lab} ({fmt(ms[m])})" for lab, ms in zip(labels, result["measures"]))
        check(f"{the_pair(m, spec.question)} is {pair_label(spec.answer)}",
              labels[i] == pair_label(spec.answer),
              f"the model's answer is {labels[i]}; {METRICS[m][0]}: {shown}",
              decided_by=[ms[m] * (1 if METRICS[m][1] == (spec.question == "closest") else -1)
                          for ms in result["measures"]])

    @value(f"A pair's score under a measure ({METRICS_DOC}), as the answer's table shows it: "
           "`score(cosine, president, minister)`.")
    def score(self, spec, result, metric, a, b):
        s = result["measures"][find_pair(spec.pairs, a, b)][metric_key(metric)]
        return Value(fmt(s), s)

    @value("The length (norm) of a word's vector, as the answer's table shows it: `length(president)`.")
    def length(self, spec, result, word):
        n = word_length(spec.pairs, result["measures"], word)
        return Value(fmt(n), n)

    def render(self, spec, result, ctx):
        pairs, measures, m = spec.pairs, result["measures"], spec.metric
        labels = [pair_label(p) for p in pairs]
        answer = labels[model_answer(spec, result)]
        name = METRICS[m][0]
        why = {}
        for lab, ms in zip(labels, measures):
            extra = (f" (cosine similarity {ms['cosine']:.3f}; vector lengths {ms['norms'][0]:.2f} and "
                     f"{ms['norms'][1]:.2f})" if m != "cosine" else "")
            why[lab] = f"{lab}: {name} {ms[m]:.3f}{extra}."
        order = closeness_order(labels, [ms[m] for ms in measures], m)
        shown = [labels[i] for i in order]
        reveal = [
            Html(f'<p>{esc(_capital(the_pair(m, spec.question)))} is <strong>{esc(answer)}</strong>.</p>'),
            Figure(lambda: bar_figure(shown, [measures[i][m] for i in order], m, answer),
                   alt=f"Bar chart of {name}, {ends(m)[0]} pair first: "
                       + ", ".join(f"{labels[i]} {measures[i][m]:.2f}" for i in order) + ".",
                   caption=f"{TITLES[m]} of each pair, {ends(m)[0]} first"
                           f"{' (for a distance, smaller is closer)' if m == 'euclidean' else ''}.",
                   table=measures_table([pairs[i] for i in order], [measures[i] for i in order], list(METRICS)), height=80 + 36 * len(pairs),
                   anchor="answer"),
        ]
        return Choices(labels, answer, why, reveal)


def model_answer(spec, result) -> int:
    """The index of the pair the model's numbers make right."""
    labels = [pair_label(p) for p in spec.pairs]
    order = closeness_order(labels, [ms[spec.metric] for ms in result["measures"]], spec.metric)
    return order[0] if spec.question == "closest" else order[-1]


def bar_figure(labels: list[str], values: list[float], metric: str, highlight: str) -> go.Figure:
    colours = [figures.PALETTE[1] if lab == highlight else figures.PALETTE[0] for lab in labels]
    fig = go.Figure(go.Bar(
        x=values, y=labels, orientation="h", marker_color=colours,
        text=[f"{v:.3f}" for v in values], textposition="auto",
        hovertemplate="%{y}: %{x:.4f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, title=dict(text=TITLES[metric], font=dict(size=14)),
                      yaxis=dict(autorange="reversed", automargin=True),
                      xaxis=dict(title=dict(text=METRICS[metric][0], standoff=6), automargin=True))
    return fig


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
