"""The text family's word-level kinds: ngrams, ngram-exercise, edit-distance, spelling-suggestions,
edit-distance-exercise, collocations, collocation-exercise and bpe-exercise.

Every count is checked against an independent computation here (hand counts over gensim's Lee corpus,
a brute-force search of edit sequences, gensim's own scorer formulas); each exercise's grading; the
values prose quotes; the code panels run as shown; bad input gives a located error with its fix.
"""

from __future__ import annotations

import html
import io
import json
import math
import random
import re
import contextlib
from collections import Counter

import pytest

from blocktest import EVIL, run, spec_of
from blocktest import quote as quote_value
from lexicon.blocks.corpus._lee import frequencies, held_out, stories
from lexicon.engine.deps import compute_code
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError


def quote(kind, spec, result, name, *args) -> str:
    """A value as prose shows it."""
    return quote_value(kind, spec, result, name, *args).text


def answer_of(out):
    return json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))


def printed(code: str, scope: dict | None = None) -> list[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, dict(scope or {}))   # noqa: S102 - the block's own code panel
    return out.getvalue().splitlines()


# --- ngrams -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ngrams():
    return run(None, "ngrams", "n_max: 3\ntop: 4\nexpect:\n  most: [the, in the, the united states]\n  sparser: true")


def test_ngram_counts_equal_hand_counts_inside_each_story(ngrams):
    spec, result, claims, out = ngrams
    for row in result["rows"]:
        n = row["n"]
        hand = Counter(" ".join(s[i:i + n]) for s in stories() for i in range(len(s) - n + 1))
        assert row["distinct"] == len(hand) and row["running"] == sum(hand.values()), n
        assert row["once"] == sum(1 for c in hand.values() if c == 1), n
        assert row["top"] == [[g, c] for g, c in sorted(hand.items(), key=lambda t: (-t[1], t[0]))[:4]], n
        new = Counter(" ".join(s[i:i + n]) for s in held_out() for i in range(len(s) - n + 1))
        assert row["held_out"] == sum(new.values()) and row["unseen"] == sum(c for g, c in new.items() if g not in hand)
    # A story's n-grams never run into the next story: fewer running n-grams than a concatenation has.
    assert result["rows"][1]["running"] == result["rows"][0]["running"] - sum(1 for s in stories() if s)
    assert all(c.ok for c in claims) and len(claims) == 4


def test_ngram_values_read_as_the_table(ngrams):
    spec, result, _, out = ngrams
    assert quote("ngrams", spec, result, "distinct", "1") == f"{len(frequencies()):,}"
    assert quote("ngrams", spec, result, "top", "3", "1") == "the united states"
    assert quote("ngrams", spec, result, "top_count", "1", "1") == f"{frequencies()['the']:,}"
    r2 = result["rows"][1]
    assert quote("ngrams", spec, result, "once", "2") == f"{100 * r2['once'] / r2['distinct']:.1f}%"
    filled = r2["distinct"] / len(frequencies()) ** 2
    assert quote("ngrams", spec, result, "filled", "2") == f"{filled:.1e}".replace("-", "\u2212") and filled < 1e-3
    assert quote("ngrams", spec, result, "filled", "1") == "1"
    for cell in (quote("ngrams", spec, result, "unseen", "3"), quote("ngrams", spec, result, "running", "2")):
        assert cell in out
    with pytest.raises(LexiconError) as err:
        quote("ngrams", spec, result, "distinct", "4")
    assert "n = 4" in str(err.value) and err.value.fix


def test_ngram_false_claims_and_bad_input():
    _, _, claims, _ = run(None, "ngrams", "n_max: 2\ntop: 2\nexpect:\n  most: [of the]")
    assert not claims[0].ok and "in the (423)" in claims[0].actual
    with pytest.raises(LexiconError) as err:
        spec_of("ngrams", "n_max: 2\nexpect:\n  most: [the united states]")
    assert "a 3-gram" in str(err.value) and "'n_max' to 3" in err.value.fix
    for bad in ("n_max: 6", "n_max: 0", "top: 11", "expect: {}", "expect:\n  sparse: true"):
        with pytest.raises(LexiconError):
            spec_of("ngrams", bad)


