"""The training family: gradient-descent, model-complexity, regularization, cross-validation, fit-exercise.

The hand-written numpy (gradient descent) is checked numerically: its gradient against a finite
difference, its end point against scikit-learn's closed-form LinearRegression, its divergence against
the curvature limit. Every scikit-learn number is checked against scikit-learn called here directly.
False claims are false, bad options are located errors with a fix, ties are refused, no NaN or
infinity reaches a result. No embedding model is loaded.
"""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.linear_model import Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from blocktest import all_finite, quote, run, spec_of
from lexicon.blocks.training import _data
from lexicon.engine import deps
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

KINDS = ("gradient-descent", "model-complexity", "regularization", "cross-validation", "fit-exercise")


def diabetes_xy():
    d = load_diabetes(scaled=False)
    return StandardScaler().fit_transform(d.data), d.target.astype(float)


def train_scaled_split(seed=0):
    """The diabetes split with a StandardScaler fitted on its training part only (as regularization and the lasso-path
    exercise fit it)."""
    d = load_diabetes(scaled=False)
    x_tr, x_va, y_tr, y_va = train_test_split(d.data, d.target.astype(float), test_size=0.25, random_state=seed)
    scaler = StandardScaler().fit(x_tr)
    return scaler.transform(x_tr), scaler.transform(x_va), y_tr, y_va


def test_the_family_needs_no_model_and_keys_its_results_by_scikit_learns_version():
    for name in KINDS:
        kind = registry()[name]
        assert kind.family == "training" and not kind.needs_model and "scikit-learn" in kind.note
        key = deps.compute_code(type(kind))
        assert key.packages["scikit-learn"] == sklearn.__version__ and "gensim" not in key.packages


# --- gradient descent: the numpy against numerical checks and the closed form ----------------------------

def test_the_gradient_equals_a_finite_difference_gradient():
    x, y = diabetes_xy()
    a = _data.design(x)
    w = np.random.default_rng(0).normal(size=a.shape[1]) * 10
    h = 1e-4
    numeric = [(_data.mse(a, y, w + h * e) - _data.mse(a, y, w - h * e)) / (2 * h) for e in np.eye(len(w))]
    assert np.allclose(_data.gradient(a, y, w), numeric, rtol=1e-6, atol=1e-6)


def test_gradient_descent_converges_to_the_closed_form_optimum():
    x, y = diabetes_xy()
    a = _data.design(x)
    run_ = _data.descend(a, y, 0.2, 20000)
    best = LinearRegression().fit(x, y)
    assert run_["diverged_at"] is None
    assert np.allclose(run_["weights"], np.r_[best.intercept_, best.coef_], rtol=1e-6, atol=1e-6)
    optimum = np.mean((best.predict(x) - y) ** 2)
    assert abs(run_["losses"][-1] - optimum) < 1e-9 * optimum
    # below the limit the loss never rises (but for rounding, once it is at the optimum)
    assert all(b <= a_ * (1 + 1e-12) for a_, b in zip(run_["losses"], run_["losses"][1:]))


def test_rates_above_the_curvature_limit_diverge_and_no_infinity_reaches_the_result():
    src = "rates: [0.01, 0.1, 0.3, 5]\nsteps: 300\nexpect:\n  - diverged(0.3) = 1\n  - diverged(0.1) = 0"
    spec, result, claims, out = run(None, "gradient-descent", src)
    limit = 2 / result["curvature"]
    x, y = diabetes_xy()
    assert np.isclose(limit, 2 / np.linalg.eigvalsh(2 * _data.design(x).T @ _data.design(x) / len(y)).max())
    assert 0.1 < limit < 0.3 and all(c.ok for c in claims)
    assert all_finite(result) and "nan" not in out.lower().replace("nan-", "") and "inf" not in re.sub(r"info|inf[a-z]", "", out)
    for r in result["runs"]:
        assert (r["diverged_at"] is not None) == (r["rate"] > limit)
    with pytest.raises(LexiconError, match="diverged at step") as err:
        quote("gradient-descent", spec, result, "loss", "0.3")
    assert "diverged_at(0.3)" in err.value.fix
    assert quote("gradient-descent", spec, result, "diverged_at", "5").number >= 1


