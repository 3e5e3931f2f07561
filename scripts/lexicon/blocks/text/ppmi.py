"""The ppmi kind: a word's contexts in the news corpus ranked by raw count and by PPMI, side by side.

Counts come from the same windows as :mod:`.cooccurrence` (``context_counts`` in :mod:`._corpus`,
function words kept). Over every (word, context) pair of the corpus within the window,

    PMI(w, c) = log2( p(w, c) / (p(w) p(c)) ),  PPMI(w, c) = max(PMI(w, c), 0)

with p(w, c) = count(w, c) / N, p(w) = count(w, ·) / N and p(c) = count(·, c) / N, N the number of
pairs (Church and Hanks 1990). With ``smoothing`` α < 1, p(c) = count(·, c)^α / Σ count(·, c')^α
(context-distribution smoothing, Levy, Goldberg and Dagan 2015, §3.2). A symmetric window makes
count(·, c) = count(c, ·): the number of window slots around each occurrence of c.

The kind needs no embedding model; its result is cached like every kind's, and the corpus and
the target are checked in ``compute`` only, so a warm build never reads the corpus.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Text
from ...errors import LexiconError
from ...numeric import SCORE_DIGITS
from ...render import esc, fmt, table
from ._corpus import CORPUS, WINDOW_DOC, context_counts, corpus_frequencies, corpus_stories, require_in_corpus

NOTE = ("Computed at build time from gensim\u2019s Lee corpus (300 news stories); no embedding model is used.")
AGAINST = "the corpus"
_W = r"([^\s,()]+)"
TERM = rf"(count|pmi|ppmi|count_rank|ppmi_rank)\(\s*{_W}\s*,\s*{_W}\s*\)"
TOP = re.compile(rf"^\s*top_(count|ppmi)\(\s*{_W}\s*\)\s*=\s*(\S+)\s*$")
COMPARE = re.compile(rf"^\s*{TERM}\s*(<=|>=|<|>|=)\s*(?:{TERM}|([-\u2212]?\d+(?:\.\d+)?))\s*$")
CLAIM_FIX = ("write 'top_count(police) = the', 'top_ppmi(police) = officers', "
             "'ppmi(police, arrested) > ppmi(police, the)', 'ppmi(police, the) = 0', "
             "'count(police, brutality) < 5' or 'ppmi_rank(police, arrested) <= 3' "
             "(terms: count, pmi, ppmi, count_rank, ppmi_rank)")
PPMI_CODE = """\
import math
from collections import Counter
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

stories = [simple_preprocess(line) for line in open(datapath({corpus!r}), encoding="utf-8")]
word, window, alpha = {word!r}, {window}, {alpha}

pair = Counter()    # count(word, c): how often c occurs within `window` words of `word`
total = Counter()   # count(c, ·) = count(·, c): the window slots around every occurrence of c
for words in stories:
    for i, w in enumerate(words):
        ctx = words[max(0, i - window):i] + words[i + 1:i + 1 + window]
        total[w] += len(ctx)
        if w == word:
            pair.update(ctx)

N = sum(total.values())                            # every (word, context) pair in the corpus
p_w = sum(pair.values()) / N                       # p(word)
norm = sum(n ** alpha for n in total.values())     # alpha = 1: norm = N, no smoothing

def ppmi(c):
    p_wc, p_c = pair[c] / N, total[c] ** alpha / norm
    return max(0.0, math.log2(p_wc / (p_w * p_c))) if pair[c] else 0.0

by_count = sorted(pair, key=lambda c: (-pair[c], c))[:{topn}]
by_ppmi = sorted((c for c in pair if pair[c] >= {min_count}),
                 key=lambda c: (-ppmi(c), -pair[c], c))[:{topn}]
