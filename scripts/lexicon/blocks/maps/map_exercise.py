"""``map-exercise``: judge from a 2-D map which group is closest to another, then see the full-space answer."""

from __future__ import annotations

import numpy as np

from ... import figures
from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Figure, Html, Table
from ...errors import LexiconError
from ...numeric import COORD_DIGITS, rounded
from ...render import esc, fmt
from ._figures import labelled_map
from ._layouts import METHOD_NAME, SETTING, check_setting, layout
from ._words import SEED, read_words, unit_vectors

DIGITS = 4


class MapExercise(ExerciseKind):
    """An exercise: from a 2-D map (PCA, t-SNE or UMAP), guess which group is closest to a target group in
    the full space; the answer is the mean cosine between the groups' words.

    Readers see a PCA, t-SNE or UMAP map of some groups of words and pick the group they think is
    closest to a target group in the full space. The answer is the group with the highest mean
    cosine similarity between its words and the target's words, over every pair. The answer
    section also gives the order by mean distance on the map, and says whether the map agrees, so
    a reader learns whether distances between clusters on this map can be trusted.
    """

    distinct_words = True  # a map (geometry.require_spread)

    example = ("method: tsne\nsetting: 5\ngroups:\n  fruit: [apple, banana, lemon]\n"
               "  colours: [red, yellow, green]\n  vehicles: [car, bus, train]\ntarget: fruit\nanswer: colours")
    options = opt.Options(
        ExerciseKind.options.with_defaults(prompt={"default_doc": "“Look at the … map. Which group do you think is "
                                                                  "closest to *…* in the model's full space?”"}),
        method=opt.choice("The map the reader sees.", ["pca", "tsne", "umap"], required=True),
        setting=opt.number("The perplexity (t-SNE) or n_neighbors (UMAP) of the map; a PCA map has none.",
                           above=0, default_doc="required for `tsne` and `umap`"),
        groups=opt.groups("Named lists of words, `animals: [cat, dog, horse]`; a word may be in only one group.",
                          min=3, max=8, required=True),
        target=opt.text("The group the others are compared with.", type_doc="group name", required=True),
        seed=SEED,
        answer=opt.text("The group you claim is closest to the target in the full space (a [claim](#claims)).",
                        type_doc="group name", display=True),
        map_answer=opt.text("The group you claim is closest to the target on the map (a [claim](#claims)).",
                            type_doc="group name", display=True),
    )

    def prepare(self, spec):
        read_words(spec, self.kind)
        groups = list(dict.fromkeys(spec.group_of))
        if spec.target not in groups:
            raise LexiconError(f"'target' ({spec.target}) is not one of the groups",
                               fix=f"name one of: {', '.join(groups)}")
        for name in ("answer", "map_answer"):
            given = getattr(spec, name)
            if given is not None and (given not in groups or given == spec.target):
                raise LexiconError(f"'{name}' ({given}) is not one of the other groups",
                                   fix=f"name one of: {', '.join(g for g in groups if g != spec.target)}")
        method, setting = spec.method, spec.setting
        if method == "pca":
            if setting is not None:
                raise LexiconError("a PCA map has no 'setting'", fix="remove 'setting', or use method tsne or umap")
        else:
            if setting is None:
                raise LexiconError(f"missing option 'setting' (the {SETTING[method]} of the {METHOD_NAME[method]} map)",
                                   fix="add e.g.  setting: 5")
            if method == "umap" and (setting != int(setting) or setting < 2):
                raise LexiconError(f"n_neighbors must be a whole number of 2 or more, not {setting}",
                                   fix="write e.g.  setting: 5")
            spec.setting = int(setting) if method == "umap" else float(setting)
            check_setting(method, spec.setting, len(spec.word_list))
        spec.method_name = METHOD_NAME[method]

    def words(self, spec):
        return spec.word_list

    def prompt(self, spec):
        return spec.prompt or (f"Look at the {spec.method_name} map. Which group do you think is closest to "
                               f"*{spec.target}* in the model's full space?")

    def anchor_hint(self, spec):
        return f"exercise {spec.method} {spec.target}"

    def compute(self, kv, spec):
        labels, target = spec.group_of, spec.target
        x = unit_vectors(kv, spec.word_list)
        coords = layout(x, spec.method, spec.setting, spec.seed)
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
        return {"coords": rounded(coords, COORD_DIGITS), "others": others, "cosine": cosine, "distance": distance,
                "answer": answer, "map_answer": map_answer}

    def graded(self, spec, result):
        return {g: result["cosine"][g] for g in result["others"]}

    def claims(self, spec, result, check):
        shown = ", ".join(f"{g} ({result['cosine'][g]:.4f})" for g in _by_cosine(result))
        if spec.answer:
            check(f"the group closest to '{spec.target}' in the full space is '{spec.answer}'",
                  result["answer"] == spec.answer,
                  f"it is '{result['answer']}'; mean cosine to {spec.target}: {shown}",
                  decided_by=list(result["cosine"].values()))
        if spec.map_answer:
            near = ", ".join(f"{g} ({result['distance'][g]:.3f})" for g in _by_distance(result))
            check(f"on the map, the group closest to '{spec.target}' is '{spec.map_answer}'",
                  result["map_answer"] == spec.map_answer,
                  f"it is '{result['map_answer']}'; mean map distance to {spec.target}: {near}",
                  decided_by=[-d for d in result["distance"].values()])

    # --- values for prose -----------------------------------------------------------------------------
    @value("The group closest to the target in the full space (highest mean cosine).")
    def closest(self, spec, result):
        return Value(result["answer"])

    @value("The group closest to the target on the map (smallest mean distance).")
    def map_closest(self, spec, result):
        return Value(result["map_answer"])

    @value("A group's mean cosine similarity to the target's words, as the table shows it.")
    def cosine(self, spec, result, group):
        c = result["cosine"][_group(result, group)]
        return Value(fmt(c), c)

    @value("A group's mean distance to the target's words on the map, as the table shows it.")
    def distance(self, spec, result, group):
        d = result["distance"][_group(result, group)]
        return Value(fmt(d, 3), d)

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        words, labels, target = spec.word_list, spec.group_of, spec.target
        name = spec.method_name
        setting = f" ({SETTING[spec.method]} {spec.setting:g})" if spec.setting is not None else ""
        others, cosine, distance = result["others"], result["cosine"], result["distance"]
        by_cos, by_map = _by_cosine(result), _by_distance(result)
        groups = list(dict.fromkeys(labels))
        alt = (f"Scatter plot of {len(words)} words in {len(groups)} groups ({', '.join(groups)}), laid out by "
               f"{name}{setting}. Mean distance on the map from {target}: "
               + ", ".join(f"{g} {distance[g]:.2f}" for g in by_map) + ".")
        the_map = Figure(lambda: labelled_map(words, labels, result["coords"], show_text=len(words) <= 40),
                         alt=alt, caption=f"The groups laid out by {name}{setting}. Hover over a point to see its word.",
                         height=460, anchor="map")
        why = {g: (f"{g}: mean cosine {cosine[g]:.4f} to the {target} words in the full space "
                   f"(#{by_cos.index(g) + 1} of {len(others)}); #{by_map.index(g) + 1} by distance on the map.")
               for g in others}
        rows = [[g, fmt(cosine[g]), by_cos.index(g) + 1, fmt(distance[g], 3), by_map.index(g) + 1] for g in by_cos]
        table = Table(["Group", f"Mean cosine to {target}", "Rank (full space)", "Mean map distance", "Rank (map)"],
                      rows, numeric=(1, 2, 3, 4))
        agree = result["answer"] == result["map_answer"]
        verdict = (f"The map agrees: <strong>{esc(result['map_answer'])}</strong> is also the closest group on the map."
                   if agree else
                   f"The map disagrees: on the map the closest group is <strong>{esc(result['map_answer'])}</strong>.")
        reveal = [
            Html(f"<p>In the model's full space, <strong>{esc(result['answer'])}</strong> is closest to "
                 f"<em>{esc(target)}</em>: its words have the highest mean cosine similarity to the {esc(target)} "
                 f"words. {verdict}</p>"),
            Figure(lambda: figures.bar_scores(by_cos, [cosine[g] for g in by_cos], title=f"Mean cosine to “{target}”",
                                              highlight=result["answer"]),
                   alt=f"Bar chart of each group's mean cosine similarity to the {target} words: "
                       + ", ".join(f"{g} {cosine[g]:.2f}" for g in by_cos) + ".",
                   caption=f"Mean cosine similarity between the {target} words and each other group's words "
                           "(every pair). The table also gives each group's rank by distance on the map.",
                   table=table, height=80 + 34 * len(others), anchor="answer"),
        ]
        # The map belongs to the question: it stands between the prompt and the choices.
        return Choices(others, result["answer"], why, reveal, before=[the_map])


def _group(result, group) -> str:
    g = str(group).strip()
    if g not in result["cosine"]:
        raise LexiconError(f"'{g}' is not one of the groups compared with the target",
                           fix="name one of: " + ", ".join(result["others"]))
    return g


def _by_cosine(result):
    return sorted(result["others"], key=lambda g: (-result["cosine"][g], result["others"].index(g)))


def _by_distance(result):
    return sorted(result["others"], key=lambda g: (result["distance"][g], result["others"].index(g)))
