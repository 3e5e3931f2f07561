"""An exercise: which word lies farthest from its k-means cluster's centre, which lies nearest a cell border, which k
has the best silhouette, or which linkage of agglomerative clustering matches the groups worst?"""

from __future__ import annotations

import numpy as np

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._clusters import GROUPS, KMEANS_OPTIONS, UNIT, ari, check_ks, first_seen, kmeans, matrix, members, read_groups

CHOICES = {"type": "array", "items": {"type": ["string", "integer"]}, "minItems": 2, "maxItems": 6,
           "uniqueItems": True}
PROMPTS = {"farthest": "k-means put these words into {k} clusters (shown below). Which of the choices lies "
                       "farthest from the centre of its own cluster?",
           "border": "k-means put these words into {k} cells (shown below). Which of the choices lies nearest the "
                     "border of its cell with another cell?",
           "best-k": "k-means can split these words into any number of clusters. Which k gives the highest mean "
                     "silhouette?",
           "linkage": "Agglomerative clustering cuts these words into {k} clusters. With which linkage do the clusters "
                      "match the groups worst?"}
LINKAGES = ("ward", "average", "complete", "single")


class ClusterExercise(ExerciseKind):
    """An exercise on clusters of some words: which word lies farthest from its k-means centre, which
    lies nearest the border of its cell, which k gives the best silhouette, or which linkage matches
    the named groups worst.

    With `ask: farthest` or `ask: border`, the `choices` are words of the block; with `ask: best-k`, k values; with
    `ask: linkage`, linkages (`ward`, `average`, `complete`, `single`).

    The clustering is that of the `kmeans` kind (scikit-learn's `KMeans`, `n_init`, `seed`, unit
    vectors unless `unit: false`). For `farthest`, the reader sees the clusters at `k` (default: the
    number of groups); the answer is the choice with the largest Euclidean distance to its cluster's
    centre (`cluster_centers_`), the answer section lists every choice's distance. For `border`, the
    answer is the choice with the smallest Euclidean distance to the nearest border of its k-means cell
    (the hyperplane halfway between its centre c and another centre c': (‖x − c'‖² − ‖x − c‖²) / (2‖c − c'‖),
    least over the other centres), the word an index probing only its own cell is likeliest to fail;
    the answer section lists that distance beside the distance to the centre, which is not the same
    thing. For `best-k`, the
    reader sees the words in their groups; the answer is the k with the highest `silhouette_score`,
    and the answer section lists them all. For `linkage`, the reader sees the words in their groups;
    the answer is the linkage whose `AgglomerativeClustering(n_clusters=k)` clusters have the lowest
    adjusted Rand index against the groups. A tie at the shown precision fails the build. `answer`
    is the choice you claim is right.
    """

    example = ("ask: farthest\ngroups:\n  animals: [dog, cat, horse, cow]\n  colours: [red, blue, green, yellow]\n"
               "choices: [dog, horse, red]\nanswer: horse")
    options = opt.Options(
        ExerciseKind.options,
        ask=opt.choice("The question: the word farthest from its cluster's centre, the word nearest a cell border, "
                       "the k with the best silhouette, or "
                       "the linkage that matches the groups worst.", ["farthest", "border", "best-k", "linkage"],
                       required=True),
        groups=GROUPS,
        choices=opt.raw("The choices: 2–6 of the block's words (`farthest`, `border`), k values (`best-k`) or linkages "
                        "(`linkage`).", CHOICES,
                        "list of 2–6 words or whole numbers", required=True, convert=list),
        k=opt.integer("The number of clusters (`farthest`, `border`, `linkage`; default: the number of groups).", min=2,
                      max=20),
        **KMEANS_OPTIONS,
        unit=UNIT,
        answer=opt.raw("The choice you claim is right (a [claim](#claims)).", {"type": ["string", "integer"]},
                       "one of the choices", display=True, convert=str),
    )

    def prepare(self, spec):
        read_groups(spec)
        spec.choices = [str(c) for c in spec.choices]
        if spec.ask in ("farthest", "border", "linkage"):
            if spec.k is None:
                spec.k = len(spec.group_names)
            check_ks([spec.k], len(spec.word_list), "k")
            allowed, what = ((spec.word_list, "the block's words") if spec.ask != "linkage" else
                             (LINKAGES, "the linkages " + ", ".join(LINKAGES)))
            wrong = [c for c in spec.choices if c not in allowed]
            if wrong:
                raise LexiconError(f"the choice '{wrong[0]}' is not one of {what}",
                                   fix="choose words from 'groups'" if spec.ask != "linkage" else
                                   "choose from: " + ", ".join(LINKAGES))
        else:
            if spec.k is not None:
                raise LexiconError("'k' is for 'ask: farthest', 'ask: border' and 'ask: linkage'; with 'ask: best-k' the choices "
                                   "are the k values", fix="remove 'k'")
            if not all(c.isdigit() and int(c) >= 2 for c in spec.choices):
                raise LexiconError("with 'ask: best-k' every choice is a number of clusters, 2 or more",
                                   fix="write e.g. 'choices: [3, 4, 5]'")
            spec.k_list = check_ks([int(c) for c in spec.choices], len(spec.word_list), "choices")
        if spec.answer is not None and spec.answer not in spec.choices:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                               fix="name one of: " + ", ".join(spec.choices))

    def prompt(self, spec):
        return spec.prompt or PROMPTS[spec.ask].format(k=spec.k)

    def anchor_hint(self, spec):
        return f"exercise {spec.ask}"

    def compute(self, kv, spec):
        from sklearn.metrics import silhouette_score

        x = matrix(kv, spec.word_list, spec.unit)
        if spec.ask == "farthest":
            km, labels = kmeans(x, spec.k, spec.n_init, spec.seed)
            # km's own cluster numbers, for its centres; ``labels`` renumbered for display
            dist = np.linalg.norm(x - km.cluster_centers_[km.labels_], axis=1)
            return {"labels": labels, "scores": [float(dist[spec.word_list.index(c)]) for c in spec.choices]}
        if spec.ask == "border":
            km, labels = kmeans(x, spec.k, spec.n_init, spec.seed)
            rows = [spec.word_list.index(c) for c in spec.choices]
            return {"labels": labels, "scores": [border_distance(x[i], km.cluster_centers_, int(km.labels_[i]))
                                                 for i in rows],
                    "centre": [float(np.linalg.norm(x[i] - km.cluster_centers_[km.labels_[i]])) for i in rows]}
        if spec.ask == "linkage":
            from sklearn.cluster import AgglomerativeClustering

            return {"scores": [ari(spec.truth, first_seen(AgglomerativeClustering(n_clusters=spec.k, linkage=method)
                                                          .fit_predict(x))) for method in spec.choices]}
        scores = []
        for k in (int(c) for c in spec.choices):
            _, labels = kmeans(x, k, spec.n_init, spec.seed)
            scores.append(float(silhouette_score(x, labels)))
        return {"scores": scores}

    def graded(self, spec, result):
        label = "k = " if spec.ask == "best-k" else ""
        return {label + c: s for c, s in zip(spec.choices, result["scores"])}

    def graded_end(self, spec):
        return "lowest" if spec.ask in ("linkage", "border") else "highest"

    def _best(self, spec, result) -> str:
        pick = min if spec.ask in ("linkage", "border") else max
        return pick(zip(spec.choices, result["scores"]), key=lambda t: t[1])[0]

    def _what(self, spec) -> str:
        return {"farthest": "distance to its cluster's centre", "border": "distance to the nearest cell border",
                "best-k": "mean silhouette",
                "linkage": "adjusted Rand index"}[spec.ask]

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        best = self._best(spec, result)
        said = {"farthest": f"'{spec.answer}' lies farthest from its cluster's centre of {', '.join(spec.choices)}",
                "border": f"'{spec.answer}' lies nearest a cell border of {', '.join(spec.choices)}",
                "best-k": f"k = {spec.answer} gives the highest mean silhouette of k = {', '.join(spec.choices)}",
                "linkage": f"{spec.answer} linkage matches the groups worst of {', '.join(spec.choices)}"}[spec.ask]
        check(said, best == spec.answer,
              "; ".join(f"{c}: {self._what(spec)} {fmt(s)}" for c, s in zip(spec.choices, result["scores"])),
              decided_by=([-v for v in result["scores"]] if spec.ask in ("linkage", "border")
                          else result["scores"]))

    @value("The right choice.")
    def best(self, spec, result):
        return Value(self._best(spec, result))

    @value("A choice's score (its distance to its centre or to the nearest cell border, the mean silhouette at that k, or the linkage's adjusted "
           "Rand index): `score(horse)`.")
    def score(self, spec, result, choice):
        c = str(choice).strip()
        if c not in spec.choices:
            raise LexiconError(f"'{c}' is not one of the choices", fix="name one of: " + ", ".join(spec.choices))
        v = result["scores"][spec.choices.index(c)]
        return Value(fmt(v), v)

    def render(self, spec, result, ctx):
        best = self._best(spec, result)
        sign = 1 if spec.ask in ("linkage", "border") else -1
        order = sorted(range(len(spec.choices)), key=lambda i: sign * result["scores"][i])
        label = "k = " if spec.ask == "best-k" else ""
        if spec.ask == "farthest":
            before = [Table(["Cluster", "Words"], [[str(c + 1), ", ".join(ws)] for c, ws in
                                                 enumerate(members(spec.word_list, result["labels"]))])]
            lead = (f"<p><strong>{esc(best)}</strong> lies farthest from the centre of its cluster "
                    f"(Euclidean distance {fmt(result['scores'][spec.choices.index(best)])}"
                    f"{' between unit vectors' if spec.unit else ''}).</p>")
        elif spec.ask == "border":
            before = [Table(["Cell", "Words"], [[str(c + 1), ", ".join(ws)] for c, ws in
                                              enumerate(members(spec.word_list, result["labels"]))])]
            far = max(range(len(spec.choices)), key=lambda i: result["centre"][i])
            lead = (f"<p><strong>{esc(best)}</strong> lies nearest a border of its cell (Euclidean distance "
                    f"{fmt(result['scores'][spec.choices.index(best)])}). The choice farthest from its centre, "
                    f"{esc(spec.choices[far])} ({fmt(result['centre'][far])}), "
                    + ("is the same word." if spec.choices[far] == best else "is not: a word can be far from its "
                       "centre on the side away from every other cell.") + "</p>")
        elif spec.ask == "best-k":
            before = [Table(["Group", "Words"], [[g, ", ".join(ws)] for g, ws in spec.groups.items()])]
            lead = (f"<p><strong>k = {esc(best)}</strong> gives the highest mean silhouette "
                    f"({fmt(result['scores'][spec.choices.index(best)])}).</p>")
        else:
            before = [Table(["Group", "Words"], [[g, ", ".join(ws)] for g, ws in spec.groups.items()])]
            lead = (f"<p><strong>{esc(best)}</strong> linkage matches the groups worst: adjusted Rand index "
                    f"{fmt(result['scores'][spec.choices.index(best)])} (1 would be the groups exactly).</p>")
        why = {c: f"{label}{c}: {self._what(spec)} {fmt(s)}." for c, s in zip(spec.choices, result["scores"])}
        if spec.ask == "border":
            table = Table(["Choice", "Distance to the nearest cell border", "Distance to its centre"],
                          [[spec.choices[i], fmt(result["scores"][i]), fmt(result["centre"][i])] for i in order],
                          numeric=(1, 2))
        else:
            table = Table(["Choice", self._what(spec).capitalize()],
                          [[label + spec.choices[i], fmt(result["scores"][i])] for i in order], numeric=(1,))
        reveal = [Html(lead), table]
        return Choices([label + c for c in spec.choices], label + best,
                       {label + c: w for c, w in why.items()}, reveal, before)


def border_distance(point: np.ndarray, centres: np.ndarray, own: int) -> float:
    """Euclidean distance from a point to the nearest border of its Voronoi cell: to each hyperplane halfway
    between its own centre c and another centre c', (‖x − c'‖² − ‖x − c‖²) / (2‖c − c'‖), the least of them."""
    d2 = ((centres - point) ** 2).sum(axis=1)
    return float(min((d2[j] - d2[own]) / (2 * np.linalg.norm(centres[own] - centres[j]))
                     for j in range(len(centres)) if j != own))