"""


@functools.lru_cache(maxsize=4)
def context_totals(window: int) -> Counter:
    """count(c, ·) for every word c: the context slots within ``window`` words of each occurrence,
    inside its story. By the symmetry of the window this is also count(·, c)."""
    totals: Counter = Counter()
    for words in corpus_stories():
        n = len(words)
        for i, w in enumerate(words):
            totals[w] += min(i, window) + min(n - 1 - i, window)
    return totals


def ppmi_result(word: str, window: int, alpha: float, min_count: int, topn: int) -> dict:
    """Every context of ``word`` with its count, PMI and PPMI, and the two top lists."""
    pair = context_counts(word, window, False)
    totals = context_totals(window)
    n_pairs = sum(totals.values())
    row = sum(pair.values())
    norm = float(sum(n ** alpha for n in totals.values()))
    freq = corpus_frequencies()
    contexts = {}
    for c, n in sorted(pair.items()):
        pmi = math.log2((n / n_pairs) / ((row / n_pairs) * (totals[c] ** alpha / norm)))
        contexts[c] = [n, round(pmi, SCORE_DIGITS), round(max(pmi, 0.0), SCORE_DIGITS), freq[c]]
    if not any(v[0] >= min_count for v in contexts.values()):
        top = max(v[0] for v in contexts.values())
        raise LexiconError(f"no context occurs {min_count} times within {window} words of '{word}' "
                           f"(the most frequent occurs {top} times), so the PPMI table would be empty",
                           fix=f"lower 'min_count' to {top} or less, or widen 'window'")
    below = sorted((c for c, v in contexts.items() if v[0] < min_count),
                   key=lambda c: (-contexts[c][2], -contexts[c][0], c))
    return {
        "word": word, "occurrences": freq[word], "row_total": row, "pairs": n_pairs,
        "stories": len(corpus_stories()), "tokens": sum(freq.values()),
        "contexts": contexts,   # context: [count, PMI, PPMI, occurrences in the corpus]
        "by_count": ranking(contexts, "count", min_count)[:topn],
        "by_ppmi": ranking(contexts, "ppmi", min_count)[:topn],
        "rare": below[:3],
        # how many left-out contexts share the top left-out PPMI (the note names at most three of them)
        "rare_tied": sum(1 for c in below if below and contexts[c][2] == contexts[below[0]][2]),
    }


def ranking(contexts: dict, by: str, min_count: int) -> list[str]:
    """Contexts by count (ties alphabetical), or by PPMI among those seen ``min_count`` times or more
    (ties by count, then alphabetical)."""
    if by == "count":
        return sorted(contexts, key=lambda c: (-contexts[c][0], c))
    return sorted((c for c, v in contexts.items() if v[0] >= min_count),
                  key=lambda c: (-contexts[c][2], -contexts[c][0], c))


def parse_statement(text: str, word: str):
    """('top', by, context) or ('compare', (term, context), op, (term, context) | number)."""
    m, c = TOP.match(str(text)), COMPARE.match(str(text))
    if m:
        by, w, context = m.groups()
        named, parsed = [w], ("top", by, context)
    elif c:
        f1, w1, c1, op, f2, w2, c2, number = c.groups()
        right = float(number.replace("\u2212", "-")) if number is not None else (f2, c2)
        named, parsed = [w1] + ([w2] if w2 else []), ("compare", (f1, c1), op, right)
    else:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    for w in named:
        if w != word:
            raise LexiconError(f"the claim '{text}' is about '{w}', but the block's word is '{word}'",
                               fix=f"write the claim about '{word}', or set 'word: {w}'")
    return parsed


def term_value(result: dict, min_count: int, term: str, context: str):
    """A term's number for one context: None for a rank it does not have."""
    entry = result["contexts"].get(context)
    if term == "count":
        return entry[0] if entry else 0
    if term in ("pmi", "ppmi"):
        if entry is None:   # never seen together: PMI is −∞, PPMI 0
            return None if term == "pmi" else 0.0
        return entry[1] if term == "pmi" else entry[2]
    order = ranking(result["contexts"], term.split("_")[0], min_count)
    return order.index(context) + 1 if context in order else None


def _show(term: str, word: str, context: str, v) -> str:
    if v is None:
        return (f"{term}({word}, {context}) is undefined: '{context}' never occurs near '{word}'" if term == "pmi"
                else f"'{context}' has no {term.split('_')[0]} rank near '{word}'")
    return f"{term}({word}, {context}) = {fmt(v) if isinstance(v, float) else v}"


def _holds(left, op: str, right) -> bool:
    return {"<": left < right, ">": left > right, "=": left == right,
            "<=": left <= right, ">=": left >= right}[op]


