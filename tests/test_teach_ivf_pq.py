"""The ivf-pq kind: an inverted file and product quantisation against exact cosine search.

Every count is checked against a second search written here the slow, plain way: scikit-learn's
KMeans fitted as the block says it fits them (same rows, seed and settings), then, query by query,
the probed cells found with numpy, exact cosines ranked with Python's sort, and PQ distances as
the paper computes them (one table per sub-vector, looked up at each code and summed). False
claims fail; bad input is refused with a fix; prose values read as the block's table does.
"""

from __future__ import annotations

import copy
import html
import json
import re

import numpy as np
import pytest

from blocktest import quote, run, spec_of
from lexicon.engine.checks import Checks, Where
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

TOP, NLIST, M, KS, SAMPLE, SEED, K = 10_000, 50, 5, 256, 200, 42, 10
SRC = (f"top: {TOP}\nnlist: {NLIST}\nnprobe: [1, 4, {NLIST}]\nm: {M}\nks: {KS}\nsample: {SAMPLE}\nseed: {SEED}\n"
       "expect:\n  - recall(nprobe=4) > 0.8\n  - recall(pq) < 0.6\n  - recall(pq, nprobe=4) > 0.4\n"
       "  - scanned(nprobe=4) < 10%\n  - recall rises\n  - recall(pq) rises")


def value(spec, result, name, *args):
    return quote("ivf-pq", spec, result, name, *args)


def claims_of(source: str, result: dict):
    """The claims of a block body checked against a given result (nothing is computed again)."""
    kind = registry()["ivf-pq"]
    check = Checks(Where("docs/test.md", 1, "ivf-pq", "test.md", "b"))
    kind.claims(spec_of("ivf-pq", source), result, check)
    return check.made


def row(result, method, nprobe=None):
    return next(r for r in result["rows"] if r["method"] == method and r["nprobe"] == nprobe)


@pytest.fixture(scope="module")
def block(kv):
    return run(kv, "ivf-pq", SRC)


@pytest.fixture(scope="module")
def independent(kv):
    """Found counts and scanned counts per setting, searched query by query without the block's code."""
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    x = kv.vectors[:TOP].astype(np.float32)
    x = x / np.linalg.norm(x, axis=1, keepdims=True)
    n, d = x.shape
    train = x[np.sort(np.random.default_rng(SEED + 1).choice(n, min(n, 10_000), replace=False))]
    fit = dict(init="random", n_init=1, max_iter=20, random_state=SEED)
    with threadpool_limits(limits=1):
        ivf = KMeans(NLIST, **fit).fit(train)
        subs = np.split(np.arange(d), M)
        books = [KMeans(KS, **fit).fit(train[:, s]) for s in subs]
    cell = ivf.predict(x)
    codes = np.stack([b.predict(x[:, s]) for b, s in zip(books, subs)], axis=1)
    queries = np.sort(np.random.default_rng(SEED).choice(n, SAMPLE, replace=False))

    def best(dist, rows):        # the k nearest rows, ties to the lower row (the query left out)
        keep = rows != q
        dist, rows = dist[keep], rows[keep]
        return set(rows[np.lexsort((rows, dist))[:K]].tolist())

    found = {key: 0 for key in ["pq"] + [(m, p) for m in ("ivf", "ivf-pq") for p in (1, 4, NLIST)]}
    scanned = {p: 0 for p in (1, 4, NLIST)}
    for q in queries:
        cos = x @ x[q]
        true = best(-cos, np.arange(n))
        tables = [((b.cluster_centers_.astype(np.float64) - x[q, s].astype(np.float64)) ** 2).sum(1)
                  for b, s in zip(books, subs)]
        adc = sum(t[codes[:, j]] for j, t in enumerate(tables))
        found["pq"] += len(true & best(adc, np.arange(n)))
        order = np.argsort(np.linalg.norm(ivf.cluster_centers_ - x[q], axis=1), kind="stable")
        for p in (1, 4, NLIST):
            cand = np.flatnonzero(np.isin(cell, order[:p]))
            scanned[p] += len(cand)
            found[("ivf", p)] += len(true & best(-cos[cand], cand))
            found[("ivf-pq", p)] += len(true & best(adc[cand], cand))
    sizes = np.bincount(cell, minlength=NLIST)
    return found, scanned, [int(sizes.min()), float(np.median(sizes)), int(sizes.max())]


def test_counts_equal_a_plain_search_with_sklearn_and_numpy(block, independent):
    found, scanned, cells = independent
    spec, result, claims, out = block
    assert row(result, "exact")["found"] == row(result, "exact")["total"] == K * SAMPLE
    assert row(result, "pq")["found"] == found["pq"]
    for p in (1, 4, NLIST):
        for method in ("ivf", "ivf-pq"):
            assert row(result, method, p)["found"] == found[(method, p)], (method, p)
            assert row(result, method, p)["scanned"] == scanned[p]
    assert result["cells"] == cells
    assert all(c.ok for c in claims), [c.actual for c in claims if not c.ok]


