"""Issue 13, the items left open: explorer vectors, notebook outputs, tied exercise answers, the
rendered cache's repairs. (The costly kinds' fuzzing is in test_fuzz_blocks.py; the located errors
are in test_catalogue.py.)"""

from __future__ import annotations

import base64
import json
import logging
import re

import numpy as np
import pytest

from blocktest import run
from lexicon import explorer_asset, render
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError
from lexicon.geometry import check_graded
from lexicon.notebooks.runner import check_outputs, output_findings

# --- explorer vectors: no row without a direction ships ---------------------------------------------


def _kv(rows: dict):
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=4)
    kv.add_vectors(list(rows), np.array(list(rows.values()), dtype=np.float32))
    kv.lexicon_file, kv.lexicon_first_line = "vectors.txt", 2
    return kv


def _payload(text: str) -> dict:
    return json.loads(text[text.index("window.__llExplorer=") + len("window.__llExplorer="):].rstrip(";\n"))


def test_explorer_leaves_out_words_without_a_direction_and_says_so(caplog):
    kv = _kv({"king": [1, 2, 3, 4], "nothing": [0, 0, 0, 0], "queen": [2, 1, 0, -1],
              "tiny": [1e-30, 0, 0, 0], "man": [0, 1, 0, 1]})
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.lexicon"):
        text = explorer_asset.build(kv, 100, "Small")
    data = _payload(text)
    assert data["words"].split("\n") == ["king", "queen", "man"] and data["count"] == 3
    assert data["left_out"]["words"] == ["nothing", "tiny"]
    q = explorer_asset.unpack(base64.b64decode(data["vectors"]), data["count"] * data["dims"])
    q = q.reshape(data["count"], data["dims"]).astype(float)
    norms = np.linalg.norm(q, axis=1)
    assert (norms > 0).all()   # the browser's cosine (explorer.js divides by these) is finite
    assert np.isfinite(q @ q.T / np.outer(norms, norms)).all()
    line = next(r.getMessage() for r in caplog.records if "explorer leaves out" in r.getMessage())
    assert "2 of the 5 most frequent words of Small" in line
    assert "'nothing' (vectors.txt:3)" in line and "'tiny' (vectors.txt:5)" in line


def test_explorer_asset_is_unchanged_for_a_model_without_such_rows(caplog):
    kv = _kv({"king": [1, 2, 3, 4], "queen": [2, 1, 0, -1]})
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.lexicon"):
        data = _payload(explorer_asset.build(kv, 100, "Small"))
    assert "left_out" not in data and data["count"] == 2 and "explorer leaves out" not in caplog.text


def test_explorer_with_no_word_to_ship_is_a_located_error():
    kv = _kv({"a": [0, 0, 0, 0], "b": [0, 0, 0, 0], "c": [1, 0, 0, 0]})
    with pytest.raises(LexiconError) as err:
        explorer_asset.build(kv, 2, "Small")
    assert err.value.file == "vectors.txt" and err.value.line == 2 and "'a' (vectors.txt:2)" in str(err.value)


# --- notebook code-cell outputs follow the sanitiser's rule ----------------------------------------

HOSTILE = {
    "img-onerror": ("text/html", '<p>Result</p><img src="plot.png" onerror="alert(1)">', "onerror"),
    "script": ("text/html", "<div>x</div><script>alert(1)</script>", "script"),
    "svg-onload": ("image/svg+xml", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
                   "<svg>"),
    "javascript": ("application/javascript", "alert(1)", "script"),
    "markdown-link": ("text/markdown", "[run](javascript:alert(1))", "javascript:alert(1)"),
    "svg-in-html": ("text/html", '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>', "<svg>"),
    "iframe": ("text/html", '<iframe src="evil.html"></iframe>', "<iframe>"),
    "forged-figure": ("text/html", '<div class="ll-plot" data-figure="{}" onmouseover="alert(1)"></div>',
                      "onmouseover"),
    "style": ("text/html", "<style>body{display:none}</style>", "<style>"),
}