class Ppmi(Kind):
    """A word's contexts in the news corpus ranked by raw co-occurrence count next to the same contexts
    ranked by positive pointwise mutual information (PPMI), which down-weights words frequent everywhere.

    Counts every word within `window` words of `word` in gensim's Lee corpus (as
    [cooccurrence](#cooccurrence) does, function words kept) and sets two tables side by side: the
    contexts by raw count, then by **PPMI**, `max(0, log2(p(w, c) / (p(w) p(c))))`, with every
    probability taken from the windowed co-occurrence counts of the whole corpus (Church and Hanks
    1990). Raw counts are led by function words such as *the*; PPMI asks how much more often a
    context occurs near the word than chance predicts. PMI overrates rare pairs, so the PPMI table leaves out
    contexts seen fewer than `min_count` times near the word, and a line lists the ones it left
    out. `smoothing: 0.75` raises context counts to that power before they become `p(c)`, as Levy,
    Goldberg and Dagan (2015) recommend. The word must occur at least 5 times in the corpus.
    """

    example = "word: police\nexpect:\n  - top_count(police) = the\n  - ppmi(police, arrested) > ppmi(police, the)"
    needs_model = False  # the corpus only (results of kinds without a model are cached too)
    note = NOTE
    options = opt.Options(
        Kind.options,
        word=opt.word("The target word; it must occur at least 5 times in the corpus.", vocab=False,
                      required=True),
        window=opt.integer(WINDOW_DOC, default=5, min=1, max=10),
        min_count=opt.integer("Contexts seen fewer times near the word are left out of the PPMI table "
                              "(PMI overrates rare pairs).", default=5, min=1, max=50),
        smoothing=opt.number("Context-distribution smoothing α: `p(c) ∝ count(c)^α`; 1 is none, 0.75 as in "
                             "Levy, Goldberg and Dagan (2015).", default=1, above=0, max=1),
        topn=opt.integer("How many contexts each table lists.", default=8, min=3, max=20),
        expect=opt.claims("Claims: `top_count(w) = c`, `top_ppmi(w) = c`, or a comparison of terms "
                          "`count`, `pmi`, `ppmi`, `count_rank`, `ppmi_rank` of `(w, c)` with `<`, `>`, `=`, "
                          "`<=`, `>=` and another term or a number: `ppmi(police, arrested) > ppmi(police, the)`.",
                          "list of statements"),
        caption=opt.text("A line above the tables (Markdown).", display=True,
                         default_doc="“The contexts of … within … words, by raw count and by PPMI.”"),
        code=opt.show_code("Show the collapsible Python."),
    )

    def prepare(self, spec):
        for text in spec.expect:
            parse_statement(text, spec.word)

    def anchor_hint(self, spec):
        return spec.word

    def compute(self, kv, spec):
        # Checked when computing (see cooccurrence): a cached result came from the same word and corpus.
        require_in_corpus([spec.word])
        return ppmi_result(spec.word, spec.window, float(spec.smoothing), spec.min_count, spec.topn)

    def claims(self, spec, result, check):
        w = spec.word
        for text in spec.expect:
            parsed = parse_statement(text, w)
            if parsed[0] == "top":
                _, by, context = parsed
                order = ranking(result["contexts"], by, spec.min_count)
                shown = ", ".join(f"{c} ({_cell(result, c, by)})" for c in order[:3])
                check(f"the top context of '{w}' by {'raw count' if by == 'count' else 'PPMI'} is '{context}'",
                      order[:1] == [context], f"by {by}: {shown}", against=AGAINST)
                continue
            _, (t1, c1), op, right = parsed
            left = term_value(result, spec.min_count, t1, c1)
            if isinstance(right, tuple):
                rv = term_value(result, spec.min_count, *right)
                statement = f"{t1}({w}, {c1}) {op} {right[0]}({w}, {right[1]})"
                actual = f"{_show(t1, w, c1, left)}; {_show(right[0], w, right[1], rv)}"
            else:
                rv = right
                statement = f"{t1}({w}, {c1}) {op} {right:g}"
                actual = _show(t1, w, c1, left)
            ok = left is not None and rv is not None and _holds(left, op, rv)
            check(statement, ok, actual, against=AGAINST)

    def _context(self, spec, result, word, context):
        if word != spec.word:
            raise LexiconError(f"'{word}' is not the block's word", fix=f"write {spec.word}")
        return result["contexts"].get(context)

    @value("How many times a context word occurs within the window of the word (0 if never).")
    def count(self, spec, result, word, context):
        entry = self._context(spec, result, word, context)
        n = entry[0] if entry else 0
        return Value(str(n), n)

    @value("The PPMI of the word and a context word, as the tables show it (0 if never seen together).")
    def ppmi(self, spec, result, word, context):
        entry = self._context(spec, result, word, context)
        s = entry[2] if entry else 0.0
        return Value(fmt(s), s)

    @value("The PMI of the word and a context word before clipping at 0 (may be negative).")
    def pmi(self, spec, result, word, context):
        entry = self._context(spec, result, word, context)
        if entry is None:
            raise LexiconError(f"'{context}' never occurs near '{word}': its PMI is minus infinity",
                               fix="quote a context word that occurs within the window")
        return Value(fmt(entry[1]), entry[1])

    @value("A context's rank among the word's contexts `by` `count` or `ppmi` (ties as the tables break them).")
    def rank(self, spec, result, word, context, by):
        self._context(spec, result, word, context)
        if by not in ("count", "ppmi"):
            raise LexiconError(f"'{by}' is not a ranking", fix="write count or ppmi as the third argument")
        r = term_value(result, spec.min_count, f"{by}_rank", context)
        if r is None:
            raise LexiconError(f"'{context}' has no {by} rank near '{word}' (never seen, or seen fewer than "
                               f"min_count = {spec.min_count} times)", fix="quote a context that the ranking holds")
        return Value(str(r), r)

    @value("How many times the word occurs in the corpus.")
    def occurrences(self, spec, result, word):
        if word != spec.word:
            raise LexiconError(f"'{word}' is not the block's word", fix=f"write {spec.word}")
        return Value(str(result["occurrences"]), result["occurrences"])

    @value("How many (word, context) pairs the corpus holds within the window: N.")
    def pairs(self, spec, result):
        return Value(f"{result['pairs']:,}", result["pairs"])

    def render(self, spec, result, ctx):
        w, contexts = spec.word, result["contexts"]

        def rows(order):
            return [[i + 1, c, contexts[c][0], fmt(contexts[c][2])] for i, c in enumerate(order)]

        heads = ["#", "Context", f"Count near {w}", "PPMI"]
        grid = (f'<div class="grid ll-ppmi">'
                f'<div><p class="ll-subhead">By raw count</p>'
                f'{table(heads, rows(result["by_count"]), numeric_cols=(0, 2, 3))}</div>'
                f'<div><p class="ll-subhead">By PPMI (contexts seen at least {spec.min_count} times)</p>'
                f'{table(heads, rows(result["by_ppmi"]), numeric_cols=(0, 2, 3))}</div></div>')
        smoothing = float(spec.smoothing)
        p_c = ("count(·, c) / N" if smoothing == 1 else
               f"count(·, c)^{smoothing:g} / Σ count(·, c′)^{smoothing:g} (context-distribution smoothing)")
        definition = (
            f"PPMI(w, c) = max(0, log2(p(w, c) / (p(w) p(c)))), with p(w, c) = count(w, c) / N, "
            f"p(w) = count(w, ·) / N and p(c) = {p_c}. N = {result['pairs']:,} is the number of (word, "
            f"context) pairs within {spec.window} words in the whole corpus; count({w}, ·) = "
            f"{result['row_total']:,}.")
        rare = [c for c in result["rare"] if contexts[c][2] > contexts[result["by_ppmi"][0]][2]]
        parts = [Caption(spec.caption) if spec.caption else Text(
                     f"The contexts of \u201c{w}\u201d ({result['occurrences']} times in {result['tokens']:,} words, "
                     f"{result['stories']} stories) within {spec.window} words, by raw count and by PPMI."),
                 Html(grid), Text(definition)]
        if rare:
            tied = result.get("rare_tied", 0)
            best = contexts[rare[0]][2]
            others = sorted(c for c, v in contexts.items()
                            if v[0] < spec.min_count and v[2] == best and c not in rare)
            named = (f"; the other{'' if len(others) == 1 else 's'}: "
                     + ", ".join(f"<em>{esc(c)}</em>" for c in others) if len(others) <= 3 else "")
            some = (f" ({_count_words(len(rare))} of the {_count_words(tied)} contexts tied at that PPMI"
                    f"{named})" if tied > len(rare) else "")

            def repeat(c):   # more co-occurrences than occurrences: the word is met twice near one occurrence
                return (f", with \u201c{esc(w)}\u201d more than once within {spec.window} words of it"
                        if contexts[c][0] > contexts[c][3] else "")

            def where(c):
                n = contexts[c][3]
                return f"{'once' if n == 1 else _times(n)} in the whole corpus{repeat(c)}"
            same = len(rare) > 1 and len({where(c) for c in rare}) == 1   # say a shared fact once
            parts.append(Html(
                f'<p class="ll-caption">Left out because they occur fewer than {spec.min_count} times near '
                f'\u201c{esc(w)}\u201d, though each would top the PPMI table{some}: '
                + "; ".join(f"<em>{esc(c)}</em>, PPMI {fmt(contexts[c][2])} from {contexts[c][0]} "
                            f"co-occurrence{'' if contexts[c][0] == 1 else 's'}"
                            + ("" if same else f" (it occurs {where(c)})") for c in rare)
                + (f". Each occurs {where(rare[0])}" if same else "")
                + ". PMI favours rare pairs: a few chance meetings can outscore steady company.</p>"))
        parts.append(Code(PPMI_CODE.format(corpus=CORPUS, word=w, window=spec.window, alpha=smoothing,
                                           topn=spec.topn, min_count=spec.min_count),
                          "The Python behind these numbers"))
        return parts


def _cell(result: dict, context: str, by: str) -> str:
    v = result["contexts"][context]
    return str(v[0]) if by == "count" else fmt(v[2])


def _count_words(n: int) -> str:
    return ("zero one two three four five six seven eight nine ten".split()[n] if 0 <= n <= 10 else str(n))


def _times(n: int) -> str:
    return f"{n} time{'' if n == 1 else 's'}"
