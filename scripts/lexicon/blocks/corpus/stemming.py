"""The stemming kind: gensim's Porter stemmer over every word of the Lee corpus, the word families it merges."""

from __future__ import annotations

import re
from collections import defaultdict

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Table, Text
from ...errors import LexiconError
from ...render import percent
from ._claims import check_all, parse, shown
from ._lee import BACKGROUND, NOTE, READ, frequencies, require_words

NAMES = {"types": False, "stems": False, "shrink": False, "family": True}
EXAMPLE_CLAIM = "shrink > 0.2"
SAME = re.compile(r"^\s*([a-z]+)\s*(==|!=)\s*([a-z]+)\s*$")


def stem_all() -> dict:
    """Every word type of the corpus → its Porter stem (gensim.parsing.porter)."""
    from gensim.parsing.porter import PorterStemmer

    stemmer = PorterStemmer()
    return {w: stemmer.stem(w) for w in sorted(frequencies())}


def stemming_result(words: list[str], families: int, claim_words: list[str]) -> dict:
    from gensim.parsing.porter import PorterStemmer

    freq, stems = frequencies(), stem_all()
    groups: dict = defaultdict(list)
    for w, s in stems.items():
        groups[s].append(w)
    for s in groups:
        groups[s].sort(key=lambda w: (-freq[w], w))
    biggest = sorted(groups, key=lambda s: (-len(groups[s]), s))[:families]
    asked = list(dict.fromkeys(words + claim_words))
    return {
        "types": len(stems), "stems": len(groups), "shrink": round(1 - len(groups) / len(stems), 6),
        "families": [[s, groups[s]] for s in biggest],
        # A word a claim names need not occur in the corpus: it is stemmed all the same.
        "words": {w: [s, freq.get(w, 0), groups.get(s, [])] for w in asked
                  for s in [stems.get(w) or PorterStemmer().stem(w)]},
    }


