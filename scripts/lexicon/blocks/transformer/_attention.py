"""One step of scaled dot-product self-attention over a sentence's static word vectors.

There are no learned weights: the queries, keys and values are the model's own word vectors
(Q = K = V = X), so the kinds show the *arithmetic* of attention, softmax(QKᵀ/√d)·V, not what
a trained transformer computes. The attention block, its exercise and the toy contextual
vector all compute with these functions, and show one word's row with :func:`row_figure`.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ... import figures
from ...engine.pieces import Figure, Table
from ...render import fmt
from ._tokens import token_labels

WEIGHT_DIGITS = 4

NO_WEIGHTS_NOTE = ("No learned weights: the queries, keys and values are the words' own GloVe vectors "
                   "(Q = K = V). This shows the arithmetic of attention, not what a trained transformer "
                   "such as BERT or GPT computes.")


# --- the arithmetic -------------------------------------------------------------------------

def attention_weights(x: np.ndarray, *, scale: bool = True, causal: bool = False) -> np.ndarray:
    """softmax(X Xᵀ / √d) row by row, in float64; ``causal`` hides later positions (GPT-style)."""
    x = np.asarray(x, dtype=np.float64)
    scores = x @ x.T / (np.sqrt(x.shape[1]) if scale else 1.0)
    if causal:
        scores = np.where(np.triu(np.ones_like(scores, dtype=bool), k=1), -np.inf, scores)
    w = np.exp(scores - scores.max(axis=1, keepdims=True))
    return w / w.sum(axis=1, keepdims=True)


def top_other(weights: np.ndarray, i: int, causal: bool) -> int | None:
    """The position (not ``i`` itself) with the largest weight in row ``i``; ties go to the earlier one."""
    allowed = [j for j in range(weights.shape[0]) if j != i and (not causal or j < i)]
    if not allowed:
        return None
    return max(allowed, key=lambda j: (weights[i, j], -j))


def self_attention(kv, tokens: list[str], *, scale: bool = True, causal: bool = False) -> dict:
    """Weights of one self-attention step over the tokens, and what each row gives most weight to."""
    x = np.stack([kv[t] for t in tokens]).astype(np.float64)
    w = attention_weights(x, scale=scale, causal=causal)
    n = len(tokens)
    return {
        "tokens": tokens,
        "dims": int(x.shape[1]),
        "weights": np.round(w, WEIGHT_DIGITS).tolist(),
        # Ties matter: a repeated word has the same vector, so it scores exactly like the word itself.
        "self_is_top": [bool(w[i, i] >= w[i].max() - 1e-12) for i in range(n)],
        "top_other": [top_other(w, i, causal) for i in range(n)],
    }


def attention_output(kv, tokens: list[str], *, scale: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(weights, outputs): the outputs are the weighted averages of the vectors, weights · V."""
    x = np.stack([kv[t] for t in tokens]).astype(np.float64)
    w = attention_weights(x, scale=scale)
    return w, w @ x


# --- showing it -----------------------------------------------------------------------------

def numpy_code(sentence: str, *, scale: bool = True, causal: bool = False) -> str:
    """The exact numpy calls behind the weights (``kv`` is the model, loaded as on the model card)."""
    lines = ["import numpy as np", "from gensim.utils import simple_preprocess", "",
             f"tokens = simple_preprocess({sentence!r})",
             "X = np.stack([kv[t] for t in tokens]).astype(np.float64)  # Q = K = V = X",
             "scores = X @ X.T" + (" / np.sqrt(X.shape[1])  # scaled by √d" if scale else "  # not scaled")]
    if causal:
        lines.append("scores[np.triu_indices(len(tokens), k=1)] = -np.inf  # hide later words")
    lines += ["weights = np.exp(scores - scores.max(axis=1, keepdims=True))",
              "weights /= weights.sum(axis=1, keepdims=True)  # softmax: each row sums to 1",
              "output = weights @ X  # each word's new vector: a weighted average"]
    return "\n".join(lines) + "\n"


def weights_heatmap(labels: list[str], weights: list[list[float]], title: str) -> go.Figure:
    fig = go.Figure(go.Heatmap(
        z=weights, x=labels, y=labels, zmin=0, colorscale="Blues",
        texttemplate="%{z:.2f}", colorbar=dict(title=dict(text="weight"), thickness=12),
        hovertemplate="%{y} → %{x}: %{z:.4f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, title=dict(text=title, font=dict(size=14)),
                      xaxis=dict(title=dict(text="attends to (key)", standoff=6), automargin=True,
                                 side="bottom", tickangle=-45),
                      yaxis=dict(title=dict(text="word (query)", standoff=6), autorange="reversed",
                                 automargin=True))
    return fig


def row_bars(labels: list[str], row: list[float], own: int, top: int | None, title: str) -> go.Figure:
    """One word's attention row, in sentence order: its own place grey, the top other word orange."""
    colours = [figures.PALETTE[7] if j == own else figures.PALETTE[1] if j == top else figures.PALETTE[0]
               for j in range(len(labels))]
    fig = go.Figure(go.Bar(
        x=row, y=labels, orientation="h", marker_color=colours,
        text=[f"{v:.3f}" for v in row], textposition="auto",
        hovertemplate="%{y}: %{x:.4f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, title=dict(text=title, font=dict(size=14)),
                      yaxis=dict(autorange="reversed", automargin=True),
                      xaxis=dict(title=dict(text="attention weight", standoff=6), automargin=True,
                                 range=[0, round(max(row) * 1.1, 3) if max(row) > 0 else 1]))
    return fig


def row_figure(result: dict, i: int, causal: bool, anchor: str, caption: str | None = None) -> Figure:
    """What one word attends to: its row of weights as bars, with the numbers in a table."""
    tokens, w = result["tokens"], result["weights"]
    labels = token_labels(tokens)
    top = result["top_other"][i]
    shown = [j for j in range(len(tokens)) if not causal or j <= i]
    row = [w[i][j] for j in shown]
    rows = [[labels[j], fmt(w[i][j]),
             "itself" if j == i else ("most weight of the other words" if j == top else "")] for j in shown]
    return Figure(
        lambda: row_bars([labels[j] for j in shown], row, shown.index(i),
                         shown.index(top) if top is not None else None,
                         title=f"Attention weights of “{labels[i]}”"),
        alt=(f"Bar chart of the attention weights of “{labels[i]}” over the sentence: "
             + ", ".join(f"{labels[j]} {w[i][j]:.2f}" for j in shown) + "."),
        caption=caption,
        default_caption=(f"What “{labels[i]}” attends to: its weights sum to 1. Grey is the word itself; orange, "
                         "the other word with the most weight."),
        height=80 + 30 * len(shown), anchor=anchor,
        table=Table(["Word", "Weight", ""], rows, numeric=(1,)))
