"""The search and retrieval blocks: ann, ann-exercise, nearest-exercise, filtered-search, ranking-metrics,
ranking-exercise, ranking-cutoffs, ndcg, rerank, fusion and fusion-exercise.

Computed values are checked against gensim, numpy and faiss called directly; renderers
must escape author text; bad input must fail with a message that names the fix; the values
prose can quote read as the blocks' own tables do.
"""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest
import yaml

from lexicon.engine.checks import Checks, Where
from lexicon.engine.deps import compute_code
from lexicon.engine.frame import RenderContext, block_html, exercise_html
from lexicon.engine.registry import registry
from lexicon.engine.yamlread import read_block
from lexicon.errors import LexiconError

from blocktest import EVIL, MODEL, MODEL_SPEC, quote, run, spec_of
from project import build, make_project


def src(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def figures_in(page_html: str) -> list[dict]:
    return [json.loads(html.unescape(m)) for m in re.findall(r"data-figure='([^']*)'", page_html)]


def render(kind: str, data: dict, result: dict) -> str:
    """Render a block from a given result, as the build does after computing."""
    k = registry()[kind]
    spec = spec_of(kind, src(data))
    check = Checks(Where("docs/test.md", 1, kind, "test.md", "b"))
    k.claims(spec, result, check)
    ctx = RenderContext(anchor="b", model_id=MODEL, model_spec=MODEL_SPEC)
    parts = k.render(spec, result, ctx)
    if k.is_exercise:
        return exercise_html(kind, k.prompt(spec), parts, spec.explanation, ctx, check.made)
    return block_html(kind, parts, ctx, check.made)


def val(kind: str, spec, result, name: str, *args):
    k = registry()[kind]
    return k.values()[name](k, spec, result, *args)


# --- nearest-exercise -------------------------------------------------------------------------

def test_nearest_exercise_scores_and_ranks_come_from_gensim(kv):
    opts = ["tea", "milk", "cup"]
    _, result, claims, out = run(kv, "nearest-exercise", src({"word": "coffee", "options": opts, "answer": "cup"}))
    assert result["scores"] == pytest.approx([float(kv.similarity("coffee", o)) for o in opts], abs=1e-4)
    assert result["ranks"] == [kv.rank("coffee", o) for o in opts]
    best = min(opts, key=lambda o: kv.rank("coffee", o))
    assert result["answer"] == best and claims[0].ok is (best == "cup")
    assert f"'{best}'" in claims[0].actual
    assert 'data-exercise="choice"' in out and "ll-exercise--nearest-exercise" in out
    with pytest.raises(LexiconError, match="both the word and one of the options"):
        spec_of("nearest-exercise", src({"word": "tea", "options": ["tea", "milk"]}))
    with pytest.raises(LexiconError, match=r"'answer' \(juice\) is not one of the options") as e:
        spec_of("nearest-exercise", src({"word": "coffee", "options": ["tea", "milk"], "answer": "juice"}))
    assert "tea, milk" in e.value.fix


def test_nearest_exercise_values_read_as_its_table(kv):
    spec, result, _, out = run(kv, "nearest-exercise", src({"word": "moon", "options": ["sun", "earth", "star"]}))
    assert val("nearest-exercise", spec, result, "nearest").text == result["answer"]
    rank = val("nearest-exercise", spec, result, "rank", "star")
    assert rank.number == kv.rank("moon", "star") and rank.text == f"#{rank.number:,}"
    assert f"<td class=\"ll-num\">{rank.text}</td>" in out
    cos = val("nearest-exercise", spec, result, "cosine", "earth")
    assert cos.text == f"{float(kv.similarity('moon', 'earth')):.4f}" and cos.text in out
    with pytest.raises(LexiconError, match="'lunar' is not one of the options"):
        val("nearest-exercise", spec, result, "rank", "lunar")


# --- filtered-search ------------------------------------------------------------------------

def test_filtered_search_pre_and_post_filtering(kv):
    allow = ["tea", "milk", "juice", "beer", "wine", "water"]
    _, result, claims, _ = run(kv, "filtered-search", src({"query": "coffee", "allow": allow, "k": 3, "fetch": 8,
                                                           "top": 20000, "expect": {"nearest": "milk"}}))
    x = np.asarray(kv.vectors[:20000], dtype=np.float32)
    x = x / np.linalg.norm(x, axis=1, keepdims=True)
    sims = x @ x[kv.key_to_index["coffee"]]
    pre = sorted(allow, key=lambda w: -sims[kv.key_to_index[w]])[:3]
    assert [w for w, _, _ in result["pre"]] == pre
    fetched = [kv.index_to_key[j] for j in np.argsort(-sims, kind="stable")[1:9]]
    assert [w for w, _, _ in result["post"]] == [w for w in fetched if w in allow][:3]
    assert claims[0].ok is (pre[0] == "milk")
    with pytest.raises(LexiconError, match="post-filtering returns at most k"):
        spec_of("filtered-search", src({"query": "coffee", "allow": allow, "k": 3, "expect": {"post_filter": 4}}))


def test_filtered_search_option_errors_name_the_fix():
    allow = ["tea", "milk", "juice"]
    with pytest.raises(LexiconError, match=r"k \(3\) is more than the 2 allowed words") as e:
        spec_of("filtered-search", src({"query": "tea", "allow": allow, "k": 3}))
    assert "lower k" in e.value.fix
    with pytest.raises(LexiconError, match=r"'fetch' \(1\) is less than k \(2\)"):
        spec_of("filtered-search", src({"query": "coffee", "allow": allow, "k": 2, "fetch": 1}))
    with pytest.raises(LexiconError, match=r"'nearest' \(beer\) is not one of the allowed words"):
        spec_of("filtered-search", src({"query": "coffee", "allow": allow, "k": 2, "expect": {"nearest": "beer"}}))
    assert spec_of("filtered-search", src({"query": "coffee", "allow": allow, "k": 2})).fetch == 4


def test_filtered_search_word_outside_the_store(kv):
    spec = spec_of("filtered-search", src({"query": "coffee", "allow": ["tea", "espresso", "macchiato"], "k": 2,
                                           "top": 1000}))
    with pytest.raises(LexiconError, match="outside the store of the 1,000 most frequent words") as e:
        registry()["filtered-search"].compute(kv, spec)
    assert "raise 'top'" in e.value.fix


def test_filtered_search_values_read_as_its_tables(kv):
    allow = ["tea", "milk", "juice", "beer", "wine", "water"]
    spec, result, _, out = run(kv, "filtered-search", src({"query": "coffee", "allow": allow, "k": 3, "fetch": 8}))
    post = val("filtered-search", spec, result, "post_filter")
    assert post.number == len(result["post"]) and f"<strong>{post.text} of 3</strong>" in out
    assert val("filtered-search", spec, result, "nearest").text == result["pre"][0][0]
    assert val("filtered-search", spec, result, "nearest", "2").text == result["pre"][1][0]
    assert val("filtered-search", spec, result, "fetched", "1").text == result["unfiltered"][0][0]
    word, score, rank = result["pre"][0]
    assert val("filtered-search", spec, result, "store_rank", word).text == f"#{rank:,}"
    assert val("filtered-search", spec, result, "cosine", word).text == f"{score:.4f}"
    assert f"<td class=\"ll-num\">{score:.4f}</td>\n<td class=\"ll-num\">#{rank:,}</td>" in out
    with pytest.raises(LexiconError, match="not a rank from 1 to 3"):
        val("filtered-search", spec, result, "nearest", "4")


# --- ann and ann-exercise (faiss's HNSW index) -----------------------------------------------------

@pytest.fixture(scope="module")
def ann_run(kv):
    data = {"queries": ["coffee", "chapter"], "top": 5000, "k": 5, "m": [3, 8],
            "ef": [6, 24], "sample": 200,
            "expect": ["recall > 0.5", "recall(coffee) > 2", "recall rises"]}
    return run(kv, "ann", src(data))


def test_ann_exact_side_equals_gensim(kv, ann_run):
    _, result, _, _ = ann_run
    for q in result["queries"]:
        ref = [w for w, _ in kv.most_similar(q["word"], topn=5, restrict_vocab=5000)]
        assert [w for w, _ in q["exact"]] == ref


def test_ann_recall_counts_agree_with_faiss(kv, ann_run):
    import faiss

    spec, result, claims, out = ann_run
    x = np.asarray(kv.vectors[:5000], dtype=np.float32)
    x = x / np.linalg.norm(x, axis=1, keepdims=True)
    faiss.omp_set_num_threads(1)
    index = faiss.IndexHNSWFlat(50, 3, faiss.METRIC_INNER_PRODUCT)
    index.add(x)
    index.hnsw.efSearch = 6
    for q in result["queries"]:
        i = kv.key_to_index[q["word"]]
        _, found = index.search(x[[i]], 6)
        approx = [kv.index_to_key[j] for j in found[0] if j != i][:5]
        assert [w for w, _, _ in q["approx"]] == approx
        assert q["found"] == len(set(approx) & {w for w, _ in q["exact"]})
    first = result["grid"][0]
    assert (first["m"], first["ef"], first["total"]) == (3, 6, 1000)
    assert [(g["m"], g["ef"]) for g in result["grid"]] == [(3, 6), (3, 24), (8, 6), (8, 24)]
    assert first["found"] < result["grid"][-1]["found"]   # the sparsest, narrowest setting is not the best
    assert claims[0].ok is (first["found"] / 1000 > 0.5)
    assert claims[1].ok is False and "of the 5 true nearest neighbours" in claims[1].actual
    assert claims[2].statement.startswith("recall rises")
    assert "recall@5" in out and "Missed" in out
    assert 'class="ll-block ll-block--ann"' in out and len(figures_in(out)) == 1


def test_ann_is_repeatable(kv, ann_run):
    spec, result, _, _ = ann_run
    again = json.loads(json.dumps(registry()["ann"].compute(kv, spec)))
    assert again == result


def test_ann_errors_name_the_fix(kv):
    with pytest.raises(LexiconError, match="names 'tea', which is not one of the queries"):
        spec_of("ann", src({"queries": ["coffee"], "expect": ["recall(tea) > 0.5"]}))
    with pytest.raises(LexiconError, match="cannot read the claim 'recall is high'") as e:
        spec_of("ann", src({"queries": ["coffee"], "expect": ["recall is high"]}))
    assert "recall > 0.9" in e.value.fix
    with pytest.raises(LexiconError, match="'recall rises' needs several m or ef values"):
        spec_of("ann", src({"queries": ["coffee"], "expect": ["recall rises"]}))
    with pytest.raises(LexiconError, match="nothing to search for"):
        spec_of("ann", src({"sample": 0}))
    with pytest.raises(LexiconError, match=r"'sample' \(2000\) is larger than the index"):
        spec_of("ann", src({"top": 1000, "sample": 2000}))
    with pytest.raises(LexiconError, match="about the sample, but 'sample' is 0"):
        spec_of("ann", src({"queries": ["coffee"], "sample": 0, "expect": ["recall > 0.5"]}))
    with pytest.raises(LexiconError, match=r"option 'm\[2\]': 5.0 is not a whole number"):
        spec_of("ann", src({"queries": ["coffee"], "m": [10, 5.0]}))
    with pytest.raises(LexiconError, match="option 'ef': 16.5 is not a whole number"):
        spec_of("ann", src({"queries": ["coffee"], "ef": 16.5}))
    with pytest.raises(LexiconError, match=r"ef 8 is below k \+ 1 \(11\)") as e:
        spec_of("ann", src({"queries": ["coffee"], "ef": [8, 32]}))
    assert "11 or more" in e.value.fix
    spec = spec_of("ann", src({"queries": ["macchiato"], "top": 1000, "sample": 10}))
    with pytest.raises(LexiconError, match="outside the index of the 1,000 most frequent words"):
        registry()["ann"].compute(kv, spec)


def test_ann_values_read_as_its_tables(ann_run):
    spec, result, _, out = ann_run
    first, last = result["grid"][0], result["grid"][-1]
    recall = val("ann", spec, result, "recall")
    assert recall.text == f"{first['found'] / first['total']:.3f}" and f"<strong>{recall.text}</strong>" in out
    found = val("ann", spec, result, "found", "8", "24")
    assert found.text == f"{last['found']:,} of {last['total']:,}" and found.text in out
    coffee = next(q for q in result["queries"] if q["word"] == "coffee")
    assert val("ann", spec, result, "query_found", "coffee").text == f"{coffee['found']} of 5"
    assert val("ann", spec, result, "setting").text == "m 3, ef 6"
    assert val("ann", spec, result, "links", "2").text == "8"
    assert val("ann", spec, result, "breadth", "2").text == "24"
    with pytest.raises(LexiconError, match="did not compute the setting m 7, ef 24"):
        val("ann", spec, result, "recall", "7", "24")
    with pytest.raises(LexiconError, match="'tea' is not one of the block's queries"):
        val("ann", spec, result, "query_found", "tea")


def test_ann_exercise_answer_is_the_setting_with_most_true_neighbours(kv, ann_run):
    _, grid_result, _, _ = ann_run
    data = {"settings": {"A": {"m": 3, "ef": 6}, "B": {"m": 8, "ef": 24}},
            "top": 5000, "k": 5, "sample": 200, "answer": "A"}
    spec, result, claims, out = run(kv, "ann-exercise", src(data))
    by_setting = {(g["m"], g["ef"]): g["found"] for g in grid_result["grid"]}
    assert result["found"] == [by_setting[(3, 6)], by_setting[(8, 24)]]  # same sample, same index
    best = "A" if result["found"][0] > result["found"][1] else "B"
    assert result["answer"] == best and claims[0].ok is (best == "A")
    assert "Which index setting finds the most of the true 5 nearest neighbours of a word?" in out
    assert val("ann-exercise", spec, result, "best").text == best
    found = val("ann-exercise", spec, result, "found", "B")
    assert found.text == f"{result['found'][1]:,} of 1,000" and found.text in out
    assert val("ann-exercise", spec, result, "recall", "B").text == f"{result['found'][1] / 1000:.3f}"


def test_ann_exercise_option_errors():
    with pytest.raises(LexiconError, match="two choices have the same setting"):
        spec_of("ann-exercise", src({"settings": {"A": {"m": 5, "ef": 16}, "B": {"m": 5, "ef": 16}}}))
    with pytest.raises(LexiconError, match=r"'answer' \(C\) is not one of the choices"):
        spec_of("ann-exercise", src({"settings": {"A": {"m": 5, "ef": 16}, "B": {"m": 9, "ef": 16}}, "answer": "C"}))
    with pytest.raises(LexiconError, match=r"ef 3 is below k \+ 1 \(4\)"):
        spec_of("ann-exercise", src({"settings": {"A": {"m": 5, "ef": 3}, "B": {"m": 9, "ef": 16}}, "k": 3}))


def test_ann_exercise_cache_key_follows_the_shared_search_code():
    """The old kind added ann's code version to its key by hand; now it is derived from _ann."""
    kinds = registry()
    exercise = compute_code(type(kinds["ann-exercise"]))
    ann = compute_code(type(kinds["ann"]))
    for fn in ("build_index", "exact_neighbours", "approximate_neighbours", "unit_rows", "sample_rows"):
        assert f"lexicon.blocks.retrieval._ann:{fn}" in exercise.symbols
        assert f"lexicon.blocks.retrieval._ann:{fn}" in ann.symbols
    assert "faiss-cpu" in exercise.packages and "faiss-cpu" in ann.packages   # its version joins the key
    assert not any("recall_grid_figure" in s or "figures" in s for s in ann.symbols)  # render-only code


# --- escaping and option names ---------------------------------------------------------------------

def test_every_block_escapes_author_text():
    cases = {
        "nearest-exercise": ({"word": "q" + EVIL, "options": ["a", EVIL], "prompt": EVIL, "explanation": EVIL},
                             {"scores": [0.5, 0.6], "ranks": [3, 1], "answer": EVIL, "vocabulary": 10}),
        "filtered-search": ({"query": "q", "allow": [EVIL, "b"], "tag": EVIL, "k": 1, "caption": EVIL},
                            {"unfiltered": [[EVIL, 0.9, 1]], "pre": [[EVIL, 0.9, 1]], "post": [], "store": 1000}),
        "ann": ({"queries": [EVIL], "k": 1, "m": [5, 10], "caption": EVIL},
                {"grid": [{"m": 5, "ef": 32, "found": 9, "total": 10, "named_found": 1,
                           "named_total": 1},
                          {"m": 10, "ef": 32, "found": 10, "total": 10, "named_found": 1,
                           "named_total": 1}],
                 "queries": [{"word": EVIL, "exact": [[EVIL, 0.9]], "approx": [["x", 0.8, 4]], "found": 0}],
                 "index_size": 1000, "dims": 50}),
        "ann-exercise": ({"settings": {"A": {"m": 5, "ef": 16}, "B": {"m": 9, "ef": 16}}, "prompt": EVIL,
                          "explanation": EVIL}, {"found": [5, 9], "total": 10, "answer": "B"}),
    }
    for kind, (data, result) in cases.items():
        out = render(kind, data, result)
        assert "<script>" not in out, kind
        assert "&lt;script&gt;" in out, kind
        for fig in figures_in(out):
            assert "data" in fig and "layout" in fig


def test_ann_caption_without_a_grid_stands_above_the_tables():
    result = {"grid": [{"m": 5, "ef": 32, "found": 9, "total": 10, "named_found": 1,
                        "named_total": 1}],
              "queries": [{"word": "a", "exact": [["b", 0.9]], "approx": [["b", 0.9, 1]], "found": 1}],
              "index_size": 1000, "dims": 50}
    out = render("ann", {"queries": ["a"], "k": 1, "caption": "My *caption*"}, result)
    assert '<p class="ll-caption">My <em>caption</em></p>' in out and not figures_in(out)


def test_unknown_option_suggests_the_right_one():
    k = registry()["ann"]
    with pytest.raises(LexiconError, match="unknown option 'ef_'") as e:
        read_block("ann", src({"queries": ["a"], "ef_": 16}), k.options, k.example)
    assert "did you mean 'ef'?" in e.value.fix


# --- end to end: values in prose, and a strict build names the file, the line and the fix -------------

def test_build_quotes_values_and_reports_a_broken_block(tmp_path, kv):
    body = ("Intro.\n\n```nearest-exercise\nid: moon\nword: moon\noptions: [sun, earth, star]\n```\n\n"
            "*star* is the {{ moon.rank(star) }} nearest word; the nearest option is {{ moon.nearest }}.\n\n"
            "```filtered-search\nid: drinks\nquery: coffee\nallow: [tea, milk, juice]\nk: 2\nfetch: 4\n```\n\n"
            "Searching first keeps {{ drinks.post_filter }} of {{ drinks.k }}.\n\n"
            "```nearest-exercise\nword: cofee\noptions: [tea, milk]\n```\n")
    proc = build(make_project(tmp_path, {"page.md": body}))
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "nearest-exercise block: word 'cofee' is not in the model's vocabulary" in out
    assert "'coffee'" in out
    text = (tmp_path / "site" / "page" / "index.html").read_text()  # written before the strict build fails
    assert "{{" not in text
    assert re.search(rf'class="ll-value"[^>]*>#{kv.rank("moon", "star"):,}</span> nearest word', text)
    nearest = min(["sun", "earth", "star"], key=lambda o: kv.rank("moon", o))
    assert re.search(rf'option is <span class="ll-value"[^>]*>{nearest}</span>', text)
    _, drinks, _, _ = run(kv, "filtered-search", "query: coffee\nallow: [tea, milk, juice]\nk: 2\nfetch: 4")
    assert re.search(rf'keeps <span class="ll-value"[^>]*>{len(drinks["post"])}</span> of\s*'
                     r'<span class="ll-value"[^>]*>2</span>', text)


# --- ranking-metrics and ranking-exercise: the metrics recomputed by hand ---------------------------------

def test_the_ranking_metrics_are_the_textbook_formulas():
    from lexicon.blocks.retrieval._ranking import first_relevant, precision_at_k, recall_at_k, reciprocal_rank

    ranking, rel = ["a", "x", "b", "y", "z"], {"a", "b", "c", "d"}
    assert precision_at_k(ranking, rel, 3) == 2 / 3 and precision_at_k(ranking, rel, 1) == 1.0
    assert precision_at_k(["a"], rel, 4) == 1 / 4                   # missing places count as not relevant
    assert recall_at_k(ranking, rel, 5) == 2 / 4
    assert first_relevant(["x", "y", "b"], rel) == 3 and reciprocal_rank(["x", "y", "b"], rel) == 1 / 3
    assert first_relevant(["x", "y"], rel) is None and reciprocal_rank(["x", "y"], rel) == 0.0


def test_ranking_metrics_search_exactly_and_score_by_hand(kv):
    from blocktest import quote

    body = ("queries:\n  car: [cars, automobile, vehicle]\n  happy: [glad, cheerful]\nk: 5\ntop: 30000\n"
            "expect:\n  - mrr > 0.5\n  - precision(car) > precision(happy)\n  - rr(happy) = 1")
    spec, result, claims, out = run(kv, "ranking-metrics", body)
    x = kv.vectors[:30000] / np.linalg.norm(kv.vectors[:30000], axis=1, keepdims=True)
    rrs, precisions = [], []
    for row in result["rows"]:
        q = row["query"]
        s = x @ x[kv.key_to_index[q]]
        s[kv.key_to_index[q]] = -np.inf
        ranking = [kv.index_to_key[j] for j in np.argsort(-s, kind="stable")]
        assert row["results"] == ranking[:5]
        rel = spec.queries[q]
        assert row["ranks"] == {w: ranking.index(w) + 1 for w in rel}
        precisions.append(sum(w in rel for w in ranking[:5]) / 5)
        rrs.append(1 / min(ranking.index(w) + 1 for w in rel))
    assert quote("ranking-metrics", spec, result, "mrr").number == pytest.approx(sum(rrs) / 2)
    assert quote("ranking-metrics", spec, result, "precision", "car").number == precisions[0]
    assert [c.ok for c in claims] == [sum(rrs) / 2 > 0.5, precisions[0] > precisions[1], rrs[1] == 1]
    # the best any ranking could score (3 and 2 relevant words, k = 5), and the MRR cut at k
    assert quote("ranking-metrics", spec, result, "best_precision").number == pytest.approx((3 / 5 + 2 / 5) / 2)
    assert quote("ranking-metrics", spec, result, "mrr_at_k").number == pytest.approx(
        sum(r if r >= 1 / 5 else 0.0 for r in rrs) / 2)
    assert f">{quote('ranking-metrics', spec, result, 'mrr').text}<" in out and "cars ✓" in out
    assert run(kv, "ranking-metrics", body)[1] == result


@pytest.mark.parametrize("body, message", [
    ("queries: {car: [car, cars]}", "lists itself as relevant"),
    ("queries: {car: [cars]}\nexpect: ['precision > 0.5']", "needs a query in brackets"),
    ("queries: {car: [cars]}\nexpect: ['precision(bus) > 0.5']", "'bus', which is not one of the queries"),
    ("queries: {car: [cars]}\nexpect: ['ndcg > 0.5']", "names 'ndcg', which the block does not compute"),
    ("queries: {car: [cars]}\nexpect: ['mrr(car) > 0.5']", "takes no query in brackets"),
])
def test_bad_ranking_blocks_name_the_fix(body, message):
    with pytest.raises(LexiconError, match=re.escape(message)):
        spec_of("ranking-metrics", body)


def test_a_relevant_word_outside_the_index_is_refused(kv):
    with pytest.raises(LexiconError, match="outside the index"):
        run(kv, "ranking-metrics", "queries: {car: [automobile]}\ntop: 1000")


def test_the_ranking_exercise_grades_precision_and_the_reciprocal_rank():
    body = ("relevant: [a, b, c]\nrankings:\n  A: [x, a, b, y]\n  B: [a, x, y, z]\n")
    _, result, claims, out = run(None, "ranking-exercise", body + "metric: precision\nk: 4\nanswer: A")
    assert result["scores"] == {"A": 2 / 4, "B": 1 / 4} and claims[0].ok
    assert "2 of its first 4 results are relevant: 2 / 4 = 0.5000" in html.unescape(out)
    _, result, claims, _ = run(None, "ranking-exercise", body + "metric: rr\nanswer: A")
    assert result["scores"] == {"A": 1 / 2, "B": 1.0} and not claims[0].ok
    assert not registry()["ranking-exercise"].needs_model
    with pytest.raises(LexiconError, match="decided by a tie"):
        run(None, "ranking-exercise", "relevant: [a]\nrankings:\n  A: [a, x]\n  B: [a, y]\nmetric: rr")


@pytest.mark.parametrize("body, message", [
    ("relevant: [a]\nrankings: {A: [a], B: [b]}\nmetric: precision", "needs 'k'"),
    ("relevant: [a]\nrankings: {A: [a], B: [b]}\nmetric: rr\nk: 2", "'k' is for 'metric: precision'"),
    ("relevant: [a]\nrankings: {A: [a, a], B: [b]}\nmetric: rr", "lists an item twice"),
    ("relevant: [a]\nrankings: {A: [a], B: [b]}\nmetric: rr\nanswer: C", "not one of the rankings"),
    ("rankings: {A: [a], B: [b]}\nmetric: rr", "missing option 'relevant'"),
])
def test_bad_ranking_exercises_name_the_fix(body, message):
    with pytest.raises(LexiconError, match=re.escape(message)):
        spec_of("ranking-exercise", body)


# --- rerank: BM25 by hand, then the transformer's order ---------------------------------------------------

def test_bm25_equals_the_okapi_formula():
    import math

    from lexicon.blocks.retrieval.rerank import bm25_scores

    docs = ["red apples and green apples", "a red car", "blue sky", "green grass grows", "the sea is blue"]
    # gensim's tokens without its stop words ('and', 'a', 'the', 'is')
    tokens = [t.split() for t in ("red apples green apples", "red car", "blue sky", "green grass grows", "sea blue")]
    n, avgdl = len(tokens), sum(map(len, tokens)) / len(tokens)

    def weight(term, doc):
        df = sum(term in d for d in tokens)
        idf = math.log(n - df + 0.5) - math.log(df + 0.5)
        tf = doc.count(term)
        return idf * tf * 2.5 / (tf + 1.5 * (1 - 0.75 + 0.75 * len(doc) / avgdl))

    expected = [sum(weight(t, d) for t in {"red", "apples"}) for d in tokens]
    assert bm25_scores("red apples", docs) == pytest.approx(expected, rel=1e-6)


def test_rerank_reorders_the_candidates_by_the_transformers_cosine():
    from lexicon import minilm
    from lexicon.blocks.retrieval.rerank import bm25_scores, order

    docs = ["Food trucks sell light meals from local farms.", "The factory produces light bulbs and lamps.",
            "Leaves use the energy of light to turn water and carbon dioxide into sugar.",
            "Plants produce their own food from sunlight in a process called photosynthesis.",
            "Cats sleep for most of the day."]
    query = "how do plants make food from light"
    body = src({"query": query, "documents": docs, "relevant": [3, 4], "candidates": 3, "k": 2,
                "expect": ["precision_after > precision_before", "rr_after < rr_before"]})
    spec, result, claims, out = run(None, "rerank", body)
    first = order(bm25_scores(query, docs))
    assert result["before"] == first
    e = minilm.encode([query] + [docs[i] for i in first[:3]], details=False).embeddings.astype(float)
    e /= np.linalg.norm(e, axis=1, keepdims=True)
    cos = e[1:] @ e[0]
    assert result["after"] == [first[j] for j in np.argsort(-cos, kind="stable")] + first[3:]
    rel = {2, 3}
    p_before = sum(i in rel for i in first[:2]) / 2
    p_after = sum(i in rel for i in result["after"][:2]) / 2
    rr_after = 1 / next(r + 1 for r, i in enumerate(result["after"]) if i in rel)
    rr_before = 1 / next(r + 1 for r, i in enumerate(first) if i in rel)
    assert [c.ok for c in claims] == [p_after > p_before, rr_after < rr_before]
    assert "not re-ranked" in out and not registry()["rerank"].needs_model
    from blocktest import quote
    bm = bm25_scores(query, docs)
    assert quote("rerank", spec, result, "bm25", "5").number == bm[4]
    assert quote("rerank", spec, result, "ties", "5").number == sum(1 for s in bm[:4] if s == bm[4])
    assert quote("rerank", spec, result, "candidate_recall").number == len(rel & set(first[:3])) / 2
    assert quote("rerank", spec, result, "precision_ceiling").number == min(len(rel & set(first[:3])), 2) / 2


@pytest.mark.parametrize("body, message", [
    ("query: red\ndocuments: [a red car, blue sky, green grass]\nrelevant: [4]", "names document 4, but there are 3"),
    ("query: red\ndocuments: [a red car, blue sky, green grass]\nrelevant: [1]\ncandidates: 5", "'candidates' (5)"),
    ("query: the and of\ndocuments: [a red car, blue sky, green grass]\nrelevant: [1]", "only stop words"),
    ("query: red\ndocuments: [a red car, a red car, green grass]\nrelevant: [1]", "listed twice"),
    ("query: red\ndocuments: [a red car, blue sky, green grass]\nrelevant: [1]\nexpect: ['rr_after(1) > 0']",
     "takes no query in brackets"),
])
def test_bad_rerank_blocks_name_the_fix(body, message):
    with pytest.raises(LexiconError, match=re.escape(message)):
        spec_of("rerank", body)


# --- fusion and fusion-exercise: RRF and a weighted sum of BM25 and MiniLM --------------------------------

FUSION_DOCS = ["Blank pages usually mean the ink cartridge is empty.",
               "Our ink is made from plant oils and is safe for children.",
               "Printing is slow when the quality is set to best.",
               "Paper jams happen most often with damp or curled paper.",
               "Store paper flat in a dry place so that it feeds cleanly."]


def test_rrf_and_the_weighted_sum_by_hand():
    from lexicon.blocks.retrieval._fusion import minmax, rrf, weighted

    fused = rrf([[2, 0, 1], [0, 3]], k=60)
    assert fused == pytest.approx({2: 1 / 61, 0: 1 / 62 + 1 / 61, 1: 1 / 63, 3: 1 / 62})
    assert rrf([[0, 1]], k=0) == {0: 1.0, 1: 0.5}
    assert minmax([2.0, 4.0, 3.0]) == [0.0, 1.0, 0.5] and minmax([1.0, 1.0]) == [0.0, 0.0]
    assert weighted([0.0, 4.0], [0.5, 0.1], 0.25) == pytest.approx([0.25 * 1 + 0.75 * 0, 0.25 * 0 + 0.75 * 1])
    # numpy's own min-max agrees
    x = np.array([0.3, -0.2, 0.9, 0.1])
    assert minmax(x.tolist()) == pytest.approx(((x - x.min()) / np.ptp(x)).tolist())


def test_fusion_block_fuses_gensim_bm25_and_minilm_cosines():
    from lexicon import minilm
    from lexicon.blocks.retrieval.rerank import bm25_scores

    queries = {"printer will not print, ink is low": [1], "paper will not feed": [4, 5]}
    body = src({"documents": FUSION_DOCS, "queries": queries, "k": 2, "detail": 2,
                "expect": ["rr(rrf) > 0", "precision(dense, 2) = 1"]})
    spec, result, claims, out = run(None, "fusion", body)
    e = minilm.encode(list(queries) + FUSION_DOCS, details=False).embeddings.astype(float)
    e /= np.linalg.norm(e, axis=1, keepdims=True)
    for j, q in enumerate(queries):
        r = result["queries"][j]
        bm = bm25_scores(q, FUSION_DOCS)
        assert r["bm25"] == pytest.approx(bm)
        assert r["cosine"] == pytest.approx((e[j] @ e[2:].T).tolist(), abs=1e-6)
        lex = [i for i in np.argsort(-np.array(bm), kind="stable") if bm[i] > 0]
        den = list(np.argsort(-np.array(r["cosine"]), kind="stable"))
        assert r["rankings"]["bm25"] == lex and r["rankings"]["dense"] == den
        for i in range(len(FUSION_DOCS)):
            expected = sum(1 / (60 + lst.index(i) + 1) for lst in (lex, den) if i in lst)
            assert r["rrf"][i] == pytest.approx(expected)
        s, c = np.array(bm), np.array(r["cosine"])
        w = 0.5 * (c - c.min()) / np.ptp(c) + 0.5 * (s - s.min()) / np.ptp(s)
        assert r["weighted"] == pytest.approx(w.tolist())
    rel2 = {3, 4}
    p2 = sum(i in rel2 for i in result["queries"][1]["rankings"]["dense"][:2]) / 2
    assert [c.ok for c in claims] == [True, p2 == 1]
    # the code panel runs as shown and gives the block's orders for the detail query
    import contextlib
    import io

    from lexicon.engine.frame import RenderContext
    from lexicon.engine.pieces import Code

    ctx = RenderContext(anchor="b", model_id=MODEL, model_spec=MODEL_SPEC)
    code = next(p for p in registry()["fusion"].render(spec, result, ctx) if isinstance(p, Code))
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(code.source, {})
    printed = buf.getvalue()
    r = result["queries"][1]
    assert f"RRF: {[i + 1 for i in r['rankings']['rrf']]}" in printed
    assert f"weighted: {[i + 1 for i in r['rankings']['weighted']]}" in printed
    from blocktest import quote
    assert quote("fusion", spec, result, "rank", "bm25", "1", "3").text in ("not retrieved", "#1", "#2", "#3")
    assert quote("fusion", spec, result, "wins", "rrf", "bm25").number == sum(
        1 for j in range(2) for rel in [{d - 1 for d in list(queries.values())[j]}]
        if next((1 / (n + 1) for n, i in enumerate(result["queries"][j]["rankings"]["rrf"]) if i in rel), 0)
        > next((1 / (n + 1) for n, i in enumerate(result["queries"][j]["rankings"]["bm25"]) if i in rel), 0))
    assert "Every document for query 2" in out and "✓" in out


@pytest.mark.parametrize("body, message", [
    ("documents: [a red car, blue sky, green grass]\nqueries: {red: [4]}", "names document 4, but there are 3"),
    ("documents: [a red car, blue sky, green grass]\nqueries: {the and: [1]}", "only stop words"),
    ("documents: [a red car, a red car, green grass]\nqueries: {red: [1]}", "listed twice"),
    ("documents: [a red car, blue sky, green grass]\nqueries: {red: [1]}\nk: 4", "'k' (4)"),
    ("documents: [a red car, blue sky, green grass]\nqueries: {red: [1]}\ndetail: 2", "names query 2"),
    ("documents: [a red car, blue sky, green grass]\nqueries: {red: [1]}\nexpect: ['rr(rrf, 2) = 1']",
     "names query 2, but there are 1"),
    ("documents: [a red car, blue sky, green grass]\nqueries: {red: [1]}\nexpect: ['mrr(rrf) > 0']",
     "cannot read 'mrr(rrf)'"),
    ("documents: [a red car, blue sky, green grass]\nqueries: {red: [1]}\nexpect: ['1 > 0']", "compares two numbers"),
])
def test_bad_fusion_blocks_name_the_fix(body, message):
    with pytest.raises(LexiconError, match=re.escape(message)):
        spec_of("fusion", body)


@pytest.mark.parametrize("method", ["rrf", "weighted"])
def test_fusion_exercise_grades_the_fused_winner_among_the_choices(method):
    query = "printer will not print, ink is low"
    picked = [1, 3, 4] if method == "rrf" else [1, 2, 3]   # documents 1 and 2 tie under RRF at four decimals
    body = src({"query": query, "documents": FUSION_DOCS, "choices": picked, "method": method, "answer": 1})
    spec, result, claims, out = run(None, "fusion-exercise", body)
    from lexicon.blocks.retrieval._fusion import compute

    r = compute([query], FUSION_DOCS, 60, 0.5)[0]
    fused = r["rrf"] if method == "rrf" else r["weighted"]
    best = max([p - 1 for p in picked], key=lambda i: fused[i])
    k = registry()["fusion-exercise"]
    assert k.graded(spec, result) == {f"document {p}": round(fused[p - 1], 4) for p in picked}
    assert claims[0].ok is (best == 0)
    assert "document 5" not in k.graded(spec, result) and "Store paper flat" in out   # the whole collection shown
    assert result["rankings"]["rrf"] == r["rankings"]["rrf"]


@pytest.mark.parametrize("body, message", [
    ("query: red\ndocuments: [a red car, blue sky, green grass]\nmethod: rrf\nanswer: 4", "not one of the choices"),
    ("query: red\ndocuments: [a, b, c, d, e, f]\nmethod: rrf", "too many choices"),
    ("query: red\ndocuments: [a red car, blue sky, green grass]\nmethod: rrf\nchoices: [1, 5]", "names document 5"),
    ("query: the\ndocuments: [a red car, blue sky, green grass]\nmethod: rrf", "only stop words"),
])
def test_bad_fusion_exercises_name_the_fix(body, message):
    with pytest.raises(LexiconError, match=re.escape(message)):
        spec_of("fusion-exercise", body)


def _claims(kind: str, spec, result) -> list:
    check = Checks(Where("docs/test.md", 1, kind, "test.md", "b"))
    registry()[kind].claims(spec, result, check)
    return check.made


def test_ties_in_the_fused_scores_are_found_and_every_tie_break_bounds_the_metric():
    from fractions import Fraction

    from lexicon.blocks.retrieval import _fusion as F
    from lexicon.blocks.retrieval._ranking import precision_at_k

    # BM25 ranks documents 0, 1, 2 (3 not retrieved); MiniLM 0, 2, 1, 3: documents 1 and 2 are #2/#3 and #3/#2
    q = F.fuse_query([3.0, 2.0, 1.0, 0.0], [0.9, 0.5, 0.7, 0.1], 60, 0.5)
    assert Fraction(1, 62) + Fraction(1, 63) == Fraction(1, 63) + Fraction(1, 62)     # exactly equal
    assert F.tied_with(q["rrf"], q["rankings"]["rrf"]) == {1: [2], 2: [1]}
    assert q["rankings"]["rrf"][:3] == [0, 1, 2]                                          # the lower number first
    assert F.tied_with(q["bm25"], q["rankings"]["bm25"]) == {} and F.groups([1.0, 1.0, 0.5], [0, 1, 2]) == [[0, 1], [2]]

    def p2(r, rel):
        return precision_at_k(r, rel, 2)
    assert F.tie_range(q, "rrf", {0, 2}, p2, 60) == (0.5, 1.0)    # the tie decides whether 2 is in the top two
    assert F.tie_range(q, "rrf", {0, 1}, p2, 60) == (0.5, 1.0)
    assert F.tie_range(q, "rrf", {1, 2}, p2, 60) == (0.5, 0.5)    # both tied documents relevant: no difference
    assert F.tie_range(q, "bm25", {0, 2}, p2, 60) == (0.5, 0.5)
    # a tie in BM25's own scores changes RRF: documents 1 and 2 share BM25's #2 and #3
    t = F.fuse_query([3.0, 2.0, 2.0], [0.8, 0.1, 0.9], 60, 0.5)
    assert F.tied_with(t["bm25"], t["rankings"]["bm25"]) == {1: [2], 2: [1]}
    assert t["rankings"]["rrf"][0] == 0 and F.rrf_winners(t, [0, 2], 60) == {0, 2}      # 1/61 + 1/62 both ways
    assert F.tie_range(t, "rrf", {2}, lambda r, rel: float(r[0] in rel), 60) == (0.0, 1.0)
    assert len(list(F.orderings([1.0, 1.0, 1.0, 0.5]))) == 6
    with pytest.raises(LexiconError, match="tie-breaks"):
        list(F.orderings([1.0] * 9))


def test_the_fusion_block_marks_ties_stars_metrics_that_rest_on_one_and_refuses_such_claims():
    from lexicon.blocks.retrieval import _fusion as F

    body = src({"documents": ["a red car", "a blue car", "a green car", "the sky"], "queries": {"car": [1, 3]},
                "borderline": {"car": [2]}, "k": 2, "expect": ["precision(rrf) = 1", "precision(rrf) > 0.4"]})
    spec = spec_of("fusion", body)
    result = {"queries": [F.fuse_query([3.0, 2.0, 1.0, 0.0], [0.9, 0.5, 0.7, 0.1], 60, 0.5)]}
    made = _claims("fusion", spec, result)
    assert [c.ok for c in made] == [False, True]          # 1 under the block's tie-break, 0.5 the other way
    assert "0.5 to 1 over the tie-breaks" in made[0].actual
    assert [quote("fusion", spec, result, n, *a).text for n, a in [
        ("metric", ("precision", "rrf")), ("worst", ("precision", "rrf")), ("best", ("precision", "rrf")),
        ("lenient", ("precision", "rrf")), ("flips", ("precision", "rrf")), ("flips", ("rr", "rrf")),
        ("ties", ("rrf",)), ("ties", ("bm25",)), ("tied", ("rrf", "1")), ("ceiling", ()), ("few", ())]] == \
        ["0.5", "0.5", "1", "1", "1", "0", "1", "0", "2 and 3", "1", "0"]
    # documents 2 and 3 (1 and 2 from 0): the block puts 2 second, which is borderline, so P@2 is 0.5 here
    with pytest.raises(LexiconError, match="no two documents share a score"):
        quote("fusion", spec, result, "tied", "bm25", "1")
    out = render("fusion", {k: v for k, v in yaml.safe_load(body).items() if k != "expect"}, result)
    assert "2 ? (= 3)" in out and "borderline: 2" in out and "* Rests on a tie" in out and "0.5*" in out


def test_the_fusion_exercise_refuses_an_rrf_answer_that_a_tie_break_decides_and_marks_the_tie():
    from lexicon.blocks.retrieval import _fusion as F

    docs = ["a red car", "a blue car", "a green car"]
    result = F.fuse_query([3.0, 2.0, 2.0], [0.8, 0.1, 0.9], 60, 0.5)
    spec = spec_of("fusion-exercise", src({"query": "car", "documents": docs, "choices": [1, 3], "method": "rrf",
                                           "answer": 1}))
    made = _claims("fusion-exercise", spec, result)
    assert [c.ok for c in made] == [True, False] and "1, 3" in made[1].actual
    assert quote("fusion-exercise", spec, result, "rrf_winners").text == "1 and 3"
    # the weighted sum with another weight, as _fusion.weighted computes it
    for a in ("0", "0.5", "1"):
        w = F.weighted(result["bm25"], result["cosine"], float(a))
        assert quote("fusion-exercise", spec, result, "best_at", a).number == max([0, 2], key=lambda i: (w[i], -i)) + 1
    with pytest.raises(LexiconError, match="not a weight"):
        quote("fusion-exercise", spec, result, "best_at", "2")
    out = render("fusion-exercise", {"query": "car", "documents": docs, "choices": [1, 3], "method": "rrf"}, result)
    assert "#2 (= 3)" in out and "#3 (= 2)" in out and "lower document number" in out


# --- ranking-cutoffs and ranking-exercise's recall ---------------------------------------------------------

def test_ranking_cutoffs_read_the_same_search_at_each_k(kv):
    queries = {"car": ["cars", "vehicle", "automobile"], "river": ["rivers", "stream", "creek"]}
    body = src({"queries": queries, "ks": [1, 5, 40], "top": 10000,
                "expect": ["recall(40) > recall(1)", "precision(1) > precision(40)", "recall(5, car) = 0.5"]})
    spec, result, claims, out = run(kv, "ranking-cutoffs", body)
    x = kv.vectors[:10000] / np.linalg.norm(kv.vectors[:10000], axis=1, keepdims=True)
    from blocktest import quote
    for k in (1, 5, 40):
        ps, rs = [], []
        for q, rel in queries.items():
            ranking = [w for w, _ in kv.most_similar(q, topn=k, restrict_vocab=10000)]
            hits = sum(w in rel for w in ranking)
            ps.append(hits / k)
            rs.append(hits / len(rel))
            assert quote("ranking-cutoffs", spec, result, "recall", str(k), q).number == pytest.approx(hits / len(rel))
        assert quote("ranking-cutoffs", spec, result, "precision", str(k)).number == pytest.approx(np.mean(ps))
        assert quote("ranking-cutoffs", spec, result, "recall", str(k)).number == pytest.approx(np.mean(rs))
    del x
    r40, r1 = (quote("ranking-cutoffs", spec, result, "recall", k).number for k in ("40", "1"))
    assert claims[0].ok is (r40 > r1)
    assert quote("ranking-cutoffs", spec, result, "best_recall", "1").number == pytest.approx(1 / 3)
    assert quote("ranking-cutoffs", spec, result, "position", "car", "cars").number == kv.rank("car", "cars")
    with pytest.raises(LexiconError, match="not a relevant word"):
        quote("ranking-cutoffs", spec, result, "position", "car", "truck")
    assert "Mean recall@k" in out
    # the code panel loads the model itself (no kv from nowhere) and prints the table's means
    printed = _panel_output("ranking-cutoffs", spec, result)
    for line, k in zip(printed, (1, 5, 40)):
        n, p, r = line.split()
        assert int(n) == k and float(p) == pytest.approx(quote("ranking-cutoffs", spec, result, "precision", str(k)).number)
        assert float(r) == pytest.approx(quote("ranking-cutoffs", spec, result, "recall", str(k)).number)


def _panel_output(kind: str, spec, result) -> list[str]:
    """Run a block's code panel as shown, in an empty namespace, and return the lines it prints."""
    import contextlib
    import io

    from lexicon.engine.pieces import Code

    ctx = RenderContext(anchor="b", model_id=MODEL, model_spec=MODEL_SPEC)
    code = next(p for p in registry()[kind].render(spec, result, ctx) if isinstance(p, Code)).source
    assert code.startswith("from pathlib import Path") and "kv = KeyedVectors(" in code
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(code, {})      # noqa: S102 - the panel's own text
    return buf.getvalue().splitlines()


@pytest.mark.parametrize("body, message", [
    ("queries: {car: [cars]}\nks: [5, 1]", "must increase"),
    ("queries: {car: [cars]}\nks: [1, 5]\nexpect: ['recall(10) > 0']", "k = 10, which is not one of 'ks'"),
    ("queries: {car: [cars]}\nks: [1, 5]\nexpect: ['recall(5, dog) > 0']", "'dog', which is not one of the queries"),
    ("queries: {car: [car]}\nks: [1, 5]", "lists itself"),
    ("queries: {car: [cars]}\nks: [1, 5]\nexpect: ['mrr > 0']", "cannot read 'mrr'"),
])
def test_bad_ranking_cutoffs_name_the_fix(body, message):
    with pytest.raises(LexiconError, match=re.escape(message)):
        spec_of("ranking-cutoffs", body)


def test_ranking_exercise_recall_of_whole_lists_and_at_k():
    rel = ["cars", "vehicle", "automobile", "vehicles", "auto"]
    rankings = {"A": ["truck", "cars", "vehicle"], "B": ["truck", "cars", "vehicle", "driver", "bus", "vehicles"],
                "C": ["automobile", "truck"]}
    spec, result, claims, out = run(None, "ranking-exercise", src({"relevant": rel, "rankings": rankings,
                                                                    "metric": "recall", "answer": "B"}))
    assert result["scores"] == {"A": 2 / 5, "B": 3 / 5, "C": 1 / 5} and claims[0].ok
    assert "highest recall" in registry()["ranking-exercise"].prompt(spec)
    assert "3 of the 5 relevant items are among its 6 results" in out and "precision 3 / 6" in out
    # at k = 2 each list is cut to its first two results
    rankings = {"A": ["cars", "truck"], "B": ["truck", "cars", "vehicle"], "C": ["automobile", "auto"]}
    spec, result, claims, _ = run(None, "ranking-exercise", src({"relevant": rel, "rankings": rankings,
                                                                 "metric": "recall", "k": 2, "answer": "C"}))
    assert result["scores"] == {"A": 1 / 5, "B": 1 / 5, "C": 2 / 5} and claims[0].ok
    assert "recall at 2" in registry()["ranking-exercise"].prompt(spec)


# --- ndcg: the textbook DCG against scikit-learn's ndcg_score ----------------------------------------------

def test_ndcg_helpers_equal_sklearn():
    from sklearn.metrics import ndcg_score

    from lexicon.blocks.retrieval._ndcg import dcg, idcg, ndcg

    items = ["a", "b", "c", "d", "e", "f"]
    grades = {"a": 2, "c": 3, "e": 1, "z": 2}          # z is graded but never retrieved
    ranking = ["b", "a", "e", "c", "d", "f"]
    for k in (1, 3, 6):
        # scikit-learn scores every item: the ranking's items get descending scores, z the lowest
        universe = items + ["z"]
        y_true = np.array([[grades.get(w, 0) for w in universe]])
        y_score = np.array([[len(ranking) - ranking.index(w) if w in ranking else -1 for w in universe]])
        assert ndcg(ranking, grades, k) == pytest.approx(ndcg_score(y_true, y_score, k=k))
    assert dcg(ranking, grades, 3) == pytest.approx(2 / np.log2(3) + 1 / np.log2(4))
    assert idcg(grades, 2) == pytest.approx(3 + 2 / np.log2(3))
    assert ndcg(["c", "a", "z", "e"], grades, 4) == pytest.approx(1.0) and ndcg(["x"], {}, 3) == 0.0


def test_ndcg_block_equals_sklearn_on_glove(kv):
    from sklearn.metrics import ndcg_score

    queries = {"car": {"automobile": 2, "vehicle": 2, "cars": 1}, "river": {"stream": 2, "rivers": 1}}
    body = src({"queries": queries, "k": 10, "top": 10000,
                "expect": ["ndcg(car) > 0", "binary(river) > ndcg(river)"]})
    spec, result, claims, out = run(kv, "ndcg", body)
    from blocktest import quote
    x = kv.vectors[:10000] / np.linalg.norm(kv.vectors[:10000], axis=1, keepdims=True)
    means = []
    for q, grades in queries.items():
        i = kv.key_to_index[q]
        s = x @ x[i]
        keep = np.arange(len(s)) != i
        y_true = np.zeros(len(s))
        for w, g in grades.items():
            y_true[kv.key_to_index[w]] = g
        expected = ndcg_score([y_true[keep]], [s[keep]], k=10)
        assert quote("ndcg", spec, result, "ndcg", q).number == pytest.approx(expected, abs=1e-6)
        means.append(expected)
        binary = ndcg_score([(y_true[keep] > 0).astype(float)], [s[keep]], k=10)
        assert quote("ndcg", spec, result, "binary", q).number == pytest.approx(binary, abs=1e-6)
        exponential = ndcg_score([2 ** y_true[keep] - 1], [s[keep]], k=10)      # sklearn's gain is y_true itself
        assert quote("ndcg", spec, result, "exponential", q).number == pytest.approx(exponential, abs=1e-6)
    assert quote("ndcg", spec, result, "ndcg").number == pytest.approx(np.mean(means), abs=1e-6)
    assert quote("ndcg", spec, result, "position", "car", "cars").number == kv.rank("car", "cars")
    assert claims[0].ok and "nDCG@10, binary" in out
    printed = dict(line.split() for line in _panel_output("ndcg", spec, result))
    assert {q: float(v) for q, v in printed.items()} == pytest.approx(
        {q: quote("ndcg", spec, result, "ndcg", q).number for q in queries}, abs=1e-6)


@pytest.mark.parametrize("body, message", [
    ("queries: {car: {car: 2}}", "grades itself"),
    ("queries: {car: {cars: 2}}\nexpect: ['ndcg(dog) > 0']", "'dog', which is not one of the queries"),
    ("queries: {car: {cars: 2}}\nexpect: ['mrr > 0']", "cannot read 'mrr'"),
    ("queries: {car: {cars: 9}}", "queries"),
])
def test_bad_ndcg_blocks_name_the_fix(body, message):
    with pytest.raises(LexiconError, match=re.escape(message)):
        spec_of("ndcg", body)


def test_ranking_exercise_ndcg_grades_by_graded_gain():
    from lexicon.blocks.retrieval._ndcg import ndcg

    grades = {"automobile": 2, "vehicle": 2, "cars": 1, "vehicles": 1}
    rankings = {"A": ["cars", "vehicles", "automobile", "truck"], "B": ["automobile", "truck", "bus", "vehicle"],
                "C": ["truck", "automobile", "vehicle", "cars"]}
    spec, result, claims, out = run(None, "ranking-exercise", src({"grades": grades, "rankings": rankings,
                                                                    "metric": "ndcg", "k": 4, "answer": "B"}))
    assert result["scores"] == {n: pytest.approx(ndcg(r, grades, 4)) for n, r in rankings.items()}
    assert claims[0].ok and "automobile (grade 2)" in out and "2/log2(2)" in out
    for body, message in [({"relevant": ["a"], "grades": {"a": 1}, "metric": "ndcg", "k": 2}, "not 'relevant'"),
                          ({"grades": {"a": 1}, "metric": "ndcg"}, "needs 'k'"),
                          ({"relevant": ["a"], "grades": {"a": 1}, "metric": "rr"}, "'grades' is for 'metric: ndcg'")]:
        body["rankings"] = {"A": ["a"], "B": ["b"]}
        with pytest.raises(LexiconError, match=re.escape(message)):
            spec_of("ranking-exercise", src(body))
