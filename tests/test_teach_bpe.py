"""The bpe kind: byte-pair-encoding merges learned by Hugging Face tokenizers on gensim's Lee corpus.

The merges come from tokenizers' BpeTrainer; everything the block says about them is checked here
against code of the test's own, reading the corpus file directly: Sennrich et al.'s learning loop on
space-separated symbol strings (the pair counts before each merge, the words after), and the encoding
loop that applies merges by rank to one word (the segmentation). No embedding model is used, so the
tests pass ``kv=None``.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

from blocktest import EVIL, MODEL, MODEL_SPEC, quote, run, spec_of
from lexicon.engine.checks import Checks, Where
from lexicon.engine.deps import compute_code
from lexicon.engine.frame import RenderContext, render_kind
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

KIND = "bpe"
WORDS = "merges: 200\nshow: 30\nwords: [government, unbelievable, tokenization, lowest]\n"
SRC = WORDS + ("expect:\n  first: [t + h, i n, th + e]\n  pieces: {tokenization: 6, government: 2}\n"
               "  unseen: [unbelievable, tokenization]")
FALSE = WORDS + ("expect:\n  first: [t + h, i n, th + e]\n  pieces: {unbelievable: 2}\n  whole: [government]\n"
                 "  unseen: [lowest]")
ROOT = Path(__file__).resolve().parents[1]


def value(spec, result, name, *args):
    return quote(KIND, spec, result, name, *args)


@pytest.fixture(scope="module")
def counts():
    lines = Path(datapath("lee_background.cor")).read_text(encoding="utf-8").splitlines()
    return Counter(w for line in lines for w in simple_preprocess(line))


@pytest.fixture(scope="module")
def block():
    return run(None, KIND, SRC)


def sennrich_replay(counts: Counter, merges: list) -> tuple[list[Counter], dict]:
    """Sennrich et al.'s learn_bpe loop, words as space-separated symbols: the pair counts before each
    merge (over every occurrence of every word), and the words after the last one."""
    vocab = {" ".join(w): n for w, n in counts.items()}
    before = []
    for a, b in merges:
        pairs: Counter = Counter()
        for word, n in vocab.items():
            syms = word.split()
            for pair in zip(syms, syms[1:]):
                pairs[pair] += n
        before.append(pairs)
        pattern = re.compile(r"(?<!\S)" + re.escape(f"{a} {b}") + r"(?!\S)")
        vocab = {pattern.sub(a + b, word): n for word, n in vocab.items()}
    return before, vocab


def encode(word: str, merges: list) -> list[str]:
    """A word cut by hand: join the adjacent pair of lowest rank (leftmost first) until none is a merge."""
    rank = {tuple(m): i for i, m in enumerate(merges)}
    syms = list(word)
    while len(syms) > 1:
        r, i = min((rank.get(p, math.inf), i) for i, p in enumerate(zip(syms, syms[1:])))
        if r == math.inf:
            break
        syms[i:i + 2] = [syms[i] + syms[i + 1]]
    return syms


def test_each_merge_is_the_most_frequent_pair_with_the_count_an_independent_replay_gives(block, counts):
    spec, result, claims, out = block
    merges, steps = [tuple(m) for m in result["merges"]], result["steps"]
    assert len(merges) == 200 and len(steps) == 30
    before, _ = sennrich_replay(counts, merges[:30])
    for k, ((a, b), (n, rival, n2), pairs) in enumerate(zip(merges, steps, before), 1):
        assert n == pairs[a, b], k
        top = max(pairs.values())
        assert n == top, f"step {k}: {a} + {b} occurs {n}, the most frequent pair {top}"
        others = max(c for p, c in pairs.items() if p != (a, b))
        assert n2 == others and pairs[tuple(rival)] == others, k
        assert n2 < n, f"step {k} is tied"   # no ties among the first 30 merges of this corpus
    assert merges[:3] == [("t", "h"), ("i", "n"), ("th", "e")] and steps[0][0] == 7250
    assert claims[0].ok and "first 30 steps" in claims[0].statement
    assert claims[0].against == "a replay of the merges on the corpus"


def test_checkpoints_equal_the_corpus_encoded_by_hand(block, counts):
    spec, result, _, out = block
    merges = result["merges"]
    total, types = sum(counts.values()), len(counts)
    assert result["corpus"] == {"tokens": total, "types": types} and result["alphabet"] == "".join(
        sorted({c for w in counts for c in w}))
    assert [r[0] for r in result["checkpoints"]] == [0, 10, 20, 50, 100, 200]
    for k, vocab, tokens, type_tokens, whole in result["checkpoints"]:
        cut = {w: encode(w, merges[:k]) for w in counts}
        assert tokens == sum(len(cut[w]) * n for w, n in counts.items()), k
        assert type_tokens == sum(len(p) for p in cut.values()), k
        assert whole == sum(n for w, n in counts.items() if len(cut[w]) == 1), k
        assert vocab == 26 + k   # no merge of the first 200 makes a token made before
    # The words the trainer's replay leaves after 30 merges are the words encoded by rank.
    _, after = sennrich_replay(counts, [tuple(m) for m in merges[:30]])
    by_rank = {" ".join(encode(w, merges[:30])): n for w, n in counts.items()}
    assert by_rank == after
    # Compression: fewer tokens at every checkpoint; letters only = the corpus's letters.
    tokens = [r[2] for r in result["checkpoints"]]
    assert tokens == sorted(tokens, reverse=True) and tokens[0] == sum(len(w) * n for w, n in counts.items())
    # The caption's "the running text shrinks faster than the list of distinct words", in ratios.
    first, last = result["checkpoints"][0], result["checkpoints"][-1]
    assert last[2] / first[2] < last[3] / first[3] and "shrinks faster than the list of distinct words" in out


def test_words_are_cut_as_applying_the_merges_by_hand(block, counts):
    spec, result, claims, out = block
    for w in spec.words:
        pieces, n = result["words"][w]
        assert pieces == encode(w, result["merges"]) and n == counts.get(w, 0), w
    assert result["words"]["government"][0] == ["govern", "ment"]          # after 200 merges
    assert result["words"]["unbelievable"][1] == 0 and len(result["words"]["unbelievable"][0]) > 2
    assert all(c.ok for c in claims), [c.actual for c in claims if not c.ok]


def test_values_read_as_the_tables(block):
    spec, result, _, out = block
    assert value(spec, result, "pair", 1).text == "t + h" and value(spec, result, "token", "3").text == "the"
    assert value(spec, result, "count", 1).text == "7,250" and value(spec, result, "count", 1).number == 7250
    assert '<td class="ll-num">7,250</td>' in out
    assert value(spec, result, "pieces", "unbelievable").text == " + ".join(result["words"]["unbelievable"][0])
    assert value(spec, result, "n_pieces", "government").text == "2"
    assert value(spec, result, "occurrences", "government").text == "145"
    assert value(spec, result, "merges").text == "200" and value(spec, result, "alphabet").text == "26"
    assert value(spec, result, "corpus_words").text == "58,152"
    for k, _, tokens, type_tokens, whole in result["checkpoints"]:
        per_word = value(spec, result, "per_word", k).text
        assert per_word == f"{tokens / 58152:.2f}" and f'<td class="ll-num">{per_word}</td>' in out
        assert value(spec, result, "per_type", k).text == f"{type_tokens / 6981:.2f}"
        assert value(spec, result, "whole", k).text == f"{whole / 58152 * 100:.1f}%"
    with pytest.raises(LexiconError, match="no point at 300 merges"):
        value(spec, result, "per_word", 300)
    with pytest.raises(LexiconError, match="no step 31 in its table"):
        value(spec, result, "count", 31)
    with pytest.raises(LexiconError, match="no step 201"):
        value(spec, result, "pair", 201)
    assert value(spec, result, "pair", 200).text   # any learned merge can be quoted
    with pytest.raises(LexiconError, match="not one of the block's words"):
        value(spec, result, "pieces", "police")


def test_false_claims_fail_and_say_what_was_learned():
    _, _, claims, out = run(None, KIND, FALSE)
    assert [c.ok for c in claims] == [True, True, False, False, False] and "False claim" in out
    assert claims[2].statement == "200 merges cut \u201cunbelievable\u201d into 2 pieces"
    assert claims[2].actual.startswith("they cut it into 7: un + be")
    assert claims[3].statement == "\u201cgovernment\u201d is a single token after 200 merges"
    assert claims[3].actual == "it is cut into govern + ment"
    assert claims[4].statement == "\u201clowest\u201d does not occur in the corpus"
    assert claims[4].actual == "it occurs 4 times" and claims[4].against == "the corpus"
    spec, result, claims, _ = run(None, KIND, "merges: 50\nshow: 2\nexpect:\n  first: [i + n, t + h]")
    assert not claims[1].ok and claims[1].actual == "they are t + h, i + n"
    # Had the trainer merged a pair that is not the most frequent, the replay's claim would say so.
    result["steps"][1] = [5000, ["h", "e"], 6568]
    check = Checks(Where("docs/test.md", 1, KIND, "test.md", "b"), against="the computation")
    registry()[KIND].claims(spec, result, check)
    assert not check.made[0].ok
    assert check.made[0].actual == "at step 2, h + e occurs 6,568 times and i + n 5,000"


def test_ties_go_to_the_pair_whose_tokens_came_first():
    """On a toy corpus the second merge is a tie, b + x against ab + x; the trainer takes b + x (ids 1, 2
    before 3, 2), not the alphabetically first ab + x, and the replay reports the tie."""
    from lexicon.blocks.text._bpe import learn, replay

    toy = Counter({"ab": 3, "abx": 2, "bx": 2})
    alphabet, vocab, merges = learn(toy, 2)
    assert merges == [("a", "b"), ("b", "x")]
    steps = replay(toy, alphabet, merges, 2)
    assert steps == [[5, ["b", "x"], 4], [2, ["ab", "x"], 2]]
    kind = registry()[KIND]
    spec = spec_of(KIND, "merges: 10\nshow: 2")
    result = {"corpus": {"tokens": 7, "types": 3}, "alphabet": "".join(alphabet), "merges": [list(m) for m in merges],
              "steps": steps, "checkpoints": [[0, 3, 15, 7, 0], [2, 5, 7, 3, 7]], "words": {}}
    out = render_kind(kind, spec, result, [], RenderContext(anchor="b", model_id=MODEL, model_spec=MODEL_SPEC))
    assert "Tied at step 2: the trainer takes the pair whose tokens entered the vocabulary first." in out


def test_bad_input_names_the_problem_and_the_fix():
    with pytest.raises(LexiconError) as err:
        run(None, KIND, "merges: 20\nwords: [Police]")
    assert "characters the corpus never uses (P)" in str(err.value) and "lower case" in err.value.fix
    with pytest.raises(LexiconError) as err:
        run(None, KIND, "merges: 20\nwords: [café]")
    assert "(é)" in str(err.value)
    with pytest.raises(LexiconError) as err:
        spec_of(KIND, "merges: 10\nshow: 20")
    assert "'show' (20)" in str(err.value) and err.value.fix
    with pytest.raises(LexiconError) as err:
        spec_of(KIND, "words: [government]\nexpect:\n  whole: [police]")
    assert "'police', which is not one of the block's words" in str(err.value) and "add police" in err.value.fix
    with pytest.raises(LexiconError) as err:
        spec_of(KIND, "expect:\n  first: [th]")
    assert "cannot read the merge 'th'" in str(err.value) and "t + h" in err.value.fix
    for bad in ("merges: 5", "merges: 6000", "merges: 100.0", "show: 0", "show: 31", "expect: {}",
                "expect:\n  pieces: {government: 0}", "words: [a, a]"):
        with pytest.raises(LexiconError):
            spec_of(KIND, bad)


def test_same_merges_in_another_process():
    """Another hash seed and tokenizers' parallelism left on: the same merges, byte for byte."""
    code = ("import hashlib, json\nfrom lexicon.blocks.text._bpe import learn\n"
            "from lexicon.blocks.text._corpus import corpus_frequencies\n"
            "print(hashlib.sha256(json.dumps(learn(corpus_frequencies(), 1000)[2]).encode()).hexdigest())")
    env = dict(os.environ, PYTHONHASHSEED="12345", TOKENIZERS_PARALLELISM="true",
               PYTHONPATH=str(ROOT / "scripts") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    other = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    from lexicon.blocks.text._bpe import learn
    from lexicon.blocks.text._corpus import corpus_frequencies

    here = hashlib.sha256(json.dumps(learn(corpus_frequencies(), 1000)[2]).encode()).hexdigest()
    assert other.stdout.strip() == here


def test_cache_key_escaping_and_example():
    kind = registry()[KIND]
    inputs = kind.options.result_inputs(spec_of(KIND, "words: [government]\ncaption: x\ncode: false\nfigure: false\n"
                                                      "expect:\n  whole: [government]"))
    assert set(inputs) == {"merges", "show", "words"}
    key = compute_code(type(kind))
    assert "lexicon.blocks.text._corpus.LEE" in key.data and {"tokenizers", "gensim"} <= set(key.packages)
    assert not any(s.startswith(("lexicon.render", "lexicon.figures")) for s in key.symbols)
    assert kind.words(spec_of(KIND, "words: [government]")) == []   # no model vocabulary check
    spec, result, claims, out = run(None, KIND, kind.example + f"\ncaption: {json.dumps(EVIL)}")
    assert claims and all(c.ok for c in claims)
    assert EVIL not in out and html.escape(EVIL, quote=False) in out
    assert "no embedding model" in out and out.count("<table>") == 3 and 'class="ll-plot"' in out


def test_the_code_shown_gives_the_same_merges_counts_and_pieces(capsys):
    """The collapsible Python, run as a reader would run it, prints the table's counts."""
    from lexicon.blocks.text.bpe import CODE

    spec, result, _, _ = run(None, KIND, "merges: 50\nshow: 3\nwords: [government, unbelievable]")
    scope: dict = {}
    exec(CODE.format(corpus="lee_background.cor", merges=50, show=3, words=spec.words), scope)
    printed = capsys.readouterr().out.splitlines()
    assert [list(m) for m in scope["merges"]] == result["merges"]
    assert scope["pieces"] == {w: result["words"][w][0] for w in spec.words}
    for line, (a, b), (n, rival, n2) in zip(printed, result["merges"], result["steps"]):
        assert line.startswith(f"{a} + {b} {n} [(('{a}', '{b}'), {n}), (('{rival[0]}', '{rival[1]}'), {n2})]")
