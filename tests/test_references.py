"""References: the bibliography, the generated References section, and citations in prose."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from lexicon.errors import LexiconError
from lexicon.references import Bibliography
from project import build, make_project, term

GLOVE = """\
pennington-2014:
  authors: ["Pennington, Jeffrey", "Socher, Richard", "Manning, Christopher D."]
  year: 2014
  title: "GloVe: Global Vectors for Word Representation"
  venue: Proceedings of EMNLP 2014, pp. 1532–1543
  doi: 10.3115/v1/D14-1162
"""
MORE = """\
mikolov-2013a:
  authors: ["Mikolov, Tomas", "Chen, Kai", "Corrado, Greg", "Dean, Jeffrey"]
  year: 2013
  suffix: a
  title: Efficient Estimation of Word Representations in Vector Space
  venue: ICLR 2013 Workshop
  arxiv: "1301.3781"
harris-1954:
  authors: ["Harris, Zellig S."]
  year: 1954
  title: Distributional Structure
  venue: Word 10(2–3), 146–162
  doi: 10.1080/00437956.1954.11659520
maaten-2008:
  authors: ["van der Maaten, Laurens", "Hinton, Geoffrey"]
  year: 2008
  title: Visualizing Data using t-SNE
  venue: Journal of Machine Learning Research 9, 2579–2605
  url: https://www.jmlr.org/papers/v9/vandermaaten08a.html
