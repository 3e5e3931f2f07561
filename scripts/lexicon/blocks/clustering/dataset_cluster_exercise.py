"""An exercise on clustering a bundled dataset: which k has the best silhouette, which eps gives DBSCAN the most
clusters, which number of mixture components BIC prefers, or which partition agrees best with the classes."""

from __future__ import annotations

import re

import numpy as np

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt, percent
from ._clusters import N_INIT
from ._data import DATA_OPTIONS, SEEDS, features, sci

CHOICES = {"type": "array", "items": {"type": ["string", "number"]}, "minItems": 2, "maxItems": 6,
           "uniqueItems": True}
PARTITION = re.compile(r"^(kmeans|random)-([0-9]{1,2})$")
PROMPTS = {"silhouette-k": "k-means can split the {scaled}{dataset} data into any number of clusters. Which k gives "
                           "the highest mean silhouette?",
           "dbscan-clusters": "DBSCAN (min_samples = {min_samples}) clusters the {scaled}{dataset} data. With which eps "
                              "does it find the most clusters?",
           "bic-k": "A Gaussian mixture (full covariances, reg_covar = {reg_covar}) is fitted to the {scaled}{dataset} "
                    "data with different numbers of components, the best fit of {seeds} starts for each. Which number "
                    "does the BIC prefer?",
           "ari": "Which of these partitions of the {scaled}{dataset} data agrees best with its classes by the "
                  "adjusted Rand index?"}
