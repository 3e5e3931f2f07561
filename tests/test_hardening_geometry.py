"""Issue 13, class 1: degenerate geometry never passes a check (lexicon.geometry).

Every kind that needs the model is computed through the build's one gate
(``build.compute_checked``) on copies of the real model made degenerate: a word of the block
with a zero vector, every word of the block sharing one vector, a zero vector elsewhere in the
vocabulary. Each outcome is a LexiconError (located by the page) or a result whose numbers are
all finite: never another exception, never a NaN. Claims and tables are checked the same way.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from blocktest import all_finite
from lexicon import geometry
from lexicon.build import compute_checked
from lexicon.engine.checks import Checks, Where
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError
from lexicon.render import table

KINDS = registry()
MODEL_KINDS = sorted(n for n, k in KINDS.items() if k.needs_model)


def degenerate(kv, rows: dict[int, np.ndarray]):
    """A shallow copy of ``kv`` whose vectors are a copy with some rows replaced."""
    out = copy.copy(kv)
    out.vectors = kv.vectors.copy()
    for i, v in rows.items():
        out.vectors[i] = v
    out.norms = None
    out.__dict__.pop("lexicon_zero_rows", None)
    return out


def outcome(kind_name: str, kv):
    """The gate's outcome: ('error', message) or ('ok', result); anything else fails the test."""
    kind = KINDS[kind_name]
    spec = kind.read(kind.example)
    try:
        return "ok", compute_checked(kind, kv, spec)
    except LexiconError as exc:
        assert exc.fix, f"{kind_name}: an error without a fix: {exc}"
        return "error", str(exc)


def first_word(kind_name: str):
    kind = KINDS[kind_name]
    words = kind.words(kind.read(kind.example))
    return words[0] if words else None


@pytest.mark.parametrize("kind_name", [n for n in MODEL_KINDS if first_word(n)])
def test_a_word_with_a_zero_vector_is_a_clean_error_naming_it(kv, kind_name):
    word = first_word(kind_name)
    got, said = outcome(kind_name, degenerate(kv, {kv.key_to_index[word]: 0}))
    assert got == "error", f"{kind_name} built with a zero vector for '{word}'"
    assert f"the vector of '{word}' is zero" in said and "no direction" in said


@pytest.mark.parametrize("kind_name", MODEL_KINDS)
def test_every_word_of_a_block_sharing_one_vector_gives_an_error_or_finite_numbers(kv, kind_name):
    kind = KINDS[kind_name]
    words = [w for w in kind.words(kind.read(kind.example)) if w in kv.key_to_index]
    if not words:
        pytest.skip("the example names no word of the model")
    same = kv[words[0]].copy()
    got, result = outcome(kind_name, degenerate(kv, {kv.key_to_index[w]: same for w in words}))
    assert got == "error" or all_finite(result), f"{kind_name}: NaN in {result}"


@pytest.mark.parametrize("kind_name", MODEL_KINDS)
def test_a_zero_vector_elsewhere_in_the_vocabulary_gives_an_error_or_finite_numbers(kv, kind_name):
    used = set(KINDS[kind_name].words(KINDS[kind_name].read(KINDS[kind_name].example)))
    i = next(i for i in range(20, 200) if kv.index_to_key[i] not in used)
    got, result = outcome(kind_name, degenerate(kv, {i: 0}))
    assert got == "error" or all_finite(result), f"{kind_name}: NaN in {result}"
    if got == "error":
        assert "not finite" in result and f"'{kv.index_to_key[i]}'" in result, result


# --- queries --------------------------------------------------------------------------------

@pytest.mark.parametrize("query, word", [("king - king + queen", "king"), ("man - man", "man"),
                                         ("paris + france - paris", "paris")])
def test_a_word_added_and_subtracted_is_an_error_naming_it(query, word):
    with pytest.raises(LexiconError, match=f"'{word}' is both added and subtracted") as err:
        KINDS["analogy"].read(f"query: {query}")
    assert err.value.word == word


def test_a_query_that_adds_up_to_nothing_is_an_error(kv):
    twin = degenerate(kv, {kv.key_to_index["woman"]: kv["man"]})
    with pytest.raises(LexiconError, match="adds up to \\(almost\\) nothing"):
        geometry.check_query(twin, ["man"], ["woman"])
    geometry.check_query(kv, ["king", "woman"], ["man"])   # a real query passes


def test_a_direction_pair_of_one_vector_is_an_error(kv):
    twin = degenerate(kv, {kv.key_to_index["bad"]: kv["good"]})
    got, said = outcome("direction", twin)
    assert got == "error" and "adds up to (almost) nothing" in said


# --- claims and tables ------------------------------------------------------------------------

def checks() -> Checks:
    return Checks(Where("docs/p.md", 3, "neighbours"))


@pytest.mark.parametrize("answers", [[["queen", float("nan")], ["prince", 0.5]],
                                     [["queen", 0.7], ["prince", float("inf")]]])
def test_a_rank_claim_beside_a_score_that_is_not_a_number_is_false(answers):
    claim = checks().rank({"word": "queen", "rank": 1}, answers, "king")
    assert not claim.ok and "not finite" in claim.actual


def test_a_rank_decided_by_a_tie_is_false():
    c = checks()
    assert not c.rank({"word": "queen", "rank": 1}, [["queen", 0.7], ["prince", 0.7]], "king").ok
    assert "tied with 'prince'" in c.made[-1].actual
    assert c.rank({"word": "queen", "rank": 1}, [["queen", 0.71], ["prince", 0.7]], "king").ok
    # within 2: a tie inside the top 2 decides nothing; one across its line does
    assert c.rank({"word": "prince", "within": 2}, [["a", 0.7], ["prince", 0.7], ["b", 0.6]], "x").ok
    assert not c.rank({"word": "prince", "within": 2}, [["a", 0.8], ["prince", 0.7], ["b", 0.7]], "x").ok


