"""How well the model's cosines agree with people's similarity scores on a gensim word-pair file."""

from __future__ import annotations

import plotly.graph_objects as go

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Table
from ...evaluate import PAIRS, word_pairs
from ...figures import BASE_LAYOUT, PALETTE
from ._benchmark import PAIR_FILES, pct, published, published_table, restrict_vocab


class SimilarityBenchmark(Kind):
    """Pearson and Spearman correlation between the model's cosine and human similarity scores
    (gensim's wordsim353.tsv or simlex999.txt), with the share of pairs skipped, and a scatter plot.

    Pearson and Spearman correlation between the model's cosine similarities and people's scores on
    one of gensim's word-pair files, with gensim's `evaluate_word_pairs` (the `restrict_vocab` most
    frequent words, case-insensitive, pairs with an unknown word skipped), the share of pairs skipped
    because a word is unknown, a scatter plot of every pair (hover for the words) and published
    figures beside the measured ones.
    """

    example = "dataset: wordsim353"
    options = opt.Options(
        Kind.options,
        dataset=opt.choice("The word-pair file from `gensim.test.utils.datapath`: `wordsim353.tsv` or "
                           "`simlex999.txt`.", sorted(PAIRS), required=True),
        restrict_vocab=restrict_vocab(),
        published=published("Correlations from the literature; `null` for a figure the source does not report "
                            "(shown as “not reported”).", "spearman, pearson"),
        caption=opt.caption("“Each dot is a word pair of wordsim353.tsv; hover for the words. A perfect model "
                            "would put the dots on a rising curve.” (with the dataset's file)"),
    )

    def anchor_hint(self, spec):
        return spec.dataset

    def compute(self, kv, spec):
        return word_pairs(kv, spec.dataset, restrict_vocab=spec.restrict_vocab, path=PAIR_FILES[spec.dataset].path)

    # --- values for prose ------------------------------------------------------------------------
    @value("Spearman's rank correlation ρ, as the table shows it (`0.503`).")
    def spearman(self, spec, result):
        return Value(f"{result['spearman']:.3f}", result["spearman"])

    @value("Pearson's correlation r, as the table shows it.")
    def pearson(self, spec, result):
        return Value(f"{result['pearson']:.3f}", result["pearson"])

    @value("How many pairs were used (both words known).")
    def pairs(self, spec, result):
        n = len(result["pairs"])
        return Value(f"{n:,}", n)

    @value("How many pairs were skipped because a word is outside the vocabulary.")
    def skipped(self, spec, result):
        return Value(f"{result['skipped']}", result["skipped"])

    @value("The share of pairs skipped, as the table shows it (`0.1 %`).")
    def skipped_share(self, spec, result):
        return Value(pct(result["oov_ratio"]), result["oov_ratio"])

    @value("How many pairs the file holds (used and skipped).")
    def pairs_in_file(self, spec, result):
        n = len(result["pairs"]) + result["skipped"]
        return Value(f"{n:,}", n)

    # --- rendering ---------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        pairs = result["pairs"]
        head = Table(["Measure", "Value"], [
            ["Spearman ρ (rank correlation)", f"{result['spearman']:.3f}"],
            ["Pearson r", f"{result['pearson']:.3f}"],
            ["Pairs used", f"{len(pairs):,}"],
            ["Pairs skipped (a word outside the vocabulary)", f"{result['skipped']} ({pct(result['oov_ratio'])})"],
        ], numeric=(1,))
        ordered = sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))
        data = Table(["Pair", "Human score", "Model cosine"],
                     [[f"{a} – {b}", f"{h:.2f}", f"{c:.4f}"] for a, b, h, c in ordered], numeric=(1, 2))
        alt = (f"Scatter plot of {len(pairs)} word pairs from {result['file']}: human similarity score across, "
               f"the model's cosine similarity up. Spearman correlation {result['spearman']:.2f}.")
        code = ("from gensim.test.utils import datapath\n\n"
                f"pearson, spearman, oov_percent = kv.evaluate_word_pairs(datapath('{result['file']}'),\n"
                f"    restrict_vocab={spec.restrict_vocab}, case_insensitive=True)\n"
                "print(f'Spearman {spearman[0]:.3f}, Pearson {pearson[0]:.3f}, {oov_percent:.1f} % of pairs skipped')\n")
        return [
            head,
            Figure(lambda: _scatter(pairs), alt=alt, caption=spec.caption, height=420, table=data, anchor="scatter",
                   default_caption=(f"Each dot is a word pair of {result['file']}; hover for the words. "
                                    "A perfect model would put the dots on a rising curve.")),
            *published_table(spec, ctx, [f"{result['spearman']:.3f}", f"{result['pearson']:.3f}"],
                             ("spearman", "pearson"), ["Spearman", "Pearson"], (1, 2)),
            Code(code),
        ]


def _scatter(pairs: list) -> go.Figure:
    fig = go.Figure(go.Scatter(
        x=[p[2] for p in pairs], y=[p[3] for p in pairs], mode="markers",
        marker={"size": 6, "color": PALETTE[0], "opacity": 0.6},
        text=[f"{p[0]} – {p[1]}" for p in pairs],
        hovertemplate="%{text}<br>human %{x:.2f}, model cosine %{y:.3f}<extra></extra>"))
    fig.update_layout(**BASE_LAYOUT, xaxis={"title": "Human similarity score"},
                      yaxis={"title": "Model cosine similarity"}, showlegend=False)
    return fig
