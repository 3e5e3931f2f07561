"""The evaluation family: the batched analogy evaluator equals gensim's, the benchmark blocks show the measures."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import numpy as np
import pytest
from blocktest import run, spec_of
from bs4 import BeautifulSoup
from gensim.models import KeyedVectors
from lexicon import evaluate
from lexicon.engine.deps import compute_code
from lexicon.engine.registry import registry
from lexicon.engine.values import block_value
from lexicon.errors import LexiconError

SAMPLE = ["capital-common-countries", "family", "gram3-comparative"]
ANALOGY = """\
restrict_vocab: 10000
published:
  - {model: GloVe 6B 300d, source: "Pennington et al. 2014, Table 2", total: 71.7, semantic: 77.4, syntactic: 67.0}
  - {model: GloVe 6B 50d, source: Pennington et al. 2014, total: null, note: only plotted}
expect:
  total_at_least: 0.4
  total_below: 0.9
"""
WORDSIM = """\
dataset: wordsim353
published:
  - {model: GloVe 6B 300d, source: "Pennington et al. 2014, Table 3", spearman: 0.658, pearson: null}
"""


# --- lexicon.evaluate: the same counts as gensim --------------------------------------------------

def _sample_file(tmp_path, sections, per_section=120):
    """A questions file with a few sections of the real one (every 4th question: all kinds)."""
    out = []
    for name, questions in evaluate.read_questions(evaluate.datapath(evaluate.ANALOGIES), case_insensitive=False):
        if name in sections:
            out.append(f": {name}")
            out += [" ".join(q) for q in questions[::4][:per_section]]
    path = tmp_path / "questions.txt"
    path.write_text("\n".join(out) + "\n")
    return str(path)


def test_batched_counts_equal_gensim_on_a_sample_of_sections(kv, tmp_path):
    path = _sample_file(tmp_path, SAMPLE)
    mine = evaluate.analogies(kv, path)
    ours = {s.name: (s.correct, s.incorrect) for s in mine["sections"]}
    assert ours == evaluate.gensim_analogies(kv, path)
    assert sum(c for c, _ in ours.values()) > 0 and sum(i for _, i in ours.values()) > 0


def test_batched_counts_equal_gensim_with_case_variants_and_unknown_words(tmp_path):
    """A toy model where case variants of question words compete, some near-ties, and OOV words:
    the walk down gensim's top 5 and the exact recheck must give gensim's answers."""
    rng = np.random.default_rng(7)
    words = ["a", "A", "b", "B", "c", "C", "d", "D", "e", "f", "g", "h", "i", "j"]
    kv = KeyedVectors(vector_size=4)
    vecs = rng.normal(size=(len(words), 4)).astype(np.float32)
    vecs[1] = vecs[0] * 1.0001   # "A" almost the same direction as "a"
    vecs[7] = vecs[6]            # exact tie between "d" and "D"
    kv.add_vectors(words, vecs)
    lines = [": toy"] + [f"{a} {b} {c} {d}" for a in "abc" for b in "bcd" for c in "cde" for d in "defg"
                         if len({a, b, c, d}) == 4] + ["a b c zzz", ": toy2", "e f g h", "f g h i", "b a i j"]
    path = tmp_path / "toy.txt"
    path.write_text("\n".join(lines) + "\n")
    for case_insensitive in (True, False):
        got = evaluate.analogies(kv, str(path), restrict_vocab=len(words), case_insensitive=case_insensitive)
        ours = {s.name: (s.correct, s.incorrect) for s in got["sections"]}
        assert ours == evaluate.gensim_analogies(kv, str(path), len(words), case_insensitive)
        assert got["oov"] == 1


def test_word_pairs_match_gensims_correlations(kv):
    r = evaluate.word_pairs(kv, "wordsim353")
    pearson, spearman, oov = kv.evaluate_word_pairs(evaluate.datapath("wordsim353.tsv"))
    assert r["spearman"] == pytest.approx(spearman.statistic)
    assert r["pearson"] == pytest.approx(pearson.statistic)
    assert r["oov_ratio"] == pytest.approx(oov / 100)
    a, b, _human, cos = r["pairs"][0]
    assert cos == pytest.approx(float(kv.similarity(a.lower(), b.lower())), abs=1e-5)


# --- the blocks -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def analogy(kv):
    return run(kv, "analogy-benchmark", ANALOGY)


@pytest.fixture(scope="module")
def wordsim(kv):
    return run(kv, "similarity-benchmark", WORDSIM)


def test_analogy_benchmark_shows_measured_beside_published(analogy):
    _, result, claims, html = analogy
    assert result["vocab"] == 10_000 and result["questions"] == 19_544
    assert [s["name"] for s in result["sections"]][:5] == list(evaluate.SEMANTIC)
    soup = BeautifulSoup(html, "html.parser")
    block = soup.select_one(".ll-block.ll-block--analogy-benchmark")
    text = block.get_text(" ")
    assert "71.7 %" in text and "not reported" in text and "measured on this site" in text
    assert "only plotted" in text and "Test <b>model</b>" in text         # the model name is escaped
    acc = re.search(r"Total\s+([\d,]+)\s+([\d,]+)\s+([\d.]+) %", text)
    s = result["summary"]["total"]
    assert acc and acc.group(1) == f"{s['total']:,}" and acc.group(3) == f"{100 * s['accuracy']:.1f}"
    fig = json.loads(block.select_one(".ll-plot")["data-figure"])
    assert len(fig["data"][0]["y"]) == 14                     # every section of questions-words.txt
    assert block.select_one("figure")["id"] == "b-sections"
    assert "restrict_vocab=10000, case_insensitive=True" in block.select_one(".ll-code").get_text()
    assert [c.ok for c in claims] == [True, True]
    assert "at least 40.0 %" in claims[0].statement and claims[0].actual == f"it is {100 * s['accuracy']:.1f} %"


def test_analogy_benchmark_false_claim(kv):
    _, _, claims, html = run(kv, "analogy-benchmark", "restrict_vocab: 1000\nexpect: {total_below: 0.1}")
    assert [c.ok for c in claims] == [False]
    assert "ll-claim--false" in html and "below 10.0 %" in claims[0].statement


def test_analogy_benchmark_values(analogy):
    spec, result, _, html = analogy
    k = registry()["analogy-benchmark"]

    def val(name, *args):
        return block_value(SimpleNamespace(kind=k, spec=spec, result=result), name, list(args), False)

    s = result["summary"]
    assert val("accuracy").text == f"{100 * s['total']['accuracy']:.1f} %"
    assert val("accuracy", "semantic").number == s["semantic"]["accuracy"]
    fam = next(x for x in result["sections"] if x["name"] == "family")
    assert val("correct", "family").number == fam["correct"] and val("answered", "family").number == fam["total"]
    assert val("answered").text == f"{s['total']['total']:,}"
    assert val("questions").text == "19,544"
    assert val("skipped").number == result["oov"]
    assert [val("sections", g).text for g in ("all", "semantic", "syntactic")] == ["14", "5", "9"]
    for v in (val("accuracy"), val("answered"), val("questions"), val("skipped")):
        assert v.text in BeautifulSoup(html, "html.parser").get_text(" ")   # as the block's tables show it
    with pytest.raises(LexiconError, match="neither total"):
        val("accuracy", "nonsense")
    with pytest.raises(LexiconError):
        val("sections", "nonsense")


def test_similarity_benchmark_scatter_and_published(wordsim):
    _, result, claims, html = wordsim
    assert result["file"] == "wordsim353.tsv" and len(result["pairs"]) == 353
    soup = BeautifulSoup(html, "html.parser")
    block = soup.select_one(".ll-block.ll-block--similarity-benchmark")
    scatter = json.loads(block.select_one(".ll-plot")["data-figure"])
    assert scatter["data"][0]["type"] == "scatter" and len(scatter["data"][0]["x"]) == 353
    text = block.get_text(" ")
    assert "0.658" in text and "not reported" in text and f"{result['spearman']:.3f}" in text
    assert block.select_one("figure")["id"] == "b-scatter"
    assert "datapath('wordsim353.tsv')" in block.select_one(".ll-code").get_text()
    assert claims == []


def test_similarity_benchmark_values(wordsim):
    spec, result, _, html = wordsim
    k = registry()["similarity-benchmark"]

    def val(name):
        return block_value(SimpleNamespace(kind=k, spec=spec, result=result), name, [], False)

    text = BeautifulSoup(html, "html.parser").get_text(" ")
    assert val("spearman").text == f"{result['spearman']:.3f}" and val("spearman").text in text
    assert val("pearson").text in text
    assert val("pairs").text == "353" and val("pairs_in_file").text == "353"
    assert val("skipped").text == str(result["skipped"])
    assert val("skipped_share").text in text


def test_simlex_counts_the_pair_outside_the_vocabulary(kv):
    _, result, _, _ = run(kv, "similarity-benchmark", "dataset: simlex999")
    k = registry()["similarity-benchmark"]
    spec = spec_of("similarity-benchmark", "dataset: simlex999")
    v = block_value(SimpleNamespace(kind=k, spec=spec, result=result), "pairs_in_file", [], False)
    assert v.text == "999" and len(result["pairs"]) + result["skipped"] == 999


# --- options and the cache key ------------------------------------------------------------------------

def test_options_defaults_and_what_joins_the_cache_key():
    spec = spec_of("analogy-benchmark", "")
    assert (spec.restrict_vocab, spec.case_insensitive, spec.published, spec.expect) == (300_000, True, [], {})
    k = registry()["analogy-benchmark"]
    assert set(k.options.result_inputs(spec)) == {"restrict_vocab", "case_insensitive"}
    s = registry()["similarity-benchmark"]
    assert set(s.options.result_inputs(spec_of("similarity-benchmark", WORDSIM))) == {"dataset", "restrict_vocab"}


@pytest.mark.parametrize("kind,source,message", [
    ("analogy-benchmark", "restrict_vocab: 500", "restrict_vocab"),
    ("analogy-benchmark", "restrict_vocab: 5000.0", "restrict_vocab"),
    ("analogy-benchmark", "expect: {total_above: 0.4}", "expect"),
    ("analogy-benchmark", "published: [{model: X}]", "published"),
    ("similarity-benchmark", "restrict_vocab: 10000", "dataset"),
    ("similarity-benchmark", "dataset: men3000", "dataset"),
])
def test_bad_options_are_rejected(kind, source, message):
    with pytest.raises(LexiconError, match=message):
        spec_of(kind, source)


def test_the_test_files_join_the_cache_key():
    a = compute_code(type(registry()["analogy-benchmark"]))
    s = compute_code(type(registry()["similarity-benchmark"]))
    assert list(a.data) == ["lexicon.relations.ANALOGY_SET"]
    # The analogy exercise grades by the same file's relations: it joins that exercise's key too.
    assert list(compute_code(type(registry()["analogy-exercise"])).data) == ["lexicon.relations.ANALOGY_SET"]
    assert {n.rsplit(".", 1)[1] for n in s.data} == {"WORDSIM353", "SIMLEX999"}
    assert "lexicon.evaluate:analogies" in a.symbols and "lexicon.evaluate:word_pairs" in s.symbols
    assert "lexicon.evaluate:gensim_analogies" not in a.symbols       # the bench's helper does not count
    assert "gensim" in a.packages and "gensim" in s.packages


# --- a build: prose quotes the measured numbers -------------------------------------------------------

def test_prose_quotes_the_benchmark_values_in_a_build(tmp_path):
    from project import build, make_project

    page = ("# Benchmarks\n\nThe file holds {{ qw.questions }} questions in {{ qw.sections }} sections; "
            "{{ qw.answered }} were answered, {{ qw.accuracy(family) }} of the family ones correctly. "
            "WordSim-353 has {{ ws.pairs_in_file }} pairs; Spearman's ρ is {{ ws.spearman }}.\n\n"
            "```analogy-benchmark\nid: qw\nrestrict_vocab: 1000\n```\n\n"
            "```similarity-benchmark\nid: ws\ndataset: wordsim353\n```\n")
    project = make_project(tmp_path / "p", {"page.md": page}, cache_dir=tmp_path / "cache")
    proc = build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    soup = BeautifulSoup((project / "site" / "page" / "index.html").read_text(), "html.parser")
    prose = soup.select_one("article p").get_text()
    m = re.search(r"holds ([\d,]+) questions in (\d+) sections; ([\d,]+) were answered, ([\d.]+ %) of the family "
                  r"ones correctly\. WordSim-353 has (\d+) pairs; Spearman's ρ is (0\.\d{3})\.", prose)
    assert m, prose
    assert m.group(1, 2, 5) == ("19,544", "14", "353")
    tables = soup.select(".ll-block--analogy-benchmark .ll-table")
    assert m.group(3) in tables[0].get_text(" ") and m.group(4) in tables[1].get_text(" ")
    assert m.group(6) in soup.select_one(".ll-block--similarity-benchmark .ll-table").get_text(" ")


# --- benchmark-exercise: is the gap between two benchmarks larger than resampling noise? -----------

EXERCISE = "datasets: [wordsim353, simlex999]\nresamples: 400\nseeds: 2\nanswer: wordsim353"


def test_resampled_spearman_equals_scipy_row_by_row():
    from scipy.stats import spearmanr

    from lexicon.blocks.evaluation._resample import interval, resampled_rho, spearman_rows

    rng = np.random.default_rng(3)
    x = rng.normal(size=(6, 40)).round(1)          # rounded: ties, which both rank as averages
    y = x + rng.normal(size=(6, 40))
    got = spearman_rows(x, y)
    assert got == pytest.approx([spearmanr(a, b).statistic for a, b in zip(x, y)], abs=1e-12)
    h, m = rng.normal(size=50), rng.normal(size=50)
    again = resampled_rho(h, m, 30, np.random.default_rng(0))
    idx = np.random.default_rng(0).integers(0, 50, size=(30, 50))
    assert again == pytest.approx([spearmanr(h[i], m[i]).statistic for i in idx], abs=1e-12)
    assert interval(np.arange(101.0)) == pytest.approx([2.5, 97.5])


def test_benchmark_exercise_grades_the_gap_on_the_real_files(kv):
    spec, result, claims, out = run(kv, "benchmark-exercise", EXERCISE)
    ws, sl = (evaluate.word_pairs(kv, d) for d in ("wordsim353", "simlex999"))
    assert result["rho"] == pytest.approx([ws["spearman"], sl["spearman"]])
    assert result["answer"] == "wordsim353" and all(c.ok for c in claims)
    assert all(s["diff"][0] > 0 for s in result["per_seed"])              # every seed: above 0
    for s in result["per_seed"]:                                            # each ρ inside its own interval
        for rho, (lo, hi) in zip(result["rho"], s["rho"]):
            assert lo < rho < hi
    assert "WordSim-353 scores higher" in out and "Neither: the gap is within resampling noise" in out
    _, _, claims, _ = run(kv, "benchmark-exercise", EXERCISE.replace("answer: wordsim353", "answer: neither"))
    assert not claims[0].ok and "it is 'wordsim353'" in claims[0].actual


def test_benchmark_exercise_refuses_an_answer_that_depends_on_the_seed(kv, monkeypatch):
    import lexicon.blocks.evaluation.benchmark_exercise as bx

    draws = iter([np.full(10, 0.5), np.full(10, 0.1),     # seed 0: first clearly higher
                  np.full(10, 0.3), np.full(10, 0.3)])    # seed 1: no gap
    monkeypatch.setattr(bx, "resampled_rho", lambda *a: next(draws))
    with pytest.raises(LexiconError) as err:
        run(kv, "benchmark-exercise", EXERCISE)
    assert "depends on the seed" in str(err.value) and "resamples" in err.value.fix
    assert bx._decide([-0.2, -0.1], ["a", "b"]) == "b" and bx._decide([-0.1, 0.1], ["a", "b"]) == "neither"


@pytest.mark.parametrize("source, message", [
    ("datasets: [wordsim353, wordsim353]", "datasets"),
    ("datasets: [wordsim353]", "datasets"),
    ("datasets: [wordsim353, men3000]", "datasets"),
    ("datasets: [wordsim353, simlex999]\nanswer: simlex", "not one of the choices"),
    ("datasets: [wordsim353, simlex999]\nresamples: 50", "resamples"),
])
def test_benchmark_exercise_bad_options_name_the_fix(source, message):
    with pytest.raises(LexiconError, match=message) as err:
        spec_of("benchmark-exercise", source)
    assert err.value.fix


def test_benchmark_exercise_cache_key_and_values(kv):
    k = registry()["benchmark-exercise"]
    spec, result, _, _ = run(kv, "benchmark-exercise", EXERCISE)
    assert set(k.options.result_inputs(spec)) == {"datasets", "restrict_vocab", "resamples", "seeds", "seed"}
    assert {n.rsplit(".", 1)[1] for n in compute_code(type(k)).data} == {"WORDSIM353", "SIMLEX999"}
    val = lambda name, *a: block_value(SimpleNamespace(kind=k, spec=spec, result=result), name, list(a), False)  # noqa: E731
    assert val("winner").text == "wordsim353"
    assert val("rho", "simlex999").text == f"{result['rho'][1]:.3f}"
    assert float(val("diff_low").text) <= float(val("diff_high").text)
    with pytest.raises(LexiconError, match="not one of the exercise's datasets"):
        val("rho", "men3000")
    # the pairs both files hold, read from the files directly
    from gensim.test.utils import datapath

    def read(name):
        rows = [line.rstrip("\n").split("\t") for line in open(datapath(name), encoding="utf8")
                if line.strip() and not line.startswith("#")]
        return {frozenset((a.lower(), b.lower())): float(x) for a, b, x in rows}
    ws, sl = read("wordsim353.tsv"), read("simlex999.txt")
    both = set(ws) & set(sl)
    assert len(result["shared"]) == len(both) > 5             # GloVe 6B knows every word of these pairs
    for a, b in (("closet", "clothes"), ("professor", "student"), ("man", "woman")):
        key = frozenset((a, b))
        assert val("score", "wordsim353", a, b).number == ws[key] and val("score", "simlex999", b, a).number == sl[key]
    assert val("shared").number == len(both)
    with pytest.raises(LexiconError, match="not in both files"):
        val("score", "simlex999", "coffee", "cup")
