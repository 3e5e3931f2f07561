"""The ``direction`` kind: words projected onto a direction defined by word pairs."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Details, Figure, Html, Table
from ...errors import LexiconError
from ...render import fmt
from ._projection import pairs_option, parse_statement, projection_figure, projection_of, projections, signed, \
    sorted_words


class Direction(Kind):
    """Words projected onto a direction defined by word pairs (e.g. he − she, man − woman), as a sorted bar chart, with claims about signs and order.

    The direction is the average of unit(*a*) − unit(*b*) over the pairs, scaled to length 1.
    A word's projection is its cosine similarity with that direction: positive leans towards
    the first word of the pairs, negative towards the second. The bar chart is sorted; a
    folded table shows how well each pair agrees with the average direction.

    This is the measurement behind studies of bias in word embeddings (Bolukbasi et al. 2016
    found their direction by PCA of such pair differences; the average is the simpler version
    used here) and behind "semantic directions" such as good − bad.
    """

    example = ("pairs:\n  - [good, bad]\n  - [happy, sad]\n  - [love, hate]\n"
               "words: [birthday, gift, funeral, war, murder]\nends: [pleasant, unpleasant]\n"
               "expect:\n  - birthday > 0\n  - murder < 0")
    options = opt.Options(
        Kind.options,
        pairs=pairs_option(),
        words=opt.words("The words to project.", min=2, max=40, unique=True, required=True,
                        type_doc="2–40 different words"),
        ends=opt.raw("Names of the two ends, used in the axis title and the claims, e.g. "
                     "`[pleasant, unpleasant]`.", opt.word_list(2, 2), "two names", default_doc="the first pair",
                     display=True, convert=list),
        expect=opt.raw("`ordered`: the words as listed go from the first end to the second. Or statements: "
                       "`nurse < 0` (leans to the second end), `captain > 0`, `captain > nurse`.",
                       {"oneOf": [{"const": "ordered"}, opt.word_list()]},
                       "`ordered`, or a list of [statements](#claims)", display=True),
        caption=opt.caption("“Each word's projection on the direction …: its cosine similarity with that "
                            "direction. …”"),
        figure=opt.show_figure("Show the bar chart. With `false`, only the table is shown."),
        code=opt.show_code("Show the collapsible Python."),
    )

    def prepare(self, spec):
        if spec.expect not in (None, "ordered"):
            for text in spec.expect:
                parse_statement(text, spec.words)
        spec.end_names = tuple(spec.ends) if spec.ends else (spec.pairs[0][0], spec.pairs[0][1])

    def anchor_hint(self, spec):
        return " ".join(spec.pairs[0])

    def queries(self, spec):
        return [([a], [b]) for a, b in spec.pairs]

    def compute(self, kv, spec):
        return projections(kv, spec.pairs, spec.words)

    def claims(self, spec, result, check):
        expect = spec.expect
        if not expect:
            return
        words, scores = spec.words, result["scores"]
        score = dict(zip(words, scores))
        ends = spec.end_names
        shown = ", ".join(f"{w} ({s:.4f})" for w, s in sorted_words(words, scores))
        if expect == "ordered":
            order = [w for w, _ in sorted_words(words, scores)]
            check(f"the words, as listed, go from most towards '{ends[0]}' to most towards '{ends[1]}'",
                  order == words, f"the model's order: {shown}")
            return
        for text in expect:
            left, op, right = parse_statement(text, words)
            lv = score[left]
            rv = 0.0 if right == "0" else score[right]
            ok = lv > rv if op == ">" else lv < rv
            if right == "0":
                statement = f"'{left}' leans towards '{ends[0] if op == '>' else ends[1]}' (projection {op} 0)"
                actual = f"projection of '{left}' = {lv:.4f}"
            else:
                statement = f"'{left}' lies further towards '{ends[0] if op == '>' else ends[1]}' than '{right}'"
                actual = f"projection of '{left}' = {lv:.4f}, of '{right}' = {rv:.4f}"
            check(statement, ok, actual + f"; all: {shown}")

    @value("A word's projection (its cosine with the direction), as the table shows it: `projection(nurse)`.")
    def projection(self, spec, result, word):
        return projection_of(spec.words, result["scores"], word)

    @value("A word's rank in the sorted chart (1 = furthest towards the first end): `rank(nurse)`.")
    def rank(self, spec, result, word):
        order = [w for w, _ in sorted_words(spec.words, result["scores"])]
        if word not in order:
            raise LexiconError(f"'{word}' is not one of the block's words",
                               fix=f"name one of the words listed under 'words': {', '.join(spec.words)}")
        r = order.index(word) + 1
        return Value(str(r), r)

    @value("How well a pair agrees with the direction (the cosine of its own difference with it), as the "
           "folded table shows it: `agreement(he, she)`.")
    def agreement(self, spec, result, a, b):
        for p, g in zip(spec.pairs, result["pair_agreement"]):
            if p == [a, b]:
                return Value(fmt(g), g)
        raise LexiconError(f"the pair {a} − {b} does not define the direction",
                           fix="name a pair listed under 'pairs', in its order: "
                               + ", ".join(f"{x}, {y}" for x, y in spec.pairs))

    def render(self, spec, result, ctx):
        words, scores = spec.words, result["scores"]
        ends = spec.end_names
        order = sorted_words(words, scores)
        rows = [[i + 1, w, fmt(s)] for i, (w, s) in enumerate(order)]
        pair_names = ", ".join(f"{a} − {b}" for a, b in spec.pairs)
        caption_default = (f"Each word's projection on the direction {pair_names}"
                           f"{' (averaged)' if len(spec.pairs) > 1 else ''}: its cosine similarity with that "
                           f"direction. Bars to the right lean towards “{ends[0]}”, to the left towards “{ends[1]}”.")
        agree_rows = [[f"{a} − {b}", fmt(g)] for (a, b), g in zip(spec.pairs, result["pair_agreement"])]
        return [
            Figure(lambda: projection_figure(words, scores, ends, f"{ends[0]} ↔ {ends[1]}"),
                   alt=(f"Bar chart of projections on the {ends[0]}–{ends[1]} direction, highest first: "
                        + ", ".join(f"{w} {signed(s)}" for w, s in order) + "."),
                   caption=spec.caption, default_caption=caption_default, height=90 + 26 * len(words),
                   table=Table(["Rank", "Word", "Projection"], rows, numeric=(0, 2))),
            Details("How well the pairs agree on one direction", [
                Html('<p>The cosine of each pair\u2019s own difference with the averaged direction: near 1, the '
                     'pair points the same way as the others; low, it adds mostly something else.</p>'),
                Table(["Pair", "Cosine with the direction"], agree_rows, numeric=(1,))]),
            Code(direction_code(spec.pairs, words), "The Python behind these numbers"),
        ]


def direction_code(pairs, words) -> str:
    return ("import numpy as np\n\n"
            "def unit(v):\n    return v / np.linalg.norm(v)\n\n"
            f"pairs = {[tuple(p) for p in pairs]!r}\n"
            "direction = unit(np.mean([unit(kv[a]) - unit(kv[b]) for a, b in pairs], axis=0))\n"
            f"for w in {list(words)!r}:\n"
            "    print(w, unit(kv[w]) @ direction)  # the cosine with the direction\n")
