"""An inverted file (IVF) and product quantisation (PQ) against exact cosine search: recall, the
share of the vectors scanned, and the bytes stored per vector."""

from __future__ import annotations

import math
import re

import numpy as np

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import fmt
from ._ann import SAMPLE_DOC, TOP_DOC, as_list, hits, one_or_list, sample_rows, unit_rows
from ._pq import ITERATIONS, TRAIN, _adc, _decode, _kmeans, _smallest

CHUNK = 128          # queries searched together
NPROBE = {"type": "integer", "minimum": 1, "maximum": 1000}
CLAIM = re.compile(r"^\s*(?P<what>recall|scanned)\s*(?:\((?P<setting>[^)]*)\))?\s*(?:(?P<op>[<>])\s*"
                   r"(?P<value>\d+(?:\.\d+)?)\s*(?P<pct>%?)|(?P<rises>rises))\s*$")
METHODS = {"exact": "Exact (every vector)", "ivf": "IVF", "pq": "PQ (every code)", "ivf-pq": "IVF + PQ"}


class IvfPq(Kind):
    """An inverted file (IVF: k-means cells, only the `nprobe` nearest searched) and product
    quantisation (PQ: each vector stored as a few short codes) against exact cosine search:
    recall@k, the share of the vectors each query scans, and the bytes stored per vector.

    The index holds the model's `top` most frequent words, unit length. **IVF** splits them into
    `nlist` cells with scikit-learn's `KMeans`; a query compares itself with the cell centroids and
    scans only the words of the `nprobe` nearest cells, with exact distances. **PQ** cuts every
    vector into `m` sub-vectors, learns a codebook of `ks` centroids for each sub-vector position
    (`KMeans` again), and stores each word as the numbers of its nearest centroids: `m` codes of
    log2(`ks`) bits instead of the float32 numbers. A query is not compressed: its distance to a
    stored word is the sum, over the sub-vectors, of its distance to that word's centroid, read
    from one small table per sub-vector (asymmetric distance computation, ADC; computed here as one
    matrix product with the decoded codes, which gives the same sums). **IVF + PQ** scans the
    codes of the probed cells only. PQ with ADC, and its pairing with an inverted file (IVFADC),
    are from Jégou, Douze and Schmid (2011); here the codes encode the vectors themselves, not
    their residuals from the cell centroid as in IVFADC.

    Every k-means is seeded (`seed`), starts from random rows, runs once for at most 20
    iterations on one thread, and trains on at most 10,000 random words of the index. Recall@k
    is counted as in the `ann` block: the query word is left out, ties go to the more frequent
    word. "Scanned" counts the vectors or codes compared per query (the query's own included),
    as a share of the index; IVF also compares the query with the `nlist` centroids. Bytes per
    vector count the stored numbers or codes only, not the ids of the inverted lists nor the
    shared centroids and codebooks.
    """

    example = ("top: 10000\nnlist: 50\nnprobe: [1, 4]\nm: 5\nsample: 200\n"
               "expect:\n  - recall(nprobe=4) > 0.8\n  - scanned(nprobe=4) < 10%\n  - recall(pq) < 0.6")
    options = opt.Options(
        Kind.options,
        top=opt.integer(TOP_DOC, default=50_000, min=1000, max=100_000),
        k=opt.integer("How many nearest neighbours each query asks for (the k of recall@k).", default=10, min=1,
                      max=50),
        nlist=opt.integer("How many k-means cells IVF splits the index into.", default=100, min=2, max=1000),
        nprobe=opt.raw("How many of the nearest cells a query scans, or a list of up to 5 values to compare.",
                       one_or_list(NPROBE), "whole number, 1–1,000, or a list of up to 5", default=8,
                       default_doc="`8`"),
        m=opt.integer("How many sub-vectors PQ cuts each vector into (it must divide the model's dimensions).",
                      default=10, min=1, max=100),
        ks=opt.integer("How many centroids each sub-vector's codebook has (256: one byte per code).", default=256,
                       min=2, max=256),
        sample=opt.integer(SAMPLE_DOC, default=1000, min=10, max=5000),
        seed=opt.seed("Random seed of the sample and of every k-means.", default=42),
        expect=opt.claims("`recall(nprobe=8) > 0.9` (IVF), `recall(pq) > 0.5` (PQ, every code), "
                          "`recall(pq, nprobe=8) > 0.5` (IVF + PQ), `scanned(nprobe=8) < 10%`, `recall rises` "
                          "(IVF, with every larger `nprobe`), `recall(pq) rises` (IVF + PQ).",
                          "list of [recall claims](#claims)", default_doc="none"),
        caption=opt.caption("generated"),
    )

    def prepare(self, spec):
        spec.nprobe_list = sorted(as_list(spec.nprobe))
        if spec.nprobe_list[-1] > spec.nlist:
            raise LexiconError(f"'nprobe' {spec.nprobe_list[-1]} is more than the {spec.nlist} cells ('nlist')",
                               fix=f"probe at most {spec.nlist} cells, or raise 'nlist'")
        if spec.sample > spec.top:
            raise LexiconError(f"'sample' ({spec.sample}) is larger than the index ('top': {spec.top})",
                               fix="lower 'sample' or raise 'top'")
        spec.parsed_claims = [_parse_claim(text, spec) for text in spec.expect]

    def anchor_hint(self, spec):
        return f"top {spec.top} nlist {spec.nlist}"

    def compute(self, kv, spec):
        x = unit_rows(kv, spec.top)
        n, d = x.shape
        if d % spec.m:
            divisors = [i for i in range(1, d + 1) if d % i == 0]
            raise LexiconError(f"'m' ({spec.m}) does not divide the model's {d} dimensions into equal sub-vectors",
                               fix="choose m from: " + ", ".join(map(str, divisors)))
        train = x[sample_rows(n, min(n, TRAIN), spec.seed + 1)]
        ivf = _kmeans(train, spec.nlist, spec.seed)
        cell = ivf.predict(x)
        centroids = ivf.cluster_centers_
        members = np.argsort(cell, kind="stable")                   # the inverted lists, one after another
        starts = np.concatenate([[0], np.cumsum(np.bincount(cell, minlength=spec.nlist))])
        subs = np.split(np.arange(d), spec.m)
        books, codes = [], []
        for cols in subs:
            book = _kmeans(train[:, cols], spec.ks, spec.seed)
            books.append(book.cluster_centers_)
            codes.append(book.predict(x[:, cols]))
        codes = np.stack(codes, axis=1)
        queries = sample_rows(n, spec.sample, spec.seed)
        decoded = _decode(books, codes)
        ps, k = spec.nprobe_list, spec.k
        found = {(method, p): [] for method in ("ivf", "ivf-pq") for p in ps} | {("exact", None): [], ("pq", None): []}
        scanned = {p: 0 for p in ps}
        everyone = np.arange(n)
        for start in range(0, len(queries), CHUNK):
            qs = queries[start:start + CHUNK]
            far = np.negative(x[qs] @ x.T)                              # minus the exact cosines (unit rows)
            adc = _adc(x[qs], decoded)                                  # PQ distances to every code
            near = np.argsort(((centroids[None, :, :] - x[qs][:, None, :]) ** 2).sum(2), axis=1, kind="stable")
            for i, q in enumerate(qs):
                far[i, q] = adc[i, q] = np.inf                          # the query itself is left out
                found[("exact", None)].append(_smallest(far[i], everyone, k))
                found[("pq", None)].append(_smallest(adc[i], everyone, k))
                cells = near[i, :ps[-1]]
                probed = np.concatenate([members[starts[c]:starts[c + 1]] for c in cells])
                ends = np.cumsum(starts[cells + 1] - starts[cells])
                for p in ps:
                    cand = probed[:ends[p - 1]]
                    scanned[p] += len(cand)
                    cand = cand[cand != q]
                    found[("ivf", p)].append(_smallest(far[i, cand], cand, k))
                    found[("ivf-pq", p)].append(_smallest(adc[i, cand], cand, k))
        exact = np.array(found[("exact", None)])
        total = k * len(queries)

        def row(method, p, got, scan):
            return {"method": method, "nprobe": p, "found": int(sum(hits(got, exact))), "total": total,
                    "scanned": int(scan), "queries": len(queries), "index": n}
        rows = [row("exact", None, exact, n * len(queries))]
        rows += [row("ivf", p, found[("ivf", p)], scanned[p]) for p in ps]
        rows += [row("pq", None, found[("pq", None)], n * len(queries))]
        rows += [row("ivf-pq", p, found[("ivf-pq", p)], scanned[p]) for p in ps]
        sizes = np.diff(starts)
        return {"rows": rows, "index_size": n, "dims": d,
                "bytes": {"exact": 4 * d, "pq": spec.m * math.ceil(math.log2(spec.ks)) / 8},
                "cells": [int(sizes.min()), float(np.median(sizes)), int(sizes.max())]}

    # --- claims -----------------------------------------------------------------------------------
    def claims(self, spec, result, check):
        k = spec.k
        for what, setting, op, limit, said in spec.parsed_claims:
            if op == "rises":
                method = setting[0]
                rs = [_row(result, method, p) for p in spec.nprobe_list]
                bad = [f"nprobe {a['nprobe']}→{b['nprobe']}" for a, b in zip(rs, rs[1:]) if not _recall(b) > _recall(a)]
                shown = "; ".join(f"nprobe {r['nprobe']}: {_recall(r):.4f}" for r in rs)
                check(f"recall@{k} of {METHODS[method]} rises with every larger nprobe", not bad,
                      ("it does not rise for " + ", ".join(bad) + ". " if bad else "") + shown)
                continue
            r = _row(result, *setting)
            amount = _recall(r) if what == "recall" else _share(r)
            subject = (f"recall@{k} of {_name(r)}" if what == "recall" else
                       f"the share of the index {_name(r)} scans per query")
            ok = amount > limit if op == ">" else amount < limit
            check(f"{subject} is {'above' if op == '>' else 'below'} {said}", ok,
                  f"recall@{k} is {_recall(r):.4f} ({r['found']:,} of {r['total']:,} true neighbours found over "
                  f"{r['queries']:,} random query words), scanning {_pct(_share(r))} of the index per query")

    # --- values for prose ---------------------------------------------------------------------------
    @value("Recall@k over the sample, as the table shows it (3 decimals), of one setting: `nprobe=8` (IVF), "
           "`pq` (PQ, every code), `pq, nprobe=8` (IVF + PQ) or `exact`.")
    def recall(self, spec, result, *setting):
        r = _row(result, *_setting(setting, spec))
        return Value(fmt(_recall(r), 3), _recall(r))

    @value("True neighbours one setting found over the sample, as the table shows it (“9,035 of 10,000”).")
    def found(self, spec, result, *setting):
        r = _row(result, *_setting(setting, spec))
        return Value(f"{r['found']:,} of {r['total']:,}", r["found"])

    @value("The mean share of the index one setting scans per query, as the table shows it (“8.3%”).")
    def scanned(self, spec, result, *setting):
        r = _row(result, *_setting(setting, spec))
        return Value(_pct(_share(r)), _share(r))

    @value("Bytes stored per vector: `exact` (float32 numbers) or `pq` (the codes).")
    def bytes(self, spec, result, which="exact"):
        if which not in ("exact", "pq"):
            raise LexiconError(f"'{which}' is not 'exact' or 'pq'", fix="write bytes(exact) or bytes(pq)")
        b = result["bytes"][which]
        return Value(f"{b:g}", b)

    @value("Cell sizes of the IVF index (words per cell): `min`, `median` or `max`.")
    def cell_size(self, spec, result, which="median"):
        names = ["min", "median", "max"]
        if which not in names:
            raise LexiconError(f"'{which}' is not one of min, median, max", fix="write e.g. cell_size(max)")
        size = result["cells"][names.index(which)]
        return Value(_count(size), size)

    # --- rendering ----------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        k, n, rows, b = spec.k, result["index_size"], result["rows"], result["bytes"]
        lo, mid, hi = result["cells"]
        parts = [Html(
            f'<p class="ll-ann__summary">The index holds the model\'s <strong>{n:,}</strong> most frequent words, '
            f"{result['dims']} float32 numbers (<strong>{b['exact']:g} bytes</strong>) each. IVF splits them into "
            f"<strong>{spec.nlist}</strong> k-means cells (from {lo:,} to {hi:,} words, median {_count(mid)}). PQ cuts "
            f"each vector into {spec.m} sub-vectors of {result['dims'] // spec.m} numbers and stores each as one of "
            f"{spec.ks} centroids: <strong>{b['pq']:g} bytes</strong> per word. Recall@{k} over "
            f"<strong>{spec.sample:,}</strong> random query words, against exact cosine search:</p>")]
        table = Table(["Search", "Cells probed", "Scanned per query", "Bytes per vector", "True neighbours found",
                       f"Recall@{k}"],
                      [[METHODS[r["method"]] + (f", nprobe {r['nprobe']}" if r["nprobe"] else ""),
                        f"{r['nprobe']} of {spec.nlist}" if r["nprobe"] else "all", _pct(_share(r)),
                        f"{b['exact' if r['method'] in ('exact', 'ivf') else 'pq']:g}",
                        f"{r['found']:,} of {r['total']:,}", fmt(_recall(r), 3)] for r in rows],
                      numeric=(2, 3, 4, 5))
        ps = spec.nprobe_list
        if len(ps) > 1:
            ivf = [_row(result, "ivf", p) for p in ps]
            both = [_row(result, "ivf-pq", p) for p in ps]
            pq = _recall(_row(result, "pq", None))
            parts += [table, Figure(
                lambda: _figure(ps, [_recall(r) for r in ivf], [_recall(r) for r in both], pq, k),
                alt=(f"Line chart of recall@{k} against nprobe. IVF: " + "; ".join(
                    f"nprobe {p} {_recall(r):.3f}" for p, r in zip(ps, ivf)) + ". IVF + PQ: " + "; ".join(
                    f"nprobe {p} {_recall(r):.3f}" for p, r in zip(ps, both)) + f". PQ over every code: {pq:.3f}."),
                caption=spec.caption,
                default_caption=(f"Recall@{k} against the number of cells probed: IVF with exact distances (full "
                                 f"vectors, {b['exact']:g} bytes each) and IVF with PQ codes ({b['pq']:g} bytes); the "
                                 "dashed line is PQ scanning every code."),
                table=Table(["nprobe", "Scanned per query", f"Recall@{k}, IVF", f"Recall@{k}, IVF + PQ"],
                            [[p, _pct(_share(a)), fmt(_recall(a), 3), fmt(_recall(c), 3)]
                             for p, a, c in zip(ps, ivf, both)], numeric=(0, 1, 2, 3)),
                height=320, anchor="recall")]
        else:
            parts += ([Caption(spec.caption)] if spec.caption else []) + [table]
        d, m = result["dims"], spec.m
        source = (
            "import numpy as np\nfrom sklearn.cluster import KMeans\n"
            f"x = kv.vectors[:{n}]; x = x / np.linalg.norm(x, axis=1, keepdims=True)\n"
            f"rng = np.random.default_rng({spec.seed + 1})\n"
            f"train = x[np.sort(rng.choice({n}, {min(n, TRAIN)}, replace=False))]   # the words k-means learns from\n"
            f"km = dict(init='random', n_init=1, max_iter={ITERATIONS}, random_state={spec.seed})\n\n"
            f"# IVF: {spec.nlist} cells; a query scans the words of its nprobe nearest cells\n"
            f"ivf = KMeans({spec.nlist}, **km).fit(train)\ncell = ivf.predict(x)\n"
            "q = x[kv.key_to_index['coffee']]               # one query\n"
            f"probe = np.argsort(((ivf.cluster_centers_ - q) ** 2).sum(1))[:{ps[0]}]\n"
            "cand = np.flatnonzero(np.isin(cell, probe))   # then exact cosine within cand\n\n"
            f"# PQ: {m} sub-vectors of {d // m} numbers, {spec.ks} centroids each; a word is stored as {m} codes\n"
            f"subs = np.split(np.arange({d}), {m})\n"
            f"books = [KMeans({spec.ks}, **km).fit(train[:, s]) for s in subs]\n"
            "codes = np.stack([b.predict(x[:, s]) for b, s in zip(books, subs)], axis=1)\n\n"
            "# ADC: the query stays uncompressed; one table of distances per sub-vector, then look-ups\n"
            "tables = [((b.cluster_centers_ - q[s]) ** 2).sum(1) for b, s in zip(books, subs)]\n"
            "dist = sum(t[codes[:, j]] for j, t in enumerate(tables))   # smallest = nearest\n")
        parts.append(Code(source, "The calls behind these numbers"))
        return parts


