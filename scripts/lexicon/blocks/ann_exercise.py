"""``ann-exercise``: which approximate-index setting finds the most true nearest neighbours?

Each choice is a pynndescent setting (graph degree ``n_neighbors``, search breadth ``epsilon``);
the answer is the one with the highest recall@k over a fixed random sample of query words,
computed exactly as the ``ann`` block does (whose code joins this kind's cache key).
"""

from __future__ import annotations

import numpy as np

from .. import figures
from ..cache import code_version
from ..claims import Claim
from ..errors import LexiconError
from ..render import claims_html, esc, figure, fmt, table
from .ann import approximate_neighbours, build_index, exact_neighbours, unit_rows
from .base import Block, obj, register
from .exercise import choice_exercise

SETTING = obj({"n_neighbors": {"type": "integer", "minimum": 2, "maximum": 100},
               "epsilon": {"type": "number", "minimum": 0, "maximum": 1}}, required=["n_neighbors"])


@register
class ANNExercise(Block):
    kind = "ann-exercise"
    summary = ("An exercise: which approximate-index setting (n_neighbors, epsilon) finds the most true "
               "nearest neighbours? Recall is computed with pynndescent against exact search.")
    schema = obj({
        "settings": {"type": "object", "minProperties": 2, "maxProperties": 5,
                     "propertyNames": {"pattern": "^[A-Z]$"}, "additionalProperties": SETTING},
        "top": {"type": "integer", "minimum": 1000, "maximum": 400_000},
        "k": {"type": "integer", "minimum": 1, "maximum": 50},
        "sample": {"type": "integer", "minimum": 10, "maximum": 5000},
        "seed": {"type": "integer", "minimum": 0},
        "prompt": {"type": "string", "minLength": 1},
        "answer": {"type": "string", "pattern": "^[A-Z]$"},
        "explanation": {"type": "string", "minLength": 1},
    }, required=["settings"])
    example = ("settings:\n  A: {n_neighbors: 10, epsilon: 0}\n  B: {n_neighbors: 5, epsilon: 0.2}\n"
               "answer: A")

    def result_inputs(self, spec):
        return {**super().result_inputs(spec), "ann_code": code_version("lexicon.blocks.ann")}

    def parse(self, data):
        letters = list(data["settings"])
        settings = [{"n_neighbors": data["settings"][x]["n_neighbors"],
                     "epsilon": float(data["settings"][x].get("epsilon", 0.1))} for x in letters]
        if len({(s["n_neighbors"], s["epsilon"]) for s in settings}) < len(settings):
            raise LexiconError("two choices have the same setting", fix="make every choice a different setting")
        if "answer" in data and data["answer"] not in letters:
            raise LexiconError(f"'answer' ({data['answer']}) is not one of the choices",
                               fix=f"name one of: {', '.join(letters)}")
        k = data.get("k", 10)
        return {"letters": letters, "settings": settings, "top": data.get("top", 50_000), "k": k,
                "sample": data.get("sample", 1000), "seed": data.get("seed", 42),
                "prompt": data.get("prompt", f"Which index setting finds the most of the true {k} nearest "
                                             "neighbours of a word?"),
                "answer": data.get("answer"), "explanation": data.get("explanation")}

    def anchor_hint(self, spec):
        return "exercise ann " + " ".join(spec["letters"])

    def compute(self, kv, spec):
        top, k = spec["top"], spec["k"]
        x = unit_rows(kv, top)
        queries = np.sort(np.random.default_rng(spec["seed"]).choice(top, size=spec["sample"], replace=False))
        exact, _ = exact_neighbours(x, queries.astype(np.int64), k)
        found, indexes = [], {}
        for s in spec["settings"]:
            nn = s["n_neighbors"]
            if nn not in indexes:
                indexes[nn] = build_index(x, nn, spec["seed"])
            approx = approximate_neighbours(indexes[nn], x, queries, k, s["epsilon"])
            found.append(int(sum(len(set(a) & set(e.tolist())) for a, e in zip(approx, exact))))
        best = max(range(len(found)), key=lambda i: (found[i], -i))
        return {"found": found, "total": int(k * len(queries)), "answer": spec["letters"][best]}

    def _label(self, spec, i):
        s = spec["settings"][i]
        return f"{spec['letters'][i]}. n_neighbors {s['n_neighbors']}, epsilon {s['epsilon']:g}"

    def claims(self, spec, result):
        if not spec["answer"]:
            return []
        shown = ", ".join(f"{self._label(spec, i)}: {f:,} of {result['total']:,}" for i, f in enumerate(result["found"]))
        return [Claim(statement=f"setting {spec['answer']} finds the most true neighbours",
                      ok=result["answer"] == spec["answer"], actual=f"it is {result['answer']}; {shown}")]

    def render(self, spec, result, ctx):
        letters, found, total = spec["letters"], result["found"], result["total"]
        labels = [self._label(spec, i) for i in range(len(letters))]
        recall = [f / total for f in found]
        why = {lab: f"{lab}: {f:,} of {total:,} true neighbours found (recall {r:.3f})."
               for lab, f, r in zip(labels, found, recall)}
        answer = labels[letters.index(result["answer"])]
        order = sorted(range(len(letters)), key=lambda i: (-found[i], i))
        tbl = table(["Setting", "True neighbours found", f"Recall@{spec['k']}"],
                    [[labels[i], f"{found[i]:,} of {total:,}", fmt(recall[i], 3)] for i in order],
                    numeric_cols=(1, 2))
        fig = figures.bar_scores([labels[i] for i in order], [recall[i] for i in order],
                                 title=f"Recall@{spec['k']}", highlight=answer)
        fig.update_layout(xaxis=dict(title=dict(text=f"recall@{spec['k']}")))
        reveal = (f"<p><strong>{esc(answer)}</strong> finds the most: {found[order[0]]:,} of the {total:,} true "
                  f"nearest neighbours of {spec['sample']:,} random words among the {spec['top']:,} most frequent.</p>"
                  + figure(fig, alt="Bar chart of recall for each setting: " +
                           ", ".join(f"{labels[i]} {recall[i]:.3f}" for i in order) + ".",
                           caption=f"Recall@{spec['k']} of each setting over the same {spec['sample']:,} query words.",
                           data_table=tbl, height=80 + 34 * len(letters), anchor=ctx.anchor + "-answer")
                  + claims_html(ctx.claims))
        return choice_exercise("ann", ctx.anchor, spec["prompt"], labels, answer, why, reveal,
                               spec["explanation"], ctx.model_id)
