"""People's similarity ratings: the two word-pair test sets that gensim ships with its test data.

WordSim-353 (Finkelstein et al., 2002; 0-10, and raters scored related words such as *cup*
and *coffee* high, so it mixes similarity with relatedness) and SimLex-999 (Hill, Reichart &
Korhonen, 2015; 0-10, raters were told to score similarity only, so antonyms score low).
The files are data the results are computed from: their content joins the cache key.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ...engine.deps import DataFile


def _gensim_test_data(name: str) -> str:
    from gensim.test.utils import datapath

    return datapath(name)


WORDSIM353 = DataFile(lambda: _gensim_test_data("wordsim353.tsv"))
SIMLEX999 = DataFile(lambda: _gensim_test_data("simlex999.txt"))

# Both data sets rate a pair from 0 to this (SimLex-999's published scores are on the same scale).
SCALE_TOP = 10

DATASETS = {
    # key: (the data file, gensim's name for it, the name shown to readers)
    "wordsim353": (WORDSIM353, "wordsim353.tsv", "WordSim-353"),
    "simlex999": (SIMLEX999, "simlex999.txt", "SimLex-999"),
}


def file_name(key: str) -> str:
    return DATASETS[key][1]


def display_name(key: str) -> str:
    return DATASETS[key][2]


@lru_cache(maxsize=None)
def load_dataset(key: str) -> tuple:
    """``((word, word, mean human score), ...)`` in lower case, as in the file."""
    rows = []
    for line in Path(DATASETS[key][0].path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        a, b, score = line.split("\t")[:3]
        rows.append((a.lower(), b.lower(), float(score)))
    return tuple(rows)


def human_score(key: str, a: str, b: str):
    for x, y, s in load_dataset(key):
        if (x, y) == (a, b) or (x, y) == (b, a):
            return s
    return None
