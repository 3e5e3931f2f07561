"""Prose that cannot drift from the model: computed values in running text, and the numbers check."""

from __future__ import annotations

import pytest

from lexicon.engine import numbers, values
from lexicon.engine.kind import Value
from lexicon.errors import LexiconError
from project import TERM_FRONT_MATTER, build, make_project, term


# --- computed values ----------------------------------------------------------------------------

def resolve_with(blocks=None, facts=None):
    return values.resolver(lambda ref: (blocks or {}).get(ref),
                           lambda: facts or {"dims": Value("50", 50)})


def test_arithmetic_is_computed_and_formatted():
    assert values.arithmetic("1*4 + 2*(-5) + 3*6").text == "12"
    assert values.arithmetic("12 / (sqrt(14) * sqrt(77)) : .3f").text == "0.365"
    assert values.arithmetic("1000 * 50").text == "50,000"
    assert values.arithmetic("2 − 5").text == "−3"
    for bad in ("__import__('os')", "2 ** 1000", "1 / 0", "x + 1", "(1, 2)"):
        with pytest.raises(LexiconError) as err:
            values.arithmetic(bad)
        assert "+ - * /" in err.value.fix


def test_substitute_leaves_code_and_fences_alone():
    md = "A {{ = 2 + 2 }} and `{{ = 1 }}`.\n```\n{{ = 3 }}\n```\n"
    out, errors = values.substitute(md, resolve_with(), fenced={3, 4, 5})
    assert not errors
    assert '>4</span> and `{{ = 1 }}`.' in out and "\n{{ = 3 }}\n" in out


def test_unknown_references_name_the_fix():
    out, errors = values.substitute("It has {{ nope.value }} and {{ model.colour }}.", resolve_with())
    assert len(errors) == 2 and all(line == 1 for line, _ in errors)
    assert "no block on this page is called 'nope'" in str(errors[0][1]) and "id: nope" in errors[0][1].fix
    assert "model.dims" in errors[1][1].fix
    _, errors = values.substitute("{{ what is this }}", resolve_with())
    assert "cannot read the computed value" in str(errors[0][1])


def test_share_arguments():
    assert values.share("90%") == pytest.approx(0.9) and values.share("0.25") == 0.25
    with pytest.raises(LexiconError):
        values.share("150%")


# --- the numbers check --------------------------------------------------------------------------

def strays(text):
    return [(s.line, s.number) for s in numbers.strays(text)]


def test_bare_numbers_are_found_with_their_line():
    text = "---\ntitle: T\nlevel: 3\n---\n\nIt takes 40 of the 50 axes\nto hold 90% of it.\n"
    assert strays(text) == [(6, "40"), (6, "50"), (7, "90")]


def test_allowed_forms_pass():
    text = "\n".join([
        "word2vec and GloVe 6B 50d came out in 2013 and 2014; GPT-2 uses L2 norms and int8 weights.",
        "A cosine is 1 for the same direction, 0 at right angles and −1 for opposites.",
        "This is a level 3 term. Step 2 divides (step 3 adds). A 2-D map is flat.",
        "It has `50` numbers, {{ model.dims }} of them, [see](page-2.md) and <span data-x=\"7\">here</span>.",
        "",
        "1. A numbered list item",
        "",
        "```python",
        "x = 12345",
        "```",
    ])
    assert strays(text) == []


def test_a_cited_sentence_passes_and_the_next_one_does_not():
    text = ("GloVe reached 75% on the analogy test (Pennington et al. 2014, Table 2). "
            "That was 11 points more.\n"
            "Pennington, Socher and Manning (2014, p. 1538) trained on 6 billion tokens.\n\n"
            "Harris set it out in 1954 (Harris 1954) with 3 examples.\n")
    assert strays(text) == [(1, "11"), (4, "3")]  # a citation without a table or page does not count


def test_a_citation_may_span_lines_of_a_list_item_or_a_quote():
    text = ("- BERT-base has 12 layers and 768 dimensions (Devlin et\n  al. 2019, §3).\n\n"
            "> PE(pos, 2i) = sin(pos / 10000^(2i/d))\n> PE(pos, 2i+1) = cos(pos / 10000^(2i/d)) "
            "(Vaswani et al. 2017, §3.5)\n\n> Another quote with 7 in it.\n")
    assert strays(text) == [(7, "7")]


def test_et_al_does_not_end_the_sentence_of_its_citation():
    assert strays("Pennington et al. (2014, Table 2) report 75.0% on it. Others get 60%.\n") == [(1, "60")]


