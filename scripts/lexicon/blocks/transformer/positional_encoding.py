"""The ``positional-encoding`` kind: the sinusoidal encoding and the similarity of positions."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt, table
from ._sinusoidal import DIMS_SCHEMA, DIMS_TYPE, cosine_matrix, similarity_line, sinusoidal

COMPARE = re.compile(r"^\s*(\d+)\s*~\s*(\d+)\s*([<>])\s*(\d+)\s*~\s*(\d+)\s*$")
TABLE_ROWS = 8  # the encoding's table shows the first positions and dimensions only


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


class PositionalEncoding(Kind):
    """The sinusoidal positional encoding of “Attention Is All You Need” as a heatmap, and the cosine
    similarity between positions.

    The sinusoidal encoding of Vaswani et al. (2017), computed with numpy (no model): PE(pos, 2i) =
    sin(pos / base^(2i/d)) and PE(pos, 2i+1) = cos(pos / base^(2i/d)). The block shows a heatmap of
    positions × dimensions, and the cosine similarity of `reference` with every position. Every
    position's encoding has the same length, and the similarity of two positions depends only on
    the distance between them; the block says both, computed.
    """

    example = "positions: 24\ndims: 32\nreference: 10\nexpect: ['10~15 < 10~16']"
    needs_model = False
    note = "Computed at build time with numpy: a fixed formula, no model and no learned weights."
    options = opt.Options(
        Kind.options,
        positions=opt.integer("How many positions to encode (0, 1, 2, …).", default=50, min=2, max=200),
        dims=opt.raw("The dimensions of the encoding (one sine and one cosine per frequency).", DIMS_SCHEMA,
                     DIMS_TYPE, default=64),
        base=opt.number("The base of the wavelengths (10000 in the original transformer).", default=10000,
                        above=1, convert=float),
        reference=opt.integer("The position compared with every position in the line chart.", default=0, min=0),
        # The comparisons are computed with the encoding: they are part of the result, not display-only.
        expect=opt.raw("Comparisons such as `10~11 > 10~30` (positions 10 and 11 are more similar than 10 and 30).",
                       opt.word_list(), "list of [comparisons](#claims)", default=[], convert=list),
        caption=opt.text("Caption of the encoding's heatmap (Markdown).",
                         default_doc="“The sinusoidal encoding of positions 0–… in … dimensions (base …). "
                                     "…”",
                         display=True),
    )

    def prepare(self, spec):
        if spec.reference >= spec.positions:
            raise LexiconError(f"'reference' ({spec.reference}) must be a position from 0 to {spec.positions - 1}",
                               fix="lower 'reference' or raise 'positions'")
        spec.compared = [parse_comparison(t, spec.positions) for t in spec.expect]

    def anchor_hint(self, spec):
        return f"{spec.positions} positions {spec.dims} dims"

    def compute(self, kv, spec):
        return encode(spec.positions, spec.dims, spec.base, spec.reference,
                      [(a, b, x, y) for a, b, _, x, y in spec.compared])

    def claims(self, spec, result, check):
        for (a, b, op, x, y), (left, right) in zip(spec.compared, result["compared"]):
            check(f"similarity(position {a}, position {b}) {op} similarity(position {x}, position {y})",
                  left > right if op == ">" else left < right,
                  f"similarity({a}, {b}) = {left:.4f}, similarity({x}, {y}) = {right:.4f}")

    @value("The cosine of the encoding of `position` with that of `reference`, as the table shows it.")
    def cosine(self, spec, result, position):
        p = _position(spec, position)
        c = result["reference_cosine"][p]
        return Value(fmt(c), c)

    @value("The first position after `reference` where the similarity peaks again: more similar to the "
           "reference than both its neighbours, although further away than the one before it.")
    def first_peak(self, spec, result):
        cos = result["reference_cosine"]
        for p in range(spec.reference + 1, spec.positions - 1):
            if cos[p] > cos[p - 1] and cos[p] > cos[p + 1]:
                return Value(str(p), p)
        raise LexiconError("the similarity falls steadily after the reference: it never peaks again",
                           fix="raise 'positions' or lower 'reference'")

    @value("The first position after `reference` that is less similar to the reference than the first peak "
           "(`first_peak`) is, although nearer to it: the position the peak overtakes.")
    def overtaken(self, spec, result):
        cos = result["reference_cosine"]
        peak = self.first_peak(spec, result).number
        # The position just before the peak always qualifies: the peak is more similar than its neighbours.
        p = next(p for p in range(spec.reference + 1, peak) if cos[p] < cos[peak])
        return Value(str(p), p)

    @value("The length of every position's encoding, √(d/2), as the block writes it.")
    def length(self, spec, result):
        return Value(fmt(result["norm"]), result["norm"])

    @value("How many frequencies (sine–cosine pairs) the encoding has: half its dimensions.")
    def frequencies(self, spec, result):
        return Value(str(spec.dims // 2), spec.dims // 2)

    def render(self, spec, result, ctx):
        n, d, ref = spec.positions, spec.dims, spec.reference
        pe, cos = result["encoding"], result["reference_cosine"]
        base = f"{spec.base:g}"
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
        return [
            Figure(lambda: heatmap(pe), alt=enc_alt, caption=spec.caption,
                   default_caption=f"The sinusoidal encoding of positions 0–{n - 1} in {d} dimensions "
                                   f"(base {base}). Each row is added to the embedding of the token at that position.",
                   table=Html(enc_note + enc_table), height=max(300, min(520, 120 + 4 * n)), anchor="encoding"),
            Figure(lambda: similarity_line(cos, ref), alt=sim_alt,
                   default_caption=f"Cosine similarity between the encoding of position {ref} and every other "
                                   "position.",
                   table=Table(["Position", "Distance", f"Cosine with {ref}"],
                               [[str(p), str(abs(p - ref)), fmt(cos[p])] for p in range(n)], numeric=(1, 2)),
                   height=300, anchor="similarity"),
            Html(f"<p>Every position’s encoding has the same length, {esc(fmt(result['norm']))} (the square root "
                 f"of {d // 2}), and the similarity of two positions depends only on the distance between them: "
                 f"{esc(spread_words(result['offset_spread']))}.</p>"),
            Code(code, "The numpy code behind these numbers"),
        ]


def _position(spec, text: str) -> int:
    if not str(text).isdigit() or int(text) >= spec.positions:
        raise LexiconError(f"'{text}' is not a position of the block",
                           fix=f"name a position from 0 to {spec.positions - 1}")
    return int(text)


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