WHAT = {"silhouette-k": "mean silhouette", "dbscan-clusters": "clusters found", "bic-k": "BIC of the best fit",
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
    - `ask: bic-k`: the choices are numbers of components; each is scored by its best fit, the lowest
      `GaussianMixture(n_components=k, reg_covar=reg_covar, random_state=s).bic(x)` over the seeds (BIC is defined
      at the maximum-likelihood fit), and the answer is the lowest.
    - `ask: ari`: the choices are partitions, `kmeans-3` (k-means with 3 clusters) or `random-10` (each sample
      given one of 10 labels at random, numpy's `default_rng(s)`); the answer has the highest
      `adjusted_rand_score` against the classes, averaged over the seeds. The reader sees each partition's
      plain Rand index (`rand_score`, not chance-corrected) before answering.

    The answer table adds, for `silhouette-k`, the drop in mean k-means inertia from k − 1 to k (the elbow
    method's reading) and, for `dbscan-clusters`, the number of noise points, so that a setting which finds many
    clusters by leaving much of the data out is seen to do so.

    The answer section lists every choice's score and its range over the seeds; a tie at the shown precision
    fails the build. `answer` is the choice you claim is right.
    """

    example = "ask: silhouette-k\ndataset: wine\nchoices: [2, 3, 4]\nseeds: 2\nanswer: 3"
    needs_model = False
    note = "Computed at build time with scikit-learn, on its bundled copy of the data; no embedding model."
    options = opt.Options(
        ExerciseKind.options,
        ask=opt.choice("The question.", list(PROMPTS), required=True),
        **DATA_OPTIONS,
        choices=opt.raw("The choices: 2–6 k values (`silhouette-k`, `bic-k`), eps values (`dbscan-clusters`) or "
                        "partitions such as `kmeans-3`, `random-10` (`ari`).", CHOICES,
                        "list of 2–6 numbers or partitions", required=True, convert=list),
        min_samples=opt.integer("DBSCAN's `min_samples` (`dbscan-clusters`).", default=5, min=2, max=50),
        reg_covar=opt.number("The mixture's `reg_covar` (`bic-k`), added to every covariance's diagonal; "
                             "scikit-learn's default is 1e-6.", default=1e-6, above=0, max=1),
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
        return spec.prompt or PROMPTS[spec.ask].format(dataset=spec.dataset, min_samples=spec.min_samples,
                                                       scaled="standardised " if spec.scale else "",
                                                       reg_covar=sci(spec.reg_covar), seeds=spec.seeds)

    def anchor_hint(self, spec):
        return f"exercise {spec.ask} {spec.dataset}"

    def compute(self, kv, spec):
        x, y = features(spec.dataset, spec.scale)
        per = [score_choice(spec, x, y, c) for c in spec.choices]
        pick = np.min if spec.ask == "bic-k" else np.mean
        out = {"scores": [float(pick(p["runs"])) for p in per], "low": [float(np.min(p["runs"])) for p in per],
               "high": [float(np.max(p["runs"])) for p in per]}
        if spec.ask == "ari":
            out["rand"] = [float(np.mean(p["rand"])) for p in per]
        if spec.ask == "dbscan-clusters":
            out["noise"] = [p["noise"] for p in per]
            out["samples"] = len(y)
        if spec.ask == "silhouette-k":
            out["drop"] = inertia_drops(spec, x, [int(c) for c in spec.choices])
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

    @value("A choice's score (mean over the seeds; for `bic-k` the lowest): `score(3)`.")
    def score(self, spec, result, choice):
        v = result["scores"][self._index(spec, choice)]
        return Value(self._fmt(spec, v), v)

    @value("How many samples DBSCAN leaves as noise with a choice of eps (`dbscan-clusters`): `noise(2.0)`.")
    def noise(self, spec, result, choice):
        if spec.ask != "dbscan-clusters":
            raise LexiconError("'noise' is only computed for 'ask: dbscan-clusters'", fix="use 'score' instead")
        v = result["noise"][self._index(spec, choice)]
        return Value(f"{v:,}", v)

    @value("The share of the mean k-means inertia that going from k − 1 to a choice k removes (`silhouette-k`): "
           "`drop(3)`.")
    def drop(self, spec, result, choice):
        if spec.ask != "silhouette-k":
            raise LexiconError("'drop' is only computed for 'ask: silhouette-k'", fix="use 'score' instead")
        v = result["drop"][self._index(spec, choice)]
        return Value(percent(v), v)

    @value("How many samples the dataset has.")
    def samples(self, spec, result):
        n = len(features(spec.dataset, spec.scale)[1]) if "samples" not in result else result["samples"]
        return Value(f"{n:,}", n)

    def _index(self, spec, choice) -> int:
        c = str(choice).strip()
        if c not in spec.choices:
            raise LexiconError(f"'{c}' is not one of the choices", fix="name one of: " + ", ".join(spec.choices))
        return spec.choices.index(c)

    def render(self, spec, result, ctx):
        best = self._best(spec, result)
        labels = [label(spec.ask, c) for c in spec.choices]
        sign = 1 if spec.ask == "bic-k" else -1
        order = sorted(range(len(spec.choices)), key=lambda i: sign * result["scores"][i])
        seeded = spec.ask != "dbscan-clusters"
        how = " (lowest over the seeds)" if spec.ask == "bic-k" else " (mean over the seeds)"
        heads = ["Choice", WHAT[spec.ask][0].upper() + WHAT[spec.ask][1:] + (how if seeded else "")]
        rows = []
        for i in order:
            row = [labels[i], self._fmt(spec, result["scores"][i])]
            if seeded:
                lo, hi = self._fmt(spec, result["low"][i]), self._fmt(spec, result["high"][i])
                row.append("same for every seed" if lo == hi else f"{lo} to {hi}")
            if spec.ask == "dbscan-clusters":
                row.append(f"{result['noise'][i]:,} of {result['samples']:,} ({percent(result['noise'][i] / result['samples'])})")
            if spec.ask == "silhouette-k":
                row.append(percent(result["drop"][i]))
            rows.append(row)
        if seeded:
            heads.append(f"Range over {spec.seeds} seeds")
        if spec.ask == "dbscan-clusters":
            heads.append("Noise points")
        if spec.ask == "silhouette-k":
            heads.append("Inertia drop from k − 1 (mean over the seeds)")
        before = []
        if spec.ask == "ari":
            before = [Table(["Partition", "Plain Rand index (mean over the seeds)"],
                            [[lab, fmt(r)] for lab, r in zip(labels, result["rand"])], numeric=(1,))]
        i = spec.choices.index(best)
        noise = (f", and {result['noise'][i]:,} of the {result['samples']:,} samples left as noise"
                 if spec.ask == "dbscan-clusters" else "")
        lead = Html(f"<p><strong>{esc(label(spec.ask, best))}</strong>: {WHAT[spec.ask]} "
                    f"{self._fmt(spec, result['scores'][i])}{noise}.</p>")
        why = {lab: f"{lab}: {WHAT[spec.ask]} {self._fmt(spec, s)}"
                    + (f", noise points {result['noise'][j]:,}." if spec.ask == "dbscan-clusters" else ".")
               for j, (lab, s) in enumerate(zip(labels, result["scores"]))}
        return Choices(labels, label(spec.ask, best), why,
                       [lead, Table(heads, rows, numeric=(1, len(heads) - 1) if len(heads) > 3 else (1,))], before)


def score_choice(spec, x, y, choice: str) -> dict:
    """The score of one choice on every seed (one run for DBSCAN, which has no seed)."""
    from sklearn.cluster import DBSCAN, KMeans
    from sklearn.metrics import adjusted_rand_score, rand_score, silhouette_score
    from sklearn.mixture import GaussianMixture

    if spec.ask == "dbscan-clusters":
        labels = DBSCAN(eps=float(choice), min_samples=spec.min_samples).fit_predict(x)
        return {"runs": [int(labels.max()) + 1], "noise": int((labels == -1).sum())}
    runs, rand = [], []
    for s in range(spec.seeds):
        if spec.ask == "silhouette-k":
            labels = KMeans(n_clusters=int(choice), n_init=spec.n_init, random_state=s).fit_predict(x)
            runs.append(float(silhouette_score(x, labels)))
        elif spec.ask == "bic-k":
            runs.append(float(GaussianMixture(n_components=int(choice), reg_covar=spec.reg_covar,
                                              random_state=s).fit(x).bic(x)))
        else:
            how, k = PARTITION.match(choice).groups()
            labels = (KMeans(n_clusters=int(k), n_init=spec.n_init, random_state=s).fit_predict(x) if how == "kmeans"
                      else np.random.default_rng(s).integers(0, int(k), len(y)))
            runs.append(float(adjusted_rand_score(y, labels)))
            rand.append(float(rand_score(y, labels)))
    return {"runs": runs, "rand": rand}


def inertia_drops(spec, x, ks: list[int]) -> list[float]:
    """For each k, 1 − inertia(k) / inertia(k − 1), each inertia the mean over the seeds of
    `KMeans(n_clusters, n_init=n_init, random_state=s).inertia_` (the elbow kind's drop)."""
    from sklearn.cluster import KMeans

    need = sorted(set(ks) | {k - 1 for k in ks})
    mean = {k: float(np.mean([KMeans(n_clusters=k, n_init=spec.n_init, random_state=s).fit(x).inertia_
                              for s in range(spec.seeds)])) for k in need}
    return [1 - mean[k] / mean[k - 1] for k in ks]
