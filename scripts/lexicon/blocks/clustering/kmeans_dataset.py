"""The kmeans-dataset kind: k-means on one of scikit-learn's bundled datasets, its clusters against the classes."""

from __future__ import annotations

import numpy as np

from ...datasets import load
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._claims import check_all
from ._clusters import KMEANS_OPTIONS, KS, KS_DOC, ari, k_index, kmeans
from ._data import DATA_OPTIONS, DatasetValues, read_classes_ks
from ._figures import score_by_k

NAMES = {"ari": "the adjusted Rand index", "inertia": "the inertia"}
EXAMPLE_CLAIM = "ari > 0.6"


class KmeansDataset(DatasetValues, Kind):
    """k-means on one of scikit-learn's bundled classification datasets (iris, wine, breast cancer,
    digits; never a download): the clusters against the true classes, as a table of counts and the
    adjusted Rand index, and the inertia for a range of k.

    The features are standardised first (`StandardScaler`: mean 0, variance 1 per feature) unless
    `scale: false`, so that no feature dominates the distances by its units alone. The classes are
    never shown to k-means; they only score it. scikit-learn's `KMeans(n_clusters=k, n_init=n_init,
    random_state=seed)` clusters the samples at `k` (default: the number of classes) and at every k
    in `ks` for the figure. Clusters are numbered in the order their first sample appears in the
    data. Claims: `ari > 0.6`, `ari(2) > ari(3)`, `inertia(3) < inertia(2)`.
    """

    example = "dataset: iris\nks: [2, 3, 4, 5]\nexpect:\n  - ari > 0.6"
    needs_model = False
    note = "Computed at build time with scikit-learn, on its bundled copy of the data; no embedding model."
    options = opt.Options(
        Kind.options,
        **DATA_OPTIONS,
        k=opt.integer("The number of clusters of the clustering tabulated (default: the number of classes).",
                      min=2, max=20),
        ks=opt.raw("The k values of the elbow figure (the tabulated k is added if missing).", KS, KS_DOC,
                   default=[2, 3, 4, 5, 6, 7, 8], default_doc="`[2, 3, 4, 5, 6, 7, 8]`", convert=list),
        **KMEANS_OPTIONS,
        expect=opt.claims("[Claims](#claims): `ari > 0.6`, `ari(2) > ari(3)`, `inertia(3) < inertia(2)` (a k in "
                          "brackets must be one of `ks`)."),
        caption=opt.caption("“Inertia of k-means on the … samples for each k …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        read_classes_ks(spec, NAMES, EXAMPLE_CLAIM)

    def anchor_hint(self, spec):
        return f"kmeans {spec.dataset}"

    def compute(self, kv, spec):
        from sklearn.preprocessing import StandardScaler

        data = load(spec.dataset)
        x = StandardScaler().fit_transform(data.data) if spec.scale else np.asarray(data.data, dtype=np.float64)
        truth = data.target.tolist()
        runs = []
        for k in spec.k_list:
            km, labels = kmeans(x, k, spec.n_init, spec.seed)
            run = {"k": k, "inertia": float(km.inertia_), "ari": ari(truth, labels)}
            if k == spec.k:
                counts = np.zeros((k, len(spec.classes)), dtype=int)
                np.add.at(counts, (np.asarray(labels), data.target), 1)
                run["counts"] = counts.tolist()
            runs.append(run)
        return {"runs": runs, "samples": int(x.shape[0]), "features": int(x.shape[1])}

    def _run(self, spec, result, k=None):
        return result["runs"][k_index(spec.k_list, spec.k if k is None else k)]

    def claims(self, spec, result, check):
        check_all(spec.parsed, NAMES, lambda name, k: self._run(spec, result, k)[name], check)

    @value("The adjusted Rand index of the clusters against the classes, at the tabulated k or at `ari(4)`.")
    def ari(self, spec, result, k=None):
        v = self._run(spec, result, k)["ari"]
        return Value(fmt(v), v)

    @value("The inertia at the tabulated k or at `inertia(4)`.")
    def inertia(self, spec, result, k=None):
        v = self._run(spec, result, k)["inertia"]
        return Value(fmt(v), v)

    @value("How many samples of a class fall in a cluster, as the table shows it: `count(2, versicolor)`.")
    def count(self, spec, result, cluster, name):
        counts = self._run(spec, result)["counts"]
        try:
            row = counts[int(str(cluster).strip()) - 1]
        except (ValueError, IndexError):
            raise LexiconError(f"there is no cluster '{cluster}'",
                               fix=f"name a cluster from 1 to {len(counts)}") from None
        if str(name).strip() not in spec.classes:
            raise LexiconError(f"the {spec.dataset} data has no class '{name}'",
                               fix="name one of: " + ", ".join(spec.classes))
        n = row[spec.classes.index(str(name).strip())]
        return Value(f"{n:,}", n)

    def render(self, spec, result, ctx):
        run = self._run(spec, result)
        rows = [[str(c + 1)] + [f"{n:,}" for n in row] + [f"{sum(row):,}"] for c, row in enumerate(run["counts"])]
        ks = [r["k"] for r in result["runs"]]
        inertias = [r["inertia"] for r in result["runs"]]
        scaled = "standardised " if spec.scale else ""
        intro = Html(f"<p>k-means with k = {spec.k} on the {result['samples']:,} samples of the "
                     f"{esc(spec.dataset)} data ({result['features']} {scaled}features each); best of {spec.n_init} "
                     f"starts (random_state={spec.seed}). Adjusted Rand index against the {len(spec.classes)} "
                     f"classes: <strong>{fmt(run['ari'])}</strong>.</p>")
        alt = ("Line chart of k-means inertia against k: " +
               ", ".join(f"k = {k}: {fmt(v)}" for k, v in zip(ks, inertias)) + ".")
        code = ("from sklearn.cluster import KMeans\n"
                f"from sklearn.datasets import load_{spec.dataset}\n"
                "from sklearn.metrics import adjusted_rand_score\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                f"data = load_{spec.dataset}()\n"
                + ("x = StandardScaler().fit_transform(data.data)\n" if spec.scale else "x = data.data\n") +
                f"for k in {ks}:\n"
                f"    km = KMeans(n_clusters=k, n_init={spec.n_init}, random_state={spec.seed}).fit(x)\n"
                "    print(k, km.inertia_, adjusted_rand_score(data.target, km.labels_))\n")
        return [
            intro,
            Table(["Cluster"] + spec.classes + ["Total"], rows, numeric=tuple(range(len(spec.classes) + 2))),
            Figure(lambda: score_by_k(ks, inertias, title="Inertia (the elbow)", y_title="inertia", mark=spec.k),
                   alt=alt, caption=spec.caption, height=300, anchor="elbow",
                   table=Table(["k", "Inertia", "Adjusted Rand index"],
                               [[str(r["k"]), fmt(r["inertia"]), fmt(r["ari"])] for r in result["runs"]],
                               numeric=(0, 1, 2)),
                   default_caption=f"Inertia of k-means on the {result['samples']:,} samples for each k; the larger "
                                   "marker is the k tabulated above. The table gives the adjusted Rand index too."),
            Code(code, "The scikit-learn calls behind these numbers"),
        ]