def test_comparisons_and_orders_need_finite_untied_scores():
    c = checks()
    assert not c.comparison("a~b > c~d", float("nan"), 0.1).ok
    assert not c.comparison("a~b > c~d", 0.5, 0.5).ok
    assert not c.order(["x", "y"], [0.5, 0.5], ["x", "y"], "x and y").ok
    assert not c.order(["x", "y"], [float("nan"), 0.5], ["y", "x"], "x and y").ok
    assert c.order(["x", "y"], [0.6, 0.5], ["x", "y"], "x and y").ok


@pytest.mark.parametrize("actual", ["similarity(a, b) = nan", "the score is inf", "queen (nan)", "d = -inf"])
def test_no_claim_is_marked_true_beside_a_value_that_is_not_a_number(actual):
    assert not checks()("a claim", True, actual).ok


def test_a_word_called_nan_is_still_a_word():
    assert checks()("a claim", True, "the list: nan (0.4100), inf (0.3000)").ok


@pytest.mark.parametrize("cell", [float("nan"), float("inf"), "nan", "-inf"])
def test_a_table_never_prints_nan_or_inf(cell):
    with pytest.raises(LexiconError, match="not a finite number"):
        table(["Word", "Score"], [["king", cell]], numeric_cols=(1,))
    table(["Word", "Score"], [["nan", "0.5"]], numeric_cols=(1,))   # the word 'nan' is fine


# --- model files: variants of the catalogue's entries ----------------------------------------

WORDS = ["king", "queen", "man", "woman"]


def small_model(tmp_path, fmt: str, rows=None, header: str | None = None, words=WORDS):
    from gensim.models import KeyedVectors

    from lexicon.model import ModelSpec

    vectors = np.random.default_rng(3).normal(size=(len(words), 5)).astype(np.float32)
    for i, v in (rows or {}).items():
        vectors[i] = v
    kv = KeyedVectors(vector_size=5)
    kv.add_vectors(words, vectors)
    path = tmp_path / f"m.{fmt}"
    if fmt == "keyedvectors":
        kv.save(str(path))
    else:
        kv.save_word2vec_format(str(path), binary=fmt == "word2vec-binary", write_header=fmt != "glove")
    if header is not None:
        data = path.read_bytes()
        path.write_bytes(header.encode() + b"\n" + data[data.index(b"\n") + 1:])
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - lexicon:\n      model: {path: x}\n")
    return ModelSpec("Small", fmt, str(path), str(tmp_path / "mkdocs.yml"))


def load_error(spec) -> LexiconError:
    from lexicon.model import load

    with pytest.raises(LexiconError) as err:
        load(spec)
    assert err.value.fix and err.value.file and "m." in err.value.file
    return err.value


@pytest.mark.parametrize("fmt", ["word2vec", "glove", "word2vec-binary", "keyedvectors"])
def test_a_model_of_one_word_names_the_file(tmp_path, fmt):
    err = load_error(small_model(tmp_path, fmt, words=["king"]))
    assert "holds only 1 word ('king')" in str(err)


@pytest.mark.parametrize("fmt", ["word2vec", "glove", "word2vec-binary", "keyedvectors"])
def test_a_model_of_zero_vectors_names_the_file(tmp_path, fmt):
    err = load_error(small_model(tmp_path, fmt, rows={i: 0 for i in range(4)}))
    assert "every vector of the model is zero (4 words)" in str(err)


def test_a_binary_header_announcing_fewer_words_than_the_file_holds(tmp_path):
    err = load_error(small_model(tmp_path, "word2vec-binary", header="2 5"))
    assert err.line == 1 and "announces 2 words, but the file goes on" in str(err)


def test_a_text_header_announcing_fewer_words_or_other_widths(tmp_path):
    assert "announces 3 words, but 4 lines" in str(load_error(small_model(tmp_path, "word2vec", header="3 5")))
    assert "announces 7 numbers per word, but line 2 has 5" in str(
        load_error(small_model(tmp_path, "word2vec", header="4 7")))


@pytest.mark.parametrize("fmt", ["word2vec", "word2vec-binary", "keyedvectors"])
def test_a_good_small_model_still_loads(tmp_path, fmt):
    from lexicon.model import load

    assert len(load(small_model(tmp_path, fmt))) == 4


@pytest.mark.parametrize("value", [0.0, 1e-30, 1e30])
def test_a_vector_too_short_or_too_long_to_measure_counts_as_zero(tmp_path, value):
    from lexicon.model import load, require_words

    kv = load(small_model(tmp_path, "word2vec", rows={1: value}))
    with pytest.raises(LexiconError, match="the vector of 'queen' is zero") as err:
        require_words(kv, ["king", "queen"])
    assert "m.word2vec:3" in str(err.value)      # the file and line of queen's vector
    require_words(kv, ["king", "man"])


def test_a_claim_made_anywhere_is_never_true_beside_a_number_that_is_not_one():
    """Claims not made through Checks (a notebook's check cells) pass the same guard."""
    from lexicon.engine.checks import Claim

    assert not Claim("the mean is 0.5", True, "mean = nan").ok
    assert Claim("the mean is 0.5", True, "mean = 0.5000").ok