def _setting(parts, spec) -> tuple[str, int | None]:
    """``('ivf', 8)``, ``('ivf-pq', 8)``, ``('pq', None)`` or ``('exact', None)`` from ``nprobe=8``, ``pq``, …"""
    tokens = [t.strip() for t in parts if t.strip()]
    fix = "write nprobe=8 (IVF), pq (PQ over every code), pq, nprobe=8 (IVF + PQ) or exact"
    probes = [re.fullmatch(r"nprobe\s*=\s*(\d+)", t) for t in tokens]
    other = [t for t, p in zip(tokens, probes) if not p and t not in ("pq", "exact")]
    if other or not tokens or len(tokens) > 2 or ("exact" in tokens and len(tokens) > 1) or \
            sum(bool(p) for p in probes) > 1 or tokens.count("pq") > 1:
        raise LexiconError(f"'{', '.join(tokens)}' is not a setting of the block", fix=fix)
    if tokens == ["exact"]:
        return "exact", None
    nprobe = next((int(p[1]) for p in probes if p), None)
    if nprobe is None:
        return "pq", None
    if nprobe not in spec.nprobe_list:
        raise LexiconError(f"the block did not compute nprobe {nprobe}",
                           fix="use one of its nprobe values: " + ", ".join(map(str, spec.nprobe_list)))
    return ("ivf-pq" if "pq" in tokens else "ivf"), nprobe


