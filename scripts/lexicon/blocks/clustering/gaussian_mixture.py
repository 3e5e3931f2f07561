"""The gaussian-mixture kind: a Gaussian mixture fitted by EM to a bundled dataset, its soft assignments, and the
BIC over numbers of components, repeated over seeds."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._claims import check_all, parse, require_ks
from ._clusters import N_INIT, ari, first_seen
from ._data import DATASET, SCALE, SEEDS, classes, features, loader_code
from ._figures import score_by_k

NAMES = {"bic": "the mean BIC", "best_k": "the number of components with the lowest mean BIC",
         "ari": "the adjusted Rand index of the mixture", "kmeans_ari": "the adjusted Rand index of k-means",
         "uncertain": "the number of samples whose largest probability is below the threshold"}
EXAMPLE_CLAIM = "bic(2) < bic(3)"
KS = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 12}, "minItems": 2, "maxItems": 10,
      "uniqueItems": True}
COVARIANCES = ["full", "tied", "diag", "spherical"]


class GaussianMixture(Kind):
    """A Gaussian mixture model on one of scikit-learn's bundled datasets (standardised unless `scale: false`):
    the BIC for each number of components, repeated over seeds, and the soft assignments of the mixture with
    `k` components (default: the number of classes) beside k-means.

    scikit-learn's `GaussianMixture(n_components=k, covariance_type=covariance, random_state=s)` is fitted by
    the EM algorithm (its default k-means start) for every k in `ks` and every seed s = 0 … `seeds` − 1; the
    table gives the mean `bic(x)` and its range, and `best_k` is the k with the lowest mean (the block also
    counts the seeds whose own lowest BIC it is). The mixture with `k` components and seed 0 gives each sample a
    probability per component (`predict_proba`); the block counts the samples whose largest probability is
    below `threshold`, lists the least certain ones, and scores the hard assignments (the most probable
    component) against the classes with the adjusted Rand index, beside `KMeans(n_clusters=k, n_init=n_init,
    random_state=0)`. Claims: `best_k = 2`, `bic(2) < bic(3)`, `ari > kmeans_ari`, `uncertain < 20`.
    """

    example = "dataset: iris\nks: [1, 2, 3, 4]\nseeds: 2\nexpect:\n  - ari > kmeans_ari"
    needs_model = False
    note = "Computed at build time with scikit-learn, on its bundled copy of the data; no embedding model."
    options = opt.Options(
        Kind.options,
        dataset=DATASET,
        scale=SCALE,
        ks=opt.raw("The numbers of components whose BIC is compared.", KS, "list of 2–10 different whole numbers, 1–12",
                   default=[1, 2, 3, 4, 5, 6], default_doc="`[1, 2, 3, 4, 5, 6]`", convert=list),
        k=opt.integer("The number of components whose soft assignments are shown (default: the number of classes).",
                      min=1, max=12),
        covariance=opt.choice("The shape of each component's covariance (`covariance_type`).", COVARIANCES,
                              default="full"),
        seeds=SEEDS,
        n_init=N_INIT,
        threshold=opt.number("A sample is *uncertain* when its largest probability is below this.", default=0.9,
                             above=0, max=1),
        expect=opt.claims("[Claims](#claims): `best_k = 2`, `bic(2) < bic(3)`, `ari > kmeans_ari`, `uncertain < 20` "
                          "(a k in brackets must be one of `ks`)."),
        caption=opt.caption("“Mean BIC of the mixture for each number of components …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.classes = classes(spec.dataset)
        spec.k = spec.k or len(spec.classes)
        spec.k_list = sorted(set(spec.ks) | {spec.k})
        spec.parsed = [parse(t, NAMES, EXAMPLE_CLAIM) for t in spec.expect]
        require_ks(spec.parsed, spec.k_list)
        for claim in spec.parsed:
            for t in (claim[0], claim[2]):
                if t[0] == "quantity" and t[1] != "bic" and t[2] is not None:
                    raise LexiconError(f"'{t[1]}' takes no k in brackets", fix=f"write e.g. '{t[1]} > 0.5'")

    def anchor_hint(self, spec):
        return f"gaussian mixture {spec.dataset}"

    def compute(self, kv, spec):
        from sklearn.cluster import KMeans
        from sklearn.mixture import GaussianMixture as GM

        x, y = features(spec.dataset, spec.scale)
        bic = np.zeros((len(spec.k_list), spec.seeds))
        shown = None
        for i, k in enumerate(spec.k_list):
            for s in range(spec.seeds):
                gm = GM(n_components=k, covariance_type=spec.covariance, random_state=s).fit(x)
                bic[i, s] = gm.bic(x)
                if k == spec.k and s == 0:
                    shown = gm
        proba = shown.predict_proba(x)
        top = proba.max(axis=1)
        order = np.argsort(top, kind="stable")[:5]
        hard = first_seen(proba.argmax(axis=1))
        km = KMeans(n_clusters=spec.k, n_init=spec.n_init, random_state=0).fit_predict(x)
        best_i = int(np.argmin(bic.mean(axis=1)))
        per_seed = [spec.k_list[int(np.argmin(bic[:, s]))] for s in range(spec.seeds)]
        return {"bic": [{"k": k, "mean": float(bic[i].mean()), "min": float(bic[i].min()), "max": float(bic[i].max())}
                        for i, k in enumerate(spec.k_list)],
                "best_k": spec.k_list[best_i], "agree": per_seed.count(spec.k_list[best_i]),
                "uncertain": int((top < spec.threshold).sum()), "mean_top": float(top.mean()),
                "least": [{"sample": int(j), "class": spec.classes[y[j]], "proba": [round(float(p), 4) for p in proba[j]]}
                          for j in order],
                "ari": ari(y, hard), "kmeans_ari": ari(y, km.tolist()), "iterations": int(shown.n_iter_),
                "converged": bool(shown.converged_), "samples": int(x.shape[0]), "features": int(x.shape[1])}

    def _bic(self, spec, result, k):
        t = str(k).strip()
        if not t.isdigit() or int(t) not in spec.k_list:
            raise LexiconError(f"'{k}' is not one of the numbers of components",
                               fix="name one of: " + ", ".join(map(str, spec.k_list)))
        return result["bic"][spec.k_list.index(int(t))]

    def claims(self, spec, result, check):
        check_all(spec.parsed, NAMES, lambda name, k: self._bic(spec, result, k)["mean"] if name == "bic"
                  else result[name], check)

    @value("The mean BIC over the seeds with k components: `bic(2)`.")
    def bic(self, spec, result, k):
        v = self._bic(spec, result, k)["mean"]
        return Value(fmt(v, 1), v)

    @value("The number of components with the lowest mean BIC.")
    def best_k(self, spec, result):
        return Value(str(result["best_k"]), result["best_k"])

    @value("How many seeds give `best_k` their own lowest BIC.")
    def agree(self, spec, result):
        return Value(str(result["agree"]), result["agree"])

    @value("How many samples have a largest probability below `threshold`, with `k` components.")
    def uncertain(self, spec, result):
        return Value(f"{result['uncertain']:,}", result["uncertain"])

    @value("The mean over the samples of their largest probability.")
    def mean_top(self, spec, result):
        return Value(fmt(result["mean_top"]), result["mean_top"])

    @value("The adjusted Rand index of the mixture's most probable components against the classes.")
    def ari(self, spec, result):
        return Value(fmt(result["ari"]), result["ari"])

    @value("The adjusted Rand index of k-means with the same k.")
    def kmeans_ari(self, spec, result):
        return Value(fmt(result["kmeans_ari"]), result["kmeans_ari"])

    @value("How many EM iterations the shown mixture took.")
    def iterations(self, spec, result):
        return Value(str(result["iterations"]), result["iterations"])

    @value("How many samples the dataset has.")
    def samples(self, spec, result):
        return Value(f"{result['samples']:,}", result["samples"])

    def render(self, spec, result, ctx):
        rows = result["bic"]
        ks = [r["k"] for r in rows]

        def spread(r):
            return "same for every seed" if fmt(r["min"], 1) == fmt(r["max"], 1) else f"{fmt(r['min'], 1)} to {fmt(r['max'], 1)}"

        bic_table = Table(["Components", "BIC (mean)", f"Range over {spec.seeds} seeds"],
                          [[str(r["k"]), fmt(r["mean"], 1), spread(r)] for r in rows], numeric=(0, 1))
        least = Table(["Sample", "Class"] + [f"P(component {c + 1})" for c in range(spec.k)],
                      [[str(e["sample"]), e["class"]] + [fmt(p) for p in e["proba"]] for e in result["least"]],
                      numeric=tuple(range(2, spec.k + 2)))
        scaled = "standardised " if spec.scale else ""
        intro = Html(f"<p>Gaussian mixtures ({spec.covariance} covariance) fitted by EM to the {result['samples']:,} "
                     f"samples of the {esc(spec.dataset)} data ({result['features']} {scaled}features each), each "
                     f"number of components with random_state 0 to {spec.seeds - 1}. The lowest mean BIC is at "
                     f"<strong>{result['best_k']} components</strong> (the lowest of {result['agree']} of the "
                     f"{spec.seeds} seeds).</p>")
        soft = Html(f"<p>With {spec.k} components (seed 0, {result['iterations']} EM iterations, "
                    f"{'converged' if result['converged'] else 'not converged'}), {result['uncertain']} samples have "
                    f"no component above {spec.threshold:g}; the mean largest probability is {fmt(result['mean_top'])}. "
                    f"Most probable component against the classes: adjusted Rand index <strong>{fmt(result['ari'])}"
                    f"</strong>; k-means with k = {spec.k}: {fmt(result['kmeans_ari'])}. The least certain samples:</p>")
        alt = "Line chart of the mean BIC against the number of components: " + ", ".join(
            f"{r['k']}: {fmt(r['mean'], 1)}" for r in rows) + "."
        code = (loader_code(spec.dataset, spec.scale) +
                "from sklearn.mixture import GaussianMixture\n\n"
                f"for k in {ks}:\n"
                f"    for seed in range({spec.seeds}):\n"
                f"        gm = GaussianMixture(n_components=k, covariance_type={spec.covariance!r}, "
                "random_state=seed).fit(x)\n"
                "        print(k, seed, gm.bic(x))\n"
                f"gm = GaussianMixture(n_components={spec.k}, covariance_type={spec.covariance!r}, random_state=0).fit(x)\n"
                "proba = gm.predict_proba(x)          # one row per sample, one column per component\n")
        return [intro,
                Figure(lambda: score_by_k(ks, [round(r["mean"], 3) for r in rows], title="BIC (lower is better)",
                                          y_title="mean BIC", mark=result["best_k"]),
                       alt=alt, caption=spec.caption, height=300, anchor="bic",
                       default_caption="Mean BIC over the seeds for each number of components (the x axis says k); "
                                       "the larger marker is the lowest."),
                bic_table, soft, least, Code(code, "The scikit-learn calls behind these numbers")]
