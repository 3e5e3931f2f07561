"""The gaussian-mixture kind: a Gaussian mixture fitted by EM to a bundled dataset, its soft assignments, and the
BIC over numbers of components, repeated over seeds."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._claims import check_all
from ._clusters import N_INIT, ari, first_seen
from ._data import DATA_OPTIONS, SEEDS, DatasetValues, features, loader_code, prob, read_classes_ks, sci
from ._figures import score_by_k

NAMES = {"bic": "the BIC of the best fit", "best_k": "the number of components with the lowest BIC",
         "ari": "the adjusted Rand index of the mixture", "kmeans_ari": "the adjusted Rand index of k-means",
         "uncertain": "the number of samples whose largest probability is below the threshold"}
EXAMPLE_CLAIM = "bic(2) < bic(3)"
KS = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 12}, "minItems": 2, "maxItems": 10,
      "uniqueItems": True}
COVARIANCES = ["full", "tied", "diag", "spherical"]


def _covariances(gm, covariance: str) -> list:
    """Each component's covariance in the shape of `covariance_type` (tied: one shared, spherical: one variance)."""
    c = gm.covariances_
    if covariance == "tied":
        return [c]
    return [np.diag(v) for v in c] if covariance == "diag" else (
        [np.eye(1) * v for v in c] if covariance == "spherical" else list(c))


def _cond_text(v: float) -> str:
    """A condition number: whole below 10,000, scientific notation above (a collapse shows as e+5 and up)."""
    return f"{v:,.0f}" if v < 1e4 else sci(v)


def _condition(cov) -> float:
    """The ratio of the largest to the smallest eigenvalue of a covariance (1 for a round one)."""
    return float(np.linalg.cond(np.atleast_2d(cov)))


