"""Issue 13: property-based fuzzing of every block kind (Hypothesis).

Each kind's own valid example (its example in the block reference, docs/blocks/) is mutated the way a
careless author or an attacker would: an option's value replaced by another type, a size made
huge or negative, unicode, empty values, nesting, an option dropped or an unknown one added.
Every outcome must be either a block that computes and renders with no NaN or infinity in it,
or a LexiconError with a fix (the build shows it located at the block), never another
exception. Every kind is read (parsed, validated, prepared) for each case; the kinds whose
computation is cheap are also computed, checked and rendered; the costly ones (maps, indexes,
training) are read for each case, and computed, checked and rendered for a few cases of their
own whose sizes are drawn small (COSTLY_CASES each: about 2 minutes in all on 2 cores).
The number of cases is bounded per kind so the suite stays within its time budget; the test
prints how many ran.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blocktest import all_finite, run
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

KINDS = sorted(registry())
# Kinds whose compute takes seconds (training, t-SNE/UMAP, an index over 50,000 words, whole
# benchmarks): fuzzed through read and prepare only.
COSTLY = {"ann", "ann-exercise", "ivf-pq", "umap", "tsne", "embedding-map", "map-exercise", "variance-exercise",
          "analogy-benchmark", "similarity-benchmark", "sgns", "fasttext-oov", "bpe", "filtered-search",
          "weat", "human-similarity", "pca-scaling", "ppmi", "cooccurrence", "cooccurrence-exercise", "senses",
          "zipf", "tfidf", "subword", "subword-exercise", "toy-context", "vocabulary", "vocabulary-exercise",
          "ngrams", "bpe-exercise", "spelling-suggestions", "collocations", "collocation-exercise"}
CASES = 20   # per kind
COSTLY_CASES = 3   # per costly kind, computed (sizes drawn small)
RAN = {"read": 0, "computed": 0, "errors": 0, "costly computed": 0}

ODD_TEXT = st.sampled_from(["", " ", "ünïcödé", "名前", "a" * 5000, "<script>alert(1)</script>", "king - king",
                            "-", "1e309", ".nan", "null", "0", "🙂", "\u202e", "a\nb", "[x](javascript:alert(1))"])
ODD_NUMBER = st.one_of(st.integers(-10**12, 10**12), st.sampled_from([0, -1, 1, 2**31, 2**63, 10**30]),
                       st.floats(allow_nan=True, allow_infinity=True), st.just(5.0))
SCALAR = st.one_of(ODD_TEXT, ODD_NUMBER, st.booleans(), st.none(), st.text(max_size=30))
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=6),
                                                     st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                     max_leaves=12)
# For the costly kinds' computed cases: the same shapes, with sizes drawn small, so that a case
# computes in seconds (the limits on large sizes are read-checked by the cases above).
SMALL_NUMBER = st.one_of(st.integers(-2, 12), st.sampled_from([0, -1, 1, 5.0, 0.5, float("nan"), float("inf")]),
                         st.floats(min_value=-12, max_value=12))
SMALL_VALUE = st.recursive(st.one_of(ODD_TEXT.filter(lambda t: len(t) < 100), SMALL_NUMBER, st.booleans(),
                                     st.none(), st.text(max_size=12)),
                           lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                   st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                           max_leaves=6)


def _example(kind: str) -> dict:
    data = yaml.safe_load(registry()[kind].example) or {}
    assert isinstance(data, dict), kind
    return data


@st.composite
def mutated(draw, kind: str, small: bool = False) -> str:
    """``small``: every size drawn small (a list of at most 8, a number at most x3, no 5000-char text)."""
    value_of = SMALL_VALUE if small else VALUE
    data = _example(kind)
    names = sorted(set(data) | {n for n, _ in registry()[kind].options})
    how = draw(st.sampled_from(["near", "near", "near", "replace", "replace", "drop", "unknown", "grow", "empty"]))
    if how == "near" and data:   # a plausible edit: another real word, a nearby number, a list reordered
        name = draw(st.sampled_from(sorted(data)))
        data[name] = draw(_near(data[name], small))
    elif how in ("replace", "near") or (how in ("drop", "grow") and not data):
        data[draw(st.sampled_from(names))] = draw(value_of)
    elif how == "drop":
        data.pop(draw(st.sampled_from(sorted(data))))
    elif how == "unknown":
        data[draw(st.text(min_size=1, max_size=10))] = draw(value_of)
    elif how == "grow":   # a list or mapping made long, or a number made huge
        name = draw(st.sampled_from(sorted(data)))
        value = data[name]
        n = draw(st.sampled_from([0, 2, 8] if small else [0, 60, 500, 5000]))
        if isinstance(value, list) and value:
            data[name] = (value * (n // len(value) + 1))[:n]
        elif isinstance(value, dict) and value:
            data[name] = {f"{k}{i}": v for i in range(max(n // 100, 1)) for k, v in value.items()}
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            data[name] = value * (draw(st.sampled_from([2, 3])) if small else 10**draw(st.integers(1, 12))) \
                * draw(st.sampled_from([1, -1]))
    else:
        data = {}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


WORDS = st.sampled_from(["the", "king", "queen", "man", "woman", "cat", "dog", "car", "a", "of", "aardvark",
                         "zyzzyva", "qwertyuiop", "bank", "river", "money", "frog", "1", "-", "'s"])


def _near(value, small: bool = False):
    """A value of the same shape as ``value``, changed as an author might change it."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.integers(-2, max(2 * value, 3))
    if isinstance(value, float):
        return st.floats(-2 * abs(value) - 1, 2 * abs(value) + 1, allow_nan=False)
    if isinstance(value, str):
        if " - " in value or " + " in value:   # an analogy query: its words swapped for others
            return st.lists(WORDS, min_size=3, max_size=3).map(lambda w: f"{w[0]} - {w[1]} + {w[2]}")
        return WORDS
    if isinstance(value, list) and value:
        return st.one_of(st.permutations(value).map(list),
                         st.lists(st.one_of(*[_near(v, small) for v in value[:3]]), min_size=0,
                                  max_size=len(value) + 2))
    if isinstance(value, dict) and value:
        return st.fixed_dictionaries({k: _near(v, small) for k, v in value.items()})
    return SMALL_VALUE if small else VALUE


