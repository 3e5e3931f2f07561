"""The ``sentence-pairs`` kind: paraphrases against unrelated pairs, under two kinds of sentence vector."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Figure, Table
from ...errors import LexiconError
from ...render import fmt
from ._minilm import NOTE
from ._sentence_models import METHOD, MODELS, NAMES, cosine_matrices, glove_tokens

GROUPS = ("similar", "unrelated")
CLAIM = re.compile(r"^\s*(?:(minilm|glove) gap\s*([<>])\s*(?:(minilm|glove) gap|(-?\d*\.?\d+))"
                   r"|(minilm|glove)\s*:\s*(not )?separate)\s*$")
CLAIM_FIX = ("write 'minilm gap > glove gap' (the gap: mean cosine of the similar pairs minus that of the unrelated "
             "pairs), 'minilm gap > 0.3', or 'glove: separate' / 'glove: not separate' (every similar pair above "
             "every unrelated pair)")
PAIR = {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "string", "minLength": 1, "maxLength": 300}}
PAIRS = {"type": "array", "minItems": 1, "maxItems": 8, "items": PAIR}


def parse_claim(text: str):
    m = CLAIM.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    if m.group(5):
        return ("separate", m.group(5), not m.group(6))
    return ("gap", m.group(1), m.group(2), m.group(3) or float(m.group(4)))


class SentencePairs(Kind):
    """Pairs of sentences that mean the same against unrelated pairs, scored by a real transformer's sentence
    embeddings (all-MiniLM-L6-v2) and by the mean of GloVe word vectors.

    For each pair, the cosine of the two sentences' vectors under each model. The **gap** of a model
    is the mean cosine of the `similar` pairs minus that of the `unrelated` pairs: how far the model
    pulls meaning apart, whatever its scores' usual level. A model **separates** the pairs when every
    similar pair scores above every unrelated one. Every word must be in GloVe's vocabulary.
    """

    example = ("similar: [[A man is playing a guitar., Someone is strumming a guitar.]]\n"
               "unrelated: [[A man is playing a guitar., The stock market fell sharply today.]]\n"
               "expect: [minilm gap > glove gap]")
    note = NOTE.replace("; no GloVe vectors.", ", and from GloVe vectors.")
    options = opt.Options(
        Kind.options,
        similar=opt.raw("Pairs of sentences that mean (nearly) the same: `[[a, b], …]`, 1–8 pairs.", PAIRS,
                        "list of 1–8 pairs of texts", required=True, convert=lambda v: [list(p) for p in v]),
        unrelated=opt.raw("Pairs of sentences about different things, 1–8 pairs.", PAIRS,
                          "list of 1–8 pairs of texts", required=True, convert=lambda v: [list(p) for p in v]),
        labels=opt.raw("What to call the two groups in the table and the chart (`[paraphrase, opposite meaning]`).",
                       {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 40},
                        "minItems": 2, "maxItems": 2}, "two names", default=["similar", "unrelated"], display=True,
                       convert=list),
        expect=opt.claims("`minilm gap > glove gap`, `minilm gap > 0.3`, `glove: separate`, `minilm: not separate`."),
        caption=opt.caption("“Cosine of each pair under both models …”"),
        figure=opt.show_figure(),
    )

    def prepare(self, spec):
        spec.tokens = glove_tokens([s for g in GROUPS for p in getattr(spec, g) for s in p], "sentence")
        for text in spec.expect:
            parse_claim(text)

    def words(self, spec):
        return [t for toks in spec.tokens for t in toks]

    def anchor_hint(self, spec):
        return "pairs " + spec.similar[0][0][:30]

    def compute(self, kv, spec):
        out = {}
        for g in GROUPS:
            pairs = getattr(spec, g)
            flat = [s for p in pairs for s in p]
            c = cosine_matrices(kv, flat)
            out[g] = {m: [round(c[m][2 * k][2 * k + 1], 6) for k in range(len(pairs))] for m in MODELS}
        return out

    @staticmethod
    def _gap(result, model) -> float:
        return float(np.mean(result["similar"][model]) - np.mean(result["unrelated"][model]))

    def claims(self, spec, result, check):
        for text in spec.expect:
            claim = parse_claim(text)
            if claim[0] == "separate":
                _, m, want = claim
                lo, hi = min(result["similar"][m]), max(result["unrelated"][m])
                check(f"under {NAMES[m]}, every similar pair scores {'above' if want else 'not all above'} every "
                      "unrelated pair" if want else f"under {NAMES[m]}, some unrelated pair scores at least as high "
                      "as some similar pair", (lo > hi) == want,
                      f"the lowest similar pair: {lo:.4f}; the highest unrelated pair: {hi:.4f}")
                continue
            _, m, op, right = claim
            left = self._gap(result, m)
            if isinstance(right, str):
                r, name, shown = self._gap(result, right), f"the gap under {NAMES[right]}", \
                    f"; under {NAMES[right]} it is {self._gap(result, right):.4f}"
            else:
                r, name, shown = right, f"{right:g}", ""
            check(f"under {NAMES[m]}, the gap between similar and unrelated pairs is "
                  f"{'greater' if op == '>' else 'less'} than {name}", left > r if op == ">" else left < r,
                  f"under {NAMES[m]} it is {left:.4f}{shown}")

    def _model(self, model):
        if model not in MODELS:
            raise LexiconError(f"'{model}' is no model of the block", fix="name minilm or glove")
        return model

    @value("The mean cosine of the `group` (similar or unrelated) pairs under `model` (minilm or glove).")
    def mean(self, spec, result, group, model):
        if group not in GROUPS:
            raise LexiconError(f"'{group}' is no group of the block", fix="name similar or unrelated")
        v = float(np.mean(result[group][self._model(model)]))
        return Value(fmt(v), v)

    @value("The gap under `model`: mean cosine of the similar pairs minus that of the unrelated pairs.")
    def gap(self, spec, result, model):
        v = self._gap(result, self._model(model))
        return Value(fmt(v), v)

    def render(self, spec, result, ctx):
        names = dict(zip(GROUPS, spec.labels))
        rows = []
        for g in GROUPS:
            for k, (a, b) in enumerate(getattr(spec, g)):
                rows.append([names[g], a, b, fmt(result[g]["minilm"][k]), fmt(result[g]["glove"][k])])
        for g in GROUPS:
            rows.append([f"mean, {names[g]}", "", "", fmt(float(np.mean(result[g]["minilm"]))),
                         fmt(float(np.mean(result[g]["glove"])))])
        rows.append(["gap", "", "", fmt(self._gap(result, "minilm")), fmt(self._gap(result, "glove"))])
        table = Table(["Pair", "Sentence A", "Sentence B", "all-MiniLM-L6-v2", "Mean of GloVe"], rows, numeric=(3, 4))
        alt = ("Dot chart of each pair's cosine under both models. "
               + "; ".join(f"{NAMES[m]}: {names['similar']} pairs " + ", ".join(f"{x:.2f}" for x in result["similar"][m])
                           + f", {names['unrelated']} pairs " + ", ".join(f"{x:.2f}" for x in result["unrelated"][m])
                           for m in MODELS) + ".")
        return [table, Figure(lambda: dots(result, names), alt=alt, caption=spec.caption, height=300, fallback=False,
                              default_caption=f"Cosine of each pair, {names['similar']} (filled) and "
                                              f"{names['unrelated']} (open), under each model. " + METHOD)]


def dots(result, names: dict) -> go.Figure:
    fig = go.Figure()
    for g, symbol in (("similar", "circle"), ("unrelated", "circle-open")):
        for m, colour in (("minilm", figures.PALETTE[0]), ("glove", figures.PALETTE[1])):
            ys = result[g][m]
            fig.add_trace(go.Scatter(x=ys, y=[NAMES[m]] * len(ys), mode="markers", name=names[g],
                                     marker=dict(symbol=symbol, size=12, color=colour, line=dict(width=2,
                                                                                                 color=colour)),
                                     hovertemplate=f"{names[g]} pair: %{{x:.4f}}<extra></extra>",
                                     showlegend=m == "minilm"))
    fig.update_layout(**figures.LEGEND_ON_TOP,
                      xaxis=dict(title=dict(text="cosine of the pair"), range=[-0.2, 1.02]),
                      yaxis=dict(automargin=True))
    return fig
