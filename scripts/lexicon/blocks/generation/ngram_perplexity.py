"""The ngram-perplexity kind: unigram, bigram and trigram models scored on training and held-out text."""

from __future__ import annotations

import re
from types import SimpleNamespace

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table
from ...errors import LexiconError
from ...render import percent
from ._ngram import HELD_OUT, MAX_ORDER, NOTE, SMOOTHINGS, TRAIN, describe, evaluate, held_out_stories, model, \
    training_stories

ORDERS_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": MAX_ORDER}, "minItems": 1,
                 "maxItems": MAX_ORDER, "uniqueItems": True}
SMOOTH_SCHEMA = {"type": "array", "items": {"enum": list(SMOOTHINGS)}, "minItems": 1, "maxItems": 3,
                 "uniqueItems": True}
CLAIM = re.compile(r"^\s*(held_out|training)\((\d)(?:\s*,\s*([a-z-]+))?\)\s*([<>])\s*"
                   r"(held_out|training)\((\d)(?:\s*,\s*([a-z-]+))?\)\s*$")
CLAIM_FIX = "write e.g. 'held_out(3) < held_out(1)' or 'training(3) < held_out(3)', or 'held_out(2, add-k) > held_out(2)'"


def _label(order: int, smoothing: str) -> str:
    """The model's name as the other generation blocks write it: "unigram", "add-1 bigram", "unsmoothed trigram"
    (this block's add-k uses k = 1)."""
    return describe(SimpleNamespace(order=order, smoothing=smoothing, k=1.0))


