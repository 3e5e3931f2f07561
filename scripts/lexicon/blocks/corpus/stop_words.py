"""The stop-words kind: gensim's stop word list applied to the Lee corpus, the most frequent words before and after."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Text
from ...errors import LexiconError
from ...render import percent, table
from ._claims import check_all, parse, shown, words_named
from ._lee import BACKGROUND, NOTE, READ, frequencies, stopword_list, stories

NAMES = {"removed": False, "stopwords_used": False, "listed": False, "tokens": False, "kept_tokens": False,
         "count": True, "rank_before": True, "rank_after": True, "stop": True}
EXAMPLE_CLAIM = "removed > 0.4"


def stopword_result(topn: int, words: list[str]) -> dict:
    stop, freq = stopword_list(), frequencies()
    before = sorted(freq.items(), key=lambda t: (-t[1], t[0]))
    after = [t for t in before if t[0] not in stop]
    tokens = sum(freq.values())
    removed = sum(n for w, n in freq.items() if w in stop)
    rank_b = {w: i + 1 for i, (w, _) in enumerate(before)}
    rank_a = {w: i + 1 for i, (w, _) in enumerate(after)}
    return {
        "stories": len(stories()), "tokens": tokens, "removed_tokens": removed, "removed": round(removed / tokens, 6),
        "types": len(freq), "stopwords_used": sum(1 for w in freq if w in stop), "listed": len(stop),
        "before": [[w, n, int(w in stop)] for w, n in before[:topn]], "after": [[w, n] for w, n in after[:topn]],
        "top_before_stop": sum(1 for w, _ in before[:topn] if w in stop),
        "words": {w: [freq.get(w, 0), rank_b.get(w), rank_a.get(w), int(w in stop)] for w in words},
        "common": _widest(COMMON),
    }


COMMON = 60   # how many of the words found in the most stories the result keeps, for max_df(share)


def _widest(n: int) -> list:
    """The ``n`` words found in the most stories, as [word, document frequency], most first (ties alphabetical)."""
    df = {}
    for s in stories():
        for w in set(s):
            df[w] = df.get(w, 0) + 1
    return [[w, k] for w, k in sorted(df.items(), key=lambda t: (-t[1], t[0]))[:n]]


class StopWords(Kind):
    """gensim's stop word list applied to the Lee corpus: the share of all tokens it removes, and the most
    frequent words before and after removal.

    The 300 stories are tokenised with gensim's `simple_preprocess`; every token in
    `gensim.parsing.preprocessing.STOPWORDS` (a fixed list of common English function words) is removed.
    Two tables list the `topn` most frequent words before and after (equal counts alphabetical); stop
    words are marked. Claims compare `removed` (share of tokens removed), `stopwords_used` (how many
    listed words the corpus uses), `listed`, `tokens`, `kept_tokens`, or a word's `count(w)`,
    `rank_before(w)`, `rank_after(w)` with a number or with each other; `stop(w) = 1` (or `= 0`): the word
    is (is not) on the list. Needs no embedding model.
    """

    example = "topn: 8\nexpect:\n  - removed > 0.4\n  - rank_after(police) < rank_before(police)"
    needs_model = False
    note = NOTE.format(what=f"{BACKGROUND}, 300 news stories")
    options = opt.Options(
        Kind.options,
        topn=opt.integer("How many words each table lists.", default=10, min=3, max=30),
        expect=opt.claims(f"Claims: `{EXAMPLE_CLAIM}` (or `> 40%`), `rank_after(police) < 20`, "
                          "`count(said) > count(police)`, `stop(fire) = 1` (quantities: removed, stopwords_used, listed, "
                          "tokens, kept_tokens, count(w), rank_before(w), rank_after(w), stop(w)).", "list of statements",
                          display=False),
        caption=opt.caption(doc="A line above the tables (Markdown)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.parsed = [parse(t, NAMES, EXAMPLE_CLAIM) for t in spec.expect]
        spec.claim_words = words_named(spec.parsed)

    def anchor_hint(self, spec):
        return "stop words"

    def compute(self, kv, spec):
        return stopword_result(spec.topn, spec.claim_words)

    def claims(self, spec, result, check):
        def lookup(name, arg):
            if arg is not None:
                count, rb, ra, stop = result["words"][arg]
                v = {"count": count, "rank_before": rb, "rank_after": ra, "stop": stop}[name]
                what = {"count": f"'{arg}' occurs {count:,} times",
                        "rank_before": f"'{arg}' is rank {rb} before removal" if rb else f"'{arg}' does not occur",
                        "rank_after": (f"'{arg}' is rank {ra} after removal" if ra else
                                       f"'{arg}' is removed (a stop word) or does not occur"),
                        "stop": f"'{arg}' is {'' if stop else 'not '}on gensim's stop word list"}[name]
                return v, what
            v = result["tokens"] - result["removed_tokens"] if name == "kept_tokens" else result[name]
            return v, f"{name} = {percent(v) if name == 'removed' else shown(v)}"
        check_all(spec.expect, NAMES, EXAMPLE_CLAIM, lookup, check)

    @value("The share of all tokens that are stop words and are removed (`45.0%`).")
    def removed(self, spec, result):
        return Value(percent(result["removed"]), result["removed"])

    @value("How many tokens are removed.")
    def removed_tokens(self, spec, result):
        return Value(f"{result['removed_tokens']:,}", result["removed_tokens"])

    @value("How many tokens remain.")
    def kept_tokens(self, spec, result):
        n = result["tokens"] - result["removed_tokens"]
        return Value(f"{n:,}", n)

    @value("How many tokens the corpus has before removal.")
    def tokens(self, spec, result):
        return Value(f"{result['tokens']:,}", result["tokens"])

    @value("How many words gensim's stop word list holds.")
    def listed(self, spec, result):
        return Value(f"{result['listed']:,}", result["listed"])

    @value("How many of the listed stop words the corpus uses.")
    def stopwords_used(self, spec, result):
        return Value(f"{result['stopwords_used']:,}", result["stopwords_used"])

    @value("How many different words the corpus has before removal.")
    def types(self, spec, result):
        return Value(f"{result['types']:,}", result["types"])

    @value("How many of the `topn` most frequent words before removal are stop words.")
    def top_stopwords(self, spec, result):
        return Value(str(result["top_before_stop"]), result["top_before_stop"])

    @value("How many words scikit-learn's `max_df` (a share, e.g. `max_df(0.7)`) drops: those found in more than "
           "that share of the stories; `max_df(0.7, words)` lists them.")
    def max_df(self, spec, result, share, what=""):
        try:
            x = float(share)
        except ValueError:
            x = -1.0
        if not 0 < x < 1 or what not in ("", "words"):
            raise LexiconError(f"max_df({share}{', ' + what if what else ''}) is not a share below 1",
                               fix="write max_df(0.7) or max_df(0.7, words)")
        dropped = [w for w, k in result["common"] if k > x * result["stories"]]
        if len(dropped) == len(result["common"]):
            raise LexiconError(f"max_df({share}) drops more than the {len(dropped)} words the block keeps",
                               fix="quote a larger share, e.g. 0.5")
        return Value(", ".join(dropped)) if what else Value(str(len(dropped)), len(dropped))

    @value("The word at a rank `before` or `after` removal (`top(after, 1)`).")
    def top(self, spec, result, when, rank="1"):
        if when not in ("before", "after"):
            raise LexiconError(f"'{when}' is neither before nor after", fix="write top(before, 1) or top(after, 1)")
        rows = result[when]
        if not str(rank).isdigit() or not 1 <= int(rank) <= len(rows):
            raise LexiconError(f"rank '{rank}' is not listed", fix=f"quote a rank from 1 to {len(rows)} (topn)")
        return Value(rows[int(rank) - 1][0])

    @value("How often a word of either table, or a word a claim names, occurs in the corpus.")
    def count(self, spec, result, word):
        for row in result["before"] + result["after"]:
            if row[0] == word:
                return Value(f"{row[1]:,}", row[1])
        if word in result["words"]:
            n = result["words"][word][0]
            return Value(f"{n:,}", n)
        raise LexiconError(f"'{word}' is in neither table", fix="quote a word the tables list, raise 'topn', or name "
                                                               "the word in a claim")

    def render(self, spec, result, ctx):
        before = table(["#", "Word", "Count"], [[i + 1, w + (" *" if s else ""), f"{n:,}"]
                                                for i, (w, n, s) in enumerate(result["before"])], numeric_cols=(0, 2))
        after = table(["#", "Word", "Count"], [[i + 1, w, f"{n:,}"] for i, (w, n) in enumerate(result["after"])],
                      numeric_cols=(0, 2))
        lead = Caption(spec.caption) if spec.caption else Text(
            f"The {result['stories']} stories hold {result['tokens']:,} tokens. gensim's list of {result['listed']} "
            f"stop words removes {result['removed_tokens']:,} of them ({percent(result['removed'])}); the corpus uses "
            f"{result['stopwords_used']} of the listed words.")
        return [lead,
                Html('<div class="grid ll-tfidf"><div><p class="ll-subhead">Before removal</p>' + before +
                     '</div><div><p class="ll-subhead">After removal</p>' + after + "</div></div>"),
                Text("* marks a word in gensim's stop word list. Equal counts are listed alphabetically."),
                Code(READ.format(corpus=BACKGROUND) +
                     "from collections import Counter\nfrom gensim.parsing.preprocessing import STOPWORDS\n\n"
                     "before = Counter(w for s in stories for w in s)\n"
                     "after = Counter({w: n for w, n in before.items() if w not in STOPWORDS})\n"
                     "removed = 1 - sum(after.values()) / sum(before.values())\n"
                     f"sorted(before.items(), key=lambda t: (-t[1], t[0]))[:{spec.topn}]\n"
                     f"sorted(after.items(), key=lambda t: (-t[1], t[0]))[:{spec.topn}]\n",
                     "The Python behind these numbers")]