def test_ngram_code_panel_prints_the_table(ngrams):
    from lexicon.blocks.text.ngrams import CODE

    spec, result, _, _ = ngrams
    lines = printed(CODE.format(background="lee_background.cor", held_out="lee.cor", n_max=3, top=4))
    for line, row in zip(lines, result["rows"]):
        n, running, distinct = line.split()[:3]
        assert (int(n), int(running), int(distinct)) == (row["n"], row["running"], row["distinct"])
        assert repr(row["top"][0][0]) in line


def test_ngram_cache_key_and_escaping():
    kind = registry()["ngrams"]
    assert set(kind.options.result_inputs(spec_of("ngrams", "caption: x\nexpect:\n  sparser: true"))) == {"n_max", "top"}
    key = compute_code(type(kind))
    assert {"lexicon.blocks.text._corpus.LEE", "lexicon.blocks.text._corpus.LEE_HELD_OUT"} <= set(key.data)
    assert "lexicon.blocks.text._corpus.LEE" in compute_code(type(registry()["collocations"])).data
    assert "scikit-learn" in key.packages
    _, _, claims, out = run(None, "ngrams", kind.example + f"\ncaption: {json.dumps(EVIL)}")
    assert EVIL not in out and html.escape(EVIL, quote=False) in out and all(c.ok for c in claims)


# --- ngram-exercise -----------------------------------------------------------------------------------

def test_ngram_exercise_counts_running_and_distinct():
    text = "The new South Wales Government says the new laws start today."
    spec, result, claims, out = run(None, "ngram-exercise", f"text: {text}\nn: 2\nchoices: [9, 10, 11]\nanswer: 10")
    words = text.lower().rstrip(".").split()
    assert result["words"] == words and len(words) == 11
    assert dict(result["ngrams"]) == Counter(" ".join(p) for p in zip(words, words[1:]))
    ans = answer_of(out)
    assert ans["answer"] == "10" and claims[0].ok
    assert "number of words" in ans["why"]["11"] and "each different n-gram once" in ans["why"]["9"]
    spec, result, claims, out = run(None, "ngram-exercise",
                                    f"text: {text}\nn: 2\ncount: distinct\nchoices: [9, 10, 11]\nanswer: 10")
    assert answer_of(out)["answer"] == "9" and not claims[0].ok
    _, result, _, out = run(None, "ngram-exercise", f"text: {text}\nn: 3\nchoices: [9, 10, 11]")
    assert answer_of(out)["answer"] == "9" and "the last 2 words start" in answer_of(out)["why"]["11"]
    from lexicon.blocks.text.ngram_exercise import CODE

    assert printed(CODE.format(text=text, n=2))[0].startswith("11 10 9 ")


def test_ngram_exercise_errors():
    with pytest.raises(LexiconError) as err:
        run(None, "ngram-exercise", "text: one two three\nn: 2\nchoices: [1, 3]")
    assert "has 2 bigrams" in str(err.value) and "add 2" in err.value.fix
    with pytest.raises(LexiconError) as err:
        run(None, "ngram-exercise", "text: one two\nn: 3\nchoices: [0, 1]")
    assert "fewer than n = 3" in str(err.value) and err.value.fix
    with pytest.raises(LexiconError) as err:
        spec_of("ngram-exercise", "text: a b c\nchoices: [1, 2]\nanswer: 5")
    assert "not one of the choices" in str(err.value)


# --- edit distance ------------------------------------------------------------------------------------