def _nb(data: dict):
    import nbformat

    from test_notebooks import notebook

    nb = notebook(("md", "# Demo"), ("code", "show()"))
    nb.cells[1].outputs = [nbformat.v4.new_output("display_data", data={**data, "text/plain": "x"})]
    return nb


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_notebook_output_that_could_run_fails_with_the_notebook_and_cell(case):
    mime, value, named = HOSTILE[case]
    with pytest.raises(LexiconError) as err:
        check_outputs(_nb({mime: value}), "notebooks/demo.ipynb")
    text = str(err.value)
    assert text.startswith("notebooks/demo.ipynb: cell 2") and named in text, text
    assert "Fix:" in text and "Traceback" not in text


@pytest.mark.parametrize("metadata, named", [
    ({"image/png": {"width": "1 onerror=alert(1)"}}, "width '1 onerror=alert(1)'"),   # written unquoted
    ({"height": "2 onload=x"}, "height '2 onload=x'"),
    ({"filenames": {"image/png": "https://evil.example/a.png"}}, "an image may only come from this site"),
])
def test_an_image_outputs_metadata_cannot_add_to_its_img(metadata, named):
    import nbformat

    nb = _nb({"image/png": "iVBORw0KGgo="})
    nb.cells[1].outputs[0]["metadata"] = metadata
    with pytest.raises(LexiconError, match=re.escape(named)):
        check_outputs(nb, "notebooks/demo.ipynb")
    nb.cells[1].outputs[0]["metadata"] = nbformat.from_dict({"image/png": {"width": 300, "height": 200}})
    check_outputs(nb, "notebooks/demo.ipynb")


def test_widgets_are_refused():
    """A widget's view is an inline script, and widget state makes the page load the widgets'
    JavaScript from a CDN."""
    with pytest.raises(LexiconError, match="cell 2 .*a Jupyter widget"):
        check_outputs(_nb({"application/vnd.jupyter.widget-view+json": {"model_id": "m"}}), "notebooks/demo.ipynb")
    nb = _nb({"text/plain": "1"})
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    with pytest.raises(LexiconError, match="notebooks/demo.ipynb holds Jupyter widget state"):
        check_outputs(nb, "notebooks/demo.ipynb")


