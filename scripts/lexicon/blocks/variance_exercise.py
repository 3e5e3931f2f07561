"""``variance-exercise``: how much of the variance do the first N principal components keep?

The reader picks a range ("10% to 25%", ...); the answer is computed with scikit-learn's exact
PCA on the words (or the model's most frequent words), scaled to length 1 like every map here.
"""

from __future__ import annotations

from ..claims import Claim
from ..errors import LexiconError
from ..render import claims_html, esc, figure
from .base import register
from .exercise import choice_exercise
from .layouts import (GROUPS_SCHEMA, TOP_SCHEMA, WORDS_SCHEMA, SharedCode, cumulative, parse_points,
                      pca_variance, point_vectors, points_phrase, variance_figure, variance_table)


def bin_labels(bins: list[float]) -> list[str]:
    """[10, 25, 50] → 'less than 10%', '10% to 25%', '25% to 50%', '50% or more'."""
    labels = [f"less than {bins[0]:g}%"]
    labels += [f"{a:g}% to {b:g}%" for a, b in zip(bins, bins[1:])]
    return labels + [f"{bins[-1]:g}% or more"]


def bin_of(share: float, bins: list[float]) -> int:
    return sum(share * 100 >= b for b in bins)


@register
class VarianceExercise(SharedCode):
    kind = "variance-exercise"
    summary = ("An exercise: guess how much of the variance the first N principal components keep; "
               "the answer is computed with PCA.")
    schema = {"type": "object", "additionalProperties": False, "required": ["components"], "properties": {
        "words": WORDS_SCHEMA, "groups": GROUPS_SCHEMA, "top": TOP_SCHEMA,
        "components": {"type": "integer", "minimum": 1, "maximum": 400},
        "bins": {"type": "array", "minItems": 1, "maxItems": 6,
                 "items": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 100}},
        "prompt": {"type": "string", "minLength": 1},
        "answer": {"type": "string", "minLength": 1},
        "explanation": {"type": "string", "minLength": 1},
    }}
    display_options = ("prompt", "explanation", "answer", "bins")
    example = "top: 10000\ncomponents: 2\nbins: [10, 25, 50]\nanswer: 10% to 25%"

    def parse(self, data):
        words, labels, top = parse_points(data, self.kind)
        bins = data.get("bins", [10, 25, 50])
        if bins != sorted(bins) or len(set(bins)) != len(bins):
            raise LexiconError(f"'bins' must go up, each once: {bins}", fix="write e.g.  bins: [10, 25, 50]")
        n = data["components"]
        points = top or len(words)
        if n >= points:
            raise LexiconError(f"{n} components of {points} points always keep all the variance",
                               fix=f"ask about fewer than {points} components, or use more words")
        choices = bin_labels(bins)
        if "answer" in data and data["answer"] not in choices:
            raise LexiconError(f"'answer' ({data['answer']}) is not one of the choices",
                               fix="write one of: " + "; ".join(choices))
        what = points_phrase(words, labels, top)
        return {"words": words, "labels": labels, "top": top, "components": n, "bins": bins,
                "prompt": data.get("prompt", f"How much of the variance of {what} do the first {n} principal "
                                             f"components keep?"),
                "answer": data.get("answer"), "explanation": data.get("explanation")}

    def words(self, spec):
        return spec["words"]

    def anchor_hint(self, spec):
        return f"exercise pca {spec['components']} " + (f"top {spec['top']}" if spec["top"] else " ".join(spec["words"][:2]))

    def compute(self, kv, spec):
        shares, _ = pca_variance(point_vectors(kv, spec["words"], spec["top"]))
        return {"shares": shares}

    def _answer(self, spec, result):
        share = cumulative(result["shares"], spec["components"])
        return share, bin_labels(spec["bins"])[bin_of(share, spec["bins"])]

    def claims(self, spec, result):
        if not spec["answer"]:
            return []
        share, answer = self._answer(spec, result)
        return [Claim(statement=f"the first {spec['components']} principal components keep {spec['answer']} "
                                f"of the variance", ok=answer == spec["answer"],
                      actual=f"they keep {share * 100:.2f}% ({answer})")]

    def render(self, spec, result, ctx):
        shares, n = result["shares"], spec["components"]
        share, answer = self._answer(spec, result)
        what = points_phrase(spec["words"], spec["labels"], spec["top"])
        show = min(len(shares), max(10, n + 3))
        sentence = f"The first {n} components keep {share * 100:.1f}% of the variance of {what}."
        fig = variance_figure(shares, show, highlight=n)
        reveal = (f"<p>{esc(sentence)} The other {len(shares) - n} components hold the remaining "
                  f"{(1 - share) * 100:.1f}%.</p>"
                  + figure(fig, alt=(f"Bar chart of each principal component's share of the variance of {what}, "
                                     f"with the first {n} highlighted; together they keep {share * 100:.1f}%."),
                           caption=f"Each component's share of the variance; the first {n} are highlighted.",
                           data_table=variance_table(shares, show), height=320, anchor=ctx.anchor + "-answer")
                  + claims_html(ctx.claims))
        return choice_exercise("variance", ctx.anchor, spec["prompt"], bin_labels(spec["bins"]), answer,
                               {answer: sentence}, reveal, spec["explanation"], ctx.model_id)
