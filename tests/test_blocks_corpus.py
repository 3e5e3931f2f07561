"""The corpus family: bag-of-words, stop-words, stemming, bm25 and corpus-exercise on gensim's Lee corpus.

Counts are checked against scikit-learn's CountVectorizer, BM25 against its formula computed by hand, stems
against gensim's PorterStemmer, PPMI against the text family's ppmi kind; results are deterministic; bad
options and false claims are located errors with a fix. No embedding model is loaded.
"""

from __future__ import annotations

import json
import math
from collections import Counter

import pytest
from gensim.parsing.porter import PorterStemmer
from gensim.parsing.preprocessing import STOPWORDS
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess
from sklearn.feature_extraction.text import CountVectorizer

from blocktest import quote, run
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError
from lexicon.blocks.corpus._asks import fmt

KINDS = ("bag-of-words", "stop-words", "stemming", "bm25", "corpus-exercise", "inverted-index")
STORIES = [simple_preprocess(line) for line in open(datapath("lee_background.cor"), encoding="utf-8")]


def test_the_family_needs_no_model_and_reads_the_lee_corpus():
    for name in KINDS:
        kind = registry()[name]
        assert kind.family == "corpus" and not kind.needs_model and "Lee corpus" in kind.note
    assert len(STORIES) == 300


# --- bag-of-words ------------------------------------------------------------------------------------

def test_bag_of_words_counts_equal_count_vectorizer():
    spec, result, claims, out = run(None, "bag-of-words", "story: 68\ntopn: 5\nexpect:\n  - count(qantas) = 2")
    counter = CountVectorizer(analyzer=list)
    matrix = counter.fit_transform(STORIES)
    words = counter.get_feature_names_out()
    row = matrix[67].toarray().ravel()
    assert dict(result["bag"]) == {words[j]: int(row[j]) for j in row.nonzero()[0]}
    assert result["vocabulary"] == len(words) and result["nonzero"] == matrix.nnz
    assert result["sparsity"] == round(1 - matrix.nnz / (300 * len(words)), 6)
    assert result["tokens"] == len(STORIES[67]) and [c.ok for c in claims] == [True]
    assert quote("bag-of-words", spec, result, "count", "qantas").text == "2"
    # the table shows the most frequent words first, ties alphabetical
    assert [w for w, _ in result["bag"][:3]] == sorted(dict(result["bag"]), key=lambda w: (-dict(result["bag"])[w],
                                                                                           w))[:3]
    # leads(the): stories in which 'the' has the largest count of the matrix row, ties included
    dense = matrix.toarray()
    the = list(words).index("the")
    assert quote("bag-of-words", spec, result, "leads", "the").number == int((dense[:, the] == dense.max(1)).sum())
    assert "as tokenised" in out


def test_the_same_words_in_another_order_give_the_same_vector():
    src = "sentences:\n  - The dog bit the man.\n  - The man bit the dog.\n"
    _, result, _, _ = run(None, "bag-of-words", src)
    assert result["sentences"]["same"] and not result["sentences"]["same_order"]
    _, result, _, out = run(None, "bag-of-words", "sentences:\n  - the dog bit the man\n  - a dog bit the man\n")
    assert not result["sentences"]["same"] and "different vectors" in out


# --- stop-words --------------------------------------------------------------------------------------