def brute(a: str, b: str, swaps: bool, substitutions: bool = True) -> int:
    """Breadth-first search over single edits from a to b (letters of both strings only)."""
    letters = sorted(set(a + b))
    seen, frontier, d = {a}, [a], 0
    while b not in seen:
        nxt = []
        for s in frontier:
            cands = [s[:i] + s[i + 1:] for i in range(len(s))]
            cands += [s[:i] + c + s[i:] for i in range(len(s) + 1) for c in letters]
            if substitutions:
                cands += [s[:i] + c + s[i + 1:] for i in range(len(s)) for c in letters]
            if swaps:
                cands += [s[:i] + s[i + 1] + s[i] + s[i + 2:] for i in range(len(s) - 1)]
            for c in cands:
                if c not in seen and len(c) <= max(len(a), len(b)) + 1:
                    seen.add(c)
                    nxt.append(c)
        frontier, d = nxt, d + 1
    return d


def test_distances_equal_a_brute_force_search():
    from lexicon.blocks.text._edit import alignment, indel, osa, table

    rng = random.Random(17)
    pairs = [("kitten", "sitting"), ("recieve", "receive"), ("caress", "across"), ("", "ab"), ("ca", "abc")]
    pairs += [("".join(rng.choice("abc") for _ in range(rng.randint(0, 4))),
               "".join(rng.choice("abc") for _ in range(rng.randint(0, 4)))) for _ in range(60)]
    for a, b in pairs:
        d = table(a, b)
        lev = d[-1][-1]
        if len(a) + len(b) <= 9:
            assert lev == brute(a, b, swaps=False), (a, b)
            assert indel(a, b) == brute(a, b, swaps=False, substitutions=False), (a, b)
        # OSA never swaps a letter twice; on these short strings it equals the search with swaps when both
        # agree with Levenshtein or differ by the swaps the recurrence sees.
        assert osa(a, b) <= lev and osa(a, b) == osa(a, b, limit=10)
        ops = alignment(a, b, d)
        assert sum(op != "keep" for op, *_ in ops) == lev
        out = "".join(y if op in ("keep", "substitute", "insert") else "" for op, _, _, x, y in ops)
        assert out == b and "".join(x for op, _, _, x, _ in ops if op != "insert") == a
    for a, b in [("recieve", "receive"), ("teh", "the"), ("caress", "across"), ("abcd", "badc")]:
        assert osa(a, b) == brute(a, b, swaps=True), (a, b)
    assert osa("abcdef", "zzzzzz", limit=2) == 3


def test_edit_distance_block_values_claims_and_code():
    from lexicon.blocks.text.edit_distance import CODE

    src = ("pairs: [[kitten, sitting], [recieve, receive]]\nexpect:\n  levenshtein: [[kitten, sitting, 3]]\n"
           "  osa: [[recieve, receive, 1]]\n  indel: [[kitten, sitting, 5]]")
    spec, result, claims, out = run(None, "edit-distance", src)
    assert all(c.ok for c in claims) and len(claims) == 3
    assert quote("edit-distance", spec, result, "edits") == "substitute k \u2192 s, substitute e \u2192 i, insert g"
    assert quote("edit-distance", spec, result, "cell", "6", "7") == "3"
    assert quote("edit-distance", spec, result, "distance", "recieve", "receive") == "2"
    assert "<strong>3</strong>" in out and out.count("<table>") == 2
    assert printed(CODE.format(a="kitten", b="sitting")) == ["3"]
    _, _, claims, _ = run(None, "edit-distance", "pairs: [[kitten, sitting]]\nexpect:\n  osa: [[kitten, sitting, 2]]")
    assert not claims[0].ok and claims[0].actual == "it is 3"


def test_edit_distance_errors():
    for src, words in [("pairs: [[a, b]]\ntable: 2", "'table' is 2"),
                       ("pairs: [[aaaaaaaaaaaaaaaaaaaaa, b]]", "21 characters"),
                       ("pairs: [[a, b]]\nexpect:\n  levenshtein: [[a, c, 1]]", "not one of the block's pairs"),
                       ("pairs: [[a, b]]\nexpect:\n  levenshtein: [[a, b, x]]", "cannot read the claim")]:
        with pytest.raises(LexiconError) as err:
            spec_of("edit-distance", src)
        assert words in str(err.value) and err.value.fix, src


