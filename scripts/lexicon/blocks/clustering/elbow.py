"""The elbow kind: k-means inertia against k on a bundled dataset, repeated over seeds, beside the silhouette."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt, percent
from ._claims import check_all, parse, require_ks
from ._clusters import N_INIT
from ._data import DATA_OPTIONS, SEEDS, DatasetValues, features, loader_code
from ._figures import score_by_k

NAMES = {"inertia": "the mean inertia", "silhouette": "the mean silhouette", "drop": "the share of inertia removed",
         "best_k": "the k with the highest mean silhouette"}
EXAMPLE_CLAIM = "silhouette(2) > silhouette(3)"
KS = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 20}, "minItems": 3, "maxItems": 12,
      "uniqueItems": True}


class Elbow(DatasetValues, Kind):
    """The elbow method on one of scikit-learn's bundled datasets: the inertia of k-means for each k,
    the share of the inertia each extra cluster removes, and the mean silhouette beside it, each
    repeated over several seeds so that the spread is shown.

    For every k in `ks` and every seed s = 0 … `seeds` − 1, scikit-learn's `KMeans(n_clusters=k,
    n_init=n_init, random_state=s)` clusters the samples (standardised unless `scale: false`). The
    table gives the inertia (mean over the seeds, and its range), the *drop*, 1 − inertia(k) /
    inertia(previous k) (a large drop followed by small ones is an elbow), and `silhouette_score`
    (Euclidean; undefined at k = 1). `best_k` is the k with the highest mean silhouette; the block
    also counts the seeds whose own best k it is. The classes are never used. Claims:
    `silhouette(2) > silhouette(3)`, `drop(3) > drop(4)`, `best_k = 2`.
    """

    example = "dataset: iris\nks: [1, 2, 3, 4, 5]\nseeds: 2\nn_init: 3\nexpect:\n  - best_k = 2"
    needs_model = False
    note = "Computed at build time with scikit-learn, on its bundled copy of the data; no embedding model."
    options = opt.Options(
        Kind.options,
        **DATA_OPTIONS,
        ks=opt.raw("The k values, in any order (1–20; the silhouette needs k ≥ 2).", KS,
                   "list of 3–12 different whole numbers, 1–20", default=[1, 2, 3, 4, 5, 6, 7, 8],
                   default_doc="`[1, 2, 3, 4, 5, 6, 7, 8]`", convert=list),
        n_init=N_INIT,
        seeds=SEEDS,
        expect=opt.claims("[Claims](#claims): `silhouette(2) > silhouette(3)`, `drop(3) > drop(4)`, `best_k = 2` "
                          "(a k in brackets must be one of `ks`)."),
        caption=opt.caption("“Mean inertia of k-means on the … samples for each k …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.k_list = sorted(spec.ks)
        if len([k for k in spec.k_list if k >= 2]) < 2:
            raise LexiconError("'ks' needs at least two k values of 2 or more to compare silhouettes",
                               fix="write e.g. 'ks: [1, 2, 3, 4, 5]'")
        spec.parsed = [parse(t, NAMES, EXAMPLE_CLAIM) for t in spec.expect]
        require_ks(spec.parsed, spec.k_list)
        for claim in spec.parsed:
            for t in (claim[0], claim[2]):
                if t[0] == "quantity" and t[2] is not None and t[1] == "best_k":
                    raise LexiconError("'best_k' takes no k in brackets", fix="write e.g. 'best_k = 2'")
                if t[0] == "quantity" and t[1] in ("silhouette", "drop") and t[2] is not None and (
                        t[2] == 1 if t[1] == "silhouette" else t[2] == spec.k_list[0]):
                    raise LexiconError(f"{NAMES[t[1]]} is undefined at k = {t[2]}",
                                       fix="name a larger k from 'ks'")

    def anchor_hint(self, spec):
        return f"elbow {spec.dataset}"

    def compute(self, kv, spec):
        from sklearn.cluster import KMeans
        from sklearn.metrics import silhouette_score

        x, _ = features(spec.dataset, spec.scale)
        if spec.k_list[-1] >= len(x):
            raise LexiconError(f"'ks' asks for {spec.k_list[-1]} clusters of only {len(x)} samples",
                               fix=f"use k values below {len(x)}")
        inertia = np.zeros((len(spec.k_list), spec.seeds))
        sil = np.full((len(spec.k_list), spec.seeds), np.nan)
        for i, k in enumerate(spec.k_list):
            for s in range(spec.seeds):
                km = KMeans(n_clusters=k, n_init=spec.n_init, random_state=s).fit(x)
                inertia[i, s] = km.inertia_
                if k >= 2:
                    sil[i, s] = silhouette_score(x, km.labels_)
        rows = []
        for i, k in enumerate(spec.k_list):
            row = {"k": k, "inertia": float(inertia[i].mean()), "inertia_min": float(inertia[i].min()),
                   "inertia_max": float(inertia[i].max())}
            if i:
                row["drop"] = 1 - row["inertia"] / rows[-1]["inertia"]
            if k >= 2:
                row.update(silhouette=float(sil[i].mean()), silhouette_min=float(sil[i].min()),
                           silhouette_max=float(sil[i].max()))
            rows.append(row)
        valid = [i for i, k in enumerate(spec.k_list) if k >= 2]
        per_seed = [spec.k_list[valid[int(np.argmax(sil[valid, s]))]] for s in range(spec.seeds)]
        best = max((r for r in rows if "silhouette" in r), key=lambda r: r["silhouette"])["k"]
        return {"rows": rows, "best_k": best, "agree": per_seed.count(best), "samples": int(x.shape[0]),
                "features": int(x.shape[1])}

    def _row(self, spec, result, k, name):
        row = result["rows"][spec.k_list.index(int(str(k).strip()))] if str(k).strip().isdigit() and \
            int(str(k).strip()) in spec.k_list else None
        if row is None:
            raise LexiconError(f"'{k}' is not one of the k values", fix="name one of: " + ", ".join(map(str, spec.k_list)))
        if name not in row:
            raise LexiconError(f"{NAMES[name]} is undefined at k = {k}", fix="name a larger k")
        return row[name]

    def claims(self, spec, result, check):
        check_all(spec.parsed, NAMES,
                  lambda name, k: result["best_k"] if name == "best_k" else self._row(spec, result, k, name), check)

    @value("The mean inertia over the seeds at a k: `inertia(3)`.")
    def inertia(self, spec, result, k):
        v = self._row(spec, result, k, "inertia")
        return Value(fmt(v, 1), v)

    @value("The share of the inertia that going from the previous k to this one removes: `drop(3)`.")
    def drop(self, spec, result, k):
        v = self._row(spec, result, k, "drop")
        return Value(percent(v), v)

    @value("The mean silhouette over the seeds at a k: `silhouette(2)`.")
    def silhouette(self, spec, result, k):
        v = self._row(spec, result, k, "silhouette")
        return Value(fmt(v), v)

    @value("The k with the highest mean silhouette.")
    def best_k(self, spec, result):
        return Value(str(result["best_k"]), result["best_k"])

    @value("How many of the seeds give `best_k` the highest silhouette of their own.")
    def agree(self, spec, result):
        return Value(str(result["agree"]), result["agree"])

    def render(self, spec, result, ctx):
        rows = result["rows"]
        ks = [r["k"] for r in rows]

        def spread(lo, hi, digits):
            return "same for every seed" if fmt(lo, digits) == fmt(hi, digits) else f"{fmt(lo, digits)} to {fmt(hi, digits)}"

        table = Table(["k", "Inertia (mean)", "Range over the seeds", "Drop from the previous k", "Silhouette (mean)",
                       "Silhouette range"],
                      [[str(r["k"]), fmt(r["inertia"], 1), spread(r["inertia_min"], r["inertia_max"], 1),
                        percent(r["drop"]) if "drop" in r else "–",
                        fmt(r["silhouette"]) if "silhouette" in r else "undefined",
                        spread(r["silhouette_min"], r["silhouette_max"], 4) if "silhouette" in r else "–"]
                       for r in rows], numeric=(0, 1, 3, 4))
        scaled = "standardised " if spec.scale else ""
        intro = Html(f"<p>k-means on the {result['samples']:,} samples of the {esc(spec.dataset)} data "
                     f"({result['features']} {scaled}features each), best of {spec.n_init} starts, repeated with "
                     f"random_state 0 to {spec.seeds - 1}. The highest mean silhouette is at "
                     f"<strong>k = {result['best_k']}</strong> (the best k of {result['agree']} of the "
                     f"{spec.seeds} seeds).</p>")
        alt = ("Line chart of the mean k-means inertia against k: " +
               ", ".join(f"k = {r['k']}: {fmt(r['inertia'], 1)}" for r in rows) + ".")
        code = (loader_code(spec.dataset, spec.scale) +
                "from sklearn.cluster import KMeans\nfrom sklearn.metrics import silhouette_score\n\n"
                f"for k in {ks}:\n"
                f"    for seed in range({spec.seeds}):\n"
                f"        km = KMeans(n_clusters=k, n_init={spec.n_init}, random_state=seed).fit(x)\n"
                "        print(k, seed, km.inertia_, silhouette_score(x, km.labels_) if k > 1 else None)\n")
        return [intro,
                Figure(lambda: score_by_k(ks, [round(r["inertia"], 4) for r in rows], title="Inertia (the elbow)",
                                          y_title="inertia", mark=result["best_k"]),
                       alt=alt, caption=spec.caption, height=300, anchor="elbow",
                       default_caption=f"Mean inertia of k-means on the {result['samples']:,} samples for each k; "
                                       "the larger marker is the k with the highest mean silhouette."),
                table, Code(code, "The scikit-learn calls behind these numbers")]
