"""The zipf kind: Zipf's law counted in gensim's Lee corpus.

Every number is checked against a second computation made here from the corpus file directly
(scikit-learn's CountVectorizer for the counts, scipy's linregress for the slope, numpy for the
shares and the hapax legomena); false claims fail; bad input is refused with a fix; the values
prose can quote read as the block's own tables do.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pytest
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

from blocktest import quote, run, spec_of
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

SRC = ("fit: [10, 1000]\ntop: [10, 100, 1000]\nwords: [the, police, cricket]\n"
       "expect:\n  - slope between -1.2 and -0.8\n  - share(100) > 0.4\n  - hapax > 3000\n"
       "  - rank(the) = 1\n  - count(police) > count(troops)\n  - share(1000) > 75%")


def value(spec, result, name, *args):
    return quote("zipf", spec, result, name, *args)


def figures_in(out):
    return [json.loads(html.unescape(m)) for m in re.findall(r"data-figure='([^']*)'", out)]


@pytest.fixture(scope="module")
def independent():
    """Counts of the Lee corpus by scikit-learn, ranked by numpy: (words by rank, counts by rank)."""
    from sklearn.feature_extraction.text import CountVectorizer

    lines = Path(datapath("lee_background.cor")).read_text(encoding="utf-8").splitlines()
    cv = CountVectorizer(analyzer=simple_preprocess, lowercase=False)
    totals = np.asarray(cv.fit_transform(lines).sum(axis=0)).ravel()
    names = cv.get_feature_names_out()
    order = np.lexsort((names, -totals))        # by count, highest first; then alphabetically
    return [str(w) for w in names[order]], totals[order]


@pytest.fixture(scope="module")
def block():
    return run(None, "zipf", SRC)


def test_counts_ranks_shares_and_hapax_match_an_independent_count(block, independent):
    words, counts = independent
    spec, result, claims, out = block
    assert result["tokens"] == counts.sum() and result["types"] == len(counts)
    assert result["hapax"] == (counts == 1).sum() == 3026
    for n, covered, share in result["shares"]:
        assert covered == counts[:n].sum() and share == pytest.approx(counts[:n].sum() / counts.sum(), abs=1e-5)
    assert [s[0] for s in result["shares"]] == [10, 100, 1000]
    for w in ("the", "police", "cricket", "troops"):     # troops is named by a claim only
        assert result["words"][w] == [counts[words.index(w)], words.index(w) + 1]
    assert all([w, c] == [words[r - 1], counts[r - 1]] for r, w, c in result["sample"])
    assert counts[3955 - 1] == 2 and counts[3956 - 1] == 1    # the sample's first word seen once
    # The staircase is every rank's count, run-length encoded: expanding it gives the counts back.
    expanded = [c for c, first, last, _ in result["steps"] for _ in range(first, last + 1)]
    assert expanded == counts.tolist()
    assert all(ws == words[first - 1:first - 1 + len(ws)] for _, first, _, ws in result["steps"])
    assert all(c.ok for c in claims), [c.actual for c in claims if not c.ok]


def test_the_slope_is_the_least_squares_line_on_log_axes(block, independent):
    from scipy.stats import linregress

    _, counts = independent
    spec, result, _, out = block
    ranks = np.arange(1, len(counts) + 1)
    fit = linregress(np.log(ranks[9:1000]), np.log(counts[9:1000]))
    assert result["fit"]["slope"] == pytest.approx(fit.slope, abs=1e-4)
    assert result["fit"]["intercept"] == pytest.approx(fit.intercept / np.log(10), abs=1e-4)
    assert -1.2 < result["fit"]["slope"] < -0.8
    # Another range gives another slope: the option reaches the fit.
    _, other, _, _ = run(None, "zipf", "fit: [1, 6981]")
    whole = linregress(np.log(ranks), np.log(counts))
    assert other["fit"]["slope"] == pytest.approx(whole.slope, abs=1e-4) != result["fit"]["slope"]


def test_the_figure_is_log_log_with_the_fitted_line_and_the_marked_words(block):
    spec, result, _, out = block
    (fig,) = figures_in(out)
    assert fig["layout"]["xaxis"]["type"] == fig["layout"]["yaxis"]["type"] == "log"
    observed, line, marked = fig["data"]
    assert observed["x"][0] == 1 and observed["y"][0] == result["words"]["the"][0]
    assert observed["x"][-1] == result["types"] and observed["y"][-1] == 1
    (x0, x1), (y0, y1) = line["x"], line["y"]
    assert (x0, x1) == (10, 1000)
    assert np.log10(y1 / y0) / np.log10(x1 / x0) == pytest.approx(result["fit"]["slope"], abs=1e-3)
    assert marked["text"] == ["the", "police", "cricket"]
    assert marked["x"] == [result["words"][w][1] for w in marked["text"]]
    assert 'aria-label="Log–log line chart' in out and "Numbers behind this figure" in out
    # The folded table: sample ranks with their word, count and (inside the fitted ranks) the fitted line.
    assert [r for r, _, _ in result["sample"]] == [1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 3956, 5000,
                                                   6981]
    assert "<td>concern</td>\n<td class=\"ll-num\">8</td>\n<td class=\"ll-num\">8.7</td>" in out
    assert "<td>aamer</td>" in out and "A sample of the 6,981 ranks." in out
    assert "Computed at build time from gensim’s Lee corpus" in out


def test_values_read_as_the_block_writes_them(block):
    spec, result, _, out = block
    slope = value(spec, result, "slope")
    assert slope.text == "−0.90" and slope.number == result["fit"]["slope"]
    share = value(spec, result, "share", "100")
    assert share.text == "46.4%" and f">{share.text}<" in out
    assert value(spec, result, "hapax").text == "3,026" and "<strong>3,026</strong>" in out
    assert value(spec, result, "types").text == "6,981" and value(spec, result, "tokens").text == "58,152"
    assert value(spec, result, "hapax_types").text == "43.3%" and "(43.3% of them)" in out
    assert value(spec, result, "hapax_tokens").text == "5.2%"
    assert value(spec, result, "fitted_ranks").text == "10–1,000"
    assert value(spec, result, "count", "police").number == result["words"]["police"][0]
    assert value(spec, result, "rank", "the").text == "1"
    with pytest.raises(LexiconError, match="no share for the top 50") as e:
        value(spec, result, "share", "50")
    assert "add 50 to 'top'" in e.value.fix
    with pytest.raises(LexiconError, match="'kangaroo' is not one of the block's words"):
        value(spec, result, "count", "kangaroo")


def test_false_claims_fail_and_say_what_the_corpus_says():
    src = ("expect:\n  - slope between -0.8 and -0.5\n  - share(100) > 0.5\n  - hapax < 3000\n"
           "  - rank(police) < rank(cricket)\n  - rank(police) = 2\n  - count(troops) > count(police)\n"
           "  - rank(selfie) < 10\n  - types > 10000")
    _, _, claims, out = run(None, "zipf", src)
    assert [c.ok for c in claims] == [False, False, False, True, False, False, False, False]
    assert claims[0].actual == "the least-squares slope is −0.8992"
    assert claims[1].actual.startswith("the 100 most frequent words cover 26,994 of 58,152 tokens")
    assert claims[6].actual == "“selfie” does not occur"
    assert "False claim" in out
    # The same claims with the other bound hold: a claim is a real check, both ways.
    _, _, claims, _ = run(None, "zipf", "expect:\n  - share(100) < 50%\n  - hapax = 3026\n  - count(selfie) = 0")
    assert [c.ok for c in claims] == [True, True, True]


@pytest.mark.parametrize("source, message, fix", [
    ("fit: [1000, 10]", "the first rank must be the lower one", "fit: [10, 1000]"),
    ("fit: [10, 10000]", "'fit' goes to rank 10,000, but the corpus has only 6,981 word types", "up to 6,981"),
    ("top: [100000]", "top 100,000 words is asked for", "up to 6,981"),
    ("expect: ['share(9000) > 0.5']", "top 9,000 words is asked for", "claims"),
    ("words: [Police]", "'Police' does not occur in the corpus .*close words that it has: police", "lower case"),
    ("expect: ['slope is about -1']", "cannot read the claim", "slope between -1.2 and -0.8"),
    ("expect: ['slope = -0.9']", "equality of a measured number", "between"),
    ("expect: ['share(100) > 40']", "not a fraction", "40%"),
    ("fit: [10.5, 100]", "10.5 is not a whole number", "whole number"),
    ("fit: [10]", "'fit': \\[10\\] is too short", "fit: [10, 1000]"),
    ("top: [0]", "0 is less than the minimum of 1", "top: [10, 100]"),
])
def test_bad_input_is_refused_with_a_fix(source, message, fix):
    with pytest.raises(LexiconError, match=message) as e:
        run(None, "zipf", source)
    assert fix in (e.value.fix or "")


def test_the_example_is_quick_and_deterministic():
    import time

    kind = registry()["zipf"]
    spec = spec_of("zipf", kind.example)
    kind.compute(None, spec)                     # the corpus is read once per build
    started = time.perf_counter()
    first = kind.compute(None, spec)
    assert time.perf_counter() - started < 0.5
    assert json.dumps(first) == json.dumps(kind.compute(None, spec))
    # Claims name words and sizes the result must hold, so they are part of the cache key.
    inputs = kind.options.result_inputs(spec)
    assert inputs["expect"] == ["slope between -1.2 and -0.8", "share(100) > 0.4"]
    assert "caption" not in inputs and "figure" not in inputs
