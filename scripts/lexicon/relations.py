"""The relations of the Google analogy test set (gensim's ``questions-words.txt``), as word pairs.

Each section of the file is one relation: ``capital-common-countries`` pairs a capital with its
country, ``gram3-comparative`` an adjective with its comparative. An analogy exercise that names a
relation is graded by these pairs, not by the model's ranking: for *Paris is to France as ___ is to
Japan* the answer is the capital the data set pairs with Japan, whatever the model ranks first.
The model's other high-ranked words are explained by the relation that does hold: *japanese* is
Japan's nationality adjective (``gram6-nationality-adjective``).
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from .engine.deps import DataFile
from .errors import LexiconError
from .evaluate import ANALOGIES, datapath, read_questions

ANALOGY_SET = DataFile(lambda: datapath(ANALOGIES))

# What the second word of a pair is to the first ("forward") and the first to the second ("backward").
ROLES = {
    "capital-common-countries": ("the country whose capital is {}", "the capital of {}"),
    "capital-world": ("the country whose capital is {}", "the capital of {}"),
    "currency": ("the currency of {}", "a country whose currency is the {}"),
    "city-in-state": ("the US state {} is in", "a city in {}"),
    "family": ("the female counterpart of {}", "the male counterpart of {}"),
    "gram1-adjective-to-adverb": ("the adverb made from {}", "the adjective {} is made from"),
    "gram2-opposite": ("the opposite of {}", "the opposite of {}"),
    "gram3-comparative": ("the comparative of {}", "the adjective whose comparative is {}"),
    "gram4-superlative": ("the superlative of {}", "the adjective whose superlative is {}"),
    "gram5-present-participle": ("the present participle of {}", "the verb whose present participle is {}"),
    "gram6-nationality-adjective": ("the nationality adjective of {}", "the country {} is the adjective of"),
    "gram7-past-tense": ("the past tense of {}", "the present participle of {}"),
    "gram8-plural": ("the plural of {}", "the singular of {}"),
    "gram9-plural-verbs": ("the third-person singular of {}", "the base form of {}"),
}


@lru_cache(maxsize=4)
def read_relations(path: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """Every section's word pairs, lower-cased, each pair once, in file order."""
    out = {}
    for name, questions in read_questions(path):
        pairs: dict[tuple[str, str], None] = {}
        for a, b, c, d in questions:
            pairs[(a.lower(), b.lower())] = None
            pairs[(c.lower(), d.lower())] = None
        out[name] = tuple(pairs)
    return out


def check_relation(relations: dict, name: str) -> tuple[tuple[str, str], ...]:
    if name not in relations:
        close = difflib.get_close_matches(name, list(relations), n=1)
        raise LexiconError(f"'{name}' is not a section of the Google analogy test set",
                           fix=(f"did you mean {close[0]}? " if close else "") + "the sections are: "
                               + ", ".join(relations))
    return relations[name]


def solve(relations: dict, name: str, a: str, b: str, c: str) -> tuple[list[str], str]:
    """For *a is to b as c is to ___* under relation ``name``: the words that complete it, and
    what they are to ``c`` ("the capital of japan")."""
    pairs = check_relation(relations, name)
    forward, backward = ROLES[name]
    if (a, b) in pairs:
        answers, role = [y for x, y in pairs if x == c], forward
    elif (b, a) in pairs:
        answers, role = [x for x, y in pairs if y == c], backward
    else:
        raise LexiconError(f"{a} and {b} are not a pair of the relation {name}",
                           fix=f"write the query as 'b - a + c' where a and b are a pair of {name}, "
                               f"e.g. {pairs[0][1]} - {pairs[0][0]} + {pairs[1][0]}")
    if not answers:
        raise LexiconError(f"the relation {name} pairs no word with '{c}' in that direction",
                           fix=f"choose a third word that {name} pairs, e.g. one of: "
                               + ", ".join(sorted({p[0] for p in pairs})[:8]))
    return answers, role.format(c)


def roles_of(relations: dict, c: str, word: str) -> list[list[str]]:
    """What ``word`` is to ``c`` in any section: [[section, "the nationality adjective of japan"], …]."""
    found = []
    for name, pairs in relations.items():
        forward, backward = ROLES.get(name, ("related to {}", "related to {}"))
        if (c, word) in pairs:
            found.append([name, forward.format(c)])
        elif (word, c) in pairs:
            found.append([name, backward.format(c)])
    return found
