"""The sequence-probability kind: each token's probability in a text, and the text's perplexity from them."""

from __future__ import annotations

import math

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._ngram import EOS, MODEL_OPTIONS, NOTE, UNK, describe, of, padded
from ._text import code_header


class SequenceProbability(Kind):
    """Each token of a short text with the probability an n-gram language model (trained on gensim's Lee corpus)
    gave it, its negative log-likelihood, and the text's perplexity: exp of their mean.

    The text is tokenised with gensim's `simple_preprocess` and read as a whole story: `<s> <s>` before it
    and `</s>` after it, so the end is predicted too. A word the vocabulary lacks is scored as `<unk>`. The
    negative log-likelihood of a token is −ln P(token | history); perplexity is exp of their mean, the
    number of equally likely choices that would be as surprising on average. Needs no embedding model.
    """

    example = "text: the prime minister said"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        text=opt.text("The text to score (up to 40 words).", required=True),
        **MODEL_OPTIONS,
        caption=opt.caption(),
        code=opt.show_code(),
    )

    def anchor_hint(self, spec):
        return "score " + spec.text[:30]

    def compute(self, kv, spec):
        from gensim.utils import simple_preprocess

        words = simple_preprocess(spec.text)
        if not 1 <= len(words) <= 40:
            raise LexiconError(f"the text has {len(words)} words after tokenising; the block scores 1 to 40",
                               fix="write a sentence of up to 40 words (punctuation and numbers are dropped)")
        m = of(spec)
        seq = padded(words, m.index)
        rows = []
        for i in range(2, len(seq)):
            p = m.prob(seq[:i], seq[i])
            word = words[i - 2] if i - 2 < len(words) else EOS
            rows.append({"token": seq[i], "word": word, "history": seq[max(0, i - 2):i], "p": p,
                         "nll": None if p <= 0 else -math.log(p)})
        known = [r["nll"] for r in rows if r["nll"] is not None]
        mean = sum(known) / len(rows) if len(known) == len(rows) else None
        return {"rows": rows, "mean": mean, "perplexity": None if mean is None else math.exp(mean)}

    def _need(self, result, key):
        if result[key] is None:
            raise LexiconError("a token of the text has probability 0, so its perplexity is infinite",
                               fix="use a smoothed model (smoothing: interpolated or add-k)")
        return result[key]

    @value("The text's perplexity, exp of the mean negative log-likelihood.")
    def perplexity(self, spec, result):
        x = self._need(result, "perplexity")
        return Value(f"{x:,.1f}", x)

    @value("The mean negative log-likelihood per token (nats).")
    def mean_nll(self, spec, result):
        x = self._need(result, "mean")
        return Value(fmt(x), x)

    @value("How many tokens are scored (the words and `</s>`).")
    def tokens(self, spec, result):
        return Value(f"{len(result['rows']):,}", len(result["rows"]))

    @value("The probability of the n-th scored token: `prob(2)`.")
    def prob(self, spec, result, n):
        i = int(str(n).strip()) - 1 if str(n).strip().isdigit() else -1
        if not 0 <= i < len(result["rows"]):
            raise LexiconError(f"no token {n}", fix=f"number a token from 1 to {len(result['rows'])}")
        p = result["rows"][i]["p"]
        return Value(fmt(p), p)

    @value("The most surprising token (the lowest probability), as the table writes it.")
    def surprise(self, spec, result):
        r = min(result["rows"], key=lambda r: r["p"])
        return Value(_shown(r))

    @value("The probability of the most surprising token.")
    def surprise_prob(self, spec, result):
        p = min(r["p"] for r in result["rows"])
        return Value(fmt(p), p)

    def render(self, spec, result, ctx):
        rows = [[str(i + 1), _shown(r), " ".join(r["history"]), fmt(r["p"]),
                 "∞" if r["nll"] is None else fmt(r["nll"])] for i, r in enumerate(result["rows"])]
        if result["mean"] is None:
            summary = "At least one token has probability 0: the text's perplexity is infinite."
        else:
            summary = (f"Mean negative log-likelihood {fmt(result['mean'])} nats over {len(rows)} tokens; "
                       f"perplexity = exp({fmt(result['mean'])}) = <strong>{result['perplexity']:,.1f}</strong>.")
        code = (code_header(spec) + "import math\nfrom lexicon.blocks.generation._ngram import padded\n\n"
                f"seq = padded(simple_preprocess({spec.text!r}), model.index)   # <s> <s> … </s>\n"
                "nll = [-math.log(model.prob(seq[:i], seq[i])) for i in range(2, len(seq))]\n"
                "math.exp(sum(nll) / len(nll))   # perplexity\n")
        caption = [Caption(spec.caption)] if spec.caption else []
        return caption + [Html(f"<p>The {esc(describe(spec))} model scores “{esc(spec.text)}”, token by token:</p>"),
                          Table(["#", "Token", "History", "P(token | history)", "−ln P"], rows,
                                numeric=(0, 3, 4)),
                          Html(f"<p>{summary}</p>"), Code(code, "The Python behind these numbers")]


def _shown(r) -> str:
    return f"{UNK} ({r['word']})" if r["token"] == UNK else r["token"]
