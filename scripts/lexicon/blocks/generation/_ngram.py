"""The n-gram language model every generation kind shares, trained on gensim's Lee corpus.

Training text: ``lee_background.cor`` (300 ABC news stories, Lee, Pincombe and Welsh 2005); held out:
``lee.cor`` (50 other stories). Each line is one story, tokenised with gensim's ``simple_preprocess``
(lower case, letters only, 2–15 characters; punctuation and numbers are dropped). A story is read as
``<s> <s> w1 … wn </s>``: two start symbols give every word a trigram history, and ``</s>`` is a
token the model predicts, so it knows where stories end.

The vocabulary is every training word that occurs at least ``MIN_COUNT`` times, plus ``<unk>`` (every
rarer or unseen word is mapped to it, in training and in held-out text) and ``</s>``. ``<s>`` is only
ever a history, never predicted. Smoothing (Jurafsky and Martin, *Speech and Language Processing*,
3rd ed. draft, chapter 3):

- ``none``: maximum likelihood, P(w | h) = c(h, w) / c(h). An n-gram never seen in training gets 0,
  so held-out perplexity is infinite.
- ``add-k``: P(w | h) = (c(h, w) + k) / (c(h) + k·|V|); k = 1 is Laplace smoothing.
- ``interpolated`` (the default): a weighted sum of the maximum-likelihood trigram, bigram and unigram
  estimates. The weights are chosen on a development split of the training stories (:func:`weights`),
  never on the held-out file; an order whose history never occurred in training is left out and the
  other weights are scaled up to sum to 1.
  The unigram estimate is never 0 (every vocabulary entry occurs in training), so neither is the sum.

Every one of these is a proper distribution over the vocabulary: for each history the probabilities of
all |V| tokens sum to 1, which perplexity needs.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import Counter

import numpy as np

from ...engine import opt
from ...engine.deps import DataFile
from ...errors import LexiconError

TRAIN, HELD_OUT = "lee_background.cor", "lee.cor"
BOS, EOS, UNK = "<s>", "</s>", "<unk>"
MIN_COUNT = 2
MAX_ORDER = 3
DEV_STORIES = 30              # the last training stories, held back to choose the interpolation weights
SMOOTHINGS = ("interpolated", "add-k", "none")
NOTE = ("Computed at build time: an n-gram language model counted from gensim\u2019s Lee corpus "
        f"({TRAIN} for training, {HELD_OUT} held out); no embedding model.")


def _datapath(name: str) -> str:
    from gensim.test.utils import datapath

    return datapath(name)


LEE_TRAIN = DataFile(lambda: _datapath(TRAIN))
LEE_HELD_OUT = DataFile(lambda: _datapath(HELD_OUT))

MODEL_OPTIONS = dict(
    order=opt.integer("The model's order n: 1 (unigram), 2 (bigram) or 3 (trigram): how many tokens it sees, "
                      "counting the one it predicts.", default=3, min=1, max=MAX_ORDER),
    smoothing=opt.choice("How unseen n-grams get probability: `interpolated` (the trigram, bigram and unigram "
                         "estimates mixed, with weights chosen on a development split of the training stories), "
                         "`add-k`, or `none` (maximum likelihood).", list(SMOOTHINGS), default="interpolated"),
    k=opt.number("The k of add-k smoothing (1 is Laplace smoothing); only with `smoothing: add-k`.",
                 default=1.0, above=0, max=10),
)


def _read(name: str, path: str) -> tuple[tuple[str, ...], ...]:
    from gensim.utils import simple_preprocess

    # lee.cor holds one byte that is not UTF-8 (a pound sign, 0xa3): read as Latin-1, which every byte is.
    with open(path, encoding="latin-1") as f:
        return tuple(tuple(simple_preprocess(line)) for line in f if line.strip())


@functools.lru_cache(maxsize=1)
def training_stories() -> tuple[tuple[str, ...], ...]:
    return _read(TRAIN, LEE_TRAIN.path)


@functools.lru_cache(maxsize=1)
def held_out_stories() -> tuple[tuple[str, ...], ...]:
    return _read(HELD_OUT, LEE_HELD_OUT.path)


def padded(words, vocab_index) -> list[str]:
    """``<s> <s>`` + the words (rare or unknown ones as ``<unk>``) + ``</s>``."""
    return [BOS, BOS] + [w if w in vocab_index else UNK for w in words] + [EOS]


class Counts:
    """The training corpus counted once: vocabulary, n-gram and history counts for n = 1 … 3."""

    def __init__(self, stories):
        raw = Counter(w for s in stories for w in s)
        self.vocab = sorted([w for w, c in raw.items() if c >= MIN_COUNT] + [UNK, EOS])
        self.index = {w: i for i, w in enumerate(self.vocab)}
        self.grams: list[Counter] = [Counter() for _ in range(MAX_ORDER + 1)]      # grams[n][n-gram tuple]
        self.histories: list[Counter] = [Counter() for _ in range(MAX_ORDER + 1)]
        self.followers: list[dict] = [dict() for _ in range(MAX_ORDER + 1)]        # [n][history] -> {index: count}
        for story in stories:
            seq = padded(story, self.index)
            for i in range(2, len(seq)):
                w = self.index[seq[i]]
                for n in range(1, MAX_ORDER + 1):
                    h = tuple(seq[i - n + 1:i])
                    self.grams[n][h + (seq[i],)] += 1
                    self.histories[n][h] += 1
                    row = self.followers[n].setdefault(h, {})
                    row[w] = row.get(w, 0) + 1


@functools.lru_cache(maxsize=2)
def counts(dev: bool = False) -> Counts:
    """All training stories counted, or (``dev``) all but the last ``DEV_STORIES``, which tune the weights."""
    stories = training_stories()
    return Counts(stories[:-DEV_STORIES] if dev else stories)


@functools.lru_cache(maxsize=MAX_ORDER)
def weights(order: int) -> tuple[float, ...]:
    """The interpolation weights (unigram first) of an order: of every grid point (steps of 0.1, each weight at
    least 0.1), the one with the lowest perplexity on the last ``DEV_STORIES`` training stories, counted from
    the others. The held-out stories never choose anything."""
    if order == 1:
        return (1.0,)
    grid = [w for w in itertools.product(range(1, 10), repeat=order) if sum(w) == 10]
    dev = training_stories()[-DEV_STORIES:]

    def score(w):
        m = NGramModel(order, "interpolated", 0.0, tuple(x / 10 for x in w), dev=True)
        return evaluate(m, dev, "dev")["nll"]

    return tuple(x / 10 for x in min(grid, key=lambda w: (score(w), w)))


class NGramModel:
    """Smoothed probabilities read from the counts (see the module docstring)."""

    def __init__(self, order: int, smoothing: str, k: float, lambdas: tuple | None = None, dev: bool = False):
        if smoothing != "add-k":
            k = 0.0
        self.order, self.smoothing, self.k = order, smoothing, k
        self.lambdas = (lambdas or weights(order)) if smoothing == "interpolated" else ()
        self.dev = dev
        c = counts(dev)
        self.vocab, self.index, self.counts, self.histories = c.vocab, c.index, c.grams, c.histories
        self._followers = c.followers
        self.tokens = sum(self.counts[1].values())   # training tokens predicted: words and </s>

    @property
    def size(self) -> int:
        return len(self.vocab)

    def _estimate(self, n: int, history: tuple) -> np.ndarray | None:
        """One order's estimate over the vocabulary, or None when the history never occurred (ML only)."""
        h = tuple(history[len(history) - n + 1:]) if n > 1 else ()
        total = self.histories[n].get(h, 0)
        row = np.zeros(self.size)
        follow = self._followers[n].get(h)
        if follow:
            row[np.fromiter(follow.keys(), int, len(follow))] = np.fromiter(follow.values(), float, len(follow))
        if self.smoothing == "add-k":
            return (row + self.k) / (total + self.k * self.size)
        return row / total if total else None

    def distribution(self, history) -> np.ndarray:
        """P(· | history) over ``vocab``: sums to 1. ``history`` is the padded token list before the token."""
        history = tuple(history[-(MAX_ORDER - 1):])
        if self.smoothing != "interpolated":
            p = self._estimate(self.order, history)
            return p if p is not None else np.zeros(self.size)   # ML with an unseen history: nothing known
        parts = [(self.lambdas[n - 1], self._estimate(n, history)) for n in range(1, self.order + 1)]
        parts = [(lam, p) for lam, p in parts if p is not None]
        weight = sum(lam for lam, _ in parts)
        return sum(lam / weight * p for lam, p in parts)

    def prob(self, history, word: str) -> float:
        """P(word | history): the entry of :meth:`distribution`, computed from the counts alone."""
        history = tuple(history[-(MAX_ORDER - 1):])
        w = word if word in self.index else UNK

        def ml(n):
            h = tuple(history[len(history) - n + 1:]) if n > 1 else ()
            total = self.histories[n].get(h, 0)
            if self.smoothing == "add-k":
                return (self.counts[n].get(h + (w,), 0) + self.k) / (total + self.k * self.size)
            return self.counts[n].get(h + (w,), 0) / total if total else None

        if self.smoothing != "interpolated":
            p = ml(self.order)
            return 0.0 if p is None else p
        parts = [(self.lambdas[n - 1], ml(n)) for n in range(1, self.order + 1)]
        parts = [(lam, p) for lam, p in parts if p is not None]
        weight = sum(lam for lam, _ in parts)
        return sum(lam / weight * p for lam, p in parts)

    def seen(self, history, word: str, n: int) -> bool:
        """Did the n-gram ending in ``word`` after ``history`` occur in training?"""
        h = tuple(history[len(history) - n + 1:]) if n > 1 else ()
        return self.counts[n].get(h + (word,), 0) > 0