NOT_A_NUMBER = re.compile(r"(?<![\w-])(nan|NaN|-?inf|-?Infinity)(?![\w-])")


def _outcome(kv, kind: str, source: str, compute: bool = False) -> None:
    k = registry()[kind]
    try:
        if kind in COSTLY and not compute:
            k.read(source)
            RAN["read"] += 1
            return
        spec, result, claims, html = run(kv, kind, source)
    except LexiconError as err:
        RAN["errors"] += 1
        assert err.message and err.fix, f"{kind}: an error without a fix: {err!r}\n--- block:\n{source}"
        return
    RAN["costly computed" if kind in COSTLY else "computed"] += 1
    assert all_finite(result), f"{kind}: a result that is not a finite number\n--- block:\n{source}"
    text = re.sub(r"<[^>]+>", " ", html)
    assert not NOT_A_NUMBER.search(text), f"{kind}: the page shows a value that is not a number\n--- block:\n{source}"
    for claim in claims:
        if claim.ok:   # nothing false, and nothing that is not a number, is shown with ✓
            assert "nan" not in claim.actual.lower().split(), f"{kind}: ✓ beside NaN: {claim!r}"


@pytest.mark.parametrize("kind", KINDS)
def test_a_mutated_block_builds_or_gives_a_located_error(kv, kind):
    @settings(max_examples=CASES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(source=mutated(kind))
    def check(source):
        _outcome(kv, kind, source)

    check()


@pytest.mark.parametrize("kind", sorted(COSTLY))
def test_a_mutated_costly_block_computes_or_gives_a_located_error(kv, kind):
    """The costly kinds' compute, check and render under mutation: a few cases each, sizes small."""
    @settings(max_examples=COSTLY_CASES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(source=mutated(kind, small=True))
    def check(source):
        _outcome(kv, kind, source, compute=True)

    check()


def test_fuzz_case_count(capsys):
    """How many cases ran (the test above, in this session): printed for the closing note."""
    with capsys.disabled():
        print(f"\nfuzz: {len(KINDS)} kinds x {CASES} cases: {RAN['computed']} computed, {RAN['read']} read only, "
              f"{RAN['errors']} located errors; {len(COSTLY)} costly kinds x {COSTLY_CASES} cases: "
              f"{RAN['costly computed']} computed; {json.dumps(RAN)}")
