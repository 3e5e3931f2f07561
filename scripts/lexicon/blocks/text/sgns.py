"""The sgns kind: the skip-gram negative-sampling objective of one word pair, before and after training.

A gensim ``Word2Vec`` (``sg=1``, ``hs=0``, ``negative=k``) on the Lee corpus (:mod:`._corpus`); v are
the input vectors (``model.wv``), u the output vectors (``model.syn1neg``), and the loss of eq. 4 of
Mikolov et al. (2013b) is −[log σ(u_c · v_w) + Σ_i log σ(−u_{n_i} · v_w)]. Drawn negatives come from
gensim's own noise distribution, its ``cum_table`` (count^0.75, normalised). The "before" numbers are
computed from a copy of the weights taken after ``build_vocab``, not assumed. (gensim, like the
original C code, trains a pair the other way round, the context's input vector against the centre's
output vector; a symmetric window holds every pair both ways.)

The corpus-wide means take every (centre, context) pair within the window of the text, both words in
the vocabulary, with eq. 4's expectation over the noise distribution computed exactly (no draws), and
without the subsampling and shrunken windows gensim applies while training.

Determinism: one worker and ``seed``; gensim 4 draws the initial input vectors from
``numpy.random.default_rng(seed)``. Its ``hashfxn`` (Python's salted ``hash`` by default) only serves
the deprecated ``seeded_vector``; a process-independent one is passed all the same.
"""

from __future__ import annotations

import functools
import math
import re
import zlib

import numpy as np

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table, Text
from ...errors import LexiconError
from ...numeric import SCORE_DIGITS
from ...render import esc, fmt
from ._corpus import CORPUS, MIN_OCCURRENCES, WINDOW_DOC, context_counts, corpus_frequencies, corpus_stories, \
    require_in_corpus

DIMS = 32
NOTE = (f"Computed at build time from a small word2vec model trained on gensim\u2019s Lee corpus ({CORPUS}); "
        "not the site\u2019s GloVe model.")
AGAINST = "the trained model"
WHENS = ("before", "after")
SCALARS = ("loss", "max_negative", "min_negative", "mean_positive", "mean_negative", "mean_loss")
TERM = re.compile(rf"(before|after|near)\(\s*([^\s()]+)\s*\)|(chance_loss)|({'|'.join(SCALARS)})_(before|after)")
CLAIM = re.compile(r"^\s*(.+?)\s*(<=|>=|=|<|>)\s*(.+?)\s*$")
NUMBER = re.compile(r"[-\u2212]?\d+(?:\.\d+)?")
CLAIM_FIX = ("write e.g. 'after(workers) > 0.5', 'max_negative_after < after(workers)', 'loss_before = chance_loss' "
             "or 'near(to) > near(workers)'; terms: before(w), after(w) (σ), near(w), chance_loss ((k + 1) ln 2), "
             f"{', '.join(s + '_before' for s in SCALARS)} and the same with _after; '=' compares at 4 decimals")
TRAIN_CODE = """\
import numpy as np
from gensim.models import Word2Vec
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

stories = [simple_preprocess(line) for line in open(datapath({corpus!r}), encoding="utf-8")]
model = Word2Vec(sg=1, hs=0, negative={k}, vector_size={dims}, window={window}, min_count={min_count},
                 epochs={epochs}, workers=1, seed={seed})
model.build_vocab(stories)
v_before, u_before = model.wv.vectors.copy(), model.syn1neg.copy()   # syn1neg starts at zero
model.train(stories, total_examples=model.corpus_count, epochs=model.epochs)

sigma, i = lambda x: 1 / (1 + np.exp(-x)), model.wv.key_to_index
word, context = {word!r}, {context!r}
{negatives_code}
for v, u in [(v_before, u_before), (model.wv.vectors, model.syn1neg)]:
    pos = sigma(v[i[word]] @ u[i[context]])
    neg = [sigma(v[i[word]] @ u[i[n]]) for n in negatives]
    loss = -np.log(pos) - sum(np.log(1 - s) for s in neg)   # log σ(−x) = log(1 − σ(x))
    print(pos, neg, loss)
"""
DRAW_CODE = """\
# k different negatives, the context word skipped, drawn from gensim's noise distribution (count ** 0.75):
rng, cum, negatives = np.random.default_rng({seed}), model.cum_table, []
while len(negatives) < {k}:
    n = model.wv.index_to_key[np.searchsorted(cum, rng.integers(cum[-1]))]
    if n != context and n not in negatives:
        negatives.append(n)"""


