"""An exercise: which way of pooling the transformer's token vectors best separates paraphrases from unrelated pairs?"""

from __future__ import annotations

import numpy as np

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...render import esc, fmt
from ._minilm import NOTE
from ._pooling import LABELS, PAIRS, PHRASE, POOLS, gap, ordered, scores


class PoolingExercise(ExerciseKind):
    """An exercise: pick the pooling of a real transformer's (all-MiniLM-L6-v2) last-layer token vectors that
    separates the similar pairs from the unrelated pairs best, as the `pooling` block measures it.

    The model's answer is the pooling with the largest **gap** (mean cosine of the similar pairs minus that of
    the unrelated pairs); two poolings tied at the shown precision fail the build. The choices are the mean of
    all tokens, the mean without [CLS] and [SEP], the [CLS] vector and max pooling. `answer` names one:
    mean, content, cls or max. Needs no GloVe vectors.
    """

    example = ("similar: [[A man is playing a guitar., Someone is strumming a guitar.]]\n"
               "unrelated: [[A man is playing a guitar., The stock market fell sharply today.]]\nanswer: mean")
    default_prompt = ("all-MiniLM-L6-v2 gives one vector per token. Which way of pooling them into one sentence "
                      "vector puts the paraphrases furthest above the unrelated pairs?")
    needs_model = False
    note = NOTE
    options = opt.Options(
        ExerciseKind.options,
        similar=opt.raw("Pairs of sentences that mean (nearly) the same: `[[a, b], …]`, 1–8 pairs.", PAIRS,
                        "list of 1–8 pairs of texts", required=True, convert=lambda v: [list(p) for p in v]),
        unrelated=opt.raw("Pairs of sentences about different things, 1–8 pairs.", PAIRS,
                          "list of 1–8 pairs of texts", required=True, convert=lambda v: [list(p) for p in v]),
        answer=opt.choice("The pooling you claim has the largest gap (a [claim](#claims)).", list(POOLS),
                          display=True),
    )

    def anchor_hint(self, spec):
        return "exercise pooling " + spec.similar[0][0][:30]

    def compute(self, kv, spec):
        out = scores({"similar": spec.similar, "unrelated": spec.unrelated})
        gaps = {p: round(gap(out["cosines"], p), 6) for p in POOLS}
        out["answer"] = max(POOLS, key=lambda p: (gaps[p], -POOLS.index(p)))
        return out

    def graded(self, spec, result):
        return {LABELS[p]: gap(result["cosines"], p) for p in POOLS}

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        gaps = [gap(result["cosines"], p) for p in POOLS]
        check(f"{PHRASE[spec.answer]} has the largest gap between similar and unrelated pairs",
              result["answer"] == spec.answer,
              f"{PHRASE[result['answer']]} has the largest ({gap(result['cosines'], result['answer']):.4f}); "
              f"{PHRASE[spec.answer]} has {gap(result['cosines'], spec.answer):.4f}", decided_by=gaps)

    @value("The pooling with the largest gap (mean, content, cls or max), in words.")
    def best(self, spec, result):
        return Value(PHRASE[result["answer"]])

    def render(self, spec, result, ctx):
        c, a = result["cosines"], result["answer"]
        rows, why = [], {}
        for p in POOLS:
            won, n = ordered(c, p)
            sim, unr = float(np.mean(c["similar"][p])), float(np.mean(c["unrelated"][p]))
            rows.append([LABELS[p], fmt(sim), fmt(unr), fmt(gap(c, p)), f"{won:g} of {n}"])
            why[LABELS[p]] = (f"Mean cosine {sim:.4f} for the similar pairs, {unr:.4f} for the unrelated ones: "
                              f"a gap of {gap(c, p):.4f}.")
        reveal = [
            Html(f"<p>The largest gap is <strong>{esc(PHRASE[a])}</strong>'s ({fmt(gap(c, a))}). The model was "
                 "trained with the mean of all tokens; the [CLS] vector and max pooling are read from a model not "
                 "tuned for them.</p>"),
            Table(["Pooling", "Mean cosine, similar", "Mean cosine, unrelated", "Gap", "Ordered correctly"], rows,
                  numeric=(1, 2, 3)),
        ]
        return Choices([LABELS[p] for p in POOLS], LABELS[a], why, reveal)