def test_probing_every_cell_is_the_exact_search_and_pq_over_every_cell_is_pq(block):
    _, result, _, _ = block
    every = row(result, "ivf", NLIST)
    assert every["found"] == every["total"] and every["scanned"] == TOP * SAMPLE
    assert row(result, "ivf-pq", NLIST)["found"] == row(result, "pq")["found"]
    # Fewer cells scan less: the shares are what the cells hold, and they grow with nprobe.
    assert row(result, "ivf", 1)["scanned"] < row(result, "ivf", 4)["scanned"] < TOP * SAMPLE


def test_bytes_are_float32_numbers_against_codes(kv, block):
    spec, result, _, _ = block
    assert result["bytes"] == {"exact": kv.vectors[0].astype(np.float32).nbytes, "pq": M}   # one byte per code
    _, small, _, _ = run(kv, "ivf-pq", "top: 1000\nnlist: 10\nnprobe: 2\nm: 10\nks: 16\nsample: 20")
    assert small["bytes"]["pq"] == 10 * 4 / 8                                                  # 4-bit codes


def test_the_table_and_the_figure_show_the_counts(block):
    spec, result, _, out = block
    assert "<th scope=\"row\">IVF + PQ, nprobe 4</th>" in out and "<th scope=\"row\">PQ (every code)</th>" in out
    r4 = row(result, "ivf", 4)
    assert f"{r4['found']:,} of {r4['total']:,}" in out
    (fig,) = [json.loads(html.unescape(m)) for m in re.findall(r"data-figure='([^']*)'", out)]
    ivf, both, pq = fig["data"]
    assert ivf["x"] == [1, 4, NLIST]
    assert ivf["y"] == [row(result, "ivf", p)["found"] / (K * SAMPLE) for p in (1, 4, NLIST)]
    assert both["y"] == [row(result, "ivf-pq", p)["found"] / (K * SAMPLE) for p in (1, 4, NLIST)]
    assert pq["y"] == [row(result, "pq")["found"] / (K * SAMPLE)] * 2
    assert 'aria-label="Line chart of recall@10 against nprobe' in out and "Numbers behind this figure" in out


def test_one_nprobe_gives_a_table_without_a_figure(kv):
    _, result, _, out = run(kv, "ivf-pq", "top: 1000\nnlist: 10\nnprobe: 3\nm: 5\nks: 32\nsample: 50\n"
                                          "caption: One setting")
    assert [(r["method"], r["nprobe"]) for r in result["rows"]] == [("exact", None), ("ivf", 3), ("pq", None),
                                                                   ("ivf-pq", 3)]
    assert "data-figure" not in out and "One setting" in out and "<table>" in out


def test_values_read_as_the_block_writes_them(block):
    spec, result, _, out = block
    r = row(result, "ivf", 4)
    recall = value(spec, result, "recall", "nprobe=4")
    assert recall.text == f"{r['found'] / r['total']:.3f}" and f">{recall.text}<" in out
    assert value(spec, result, "recall", "pq", "nprobe=4").number == row(result, "ivf-pq", 4)["found"] / (K * SAMPLE)
    assert value(spec, result, "recall", "pq").number == row(result, "pq")["found"] / (K * SAMPLE)
    assert value(spec, result, "recall", "exact").text == "1.000"
    scanned = value(spec, result, "scanned", "nprobe=4")
    assert scanned.number == r["scanned"] / (SAMPLE * TOP) and f">{scanned.text}<" in out
    assert scanned.text.endswith("%")
    assert value(spec, result, "found", "nprobe=4").text == f"{r['found']:,} of {r['total']:,}"
    assert value(spec, result, "bytes", "exact").text == "200" and value(spec, result, "bytes", "pq").text == "5"
    assert value(spec, result, "cell_size", "max").number == result["cells"][2]
    median = value(spec, result, "cell_size", "median")
    assert median.number == result["cells"][1]                    # the true median, a half when it falls between
    assert median.text == (f"{median.number:,.1f}" if median.number % 1 else f"{int(median.number):,}")