def stable_hash(text: str) -> int:
    """The same number for the same text in every process (Python's ``hash`` of a str is salted)."""
    return zlib.crc32(text.encode("utf-8"))


@functools.lru_cache(maxsize=4)
def trained(window: int, k: int, epochs: int, seed: int):
    """The model after training and a copy of its (input, output) vectors from before it, once per process."""
    from gensim.models import Word2Vec

    stories = [list(s) for s in corpus_stories()]
    model = Word2Vec(sg=1, hs=0, negative=k, vector_size=DIMS, window=window, min_count=MIN_OCCURRENCES,
                     epochs=epochs, workers=1, seed=seed, hashfxn=stable_hash)
    model.build_vocab(stories)
    before = (model.wv.vectors.copy(), model.syn1neg.copy())
    model.train(stories, total_examples=model.corpus_count, epochs=epochs)
    return model, before


def noise_probabilities(model) -> np.ndarray:
    """Each vocabulary word's chance of being drawn as a negative, read from gensim's ``cum_table``."""
    cum = model.cum_table.astype(np.float64)
    return np.diff(cum, prepend=0.0) / cum[-1]


def draw_negatives(model, k: int, seed: int, context: str) -> list[str]:
    """k different words from the noise distribution (as gensim's bisect on ``cum_table``), skipping the context."""
    rng, cum, out = np.random.default_rng(seed), model.cum_table, []
    while len(out) < k:
        n = model.wv.index_to_key[int(np.searchsorted(cum, rng.integers(cum[-1])))]
        if n != context and n not in out:
            out.append(n)
    return out


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))  # σ


def corpus_means(model, states, window: int, k: int) -> dict:
    """Over every (centre, context) pair within the window: the mean σ of the true pairs, the mean σ of a
    negative (its expectation under the noise distribution, exact) and the mean loss of eq. 4, per state."""
    idx, size = model.wv.key_to_index, len(model.wv)
    cells = []
    for story in corpus_stories():
        ids = np.array([idx.get(w, -1) for w in story])
        for d in range(1, window + 1):
            a, b = ids[:-d], ids[d:]
            keep = (a >= 0) & (b >= 0)
            cells += [a[keep] * size + b[keep], b[keep] * size + a[keep]]   # both ways: centre * size + context
    pairs = np.bincount(np.concatenate(cells), minlength=size * size).reshape(size, size).astype(np.float64)
    n, centres, noise = pairs.sum(), pairs.sum(axis=1), noise_probabilities(model)
    out = {"pairs": int(n)}
    for when, (v, u) in zip(WHENS, states):
        sig = sigmoid(v.astype(np.float64) @ u.astype(np.float64).T)   # σ(u_c · v_w), row w, column c
        pos = (pairs * sig).sum() / n
        neg = centres @ (sig @ noise) / n
        loss = (-(pairs * np.log(sig)).sum() - k * centres @ (np.log1p(-sig) @ noise)) / n
        out[when] = [round(float(x), SCORE_DIGITS) for x in (pos, neg, loss)]
    return out