def test_a_number_under_a_label_column_is_a_label():
    text = "| Step | What | Result |\n|---|---|---|\n| 1 | add | 12 |\n| 2 (optional) | divide | 0.4 |\n\nStep 3.\n"
    assert strays(text) == [(3, "12"), (4, "0.4")]


def test_references_section_is_a_bibliography():
    text = "## Pro Tips\n\nUse 5.\n\n## References\n\n- Mikolov et al. (2013). Proc. 26, pp. 3111–3119.\n"
    assert strays(text) == [(3, "5")]


# --- in a build -------------------------------------------------------------------------------------

BODY = """## Definition

{definition}

## Key Concepts

- A frog is an amphibian.

## Examples

```neighbours
id: frog
word: frog
topn: 8
```

## Interactive Exercise

None yet.

## Pro Tips

- Look at the table.
"""


def test_a_bare_number_fails_the_build_with_its_location_and_fix(tmp_path):
    page = term("frog", BODY.format(definition="The nearest word scores 0.84 on cosine."))
    proc = build(make_project(tmp_path, {"terms/frog.md": page}))
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "docs/terms/frog.md:13: the number '0.84' in the prose is neither computed nor cited" in out
    assert "Fix: quote the block's value with {{ id.value }}" in out


def test_a_computed_value_and_a_cited_figure_pass(tmp_path, kv):
    definition = ("The nearest word, {{ frog.neighbour(1) }}, scores {{ frog.cosine(snake) }}; this model has "
                  "{{ model.dims }} dimensions. GloVe scored 75% on the analogy test (Pennington et al. 2014, "
                  "Table 2).")
    front = TERM_FRONT_MATTER.format(slug="frog").strip().strip("-").strip() + "\nreferences: [pennington-2014]"
    bibliography = ('pennington-2014:\n  authors: ["Pennington, Jeffrey"]\n  year: 2014\n  title: GloVe\n'
                    '  venue: EMNLP 2014\n  doi: 10.3115/v1/D14-1162\n')
    project = make_project(tmp_path, {"terms/frog.md": term("frog", BODY.format(definition=definition), front),
                                      "_data/references.yml": bibliography})
    proc = build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = (project / "site" / "terms" / "frog" / "index.html").read_text()
    top, score = kv.most_similar("frog", topn=1)[0]
    assert f">{top}</span>, scores <span" in page and f">{score:.4f}</span>" in page
    assert f">{score:.4f}</td>" in page  # the same text as the table beside it


def test_a_reference_to_an_unknown_block_fails_with_its_line(tmp_path):
    page = term("frog", BODY.format(definition="It scores {{ toad.cosine(frog) }}."))
    proc = build(make_project(tmp_path, {"terms/frog.md": page}))
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "docs/terms/frog.md:13: no block on this page is called 'toad' (it has: frog, neighbours)" in out and "id: toad" in out


def test_pages_can_be_checked_without_building_the_site(tmp_path, kv):
    from project import ROOT
    from lexicon import check

    page = tmp_path / "docs" / "terms" / "frog.md"
    page.parent.mkdir(parents=True)
    page.write_text(term("frog", BODY.format(definition="It scores {{ frog.cosine(snake) }} and 0.84.")))
    config = tmp_path / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text())
    assert check.check([page], config, show_values=False) == 1
    page.write_text(term("frog", BODY.format(definition="It scores {{ frog.cosine(snake) }}.")))
    assert check.check([page], config, show_values=True) == 0


def test_the_quick_check_holds_term_pages_to_the_builds_front_matter_and_section_checks(tmp_path, capsys):
    """A summary holding ': ' is not YAML: the quick check says so on its line, as the build does,
    instead of reading the page as if it had no front matter (and blaming its citations)."""
    from project import ROOT
    from lexicon import check

    config = tmp_path / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text())
    page = tmp_path / "docs" / "terms" / "frog.md"
    page.parent.mkdir(parents=True)
    good = term("frog", BODY.format(definition="A frog."))
    page.write_text(good.replace("summary: A term page used by the test suite.", "summary: Frogs: green."))
    assert check.check([page], config) == 1
    out = capsys.readouterr().out
    assert "docs/terms/frog.md:8: front matter is not valid YAML" in out and "quote a value that holds ': '" in out
    page.write_text(good.replace("## Pro Tips", "## Pro tips"))
    assert check.check([page], config) == 1
    assert "a term page needs the section '## Pro Tips'" in capsys.readouterr().out
    page.write_text(good)
    twin = page.with_name("toad.md")    # a glossary-wide fault: two pages share a title
    twin.write_text(good.replace("slug: frog", "slug: toad"))
    assert check.check([page], config) == 1
    assert "is already the title of" in capsys.readouterr().out