def test_stop_words_share_is_counted_directly():
    _, result, claims, _ = run(None, "stop-words", "topn: 5\nexpect:\n  - removed > 0.9\n  - rank_before(the) = 1")
    tokens = [w for s in STORIES for w in s]
    removed = sum(w in STOPWORDS for w in tokens)
    assert (result["tokens"], result["removed_tokens"]) == (len(tokens), removed)
    kept = Counter(w for w in tokens if w not in STOPWORDS)
    assert [w for w, _ in result["after"]] == [w for w, _ in sorted(kept.items(), key=lambda t: (-t[1], t[0]))[:5]]
    assert [c.ok for c in claims] == [False, True]      # a false claim is false, with the measured share
    assert f"{removed / len(tokens) * 100:.1f}%" in claims[0].actual
    # max_df(share) drops what scikit-learn's CountVectorizer(max_df=share) drops
    spec, result, _, _ = run(None, "stop-words", "topn: 5")
    full = set(CountVectorizer(analyzer=list).fit(STORIES).vocabulary_)
    kept = set(CountVectorizer(analyzer=list, max_df=0.7).fit(STORIES).vocabulary_)
    assert quote("stop-words", spec, result, "max_df", "0.7").number == len(full - kept)
    assert set(quote("stop-words", spec, result, "max_df", "0.7", "words").text.split(", ")) == full - kept
    with pytest.raises(LexiconError, match="more than the 60 words"):
        quote("stop-words", spec, result, "max_df", "0.01")
    with pytest.raises(LexiconError, match="not a share"):
        quote("stop-words", spec, result, "max_df", "70")


# --- stemming ----------------------------------------------------------------------------------------

def test_stemming_merges_and_splits_as_porter_does():
    src = ("words: [general, generous, attacks]\nfamilies: 3\nexpect:\n  - general == generous\n  - several == severe\n"
           "  - buy != bought\n  - attacks == attacked\n  - general != generous")
    _, result, claims, _ = run(None, "stemming", src)
    stem = PorterStemmer().stem
    types = {w for s in STORIES for w in s}
    assert result["types"] == len(types) and result["stems"] == len({stem(w) for w in types})
    assert result["words"]["general"][0] == stem("general") == stem("generous") == "gener"
    assert set(result["words"]["general"][2]) == {w for w in types if stem(w) == "gener"}
    assert [c.ok for c in claims] == [True, True, True, True, False]
    assert len(result["families"][0][1]) >= len(result["families"][1][1]) >= len(result["families"][2][1])


# --- bm25 --------------------------------------------------------------------------------------------

DF = Counter(w for s in STORIES for w in set(s))


def bm25_by_hand(query, story, k1=1.5, b=0.75, epsilon=0.25):
    """Okapi BM25 as gensim documents it, from the raw token lists: idf floored at epsilon × mean idf."""
    n, df = len(STORIES), DF
    idf = {w: math.log(n - d + 0.5) - math.log(d + 0.5) for w, d in df.items()}
    floor = epsilon * sum(idf.values()) / len(idf)
    avgdl = sum(len(s) for s in STORIES) / n
    doc = STORIES[story - 1]
    score = 0.0
    for w in dict.fromkeys(query):
        tf = doc.count(w)
        if tf:
            i = idf[w] if idf[w] >= 0 else floor
            score += i * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(doc) / avgdl))
    return score


@pytest.mark.parametrize("k1, b", [(1.5, 0.75), (0.5, 0.0), (2.0, 1.0)])
def test_bm25_scores_equal_the_formula(k1, b):
    spec, result, _, _ = run(None, "bm25", f"query: fire homes\nk1: {k1}\nb: {b}\ntopn: 3")
    for row in result["rows"]:
        assert row["bm25"] == pytest.approx(bm25_by_hand(["fire", "homes"], row["story"], k1, b), abs=1e-4)
        assert row["counts"] == [STORIES[row["story"] - 1].count(w) for w in ("fire", "homes")]
    best = max(range(1, 301), key=lambda s: bm25_by_hand(["fire", "homes"], s, k1, b))
    assert quote("bm25", spec, result, "top").number == best


def test_bm25_saturates_and_equal_scores_share_a_rank():
    _, result, claims, _ = run(None, "bm25", "query: fire homes\ntopn: 4\nsettings: [[0, 0.75]]\n"
                                             "expect:\n  - rank(110) > tfidf_rank(110)\n  - top = 110")
    assert [c.ok for c in claims] == [True, False]
    both = [r for r in result["rows"] if all(r["counts"])]
    assert len(both) > 1 and {r["ranks"][2] for r in both} == {1}     # k1 = 0: presence only, a tie