@functools.lru_cache(maxsize=8)
def model(order: int = 3, smoothing: str = "interpolated", k: float = 1.0) -> NGramModel:
    """The model, counted once per process for each setting (milliseconds: the corpus is small)."""
    return NGramModel(order, smoothing, float(k))


def ceiling(m: NGramModel) -> float:
    """The most probability the interpolated model can give any token after any context: at least the unigram
    weight λ1 of every distribution is the context-free unigram estimate (more when a history is unseen and the
    other weights are left out), so no token gets more than (1 − λ1) + λ1 · max P_unigram."""
    if m.smoothing != "interpolated" or m.order == 1:
        return 1.0
    lam = m.lambdas[0]
    return (1 - lam) + lam * max(m.counts[1].values()) / m.tokens


def of(spec) -> NGramModel:
    return model(spec.order, spec.smoothing, spec.k if spec.smoothing == "add-k" else 1.0)


def describe(spec) -> str:
    names = {1: "unigram", 2: "bigram", 3: "trigram"}
    smooth = {"interpolated": "interpolated", "add-k": f"add-{spec.k:g}", "none": "unsmoothed"}[spec.smoothing]
    if spec.order == 1 and spec.smoothing != "add-k":
        return names[1]             # a unigram has nothing to interpolate with, and is never unseen
    return f"{smooth} {names[spec.order]}"


