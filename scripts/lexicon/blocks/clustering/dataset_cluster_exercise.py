"""An exercise on clustering a bundled dataset: which k has the best silhouette, which eps gives DBSCAN the most
clusters, which number of mixture components BIC prefers, or which partition agrees best with the classes."""

from __future__ import annotations

import re

import numpy as np

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._clusters import N_INIT
from ._data import DATASET, SCALE, SEEDS, features

CHOICES = {"type": "array", "items": {"type": ["string", "number"]}, "minItems": 2, "maxItems": 6,
           "uniqueItems": True}
PARTITION = re.compile(r"^(kmeans|random)-([0-9]{1,2})$")
PROMPTS = {"silhouette-k": "k-means can split the {dataset} data into any number of clusters. Which k gives the "
                           "highest mean silhouette?",
           "dbscan-clusters": "DBSCAN (min_samples = {min_samples}) clusters the {dataset} data. With which eps does "
                              "it find the most clusters?",
           "bic-k": "A Gaussian mixture is fitted to the {dataset} data with different numbers of components. "
                    "Which number does the BIC prefer (lowest mean BIC)?",
           "ari": "Which of these partitions of the {dataset} data agrees best with its classes by the adjusted "
                  "Rand index?"}
WHAT = {"silhouette-k": "mean silhouette", "dbscan-clusters": "clusters found", "bic-k": "mean BIC",
        "ari": "adjusted Rand index"}


def label(ask: str, choice: str) -> str:
    if ask in ("silhouette-k", "bic-k"):
        return f"k = {choice}"
    if ask == "dbscan-clusters":
        return f"eps = {choice}"
    how, k = PARTITION.match(choice).groups()
    return f"k-means, k = {k}" if how == "kmeans" else f"random labels, k = {k}"