def test_bm25_idf_floor_is_epsilon_times_the_mean_idf():
    spec, result, _, out = run(None, "bm25", "query: fire homes\ntopn: 4\n"
                                             "settings: [[0, 0.75], [1.5, 0], [1.5, 1], [10, 0.75]]")
    n = len(STORIES)
    idf = {w: math.log(n - d + 0.5) - math.log(d + 0.5) for w, d in DF.items()}
    floor = 0.25 * sum(idf.values()) / len(idf)
    assert quote("bm25", spec, result, "idf_floor").number == pytest.approx(floor, abs=1e-4)
    assert quote("bm25", spec, result, "floored").number == sum(x < 0 for x in idf.values())
    assert quote("bm25", spec, result, "below_floor").number == sum(0 <= x < floor for x in idf.values())
    assert idf["will"] < floor and DF["will"] <= n / 2      # the floor makes idf non-monotone in df
    # weak saturation (k1 = 10) moves the stories towards the TF-IDF order
    assert quote("bm25", spec, result, "rank", "110", "4").number < quote("bm25", spec, result, "rank", "110").number
    assert "union of the 4 best stories of each ranking" in out


# --- corpus-exercise ---------------------------------------------------------------------------------

@pytest.mark.parametrize("src, answer", [
    ("ask: same-vector\nsentence: the dog bit the man\nchoices: [the man bit the dog, a dog bit the man]",
     "the man bit the dog"),
    ("ask: top-tfidf\nstory: 68\nchoices: [the, stoppages, maintenance, qantas]", "qantas"),
    ("ask: top-after-stopwords\nchoices: [the, said, police]", "said"),
    ("ask: same-stem\nword: general\nchoices: [gentle, generous, genre]", "generous"),
    ("ask: bm25-top\nquery: israeli troops\nstories: [260, 174, 209]", "story 209"),
    ("ask: zipf-ratio\nword: the\nchoices: [said, government, police]", "said"),
    ("ask: top-ppmi\nword: police\nchoices: [the, said, arrested, officers]", "officers"),
    ("ask: doc2vec-nearest\nheld_out: 2\nstories: [67, 161, 280]", "story 280"),
])
def test_each_ask_computes_its_answer(src, answer):
    spec, result, claims, out = run(None, "corpus-exercise", src + f"\nanswer: {answer.removeprefix('story ')}")
    assert result["answer"] == answer and [c.ok for c in claims] == [True]
    assert 'data-exercise="choice"' in out


def test_bm25_top_and_top_ppmi_agree_with_their_blocks():
    _, ex, _, _ = run(None, "corpus-exercise", "ask: bm25-top\nquery: israeli troops\nstories: [260, 209]")
    assert ex["scores"]["story 209"] == pytest.approx(bm25_by_hand(["israeli", "troops"], 209), abs=1e-4)
    _, ppmi, _, _ = run(None, "ppmi", "word: police\nwindow: 5\nmin_count: 1")
    _, ex, _, _ = run(None, "corpus-exercise", "ask: top-ppmi\nword: police\nchoices: [the, arrested, officers]")
    for c in ("the", "arrested", "officers"):
        assert ex["scores"][c] == ppmi["contexts"][c][2]


def test_results_are_deterministic():
    for kind, src in [("bag-of-words", "story: 3"), ("stemming", "words: [police]"), ("bm25", "query: cricket"),
                      ("corpus-exercise", "ask: same-stem\nword: attack\nchoices: [attacked, attic]")]:
        k = registry()[kind]
        a, b = (json.dumps(k.compute(None, k.read(src)), sort_keys=True) for _ in range(2))
        assert a == b


