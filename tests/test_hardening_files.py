"""Issue 13, hardening of files, YAML, sizes and processes (the tests that are not one error message:
those are entries of tests/test_catalogue.py).

- line endings: a term file with CR-only line endings builds, as MkDocs reads it;
- YAML: nesting is bounded and aliases are never expanded, in blocks, front matter and data files;
- sizes: every text an author writes has one maximum length, and an error quotes at most ~100
  characters of any value;
- processes: a killed ``safe_build`` takes its ``mkdocs build`` with it, on SIGTERM, SIGINT and
  SIGKILL, and the previous site survives.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from lexicon import safe_build
from lexicon.engine.options import LIMITS, bounded, limits_markdown
from lexicon.engine.registry import registry
from lexicon.engine.yamlread import read_block
from lexicon.errors import LexiconError, load_yaml
from lexicon.sources import parse_yaml, read_text
from project import build, make_project, term

SECTIONS = "## Definition\n\n## Key Concepts\n\n## Examples\n\n## Interactive Exercise\n\n## Pro Tips\n"
FRONT = ("title: Carriage Return\nslug: t\ncategory: A / B\nlevel: 1\naliases: []\nrelated: []\n"
         "summary: A term saved with old Mac line endings.")


# --- line endings ------------------------------------------------------------------------------

def test_every_line_ending_is_read_as_a_line_break(tmp_path):
    for ending in ("\n", "\r\n", "\r"):
        path = tmp_path / "t.md"
        path.write_bytes("---\ntitle: T\n---\nbody\n".replace("\n", ending).encode())
        assert read_text(path, "t.md") == "---\ntitle: T\n---\nbody\n", repr(ending)


def test_a_term_file_with_cr_only_line_endings_builds(tmp_path):
    project = make_project(tmp_path, {"terms/t.md": term("t", SECTIONS, front=FRONT)})
    page = project / "docs/terms/t.md"
    page.write_bytes(page.read_bytes().replace(b"\n", b"\r"))
    proc = build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = (project / "site/terms/t/index.html").read_text()
    assert "Carriage Return" in html and "Key Concepts" in html


# --- YAML: nesting bounded, aliases never expanded -------------------------------------------

LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9))


def test_yaml_nesting_is_refused_past_the_limit_and_read_up_to_it():
    limit = LIMITS["nesting"]
    assert load_yaml("a: " + "[" * (limit - 1) + "]" * (limit - 1)) is not None
    for depth in (limit, 999, 1001, 100_000):   # libyaml's own limit is 1,000; the pure-Python parser recursed
        with pytest.raises(Exception) as info:
            load_yaml("a: " + "[" * depth + "]" * depth)
        assert f"more than {limit} levels deep" in str(info.value)
        assert info.value.fix


def test_block_nesting_is_refused_in_indented_yaml_too():
    deep = "".join(" " * i + f"k{i}:\n" for i in range(60)) + " " * 60 + "v: 1\n"
    with pytest.raises(LexiconError, match="more than 50 levels deep"):
        read_block("neighbours", "word: frog\ncaption:\n" + "\n".join("  " + ln for ln in deep.splitlines()),
                   registry()["neighbours"].options)


@pytest.mark.parametrize("where", ["block option", "data file"])
def test_a_billion_laughs_is_never_expanded(where):
    started = time.perf_counter()
    if where == "block option":
        with pytest.raises(LexiconError):
            read_block("neighbours", "word: frog\ncaption: *j\n" + LAUGHS.replace("a: &a", "x: &a"),
                       registry()["neighbours"].options)
    else:
        data = parse_yaml(LAUGHS, "docs/_data/x.yml", fix="")
        assert data["j"][0] is data["j"][1]      # shared, not copied: 9**9 'lol's would be 3 GB
    assert time.perf_counter() - started < 2


# --- sizes: one maximum length for every text --------------------------------------------------

def _strings(schema, path="") -> list[tuple[str, dict]]:
    found = []
    if isinstance(schema, dict):
        if schema.get("type") == "string":
            found.append((path, schema))
        for key, value in schema.items():
            if key == "properties":
                for name, sub in value.items():
                    found += _strings(sub, f"{path}.{name}")
            elif isinstance(value, (dict, list)):
                found += _strings(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for i, sub in enumerate(schema):
            found += _strings(sub, f"{path}[{i}]")
    return found


def test_every_text_option_of_every_kind_has_the_one_maximum_length():
    checked = 0
    for name, kind in registry().items():
        for path, schema in _strings(kind.options.schema(), name):
            assert schema.get("maxLength", 0) <= LIMITS["text"] and "maxLength" in schema, path
            checked += 1
    assert checked > 100
    assert f"{LIMITS['text']:,} characters" in limits_markdown()
    assert f"{LIMITS['nesting']} levels" in limits_markdown()
    assert bounded({"type": "string"})["maxLength"] == LIMITS["text"]


def test_the_longest_text_in_the_real_pages_is_within_the_limit():
    """The limit leaves room: the longest caption, prompt or explanation in docs/ (732 characters
    when the limit was set) is far below it."""
    import yaml

    from lexicon.locate import iter_fences

    kinds, longest = registry(), 0

    def walk(x):
        nonlocal longest
        if isinstance(x, str):
            longest = max(longest, len(x))
        for v in (x.values() if isinstance(x, dict) else x if isinstance(x, list) else ()):
            walk(v)
    for page in (ROOT / "docs").rglob("*.md"):
        for fence in iter_fences(page.read_text(encoding="utf-8")):
            if fence.kind in kinds:
                try:
                    walk(yaml.safe_load("\n".join(fence.body)))
                except yaml.YAMLError:
                    continue   # an example of a broken block in the authoring guide
    assert 500 < longest <= LIMITS["text"] // 2


def test_a_long_value_is_refused_at_once_and_quoted_short():
    started = time.perf_counter()
    with pytest.raises(LexiconError) as info:
        read_block("neighbours", "word: " + "a" * 200_000, registry()["neighbours"].options)
    assert time.perf_counter() - started < 2
    text = str(info.value)
    assert "200,000 characters, more than the limit of 2,000" in text and len(text) < 400, text[:500]


@pytest.mark.parametrize("value", ["x" * 5000, "a b " * 2000, ["item"] * 3000, {"k" * 3000: 1}])
def test_an_error_quotes_at_most_about_100_characters_of_a_value(value):
    err = LexiconError(f"word {value!r} is not in the vocabulary", file="docs/p.md", line=3,
                       fix=f"did you mean {value!r}?")
    from lexicon.errors import shown

    err2 = LexiconError(f"option 'caption': {shown(value)} is not of type 'string'", file="docs/p.md", line=3)
    for text in (str(err), str(err2)):
        assert len(text) < 400, text[:500]


# --- processes: the build dies with safe_build, and the previous site survives -------------------

SLOW_PAGE = "# P\n\n```tsne\nwords: [cat, dog, car, bus, apple, pear, red, blue, king, queen]\nseed: 7\n```\n"


def _descendants(pid: int) -> list[int]:
    kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(k) for k in kids] + [d for k in kids for d in _descendants(int(k))]


def _running(pid: int) -> bool:
    """Alive and not a zombie (a dead child waiting for init to collect it is not running)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name)