def test_edit_distance_exercise_grades_and_explains():
    spec, result, claims, out = run(None, "edit-distance-exercise", "a: caress\nb: across\nchoices: [2, 3, 4]\nanswer: 3")
    ans = answer_of(out)
    assert ans["answer"] == "3" and claims[0].ok and result["distances"] == {"levenshtein": 3, "osa": 2, "indel": 4}
    assert "optimal-string-alignment" in ans["why"]["2"] and "only insertions and deletions" in ans["why"]["4"]
    _, _, _, out = run(None, "edit-distance-exercise", "a: caress\nb: across\ndistance: osa\nchoices: [2, 3, 4]")
    assert answer_of(out)["answer"] == "2" and "Levenshtein" in answer_of(out)["why"]["3"]
    with pytest.raises(LexiconError) as err:
        run(None, "edit-distance-exercise", "a: caress\nb: across\nchoices: [1, 2]")
    assert "is 3" in str(err.value) and "add 3" in err.value.fix


def test_spelling_suggestions_equal_a_full_search(kv):
    from lexicon.blocks.text._edit import osa
    from lexicon.blocks.text.spelling_suggestions import CODE

    src = ("words: [recieve, wierd, embeding]\nsearch: 20000\nlimit: 4\nexpect:\n  first: {recieve: receive}\n"
           "  includes: {wierd: wired}\n  known: [recieve]")
    spec, result, claims, out = run(kv, "spelling-suggestions", src)
    vocab = kv.index_to_key[:20000]
    for w in spec.words:
        full = sorted((osa(w, v), r, v) for r, v in enumerate(vocab, 1) if v != w and osa(w, v) <= 2)
        assert result["words"][w][2] == [[v, d, r] for d, r, v in full[:4]], w
        assert result["within"][w] == len(full), w    # every word within 2 edits, not only those listed
        assert quote("spelling-suggestions", spec, result, "within", w) == f"{len(full):,}"
    assert result["within"]["wierd"] > 4        # more than the table lists: the caption says "up to 4 of those"
    assert "up to 4 of those within 2 edits" in out
    assert result["words"]["recieve"][0] and not result["words"]["embeding"][0]
    assert all(c.ok for c in claims) and len(claims) == 3
    assert quote("spelling-suggestions", spec, result, "suggestion", "wierd", "1") == "weird"
    assert quote("spelling-suggestions", spec, result, "edits", "wierd", "2") == "1"
    lines = printed(CODE.format(words=spec.words, search=20000, max=2, limit=4), {"kv": kv})
    panel = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<details class="ll-code".*?<code>(.*?)</code>', out,
                                                            re.S).group(1)))
    assert "kv = KeyedVectors(" in panel and "kv.index_to_key[:20000]" in panel
    assert printed(panel) == lines       # the panel as shown loads the model itself: no kv handed in
    for line, w in zip(lines, spec.words):
        assert line == f"{w} {[tuple(x) for x in result['words'][w][2]]}"
    with pytest.raises(LexiconError) as err:
        spec_of("spelling-suggestions", "words: [a]\nexpect:\n  first: {b: c}")
    assert "'b', which is not one of the block's words" in str(err.value)


# --- collocations --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def colloc():
    return run(None, "collocations", "min_count: 5\ntop: 5\npairs: [bin laden, in the, human rights, zz top]\n"
                                     "expect:\n  npmi_order: [bin laden, human rights, in the]")


