"""Projecting words onto a direction defined by word pairs.

The direction is the average of the pairs' differences of unit vectors, e.g.
(he − she + man − woman + …) / n, scaled to length 1. A word's *projection* is the
cosine similarity of its vector with that direction: positive leans towards the
first word of each pair, negative towards the second.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from ... import figures
from ...engine import Value, opt
from ...errors import LexiconError
from ...render import fmt

SCORE_DIGITS = 4
STATEMENT = re.compile(r"^\s*(\S+)\s*([<>])\s*(\S+)\s*$")


def pairs_option(doc: str = "The pairs that define the direction, e.g. `[he, she]`; the first word of each "
                            "pair is the positive end.") -> opt.Option:
    return replace(opt.pairs(doc, max=12, required=True), type_doc="1–12 pairs `[word, word]`")


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    n = np.linalg.norm(v)
    return v / n if n else v


def direction_vector(kv, pairs: list[list[str]]) -> np.ndarray:
    """Unit vector of the mean of unit(a) − unit(b) over the pairs."""
    return _unit(np.mean([_unit(kv[a]) - _unit(kv[b]) for a, b in pairs], axis=0))


def projections(kv, pairs: list[list[str]], words: list[str]) -> dict:
    """Each word's cosine with the direction, and how well each pair agrees with the average."""
    d = direction_vector(kv, pairs)
    scores = [round(float(_unit(kv[w]) @ d), SCORE_DIGITS) for w in words]
    agreement = [round(float(_unit(_unit(kv[a]) - _unit(kv[b])) @ d), SCORE_DIGITS) for a, b in pairs]
    return {"scores": scores, "pair_agreement": agreement}


def parse_statement(text: str, words: list[str]) -> tuple[str, str, str]:
    """``nurse < 0``, ``captain > 0`` or ``captain > nurse`` (words of the block only)."""
    m = STATEMENT.match(str(text))
    if not m:
        raise LexiconError(f"cannot read the statement '{text}'",
                           fix="write 'nurse < 0' (leans to the second word of the pairs), "
                               "'captain > 0', or 'captain > nurse'")
    left, op, right = m.groups()
    for w in (left, right):
        if w != "0" and w not in words:
            raise LexiconError(f"the statement '{text}' uses '{w}', which is not one of the words",
                               fix=f"compare words listed under 'words' (or 0): {', '.join(words)}")
    if left == "0":
        raise LexiconError(f"the statement '{text}' starts with 0",
                           fix="put the word first: 'nurse < 0'")
    return left, op, right


def signed(score: float) -> str:
    """``+0.25``, ``−0.07``, or ``0.00`` when the score rounds to zero (never ``-0.00``)."""
    text = f"{score:+.2f}"
    return "0.00" if text in ("+0.00", "-0.00") else text.replace("-", "−")


def describe(score: float, ends) -> str:
    if signed(score) == "0.00":
        return f"{score:.4f} (almost exactly in the middle)".replace("-", "−")
    side = ends[0] if score > 0 else ends[1]
    return f"{signed(score)} (towards {side})"


def sorted_words(words, scores):
    """Highest projection first; ties broken by word so the order is stable."""
    return sorted(zip(words, scores), key=lambda t: (-t[1], t[0]))


def projection_of(words, scores, word: str) -> Value:
    """A word's projection as the block's table shows it (a value for prose)."""
    if word not in words:
        raise LexiconError(f"'{word}' is not one of the block's words",
                           fix=f"name one of the words listed under 'words': {', '.join(words)}")
    s = scores[words.index(word)]
    return Value(fmt(s), s)


def projection_figure(words, scores, ends, title, highlight=None):
    import plotly.graph_objects as go

    order = sorted_words(words, scores)
    colours = [figures.PALETTE[1] if w == highlight else
               (figures.PALETTE[0] if s > 0 else figures.PALETTE[5]) for w, s in order]
    lim = max(0.05, max(abs(s) for _, s in order)) * 1.15
    fig = go.Figure(go.Bar(
        x=[s for _, s in order], y=[w for w, _ in order], orientation="h", marker_color=colours,
        text=[signed(s) for _, s in order], textposition="auto",
        hovertemplate="%{y}: %{x:.4f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, title=dict(text=title, font=dict(size=14)),
                      yaxis=dict(autorange="reversed", automargin=True, fixedrange=True),
                      xaxis=dict(title=dict(text=f"← towards “{ends[1]}”     towards “{ends[0]}” →", standoff=6),
                                 automargin=True, range=[-lim, lim], zeroline=True, zerolinewidth=2,
                                 fixedrange=True))
    return fig
