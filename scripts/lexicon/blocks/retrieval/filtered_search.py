"""Nearest neighbours restricted by a metadata filter, filtered first or last."""

from __future__ import annotations

import numpy as np

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Details, Figure, Html, Table, Text
from ...errors import LexiconError
from ...numeric import SCORE_DIGITS
from ...render import esc, fmt

EXPECT = {"type": "object", "additionalProperties": False, "required": [],
          "properties": {"nearest": {"type": "string", "minLength": 1},
                         "post_filter": {"type": "integer", "minimum": 0}}}


class FilteredSearch(Kind):
    """Nearest neighbours under a metadata filter: filtering first (always k results) against
    searching first and filtering the results (often fewer).

    The store is the model's `top` most frequent words; the `allow` words are the ones that pass
    the filter (say, tagged *drink*). Both searches are exact (cosine):

    - **Filter first** (pre-filtering) ranks only the allowed words, so there are always `k` results.
    - **Search first** (post-filtering) fetches the `fetch` nearest words of the whole store, then
      drops the ones that fail the filter, and often returns fewer than `k`.
    """

    example = ("query: coffee\nallow: [tea, milk, juice, beer, wine, cocoa]\ntag: drink\nk: 5\nfetch: 10\n"
               "expect: {nearest: wine, post_filter: 3}")
    options = opt.Options(
        Kind.options,
        query=opt.word("The query word.", required=True),
        allow=opt.words("The words that pass the filter; they must be in the store.", min=2, max=200, unique=True,
                        required=True),
        tag=opt.text("Name of the filter, as the block shows it (*drink*).", default="allowed", display=True),
        k=opt.integer("Results asked for.", default=5, min=1, max=20),
        fetch=opt.integer("Candidates the search-first query fetches from the whole store before filtering; at "
                          "least `k`.", min=1, max=1000, default_doc="2 × `k`"),
        top=opt.integer("Store size: how many of the model's most frequent words it holds.", default=50_000,
                        min=1000, max=400_000),
        expect=opt.raw("`nearest`: the top filter-first result; `post_filter`: how many results searching first "
                       "returns.", EXPECT, "`{nearest: word, post_filter: n}`, [claims](#claims)", default={},
                       default_doc="none", display=True),
        caption=opt.caption("generated"),
    )

    def prepare(self, spec):
        k = spec.k
        allow = [w for w in spec.allow if w != spec.query]
        if k > len(allow):
            raise LexiconError(f"k ({k}) is more than the {len(allow)} allowed words (the query left out)",
                               fix="lower k or allow more words")
        if spec.fetch is None:
            spec.fetch = 2 * k
        if spec.fetch < k:
            raise LexiconError(f"'fetch' ({spec.fetch}) is less than k ({k})",
                               fix="fetch at least k candidates before filtering (often 2 to 10 times k)")
        if "post_filter" in spec.expect and spec.expect["post_filter"] > k:
            raise LexiconError(f"post-filtering returns at most k ({k}) results",
                               fix=f"claim a number from 0 to {k}")
        if "nearest" in spec.expect and spec.expect["nearest"] not in allow:
            raise LexiconError(f"'nearest' ({spec.expect['nearest']}) is not one of the allowed words",
                               fix="name a word listed under 'allow'")

    def anchor_hint(self, spec):
        return f"filtered {spec.query} {spec.tag}"

    def compute(self, kv, spec):
        top = spec.top
        for w in [spec.query] + spec.allow:
            if kv.key_to_index[w] >= top:
                raise LexiconError(f"'{w}' is word #{kv.key_to_index[w] + 1:,} by frequency, outside the store "
                                   f"of the {top:,} most frequent words",
                                   fix=f"raise 'top' above {kv.key_to_index[w] + 1} or choose a more frequent word")
        x = np.asarray(kv.vectors[:top], dtype=np.float32)
        x = x / np.linalg.norm(x, axis=1, keepdims=True)
        q = kv.key_to_index[spec.query]
        sims = x @ x[q]
        sims[q] = -np.inf
        ranked = sorted(range(top), key=lambda j: (-sims[j], j))  # ties: the more frequent word first
        rank_of = {j: r + 1 for r, j in enumerate(ranked)}
        names = kv.index_to_key
        allowed = {kv.key_to_index[w] for w in spec.allow} - {q}
        fetched = ranked[:spec.fetch]
        post = [j for j in fetched if j in allowed][:spec.k]
        pre = sorted(allowed, key=lambda j: (-sims[j], j))[:spec.k]

        def row(j):
            return [names[j], round(float(sims[j]), SCORE_DIGITS), rank_of[j]]
        return {"unfiltered": [row(j) for j in fetched], "pre": [row(j) for j in pre],
                "post": [row(j) for j in post], "store": top}

    def claims(self, spec, result, check):
        exp = spec.expect
        if "nearest" in exp:
            top = result["pre"][0][0]
            check(f"the nearest {spec.tag} word to '{spec.query}' is '{exp['nearest']}'", top == exp["nearest"],
                  "the filtered results: " + ", ".join(f"{w} ({s:.4f})" for w, s, _ in result["pre"]),
                  decided_by=[s for _, s, _ in result["pre"]])
        if "post_filter" in exp:
            n = len(result["post"])
            check(f"searching the {spec.fetch} nearest words first and then filtering returns "
                  f"{exp['post_filter']} of the {spec.k} results asked for", n == exp["post_filter"],
                  f"it returns {n}: " + (", ".join(w for w, _, _ in result["post"]) or "nothing"))

    @value("How many results searching first and filtering last returns (at most `k`).")
    def post_filter(self, spec, result):
        return Value(str(len(result["post"])), len(result["post"]))

    @value("The filter-first result at this rank (1 = the nearest allowed word).")
    def nearest(self, spec, result, rank="1"):
        return Value(_at(result["pre"], rank)[0])

    @value("The word at this rank of the whole store before filtering (1 = the nearest word of all).")
    def fetched(self, spec, result, rank="1"):
        return Value(_at(result["unfiltered"], rank)[0])

    @value("A filter-first result's rank among all the store's words, as the table shows it (“#12”).")
    def store_rank(self, spec, result, word):
        r = _row(result, word)[2]
        return Value(f"#{r:,}", r)

    @value("A filter-first result's cosine similarity to the query, as the table shows it.")
    def cosine(self, spec, result, word):
        s = _row(result, word)[1]
        return Value(fmt(s), s)

    def render(self, spec, result, ctx):
        q, k, tag, fetch = spec.query, spec.k, spec.tag, spec.fetch
        pre, post = result["pre"], result["post"]
        labels = [f"{w} (#{r:,} overall)" for w, _, r in pre]
        post_rows = [[i + 1, w, fmt(s), f"#{r:,}"] for i, (w, s, r) in enumerate(post)] or \
            [["–", "(nothing passed the filter)", "", ""]]
        passed = {p[0] for p in post}
        unf = [[i + 1, w + (f" ✓ {tag}" if w in passed else ""), fmt(s)]
               for i, (w, s, _) in enumerate(result["unfiltered"])]
        shown_allow = spec.allow[:4] + ["..."] if len(spec.allow) > 4 else spec.allow
        source = (
            "import numpy as np\n"
            f"x = kv.vectors[:{spec.top}]; x = x / np.linalg.norm(x, axis=1, keepdims=True)\n"
            f"sims = x @ x[kv.key_to_index[{q!r}]]\n"
            f"allowed = {shown_allow!r}\n".replace("'...'", "...")
            + "\n# filter first: rank only the allowed words\n"
            f"sorted(allowed, key=lambda w: -sims[kv.key_to_index[w]])[:{k}]\n\n"
            "# search first, filter last: the nearest words of the whole store, then the filter\n"
            f"fetched = [kv.index_to_key[j] for j in np.argsort(-sims)[1:{fetch + 1}]]  # [0] is the query\n"
            f"[w for w in fetched if w in allowed][:{k}]\n")
        return [
            Html(f"<p>Filtering first returns <strong>{len(pre)} of {k}</strong> results. Searching first "
                 f"(the {fetch} nearest of all {result['store']:,} words) and then keeping only the "
                 f"<em>{esc(tag)}</em> words returns <strong>{len(post)} of {k}</strong>.</p>"),
            Figure(lambda: figures.bar_scores(labels, [s for _, s, _ in pre],
                                              title=f"Nearest “{tag}” words to “{q}”"),
                   alt=(f"Bar chart of the {len(pre)} nearest {tag} words to {q} by cosine similarity: "
                        + ", ".join(f"{w} {s:.2f} (rank {r} in the whole store)" for w, s, r in pre) + "."),
                   caption=spec.caption,
                   default_caption=(f"Filter first: the {k} nearest words to “{q}” among those tagged *{tag}*, "
                                    f"with each one's rank among all {result['store']:,} words."),
                   height=80 + 30 * len(pre),
                   table=Table(["Rank", "Filter first", "Cosine", "Rank in the whole store"],
                               [[i + 1, w, fmt(s), f"#{r:,}"] for i, (w, s, r) in enumerate(pre)],
                               numeric=(0, 2, 3))),
            Text(f"Search first, filter last: of the {fetch} nearest words, these pass the filter."),
            Table(["Rank", "Search first, then filter", "Cosine", "Rank in the whole store"], post_rows,
                  numeric=(0, 2, 3)),
            Details(f"The {fetch} nearest words before filtering",
                    [Table(["Rank", "Word", "Cosine"], unf, numeric=(0, 2))]),
            Code(source, "The numpy calls behind these results"),
        ]


def _at(rows: list, rank) -> list:
    try:
        i = int(rank)
    except ValueError:
        i = 0
    if not 1 <= i <= len(rows):
        raise LexiconError(f"'{rank}' is not a rank from 1 to {len(rows)}", fix=f"write a rank from 1 to {len(rows)}")
    return rows[i - 1]


def _row(result, word: str) -> list:
    for row in result["pre"]:
        if row[0] == word:
            return row
    raise LexiconError(f"'{word}' is not among the filter-first results",
                       fix="name one of: " + ", ".join(w for w, _, _ in result["pre"]))