def test_gradient_descent_values_and_claims_read_the_runs():
    src = "rates: [0.01, 0.1]\nsteps: 100\nexpect:\n  - loss(0.1) < loss(0.01)\n  - within(0.1) < 10\n  - loss(0.1) < optimum"
    spec, result, claims, out = run(None, "gradient-descent", src)
    assert [c.ok for c in claims] == [True, False, False]      # within(0.1) is 19; no rate beats the optimum
    losses = result["runs"][1]["losses"]
    k = quote("gradient-descent", spec, result, "within", "0.1").number
    target = result["optimum"]["loss"] * 1.01
    assert losses[k] <= target < losses[k - 1]
    assert f">{quote('gradient-descent', spec, result, 'loss', '0.1').text}<" in out
    fig = json.loads(html.unescape(re.search(r"data-figure='([^']*)'", out).group(1)))
    assert fig["layout"]["yaxis"]["type"] == "log" and len(fig["data"]) == 2


# --- scikit-learn's numbers -------------------------------------------------------------------------------

def test_model_complexity_equals_decision_trees_fitted_here():
    spec, result, claims, _ = run(None, "model-complexity", registry()["model-complexity"].example)
    d = load_breast_cancer()
    x_tr, x_va, y_tr, y_va = train_test_split(d.data, d.target, test_size=0.25, random_state=0, stratify=d.target)
    for r in result["rows"]:
        tree = DecisionTreeClassifier(max_depth=r["depth"], random_state=0).fit(x_tr, y_tr)
        assert (r["train"], r["validation"]) == (tree.score(x_tr, y_tr), tree.score(x_va, y_va))
        assert (r["reached"], r["right"]) == (tree.get_depth(), int((tree.predict(x_va) == y_va).sum()))
        assert quote("model-complexity", spec, result, "right", str(r["depth"])).number == r["right"]
        assert quote("model-complexity", spec, result, "reached", str(r["depth"])).number == tree.get_depth()
    assert quote("model-complexity", spec, result, "held_out").number == len(y_va)
    assert all(c.ok for c in claims)
    _, _, claims, _ = run(None, "model-complexity", "max_depth: 8\nexpect:\n  - best = 8\n  - gap(1) > gap(8)")
    assert [c.ok for c in claims] == [False, False]


def test_regularization_equals_ridge_and_lasso_fitted_here():
    spec, result, claims, _ = run(None, "regularization", "alphas: [1, 10, 100]")
    x_tr, x_va, y_tr, y_va = train_scaled_split()
    for i, alpha in enumerate([1, 10, 100]):
        ridge = Ridge(alpha=alpha).fit(x_tr, y_tr)
        lasso = Lasso(alpha=alpha, max_iter=100_000).fit(x_tr, y_tr)
        assert np.allclose(result["ridge"][i]["coef"], ridge.coef_) and np.allclose(result["lasso"][i]["coef"], lasso.coef_)
        assert result["lasso"][i]["zeros"] == int((lasso.coef_ == 0).sum())
        assert np.isclose(result["ridge"][i]["r2"], ridge.score(x_va, y_va))
    zeros = [r["zeros"] for r in result["lasso"]]
    assert zeros == sorted(zeros) and zeros[-1] == 10 and all(r["zeros"] == 0 for r in result["ridge"])
    _, _, claims, _ = run(None, "regularization", "alphas: [1, 10]\nexpect:\n  - zeros(ridge, 10) = 3\n  - "
                                                   "norm(lasso, 10) > norm(lasso, 1)")
    assert [c.ok for c in claims] == [False, False]


def test_cross_validation_equals_cross_val_score():
    spec, result, claims, out = run(None, "cross-validation", "folds: 5\nsplits: 3\nexpect:\n  - std > 0.5")
    d = load_breast_cancer()
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    scores = cross_val_score(model, d.data, d.target, cv=StratifiedKFold(5, shuffle=True, random_state=0))
    assert result["folds"] == scores.tolist() and result["mean"] == scores.mean() and result["std"] == scores.std()
    for seed, s in enumerate(result["single"]):
        x_tr, x_te, y_tr, y_te = train_test_split(d.data, d.target, test_size=0.2, random_state=seed, stratify=d.target)
        assert s == model.fit(x_tr, y_tr).score(x_te, y_te)
    assert sum(result["fold_sizes"]) == 569 and not claims[0].ok


# --- bad blocks: located errors with a fix ------------------------------------------------------------------

