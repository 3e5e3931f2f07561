"""``positional-encoding``: the sinusoidal position encoding of Vaswani et al. (2017), with numpy.

PE(pos, 2i) = sin(pos / base^(2i/d)), PE(pos, 2i+1) = cos(pos / base^(2i/d)). No
model is involved: the encoding is a formula, so the block needs no vectors.
"""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from .. import figures
from ..claims import Claim
from ..errors import LexiconError
from ..render import claims_html, code_details, esc, figure, fmt, table
from .base import CAPTION, Block, obj, register, str_list

COMPARE = re.compile(r"^\s*(\d+)\s*~\s*(\d+)\s*([<>])\s*(\d+)\s*~\s*(\d+)\s*$")
TABLE_ROWS = 8  # the encoding's table shows the first positions and dimensions only


def sinusoidal(positions: int, dims: int, base: float = 10000.0) -> np.ndarray:
    """The ``positions`` × ``dims`` matrix: even columns sine, odd columns cosine, one frequency per pair."""
    pos = np.arange(positions, dtype=np.float64)[:, None]
    i = np.arange(dims // 2, dtype=np.float64)[None, :]
    angles = pos / base ** (2 * i / dims)
    pe = np.empty((positions, dims), dtype=np.float64)
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles)
    return pe


def cosine_matrix(pe: np.ndarray) -> np.ndarray:
    u = pe / np.linalg.norm(pe, axis=1, keepdims=True)
    return u @ u.T


def encode(positions: int, dims: int, base: float, reference: int, compare: list[tuple]) -> dict:
    pe = sinusoidal(positions, dims, base)
    c = cosine_matrix(pe)
    # cos(p, q) depends only on q - p: every diagonal of the matrix is constant (up to rounding).
    offset_spread = max(float(np.ptp(np.diagonal(c, k))) for k in range(positions))
    return {
        "encoding": np.round(pe, 3).tolist(),
        "reference_cosine": np.round(c[reference], 4).tolist(),
        "offset_spread": float(f"{offset_spread:.2e}"),
        "norm": round(float(np.linalg.norm(pe[0])), 4),
        "compared": [[round(float(c[a, b]), 6), round(float(c[x, y]), 6)] for a, b, x, y in compare],
    }


def parse_comparison(text: str, positions: int) -> tuple[int, int, str, int, int]:
    m = COMPARE.match(text)
    if not m:
        raise LexiconError(f"cannot read the comparison '{text}'",
                           fix="write it as '10~11 > 10~30' (positions 10 and 11 are more similar than "
                               "positions 10 and 30)")
    a, b, op, x, y = int(m.group(1)), int(m.group(2)), m.group(3), int(m.group(4)), int(m.group(5))
    for p in (a, b, x, y):
        if p >= positions:
            raise LexiconError(f"the comparison '{text}' names position {p}, but positions go from 0 to "
                               f"{positions - 1}", fix="raise 'positions' or use a smaller position")
    return a, b, op, x, y


def spread_words(spread: float) -> str:
    """How much the similarity of same-distance pairs varies, in words."""
    if spread < 1e-12:
        return "across all pairs at the same distance it varies by less than 10⁻¹², which is rounding error"
    return f"across all pairs at the same distance it varies by up to {spread:.2g}"


