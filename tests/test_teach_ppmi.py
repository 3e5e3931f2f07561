"""The ppmi kind: a word's contexts by raw count and by PPMI in gensim's Lee corpus.

Every count and PPMI is checked against a second computation: a full word × context co-occurrence
matrix built here with numpy and scipy from the corpus file, and PPMI taken from its marginals.
No embedding model is used (the block's compute ignores it), so the tests pass ``kv=None``.
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
from scipy import sparse

from blocktest import EVIL, quote, run, spec_of
from lexicon.engine.deps import compute_code
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

KIND = "ppmi"
CLAIMS = ("word: police\nexpect:\n  - top_count(police) = the\n  - top_ppmi(police) = officers\n"
          "  - ppmi(police, arrested) > ppmi(police, the)\n  - ppmi(police, the) = 0\n"
          "  - ppmi(police, brutality) > ppmi(police, officers)\n  - count(police, brutality) < 5\n"
          "  - ppmi_rank(police, arrested) <= 3\n  - pmi(police, the) < 0\n  - count_rank(police, the) = 1")


def value(spec, result, name, *args):
    return quote(KIND, spec, result, name, *args)


def cooccurrence_matrix(window: int):
    """Every (word, context) pair within ``window`` words, inside one story: a sparse count matrix."""
    stories = [simple_preprocess(line) for line in
               Path(datapath("lee_background.cor")).read_text(encoding="utf-8").splitlines()]
    vocab = sorted({w for s in stories for w in s})
    index = {w: i for i, w in enumerate(vocab)}
    rows, cols = [], []
    for s in stories:
        ids = np.array([index[w] for w in s], dtype=np.int64)
        for d in range(1, window + 1):   # both directions: a pair at distance d, each word the other's context
            rows += [ids[:-d], ids[d:]] if len(ids) > d else []
            cols += [ids[d:], ids[:-d]] if len(ids) > d else []
    r, c = np.concatenate(rows), np.concatenate(cols)
    m = sparse.coo_matrix((np.ones(len(r)), (r, c)), shape=(len(vocab), len(vocab))).tocsr()
    return m, vocab, index


def independent_ppmi(word: str, window: int, alpha: float = 1.0):
    """count(word, c) and PPMI(word, c) for every context c, from the matrix's marginals."""
    m, vocab, index = cooccurrence_matrix(window)
    n = m.sum()
    col = np.asarray(m.sum(axis=0)).ravel()
    assert np.array_equal(col, np.asarray(m.sum(axis=1)).ravel())   # a symmetric window: count(c,·) = count(·,c)
    row = m.getrow(index[word]).toarray().ravel()
    p_c = col ** alpha / (col ** alpha).sum()
    seen = np.flatnonzero(row)
    pmi = np.log2((row[seen] / n) / ((row.sum() / n) * p_c[seen]))
    return {vocab[j]: (int(row[j]), float(max(p, 0.0)), float(p)) for j, p in zip(seen, pmi)}, int(n)


@pytest.mark.parametrize("alpha", [1.0, 0.75])
def test_counts_and_ppmi_equal_an_independent_matrix(alpha):
    spec, result, _, _ = run(None, KIND, f"word: police\nwindow: 4\nsmoothing: {alpha}\nmin_count: 3\ntopn: 10")
    want, n = independent_ppmi("police", 4, alpha)
    assert result["pairs"] == n and result["row_total"] == sum(v[0] for v in want.values())
    assert set(result["contexts"]) == set(want)
    for c, (count, ppmi, pmi) in want.items():
        got = result["contexts"][c]
        assert got[0] == count, c
        assert got[2] == pytest.approx(ppmi, abs=1e-4) and got[1] == pytest.approx(pmi, abs=1e-4), c
    # The two tables: by count (ties alphabetical), by PPMI among contexts seen 3+ times.
    by_count = sorted(want, key=lambda c: (-want[c][0], c))[:10]
    eligible = [c for c in want if want[c][0] >= 3]
    by_ppmi = sorted(eligible, key=lambda c: (-round(want[c][1], 4), -want[c][0], c))[:10]
    assert result["by_count"] == by_count and result["by_ppmi"] == by_ppmi


def test_raw_counts_are_led_by_function_words_and_ppmi_by_informative_ones():
    from gensim.parsing.preprocessing import STOPWORDS

    spec, result, claims, out = run(None, KIND, CLAIMS)
    assert all(c.ok for c in claims), [c.actual for c in claims if not c.ok]
    assert all(c.against == "the corpus" for c in claims)
    function_words = [sum(c in STOPWORDS for c in result[t]) for t in ("by_count", "by_ppmi")]
    assert function_words[0] >= 6 and function_words[1] < function_words[0]
    assert not any(c in STOPWORDS for c in result["by_ppmi"][:2])
    assert result["contexts"]["the"][2] == 0.0 and result["contexts"]["the"][1] < 0   # clipped at 0
    # Deterministic: a second computation is the same, byte for byte.
    kind = registry()[KIND]
    assert json.dumps(kind.compute(None, spec)) == json.dumps(kind.compute(None, spec))


