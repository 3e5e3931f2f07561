"""The regression-loss, penalty and label kinds of the training family, against scikit-learn and numerical checks.

error-measures' numpy MSE / RMSE / MAE against ``sklearn.metrics`` and its top-misses shares against a brute-force
sum; loss-exercise's fits against ``LinearRegression`` and ``QuantileRegressor`` (each best at its own loss on the
training split, on several splits); lasso-path's drop-out alphas against ``Lasso`` fitted just above and just below
them, and its cross-validated alphas against ``LassoCV``; ridge-correlated against ``Ridge`` and ``pearsonr``;
penalty-exercise's resampled counts and spreads recomputed here; label-summary against ``numpy.bincount``;
label-noise's flips and scores; label-noise-exercise's grading. Code panels run as shown; false claims are false; bad
options are located errors with a fix.
"""

from __future__ import annotations

import contextlib
import html
import io
import re

import numpy as np
import pytest
from scipy.stats import pearsonr
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.linear_model import Lasso, LassoCV, LinearRegression, QuantileRegressor, Ridge
from sklearn.metrics import mean_absolute_error, mean_squared_error, root_mean_squared_error
from sklearn.model_selection import KFold, train_test_split
from sklearn.preprocessing import StandardScaler

from blocktest import all_finite, quote, run, spec_of
from lexicon.blocks.training import _labels, _penalty
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

