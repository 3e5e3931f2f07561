"""Four ways to turn the transformer's last-layer token vectors into one sentence vector, and what they share.

The kinds ``pooling`` and ``pooling-exercise`` both run :func:`pool` and :func:`scores`.
"""

from __future__ import annotations

import numpy as np

from ... import minilm
from ...errors import LexiconError

POOLS = ("mean", "content", "cls", "max")
LABELS = {"mean": "Mean of all tokens", "content": "Mean without [CLS] and [SEP]",
          "cls": "[CLS] vector", "max": "Max pooling"}
PHRASE = {"mean": "the mean of all tokens", "content": "the mean without [CLS] and [SEP]",
          "cls": "the [CLS] vector", "max": "max pooling"}
GROUPS = ("similar", "related", "unrelated")
PAIR = {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "string", "minLength": 1, "maxLength": 300}}
PAIRS = {"type": "array", "minItems": 1, "maxItems": 8, "items": PAIR}
METHOD = ("Each sentence is run through all-MiniLM-L6-v2; its last layer gives one vector per WordPiece token, "
          "[CLS] and [SEP] included. Mean of all tokens: the model's own pooling (sentence-transformers' output). "
          "Mean without [CLS] and [SEP]: the same over the sentence's own tokens. [CLS] vector: the first "
          "token's. Max pooling: the largest value of each dimension over all tokens. Each is normalised and "
          "compared by cosine.")


def pool_name(name) -> str:
    if str(name).strip() not in POOLS:
        raise LexiconError(f"'{name}' names no pooling", fix="name mean, content (the mean without [CLS] and "
                                                             "[SEP]), cls or max")
    return str(name).strip()


def pool(texts: list[str]) -> dict:
    """Each text's vector under every pooling (unit length, float64), the model's own embeddings, and
    how far each text's embedding moves when it is encoded alone rather than with the others."""
    enc = minilm.encode(texts)
    vectors = {p: [] for p in POOLS}
    for text, toks, states in zip(texts, enc.tokens, enc.hidden_states):
        h = states[-1].astype(np.float64)          # the last layer, [T, 384]: [CLS] … [SEP]
        if len(toks) < 3:
            raise LexiconError(f"the text \u201c{text}\u201d has no token between [CLS] and [SEP]",
                               fix="write a sentence with at least one word")
        for p, v in (("mean", h.mean(0)), ("content", h[1:-1].mean(0)), ("cls", h[0]), ("max", h.max(0))):
            vectors[p].append(v / np.linalg.norm(v))
    vectors = {p: np.stack(v) for p, v in vectors.items()}
    own = enc.embeddings.astype(np.float64)
    alone = np.concatenate([minilm.encode([t], details=False).embeddings for t in texts]).astype(np.float64)
    return {"vectors": vectors, "tokens": enc.tokens, "embeddings": own,
            "own": float(np.abs(vectors["mean"] - own).max()),
            "batch": float(np.abs(alone - own).max()),
            "batch_cosine": float(min(float(a @ b) / (np.linalg.norm(a) * np.linalg.norm(b))
                                      for a, b in zip(alone, own)))}


def scores(groups: dict) -> dict:
    """``groups``: name -> list of [a, b] pairs. Per pooling and group, each pair's cosine (6 decimals)."""
    names = [g for g in GROUPS if groups.get(g)]
    flat = [s for g in names for pair in groups[g] for s in pair]
    done = pool(flat)
    v, out, k = done["vectors"], {}, 0
    for g in names:
        n = len(groups[g])
        out[g] = {p: [round(float(v[p][k + 2 * i] @ v[p][k + 2 * i + 1]), 6) for i in range(n)] for p in POOLS}
        k += 2 * n
    return {"cosines": out, "tokens": done["tokens"], "own": done["own"], "batch": done["batch"],
            "batch_cosine": done["batch_cosine"]}


def gap(cosines: dict, p: str) -> float:
    return float(np.mean(cosines["similar"][p]) - np.mean(cosines["unrelated"][p]))


def ordered(cosines: dict, p: str) -> tuple[float, int]:
    """How many (similar, unrelated) combinations have the similar pair scoring higher (a tie counts a half),
    and how many there are: their ratio is the AUC of the cosine as a paraphrase detector."""
    sim, unr = cosines["similar"][p], cosines["unrelated"][p]
    won = sum(1.0 if s > u else 0.5 if s == u else 0.0 for s in sim for u in unr)
    return won, len(sim) * len(unr)
