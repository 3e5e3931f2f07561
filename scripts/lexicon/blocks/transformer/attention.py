"""The ``attention`` kind: one step of self-attention over a sentence, as a heatmap."""

from __future__ import annotations

import math
import re

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table, Text
from ...errors import LexiconError
from ...render import esc, fmt
from ._attention import NO_WEIGHTS_NOTE, numpy_code, row_figure, self_attention, weights_heatmap
from ._tokens import SENTENCE_DOC, sentence_tokens, token_labels

CLAIM = re.compile(r"^\s*(every word|[a-z]+)\s*->\s*(itself|themselves|[a-z]+)(\s*>\s*itself)?\s*$")
CLAIM_HELP = ("write it as 'river -> water' (of the other words, river attends most to water), "
              "'landed -> plane > itself' (and gives plane more weight than itself), 'river -> itself' "
              "or 'every word -> itself'")


def parse_claim(text: str, tokens: list[str], causal: bool) -> tuple[str, str, bool]:
    """``river -> water`` (of the other words, river gives water the most weight), ``landed -> plane >
    itself`` (and more than to itself), ``river -> itself``, ``every word -> itself``. Words must be
    tokens of the sentence; the left one must occur once. Returns (left, right, beats_itself)."""
    m = CLAIM.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_HELP)
    left, right, beats = m.group(1), m.group(2), bool(m.group(3))
    if beats and right in ("itself", "themselves"):
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_HELP)
    if left == "every word":
        if right not in ("itself", "themselves"):
            raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_HELP)
        return left, "itself", False
    for w in (left, right):
        if w not in ("itself", "themselves") and w not in tokens:
            raise LexiconError(f"the claim '{text}' names '{w}', which is not a token of the sentence",
                               fix="use one of the sentence's tokens: " + ", ".join(dict.fromkeys(tokens)))
    if tokens.count(left) > 1:
        raise LexiconError(f"the claim '{text}' names '{left}', which occurs {tokens.count(left)} times",
                           fix="make claims about words that occur once in the sentence")
    if causal and right not in ("itself", "themselves") and tokens.index(left) == 0:
        raise LexiconError(f"the claim '{text}' is about the first word, which sees no other word (causal: true)",
                           fix="make the claim about a later word")
    return left, "itself" if right == "themselves" else right, beats


def check_claim(check, text: str, result: dict, causal: bool) -> None:
    tokens, w = result["tokens"], result["weights"]
    left, right, beats = parse_claim(text, tokens, causal)
    labels = token_labels(tokens)

    def biggest(i):
        j = result["top_other"][i]
        return f"{labels[j]} ({w[i][j]:.4f})" if j is not None else "no other word"

    if left == "every word":
        bad = [labels[i] for i, ok in enumerate(result["self_is_top"]) if not ok]
        check("every word gives its largest weight to itself", not bad,
              ("words whose largest weight is on another word: " + ", ".join(bad)) if bad
              else "every word's largest weight is on itself")
        return
    i = tokens.index(left)
    if right == "itself":
        check(f"'{left}' gives its largest weight to itself", result["self_is_top"][i],
              f"'{left}' gives {w[i][i]:.4f} to itself; of the other words, the most to {biggest(i)}")
        return
    j = result["top_other"][i]
    ok = j is not None and tokens[j] == right
    if not beats:
        check(f"of the other words, '{left}' attends most to '{right}'", ok,
              f"of the other words, '{left}' attends most to {biggest(i)}")
    else:
        check(f"'{left}' attends most to '{right}', more than to itself", ok and not result["self_is_top"][i],
              f"of the other words, '{left}' attends most to {biggest(i)}; it gives {w[i][i]:.4f} to itself")


def once(tokens: list[str], word: str, what: str) -> int:
    """The position of a word that occurs exactly once (values name words, not positions)."""
    if word not in tokens:
        raise LexiconError(f"{what} '{word}' is not a token of the sentence",
                           fix="name one of: " + ", ".join(dict.fromkeys(tokens)))
    if tokens.count(word) > 1:
        raise LexiconError(f"{what} '{word}' occurs {tokens.count(word)} times in the sentence",
                           fix="name a word that occurs once")
    return tokens.index(word)


