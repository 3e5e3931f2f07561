"""The ``debias`` kind: hard debiasing (neutralise and equalise, Bolukbasi et al. 2016), and how much of the bias a clustering and a nearest-neighbour classifier still recover (Gonen & Goldberg 2019)."""

from __future__ import annotations

import re

import numpy as np
from sklearn.cluster import KMeans
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Html, Subhead, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._pca_direction import equalise, neutralise, pair_direction, unit_rows

MEASURES = ("kmeans_before", "kmeans_after", "knn_before", "knn_after", "control", "control_low", "control_high")
CLAIM = re.compile(r"^\s*(\w+)\s*([<>])\s*(0?\.\d+|1(?:\.0*)?|[a-z_]+)\s*$")
CLAIM_FIX = ("write e.g. 'knn_after > 0.9', 'kmeans_after < 0.6' or 'knn_after < control_low' ("
             + ", ".join(MEASURES) + ")")
LOWER = re.compile(r"^[a-z]+$")
FOLDS = 5


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def cluster_accuracy(z: np.ndarray, y: np.ndarray, seed: int) -> float:
    """How well k-means with two clusters splits the words as ``y`` does (the better of the two labellings)."""
    labels = KMeans(n_clusters=2, n_init=10, random_state=seed).fit(z).labels_
    agree = float(np.mean(labels == y))
    return max(agree, 1 - agree)