class GaussianMixture(DatasetValues, Kind):
    """A Gaussian mixture model on one of scikit-learn's bundled datasets (standardised unless `scale: false`):
    the BIC for each number of components, repeated over seeds, and the soft assignments of the mixture with
    `k` components (default: the number of classes) beside k-means.

    scikit-learn's `GaussianMixture(n_components=k, covariance_type=covariance, reg_covar=reg_covar,
    random_state=s)` is fitted by the EM algorithm (its default k-means start) for every k in `ks` and every seed
    s = 0 … `seeds` − 1. BIC is defined at the maximum-likelihood fit, so each k is scored by its **best fit**:
    the lowest `bic(x)` over the seeds (the table also gives the range over them), and `best_k` is the k whose
    best fit has the lowest BIC (the block also counts the seeds whose own lowest BIC it is). `reg_covar` is
    added to every covariance's diagonal; without enough of it, a full-covariance component can collapse onto a
    few points and raise the likelihood without limit, so state it. The table gives, for each best fit, the
    largest condition number of a component's covariance and the smallest component weight, which show such a
    collapse. The best fit with `k` components gives each sample a probability per component
    (`predict_proba`); the block counts the samples whose largest probability is below `threshold`, lists the
    least certain ones, and scores the hard assignments (the most probable component) against the classes with
    the adjusted Rand index, beside `KMeans(n_clusters=k, n_init=n_init, random_state=0)`; `ari_low` and
    `ari_same` give the adjusted Rand index over the seeds. Claims: `best_k = 2`, `bic(2) < bic(3)`,
    `ari > kmeans_ari`, `uncertain < 20`.
    """

    example = "dataset: iris\nks: [1, 2, 3, 4]\nseeds: 2\nexpect:\n  - ari > kmeans_ari"
    needs_model = False
    note = "Computed at build time with scikit-learn, on its bundled copy of the data; no embedding model."
    options = opt.Options(
        Kind.options,
        **DATA_OPTIONS,
        ks=opt.raw("The numbers of components whose BIC is compared.", KS, "list of 2–10 different whole numbers, 1–12",
                   default=[1, 2, 3, 4, 5, 6], default_doc="`[1, 2, 3, 4, 5, 6]`", convert=list),
        k=opt.integer("The number of components whose soft assignments are shown (default: the number of classes).",
                      min=1, max=12),
        covariance=opt.choice("The shape of each component's covariance (`covariance_type`).", COVARIANCES,
                              default="full"),
        reg_covar=opt.number("Added to the diagonal of every covariance (`reg_covar`; scikit-learn's default is "
                             "1e-6). It keeps a component from collapsing onto a few points.", default=1e-6,
                             above=0, max=1),
        compare=opt.raw("Other covariance shapes whose BIC choice is also computed (the same ks, seeds and "
                        "`reg_covar`), for `other_best_k(diag)`.",
                        {"type": "array", "items": {"enum": COVARIANCES}, "maxItems": 3, "uniqueItems": True},
                        "list of covariance types", default=[], default_doc="`[]`", convert=list),
        seeds=SEEDS,
        n_init=N_INIT,
        threshold=opt.number("A sample is *uncertain* when its largest probability is below this.", default=0.9,
                             above=0, max=1),
        expect=opt.claims("[Claims](#claims): `best_k = 2`, `bic(2) < bic(3)`, `ari > kmeans_ari`, `uncertain < 20` "
                          "(a k in brackets must be one of `ks`)."),
        caption=opt.caption("“BIC of the best fit for each number of components …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        read_classes_ks(spec, NAMES, EXAMPLE_CLAIM)
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
        fits, shown_aris = [], []
        for i, k in enumerate(spec.k_list):
            best = None
            for s in range(spec.seeds):
                gm = GM(n_components=k, covariance_type=spec.covariance, reg_covar=spec.reg_covar,
                        random_state=s).fit(x)
                bic[i, s] = gm.bic(x)
                if best is None or bic[i, s] < bic[i, best[0]]:
                    best = (s, gm)
                if k == spec.k:
                    shown_aris.append(ari(y, first_seen(gm.predict(x))))
            fits.append(best)
        shown_seed, shown = fits[spec.k_list.index(spec.k)]
        proba = shown.predict_proba(x)
        top = proba.max(axis=1)
        order = np.argsort(top, kind="stable")[:5]
        hard = first_seen(proba.argmax(axis=1))
        km = KMeans(n_clusters=spec.k, n_init=spec.n_init, random_state=0).fit_predict(x)
        others = {}
        for cov in spec.compare:
            best = [min(GM(n_components=k, covariance_type=cov, reg_covar=spec.reg_covar, random_state=s).fit(x).bic(x)
                        for s in range(spec.seeds)) for k in spec.k_list]
            others[cov] = {"best_k": spec.k_list[int(np.argmin(best))], "bic": [float(b) for b in best]}
        best_i = int(np.argmin(bic.min(axis=1)))
        per_seed = [spec.k_list[int(np.argmin(bic[:, s]))] for s in range(spec.seeds)]
        return {"bic": [{"k": k, "best": float(bic[i].min()), "mean": float(bic[i].mean()), "min": float(bic[i].min()),
                         "max": float(bic[i].max()), "seed": fits[i][0],
                         "condition": float(max(_condition(c) for c in _covariances(fits[i][1], spec.covariance))),
                         "min_weight": float(fits[i][1].weights_.min())}
                        for i, k in enumerate(spec.k_list)],
                "shown_seed": shown_seed, "aris": shown_aris, "others": others,
                "best_k": spec.k_list[best_i], "agree": per_seed.count(spec.k_list[best_i]),
                "uncertain": int((top < spec.threshold).sum()), "mean_top": float(top.mean()),
                "least": [{"sample": int(j), "class": spec.classes[y[j]], "proba": [float(f"{float(p):.4g}") for p in proba[j]]}
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
        check_all(spec.parsed, NAMES, lambda name, k: self._bic(spec, result, k)["best"] if name == "bic"
                  else result[name], check)

    @value("The BIC of the best fit (lowest over the seeds) with k components: `bic(2)`.")
    def bic(self, spec, result, k):
        v = self._bic(spec, result, k)["best"]
        return Value(fmt(v, 1), v)

    @value("The mean BIC over the seeds with k components: `mean_bic(2)`.")
    def mean_bic(self, spec, result, k):
        v = self._bic(spec, result, k)["mean"]
        return Value(fmt(v, 1), v)

    @value("The largest condition number of a component's covariance in the best fit with k components: "
           "`condition(6)`.")
    def condition(self, spec, result, k):
        v = self._bic(spec, result, k)["condition"]
        return Value(_cond_text(v), v)

    @value("The largest condition number of a component's covariance over all the best fits in the table.")
    def max_condition(self, spec, result):
        v = max(r["condition"] for r in result["bic"])
        return Value(_cond_text(v), v)

    @value("The number of components whose best fit has the lowest BIC with another covariance shape named in "
           "`compare`: `other_best_k(diag)`.")
    def other_best_k(self, spec, result, cov):
        c = str(cov).strip()
        if c not in result.get("others", {}):
            raise LexiconError(f"'{cov}' is not one of the compared covariance shapes",
                               fix="add it to 'compare', e.g. 'compare: [diag]'")
        v = result["others"][c]["best_k"]
        return Value(str(v), v)

    @value("`reg_covar`, as the block used it.")
    def reg_covar(self, spec, result):
        return Value(sci(spec.reg_covar), spec.reg_covar)

    @value("The lowest adjusted Rand index of the mixture with `k` components over the seeds.")
    def ari_low(self, spec, result):
        v = min(result["aris"])
        return Value(fmt(v), v)

    @value("How many seeds give the mixture with `k` components the same adjusted Rand index (at 4 decimals) as "
           "the best fit.")
    def ari_same(self, spec, result):
        n = sum(fmt(a) == fmt(result["ari"]) for a in result["aris"])
        return Value(str(n), n)

    @value("The number of components whose best fit has the lowest BIC.")
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

    def render(self, spec, result, ctx):
        rows = result["bic"]
        ks = [r["k"] for r in rows]

        def spread(r):
            return "same for every seed" if fmt(r["min"], 1) == fmt(r["max"], 1) else f"{fmt(r['min'], 1)} to {fmt(r['max'], 1)}"

        bic_table = Table(["Components", "BIC (best fit)", f"Range over {spec.seeds} seeds",
                           "Largest condition number", "Smallest weight"],
                          [[str(r["k"]), fmt(r["best"], 1), spread(r), _cond_text(r["condition"]), fmt(r["min_weight"], 3)]
                           for r in rows], numeric=(0, 1, 3, 4))
        least = Table(["Sample", "Class"] + [f"P(component {c + 1})" for c in range(spec.k)],
                      [[str(e["sample"]), e["class"]] + [prob(p) for p in e["proba"]] for e in result["least"]],
                      numeric=tuple(range(2, spec.k + 2)))
        scaled = "standardised " if spec.scale else ""
        aris = result["aris"]
        intro = Html(f"<p>Gaussian mixtures ({spec.covariance} covariance, reg_covar = {sci(spec.reg_covar)}) fitted by "
                     f"EM to the {result['samples']:,} samples of the {esc(spec.dataset)} data ({result['features']} "
                     f"{scaled}features each), each number of components with random_state 0 to {spec.seeds - 1}. "
                     f"Each number is scored by its best fit, the lowest BIC over the seeds. The lowest is at "
                     f"<strong>{result['best_k']} components</strong> (also the lowest of {result['agree']} of the "
                     f"{spec.seeds} seeds on their own). The condition number of a covariance is its largest "
                     f"eigenvalue over its smallest: a huge one, or a tiny weight, means a component has collapsed "
                     f"onto a few points.</p>")
        soft = Html(f"<p>With {spec.k} components (the best fit, seed {result['shown_seed']}, {result['iterations']} EM "
                    f"iterations, {'converged' if result['converged'] else 'not converged'}), {result['uncertain']} "
                    f"samples have no component above {spec.threshold:g}; the mean largest probability is "
                    f"{fmt(result['mean_top'])}. Most probable component against the classes: adjusted Rand index "
                    f"<strong>{fmt(result['ari'])}</strong> (over the {spec.seeds} seeds: {fmt(min(aris))} to "
                    f"{fmt(max(aris))}); k-means with k = {spec.k}: {fmt(result['kmeans_ari'])}. The least certain "
                    f"samples:</p>")
        alt = "Line chart of the BIC of the best fit against the number of components: " + ", ".join(
            f"{r['k']}: {fmt(r['best'], 1)}" for r in rows) + "."
        code = (loader_code(spec.dataset, spec.scale) +
                "from sklearn.mixture import GaussianMixture\n\n"
                f"for k in {ks}:\n"
                f"    for seed in range({spec.seeds}):\n"
                f"        gm = GaussianMixture(n_components=k, covariance_type={spec.covariance!r}, "
                f"reg_covar={spec.reg_covar!r}, random_state=seed).fit(x)\n"
                "        print(k, seed, gm.bic(x))      # score each k by its lowest BIC over the seeds\n"
                f"gm = GaussianMixture(n_components={spec.k}, covariance_type={spec.covariance!r}, "
                f"reg_covar={spec.reg_covar!r}, random_state={result['shown_seed']}).fit(x)\n"
                "proba = gm.predict_proba(x)          # one row per sample, one column per component\n")
        return [intro,
                Figure(lambda: score_by_k(ks, [round(r["best"], 3) for r in rows], title="BIC (lower is better)",
                                          y_title="BIC of the best fit", mark=result["best_k"]),
                       alt=alt, caption=spec.caption, height=300, anchor="bic",
                       default_caption="BIC of the best fit (lowest over the seeds) for each number of components "
                                       "(the x axis says k); the larger marker is the lowest."),
                bic_table, soft, least, Code(code, "The scikit-learn calls behind these numbers")]
