"""An exercise: which approximate-index setting finds the most true nearest neighbours?"""

from __future__ import annotations

import numpy as np

from ... import figures
from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._ann import (EF, M, SAMPLE_DOC, TOP_DOC, approximate_neighbours, build_index, check_ef, exact_neighbours, hits,
                   sample_rows, unit_rows)

SETTING = {"type": "object", "additionalProperties": False, "required": ["m", "ef"],
           "properties": {"m": M, "ef": EF}}


class AnnExercise(ExerciseKind):
    """An exercise: which approximate-index setting (m, ef) finds the most true nearest neighbours?
    Recall is computed with faiss's HNSW index against exact search.

    Each choice is an HNSW setting: links per vector `m` and search breadth `ef`.
    The model's answer is the setting that finds the most true neighbours over the same random
    sample of words, counted exactly as the [ann](#ann) block counts them.
    """

    example = ("settings:\n  A: {m: 8, ef: 16}\n  B: {m: 4, ef: 32}\n"
               "top: 10000\nsample: 200\nanswer: A")
    default_prompt = "Which index setting finds the most of the true {k} nearest neighbours of a word?"
    options = opt.Options(
        ExerciseKind.options,
        settings=opt.raw("The choices, each under a capital letter: `A: {m: 8, ef: 16}` (links per vector and "
                         "search breadth, as in the [ann](#ann) block; `ef` at least k + 1).",
                         {"type": "object", "minProperties": 2, "maxProperties": 5,
                          "propertyNames": {"pattern": "^[A-Z]$"}, "additionalProperties": SETTING},
                         "2–5 letters, each `{m: m, ef: ef}`", required=True),
        top=opt.integer(TOP_DOC, default=50_000, min=1000, max=400_000),
        k=opt.integer("How many nearest neighbours each query asks for (the k of recall@k).", default=10, min=1,
                      max=50),
        sample=opt.integer(SAMPLE_DOC, default=1000, min=10, max=5000),
        seed=opt.seed("Random seed of the sample.", default=42),
        answer=opt.text("The letter of the setting you claim finds the most true neighbours (a [claim](#claims)).",
                        pattern="^[A-Z]$", type_doc="letter", display=True),
    )

    def prepare(self, spec):
        spec.letters = list(spec.settings)
        spec.setting_list = [{"m": spec.settings[x]["m"], "ef": spec.settings[x]["ef"]} for x in spec.letters]
        check_ef([s["ef"] for s in spec.setting_list], spec.k)
        if len({(s["m"], s["ef"]) for s in spec.setting_list}) < len(spec.setting_list):
            raise LexiconError("two choices have the same setting", fix="make every choice a different setting")
        if spec.answer is not None and spec.answer not in spec.letters:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                               fix=f"name one of: {', '.join(spec.letters)}")

    def anchor_hint(self, spec):
        return "exercise ann " + " ".join(spec.letters)

    def compute(self, kv, spec):
        top, k = spec.top, spec.k
        x = unit_rows(kv, top)
        queries = sample_rows(top, spec.sample, spec.seed)
        exact, _ = exact_neighbours(x, queries.astype(np.int64), k)
        found, indexes = [], {}
        for s in spec.setting_list:
            if s["m"] not in indexes:
                indexes[s["m"]] = build_index(x, s["m"])
            approx = approximate_neighbours(indexes[s["m"]], x, queries, k, s["ef"])
            found.append(int(sum(hits(approx, exact))))
        best = max(range(len(found)), key=lambda i: (found[i], -i))
        return {"found": found, "total": int(k * len(queries)), "answer": spec.letters[best]}

    def graded(self, spec, result):
        return dict(zip(spec.letters, result["found"]))

    def claims(self, spec, result, check):
        if not spec.answer:
            return
        shown = ", ".join(f"{_label(spec, i)}: {f:,} of {result['total']:,}" for i, f in enumerate(result["found"]))
        check(f"setting {spec.answer} finds the most true neighbours", result["answer"] == spec.answer,
              f"it is {result['answer']}; {shown}")

    @value("The letter of the setting that finds the most true neighbours.")
    def best(self, spec, result):
        return Value(result["answer"])

    @value("True neighbours a setting found, as the answer's table shows it (“9,035 of 10,000”).")
    def found(self, spec, result, letter):
        i = _index(spec, letter)
        return Value(f"{result['found'][i]:,} of {result['total']:,}", result["found"][i])

    @value("A setting's recall@k, as the answer's table shows it (3 decimals).")
    def recall(self, spec, result, letter):
        r = result["found"][_index(spec, letter)] / result["total"]
        return Value(fmt(r, 3), r)

    def render(self, spec, result, ctx):
        letters, found, total, k = spec.letters, result["found"], result["total"], spec.k
        labels = [_label(spec, i) for i in range(len(letters))]
        recall = [f / total for f in found]
        why = {lab: f"{lab}: {f:,} of {total:,} true neighbours found (recall {r:.3f})."
               for lab, f, r in zip(labels, found, recall)}
        answer = labels[letters.index(result["answer"])]
        order = sorted(range(len(letters)), key=lambda i: (-found[i], i))

        def make():
            fig = figures.bar_scores([labels[i] for i in order], [recall[i] for i in order],
                                     title=f"Recall@{k}", highlight=answer)
            fig.update_layout(xaxis=dict(title=dict(text=f"recall@{k}")))
            return fig
        reveal = [
            Html(f"<p><strong>{esc(answer)}</strong> finds the most: {found[order[0]]:,} of the {total:,} true "
                 f"nearest neighbours of {spec.sample:,} random words among the {spec.top:,} most frequent.</p>"),
            Figure(make, alt="Bar chart of recall for each setting: "
                             + ", ".join(f"{labels[i]} {recall[i]:.3f}" for i in order) + ".",
                   default_caption=f"Recall@{k} of each setting over the same {spec.sample:,} query words.",
                   height=80 + 34 * len(letters), anchor="answer",
                   table=Table(["Setting", "True neighbours found", f"Recall@{k}"],
                               [[labels[i], f"{found[i]:,} of {total:,}", fmt(recall[i], 3)] for i in order],
                               numeric=(1, 2))),
        ]
        return Choices(labels, answer, why, reveal)


def _label(spec, i: int) -> str:
    s = spec.setting_list[i]
    return f"{spec.letters[i]}. m {s['m']}, ef {s['ef']}"


def _index(spec, letter: str) -> int:
    if letter not in spec.letters:
        raise LexiconError(f"'{letter}' is not one of the settings", fix=f"name one of: {', '.join(spec.letters)}")
    return spec.letters.index(letter)
