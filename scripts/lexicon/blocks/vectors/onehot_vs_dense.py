from __future__ import annotations

import numpy as np

from ... import figures
from ...engine import Kind, opt
from ...engine.checks import parse_comparison
from ...engine.pieces import Figure, Raw, Subhead, Table
from ...numeric import rounded
from ...render import fmt
from ._cosine import COMPARISONS_DOC, cosine_matrix, similarities


class OnehotVsDense(Kind):
    """One-hot vectors next to the model's dense vectors, and both cosine-similarity matrices side by side.

    The same words two ways: as one-hot vectors (a 1 in one column, 0 elsewhere) and as the
    model's dense vectors (a heatmap). Then both cosine-similarity matrices side by side: the
    one-hot matrix is blank except for its diagonal, the dense one shows which words are close.
    """

    example = "words: [sun, moon, star, guitar, piano]\nexpect:\n  - sun~moon > sun~guitar\n  - guitar~piano > guitar~star"
    options = opt.Options(
        Kind.options,
        words=opt.words("The words, in the order of the rows and columns.", min=2, max=12, required=True),
        expect=opt.raw(COMPARISONS_DOC, opt.word_list(), "list of [comparisons](#claims)", default=[],
                       convert=list),
        caption=opt.caption("“The model's …-dimensional vectors of the same words.”"),
    )

    def prepare(self, spec):
        spec.compared = [parse_comparison(t) for t in spec.expect]

    def words(self, spec):
        return list(spec.words) + [w for left, _, right in spec.compared for w in left + right]

    def anchor_hint(self, spec):
        return "one-hot vs dense"

    def compute(self, kv, spec):
        """One-hot rows, the real dense vectors, and both cosine-similarity matrices."""
        n = len(spec.words)
        return {
            "onehot": np.eye(n, dtype=int).tolist(),
            "vectors": rounded(np.stack([kv[w] for w in spec.words]), 3),
            "onehot_cosine": np.eye(n).tolist(),
            "dense_cosine": cosine_matrix(kv, spec.words),
            "dims": int(kv.vector_size),
            "compared": [similarities(kv, [left, right]) for left, _, right in spec.compared],
        }

    def claims(self, spec, result, check):
        for text, vals in zip(spec.expect, result["compared"]):
            check.comparison(text, *vals)

    def render(self, spec, result, ctx):
        words = spec.words
        n, dims = len(words), result["dims"]
        dense = result["dense_cosine"]
        pairs = [(dense[i][j], words[i], words[j]) for i in range(n) for j in range(i + 1, n)]
        hi, lo = max(pairs), min(pairs)
        onehot_rows = [[w] + [Raw('<strong class="ll-hot">1</strong>') if v else "0" for v in row]
                       for w, row in zip(words, result["onehot"])]
        return [
            Subhead(f"One-hot: {n} words need {n} dimensions, one per word"),
            Table(["Word"] + words, onehot_rows, cls="ll-table--onehot"),
            Subhead(f"Dense: the model gives every word {dims} real numbers"),
            Figure(lambda: figures.vectors_heatmap(words, result["vectors"]),
                   alt=f"Heatmap of the {dims}-dimensional vectors of {', '.join(words)}: one row per word, "
                       "one column per dimension, blue for positive and red for negative values.",
                   caption=spec.caption, default_caption=f"The model's {dims}-dimensional vectors of the same words.",
                   height=90 + 32 * n, anchor="vectors",
                   table=Table(["Word"] + [f"d{k}" for k in range(1, dims + 1)],
                               [[w] + [fmt(v, 3) for v in row] for w, row in zip(words, result["vectors"])],
                               cls="ll-table--wide")),
            Subhead("Similarity: one-hot says nothing, dense vectors say a lot"),
            Figure(lambda: figures.cosine_pair(words, result["onehot_cosine"], dense, ("One-hot cosine", "Dense cosine")),
                   alt="Two heatmaps. Left, one-hot: every word has similarity 1 with itself and 0 with every other "
                       f"word. Right, dense: the most similar pair is {hi[1]}–{hi[2]} ({hi[0]:.2f}), the least "
                       f"similar {lo[1]}–{lo[2]} ({lo[0]:.2f}).",
                   default_caption="Cosine similarity of every pair of words: one-hot (left) and dense (right).",
                   height=max(320, 60 + 40 * n), anchor="cosine",
                   table=Table(["Dense cosine"] + words, [[w] + [fmt(v, 2) for v in row] for w, row in zip(words, dense)])),
        ]
