"""Bad input fails the build with one clear message: the file, the line, and the fix."""

import pytest

from project import build, make_project, term

SECTIONS = "## Definition\n\n## Key Concepts\n\n## Examples\n\n## Interactive Exercise\n\n## Pro Tips\n"


def fails(tmp_path, pages, **kw):
    proc = build(make_project(tmp_path, pages, **kw))
    assert proc.returncode != 0, proc.stderr
    return proc.stderr + proc.stdout


def block(kind, body):
    return f"Intro line.\n\n```{kind}\n{body}\n```\n"


def test_word_outside_vocabulary_names_file_line_and_suggests(tmp_path):
    out = fails(tmp_path, {"terms/t.md": term("t", block("analogy", "query: king - man + womn") + SECTIONS)})
    assert "docs/terms/t.md:14: analogy block: word 'womn' is not in the model's vocabulary" in out
    assert "did you mean " in out and "'woman'" in out
    assert "Fix: correct the spelling" in out


def test_capitalised_word_suggests_lower_case(tmp_path):
    out = fails(tmp_path, {"page.md": block("neighbours", "word: Paris")})
    assert "docs/page.md:4: neighbours block: word 'Paris' is not in the model's vocabulary" in out
    assert "did you mean 'paris'" in out and "lower-case" in out


def test_false_claim_fails_strict_build_with_the_models_answer(tmp_path):
    out = fails(tmp_path, {"page.md": block("analogy", "query: king - man + woman\nexpect: prince")})
    assert "docs/page.md:3: analogy block: false claim: the top answer of king − man + woman is 'prince'" in out
    assert "queen (0.8524)" in out
    assert "Aborted" in out  # strict mode turns the logged error into a failed build


def test_false_order_claim_in_exercise(tmp_path):
    body = "pairs:\n  A: [happy, joyful]\n  B: [happy, sad]\nanswer: [A, B]"
    out = fails(tmp_path, {"page.md": block("rank-exercise", body)})
    assert "false claim: the model orders the pairs as A > B" in out
    assert "the model's order: B (0.6891), A (0.5550)" in out


def test_malformed_yaml_points_at_the_line_inside_the_block(tmp_path):
    out = fails(tmp_path, {"page.md": block("similarity", "pairs:\n  - [cat, dog\n  - [cat, car]")})
    assert "docs/page.md:" in out and "similarity block: the block is not valid YAML" in out
    assert "Fix:" in out


def test_unknown_option_suggests_the_right_one(tmp_path):
    out = fails(tmp_path, {"page.md": block("neighbours", "word: frog\ntopm: 5")})
    assert "docs/page.md:5: neighbours block: unknown option 'topm'" in out
    assert "did you mean 'topn'?" in out


def test_wrong_type_and_missing_option(tmp_path):
    out = fails(tmp_path, {"page.md": block("neighbours", "word: frog\ntopn: many")})
    assert "docs/page.md:5: neighbours block: option 'topn': 'many' is not of type 'integer'" in out
    out = fails(tmp_path / "b", {"page.md": block("analogy", "topn: 3")})
    assert "missing option 'query'" in out


def test_unreadable_query(tmp_path):
    out = fails(tmp_path, {"page.md": block("analogy", "query: king-man+woman")})
    assert "cannot read the query 'king-man+woman'" in out and "spaces around" in out


@pytest.mark.parametrize("front, message", [
    ("title: T\nslug: t\ncategory: A / B\nlevel: 1\naliases: []\nrelated: []\nsummary: A fine summary.\ncolour: red",
     "docs/terms/t.md:9: unknown front matter field 'colour'"),
    ("title: T\nslug: t\ncategory: A / B\nlevel: 1\naliases: []\nrelated: []",
     "missing front matter field 'summary'"),
    ("title: T\nslug: t\ncategory: A / B\nlevel: 6\naliases: []\nrelated: []\nsummary: A fine summary.",
     "docs/terms/t.md:5: front matter field 'level': 6 is greater than the maximum of 5"),
    ("title: T\nslug: other\ncategory: A / B\nlevel: 1\naliases: []\nrelated: []\nsummary: A fine summary.",
     "slug 'other' does not match the file name 't.md'"),
    ("title: T\nslug: t\ncategory: A / B\nlevel: 1\naliases: []\nrelated: [embeding]\nsummary: A fine summary.",
     "docs/terms/t.md:7: related term 'embeding' is neither a term page nor a planned term"),
])
def test_bad_front_matter(tmp_path, front, message):
    out = fails(tmp_path, {"terms/t.md": term("t", SECTIONS, front=front)},
                planned="embedding: Embedding\n")
    assert message in out
    assert "Fix:" in out


def test_related_planned_term_is_plain_text_and_existing_term_is_a_link(tmp_path):
    front = ("title: T\nslug: t\ncategory: A / B\nlevel: 1\naliases: []\nrelated: [u, later]\n"
             "summary: A fine summary.")
    project = make_project(tmp_path, {"terms/t.md": term("t", SECTIONS, front=front),
                                      "terms/u.md": term("u", SECTIONS)},
                           planned="later: Later Term\n")
    proc = build(project)
    assert proc.returncode == 0, proc.stderr
    page = (project / "site" / "terms" / "t" / "index.html").read_text()
    assert '<a href="../u/">Test term</a>' in page
    assert "Later Term" in page and 'href="../later/' not in page


def test_yes_and_no_are_read_as_booleans_and_the_fix_says_quote_them(tmp_path):
    out = fails(tmp_path, {"page.md": block("similarity", "pairs:\n  - [cat, dog]\n  - [yes, no]")})
    assert "option 'pairs[2][" in out and "YAML read this word as" in out
    assert "put the word in quotes" in out


def test_colon_in_a_value_suggests_quotes(tmp_path):
    out = fails(tmp_path, {"page.md": block("neighbours", "word: frog\ncaption: Note: frogs")})
    assert "not valid YAML" in out and "put a value in quotes" in out


def test_unknown_word_error_points_at_the_line_holding_it(tmp_path):
    out = fails(tmp_path, {"page.md": block("similarity", "pairs:\n  - [cat, dog]\n  - [cat, cxrq]")})
    assert "docs/page.md:6: similarity block: word 'cxrq'" in out


def test_broken_front_matter_yaml_keeps_the_parsers_message(tmp_path):
    front = 'title: "T\nslug: t'
    out = fails(tmp_path, {"terms/t.md": term("t", SECTIONS, front=front)})
    assert "docs/terms/t.md:" in out and "front matter is not valid YAML" in out



def test_term_sections_must_all_be_there_in_order(tmp_path):
    out = fails(tmp_path / "a", {"terms/t.md": term("t", SECTIONS.replace("## Examples\n", ""))})
    assert "docs/terms/t.md:1: a term page needs the section '## Examples'" in out
    swapped = SECTIONS.replace("## Definition", "## X").replace("## Key Concepts", "## Definition") \
        .replace("## X", "## Key Concepts")
    out = fails(tmp_path / "b", {"terms/t.md": term("t", swapped)})
    assert "docs/terms/t.md:11: the section '## Key Concepts' is out of order" in out
    out = fails(tmp_path / "c", {"terms/t.md": term("t", SECTIONS + "\n## Related Terms\n")})
    assert "docs/terms/t.md:21: the Related Terms section is generated" in out