"""
SECTIONS = "## Definition\n\n{body}\n\n## Key Concepts\n\n## Examples\n\n## Interactive Exercise\n\n## Pro Tips\n"


def bib(tmp_path: Path, text: str) -> Bibliography:
    (tmp_path / "_data").mkdir(parents=True, exist_ok=True)
    (tmp_path / "_data" / "references.yml").write_text(text)
    return Bibliography.load(tmp_path)


def test_a_page_cites_by_key_and_gets_a_references_section(tmp_path):
    b = bib(tmp_path, GLOVE + MORE)
    md = b.section(["pennington-2014", "maaten-2008", "harris-1954", "mikolov-2013a"])
    lines = md.strip().split("\n")
    assert lines[0] == "## References"
    # Sorted by first author's surname, then year; each entry has an anchor and one link.
    assert [line.split("</span>")[1].split(",")[0] for line in lines[2:]] == ["Harris", "van der Maaten", "Mikolov",
                                                                             "Pennington"]
    assert '<span id="ref-pennington-2014"></span>Pennington, J., Socher, R. and Manning, C. D. (2014).' in md
    # Identifiers as text to copy, never links: the site links to no other host.
    assert "`doi:10.3115/v1/D14-1162`" in md and "](http" not in md
    assert "(2013a)" in md and "`arXiv:1301.3781`" in md
    assert "`https://www.jmlr.org/papers/v9/vandermaaten08a.html`" in md


def test_bibliography_refuses_active_text_and_shows_the_rest_as_text(tmp_path):
    """A link or handler in a reference is refused where it is written (issue 13); anything else
    an author writes there, Markdown or tags, is shown as text."""
    with pytest.raises(LexiconError, match="title") as err:
        bib(tmp_path, textwrap.dedent("""\
            x-2020:
              authors: ["Smith, A"]
              year: 2020
              title: "A [link](javascript:alert(1)) <img src=x onerror=alert(1)>"
              venue: V
              url: https://example.org/
            """))
    assert err.value.line == 4
    b = bib(tmp_path, textwrap.dedent("""\
        x-2020:
          authors: ["<b>Smith</b>, A"]
          year: 2020
          title: "*bold* and <i>tags</i>"
          venue: V
          url: https://example.org/
        """))
    import markdown

    out = BeautifulSoup(markdown.markdown(b.section(["x-2020"])), "html.parser")
    assert not out.select("b, i, strong, em em, a") and len(out.select("em")) == 1
    assert "<b>Smith</b>" in out.get_text() and "*bold* and <i>tags</i>" in out.get_text()


@pytest.mark.parametrize("entry, says", [
    ("k-2020:\n  authors: [A B]\n  year: 2020\n  title: T\n  venue: V\n  url: https://x.org/", "Surname, Given names"),
    ("k-2020:\n  authors: [\"A, B\"]\n  year: 2020\n  title: T\n  venue: V", "needs a link for the reader"),
    ("k-2020:\n  authors: [\"A, B\"]\n  year: 2020\n  title: T\n  venue: V\n  url: javascript:alert(1)",
     "does not match"),
    ("k-2020:\n  authors: [\"A, B\"]\n  year: 2020\n  title: T\n  venue: V\n  doi: 10.1/x", "does not match"),
    ("K 2020:\n  authors: [\"A, B\"]\n  year: 2020\n  title: T\n  venue: V\n  url: https://x.org/", "is not a lower-case key"),
    ("k-2020:\n  authors: [\"A, B\"]\n  year: '2020'\n  title: T\n  venue: V\n  url: https://x.org/", "is not of type"),
])
def test_bad_bibliography_entries_name_the_line_and_the_fix(tmp_path, entry, says):
    with pytest.raises(LexiconError, match=says) as err:
        bib(tmp_path, "ok-2019:\n  authors: [\"O, K\"]\n  year: 2019\n  title: T\n  venue: V\n  url: https://x.org/\n"
            + entry + "\n")
    assert err.value.file == "docs/_data/references.yml" and err.value.line == 7 and err.value.fix


def test_two_works_cited_alike_need_suffixes(tmp_path):
    twin = MORE.split("harris-1954")[0].replace("mikolov-2013a", "mikolov-2013b").replace("suffix: a", "suffix: a")
    with pytest.raises(LexiconError, match="would both be cited as “Mikolov et al. 2013a”") as err:
        bib(tmp_path, MORE.split("harris-1954")[0] + twin)
    assert "suffix: b" in err.value.fix


def test_every_citation_in_prose_must_be_listed(tmp_path):
    b = bib(tmp_path, GLOVE + MORE)
    text = textwrap.dedent("""\
        ---
        title: Pennington et al. 2014 in the front matter is not prose
        references: [pennington-2014]
        ---
        GloVe (Pennington et al. 2014, Table 2) and Pennington et al. (2014) are listed.
        Harris (1954) is in the bibliography but not listed here.
        As van der Maaten and Hinton (2008) show, and Firth (1957) said.
        `Mikolov et al. 2013a` in code is not a citation; Wikipedia as of 2014 is not one either.
        ```
        Mikolov et al. (2013a)
        ```
        """)
    errors = b.check_citations(text, "docs/terms/t.md", ["pennington-2014"])
    found = {(e.line, e.message.split("”")[0].lstrip("“")): e.fix for e in errors}
    assert set(found) == {(6, "Harris (1954"), (7, "van der Maaten and Hinton (2008"), (7, "Firth (1957")}
    assert found[(6, "Harris (1954")] == "add 'harris-1954' to the page's 'references:' list"
    assert "docs/_data/references.yml" in found[(7, "Firth (1957")]


def test_the_build_lists_references_and_checks_keys_and_citations(tmp_path):
    page = term("t", SECTIONS.format(body="As Harris (1954) put it."),
                "title: Tee\nslug: t\ncategory: A / B\nlevel: 1\naliases: []\nrelated: []\n"
                "summary: The tee term, for tests.\nreferences: [harris-1954, pennington-2014]")
    project = make_project(tmp_path, {"terms/t.md": page, "_data/references.yml": GLOVE + MORE})
    proc = build(project)
    assert proc.returncode == 0, proc.stderr
    soup = BeautifulSoup((project / "site" / "terms" / "t" / "index.html").read_text(), "html.parser")
    heads = [h.get_text(strip=True).rstrip("¶") for h in soup.select("article h2")]
    assert heads[-1] == "References"
    refs = soup.select_one("#ref-harris-1954").parent
    assert "doi:10.1080/00437956.1954.11659520" in refs.get_text() and not refs.select("a")
    assert soup.select_one("#ref-pennington-2014") is not None

    # An unknown key: the line of 'references:' and the close match.
    project = make_project(tmp_path / "b", {"terms/t.md": page.replace("harris-1954", "haris-1954"),
                                            "_data/references.yml": GLOVE + MORE})
    proc = build(project)
    assert proc.returncode != 0
    assert "docs/terms/t.md:9: reference 'haris-1954' is not in docs/_data/references.yml" in proc.stderr
    assert "did you mean harris-1954?" in proc.stderr
    # A citation the page does not list; a hand-written References section.
    project = make_project(tmp_path / "c", {
        "terms/t.md": page.replace("references: [harris-1954, pennington-2014]", "references: [pennington-2014]"),
        "_data/references.yml": GLOVE + MORE})
    proc = build(project)
    assert proc.returncode != 0
    assert "docs/terms/t.md:14: “Harris (1954” cites a work that is not in the page's references" in proc.stderr
    project = make_project(tmp_path / "d", {"terms/t.md": page + "\n## References\n\n- Harris 1954\n",
                                            "_data/references.yml": GLOVE + MORE})
    proc = build(project)
    assert proc.returncode != 0
    assert "the References section is generated from the 'references' front matter field" in proc.stderr


def test_a_page_that_is_not_a_term_cites_the_same_way(tmp_path):
    guide = "---\nreferences: [pennington-2014]\n---\n# Guide\n\nGloVe (Pennington et al. 2014) counts.\n"
    project = make_project(tmp_path, {"guide.md": guide, "_data/references.yml": GLOVE})
    proc = build(project)
    assert proc.returncode == 0, proc.stderr
    soup = BeautifulSoup((project / "site" / "guide" / "index.html").read_text(), "html.parser")
    assert soup.select_one("#ref-pennington-2014") is not None
    # The same message as on a term page: the file, the line of 'references:', a close match.
    project = make_project(tmp_path / "b", {"guide.md": guide.replace("pennington-2014]", "penington-2014]"),
                                            "_data/references.yml": GLOVE})
    proc = build(project)
    assert proc.returncode != 0
    assert "docs/guide.md:2: reference 'penington-2014' is not in docs/_data/references.yml" in proc.stderr
    assert "did you mean pennington-2014?" in proc.stderr


def test_the_references_list_files_a_compound_surname_under_its_first_word(tmp_path):
    sparck = ('sparckjones-1972:\n  authors: ["Spärck Jones, Karen"]\n  year: 1972\n'
              '  title: A Statistical Interpretation of Term Specificity\n  venue: Journal of Documentation 28(1)\n'
              '  doi: 10.1108/eb026526\n')
    b = bib(tmp_path, GLOVE + MORE + sparck)
    section = b.section(["sparckjones-1972", "harris-1954", "maaten-2008", "pennington-2014"])
    order = [section.index(name) for name in ("Harris", "van der Maaten", "Pennington", "Spärck Jones")]
    assert order == sorted(order), section


def test_a_group_author_is_one_name_written_as_it_is(tmp_path):
    b = bib(tmp_path, 'sklearn-api:\n  authors: ["scikit-learn developers"]\n  group: true\n  year: 2026\n'
                      '  title: API Reference\n  venue: scikit-learn documentation\n'
                      '  url: https://scikit-learn.org/stable/api/index.html\n')
    assert "scikit-learn developers (2026). *API Reference.*" in b.section(["sklearn-api"])
    assert b.entries["sklearn-api"].sort_name == "scikit-learn developers"
    with pytest.raises(LexiconError, match="written without a comma"):
        bib(tmp_path, 'k-2020:\n  authors: ["Smith, Ann"]\n  group: true\n  year: 2020\n  title: T\n  venue: V\n'
                      '  url: https://x.org/\n')
    with pytest.raises(LexiconError, match="Surname, Given names"):
        bib(tmp_path, 'k-2020:\n  authors: ["scikit-learn developers"]\n  year: 2020\n  title: T\n  venue: V\n'
                      '  url: https://x.org/\n')
