"""The tfidf kind: one story's words by raw count and by TF-IDF in gensim's Lee corpus.

Every count, document frequency, idf and weight is checked against a second computation made here
with collections.Counter and numpy straight from the corpus file, with the formula the block states:
idf = ln((1 + n) / (1 + df)) + 1, weight = count × idf, each story's row scaled to length 1. False
claims fail; bad input is refused with a fix; the values prose quotes read as the tables do.
No embedding model is used, so the tests pass ``kv=None``.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from gensim.parsing.preprocessing import STOPWORDS
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

from blocktest import EVIL, quote, run, spec_of
from lexicon.engine.deps import compute_code
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

KIND = "tfidf"
PAGE = ("containing: qantas\nexpect:\n  - top_count = the\n  - top_count in stopwords\n  - top_tfidf = qantas\n"
        "  - top_tfidf not in stopwords\n  - stopwords(count) > stopwords(tfidf)\n  - stopwords(tfidf) = 0\n"
        "  - count(the) > count(qantas)\n  - tfidf(qantas) > tfidf(the)\n  - idf(the) = 1\n  - df(the) = 300\n"
        "  - tfidf(the) > 0\n  - tfidf_rank(pay) <= 3\n  - count_rank(the) = 1\n  - df(involving) < 5")


def value(spec, result, name, *args):
    return quote(KIND, spec, result, name, *args)


def figures_in(out):
    return [json.loads(html.unescape(m)) for m in re.findall(r"data-figure='([^']*)'", out)]


@pytest.fixture(scope="module")
def stories():
    lines = Path(datapath("lee_background.cor")).read_text(encoding="utf-8").splitlines()
    return [simple_preprocess(line) for line in lines]


def independent(stories, index: int):
    """{word: (count, df, idf, weight)} for one story, from Counter and numpy; and the row's length."""
    n = len(stories)
    df = Counter(w for s in stories for w in set(s))
    counts = Counter(stories[index])
    words = sorted(counts)
    c = np.array([counts[w] for w in words], dtype=float)
    idf = np.log((1 + n) / (1 + np.array([df[w] for w in words], dtype=float))) + 1
    raw = c * idf
    weight = raw / np.linalg.norm(raw)
    return {w: (int(c[i]), df[w], float(idf[i]), float(weight[i])) for i, w in enumerate(words)}, float(
        np.linalg.norm(raw))


@pytest.mark.parametrize("src, index", [("containing: qantas", None), ("story: 13\ntopn: 12", 12),
                                        ("story: 300\ntopn: 3", 299), ("story: 1", 0)])
def test_counts_idf_and_weights_equal_an_independent_computation(stories, src, index):
    if index is None:   # the first story that contains the word
        index = next(i for i, s in enumerate(stories) if "qantas" in s)
        assert index == 67
    spec, result, _, _ = run(None, KIND, src)
    want, norm = independent(stories, index)
    assert result["story"] == index + 1 and result["stories"] == len(stories) == 300
    assert result["tokens"] == len(stories[index]) and set(result["words"]) == set(want)
    for w, (count, df, idf, weight) in want.items():
        got = result["words"][w]
        assert got[:2] == [count, df], w
        assert got[2] == pytest.approx(idf, abs=1e-4) and got[3] == pytest.approx(weight, abs=1e-4), w
        assert got[4] == int(w in STOPWORDS), w
    assert result["norm"] == pytest.approx(norm, abs=1e-4)
    assert result["idf_one"] == pytest.approx(math.log(301 / 2) + 1, abs=1e-4)
    # The rows are unit vectors, as norm='l2' makes them.
    assert sum(v[3] ** 2 for v in want.values()) == pytest.approx(1.0)
    # The two tables: by count (ties alphabetical), by weight as shown (ties by count, then alphabetical).
    topn = spec.topn
    assert result["by_count"] == sorted(want, key=lambda w: (-want[w][0], w))[:topn]
    assert result["by_tfidf"] == sorted(want, key=lambda w: (-round(want[w][3], 4), -want[w][0], w))[:topn]
    assert result["opening"] == " ".join(stories[index][:30])


def test_raw_counts_are_led_by_stop_words_and_tfidf_by_the_storys_own_words():
    spec, result, claims, out = run(None, KIND, PAGE)
    assert all(c.ok for c in claims), [c.actual for c in claims if not c.ok]
    assert all(c.against == "the corpus" for c in claims)
    words = result["words"]
    assert sum(words[w][4] for w in result["by_count"]) >= 4
    assert not any(words[w][4] for w in result["by_tfidf"])
    assert words["the"][1] == 300 and words["the"][2] == 1.0 and words["the"][3] > 0   # down-weighted, not removed
    # Every word's weight is count × idf over one length: its point lies between the two lines of the chart.
    for count, _, idf, weight, _ in words.values():
        assert count * 1.0 / result["norm"] - 1e-4 <= weight <= count * result["idf_one"] / result["norm"] + 1e-4
        assert weight == pytest.approx(count * idf / result["norm"], abs=2e-4)
    # Deterministic: a second computation is the same, byte for byte.
    kind = registry()[KIND]
    assert json.dumps(kind.compute(None, spec)) == json.dumps(kind.compute(None, spec))