def context_tokens(text: str, m: NGramModel, what: str = "the context") -> list[str]:
    """A prompt as the model reads it: ``<s> <s>`` and its simple_preprocess tokens, each in the vocabulary."""
    from gensim.utils import simple_preprocess

    words = simple_preprocess(text)
    missing = [w for w in words if w not in m.index]
    if missing:
        raise LexiconError(f"{what} has the word '{missing[0]}', which occurs fewer than {MIN_COUNT} times in the "
                           f"training corpus ({TRAIN}), so the model only knows it as <unk>",
                           fix="use words this news corpus uses, e.g. 'the prime minister', 'the police said', "
                               "'australian troops'")
    return [BOS, BOS] + words


def ranked(p: np.ndarray, vocab: list[str]) -> np.ndarray:
    """Indices by probability, highest first; equal probabilities in the vocabulary's (alphabetical) order."""
    return np.lexsort((np.arange(len(vocab)), -p))


def entropy_bits(p: np.ndarray) -> float:
    q = p[p > 0]
    return max(0.0, float(-(q * np.log2(q)).sum()))   # one token kept: 0 bits, never "−0"


def _columns(c: Counts, stories) -> tuple[np.ndarray, np.ndarray, int, int]:
    """For every token of the stories (each word and each </s>) and n = 1 … 3: the training count of its
    n-gram and of its history, as arrays [3, tokens]; with the numbers of words and of unknown words."""
    grams, hists, words, oov = [[], [], []], [[], [], []], 0, 0
    for story in stories:
        seq = padded(story, c.index)
        words += len(story)
        oov += sum(1 for w in story if w not in c.index)
        for i in range(2, len(seq)):
            for n in range(1, MAX_ORDER + 1):
                h = tuple(seq[i - n + 1:i])
                grams[n - 1].append(c.grams[n].get(h + (seq[i],), 0))
                hists[n - 1].append(c.histories[n].get(h, 0))
    return np.array(grams, dtype=float), np.array(hists, dtype=float), words, oov


@functools.lru_cache(maxsize=4)
def _columns_of(dev: bool, which: str):
    stories = {"training": training_stories(), "held_out": held_out_stories(),
               "dev": training_stories()[-DEV_STORIES:]}[which]
    return _columns(counts(dev), stories)


def token_probs(m: NGramModel, grams: np.ndarray, hists: np.ndarray) -> np.ndarray:
    """P(token | history) for every column, as :meth:`NGramModel.prob` gives it, computed for all at once."""
    n = m.order
    if m.smoothing == "add-k":
        return (grams[n - 1] + m.k) / (hists[n - 1] + m.k * m.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        ml = np.where(hists > 0, grams / np.where(hists > 0, hists, 1), 0.0)
    if m.smoothing == "none":
        return ml[n - 1]
    lam = np.array(m.lambdas)[:, None] * (hists[:n] > 0)     # an unseen history's order is left out
    return (lam * ml[:n]).sum(0) / lam.sum(0)


def evaluate(m: NGramModel, stories, which: str | None = None) -> dict:
    """Perplexity over whole stories (every word and each </s>), with the share of unseen n-grams.
    ``which`` ("training", "held_out", "dev") names the stories, so their counts are read once per process."""
    if which is None:
        grams, hists, words, oov = _columns(counts(m.dev), stories)
    else:
        grams, hists, words, oov = _columns_of(m.dev, which)
    p = token_probs(m, grams, hists)
    zeros = int((p <= 0).sum())
    nll = float(-np.log(p[p > 0]).sum() / p.size)
    return {"tokens": int(p.size), "words": words, "oov": oov, "unseen": int((grams[m.order - 1] == 0).sum()),
            "unseen_history": int((hists[m.order - 1] == 0).sum()),
            "zeros": zeros, "nll": round(nll, 6), "perplexity": None if zeros else math.exp(nll)}