class Attention(Kind):
    """Scaled dot-product self-attention over a sentence's word vectors (no learned weights): a heatmap of
    the weights, and one word's row as bars.

    There are no learned weights: Q = K = V = the GloVe vectors, and the weights are
    softmax(QKᵀ/√d). The block shows the arithmetic of attention, not what BERT or GPT compute.
    The heatmap has one row per word asking (the query) and one column per word it attends to
    (the key); each row sums to 1. With `focus`, that word's row is also shown as bars (it stays
    a chart with `figure: false`). A word that occurs twice is labelled by its position, e.g.
    `the (1)`.
    """

    example = ("sentence: The king and queen ruled the kingdom\nfocus: king\n"
               "expect: [king -> queen, every word -> itself]")
    options = opt.Options(
        Kind.options,
        sentence=opt.text("The sentence. " + SENTENCE_DOC, required=True),
        focus=opt.text("Also show this word's weights as a bar chart (a token of the sentence).", display=True),
        scale=opt.flag("Divide the scores by √d (`false`: softmax(QKᵀ), not scaled).", default=True),
        causal=opt.flag("Each word sees only itself and the words before it (a GPT-style mask).", default=False),
        expect=opt.claims("`king -> queen` (of the other words, *king* attends most to *queen*), "
                          "`landed -> plane > itself` (and more than to itself), `king -> itself`, "
                          "`every word -> itself`. The word on the left must occur once."),
        caption=opt.text("Caption of the heatmap (Markdown; above its table with `figure: false`).",
                         default_doc="“Attention weights, softmax(QKᵀ/√d). Each row is one word's weights …”",
                         display=True),
        figure=opt.show_figure("Show the heatmap. With `false`, its table of weights is shown instead "
                               "(the `focus` chart stays)."),
    )

    def prepare(self, spec):
        spec.tokens = sentence_tokens(spec.sentence, minimum=2)
        for text in spec.expect:
            parse_claim(text, spec.tokens, spec.causal)
        if spec.focus is not None and spec.focus not in spec.tokens:
            raise LexiconError(f"'focus' ({spec.focus}) is not a token of the sentence",
                               fix="name one of: " + ", ".join(dict.fromkeys(spec.tokens)))

    def words(self, spec):
        return spec.tokens

    def anchor_hint(self, spec):
        return " ".join(spec.tokens[:4])

    def compute(self, kv, spec):
        return self_attention(kv, spec.tokens, scale=spec.scale, causal=spec.causal)

    def claims(self, spec, result, check):
        for text in spec.expect:
            check_claim(check, text, result, spec.causal)

    @value("How many tokens the sentence has (after `simple_preprocess`).")
    def tokens(self, spec, result):
        return Value(str(len(result["tokens"])), len(result["tokens"]))

    @value("The dimensions *d* of the word vectors.")
    def dims(self, spec, result):
        return Value(str(result["dims"]), result["dims"])

    @value("√*d*, what the scaled scores are divided by, to `digits` decimals (default 0).")
    def root_dims(self, spec, result, digits="0"):
        r = math.sqrt(result["dims"])
        return Value(f"{r:.{int(digits)}f}", r)

    @value("The weight `word` gives `other` (a word, or `itself`), as the `focus` table shows it; both must "
           "occur once in the sentence.")
    def weight(self, spec, result, word, other):
        tokens, w = result["tokens"], result["weights"]
        i = once(tokens, word, "the word")
        j = i if other == "itself" else once(tokens, other, "the word")
        return Value(fmt(w[i][j]), w[i][j])

    @value("The word, other than itself, that `word` gives the most weight to.")
    def top(self, spec, result, word):
        j = result["top_other"][once(result["tokens"], word, "the word")]
        if j is None:
            raise LexiconError(f"'{word}' sees no other word (causal: true)", fix="ask about a later word")
        return Value(result["tokens"][j])

    def render(self, spec, result, ctx):
        tokens, w = result["tokens"], result["weights"]
        labels = token_labels(tokens)
        n = len(tokens)
        how = (f"softmax(QKᵀ/√{result['dims']})" if spec.scale else "softmax(QKᵀ), not scaled") + \
              (", each word seeing only itself and the words before it (causal)" if spec.causal else "")
        tops = []
        for i in range(n):
            j = result["top_other"][i]
            tops.append(f"{labels[i]} → {labels[j]} ({w[i][j]:.2f})" if j is not None else f"{labels[i]} → none")
        alt = (f"Heatmap of attention weights, {how}, for the {n} tokens of “{spec.sentence}”. Row = the word "
               "asking (query), column = the word it attends to (key); each row sums to 1. The diagonal holds "
               f"each word's weight on itself. Of the other words, each word attends most to: {'; '.join(tops)}.")
        parts = [
            Text(" · ".join(tokens), cls="ll-query"),
            Html('<p class="ll-caption">Tokens from gensim’s <code>simple_preprocess</code> '
                 f'(lower-cased; one-letter words, digits and punctuation dropped). {esc(NO_WEIGHTS_NOTE)}</p>'),
            Figure(lambda: weights_heatmap(labels, w, "Attention weights"), alt=alt, caption=spec.caption,
                   default_caption=(f"Attention weights, {how}. Each row is one word's weights over the sentence "
                                    "and sums to 1; darker means more weight."),
                   height=max(300, 130 + 30 * n),
                   table=Table(["Query ↓ · key →"] + labels,
                               [[labels[i]] + [fmt(v, 3) for v in w[i]] for i in range(n)],
                               numeric=tuple(range(1, n + 1)), cls="ll-table--wide" if n > 6 else "")),
        ]
        if spec.focus:
            row = row_figure(result, tokens.index(spec.focus), spec.causal, "row")
            row.always = True  # the focus chart stays when `figure: false` turns the heatmap into its table
            parts.append(row)
        parts.append(Code(numpy_code(spec.sentence, scale=spec.scale, causal=spec.causal),
                          "The numpy code behind these numbers"))
        return parts

