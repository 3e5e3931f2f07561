"""An exercise: which word pair is closest (or farthest) by cosine similarity, dot product, Euclidean distance, Manhattan distance, or the Jaccard similarity of their neighbour lists? The answer is computed from the model.

A multiple-choice exercise. With `unit: true` every vector is scaled to length 1 first. The
reveal charts the measure asked and tabulates every measure of every pair, with the vectors'
lengths.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ... import figures
from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._geo import DIGITS, MEASURES, jaccard, neighbour_sets

ALL = dict(MEASURES, jaccard=("Jaccard similarity of the neighbour lists", True))
HEAD = {"cosine": "Cosine", "dot": "Dot product", "euclidean": "Euclidean", "manhattan": "Manhattan",
        "jaccard": "Jaccard of neighbours"}


def and_list(items) -> str:
    """“5”, “5 and 20”, “5, 15 and 20”."""
    t = [str(x) for x in items]
    return t[0] if len(t) == 1 else ", ".join(t[:-1]) + " and " + t[-1]


def label(p) -> str:
    return f"{p[0]} – {p[1]}"


def ends(measure: str) -> tuple[str, str]:
    """What the two ends of an order are called: a dot product is large or small, not close or far."""
    return {"dot": ("largest", "smallest"), "jaccard": ("highest", "lowest")}.get(measure, ("closest", "farthest"))


def the_pair(measure: str, question: str) -> str:
    """“the closest pair by Manhattan distance”, “the pair with the largest dot product”."""
    end = ends(measure)[0 if question == "closest" else 1]
    if measure == "dot":
        return f"the pair with the {end} dot product"
    if measure == "jaccard":
        return f"the pair whose neighbour lists have the {end} Jaccard similarity"
    return f"the {end} pair by {ALL[measure][0]}"


def pair_measures(kv, a: str, b: str, unit: bool, topn: int, top: int, also: list[int] = ()) -> dict:
    va, vb = np.asarray(kv[a], dtype=np.float64), np.asarray(kv[b], dtype=np.float64)
    lengths = [float(np.linalg.norm(va)), float(np.linalg.norm(vb))]
    if unit:
        va, vb = va / lengths[0], vb / lengths[1]
    longest = max([topn, *also])
    na, nb = neighbour_sets(kv, a, b, longest, top)   # the first t of the longest lists are the t nearest
    out = dict(vector_measures(va, vb), jaccard=jaccard(na[:topn], nb[:topn]), lengths=lengths)
    if also:
        out["also"] = [jaccard(na[:t], nb[:t]) for t in also]
    if unit:   # what the same pair scores before scaling, for the reveal's "on the raw vectors" line
        out["raw"] = vector_measures(va * lengths[0], vb * lengths[1])
    return {k: [round(x, DIGITS) for x in v] if isinstance(v, list) else
            {m: round(x, DIGITS) for m, x in v.items()} if isinstance(v, dict) else round(v, DIGITS)
            for k, v in out.items()}


def vector_measures(va, vb) -> dict:
    return {"cosine": float(va @ vb / np.linalg.norm(va) / np.linalg.norm(vb)), "dot": float(va @ vb),
            "euclidean": float(np.linalg.norm(va - vb)), "manhattan": float(np.abs(va - vb).sum())}


class MeasureExercise(ExerciseKind):
    """An exercise: which word pair is closest (or farthest) by cosine, dot product, Euclidean or Manhattan distance, or the Jaccard similarity of their neighbour lists? The answer is computed from the model.

    A multiple-choice exercise. `jaccard` compares the sets of each word's `topn` nearest words by
    cosine (among the `top` most frequent words; the pair's own two words left out). With `unit: true` every vector is scaled to
    length 1 first, and the reveal also names the pair the raw vectors would make the answer. The reveal charts the
    measure asked and tabulates all five, with the vectors' lengths.
    """

    example = ("pairs:\n  - [king, queen]\n  - [france, germany]\n  - [incidentally, ostensibly]\n"
               "measure: manhattan\nanswer: [incidentally, ostensibly]")
    options = opt.Options(
        ExerciseKind.options,
        pairs=replace(opt.pairs("The choices, in the order they are offered.", min=2, max=6, required=True),
                      type_doc="2–6 pairs `[word, word]`"),
        measure=opt.choice("The measure the question asks about.", list(ALL), required=True, display=True),
        question=opt.choice("Ask for the closest or the farthest pair.", ["closest", "farthest"],
                            default="closest", display=True),
        unit=opt.flag("Scale every vector to length 1 first.", default=False),
        topn=opt.integer("For `jaccard`: how many nearest words each list holds.", default=10, min=3, max=50),
        top=opt.integer("For `jaccard`: search among this many of the most frequent words.", default=50000,
                        min=1000, max=100000),
        also_topn=opt.raw("For `jaccard`: other list lengths at which the answer is checked too (a claim each) and "
                          "reported in the reveal.",
                          {"type": "array", "items": {"type": "integer", "minimum": 3, "maximum": 50},
                           "maxItems": 4, "uniqueItems": True}, "up to 4 list lengths", default=[], convert=list),
        answer=opt.raw("The pair you claim is the model's answer (a [claim](#claims)).", opt.word_list(2, 2),
                       "a `[word, word]` pair", display=True, convert=list),
    ).with_defaults(prompt={"default_doc": "“Which pair is closest by Manhattan distance?” (the question and "
                                           "the measure asked)"})

    def prepare(self, spec):
        if spec.also_topn and spec.measure != "jaccard":
            raise LexiconError("'also_topn' is for `measure: jaccard`", fix="remove 'also_topn', or ask about jaccard")
        if spec.topn in spec.also_topn:
            raise LexiconError(f"'also_topn' repeats topn ({spec.topn})", fix="list only other lengths")
        labels = [label(p) for p in spec.pairs]
        if len(set(labels)) != len(labels):
            raise LexiconError("a pair is listed twice", fix="list each pair once")
        if spec.answer is not None and label(spec.answer) not in labels:
            raise LexiconError(f"'answer' ({label(spec.answer)}) is not one of the pairs",
                               fix="write one of the pairs exactly as listed under 'pairs'")

    def prompt(self, spec):
        return spec.prompt or "Which is " + the_pair(spec.measure, spec.question) + "?"

    def anchor_hint(self, spec):
        return "exercise " + " ".join(w for p in spec.pairs[:2] for w in p)

    def compute(self, kv, spec):
        return {"measures": [pair_measures(kv, a, b, spec.unit, spec.topn, spec.top, spec.also_topn)
                             for a, b in spec.pairs]}

    def graded(self, spec, result):
        return {label(p): ms[spec.measure] for p, ms in zip(spec.pairs, result["measures"])}

    def graded_end(self, spec):
        return "highest" if ALL[spec.measure][1] == (spec.question == "closest") else "lowest"

    def _answer(self, spec, result, raw: bool = False, also: int | None = None) -> str:
        """The choice the model's numbers make right (ties keep the listed order); with ``raw``, the
        choice the unscaled vectors would make (``unit: true`` only); with ``also``, the choice at the
        ``also``-th other list length."""
        scores = (list(self.graded(spec, result).items()) if not raw and also is None else
                  [(label(p), ms["also"][also]) for p, ms in zip(spec.pairs, result["measures"])] if also is not None
                  else [(label(p), ms["raw"][spec.measure]) for p, ms in zip(spec.pairs, result["measures"])])
        sign = -1 if self.graded_end(spec) == "highest" else 1
        return scores[min(range(len(scores)), key=lambda i: (sign * scores[i][1], i))][0]

    def claims(self, spec, result, check):
        if not spec.answer:
            return
        got = self._answer(spec, result)
        scores = self.graded(spec, result)
        sign = 1 if self.graded_end(spec) == "highest" else -1
        check(f"{the_pair(spec.measure, spec.question)} is {label(spec.answer)}",
              got == label(spec.answer),
              f"the model's answer is {got}; " + ", ".join(f"{c} ({fmt(s)})" for c, s in scores.items()),
              decided_by=[sign * s for s in scores.values()])
        for i, t in enumerate(spec.also_topn):
            other = self._answer(spec, result, also=i)
            check(f"with lists of {t} nearest words too, {the_pair(spec.measure, spec.question)} is "
                  f"{label(spec.answer)}", other == label(spec.answer),
                  f"with {t} the model's answer is {other}",
                  decided_by=[sign * ms["also"][i] for ms in result["measures"]])

    @value("With `also_topn`: the other list lengths, as prose lists them: `also` is “5, 15 and 20”.")
    def also(self, spec, result):
        if not spec.also_topn:
            raise LexiconError("the block lists no other lengths", fix="add `also_topn: [5, 20]`")
        return Value(and_list(spec.also_topn))

    @value("A pair's score under a measure, as the answer's table shows it: `score(manhattan, king, queen)`.")
    def score(self, spec, result, measure, a, b):
        if measure not in ALL:
            raise LexiconError(f"'{measure}' is not a measure", fix="write " + ", ".join(ALL))
        for p, ms in zip(spec.pairs, result["measures"]):
            if sorted(p) == sorted([a, b]):
                return Value(fmt(ms[measure]), ms[measure])
        raise LexiconError(f"the pair {a}–{b} is not listed in the block", fix="name a pair listed under 'pairs'")

    def _raw(self, spec, result):
        if not spec.unit or spec.measure == "jaccard":
            raise LexiconError("raw scores are for an exercise with `unit: true` on a vector measure",
                               fix="write `unit: true` and a measure other than jaccard, or use `score`")

    @value("With `unit: true`: a pair's score on the raw (unscaled) vectors: `raw_score(dot, japan, china)`.")
    def raw_score(self, spec, result, measure, a, b):
        self._raw(spec, result)
        if measure not in MEASURES:
            raise LexiconError(f"'{measure}' is not a vector measure", fix="write " + ", ".join(MEASURES))
        for p, ms in zip(spec.pairs, result["measures"]):
            if sorted(p) == sorted([a, b]):
                return Value(fmt(ms["raw"][measure], 2), ms["raw"][measure])
        raise LexiconError(f"the pair {a}–{b} is not listed in the block", fix="name a pair listed under 'pairs'")

    @value("With `unit: true`: the pair the raw (unscaled) vectors would make the answer: `raw_answer`.")
    def raw_answer(self, spec, result):
        self._raw(spec, result)
        return Value(self._answer(spec, result, raw=True))

    def render(self, spec, result, ctx):
        labels = [label(p) for p in spec.pairs]
        measures, m = result["measures"], spec.measure
        answer = self._answer(spec, result)
        name = ALL[m][0]
        why = {lab: f"{lab}: {name} {fmt(ms[m], 3)}; cosine {fmt(ms['cosine'], 3)}; vector lengths "
                    f"{fmt(ms['lengths'][0], 2)} and {fmt(ms['lengths'][1], 2)}." for lab, ms in zip(labels, measures)}
        high = ALL[m][1]
        order = sorted(range(len(labels)), key=lambda i: (-measures[i][m] if high else measures[i][m], i))
        cols = list(ALL)
        tbl = Table(["Pair"] + [HEAD[c] for c in cols] + ["Length of 1st", "Length of 2nd"],
                    [[labels[i]] + [fmt(measures[i][c]) for c in cols] + [fmt(x) for x in measures[i]["lengths"]]
                     for i in order], numeric=tuple(range(1, len(cols) + 3)))
        note = " Every vector was first scaled to length 1." if spec.unit else ""
        if spec.also_topn:
            same = [t for i, t in enumerate(spec.also_topn) if self._answer(spec, result, also=i) == answer]
            other = [f"{t} ({self._answer(spec, result, also=i)})" for i, t in enumerate(spec.also_topn) if t not in same]
            note += f" With lists of {and_list(same)} nearest words the answer is the same." if same else ""
            note += f" With lists of {and_list(other)} it is not." if other else ""
        if spec.unit and m != "jaccard":
            raw = self._answer(spec, result, raw=True)
            score = {label(p): ms["raw"][m] for p, ms in zip(spec.pairs, measures)}
            note += (f" On the raw (unscaled) vectors {the_pair(m, spec.question)} would be {raw} "
                     f"({fmt(score[raw], 2)}" + (f"; {answer}: {fmt(score[answer], 2)})." if raw != answer else ")."))
        reveal = [
            Html(f"<p>{esc(the_pair(m, spec.question)[:1].upper() + the_pair(m, spec.question)[1:])} is <strong>{esc(answer)}</strong>.{esc(note)}</p>"),
            Figure(lambda: figures.bar_scores([labels[i] for i in order], [measures[i][m] for i in order],
                                              title=HEAD[m], highlight=answer),
                   alt=f"Bar chart of {name}, {ends(m)[0]} first: "
                       + ", ".join(f"{labels[i]} {measures[i][m]:.2f}" for i in order) + ".",
                   caption=f"{HEAD[m]} of each pair, {ends(m)[0]} first"
                           f"{' (for a distance, smaller is closer)' if not high else ''}.",
                   table=tbl, height=80 + 36 * len(labels), anchor="answer"),
        ]
        return Choices(labels, answer, why, reveal)
