"""The result cache: keyed by content, corrupt or stale entries are recomputed, never trusted."""

import json
import logging

from lexicon.cache import ResultCache, make_key

MODEL_A = {"sha256": "a" * 64}
MODEL_B = {"sha256": "b" * 64}


def test_key_depends_on_kind_spec_model_and_code():
    k = make_key("analogy", {"query": "king - man + woman"}, MODEL_A)
    assert k == make_key("analogy", {"query": "king - man + woman"}, MODEL_A)
    assert k != make_key("analogy", {"query": "king - man + girl"}, MODEL_A)
    assert k != make_key("neighbours", {"query": "king - man + woman"}, MODEL_A)
    assert k != make_key("analogy", {"query": "king - man + woman"}, MODEL_B)
    assert k != make_key("analogy", {"query": "king - man + woman"}, MODEL_A, "0123456789abcdef")


def test_round_trip(tmp_path):
    cache = ResultCache(tmp_path)
    cache.put("ab12", {"x": [1, 2]})
    assert cache.get("ab12") == {"x": [1, 2]}
    assert cache.get("cd34") is None
    assert (cache.hits, cache.misses) == (1, 1)


def test_corrupt_entry_is_ignored(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    cache = ResultCache(tmp_path)
    cache.put("ab12", {"x": 1})
    path = tmp_path / "ab" / "ab12.json"
    path.write_text('{"key": "ab12", "result": {"x"')  # truncated write
    assert cache.get("ab12") is None
    assert "unreadable cache entry" in caplog.text


def test_entry_under_the_wrong_key_is_ignored(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    cache = ResultCache(tmp_path)
    path = tmp_path / "ab" / "ab12.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"key": "something-else", "result": {"x": 1}}))
    assert cache.get("ab12") is None
    assert "stale or corrupt" in caplog.text