@pytest.mark.parametrize("kind, src, message, fix", [
    ("gradient-descent", "rates: [0.1]\nexpect:\n  - loss(0.2) < 3000", "not one of the block's learning rates", "0.1"),
    ("gradient-descent", "expect:\n  - loss(0.1) = optimum", "equality of a measured score", "'<' or '>'"),
    ("gradient-descent", "expect:\n  - speed(0.1) > 1", "does not compute", "names: loss"),
    ("model-complexity", "dataset: diabetes", "regression dataset", "breast_cancer"),
    ("model-complexity", "expect:\n  - validation(12) > 0.9", "not one of the depths", "from 1 to 10"),
    ("regularization", "expect:\n  - zeros(elastic, 1) > 0", "not a model of the block", "ridge or lasso"),
    ("cross-validation", "max_depth: 4", "has no depth", "model: decision-tree"),
    ("cross-validation", "dataset: breast", "no bundled dataset 'breast'", "did you mean 'breast_cancer'?"),
    ("fit-exercise", "choose: depth\nvalues: [1, 2.5]", "whole number", "[1, 3, 8]"),
    ("fit-exercise", "choose: alpha\nvalues: [1, 10]\nscore: training", "does not judge a alpha", "validation"),
    ("fit-exercise", "choose: learning-rate\nvalues: [0.1, 0.01]\nanswer: 0.5", "not one of the values", "0.1, 0.01"),
    ("fit-exercise", "choose: feature", "needs the features", "features: [s5, bmi, s1]"),
    ("fit-exercise", "choose: feature\nfeatures: [s5, bmi]\nvalues: [1, 2]", "chooses among 'features'", "remove 'values'"),
    ("fit-exercise", "choose: depth\nvalues: [1, 3]\nfeatures: [s5, bmi]", "only choose: feature uses it",
     "remove 'features'"),
    ("fit-exercise", "choose: feature\nfeatures: [s5, bmi]\nanswer: bp", "not one of the values", "s5, bmi"),
    ("regularization", "alphas: [1, 2]\nexpect:\n  - coef(lasso, s2, 5) < 0", "not one of the block's alphas", "1, 2"),
])
def test_bad_blocks_name_the_fix(kind, src, message, fix):
    with pytest.raises(LexiconError, match=re.escape(message)) as err:
        spec_of(kind, src)
    assert fix in err.value.fix


def test_rates_must_be_positive():
    with pytest.raises(LexiconError, match="rates"):
        spec_of("gradient-descent", "rates: [0, 0.1]")


def test_an_error_is_located_at_its_line_with_its_fix(tmp_path, capsys):
    from lexicon.check import check

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - lexicon:\n      cache_dir: .cache\n")
    page = tmp_path / "docs" / "page.md"
    page.write_text("# Page\n\n```regularization\nalphas: [1, 10]\nexpect:\n  - zeros(lasso, 3) > 1\n```\n")
    assert check([page], tmp_path / "mkdocs.yml") == 1
    out = capsys.readouterr().out
    assert re.search(r"docs/page\.md:\d+: regularization block: '3' is not one of the block's alphas", out)
    assert "Fix: name one of: 1, 10" in out


# --- the exercise ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("src, answer, wrong", [
    ("choose: learning-rate\nvalues: [0.05, 0.2, 0.3]\nsteps: 50", 0.2, 0.3),
    ("choose: learning-rate\nvalues: [0.1, 0.2, 0.24]\nsteps: 20", 0.2, 0.24),    # the rate nearest the limit loses
    ("choose: depth\nvalues: [1, 3, 8]", 3, 8),
    ("choose: depth\nvalues: [2, 3, 4]\nseed: 2", 4, 3),                           # another split, another best depth
    ("choose: depth\nvalues: [2, 4, 8]\nscore: training", 8, 4),
    ("choose: depth\nvalues: [1, 3, 8]\nscore: cross-validation\nask: worst", 1, 8),
    ("choose: depth\nvalues: [1, 3, 8]\nscore: cross-validation", 8, 3),          # 3 wins the one validation split
    ("choose: learning-rate\nvalues: [0.01, 0.1, 0.24, 0.245]\nsteps: 100", 0.24, 0.245),
    ("choose: depth\nvalues: [2, 3, 4, 6]\nseed: 2", 4, 6),
    ("choose: feature\nfeatures: [s5, bmi, s1]", "bmi", "s5"),                    # not the largest unpenalised weight
    ("choose: alpha\nmodel: ridge\nvalues: [1, 100, 1000]", 100, 1),
    ("choose: penalty\nalpha: 10", "lasso", "ridge"),
])
def test_the_exercise_grades_the_value_the_fits_rank_first(src, answer, wrong):
    spec, result, claims, out = run(None, "fit-exercise", f"{src}\nanswer: {answer}")
    assert claims[0].ok
    kind = registry()["fit-exercise"]
    scores = kind.graded(spec, result)
    pick = min if kind.graded_end(spec) == "lowest" else max
    said = answer if isinstance(answer, str) else f" {answer:g}"
    assert said in pick(scores, key=scores.get)
    data = json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))
    assert said in data["answer"]
    assert all_finite(result)
    _, _, claims, _ = run(None, "fit-exercise", f"{src}\nanswer: {wrong}")
    assert not claims[0].ok