def sgns_result(word, context, negatives, window, k, epochs, seed) -> dict:
    model, before = trained(window, k, epochs, seed)
    idx, noise, near = model.wv.key_to_index, noise_probabilities(model), context_counts(word, window, False)
    drawn = not negatives
    negatives = draw_negatives(model, k, seed, context) if drawn else negatives
    states = (before, (model.wv.vectors, model.syn1neg))
    rows, losses = [], {}
    for when, (v, u) in zip(WHENS, states):
        vw = v[idx[word]].astype(np.float64)
        sig = [float(sigmoid(vw @ u[idx[x]].astype(np.float64))) for x in [context] + negatives]
        losses[when] = round(-math.log(sig[0]) - sum(math.log1p(-s) for s in sig[1:]), SCORE_DIGITS)
        rows.append(sig)
    words = [[x, "positive" if i == 0 else "negative", near.get(x, 0), round(float(noise[idx[x]]), 6),
              round(rows[0][i], SCORE_DIGITS), round(rows[1][i], SCORE_DIGITS)]
             for i, x in enumerate([context] + negatives)]
    return {"word": word, "context": context, "drawn": drawn, "k": k, "rows": words, "loss": losses,
            "means": corpus_means(model, states, window, k), "vocab": len(model.wv),
            "tokens": sum(corpus_frequencies().values()), "stories": len(corpus_stories())}


def parse_claim(text: str):
    """(left, op, right): a term is (before|after|near, word), ("chance_loss",) or (name, when); right may be
    a number."""
    m = CLAIM.match(str(text))
    sides = [m[1], m[3]] if m else []
    terms = [float(t.replace("\u2212", "-")) if NUMBER.fullmatch(t) else TERM.fullmatch(t) for t in sides]
    if not m or not isinstance(terms[0], re.Match) or terms[1] is None:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    left, right = [t if isinstance(t, float) else tuple(g for g in t.groups() if g) for t in terms]
    return left, m[2], right


def _row(result, w):
    for r in result["rows"]:
        if r[0] == w:
            return r
    raise LexiconError(f"'{w}' is neither the context word nor one of the negatives",
                       fix=f"name one of: {', '.join(r[0] for r in result['rows'])}")


def term_value(result, term) -> tuple[float, str]:
    """The number a claim's term stands for, and the term in words."""
    w0, negs = result["word"], result["rows"][1:]
    if term[0] in ("before", "after", "near"):
        r = _row(result, term[1])
        if term[0] == "near":
            return r[2], f"how often '{term[1]}' occurs within the window of '{w0}'"
        return r[4 if term[0] == "before" else 5], f"σ(u·v) of ({w0}, {term[1]}) {term[0]} training"
    if term[0] == "chance_loss":
        return round((result["k"] + 1) * math.log(2), SCORE_DIGITS), "(k + 1) ln 2"
    name, when = term
    col = 4 if when == "before" else 5
    if name == "loss":
        return result["loss"][when], f"the pair's loss {when} training"
    if name in ("max_negative", "min_negative"):
        r = (max if name == "max_negative" else min)(negs, key=lambda r: r[col])
        return r[col], f"the {'highest' if name[1] == 'a' else 'lowest'} σ(u·v) of a negative ({r[0]}) {when} training"
    what = {"mean_positive": "σ(u·v) of the true pairs", "mean_negative": "σ(u·v) of the negatives",
            "mean_loss": "loss"}[name]
    return result["means"][when][SCALARS.index(name) - 3], f"the corpus's mean {what} {when} training"


