"""The benchmarks: the batched analogy evaluator equals gensim's, the pages show the measures."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from bs4 import BeautifulSoup
from gensim.models import KeyedVectors

from lexicon import evaluate

SAMPLE = ["capital-common-countries", "family", "gram3-comparative"]


def _sample_file(tmp_path, sections, per_section=120):
    """A questions file with a few sections of the real one (every 4th question: all kinds)."""
    out, keep = [], False
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
    a, b, human, cos = r["pairs"][0]
    assert cos == pytest.approx(float(kv.similarity(a.lower(), b.lower())), abs=1e-5)


@pytest.mark.site
def test_benchmarks_page_shows_measured_beside_published(built_site):
    soup = BeautifulSoup((built_site / "benchmarks" / "index.html").read_text(), "html.parser")
    blocks = soup.select(".ll-benchmark")
    assert len(blocks) == 3
    text = blocks[0].get_text(" ")
    assert "71.7 %" in text and "not reported" in text and "measured on this site" in text
    acc = re.search(r"Total\s+([\d,]+)\s+([\d,]+)\s+([\d.]+) %", text)
    assert acc and 30 < float(acc.group(3)) < 80
    fig = json.loads(blocks[0].select_one(".ll-plot")["data-figure"])
    assert len(fig["data"][0]["y"]) == 14                     # every section of questions-words.txt
    scatter = json.loads(blocks[1].select_one(".ll-plot")["data-figure"])
    assert scatter["data"][0]["type"] == "scatter" and len(scatter["data"][0]["x"]) == 353
    assert "0.658" in blocks[1].get_text(" ")


@pytest.mark.site
def test_claims_audit_lists_every_claim_and_links_resolve(built_site):
    soup = BeautifulSoup((built_site / "claims" / "index.html").read_text(), "html.parser")
    rows = soup.select("article table tbody tr")
    summary = next(p.get_text(" ") for p in soup.select("article p") if re.search(r"\d+ claims", p.get_text(" ")))
    n = int(re.search(r"(\d+) claims", summary).group(1))
    assert len(rows) == n and n > 50
    kinds = {r.select_one("small").get_text() for r in rows}
    assert {"analogy", "analogy-benchmark", "notebook check"} <= kinds, kinds
    assert "all of them hold" in summary
    for row in rows:
        a = row.select_one("a")
        page, _, anchor = a["href"].partition("#")
        target = (built_site / "claims" / page / "index.html").resolve()
        assert target.exists(), a["href"]
        if anchor:   # a notebook's checks link to the notebook page itself
            assert f'id="{anchor}"' in target.read_text(), a["href"]