def test_the_sites_own_notebook_output_passes():
    """What lexicon.notebook_display shows (figure, numbers, table, check, model line) passes the rule."""
    import plotly.graph_objects as go
    from types import SimpleNamespace

    fig = go.Figure(go.Bar(x=[1, 2], y=[3, 4]))
    table = render.table(["Word", "Cosine"], [["cat", "0.5000"]], numeric_cols=[1])
    outputs = [render.figure(fig, alt="Bars.", caption="A *caption*.", data_table=table, height=300,
                             anchor="figure-1"),
               table, render.claims_html([SimpleNamespace(ok=True, statement="s", actual="a")]),
               render.model_note({"name": "GloVe", "sha256": "ab" * 32})]
    for html in outputs:
        assert output_findings({"text/html": html, "text/plain": "x"}) is None, html
    assert output_findings({"text/markdown": "A **table**:\n\n| a | b |\n|---|---|\n| 1 | 2 |"}) is None
    assert output_findings({"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}) is None


def test_the_sites_executed_notebooks_pass():
    """The real notebooks' outputs, as the warm cache holds them, pass the rule (nothing is refused
    that the site itself shows)."""
    import nbformat

    from conftest import ROOT

    found = sorted((ROOT / ".cache" / "lexicon" / "notebooks").rglob("*.ipynb"))
    if not found:
        pytest.skip("no executed notebooks in the cache")
    for path in found:
        check_outputs(nbformat.read(str(path), as_version=4), path.name)


# --- an exercise's answer is never a tie -------------------------------------------------------------

# Exercise kinds whose graded answer is the top (or bottom) of a ranking the model computes.
GRADED = {"odd-one-out", "nearest-exercise", "direction-exercise", "distance-exercise", "map-exercise",
          "ann-exercise", "cooccurrence-exercise", "attention-exercise", "positional-exercise",
          "sentence-exercise", "rank-exercise", "search-exercise", "head-exercise", "pooling-exercise",
          "sublayer-exercise", "metric-exercise", "fit-exercise", "neural-exercise", "corpus-exercise",
          "generation-exercise", "cluster-exercise", "ranking-exercise", "pq-exercise", "model-exercise",
          "optimizer-exercise", "dropout-exercise", "procedure-exercise"}


def test_every_exercise_graded_by_a_ranking_declares_its_scores():
    declared = {name for name, k in registry().items()
                if k.is_exercise and type(k).graded is not type(registry()["subword-exercise"]).graded}
    assert declared == GRADED


# Kinds whose reference example asks a question graded another way (a shared stem): one of their
# questions graded by a ranking, as a page asks it.
RANKED_EXAMPLE = {"corpus-exercise": "ask: top-tfidf\nstory: 68\nchoices: [the, stoppages, maintenance, qantas]\n"
                                     "answer: qantas"}


@pytest.mark.parametrize("kind", sorted(GRADED))
def test_the_declared_scores_give_the_answer_the_exercise_grades(kv, kind):
    """The rule looks at the scores the answer is really taken from: their winner is the answer
    the exercise marks right (its example, as the reference shows it)."""
    from blocktest import MODEL, MODEL_SPEC
    from lexicon.engine.frame import RenderContext
    from lexicon.engine.pieces import Choices

    k = registry()[kind]
    spec, result, claims, _ = run(kv, kind, RANKED_EXAMPLE.get(kind, k.example))
    scores = k.graded(spec, result)
    ranked = sorted(scores, key=lambda c: scores[c] if k.graded_end(spec) == "lowest" else -scores[c])
    ex = k.render(spec, result, RenderContext(anchor="b", model_id=MODEL, model_spec=MODEL_SPEC))
    if kind == "rank-exercise":
        assert ranked == [spec.letters[i] for i in sorted(range(len(spec.letters)), key=lambda i: -result["scores"][i])]
    elif isinstance(ex, Choices):
        assert ex.answer == ranked[0] or ex.answer.startswith(ranked[0]), (ex.answer, ranked)
    else:
        assert ex.answer["answer"] == ranked[0], (ex.answer, ranked)


@pytest.mark.parametrize("scores, by, tie", [
    ({"a": 0.5, "b": 0.5, "c": 0.1}, "highest", ("a", "b")),
    ({"a": 0.41231, "b": 0.41234, "c": 0.1}, "highest", ("b", "a")),   # equal as the table shows them
    ({"a": 0.1, "b": 0.1 + 1e-7, "c": 0.9}, "lowest", ("a", "b")),      # within geometry.TIE
    ({"a": 0.9, "b": 0.5, "c": 0.5}, "order", ("b", "c")),              # a rank exercise grades every place
    ({"a": 3, "b": 3, "c": 1}, "highest", ("a", "b")),                  # counts (ann-exercise's neighbours)
])
def test_a_tie_at_the_graded_end_is_refused(scores, by, tie):
    with pytest.raises(LexiconError) as err:
        check_graded(scores, by)
    assert f"'{tie[0]}' and '{tie[1]}' score the same" in err.value.message and err.value.word == tie[1]
    assert "choose other words or choices" in err.value.fix


@pytest.mark.parametrize("scores, by", [
    ({"a": 0.5, "b": 0.5, "c": 0.9}, "highest"),     # a tie below the answer does not decide it
    ({"a": 0.4123, "b": 0.4125}, "highest"),
    ({"a": 0.5, "b": 0.5, "c": 0.1}, "lowest"),
    ({"a": 0.9, "b": 0.5, "c": 0.1}, "order"),
])
def test_a_clear_answer_passes(scores, by):
    check_graded(scores, by)


def test_a_tied_exercise_in_a_tiny_model_is_refused_whatever_the_kind(tmp_path):
    """A model built so that two candidates tie (woman's vector is apple's): an exercise that ranks
    them refuses it (odd-one-out: test_catalogue's exercise-answer-tied-in-a-tiny-model)."""
    from gensim.models import KeyedVectors

    from test_catalogue import WORDS, small_kv

    base = small_kv()
    m = base.vectors.copy()
    m[WORDS.index("woman")] = m[WORDS.index("apple")]
    kv = KeyedVectors(vector_size=m.shape[1])
    kv.add_vectors(WORDS, m)
    blocks = {"nearest-exercise": "word: king\noptions: [apple, woman, man]",
              "rank-exercise": "pairs:\n  A: [king, apple]\n  B: [king, woman]\n  C: [king, man]"}
    for kind, body in blocks.items():
        with pytest.raises(LexiconError, match="decided by a tie") as err:
            run(kv, kind, body)
        assert {"apple", "woman", "A", "B"} & set(re.findall(r"'(\w+)'", err.value.message)), err.value.message


# --- the rendered cache says when it repairs itself -----------------------------------------------

def test_a_damaged_rendered_entry_is_re_rendered_with_one_info_line(tmp_path):
    from project import build, make_project
    from test_catalogue import CACHED_PAGE, _warm_private_cache, error_lines

    cache = _warm_private_cache(tmp_path)
    project = make_project(tmp_path / "p", {"page.md": CACHED_PAGE}, cache_dir=cache)
    assert build(project).returncode == 0
    good = (project / "site" / "page" / "index.html").read_bytes()
    [entry] = (cache / "rendered").rglob("*.json")
    entry.write_text(entry.read_text().replace("ll-", "xx-", 1))   # an edited byte: the checksum fails
    proc = build(project)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out   # --strict: an INFO line, not a warning
    assert "Traceback" not in out and not error_lines(out) and "WARNING" not in out
    line = next(ln for ln in out.splitlines() if "ignoring corrupt cache entry" in ln)
    assert line.startswith("INFO") and str(entry) in line and "re-rendering its HTML" in line
    assert (project / "site" / "page" / "index.html").read_bytes() == good
    again = build(project)
    assert again.returncode == 0 and "cache entry" not in again.stdout + again.stderr


# --- found by fuzzing the costly kinds: a whole number given as nan or inf ---------------------------

def _numeric_options(kind: str):
    import yaml

    data = yaml.safe_load(registry()[kind].example) or {}
    for name, value in data.items():
        if isinstance(value, int) and not isinstance(value, bool):
            yield name, value, False
        elif isinstance(value, list) and value and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            yield name, value, True


@pytest.mark.parametrize("kind", sorted(registry()))
def test_a_whole_number_option_given_nan_or_inf_is_a_located_error(kind):
    """zipf's ``top: [.nan]`` raised ValueError ("cannot convert float NaN to integer") while the
    build wrote its message: every whole-number option, alone or in a list, now says what is wrong."""
    import yaml

    base = yaml.safe_load(registry()[kind].example) or {}
    for name, value, is_list in _numeric_options(kind):
        for odd in (float("nan"), float("inf"), float("-inf")):
            data = {**base, name: ([odd] + value[1:]) if is_list else odd}
            try:
                registry()[kind].read(yaml.safe_dump(data, sort_keys=False))
            except LexiconError as err:
                assert err.fix, err


def test_a_claim_about_the_models_top_choice_is_not_true_on_a_tie():
    """cooccurrence-exercise's ``model_answer`` names the choice the model ranks first: if two tie
    there, the claim is decided by rounding and gets no ✓ (like map-exercise's ``map_answer``)."""
    from types import SimpleNamespace

    from lexicon.engine.checks import Checks, Where

    k = registry()["cooccurrence-exercise"]
    spec = SimpleNamespace(answer=None, model_answer="cat", choices=["dog", "cat", "car"])   # first by name
    result = {"choices": [{"word": "dog", "model": 0.5, "overlap": 3}, {"word": "cat", "model": 0.5, "overlap": 2},
                          {"word": "car", "model": 0.1, "overlap": 1}], "answer": "dog"}
    check = Checks(Where("docs/t.md", 1, "cooccurrence-exercise"))
    k.claims(spec, result, check)
    assert not check.made[-1].ok and "tie" in check.made[-1].actual
