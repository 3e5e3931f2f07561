"""``onehot-vs-dense``: the same words as one-hot rows and as the model's dense vectors."""

from __future__ import annotations

from .. import compute, figures
from ..claims import check_comparison, parse_comparison
from ..render import Raw, esc, fmt, model_note, claims_html, table, figure
from .base import CAPTION, Block, obj, register, str_list


@register
class OneHotVsDense(Block):
    kind = "onehot-vs-dense"
    summary = "One-hot vectors next to the model's dense vectors, and both cosine-similarity matrices side by side."
    schema = obj({
        "words": str_list(2, 12),
        "expect": str_list(),
        "caption": CAPTION,
    }, required=["words"])
    display_options = ("caption", "figure")  # 'expect' comparisons are computed
    example = "words: [cat, dog, car]\nexpect: ['cat~dog > cat~car']"

    def parse(self, data):
        for text in data.get("expect", []):
            parse_comparison(text)
        return {"words": data["words"], "expect": data.get("expect", []), "caption": data.get("caption")}

    def words(self, spec):
        ws = list(spec["words"])
        for text in spec["expect"]:
            left, _, right = parse_comparison(text)
            ws += left + right
        return ws

    def compute(self, kv, spec):
        out = compute.onehot_vs_dense(kv, spec["words"])
        out["compared"] = [compute.similarities(kv, [parse_comparison(t)[0], parse_comparison(t)[2]])
                           for t in spec["expect"]]
        return out

    def claims(self, spec, result):
        return [check_comparison(t, *v) for t, v in zip(spec["expect"], result["compared"])]

    def anchor_hint(self, spec):
        return "one-hot vs dense"

    def render(self, spec, result, ctx):
        words = spec["words"]
        n, dims = len(words), result["dims"]
        onehot_rows = [[w] + [Raw('<strong class="ll-hot">1</strong>') if v else "0" for v in row]
                       for w, row in zip(words, result["onehot"])]
        dense = result["dense_cosine"]
        # The most and least similar distinct pair, for the text alternative.
        pairs = [(dense[i][j], words[i], words[j]) for i in range(n) for j in range(i + 1, n)]
        hi, lo = max(pairs), min(pairs)
        vec_alt = (f"Heatmap of the {dims}-dimensional vectors of {', '.join(words)}: one row per word, "
                   "one column per dimension, blue for positive and red for negative values.")
        cos_alt = (f"Two heatmaps. Left, one-hot: every word has similarity 1 with itself and 0 with every other word. "
                   f"Right, dense: the most similar pair is {hi[1]}–{hi[2]} ({hi[0]:.2f}), "
                   f"the least similar {lo[1]}–{lo[2]} ({lo[0]:.2f}).")
        vec_table = table(["Word"] + [f"d{k}" for k in range(1, dims + 1)],
                          [[w] + [fmt(v, 3) for v in row] for w, row in zip(words, result["vectors"])],
                          cls="ll-table--wide")
        cos_table = table(["Dense cosine"] + words, [[w] + [fmt(v, 2) for v in row] for w, row in zip(words, dense)])
        return "".join([
            f'<div class="ll-block ll-onehot" id="{esc(ctx.anchor)}">',
            f'<p class="ll-subhead">One-hot: {n} words need {n} dimensions, one per word</p>',
            table(["Word"] + words, onehot_rows, cls="ll-table--onehot"),
            f'<p class="ll-subhead">Dense: the model gives every word {dims} real numbers</p>',
            figure(figures.vectors_heatmap(words, result["vectors"]), alt=vec_alt,
                   caption=spec["caption"] or f"The model's {dims}-dimensional vectors of the same words.",
                   height=90 + 32 * n, anchor=ctx.anchor + "-vectors", data_table=vec_table),
            '<p class="ll-subhead">Similarity: one-hot says nothing, dense vectors say a lot</p>',
            figure(figures.cosine_pair(words, result["onehot_cosine"], dense, ("One-hot cosine", "Dense cosine")),
                   alt=cos_alt, caption="Cosine similarity of every pair of words: one-hot (left) and dense (right).",
                   height=max(320, 60 + 40 * n), anchor=ctx.anchor + "-cosine", data_table=cos_table),
            claims_html(ctx.claims),
            model_note(ctx.model_id),
            "</div>",
        ])