# --- bad input ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, src, message, fix", [
    ("bag-of-words", "story: 301", "no story 301", "from 1 to 300"),
    ("bag-of-words", "expect:\n  - sparsity ~ 3", "cannot read the claim", "sparsity > 0.95"),
    ("bag-of-words", "expect:\n  - colour > 3", "does not compute", "quantities"),
    ("stemming", "words: [Police]", "does not occur in the corpus", "lower case"),
    ("bm25", "query: zzzz qqqq", "no word of the query", "lower-case words"),
    ("bm25", "query: fire\nexpect:\n  - rank(999) = 1", "not among the stories", "name a story"),
    ("corpus-exercise", "ask: same-stem\nchoices: [a, b]", "needs 'word'", "add 'word:'"),
    ("corpus-exercise", "ask: same-stem\nword: general\nchoices: [generous, generation]",
     "2 choices get the stem", "exactly one"),
    ("corpus-exercise", "ask: same-stem\nword: general\nchoices: [generous, gentle]\nanswer: genre",
     "not one of the choices", "generous, gentle"),
    ("corpus-exercise", "ask: top-tfidf\nstory: 68\nchoices: [qantas, cricket]", "does not occur in story 68",
     "words of the story"),
    ("corpus-exercise", "ask: top-ppmi\nword: police\nchoices: [officers, cricket]", "never occurs within",
     "contexts the word has"),
])
def test_bad_options_are_errors_that_name_the_fix(kind, src, message, fix):
    with pytest.raises(LexiconError) as err:
        run(None, kind, src)
    assert message in str(err.value) and fix in err.value.fix


# --- lsa ---------------------------------------------------------------------------------------------

def test_lsa_equals_truncated_svd_of_the_tfidf_matrix():
    import numpy as np
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    spec, result, claims, _ = run(None, "lsa", "components: 4\ntopwords: 3\nexpect:\n  - palestinian in component(2)\n"
                                               "  - israeli~palestinian > israeli~cricket\n  - qantas in component(2)")
    docs = [[w for w in s if w not in STOPWORDS] for s in STORIES]
    matrix = TfidfVectorizer(analyzer=list, min_df=2).fit_transform(docs)
    svd = TruncatedSVD(n_components=4, algorithm="arpack", random_state=0).fit(matrix)
    assert result["words"] == matrix.shape[1]
    assert np.allclose(result["variance"], svd.explained_variance_ratio_, atol=1e-6)
    # ARPACK gives the exact SVD: the top singular values agree with a dense numpy SVD.
    assert np.allclose(result["singular"], np.linalg.svd(matrix.toarray(), compute_uv=False)[:4], atol=1e-4)
    assert [c.ok for c in claims] == [True, True, False]
    assert quote("lsa", spec, result, "total").number == pytest.approx(sum(result["variance"]))
    with pytest.raises(LexiconError, match="no component 5"):
        run(None, "lsa", "components: 4\nexpect:\n  - israeli in component(5)")
    with pytest.raises(LexiconError, match="stop word list"):
        run(None, "lsa", "expect:\n  - the~israeli > cricket~israeli")


def test_lsa_nearest_uses_the_lsa_kinds_vectors():
    _, lsa, _, _ = run(None, "lsa", "components: 10\nexpect:\n  - wicket~cricket > wicket~qantas")
    _, ex, _, _ = run(None, "corpus-exercise", "ask: lsa-nearest\nword: wicket\nchoices: [cricket, qantas]")
    assert ex["answer"] == "cricket" and ex["scores"]["cricket"] == lsa["similarity"]["wicket~cricket"]
    # The pairs are also compared with more dimensions, for prose, and agree with the exercise's table.
    assert lsa["similarity_at"]["30"]["wicket~cricket"] < lsa["similarity"]["wicket~cricket"]
    assert ex["reveal"][0][-1] == "Cosine, 30 dimensions"
    assert ex["reveal"][1][0][-1] == fmt(lsa["similarity_at"]["30"]["wicket~cricket"])
    with pytest.raises(LexiconError, match="the pairs are not compared with 15"):
        quote("lsa", run(None, "lsa", "expect:\n  - wicket~cricket > wicket~qantas")[0], lsa, "similarity",
              "wicket", "cricket", "15")