def test_collocation_scores_follow_the_published_formulas(colloc):
    from gensim.models.phrases import Phrases

    spec, result, claims, out = colloc
    docs = [list(s) for s in stories()]
    ph = Phrases(docs, min_count=5, threshold=1e-12)
    bigrams = Counter(" ".join(p) for s in docs for p in zip(s, s[1:]))
    freq, total = frequencies(), sum(frequencies().values())
    assert ph.corpus_word_count == total
    for p in ("bin laden", "in the", "human rights"):
        a, b = p.split()
        r = result["pairs"][p]
        assert r["pair"] == bigrams[p] and r["counts"] == {a: freq[a], b: freq[b]}
        assert math.isclose(r["default"], (bigrams[p] - 5) / freq[a] / freq[b] * len(ph.vocab), rel_tol=1e-9)
        pab, pa, pb = bigrams[p] / total, freq[a] / total, freq[b] / total
        assert math.isclose(r["npmi"], math.log(pab / (pa * pb)) / -math.log(pab), rel_tol=1e-9)
        ratio = bigrams[p] * total / (freq[a] * freq[b])          # times chance, by hand
        assert math.isclose(r["chance"], ratio, rel_tol=1e-12) and math.isclose(r["pmi"], math.log2(ratio))
        assert math.isclose(math.log(ratio), r["npmi"] * -math.log(pab), rel_tol=1e-9)   # NPMI = PMI / −log p(a b)
        assert quote("collocations", spec, result, "pmi", p) == f"{math.log2(ratio):.2f}"
    # gensim's len_vocab counts the distinct words and the distinct word pairs it collected, not the words only
    assert result["len_vocab"] == len(ph.vocab) == len(freq) + len(bigrams) > len(freq)
    assert quote("collocations", spec, result, "vocab_size") == f"{len(freq) + len(bigrams):,}"
    assert quote("collocations", spec, result, "words") == f"{total:,}"
    assert quote("collocations", spec, result, "chance", "in the") == f"{result['pairs']['in the']['chance']:.1f}"
    assert 1 < result["pairs"]["in the"]["chance"] < 10 < 100 < result["pairs"]["bin laden"]["chance"]
    assert quote("collocations", spec, result, "chance", "bin laden") == f"{result['pairs']['bin laden']['chance']:,.0f}"
    assert "Times chance" in out and f"{result['len_vocab']:,}" in out
    assert result["pairs"]["zz top"]["pair"] is None and "not scored" in out
    assert result["scored"] == sum(1 for c in bigrams.values() if c >= 5)
    assert all(c.ok for c in claims)
    above = sum(1 for v in ph.export_phrases().values() if v > 10)
    assert quote("collocations", spec, result, "kept", "default", "10") == f"{above:,}"


def test_collocation_values_claims_errors_and_code(colloc):
    from lexicon.blocks.text.collocations import CODE

    spec, result, _, _ = colloc
    assert quote("collocations", spec, result, "npmi", "bin laden") == f"{result['pairs']['bin laden']['npmi']:.4f}"
    assert quote("collocations", spec, result, "threshold", "npmi", "2") == "0.5"
    with pytest.raises(LexiconError) as err:
        quote("collocations", spec, result, "count", "zz top")
    assert "fewer than min_count" in str(err.value)
    _, _, claims, _ = run(None, "collocations", "pairs: [in the, bin laden]\nexpect:\n  npmi_order: [in the, bin laden]")
    assert not claims[0].ok and "in the: 0.2997" in claims[0].actual
    for src in ("pairs: [bin]", "pairs: [a b]\nexpect:\n  npmi_order: [a b, c d]", "npmi_thresholds: [2]"):
        with pytest.raises(LexiconError) as err:
            spec_of("collocations", src)
        assert err.value.fix, src
    lines = printed(CODE.format(corpus="lee_background.cor", min_count=5, top=5))
    assert lines[2] == f"len_vocab {result['len_vocab']} corpus_word_count {result['words']}"
    for line, scorer in zip(lines, ("default", "npmi")):
        assert [g.replace(" ", "_") for g, _, _ in result["top"][scorer]] == re.findall(r"\('(\w+)'", line)


