from __future__ import annotations

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.checks import NEIGHBOUR_PHRASES, RANK_SCHEMA, check_depth, parse_rank
from ...engine.pieces import Code, Figure, Table
from ...numeric import SCORE_DIGITS
from ...render import fmt


class Neighbours(Kind):
    """The nearest words to one word (gensim's most_similar), as a table and a bar chart.

    The words are ranked by cosine similarity to the word; the word itself is never listed.
    """

    example = ("word: frog\ntopn: 8\nexpect: {word: toad, within: 5}\n"
               "caption: The eight nearest words to “frog”. Not all of them are animals.")
    options = opt.Options(
        Kind.options,
        word=opt.word("The word whose neighbours are listed.", required=True),
        topn=opt.integer("How many neighbours to list.", default=10, min=1, max=50),
        expect=opt.raw("A word you expect among the neighbours.", RANK_SCHEMA, "[rank claim](#claims)",
                       display=True, convert=parse_rank),
        caption=opt.caption("“Nearest neighbours of “…” by cosine similarity.”"),
        figure=opt.show_figure("Show the bar chart. With `false`, only the table is shown."),
    )

    def prepare(self, spec):
        check_depth(spec.expect, spec.topn)

    def anchor_hint(self, spec):
        return spec.word

    def compute(self, kv, spec):
        return {"neighbours": [[w, round(float(s), SCORE_DIGITS)] for w, s in kv.most_similar(spec.word, topn=spec.topn)]}

    def claims(self, spec, result, check):
        if spec.expect:
            check.rank(spec.expect, result["neighbours"], f"'{spec.word}'", NEIGHBOUR_PHRASES)

    @value("The neighbour at this rank (1 = the nearest).")
    def neighbour(self, spec, result, rank="1"):
        return Value(result["neighbours"][int(rank) - 1][0])

    @value("A neighbour's cosine with the word, as the table shows it.")
    def cosine(self, spec, result, word):
        scores = dict(map(tuple, result["neighbours"]))
        return Value(fmt(scores[word]), scores[word])

    @value("A neighbour's rank (1 = the nearest).")
    def rank(self, spec, result, word):
        words = [w for w, _ in result["neighbours"]]
        return Value(str(words.index(word) + 1), words.index(word) + 1)

    def render(self, spec, result, ctx):
        nb, word = result["neighbours"], spec.word
        return [
            Figure(lambda: figures.bar_scores([w for w, _ in nb], [s for _, s in nb], title=f"Nearest to “{word}”"),
                   alt=f"Bar chart of the {len(nb)} nearest words to {word}: "
                       + ", ".join(f"{w} {s:.2f}" for w, s in nb) + ".",
                   caption=spec.caption, default_caption=f"Nearest neighbours of “{word}” by cosine similarity.",
                   height=60 + 28 * len(nb),
                   table=Table(["Rank", "Word", "Cosine"], [[i + 1, w, fmt(s)] for i, (w, s) in enumerate(nb)],
                               numeric=(0, 2))),
            Code(f"kv.most_similar({word!r}, topn={spec.topn})"),
        ]
