"""Cosine similarity, dot product and Euclidean distance of word pairs, and the claims about them.

The three measures agree on direction but not on length: a dot product grows with the
lengths (norms) of both vectors, and a Euclidean distance grows with any difference in
length. Raw GloVe vectors differ in length, so the three can rank the same pairs
differently.
"""

from __future__ import annotations

import re

import numpy as np

from ...engine.checks import parse_comparison
from ...engine.pieces import Table
from ...errors import LexiconError
from ...render import fmt

METRICS = {
    # key: (name, higher score means closer?, the gensim/numpy expression)
    "cosine": ("cosine similarity", True, "kv.similarity({a!r}, {b!r})"),
    "dot": ("dot product", True, "float(np.dot(kv[{a!r}], kv[{b!r}]))"),
    "euclidean": ("Euclidean distance", False, "float(np.linalg.norm(kv[{a!r}] - kv[{b!r}]))"),
}
TITLES = {"cosine": "Cosine similarity", "dot": "Dot product", "euclidean": "Euclidean distance"}
DIGITS = 4
CLAIM = re.compile(r"^\s*(cosine|dot|euclidean|norm)\s*:\s*(.+?)\s*$")
NORM_CLAIM = re.compile(r"^\s*(\S+)\s*([<>])\s*(\S+)\s*$")
CLAIM_FIX = ("write a claim as 'cosine: ordered', 'dot: cat~dog < king~queen', "
             "'euclidean: cat~dog < king~queen' or 'norm: king > cat'")


def pair_label(pair) -> str:
    return f"{pair[0]} – {pair[1]}"


def measure(kv, a: str, b: str, unit: bool = False) -> dict:
    """Cosine, dot product and Euclidean distance of two words, and the length of each vector.

    With ``unit``, both vectors are first scaled to length 1 (as ``kv.get_vector(w, norm=True)``).
    """
    va, vb = kv[a].astype(np.float64), kv[b].astype(np.float64)
    if unit:
        va, vb = va / np.linalg.norm(va), vb / np.linalg.norm(vb)
    na, nb = float(np.linalg.norm(va)), float(np.linalg.norm(vb))
    return {"cosine": round(float(kv.similarity(a, b)), DIGITS), "dot": round(float(va @ vb), DIGITS),
            "euclidean": round(float(np.linalg.norm(va - vb)), DIGITS),
            "norms": [round(na, DIGITS), round(nb, DIGITS)]}


def norm(kv, w: str, unit: bool = False) -> float:
    return 1.0 if unit else round(float(np.linalg.norm(kv[w].astype(np.float64))), DIGITS)


def ends(metric: str) -> tuple[str, str]:
    """What the two ends of an order under the measure are called: a dot product is large or small,
    not close or far (it grows with the vectors' lengths, so the largest need not be the closest)."""
    return ("largest", "smallest") if metric == "dot" else ("closest", "farthest")


def end(metric: str, question: str) -> str:
    """The end the question asks for: closest or farthest (largest or smallest for a dot product)."""
    return ends(metric)[0 if question == "closest" else 1]


def the_pair(metric: str, question: str) -> str:
    """“the closest pair by cosine similarity”, “the pair with the largest dot product”."""
    word = end(metric, question)
    return f"the pair with the {word} dot product" if metric == "dot" else f"the {word} pair by {METRICS[metric][0]}"


def closeness_order(labels: list[str], values: list[float], metric: str) -> list[int]:
    """Indices from closest to farthest under ``metric``; ties keep the listed order."""
    higher = METRICS[metric][1]
    return sorted(range(len(labels)), key=lambda i: (-values[i] if higher else values[i], i))


def ranks(labels: list[str], values: list[float], metric: str) -> list[int]:
    """Each pair's rank under ``metric`` (1 = closest), in the listed order."""
    out = [0] * len(labels)
    for r, i in enumerate(closeness_order(labels, values, metric)):
        out[i] = r + 1
    return out


def parse_claim(text: str) -> dict:
    """``cosine: ordered``, ``dot: cat~dog < king~queen``, ``norm: king > cat``."""
    m = CLAIM.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    metric, rest = m.groups()
    if metric == "norm":
        n = NORM_CLAIM.match(rest)
        if not n or "~" in rest:
            raise LexiconError(f"cannot read the claim '{text}'", fix="write a norm claim as 'norm: king > cat'")
        return {"metric": "norm", "left": n.group(1), "op": n.group(2), "right": n.group(3)}
    if rest == "ordered":
        return {"metric": metric, "ordered": True}
    try:
        left, op, right = parse_comparison(rest)
    except LexiconError:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX) from None
    return {"metric": metric, "left": left, "op": op, "right": right}


def claim_words(text: str) -> list[str]:
    c = parse_claim(text)
    if c.get("ordered"):
        return []
    if c["metric"] == "norm":
        return [c["left"], c["right"]]
    return c["left"] + c["right"]


def claim_values(kv, text: str, unit: bool = False):
    """What a comparison claim needs from the model (computed with the block's result)."""
    c = parse_claim(text)
    if c.get("ordered"):
        return None
    if c["metric"] == "norm":
        return [norm(kv, c["left"], unit), norm(kv, c["right"], unit)]
    return [measure(kv, *c["left"], unit)[c["metric"]], measure(kv, *c["right"], unit)[c["metric"]]]


def measures_table(pairs, measures, metrics, lengths: bool = True) -> Table:
    headers = (["Pair"] + [TITLES[m] for m in metrics]
               + (["Length of 1st word", "Length of 2nd word"] if lengths else []))
    rows = [[pair_label(p)] + [fmt(ms[m]) for m in metrics]
            + ([fmt(ms["norms"][0]), fmt(ms["norms"][1])] if lengths else [])
            for p, ms in zip(pairs, measures)]
    return Table(headers, rows, numeric=tuple(range(1, len(headers))))


def find_pair(pairs, a: str, b: str) -> int:
    """The index of the listed pair ``a``–``b`` (either order), for values quoted in prose."""
    for i, p in enumerate(pairs):
        if sorted(p) == sorted([a, b]):
            return i
    raise LexiconError(f"the pair {a}–{b} is not listed in the block",
                       fix="name a pair listed under 'pairs': " + ", ".join(f"{x}, {y}" for x, y in pairs))


def metric_key(metric: str) -> str:
    if metric not in METRICS:
        raise LexiconError(f"'{metric}' is not a measure", fix="write cosine, dot or euclidean")
    return metric


def word_length(pairs, measures, word: str) -> float:
    """A word's vector length as the block's table shows it."""
    for p, ms in zip(pairs, measures):
        if word in p:
            return ms["norms"][p.index(word)]
    raise LexiconError(f"'{word}' is not one of the block's words",
                       fix="name a word of the pairs listed under 'pairs'")


METRICS_DOC = "`cosine`, `dot` or `euclidean`"