def test_the_tables_figure_and_numbers_read_as_the_result():
    spec, result, _, out = run(None, KIND, "containing: qantas")
    num = r'\n<td class="ll-num">([^<]+)</td>'
    rows = re.findall(r'<th scope="row" class="ll-num">(\d+)</th>\n<td>([^<]+)</td>' + num * 4, out)
    assert len(rows) == 16
    for rank, word, count, df, idf, weight in rows:
        w = word.removesuffix(" *")
        assert (word != w) == bool(result["words"][w][4])
        assert value(spec, result, "count", w).text == count and value(spec, result, "df", w).text == df
        assert value(spec, result, "idf", w).text == idf and value(spec, result, "tfidf", w).text == weight
    assert [r[1].removesuffix(" *") for r in rows] == result["by_count"] + result["by_tfidf"]
    (fig,) = figures_in(out)
    other, stop, every, only = fig["data"]
    assert (every["name"], only["name"]) == ("a word in every story (idf 1)", "a word in this story only")
    for line, idf in ((every, 1.0), (only, result["idf_one"])):
        assert line["y"][1] == pytest.approx(line["x"][1] * idf / result["norm"], abs=1e-4)
    points = sum(len(t["customdata"]) for t in (other, stop))
    shown = {w for t in (other, stop) for d in t["customdata"] for w in d.split(", ")}
    assert points <= len(result["words"]) and shown == set(result["words"])   # equal points share a marker
    assert all(x == result["words"][d.split(", ")[0]][0]
               for t in (other, stop) for x, d in zip(t["x"], t["customdata"]))
    assert "qantas" in other["text"] and "the" in stop["text"]
    assert 'aria-label="Scatter chart of the 52 distinct words of story 68' in out
    assert out.count("<tr><th scope=\"row\">") == len(result["words"])   # the folded table: every word
    assert "the first that contains “qantas”" in out and "“pay freeze dispute involving qantas" in out
    assert "idf = ln((1 + 300) / (1 + df)) + 1" in out and f"/ {value(spec, result, 'idf_one').text}" not in out
    assert "no embedding model" in out and "TfidfVectorizer" in out


def test_the_code_shown_prints_the_tfidf_table(capsys):
    from lexicon.engine.pieces import Code

    kind = registry()[KIND]
    spec, result, _, _ = run(None, KIND, "containing: qantas")
    (code,) = [p for p in kind.render(spec, result, None) if isinstance(p, Code)]
    assert "i = 67" in code.source and "story 68" in code.source
    exec(compile(code.source, "shown", "exec"), {})
    printed = [line.split() for line in capsys.readouterr().out.splitlines()]
    w = result["words"]
    assert [[t, int(c), int(df), float(idf), float(x), stop] for t, c, df, idf, x, stop in printed] == \
        [[t, w[t][0], w[t][1], w[t][2], w[t][3], str(bool(w[t][4]))] for t in result["by_tfidf"]]


def test_values_quote_the_tables():
    spec, result, _, _ = run(None, KIND, "containing: qantas")
    assert value(spec, result, "stories").text == "300" and value(spec, result, "story_number").text == "68"
    assert value(spec, result, "tokens").number == 62
    assert value(spec, result, "top", "count").text == "the" and value(spec, result, "top", "tfidf").text == "qantas"
    assert value(spec, result, "top", "tfidf", "2").text == "pay"
    assert value(spec, result, "rank", "qantas", "count").text == "5"
    assert value(spec, result, "stopwords", "count").text == "4"
    assert value(spec, result, "stopwords", "tfidf").number == 0
    assert value(spec, result, "idf", "the").text == "1.0000" and value(spec, result, "idf_one").text == "6.0140"
    assert value(spec, result, "count", "police").number == 0
    assert value(spec, result, "tfidf", "police").text == "0.0000"
    with pytest.raises(LexiconError, match="'police' does not occur in story 68"):
        value(spec, result, "df", "police")
    with pytest.raises(LexiconError, match="not a ranking"):
        value(spec, result, "top", "ppmi")
    with pytest.raises(LexiconError, match="not between 1 and 52"):
        value(spec, result, "top", "count", "53")
    with pytest.raises(LexiconError, match="not a table"):
        value(spec, result, "stopwords", "idf")
    # distinct and repeated words, counted from the story's tokens directly
    toks = Counter(simple_preprocess(open(datapath("lee_background.cor"), encoding="utf-8").read().splitlines()[67]))
    assert value(spec, result, "distinct").number == len(toks) == 52
    repeated = [w for w, n in toks.items() if n > 1]
    assert value(spec, result, "repeated").number == len(repeated) == 6
    assert value(spec, result, "repeated", "stopwords").number == sum(w in STOPWORDS for w in repeated) == 4
    with pytest.raises(LexiconError, match="not a subset"):
        value(spec, result, "repeated", "idf")


