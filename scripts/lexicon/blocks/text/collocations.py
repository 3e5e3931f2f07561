"""The collocations kind: word pairs of the Lee corpus that occur together more than chance, by gensim's
``Phrases`` with its default (Mikolov et al.) and NPMI scorers, and how the threshold decides which pairs
become phrases."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table
from ...errors import LexiconError
from ...render import fmt
from ._corpus import BACKGROUND
from ._collocations import association, counts_of, scored, times, totals

NOTE = f"Computed at build time with gensim\u2019s Phrases from gensim\u2019s Lee corpus ({BACKGROUND}); no embedding model."
SCORER = {"default": "default", "npmi": "npmi"}
EXPECT_SCHEMA = {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": {
    k: {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 2, "maxItems": 8}
    for k in ("default_order", "npmi_order")}}
NUMBERS = {"type": "array", "items": {"type": "number"}, "minItems": 1, "maxItems": 6}


def shown(scorer: str, x: float) -> str:
    return f"{x:,.1f}" if scorer == "default" else fmt(x)


class Collocations(Kind):
    """Collocations of gensim's Lee corpus by gensim's `Phrases`: the top pairs by its default scorer and by
    NPMI, chosen pairs with both scores, and how many pairs each threshold keeps.

    gensim's `Phrases` counts every pair of neighbouring words (bigram) of the 300 background stories of
    the Lee corpus (`simple_preprocess` tokens) and scores the pairs seen at least `min_count` times. Its
    default scorer is Mikolov et al.'s (count(a b) − min_count) / (count(a) × count(b)), times gensim's
    `len_vocab`, the number of distinct words and distinct word pairs it counted (`vocab_size`); `npmi` is normalised pointwise mutual information (Bouma 2009), 1 for words that only
    ever occur together, 0 for independent ones. A pair whose score exceeds `threshold` becomes a phrase
    (`new_south`). The block lists the `top` pairs by each scorer, the `pairs` you name with their counts,
    scores, how many times as often as chance they occur (p(a b) / (p(a) p(b))) and their PMI in bits, and
    how many pairs each of a few thresholds keeps. Needs no embedding model.
    """

    example = "min_count: 5\ntop: 3\npairs: [bin laden, in the]\nexpect:\n  npmi_order: [bin laden, in the]"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        min_count=opt.integer("Pairs seen fewer times are not scored (gensim's `min_count`).", default=5, min=1,
                              max=50),
        top=opt.integer("How many of the highest-scoring pairs each scorer lists.", default=8, min=1, max=15),
        pairs=opt.texts("Pairs of words to look up, written `a b` (lower case).", min=0, max=8,
                        type_doc="list of up to 8 pairs", default=[]),
        default_thresholds=opt.raw("Thresholds of the default scorer to count phrases at.", NUMBERS,
                                   "list of 1–6 numbers", default=[1, 10, 100], convert=list),
        npmi_thresholds=opt.raw("Thresholds of the npmi scorer (−1 to 1) to count phrases at.", NUMBERS,
                                "list of 1–6 numbers", default=[0.3, 0.5, 0.7, 0.9], convert=list),
        expect=opt.raw("[Claims](#claims): `default_order` or `npmi_order`, listed pairs from the highest score "
                       "to the lowest.", EXPECT_SCHEMA, "`default_order`, `npmi_order`", default={}, display=True),
        caption=opt.caption(doc="A line above the tables (Markdown)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        for p in spec.pairs:
            if len(p.split()) != 2:
                raise LexiconError(f"'{p}' is not a pair of words", fix="write a pair as two words, e.g. 'bin laden'")
        for key in ("default_order", "npmi_order"):
            for p in spec.expect.get(key, []):
                if p not in spec.pairs:
                    raise LexiconError(f"the claim names '{p}', which is not one of the block's pairs",
                                       fix=f"add '{p}' to 'pairs', or claim only about listed pairs")
        if any(not -1 <= t <= 1 for t in spec.npmi_thresholds):
            raise LexiconError("an npmi threshold is outside −1 to 1", fix="write npmi thresholds from −1 to 1")

    def anchor_hint(self, spec):
        return f"collocations min {spec.min_count}"

    def compute(self, kv, spec):
        table, tot = scored(spec.min_count), totals(spec.min_count)
        looked = {}
        for p in spec.pairs:
            a, b = p.split()
            found = table.get(p)
            counts = counts_of([a, b])
            looked[p] = {"counts": counts, "pair": found[0] if found else None,
                         "default": found[1] if found else None, "npmi": found[2] if found else None,
                         **(association(found[0], counts[a], counts[b], tot["words"]) if found else
                            {"chance": None, "pmi": None})}
        tops = {s: [[g, v[0], v[i + 1]] for g, v in sorted(table.items(), key=lambda t: (-t[1][i + 1], t[0]))[:spec.top]]
                for i, s in enumerate(SCORER)}
        kept = {"default": [[t, sum(1 for v in table.values() if v[1] > t)] for t in spec.default_thresholds],
                "npmi": [[t, sum(1 for v in table.values() if v[2] > t)] for t in spec.npmi_thresholds]}
        return {"scored": len(table), "top": tops, "pairs": looked, "kept": kept, **tot}

    def claims(self, spec, result, check):
        for scorer in SCORER:
            order = spec.expect.get(f"{scorer}_order")
            if not order:
                continue
            missing = [p for p in order if result["pairs"][p][scorer] is None]
            scores = [result["pairs"][p][scorer] for p in order]
            ok = not missing and all(shown(scorer, x) != shown(scorer, y) and x > y for x, y in zip(scores, scores[1:]))
            actual = (f"{', '.join(missing)} occur fewer than {spec.min_count} times" if missing else
                      "; ".join(f"{p}: {shown(scorer, s)}" for p, s in zip(order, scores)))
            check(f"by the {scorer} scorer, {' > '.join(order)}", ok, actual, against="gensim's Phrases")

    def _pair(self, result, p) -> dict:
        p = " ".join(str(p).split())
        if p not in result["pairs"]:
            raise LexiconError(f"'{p}' is not one of the block's pairs", fix="add it to 'pairs', then quote it")
        r = result["pairs"][p]
        if r["pair"] is None:
            raise LexiconError(f"'{p}' occurs fewer than min_count times and has no score",
                               fix="quote a pair the table scores, or lower 'min_count'")
        return r

    @value("How often a listed pair occurs in a row: `count(bin laden)`.")
    def count(self, spec, result, p):
        n = self._pair(result, p)["pair"]
        return Value(f"{n:,}", n)

    @value("How often one word of a listed pair occurs: `word_count(bin laden, laden)`.")
    def word_count(self, spec, result, p, w):
        r = self._pair(result, p)
        if w not in r["counts"]:
            raise LexiconError(f"'{w}' is not a word of '{p}'", fix="name one of the pair's two words")
        return Value(f"{r['counts'][w]:,}", r["counts"][w])

    @value("The default (Mikolov et al.) score of a listed pair, one decimal.")
    def default(self, spec, result, p):
        x = self._pair(result, p)["default"]
        return Value(shown("default", x), x)

    @value("The NPMI score of a listed pair.")
    def npmi(self, spec, result, p):
        x = self._pair(result, p)["npmi"]
        return Value(shown("npmi", x), x)

    @value("How many times as often as chance a listed pair occurs, p(a b) / (p(a) p(b)): `chance(in the)`.")
    def chance(self, spec, result, p):
        x = self._pair(result, p)["chance"]
        return Value(times(x), x)

    @value("The PMI of a listed pair in bits, log2 of `chance`, two decimals: `pmi(in the)`.")
    def pmi(self, spec, result, p):
        x = self._pair(result, p)["pmi"]
        return Value(f"{x:.2f}", x)

    @value("gensim's `len_vocab`, the default scorer's multiplier: distinct words plus distinct word pairs counted.")
    def vocab_size(self, spec, result):
        return Value(f"{result['len_vocab']:,}", result["len_vocab"])

    @value("How many running words the stories have (gensim's `corpus_word_count`).")
    def words(self, spec, result):
        return Value(f"{result['words']:,}", result["words"])

    @value("How many pairs occur at least min_count times (the pairs scored).")
    def scored(self, spec, result):
        return Value(f"{result['scored']:,}", result["scored"])

    @value("How many pairs a scorer's threshold keeps as phrases: `kept(npmi, 0.5)` (a listed threshold).")
    def kept(self, spec, result, scorer, t):
        if scorer not in SCORER:
            raise LexiconError(f"no scorer '{scorer}'", fix="write default or npmi")
        row = next((r for r in result["kept"][scorer] if float(r[0]) == float(t)), None)
        if row is None:
            raise LexiconError(f"{t} is not one of the block's {scorer} thresholds",
                               fix="quote one of " + ", ".join(str(r[0]) for r in result["kept"][scorer]))
        return Value(f"{row[1]:,}", row[1])

    @value("The k-th threshold of a scorer, as the table writes it: `threshold(default, 2)`.")
    def threshold(self, spec, result, scorer, k):
        if scorer not in SCORER or not (str(k).isdigit() and 1 <= int(k) <= len(result["kept"][scorer])):
            raise LexiconError(f"no threshold {k} for scorer '{scorer}'",
                               fix=f"write default or npmi, and k from 1 to {len(result['kept'].get(scorer, []))}")
        t = result["kept"][scorer][int(k) - 1][0]
        return Value(f"{t:g}", t)

    @value("The k-th pair by a scorer: `top(npmi, 1)`.")
    def top(self, spec, result, scorer, k):
        if scorer not in SCORER or not (str(k).isdigit() and 1 <= int(k) <= len(result["top"][scorer])):
            raise LexiconError(f"no pair {k} for scorer '{scorer}'",
                               fix=f"write default or npmi, and k from 1 to {spec.top}")
        return Value(result["top"][scorer][int(k) - 1][0])

    def render(self, spec, result, ctx):
        lead = [Caption(spec.caption)] if spec.caption else []
        parts = lead + [Html(f"<p>gensim\u2019s <code>Phrases</code> on the Lee background stories: "
                      f"<strong>{result['scored']:,}</strong> pairs of neighbouring words occur at least "
                      f"{spec.min_count} times and are scored. The default scorer is multiplied by gensim\u2019s "
                      f"<code>len_vocab</code>, the {result['len_vocab']:,} distinct words and word pairs it "
                      f"counted; NPMI uses the {result['words']:,} running words.</p>")]
        tops = result["top"]
        rows = [[k + 1, f"{d[0]} ({d[1]:,}\u00d7)", shown("default", d[2]), f"{n[0]} ({n[1]:,}\u00d7)",
                 shown("npmi", n[2])] for k, (d, n) in enumerate(zip(tops["default"], tops["npmi"]))]
        parts.append(Table(["Rank", "Top pair, default scorer (count)", "Default score", "Top pair, npmi (count)",
                            "NPMI"], rows, numeric=(0, 2, 4)))
        if result["pairs"]:
            rows = []
            for p, r in result["pairs"].items():
                a, b = p.split()
                if r["pair"] is None:
                    rows.append([p, f"fewer than {spec.min_count}", f"{r['counts'][a]:,}", f"{r['counts'][b]:,}",
                                 "not scored", "not scored", "not scored", "not scored"])
                else:
                    rows.append([p, f"{r['pair']:,}", f"{r['counts'][a]:,}", f"{r['counts'][b]:,}",
                                 times(r["chance"]), f"{r['pmi']:.2f}", shown("default", r["default"]),
                                 shown("npmi", r["npmi"])])
            parts.append(Table(["Pair", "Together", "First word", "Second word", "Times chance", "PMI (bits)",
                                "Default score", "NPMI"], rows, numeric=(1, 2, 3, 4, 5, 6, 7)))
        rows = [[s, f"{t:g}", f"{n:,}"] for s in SCORER for t, n in result["kept"][s]]
        parts.append(Table(["Scorer", "Threshold", "Pairs above it (phrases)"], rows, numeric=(1, 2)))
        parts.append(Code(CODE.format(corpus=BACKGROUND, min_count=spec.min_count, top=spec.top),
                          "The Python behind these numbers"))
        return parts


CODE = """\
from gensim.models.phrases import Phrases
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

stories = [simple_preprocess(line) for line in open(datapath({corpus!r}), encoding="utf-8")]
for scoring, low in [("default", 1e-12), ("npmi", -1.0)]:
    phrases = Phrases(stories, min_count={min_count}, threshold=low, scoring=scoring)
    scores = phrases.export_phrases()          # every scored pair above the (low) threshold
    print(scoring, sorted(scores.items(), key=lambda t: (-t[1], t[0]))[:{top}])
# the default scorer's multiplier: distinct words plus distinct word pairs; NPMI's running words
print("len_vocab", len(phrases.vocab), "corpus_word_count", phrases.corpus_word_count)
"""