def _parse_claim(text, spec):
    """``(what, setting, op, limit, limit as written)``; ``op`` is ``'rises'`` for a rising-recall claim."""
    m = CLAIM.match(str(text))
    if m is None or (m["rises"] and m["what"] != "recall"):
        raise LexiconError(f"cannot read the claim '{text}'",
                           fix="write e.g. 'recall(nprobe=8) > 0.9', 'recall(pq) > 0.5', 'recall(pq, nprobe=8) > "
                               "0.5', 'scanned(nprobe=8) < 10%', 'recall rises' or 'recall(pq) rises'")
    parts = (m["setting"] or "").split(",")
    if m["rises"]:
        if [t.strip() for t in parts if t.strip()] not in ([], ["pq"]):
            raise LexiconError(f"'{text}': a rising claim is about every nprobe, so it names no nprobe",
                               fix="write 'recall rises' (IVF) or 'recall(pq) rises' (IVF + PQ)")
        if len(spec.nprobe_list) < 2:
            raise LexiconError(f"'{text}' needs several nprobe values", fix="give a list, e.g.  nprobe: [1, 4, 16]")
        return "recall", ("ivf-pq" if m["setting"] else "ivf", None), "rises", None, ""
    if not m["setting"]:
        raise LexiconError(f"the claim '{text}' names no setting",
                           fix=f"write e.g. '{m['what']}(nprobe={spec.nprobe_list[0]}) {m['op']} {m['value']}"
                               f"{m['pct']}' (IVF), or '{m['what']}(pq) …' (PQ over every code)")
    limit = float(m["value"]) / (100 if m["pct"] else 1)
    return m["what"], _setting(parts, spec), m["op"], limit, m["value"] + m["pct"]


