"""The build as a whole: warm builds skip the model, bad cache is recomputed, failures keep the old site."""

import json
import subprocess
import sys

from conftest import ROOT
from project import build, make_project

PAGE = "```similarity\npairs:\n  - [cat, dog]\n  - [cat, car]\nexpect: ordered\n```\n"


def stats(cache):
    return json.loads((cache / "last-build.json").read_text())


def test_warm_build_does_not_load_the_model(tmp_path):
    cache = tmp_path / "cache"
    project = make_project(tmp_path / "p", {"page.md": PAGE}, cache_dir=cache)
    assert build(project).returncode == 0
    cold = stats(cache)
    assert cold["model_loaded"] and cold["cache_misses"] == 1
    first = (project / "site" / "page" / "index.html").read_text()
    assert build(project).returncode == 0
    warm = stats(cache)
    assert not warm["model_loaded"] and warm["cache_hits"] == 1 and warm["cache_misses"] == 0
    assert (project / "site" / "page" / "index.html").read_text() == first


def test_a_block_that_needs_no_model_is_cached_too(tmp_path):
    cache = tmp_path / "cache"
    page = "```positional-encoding\npositions: 8\ndims: 16\n```\n"
    project = make_project(tmp_path / "p", {"page.md": page}, cache_dir=cache)
    assert build(project).returncode == 0
    cold = stats(cache)
    assert (cold["blocks_without_model"], cold["cache_misses"]) == (1, 1)
    first = (project / "site" / "page" / "index.html").read_text()
    assert build(project).returncode == 0
    warm = stats(cache)
    assert (warm["cache_hits"], warm["cache_misses"]) == (1, 0)
    assert (project / "site" / "page" / "index.html").read_text() == first


def test_corrupt_cache_entry_is_recomputed_not_trusted(tmp_path):
    cache = tmp_path / "cache"
    project = make_project(tmp_path / "p", {"page.md": PAGE}, cache_dir=cache)
    assert build(project).returncode == 0
    good = (project / "site" / "page" / "index.html").read_text()
    [entry] = (cache / "results").rglob("*.json")
    entry.write_text(entry.read_text()[:40])
    proc = build(project)
    assert proc.returncode == 0, proc.stderr  # a warning-free strict build: recomputing is normal
    assert stats(cache)["model_loaded"]
    assert (project / "site" / "page" / "index.html").read_text() == good
    json.loads(entry.read_text())  # rewritten whole


def test_failed_safe_build_leaves_previous_site_untouched(tmp_path):
    cache = tmp_path / "cache"
    project = make_project(tmp_path / "p", {"page.md": PAGE}, cache_dir=cache)
    run = [sys.executable, "-m", "lexicon.safe_build", "--config-file", str(project / "mkdocs.yml"),
           "--site-dir", str(project / "site")]
    assert subprocess.run(run, cwd=project, capture_output=True).returncode == 0
    before = {p.relative_to(project): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    (project / "docs" / "page.md").write_text(PAGE.replace("cat, car", "cat, cxrq"))
    proc = subprocess.run(run, cwd=project, capture_output=True, text=True)
    assert proc.returncode != 0 and "'cxrq' is not in the model's vocabulary" in proc.stderr
    after = {p.relative_to(project): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before
    assert not list(project.glob(".site-*"))  # no half-written folder left behind


def test_the_real_site_builds_strictly(built_site):
    """`mkdocs build --strict` of the real sources (the session fixture) succeeded."""
    assert (built_site / "terms" / "embedding" / "index.html").exists()
    assert (built_site / "authoring" / "index.html").exists()
    assert (ROOT / "mkdocs.yml").read_text().count("strict: true") == 1


def test_editing_a_caption_or_claim_reuses_the_cached_result(tmp_path):
    cache = tmp_path / "cache"
    page = "```neighbours\nword: frog\ntopn: 5\n{extra}\n```\n"
    project = make_project(tmp_path / "p", {"page.md": page.format(extra="caption: One")}, cache_dir=cache)
    assert build(project).returncode == 0
    (project / "docs" / "page.md").write_text(page.format(extra="caption: Two\nexpect: {word: toad, within: 5}"))
    assert build(project).returncode == 0
    assert not stats(cache)["model_loaded"] and stats(cache)["cache_hits"] == 1
    html = (project / "site" / "page" / "index.html").read_text()
    assert "Two" in html and 'id="neighbours-frog"' in html  # the anchor ignores the claim


def test_a_warm_build_never_runs_the_transformer(tmp_path):
    """The transformer's blocks are cached under its weights' hash (part of the code they reach):
    the cold build computes them, the warm build computes nothing (last-build.json's seconds by kind)."""
    cache = tmp_path / "cache"
    page = '```wordpiece\ntexts: ["Embeddings map words."]\n```\n'
    project = make_project(tmp_path / "p", {"page.md": page}, cache_dir=cache)
    assert build(project).returncode == 0
    cold = stats(cache)
    assert cold["cache_misses"] == 1 and set(cold["seconds_by_kind"]) == {"wordpiece"}
    assert build(project).returncode == 0
    warm = stats(cache)
    assert (warm["cache_hits"], warm["cache_misses"], warm["seconds_by_kind"]) == (1, 0, {})


def test_the_bench_finds_the_kinds_that_run_the_transformer():
    sys.path.insert(0, str(ROOT))
    from bench.transformer import transformer_kinds

    kinds = transformer_kinds()
    assert {"wordpiece", "contextual-layers", "attention-heads", "transformer-layers", "position-similarity",
            "semantic-search", "sentence-pairs", "search-exercise", "transformer-card", "head-exercise",
            "pooling", "pooling-exercise", "residual-stream", "layer-norm", "feed-forward",
            "sublayer-exercise", "rerank", "low-rank", "low-rank-exercise", "context-window",
            "fusion", "fusion-exercise", "lora-params", "layer-anisotropy"} == set(kinds)
