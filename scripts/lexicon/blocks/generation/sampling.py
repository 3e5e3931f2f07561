"""The sampling kind: the next-token distribution reshaped by temperature, top-k or top-p, and seeded samples."""

from __future__ import annotations

import math

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt, percent
from ._decoding import reshape, sample
from ._ngram import MODEL_OPTIONS, NOTE, ceiling, context_tokens, describe, entropy_bits, of, ranked
from ._text import code_header, continuation

METHODS = ("temperature", "top-k", "top-p")
SETTINGS_SCHEMA = {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000},
                   "minItems": 1, "maxItems": 5, "uniqueItems": True}
SHOW = 5   # tokens listed per setting


def setting_label(method: str, s: float) -> str:
    return {"temperature": f"T = {s:g}", "top-k": f"k = {s:g}", "top-p": f"p = {s:g}"}[method]


def check_setting(method: str, s: float) -> None:
    if method == "top-k" and (s != int(s) or s < 1):
        raise LexiconError(f"top-k keeps a whole number of tokens, not {s:g}", fix="write k as 1, 5, 50 …")
    if method == "top-p" and s > 1:
        raise LexiconError(f"top-p keeps a share of the probability mass, and {s:g} is over 1",
                           fix="write p between 0 and 1, e.g. 0.5, 0.9")
    if method == "temperature" and not 0.05 <= s <= 20:
        raise LexiconError(f"temperature {s:g} is outside 0.05–20", fix="write a temperature such as 0.5, 1, 2")


