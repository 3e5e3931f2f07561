"""The hierarchical kind: agglomerative clustering of some words, its linkages compared, and its dendrogram."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._claims import check_all, parse
from ._clusters import GROUPS, UNIT, ari, check_ks, first_seen, matrix, members, read_groups
from ._figures import dendrogram

LINKAGES = ["ward", "average", "complete", "single"]
LINKAGE_SCHEMA = {"type": "array", "items": {"enum": LINKAGES}, "minItems": 1, "maxItems": 4, "uniqueItems": True}
NAMES = {"ari": "the adjusted Rand index"}
EXAMPLE_CLAIM = "ari(ward) > ari(single)"


class Hierarchical(Kind):
    """Agglomerative (hierarchical) clustering of some words: every word starts as its own cluster
    and the two closest clusters merge, again and again, until one is left. The block compares
    linkages by the adjusted Rand index of their `k` clusters against the named groups, and draws
    the tree (dendrogram) of one of them.

    The linkage says how close two clusters are: `ward` (the merge that least raises the total
    squared distance to the cluster means), `average` (the mean distance between their words),
    `complete` (the largest) or `single` (the smallest). The clusters are scikit-learn's
    `AgglomerativeClustering(n_clusters=k, linkage=…)` with Euclidean distance, on unit vectors
    unless `unit: false`; the tree is SciPy's `linkage(x, method=…)` (the same merges) drawn from
    `dendrogram(..., no_plot=True)`, for the first linkage listed. Claims: `ari(ward) > ari(single)`,
    `ari(average) = 1`, `ari(complete) < 0.9`.
    """

    example = ("groups:\n  animals: [dog, cat, horse, cow]\n  colours: [red, blue, green, yellow]\n"
               "  numbers: [two, three, four, five]\nlinkages: [ward, single]\nexpect:\n  - ari(ward) = 1")
    options = opt.Options(
        Kind.options,
        groups=GROUPS,
        linkages=opt.raw("The linkages compared; the tree is drawn for the first.", LINKAGE_SCHEMA,
                         "list of `ward`, `average`, `complete`, `single`", default=list(LINKAGES),
                         default_doc="all four", convert=list),
        k=opt.integer("Where the tree is cut: the number of clusters scored (default: the number of groups).",
                      min=2, max=20),
        unit=UNIT,
        expect=opt.claims("[Claims](#claims): `ari(ward) > ari(single)`, `ari(average) = 1`, `ari(complete) < 0.9` "
                          "(a linkage in brackets must be one of `linkages`)."),
        caption=opt.caption("“The dendrogram of … linkage …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        read_groups(spec)
        spec.k = spec.k or len(spec.group_names)
        check_ks([spec.k], len(spec.word_list), "k")
        spec.parsed = [parse(t, NAMES, EXAMPLE_CLAIM) for t in spec.expect]
        for claim in spec.parsed:
            for term in (claim[0], claim[2]):
                if term[0] == "quantity" and term[2] not in spec.linkages:
                    raise LexiconError(f"a claim reads the adjusted Rand index of '{term[2]}', which is not one of "
                                       "the linkages", fix="write e.g. 'ari(ward) > 0.9' with one of: "
                                                           + ", ".join(spec.linkages))

    def anchor_hint(self, spec):
        return f"hierarchical {' '.join(spec.group_names)}"

    def compute(self, kv, spec):
        from scipy.cluster.hierarchy import dendrogram, linkage
        from sklearn.cluster import AgglomerativeClustering

        x = matrix(kv, spec.word_list, spec.unit)
        runs = []
        for method in spec.linkages:
            labels = first_seen(AgglomerativeClustering(n_clusters=spec.k, linkage=method).fit_predict(x))
            runs.append({"linkage": method, "ari": ari(spec.truth, labels), "labels": labels})
        z = linkage(x, method=spec.linkages[0])
        tree = dendrogram(z, labels=spec.word_list, no_plot=True)
        return {"runs": runs, "merges": [[int(a), int(b), float(d), int(n)] for a, b, d, n in z],
                "icoord": tree["icoord"], "dcoord": tree["dcoord"], "leaves": tree["ivl"]}

    def _run(self, spec, result, method):
        method = str(method).strip()
        if method not in spec.linkages:
            raise LexiconError(f"'{method}' is not one of the block's linkages", fix="name one of: "
                               + ", ".join(spec.linkages))
        return result["runs"][spec.linkages.index(method)]

    def claims(self, spec, result, check):
        check_all(spec.parsed, NAMES, lambda name, method: self._run(spec, result, method)["ari"], check)

    @value("The adjusted Rand index of one linkage's clusters against the groups: `ari(ward)`.")
    def ari(self, spec, result, method):
        v = self._run(spec, result, method)["ari"]
        return Value(fmt(v), v)

    @value("The words of the cluster a word falls in, with one linkage: `cluster_of(complete, dog)`.")
    def cluster_of(self, spec, result, method, word):
        labels = self._run(spec, result, method)["labels"]
        word = str(word).strip()
        if word not in spec.word_list:
            raise LexiconError(f"'{word}' is not one of the block's words", fix="name one of: "
                               + ", ".join(spec.word_list))
        own = labels[spec.word_list.index(word)]
        return Value(", ".join(w for w, lab in zip(spec.word_list, labels) if lab == own))

    @value("The height of the tree's last merge, which joins everything, for the first linkage "
           "(a distance for single, complete and average linkage; Ward's merge cost for Ward).")
    def top(self, spec, result):
        v = result["merges"][-1][2]
        return Value(fmt(v), v)

    def render(self, spec, result, ctx):
        n = len(spec.word_list)
        rows = []
        for r in result["runs"]:
            groups = members(spec.word_list, r["labels"])
            sizes = sorted((len(g) for g in groups), reverse=True)
            rows.append([r["linkage"], fmt(r["ari"]), ", ".join(map(str, sizes))])
        first = spec.linkages[0]
        clusters = [[str(c + 1), ", ".join(ws)] for c, ws in enumerate(members(spec.word_list, result["runs"][0]["labels"]))]
        last = result["merges"][-(min(5, n - 1)):]
        alt = (f"Dendrogram of {first} linkage over {n} words, leaves from left to right: "
               + ", ".join(result["leaves"]) + ". The last merges join clusters at heights "
               + ", ".join(fmt(m[2]) for m in last) + ".")
        code = ("import numpy as np\nfrom scipy.cluster.hierarchy import dendrogram, linkage\n"
                "from sklearn.cluster import AgglomerativeClustering\n"
                "from sklearn.metrics import adjusted_rand_score\n\n"
                f"groups = {spec.groups!r}\n"
                "words = [w for ws in groups.values() for w in ws]\n"
                "truth = [i for i, ws in enumerate(groups.values()) for _ in ws]\n"
                "x = np.array([kv[w] for w in words], dtype=np.float64)\n"
                + ("x /= np.linalg.norm(x, axis=1, keepdims=True)\n" if spec.unit else "") +
                f"for method in {spec.linkages!r}:\n"
                f"    labels = AgglomerativeClustering(n_clusters={spec.k}, linkage=method).fit_predict(x)\n"
                "    print(method, adjusted_rand_score(truth, labels))\n"
                f"tree = dendrogram(linkage(x, method={first!r}), labels=words, no_plot=True)\n")
        merge_rows = [[str(i + 1), fmt(d), joined, f"{size:,}"] for i, ((_, _, d, size), joined) in
                      enumerate(zip(result["merges"], _joins(spec.word_list, result["merges"])))]
        return [
            Html(f"<p>Agglomerative clustering of {n} words from {len(spec.group_names)} named groups "
                 f"({esc(', '.join(spec.group_names))}), cut into k = {spec.k} clusters; each linkage scored by the "
                 "adjusted Rand index against the groups.</p>"),
            Table(["Linkage", "Adjusted Rand index", "Cluster sizes"], rows, numeric=(1,)),
            Figure(lambda: dendrogram(result["icoord"], result["dcoord"], result["leaves"],
                                      title=f"Dendrogram ({first} linkage)"),
                   alt=alt, caption=spec.caption, height=360, anchor="dendrogram",
                   default_caption=f"The merges of {first} linkage: each word is a leaf, and the height of a join is "
                                   + _HEIGHT[first] + ".",
                   table=Table(["Merge", "Height", "Joins", "Words in the merged cluster"], merge_rows,
                               numeric=(0, 1, 3))),
            Html(f"<p>The {spec.k} clusters of {esc(first)} linkage:</p>"),
            Table(["Cluster", "Words"], clusters),
            Code(code, "The scikit-learn and SciPy calls behind these numbers"),
        ]


# What a join's height means for each linkage (SciPy's `linkage`): a distance between clusters, except for
# Ward, whose height is sqrt(2 x the rise in within-cluster squared error) and can exceed any distance.
_HEIGHT = {
    "single": "the distance between the closest pair of words of the two clusters",
    "complete": "the distance between the farthest pair of words of the two clusters",
    "average": "the mean distance over all pairs of words of the two clusters",
    "ward": ("Ward's merge cost, √(2 × the rise in within-cluster squared error), not a distance between "
             "words: it can exceed 2, the largest distance between two unit vectors"),
}


def _joins(words: list[str], merges: list) -> list[str]:
    """Each merge as 'left + right', a cluster named by its words (three at most, then how many)."""
    clusters = [[w] for w in words]
    out = []
    for a, b, _, _ in merges:
        out.append(" + ".join(_name(clusters[i]) for i in (a, b)))
        clusters.append(clusters[a] + clusters[b])
    return out


def _name(ws: list[str]) -> str:
    return ", ".join(ws) if len(ws) <= 3 else f"{', '.join(ws[:2])}, … ({len(ws)} words)"
