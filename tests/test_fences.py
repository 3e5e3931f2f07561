"""Blocks are located at the line an author sees, whatever surrounds them."""

from lexicon.locate import find_fences

KINDS = {"analogy", "neighbours"}


def test_examples_inside_longer_fences_are_not_blocks():
    md = "\n".join([
        "# Page",                      # 1
        "````markdown",                # 2
        "```neighbours",               # 3
        "word: frog",                  # 4
        "```",                         # 5
        "````",                        # 6
        "",                            # 7
        "```neighbours",               # 8
        "word: frog",                  # 9
        "```",                         # 10
    ])
    assert find_fences(md, KINDS) == {("neighbours", "word: frog"): [8]}


def test_indented_quoted_and_unclosed_fences():
    md = "\n".join([
        '=== "Tab"',                   # 1
        "",                            # 2
        "    ```analogy",              # 3
        "    query: a - b + c",        # 4
        "    ```",                     # 5
        "",                            # 6
        "~~~~neighbours",              # 7
        "word: x",                     # 8
        "```not a closing fence",      # 9
        "~~~~~",                       # 10: longer, so not closing either (as superfences)
        "~~~~",                        # 11
        "> ```neighbours",             # 12: in a quote
        "> word: y",                   # 13
        "> ```",                       # 14
        "```analogy",                  # 15: never closed, so not a block
        "query: x - y + z",
    ])
    found = find_fences(md, KINDS)
    assert found[("analogy", "query: a - b + c")] == [3]
    assert found[("neighbours", "word: x\n```not a closing fence\n~~~~~")] == [7]
    assert found[("neighbours", "word: y")] == [12]
    assert len(found) == 3
