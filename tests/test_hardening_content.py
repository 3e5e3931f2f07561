"""Issue 13 (probe findings 1, 3, 11): content checked on every page and at its source; cache
files bound to their keys.

- Every page written in Markdown has its prose checked by the content rule (``lexicon.sanitise``),
  not only term pages; what the build's own listings write into a page is not the author's.
- An author string of front matter or a data file is checked where it is written and is shown
  as text wherever it appears (Related Terms, listings, the learning path's figure).
- A checked cache file's checksum covers its name (its key): a file swapped to another key is
  refused; the explorer's asset must say it is the one asked for.

The catalogue (tests/test_catalogue.py) checks each error's message; these check the rest.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from lexicon.cache import read_checked, sign_foreign, verify_foreign, write_checked
from lexicon.explorer_asset import asset_key, cached_asset
from project import build, make_project, term

SECTIONS = "## Definition\n\n## Key Concepts\n\n## Examples\n\n## Interactive Exercise\n\n## Pro Tips\n"


def term_page(slug: str, title: str, summary: str = "A fine summary.", related: str = "[]") -> str:
    return term(slug, SECTIONS, front=f"title: {json.dumps(title)}\nslug: {slug}\ncategory: A / B\nlevel: 1\n"
                                      f"aliases: []\nrelated: {related}\nsummary: {json.dumps(summary)}")


def pages_html(project: Path) -> dict[str, str]:
    return {p.relative_to(project / "site").as_posix(): p.read_text(encoding="utf-8")
            for p in (project / "site").rglob("*.html")}


# --- every page's prose; the build's own listings are not the author's -------------------------

def test_a_listing_the_build_writes_is_left_out_but_a_forged_fence_is_not(tmp_path):
    """The card preview (an <iframe> the build writes) builds green on an ordinary page and leaves
    no fence comment behind; the same <iframe> written by the author inside a copied fence (the
    token is per build, so no author can know it) fails the build."""
    terms = {"terms/t.md": term_page("t", "T")}
    ok = make_project(tmp_path / "ok", {**terms, "guide/cards.md": "# Cards\n\n<!-- lexicon:card-preview -->\n"})
    proc = build(ok)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = (ok / "site" / "guide" / "cards" / "index.html").read_text()
    assert "<iframe" in page and "lexicon-made" not in page

    forged = ("# Cards\n\n<!-- lexicon-made:0123456789abcdef -->\n\n<iframe src=\"//evil.example/\"></iframe>\n\n"
              "<!-- /lexicon-made:0123456789abcdef -->\n")
    bad = make_project(tmp_path / "bad", {**terms, "guide/cards.md": forged})
    proc = build(bad)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "docs/guide/cards.md:5: the page's Markdown would put on the page" in out, out


# --- author strings of front matter: checked at the source, shown as text everywhere -----------

def test_markup_in_a_summary_or_title_is_text_on_every_page_that_shows_it(tmp_path):
    """Raw HTML in a title or summary passes (it is text), and no page turns it into an element:
    not Related Terms (which renders Markdown), not the listings, not the learning path's figure."""
    payload = '<img src=x onerror="alert(1)"> *and* <a href="https://evil.example/">here</a>'
    project = make_project(tmp_path, {
        "terms/a.md": term_page("a", "A", related="[b]"),
        "terms/b.md": term_page("b", "B <b>bold</b>", summary="B is " + payload),
    })
    proc = build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name, html in pages_html(project).items():
        soup = BeautifulSoup(html, "html.parser")
        assert not soup.find(attrs={"onerror": True}), name
        assert not soup.find("a", href=lambda h: h and "evil.example" in h), name
        for fig in soup.find_all(attrs={"data-figure": True}):    # Plotly reads <a>, <b> … in its labels
            labels = json.dumps([t.get(k) for t in json.loads(fig["data-figure"])["data"]
                                 for k in ("text", "hovertext", "name")])
            assert "<img" not in labels and "<a " not in labels and "<b>" not in labels, name
    related = BeautifulSoup(pages_html(project)["terms/a/index.html"], "html.parser")
    item = related.find(id="related-terms").find_next("li")
    assert item.get_text(" ", strip=True).startswith("B <b>bold</b> — B is <img src=x"), item
    assert item.find("em") is None          # '*and*' is text too, as on every listing


