"""The ``contextual-layers`` kind: one word's vectors in different sentences, compared layer by layer."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from ... import figures, minilm
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._minilm import NOTE, word_position

LAYERS = 7   # the embedding layer's output (0) and the six transformer layers
CLAIM = re.compile(r"^\s*(?:gap at layer ([0-6])\s*([<>])\s*(?:gap at layer ([0-6])|(-?\d*\.?\d+))"
                   r"|(not )?separate at layer ([0-6]))\s*$")
CLAIM_FIX = ("write 'gap at layer 6 > 0.05' (same-sense pairs are more similar than cross-sense pairs by more "
             "than 0.05, in mean cosine), 'gap at layer 6 > gap at layer 0', or '(not) separate at layer 6' "
             "(every same-sense pair is more similar than every cross-sense pair)")
SENTENCES = {"type": "object", "minProperties": 2, "maxProperties": 4,
             "additionalProperties": {"type": "array", "minItems": 2, "maxItems": 6,
                                      "items": {"type": "string", "minLength": 1, "maxLength": 300}}}


def parse_claim(text: str):
    m = CLAIM.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    if m.group(6) is not None:
        return ("separate", int(m.group(6)), not m.group(5))
    right = ("gap", int(m.group(3))) if m.group(3) is not None else ("number", float(m.group(4)))
    return ("gap", int(m.group(1)), m.group(2), right)


def _layer(k) -> int:
    if not str(k).strip().isdigit() or not 0 <= int(k) < LAYERS:
        raise LexiconError(f"'{k}' names no layer", fix="name a layer from 0 (the embedding layer) to 6")
    return int(k)


class ContextualLayers(Kind):
    """One word in sentences of different senses, its vectors compared layer by layer in a real transformer
    (all-MiniLM-L6-v2): are same-sense uses closer than cross-sense ones, and from which layer?

    Every sentence is run through the model; the word's vector is read at its own position after the
    embedding layer (layer 0) and after each of the 6 transformer layers. For each layer, the cosine of every
    pair of sentences' vectors is averaged over the pairs of the same sense and over the pairs of different
    senses; the **gap** is the first minus the second. The senses **separate** at a layer when every
    same-sense pair is more similar than every cross-sense pair. A static vector (GloVe, word2vec) is one
    vector for the word in every sentence: cosine 1 for every pair, a gap of 0. The word must be one
    WordPiece token and occur once in each sentence. Needs no GloVe vectors.
    """

    example = ("word: bank\nsenses:\n  money: [The bank raised its interest rates., He asked the bank for a loan.]\n"
               "  river: [We had a picnic on the river bank., Reeds grew along the muddy bank.]\n"
               "expect: [gap at layer 6 > gap at layer 0]")
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        word=opt.text("The word (one WordPiece token of the model, once in every sentence).", required=True,
                      pattern=r"^[A-Za-z]+$", type_doc="word"),
        senses=opt.raw("The sentences, grouped by the sense the word has in them: 2–4 senses, 2–6 sentences each.",
                       SENTENCES, "named lists of sentences", required=True,
                       convert=lambda v: {str(k): list(s) for k, s in v.items()}),
        expect=opt.claims("`gap at layer 6 > 0.05` (mean same-sense cosine minus mean cross-sense cosine), "
                          "`gap at layer 6 > gap at layer 0`, `separate at layer 6` (every same-sense pair above "
                          "every cross-sense pair), `not separate at layer 3`. Layers 0–6; 0 is the embedding "
                          "layer."),
        caption=opt.caption("“Mean cosine between the word's vectors, same-sense and cross-sense pairs …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        seen = [s for group in spec.senses.values() for s in group]
        if len(set(seen)) != len(seen):
            raise LexiconError("a sentence is listed twice", fix="list each sentence once, under one sense")
        for text in spec.expect:
            parse_claim(text)

    def anchor_hint(self, spec):
        return f"{spec.word} in context"

    def compute(self, kv, spec):
        labels = [name for name, group in spec.senses.items() for _ in group]
        texts = [s for group in spec.senses.values() for s in group]
        enc = minilm.encode(texts)
        where = [word_position(toks, spec.word.lower(), f"the sentence \u201c{t}\u201d")
                 for toks, t in zip(enc.tokens, texts)]
        n = len(texts)
        same = [(i, j) for i in range(n) for j in range(i + 1, n) if labels[i] == labels[j]]
        cross = [(i, j) for i in range(n) for j in range(i + 1, n) if labels[i] != labels[j]]
        layers = []
        for layer in range(LAYERS):
            v = np.stack([enc.hidden_states[k][layer][where[k]] for k in range(n)]).astype(np.float64)
            v /= np.linalg.norm(v, axis=1, keepdims=True)
            c = v @ v.T
            s, x = [c[p] for p in same], [c[p] for p in cross]
            layers.append({"same": float(np.mean(s)), "cross": float(np.mean(x)), "min_same": float(min(s)),
                           "max_cross": float(max(x)), "cosine": np.round(c, 4).tolist()})
        return {"tokens": enc.tokens, "positions": where, "labels": labels, "layers": layers,
                "pairs": [len(same), len(cross)]}

    def claims(self, spec, result, check):
        layers = result["layers"]

        def gap(k):
            return layers[k]["same"] - layers[k]["cross"]

        for text in spec.expect:
            claim = parse_claim(text)
            if claim[0] == "separate":
                _, k, want = claim
                got = layers[k]["min_same"] > layers[k]["max_cross"]
                check(f"at layer {k} the senses {'' if want else 'do not '}separate: every same-sense pair is "
                      f"{'' if want else 'not '}more similar than every cross-sense pair", got == want,
                      f"the least similar same-sense pair has {layers[k]['min_same']:.4f}, the most similar "
                      f"cross-sense pair {layers[k]['max_cross']:.4f}")
                continue
            _, k, op, (what, right) = claim
            left = gap(k)
            if what == "gap":
                r, name, shown = gap(right), f"the gap at layer {right}", f"; at layer {right} it is {gap(right):.4f}"
            else:
                r, name, shown = right, f"{right:g}", ""
            check(f"the gap at layer {k} (same-sense minus cross-sense mean cosine) is "
                  f"{'greater' if op == '>' else 'less'} than {name}", left > r if op == ">" else left < r,
                  f"the gap at layer {k} is {left:.4f} ({layers[k]['same']:.4f} \u2212 {layers[k]['cross']:.4f})"
                  + shown)

    @value("Mean cosine of the same-sense pairs at layer k (0–6), as the table shows it.")
    def same(self, spec, result, k):
        v = result["layers"][_layer(k)]["same"]
        return Value(fmt(v), v)

    @value("Mean cosine of the cross-sense pairs at layer k (0–6), as the table shows it.")
    def cross(self, spec, result, k):
        v = result["layers"][_layer(k)]["cross"]
        return Value(fmt(v), v)

    @value("The gap at layer k: same-sense minus cross-sense mean cosine, as the table shows it.")
    def gap(self, spec, result, k):
        row = result["layers"][_layer(k)]
        v = float(fmt(row["same"])) - float(fmt(row["cross"]))
        return Value(fmt(v), v)

    @value("The cosine of the least similar same-sense pair at layer k (0–6).")
    def min_same(self, spec, result, k):
        v = result["layers"][_layer(k)]["min_same"]
        return Value(fmt(v), v)

    @value("The cosine of the most similar cross-sense pair at layer k (0–6).")
    def max_cross(self, spec, result, k):
        v = result["layers"][_layer(k)]["max_cross"]
        return Value(fmt(v), v)

    @value("The layer (0–6) with the largest gap.")
    def best_layer(self, spec, result):
        gaps = [r["same"] - r["cross"] for r in result["layers"]]
        k = int(np.argmax(gaps))
        return Value(str(k), k)

    @value("How many same-sense pairs of sentences are averaged.")
    def same_pairs(self, spec, result):
        return Value(str(result["pairs"][0]), result["pairs"][0])

    @value("How many cross-sense pairs of sentences are averaged.")
    def cross_pairs(self, spec, result):
        return Value(str(result["pairs"][1]), result["pairs"][1])

    def render(self, spec, result, ctx):
        layers, labels = result["layers"], result["labels"]
        texts = [s for group in spec.senses.values() for s in group]
        rows = [[k, fmt(r["same"]), fmt(r["cross"]), fmt(float(fmt(r["same"])) - float(fmt(r["cross"]))),
                 "yes" if r["min_same"] > r["max_cross"] else "no"] for k, r in enumerate(layers)]
        rows.append(["static vector", "1", "1", "0", "no"])
        table = Table(["Layer", "Same-sense mean cosine", "Cross-sense mean cosine", "Gap", "Senses separate"],
                      rows, numeric=(1, 2, 3))
        sentences = Table(["Sense", "Sentence", "Tokens"],
                          [[lab, t, " ".join(toks)] for lab, t, toks in zip(labels, texts, result["tokens"])])
        gaps = ", ".join(f"layer {k} {r['same'] - r['cross']:.2f}" for k, r in enumerate(layers))
        alt = (f"Line chart of the mean cosine between the vectors of \u201c{spec.word}\u201d in different sentences, "
               f"by layer from 0 (the embedding layer) to 6: same-sense pairs "
               + ", ".join(f"{r['same']:.2f}" for r in layers) + "; cross-sense pairs "
               + ", ".join(f"{r['cross']:.2f}" for r in layers) + f". Gaps: {gaps}. A static vector would be 1 "
               "for every pair.")
        return [
            Html(f"<p>\u201c{esc(spec.word)}\u201d in {len(texts)} sentences of {len(spec.senses)} senses: "
                 f"{result['pairs'][0]} same-sense pairs and {result['pairs'][1]} cross-sense pairs.</p>"),
            sentences,
            Figure(lambda: layers_figure(layers), alt=alt, caption=spec.caption, table=table, height=360,
                   default_caption=(f"Mean cosine between the vectors of \u201c{spec.word}\u201d in two sentences, "
                                    "for pairs of the same sense and of different senses, after each layer. Layer 0 "
                                    "is the embedding layer: the word's own vector plus its position's, layer-normalised, so "
                                    "pairs differ there only by position. A static vector would give 1 for every pair.")),
            *([Code(CODE.format(word=spec.word, senses=spec.senses), "The numpy code behind these numbers")]
              if spec.code else []),
        ]


def layers_figure(layers) -> go.Figure:
    x = list(range(len(layers)))
    fig = go.Figure()
    for name, key, colour, symbol in (("same sense", "same", figures.PALETTE[0], "circle"),
                                      ("different senses", "cross", figures.PALETTE[1], "square")):
        fig.add_trace(go.Scatter(x=x, y=[r[key] for r in layers], name=name, mode="lines+markers",
                                 line=dict(color=colour), marker=dict(symbol=symbol, size=9),
                                 hovertemplate=f"layer %{{x}}, {name}: %{{y:.4f}}<extra></extra>"))
    fig.add_hline(y=1, line=dict(dash="dot", color=figures.PALETTE[7]), annotation_text="static vector",
                  annotation_position="bottom right")
    fig.update_layout(**figures.LEGEND_ON_TOP,
                      xaxis=dict(title=dict(text="layer (0: embedding layer)"), dtick=1),
                      yaxis=dict(title=dict(text="mean cosine"), automargin=True))
    return fig


CODE = """\
import numpy as np
from lexicon import minilm      # this site's numpy forward pass of all-MiniLM-L6-v2

senses = {senses!r}
texts = [t for group in senses.values() for t in group]
enc = minilm.encode(texts)       # every layer's hidden states, per text
token = minilm.tokenize([{word!r}]).tokens[0][1]
where = [toks.index(token) for toks in enc.tokens]
for layer in range(7):           # 0: the embedding layer, 1-6: the transformer layers
    v = np.stack([h[layer][i] for h, i in zip(enc.hidden_states, where)])
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    print(layer, np.round(v @ v.T, 3))
"""
