"""The engine's contract over every registered kind, and its parts in isolation: options, the
registry, derived cache keys, the frame, progress."""

from __future__ import annotations

import ast
import logging
import time
from pathlib import Path

import pytest

from lexicon.engine import deps, opt
from lexicon.engine.kind import ExerciseKind
from lexicon.engine.registry import PACKAGE, families, registry
from lexicon.errors import LexiconError

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
BLOCKS = SCRIPTS / "lexicon" / "blocks"
KINDS = sorted(registry())


# --- the contract every kind keeps ------------------------------------------------------------------

@pytest.mark.parametrize("name", KINDS)
def test_every_kind_declares_itself_once(name):
    kind = registry()[name]
    module = type(kind).__module__
    assert module == f"{PACKAGE}.{kind.family}.{name.replace('-', '_')}"  # the file is named after the kind
    assert type(kind).__doc__ and "__doc__" in vars(type(kind)), "the kind class's own docstring"
    assert kind.summary() and len(kind.summary()) < 400, "the docstring's first paragraph is the summary"
    assert kind.example.strip(), "an example the authoring guide shows and renders"
    for option, declared in kind.options:
        assert declared.doc and declared.type_doc, f"{name}.{option} needs a one-line doc and a type"
    schema = kind.options.schema()
    assert all(p.get("description") for p in schema["properties"].values())
    spec = kind.read(kind.example)  # the example reads, with every default filled in
    assert all(hasattr(spec, option) for option, _ in kind.options)
    if isinstance(kind, ExerciseKind):
        assert "prompt" in kind.options and "explanation" in kind.options


def test_families_are_folders_with_a_title_and_their_kinds():
    fams = families()
    assert sorted(k for f in fams for k in f.kinds) == KINDS
    for f in fams:
        assert f.title and f.about, f"blocks/{f.name}/__init__.py: a title line and a paragraph"


def _imports(path: Path) -> set[str]:
    package = ".".join(path.relative_to(SCRIPTS).with_suffix("").parts[:-1])
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            mod = ".".join(base + ([node.module] if node.module else []))
            out |= {mod} | {f"{mod}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
    return out


def test_no_kind_module_imports_another_kind_or_family():
    kind_modules = {f"{PACKAGE}.{k.family}.{n.replace('-', '_')}" for n, k in registry().items()}
    for path in BLOCKS.glob("*/*.py"):
        family = path.parent.name
        for imported in _imports(path):
            assert imported not in kind_modules, f"{path.relative_to(ROOT)} imports the kind {imported}"
            if imported.startswith(PACKAGE + "."):
                assert imported.split(".")[2] == family, f"{path.relative_to(ROOT)} imports {imported}"


def test_no_module_under_scripts_is_longer_than_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in SCRIPTS.rglob("*.py")
            if (n := len(p.read_text().splitlines())) > 400}
    assert not long


def test_no_kind_writes_its_own_block_shell():
    for path in BLOCKS.glob("*/*.py"):
        text = path.read_text()
        assert 'class="ll-block' not in text and "model_note(" not in text and "claims_html(" not in text, path


# --- options ------------------------------------------------------------------------------------------

def test_an_integer_option_rejects_a_float_with_a_fix():
    with pytest.raises(LexiconError) as err:
        registry()["neighbours"].read("word: frog\ntopn: 5.0")
    assert "5.0 is not a whole number" in str(err.value) and "e.g. 5" in err.value.fix
    with pytest.raises(LexiconError) as err:
        registry()["neighbours"].read("word: frog\ntopn: true")
    assert "topn" in str(err.value)


def test_display_options_stay_out_of_the_cache_key():
    kind = registry()["neighbours"]
    a = kind.options.result_inputs(kind.read("word: frog\ncaption: one\nfigure: false"))
    b = kind.options.result_inputs(kind.read("word: frog\ncaption: two"))
    assert a == b == {"word": "frog", "topn": 10}
    assert kind.options.result_inputs(kind.read("word: frog\ntopn: 3")) != a


def test_the_option_table_is_written_from_the_declarations():
    table = registry()["neighbours"].options.table()
    assert "| `topn` | whole number, 1–50 | `10` | yes | How many neighbours to list. |" in table
    assert "| `caption` | text |" in table and "| no |" in table
    rows = [r.split("|")[1].strip() for r in table.splitlines()[2:]]
    assert rows[0] == "`word`" and "`id`" not in rows  # required first; `id` is described once
    exercise = registry()["odd-one-out"].options.table().splitlines()[2:]
    assert exercise[0].startswith("| `words`") and exercise[-1].startswith("| `explanation`")


def test_defaults_are_copies():
    options = opt.Options(xs=opt.words("Words.", default=["a"]))
    one, two = options.spec({}), options.spec({})
    one.xs.append("b")
    assert two.xs == ["a"]


# --- derived cache keys -----------------------------------------------------------------------------

def test_no_kind_result_depends_on_render_only_code():
    for name, kind in registry().items():
        reached = deps.compute_code(type(kind)).symbols
        for module in ("lexicon.figures", "lexicon.render", "lexicon.engine", "lexicon.code"):
            assert not any(s.startswith(module + ":") or s.startswith(module + ".") for s in reached), (name, module)