def test_the_exercise_cross_validates_the_training_split_only():
    _, result, _, out = run(None, "fit-exercise", "choose: depth\nvalues: [2, 3]\nscore: cross-validation\nshuffles: 3")
    d = load_breast_cancer()
    x_tr, _, y_tr, _ = train_test_split(d.data, d.target, test_size=0.25, random_state=0, stratify=d.target)
    assert (result["training"], result["held_out"]) == (len(y_tr), len(d.target) - len(y_tr))
    for r in result["rows"]:
        tree = DecisionTreeClassifier(max_depth=r["value"], random_state=0)
        means = [cross_val_score(tree, x_tr, y_tr, cv=StratifiedKFold(5, shuffle=True, random_state=s)).mean()
                 for s in range(3)]
        assert r["score"] == pytest.approx(np.mean(means), abs=1e-12)
        assert (r["cv_min"], r["cv_max"]) == (min(means), max(means))
    assert "stay untouched as a test set" in out


def test_the_penalty_exercise_counts_exact_zeros_and_refuses_values():
    _, result, _, _ = run(None, "fit-exercise", "choose: penalty\nalpha: 10")
    zeros = {r["value"]: r["score"] for r in result["rows"]}
    assert zeros["ridge"] == 0 and zeros["none"] == 0 and zeros["lasso"] > 0
    with pytest.raises(LexiconError, match="choose: penalty always compares"):
        run(None, "fit-exercise", "choose: penalty\nvalues: [1, 2]")


def test_the_exercise_refuses_a_tie():
    # Trees of depth 5 and 6 are the same tree (it is pure by depth 5): the same validation accuracy.
    with pytest.raises(LexiconError, match="decided by a tie") as err:
        run(None, "fit-exercise", "choose: depth\nvalues: [1, 5, 6]")
    assert "leave out" in err.value.fix


def test_repeats_over_seeds_and_shuffles_match_single_runs():
    _, result, _, _ = run(None, "model-complexity", "max_depth: 4\nseeds: 3")
    for r in result["seeds"]:
        rows = _data.tree_scores("breast_cancer", [1, 2, 3, 4], 0.25, r["seed"])
        assert r["best"] == max(rows, key=lambda x: (x["validation"], -x["depth"]))["depth"]
        assert r["perfect"] == (rows[-1]["train"] == 1.0)
    _, result, _, _ = run(None, "cross-validation", "shuffles: 3\nsplits: 1")
    d = load_breast_cancer()
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    assert result["shuffle_means"] == pytest.approx(
        [cross_val_score(model, d.data, d.target, cv=StratifiedKFold(5, shuffle=True, random_state=s)).mean()
         for s in range(3)], abs=1e-12)


# --- the lasso-path exercise, the standard error, the per-step factors -------------------------------------

def test_the_feature_exercise_reads_the_exact_lasso_path_of_the_training_split():
    _, result, _, out = run(None, "fit-exercise", "choose: feature\nfeatures: [s5, bmi, s1, s2]")
    x_tr, _, y_tr, _ = train_scaled_split()
    assert result["train"] == len(y_tr) == 331
    ols = LinearRegression().fit(x_tr, y_tr)
    names = load_diabetes().feature_names
    for r in result["rows"]:
        j = names.index(r["value"])
        assert r["ols"] == pytest.approx(ols.coef_[j], abs=1e-6)
        # Lasso (coordinate descent, tight tolerance) agrees: non-zero just below the entry, zero just above.
        below = Lasso(alpha=r["score"] * 0.99, max_iter=1_000_000, tol=1e-12).fit(x_tr, y_tr).coef_[j]
        above = Lasso(alpha=r["score"] * 1.01, max_iter=1_000_000, tol=1e-12).fit(x_tr, y_tr).coef_[j]
        assert below != 0 and above == 0
    assert "validation split is not used" in out