def test_killing_safe_build_stops_its_build_and_keeps_the_site(tmp_path, sig):
    project = make_project(tmp_path / "p", {"page.md": SLOW_PAGE}, cache_dir=tmp_path / "cache")  # cold: slow
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous good site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "scripts")}
    parent = subprocess.Popen([sys.executable, "-m", "lexicon.safe_build", "--site-dir", str(site),
                               "--config-file", str(project / "mkdocs.yml")], cwd=project, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for _ in range(100):
        time.sleep(0.1)
        tree = _descendants(parent.pid)
        if tree:
            break
    assert tree, "the build never started"
    time.sleep(1.5)                           # well into the build: the model is being hashed or loaded
    tree = _descendants(parent.pid)
    parent.send_signal(sig)
    parent.wait(timeout=30)
    deadline = time.time() + 5
    while time.time() < deadline and any(_running(p) for p in tree):
        time.sleep(0.1)
    assert not [p for p in tree if _running(p)], f"{sig.name}: the build outlived safe_build"
    assert (site / "index.html").read_text() == "the previous good site"
    left = sorted(p.name for p in project.iterdir() if p.name.startswith(".site-"))
    if sig != signal.SIGKILL:
        assert parent.returncode == 128 + sig and left == [], left
    safe_build._sweep(site)                   # what the next run does first
    assert not [p for p in project.iterdir() if p.name.startswith(".site-")]
    assert (site / "index.html").read_text() == "the previous good site"


def test_a_stale_staging_folder_is_swept_and_a_live_one_is_not(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    gone = subprocess.Popen(["true"])
    gone.wait()
    (tmp_path / f".site-new-{gone.pid}").mkdir()          # its safe_build is dead
    (tmp_path / f".site-new-{os.getppid()}").mkdir()       # a live process that is no safe_build: pid reused
    safe_build._sweep(site)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