def test_a_kinds_key_covers_its_helpers_and_packages():
    key = deps.compute_code(type(registry()["analogy"]))
    assert "lexicon.blocks.vectors._query:parse_query" in key.symbols
    assert "lexicon.numeric:pca2" in key.symbols
    assert {"gensim", "numpy", "scikit-learn"} <= set(key.packages)


# --- progress -------------------------------------------------------------------------------------

def test_a_long_step_is_reported_while_it_runs(caplog):
    from lexicon.progress import Progress

    progress = Progress(quiet=0.5, every=0.0)
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.lexicon")
    with progress.step("computing the slow block"):
        progress.detail("cell 2 of 3")
        time.sleep(1.8)
    progress.block_done("the slow block", 1.8)
    progress.close()
    said = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("lexicon: still computing the slow block (") and "cell 2 of 3" in m for m in said)
    assert any("slowest so far: the slow block (1.8 s)" in m for m in said)


def test_a_quick_step_says_nothing(caplog):
    from lexicon.progress import Progress

    progress = Progress(quiet=5)
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.lexicon")
    with progress.step("computing a quick block"):
        time.sleep(0.1)
    progress.block_done("a cached block", None)
    progress.close()
    assert not caplog.records


def test_every_family_gets_its_reference_page_and_nav_entry():
    """The block reference is one generated page per family (blocks/<family>.md), under the
    reference's index in the nav: a new family needs no page or nav entry written by hand."""
    from lexicon.catalog import block_pages

    assert [src for src, _, _ in block_pages.pages()] == [f"blocks/{f.name}.md" for f in families()]
    nav = [{"Home": "index.md"}, {"Authoring": ["authoring.md", {"Block reference": block_pages.INDEX}]}]
    assert block_pages.expand_nav(nav)
    section = nav[1]["Authoring"][1]["Block reference"]
    assert section[0] == block_pages.INDEX and [list(e.values())[0] for e in section[1:]] == \
        [src for src, _, _ in block_pages.pages()]
    assert not block_pages.expand_nav([{"Home": "index.md"}])


def test_the_claims_audit_gets_a_page_and_a_nav_entry_per_part():
    from lexicon.catalog import claim_pages
    from lexicon.catalog.categories import Category

    cats = [Category("Retrieval", ""), Category("Machine Learning / Models", "")]
    nav = [{"Home": "index.md"}, {"Claims audit": claim_pages.INDEX}]
    assert claim_pages.expand_nav(nav, cats)
    assert nav[1]["Claims audit"] == [claim_pages.INDEX, {"Retrieval": "claims/retrieval.md"},
                                      {"Machine Learning": "claims/machine-learning.md"},
                                      {"Other pages": "claims/other-pages.md"}]
    assert not claim_pages.expand_nav([{"Home": "index.md"}], cats)


@pytest.mark.parametrize("marker, message", [
    ("<!-- lexicon:block-reference -->", "needs a family"),
    ("<!-- lexicon:block-reference:nope -->", "there is no block family 'nope'"),
    ("<!-- lexicon:limits:text -->", "takes no ':text'"),
    ("<!-- lexicon:nope -->", "unknown marker"),
    ("<!-- lexicon:claims-audit:nope -->", "names no group of the claims audit"),
    ("<!-- lexicon:block-kinds:retrieval -->", "takes no ':retrieval'"),
])
def test_a_bad_listing_marker_is_a_located_error(marker, message):
    from lexicon.catalog.categories import Category
    from lexicon.catalog.listings import Listings

    listings = Listings(None, [Category("Retrieval", "")], "", None, {}, None)
    with pytest.raises(LexiconError, match=message) as err:
        listings.expand(f"# Page\n\n{marker}\n", "page/", "docs/page.md", lambda src: src)
    assert (err.value.file, err.value.line) == ("docs/page.md", 3)


def test_a_family_page_links_other_families_and_the_guide_from_its_folder():
    from lexicon.engine.reference import reference_markdown

    import re

    text = reference_markdown("transformer")
    assert "{#wordpiece}" in text and "{#neighbours}" not in text
    assert "](../authoring.md#claims)" in text and "](#claims)" not in text
    links = re.findall(r"\]\(([^)]+)\)", text)
    assert links and all(not l.endswith(".md") or l.startswith("../") or "/" not in l for l in links), links


def test_every_block_is_computed_on_one_thread():
    """A result must not depend on the machine's thread count (a page is the same with or without
    the helper process, on 2 cores or 64): compute runs with BLAS and OpenMP held to one thread."""
    import numpy as np
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_info

    from lexicon.build import compute_checked

    KMeans(2, n_init=1).fit(np.zeros((4, 2)) + np.arange(4)[:, None])   # OpenMP and BLAS are loaded

    class Spy:
        distinct_words = False

        def words(self, spec):
            return []

        def queries(self, spec):
            return []

        def compute(self, kv, spec):
            return {"threads": sorted({p["num_threads"] for p in threadpool_info()})}

    assert compute_checked(Spy(), None, None) == {"threads": [1]}
