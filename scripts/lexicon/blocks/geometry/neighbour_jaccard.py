"""The Jaccard similarity of two words' neighbour lists: the neighbours they share, divided by all the distinct neighbours of the two, next to the cosine similarity of the pair.

Each word's `topn` nearest words by cosine similarity are found among the `top` most frequent
words of the model (the word itself left out, and each word of the pair left out of the other's
list, so that a pair is not rewarded for naming each other). The table lists the shared words.
"""

from __future__ import annotations

from dataclasses import replace

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Table
from ...errors import LexiconError
from ...render import fmt
from ._geo import DIGITS, jaccard, neighbour_sets


class NeighbourJaccard(Kind):
    """The Jaccard similarity of two words' neighbour lists (shared ÷ all distinct), next to the cosine similarity of the pair.

    Each word's `topn` nearest words by cosine similarity are found among the `top` most frequent
    words (the word itself and the other word of the pair left out). The table gives, for each
    pair, the shared neighbours, the size of the union, the Jaccard similarity and the pair's own
    cosine similarity.
    """

    example = "pairs:\n  - [monday, tuesday]\n  - [cat, dog]\ntopn: 10\ntop: 20000"
    options = opt.Options(
        Kind.options,
        pairs=replace(opt.pairs("The pairs, in the order they are listed.", max=8, required=True),
                      type_doc="1–8 pairs `[word, word]`"),
        topn=opt.integer("How many nearest words each list holds.", default=10, min=3, max=50),
        top=opt.integer("Search among this many of the most frequent words.", default=50000, min=1000, max=100000),
        caption=opt.caption(doc="A line above the table (Markdown)."),
        code=opt.show_code(),
    )

    def anchor_hint(self, spec):
        return " ".join(spec.pairs[0])

    def compute(self, kv, spec):
        rows = []
        for a, b in spec.pairs:
            na, nb = neighbour_sets(kv, a, b, spec.topn, spec.top)
            rows.append({"shared": [w for w in na if w in set(nb)], "union": len(set(na) | set(nb)),
                         "jaccard": round(jaccard(na, nb), DIGITS),
                         "cosine": round(float(kv.similarity(a, b)), DIGITS), "lists": [na, nb]})
        return {"rows": rows}

    def _row(self, spec, result, a, b):
        for p, r in zip(spec.pairs, result["rows"]):
            if sorted(p) == sorted([a, b]):
                return r
        raise LexiconError(f"the pair {a}–{b} is not listed in the block", fix="name a pair listed under 'pairs'")

    @value("A pair's Jaccard similarity, as the table shows it: `jaccard(cat, dog)`.")
    def jaccard(self, spec, result, a, b):
        j = self._row(spec, result, a, b)["jaccard"]
        return Value(fmt(j, 2), j)

    @value("How many neighbours a pair shares: `shared(cat, dog)`.")
    def shared(self, spec, result, a, b):
        n = len(self._row(spec, result, a, b)["shared"])
        return Value(str(n), n)

    @value("How many distinct neighbours the two lists hold together: `union(cat, dog)`.")
    def union(self, spec, result, a, b):
        n = self._row(spec, result, a, b)["union"]
        return Value(str(n), n)

    @value("A pair's cosine similarity, as the table shows it: `cosine(cat, dog)`.")
    def cosine(self, spec, result, a, b):
        c = self._row(spec, result, a, b)["cosine"]
        return Value(fmt(c), c)

    def render(self, spec, result, ctx):
        rows = [[f"{a} – {b}", ", ".join(r["shared"]) or "(none)", len(r["shared"]), r["union"], fmt(r["jaccard"], 2),
                 fmt(r["cosine"])] for (a, b), r in zip(spec.pairs, result["rows"])]
        parts = [Table(["Pair", "Shared neighbours", "Shared", "All distinct", "Jaccard", "Cosine of the pair"], rows,
                       numeric=(2, 3, 4, 5))]
        if spec.caption:
            parts.insert(0, Caption(spec.caption))
        a, b = spec.pairs[0]
        parts.append(Code(
            "import numpy as np\nfrom sklearn.metrics import jaccard_score\n\n"
            f"top, topn = {spec.top}, {spec.topn}\n"
            "m = kv.vectors[:top] / np.linalg.norm(kv.vectors[:top], axis=1, keepdims=True)\n\n"
            "def near(word, other):\n"
            "    order = np.argsort(-(m @ kv.get_vector(word, norm=True)), kind='stable')\n"
            "    return [i for i in order if kv.index_to_key[i] not in (word, other)][:topn]\n\n"
            f"a, b = near({a!r}, {b!r}), near({b!r}, {a!r})\n"
            "ya, yb = np.isin(np.arange(top), a), np.isin(np.arange(top), b)  # each list as a 0/1 vector\n"
            "print(jaccard_score(ya, yb))", "The NumPy and scikit-learn calls behind the first pair"))
        return parts