class Sgns(Kind):
    """Skip-gram with negative sampling, for one word pair: a small word2vec model trained on the news corpus,
    with σ(u · v) of the true pair and of k negative words, and the pair's loss, before and after training.

    Trains gensim's `Word2Vec` at build time on gensim's Lee corpus (skip-gram, negative sampling with `k`
    negatives, 32 dimensions, words seen at least 5 times, one worker, a fixed `seed`: deterministic),
    keeping its weights from before training. For the centre `word` and a `context` word that occurs within
    `window` words of it, and `k` negatives (named in `negatives`, or drawn with `seed` from gensim's noise
    distribution, count^0.75), it shows σ(u·v) of each, the input vector v of the word against the output
    vector u of the other, and the loss −[log σ(u_c·v_w) + Σ log σ(−u_n·v_w)] (Mikolov et al. 2013b, eq. 4),
    before training (the output vectors start at zero: every σ is 0.5) and after. A line gives the same
    averages over every pair of the corpus, the negatives in expectation. Needs no embedding model.
    """

    example = ("word: qantas\ncontext: workers\nexpect:\n  - after(workers) > 0.5\n"
               "  - max_negative_after < after(workers)\n  - loss_after < loss_before")
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        word=opt.word("The centre word; the corpus must use it at least 5 times.", vocab=False, required=True),
        context=opt.word("The true context word: it must occur within `window` words of `word` in the corpus.",
                         vocab=False, required=True),
        negatives=opt.words("The negative words, named (each used at least 5 times); without them `k` are drawn.",
                            max=20, unique=True, vocab=False, type_doc="list of 1–20 different words"),
        k=opt.integer("How many negatives to draw (and gensim's `negative`); with `negatives`, their number.",
                      default=5, min=1, max=20),
        seed=opt.integer("Seed of the training and of the negatives drawn.", default=1, min=0, max=2**31 - 1),
        window=opt.integer(WINDOW_DOC, default=5, min=1, max=10),
        epochs=opt.integer("Passes over the corpus (each takes about 0.2 s).", default=10, min=1, max=30),
        expect=opt.claims("Claims: a comparison (`<`, `>`, `<=`, `>=`, `=` at 4 decimals) of terms `before(w)`, "
                          "`after(w)` (σ; w the context or a negative), `near(w)`, `chance_loss` ((k + 1) ln 2), "
                          "`loss_…`, `max_negative_…`, `min_negative_…`, `mean_positive_…`, `mean_negative_…`, "
                          "`mean_loss_…` (… `before` or `after`), or with a number: `after(workers) > 0.5`."),
        caption=opt.caption("“σ(u·v) of the true pair … and of the k negatives, before and after training: …”"),
        figure=opt.show_figure("Show the bar chart (the table above it holds the same numbers)."),
        code=opt.show_code("Show the Python that trains the model and computes the scores."),
    )

    def prepare(self, spec):
        if spec.given("negatives") and spec.given("k") and spec.k != len(spec.negatives):
            raise LexiconError(f"'k' is {spec.k} but 'negatives' names {len(spec.negatives)} words",
                               fix="leave 'k' out when you name the negatives (k is then their number)")
        if spec.negatives:
            spec.k = len(spec.negatives)
        if spec.context == spec.word:
            raise LexiconError("the context word is the word itself", fix="choose another context word")
        if spec.context in (spec.negatives or []):
            raise LexiconError(f"'{spec.context}' is both the context word and a negative",
                               fix="remove it from 'negatives'")
        for text in spec.expect:   # read now; a word a claim names is looked up in the result's rows
            parse_claim(text)

    def anchor_hint(self, spec):
        return f"{spec.word} {spec.context}"

    def compute(self, kv, spec):
        # Checked when computing (see cooccurrence): a cached result came from the same words and corpus.
        require_in_corpus([spec.word, spec.context] + (spec.negatives or []))
        if not context_counts(spec.word, spec.window, False).get(spec.context):
            raise LexiconError(f"'{spec.context}' never occurs within {spec.window} words of '{spec.word}' in the "
                               f"corpus, so ({spec.word}, {spec.context}) is not a true pair",
                               fix="choose a context word the corpus uses near the word (the cooccurrence block "
                                   "lists them), or widen 'window'")
        return sgns_result(spec.word, spec.context, list(spec.negatives or []), spec.window, spec.k, spec.epochs,
                           spec.seed)

    def claims(self, spec, result, check):
        for text in spec.expect:
            left, op, right = parse_claim(text)
            (lv, ls), (rv, rs) = term_value(result, left), (right, None) if isinstance(right, float) \
                else term_value(result, right)
            ok = {"<": lv < rv, ">": lv > rv, "<=": lv <= rv, ">=": lv >= rv,
                  "=": round(lv, SCORE_DIGITS) == round(rv, SCORE_DIGITS)}[op]
            check(f"{ls} {op} {rs or format(rv, 'g').replace('-', '−')}", ok,
                  f"{ls} = {_shown(lv)}" + (f"; {rs} = {_shown(rv)}" if rs else ""), against=AGAINST)

    @value("σ(u·v) of the word with the context word or a negative, `before` or `after` (the default) training.")
    def sigma(self, spec, result, word, when="after"):
        s = _row(result, word)[4 if _when(when) == "before" else 5]
        return Value(fmt(s), s)

    @value("The pair's loss −[log σ(u_c·v_w) + Σ log σ(−u_n·v_w)], `before` or `after` (the default) training.")
    def loss(self, spec, result, when="after"):
        x = result["loss"][_when(when)]
        return Value(fmt(x), x)

    @value("The mean over the corpus's pairs of `positive` σ, `negative` σ or `loss`, `before` or `after` training.")
    def mean(self, spec, result, what, when="after"):
        names = ("positive", "negative", "loss")
        if what not in names:
            raise LexiconError(f"'{what}' is not a mean the block takes", fix="write positive, negative or loss")
        x = result["means"][_when(when)][names.index(what)]
        return Value(fmt(x), x)

    @value("How often a word (the context or a negative) occurs within the window of the centre word.")
    def near(self, spec, result, word):
        n = _row(result, word)[2]
        return Value(str(n), n)

    @value("A word's chance of being drawn as a negative (gensim's noise distribution), as the table shows it.")
    def noise(self, spec, result, word):
        p = _row(result, word)[3]
        return Value(percent2(p), p)

    @value("A size: `tokens` in the corpus, `pairs` the corpus means average over, `vocab` (words the model "
           "learned), `dims`, `min_count` (options such as `k`, `window`, `epochs` are quoted by name).")
    def size(self, spec, result, what="tokens"):
        n = dict(tokens=result["tokens"], pairs=result["means"]["pairs"], vocab=result["vocab"], dims=DIMS,
                 min_count=MIN_OCCURRENCES).get(what)
        if n is None:
            raise LexiconError(f"'{what}' is not a size the block reports", fix="write tokens, pairs, vocab, dims or min_count")
        return Value(f"{n:,}", n)

    def render(self, spec, result, ctx):
        w, c, k, rows = result["word"], result["context"], result["k"], result["rows"]
        how = (f"drawn with seed {spec.seed} from gensim\u2019s noise distribution (count^0.75), the context word "
               "and repeats skipped") if result["drawn"] else "named by the author"
        near = rows[0][2]
        intro = (f"<p>The centre word <strong>{esc(w)}</strong> and the context word <strong>{esc(c)}</strong> "
                 f"occur within {spec.window} words of each other {near} time{'' if near == 1 else 's'} in the "
                 f"corpus ({result['tokens']:,} tokens, {result['stories']} stories). The {k} negative "
                 f"word{'' if k == 1 else 's'} {'were' if k > 1 else 'was'} {esc(how)}. Skip-gram with negative "
                 f"sampling maximises log&nbsp;σ(u<sub>{esc(c)}</sub>·v<sub>{esc(w)}</sub>) + Σ<sub>n</sub> "
                 f"log&nbsp;σ(−u<sub>n</sub>·v<sub>{esc(w)}</sub>); the loss is its negative.</p>")
        table_rows = [[x, role, n, percent2(p), fmt(b), fmt(a),
                       fmt(-math.log(a) if role == "positive" else -math.log1p(-a))]
                      for x, role, n, p, b, a in rows]
        (lb, la), means = (result["loss"][x] for x in WHENS), result["means"]
        pairs, (pb, nb, mb), (pa, na, ma) = means["pairs"], means["before"], means["after"]
        alt = (f"Grouped bars of σ(u·v) for the pair ({w}, {c}) and {k} negatives, before and after training. "
               f"Before, every bar is {fmt(rows[0][4])}. After: " +
               "; ".join(f"{x} ({role}) {fmt(a)}" for x, role, _, _, _, a in rows) + ".")
        code_neg = DRAW_CODE.format(seed=spec.seed, k=k) if result["drawn"] else f"negatives = {[r[0] for r in rows[1:]]}"
        return [
            Html(intro),
            Table(["Word", "Role", f"Near \u201c{w}\u201d", "Noise probability", "σ(u·v) before", "σ(u·v) after",
                   "Loss term after"], table_rows, numeric=(2, 3, 4, 5, 6)),
            Text(f"Loss of the pair and its {k} negatives: {fmt(lb)} before training ((k + 1) ln 2 = "
                 f"{fmt((k + 1) * math.log(2))}: the output vectors start at zero), {fmt(la)} after {spec.epochs} "
                 f"epochs. A loss term is −log σ(u·v) for the positive and −log(1 − σ(u·v)) for a negative."),
            Figure(lambda: sigma_figure(rows), alt=alt, caption=spec.caption, height=330,
                   default_caption=f"σ(u·v) of the true pair ({w}, {c}) and of the {k} negatives, before and "
                                   f"after training: {moved(rows)}.",
                   table=Table(["Word", "σ(u·v) before", "σ(u·v) after"], [[r[0], fmt(r[4]), fmt(r[5])] for r in rows],
                               numeric=(1, 2)),
                   fallback=False),
            Text(f"Over all {pairs:,} (centre, context) pairs within {spec.window} words in the corpus, with {k} "
                 f"negatives each in expectation under the noise distribution: mean σ of the true pairs {fmt(pb)} "
                 f"before, {fmt(pa)} after; of the negatives {fmt(nb)} before, {fmt(na)} after; mean loss {fmt(mb)} "
                 f"before, {fmt(ma)} after. The model has {result['vocab']:,} words (those seen at least "
                 f"{MIN_OCCURRENCES} times), {DIMS} dimensions."),
            Code(TRAIN_CODE.format(corpus=CORPUS, k=k, dims=DIMS, window=spec.window, min_count=MIN_OCCURRENCES,
                                   epochs=spec.epochs, seed=spec.seed, word=w, context=c, negatives_code=code_neg),
                 "The Python that trains the model and computes the scores"),
        ]