def test_rare_pairs_are_shown_left_out_by_min_count():
    spec, result, _, out = run(None, KIND, "word: police")
    contexts, top = result["contexts"], result["contexts"][result["by_ppmi"][0]][2]
    assert result["rare"] and all(contexts[c][0] < 5 for c in result["rare"])
    shown = [c for c in result["rare"] if contexts[c][2] > top]
    assert shown and "Left out because they occur fewer than 5 times" in out
    for c in shown:
        assert f"<em>{c}</em>, PPMI {value(spec, result, 'ppmi', 'police', c).text} from " in out
    # The note says how many left-out contexts tie at the top, and explains more meetings than occurrences.
    best = contexts[result["rare"][0]][2]
    tied = [c for c, v in contexts.items() if v[0] < 5 and v[2] == best]
    assert result["rare_tied"] == len(tied) == 4 and "three of the four contexts tied at that PPMI; the other: <em>scandals</em>" in out
    assert any(contexts[c][0] > contexts[c][3] for c in shown)
    assert out.count("more than once within 5 words of it") == 1 and "Each occurs once in the whole corpus" in out
    # With min_count 1 the rare pairs lead the PPMI table, on one or two sightings.
    _, loose, _, _ = run(None, KIND, "word: police\nmin_count: 1")
    assert loose["by_ppmi"][0] in result["rare"] and loose["contexts"][loose["by_ppmi"][0]][0] <= 2


def test_values_read_as_the_tables():
    spec, result, _, out = run(None, KIND, "word: police")
    cells = re.findall(r"<td>([^<]+)</td>\n<td class=\"ll-num\">(\d+)</td>\n<td class=\"ll-num\">([^<]+)</td>", out)
    assert len(cells) == 16
    for context, count, ppmi in cells:
        assert value(spec, result, "count", "police", context).text == count
        assert value(spec, result, "ppmi", "police", context).text == ppmi
    assert value(spec, result, "rank", "police", "the", "count").number == 1
    assert value(spec, result, "rank", "police", result["by_ppmi"][1], "ppmi").text == "2"
    assert value(spec, result, "count", "police", "cricket").number == 0          # never near police
    assert value(spec, result, "ppmi", "police", "cricket").text == "0.0000"
    assert value(spec, result, "pmi", "police", "the").text.startswith("\u2212")
    assert value(spec, result, "pairs").text == f"{result['pairs']:,}"
    assert f"{value(spec, result, 'occurrences', 'police').text} times" in out
    with pytest.raises(LexiconError, match="not the block's word"):
        value(spec, result, "count", "troops", "the")
    with pytest.raises(LexiconError, match="no ppmi rank"):
        value(spec, result, "rank", "police", "brutality", "ppmi")   # below min_count
    with pytest.raises(LexiconError, match="not a ranking"):
        value(spec, result, "rank", "police", "the", "pmi")
    with pytest.raises(LexiconError, match="minus infinity"):
        value(spec, result, "pmi", "police", "cricket")


def test_false_claims_fail_and_say_what_the_corpus_says():
    src = ("word: police\nexpect:\n  - top_count(police) = arrested\n  - ppmi(police, the) > ppmi(police, arrested)\n"
           "  - top_ppmi(police) = the\n  - count(police, the) = 54\n  - ppmi_rank(police, brutality) <= 8\n"
           "  - pmi(police, cricket) < 0")
    _, _, claims, out = run(None, KIND, src)
    assert [c.ok for c in claims] == [False] * 6
    assert "by count: the (55)" in claims[0].actual
    assert "ppmi(police, the) = 0.0000" in claims[1].actual
    assert "count(police, the) = 55" in claims[3].actual
    assert "'brutality' has no ppmi rank" in claims[4].actual
    assert "never occurs near 'police'" in claims[5].actual
    assert "False claim" in out


def test_bad_input_names_the_problem_and_the_fix():
    with pytest.raises(LexiconError) as err:
        run(None, KIND, "word: zebra")
    assert "occurs 0 times in the corpus" in str(err.value) and err.value.fix and err.value.word == "zebra"
    with pytest.raises(LexiconError) as err:
        spec_of(KIND, "word: police\nexpect:\n  - ppmi(troops, the) > 0")
    assert "the block's word is 'police'" in str(err.value) and "word: troops" in err.value.fix
    with pytest.raises(LexiconError) as err:
        spec_of(KIND, "word: police\nexpect:\n  - police likes arrested")
    assert "cannot read the claim" in str(err.value) and "top_count(police) = the" in err.value.fix
    with pytest.raises(LexiconError) as err:
        run(None, KIND, "word: qantas\nwindow: 1\nmin_count: 50")
    assert "no context occurs 50 times" in str(err.value) and "lower 'min_count'" in err.value.fix
    for bad in ("smoothing: 0", "smoothing: 1.5", "min_count: 0", "window: 2.0"):
        with pytest.raises(LexiconError):
            spec_of(KIND, f"word: police\n{bad}")


def test_cache_key_corpus_and_escaping():
    kind = registry()[KIND]
    inputs = kind.options.result_inputs(spec_of(KIND, "word: police\ncaption: x\ncode: false\n"
                                                      "expect:\n  - top_count(police) = the"))
    assert set(inputs) == {"word", "window", "min_count", "smoothing", "topn"}
    key = compute_code(type(kind))
    assert "lexicon.blocks.text._corpus.LEE" in key.data and "gensim" in key.packages
    assert not any(s.startswith(("lexicon.render", "lexicon.figures")) for s in key.symbols)
    assert kind.words(spec_of(KIND, "word: police")) == []   # no model vocabulary check
    _, _, _, out = run(None, KIND, f"word: police\ncaption: {json.dumps(EVIL)}")
    assert EVIL not in out and html.escape(EVIL, quote=False) in out
    assert "no embedding model is used" in out and "Computed at build time from <strong>" not in out


def test_example_computes_and_its_claims_hold():
    kind = registry()[KIND]
    _, _, claims, out = run(None, KIND, kind.example)
    assert claims and all(c.ok for c in claims)
    assert out.count("<table>") == 2 and 'class="grid ll-ppmi"' in out