# --- cache files bound to their keys --------------------------------------------------------------

def test_a_checked_file_swapped_between_keys_is_refused(tmp_path, caplog):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert write_checked(a, '{"for": "a"}') and write_checked(b, '{"for": "b"}')
    assert read_checked(a) == '{"for": "a"}'
    for suffix in ("", ".sha256"):         # swap both files, each with its own checksum
        x, y = Path(str(a) + suffix), Path(str(b) + suffix)
        data = x.read_bytes()
        x.write_bytes(y.read_bytes())
        y.write_bytes(data)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.lexicon"):
        assert read_checked(a) is None and read_checked(b) is None
    assert sum("ignoring corrupt cache file" in r.getMessage() for r in caplog.records) == 2


def test_a_foreign_entry_swapped_between_keys_is_removed(tmp_path):
    folder = tmp_path / "notebook-html"
    folder.mkdir()
    (folder / "k1.json").write_text('{"html": 1}')
    (folder / "k2.json").write_text('{"html": 2}')
    sign_foreign(folder)
    assert verify_foreign(folder) and len(list(folder.iterdir())) == 4
    one, two = (folder / "k1.json").read_bytes(), (folder / "k2.json").read_bytes()
    (folder / "k1.json").write_bytes(two)
    (folder / "k2.json").write_bytes(one)
    (folder / "k1.json.sha256").rename(folder / "tmp")
    (folder / "k2.json.sha256").rename(folder / "k1.json.sha256")
    (folder / "tmp").rename(folder / "k2.json.sha256")
    assert verify_foreign(folder) and list(folder.iterdir()) == []


class _Rebuilt(Exception):
    pass


class _Model:
    id = {"sha256": "0" * 64, "name": "GloVe 6B 50d"}

    def facts(self):
        return {"words": 400_000, "dims": 50}

    def vectors(self):
        raise _Rebuilt


def _asset(model: str, count: int) -> str:
    words = "\\n".join(f"w{i}" for i in range(count))
    return f'/* x */\nwindow.__llExplorer={{"model":"{model}","dims":50,"count":{count},"words":"{words}"}};\n'


@pytest.mark.parametrize("stored", [_asset("GloVe 6B 50d", 50), _asset("Other model", 10), "window.__llExplorer=;"])
def test_the_explorer_asset_is_used_only_if_it_is_the_one_asked_for(tmp_path, stored):
    """A checked file whose checksum is right for its name, but whose asset is for another count
    or model (or is no asset), is rebuilt: the asset is compared with what was asked."""
    state = SimpleNamespace(model=_Model(), cache_dir=tmp_path, progress=None)
    path = tmp_path / "explorer" / f"{asset_key(_Model.id['sha256'], 10)}.js"
    assert write_checked(path, stored)
    with pytest.raises(_Rebuilt):
        cached_asset(state, 10)


def test_the_explorer_asset_asked_for_is_read_from_the_cache(tmp_path):
    state = SimpleNamespace(model=_Model(), cache_dir=tmp_path, progress=None)
    path = tmp_path / "explorer" / f"{asset_key(_Model.id['sha256'], 10)}.js"
    assert write_checked(path, _asset("GloVe 6B 50d", 10))
    assert cached_asset(state, 10) == _asset("GloVe 6B 50d", 10)


def test_an_asset_that_left_words_out_is_still_the_one_asked_for(tmp_path):
    """Words without a direction are left out of the asset (listed under left_out): 8 shipped and
    2 left out is the asset for 10 words, read from the cache, never rebuilt on every build."""
    state = SimpleNamespace(model=_Model(), cache_dir=tmp_path, progress=None)
    path = tmp_path / "explorer" / f"{asset_key(_Model.id['sha256'], 10)}.js"
    stored = _asset("GloVe 6B 50d", 8).replace('};\n', ',"left_out":{"reason":"zero","words":["a","b"]}};\n')
    assert write_checked(path, stored)
    assert cached_asset(state, 10) == stored
    short = _asset("GloVe 6B 50d", 8).replace('};\n', ',"left_out":{"reason":"zero","words":["a"]}};\n')
    assert write_checked(path, short)
    with pytest.raises(_Rebuilt):
        cached_asset(state, 10)
