"""An exercise: which of these words is the biggest hub, the nearest neighbour of the most words among the most frequent words? The answer is computed from the model.

A multiple-choice exercise on hubness: each choice's k-occurrence N_k (how many of the other
`top` words list it among their `k` nearest) under the method asked. The reveal charts every
choice's count, with the length of its vector and its cosine with the mean vector.
"""

from __future__ import annotations

import numpy as np

from ... import figures
from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Caption, Choices, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._geo import HUB_METHODS, hub_stats, k_occurrence, top_matrix, unit_rows


class HubExercise(ExerciseKind):
    """An exercise: which of these words is the nearest neighbour of the most words (the biggest hub) among the most frequent words? The answer is computed from the model.

    Each choice's k-occurrence N_k is the number of the `top` most frequent words that list it
    among their `k` nearest words, by `method` (see the `hubness` block). The choices must be
    among the `top` words. The reveal charts each choice's count, with the length of its vector
    and its cosine with the mean vector of the `top` words, and tabulates how skewed the counts of
    all `top` words are under `method` and under each method in `compare`.
    """

    example = "words: [but, city, government, year]\ntop: 2000\nk: 10\nmethod: cosine\nanswer: but"
    default_prompt = "Which of these words is among the nearest words of the most other words?"
    options = opt.Options(
        ExerciseKind.options,
        words=opt.words("The choices, in this order.", min=2, max=6, unique=True, required=True),
        top=opt.integer("How many of the most frequent words take part.", default=5000, min=500, max=10000),
        k=opt.integer("How many nearest words each word's list holds.", default=10, min=1, max=50),
        method=opt.choice("How nearness is measured.", list(HUB_METHODS), default="cosine"),
        compare=opt.raw("Other methods whose hubness the reveal tabulates beside `method`'s.",
                        {"type": "array", "items": {"enum": list(HUB_METHODS)}, "maxItems": 3, "uniqueItems": True},
                        "list of " + ", ".join(f"`{m}`" for m in HUB_METHODS), default=[], convert=list),
        answer=opt.text("The word you claim is the biggest hub (a [claim](#claims)).", display=True),
    )

    def prepare(self, spec):
        if spec.method in spec.compare:
            raise LexiconError(f"'compare' lists the method asked ({spec.method})",
                               fix="list only other methods under 'compare'")
        if spec.answer is not None and spec.answer not in spec.words:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the words",
                               fix="name one of the words listed under 'words'")

    def anchor_hint(self, spec):
        return "exercise " + " ".join(spec.words[:3])

    def compute(self, kv, spec):
        rows = [kv.key_to_index[w] for w in spec.words]
        late = [w for w, r in zip(spec.words, rows) if r >= spec.top]
        if late:
            raise LexiconError(f"{', '.join(repr(w) for w in late)} is not among the {spec.top:,} most frequent words",
                               fix="choose more frequent words, or raise 'top'")
        m = top_matrix(kv, spec.top)
        counts = k_occurrence(m, spec.method, spec.k)
        stats = {spec.method: dict(hub_stats(counts), hub=kv.index_to_key[int(np.argmax(counts))])}
        for other in spec.compare:
            c = k_occurrence(m, other, spec.k)
            stats[other] = dict(hub_stats(c), hub=kv.index_to_key[int(np.argmax(c))])
        mean = m.mean(axis=0)
        to_mean = unit_rows(m[rows]) @ (mean / np.linalg.norm(mean))
        return {"counts": [int(counts[r]) for r in rows],
                "lengths": [round(float(np.linalg.norm(m[r])), 4) for r in rows],
                "to_mean": [round(float(c), 4) for c in to_mean], "stats": stats}

    def graded(self, spec, result):
        return dict(zip(spec.words, result["counts"]))

    def _answer(self, spec, result) -> str:
        c = result["counts"]
        return spec.words[min(range(len(c)), key=lambda i: (-c[i], i))]

    def claims(self, spec, result, check):
        if spec.answer:
            got = self._answer(spec, result)
            check(f"of {', '.join(spec.words)}, the biggest hub ({HUB_METHODS[spec.method]}, k = {spec.k}) is "
                  f"'{spec.answer}'", got == spec.answer,
                  f"the model's answer is '{got}'; k-occurrence: "
                  + ", ".join(f"{w} ({n})" for w, n in zip(spec.words, result["counts"])),
                  decided_by=result["counts"])

    @value("A choice's k-occurrence: `count(but)`.")
    def count(self, spec, result, word):
        if word not in spec.words:
            raise LexiconError(f"'{word}' is not one of the words", fix="name one of: " + ", ".join(spec.words))
        n = result["counts"][spec.words.index(word)]
        return Value(str(n), n)

    def _stats(self, spec, result, method):
        if method not in result["stats"]:
            raise LexiconError(f"'{method}' is not the method asked or compared",
                               fix="name one of: " + ", ".join(result["stats"]))
        return result["stats"][method]

    @value("The skewness of all the top words' k-occurrence under the method asked or a compared one: `skew(euclidean)`.")
    def skew(self, spec, result, method):
        x = self._stats(spec, result, method)["skew"]
        return Value(fmt(x, 2), x)

    @value("The largest k-occurrence under the method asked or a compared one: `max(euclidean)`.")
    def max(self, spec, result, method):
        n = self._stats(spec, result, method)["max"]
        return Value(str(n), n)

    @value("The word with the largest k-occurrence under the method asked or a compared one: `hub(euclidean)`.")
    def hub(self, spec, result, method):
        return Value(self._stats(spec, result, method)["hub"])

    @value("How many of the top words are in no list under the method asked or a compared one: `zero(euclidean)`.")
    def zero(self, spec, result, method):
        n = self._stats(spec, result, method)["zero"]
        return Value(f"{n:,}", n)

    def render(self, spec, result, ctx):
        words, counts = spec.words, result["counts"]
        answer = self._answer(spec, result)
        order = sorted(range(len(words)), key=lambda i: (-counts[i], i))
        why = {w: f"{w}: in {counts[i]} of the other words' lists of {spec.k} nearest; vector length "
                  f"{fmt(result['lengths'][i], 2)}, cosine with the mean vector {fmt(result['to_mean'][i], 2)}."
               for i, w in enumerate(words)}
        tbl = Table(["Word", "k-occurrence", "Vector length", "Cosine with the mean vector"],
                    [[words[i], counts[i], fmt(result["lengths"][i], 2), fmt(result["to_mean"][i], 2)] for i in order],
                    numeric=(1, 2, 3))
        reveal = [
            Html(f"<p>The biggest hub of these is <strong>{esc(answer)}</strong>: "
                 f"{counts[words.index(answer)]} of the other {spec.top - 1:,} words list it among their "
                 f"{spec.k} nearest ({esc(HUB_METHODS[spec.method])}).</p>"),
            Figure(lambda: figures.bar_scores([words[i] for i in order], [counts[i] for i in order],
                                              title="k-occurrence", highlight=answer),
                   alt="Bar chart of k-occurrence, biggest first: "
                       + ", ".join(f"{words[i]} {counts[i]}" for i in order) + ".",
                   caption="Each word's k-occurrence, biggest first.", table=tbl,
                   height=80 + 34 * len(words), anchor="answer"),
        ]
        if spec.compare:
            st = result["stats"]
            reveal += [Caption(f"Hubness of all {spec.top:,} words (k = {spec.k}) under the method asked and "
                               f"under {', '.join(HUB_METHODS[m] for m in spec.compare)}."),
                       Table(["Method", "Skewness of N_k", "Biggest hub (N_k)", "Words with N_k = 0"],
                             [[HUB_METHODS[m], fmt(st[m]["skew"], 2), f"{st[m]['hub']} ({st[m]['max']})",
                               f"{st[m]['zero']:,}"] for m in [spec.method, *spec.compare]], numeric=(1, 3))]
        return Choices(list(words), answer, why, reveal)
