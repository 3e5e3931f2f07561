"""The ``pooling`` kind: four ways to make one vector of a transformer's token vectors, on labelled pairs."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Figure, Html, Table
from ...errors import LexiconError
from ...render import fmt
from ._minilm import NOTE
from ._pooling import GROUPS, LABELS, METHOD, PHRASE, PAIRS, POOLS, gap, ordered, pool_name, scores

P = "(mean|content|cls|max)"
CLAIM = re.compile(rf"^\s*(?:{P} (gap|auc)\s*([<>])\s*(?:{P} (gap|auc)|(-?\d*\.?\d+))|{P}\s*:\s*(not )?separate"
                   r"|(mean is the model's embedding|batch independent))\s*$")
CLAIM_FIX = ("write 'mean gap > cls gap' (the gap: mean cosine of the similar pairs minus that of the unrelated "
             "pairs), 'max auc < 1', 'cls: not separate' (every similar pair above every unrelated pair), "
             "'mean is the model's embedding' or 'batch independent'; the poolings are mean, content, cls, max")
TOLERANCE = 1e-5   # what "equal" means for two float32 computations of one vector
GROUP_OPTION = {"similar": "Pairs of sentences that mean (nearly) the same: `[[a, b], …]`, 1–8 pairs.",
                "related": "Optional: pairs on one topic that do not mean the same, 1–8 pairs (shown, not in the gap).",
                "unrelated": "Pairs of sentences about different things, 1–8 pairs."}


def parse_claim(text: str):
    m = CLAIM.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    g = m.groups()
    if g[8]:
        return ("fact", g[8])
    if g[6]:
        return ("separate", g[6], not g[7])
    if g[3] and g[4] != g[1]:
        raise LexiconError(f"the claim '{text}' compares a {g[1]} with a {g[4]}", fix=f"compare {g[1]} with {g[1]}")
    return ("compare", g[0], g[1], g[2], g[3] or float(g[5]))


class Pooling(Kind):
    """Four ways to pool a real transformer's (all-MiniLM-L6-v2) last-layer token vectors into one sentence
    vector, compared on labelled pairs: which keeps paraphrases closest and unrelated pairs furthest apart?

    The poolings: `mean`, the mean of every token's vector, [CLS] and [SEP] included (the model's own
    pooling, what sentence-transformers returns: the block checks it equals the model's embedding);
    `content`, the mean without [CLS] and [SEP]; `cls`, the [CLS] token's vector; `max`, each
    dimension's largest value over the tokens. For each, the mean cosine of each group of pairs, the
    **gap** (similar minus unrelated), and how many (similar, unrelated) combinations it orders
    correctly (their share is the AUC; a tie counts a half). A pooling **separates** the pairs when
    every similar pair scores above every unrelated one. The model was trained with mean pooling,
    so the others are read from a model not tuned for them. The block also encodes each sentence
    alone and reports how far its embedding moves from the one computed with the others (in batches
    padded to their longest text): a bi-encoder's vector of a text depends on that text only. Needs no
    GloVe vectors.
    """

    example = ("similar: [[A man is playing a guitar., Someone is strumming a guitar.]]\n"
               "unrelated: [[A man is playing a guitar., The stock market fell sharply today.]]\n"
               "expect: [mean gap > 0.3, \"mean is the model's embedding\"]")
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        **{g: opt.raw(GROUP_OPTION[g], PAIRS, "list of 1–8 pairs of texts", required=g != "related",
                      convert=lambda v: [list(p) for p in v]) for g in GROUPS},
        expect=opt.claims("`mean gap > cls gap`, `content gap > 0.3`, `max auc < 1`, `cls: not separate`, "
                          "`mean is the model's embedding`, `batch independent` (every embedding within "
                          f"{TOLERANCE:g} of the same text's encoded alone). Poolings: mean, content, cls, max."),
        caption=opt.caption("“Cosine of each pair under each pooling …”"),
        figure=opt.show_figure(),
    )

    def prepare(self, spec):
        for text in spec.expect:
            parse_claim(text)

    def anchor_hint(self, spec):
        return "pooling " + spec.similar[0][0][:30]

    def compute(self, kv, spec):
        return scores({g: getattr(spec, g) for g in GROUPS})

    @staticmethod
    def _groups(result):
        return [g for g in GROUPS if g in result["cosines"]]

    def claims(self, spec, result, check):
        c = result["cosines"]
        for text in spec.expect:
            claim = parse_claim(text)
            if claim[0] == "fact":
                if claim[1] == "batch independent":
                    check(f"every text's embedding is the same (within {TOLERANCE:g}) encoded alone as encoded "
                          "with the block's other texts", result["batch"] < TOLERANCE,
                          f"the largest difference in one coordinate is {result['batch']:.2e}")
                else:
                    check("the mean of all the last layer's token vectors, normalised, is the model's sentence "
                          f"embedding (within {TOLERANCE:g})", result["own"] < TOLERANCE,
                          f"the largest difference in one coordinate is {result['own']:.2e}")
            elif claim[0] == "separate":
                _, p, want = claim
                lo, hi = min(c["similar"][p]), max(c["unrelated"][p])
                check(f"with {PHRASE[p]}, every similar pair scores above every unrelated pair" if want else
                      f"with {PHRASE[p]}, some unrelated pair scores at least as high as some similar pair",
                      (lo > hi) == want, f"the lowest similar pair: {lo:.4f}; the highest unrelated pair: {hi:.4f}")
            else:
                _, p, what, op, right = claim
                measure = self._gap if what == "gap" else self._auc
                left = measure(c, p)
                if isinstance(right, str):
                    r, name = measure(c, right), f"with {PHRASE[right]} ({measure(c, right):.4f})"
                else:
                    r, name = right, f"{right:g}"
                check(f"with {PHRASE[p]}, the {'gap between similar and unrelated pairs' if what == 'gap' else 'AUC'}"
                      f" is {'greater' if op == '>' else 'less'} than {name}", left > r if op == ">" else left < r,
                      f"with {PHRASE[p]} it is {left:.4f}")

    @staticmethod
    def _gap(c, p):
        return gap(c, p)

    @staticmethod
    def _auc(c, p):
        won, n = ordered(c, p)
        return won / n

    @value("The mean cosine of the `group` (similar, related or unrelated) pairs under `pooling` "
           "(mean, content, cls or max).")
    def mean(self, spec, result, group, pooling):
        if group not in self._groups(result):
            raise LexiconError(f"'{group}' is no group of the block", fix="name " + ", ".join(self._groups(result)))
        v = float(np.mean(result["cosines"][group][pool_name(pooling)]))
        return Value(fmt(v), v)

    @value("The cosine of pair `k` (counting from 1) of `group` (similar, related or unrelated) under `pooling`.")
    def pair(self, spec, result, group, k, pooling):
        if group not in self._groups(result):
            raise LexiconError(f"'{group}' is no group of the block", fix="name " + ", ".join(self._groups(result)))
        scored = result["cosines"][group][pool_name(pooling)]
        if not str(k).isdigit() or not 1 <= int(k) <= len(scored):
            raise LexiconError(f"'{k}' is no pair of the {group} group", fix=f"name a pair from 1 to {len(scored)}")
        v = float(scored[int(k) - 1])
        return Value(fmt(v), v)

    @value("The gap under `pooling`: mean cosine of the similar pairs minus that of the unrelated pairs.")
    def gap(self, spec, result, pooling):
        v = gap(result["cosines"], pool_name(pooling))
        return Value(fmt(v), v)

    @value("How many (similar, unrelated) combinations `pooling` orders correctly (a tie counts a half).")
    def ordered(self, spec, result, pooling):
        won, _ = ordered(result["cosines"], pool_name(pooling))
        return Value(f"{won:g}", won)

    @value("How many (similar, unrelated) combinations there are: similar pairs times unrelated pairs.")
    def combinations(self, spec, result):
        n = len(result["cosines"]["similar"]["mean"]) * len(result["cosines"]["unrelated"]["mean"])
        return Value(str(n), n)

    @value("The pooling (mean, content, cls or max) with the largest gap.")
    def best(self, spec, result):
        p = max(POOLS, key=lambda q: (gap(result["cosines"], q), -POOLS.index(q)))
        return Value(PHRASE[p])

    @value("The largest difference, in one coordinate, between the mean pooling and the model's embedding.")
    def own_difference(self, spec, result):
        return Value(_small(result["own"]), result["own"])

    @value("The largest difference, in one coordinate, between a text's embedding encoded with the block's "
           "other texts and encoded alone.")
    def batch_difference(self, spec, result):
        return Value(_small(result["batch"]), result["batch"])

    @value("The number of pairs in `group` (similar, related or unrelated).")
    def pairs(self, spec, result, group):
        if group not in self._groups(result):
            raise LexiconError(f"'{group}' is no group of the block", fix="name " + ", ".join(self._groups(result)))
        n = len(result["cosines"][group]["mean"])
        return Value(str(n), n)

    def render(self, spec, result, ctx):
        c, groups = result["cosines"], self._groups(result)
        rows = []
        for p in POOLS:
            won, n = ordered(c, p)
            rows.append([LABELS[p], *[fmt(float(np.mean(c[g][p]))) for g in groups], fmt(gap(c, p)),
                         f"{won:g}"])
        table = Table(["Pooling", *[f"Mean cosine, {g}" for g in groups], "Gap (similar − unrelated)",
                       f"Similar above unrelated (of {n} pairings)"], rows, numeric=tuple(range(1, len(groups) + 3)))
        pairs = [[g, a, b, *[fmt(c[g][p][k]) for p in POOLS]]
                 for g in groups for k, (a, b) in enumerate(getattr(spec, g))]
        alt = ("Dot chart of each pair's cosine under each pooling. " + "; ".join(
            f"{LABELS[p]}: " + ", ".join(f"{g} pairs " + ", ".join(f"{x:.2f}" for x in c[g][p]) for g in groups)
            for p in POOLS) + ".")
        checks = Html(f"<p>The mean of all tokens against the model's own embedding: at most {_small(result['own'])} "
                      "apart in any coordinate. Each text encoded alone against encoded with the block's other texts: "
                      f"at most {_small(result['batch'])} apart.</p>")
        return [table, checks, Figure(lambda: dots(c, groups), alt=alt, caption=spec.caption, height=340,
                              table=Table(["Group", "Sentence A", "Sentence B", *[LABELS[p] for p in POOLS]], pairs,
                                          numeric=(3, 4, 5, 6)),
                              default_caption="Cosine of each pair under each pooling: similar (filled), related "
                                              "(diamonds) and unrelated (open). " + METHOD)]


def _small(x: float) -> str:
    """A difference near float32's rounding, written as the site writes such numbers: 2.4 × 10⁻⁷."""
    if x == 0:
        return "0"
    mantissa, exponent = f"{x:.1e}".split("e")
    sup = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    return f"{mantissa} × 10{str(int(exponent)).translate(sup)}"


def dots(c: dict, groups: list[str]) -> go.Figure:
    fig = go.Figure()
    symbols = {"similar": "circle", "related": "diamond", "unrelated": "circle-open"}
    for k, g in enumerate(groups):
        xs = [x for p in POOLS for x in c[g][p]]
        ys = [LABELS[p] for p in POOLS for _ in c[g][p]]
        colour = figures.PALETTE[k]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers", name=g,
                                 marker=dict(symbol=symbols[g], size=12, color=colour, line=dict(width=2, color=colour)),
                                 hovertemplate=f"{g} pair, %{{y}}: %{{x:.4f}}<extra></extra>"))
    fig.update_layout(**figures.LEGEND_ON_TOP, xaxis=dict(title=dict(text="cosine of the pair"), range=[-0.2, 1.02]),
                      yaxis=dict(automargin=True, autorange="reversed"))
    return fig
