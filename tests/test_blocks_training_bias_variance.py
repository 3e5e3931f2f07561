"""The bias-variance kind and fit-exercise's `score: bias-variance`.

bias² + variance equals the expected error exactly (the decomposition, checked numerically); the error is
the mean of each resample's mean_squared_error from scikit-learn; the trees are scikit-learn's
DecisionTreeRegressor on the resamples drawn here; false claims are false; bad options name the fix.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor

from blocktest import quote, run, spec_of
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError


@pytest.fixture(scope="module")
def example():
    return run(None, "bias-variance", registry()["bias-variance"].example)


def test_the_decomposition_adds_up_and_equals_sklearn(example):
    spec, result, claims, out = example
    d = load_diabetes(scaled=False)
    x_tr, x_va, y_tr, y_va = train_test_split(StandardScaler().fit_transform(d.data), d.target.astype(float),
                                              test_size=0.25, random_state=0)
    rng = np.random.RandomState(0)
    samples = [rng.randint(0, len(y_tr), len(y_tr)) for _ in range(20)]
    for depth in (1, 4, 6):
        errors = [mean_squared_error(y_va, DecisionTreeRegressor(max_depth=depth, random_state=0)
                                     .fit(x_tr[i], y_tr[i]).predict(x_va)) for i in samples]
        row = result["rows"][depth - 1]
        assert row["error"] == pytest.approx(np.mean(errors), rel=1e-12)
        assert row["bias2"] + row["variance"] == pytest.approx(row["error"], rel=1e-12)
    assert all(c.ok for c in claims) and out.count("data-figure=") == 1
    assert quote("bias-variance", spec, result, "best").number == min(result["rows"], key=lambda r: r["error"])["depth"]


def test_the_code_panel_runs_as_shown_and_prints_the_tables_rows(example, capsys):
    from lexicon.engine.pieces import Code

    spec, result, _, _ = example
    k = registry()["bias-variance"]
    code = next(p for p in k.render(spec, result, None) if isinstance(p, Code)).source
    exec(code, {})      # noqa: S102 - the panel's own text
    printed = [[float(v) for v in line.split()] for line in capsys.readouterr().out.splitlines()]
    assert len(printed) == len(result["rows"]) == spec.max_depth
    for p, row in zip(printed, result["rows"]):
        assert p[0] == row["depth"] and np.allclose(p[1:], [row["bias2"], row["variance"], row["error"]], atol=6e-5)


def test_false_claims_and_bad_options(example):
    _, _, claims, _ = run(None, "bias-variance", "max_depth: 6\nbootstraps: 20\nexpect:\n  - variance(2) > variance(6)")
    assert not claims[0].ok
    for src, message in [("max_depth: 4\nexpect:\n  - bias2(9) > 0", "not one of the depths"),
                         ("expect:\n  - noise(2) > 0", "does not compute"), ("bootstraps: 2", "bootstraps")]:
        with pytest.raises(LexiconError, match=message) as err:
            spec_of("bias-variance", src)
        assert err.value.fix


def test_the_exercise_grades_the_lowest_sum():
    spec, result, claims, _ = run(None, "fit-exercise", "choose: depth\nscore: bias-variance\nvalues: [1, 2, 6]\n"
                                                       "answer: 2")
    rows = result["rows"]
    assert all(r["score"] == pytest.approx(r["bias2"] + r["variance"], rel=1e-12) for r in rows)
    assert min(rows, key=lambda r: r["score"])["value"] == 2 and claims[0].ok
    _, _, claims, _ = run(None, "fit-exercise", "choose: depth\nscore: bias-variance\nvalues: [1, 2, 6]\nanswer: 6")
    assert not claims[0].ok


def test_the_bagging_exercise_grades_the_highest_variance_on_its_own_split():
    src = "choose: depth\nscore: bagging\nvalues: [1, 3, 6]\nseed: 1\nanswer: 6"
    spec, result, claims, out = run(None, "fit-exercise", src)
    rows = result["rows"]
    assert [r["score"] for r in rows] == [r["variance"] for r in rows]
    assert all(r["error"] == pytest.approx(r["bias2"] + r["variance"], rel=1e-12) for r in rows)
    assert max(rows, key=lambda r: r["score"])["value"] == 6 and claims[0].ok
    assert "highest variance" in out and "Averaged over the patients" not in out   # the question gives nothing away
    d = load_diabetes(scaled=False)
    x_tr, x_va, y_tr, y_va = train_test_split(StandardScaler().fit_transform(d.data), d.target.astype(float),
                                              test_size=0.25, random_state=1)
    rng = np.random.RandomState(1)
    samples = [rng.randint(0, len(y_tr), len(y_tr)) for _ in range(30)]
    preds = np.array([DecisionTreeRegressor(max_depth=6, random_state=1).fit(x_tr[i], y_tr[i]).predict(x_va)
                      for i in samples])
    assert rows[2]["variance"] == pytest.approx(preds.var(axis=0).mean(), rel=1e-12)
    _, _, claims, _ = run(None, "fit-exercise", "choose: depth\nscore: bagging\nvalues: [1, 3, 6]\nseed: 1\nanswer: 1")
    assert not claims[0].ok
