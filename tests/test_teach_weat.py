"""The ``weat`` kind: the Word Embedding Association Test of Caliskan, Bryson & Narayanan (2017).

Every number is checked against numpy computed here directly on the real model (cosines of unit
vectors, every re-partition enumerated by itertools); the sampled p-value is checked against
the exact one; false claims fail; bad input errors name their fix; author text is escaped.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import re
import time

import numpy as np
import pytest

from blocktest import EVIL, quote, run, spec_of
from lexicon.engine.deps import compute_code
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

FLOWERS = ("aster clover hyacinth marigold poppy azalea crocus iris orchid rose bluebell daffodil lilac pansy tulip "
           "buttercup daisy lily peony violet carnation gladiola magnolia petunia zinnia").split()
INSECTS = ("ant caterpillar flea locust spider bedbug centipede fly maggot tarantula bee cockroach gnat mosquito "
           "termite beetle cricket hornet moth wasp blackfly dragonfly horsefly roach weevil").split()
PLEASANT = ("caress freedom health love peace cheer friend heaven loyal pleasure diamond gentle honest lucky rainbow "
            "diploma gift honor miracle sunrise family happy laughter paradise vacation").split()
UNPLEASANT = ("abuse crash filth murder sickness accident death grief poison stink assault disaster hatred pollute "
              "tragedy divorce jail poverty ugly cancer kill rotten vomit agony prison").split()
SHORT_A = "love peace health happy gift freedom".split()
SHORT_B = "abuse murder sickness death poison disaster".split()


def block(x, y, a=SHORT_A, b=SHORT_B, names=("flowers", "insects", "pleasant", "unpleasant"), extra=""):
    return (f"targets:\n  {names[0]}: [{', '.join(x)}]\n  {names[1]}: [{', '.join(y)}]\n"
            f"attributes:\n  {names[2]}: [{', '.join(a)}]\n  {names[3]}: [{', '.join(b)}]\n" + extra)


WEAT1 = block(FLOWERS, INSECTS, PLEASANT, UNPLEASANT)
# A test with no real effect: p near 0.39 (12,870 re-partitions, more than the 2,000 sampled).
THINGS = block("table chair car road river tree door window".split(),
               "book paper street house city water stone glass".split(), names=("a", "b", "pleasant", "unpleasant"))


def value(spec, result, name, *args):
    return quote("weat", spec, result, name, *args)


def unit(v):
    v = np.asarray(v, dtype=np.float64)
    return v / np.linalg.norm(v)


def s_of(kv, w, a, b):
    """s(w, A, B) from the paper: mean cosine with A minus mean cosine with B."""
    return np.mean([unit(kv[w]) @ unit(kv[x]) for x in a]) - np.mean([unit(kv[w]) @ unit(kv[x]) for x in b])


def exact_p(s, nx):
    """Every re-partition of the targets into nx and the rest, enumerated and summed one by one."""
    statistic = sum(s[:nx]) - sum(s[nx:])
    hits = total = 0
    for first in itertools.combinations(range(len(s)), nx):
        rest = [i for i in range(len(s)) if i not in first]
        hits += sum(s[i] for i in first) - sum(s[i] for i in rest) >= statistic - 1e-12
        total += 1
    return hits / total


# --- the numbers ------------------------------------------------------------------------------

def test_weat1_numbers_equal_numpy_and_gladiola_is_left_out(kv):
    spec, result, _, _ = run(kv, "weat", WEAT1)
    assert "gladiola" not in kv.key_to_index and result["missing"] == [["gladiola"], [], [], []]
    x = [w for w in FLOWERS if w != "gladiola"]
    assert result["kept"] == [x, INSECTS, PLEASANT, UNPLEASANT]
    s = np.array([s_of(kv, w, PLEASANT, UNPLEASANT) for w in x + INSECTS])
    assert result["s"] == pytest.approx(s, abs=1e-6)
    with_a = [np.mean([unit(kv[w]) @ unit(kv[p]) for p in PLEASANT]) for w in x + INSECTS]
    assert result["with_a"] == pytest.approx(with_a, abs=1e-6)
    assert result["with_a"][0] - result["with_b"][0] == pytest.approx(result["s"][0], abs=2e-6)
    nx = len(x)
    assert result["statistic"] == pytest.approx(s[:nx].sum() - s[nx:].sum(), abs=1e-5)
    d = (s[:nx].mean() - s[nx:].mean()) / np.std(s, ddof=1)   # the sample standard deviation
    assert result["effect"] == pytest.approx(d, abs=1e-5)
    assert result["partitions"] == str(math.comb(49, 24)) and not result["exhaustive"]
    assert result["used"] == 10_000
    assert result["p"] == pytest.approx((result["at_least"] + 1) / 10_001)
    assert result["effect"] > 1 and result["p"] < 0.05


def test_the_exhaustive_p_is_every_repartition_counted(kv):
    k = registry()["weat"]
    spec, result, claims, _ = run(kv, "weat", k.example)
    x, y, a, b = result["kept"]
    s = [s_of(kv, w, a, b) for w in x + y]
    assert result["exhaustive"] and result["used"] == math.comb(12, 6) == 924
    assert result["p"] == pytest.approx(exact_p(s, len(x)))
    assert claims and all(c.ok for c in claims)


def test_unequal_sets_keep_their_sizes_and_match_the_difference_of_means(kv):
    x, y = ["rose", "tulip", "daisy", "lily", "spider"], ["ant", "flea", "mosquito", "orchid"]
    _, result, _, _ = run(kv, "weat", block(x, y))
    s = np.array([s_of(kv, w, SHORT_A, SHORT_B) for w in x + y])
    observed = s[:5].mean() - s[5:].mean()
    hits = [s[list(f)].mean() - np.delete(s, list(f)).mean() >= observed - 1e-12
            for f in itertools.combinations(range(9), 5)]
    assert result["exhaustive"] and result["used"] == 126
    assert result["p"] == pytest.approx(np.mean(hits))


def test_the_sampled_p_is_close_to_the_exact_one_and_fixed_by_the_seed(kv):
    source = THINGS + "permutations: 2000\n"
    _, result, _, _ = run(kv, "weat", source)
    x, y, a, b = result["kept"]
    s = [s_of(kv, w, a, b) for w in x + y]
    exact = exact_p(s, 8)
    assert not result["exhaustive"] and result["used"] == 2000
    assert abs(result["p"] - exact) < 4 * math.sqrt(exact * (1 - exact) / 2000) + 1 / 2000
    assert run(kv, "weat", source)[1] == result                     # the same seed, the same numbers
    other = run(kv, "weat", source + "seed: 7\n")[1]
    assert other["s"] == result["s"] and other["at_least"] != result["at_least"]


def test_compute_is_fast_and_reaches_no_render_code(kv):
    start = time.perf_counter()
    run(kv, "weat", WEAT1 + "permutations: 100000\n")
    assert time.perf_counter() - start < 3
    symbols = compute_code(type(registry()["weat"])).symbols
    assert "lexicon.blocks.distance.weat:weat" in symbols
    assert not any(s.startswith(("lexicon.render", "lexicon.figures")) for s in symbols)


# --- claims -----------------------------------------------------------------------------------

def test_true_claims_pass_and_false_ones_fail(kv):
    ok = WEAT1 + "expect:\n  - effect > 1\n  - p < 0.05\n  - statistic > 0\n  - fly > 0\n  - rose > spider\n"
    assert all(c.ok for c in run(kv, "weat", ok)[2])
    bad = (WEAT1 + "expect:\n  - effect < 1\n  - p > 0.05\n  - statistic < 0\n  - fly < 0\n"
           "  - spider > rose\n  - gladiola > 0\n")
    claims = run(kv, "weat", bad)[2]
    assert len(claims) == 6 and not any(c.ok for c in claims)
    assert "left out" in claims[-1].actual and "s(fly) = 0.1179" in claims[3].actual
    nothing = run(kv, "weat", THINGS + "permutations: 2000\nexpect:\n  - p < 0.05\n")[2]
    assert not nothing[0].ok and "2,000 sampled" in nothing[0].actual


# --- values -----------------------------------------------------------------------------------

def test_values_read_as_the_block_writes_them(kv):
    spec, result, _, out = run(kv, "weat", WEAT1)
    assert value(spec, result, "effect").text == f"{result['effect']:.2f}"
    assert value(spec, result, "p").text == f"{result['p']:.4f}"
    fly = value(spec, result, "association", "fly")
    assert fly.number == result["s"][result["kept"][1].index("fly") + 24] and "<td>fly</td>" in out
    assert fly.text in out
    assert value(spec, result, "size", "flowers").text == "24" and value(spec, result, "size", "insects").number == 25
    assert value(spec, result, "left_out").text == "gladiola"
    assert value(spec, result, "permutations").text == "10,000"
    assert value(spec, result, "statistic").text == f"{result['statistic']:.4f}"
    with pytest.raises(LexiconError, match="not a target word"):
        value(spec, result, "association", "gladiola")
    with pytest.raises(LexiconError, match="no set named"):
        value(spec, result, "size", "trees")


# --- rendering --------------------------------------------------------------------------------

def test_the_block_shows_a_chart_with_its_table_and_says_what_was_left_out(kv):
    _, result, _, out = run(kv, "weat", WEAT1)
    fig = json.loads(html.unescape(re.search(r"data-figure='([^']*)'", out).group(1)))
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert [t["name"] for t in bars] == ["flowers", "insects"] and sum(len(t["y"]) for t in bars) == 49
    assert 'aria-label="Bar chart of s(w, pleasant, unpleasant)' in out and "bedbug (insects) −0.21." in out
    assert out.count("<tr>") == 50                                   # the header and 49 words
    assert "left out: gladiola (flowers)" in out
    assert "d = 1.08" in out and "p = 0.0003" in out


def test_author_text_is_escaped(kv):
    e = EVIL.replace("'", "''")
    source = block(["rose", "tulip"], ["ant", "flea"], names=(f"'{e}'", "insects", "pleasant", "unpleasant"))
    out = run(kv, "weat", source)[3]
    assert EVIL not in out and "&lt;script&gt;" in out


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("source, message", [
    (block(["rose", "tulip"], ["ant", "rose"]), "'rose' is in both 'flowers' and 'insects'"),
    (block(["rose", "love"], ["ant", "flea"]), "'love' is in both 'flowers' and 'pleasant'"),
    (block(["rose", "tulip"], ["ant", "flea"], names=("a", "b", "a2", "b")), "two share a name"),
    (block(["rose", "tulip"], ["ant", "flea"], extra="expect:\n  - effect is big\n"), "cannot read the claim"),
    (block(["rose", "tulip"], ["ant", "flea"], extra="expect:\n  - love > 0\n"), "neither a target word"),
    (block(["rose", "tulip"], ["ant", "flea"], extra="expect:\n  - p < rose\n"), "not a number"),
    (block(["rose", "tulip"], ["ant", "flea"], extra="expect:\n  - rose > love\n"), "not a target word"),
])
def test_bad_blocks_are_refused_with_a_fix(source, message):
    with pytest.raises(LexiconError) as err:
        spec_of("weat", source)
    assert message in str(err.value) and err.value.fix


@pytest.mark.parametrize("source", [
    "targets:\n  a: [rose, tulip]\nattributes:\n  p: [love, peace]\n  u: [death, abuse]\n",          # one set
    block(["rose", "tulip"], ["ant", "flea"]) + "  third: [war, hate]\n",                            # three
    block(["rose"], ["ant", "flea"]),                                                                # one word
    block(["rose", "tulip"], ["ant", "flea"], extra="permutations: 50\n"),                          # too few
    block(["rose", "tulip"], ["ant", "flea"], extra="permutations: 1000.0\n"),                      # not whole
])
def test_option_shapes_are_validated(source):
    with pytest.raises(LexiconError) as err:
        spec_of("weat", source)
    assert err.value.fix


def test_a_set_the_model_barely_knows_is_an_error_that_names_the_fix(kv):
    with pytest.raises(LexiconError) as err:
        run(kv, "weat", block(["Adam", "Harry", "Roger"], ["Alonzo", "Jamel", "Theo"]))
    assert "'flowers' keeps 0 words" in str(err.value) and "lower-case" in err.value.fix
    with pytest.raises(LexiconError, match="keeps 1 word "):
        run(kv, "weat", block(["rose", "qqxzyv"], ["ant", "flea"]))