class Stemming(Kind):
    """gensim's Porter stemmer applied to every word of the Lee corpus: how much the vocabulary shrinks, the
    largest word families it merges, and the stems of chosen words.

    Every word type of the 300 stories (`simple_preprocess` tokens) is cut to its stem by
    `gensim.parsing.porter.PorterStemmer`, an implementation of Porter's (1980) suffix-stripping algorithm.
    Words with one stem form a family. The block gives the number of word types before and of stems after,
    the `families` largest families (their words, most frequent first), and a table of `words`, each with
    its stem and family. Claims: `general == generous` (the two words get one stem), `buy != bought` (they do
    not; a claim's words need not occur in the corpus), or `shrink`, `types`, `stems`, `family(w)` (the size of a word's family) compared with a number
    or each other. Needs no embedding model.
    """

    example = ("words: [running, runs, general, generous]\nfamilies: 5\nexpect:\n  - general == generous\n"
               "  - run == running\n  - buy != bought\n  - shrink > 0.2")
    needs_model = False
    note = NOTE.format(what=f"{BACKGROUND}, 300 news stories")
    options = opt.Options(
        Kind.options,
        words=opt.words("Words whose stems and families the table shows; each must occur in the corpus.",
                        min=0, max=12, unique=True, vocab=False, default=[], type_doc="list of up to 12 words"),
        families=opt.integer("How many of the largest families to list.", default=8, min=0, max=20),
        expect=opt.claims("Claims: `general == generous`, `buy != bought`, `shrink > 0.2` (quantities: types, stems, "
                          "shrink, family(w)).", "list of statements", display=False),
        caption=opt.caption(doc="A line above the tables (Markdown)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.pairs, spec.parsed = [], []
        for text in spec.expect:
            m = SAME.match(str(text))
            if m:
                spec.pairs.append((m.group(1), m.group(2), m.group(3)))
            else:
                spec.parsed.append((text, parse(text, NAMES, EXAMPLE_CLAIM)))
        spec.claim_words = list(dict.fromkeys(
            [w for a, _, b in spec.pairs for w in (a, b)] +
            [t[1] for _, (left, _, right) in spec.parsed for t in (left, right) if isinstance(t, tuple) and t[1]]))

    def anchor_hint(self, spec):
        return "stemming " + " ".join(spec.words[:3])

    def compute(self, kv, spec):
        require_words(spec.words)   # checked when computing, as the text family does
        return stemming_result(spec.words, spec.families, spec.claim_words)

    def claims(self, spec, result, check):
        for a, op, b in spec.pairs:
            sa, sb = result["words"][a][0], result["words"][b][0]
            check(f"{a} {op} {b}: '{a}' and '{b}' " + ("get the same stem" if op == "==" else "get different stems"),
                  (sa == sb) == (op == "=="), f"'{a}' \u2192 '{sa}', '{b}' \u2192 '{sb}'")

        def lookup(name, arg):
            if name == "family":
                n = len(result["words"][arg][2])
                return n, f"the family of '{arg}' has {n} words"
            v = result[name]
            return v, f"{name} = {percent(v) if name == 'shrink' else shown(v)}"
        check_all([t for t, _ in spec.parsed], NAMES, EXAMPLE_CLAIM, lookup, check)

    @value("How many word types the corpus has before stemming.")
    def types(self, spec, result):
        return Value(f"{result['types']:,}", result["types"])

    @value("How many different stems they become.")
    def stems(self, spec, result):
        return Value(f"{result['stems']:,}", result["stems"])

    @value("How much smaller the vocabulary gets: 1 − stems / types (`28.0%`).")
    def shrink(self, spec, result):
        return Value(percent(result["shrink"]), result["shrink"])

    @value("A listed word's stem.")
    def stem(self, spec, result, word):
        return Value(_word(result, word)[0])

    @value("How many word types of the corpus share a listed word's stem.")
    def family(self, spec, result, word):
        n = len(_word(result, word)[2])
        return Value(str(n), n)

    @value("The size of the largest family.")
    def largest(self, spec, result):
        if not result["families"]:
            raise LexiconError("the block lists no families", fix="set 'families' to 1 or more")
        n = len(result["families"][0][1])
        return Value(str(n), n)

    def render(self, spec, result, ctx):
        lead = Caption(spec.caption) if spec.caption else Text(
            f"The Porter stemmer turns the corpus's {result['types']:,} word types into {result['stems']:,} stems: "
            f"the vocabulary shrinks by {percent(result['shrink'])}.")
        parts = [lead]
        if spec.words:
            parts.append(Table(["Word", "Count in the corpus", "Stem", "Words of the corpus with this stem"],
                               [[w, f"{result['words'][w][1]:,}", result["words"][w][0],
                                 ", ".join(result["words"][w][2][:10]) +
                                 (" \u2026" if len(result["words"][w][2]) > 10 else "")] for w in spec.words],
                               numeric=(1,)))
        if result["families"]:
            parts.append(Table(["Stem", "Words", "The family, most frequent first"],
                               [[s, len(ws), ", ".join(ws)] for s, ws in result["families"]], numeric=(1,)))
        parts.append(Code(READ.format(corpus=BACKGROUND) +
                          "from collections import defaultdict\nfrom gensim.parsing.porter import PorterStemmer\n\n"
                          "stemmer = PorterStemmer()\nfamilies = defaultdict(set)\n"
                          "for w in {w for s in stories for w in s}:\n    families[stemmer.stem(w)].add(w)\n"
                          "shrink = 1 - len(families) / sum(len(f) for f in families.values())\n"
                          + "".join(f"stemmer.stem({w!r})\n" for w in spec.words[:6]),
                          "The Python behind these numbers"))
        return parts


def _word(result, word) -> list:
    if word not in result["words"]:
        raise LexiconError(f"'{word}' is not one of the block's words", fix="add it to 'words', then quote it")
    return result["words"][word]