def _row(result, method, nprobe):
    return next(r for r in result["rows"] if r["method"] == method and r["nprobe"] == nprobe)


def _recall(r) -> float:
    return r["found"] / r["total"]


def _share(r) -> float:
    """The mean share of the index compared per query."""
    return r["scanned"] / (r["queries"] * r["index"])


def _name(r) -> str:
    return METHODS[r["method"]] + (f" with nprobe {r['nprobe']}" if r["nprobe"] else "")


def _pct(share: float) -> str:
    return f"{100 * share:.1f}%" if share >= 0.01 else f"{100 * share:.2f}%"


def _figure(ps, ivf, both, pq, k):
    import plotly.graph_objects as go

    fig = go.Figure()
    for i, (name, ys) in enumerate([("IVF (exact distances)", ivf), ("IVF + PQ (codes)", both)]):
        fig.add_trace(go.Scatter(
            x=ps, y=ys, mode="lines+markers", name=name,
            line=dict(color=figures.PALETTE[i], width=2), marker=dict(size=8, symbol=figures.SYMBOLS[i]),
            hovertemplate=f"{name}, nprobe %{{x}}: recall %{{y:.3f}}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[ps[0], ps[-1]], y=[pq, pq], mode="lines", name="PQ, every code",
                             line=dict(color=figures.PALETTE[2], width=2, dash="dash"),
                             hovertemplate=f"PQ over every code: recall {pq:.3f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, legend=dict(orientation="h", y=-0.25),
                      xaxis=dict(title=dict(text="nprobe (cells scanned)", standoff=4), type="log", tickvals=ps,
                                 automargin=True),
                      yaxis=dict(title=dict(text=f"recall@{k}", standoff=4), automargin=True, range=[None, 1.0]))
    return fig


def _count(v: float) -> str:
    """A count of words, or a median of counts: 196 or 196.5 (a median of an even number of cells can be a half)."""
    return f"{v:,.1f}" if v % 1 else f"{int(v):,}"
