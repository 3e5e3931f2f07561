"""``map-exercise``: judge from a 2-D map which group is closest to another, then see the 50-D answer.

The reader sees a PCA, t-SNE or UMAP map of a few groups of words and picks the group they
think is closest to a target group in the model's full space. "Closest" is the mean cosine
similarity between the two groups' words (every pair); the map's own answer is the group with
the smallest mean distance on the map. The reveal shows both rankings, so a reader learns
whether distances between clusters on this map can be trusted.
"""

from __future__ import annotations

import numpy as np

from .. import figures
from ..claims import Claim
from ..errors import LexiconError
from ..render import claims_html, esc, figure, fmt, table
from .base import register
from .exercise import choice_exercise
from .layouts import (GROUPS_SCHEMA, METHOD_NAME, SEED_SCHEMA, SETTING, SharedCode, check_setting,
                      labelled_map, layout, parse_words, rounded, unit_vectors)

DIGITS = 4


@register
class MapExercise(SharedCode):
    kind = "map-exercise"
    summary = ("An exercise: from a 2-D map (PCA, t-SNE or UMAP), guess which group is closest to a "
               "target group in the full space; the answer is the mean cosine between the groups' words.")
    schema = {"type": "object", "additionalProperties": False, "required": ["method", "groups", "target"],
              "properties": {
                  "method": {"enum": ["pca", "tsne", "umap"]},
                  "setting": {"type": "number", "exclusiveMinimum": 0},
                  "groups": {**GROUPS_SCHEMA, "minProperties": 3},
                  "target": {"type": "string", "minLength": 1},
                  "seed": SEED_SCHEMA,
                  "prompt": {"type": "string", "minLength": 1},
                  "answer": {"type": "string", "minLength": 1},
                  "map_answer": {"type": "string", "minLength": 1},
                  "explanation": {"type": "string", "minLength": 1},
              }}
    display_options = ("prompt", "explanation", "answer", "map_answer")
    example = ("method: tsne\nsetting: 5\ngroups:\n  fruit: [apple, banana, lemon]\n"
               "  colours: [red, yellow, green]\n  vehicles: [car, bus, train]\ntarget: fruit\nanswer: colours")

    def parse(self, data):
        words, labels = parse_words(data, self.kind)
        groups = list(dict.fromkeys(labels))
        method = data["method"]
        if data["target"] not in groups:
            raise LexiconError(f"'target' ({data['target']}) is not one of the groups",
                               fix=f"name one of: {', '.join(groups)}")
        for opt in ("answer", "map_answer"):
            if opt in data and (data[opt] not in groups or data[opt] == data["target"]):
                raise LexiconError(f"'{opt}' ({data[opt]}) is not one of the other groups",
                                   fix=f"name one of: {', '.join(g for g in groups if g != data['target'])}")
        setting = data.get("setting")
        if method == "pca":
            if setting is not None:
                raise LexiconError("a PCA map has no 'setting'", fix="remove 'setting', or use method tsne or umap")
        else:
            if setting is None:
                raise LexiconError(f"missing option 'setting' (the {SETTING[method]} of the {METHOD_NAME[method]} map)",
                                   fix=f"add e.g.  setting: 5")
            if method == "umap" and (setting != int(setting) or setting < 2):
                raise LexiconError(f"n_neighbors must be a whole number of 2 or more, not {setting}",
                                   fix="write e.g.  setting: 5")
            setting = int(setting) if method == "umap" else float(setting)
            check_setting(method, setting, len(words))
        method_name = METHOD_NAME[method]
        return {"words": words, "labels": labels, "method": method, "setting": setting,
                "target": data["target"], "seed": data.get("seed", 42),
                "prompt": data.get("prompt", f"Look at the {method_name} map. Which group do you think is "
                                             f"closest to *{data['target']}* in the model's full space?"),
                "answer": data.get("answer"), "map_answer": data.get("map_answer"),
                "explanation": data.get("explanation")}

    def words(self, spec):
        return spec["words"]

    def anchor_hint(self, spec):
        return f"exercise {spec['method']} {spec['target']}"

    def compute(self, kv, spec):
        words, labels, target = spec["words"], spec["labels"], spec["target"]
        x = unit_vectors(kv, words)
        coords = layout(x, spec["method"], spec["setting"], spec["seed"])
        t_idx = [i for i, g in enumerate(labels) if g == target]
        others = [g for g in dict.fromkeys(labels) if g != target]
        cosine, distance = {}, {}
        for g in others:
            g_idx = [i for i, lab in enumerate(labels) if lab == g]
            cosine[g] = round(float((x[t_idx] @ x[g_idx].T).mean()), DIGITS)
            d = np.linalg.norm(coords[t_idx][:, None, :] - coords[g_idx][None, :, :], axis=-1)
            distance[g] = round(float(d.mean()), DIGITS)
        # Ties are broken by the groups' order on the page, so the answer is always one group.
        answer = max(others, key=lambda g: (cosine[g], -others.index(g)))
        map_answer = min(others, key=lambda g: (distance[g], others.index(g)))
        return {"coords": rounded(coords), "others": others, "cosine": cosine, "distance": distance,
                "answer": answer, "map_answer": map_answer}

    def claims(self, spec, result):
        out = []
        shown = ", ".join(f"{g} ({result['cosine'][g]:.4f})" for g in _by_cosine(result))
        if spec["answer"]:
            out.append(Claim(statement=f"the group closest to '{spec['target']}' in the full space is '{spec['answer']}'",
                             ok=result["answer"] == spec["answer"],
                             actual=f"it is '{result['answer']}'; mean cosine to {spec['target']}: {shown}"))
        if spec["map_answer"]:
            near = ", ".join(f"{g} ({result['distance'][g]:.3f})" for g in _by_distance(result))
            out.append(Claim(statement=f"on the map, the group closest to '{spec['target']}' is '{spec['map_answer']}'",
                             ok=result["map_answer"] == spec["map_answer"],
                             actual=f"it is '{result['map_answer']}'; mean map distance to {spec['target']}: {near}"))
        return out

    def render(self, spec, result, ctx):
        words, labels, target = spec["words"], spec["labels"], spec["target"]
        name = METHOD_NAME[spec["method"]]
        setting = f" ({SETTING[spec['method']]} {_num(spec['setting'])})" if spec["setting"] is not None else ""
        others, cosine, distance = result["others"], result["cosine"], result["distance"]
        by_cos, by_map = _by_cosine(result), _by_distance(result)
        groups = list(dict.fromkeys(labels))
        alt = (f"Scatter plot of {len(words)} words in {len(groups)} groups ({', '.join(groups)}), laid out by "
               f"{name}{setting}. Mean distance on the map from {target}: "
               + ", ".join(f"{g} {distance[g]:.2f}" for g in by_map) + ".")
        fig_html = figure(labelled_map(words, labels, result["coords"], show_text=len(words) <= 40),
                          alt=alt, caption=f"The groups laid out by {name}{setting}. Hover over a point to see its word.",
                          data_table=None, height=460, anchor=ctx.anchor + "-map")
        why = {g: (f"{g}: mean cosine {cosine[g]:.4f} to the {target} words in the full space "
                   f"(#{by_cos.index(g) + 1} of {len(others)}); #{by_map.index(g) + 1} by distance on the map.")
               for g in others}
        rows = [[g, fmt(cosine[g]), by_cos.index(g) + 1, fmt(distance[g], 3), by_map.index(g) + 1]
                for g in by_cos]
        tbl = table(["Group", f"Mean cosine to {target}", "Rank (full space)", "Mean map distance",
                     "Rank (map)"], rows, numeric_cols=(1, 2, 3, 4))
        bars = figures.bar_scores(by_cos, [cosine[g] for g in by_cos], title=f"Mean cosine to “{target}”",
                                  highlight=result["answer"])
        agree = result["answer"] == result["map_answer"]
        verdict = (f"The map agrees: <strong>{esc(result['map_answer'])}</strong> is also the closest group on the map."
                   if agree else
                   f"The map disagrees: on the map the closest group is <strong>{esc(result['map_answer'])}</strong>.")
        reveal = (f"<p>In the model's full space, <strong>{esc(result['answer'])}</strong> is closest to "
                  f"<em>{esc(target)}</em>: its words have the highest mean cosine similarity to the {esc(target)} "
                  f"words. {verdict}</p>"
                  + figure(bars, alt=f"Bar chart of each group's mean cosine similarity to the {target} words: "
                           + ", ".join(f"{g} {cosine[g]:.2f}" for g in by_cos) + ".",
                           caption=f"Mean cosine similarity between the {target} words and each other group's words "
                                   "(every pair). The table also gives each group's rank by distance on the map.",
                           data_table=tbl, height=80 + 34 * len(others), anchor=ctx.anchor + "-answer")
                  + claims_html(ctx.claims))
        html = choice_exercise("map", ctx.anchor, spec["prompt"], others, result["answer"], why, reveal,
                               spec["explanation"], ctx.model_id)
        # The map belongs to the question: it goes between the prompt and the choices.
        return html.replace('<form class="ll-exercise__form"', fig_html + '<form class="ll-exercise__form"', 1)


def _by_cosine(result):
    return sorted(result["others"], key=lambda g: (-result["cosine"][g], result["others"].index(g)))


def _by_distance(result):
    return sorted(result["others"], key=lambda g: (result["distance"][g], result["others"].index(g)))


def _num(v):
    return f"{v:g}"