def moved(rows) -> str:
    """What training did, in words, from the rows (never assumed)."""
    (_, _, _, _, b, a), negs = rows[0], rows[1:]
    fell = sum(r[5] < r[4] for r in negs)
    below = sum(r[5] < a for r in negs)
    return (f"the true pair {'rises' if a > b else 'falls' if a < b else 'stays'} from {fmt(b)} to {fmt(a)}; "
            f"{fell} of {len(negs)} negatives fall, {below} of {len(negs)} end below the true pair")


def _shown(x) -> str:
    return str(x) if isinstance(x, int) else fmt(x)


def _when(when: str) -> str:
    if when not in WHENS:
        raise LexiconError(f"'{when}' is neither before nor after", fix="write before or after")
    return when


def percent2(p: float) -> str:
    """A noise probability as the table writes it, three significant digits: ``1.55%``, ``0.0197%``."""
    return f"{p * 100:.3g}%"


def sigma_figure(rows):
    """Grouped bars: σ(u·v) of each word before and after training."""
    import plotly.graph_objects as go

    labels = [f"{x} (+)" if role == "positive" else x for x, role, *_ in rows]
    fig = go.Figure([go.Bar(x=labels, y=[r[4 + i] for r in rows], name=f"{when} training",
                            marker_color=figures.PALETTE[7 if i == 0 else 0],
                            hovertemplate="%{x}: σ = %{y:.4f}<extra>" + when + "</extra>")
                     for i, when in enumerate(WHENS)])
    fig.add_hline(y=0.5, line=dict(color=figures.PALETTE[7], dash="dot", width=1))
    fig.update_layout(**figures.BASE_LAYOUT, barmode="group", legend=dict(orientation="h", y=-0.2),
                      yaxis=dict(range=[0, 1], title=dict(text="σ(u·v)", standoff=6), automargin=True),
                      xaxis=dict(automargin=True))
    return fig
