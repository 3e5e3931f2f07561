"""The term index: aliases redirect, duplicate aliases fail, backlinks show who points here."""

import re

import pytest

from project import build, make_project, term

SECTIONS = "## Definition\n\n## Key Concepts\n\n## Examples\n\n## Interactive Exercise\n\n## Pro Tips\n"


def front(slug, title, aliases="[]", related="[]"):
    return (f"title: {title}\nslug: {slug}\ncategory: A / B\nlevel: 1\naliases: {aliases}\n"
            f"related: {related}\nsummary: The {title} term, for tests.")


def test_alias_urls_redirect_and_backlinks_are_listed(tmp_path):
    project = make_project(tmp_path, {
        "terms/t.md": term("t", SECTIONS, front("t", "Tee", aliases="[Tee Shirt, T]")),
        "terms/u.md": term("u", SECTIONS, front("u", "You", related="[t]")),
    })
    proc = build(project)
    assert proc.returncode == 0, proc.stderr
    site = project / "site" / "terms"
    page = (site / "tee-shirt" / "index.html").read_text()
    assert "../t/" in page and "refresh" in page  # mkdocs-redirects' page, a relative URL
    assert not (site / "t" / "index.html").read_text().startswith("<!DOCTYPE html><html><head><meta")
    t_page = (site / "t" / "index.html").read_text()
    assert "Terms that point here" in t_page and '<a href="../u/">You</a>' in t_page


def test_duplicate_aliases_are_an_error(tmp_path):
    proc = build(make_project(tmp_path, {
        "terms/t.md": term("t", SECTIONS, front("t", "Tee", aliases="[Dense vector]")),
        "terms/u.md": term("u", SECTIONS, front("u", "You", aliases="[dense  Vector]")),
    }))
    assert proc.returncode != 0
    assert "docs/terms/u.md:6: alias 'dense  Vector' (/terms/dense-vector/) is already taken by an alias " \
           "of docs/terms/t.md" in proc.stderr
    proc = build(make_project(tmp_path / "b", {
        "terms/t.md": term("t", SECTIONS, front("t", "Tee")),
        "terms/u.md": term("u", SECTIONS, front("u", "You", aliases="[T]")),
    }))
    assert proc.returncode != 0 and "is already taken by the term page docs/terms/t.md" in proc.stderr


# --- Files: encodings, byte-order marks, and slug advice that leads somewhere ------------------

FRONT = ("---\ntitle: T\nslug: {slug}\ncategory: A / B\nlevel: 1\naliases: []\nrelated: []\n"
         "summary: A fine summary.\n---\n\n## Definition\n")


def test_a_byte_order_mark_is_dropped_as_mkdocs_drops_it(tmp_path):
    from lexicon.terms import read_term

    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + FRONT.format(slug="bom").encode())
    assert read_term(path, "docs/terms/bom.md").title == "T"


@pytest.mark.parametrize("file, slug", [("Word2vec", "Word2vec"), ("word2vec", "Word2Vec"), ("Word2vec", "word2vec"),
                                        ("Word_2vec", "Word_2vec"), ("t", "tee"), ("my-term", "My Term")])
def test_following_the_slug_advice_ends_the_slug_errors(tmp_path, file, slug):
    """Whatever the fix says (rename the file, set the slug, or both), doing it gives a page that reads."""
    from lexicon.errors import LexiconError
    from lexicon.terms import read_term

    path, text = tmp_path / f"{file}.md", FRONT.format(slug=slug)
    for _ in range(3):
        path.write_text(text)
        try:
            read_term(path, f"docs/terms/{path.name}")
            return
        except LexiconError as err:
            first = err.fix.split(", or ")[0]          # "set slug: t, or rename the file to tee.md": one way
            renamed = re.search(r"rename the file to ([a-z0-9-]+)\.md", first)
            new_slug = re.search(r"set slug: ([a-z0-9-]+)", first)
            assert renamed or new_slug, f"the fix names no step to take: {err}"
            if new_slug:
                text = re.sub(r"(?m)^slug: .*$", f"slug: {new_slug.group(1)}", text)
            if renamed:
                path.unlink()
                path = tmp_path / f"{renamed.group(1)}.md"
    raise AssertionError(f"three rounds of the advice did not fix {file}.md with slug {slug!r}")
