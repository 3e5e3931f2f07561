"""The sgns kind: skip-gram with negative sampling, one pair's σ and loss before and after training.

The block's numbers are checked against second computations: σ and the loss with numpy from the
trained model's own vectors, the "before" state from a fresh gensim model that has only built its
vocabulary, the noise probabilities from the corpus counts raised to 0.75, the corpus-wide means pair
by pair, and the block's own Python snippet run as printed. The result is the same in a process with
another PYTHONHASHSEED. No embedding model is used (the block's compute ignores it): ``kv=None``.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import math
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from blocktest import EVIL, quote, run, spec_of
from lexicon.blocks.text import sgns
from lexicon.blocks.text._corpus import corpus_frequencies, corpus_stories
from lexicon.engine.deps import compute_code
from lexicon.engine.pieces import Code
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

KIND = "sgns"
PAGE = "word: qantas\ncontext: workers"   # the term page's block, with the defaults (k 5, window 5, epochs 10, seed 1)


def value(spec, result, name, *args):
    return quote(KIND, spec, result, name, *args)


def sigma(x):
    return 1.0 / (1.0 + np.exp(-x))


@pytest.fixture(scope="module")
def page():
    return run(None, KIND, PAGE)


def test_sigma_and_loss_equal_numpy_on_the_trained_vectors(page):
    _, result, _, _ = page
    model, _ = sgns.trained(5, 5, 10, 1)
    i = model.wv.key_to_index
    v = model.wv.vectors[i["qantas"]].astype(np.float64)
    words = [r[0] for r in result["rows"]]
    assert words[0] == "workers" and len(words) == 6 and result["k"] == 5 and result["drawn"]
    after = [float(sigma(v @ model.syn1neg[i[w]].astype(np.float64))) for w in words]
    assert [r[5] for r in result["rows"]] == pytest.approx(after, abs=1e-4)
    loss = -math.log(after[0]) - sum(math.log(1 - s) for s in after[1:])
    assert result["loss"]["after"] == pytest.approx(loss, abs=1e-4)
    # The lesson, on this pair: the true pair rises, every negative ends below it, the loss falls.
    assert after[0] > 0.5 and max(after[1:]) < after[0] and loss < result["loss"]["before"]
    # "Near" counts: how often each word occurs within 5 words of qantas in the text.
    near = Counter()
    for s in corpus_stories():
        for j, w in enumerate(s):
            if w == "qantas":
                near.update(s[max(0, j - 5):j] + s[j + 1:j + 6])
    assert [r[2] for r in result["rows"]] == [near[w] for w in words]


def test_before_training_every_sigma_is_a_half_and_the_loss_is_k_plus_one_ln_2(page):
    from gensim.models import Word2Vec

    spec, result, _, _ = page
    fresh = Word2Vec(sg=1, hs=0, negative=5, vector_size=32, window=5, min_count=5, epochs=10, workers=1, seed=1)
    fresh.build_vocab([list(s) for s in corpus_stories()])
    assert not fresh.syn1neg.any()                       # gensim starts the output vectors at zero
    assert np.abs(fresh.wv.vectors).max() > 0           # and the input vectors at random
    _, (v0, u0) = sgns.trained(5, 5, 10, 1)
    assert np.array_equal(v0, fresh.wv.vectors) and np.array_equal(u0, fresh.syn1neg)
    assert all(r[4] == 0.5 for r in result["rows"])
    assert result["loss"]["before"] == pytest.approx(6 * math.log(2), abs=1e-4)
    assert result["means"]["before"] == pytest.approx([0.5, 0.5, 6 * math.log(2)], abs=1e-4)
    assert value(spec, result, "loss", "before").text == f"{6 * math.log(2):.4f}"


def test_noise_probabilities_are_counts_to_the_three_quarters(page):
    _, result, _, _ = page
    freq = corpus_frequencies()
    kept = {w: n for w, n in freq.items() if n >= 5}
    assert result["vocab"] == len(kept) and result["tokens"] == sum(freq.values())
    total = sum(n ** 0.75 for n in kept.values())
    for w, _, _, p, _, _ in result["rows"]:
        assert p == pytest.approx(kept[w] ** 0.75 / total, abs=2e-6), w
    negs = [r[0] for r in result["rows"][1:]]
    assert len(set(negs)) == 5 and "workers" not in negs


def test_corpus_means_equal_a_pair_by_pair_computation(page):
    _, result, _, _ = page
    model, _ = sgns.trained(5, 5, 10, 1)
    i = model.wv.key_to_index
    centre, ctx = [], []
    for s in corpus_stories():
        for a, w in enumerate(s):
            for b in range(max(0, a - 5), min(len(s), a + 6)):
                if b != a and w in i and s[b] in i:
                    centre.append(i[w])
                    ctx.append(i[s[b]])
    centre, ctx = np.array(centre), np.array(ctx)
    counts = np.array([model.wv.get_vecattr(w, "count") for w in model.wv.index_to_key], dtype=float) ** 0.75
    noise = counts / counts.sum()
    v, u = model.wv.vectors.astype(np.float64), model.syn1neg.astype(np.float64)
    pos = sigma(np.einsum("ij,ij->i", v[centre], u[ctx]))
    scores = sigma(v @ u.T)
    neg = (scores @ noise)[centre]                               # E over the noise distribution of σ(u_n · v_w)
    loss = -np.log(pos) - 5 * (np.log1p(-scores) @ noise)[centre]
    assert result["means"]["pairs"] == len(centre)
    assert result["means"]["after"] == pytest.approx([pos.mean(), neg.mean(), loss.mean()], abs=2e-4)
    # True pairs end above the negatives on average, and the loss falls, yet the mean σ of a true pair
    # falls below 0.5: most pairs are of words that occur near almost everything.
    pa, na, la = result["means"]["after"]
    assert pa > na and la < result["means"]["before"][2] and pa < 0.5


def test_the_printed_code_reproduces_the_numbers(page):
    spec, result, _, _ = page
    parts = registry()[KIND].render(spec, result, None)
    code = next(p for p in parts if isinstance(p, Code)).source
    env: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "snippet", "exec"), env)   # noqa: S102 - our own snippet, trains the same model
    assert env["negatives"] == [r[0] for r in result["rows"][1:]]
    assert float(env["pos"]) == pytest.approx(result["rows"][0][5], abs=1e-4)
    assert [float(x) for x in env["neg"]] == pytest.approx([r[5] for r in result["rows"][1:]], abs=1e-4)
    assert float(env["loss"]) == pytest.approx(result["loss"]["after"], abs=1e-4)


def test_the_same_result_in_a_process_with_another_hash_seed():
    source = "word: qantas\ncontext: workers\nepochs: 2"
    kind = registry()[KIND]
    here = kind.compute(None, kind.read(source))
    prog = ("import json; from lexicon.engine.registry import registry; k = registry()['sgns']; "
            f"print(hash('qantas')); print(json.dumps(k.compute(None, k.read({source!r}))))")
    seed = "2024" if os.environ.get("PYTHONHASHSEED") != "2024" else "7"
    env = {**os.environ, "PYTHONHASHSEED": seed,
           "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "scripts")}
    out = subprocess.run([sys.executable, "-c", prog], env=env, capture_output=True, text=True, check=True)
    their_hash, their_result = out.stdout.strip().splitlines()[-2:]
    assert int(their_hash) != hash("qantas")          # the two processes do hash strings differently
    assert json.loads(their_result) == json.loads(json.dumps(here))


def test_named_negatives_and_values(page):
    spec, result, claims, out = run(None, KIND, "word: qantas\ncontext: workers\nnegatives: [the, cricket, said]\n"
                                                "epochs: 3\nwindow: 3\nexpect:\n  - after(the) < 0.5")
    assert [r[0] for r in result["rows"]] == ["workers", "the", "cricket", "said"]
    assert result["k"] == 3 and not result["drawn"] and spec.k == 3
    assert claims[0].ok and "named by the author" in out
    spec, result, _, out = page
    assert value(spec, result, "sigma", "workers").text == f"{result['rows'][0][5]:.4f}"
    assert value(spec, result, "sigma", "workers", "before").text == "0.5000"
    assert value(spec, result, "loss").number == result["loss"]["after"]
    assert value(spec, result, "mean", "positive", "after").number == result["means"]["after"][0]
    assert value(spec, result, "mean", "loss", "before").number == result["means"]["before"][2]
    assert value(spec, result, "near", "workers").text == str(result["rows"][0][2])
    assert value(spec, result, "noise", result["rows"][-1][0]).text + "</td>" in out
    assert value(spec, result, "size", "tokens").text == f"{result['tokens']:,}"
    assert value(spec, result, "size", "pairs").number == result["means"]["pairs"]
    assert value(spec, result, "k").text == "5" and value(spec, result, "epochs").text == "10"
    for bad in (("sigma", "cricket"), ("sigma", "workers", "during"), ("mean", "median"),
                ("size", "corpus")):
        with pytest.raises(LexiconError):
            value(spec, result, *bad)


def test_claims_hold_and_false_ones_fail_saying_what_the_model_says(page):
    negs = [r[0] for r in page[1]["rows"][1:]]
    true = (PAGE + "\nexpect:\n  - loss_before = chance_loss\n  - before(workers) = 0.5\n"
            "  - max_negative_before = 0.5\n  - min_negative_before = 0.5\n  - near(to) > near(workers)\n"
            "  - mean_positive_after < mean_positive_before\n  - mean_negative_after < mean_positive_after\n"
            "  - mean_loss_after < mean_loss_before\n  - min_negative_after < 0.1")
    _, _, claims, _ = run(None, KIND, true)
    assert [c.ok for c in claims] == [True] * 9, [c.actual for c in claims if not c.ok]
    assert claims[0].statement == "the pair's loss before training = (k + 1) ln 2"
    assert "how often 'to' occurs within the window of 'qantas' = 18" in claims[4].actual
    src = (PAGE + "\nexpect:\n  - after(workers) < 0.5\n  - max_negative_after > after(workers)\n"
           "  - loss_after > loss_before\n  - mean_positive_after > 0.5\n  - before(workers) > 0.5\n"
           f"  - after({negs[0]}) >= after(workers)\n  - loss_after = chance_loss\n  - near(to) <= near(workers)")
    _, _, claims, out = run(None, KIND, src)
    assert [c.ok for c in claims] == [False] * 8
    assert "σ(u·v) of (qantas, workers) after training = 0.9" in claims[0].actual
    assert "the corpus's mean σ(u·v) of the true pairs after training = 0.2" in claims[3].actual
    assert "before training = 0.5000" in claims[4].actual
    assert "(k + 1) ln 2 = 4.1589" in claims[6].actual
    assert all(c.against == "the trained model" for c in claims) and "False claim" in out


def test_bad_input_names_the_problem_and_the_fix():
    with pytest.raises(LexiconError) as err:
        run(None, KIND, "word: zebra\ncontext: workers")
    assert "occurs 0 times in the corpus" in str(err.value) and err.value.fix and err.value.word == "zebra"
    with pytest.raises(LexiconError) as err:
        run(None, KIND, "word: qantas\ncontext: cricket")
    assert "never occurs within 5 words of 'qantas'" in str(err.value) and "widen 'window'" in err.value.fix
    with pytest.raises(LexiconError) as err:
        run(None, KIND, "word: qantas\ncontext: workers\nnegatives: [the, zebra]")
    assert "'zebra' occurs 0 times" in str(err.value)
    with pytest.raises(LexiconError) as err:
        spec_of(KIND, "word: qantas\ncontext: workers\nnegatives: [the, of]\nk: 5")
    assert "'k' is 5 but 'negatives' names 2" in str(err.value) and "leave 'k' out" in err.value.fix
    with pytest.raises(LexiconError, match="both the context word and a negative"):
        spec_of(KIND, "word: qantas\ncontext: workers\nnegatives: [the, workers]")
    with pytest.raises(LexiconError, match="the word itself"):
        spec_of(KIND, "word: qantas\ncontext: qantas")
    for claim in ("workers beats the", "0.5 < after(workers)", "after(workers) > lots", "during(workers) > 0.5"):
        with pytest.raises(LexiconError) as err:
            spec_of(KIND, PAGE + f"\nexpect:\n  - {claim}")
        assert "cannot read the claim" in str(err.value) and "after(workers) > 0.5" in err.value.fix
    with pytest.raises(LexiconError) as err:   # a claim about a word that is not in the table
        run(None, KIND, "word: qantas\ncontext: workers\nnegatives: [the]\nepochs: 1\nexpect:\n  - after(of) < 0.5")
    assert "neither the context word nor one of the negatives" in str(err.value) and "workers, the" in err.value.fix
    for bad in ("k: 0", "k: 21", "epochs: 0", "window: 11", "k: 2.0", "negatives: []"):
        with pytest.raises(LexiconError):
            spec_of(KIND, f"{PAGE}\n{bad}")


def test_cache_key_display_options_and_escaping():
    kind = registry()[KIND]
    inputs = kind.options.result_inputs(spec_of(KIND, PAGE + "\ncaption: x\ncode: false\nfigure: false\n"
                                                       "expect:\n  - loss_after < loss_before"))
    assert set(inputs) == {"word", "context", "negatives", "k", "seed", "window", "epochs"}
    key = compute_code(type(kind))
    assert "lexicon.blocks.text._corpus.LEE" in key.data and "gensim" in key.packages
    assert not any(s.startswith(("lexicon.render", "lexicon.figures")) for s in key.symbols)
    _, _, _, out = run(None, KIND, f"{PAGE}\ncaption: {json.dumps(EVIL)}\nfigure: false\ncode: false")
    assert EVIL not in out and "ll-plot" not in out and "<details class=\"ll-code\">" not in out
    _, _, _, out = run(None, KIND, f"{PAGE}\ncaption: {json.dumps(EVIL)}")
    assert EVIL not in out and html.escape(EVIL, quote=False) in out and "ll-plot" in out
    assert "not the site\u2019s GloVe model" in out


def test_example_computes_and_its_claims_hold():
    kind = registry()[KIND]
    _, _, claims, out = run(None, KIND, kind.example)
    assert claims and all(c.ok for c in claims)
    assert out.count("<table>") == 2 and "ll-block--sgns" in out
