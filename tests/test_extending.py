"""Extending the engine as a contributor would: a new family folder with new kinds, and nothing else.

A temporary family is written into the ``blocks/`` folder of a copy of the ``lexicon`` package
(never the real one: a build of the real site in another test worker would find the family and
publish its page), a small project uses its kinds, and real builds with that copy first on
``PYTHONPATH`` show that (1) the kinds work without touching any other
file, (2) editing a shared helper recomputes exactly the kinds whose compute code uses it, and
(3) editing render-only code recomputes nothing.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
import uuid
from pathlib import Path

import pytest

from conftest import ROOT
from project import build, make_project, term

FAMILY_INIT = '''"""A family made by the test suite.

It exists only while tests/test_extending.py runs.
"""
'''
HELPER = '''"""What two of the family's kinds share."""


def length(word):
    return len(word)
'''
DRAW = '''"""Drawing only."""


def shout(text):
    return text.upper()
'''
KIND = '''"""The length of a word, with a claim about it.

A minimal kind: {what}.
"""

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Table, Text
{imports}


class {cls}(Kind):
    example = "word: frog"
    needs_model = {needs_model}
    note = "Computed at build time by a test."
    options = opt.Options(
        Kind.options,
        word=opt.word("A word.", required=True, vocab=False),
        expect=opt.integer("The length you claim.", display=True),
    )

    def compute(self, kv, spec):
        return {{"n": {compute}}}

    def claims(self, spec, result, check):
        if spec.expect is not None:
            check(f"'{{spec.word}}' has {{spec.expect}} letters", result["n"] == spec.expect, f"it has {{result['n']}}")

    @value("The length.")
    def length(self, spec, result):
        return Value(str(result["n"]), result["n"])

    def render(self, spec, result, ctx):
        return [Text({label}), Table(["Word", "Letters"], [[spec.word, result["n"]]])]
