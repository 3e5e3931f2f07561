"""The kmeans kind: k-means on the model's vectors of some words, its clusters against the true groups."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...render import esc, fmt
from ._claims import check_all, parse, require_ks
from ._clusters import (GROUPS, KMEANS_OPTIONS, KS, KS_DOC, UNIT, ari, k_index, kmeans, majority, matrix, members,
                        read_words_ks, word_index)
from ._figures import score_by_k

NAMES = {"ari": "the adjusted Rand index", "inertia": "the inertia"}
EXAMPLE_CLAIM = "ari > 0.9"


class Kmeans(Kind):
    """k-means on the model's vectors of some words: the clusters it finds, how well they match the
    groups the author named (the adjusted Rand index), and the inertia for a range of k (the elbow).

    The words come in named groups; the groups are only the truth the clusters are scored against.
    scikit-learn's `KMeans(n_clusters=k, n_init=n_init, random_state=seed)` (k-means++ starting
    centres, Lloyd's algorithm; the best of `n_init` runs by inertia) clusters the vectors (unit
    length unless `unit: false`). The table lists each cluster's words and the true group most of
    them belong to; `adjusted_rand_score` compares the clusters with the groups (1: the same
    partition; about 0: no better than chance). The figure draws the inertia (the sum of squared
    distances from each word to its cluster's centre) for every k in `ks`, with the ARI beside it
    in the table. Claims: `ari > 0.9`, `ari = 1`, `ari(5) < ari(4)`, `inertia(4) < inertia(3)`.
    """

    example = ("groups:\n  animals: [dog, cat, horse, cow]\n  colours: [red, blue, green, yellow]\n"
               "  numbers: [two, three, four, five]\nks: [2, 3, 4, 5]\nexpect:\n  - ari = 1")
    options = opt.Options(
        Kind.options,
        groups=GROUPS,
        k=opt.integer("The number of clusters of the clustering listed (default: the number of groups).", min=2,
                      max=20),
        ks=opt.raw("The k values of the elbow figure (the listed k is added if missing).", KS, KS_DOC,
                   default=[2, 3, 4, 5, 6, 7, 8], default_doc="`[2, 3, 4, 5, 6, 7, 8]`", convert=list),
        **KMEANS_OPTIONS,
        unit=UNIT,
        expect=opt.claims("[Claims](#claims): `ari > 0.9`, `ari = 1`, `ari(5) < ari(4)`, `inertia(4) < inertia(3)` "
                          "(a k in brackets must be one of `ks`)."),
        caption=opt.caption("“Inertia of k-means on the … words for each k …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        read_words_ks(spec)
        spec.parsed = [parse(t, NAMES, EXAMPLE_CLAIM) for t in spec.expect]
        require_ks(spec.parsed, spec.k_list)

    def anchor_hint(self, spec):
        return f"kmeans {' '.join(spec.group_names)}"

    def compute(self, kv, spec):
        x = matrix(kv, spec.word_list, spec.unit)
        runs = []
        for k in spec.k_list:
            km, labels = kmeans(x, k, spec.n_init, spec.seed)
            runs.append({"k": k, "inertia": float(km.inertia_), "ari": ari(spec.truth, labels), "labels": labels,
                         "iterations": int(km.n_iter_)})
        return {"runs": runs}

    def _run(self, spec, result, k=None):
        return result["runs"][k_index(spec.k_list, spec.k if k is None else k)]

    def claims(self, spec, result, check):
        check_all(spec.parsed, NAMES, lambda name, k: self._run(spec, result, k)[name], check)

    @value("The adjusted Rand index of the clusters against the groups, at the listed k or at `ari(5)`.")
    def ari(self, spec, result, k=None):
        v = self._run(spec, result, k)["ari"]
        return Value(fmt(v), v)

    @value("The inertia (sum of squared distances to the cluster centres) at the listed k or at `inertia(5)`.")
    def inertia(self, spec, result, k=None):
        v = self._run(spec, result, k)["inertia"]
        return Value(fmt(v), v)

    @value("The number of clusters of the listed clustering.")
    def clusters(self, spec, result):
        return Value(str(spec.k), spec.k)

    @value("The words in the same cluster as a word, joined by commas: `cluster_of(dog)`.")
    def cluster_of(self, spec, result, word):
        labels = self._run(spec, result)["labels"]
        i = word_index(spec, word)
        return Value(", ".join(w for w, lab in zip(spec.word_list, labels) if lab == labels[i]))

    def render(self, spec, result, ctx):
        run = self._run(spec, result)
        labels = run["labels"]
        rows = [[str(c + 1), label, ", ".join(ws)] for c, (label, ws) in
                enumerate(zip(majority(spec.group_names, spec.truth, labels), members(spec.word_list, labels)))]
        ks = [r["k"] for r in result["runs"]]
        inertias = [r["inertia"] for r in result["runs"]]
        n = len(spec.word_list)
        vectors = "unit-length vectors" if spec.unit else "vectors"
        intro = Html(f"<p>k-means with k = {spec.k} on the {vectors} of {n} words from {len(spec.group_names)} "
                     f"named groups ({esc(', '.join(spec.group_names))}); best of {spec.n_init} starts "
                     f"(random_state={spec.seed}). Adjusted Rand index against the groups: "
                     f"<strong>{fmt(run['ari'])}</strong>; inertia {fmt(run['inertia'])}.</p>")
        table = Table(["k", "Inertia", "Adjusted Rand index"],
                      [[str(r["k"]), fmt(r["inertia"]), fmt(r["ari"])] for r in result["runs"]], numeric=(0, 1, 2))
        alt = ("Line chart of k-means inertia against k: " +
               ", ".join(f"k = {k}: {fmt(v)}" for k, v in zip(ks, inertias)) + ".")
        code = ("import numpy as np\nfrom sklearn.cluster import KMeans\nfrom sklearn.metrics import adjusted_rand_score\n\n"
                f"groups = {spec.groups!r}\n"
                "words = [w for ws in groups.values() for w in ws]\n"
                "truth = [i for i, ws in enumerate(groups.values()) for _ in ws]\n"
                "x = np.array([kv[w] for w in words], dtype=np.float64)\n"
                + ("x /= np.linalg.norm(x, axis=1, keepdims=True)   # unit length: distance follows cosine\n"
                   if spec.unit else "") +
                f"for k in {ks}:\n"
                f"    km = KMeans(n_clusters=k, n_init={spec.n_init}, random_state={spec.seed}).fit(x)\n"
                "    print(k, km.inertia_, adjusted_rand_score(truth, km.labels_))\n")
        return [
            intro,
            Table(["Cluster", "Most of its words are (true group)", "Words"], rows),
            Figure(lambda: score_by_k(ks, inertias, title="Inertia (the elbow)", y_title="inertia", mark=spec.k),
                   alt=alt, caption=spec.caption, table=table, height=300, anchor="elbow",
                   default_caption=f"Inertia of k-means on the {n} words for each k; the larger marker is the k "
                                   "listed above. The table gives the adjusted Rand index too."),
            Code(code, "The scikit-learn calls behind these numbers"),
        ]
