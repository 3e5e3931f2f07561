"""The ``pairs-exercise`` kind: which added pair lowers the share of variance of the pairs' first principal axis the most?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc
from ._pca_direction import pair_direction


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def label(pair) -> str:
    return f"{pair[0]} − {pair[1]}"


class PairsExercise(ExerciseKind):
    """An exercise: add one pair to a set of definitional pairs; which addition lowers the first principal axis's share of the variance the most? The shares and the answer are computed.

    The base `pairs` and each choice are handled as in `direction-pca`: each pair centred on its own
    midpoint, PCA of the rows, the first axis's share of the variance. Each choice is the base set
    plus that one pair; the answer is the choice with the lowest share, the pair that agrees least
    with the others. The reveal gives every share, the base set's own, and each choice's nearest
    words, so the reader can see which word carries another sense.
    """

    example = ("pairs:\n  - [woman, man]\n  - [she, he]\n  - [mother, father]\n  - [her, his]\n"
               "choices:\n  - [ms, mr]\n  - [niece, nephew]\nanswer: [ms, mr]")
    default_prompt = "Which pair, added to the others, lowers the first axis's share of the variance the most?"
    graded_by = "lowest"
    options = opt.Options(
        ExerciseKind.options,
        pairs=opt.pairs("The definitional pairs every choice is added to; the first word of each pair is the "
                        "positive end.", min=2, max=12, required=True),
        choices=opt.pairs("The pairs to choose from, in the order offered.", min=2, max=5, required=True),
        neighbours=opt.integer("How many nearest words of each choice's words the reveal lists.", default=4,
                               min=0, max=10),
        answer=opt.raw("The pair you claim lowers the share the most (a [claim](#claims)).", opt.word_list(2, 2),
                       "a pair `[word, word]`", display=True, convert=list),
    )

    def prepare(self, spec):
        base = [tuple(p) for p in spec.pairs]
        for p in spec.choices:
            if tuple(p) in base:
                raise LexiconError(f"the choice {label(p)} is already one of the pairs",
                                   fix="offer pairs that are not in 'pairs'")
        if len({tuple(p) for p in spec.choices}) < len(spec.choices):
            raise LexiconError("two choices are the same pair", fix="offer different pairs")
        if spec.answer is not None and spec.answer not in spec.choices:
            raise LexiconError(f"'answer' ({label(spec.answer)}) is not one of the choices",
                               fix="name one of: " + ", ".join(f"[{a}, {b}]" for a, b in spec.choices))

    def anchor_hint(self, spec):
        return "exercise pairs " + " ".join(spec.pairs[0])

    def compute(self, kv, spec):
        base = float(pair_direction(kv, spec.pairs)[1][0])
        shares = [float(pair_direction(kv, spec.pairs + [p])[1][0]) for p in spec.choices]
        near = {}
        if spec.neighbours:
            for w in sorted({w for p in spec.choices for w in p}):
                near[w] = [k for k, _ in kv.most_similar(w, topn=spec.neighbours)]
        return {"base": round(base, 6), "shares": [round(s, 6) for s in shares], "neighbours": near}

    def graded(self, spec, result):
        return {label(p): s for p, s in zip(spec.choices, result["shares"])}

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        got = _answer(spec, result)
        check(f"adding {label(spec.answer)} lowers the first axis's share the most",
              got == spec.choices.index(spec.answer),
              "; ".join(f"with {label(p)}: {pct(s)}" for p, s in zip(spec.choices, result["shares"])),
              decided_by=[-s for s in result["shares"]])

    @value("The first axis's share with one choice added: `share(ms, mr)`; `share` alone: the base pairs'.")
    def share(self, spec, result, a=None, b=None):
        if a is None:
            return Value(pct(result["base"]), result["base"])
        if [a, b] not in spec.choices:
            raise LexiconError(f"'{a}, {b}' is not one of the choices",
                               fix="name a choice as share(ms, mr), or write share for the base pairs")
        s = result["shares"][spec.choices.index([a, b])]
        return Value(pct(s), s)

    def render(self, spec, result, ctx):
        labels = [label(p) for p in spec.choices]
        best = labels[_answer(spec, result)]
        why = {lab: f"with {lab} added, the first axis holds {pct(s)} (the base pairs alone: {pct(result['base'])})."
               for lab, s in zip(labels, result["shares"])}
        rows = [[lab, pct(s), "; ".join(f"{w}: {', '.join(result['neighbours'][w])}" for w in p)
                 if result["neighbours"] else ""] for lab, s, p in zip(labels, result["shares"], spec.choices)]
        rows.sort(key=lambda r: float(r[1].split()[0]))
        table = Table(["Pair added", "First axis's share", "Nearest words"], rows, numeric=(1,))
        reveal = [Html(f"<p>Adding <strong>{esc(best)}</strong> lowers the share the most. The base pairs "
                       f"alone give the first axis {esc(pct(result['base']))}.</p>"), table]
        return Choices(labels, best, why, reveal)


def _answer(spec, result) -> int:
    return min(range(len(spec.choices)), key=lambda i: (result["shares"][i], label(spec.choices[i])))