def test_collocation_exercise_is_graded_by_npmi():
    k = registry()["collocation-exercise"]
    spec, result, claims, out = run(None, "collocation-exercise", k.example)
    scores = k.graded(spec, result)
    assert answer_of(out)["answer"] == max(scores, key=scores.get) == "united states" and claims[0].ok
    assert sorted(scores.values())[-1] - sorted(scores.values())[-2] > 0.05   # not a near tie
    # plain PMI orders the pairs differently from NPMI: the contrast the page's explanation teaches
    assert spec.pmi_order == ["prime minister", "united states"] and claims[1].ok and len(claims) == 2
    freq, total, r = frequencies(), sum(frequencies().values()), {c["pair"]: c for c in result["choices"]}
    for p, c in r.items():
        a, b = p.split()
        assert math.isclose(c["chance"], c["count"] * total / (freq[a] * freq[b]), rel_tol=1e-12)
        assert quote("collocation-exercise", spec, result, "pmi", p) == f"{math.log2(c['chance']):.2f}"
    assert r["security forces"]["pmi"] > r["he said"]["pmi"] and r["security forces"]["npmi"] < r["he said"]["npmi"]
    assert "Times chance" in out and "PMI (bits)" in out
    _, _, claims, _ = run(None, "collocation-exercise", "choices: [he said, security forces]\n"
                                                       "pmi_order: [he said, security forces]")
    assert not claims[0].ok and "bits" in claims[0].actual
    _, _, claims, _ = run(None, "collocation-exercise", "choices: [he said, in the]\nanswer: in the")
    assert not claims[0].ok
    with pytest.raises(LexiconError) as err:
        run(None, "collocation-exercise", "choices: [he said, zz top]")
    assert "'zz top' occurs fewer than 5 times" in str(err.value)
    with pytest.raises(LexiconError):
        spec_of("collocation-exercise", "choices: [he said, he said]")
    with pytest.raises(LexiconError) as err:
        spec_of("collocation-exercise", "choices: [he said, in the]\npmi_order: [bin laden, he said]")
    assert "'bin laden', which is not one of the choices" in str(err.value) and err.value.fix


# --- bpe-exercise -------------------------------------------------------------------------------------

def test_bpe_exercise_answer_is_the_one_whole_word():
    from lexicon.blocks.text._bpe import learn
    from lexicon.blocks.text._corpus import corpus_frequencies

    spec, result, claims, out = run(None, "bpe-exercise", registry()["bpe-exercise"].example)
    _, _, merges = learn(corpus_frequencies(), 1000)
    rank = {tuple(m): i for i, m in enumerate(merges)}
    for w, (pieces, n) in result["words"].items():
        syms = list(w)
        while len(syms) > 1:
            r, i = min((rank.get(p, math.inf), i) for i, p in enumerate(zip(syms, syms[1:])))
            if r == math.inf:
                break
            syms[i:i + 2] = [syms[i] + syms[i + 1]]
        assert pieces == syms and n == corpus_frequencies()[w], w
    assert answer_of(out)["answer"] == "afghanistan" and claims[0].ok
    with pytest.raises(LexiconError) as err:
        run(None, "bpe-exercise", "merges: 1000\nchoices: [afghanistan, police]")
    assert "2 of the choices are a single token" in str(err.value) and err.value.fix
    with pytest.raises(LexiconError) as err:
        run(None, "bpe-exercise", "merges: 1000\nchoices: [question, business]")
    assert "0 of the choices" in str(err.value)


def test_every_new_example_builds():
    for kind in ("ngrams", "ngram-exercise", "edit-distance", "edit-distance-exercise", "collocations",
                 "collocation-exercise", "bpe-exercise"):
        _, _, claims, out = run(None, kind, registry()[kind].example)
        assert all(c.ok for c in claims) and registry()[kind].__doc__, kind
