"""Sentence vectors from both of the site's models: the transformer's and the mean of GloVe vectors."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ... import figures, minilm
from ._sentence_vectors import cosines, mean_vectors, sentence_words

MODELS = ("minilm", "glove")
NAMES = {"minilm": "all-MiniLM-L6-v2", "glove": "the mean of GloVe vectors"}
METHOD = ("all-MiniLM-L6-v2's sentence embedding (the mean of its last layer over the tokens, normalised), "
          "against the mean of the GloVe vectors of the sentence's words (gensim's simple_preprocess: "
          "lower-cased; one-letter words, digits and punctuation dropped).")


def glove_tokens(texts: list[str], what: str = "text") -> list[list[str]]:
    return [sentence_words(t, False, f"{what} {k}") for k, t in enumerate(texts, 1)]


def cosine_matrices(kv, texts: list[str]) -> dict:
    """Cosine between every two texts under each model, rounded as the tables show them."""
    e = minilm.encode(texts, details=False).embeddings.astype(np.float64)
    m = mean_vectors(kv, glove_tokens(texts))
    return {"minilm": cosines(e).tolist(), "glove": cosines(m).tolist()}


def query_bars(result, n: int) -> go.Figure:
    """Each document's cosine with the query under both models, as grouped bars."""
    fig = go.Figure()
    labels = [f"doc {k + 1}" for k in range(n)]
    for m, colour in (("minilm", figures.PALETTE[0]), ("glove", figures.PALETTE[1])):
        fig.add_trace(go.Bar(x=labels, y=result[m], name=NAMES[m], marker_color=colour,
                             hovertemplate=f"{NAMES[m]}, %{{x}}: %{{y:.4f}}<extra></extra>"))
    fig.update_layout(**figures.LEGEND_ON_TOP, barmode="group",
                      yaxis=dict(title=dict(text="cosine with the query"), automargin=True))
    return fig