def extremes(u: np.ndarray, d: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows of the ``n`` words projecting furthest along ``d`` and the ``n`` furthest against it, labelled 1 and 0."""
    order = np.argsort(-(u @ d), kind="stable")
    return np.concatenate([order[:n], order[::-1][:n]]), np.r_[np.ones(n, dtype=int), np.zeros(n, dtype=int)]


def random_directions(dim: int, count: int, seed: int) -> np.ndarray:
    """``count`` random unit directions (normal coordinates, ``default_rng(seed)``): the control."""
    return unit_rows(np.random.default_rng(seed).standard_normal((count, dim)))


def knn_accuracies(z: np.ndarray, y: np.ndarray, k: int, shuffles: int, seed: int) -> list[float]:
    """Mean accuracy of 5-fold stratified cross-validation of a k-nearest-neighbour classifier, per shuffle."""
    return [float(cross_val_score(KNeighborsClassifier(n_neighbors=k, n_jobs=1), z, y, n_jobs=1,
                                  cv=StratifiedKFold(FOLDS, shuffle=True, random_state=seed + i)).mean())
            for i in range(shuffles)]


class Debias(Kind):
    """Hard debiasing of Bolukbasi et al. (2016), neutralise and equalise, on the configured model, and the test of Gonen & Goldberg (2019): can the bias still be recovered from the debiased vectors?

    The direction is the first principal axis of the centred definitional `pairs` (as in
    `direction-pca`). **Neutralise** removes each vector's component along it and scales it back to
    length 1: the `words` are shown before (their cosine with the direction) and after (0).
    **Equalise** moves each of the `equalise` pairs to the neutralised midpoint of the pair plus and
    minus the same amount of the direction, so both words end up equally similar to every
    neutralised word; the table gives the mean gap |cos(a, w) − cos(b, w)| over `words`, before and
    after.

    The recovery test: of the `vocab` most frequent words written in lower-case letters only
    (leaving out the words of the pairs), the `biased` words projecting furthest to each side are
    labelled by that side, then neutralised. Two tests try to find the labels again from the
    neutralised vectors alone: k-means with two clusters (the share of words its clusters put on
    the right side, the better of the two ways to name the clusters) and a `neighbours`-nearest-
    neighbour classifier, scored by 5-fold stratified cross-validation repeated on `shuffles`
    shuffles (mean, and the lowest and highest shuffle). Both are also run on the original
    vectors, where the two sides are separated by construction (the labels are a threshold on the
    projection). Chance is 50 %.

    The control: the same classifier test along `controls` random unit directions instead of the
    bias direction (the words furthest along each, labelled by side, then that direction removed;
    one shuffle each). Words chosen for their extremes along any direction still differ in
    everything correlated with it, so a high recovery means something about the bias only if it is
    higher than the control's. The equalise table also gives the gap after neutralising the
    neutral words but before equalising the pair, to show what each step does.
    """

    example = ("pairs:\n  - [woman, man]\n  - [she, he]\n  - [her, his]\n  - [mother, father]\n"
               "words: [nurse, engineer]\nequalise:\n  - [grandmother, grandfather]\n"
               "vocab: 5000\nbiased: 100\nshuffles: 2\nexpect:\n  - knn_after > 0.6")
    options = opt.Options(
        Kind.options,
        pairs=opt.pairs("The definitional pairs; the first word of each pair is the positive end.", min=2, max=12,
                        required=True),
        words=opt.words("Neutral words to neutralise and to measure the equalised pairs against.", min=1, max=30,
                        unique=True, required=True, type_doc="1–30 words"),
        equalise=opt.pairs("Pairs to equalise, e.g. `[grandmother, grandfather]`.", min=1, max=10, default=[]),
        vocab=opt.integer("How many of the most frequent words the biased words are chosen from.", default=50_000,
                          min=1000, max=100_000),
        biased=opt.integer("How many words on each side the recovery test uses.", default=500, min=20, max=2500),
        neighbours=opt.integer("k of the nearest-neighbour classifier.", default=10, min=1, max=50),
        shuffles=opt.integer("How many shuffles of the 5 folds.", default=5, min=1, max=10),
        controls=opt.integer("The control: how many random directions the same recovery test is run along instead "
                             "of the bias direction (one shuffle each; 0 for none).", default=10, min=0, max=20),
        seed=opt.seed("Seed of k-means and of the fold shuffles.", default=0),
        expect=opt.claims("Claims on the recovery accuracies, as fractions: `knn_after > 0.9`, `kmeans_after < 0.6` "
                          "(" + ", ".join(MEASURES) + ")."),
        code=opt.show_code("Show the collapsible Python."),
    )

    def prepare(self, spec):
        spec.parsed = []
        for text in spec.expect:
            m = CLAIM.match(str(text))
            if not m or m.group(1) not in MEASURES or (m.group(3)[0].isalpha() and m.group(3) not in MEASURES):
                raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
            bound = m.group(3)
            spec.parsed.append((m.group(1), m.group(2), bound if bound[0].isalpha() else float(bound)))
            if "control" in (m.group(1), bound.split("_")[0]) and spec.controls == 0:
                raise LexiconError(f"the claim '{text}' needs the control, but 'controls' is 0",
                                   fix="set 'controls' to the number of random directions (e.g. 10)")
        both = [w for p in spec.equalise for w in p if w in spec.words]
        if both:
            raise LexiconError(f"'{both[0]}' is both a neutral word and in an equalised pair",
                               fix="list each word in one place only")

    def anchor_hint(self, spec):
        return "debias " + " ".join(spec.pairs[0])

    def compute(self, kv, spec):
        g, _ = pair_direction(kv, spec.pairs)
        before = unit_rows(kv[spec.words]) @ g
        after = neutralise(kv[spec.words], g) @ g
        neutral = neutralise(kv[spec.words], g)
        equal = []
        for a, b in spec.equalise:
            ua, ub = unit_rows(kv[a]), unit_rows(kv[b])
            ea, eb = equalise(kv[a], kv[b], g)
            gap_before = float(np.mean(np.abs(unit_rows(kv[spec.words]) @ ua - unit_rows(kv[spec.words]) @ ub)))
            gap_neutralised = float(np.mean(np.abs(neutral @ ua - neutral @ ub)))   # neutralise only, no equalise
            gap_after = float(np.mean(np.abs(neutral @ ea - neutral @ eb)))
            equal.append({"pair": [a, b], "before": round(gap_before, 6), "neutralised": round(gap_neutralised, 6),
                          "after": _tiny(gap_after),
                          "norms": [round(float(np.linalg.norm(x)), 6) for x in (ea, eb)]})
        skip = {w for p in spec.pairs + spec.equalise for w in p}
        top = min(spec.vocab, len(kv))
        cands = [w for w in kv.index_to_key[:top] if LOWER.match(w) and w not in skip]
        u = unit_rows(kv[cands])
        n = min(spec.biased, len(cands) // 2)
        idx, y = extremes(u, g, n)
        first, second = idx[:n], idx[n:]
        orig, debiased = u[idx], neutralise(u[idx], g)
        out = {"before": [round(float(x), 4) for x in before], "after": [_tiny(x) for x in after],
               "equalise": equal, "candidates": len(cands), "per_side": n,
               "first_words": [cands[i] for i in first[:12]], "second_words": [cands[i] for i in second[:12]],
               "residual": _tiny(np.abs(debiased @ g).max())}
        for name, z in (("before", orig), ("after", debiased)):
            out[f"kmeans_{name}"] = cluster_accuracy(z, y, spec.seed)
            out[f"knn_{name}_runs"] = knn_accuracies(z, y, spec.neighbours, spec.shuffles, spec.seed)
            out[f"knn_{name}"] = float(np.mean(out[f"knn_{name}_runs"]))
        # The control: the same test along random directions. Words picked for their extremes along *any*
        # direction differ in everything correlated with it, so what survives is not specific to the bias.
        control = []
        for r in random_directions(u.shape[1], spec.controls, spec.seed):
            ci, cy = extremes(u, r, n)
            control += knn_accuracies(neutralise(u[ci], r), cy, spec.neighbours, 1, spec.seed)
        out["control_runs"] = control
        if control:
            out |= {"control": float(np.mean(control)), "control_low": min(control), "control_high": max(control)}
        return out

    def claims(self, spec, result, check):
        names = {"kmeans_before": "k-means on the original vectors", "kmeans_after": "k-means on the debiased vectors",
                 "knn_before": "the nearest-neighbour classifier on the original vectors",
                 "knn_after": "the nearest-neighbour classifier on the debiased vectors",
                 "control": "the control's mean over random directions",
                 "control_low": "the control's lowest random direction",
                 "control_high": "the control's highest random direction"}
        for measure, op, bound in spec.parsed:
            got = result[measure]
            limit = result[bound] if isinstance(bound, str) else bound
            than = f"{names[bound]} ({pct(limit)})" if isinstance(bound, str) else pct(bound)
            check(f"{names[measure]} recovers {'more' if op == '>' else 'less'} than {than} of the labels",
                  got > limit if op == ">" else got < limit, f"it recovers {pct(got)}")

    @value("A recovery accuracy as the table shows it: `accuracy(knn_after)` (kmeans_before, kmeans_after, "
           "knn_before, knn_after; control, control_low, control_high: the test along random directions).")
    def accuracy(self, spec, result, measure):
        if measure not in MEASURES:
            raise LexiconError(f"'{measure}' is not a measure of the block", fix="name one of: " + ", ".join(MEASURES))
        return Value(pct(result[measure]), result[measure])

    @value("The lowest or highest shuffle's nearest-neighbour accuracy: `knn_range(after, low)`.")
    def knn_range(self, spec, result, when, end):
        if when not in ("before", "after") or end not in ("low", "high"):
            raise LexiconError(f"cannot read knn_range({when}, {end})", fix="write knn_range(after, low) or "
                               "knn_range(before, high)")
        runs = result[f"knn_{when}_runs"]
        x = min(runs) if end == "low" else max(runs)
        return Value(pct(x), x)

    @value("How many words on each side the recovery test used.")
    def per_side(self, spec, result):
        return Value(f"{result['per_side']:,}", result["per_side"])

    @value("A neutral word's projection on the direction before neutralising: `before(nurse)`.")
    def before(self, spec, result, word):
        if word not in spec.words:
            raise LexiconError(f"'{word}' is not one of the block's words", fix="name one of: " + ", ".join(spec.words))
        x = result["before"][spec.words.index(word)]
        return Value(fmt(x), x)

    @value("How many random directions the control used.")
    def controls(self, spec, result):
        return Value(str(len(result["control_runs"])), len(result["control_runs"]))

    @value("An equalised pair's mean gap before, after neutralising the neutral words only, or after equalising: "
           "`gap(grandmother, before)`, `gap(grandmother, neutralised)`, `gap(grandmother, after)`.")
    def gap(self, spec, result, word, when):
        for e in result["equalise"]:
            if word in e["pair"] and when in ("before", "neutralised", "after"):
                x = e[when]
                return Value(_small(x), x)
        raise LexiconError(f"cannot read gap({word}, {when})", fix="name a word of an equalised pair, then before, "
                           "neutralised or after")

    def render(self, spec, result, ctx):
        a, b = spec.pairs[0]
        neutral = Table(["Word", f"Projection before (towards “{a}” +, “{b}” −)", "After neutralising"],
                        [[w, fmt(x), _small(y)] for w, x, y in zip(spec.words, result["before"], result["after"])],
                        numeric=(1, 2))
        parts = [Subhead("Neutralise"), neutral]
        if result["equalise"]:
            parts += [Subhead("Equalise"), Table(
                ["Pair", "Mean gap |cos(a, w) − cos(b, w)| before", "Neutral words neutralised, pair not yet equalised",
                 "After equalising", "Lengths after"],
                [[f"{e['pair'][0]} / {e['pair'][1]}", _small(e["before"]), _small(e["neutralised"]), _small(e["after"]),
                  " / ".join(f"{x:.4f}" for x in e["norms"])] for e in result["equalise"]], numeric=(1, 2, 3))]
        runs = lambda k: f"{pct(result[k])} ({pct(min(result[k + '_runs']))}–{pct(max(result[k + '_runs']))})"  # noqa: E731
        n = result["per_side"]
        parts += [
            Subhead("Can the two sides still be told apart?"),
            Html(f"<p>The {n:,} words leaning furthest towards “{esc(a)}” and the {n:,} leaning furthest towards "
                 f"“{esc(b)}”, among {result['candidates']:,} frequent lower-case words. Furthest towards “{esc(a)}”: "
                 f"{esc(', '.join(result['first_words']))}; towards “{esc(b)}”: "
                 f"{esc(', '.join(result['second_words']))}. After neutralising, the largest projection left is "
                 f"{_small(result['residual'])}.</p>"),
            Table(["Test (chance: 50 %)", "Original vectors", "Debiased vectors"], [
                ["k-means, two clusters", pct(result["kmeans_before"]), pct(result["kmeans_after"])],
                [f"{spec.neighbours}-nearest-neighbour classifier, {FOLDS}-fold cross-validation, mean (lowest–highest "
                 f"of {spec.shuffles} shuffles)", runs("knn_before"), runs("knn_after")]]
                + ([[f"Control: the same classifier along {len(result['control_runs'])} random directions instead "
                     f"(the words furthest along each, then that direction removed), mean (lowest–highest)", "—",
                     f"{pct(result['control'])} ({pct(result['control_low'])}–{pct(result['control_high'])})"]]
                   if result["control_runs"] else []), numeric=(1, 2)),
            Code(_code(spec), "The Python behind the recovery test"),
        ]
        return parts


def _tiny(x) -> float:
    """Rounded to 9 decimals (and never −0.0): what is left of a removed component is floating-point
    noise whose last digits change with the order of a sum, so it is kept only as far as it is stable."""
    return round(float(x), 9) + 0.0


def _small(x: float) -> str:
    if x == 0:
        return "0"
    return f"{x:.4f}" if abs(x) >= 1e-4 else f"{x:.1e}".replace("-", "−")


def _code(spec) -> str:
    return ("import re\nimport numpy as np\nfrom sklearn.cluster import KMeans\nfrom sklearn.decomposition import PCA\n"
            "from sklearn.model_selection import StratifiedKFold, cross_val_score\n"
            "from sklearn.neighbors import KNeighborsClassifier\n\n"
            "def unit(m):\n    return m / np.linalg.norm(m, axis=-1, keepdims=True)\n\n"
            f"pairs = {[tuple(p) for p in spec.pairs]!r}\n"
            "rows = []\nfor a, b in pairs:\n    mu = (unit(kv[a]) + unit(kv[b])) / 2\n"
            "    rows += [unit(kv[a]) - mu, unit(kv[b]) - mu]\n"
            "g = PCA(svd_solver='full').fit(np.array(rows)).components_[0]\n"
            "if sum(unit(kv[a]) @ g - unit(kv[b]) @ g for a, b in pairs) < 0:\n    g = -g\n\n"
            f"skip = {sorted({w for p in spec.pairs + spec.equalise for w in p})!r}\n"
            f"words = [w for w in kv.index_to_key[:{spec.vocab}] if re.fullmatch('[a-z]+', w) and w not in skip]\n"
            "u = unit(kv[words].astype(float))\norder = np.argsort(-(u @ g), kind='stable')\n"
            f"n = {spec.biased}\nidx = np.concatenate([order[:n], order[::-1][:n]])\n"
            "y = np.r_[np.ones(n, dtype=int), np.zeros(n, dtype=int)]\n"
            "debiased = unit(u[idx] - np.outer(u[idx] @ g, g))   # neutralise\n\n"
            f"labels = KMeans(n_clusters=2, n_init=10, random_state={spec.seed}).fit(debiased).labels_\n"
            "print('k-means', max(np.mean(labels == y), np.mean(labels != y)))\n"
            f"for i in range({spec.shuffles}):\n"
            f"    cv = StratifiedKFold({FOLDS}, shuffle=True, random_state={spec.seed} + i)\n"
            f"    print('kNN', cross_val_score(KNeighborsClassifier(n_neighbors={spec.neighbours}), debiased, y, cv=cv).mean())\n"
            + (f"\n# the control: the same test along random directions instead of g\n"
               f"for r in np.random.default_rng({spec.seed}).standard_normal(({spec.controls}, u.shape[1])):\n"
               "    r = unit(r)\n    order = np.argsort(-(u @ r), kind='stable')\n"
               "    idx = np.concatenate([order[:n], order[::-1][:n]])\n"
               "    z = unit(u[idx] - np.outer(u[idx] @ r, r))\n"
               f"    cv = StratifiedKFold({FOLDS}, shuffle=True, random_state={spec.seed})\n"
               f"    print('control', cross_val_score(KNeighborsClassifier(n_neighbors={spec.neighbours}), z, y, cv=cv).mean())\n"
               if spec.controls else ""))
