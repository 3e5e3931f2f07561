"""Issue 13, classes 4 and 5: every size has a limit, and types are exact.

The limits are declared once, with the options (``lexicon.engine.options``: a kind's own
``max=``, and ``LIMITS`` for whatever it leaves open); these tests walk every kind's schema, so
a new kind or option cannot leave a size open.
"""

import pytest

from lexicon.config import LexiconConfig
from lexicon.engine.options import LIMITS, SEED_MAX, Validator
from lexicon.engine.registry import registry
from lexicon.engine.yamlread import read_block
from lexicon.errors import LexiconError

OPEN_KEYS = ("patternProperties", "if", "then", "else", "not", "dependentSchemas", "contains")


def _open_sizes(schema, path="") -> list[str]:
    """Every place in ``schema`` where a list, mapping or number has no upper bound."""
    if isinstance(schema, list):
        return [p for i, s in enumerate(schema) for p in _open_sizes(s, f"{path}|{i}")]
    if not isinstance(schema, dict):
        return []
    out = [f"{path}: {k} is not walked by the limits" for k in OPEN_KEYS if k in schema]
    kind = schema.get("type")
    if kind == "array" and "maxItems" not in schema:
        out.append(f"{path}: a list without maxItems")
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict) and "maxProperties" not in schema:
        out.append(f"{path}: a mapping without maxProperties")
    if kind in ("integer", "number") and "maximum" not in schema and "exclusiveMaximum" not in schema:
        out.append(f"{path}: a number without a maximum")
    for key in ("items", "additionalProperties", "prefixItems", "anyOf", "oneOf", "allOf"):
        if key in schema:
            out += _open_sizes(schema[key], f"{path}.{key}")
    for name, sub in (schema.get("properties") or {}).items():
        out += _open_sizes(sub, f"{path}.{name}")
    return out


def test_every_option_of_every_kind_has_a_limit():
    open_ = {kind: _open_sizes(k.options.schema()) for kind, k in registry().items()}
    assert not {k: v for k, v in open_.items() if v}, open_


def test_seeds_are_bounded_where_numpy_and_scikit_learn_accept_them():
    for kind, k in registry().items():
        for name, opt in k.options:
            if name == "seed":
                assert opt.json_schema()["maximum"] <= SEED_MAX, kind


@pytest.mark.parametrize("kind, body, says", [
    ("similarity", "pairs:\n" + "  - [cat, dog]\n" * 51, "option 'pairs': 51 items, more than the limit of 50"),
    ("embedding-map", "groups:\n  a: [" + ", ".join(["cat"] * 51) + "]\n  b: [dog, cat]",
     "option 'groups.a': 51 items, more than the limit of 50"),
    ("tsne", "words: [" + ", ".join(f"w{i}" for i in range(401)) + "]",
     "option 'words': 401 items, more than the limit of 400"),
    ("tsne", "words: [cat, dog]\nseed: 4294967296", "option 'seed': 4,294,967,296 is more than the limit of 4,294,967,295"),
    ("similarity-benchmark", "dataset: wordsim353\nrestrict_vocab: 5000000", "is more than the limit of 1,000,000"),
])
def test_a_size_over_its_limit_is_a_located_error_naming_the_limit(kind, body, says):
    k = registry()[kind]
    with pytest.raises(LexiconError) as err:
        read_block(kind, body, k.options, k.example)
    assert says in err.value.message
    assert err.value.line is not None and err.value.fix


@pytest.mark.parametrize("value", [5.0, True, "5", None])
def test_whole_numbers_are_exact(value):
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    assert list(Validator(schema).iter_errors({"n": value}))
    assert not list(Validator(schema).iter_errors({"n": 5}))


@pytest.mark.parametrize("value", [-1, 0, 99, 100_001, True, 5.0, "50000"])
def test_explorer_words_outside_its_range_is_an_error_naming_the_range(value):
    cfg = LexiconConfig()
    cfg.load_dict({"explorer_words": value})
    failed, _ = cfg.validate()
    assert failed and "is not a whole number from 100 to 100,000" in str(failed[0][1]), failed


def test_explorer_words_in_range_is_accepted():
    cfg = LexiconConfig()
    cfg.load_dict({"explorer_words": 50_000})
    failed, _ = cfg.validate()
    assert not failed and cfg.explorer_words == 50_000
    assert LIMITS["items"] >= 50     # the open-list limit is above every kind's declared list size