def test_the_feature_exercise_refuses_a_tie(monkeypatch):
    from lexicon.blocks.training import fit_exercise

    monkeypatch.setattr(fit_exercise, "lasso_entries", lambda test_size, seed: {
        "entries": {"s5": 45.45721, "bmi": 45.45722, "s1": 2.0}, "ols": {"s5": 1.0, "bmi": 1.0, "s1": 1.0}, "train": 331})
    with pytest.raises(LexiconError, match="decided by a tie"):
        run(None, "fit-exercise", "choose: feature\nfeatures: [s5, bmi, s1]")


def test_the_cross_validated_exercise_measures_the_one_standard_error_rule_by_the_fold_scores():
    _, result, _, out = run(None, "fit-exercise", "choose: depth\nvalues: [3, 8]\nscore: cross-validation\nshuffles: 3")
    d = load_breast_cancer()
    x_tr, _, y_tr, _ = train_test_split(d.data, d.target, test_size=0.25, random_state=0, stratify=d.target)
    for r in result["rows"]:
        tree = DecisionTreeClassifier(max_depth=r["value"], random_state=0)
        folds = [cross_val_score(tree, x_tr, y_tr, cv=StratifiedKFold(5, shuffle=True, random_state=s)) for s in range(3)]
        assert r["se"] == pytest.approx(np.mean([f.std(ddof=1) / np.sqrt(5) for f in folds]), abs=1e-12)
    best, other = sorted(result["rows"], key=lambda r: -r["score"])
    within = best["score"] - best["se"] <= other["score"]
    text = re.sub(r"<[^>]+>", "", out)
    assert f"one standard error of its mean is {best['se']:.4f}" in text
    kept = min(best["value"], other["value"]) if within else best["value"]
    assert f"within one standard error of the best: depth {kept}." in text


def test_the_learning_rate_exercise_shows_each_rates_factor_along_the_extreme_directions():
    spec, result, _, out = run(None, "fit-exercise", "choose: learning-rate\nvalues: [0.1, 0.245]\nsteps: 10")
    x, y = diabetes_xy()
    a = _data.design(x)
    ev = np.linalg.eigvalsh(2 * a.T @ a / len(y))
    assert (result["flat"], result["steep"]) == pytest.approx((ev.min(), ev.max()))
    assert "−0.9719 (negative: it swings from side to side)" in html.unescape(out)


def test_the_lasso_coefficient_value_and_claim_show_a_feature_leaving_zero_and_returning():
    spec, result, claims, _ = run(None, "regularization", "alphas: [1, 2, 10]\nexpect:\n  - coef(lasso, s2, 2) < 0\n"
                                                          "  - coef(lasso, s2, 10) < 0")
    assert [c.ok for c in claims] == [True, False]
    assert quote("regularization", spec, result, "coef", "lasso", "s2", "1").text == "0"
    assert quote("regularization", spec, result, "coef", "lasso", "s2", "2").text.startswith("−")
    assert quote("regularization", spec, result, "coef", "lasso", "s2", "10").text == "0"
    with pytest.raises(LexiconError, match="not a feature"):
        quote("regularization", spec, result, "coef", "lasso", "s9", "2")


def test_regularization_panel_runs_and_ridge_wins_count_splits_with_ridge():
    spec, result, claims, out = run(None, "regularization", "alphas: [1, 100]\nsplits: 12\nexpect:\n  - ridge_wins(100) > 12")
    x_tr, x_va, y_tr, y_va = train_scaled_split()
    printed = _panel_lines(out)
    assert printed[0].split()[-1] == f"{LinearRegression().fit(x_tr, y_tr).score(x_va, y_va)!r}"[:len(printed[0].split()[-1])]
    assert printed[-1].startswith("100.0 Lasso 10 ")
    wins = 0
    for s in range(12):
        a, b, c, d = train_scaled_split(s)
        wins += Ridge(alpha=100).fit(a, c).score(b, d) > LinearRegression().fit(a, c).score(b, d)
    assert quote("regularization", spec, result, "ridge_wins", "100").number == wins and not claims[0].ok
    with pytest.raises(LexiconError, match="repeated splits") as err:
        spec_of("regularization", "alphas: [1, 100]\nexpect:\n  - ridge_wins(100) > 1")
    assert err.value.fix


def test_ridge_in_closed_form_equals_sklearn_ridge():
    from lexicon.blocks.training import _penalty

    x_tr, x_va, y_tr, y_va = train_scaled_split(3)
    for alpha in (0.0, 1.0, 100.0):
        model = Ridge(alpha=alpha).fit(x_tr, y_tr) if alpha else LinearRegression().fit(x_tr, y_tr)
        assert _penalty.ridge_r2(x_tr, y_tr, x_va, y_va, alpha) == pytest.approx(model.score(x_va, y_va), abs=1e-10)