def test_false_claims_fail_and_say_what_the_corpus_says():
    src = ("containing: qantas\nexpect:\n  - top_count = qantas\n  - top_tfidf = the\n  - top_count not in stopwords\n"
           "  - top_tfidf in stopwords\n  - tfidf(the) > tfidf(qantas)\n  - idf(the) = 0\n  - df(police) > 3\n"
           "  - stopwords(tfidf) > stopwords(count)\n  - tfidf_rank(the) <= 8\n  - count(qantas) >= 3")
    _, _, claims, out = run(None, KIND, src)
    assert [c.ok for c in claims] == [False] * 10
    assert claims[0].actual == "by raw count: the (4), and (3), in (3)"
    assert claims[1].actual.startswith("by TF-IDF: qantas (0.2970), pay (0.2712)")
    assert claims[2].statement == "the top word of story 68 by raw count is not a stop word"
    assert "'the' is in gensim's stop word list" in claims[2].actual
    assert "'qantas' is not in gensim's stop word list" in claims[3].actual
    assert claims[4].actual == "tfidf(the) = 0.1378; tfidf(qantas) = 0.2970"
    assert claims[5].actual == "idf(the) = 1.0000"
    assert claims[6].actual == "'police' does not occur in story 68, so it has no df here"
    assert claims[7].actual.startswith("0 of the top 8 words by TF-IDF are stop words; 4 of the top 8")
    assert claims[8].actual.startswith("tfidf_rank(the) = ") and claims[9].actual == "count(qantas) = 2"
    assert "False claim" in out


def test_bad_input_names_the_problem_and_the_fix():
    for src in ("topn: 5", "story: 3\ncontaining: qantas"):
        with pytest.raises(LexiconError) as err:
            spec_of(KIND, src)
        assert "exactly one of 'story' and 'containing'" in str(err.value) and "containing: qantas" in err.value.fix
    with pytest.raises(LexiconError) as err:
        run(None, KIND, "story: 301")
    assert "the corpus has 300 stories" in str(err.value) and "from 1 to 300" in err.value.fix
    with pytest.raises(LexiconError) as err:
        run(None, KIND, "containing: qantaz")
    assert "no story in the corpus" in str(err.value) and "qantas" in str(err.value) and "lower case" in err.value.fix
    with pytest.raises(LexiconError) as err:
        spec_of(KIND, "story: 3\nexpect:\n  - qantas beats the")
    assert "cannot read the claim" in str(err.value) and "top_count = the" in err.value.fix
    for bad in ("story: 0", "story: 2.0", "story: 3\ntopn: 2", "story: 3\ntopn: 21", "story: 3\nsmooth: false"):
        with pytest.raises(LexiconError):
            spec_of(KIND, bad)


def test_cache_key_corpus_and_escaping():
    kind = registry()[KIND]
    inputs = kind.options.result_inputs(spec_of(KIND, "story: 3\ncaption: x\nfigure: false\ncode: false\n"
                                                      "expect:\n  - top_count = the"))
    assert set(inputs) == {"story", "containing", "topn"}
    key = compute_code(type(kind))
    assert "lexicon.blocks.text._corpus.LEE" in key.data and {"gensim", "scikit-learn"} <= set(key.packages)
    assert not any(s.startswith(("lexicon.render", "lexicon.figures")) for s in key.symbols)
    assert kind.words(spec_of(KIND, "containing: qantas")) == []   # no model vocabulary check
    _, _, _, out = run(None, KIND, f"story: 3\ncaption: {json.dumps(EVIL)}")
    assert EVIL not in out and html.escape(EVIL, quote=False) in out
    _, _, _, table_only = run(None, KIND, "story: 3\nfigure: false")
    assert "data-figure" not in table_only and table_only.count("<table>") == 3


def test_example_computes_and_its_claims_hold():
    kind = registry()[KIND]
    _, _, claims, out = run(None, KIND, kind.example)
    assert claims and all(c.ok for c in claims)
    assert 'class="grid ll-tfidf"' in out and len(figures_in(out)) == 1
