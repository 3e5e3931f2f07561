from __future__ import annotations

import numpy as np

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.checks import RANK_SCHEMA, check_depth, parse_rank
from ...engine.pieces import Caption, Code, Figure, Html, Raw, Table
from ...numeric import COORD_DIGITS, SCORE_DIGITS, pca2, rounded, unit
from ...render import esc, fmt
from ._query import QUERY_DOC, parse_query, pretty_query


class Analogy(Kind):
    """Word arithmetic (gensim's most_similar with positive and negative words): top answers, scores, a 2-D picture of the offsets.

    The vectors after `+` are added, the ones after `-` are subtracted, and the block lists the
    words closest to the result. Like gensim's `most_similar`, it leaves the words of the query out
    of the answers; with `query_words: true` it ranks every word, query words included
    (`similar_by_vector` on the same point), which shows how often the nearest word to the result
    is simply one of the inputs. A figure
    projects the words to 2-D with PCA and draws the offsets, such as *man → actor* and
    *woman → actress*, that the analogy relies on.
    """

    example = "query: actor - man + woman\nexpect: actress"
    options = opt.Options(
        Kind.options,
        query=opt.text(QUERY_DOC, required=True),
        topn=opt.integer("How many answers to list.", default=5, min=1, max=50),
        query_words=opt.flag("Rank the query's own words too, instead of leaving them out as gensim's "
                             "`most_similar` does.", default=False),
        expect=opt.raw("The word you expect among the answers.", RANK_SCHEMA, "[rank claim](#claims)",
                       display=True, convert=parse_rank),
        caption=opt.caption("“The offsets behind … ≈ …, projected to 2-D with PCA.”"),
        figure=opt.show_figure("Show the 2-D figure."),
        code=opt.show_code("Show the collapsible gensim call."),
    )

    def prepare(self, spec):
        spec.query = spec.query.strip()
        spec.positive, spec.negative = parse_query(spec.query)
        check_depth(spec.expect, spec.topn)

    def words(self, spec):
        return spec.positive + spec.negative

    def queries(self, spec):
        return [(spec.positive, spec.negative)]

    def anchor_hint(self, spec):
        return " ".join(spec.positive[:1] + spec.negative + spec.positive[1:])

    def compute(self, kv, spec):
        """gensim's 3CosAdd answers, and a PCA of the query words, the answer and the target point
        ``sum(positive) - sum(negative)`` of unit vectors (the point gensim ranks candidates against)."""
        target = unit(sum(unit(kv[w]) for w in spec.positive) - sum(unit(kv[w]) for w in spec.negative))
        if spec.query_words:
            keys, weights = spec.positive + spec.negative, [1] * len(spec.positive) + [-1] * len(spec.negative)
            point = kv.get_mean_vector(keys, weights=weights, pre_normalize=True, post_normalize=True)
            answers = kv.similar_by_vector(point, topn=spec.topn)
        else:
            answers = kv.most_similar(positive=spec.positive, negative=spec.negative, topn=spec.topn)
        top = answers[0][0]
        words = list(dict.fromkeys(spec.positive + spec.negative + [top]))
        vecs = unit(np.stack([kv[w] for w in words]))
        coords, explained = pca2(np.vstack([vecs, target[None, :]]))
        return {
            "answers": [[w, round(float(s), SCORE_DIGITS)] for w, s in answers],
            "points": {w: rounded(c, COORD_DIGITS) for w, c in zip(words, coords[:-1])},
            "target": rounded(coords[-1], COORD_DIGITS),
            "explained": rounded(explained, 3),
        }

    def claims(self, spec, result, check):
        if spec.expect:
            check.rank(spec.expect, result["answers"], pretty_query(spec.query))

    @value("The word at this rank of the answers (1 = the top answer).")
    def answer(self, spec, result, rank="1"):
        return Value(result["answers"][int(rank) - 1][0])

    @value("The cosine of an answer with the target point, as the table shows it.")
    def cosine(self, spec, result, word):
        scores = dict(map(tuple, result["answers"]))
        return Value(fmt(scores[word]), scores[word])

    @value("The rank of a word among the answers.")
    def rank(self, spec, result, word):
        words = [w for w, _ in result["answers"]]
        return Value(str(words.index(word) + 1), words.index(word) + 1)

    def render(self, spec, result, ctx):
        q = pretty_query(spec.query)
        answers = result["answers"]
        top = answers[0][0]
        pos, neg = spec.positive, spec.negative
        inputs = set(pos + neg)

        def shown(i, w):
            text = f"<strong>{esc(w)}</strong>" if i == 0 else esc(w)
            return Raw(text + (" <small>(a query word)</small>" if w in inputs else ""))
        rows = [[i + 1, shown(i, w), fmt(s)] for i, (w, s) in enumerate(answers)]
        offsets = (f"{neg[0]} to {pos[0]} and {pos[1]} to {top}" if len(pos) == 2 and len(neg) == 1
                   else "between the words")
        alt = (f"Scatter plot, a 2-D PCA projection of the words in {q} and of the answer {top}. Arrows show "
               f"the offsets {offsets}; the two components keep {sum(result['explained']) * 100:.0f}% of the "
               "variance of these points.")
        coords = [[w, fmt(x, 3), fmt(y, 3)] for w, (x, y) in result["points"].items()]
        coords.append([f"{q} (target)", fmt(result["target"][0], 3), fmt(result["target"][1], 3)])
        parts = [Html(f'<p class="ll-query"><span class="ll-query__expr">{esc(q)}</span> ≈ '
                      f'<strong class="ll-query__answer">{esc(top)}</strong></p>')]
        if spec.caption and not spec.figure:
            parts.append(Caption(spec.caption))
        parts += [
            Table(["Rank", "Word", "Cosine"], rows, numeric=(0, 2)),
            Figure(lambda: figures.analogy(result["points"], result["target"], pos, neg, top, q),
                   alt=alt, caption=spec.caption, height=380, fallback=False,
                   default_caption=f"The offsets behind {q} ≈ {top}, projected to 2-D with PCA.",
                   table=Table(["Point", "PC 1", "PC 2"], coords, numeric=(1, 2))),
            Code(f"kv.similar_by_vector(kv.get_mean_vector({pos + neg!r}, weights={[1] * len(pos) + [-1] * len(neg)!r}, "
                 f"pre_normalize=True, post_normalize=True), topn={spec.topn})"
                 if spec.query_words else
                 f"kv.most_similar(positive={pos!r}, negative={neg!r}, topn={spec.topn})"),
        ]
        return parts