def _panel_lines(out: str) -> list[str]:
    import contextlib
    import io

    code = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<details class="ll-code".*?<code>(.*?)</code>', out, re.S).group(1)))
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(code, {})  # noqa: S102 - our own block's code panel
    return buf.getvalue().splitlines()


# --- averages over split seeds (review 21: a lesson of one split checked on many) ----------------------------

def _sklearn_trees(depths, seeds):
    """Training and validation accuracy of each depth on each split, from scikit-learn called here directly."""
    d = load_breast_cancer()
    train, val = np.zeros((len(seeds), len(depths))), np.zeros((len(seeds), len(depths)))
    for i, s in enumerate(seeds):
        x_tr, x_va, y_tr, y_va = train_test_split(d.data, d.target, test_size=0.25, random_state=s, stratify=d.target)
        for j, depth in enumerate(depths):
            tree = DecisionTreeClassifier(max_depth=depth, random_state=s).fit(x_tr, y_tr)
            train[i, j], val[i, j] = tree.score(x_tr, y_tr), tree.score(x_va, y_va)
    return train, val


def test_the_means_over_seeds_equal_scikit_learn_averaged_here():
    spec, result, _, _ = run(None, "model-complexity", "max_depth: 4\nseeds: 4\nexpect:\n  - seed_mean_gap(4) > seed_mean_gap(1)")
    train, val = _sklearn_trees([1, 2, 3, 4], range(4))
    for d in range(1, 5):
        assert quote("model-complexity", spec, result, "seed_mean_train", str(d)).number == pytest.approx(train[:, d - 1].mean(), abs=1e-12)
        assert quote("model-complexity", spec, result, "seed_mean_validation", str(d)).number == pytest.approx(val[:, d - 1].mean(), abs=1e-12)
        assert quote("model-complexity", spec, result, "seed_mean_gap", str(d)).number == pytest.approx((train - val)[:, d - 1].mean(), abs=1e-12)
        best = [int(np.argmax(v)) + 1 for v in val]          # argmax: the shallowest of equals
        assert quote("model-complexity", spec, result, "seed_best_count", str(d)).number == best.count(d)
    mean = val.mean(0)
    assert quote("model-complexity", spec, result, "seed_mean_best").number == int(np.argmax(mean)) + 1
    with pytest.raises(LexiconError, match="not one of the depths"):
        quote("model-complexity", spec, result, "seed_mean_gap", "9")
    spec, result, _, _ = run(None, "model-complexity", "max_depth: 4")
    with pytest.raises(LexiconError, match="several splits") as err:
        quote("model-complexity", spec, result, "seed_mean_gap", "2")
    assert "seeds" in err.value.fix
    _, _, claims, _ = run(None, "model-complexity", "max_depth: 4\nseeds: 4\nexpect:\n  - seed_mean_gap(1) > seed_mean_gap(4)")
    assert not claims[0].ok


def test_the_mean_gap_exercise_grades_by_the_gap_averaged_over_the_splits():
    spec, result, claims, out = run(None, "fit-exercise", "choose: depth\nvalues: [1, 2, 4]\nscore: mean-gap\nseeds: 5\nanswer: 4")
    train, val = _sklearn_trees([1, 2, 4], range(5))
    gap = train - val
    assert [r["score"] for r in result["rows"]] == pytest.approx(gap.mean(0).tolist(), abs=1e-12)
    assert [r["widest"] for r in result["rows"]] == [int((gap[:, j] == gap.max(1)).sum()) for j in range(3)]
    assert claims[0].ok and int(np.argmax(gap.mean(0))) == 2
    assert "averaged over 5 splits" in out and "of 5" in out
    _, _, claims, _ = run(None, "fit-exercise", "choose: depth\nvalues: [1, 2, 4]\nscore: mean-gap\nseeds: 5\nanswer: 1")
    assert not claims[0].ok
    with pytest.raises(LexiconError, match="does not judge"):
        run(None, "fit-exercise", "choose: alpha\nvalues: [1, 10]\nscore: mean-gap")
    with pytest.raises(LexiconError, match="seeds"):
        run(None, "fit-exercise", "choose: depth\nvalues: [1, 2]\nscore: mean-gap\nseeds: 1")
