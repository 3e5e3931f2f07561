"""The ``position-similarity`` kind: a real transformer's learned position vectors beside sinusoidal ones."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from ... import figures, minilm
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Tab, Table, Tabs
from ...errors import LexiconError
from ...render import fmt
from ._sinusoidal import cosine_matrix, sinusoidal
from ._minilm import NOTE

KINDS = ("learned", "sinusoidal")
SIDE = r"(learned|sinusoidal)\s+(\d+)"
CLAIM = re.compile(rf"^\s*{SIDE}\s*([<>])\s*(?:{SIDE}|(-?\d*\.\d+))\s*$")
CLAIM_FIX = ("write 'learned 1 > learned 8' (the mean cosine between learned position vectors 1 apart is above "
             "that of vectors 8 apart), 'learned 32 < sinusoidal 32' or 'sinusoidal 1 > 0.9'")


def parse_claim(text: str, positions: int):
    m = CLAIM.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    left = (m.group(1), int(m.group(2)))
    right = (m.group(4), int(m.group(5))) if m.group(4) else float(m.group(6))
    for side in (left, right):
        if isinstance(side, tuple) and not 1 <= side[1] < positions:
            raise LexiconError(f"the claim '{text}' names distance {side[1]}; the block compares distances 1 to "
                               f"{positions - 1}", fix="name a smaller distance, or raise 'positions'")
    return left, m.group(3), right


class PositionSimilarity(Kind):
    """BERT-style learned position vectors (all-MiniLM-L6-v2's) beside the sinusoidal encoding of the same width:
    how similar two positions' vectors are, by their distance.

    The model learned one 384-dimensional vector for each of its 512 positions; the sinusoidal
    encoding of Vaswani et al. (2017) computes one by formula for the same width. For the first
    `positions` positions, the block takes the cosine between every two positions' vectors and
    averages it over all pairs the same distance apart: a line for each encoding, a table at
    chosen distances, and both full similarity matrices as heatmaps. Position 0 is where `[CLS]`
    always sits. Needs no GloVe vectors.
    """

    example = "positions: 64\nexpect: [learned 1 > learned 8, sinusoidal 1 > sinusoidal 8]"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        positions=opt.integer("How many positions, from 0, to compare.", default=64, min=8, max=128),
        distances=opt.raw("Distances the table shows (each 1 to positions − 1).",
                          {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 127},
                           "minItems": 1, "maxItems": 10, "uniqueItems": True},
                          "list of up to 10 distances", default=[1, 2, 4, 8, 16, 32], display=True, convert=list),
        expect=opt.claims("`learned 1 > learned 8` (mean cosine of learned vectors 1 apart above those 8 apart), "
                          "`learned 32 < sinusoidal 32`, `sinusoidal 1 > 0.9`."),
        caption=opt.caption("“Mean cosine between two positions' vectors, by how far apart they are …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        for d in spec.distances:
            if d >= spec.positions:
                raise LexiconError(f"'distances' has {d}, but {spec.positions} positions are at most "
                                   f"{spec.positions - 1} apart", fix="drop it, or raise 'positions'")
        for text in spec.expect:
            parse_claim(text, spec.positions)

    def anchor_hint(self, spec):
        return f"{spec.positions} positions"

    def compute(self, kv, spec):
        learned = minilm.load().weights["embeddings.position_embeddings.weight"][:spec.positions].astype(np.float64)
        out = {"dims": int(learned.shape[1]), "total": int(minilm.load().config["max_position_embeddings"])}
        for name, vectors in (("learned", learned), ("sinusoidal", sinusoidal(spec.positions, learned.shape[1]))):
            c = cosine_matrix(vectors)
            out[name] = {"by_distance": [float(np.mean(np.diagonal(c, d))) for d in range(1, spec.positions)],
                         "matrix": np.round(c, 3).tolist()}
        return out

    def claims(self, spec, result, check):
        for text in spec.expect:
            left, op, right = parse_claim(text, spec.positions)
            a = result[left[0]]["by_distance"][left[1] - 1]
            if isinstance(right, tuple):
                b = result[right[0]]["by_distance"][right[1] - 1]
                name, shown = f"{right[0]} vectors {right[1]} apart", f"; {right[0]} {right[1]} apart: {b:.4f}"
            else:
                b, name, shown = right, f"{right:g}", ""
            check(f"the mean cosine of {left[0]} position vectors {left[1]} apart is "
                  f"{'above' if op == '>' else 'below'} {name}", a > b if op == ">" else a < b,
                  f"{left[0]} {left[1]} apart: {a:.4f}{shown}")

    @value("The mean cosine between `kind` (learned or sinusoidal) position vectors `d` apart, as the table shows it.")
    def mean(self, spec, result, kind, d):
        if kind not in KINDS or not str(d).isdigit() or not 1 <= int(d) < spec.positions:
            raise LexiconError(f"'{kind}, {d}' names no value of the block",
                               fix=f"name learned or sinusoidal and a distance from 1 to {spec.positions - 1}")
        v = result[kind]["by_distance"][int(d) - 1]
        return Value(fmt(v, 3), v)

    @value("How many position vectors the model has learned.")
    def learned_positions(self, spec, result):
        return Value(str(result["total"]), result["total"])

    @value("How many positions, from 0, the block compares.")
    def positions(self, spec, result):
        return Value(str(spec.positions), spec.positions)

    @value("The width of the position vectors.")
    def dims(self, spec, result):
        return Value(str(result["dims"]), result["dims"])

    def render(self, spec, result, ctx):
        n = spec.positions
        rows = [[d, fmt(result["learned"]["by_distance"][d - 1], 3), fmt(result["sinusoidal"]["by_distance"][d - 1], 3)]
                for d in spec.distances]
        alt = (f"Line chart of the mean cosine between two position vectors against their distance, 1 to {n - 1}: "
               + "; ".join(f"{k} " + ", ".join(f"{result[k]['by_distance'][d - 1]:.2f} at {d}" for d in spec.distances)
                           for k in KINDS) + ".")
        tabs = [Tab(f"{k.capitalize()}: every pair", f"{k}-matrix", [Figure(
            lambda k=k: matrix_figure(result[k]["matrix"], k), height=420, anchor=f"{k}-matrix-figure", always=True,
            alt=(f"Heatmap of the cosine between the {k} vectors of every two positions from 0 to {n - 1}; "
                 f"the diagonal is 1, and the mean cosine one step off it is {result[k]['by_distance'][0]:.2f}."),
            default_caption=f"Cosine between the {k} vectors of every two positions, 0 to {n - 1}.")])
            for k in KINDS]
        return [
            Figure(lambda: distance_figure(result), alt=alt, caption=spec.caption, height=340,
                   table=Table(["Distance", "Learned (all-MiniLM-L6-v2)", "Sinusoidal"], rows, numeric=(0, 1, 2)),
                   default_caption=(f"Mean cosine between two positions' vectors, by how far apart they are, over "
                                    f"positions 0 to {n - 1}: the model's learned vectors and the sinusoidal "
                                    f"encoding of the same width ({result['dims']}).")),
            Tabs(tabs),
            *([Code(CODE.format(n=n), "The numpy code behind these numbers")] if spec.code else []),
        ]


def distance_figure(result) -> go.Figure:
    fig = go.Figure()
    for k, colour, symbol in (("learned", figures.PALETTE[0], "circle"), ("sinusoidal", figures.PALETTE[1], "square")):
        y = result[k]["by_distance"]
        fig.add_trace(go.Scatter(x=list(range(1, len(y) + 1)), y=y, name=k, mode="lines+markers",
                                 line=dict(color=colour), marker=dict(symbol=symbol, size=5),
                                 hovertemplate=f"{k}, %{{x}} apart: %{{y:.3f}}<extra></extra>"))
    fig.update_layout(**figures.LEGEND_ON_TOP,
                      xaxis=dict(title=dict(text="distance between the positions")),
                      yaxis=dict(title=dict(text="mean cosine"), automargin=True))
    return fig


def matrix_figure(matrix, kind: str) -> go.Figure:
    fig = go.Figure(go.Heatmap(z=matrix, zmin=-1, zmax=1, colorscale=figures.DIVERGING, reversescale=True,
                               colorbar=dict(title=dict(text="cosine"), thickness=12),
                               hovertemplate="positions %{y} and %{x}: %{z:.3f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, xaxis=dict(title=dict(text="position"), constrain="domain"),
                      yaxis=dict(title=dict(text="position"), autorange="reversed", scaleanchor="x"))
    return fig


CODE = """\
import numpy as np
from lexicon import minilm      # this site's loader of all-MiniLM-L6-v2's verified weights

learned = minilm.load().weights["embeddings.position_embeddings.weight"][:{n}]
pos, i = np.arange({n})[:, None], np.arange(learned.shape[1] // 2)[None, :]
angles = pos / 10000 ** (2 * i / learned.shape[1])
sinusoidal = np.empty_like(learned, dtype=float)
sinusoidal[:, 0::2], sinusoidal[:, 1::2] = np.sin(angles), np.cos(angles)
for name, v in (("learned", learned), ("sinusoidal", sinusoidal)):
    u = v / np.linalg.norm(v, axis=1, keepdims=True)
    c = u @ u.T
    print(name, [round(np.diagonal(c, d).mean(), 3) for d in (1, 2, 4, 8, 16, 32)])
"""