def test_lsa_nearest_refuses_an_answer_the_number_of_dimensions_decides():
    # batsman and cricket are both cricket words: which is closer to wicket is a matter of margin and k.
    with pytest.raises(LexiconError, match="too close to grade") as err:
        run(None, "corpus-exercise", "ask: lsa-nearest\nword: wicket\nchoices: [batsman, cricket, qantas]")
    assert "off-topic" in err.value.fix


# --- topic-model -------------------------------------------------------------------------------------

def test_topic_model_is_seeded_and_compares_seeds():
    from lexicon.blocks.corpus import _lda

    src = ("topics: 5\nseed: 1\ncompare_seed: 0\ntopwords: 8\nexpect:\n  - palestinian with israeli\n"
           "  - palestinian with test under compare_seed\n  - palestinian with cricket")
    _, result, claims, _ = run(None, "topic-model", src)
    assert [c.ok for c in claims] == [True, True, False]
    _lda.lda.cache_clear()                      # fit again from scratch: the same seed gives the same topics
    _, again, _, _ = run(None, "topic-model", src)
    assert again == result and result["topics"] != result["other"]
    for (shared, j), topic in zip(result["matches"], result["topics"]):
        assert shared == len(set(topic) & set(result["other"][j]))
    _, ex, claims, _ = run(None, "corpus-exercise", "ask: lda-topic\nstory: 1\ntopics: 5\nseed: 1\nanswer: 5")
    assert ex["answer"].startswith("topic 5:") and [c.ok for c in claims] == [True]
    assert abs(sum(ex["scores"].values()) - 1) < 1e-3
    with pytest.raises(LexiconError, match="no 'compare_seed'"):
        run(None, "topic-model", "expect:\n  - a with b under compare_seed")


# --- doc2vec -----------------------------------------------------------------------------------------

D2V_SCRIPT = """
import json, sys
from lexicon.engine.registry import registry
k = registry()["doc2vec"]
print(json.dumps(k.compute(None, k.read("held_out: 2\\ntopn: 3")), sort_keys=True))
"""


def test_doc2vec_is_the_same_in_every_process_whatever_the_hash_seed():
    """Two processes with different PYTHONHASHSEED (so different str hashes) give byte-identical results."""
    import os
    import subprocess
    import sys

    scripts = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "scripts")
    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=scripts)
        outs.append(subprocess.run([sys.executable, "-c", D2V_SCRIPT], env=env, capture_output=True, text=True,
                                   check=True, timeout=120).stdout)
    assert outs[0] == outs[1] and json.loads(outs[0])["rows"]


def test_doc2vec_neighbours_are_gensims_most_similar():
    from lexicon.blocks.corpus._doc2vec import infer, model

    _, result, _, out = run(None, "doc2vec", "held_out: 2\ntopn: 3")
    vector = infer(simple_preprocess(open(datapath("lee.cor"), encoding="latin-1").readlines()[1]))
    expected = model().dv.most_similar([vector], topn=3)
    assert [r["story"] for r in result["rows"]] == [i + 1 for i, _ in expected]
    assert [r["cosine"] for r in result["rows"]] == pytest.approx([c for _, c in expected], abs=1e-4)
    # the spread over all training stories and TF-IDF's first story, from gensim's own most_similar
    spec = run(None, "doc2vec", "held_out: 2\ntopn: 3")[0]
    every = model().dv.most_similar([vector], topn=300)
    cos = [c for _, c in every]
    assert quote("doc2vec", spec, result, "spread", "mean").number == pytest.approx(sum(cos) / 300, abs=1e-4)
    assert quote("doc2vec", spec, result, "spread", "min").number == pytest.approx(min(cos), abs=1e-4)
    assert quote("doc2vec", spec, result, "above", "0.8").number == sum(c > 0.8 for c in cos)
    assert quote("doc2vec", spec, result, "above", "0.8", "said").text.endswith("stories above 0.8")
    top = quote("doc2vec", spec, result, "tfidf_top").number
    assert quote("doc2vec", spec, result, "tfidf_top_rank").number == [i + 1 for i, _ in every].index(top) + 1
    with pytest.raises(LexiconError, match="no count"):
        quote("doc2vec", spec, result, "above", "0.7")
    with pytest.raises(LexiconError):
        run(None, "doc2vec", "held_out: 51")


