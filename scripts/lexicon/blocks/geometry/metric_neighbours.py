"""The nearest words to a word under cosine similarity, Euclidean distance and Manhattan distance side by side, and how much the lists overlap.

For each word, one table lists its nearest words under each measure, searched among the most
frequent words of the model; a second table counts the neighbours each two lists share and gives
their Jaccard similarity (shared ÷ all distinct). With `unit: true` every vector is scaled to
length 1 first: Euclidean distance then ranks exactly as cosine similarity does, and Manhattan
distance nearly so.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Subhead, Table, Text
from ...errors import LexiconError
from ...render import fmt
from ._geo import MEASURES, TITLES, jaccard, neighbours

SHOWN = ["cosine", "euclidean", "manhattan"]
SCIPY = {"cosine": "cosine", "euclidean": "euclidean", "manhattan": "cityblock"}


class MetricNeighbours(Kind):
    """The nearest words to a word under cosine similarity, Euclidean distance and Manhattan distance side by side, and how much the lists overlap.

    For each word, a table lists its nearest words under each measure, searched among the `top`
    most frequent words of the model (the word itself left out). A second table counts, for each
    two measures, the neighbours their lists share and their Jaccard similarity (shared ÷ all
    distinct words of the two lists). With `unit: true` every vector is scaled to length 1 first.
    """

    example = "words: [frog, lastly]\ntopn: 5\ntop: 20000"
    options = opt.Options(
        Kind.options,
        words=opt.words("The words whose neighbours are listed (one table each).", min=1, max=4, unique=True,
                        required=True),
        topn=opt.integer("How many neighbours each list holds.", default=10, min=3, max=20),
        top=opt.integer("Search among this many of the model's most frequent words.", default=50000,
                        min=1000, max=100000),
        unit=opt.flag("Scale every vector to length 1 before measuring.", default=False),
        caption=opt.caption(doc="A line above the tables (Markdown)."),
        code=opt.show_code(),
    )

    def anchor_hint(self, spec):
        return " ".join(spec.words)

    def compute(self, kv, spec):
        lists = {w: {m: neighbours(kv, w, m, spec.topn, spec.top, spec.unit) for m in SHOWN} for w in spec.words}
        overlap = {w: {f"{a}~{b}": [len({x for x, _ in lists[w][a]} & {x for x, _ in lists[w][b]}),
                                    round(jaccard([x for x, _ in lists[w][a]], [x for x, _ in lists[w][b]]), 4)]
                       for a, b in combinations(SHOWN, 2)} for w in spec.words}
        lengths = {w: round(float(np.linalg.norm(np.asarray(kv[w], dtype=np.float64))), 4) for w in spec.words}
        return {"lists": lists, "overlap": overlap, "lengths": lengths}

    def _pair(self, spec, result, word, a, b):
        if word not in spec.words:
            raise LexiconError(f"'{word}' is not one of the block's words", fix="name one of: " + ", ".join(spec.words))
        for m in (a, b):
            if m not in SHOWN:
                raise LexiconError(f"'{m}' is not a measure of this block", fix="write " + ", ".join(SHOWN))
        key = f"{a}~{b}" if SHOWN.index(a) < SHOWN.index(b) else f"{b}~{a}"
        return result["overlap"][word][key]

    @value("How many neighbours two measures' lists of a word share: `shared(lastly, cosine, manhattan)`.")
    def shared(self, spec, result, word, a, b):
        n = self._pair(spec, result, word, a, b)[0]
        return Value(str(n), n)

    @value("The Jaccard similarity of two measures' lists of a word: `jaccard(lastly, cosine, manhattan)`.")
    def jaccard(self, spec, result, word, a, b):
        j = self._pair(spec, result, word, a, b)[1]
        return Value(fmt(j, 2), j)

    @value("The length of a word's (raw) vector, as its heading shows it: `length(lastly)`.")
    def length(self, spec, result, word):
        self._pair(spec, result, word, "cosine", "euclidean")
        n = result["lengths"][word]
        return Value(fmt(n, 2), n)

    @value("The neighbour of a word at a rank under a measure: `neighbour(lastly, manhattan, 1)`.")
    def neighbour(self, spec, result, word, measure, rank="1"):
        self._pair(spec, result, word, "cosine" if measure != "cosine" else "euclidean", measure)
        return Value(result["lists"][word][measure][int(rank) - 1][0])

    def render(self, spec, result, ctx):
        parts = [Caption(spec.caption)] if spec.caption else []
        if spec.unit:
            parts.append(Text("Every vector was first scaled to length 1 (normalised)."))
        for w in spec.words:
            lists = result["lists"][w]
            parts.append(Subhead(f"Nearest to “{w}” (its vector's length: {fmt(result['lengths'][w], 2)})"))
            rows = [[i + 1] + [f"{lists[m][i][0]} ({fmt(lists[m][i][1], 3)})" for m in SHOWN]
                    for i in range(spec.topn)]
            parts.append(Table(["Rank"] + [f"{TITLES[m]} ({'higher' if MEASURES[m][1] else 'lower'} = closer)"
                                           for m in SHOWN], rows, numeric=(0,)))
        rows = [[w] + [f"{result['overlap'][w][f'{a}~{b}'][0]} of {spec.topn} "
                       f"(Jaccard {fmt(result['overlap'][w][f'{a}~{b}'][1], 2)})"
                       for a, b in combinations(SHOWN, 2)] for w in spec.words]
        parts.append(Subhead("Shared neighbours"))
        parts.append(Table(["Word"] + [f"{TITLES[a]} and {TITLES[b]}" for a, b in combinations(SHOWN, 2)], rows))
        parts.append(Code(code_for(spec), "The SciPy calls behind these lists"))
        return parts


def code_for(spec) -> str:
    lines = ["import numpy as np", "from scipy.spatial.distance import cdist", "",
             f"m = kv.vectors[:{spec.top}].astype(np.float64)"]
    if spec.unit:
        lines.append("m /= np.linalg.norm(m, axis=1, keepdims=True)")
    lines += [f"for word in {list(spec.words)!r}:",
              "    v = kv[word][None, :].astype(np.float64)" if not spec.unit else
              "    v = kv.get_vector(word, norm=True)[None, :].astype(np.float64)",
              "    for metric in ['cosine', 'euclidean', 'cityblock']:  # cosine: 1 - cosine similarity",
              "        order = np.argsort(cdist(v, m, metric)[0], kind='stable')",
              f"        print(word, metric, [kv.index_to_key[i] for i in order if kv.index_to_key[i] != word][:{spec.topn}])"]
    return "\n".join(lines)