'''


def kind_source(cls, *, helper: bool, draw: bool = False) -> str:
    imports = []
    if helper:
        imports.append("from ._shared import length")
    if draw:
        imports.append("from ._draw import shout")
    return KIND.format(cls=cls, what="uses the shared helper" if helper else "counts by itself",
                       imports="\n".join(imports), needs_model="True",
                       compute="length(spec.word)" if helper else "len(spec.word)",
                       label="shout(spec.word)" if draw else "spec.word")


@pytest.fixture
def family(tmp_path):
    """A new family folder in a copy of the lexicon package (``tmp_path / "src"``)."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "scripts" / "lexicon", src / "lexicon", ignore=shutil.ignore_patterns("__pycache__"))
    folder = src / "lexicon" / "blocks" / f"zz_test_{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    (folder / "__init__.py").write_text(FAMILY_INIT)
    (folder / "_shared.py").write_text(HELPER)
    (folder / "_draw.py").write_text(DRAW)
    (folder / "letters.py").write_text(kind_source("Letters", helper=True, draw=True))
    (folder / "letters_too.py").write_text(kind_source("LettersToo", helper=True))
    (folder / "letters_alone.py").write_text(kind_source("LettersAlone", helper=False))
    return folder


def build_with(project: Path, folder: Path):
    """A build of ``project`` with the copy of the package that holds ``folder``."""
    return build(project, env_extra={"PYTHONPATH": str(folder.parent.parent.parent)})


PAGE = textwrap.dedent("""\
    ## Definition

    A frog has {{ letters.length }} letters, says the first block.

    ## Key Concepts

    - Words have letters.

    ## Examples

    ```letters
    word: frog
    expect: 4
    ```

    ```letters-too
    word: toad
    ```

    ```letters-alone
    word: newt
    ```

    ## Interactive Exercise

    None yet.

    ## Pro Tips

    - Count them.
    """)


def stats(project: Path) -> dict:
    return json.loads((project / "cache" / "last-build.json").read_text())


def test_a_new_family_works_without_touching_any_other_file(tmp_path, family):
    project = make_project(tmp_path / "p", {"terms/t.md": term("t", PAGE)}, cache_dir=tmp_path / "p" / "cache")
    proc = build_with(project, family)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = (project / "site" / "terms" / "t" / "index.html").read_text()
    assert "FROG" in page and "<td>4</td>" in page  # rendered by the frame from the kind's parts
    assert 'class="ll-block ll-block--letters"' in page and "Verified against the model (1)" in page and "&#x27;frog&#x27; has 4" in page
    assert 'title="Computed when the site was built">4</span> letters' in page  # a value in the prose
    assert "Computed at build time by a test." in page
    s = stats(project)
    assert s["cache_misses"] == 3 and s["claims"] == 1 and s["false_claims"] == 0


def test_editing_a_helper_recomputes_exactly_its_users_and_render_code_nothing(tmp_path, family):
    project = make_project(tmp_path / "p", {"terms/t.md": term("t", PAGE)}, cache_dir=tmp_path / "p" / "cache")
    assert build_with(project, family).returncode == 0
    assert stats(project)["cache_misses"] == 3
    # Nothing edited: every code key is read back from code-keys.json, none is derived again.
    assert build_with(project, family).returncode == 0
    assert (stats(project)["cache_misses"], stats(project)["code_keys_derived"]) == (0, 0)
    # Render-only code: the drawing helper and a kind's render method. Nothing is recomputed.
    (family / "_draw.py").write_text(DRAW.replace("text.upper()", "text.upper() + '!'"))
    (family / "letters_alone.py").write_text(
        (family / "letters_alone.py").read_text().replace("Text(spec.word)", "Text(spec.word + ' (alone)')"))
    assert build_with(project, family).returncode == 0
    s = stats(project)
    assert (s["cache_misses"], s["cache_hits"]) == (0, 3)
    assert "FROG!" in (project / "site" / "terms" / "t" / "index.html").read_text()
    # A comment or docstring is not code either.
    (family / "_shared.py").write_text(HELPER.replace("def length(word):", "def length(word):\n    # letters\n"))
    assert build_with(project, family).returncode == 0 and stats(project)["cache_misses"] == 0
    assert stats(project)["code_keys_derived"] == 2   # the two kinds whose walk read _shared.py
    # The shared helper's code: the two kinds that use it are recomputed, the third is not.
    (family / "_shared.py").write_text(HELPER.replace("len(word)", "len(word.strip())"))
    assert build_with(project, family).returncode == 0
    s = stats(project)
    assert (s["cache_misses"], s["cache_hits"]) == (2, 1)


def documented_kind() -> tuple[str, str]:
    """The worked example of docs/authoring.md ('Adding a block kind'): its file name and code."""
    text = (ROOT / "docs" / "authoring.md").read_text()
    section = text[text.index("## Adding a block kind"):]
    m = re.search(r'```python title="scripts/lexicon/blocks/vectors/(\w+\.py)"\n(.*?)\n```', section, re.S)
    return m.group(1), m.group(2)


def test_the_authoring_guides_worked_example_builds(tmp_path, family):
    name, code = documented_kind()
    (family / name).write_text(code)
    page = PAGE.replace("A frog has {{ letters.length }} letters, says the first block.",
                        "The vector of *frog* is {{ norms.norm(frog) }} long.").replace(
        "```letters-alone\nword: newt\n```", "```vector-norm\nid: norms\nwords: [the, frog, moreover, ironically]\nlongest: the\n```")
    project = make_project(tmp_path / "p", {"terms/t.md": term("t", page)}, cache_dir=tmp_path / "p" / "cache")
    proc = build_with(project, family)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = (project / "site" / "terms" / "t" / "index.html").read_text()
    assert 'class="ll-block ll-block--vector-norm"' in html and ">linalg<" in html
    assert "Verified against the model (1)" in html and "&#x27;the&#x27; has the longest vector of the, frog" in html
    assert re.search(r'The vector of <em>frog</em> is <span class="ll-value"[^>]*>\d\.\d{4}</span> long', html)
