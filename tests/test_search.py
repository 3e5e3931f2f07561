"""The built site's search, run through Material's own worker in Node as the browser runs it.

A wildcard query on one character expands to every indexed word that starts with it, so querying
each first character touches the whole token set: a corrupt set (lunr merges look-alike nodes of
digit-laden tokens, and then names words it has no postings for) fails here for every query that
reaches the damage, not only for the word a test happens to type.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest

HARNESS = Path(__file__).parent / "js" / "search_worker.js"
LEARNER_QUERIES = ["cosine", "cosine similarity", "king man woman", "queen", "glove", "t-sne", "umap",
                   "nearest neighbour", "attention", "0.85"]


def ask(site: Path, queries: list[str]) -> dict[str, dict]:
    worker = next((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    proc = subprocess.run(["node", str(HARNESS), str(worker), str(site / "search" / "search_index.json"),
                           *queries], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    return {a["query"]: a for a in answers}


@pytest.fixture(scope="module")
def first_characters(built_site) -> list[str]:
    docs = json.loads((built_site / "search" / "search_index.json").read_text())["docs"]
    text = " ".join(re.sub(r"<[^>]+>", " ", d["title"] + " " + d["text"]).lower() for d in docs)
    return sorted({w[0] for w in re.split(r"[\s\-]+", text) if w[:1].isalnum()})


def test_every_first_character_searches_without_error(built_site, first_characters):
    assert len(first_characters) >= 36  # a–z and 0–9 at least
    answers = ask(built_site, first_characters)
    failed = {q: a["errors"] for q, a in answers.items() if a["errors"] or a["results"] is None}
    assert not failed, f"the search worker failed for these one-character queries: {failed}"


def test_learner_queries_find_pages(built_site):
    answers = ask(built_site, LEARNER_QUERIES)
    for query in LEARNER_QUERIES:
        assert not answers[query]["errors"], (query, answers[query]["errors"])
        assert answers[query]["results"] > 0, f"no results for {query!r}"
