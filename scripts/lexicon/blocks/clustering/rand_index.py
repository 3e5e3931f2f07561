"""The rand-index kind: the adjusted Rand index of a k-means clustering worked out from its contingency table, and
what random labellings score, plain and adjusted."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._claims import check_all, parse
from ._clusters import KMEANS_OPTIONS, first_seen
from ._data import DATA_OPTIONS, DatasetValues, classes, features, loader_code, sci

NAMES = {"ari": "the adjusted Rand index", "rand": "the plain Rand index",
         "random_ari": "the mean adjusted Rand index of random labels",
         "random_rand": "the mean plain Rand index of random labels",
         "random_spread": "the largest |adjusted Rand index| of random labels"}
EXAMPLE_CLAIM = "random_ari(3) < 0.05"
RANDOM_KS = {"type": "array", "items": {"type": "integer", "minimum": 2, "maximum": 50}, "minItems": 1,
             "maxItems": 6, "uniqueItems": True}


def pair_counts(truth, labels) -> dict:
    """Hubert and Arabie's quantities from the contingency table n_ij: the index Σ C(n_ij, 2), its expected value
    under random labels with the same cluster sizes, C(a)·C(b) / C(n), and its maximum (C(a) + C(b)) / 2, where
    C(a) = Σ C(a_i, 2) over the row sums and C(b) over the column sums; ARI = (index − expected) / (max − expected)."""
    from sklearn.metrics.cluster import contingency_matrix

    n_ij = contingency_matrix(labels, truth).astype(np.int64)

    def c2(v):
        v = np.asarray(v, dtype=np.int64)
        return int((v * (v - 1) // 2).sum())

    index, rows, cols, pairs = c2(n_ij), c2(n_ij.sum(axis=1)), c2(n_ij.sum(axis=0)), c2([n_ij.sum()])
    expected = rows * cols / pairs
    top = (rows + cols) / 2
    return {"table": n_ij.tolist(), "index": index, "rows": rows, "cols": cols, "pairs": pairs,
            "expected": expected, "max": top, "ari": (index - expected) / (top - expected)}


class RandIndex(DatasetValues, Kind):
    """The adjusted Rand index (Hubert and Arabie 1985) of a k-means clustering of one of scikit-learn's bundled
    datasets against its classes, worked out by hand from the contingency table and checked against
    scikit-learn's `adjusted_rand_score`, beside the plain Rand index (`rand_score`) and what labels drawn at
    random score on both.

    The clustering is `KMeans(n_clusters=k, n_init=n_init, random_state=seed)` on the standardised features
    (unless `scale: false`). From the contingency table n_ij (samples of class j in cluster i) the block counts
    the pairs of samples together in both partitions, Σ C(n_ij, 2), its expected value if the clusters were
    random with the same sizes, and its maximum; the adjusted index is (index − expected) / (maximum −
    expected). For each k in `random_ks`, `labellings` random labellings (numpy's `default_rng(s)`, each sample
    one of k labels, s = 0 … labellings − 1) are scored both ways; their mean, spread and largest absolute
    adjusted index are tabulated. Claims: `ari > 0.5`, `random_ari(3) < 0.05`, `random_rand(10) > 0.5`,
    `random_spread(3) < 0.1`.
    """

    example = "dataset: iris\nrandom_ks: [3]\nlabellings: 20\nexpect:\n  - random_ari(3) < 0.05"
    needs_model = False
    note = "Computed at build time with scikit-learn and numpy, on scikit-learn's bundled copy of the data."
    options = opt.Options(
        Kind.options,
        **DATA_OPTIONS,
        k=opt.integer("The number of k-means clusters (default: the number of classes).", min=2, max=20),
        **KMEANS_OPTIONS,
        random_ks=opt.raw("Numbers of labels for the random labellings.", RANDOM_KS, "list of 1–6 whole numbers, 2–50",
                          default=[2, 3, 10], default_doc="`[2, 3, 10]`", convert=list),
        labellings=opt.integer("How many random labellings of each size (seeds 0, 1, …).", default=50, min=2,
                               max=500),
        expect=opt.claims("[Claims](#claims): `ari > 0.5`, `random_ari(3) < 0.05`, `random_rand(10) > 0.5` (a k in "
                          "brackets must be one of `random_ks`)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.classes = classes(spec.dataset)
        spec.k = spec.k or len(spec.classes)
        spec.random_ks = sorted(spec.random_ks)
        spec.parsed = [parse(t, NAMES, EXAMPLE_CLAIM) for t in spec.expect]
        for claim in spec.parsed:
            for t in (claim[0], claim[2]):
                if t[0] != "quantity":
                    continue
                if t[1].startswith("random") and t[2] not in spec.random_ks:
                    raise LexiconError(f"the claim names {t[1]}({t[2] if t[2] is not None else ''}), but the random "
                                       "labellings have k = " + ", ".join(map(str, spec.random_ks)),
                                       fix="name one of 'random_ks' in brackets, e.g. random_ari(3)")
                if not t[1].startswith("random") and t[2] is not None:
                    raise LexiconError(f"'{t[1]}' takes no k in brackets", fix=f"write e.g. '{t[1]} > 0.5'")

    def anchor_hint(self, spec):
        return f"rand index {spec.dataset}"

    def compute(self, kv, spec):
        from sklearn.cluster import KMeans
        from sklearn.metrics import adjusted_rand_score, rand_score

        x, y = features(spec.dataset, spec.scale)
        labels = first_seen(KMeans(n_clusters=spec.k, n_init=spec.n_init, random_state=spec.seed).fit_predict(x))
        counts = pair_counts(y, labels)
        out = {"counts": counts, "sklearn_ari": float(adjusted_rand_score(y, labels)),
               "rand": float(rand_score(y, labels)), "samples": len(y), "random": []}
        for k in spec.random_ks:
            a, r = [], []
            for s in range(spec.labellings):
                z = np.random.default_rng(s).integers(0, k, len(y))
                a.append(float(adjusted_rand_score(y, z)))
                r.append(float(rand_score(y, z)))
            out["random"].append({"k": k, "ari": float(np.mean(a)), "ari_sd": float(np.std(a)),
                                  "spread": float(np.max(np.abs(a))), "rand": float(np.mean(r)),
                                  "rand_min": float(np.min(r)), "rand_max": float(np.max(r))})
        return out

    def _random(self, spec, result, k):
        try:
            return result["random"][spec.random_ks.index(int(str(k).strip()))]
        except ValueError:
            raise LexiconError(f"'{k}' is not one of the random labellings' k",
                               fix="name one of: " + ", ".join(map(str, spec.random_ks))) from None

    def _lookup(self, spec, result, name, k):
        if name == "ari":
            return result["counts"]["ari"]
        if name == "rand":
            return result["rand"]
        return self._random(spec, result, k)[{"random_ari": "ari", "random_rand": "rand",
                                               "random_spread": "spread"}[name]]

    def claims(self, spec, result, check):
        check_all(spec.parsed, NAMES, lambda name, k: self._lookup(spec, result, name, k), check)
        check("the adjusted Rand index worked out from the table equals scikit-learn's adjusted_rand_score",
              abs(result["counts"]["ari"] - result["sklearn_ari"]) < 1e-12,
              f"by hand {result['counts']['ari']!r}, scikit-learn {result['sklearn_ari']!r}")

    @value("The adjusted Rand index of the k-means clusters against the classes.")
    def ari(self, spec, result):
        v = result["counts"]["ari"]
        return Value(fmt(v), v)

    @value("The plain (unadjusted) Rand index of the k-means clusters: the share of pairs both partitions treat "
           "alike.")
    def rand(self, spec, result):
        return Value(fmt(result["rand"]), result["rand"])

    @value("A quantity of the hand computation: `pairs(index)`, `pairs(expected)`, `pairs(max)`, `pairs(all)`.")
    def pairs(self, spec, result, which):
        c = result["counts"]
        w = str(which).strip()
        v = {"index": c["index"], "expected": c["expected"], "max": c["max"], "all": c["pairs"]}.get(w)
        if v is None:
            raise LexiconError(f"'{which}' is not one of the pair counts", fix="name index, expected, max or all")
        return Value(f"{v:,}" if isinstance(v, int) else f"{v:,.1f}", v)

    @value("The mean adjusted Rand index of random labels with k labels: `random_ari(3)`.")
    def random_ari(self, spec, result, k):
        v = self._random(spec, result, k)["ari"]
        return Value(small(v), v)

    @value("The standard deviation of the adjusted Rand index of random labels: `random_sd(3)`.")
    def random_sd(self, spec, result, k):
        v = self._random(spec, result, k)["ari_sd"]
        return Value(fmt(v), v)

    @value("The largest absolute adjusted Rand index among the random labellings: `random_spread(3)`.")
    def random_spread(self, spec, result, k):
        v = self._random(spec, result, k)["spread"]
        return Value(fmt(v), v)

    @value("The mean plain Rand index of random labels: `random_rand(10)`.")
    def random_rand(self, spec, result, k):
        v = self._random(spec, result, k)["rand"]
        return Value(fmt(v), v)

    def render(self, spec, result, ctx):
        c = result["counts"]
        table = Table(["Cluster"] + spec.classes + ["Total"],
                      [[str(i + 1)] + [f"{n:,}" for n in row] + [f"{sum(row):,}"] for i, row in enumerate(c["table"])],
                      numeric=tuple(range(len(spec.classes) + 2)))
        steps = Table(["Quantity", "Value"], [
            ["Pairs of samples, C(n, 2)", f"{c['pairs']:,}"],
            ["Pairs together in both partitions, Σ C(n_ij, 2) (the index)", f"{c['index']:,}"],
            ["Pairs together in the clusters, Σ C(row sum, 2)", f"{c['rows']:,}"],
            ["Pairs together in the classes, Σ C(column sum, 2)", f"{c['cols']:,}"],
            ["Expected index for random clusters of these sizes", f"{c['expected']:,.1f}"],
            ["Maximum index, the mean of the two previous sums", f"{c['max']:,.1f}"],
            ["Adjusted Rand index, (index − expected) / (maximum − expected)", fmt(c["ari"])],
            ["scikit-learn's adjusted_rand_score", fmt(result["sklearn_ari"])],
            ["Plain Rand index (rand_score), for comparison", fmt(result["rand"])]], numeric=(1,))
        rnd = Table(["Random labels, k", "Adjusted Rand index (mean)", "Standard deviation", "Largest |ARI|",
                     "Plain Rand index (mean)", "Plain Rand index range"],
                    [[str(r["k"]), small(r["ari"]), fmt(r["ari_sd"]), fmt(r["spread"]), fmt(r["rand"]),
                      f"{fmt(r['rand_min'])} to {fmt(r['rand_max'])}"] for r in result["random"]],
                    numeric=(0, 1, 2, 3, 4))
        code = (loader_code(spec.dataset, spec.scale) +
                "import numpy as np\nfrom sklearn.cluster import KMeans\n"
                "from sklearn.metrics import adjusted_rand_score, rand_score\n\n"
                f"labels = KMeans(n_clusters={spec.k}, n_init={spec.n_init}, random_state={spec.seed}).fit_predict(x)\n"
                "print(adjusted_rand_score(data.target, labels), rand_score(data.target, labels))\n"
                f"for k in {spec.random_ks}:\n"
                f"    for seed in range({spec.labellings}):\n"
                "        z = np.random.default_rng(seed).integers(0, k, len(data.target))\n"
                "        print(k, seed, adjusted_rand_score(data.target, z), rand_score(data.target, z))\n")
        return [Html(f"<p>k-means with k = {spec.k} on the {result['samples']:,} samples of the {esc(spec.dataset)} "
                     f"data, against its {len(spec.classes)} classes (the contingency table):</p>"), table,
                Html("<p>The adjusted Rand index from the table, step by step:</p>"), steps,
                Html(f"<p>{spec.labellings} random labellings of each size, scored the same two ways:</p>"), rnd,
                Code(code, "The scikit-learn calls behind these numbers")]


def small(v: float) -> str:
    """A mean near 0, written the same way in the table and in prose: scientific notation below 0.001."""
    return sci(v) if v and abs(v) < 1e-3 else fmt(v)
