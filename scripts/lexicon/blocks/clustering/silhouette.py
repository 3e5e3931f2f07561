"""The silhouette kind: how well each word sits in its k-means cluster, and which k scores best."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._claims import check_all, parse, require_ks
from ._clusters import GROUPS, KMEANS_OPTIONS, KS, KS_DOC, UNIT, k_index, kmeans, matrix, read_words_ks, word_index
from ._figures import score_by_k

NAMES = {"silhouette": "the mean silhouette", "best_k": "the k with the highest mean silhouette"}
EXAMPLE_CLAIM = "silhouette(4) > silhouette(2)"


class Silhouette(Kind):
    """The silhouette of k-means clusterings of some words: the mean score for each k (which k
    separates the words best), and each word's own score at one k (which word sits worst).

    A word's silhouette is (b − a) / max(a, b), where a is its mean distance to the other words of
    its cluster and b its mean distance to the words of the nearest other cluster: near 1, the word
    sits well inside its cluster; near 0, on the border; below 0, closer to another cluster. The
    clusterings are those of the `kmeans` kind (scikit-learn's `KMeans`, `n_init`, `seed`, unit
    vectors unless `unit: false`), and the scores are scikit-learn's `silhouette_score` (the mean
    over the words) and `silhouette_samples` (each word's), with Euclidean distance. The groups
    are used only to show each word's true group beside its score. Claims: `silhouette(5) >
    silhouette(4)`, `silhouette(4) > 0.3`, `best_k = 5`.
    """

    example = ("groups:\n  animals: [dog, cat, horse, cow]\n  colours: [red, blue, green, yellow]\n"
               "  numbers: [two, three, four, five]\nks: [2, 3, 4, 5]\nk: 3\nexpect:\n  - best_k = 3")
    options = opt.Options(
        Kind.options,
        groups=GROUPS,
        ks=opt.raw("The k values whose mean silhouettes are compared.", KS, KS_DOC, default=[2, 3, 4, 5, 6, 7, 8],
                   default_doc="`[2, 3, 4, 5, 6, 7, 8]`", convert=list),
        k=opt.integer("The k whose words' own silhouettes are listed (default: the number of groups; added to "
                      "`ks` if missing).", min=2, max=20),
        **KMEANS_OPTIONS,
        unit=UNIT,
        expect=opt.claims("[Claims](#claims): `silhouette(5) > silhouette(4)`, `silhouette(4) > 0.3`, `best_k = 5` "
                          "(a k in brackets must be one of `ks`)."),
        caption=opt.caption("“The mean silhouette of k-means on the … words for each k …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        read_words_ks(spec)
        spec.parsed = [parse(t, NAMES, EXAMPLE_CLAIM) for t in spec.expect]
        if any(t[0] == "quantity" and t[1] == "best_k" and t[2] is not None for c in spec.parsed for t in (c[0], c[2])):
            raise LexiconError("'best_k' takes no k in brackets", fix="write e.g. 'best_k = 5'")
        require_ks(spec.parsed, spec.k_list)

    def anchor_hint(self, spec):
        return f"silhouette {' '.join(spec.group_names)}"

    def compute(self, kv, spec):
        from sklearn.metrics import silhouette_samples, silhouette_score

        x = matrix(kv, spec.word_list, spec.unit)
        runs, samples, labels_at_k = [], None, None
        # Words sharing a vector: k-means cannot make more clusters than there are different vectors,
        # and a silhouette needs at least 2 clusters.
        distinct = len(np.unique(x, axis=0))
        for k in spec.k_list:
            if k > distinct:
                raise LexiconError(
                    f"k = {k} asks for {k} clusters, but the {len(x)} words have only {distinct} different "
                    f"vector{'s' if distinct != 1 else ''}, so k-means cannot make {k} clusters to score",
                    fix=(f"use k values of at most {distinct}, or " if distinct >= 2 else "")
                    + "choose words whose vectors differ")
            _, labels = kmeans(x, k, spec.n_init, spec.seed)
            if len(set(labels)) < 2:
                raise LexiconError(f"k-means put all {len(x)} words in one cluster for k = {k}, and a silhouette "
                                   "needs at least 2", fix="choose words whose vectors differ")
            runs.append({"k": k, "silhouette": float(silhouette_score(x, labels))})
            if k == spec.k:
                samples = [float(s) for s in silhouette_samples(x, labels)]
                labels_at_k = labels
        return {"runs": runs, "samples": samples, "labels": labels_at_k}

    def _best(self, result) -> dict:
        return max(result["runs"], key=lambda r: r["silhouette"])

    def _lookup(self, spec, result, name, k):
        if name == "best_k":
            return self._best(result)["k"]
        return result["runs"][k_index(spec.k_list, k if k is not None else spec.k)]["silhouette"]

    def claims(self, spec, result, check):
        check_all(spec.parsed, NAMES, lambda name, k: self._lookup(spec, result, name, k), check)

    @value("The mean silhouette at the listed k, or at `score(5)`.")
    def score(self, spec, result, k=None):
        v = self._lookup(spec, result, "silhouette", k)
        return Value(fmt(v), v)

    @value("The k with the highest mean silhouette.")
    def best_k(self, spec, result):
        k = self._best(result)["k"]
        return Value(str(k), k)

    @value("The word with the lowest silhouette at the listed k (the one that sits worst in its cluster).")
    def worst(self, spec, result):
        i = min(range(len(spec.word_list)), key=lambda j: (result["samples"][j], j))
        return Value(spec.word_list[i])

    @value("The lowest silhouette at the listed k (that of the `worst` word).")
    def worst_score(self, spec, result):
        v = min(result["samples"])
        return Value(fmt(v), v)

    @value("One word's silhouette at the listed k: `word(india)`.")
    def word(self, spec, result, word):
        v = result["samples"][word_index(spec, word)]
        return Value(fmt(v), v)

    @value("How many words have a negative silhouette at the listed k (closer to another cluster than to their own).")
    def negative(self, spec, result):
        n = sum(1 for s in result["samples"] if s < 0)
        return Value(f"{n:,}", n)

    def render(self, spec, result, ctx):
        ks = [r["k"] for r in result["runs"]]
        scores = [r["silhouette"] for r in result["runs"]]
        best = self._best(result)
        n = len(spec.word_list)
        order = sorted(range(n), key=lambda j: (result["samples"][j], j))
        rows = [[spec.word_list[j], spec.group_names[spec.truth[j]], str(result["labels"][j] + 1),
                 fmt(result["samples"][j])] for j in order]
        intro = Html(f"<p>k-means on the {'unit-length ' if spec.unit else ''}vectors of {n} words "
                     f"({esc(', '.join(spec.group_names))}), best of {spec.n_init} starts (random_state={spec.seed}), "
                     f"for each k. The highest mean silhouette is at <strong>k = {best['k']}</strong> "
                     f"({fmt(best['silhouette'])}).</p>")
        alt = ("Line chart of the mean silhouette against k: " +
               ", ".join(f"k = {k}: {fmt(s)}" for k, s in zip(ks, scores)) + f"; highest at k = {best['k']}.")
        code = ("import numpy as np\nfrom sklearn.cluster import KMeans\n"
                "from sklearn.metrics import silhouette_samples, silhouette_score\n\n"
                f"words = {spec.word_list!r}\n"
                "x = np.array([kv[w] for w in words], dtype=np.float64)\n"
                + ("x /= np.linalg.norm(x, axis=1, keepdims=True)\n" if spec.unit else "") +
                f"for k in {ks}:\n"
                f"    labels = KMeans(n_clusters=k, n_init={spec.n_init}, random_state={spec.seed}).fit_predict(x)\n"
                "    print(k, silhouette_score(x, labels))\n"
                f"labels = KMeans(n_clusters={spec.k}, n_init={spec.n_init}, random_state={spec.seed}).fit_predict(x)\n"
                "per_word = silhouette_samples(x, labels)\n")
        return [
            intro,
            Figure(lambda: score_by_k(ks, scores, title="Mean silhouette", y_title="mean silhouette", mark=best["k"]),
                   alt=alt, caption=spec.caption, height=300, anchor="by-k",
                   table=Table(["k", "Mean silhouette"], [[str(k), fmt(s)] for k, s in zip(ks, scores)],
                               numeric=(0, 1)),
                   default_caption=f"The mean silhouette of k-means on the {n} words for each k; the larger "
                                   "marker is the highest."),
            Html(f"<p>Each word's silhouette at k = {spec.k}, lowest (worst placed) first:</p>"),
            Table(["Word", "True group", "Cluster", "Silhouette"], rows, numeric=(2, 3)),
            Code(code, "The scikit-learn calls behind these numbers"),
        ]