# --- inverted-index and the and-match exercise ---------------------------------------------------------

def test_inverted_index_postings_and_and_query_equal_a_scan():
    from gensim.corpora import Dictionary

    from lexicon.blocks.corpus._index import index, intersect

    idx = index()
    d = Dictionary(STORIES)
    assert {w: len(p) for w, p in idx.items()} == {w: d.dfs[i] for w, i in d.token2id.items()}
    for w in ("fire", "qantas", "said"):
        assert list(idx[w]) == [n + 1 for n, s in enumerate(STORIES) if w in s]
    assert intersect([1, 3, 5, 9], [2, 3, 9, 10]) == [3, 9] and intersect([], [1]) == []
    words = ["fire", "homes", "firefighters"]
    spec, result, claims, out = run(None, "inverted-index",
                                    "words: [fire, homes, firefighters]\nshow: 4\nexpect:\n  - postings_read < scan\n"
                                    "  - matches = 5\n  - df(fire) > df(homes)\n  - candidates > 10")
    scan = [n + 1 for n, s in enumerate(STORIES) if all(w in s for w in words)]
    assert result["matches"] == scan and result["scan"] == 300
    assert result["read"] == sum(len(idx[w]) for w in words)
    assert result["candidates"] == min(len(idx[w]) for w in words)
    assert result["tokens"] == sum(map(len, STORIES))
    assert [c.ok for c in claims] == [True, len(scan) == 5, True, min(len(idx[w]) for w in words) > 10]
    assert quote("inverted-index", spec, result, "stories").text == ", ".join(map(str, scan))
    assert quote("inverted-index", spec, result, "df", "homes").number == len(idx["homes"])
    assert " …" in out and "AND" in out
    # the code panel runs as shown and prints the same matches
    import contextlib
    import io

    from blocktest import MODEL, MODEL_SPEC
    from lexicon.engine.frame import RenderContext
    from lexicon.engine.pieces import Code

    code = next(p for p in registry()["inverted-index"].render(spec, result, RenderContext(
        anchor="b", model_id=MODEL, model_spec=MODEL_SPEC)) if isinstance(p, Code))
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(code.source, {})
    assert buf.getvalue().startswith(str(scan))


@pytest.mark.parametrize("body, message", [
    ("words: [fire, fire]", "listed twice"),
    ("words: [Fire]", "does not occur in the corpus"),
    ("words: [fire]\nexpect: ['df(homes) > 1']", "not one of the block's words"),
    ("words: [fire]\nexpect: ['speed > 1']", "does not compute"),
])
def test_bad_inverted_index_blocks_name_the_fix(body, message):
    with pytest.raises(LexiconError, match=message):
        run(None, "inverted-index", body)


def test_and_match_exercise_intersects_posting_lists():
    spec, result, claims, out = run(None, "corpus-exercise", "ask: and-match\nwords: [qantas, strike]\n"
                                                             "stories: [68, 129, 138, 188]\nanswer: 129")
    both = [n + 1 for n, s in enumerate(STORIES) if "qantas" in s and "strike" in s]
    assert result["answer"] == f"story {both[0]}" and both == [129] and claims[0].ok
    assert "qantas AND strike" in registry()["corpus-exercise"].prompt(spec)
    assert "68, 118, 121, 129" in out
    with pytest.raises(LexiconError, match="exactly one"):
        run(None, "corpus-exercise", "ask: and-match\nwords: [qantas, strike]\nstories: [68, 138]")
    with pytest.raises(LexiconError, match="at most 20 stories"):
        run(None, "corpus-exercise", "ask: and-match\nwords: [said, strike]\nstories: [129, 138]")
    with pytest.raises(LexiconError, match="needs 'words'"):
        run(None, "corpus-exercise", "ask: and-match\nstories: [129, 138]")