class Sampling(Kind):
    """How temperature, top-k or top-p sampling reshape the next-token distribution of an n-gram language model
    (trained on gensim's Lee corpus): entropy, tokens kept, mass kept, the most probable tokens after reshaping,
    and seeded samples.

    For each setting the block reshapes P(· | context): temperature T raises every probability to the power
    1/T and renormalises (the same as dividing log-probabilities by T); top-k keeps the k most probable
    tokens; top-p keeps the fewest most probable tokens whose probabilities sum to at least p. Top-k and
    top-p renormalise what they keep. *Mass kept* is the original probability of the tokens kept; entropy is
    in bits. Then `samples` continuations of `steps` tokens are drawn with `numpy.random.default_rng(seed)`,
    reshaping at every step, so the same seed gives the same text on every build. Needs no embedding model.
    """

    example = "context: the prime\nmethod: top-p\nsettings: [0.5, 0.9]\nsamples: 2"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        context=opt.text("The text before the next token (words the training corpus uses at least twice).",
                         required=True),
        **MODEL_OPTIONS,
        method=opt.choice("How the distribution is reshaped.", list(METHODS), required=True),
        settings=opt.raw("The temperatures, k values or p values to compare (1–5).", SETTINGS_SCHEMA,
                         "list of 1–5 numbers", required=True, convert=list),
        samples=opt.integer("Seeded continuations drawn per setting.", default=2, min=0, max=5),
        steps=opt.integer("Tokens per sampled continuation (at most; `</s>` ends one).", default=10, min=1, max=30),
        seed=opt.seed("The seed of `numpy.random.default_rng`.", default=0),
        caption=opt.caption(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        for s in spec.settings:
            check_setting(spec.method, s)

    def anchor_hint(self, spec):
        return f"{spec.method} {spec.context[:30]}"

    def compute(self, kv, spec):
        m = of(spec)
        history = context_tokens(spec.context, m)
        p = m.distribution(history)
        rows = []
        for s in spec.settings:
            q, kept, mass = reshape(p, m.vocab, spec.method, s)
            top = [[m.vocab[i], float(q[i])] for i in ranked(q, m.vocab)[:min(SHOW, kept)]]
            rng = np.random.default_rng(spec.seed)
            samples = [sample(m, history, spec.steps, spec.method, s, rng) for _ in range(spec.samples)]
            rows.append({"setting": s, "kept": kept, "mass": mass, "entropy": entropy_bits(q),
                         "top": top, "samples": samples})
        original = [[m.vocab[i], float(p[i])] for i in ranked(p, m.vocab)[:SHOW]]
        return {"ceiling": ceiling(m), "history": history[2:], "vocab": m.size, "entropy": entropy_bits(p), "top": original,
                "rows": rows}

    def _row(self, spec, result, s):
        try:
            x = float(str(s).strip())
        except ValueError:
            x = None
        row = next((r for r in result["rows"] if r["setting"] == x), None)
        if row is None:
            raise LexiconError(f"'{s}' is not one of the block's settings",
                               fix="name one of: " + ", ".join(f"{r['setting']:g}" for r in result["rows"]))
        return row

    @value("The entropy (bits) after reshaping with one setting: `entropy(0.9)`.")
    def entropy(self, spec, result, s):
        e = self._row(spec, result, s)["entropy"]
        return Value(fmt(e, 2), e)

    @value("The entropy (bits) of the distribution before reshaping.")
    def entropy_before(self, spec, result):
        return Value(fmt(result["entropy"], 2), result["entropy"])

    @value("How many tokens keep a probability with one setting: `kept(0.9)`.")
    def kept(self, spec, result, s):
        n = self._row(spec, result, s)["kept"]
        return Value(f"{n:,}", n)

    @value("How many tokens one setting leaves out (probability zero): `left_out(0.9)`.")
    def left_out(self, spec, result, s):
        n = result["vocab"] - self._row(spec, result, s)["kept"]
        return Value(f"{n:,}", n)

    @value("The largest entropy any distribution over the vocabulary can have, log2 |V| bits (all tokens equal).")
    def max_entropy(self, spec, result):
        e = math.log2(result["vocab"])
        return Value(fmt(e, 2), e)

    @value("The most probability the model can give any token after any context (see the next-token kind's "
           "`ceiling`).")
    def ceiling(self, spec, result):
        return Value(fmt(result["ceiling"]), result["ceiling"])

    @value("The original probability mass of the tokens kept: `mass(0.9)` (`90.1%`).")
    def mass(self, spec, result, s):
        x = self._row(spec, result, s)["mass"]
        return Value(percent(x), x)

    @value("The probability of the most probable token after reshaping: `top_prob(2)`.")
    def top_prob(self, spec, result, s):
        x = self._row(spec, result, s)["top"][0][1]
        return Value(fmt(x), x)

    @value("The probability of the most probable token before reshaping.")
    def top_prob_before(self, spec, result):
        x = result["top"][0][1]
        return Value(fmt(x), x)

    @value("The most probable token before reshaping (temperature keeps it first).")
    def top_token(self, spec, result):
        return Value(result["top"][0][0])

    @value("The vocabulary size |V|.")
    def vocab(self, spec, result):
        return Value(f"{result['vocab']:,}", result["vocab"])

    @value("One seeded sample: `sample(0.9, 1)` is the first continuation drawn with that setting.")
    def sample(self, spec, result, s, i):
        samples = self._row(spec, result, s)["samples"]
        j = int(str(i).strip()) - 1 if str(i).strip().isdigit() else -1
        if not 0 <= j < len(samples):
            raise LexiconError(f"no sample {i}", fix=f"number a sample from 1 to {len(samples)}")
        return Value(continuation(samples[j]))

    def render(self, spec, result, ctx):
        def tops(top):
            return ", ".join(f"{w} {fmt(q)}" for w, q in top)

        rows = [["unchanged", f"{result['vocab']:,}", percent(1.0), fmt(result["entropy"], 2), tops(result["top"])]]
        for r in result["rows"]:
            rows.append([setting_label(spec.method, r["setting"]), f"{r['kept']:,}", percent(r["mass"]),
                         fmt(r["entropy"], 2), tops(r["top"])])
        parts = [Html(f"<p>The {esc(describe(spec))} model’s distribution after “{esc(' '.join(result['history']))}”, "
                      f"over {result['vocab']:,} tokens, and the same distribution reshaped ({esc(spec.method)}):</p>"),
                 Table(["Setting", "Tokens kept", "Mass kept", "Entropy (bits)", f"Top {SHOW} after reshaping"],
                       rows, numeric=(1, 2, 3))]
        if spec.samples:
            srows = [[setting_label(spec.method, r["setting"]), str(i + 1), continuation(s)]
                     for r in result["rows"] for i, s in enumerate(r["samples"])]
            parts.append(Table(["Setting", "Sample", f"Continuation (seed {spec.seed})"], srows, numeric=(1,)))
        code = (code_header(spec) + "import numpy as np\nfrom lexicon.blocks.generation._decoding import reshape, "
                "sample\n\n"
                f"history = ['<s>', '<s>'] + simple_preprocess({spec.context!r})\np = model.distribution(history)\n"
                f"for s in {spec.settings!r}:\n"
                f"    q, kept, mass = reshape(p, model.vocab, {spec.method!r}, s)\n"
                f"    rng = np.random.default_rng({spec.seed})\n"
                f"    [sample(model, history, {spec.steps}, {spec.method!r}, s, rng) for _ in range({spec.samples})]\n")
        caption = [Caption(spec.caption)] if spec.caption else []
        return caption + parts + [Code(code, "The Python behind these numbers")]
