"""Issue 13, class 2: every cached artefact goes through one verified layer (``lexicon.cache``).

Nothing read back from the cache folder is trusted without a checksum; a folder that cannot be
written is skipped with one INFO line, never a failed build. The catalogue tests
(tests/test_catalogue.py) build projects; these check the layer itself, and that a real build
leaves nothing in the cache folder without its checksum.
"""

from __future__ import annotations

import json
import logging


from lexicon import cache
from lexicon.cache import (ResultCache, read_checked, read_checked_json, sign_foreign, usable,
                           verify_foreign, write_checked)

LOGGER = "mkdocs.plugins.lexicon"


def infos(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]


def test_a_file_where_the_folder_should_be_is_a_plain_miss_and_reported_once(tmp_path, caplog):
    blocked = tmp_path / "cache"
    blocked.write_text("not a folder")
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert read_checked(blocked / "x" / "y.json") is None
        assert not write_checked(blocked / "x" / "y.json", "{}")
        assert not write_checked(blocked / "x" / "z.json", "{}")
        results = ResultCache(blocked / "results")
        assert results.get("ab" * 32) is None and results.bad == 0   # a miss, not a damaged entry
        for i in range(5):
            results.put(f"{i:02d}" + "c" * 62, {"n": i})
        assert not usable(blocked / "notebook-html")
    said = infos(caplog)
    assert sum("results" in m for m in said) == 1              # one line for the result cache, not per entry
    assert sum("could not write the cache in" in m for m in said) == 4   # y.json, z.json, results/, notebook-html/
    assert blocked.read_text() == "not a folder"


def test_a_checked_file_round_trips_and_an_edit_is_refused(tmp_path, caplog):
    path = tmp_path / "a" / "facts.json"
    assert write_checked(path, json.dumps({"words": 3}))
    assert read_checked_json(path) == {"words": 3}
    assert read_checked_json(path, list) is None               # not what this version writes
    path.write_text(json.dumps({"words": 4}))                   # edited by hand: refused
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert read_checked(path) is None
    assert any("ignoring corrupt cache file" in m and str(path) in m for m in infos(caplog))


def _signed(path, text: str):
    assert write_checked(path, text)     # the file and its checksum, as sign_foreign writes them


def whole_json(data: bytes) -> bool:
    try:
        return isinstance(json.loads(data), dict)
    except ValueError:
        return False


def test_a_foreign_cache_is_checked_before_use_and_signed_after(tmp_path, caplog):
    folder = tmp_path / "notebook-html"
    folder.mkdir()
    good, unsigned, edited, blocked = (folder / f"{n}.json" for n in ("good", "unsigned", "edited", "blocked"))
    _signed(good, '{"content": "<p>42</p>"}')
    unsigned.write_text('{"content": "<p>4')
    _signed(edited, '{"content": "<p>42</p>"}')
    edited.write_text('{"content": "<p>41</p>"}')
    blocked.mkdir()
    (blocked / "inside").write_text("")
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert verify_foreign(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["good.json", "good.json.sha256"]
    said = infos(caplog)
    assert any("unchecked cache file" in m and str(unsigned) in m for m in said)
    assert any("corrupt cache file" in m and str(edited) in m for m in said)
    assert any(str(blocked) in m for m in said)
    # What the other plugin wrote in this build is signed; a checksum without its entry goes.
    (folder / "new.json").write_text('{"content": "new"}')
    (folder / "half.json").write_text('{"content": "ha')     # another build is still writing it
    good.unlink()
    sign_foreign(folder, valid=whole_json)
    assert sorted(p.name for p in folder.iterdir()) == ["half.json", "new.json", "new.json.sha256"]
    (folder / "half.json").unlink()
    assert verify_foreign(folder) and (folder / "new.json").exists()


def test_a_foreign_cache_that_cannot_be_used_is_turned_off(tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("")
    assert not verify_foreign(blocked / "notebook-html")


def test_code_keys_name_modules_not_paths(tmp_path):
    from lexicon.engine.codekeys import STORE_VERSION, CodeKeys
    from lexicon.engine.registry import registry

    kind = type(registry()["subword"])
    keys = CodeKeys(tmp_path / "code-keys.json")
    key = keys.kind(kind)
    keys.save()
    stored = read_checked_json(tmp_path / "code-keys.json")
    [entry] = stored["entries"].values()
    assert "lexicon.blocks.text.subword" in entry["files"]
    assert all("/" not in m and m.startswith("lexicon") for m in entry["files"])
    # A module whose file (as imported now) hashes differently: the key is derived again.
    entry["files"]["lexicon.blocks.text.subword"] = "0" * 64
    write_checked(tmp_path / "code-keys.json", json.dumps(stored))
    again = CodeKeys(tmp_path / "code-keys.json")
    assert again.kind(kind) == key and again.derived == 1
    # A store of the version that recorded absolute paths is not read at all.
    write_checked(tmp_path / "code-keys.json", json.dumps({**stored, "version": STORE_VERSION - 1}))
    assert CodeKeys(tmp_path / "code-keys.json").entries == {}


def test_an_edited_model_hash_memo_is_not_trusted(tmp_path):
    from lexicon.model import ModelSpec, identity

    vectors = tmp_path / "v.txt"
    vectors.write_text("2 2\ncat 0.1 0.2\ndog 0.3 0.4\n")
    spec = ModelSpec("tiny", "word2vec", str(vectors))
    cache_dir = tmp_path / "cache"
    real = identity(spec, cache_dir)["sha256"]
    memo = cache_dir / "model-hashes.json"
    data = json.loads(memo.read_text())
    memo.write_text(json.dumps({k: "f" * 64 for k in data}))   # plausible, wrong, unchecked
    assert identity(spec, cache_dir)["sha256"] == real
    assert read_checked_json(memo) == data                      # rewritten whole, with its checksum


def test_every_file_a_build_leaves_in_the_cache_is_checked(tmp_path):
    """Whatever a build writes in its cache folder (blocks, code keys, model memo and facts,
    explorer, executed notebooks, mkdocs-jupyter's HTML, last-build.json) carries a checksum that
    holds: a result entry inside it, any other file in a ``.sha256`` beside it."""
    from project import build
    from test_catalogue import CACHED_PAGE, _nb_project, _quiet_pass

    cache_dir = tmp_path / "cache"
    project = _nb_project(tmp_path, cache_dir)
    (project / "docs" / "page.md").write_text(CACHED_PAGE)
    _quiet_pass(build(project))
    files = sorted(p for p in cache_dir.rglob("*") if p.is_file() and not p.name.endswith(".sha256"))
    kinds = {p.relative_to(cache_dir).parts[0] for p in files}
    assert {"results", "rendered", "code-keys.json", "model-hashes.json", "last-build.json", "explorer",
            "notebooks", "notebook-html"} <= kinds, kinds
    for path in files:
        if path.relative_to(cache_dir).parts[0] in ("results", "rendered"):
            entry = json.loads(path.read_text())
            assert entry["key"] == path.stem and entry["sha256"] == cache.checksum(cache._dumps(entry["result"]))
        else:
            assert read_checked(path) is not None, path
