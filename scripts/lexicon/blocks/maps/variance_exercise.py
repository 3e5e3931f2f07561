"""``variance-exercise``: how much of the variance do the first N principal components keep?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Figure, Html
from ...errors import LexiconError
from ...render import esc, percent
from ._figures import variance_figure, variance_table
from ._variance import VarianceValues, cumulative, pca_variance
from ._words import GROUPS, TOP, WORDS, point_vectors, points_phrase, read_points


def bin_labels(bins: list[float]) -> list[str]:
    """[10, 25, 50] → 'less than 10%', '10% to 25%', '25% to 50%', '50% or more'."""
    labels = [f"less than {bins[0]:g}%"]
    labels += [f"{a:g}% to {b:g}%" for a, b in zip(bins, bins[1:])]
    return labels + [f"{bins[-1]:g}% or more"]


def bin_of(share: float, bins: list[float]) -> int:
    return sum(share * 100 >= b for b in bins)


class VarianceExercise(VarianceValues, ExerciseKind):
    """An exercise: guess how much of the variance the first N principal components keep; the answer is
    computed with PCA.

    Readers pick a range; the ranges come from `bins`, as "less than 10%", "10% to 25%", "25% to
    50%", "50% or more". The answer is computed with scikit-learn's exact PCA on the words (or the
    model's most frequent words), each vector scaled to length 1 like every map here. With `top`,
    `compare` names another number of most frequent words (say the 50,000 of a table above the exercise):
    the answer then also says how much the first N components keep of those, so a reader who carried the
    table's number over sees why it differs.
    """

    distinct_words = True  # a map (geometry.require_spread)

    example = "top: 10000\ncomponents: 2\nbins: [10, 25, 50]\nanswer: 10% to 25%"
    options = opt.Options(
        ExerciseKind.options.with_defaults(prompt={"default_doc": "“How much of the variance of … do the first N "
                                                                  "principal components keep?”"}),
        words=WORDS,
        groups=GROUPS,
        top=TOP,
        components=opt.integer("N, the number of first components asked about; less than the number of points.",
                               min=1, max=400, required=True, display=True),
        bins=opt.raw("The percentages that divide the choices, rising: `[10, 25, 50]`.",
                     {"type": "array", "minItems": 1, "maxItems": 6,
                      "items": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 100}},
                     "list of 1–6 numbers between 0 and 100", default=[10, 25, 50], display=True, convert=list),
        compare=opt.integer("With `top`: another number of the model's most frequent words whose share the answer "
                            "also gives (e.g. the words of a table above the exercise).", min=2, max=400000, default=None),
        answer=opt.text("The choice you claim is right, written exactly as it is shown, e.g. `25% to 50%` "
                        "(a [claim](#claims)).", type_doc="one choice", display=True),
    )

    def prepare(self, spec):
        read_points(spec, self.kind)
        bins = spec.bins
        if bins != sorted(bins) or len(set(bins)) != len(bins):
            raise LexiconError(f"'bins' must go up, each once: {bins}", fix="write e.g.  bins: [10, 25, 50]")
        n = spec.components
        points = spec.top or len(spec.word_list)
        if n >= points:
            raise LexiconError(f"{n} components of {points} points always keep all the variance",
                               fix=f"ask about fewer than {points} components, or use more words")
        choices = bin_labels(bins)
        if spec.answer is not None and spec.answer not in choices:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                               fix="write one of: " + "; ".join(choices))
        if spec.compare is not None and (spec.top is None or spec.compare == spec.top):
            raise LexiconError("'compare' gives the share of another number of most frequent words, beside 'top'",
                               fix="set 'top', and a different number under 'compare' (or remove 'compare')")
        spec.what = points_phrase(spec.word_list, spec.group_of, spec.top)

    def words(self, spec):
        return spec.word_list

    def prompt(self, spec):
        return spec.prompt or (f"How much of the variance of {spec.what} do the first {spec.components} principal "
                               "components keep?")

    def anchor_hint(self, spec):
        return f"exercise pca {spec.components} " + (f"top {spec.top}" if spec.top else " ".join(spec.word_list[:2]))

    def compute(self, kv, spec):
        shares, _ = pca_variance(point_vectors(kv, spec.word_list, spec.top))
        if spec.compare is None:
            return {"shares": shares}
        return {"shares": shares, "compare": pca_variance(point_vectors(kv, [], spec.compare))[0]}

    def _answer(self, spec, result):
        share = cumulative(result["shares"], spec.components)
        return share, bin_labels(spec.bins)[bin_of(share, spec.bins)]

    def claims(self, spec, result, check):
        if spec.answer:
            share, answer = self._answer(spec, result)
            check(f"the first {spec.components} principal components keep {spec.answer} of the variance",
                  answer == spec.answer, f"they keep {share * 100:.2f}% ({answer})")

    # --- values for prose -----------------------------------------------------------------------------
    @value("The share of the variance the first N (`components`) keep, as the answer says it (`23.4%`).")
    def kept(self, spec, result):
        share, _ = self._answer(spec, result)
        return Value(percent(share), share)

    @value("The share the first N keep of the `compare` most frequent words (`37.6%`).")
    def compared(self, spec, result):
        if "compare" not in result:
            raise LexiconError("this value needs the share of other words", fix="add e.g. 'compare: 50000'")
        share = cumulative(result["compare"], spec.components)
        return Value(percent(share), share)

    @value("The right choice, as the reader sees it (`10% to 25%`).")
    def choice(self, spec, result):
        return Value(self._answer(spec, result)[1])

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        shares, n = result["shares"], spec.components
        share, answer = self._answer(spec, result)
        what = spec.what
        show = min(len(shares), max(10, n + 3))
        sentence = f"The first {n} components keep {share * 100:.1f}% of the variance of {what}."
        reveal = [
            Html(f"<p>{esc(sentence)} The other {nonzero(shares) - n} components hold the remaining "
                 f"{(1 - share) * 100:.1f}%.</p>"),
            Figure(lambda: variance_figure(shares, show, highlight=n),
                   alt=(f"Bar chart of each principal component's share of the variance of {what}, "
                        f"with the first {n} highlighted; together they keep {share * 100:.1f}%."),
                   caption=f"Each component's share of the variance; the first {n} are highlighted.",
                   table=variance_table(shares, show), height=320, anchor="answer"),
        ]
        if "compare" in result:
            other = cumulative(result["compare"], n)
            fewer = spec.compare < spec.top
            even = other < share
            trend = (f"the fewer, more frequent words {'spread their variance more evenly' if even else 'concentrate it more'}"
                     if fewer else f"adding the rarer words {'spreads the variance more evenly' if even else 'concentrates it'}")
            reveal.insert(1, Html(f"<p>Of the {spec.compare:,} most frequent words, the first {n} components keep "
                                  f"{other * 100:.1f}%, {'less' if other < share else 'more'}: {trend}. The share "
                                  "depends on which words the PCA is of.</p>"))
        labels, right = bin_labels(spec.bins), bin_of(share, spec.bins)
        why = {label: (f"too low: the first {n} components keep more than {spec.bins[i]:g}%." if i < right else
                       f"too high: the first {n} components keep less than {spec.bins[i - 1]:g}%.")
               for i, label in enumerate(labels) if i != right}
        why[answer] = sentence
        return Choices(labels, answer, why, reveal)


def nonzero(shares: list[float]) -> int:
    """Components that hold any variance: n points span at most n - 1 directions, so with fewer
    points than dimensions the last shares are zero (up to rounding) and are not counted."""
    return sum(1 for s in shares if s > 1e-9)
