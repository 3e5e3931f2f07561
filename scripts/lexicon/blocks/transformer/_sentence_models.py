"""Sentence vectors from both of the site's models: the transformer's and the mean of GloVe vectors."""

from __future__ import annotations

import numpy as np

from ... import minilm
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