def test_false_claims_fail(block):
    _, result, _, _ = block
    bad = claims_of("nprobe: [1, 4, 50]\nnlist: 50\nexpect:\n  - recall(nprobe=1) > 0.9\n  - recall(pq) > 0.9\n"
                    "  - scanned(nprobe=4) > 50%\n  - recall(pq, nprobe=4) < 0.1", result)
    assert [c.ok for c in bad] == [False] * 4
    assert "found over 200 random query words" in bad[0].actual
    flat = copy.deepcopy(result)
    for r in flat["rows"]:
        if r["method"] == "ivf-pq":
            r["found"] = 900
    (rises,) = claims_of("nprobe: [1, 4, 50]\nnlist: 50\nexpect: [recall(pq) rises]", flat)
    assert not rises.ok and "does not rise for nprobe 1→4, nprobe 4→50" in rises.actual


@pytest.mark.parametrize("source, message", [
    ("nlist: 10\nnprobe: 20", "more than the 10 cells"),
    ("top: 1000\nsample: 2000", "larger than the index"),
    ("expect: [recall about 0.9]", "cannot read the claim"),
    ("expect: [recall > 0.9]", "names no setting"),
    ("nprobe: [1, 4]\nexpect: ['recall(nprobe=8) > 0.9']", "did not compute nprobe 8"),
    ("expect: [recall rises]", "needs several nprobe values"),
    ("nprobe: [1, 4]\nexpect: ['recall(nprobe=4) rises']", "names no nprobe"),
    ("expect: ['recall(ivf) > 0.5']", "not a setting"),
    ("expect: [scanned rises]", "cannot read the claim"),
    ("nprobe: 4.0", "not a whole number"),
    ("m: 5\nks: 512", "ks"),
])
def test_bad_input_is_refused_with_a_fix(source, message):
    with pytest.raises(LexiconError) as err:
        spec_of("ivf-pq", source)
    assert message in str(err.value)
    assert err.value.fix


def test_m_must_divide_the_dimensions(kv):
    with pytest.raises(LexiconError) as err:
        run(kv, "ivf-pq", "top: 1000\nnlist: 10\nm: 8\nsample: 20")
    assert "does not divide the model's 50 dimensions" in str(err.value) and "1, 2, 5, 10, 25, 50" in err.value.fix


def test_bad_value_arguments_are_refused(block):
    spec, result, _, _ = block
    for name, args in [("recall", ["nprobe=8"]), ("recall", []), ("bytes", ["ivf"]), ("cell_size", ["mean"])]:
        with pytest.raises(LexiconError):
            value(spec, result, name, *args)


def test_the_same_spec_computes_the_same_result(kv):
    kind = registry()["ivf-pq"]
    spec = kind.read(kind.example)
    assert json.dumps(kind.compute(kv, spec)) == json.dumps(kind.compute(kv, spec))


def test_the_pq_exercise_counts_as_the_block_and_grades_the_most_found(kv, block):
    """Each code of the pq-exercise is the ivf-pq block's "PQ" row for that (m, ks): the same training
    rows, seed and queries, so code A (the block's own m and ks) finds exactly what the block found."""
    src = (f"codes:\n  A: {{m: {M}, ks: {KS}}}\n  B: {{m: 10, ks: 16}}\n  C: {{m: 2, ks: 256}}\n"
           f"top: {TOP}\nsample: {SAMPLE}\nseed: {SEED}\nk: {K}\nanswer: A")
    spec, result, claims, out = run(kv, "pq-exercise", src)
    assert result["found"][0] == row(block[1], "pq")["found"] and result["total"] == K * SAMPLE
    best = max(range(3), key=lambda i: result["found"][i])
    assert claims[0].ok == (best == 0)
    assert quote("pq-exercise", spec, result, "best").text == "ABC"[best]
    assert quote("pq-exercise", spec, result, "recall", "B").number == result["found"][1] / result["total"]
    assert "A. m 5, ks 256 (5 bytes)" in out and "B. m 10, ks 16 (5 bytes)" in out and "(2 bytes)" in out


@pytest.mark.parametrize("source, message", [
    ("codes:\n  A: {m: 5, ks: 256}\n  B: {m: 5, ks: 256}", "two choices have the same code"),
    ("codes:\n  A: {m: 5, ks: 256}\n  B: {m: 10, ks: 16}\nanswer: D", "'answer' (D) is not one of the choices"),
    ("codes:\n  A: {m: 5, ks: 256}\n  B: {m: 10, ks: 16}\ntop: 1000\nsample: 2000", "larger than the index"),
])
def test_bad_pq_exercises_name_the_fix(source, message):
    with pytest.raises(LexiconError, match=re.escape(message)):
        spec_of("pq-exercise", source)


def test_a_pq_exercise_code_must_divide_the_dimensions(kv):
    with pytest.raises(LexiconError, match="choose m from"):
        run(kv, "pq-exercise", "codes:\n  A: {m: 7, ks: 16}\n  B: {m: 5, ks: 16}\ntop: 1000\nsample: 10")