@pytest.fixture(autouse=True)
def one_blas_thread():
    """As the build's helper does: many small fits run faster on one BLAS thread on a shared machine."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        yield


KINDS = ("error-measures", "loss-exercise", "lasso-path", "ridge-correlated", "penalty-exercise", "label-summary",
         "label-noise", "label-noise-exercise")


def panel_code(out: str) -> str:
    panel = re.search(r'<details class="ll-code".*?<code>(.*?)</code>', out, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", panel))


def run_panel(out: str) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(panel_code(out), {})  # noqa: S102 - our own block's code panel
    return buf.getvalue()


def data():
    d = load_diabetes(scaled=False)
    return StandardScaler().fit_transform(d.data), d.target.astype(float)


@pytest.mark.parametrize("kind", KINDS)
def test_every_example_runs_without_the_model_and_is_finite(kind):
    k = registry()[kind]
    assert k.family == "training" and not k.needs_model and "scikit-learn" in k.note and k.__doc__
    _, result, claims, out = run(None, kind, k.example)
    assert all_finite(result) and all(c.ok for c in claims) and "ll-block" in out


def test_the_error_measures_equal_sklearn_metrics():
    rng = np.random.RandomState(0)
    y, p = rng.normal(size=50), rng.normal(size=50)
    e = _penalty.errors(y, p)
    assert e["mse"] == pytest.approx(mean_squared_error(y, p)) and e["mae"] == pytest.approx(mean_absolute_error(y, p))
    assert e["rmse"] == pytest.approx(root_mean_squared_error(y, p)) and e["rmse"] >= e["mae"]
    # the top share by brute force: the k largest misses, k rounded up
    sq, ab, k = _penalty.top_shares(y - p, 0.1)
    big = sorted(np.abs(y - p), reverse=True)[:5]
    assert k == 5 and sq == pytest.approx(sum(b * b for b in big) / ((y - p) ** 2).sum())
    assert ab == pytest.approx(sum(big) / np.abs(y - p).sum())


def test_error_measures_block_matches_a_fit_made_here_and_its_panel_runs():
    spec, result, claims, out = run(None, "error-measures", "expect:\n  - rmse < mae\n  - splits_sq_min > splits_abs_max")
    x, y = data()
    x_tr, x_va, y_tr, y_va = train_test_split(x, y, test_size=0.25, random_state=0)
    pred = LinearRegression().fit(x_tr, y_tr).predict(x_va)
    assert result["mse"] == pytest.approx(mean_squared_error(y_va, pred))
    assert result["mae"] == pytest.approx(mean_absolute_error(y_va, pred))
    assert result["baseline"]["mse"] == pytest.approx(mean_squared_error(y_va, np.full(len(y_va), y_tr.mean())))
    assert [c.ok for c in claims] == [False, True]
    assert quote("error-measures", spec, result, "count", "top").number == 12
    assert quote("error-measures", spec, result, "top_sq").text.endswith("%")
    printed = run_panel(out).split()
    assert float(printed[0]) == pytest.approx(result["mse"]) and float(printed[3]) == pytest.approx(result["top_sq"])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_linear_fit_is_best_at_the_loss_it_minimises_on_its_training_split(seed):
    fits = _penalty.loss_fits(0.25, seed)["fits"]
    assert fits["least-squares"]["train"]["mse"] < fits["least-absolute"]["train"]["mse"]
    assert fits["least-absolute"]["train"]["mae"] < fits["least-squares"]["train"]["mae"]
    x, y = data()
    x_tr, _, y_tr, _ = train_test_split(x, y, test_size=0.25, random_state=seed)
    lad = QuantileRegressor(quantile=0.5, alpha=0.0, solver="highs").fit(x_tr, y_tr)
    assert fits["least-absolute"]["train"]["mae"] == pytest.approx(mean_absolute_error(y_tr, lad.predict(x_tr)))


def test_the_loss_exercise_grades_by_the_training_loss():
    for score, answer in (("mae", "least-absolute"), ("mse", "least-squares")):
        spec, result, claims, out = run(None, "loss-exercise", f"score: {score}\nanswer: {answer}")
        graded = registry()["loss-exercise"].graded(spec, result)
        assert min(graded, key=graded.get).startswith(answer.replace("-", " ")) and claims[0].ok
    _, _, claims, _ = run(None, "loss-exercise", "score: mae\nanswer: least-squares")
    assert not claims[0].ok
    with pytest.raises(LexiconError) as err:
        spec_of("loss-exercise", "answer: median")
    assert err.value.fix


def test_lasso_drop_out_alphas_agree_with_lasso_fits():
    spec, result, claims, out = run(None, "lasso-path", "shuffles: 2\nexpect:\n  - drop(bmi) < drop(age)")
    x, y = data()
    names = result["features"]
    for f, a in result["drop"].items():
        j = names.index(f)
        assert Lasso(alpha=a * 1.01, max_iter=100_000).fit(x, y).coef_[j] == 0, f
        assert Lasso(alpha=a * 0.99, max_iter=100_000, tol=1e-10).fit(x, y).coef_[j] != 0, f
    cv = LassoCV(cv=KFold(5, shuffle=True, random_state=1), max_iter=100_000).fit(x, y)
    assert result["cv"][1]["alpha"] == pytest.approx(cv.alpha_) and result["cv"][1]["kept"] == (cv.coef_ != 0).sum()
    assert not claims[0].ok
    order = [quote("lasso-path", spec, result, "order", str(k)).text for k in range(1, 11)]
    assert order[-1] == "bmi" and sorted(order) == sorted(names)
    printed = run_panel(out).splitlines()
    assert printed[2].split()[0] == "bmi" and float(printed[2].split()[1]) == pytest.approx(result["drop"]["bmi"])


def test_ridge_correlated_matches_ridge_and_pearson():
    spec, result, claims, out = run(None, "ridge-correlated", "alphas: [10, 100]\nresamples: 10\nshuffles: 1\n"
                                                              "expect:\n  - sd(ols, s1) > sd(100, s1)")
    d = load_diabetes(scaled=False)
    assert result["corr"] == pytest.approx(pearsonr(d.data[:, 4], d.data[:, 5])[0])
    x, y = data()
    assert result["coef"]["100"] == pytest.approx(Ridge(alpha=100).fit(x, y).coef_.tolist())
    assert quote("ridge-correlated", spec, result, "zeros", "10").number == 0 and claims[0].ok
    assert float(run_panel(out).splitlines()[0]) == pytest.approx(result["corr"])
    with pytest.raises(LexiconError, match="resamples") as err:
        quote("ridge-correlated", spec_of("ridge-correlated", "alphas: [10]"), result, "sd", "ols", "s1")
    assert err.value.fix


def test_penalty_exercise_counts_and_spreads_are_recomputed_here():
    x, y = data()
    rng = np.random.RandomState(0)
    samples = [rng.randint(0, len(y), len(y)) for _ in range(30)]
    kept = np.array([Lasso(alpha=1, max_iter=100_000).fit(x[b], y[b]).coef_ != 0 for b in samples])
    spec, result, claims, _ = run(None, "penalty-exercise", registry()["penalty-exercise"].example)
    assert result["kept"]["s2"] == kept[:, 5].sum() and claims[0].ok
    graded = registry()["penalty-exercise"].graded(spec, result)
    assert min(graded, key=graded.get).startswith("s2") and registry()["penalty-exercise"].graded_end(spec) == "lowest"
    spec, result, claims, _ = run(None, "penalty-exercise", "ask: spread\nalphas: [10]\nresamples: 30\nanswer: ols")
    ols = np.array([LinearRegression().fit(x[b], y[b]).coef_[4] for b in samples])
    assert result["rows"][0]["score"] == pytest.approx(ols.std()) and claims[0].ok


@pytest.mark.parametrize("src, message", [
    ("ask: spread", "needs the ridge penalties"),
    ("ask: kept", "needs the features"),
    ("ask: kept\nfeatures: [s1, s2]\nalphas: [1]", "fits one lasso"),
    ("ask: spread\nalphas: [10]\nalpha: 2", "lasso's"),
    ("ask: kept\nfeatures: [s1, s2]\nanswer: bmi", "not one of the choices"),
    ("ask: kept\nfeatures: [s1, weight]", "features"),
    ("ask: last\nalphas: [10]", "repeated splits"),
    ("ask: last\nrules: [correlation, luck]", "rules"),
    ("ask: kept\nfeatures: [s1, s2]\nsplits: 50", "ask: last's"),
    ("ask: kept\nfeatures: [s1, s2]\nagainst: bmi", "ask: spread's"),
    ("ask: spread\nalphas: [10]\nagainst: s2", "against")])
def test_bad_penalty_exercises_name_the_fix(src, message):
    with pytest.raises(LexiconError, match=message) as err:
        spec_of("penalty-exercise", src)
    assert err.value.fix


def test_label_summary_counts_the_labels():
    spec, result, _, out = run(None, "label-summary", "dataset: breast_cancer")
    bc = load_breast_cancer()
    assert result["counts"] == np.bincount(bc.target).tolist() and result["classes"] == list(bc.target_names)
    assert quote("label-summary", spec, result, "count", "malignant").number == 212
    assert run_panel(out).splitlines() == ["malignant 212", "benign 357"]
    spec, result, _, _ = run(None, "label-summary", "dataset: diabetes")
    y = load_diabetes().target
    assert (result["min"], result["max"], result["distinct"]) == (y.min(), y.max(), len(np.unique(y)))
    with pytest.raises(LexiconError, match="not classes") as err:
        quote("label-summary", spec, result, "count", "benign")
    assert err.value.fix
    with pytest.raises(LexiconError, match="no bundled dataset") as err:
        spec_of("label-summary", "dataset: breast_cancr")
    assert err.value.fix


def test_flip_changes_exactly_the_share_to_other_classes():
    y = np.repeat(np.arange(3), 20)
    noisy, n = _labels.flip(y, 0.25, 3, np.random.RandomState(0))
    assert n == 15 and (noisy != y).sum() == 15 and set(noisy) <= {0, 1, 2}


def test_label_noise_block_its_claims_and_panel():
    spec, result, claims, out = run(None, "label-noise", "shares: [0, 0.4]\nseeds: 2\nexpect:\n  - mean(0.4) > mean(0)")
    assert not claims[0].ok and result["rows"][1]["flipped"] == round(0.4 * result["train"])
    printed = run_panel(out).splitlines()
    assert float(printed[0].split()[1]) == pytest.approx(result["rows"][0]["mean"])
    assert float(printed[1].split()[1]) == pytest.approx(result["rows"][1]["mean"])
    for src, message in (("dataset: diabetes", "regression"), ("neighbours: 3", "logistic regression"),
                         ("shares: [0, 0.1]\nexpect:\n  - mean(0.2) < 1", "shares")):
        with pytest.raises(LexiconError, match=message) as err:
            spec_of("label-noise", src)
        assert err.value.fix


def test_the_label_noise_exercise_grades_by_the_accuracy_lost():
    spec, result, claims, _ = run(None, "label-noise-exercise", "values: [1, 25]\nshare: 0.2\nseeds: 3\nanswer: 25")
    assert not claims[0].ok
    graded = registry()["label-noise-exercise"].graded(spec, result)
    assert max(graded, key=graded.get) == "1 nearest neighbour"
    r = result["rows"][0]
    assert r["score"] == pytest.approx(r["clean"] - r["noisy"]) and r["worst_in"] == 3
    with pytest.raises(LexiconError, match="not one of the values") as err:
        spec_of("label-noise-exercise", "values: [1, 5]\nanswer: 3")
    assert err.value.fix


# --- after the review: scaling on the training part, rounded measures, paired seeds, the rule and ratio exercises ---

def test_the_error_measures_are_rounded_on_the_page_and_the_scaler_is_fitted_on_the_training_part():
    spec, result, _, out = run(None, "error-measures", "top: 0.1")
    assert quote("error-measures", spec, result, "mse").text == f"{result['mse']:,.0f}"
    assert quote("error-measures", spec, result, "rmse").text == f"{result['rmse']:.1f}"
    assert quote("error-measures", spec, result, "baseline", "mae").text == f"{result['baseline']['mae']:.1f}"
    text = html.unescape(re.sub(r"<[^>]+>", "", out))
    assert "the largest 12 of the 111 misses" in text and "10.0%" not in text and "dashed: the absolute error" in text
    assert "StandardScaler().fit(x_train)" in panel_code(out)
    # least squares is invariant to the scaler's statistics: the panel's numbers are the block's
    assert float(run_panel(out).split()[0]) == pytest.approx(result["mse"])


def test_the_lasso_last_standing_is_the_feature_most_correlated_with_the_target_on_each_split():
    from sklearn.linear_model import lars_path

    fit = _penalty.lasso_last(0.25, 12)
    assert fit["hits"]["correlation"] == 12 and sum(fit["last"].values()) == 12
    d = load_diabetes(scaled=False)
    last = []
    for s in range(12):
        x_tr, _, y_tr, _ = train_test_split(d.data, d.target.astype(float), test_size=0.25, random_state=s)
        x_tr = StandardScaler().fit_transform(x_tr)
        # a Lasso just below bmi's or s5's entry: the last one standing is the only non-zero coefficient there
        alphas, _, _ = lars_path(x_tr, y_tr - y_tr.mean(), method="lasso")
        coef = Lasso(alpha=alphas[0] * 0.999, max_iter=100_000, tol=1e-12).fit(x_tr, y_tr).coef_
        assert (coef != 0).sum() == 1
        last.append(d.feature_names[int(np.flatnonzero(coef)[0])])
        assert last[-1] == d.feature_names[int(np.argmax([abs(pearsonr(x_tr[:, j], y_tr)[0]) for j in range(10)]))]
    assert {f: last.count(f) for f in set(last)} == fit["last"]


def test_the_rule_exercise_grades_the_rule_that_names_the_last_feature_on_the_most_splits():
    spec, result, claims, out = run(None, "penalty-exercise", "ask: last\nsplits: 20\nanswer: least-squares")
    assert not claims[0].ok
    kind = registry()["penalty-exercise"]
    graded = kind.graded(spec, result)
    assert kind.graded_end(spec) == "highest" and max(graded, key=graded.get) == _penalty.RULES["correlation"]
    assert graded[_penalty.RULES["correlation"]] == 20 > graded[_penalty.RULES["least-squares"]]
    assert "The last feature standing: bmi" in html.unescape(re.sub(r"<[^>]+>", "", out))


def test_the_ridge_spread_relative_to_a_feature_without_a_near_copy():
    x, y = data()
    rng = np.random.RandomState(0)
    samples = [rng.randint(0, len(y), len(y)) for _ in range(30)]
    spec, result, claims, out = run(None, "penalty-exercise", "ask: spread\nalphas: [100]\nagainst: bmi\nresamples: 30\n"
                                                              "answer: ols")
    for r, make in zip(result["rows"], (LinearRegression, lambda: Ridge(alpha=100))):
        c = np.array([make().fit(x[b], y[b]).coef_ for b in samples])
        assert r["sd"] == pytest.approx(c[:, 4].std()) and r["ref"] == pytest.approx(c[:, 2].std())
        assert r["score"] == pytest.approx(c[:, 4].std() / c[:, 2].std())
    assert claims[0].ok and result["rows"][1]["score"] < 1 < result["rows"][0]["score"]
    assert "s1 ÷ bmi (standard deviations)" in html.unescape(out)


def test_label_noise_compares_each_seed_with_itself_without_flips():
    spec, result, claims, out = run(None, "label-noise", "shares: [0, 0.1]\nseeds: 4\nexpect:\n  - better(0.1) = 0\n"
                                                        "  - worse(0.1) > 4")
    clean, noisy = result["rows"][0]["accuracy"], result["rows"][1]["accuracy"]
    worse = sum(b < a for a, b in zip(clean, noisy))
    assert quote("label-noise", spec, result, "worse", "0.1").number == worse
    assert quote("label-noise", spec, result, "equal", "0.1").number + worse + \
        quote("label-noise", spec, result, "better", "0.1").number == 4
    assert quote("label-noise", spec, result, "drop", "0.1").number == pytest.approx(np.mean(clean) - np.mean(noisy))
    assert [c.ok for c in claims] == [True, False]
    assert "KNeighborsClassifier" not in panel_code(out)
