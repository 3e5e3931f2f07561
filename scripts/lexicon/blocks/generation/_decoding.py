"""Decoding and sampling from the n-gram model: greedy, beam search, and the reshaped distributions.

A continuation is scored by its log-probability, the sum of ln P(token | history) over the tokens it adds
(natural logarithms). Decoding stops after ``steps`` tokens or at ``</s>``, whichever comes first.

- **Greedy** takes the most probable next token at every step (equal probabilities: alphabetical).
- **Beam search** with width B keeps the B best partial continuations by log-probability at every step,
  extends each by every token, and keeps the B best again; a continuation that reaches ``</s>`` is set
  aside finished. The answer is the best finished or full-length one. It is not guaranteed to score at
  least as high as greedy in general (the greedy path can fall out of the beam): the kinds report it.
- **Temperature** T divides the log-probabilities by T before renormalising (T < 1 sharpens, T > 1
  flattens); **top-k** keeps the k most probable tokens; **top-p** (nucleus) keeps the fewest most
  probable tokens whose probabilities sum to at least p. Both renormalise what they keep.
"""

from __future__ import annotations

import math

import numpy as np

from ._ngram import EOS, NGramModel, ranked

EPS = 1e-12   # cumulative sums are compared with this slack, so that 0.1 + 0.2 reaches 0.3


def greedy(m: NGramModel, context: list[str], steps: int) -> dict:
    seq, logp, probs = list(context), 0.0, []
    for _ in range(steps):
        p = m.distribution(seq)
        i = int(ranked(p, m.vocab)[0])
        probs.append(float(p[i]))
        logp += math.log(p[i])
        seq.append(m.vocab[i])
        if m.vocab[i] == EOS:
            break
    return {"tokens": seq[len(context):], "logp": logp, "probs": probs}


def beam(m: NGramModel, context: list[str], steps: int, width: int) -> dict:
    live = [(0.0, [])]
    done: list[tuple[float, list[str]]] = []
    for _ in range(steps):
        candidates = []
        for score, toks in live:
            p = m.distribution(list(context) + toks)
            for i in ranked(p, m.vocab)[:width]:     # no more than `width` extensions of one beam can survive
                if p[i] > 0:
                    candidates.append((score + math.log(p[i]), toks + [m.vocab[i]]))
        candidates.sort(key=lambda c: (-c[0], c[1]))
        live = []
        for score, toks in candidates[:width]:
            (done if toks[-1] == EOS else live).append((score, toks))
        if not live:
            break
    best = sorted(done + live, key=lambda c: (-c[0], c[1]))[0]
    return {"tokens": best[1], "logp": best[0], "width": width}


def beams(m: NGramModel, context: list[str], steps: int, width: int) -> list[list[tuple[float, list[str]]]]:
    """What beam search of width ``width`` keeps after each step, best first, finished continuations included
    (as in :func:`beam`, a finished one keeps its slot at the step where it finishes)."""
    live: list[tuple[float, list[str]]] = [(0.0, [])]
    out = []
    for _ in range(steps):
        candidates = []
        for score, toks in live:
            p = m.distribution(list(context) + toks)
            for i in ranked(p, m.vocab)[:width]:
                if p[i] > 0:
                    candidates.append((score + math.log(p[i]), toks + [m.vocab[i]]))
        candidates.sort(key=lambda c: (-c[0], c[1]))
        kept = candidates[:width]
        out.append(kept)
        live = [c for c in kept if c[1][-1] != EOS]
        if not live:
            break
    return out


def loop(tokens: list[str], order: int) -> dict | None:
    """Where a deterministic decoder starts repeating itself: the first time the last ``order - 1`` tokens
    (its whole state) recur, everything after repeats. None when no state recurs (or for a unigram)."""
    k = max(order - 1, 1)
    seen: dict = {}
    for i in range(k, len(tokens) + 1):
        state = tuple(tokens[i - k:i])
        if state in seen:
            return {"start": seen[state], "period": i - seen[state], "phrase": tokens[seen[state]:i]}
        seen[state] = i
    return None


def reshape(p: np.ndarray, vocab: list[str], method: str, setting: float) -> tuple[np.ndarray, int, float]:
    """(the reshaped distribution, how many tokens keep a probability, the original mass they held)."""
    if method == "temperature":
        logp = np.where(p > 0, np.log(np.where(p > 0, p, 1.0)), -np.inf) / setting
        q = np.exp(logp - logp.max())
        q = q / q.sum()
        return q, int((q > 0).sum()), float(p[q > 0].sum())
    order = ranked(p, vocab)
    if method == "top-k":
        keep = order[:int(setting)]
    else:   # top-p: the shortest prefix whose mass reaches p
        cum = np.cumsum(p[order])
        keep = order[:int(np.searchsorted(cum, setting - EPS)) + 1]
    q = np.zeros_like(p)
    q[keep] = p[keep]
    mass = float(q.sum())
    return q / mass, len(keep), mass


def sample(m: NGramModel, context: list[str], steps: int, method: str, setting: float, rng) -> list[str]:
    seq = list(context)
    for _ in range(steps):
        q, _, _ = reshape(m.distribution(seq), m.vocab, method, setting)
        i = int(rng.choice(len(q), p=q))
        seq.append(m.vocab[i])
        if m.vocab[i] == EOS:
            break
    return seq[len(context):]
