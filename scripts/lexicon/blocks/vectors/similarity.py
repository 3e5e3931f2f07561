from __future__ import annotations

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.checks import parse_comparison
from ...engine.pieces import Code, Figure, Table
from ...render import fmt
from ._cosine import COMPARISONS_DOC, pair_label, similarities


class Similarity(Kind):
    """Cosine similarity of word pairs (gensim's similarity), as a table and a bar chart.

    Scores run from −1 (opposite directions) through 0 (unrelated) to 1 (same direction).
    """

    example = "pairs:\n  - [doctor, nurse]\n  - [doctor, hospital]\n  - [doctor, banana]\nexpect: ordered"
    options = opt.Options(
        Kind.options,
        pairs=opt.pairs("The pairs, in the order they are shown.", max=50, required=True),
        # Comparisons may name other pairs, which are then computed too: not display-only.
        expect=opt.raw("`ordered`: the pairs as listed go from most to least similar. Or a list of comparisons: "
                       + COMPARISONS_DOC[0].lower() + COMPARISONS_DOC[1:], {"oneOf": [{"const": "ordered"}, opt.word_list()]},
                       "`ordered`, or a list of [comparisons](#claims)"),
        caption=opt.caption("“Cosine similarity of each pair.”"),
        figure=opt.show_figure(),
    )

    def prepare(self, spec):
        spec.compared = [] if spec.expect in (None, "ordered") else [parse_comparison(t) for t in spec.expect]

    def words(self, spec):
        return [w for p in spec.pairs for w in p] + [w for left, _, right in spec.compared for w in left + right]

    def anchor_hint(self, spec):
        return " ".join(w for p in spec.pairs[:2] for w in p)

    def compute(self, kv, spec):
        out = {"scores": similarities(kv, spec.pairs)}
        if spec.compared:
            out["compared"] = [similarities(kv, [left, right]) for left, _, right in spec.compared]
        return out

    def claims(self, spec, result, check):
        if spec.expect == "ordered":
            labels = [pair_label(p) for p in spec.pairs]
            check.order(labels, result["scores"], labels, "these pairs")
        for text, vals in zip(spec.expect if spec.compared else [], result.get("compared", [])):
            check.comparison(text, *vals)

    @value("The cosine of a listed pair, as the table shows it.")
    def cosine(self, spec, result, a, b):
        for pair, s in zip(spec.pairs, result["scores"]):
            if sorted(pair) == sorted([a, b]):
                return Value(fmt(s), s)
        raise KeyError(f"the pair {a}, {b} is not listed")

    def render(self, spec, result, ctx):
        labels = [pair_label(p) for p in spec.pairs]
        scores = result["scores"]
        return [
            Figure(lambda: figures.bar_scores(labels, scores, title="Cosine similarity"),
                   alt="Bar chart of cosine similarity: " + ", ".join(f"{lab} {s:.2f}" for lab, s in zip(labels, scores)) + ".",
                   caption=spec.caption, default_caption="Cosine similarity of each pair.",
                   height=80 + 34 * len(labels),
                   table=Table(["Pair", "Cosine"], [[lab, fmt(s)] for lab, s in zip(labels, scores)], numeric=(1,))),
            Code("\n".join(f"kv.similarity({a!r}, {b!r})" for a, b in spec.pairs), "The gensim calls behind these numbers"),
        ]
