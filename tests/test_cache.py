"""The result cache: keyed by content, corrupt or stale entries are recomputed, never trusted."""

import json
import logging

from lexicon.cache import ResultCache, make_key, write_checked

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


def test_rendered_blocks_are_reused_only_for_the_same_inputs(tmp_path, kv, monkeypatch):
    """A warm build reads a block's HTML back; any input of rendering changes the key."""
    from blocktest import MODEL, MODEL_SPEC, run
    from lexicon.engine import rendered
    from lexicon.engine.frame import RenderContext, render_kind
    from lexicon.engine.registry import registry

    ctx = RenderContext(anchor="b", model_id=MODEL, model_spec=MODEL_SPEC)
    spec, result, claims, html = run(kv, "analogy", "query: king - man + woman\nexpect: queen")
    key = rendered.render_key("analogy", spec, result, claims, ctx)
    cache = ResultCache(tmp_path, redo="re-rendering its HTML")
    cache.put(key, {"html": html})
    assert cache.get(key) == {"html": html}
    # A display option, the anchor, the claims, the code: each gives another key.
    other, *_ = run(kv, "analogy", "query: king - man + woman\nexpect: queen\nfigure: false")
    assert rendered.render_key("analogy", other, result, claims, ctx) != key
    assert rendered.render_key("analogy", spec, result, claims, RenderContext(anchor="c", model_id=MODEL)) != key
    assert rendered.render_key("analogy", spec, result, [], ctx) != key
    monkeypatch.setattr(rendered, "render_version", lambda: "edited code")
    assert rendered.render_key("analogy", spec, result, claims, ctx) != key
    # What the cache gives back is what rendering gives: the frame is deterministic.
    assert render_kind(registry()["analogy"], spec, result, claims, ctx) == html
    # A damaged entry is treated as missing and re-rendered by the build, which says so in one
    # INFO line (tests/test_hardening_tooling.py builds it).
    path = next(tmp_path.rglob("*.json"))
    path.write_text(path.read_text().replace("queen", "quean"))
    assert cache.get(key) is None and cache.bad == 1


def test_code_keys_are_remembered_until_what_they_were_derived_from_changes(tmp_path, caplog):
    from lexicon.engine.codekeys import CodeKeys
    from lexicon.engine.deps import compute_code
    from lexicon.engine.registry import registry

    kind = type(registry()["cooccurrence"])      # reads the Lee corpus (a DataFile) and numpy
    path = tmp_path / "code-keys.json"
    first = CodeKeys(path)
    key = first.kind(kind)
    assert key == compute_code(kind) and (first.derived, first.reused) == (1, 0)
    first.save()
    again = CodeKeys(path)
    assert again.kind(kind) == key and (again.derived, again.reused) == (0, 1)

    def tampered(edit) -> CodeKeys:
        stored = json.loads(path.read_text())
        edit(next(iter(stored["entries"].values())))
        text = json.dumps(stored)
        write_checked(path, text)
        keys = CodeKeys(path)
        assert keys.kind(kind) == key
        keys.save()   # the store is whole again for the next edit
        return keys

    # Another installed version, another data file, another source file: derived again.
    assert tampered(lambda e: e["packages"].update(numpy="0.0.1")).derived == 1
    assert tampered(lambda e: e["data"].update({"lexicon.blocks.text._corpus.LEE": "0" * 64})).derived == 1
    assert tampered(lambda e: e["files"].update({next(iter(e["files"])): "0" * 64})).derived == 1
    assert tampered(lambda e: None).derived == 0
    # A damaged store is not trusted, and a store that cannot be written does not fail.
    path.write_text(path.read_text()[:-5])
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.lexicon"):
        keys = CodeKeys(path)
        assert keys.kind(kind) == key and keys.derived == 1
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    keys = CodeKeys(blocked / "code-keys.json")
    keys.kind(kind)
    keys.save()
