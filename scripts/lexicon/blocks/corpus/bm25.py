"""The bm25 kind: the 300 news stories ranked for a query by Okapi BM25, beside TF-IDF cosine, at several k1 and b."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Table, Text
from ...errors import LexiconError
from ...numeric import SCORE_DIGITS
from ...render import fmt
from ._claims import check_all, parse
from ._lee import BACKGROUND, NOTE, READ, opening, stories
from ._rank import (bm25_scores, document_frequency, idf_floor, order, query_words, term_counts, tfidf_scores,
                    tied_ranks)

NAMES = {"top": False, "tfidf_top": False, "rank": True, "tfidf_rank": True, "score": True}
EXAMPLE_CLAIM = "rank(12) < tfidf_rank(12)"
SETTINGS_SCHEMA = {"type": "array", "maxItems": 4, "items": {
    "type": "array", "minItems": 2, "maxItems": 2,
    "prefixItems": [{"type": "number", "minimum": 0, "maximum": 10}, {"type": "number", "minimum": 0, "maximum": 1}]}}


def bm25_result(query: str, k1: float, b: float, topn: int, settings: list) -> dict:
    words = query_words(query)
    main = bm25_scores(words, k1, b)
    cosine = tfidf_scores(words)
    scored = [main, cosine] + [bm25_scores(words, sk, sb) for sk, sb in settings]
    # The best `topn` of each ranking (ties by story number), each story with its rank in every ranking:
    # stories with equal scores share a rank.
    shown = list(dict.fromkeys(d for s in scored for d in order(s)[:topn]))
    position = [tied_ranks(s) for s in scored]
    lengths = [len(s) for s in stories()]
    floor = idf_floor()
    return {
        "idf_floor": round(floor["floor"], SCORE_DIGITS), "epsilon": floor["epsilon"], "floored": floor["floored"],
        "below_floor": floor["below_floor"],
        "query": query, "words": words, "df": [document_frequency(w) for w in words],
        "k1": k1, "b": b, "settings": settings, "stories": len(lengths),
        "avgdl": round(sum(lengths) / len(lengths), 2),
        "rows": [{"story": d + 1, "length": lengths[d], "counts": term_counts(d, words),
                  "bm25": round(main[d], SCORE_DIGITS), "tfidf": round(cosine[d], SCORE_DIGITS),
                  "ranks": [p[d] for p in position], "opening": opening(stories()[d], 12)} for d in shown],
    }


class Bm25(Kind):
    """The 300 news stories of gensim's Lee corpus ranked for a query by Okapi BM25 (gensim's
    `OkapiBM25Model`), beside the TF-IDF cosine ranking and the BM25 ranking at other `k1` and `b`.

    BM25 weighs each query word t in story d by `idf(t) · tf · (k1 + 1) / (tf + k1 · (1 − b + b · |d| / avgdl))`,
    with `idf(t) = ln((N − df + 0.5) / (df + 0.5))` (gensim floors a negative idf at 0.25 times the mean idf),
    and sums the weights of the query's distinct words. `k1` sets how fast repeated words stop adding
    (saturation), `b` how much a long story is penalised (0: not at all; 1: fully). The TF-IDF column is
    the cosine of scikit-learn `TfidfVectorizer` rows. The table lists the union of the `topn` best stories
    of every ranking, with their length and the count of each query word; equal scores share a rank. Claims compare `top`, `tfidf_top`
    (the best story's number), `rank(N)`, `tfidf_rank(N)`, `score(N)` of story N. Needs no embedding model.
    """

    example = "query: qantas strike\ntopn: 3\nsettings: [[1.5, 0]]\nexpect:\n  - tfidf_top > 0"
    needs_model = False
    note = NOTE.format(what=f"{BACKGROUND}, 300 news stories")
    options = opt.Options(
        Kind.options,
        query=opt.text("The query: a few words (lower case; words the corpus lacks are ignored).", required=True),
        k1=opt.number("BM25's saturation parameter k1 (gensim's default 1.5).", default=1.5, min=0, max=10),
        b=opt.number("BM25's length normalisation b, from 0 (none) to 1 (full; gensim's default 0.75).",
                     default=0.75, min=0, max=1),
        topn=opt.integer("How many best stories of each ranking the table lists.", default=5, min=1, max=10),
        settings=opt.raw("Other `[k1, b]` pairs to rank with, each a column of ranks (up to 4).", SETTINGS_SCHEMA,
                         "list of up to 3 `[k1, b]` pairs", default=[], convert=lambda v: [list(p) for p in v]),
        expect=opt.claims(f"Claims: `top = 12`, `{EXAMPLE_CLAIM}`, `score(12) > score(40)` (quantities: top, "
                          "tfidf_top, rank(N), tfidf_rank(N), score(N) of story N).", "list of statements"),
        caption=opt.caption(doc="A line above the table (Markdown)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        for text in spec.expect:
            parse(text, NAMES, EXAMPLE_CLAIM)

    def anchor_hint(self, spec):
        return "bm25 " + spec.query

    def compute(self, kv, spec):
        return bm25_result(spec.query, spec.k1, spec.b, spec.topn, spec.settings)

    def _row(self, result, story) -> dict:
        row = next((r for r in result["rows"] if str(r["story"]) == str(story).strip()), None)
        if row is None:
            raise LexiconError(f"story {story} is not among the stories the table lists",
                               fix="name a story of the table: " + ", ".join(str(r["story"]) for r in result["rows"]))
        return row

    def claims(self, spec, result, check):
        def lookup(name, arg):
            if name in ("top", "tfidf_top"):
                col = 0 if name == "top" else 1
                s = next(r["story"] for r in result["rows"] if r["ranks"][col] == 1)
                return s, f"{'BM25' if col == 0 else 'TF-IDF'} ranks story {s} first"
            row = self._row(result, arg)
            if name == "score":
                return row["bm25"], f"story {arg} scores {fmt(row['bm25'])}"
            col = 0 if name == "rank" else 1
            return row["ranks"][col], f"story {arg} is #{row['ranks'][col]} by {'BM25' if col == 0 else 'TF-IDF'}"
        check_all(spec.expect, NAMES, EXAMPLE_CLAIM, lookup, check)

    @value("How many stories are ranked.")
    def stories(self, spec, result):
        return Value(str(result["stories"]), result["stories"])

    @value("The number of the story BM25 ranks first.")
    def top(self, spec, result):
        s = next(r["story"] for r in result["rows"] if r["ranks"][0] == 1)
        return Value(str(s), s)

    @value("The number of the story TF-IDF cosine ranks first.")
    def tfidf_top(self, spec, result):
        s = next(r["story"] for r in result["rows"] if r["ranks"][1] == 1)
        return Value(str(s), s)

    @value("A listed story's BM25 score.")
    def score(self, spec, result, story):
        x = self._row(result, story)["bm25"]
        return Value(fmt(x), x)

    @value("A listed story's TF-IDF cosine with the query.")
    def cosine(self, spec, result, story):
        x = self._row(result, story)["tfidf"]
        return Value(fmt(x), x)

    @value("A listed story's rank: `rank(12)` by BM25, `rank(12, tfidf)`, or `rank(12, 2)` under the second setting.")
    def rank(self, spec, result, story, by="bm25"):
        cols = {"bm25": 0, "tfidf": 1} | {str(i + 1): i + 2 for i in range(len(result["settings"]))}
        if str(by) not in cols:
            raise LexiconError(f"'{by}' is not a ranking of the block", fix="write bm25, tfidf or a setting's number")
        r = self._row(result, story)["ranks"][cols[str(by)]]
        return Value(str(r), r)

    @value("A listed story's length in words.")
    def length(self, spec, result, story):
        n = self._row(result, story)["length"]
        return Value(str(n), n)

    @value("How often a query word occurs in a listed story: `count(12, qantas)`.")
    def count(self, spec, result, story, word):
        if word not in result["words"]:
            raise LexiconError(f"'{word}' is not a word of the query", fix="name one of: " + ", ".join(result["words"]))
        n = self._row(result, story)["counts"][result["words"].index(word)]
        return Value(str(n), n)

    @value("In how many stories a query word occurs.")
    def df(self, spec, result, word):
        if word not in result["words"]:
            raise LexiconError(f"'{word}' is not a word of the query", fix="name one of: " + ", ".join(result["words"]))
        n = result["df"][result["words"].index(word)]
        return Value(str(n), n)

    @value("gensim's idf floor, ε times the mean idf, given to every word found in more than half the stories.")
    def idf_floor(self, spec, result):
        return Value(fmt(result["idf_floor"]), result["idf_floor"])

    @value("gensim's ε, the share of the mean idf that floors a negative idf.")
    def epsilon(self, spec, result):
        return Value(f"{result['epsilon']:g}", result["epsilon"])

    @value("How many words of the corpus get the idf floor (found in more than half the stories).")
    def floored(self, spec, result):
        return Value(str(result["floored"]), result["floored"])

    @value("How many words found in at most half the stories get an idf below the floor.")
    def below_floor(self, spec, result):
        return Value(str(result["below_floor"]), result["below_floor"])

    @value("The average story length in words (avgdl).")
    def avgdl(self, spec, result):
        return Value(fmt(result["avgdl"], 1), result["avgdl"])

    def render(self, spec, result, ctx):
        words = result["words"]
        heads = (["Story", "Words"] + [f"“{w}”" for w in words] + ["BM25", "BM25 rank", "TF-IDF cosine", "TF-IDF rank"]
                 + [f"rank, k1 {k:g} b {b:g}" for k, b in result["settings"]] + ["Opening, as tokenised"])
        rows = sorted(result["rows"], key=lambda r: r["ranks"][0])
        body = [[r["story"], r["length"], *r["counts"], fmt(r["bm25"]), r["ranks"][0], fmt(r["tfidf"]), r["ranks"][1],
                 *r["ranks"][2:], r["opening"]] for r in rows]
        lead = Caption(spec.caption) if spec.caption else Text(
            f"Query \u201c{result['query']}\u201d (words {', '.join(words)}; in "
            f"{', '.join(str(d) for d in result['df'])} of the {result['stories']} stories), BM25 with k1 "
            f"{spec.k1:g} and b {spec.b:g}; stories average {fmt(result['avgdl'], 1)} words. The table lists the "
            f"union of the {spec.topn} best stories of each ranking, in BM25 order, so BM25 ranks can skip a "
            f"number.")
        n = len(heads) - 1
        return [lead, Table(heads, body, numeric=tuple(range(n))),
                Code(READ.format(corpus=BACKGROUND) +
                     "from gensim.corpora import Dictionary\nfrom gensim.models import OkapiBM25Model\n"
                     "from sklearn.feature_extraction.text import TfidfVectorizer\n\n"
                     "dictionary = Dictionary(stories)\nbows = [dictionary.doc2bow(s) for s in stories]\n"
                     f"query = {words!r}\nids = {{dictionary.token2id[w] for w in query}}\n"
                     f"bm25 = OkapiBM25Model(dictionary=dictionary, k1={spec.k1:g}, b={spec.b:g})\n"
                     "scores = [sum(w for i, w in bm25[bow] if i in ids) for bow in bows]\n"
                     "tfidf = TfidfVectorizer(analyzer=list)\nrows = tfidf.fit_transform(stories)\n"
                     "cosines = (rows @ tfidf.transform([query]).T).toarray().ravel()\n",
                     "The Python behind these numbers")]