class NgramPerplexity(Kind):
    """Unigram, bigram and trigram language models, each counted from gensim's Lee background corpus and
    scored by perplexity on the text it learned from and on 50 held-out stories (`lee.cor`), with the share
    of held-out n-grams it never saw.

    Perplexity is exp of the mean negative log-likelihood (natural logarithms) over every held-out token:
    every word and each story's `</s>` (rare and unseen words count as `<unk>`). An unsmoothed
    (`none`) model gives probability 0 to an unseen n-gram, so its held-out perplexity is infinite: the table
    says how many tokens got 0. Each row is one model: every `orders` × `smoothings` pair. Needs no embedding
    model.
    """

    example = "orders: [1, 2, 3]\nexpect:\n  - held_out(3) < held_out(1)"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        orders=opt.raw("The model orders to compare (1 unigram, 2 bigram, 3 trigram).", ORDERS_SCHEMA,
                       "list of 1–3 orders", default=[1, 2, 3], convert=list),
        smoothings=opt.raw("The smoothings to compare: `interpolated`, `add-k` (k = 1, Laplace), `none`.",
                           SMOOTH_SCHEMA, "list of smoothings", default=["interpolated"], convert=list),
        expect=opt.claims("[Claims](#claims): `held_out(3) < held_out(1)`, `training(3) < held_out(3)`, "
                          "`held_out(2, add-k) > held_out(2)` (the smoothing defaults to the first listed)."),
        caption=opt.caption(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        for text in spec.expect:
            m = CLAIM.match(str(text))
            if not m:
                raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
            for order, smoothing in ((m.group(2), m.group(3)), (m.group(6), m.group(7))):
                self._find_args(spec, order, smoothing)

    def _find_args(self, spec, order, smoothing):
        order, smoothing = int(str(order).strip()), (smoothing or spec.smoothings[0]).strip()
        if order not in spec.orders or smoothing not in spec.smoothings:
            raise LexiconError(f"the block has no {smoothing} model of order {order}",
                               fix=f"name an order of {spec.orders} and a smoothing of {spec.smoothings}")
        return order, smoothing

    def anchor_hint(self, spec):
        return "perplexity " + " ".join(map(str, spec.orders))

    def compute(self, kv, spec):
        rows = []
        for smoothing in spec.smoothings:
            for order in spec.orders:
                m = model(order, smoothing, 1.0)
                rows.append({"order": order, "smoothing": smoothing, "lambdas": list(m.lambdas),
                             "training": evaluate(m, training_stories(), "training"),
                             "held_out": evaluate(m, held_out_stories(), "held_out")})
        return {"rows": rows, "vocab": model(1).size,
                "stories": {"training": len(training_stories()), "held_out": len(held_out_stories())}}

    def _row(self, spec, result, order, smoothing=None):
        order, smoothing = self._find_args(spec, order, smoothing)
        return next(r for r in result["rows"] if r["order"] == order and r["smoothing"] == smoothing)

    def claims(self, spec, result, check):
        for text in spec.expect:
            m = CLAIM.match(str(text))
            a = self._row(spec, result, m.group(2), m.group(3))
            b = self._row(spec, result, m.group(6), m.group(7))
            pa, pb = a[m.group(1)]["perplexity"], b[m.group(5)]["perplexity"]
            inf = float("inf")
            x, y = (inf if pa is None else pa), (inf if pb is None else pb)
            word = {"<": "lower", ">": "higher"}[m.group(4)]
            check(f"the {m.group(1).replace('_', '-')} perplexity of the {_label(a['order'], a['smoothing'])} model "
                  f"is {word} than the {m.group(5).replace('_', '-')} perplexity of the "
                  f"{_label(b['order'], b['smoothing'])} model", x < y if m.group(4) == "<" else x > y,
                  f"{_ppl(pa)} against {_ppl(pb)}")

    @value("Held-out perplexity of one model: `held_out(3)` (first smoothing listed) or `held_out(2, add-k)`.")
    def held_out(self, spec, result, order, smoothing=None):
        p = self._row(spec, result, order, smoothing)["held_out"]["perplexity"]
        return Value(_ppl(p), p)

    @value("Perplexity of one model on its own training text: `training(3)`.")
    def training(self, spec, result, order, smoothing=None):
        p = self._row(spec, result, order, smoothing)["training"]["perplexity"]
        return Value(_ppl(p), p)

    @value("The share of held-out tokens whose n-gram (of the model's order) never occurred in training.")
    def unseen(self, spec, result, order, smoothing=None):
        e = self._row(spec, result, order, smoothing)["held_out"]
        return Value(percent(e["unseen"] / e["tokens"]), e["unseen"] / e["tokens"])

    @value("The share of held-out tokens whose history (the n − 1 tokens before them, for the model's order n) "
           "never occurred in training: `unseen_history(3)`.")
    def unseen_history(self, spec, result, order, smoothing=None):
        e = self._row(spec, result, order, smoothing)["held_out"]
        return Value(percent(e["unseen_history"] / e["tokens"]), e["unseen_history"] / e["tokens"])

    @value("How many held-out tokens an unsmoothed model gives probability 0: `zeros(3, none)`.")
    def zeros(self, spec, result, order, smoothing=None):
        z = self._row(spec, result, order, smoothing)["held_out"]["zeros"]
        return Value(f"{z:,}", z)

    @value("The share of held-out words outside the vocabulary (read as `<unk>`).")
    def oov(self, spec, result):
        e = result["rows"][0]["held_out"]
        return Value(percent(e["oov"] / e["words"]), e["oov"] / e["words"])

    @value("How many tokens perplexity averages over: `tokens(held_out)` or `tokens(training)`.")
    def tokens(self, spec, result, split):
        split = str(split).strip()
        if split not in ("held_out", "training"):
            raise LexiconError(f"no split '{split}'", fix="write tokens(held_out) or tokens(training)")
        n = result["rows"][0][split]["tokens"]
        return Value(f"{n:,}", n)

    @value("How many stories a split has: `stories(held_out)` or `stories(training)`.")
    def stories(self, spec, result, split):
        n = result["stories"].get(str(split).strip())
        if n is None:
            raise LexiconError(f"no split '{split}'", fix="write stories(held_out) or stories(training)")
        return Value(f"{n:,}", n)

    @value("The vocabulary size |V| (with `<unk>` and `</s>`).")
    def vocab(self, spec, result):
        return Value(f"{result['vocab']:,}", result["vocab"])

    @value("An interpolated model's weights, unigram first: `weights(3)` is e.g. `0.5, 0.3, 0.2`.")
    def weights(self, spec, result, order):
        row = self._row(spec, result, order, "interpolated")
        return Value(", ".join(f"{x:g}" for x in row["lambdas"]))

    def render(self, spec, result, ctx):
        rows = []
        for r in result["rows"]:
            t, h = r["training"], r["held_out"]
            row = [_label(r["order"], r["smoothing"]), _ppl(t["perplexity"]), _ppl(h["perplexity"]),
                   percent(h["unseen"] / h["tokens"]), f"{h['zeros']:,}"]
            if row not in rows:     # the plain unigram is the same model under "interpolated" and "none"
                rows.append(row)
        h0 = result["rows"][0]["held_out"]
        t0 = result["rows"][0]["training"]
        intro = Html(f"<p>Training: {t0['tokens']:,} tokens ({len(training_stories())} stories of {TRAIN}); "
                     f"held out: {h0['tokens']:,} tokens ({len(held_out_stories())} stories of {HELD_OUT}), "
                     f"{percent(h0['oov'] / h0['words'])} of whose words are outside the {result['vocab']:,}-token "
                     "vocabulary and read as &lt;unk&gt;. Lower perplexity is better.</p>")
        code = ("import math\nfrom lexicon.blocks.generation._ngram import model, padded, held_out_stories\n\n"
                "m = model(order=3, smoothing='interpolated')\n"
                "nll, n = 0.0, 0\nfor story in held_out_stories():\n"
                "    seq = padded(story, m.index)      # <s> <s> w1 ... wn </s>, rare words as <unk>\n"
                "    for i in range(2, len(seq)):\n        nll -= math.log(m.prob(seq[:i], seq[i]))\n        n += 1\n"
                "math.exp(nll / n)   # perplexity\n")
        caption = [Caption(spec.caption)] if spec.caption else []
        return caption + [intro, Table(["Model", "Training perplexity", "Held-out perplexity",
                                        "Held-out n-grams unseen in training", "Held-out tokens given 0"],
                                       rows, numeric=(1, 2, 3, 4)),
                          Code(code, "The Python behind these numbers")]


def _ppl(p) -> str:
    return "∞" if p is None else f"{p:,.1f}"
