"""The dbscan kind: density-based clustering of a bundled dataset, its k-distance plot, noise points, and its
adjusted Rand index beside k-means'."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import BASE_LAYOUT, PALETTE
from ...render import esc, fmt
from ._claims import check_all, parse
from ._clusters import KMEANS_OPTIONS, ari, first_seen
from ._data import DATA_OPTIONS, DatasetValues, classes, features, loader_code, pick

NAMES = {"ari": "the adjusted Rand index of DBSCAN", "kmeans_ari": "the adjusted Rand index of k-means",
         "clusters": "the number of clusters", "noise": "the number of noise points", "core": "the number of core points"}
EXAMPLE_CLAIM = "kmeans_ari > ari"
EPS_LIST = {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0, "maximum": 100}, "minItems": 1,
            "maxItems": 10, "uniqueItems": True}


def k_distance(x: np.ndarray, min_samples: int) -> np.ndarray:
    """Each sample's distance to its ``min_samples``-th nearest sample, itself counted first (as DBSCAN counts it):
    a sample is a core point exactly when this is at most eps."""
    from sklearn.neighbors import NearestNeighbors

    return NearestNeighbors(n_neighbors=min_samples).fit(x).kneighbors(x)[0][:, -1]


class Dbscan(DatasetValues, Kind):
    """DBSCAN (density-based spatial clustering of applications with noise) on one of scikit-learn's bundled
    datasets, standardised unless `scale: false`: the k-distance plot that suggests eps, the clusters and
    noise points at `eps` and at each value of `scan`, and the adjusted Rand index against the classes beside
    that of k-means with as many clusters as classes.

    scikit-learn's `DBSCAN(eps=eps, min_samples=min_samples)` makes a sample a *core point* when at least
    `min_samples` samples (itself included) lie within eps of it; core points within eps of each other share a
    cluster, other samples within eps of a core point join its cluster, and the rest are *noise* (label −1).
    The k-distance plot sorts every sample's distance to its `min_samples`-th nearest sample (itself counted,
    scikit-learn's `NearestNeighbors`): a sample is a core point exactly when its k-distance is at most eps, so
    the bend of the curve is a usual choice of eps. The adjusted Rand index counts the noise points as one more
    cluster; k-means is `KMeans(n_clusters=number of classes, n_init=n_init, random_state=seed)`. Claims:
    `kmeans_ari > ari`, `clusters = 2`, `noise < 10`.
    """

    example = "dataset: iris\neps: 0.8\nscan: [0.5, 1.0, 2.0]\nexpect:\n  - clusters = 2"
    needs_model = False
    note = "Computed at build time with scikit-learn, on its bundled copy of the data; no embedding model."
    options = opt.Options(
        Kind.options,
        **DATA_OPTIONS,
        eps=opt.number("The neighbourhood radius eps of the clustering tabulated.", required=True, above=0, max=100),
        min_samples=opt.integer("DBSCAN's `min_samples`: how many samples, itself included, make a core point.",
                                default=5, min=2, max=50),
        scan=opt.raw("More eps values to compare in a table (the tabulated eps is added).", EPS_LIST,
                     "list of 1–10 positive numbers", default=[], default_doc="none", convert=list),
        **KMEANS_OPTIONS,
        expect=opt.claims("[Claims](#claims) about the tabulated eps: `kmeans_ari > ari`, `clusters = 2`, "
                          "`noise < 10`, `core > 100`."),
        caption=opt.caption("“Each sample's distance to its …-th nearest sample, sorted …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.classes = classes(spec.dataset)
        spec.eps_list = sorted(set(float(e) for e in spec.scan) | {float(spec.eps)})
        spec.parsed = [parse(t, NAMES, EXAMPLE_CLAIM) for t in spec.expect]
        for claim in spec.parsed:
            for t in (claim[0], claim[2]):
                if t[0] == "quantity" and t[2] is not None:
                    raise LexiconError(f"'{t[1]}' takes nothing in brackets in a claim (claims are about the "
                                       "tabulated eps)", fix=f"write e.g. '{t[1]} > 0.5'")

    def anchor_hint(self, spec):
        return f"dbscan {spec.dataset}"

    def compute(self, kv, spec):
        from sklearn.cluster import DBSCAN, KMeans

        x, y = features(spec.dataset, spec.scale)
        if spec.min_samples > len(x):
            raise LexiconError(f"'min_samples' is {spec.min_samples}, more than the {len(x)} samples",
                               fix="use a smaller min_samples")
        kd = k_distance(x, spec.min_samples)
        runs = []
        for eps in spec.eps_list:
            db = DBSCAN(eps=eps, min_samples=spec.min_samples).fit(x)
            labels = db.labels_
            run = {"eps": eps, "clusters": int(labels.max()) + 1, "noise": int((labels == -1).sum()),
                   "core": int(len(db.core_sample_indices_)), "ari": ari(y, labels.tolist())}
            if eps == float(spec.eps):
                named = first_seen([lab for lab in labels if lab >= 0]) if run["clusters"] else []
                it = iter(named)
                shown = [next(it) if lab >= 0 else -1 for lab in labels]
                counts = np.zeros((run["clusters"] + 1, len(spec.classes)), dtype=int)
                for lab, t in zip(shown, y):
                    counts[lab if lab >= 0 else run["clusters"], t] += 1
                run["counts"] = counts.tolist()
            runs.append(run)
        km = KMeans(n_clusters=len(spec.classes), n_init=spec.n_init, random_state=spec.seed).fit_predict(x)
        return {"runs": runs, "kdist": [round(float(v), 6) for v in np.sort(kd)], "kmeans_ari": ari(y, km.tolist()),
                "samples": int(x.shape[0]), "features": int(x.shape[1])}

    def _run(self, spec, result, eps=None):
        if eps is None:
            return result["runs"][spec.eps_list.index(float(spec.eps))]
        return result["runs"][pick(spec.eps_list, eps, "eps values")]

    def claims(self, spec, result, check):
        check_all(spec.parsed, NAMES, lambda name, _: result["kmeans_ari"] if name == "kmeans_ari"
                  else self._run(spec, result)[name], check)

    @value("The adjusted Rand index of DBSCAN against the classes (noise as one cluster), at `eps` or `ari(0.5)`.")
    def ari(self, spec, result, eps=None):
        v = self._run(spec, result, eps)["ari"]
        return Value(fmt(v), v)

    @value("The number of clusters DBSCAN finds (noise is not a cluster), at `eps` or `clusters(0.5)`.")
    def clusters(self, spec, result, eps=None):
        v = self._run(spec, result, eps)["clusters"]
        return Value(f"{v:,}", v)

    @value("The number of noise points, at `eps` or `noise(0.5)`.")
    def noise(self, spec, result, eps=None):
        v = self._run(spec, result, eps)["noise"]
        return Value(f"{v:,}", v)

    @value("The number of core points, at `eps` or `core(0.5)`.")
    def core(self, spec, result, eps=None):
        v = self._run(spec, result, eps)["core"]
        return Value(f"{v:,}", v)

    @value("The adjusted Rand index of k-means with as many clusters as classes.")
    def kmeans_ari(self, spec, result):
        return Value(fmt(result["kmeans_ari"]), result["kmeans_ari"])

    @value("A quantile of the k-distances, never interpolated: `kdist(90%)` is the smallest k-distance that at "
           "least nine samples in ten do not exceed (`np.quantile(…, method='inverted_cdf')`), so that eps makes "
           "them core points.")
    def kdist(self, spec, result, share):
        t = str(share).strip()
        try:
            q = float(t.rstrip("%")) / (100 if t.endswith("%") else 1)
        except ValueError:
            q = -1.0
        if not 0 <= q <= 1:
            raise LexiconError(f"'{share}' is not a share", fix="write e.g. kdist(90%)")
        v = float(np.quantile(np.asarray(result["kdist"]), q, method="inverted_cdf"))
        return Value(fmt(v, 2), v)

    def render(self, spec, result, ctx):
        run = self._run(spec, result)
        kd = result["kdist"]
        names = [str(c + 1) for c in range(run["clusters"])] + ["noise"]
        counts = Table(["Cluster"] + spec.classes + ["Total"],
                       [[n] + [f"{v:,}" for v in row] + [f"{sum(row):,}"] for n, row in zip(names, run["counts"])],
                       numeric=tuple(range(len(spec.classes) + 2)))
        scan = Table(["eps", "Clusters", "Noise points", "Core points", "Adjusted Rand index"],
                     [[f"{r['eps']:g}", str(r["clusters"]), str(r["noise"]), str(r["core"]), fmt(r["ari"])]
                      for r in result["runs"]], numeric=(0, 1, 2, 3, 4))

        def fig():
            import plotly.graph_objects as go

            f = go.Figure([go.Scatter(x=list(range(1, len(kd) + 1)), y=kd, mode="lines", name="k-distance",
                                      line=dict(color=PALETTE[0], width=2),
                                      hovertemplate="sample %{x}: %{y:.3f}<extra></extra>"),
                           go.Scatter(x=[1, len(kd)], y=[spec.eps, spec.eps], mode="lines", name=f"eps = {spec.eps:g}",
                                      line=dict(color=PALETTE[1], width=1, dash="dash"), hoverinfo="skip")])
            f.update_layout(**BASE_LAYOUT, showlegend=True, legend=dict(orientation="h", y=-0.3),
                            xaxis=dict(title=dict(text="samples, sorted by k-distance")),
                            yaxis=dict(title=dict(text=f"distance to the {spec.min_samples}th nearest")))
            return f

        marks = [0.5, 0.8, 0.9, 0.95, 1.0]
        alt = (f"Line chart of the {len(kd)} samples' k-distances, sorted, rising from {fmt(kd[0], 2)} to "
               f"{fmt(kd[-1], 2)}; " + ", ".join(f"{int(q * 100)}% of them are at most "
                                                   f"{fmt(float(np.quantile(kd, q, method='inverted_cdf')), 2)}" for q in marks[:-1])
               + f". A dashed line marks eps = {spec.eps:g}.")
        code = (loader_code(spec.dataset, spec.scale) +
                "import numpy as np\nfrom sklearn.cluster import DBSCAN\nfrom sklearn.neighbors import NearestNeighbors\n"
                "from sklearn.metrics import adjusted_rand_score\n\n"
                f"kdist = np.sort(NearestNeighbors(n_neighbors={spec.min_samples}).fit(x).kneighbors(x)[0][:, -1])\n"
                f"for eps in {[float(e) for e in spec.eps_list]}:\n"
                f"    labels = DBSCAN(eps=eps, min_samples={spec.min_samples}).fit_predict(x)   # −1: noise\n"
                "    print(eps, labels.max() + 1, (labels == -1).sum(), adjusted_rand_score(data.target, labels))\n")
        scaled = "standardised " if spec.scale else ""
        intro = Html(f"<p>DBSCAN with eps = {spec.eps:g} and min_samples = {spec.min_samples} on the "
                     f"{result['samples']:,} samples of the {esc(spec.dataset)} data ({result['features']} {scaled}"
                     f"features each): <strong>{run['clusters']} clusters</strong> and {run['noise']} noise points. "
                     f"Adjusted Rand index against the {len(spec.classes)} classes: <strong>{fmt(run['ari'])}"
                     f"</strong> (noise counted as one cluster); k-means with k = {len(spec.classes)}: "
                     f"{fmt(result['kmeans_ari'])}.</p>")
        return [intro,
                Figure(fig, alt=alt, caption=spec.caption, height=320, anchor="k-distance",
                       table=Table(["Share of samples", "k-distance at most"],
                                   [[f"{int(q * 100)}%", fmt(float(np.quantile(kd, q, method='inverted_cdf')), 3)] for q in marks],
                                   numeric=(0, 1)),
                       default_caption=f"Each sample's distance to its {spec.min_samples}th nearest sample (itself "
                                       "counted first), sorted; the samples right of where the curve meets the "
                                       "dashed eps line are not core points."),
                counts, *([scan] if len(spec.eps_list) > 1 else []),
                Code(code, "The scikit-learn calls behind these numbers")]