@register
class PositionalEncoding(Block):
    kind = "positional-encoding"
    summary = ("The sinusoidal positional encoding of “Attention Is All You Need” as a heatmap, and the "
               "cosine similarity between positions.")
    needs_model = False
    schema = obj({
        "positions": {"type": "integer", "minimum": 2, "maximum": 200},
        "dims": {"type": "integer", "minimum": 4, "maximum": 256, "multipleOf": 2},
        "base": {"type": "number", "exclusiveMinimum": 1},
        "reference": {"type": "integer", "minimum": 0},
        "expect": str_list(),
        "caption": CAPTION,
    })
    example = "positions: 50\ndims: 64\nreference: 10\nexpect: ['10~11 > 10~30']"

    def parse(self, data):
        positions = data.get("positions", 50)
        reference = data.get("reference", 0)
        if reference >= positions:
            raise LexiconError(f"'reference' ({reference}) must be a position from 0 to {positions - 1}",
                               fix="lower 'reference' or raise 'positions'")
        for text in data.get("expect", []):
            parse_comparison(text, positions)
        return {"positions": positions, "dims": data.get("dims", 64), "base": float(data.get("base", 10000)),
                "reference": reference, "expect": data.get("expect", []), "caption": data.get("caption")}

    def anchor_hint(self, spec):
        return f"{spec['positions']} positions {spec['dims']} dims"

    def compute(self, kv, spec):
        compare = [parse_comparison(t, spec["positions"]) for t in spec["expect"]]
        return encode(spec["positions"], spec["dims"], spec["base"], spec["reference"],
                      [(a, b, x, y) for a, b, _, x, y in compare])

    def claims(self, spec, result):
        out = []
        for text, (left, right) in zip(spec["expect"], result["compared"]):
            a, b, op, x, y = parse_comparison(text, spec["positions"])
            out.append(Claim(statement=f"similarity(position {a}, position {b}) {op} similarity(position {x}, "
                                       f"position {y})",
                             ok=left > right if op == ">" else left < right,
                             actual=f"similarity({a}, {b}) = {left:.4f}, similarity({x}, {y}) = {right:.4f}"))
        return out

    def render(self, spec, result, ctx):
        n, d, ref = spec["positions"], spec["dims"], spec["reference"]
        pe, cos = result["encoding"], result["reference_cosine"]
        base = f"{spec['base']:g}"
        k = min(TABLE_ROWS, n), min(TABLE_ROWS, d)
        enc_table = table(["Position"] + [f"{'sin' if j % 2 == 0 else 'cos'} {j}" for j in range(k[1])],
                          [[str(p)] + [fmt(v, 3) for v in pe[p][:k[1]]] for p in range(k[0])],
                          cls="ll-table--wide", numeric_cols=tuple(range(1, k[1] + 1)))
        enc_note = (f'<p class="ll-caption">The first {k[0]} positions and {k[1]} dimensions of the {n} × {d} '
                    "encoding, rounded to 3 decimals.</p>")
        enc_alt = (f"Heatmap of the sinusoidal positional encoding: {n} positions (rows, 0 at the top) by {d} "
                   "dimensions (columns). The first columns change quickly from row to row, in fine stripes; "
                   "further right the waves get slower and the columns look almost constant.")
        near = sorted(range(n), key=lambda p: (-cos[p], p))[1:4] if n > 1 else []
        sim_alt = (f"Line chart of the cosine similarity between position {ref} and every position from 0 to "
                   f"{n - 1}. It is 1 at position {ref} itself; the most similar other positions are "
                   + ", ".join(f"{p} ({cos[p]:.2f})" for p in near) + f"; the lowest is {min(cos):.2f}.")
        sim_table = table(["Position", "Distance", f"Cosine with {ref}"],
                          [[str(p), str(abs(p - ref)), fmt(cos[p])] for p in range(n)], numeric_cols=(1, 2))
        code = ("import numpy as np\n\n"
                f"positions, d = {n}, {d}\n"
                "pos = np.arange(positions)[:, None]\n"
                "i = np.arange(d // 2)[None, :]\n"
                f"angles = pos / {base} ** (2 * i / d)\n"
                "pe = np.empty((positions, d))\n"
                "pe[:, 0::2] = np.sin(angles)  # even dimensions\n"
                "pe[:, 1::2] = np.cos(angles)  # odd dimensions\n"
                "unit = pe / np.linalg.norm(pe, axis=1, keepdims=True)\n"
                f"similarity = unit @ unit[{ref}]  # cosine with position {ref}\n")
        return "".join([
            f'<div class="ll-block ll-positional" id="{esc(ctx.anchor)}">',
            figure(self.heatmap(pe), alt=enc_alt,
                   caption=spec["caption"] or f"The sinusoidal encoding of positions 0–{n - 1} in {d} dimensions "
                                              f"(base {base}). Each row is added to the embedding of the token "
                                              "at that position.",
                   data_table=enc_note + enc_table, height=max(300, min(520, 120 + 4 * n)),
                   anchor=ctx.anchor + "-encoding"),
            figure(self.similarity_line(cos, ref), alt=sim_alt,
                   caption=f"Cosine similarity between the encoding of position {ref} and every other position.",
                   data_table=sim_table, height=300, anchor=ctx.anchor + "-similarity"),
            f"<p>Every position’s encoding has the same length, {esc(fmt(result['norm']))} (the square root "
            f"of {d // 2}), and the similarity of two positions depends only on the distance between them: "
            f"{esc(spread_words(result['offset_spread']))}.</p>",
            claims_html(ctx.claims),
            code_details(code, "The numpy code behind these numbers"),
            f'<p class="ll-model">Computed at build time with numpy: a fixed formula, no model and no '
            f"learned weights.</p>",
            "</div>",
        ])

    @staticmethod
    def heatmap(pe) -> go.Figure:
        d = len(pe[0])
        fig = go.Figure(go.Heatmap(
            z=pe, x=list(range(d)), y=list(range(len(pe))), zmin=-1, zmax=1, zmid=0,
            colorscale=figures.DIVERGING, reversescale=True,
            colorbar=dict(title=dict(text="value"), thickness=12),
            hovertemplate="position %{y}, dimension %{x}: %{z:.3f}<extra></extra>"))
        fig.update_layout(**figures.BASE_LAYOUT,
                          xaxis=dict(title=dict(text="dimension", standoff=4), automargin=True),
                          yaxis=dict(title=dict(text="position", standoff=4), autorange="reversed",
                                     automargin=True))
        return fig

    @staticmethod
    def similarity_line(cos, ref) -> go.Figure:
        n = len(cos)
        fig = go.Figure(go.Scatter(
            x=list(range(n)), y=cos, mode="lines+markers", marker=dict(size=5, color=figures.PALETTE[0]),
            line=dict(color=figures.PALETTE[0]), hovertemplate="position %{x}: %{y:.4f}<extra></extra>"))
        fig.add_vline(x=ref, line=dict(color=figures.PALETTE[1], dash="dot"))
        fig.update_layout(**figures.BASE_LAYOUT,
                          xaxis=dict(title=dict(text="position", standoff=4), automargin=True),
                          yaxis=dict(title=dict(text=f"cosine with position {ref}", standoff=4), automargin=True))
        return fig
