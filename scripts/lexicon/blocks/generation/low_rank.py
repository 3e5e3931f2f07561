"""The low-rank kind: the singular values of a real MiniLM weight matrix, and what a rank-r matrix keeps."""

from __future__ import annotations

import math

import numpy as np

from ... import figures, minilm
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import fmt, percent
from ._lowrank import MATRICES, NOTE

RANKS_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 384}, "minItems": 1,
                "maxItems": 6, "uniqueItems": True}


def energy_curve(s: np.ndarray) -> np.ndarray:
    """Share of the squared Frobenius norm the first r singular values hold, for r = 1 … len(s)."""
    e = np.cumsum(s.astype(np.float64) ** 2)
    return e / e[-1]


class LowRank(Kind):
    """The singular values of one weight matrix of a real transformer (all-MiniLM-L6-v2), and how much of the
    matrix a rank-r approximation keeps, against how many numbers it needs.

    numpy's SVD writes the matrix W (m × n) as U·diag(s)·Vᵀ. Keeping the r largest singular values gives the
    closest rank-r matrix in the Frobenius norm (Eckart–Young); it keeps the share Σᵢ≤ᵣ sᵢ² / Σ sᵢ² of
    W's squared norm (*energy*), and its relative error is the square root of the rest. Stored as two
    factors, m × r and r × n, it needs r·(m + n) numbers instead of m·n. This is the shape of a LoRA update
    (a product B·A of rank r added to a frozen W); the block only measures the pretrained W and trains
    nothing.
    """

    example = "layer: 1\nmatrix: query\nranks: [8, 32, 96]"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        layer=opt.integer("The transformer layer, 1–6.", default=1, min=1, max=6),
        matrix=opt.choice("Which weight matrix: the attention's `query`, `key`, `value`, `output`, or the "
                          "feed-forward `ffn-in` (384 → 1,536) or `ffn-out`.", list(MATRICES), default="query"),
        ranks=opt.raw("The ranks r to tabulate (each at most the matrix's smaller side).", RANKS_SCHEMA,
                      "list of 1–6 ranks", default=[8, 32, 96], convert=list),
        figure=opt.show_figure("Show the energy curve (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def anchor_hint(self, spec):
        return f"low rank {spec.matrix} {spec.layer}"

    def compute(self, kv, spec):
        name = f"encoder.layer.{spec.layer - 1}.{MATRICES[spec.matrix]}"
        w = np.asarray(minilm.load().weights[name], dtype=np.float64)
        m, n = w.shape
        for r in spec.ranks:
            if r > min(m, n):
                raise LexiconError(f"rank {r} is more than the {m} × {n} matrix's rank can be",
                                   fix=f"use ranks up to {min(m, n)}")
        s = np.linalg.svd(w, compute_uv=False)
        e = energy_curve(s)
        return {"name": name, "shape": [m, n], "singular": [round(float(x), 6) for x in s],
                "energy": [round(float(x), 8) for x in e], "frobenius": round(float(np.linalg.norm(w)), 6)}

    def _at(self, result, r):
        try:
            r = int(str(r).strip())
        except ValueError:
            r = 0
        if not 1 <= r <= len(result["energy"]):
            raise LexiconError(f"no rank '{r}'", fix=f"write a rank from 1 to {len(result['energy'])}")
        return r, result["energy"][r - 1]

    @value("The share of the squared norm a rank-r approximation keeps: `energy(32)` (`61.2%`).")
    def energy(self, spec, result, r):
        _, e = self._at(result, r)
        return Value(percent(e), e)

    @value("The relative Frobenius error of the best rank-r approximation: `error(32)`.")
    def error(self, spec, result, r):
        _, e = self._at(result, r)
        x = float(np.sqrt(max(0.0, 1 - e)))
        return Value(fmt(x), x)

    @value("Numbers a rank-r factorisation needs, r·(m + n): `params(8)`.")
    def params(self, spec, result, r):
        r, _ = self._at(result, r)
        m, n = result["shape"]
        return Value(f"{r * (m + n):,}", r * (m + n))

    @value("Numbers in the full matrix, m·n.")
    def full(self, spec, result):
        m, n = result["shape"]
        return Value(f"{m * n:,}", m * n)

    @value("A rank-r factorisation's numbers as a share of the full matrix's: `params_share(8)`.")
    def params_share(self, spec, result, r):
        r, _ = self._at(result, r)
        m, n = result["shape"]
        x = r * (m + n) / (m * n)
        return Value(percent(x), x)

    @value("The smallest rank that keeps at least a share of the energy: `rank_for(90%)`.")
    def rank_for(self, spec, result, share):
        t = str(share).strip()
        x = float(t.rstrip("%")) / (100 if t.endswith("%") else 1)
        r = int(np.searchsorted(np.array(result["energy"]), x - 1e-12)) + 1
        return Value(f"{r:,}", r)

    @value("The rank at which the two factors store as many numbers as the matrix, m·n / (m + n): below it a "
           "factorisation saves memory.")
    def break_even(self, spec, result):
        m, n = result["shape"]
        x = m * n / (m + n)
        return Value(_short(x), x)

    @value("The largest rank the matrix can have: its smaller side.")
    def max_rank(self, spec, result):
        r = min(result["shape"])
        return Value(f"{r:,}", r)

    @value("The matrix's shape, `384 × 384`.")
    def shape(self, spec, result):
        m, n = result["shape"]
        return Value(f"{m:,} × {n:,}")

    def render(self, spec, result, ctx):
        m, n = result["shape"]
        e = result["energy"]
        rows = [[f"{r:,}", percent(e[r - 1]), fmt(float(np.sqrt(max(0.0, 1 - e[r - 1])))), f"{r * (m + n):,}",
                 percent(r * (m + n) / (m * n))] for r in spec.ranks]
        rows.append([f"full matrix W (rank {min(m, n):,})", percent(1.0), fmt(0.0), f"{m * n:,} (m·n)",
                     percent(1.0)])
        table = Table(["Rank r", "Energy kept", "Relative error", "Numbers stored: r·(m + n) for the factors",
                       "Share of the full m·n"], rows, numeric=(0, 1, 2, 3, 4))
        ranks = list(range(1, len(e) + 1))

        def fig():
            import plotly.graph_objects as go

            f = go.Figure([go.Scatter(x=ranks, y=[round(x, 4) for x in e], mode="lines", name="energy kept",
                                      line=dict(color=figures.PALETTE[0], width=2),
                                      hovertemplate="rank %{x}: %{y:.1%}<extra></extra>"),
                           go.Scatter(x=ranks, y=[round(r / len(e), 4) for r in ranks], mode="lines",
                                      name="if every direction held the same", hoverinfo="skip",
                                      line=dict(color=figures.PALETTE[5], width=1, dash="dash"))])
            f.update_layout(**figures.BASE_LAYOUT, showlegend=True, legend=dict(orientation="h", y=-0.32),
                            xaxis=dict(title=dict(text="rank r"), automargin=True),
                            yaxis=dict(title=dict(text="share of the squared norm kept"), tickformat=".0%",
                                       range=[0, 1.02], automargin=True))
            return f

        sample = [r for r in (1, 8, 16, 32, 64, 96, 128, 192, 256, 384) if r <= len(e)]
        alt = (f"Line chart of the energy a rank-r approximation of the {m} × {n} matrix keeps, rising from "
               f"{percent(e[0])} at rank 1 to 100% at rank {len(e)}: " +
               ", ".join(f"rank {r} {percent(e[r - 1])}" for r in sample) + ".")
        code = ("import numpy as np\nfrom lexicon import minilm\n\n"
                f"W = minilm.load().weights[{result['name']!r}].astype(np.float64)   # {m} × {n}\n"
                "s = np.linalg.svd(W, compute_uv=False)            # singular values, largest first\n"
                "energy = np.cumsum(s**2) / np.sum(s**2)           # energy[r - 1]: kept by rank r\n"
                "U, s, Vt = np.linalg.svd(W, full_matrices=False)\n"
                "W_r = U[:, :r] * s[:r] @ Vt[:r]                    # the best rank-r approximation\n")
        return [Html(f"<p>The {spec.matrix} weight matrix of layer {spec.layer} ({m:,} × {n:,}, "
                     f"{m * n:,} numbers). Its largest singular value is {fmt(result['singular'][0], 2)}, its "
                     f"smallest {result['singular'][-1]:.2g}. Factors of rank r save memory only while "
                     f"r·(m + n) < m·n, that is for r up to {math.ceil(m * n / (m + n)) - 1:,} here "
                     f"(m·n / (m + n) = {_short(m * n / (m + n))}).</p>"),
                Figure(fig, alt=alt, height=380, table=Table(["Rank r", "Energy kept"],
                                                             [[f"{r:,}", percent(e[r - 1])] for r in sample],
                                                             numeric=(0, 1)),
                       default_caption="The share of the matrix's squared Frobenius norm kept by its best rank-r "
                                       "approximation; dashed: what a matrix with equal singular values keeps."),
                table, Code(code, "The numpy behind these numbers")]


def _short(x: float) -> str:
    """A break-even rank as prose writes it: `192`, `307.2`."""
    return f"{x:,.1f}".rstrip("0").rstrip(".")
