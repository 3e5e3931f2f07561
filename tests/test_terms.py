"""The term index: aliases redirect, duplicate aliases fail, backlinks show who points here."""

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
