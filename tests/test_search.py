"""The built site's search, run through Material's own worker in Node as the browser runs it.

A wildcard query on one character expands to every indexed word that starts with it, so querying
each first character touches the whole token set: a corrupt set (lunr merges look-alike nodes of
digit-laden tokens, and then names words it has no postings for) fails here for every query that
reaches the damage, not only for the word a test happens to type.
"""

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from lexicon.catalog.search import SNIPPET_WORDS

HARNESS = Path(__file__).parent / "js" / "search_worker.js"
LEARNER_QUERIES = ["cosine", "cosine similarity", "king man woman", "queen", "glove", "t-sne", "umap",
                   "nearest neighbour", "attention", "word2vec", "3cosadd"]


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


def index_docs(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text())["docs"]


def test_term_pages_come_first(built_site):
    queries = ["queen", "king man woman", "king − man + woman", "3CosAdd"]
    answers = ask(built_site, queries + ["embedding"])
    for query in queries:
        assert answers[query]["top"][:1] == ["terms/word-analogy/"], (query, answers[query]["top"][:5])
    # "man" also starts the title "Manhattan distance": the summary's words decide (catalog/search.py).
    assert "terms/manhattan-distance/" not in answers["king man woman"]["top"][:1]
    assert answers["embedding"]["top"][:1] == ["terms/embedding/"], answers["embedding"]["top"][:5]


def test_each_term_entry_indexes_its_summary_in_a_field_of_its_own(built_site):
    data = json.loads((built_site / "search" / "search_index.json").read_text())
    assert data["config"]["fields"]["summary"]["boost"] < data["config"]["fields"]["title"]["boost"]
    entries = [d for d in data["docs"] if re.fullmatch(r"terms/[^/#]+/", d["location"])]
    assert len(entries) >= 100 and all(d.get("summary") for d in entries)
    assert not any("summary" in d for d in data["docs"] if "#" in d["location"])


def test_every_term_is_found_by_its_title(built_site):
    own = {html.unescape(d["title"]): d["location"] for d in index_docs(built_site)
           if re.fullmatch(r"terms/[^/#]+/", d["location"])}
    assert len(own) >= 30
    answers = ask(built_site, list(own))
    for title, location in own.items():
        top = answers[title]["top"]
        assert top and top[0].startswith("terms/") and not top[0].startswith("terms/#"), (title, top[:3])
        assert location in top[:2], (title, top[:3])   # "Token": Tokenization may come first


def test_only_what_a_learner_searches_for_is_indexed(built_site):
    docs = index_docs(built_site)
    pages = {d["location"].split("#")[0] for d in docs}
    assert not pages & {"authoring/", "blocks/", "claims/"}          # written for authors
    separator = re.compile(json.loads((built_site / "search" / "search_index.json").read_text())["config"]["separator"])
    for d in docs:
        words = [w for w in separator.split(html.unescape(re.sub(r"<[^>]+>", " ", d["text"]))) if w]
        # Digits separate words: lunr names token-set nodes by digits, so words branching at a digit
        # can be merged (mkdocs.yml). Only ASCII digits: "²" in "x²" is not one of them.
        assert not any(re.search(r"[0-9]", w) for w in words), (d["location"], words)
        if not re.fullmatch(r"terms/[^/#]+/", d["location"]):
            assert len(d["text"].split()) <= SNIPPET_WORDS + 1, d["location"]     # a heading and its snippet
    analogy = next(d for d in docs if d["location"] == "terms/word-analogy/")
    assert "Also called: Analogy, Word arithmetic" in analogy["text"] and "queen" in analogy["text"]
