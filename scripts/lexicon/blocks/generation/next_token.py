"""The next-token kind: an n-gram model's probability distribution over the token after a context."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt, percent
from ._ngram import MODEL_OPTIONS, NOTE, ceiling, context_tokens, describe, entropy_bits, of, ranked, training_stories
from ._text import code_header, shown


class NextToken(Kind):
    """The probability of every possible next token after a context, from an n-gram language model trained on
    gensim's Lee corpus: the most probable candidates, and the mass left to all the others.

    The context is tokenised as the training text was (gensim's `simple_preprocess`) and read as the
    start of a story (`<s> <s>` before it). The model gives each of the |V| vocabulary tokens a probability
    (they sum to 1); the table lists the `top` most probable with their cumulative sum, and the last row the
    mass the other tokens share. `<unk>` stands for every word seen fewer than twice in training, `</s>` for
    the end of a story. Needs no embedding model.
    """

    example = "context: the prime\ntop: 5\nmost_likely: minister"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        context=opt.text("The text before the next token (words the training corpus uses at least twice).",
                         required=True),
        **MODEL_OPTIONS,
        top=opt.integer("How many of the most probable tokens the table lists.", default=10, min=1, max=30),
        most_likely=opt.text("The token you claim is the most probable next one (a [claim](#claims)).",
                             display=True),
        caption=opt.caption(),
        code=opt.show_code(),
    )

    def anchor_hint(self, spec):
        return "next " + spec.context[:30]

    def compute(self, kv, spec):
        m = of(spec)
        history = context_tokens(spec.context, m)
        p = m.distribution(history)
        order = ranked(p, m.vocab)
        top = [[m.vocab[i], float(p[i])] for i in order[:spec.top]]
        seen = {n: m.histories[n].get(tuple(history[len(history) - n + 1:]), 0) for n in (2, 3)}
        grams = {str(n): {w: m.counts[n].get(tuple(history[len(history) - n + 1:]) + (w,), 0) for w, _ in top}
                 for n in (2, 3)}
        return {"grams": grams, "weights": list(m.lambdas), "ceiling": ceiling(m),
                "history": history[2:], "top": top, "rest": float(p[order[spec.top:]].sum()),
                "total": float(p.sum()), "entropy": entropy_bits(p), "vocab": m.size,
                "history_counts": {str(n): c for n, c in seen.items()},
                "stories": len(training_stories()), "tokens": m.tokens}

    def claims(self, spec, result, check):
        if spec.most_likely:
            first = result["top"][0]
            check(f"'{spec.most_likely}' is the most probable token after “{spec.context}”",
                  first[0] == spec.most_likely, f"the most probable is '{first[0]}' ({fmt(first[1])})",
                  decided_by=[q for _, q in result["top"][:2]])

    def _row(self, result, word):
        row = next((r for r in result["top"] if r[0] == str(word).strip()), None)
        if row is None:
            raise LexiconError(f"'{word}' is not among the block's {len(result['top'])} listed tokens",
                               fix="quote a listed token, or raise 'top'")
        return row

    @value("The probability of a listed token, as the table shows it: `prob(minister)`.")
    def prob(self, spec, result, word):
        p = self._row(result, word)[1]
        return Value(fmt(p), p)

    @value("The probability of a listed token as a percentage (`90.0%`).")
    def prob_percent(self, spec, result, word):
        p = self._row(result, word)[1]
        return Value(percent(p), p)

    @value("The most probable next token.")
    def first(self, spec, result):
        return Value(result["top"][0][0])

    @value("The mass the listed tokens share (`0.9400`).")
    def listed_mass(self, spec, result):
        s = 1 - result["rest"]
        return Value(fmt(s), s)

    @value("The mass every token not listed shares.")
    def rest(self, spec, result):
        return Value(fmt(result["rest"]), result["rest"])

    @value("The entropy of the whole distribution, in bits.")
    def entropy(self, spec, result):
        return Value(fmt(result["entropy"], 2), result["entropy"])

    @value("The vocabulary size |V|: how many tokens the distribution covers.")
    def vocab(self, spec, result):
        return Value(f"{result['vocab']:,}", result["vocab"])

    @value("How many stories (`stories`) or tokens (`tokens`) the model was counted from: `training(stories)`.")
    def training(self, spec, result, what):
        what = str(what).strip()
        if what not in ("stories", "tokens"):
            raise LexiconError(f"cannot count '{what}'", fix="write training(stories) or training(tokens)")
        return Value(f"{result[what]:,}", result[what])

    @value("How often a listed token followed the context's last n − 1 tokens in training: `count(2, minister)`.")
    def count(self, spec, result, n, word):
        row = result["grams"].get(str(n).strip())
        if row is None:
            raise LexiconError(f"no n-gram counts for n = {n}", fix="write count(2, word) or count(3, word)")
        self._row(result, word)
        c = row[str(word).strip()]
        return Value(f"{c:,}", c)

    @value("The interpolation weight of order n (1 unigram, 2 bigram, 3 trigram), as chosen on development text: "
           "`weight(1)`.")
    def weight(self, spec, result, n):
        w = result["weights"]
        i = int(str(n).strip()) - 1 if str(n).strip().isdigit() else -1
        if not 0 <= i < len(w):
            raise LexiconError(f"no interpolation weight for order {n}",
                               fix="use an interpolated model and write weight(1) … weight(order)")
        return Value(fmt(w[i], 1), w[i])

    @value("The most probability the model can give any token after any context, (1 − λ1) + λ1 · max P_unigram: "
           "at least the unigram weight λ1 of every distribution is the context-free unigram estimate.")
    def ceiling(self, spec, result):
        return Value(fmt(result["ceiling"]), result["ceiling"])

    @value("How often the context's last n − 1 tokens occur in training as a history: `history_count(3)`.")
    def history_count(self, spec, result, n):
        c = result["history_counts"].get(str(n).strip())
        if c is None:
            raise LexiconError(f"no history count for n = {n}", fix="write history_count(2) or history_count(3)")
        return Value(f"{c:,}", c)

    def render(self, spec, result, ctx):
        cum, rows = 0.0, []
        for i, (w, p) in enumerate(result["top"], 1):
            cum += p
            rows.append([str(i), shown(w), fmt(p), fmt(cum)])
        rows.append(["", f"the other {result['vocab'] - len(result['top']):,} tokens", fmt(result["rest"]), fmt(1.0)])
        intro = Html(f"<p>After “{esc(' '.join(result['history']))}”, the {esc(describe(spec))} model spreads its "
                     f"probability over {result['vocab']:,} tokens (entropy {fmt(result['entropy'], 2)} bits). "
                     f"The {len(result['top'])} most probable:</p>")
        code = (code_header(spec) + f"history = ['<s>', '<s>'] + simple_preprocess({spec.context!r})\n"
                "p = model.distribution(history)   # one probability per vocabulary token; p.sum() == 1\n"
                f"top = sorted(zip(p, model.vocab), key=lambda t: (-t[0], t[1]))[:{spec.top}]\n")
        caption = [Caption(spec.caption)] if spec.caption else []
        return caption + [intro, Table(["Rank", "Next token", "Probability", "Cumulative"], rows, numeric=(0, 2, 3)),
                          Code(code, "The Python behind these numbers")]
