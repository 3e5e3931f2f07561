"""The linear-fit kind and fit-exercise's `choose: feature` with `score: r2` / `mae`, against scikit-learn.

LinearRegression on scikit-learn's diabetes data (features standardised on the training split only, the training split of
`train_test_split(test_size, random_state=seed)`), scored with sklearn.metrics on the validation split;
the baseline is DummyRegressor; false claims are false; bad options are located errors with a fix.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from sklearn.datasets import load_diabetes
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from blocktest import quote, run, spec_of
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError


def reference(features, test_size=0.25, seed=0):
    data = load_diabetes(scaled=False)
    x = data.data[:, [list(data.feature_names).index(f) for f in features]]
    x_tr, x_va, y_tr, y_va = train_test_split(x, data.target.astype(float), test_size=test_size, random_state=seed)
    scaler = StandardScaler().fit(x_tr)  # on the training split only
    x_tr, x_va = scaler.transform(x_tr), scaler.transform(x_va)
    model = LinearRegression().fit(x_tr, y_tr)
    pred = model.predict(x_va)
    base = DummyRegressor().fit(x_tr, y_tr).predict(x_va)
    return {"r2": r2_score(y_va, pred), "mae": mean_absolute_error(y_va, pred),
            "baseline_mae": mean_absolute_error(y_va, base), "coef": model.coef_.tolist(), "validation": len(y_va)}


def test_linear_fit_equals_sklearn():
    spec, result, claims, out = run(None, "linear-fit", registry()["linear-fit"].example)
    ref = reference(["bmi", "s5"])
    for k in ("r2", "mae", "baseline_mae"):
        assert result[k] == pytest.approx(ref[k], abs=1e-9), k
    assert result["coef"] == pytest.approx(ref["coef"], abs=1e-9)
    assert all(c.ok for c in claims) and len(claims) == 2
    assert quote("linear-fit", spec, result, "coef", "bmi").number == result["coef"][0]
    assert quote("linear-fit", spec, result, "count", "validation").text == f"{ref['validation']:,}"
    assert out.count("data-figure=") == 1 and "r2_score" in out and "body mass index" in out


def test_all_features_by_default_and_false_claims_are_false():
    _, result, claims, _ = run(None, "linear-fit", "expect:\n  - r2 < baseline_r2\n  - coef(age) > coef(bmi)")
    assert len(result["features"]) == 10 and result["r2"] == pytest.approx(reference(result["features"])["r2"])
    assert [c.ok for c in claims] == [False, False]


@pytest.mark.parametrize("src, message", [
    ("features: [bmi]\nexpect:\n  - coef(age) > 0", "not one of the block's features"),
    ("expect:\n  - rmse < 50", "does not compute"),
    ("features: [weight]", "features"),
    ("expect:\n  - r2 = 0.3", "equality")])
def test_bad_linear_fit_blocks_name_the_fix(src, message):
    with pytest.raises(LexiconError, match=message) as err:
        spec_of("linear-fit", src)
    assert err.value.fix


@pytest.mark.parametrize("score, features, answer", [("r2", ["bmi", "s5", "sex"], "s5"),
                                                     ("mae", ["age", "bmi", "bp"], "bp"),
                                                     ("r2", ["bmi", "s3", "sex"], "bmi"),
                                                     ("mae", ["age", "bmi", "sex"], "bmi")])
def test_the_feature_exercise_grades_each_feature_alone(score, features, answer):
    src = f"choose: feature\nscore: {score}\nfeatures: {features}\nanswer: {answer}"
    spec, result, claims, out = run(None, "fit-exercise", src)
    truth = {f: reference([f])[score] for f in features}
    pick = min if score == "mae" else max
    assert pick(truth, key=truth.get) == answer and claims[0].ok
    graded = registry()["fit-exercise"].graded(spec, result)
    assert sorted(graded.values()) == pytest.approx(sorted(truth.values()), abs=1e-9)
    assert json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))["answer"].startswith(answer)
    wrong = next(f for f in features if f != answer)
    _, _, claims, _ = run(None, "fit-exercise", src.replace(f"answer: {answer}", f"answer: {wrong}"))
    assert not claims[0].ok


def test_the_scaler_learns_from_the_training_split_only_and_the_baseline_and_training_scores_are_sklearns():
    from sklearn.metrics import mean_squared_error

    spec, result, _, out = run(None, "linear-fit", "features: [bmi]")
    data = load_diabetes(scaled=False)
    x = data.data[:, [2]]
    x_tr, x_va, y_tr, y_va = train_test_split(x, data.target.astype(float), test_size=0.25, random_state=0)
    leaky = LinearRegression().fit(StandardScaler().fit(x).transform(x_tr), y_tr)
    scaler = StandardScaler().fit(x_tr)
    model = LinearRegression().fit(scaler.transform(x_tr), y_tr)
    assert result["coef"][0] == pytest.approx(model.coef_[0], abs=1e-9)
    assert result["coef"][0] != pytest.approx(leaky.coef_[0], abs=1e-3)   # fitted on all patients it would differ
    base = DummyRegressor().fit(x_tr, y_tr).predict(x_va)
    assert quote("linear-fit", spec, result, "baseline_mse").number == pytest.approx(mean_squared_error(y_va, base))
    assert quote("linear-fit", spec, result, "rmse").number == pytest.approx(
        mean_squared_error(y_va, model.predict(scaler.transform(x_va))) ** 0.5)
    assert quote("linear-fit", spec, result, "train_r2").number == pytest.approx(
        r2_score(y_tr, model.predict(scaler.transform(x_tr))))
    text = html.unescape(re.sub(r"<[^>]+>", "", out))
    assert ">—<" not in out and "scaler = StandardScaler().fit(x_train)" in text


def test_the_scores_over_200_splits_are_the_mean_of_200_seeded_fits():
    spec, result, _, _ = run(None, "linear-fit", "features: [bmi]")
    tr, va = [], []
    for s in range(200):
        data = load_diabetes(scaled=False)
        x_tr, x_va, y_tr, y_va = train_test_split(data.data[:, [2]], data.target.astype(float), test_size=0.25,
                                                  random_state=s)
        scaler = StandardScaler().fit(x_tr)
        model = LinearRegression().fit(scaler.transform(x_tr), y_tr)
        tr.append(r2_score(y_tr, model.predict(scaler.transform(x_tr))))
        va.append(r2_score(y_va, model.predict(scaler.transform(x_va))))
    assert quote("linear-fit", spec, result, "splits_r2", "validation").number == pytest.approx(sum(va) / 200)
    assert quote("linear-fit", spec, result, "splits_r2", "train").number == pytest.approx(sum(tr) / 200)
    assert quote("linear-fit", spec, result, "splits_below").number == sum(v < result["r2"] - 1e-12 for v in va)
    assert quote("linear-fit", spec, result, "splits").number == 200
    with pytest.raises(LexiconError, match="validation or train"):
        quote("linear-fit", spec, result, "splits_r2", "test")