class DatasetClusterExercise(ExerciseKind):
    """An exercise on clustering one of scikit-learn's bundled datasets (standardised unless `scale: false`),
    each answer computed over several seeds where the method has one.

    - `ask: silhouette-k`: the choices are k values; the answer is the k whose k-means clustering
      (`KMeans(n_clusters=k, n_init=n_init, random_state=s)`) has the highest `silhouette_score`, averaged over
      the seeds s = 0 … `seeds` − 1.
    - `ask: dbscan-clusters`: the choices are eps values; the answer is the eps at which
      `DBSCAN(eps, min_samples=min_samples)` finds the most clusters (noise is not a cluster). DBSCAN has no seed.
    - `ask: bic-k`: the choices are numbers of components; the answer is the one whose
      `GaussianMixture(n_components=k, random_state=s).bic(x)` is lowest on average over the seeds.
    - `ask: ari`: the choices are partitions, `kmeans-3` (k-means with 3 clusters) or `random-10` (each sample
      given one of 10 labels at random, numpy's `default_rng(s)`); the answer has the highest
      `adjusted_rand_score` against the classes, averaged over the seeds. The reader sees each partition's
      plain Rand index (`rand_score`, not chance-corrected) before answering.

    The answer section lists every choice's score and its range over the seeds; a tie at the shown precision
    fails the build. `answer` is the choice you claim is right.
    """

    example = "ask: silhouette-k\ndataset: wine\nchoices: [2, 3, 4]\nseeds: 2\nanswer: 3"
    needs_model = False
    note = "Computed at build time with scikit-learn, on its bundled copy of the data; no embedding model."
    options = opt.Options(
        ExerciseKind.options,
        ask=opt.choice("The question.", list(PROMPTS), required=True),
        dataset=DATASET,
        scale=SCALE,
        choices=opt.raw("The choices: 2–6 k values (`silhouette-k`, `bic-k`), eps values (`dbscan-clusters`) or "
                        "partitions such as `kmeans-3`, `random-10` (`ari`).", CHOICES,
                        "list of 2–6 numbers or partitions", required=True, convert=list),
        min_samples=opt.integer("DBSCAN's `min_samples` (`dbscan-clusters`).", default=5, min=2, max=50),
        n_init=N_INIT,
        seeds=SEEDS,
        answer=opt.raw("The choice you claim is right (a [claim](#claims)).", {"type": ["string", "number"]},
                       "one of the choices", display=True, convert=str),
    )

    def prepare(self, spec):
        spec.choices = [str(c) for c in spec.choices]
        for c in spec.choices:
            if spec.ask in ("silhouette-k", "bic-k"):
                ok = c.isdigit() and 1 <= int(c) <= 20 and (int(c) >= 2 or spec.ask == "bic-k")
                fix = "write e.g. 'choices: [2, 3, 4]' (whole numbers, 2–20 for the silhouette, 1–20 for BIC)"
            elif spec.ask == "dbscan-clusters":
                ok = re.fullmatch(r"[0-9]*\.?[0-9]+", c) is not None and 0 < float(c) <= 100
                fix = "write e.g. 'choices: [1.5, 2.0, 2.5]' (positive numbers)"
            else:
                m = PARTITION.match(c)
                ok = m is not None and 2 <= int(m.group(2)) <= 20
                fix = "write e.g. 'choices: [kmeans-3, kmeans-8, random-10]' (k from 2 to 20)"
            if not ok:
                raise LexiconError(f"the choice '{c}' does not fit 'ask: {spec.ask}'", fix=fix)
        if spec.answer is not None and spec.answer not in spec.choices:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                               fix="name one of: " + ", ".join(spec.choices))

    def prompt(self, spec):
        return spec.prompt or PROMPTS[spec.ask].format(dataset=spec.dataset, min_samples=spec.min_samples)

    def anchor_hint(self, spec):
        return f"exercise {spec.ask} {spec.dataset}"

    def compute(self, kv, spec):
        x, y = features(spec.dataset, spec.scale)
        per = [score_choice(spec, x, y, c) for c in spec.choices]
        out = {"scores": [float(np.mean(p["runs"])) for p in per], "low": [float(np.min(p["runs"])) for p in per],
               "high": [float(np.max(p["runs"])) for p in per]}
        if spec.ask == "ari":
            out["rand"] = [float(np.mean(p["rand"])) for p in per]
        return out

    def graded(self, spec, result):
        return {label(spec.ask, c): s for c, s in zip(spec.choices, result["scores"])}

    def graded_end(self, spec):
        return "lowest" if spec.ask == "bic-k" else "highest"

    def _best(self, spec, result) -> str:
        pick = min if spec.ask == "bic-k" else max
        return pick(zip(spec.choices, result["scores"]), key=lambda t: t[1])[0]

    def _fmt(self, spec, v):
        return str(int(v)) if spec.ask == "dbscan-clusters" and v == int(v) else fmt(v, 1 if spec.ask == "bic-k" else 4)

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        best = self._best(spec, result)
        end = "lowest" if spec.ask == "bic-k" else "highest"
        check(f"{label(spec.ask, spec.answer)} has the {end} {WHAT[spec.ask]} of "
              + ", ".join(label(spec.ask, c) for c in spec.choices), best == spec.answer,
              "; ".join(f"{label(spec.ask, c)}: {self._fmt(spec, s)}" for c, s in zip(spec.choices, result["scores"])),
              decided_by=[-v for v in result["scores"]] if spec.ask == "bic-k" else result["scores"])

    @value("The right choice.")
    def best(self, spec, result):
        return Value(self._best(spec, result))

    @value("A choice's score (mean over the seeds): `score(3)`.")
    def score(self, spec, result, choice):
        c = str(choice).strip()
        if c not in spec.choices:
            raise LexiconError(f"'{c}' is not one of the choices", fix="name one of: " + ", ".join(spec.choices))
        v = result["scores"][spec.choices.index(c)]
        return Value(self._fmt(spec, v), v)

    def render(self, spec, result, ctx):
        best = self._best(spec, result)
        labels = [label(spec.ask, c) for c in spec.choices]
        sign = 1 if spec.ask == "bic-k" else -1
        order = sorted(range(len(spec.choices)), key=lambda i: sign * result["scores"][i])
        seeded = spec.ask != "dbscan-clusters"
        heads = ["Choice", WHAT[spec.ask][0].upper() + WHAT[spec.ask][1:] + (" (mean over the seeds)" if seeded else "")]
        rows = []
        for i in order:
            row = [labels[i], self._fmt(spec, result["scores"][i])]
            if seeded:
                lo, hi = self._fmt(spec, result["low"][i]), self._fmt(spec, result["high"][i])
                row.append("same for every seed" if lo == hi else f"{lo} to {hi}")
            rows.append(row)
        if seeded:
            heads.append(f"Range over {spec.seeds} seeds")
        before = []
        if spec.ask == "ari":
            before = [Table(["Partition", "Plain Rand index (mean over the seeds)"],
                            [[lab, fmt(r)] for lab, r in zip(labels, result["rand"])], numeric=(1,))]
        i = spec.choices.index(best)
        lead = Html(f"<p><strong>{esc(label(spec.ask, best))}</strong>: {WHAT[spec.ask]} "
                    f"{self._fmt(spec, result['scores'][i])}.</p>")
        why = {lab: f"{lab}: {WHAT[spec.ask]} {self._fmt(spec, s)}." for lab, s in zip(labels, result["scores"])}
        return Choices(labels, label(spec.ask, best), why,
                       [lead, Table(heads, rows, numeric=(1,))], before)


def score_choice(spec, x, y, choice: str) -> dict:
    """The score of one choice on every seed (one run for DBSCAN, which has no seed)."""
    from sklearn.cluster import DBSCAN, KMeans
    from sklearn.metrics import adjusted_rand_score, rand_score, silhouette_score
    from sklearn.mixture import GaussianMixture

    if spec.ask == "dbscan-clusters":
        labels = DBSCAN(eps=float(choice), min_samples=spec.min_samples).fit_predict(x)
        return {"runs": [int(labels.max()) + 1]}
    runs, rand = [], []
    for s in range(spec.seeds):
        if spec.ask == "silhouette-k":
            labels = KMeans(n_clusters=int(choice), n_init=spec.n_init, random_state=s).fit_predict(x)
            runs.append(float(silhouette_score(x, labels)))
        elif spec.ask == "bic-k":
            runs.append(float(GaussianMixture(n_components=int(choice), random_state=s).fit(x).bic(x)))
        else:
            how, k = PARTITION.match(choice).groups()
            labels = (KMeans(n_clusters=int(k), n_init=spec.n_init, random_state=s).fit_predict(x) if how == "kmeans"
                      else np.random.default_rng(s).integers(0, int(k), len(y)))
            runs.append(float(adjusted_rand_score(y, labels)))
            rand.append(float(rand_score(y, labels)))
    return {"runs": runs, "rand": rand}
