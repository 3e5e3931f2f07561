"""The optim family: optimizer-race, sgd-logistic, optimizer-exercise.

The hand-written numpy is checked against hand-computed steps and numerical checks: both gradients against
finite differences, momentum's and Adam's steps against the update rules written out step by step (Adam's
bias correction included), a long run against scikit-learn's closed form; the logistic objective against
``LogisticRegression`` and ``SGDClassifier`` called here. The code panel runs as shown. False claims are
false, bad options are located errors with a fix, no NaN or infinity reaches a result.
"""

from __future__ import annotations

import contextlib
import html
import io
import re

import numpy as np
import pytest
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.linear_model import LinearRegression, LogisticRegression, SGDClassifier
from sklearn.preprocessing import StandardScaler

from blocktest import all_finite, quote, run, spec_of
from lexicon.blocks.optim import _data
from lexicon.engine import deps
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

KINDS = ("optimizer-race", "sgd-logistic", "optimizer-exercise", "batch-norm", "dropout-masks", "dropout-exercise")


def panel_code(out: str) -> str:
    """The text of a block's code panel, as a reader would copy it."""
    panel = re.search(r'<details class="ll-code".*?<code>(.*?)</code>', out, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", panel))


def test_the_family_needs_no_model_and_keys_its_results_by_scikit_learns_version():
    for name in KINDS:
        kind = registry()[name]
        assert kind.family == "optim" and not kind.needs_model and "scikit-learn" in kind.note
        assert deps.compute_code(type(kind)).packages["scikit-learn"] == sklearn.__version__


# --- the arithmetic -----------------------------------------------------------------------------------------

def test_both_gradients_equal_finite_differences():
    a, y = _data.diabetes(True)
    w = np.random.default_rng(0).normal(size=a.shape[1]) * 10
    h = 1e-4
    num = [(_data.mse(a, y, w + h * e) - _data.mse(a, y, w - h * e)) / (2 * h) for e in np.eye(len(w))]
    assert np.allclose(_data.mse_gradient(a, y, w), num, rtol=1e-6, atol=1e-6)
    b, t = _data.breast_cancer()
    v = np.random.default_rng(1).normal(size=b.shape[1]) * 0.3
    num = [(_data.log_loss(b, t, v + h * e, 0.01) - _data.log_loss(b, t, v - h * e, 0.01)) / (2 * h)
           for e in np.eye(len(v))]
    assert np.allclose(_data.log_gradient(b, t, v, 0.01), num, rtol=1e-5, atol=1e-8)


def test_momentum_and_adam_steps_equal_the_update_rules_written_out():
    g1, g2 = np.array([3.0, -0.02, 400.0]), np.array([1.0, -0.04, -200.0])
    # momentum: v1 = g1, v2 = 0.9 g1 + g2
    v, m, s = np.zeros(3), np.zeros(3), np.zeros(3)
    assert np.allclose(_data.step("momentum", g1, 1, 0.1, 0.9, v, m, s), 0.1 * g1)
    assert np.allclose(_data.step("momentum", g2, 2, 0.1, 0.9, v, m, s), 0.1 * (0.9 * g1 + g2))
    # Adam: at step 1 the bias correction makes m̂ = g and ŝ = g², so each weight moves by rate · g / (|g| + ε)
    v, m, s = np.zeros(3), np.zeros(3), np.zeros(3)
    first = _data.step("adam", g1, 1, 0.5, 0.9, v, m, s)
    assert np.allclose(first, 0.5 * g1 / (np.abs(g1) + 1e-8)) and np.allclose(np.abs(first), 0.5, rtol=1e-6)
    m2, s2 = 0.9 * 0.1 * g1 + 0.1 * g2, 0.999 * 0.001 * g1 ** 2 + 0.001 * g2 ** 2
    expected = 0.5 * (m2 / (1 - 0.9 ** 2)) / (np.sqrt(s2 / (1 - 0.999 ** 2)) + 1e-8)
    assert np.allclose(_data.step("adam", g2, 2, 0.5, 0.9, v, m, s), expected)
    # without the correction the first step would be 0.1 / √0.001 ≈ 3.16 times the rate, not the rate
    assert np.allclose(0.1 * np.abs(g1) / np.sqrt(0.001 * g1 ** 2), 0.1 / np.sqrt(0.001))


def test_momentum_with_beta_zero_is_gradient_descent_and_gradient_descent_reaches_least_squares():
    a, y = _data.diabetes(True)
    _, steep = _data.curvatures(a, y)
    gd = _data.optimise(a, y, "gd", 1 / steep, 300)
    assert _data.optimise(a, y, "momentum", 1 / steep, 300, beta=0.0)["losses"] == gd["losses"]
    long = _data.optimise(a, y, "gd", 1 / steep, 20000)
    x = load_diabetes(scaled=False).data
    best = LinearRegression().fit(StandardScaler().fit_transform(x), y)
    assert np.allclose(long["weights"], np.r_[best.intercept_, best.coef_], rtol=1e-6, atol=1e-6)
    assert _data.least_squares(a, y) == pytest.approx(long["losses"][-1], rel=1e-9)


def test_the_logistic_objective_is_logistic_regressions_and_sgd_classifiers():
    a, y = _data.breast_cancer()
    d = load_breast_cancer()
    x = StandardScaler().fit_transform(d.data)
    alpha = 0.01
    lr = LogisticRegression(C=1 / (len(y) * alpha), tol=1e-10, max_iter=10_000).fit(x, y)
    w = np.r_[lr.intercept_, lr.coef_[0]]
    assert np.linalg.norm(_data.log_gradient(a, y, w, alpha)) < 1e-5      # its fit is the objective's minimum
    assert _data.logistic_optimum(a, y, alpha) == pytest.approx(_data.log_loss(a, y, w, alpha), abs=1e-12)
    sg = SGDClassifier(loss="log_loss", alpha=alpha, learning_rate="constant", eta0=0.01, max_iter=5, tol=None,
                       random_state=0).fit(x, y)
    assert _data.sgd_classifier(a, y, alpha, 0.01, 5, 0) == _data.log_loss(a, y, np.r_[sg.intercept_, sg.coef_[0]], alpha)


def test_full_batch_sgd_is_batch_gradient_descent():
    a, y = _data.breast_cancer()
    run_ = _data.sgd(a, y, 0.01, 0.5, len(y), 3, 0)
    w = np.zeros(a.shape[1])
    for _ in range(3):
        w = w - 0.5 * _data.log_gradient(a, y, w, 0.01)
    assert run_["losses"][-1] == pytest.approx(_data.log_loss(a, y, w, 0.01), rel=1e-12) and run_["updates"] == 1


def test_batch_norm_equals_standard_scaler_on_the_batch_and_layer_norm_works_along_rows():
    x = load_breast_cancer().data[:16]
    out, mean, var = _data.batch_norm(x, eps=0.0)
    assert np.allclose(out, StandardScaler().fit_transform(x), atol=1e-9)
    assert np.allclose(out.mean(axis=0), 0, atol=1e-12) and np.allclose(out.var(axis=0), 1)
    with_eps, _, _ = _data.batch_norm(x)
    assert np.allclose(with_eps.var(axis=0), var / (var + 1e-5))          # ε lowers the variance below 1
    ln = _data.layer_norm(x)
    assert np.allclose(ln.mean(axis=1), 0, atol=1e-12) and np.allclose(ln.var(axis=1), 1, atol=1e-6)
    # the running statistics, written out: two batches of the same seed
    rng = np.random.RandomState(3)
    b1 = x[rng.choice(16, 4, replace=False)]
    b2 = x[rng.choice(16, 4, replace=False)]
    m, v = _data.running_stats(x, 4, 2, 0.1, 3)
    assert np.allclose(m, 0.9 * (0.1 * b1.mean(0)) + 0.1 * b2.mean(0))
    assert np.allclose(v, 0.9 * (0.9 + 0.1 * b1.var(0)) + 0.1 * b2.var(0))


def test_the_batch_norm_block_shows_a_patient_moved_by_its_batch():
    spec, result, claims, out = run(None, "batch-norm", "expect:\n  - gap > 0.1\n  - running_error(mean area) > 0.5")
    assert [c.ok for c in claims] == [True, False] and all_finite(result)
    assert result["all_out_mean"] < 1e-12 and result["all_out_var"][1] < 1
    assert quote("batch-norm", spec, result, "residual_mean").text.count("e−")       # tiny: scientific notation
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(panel_code(out), {})
    top, low = map(float, printed.getvalue().split())
    assert top == pytest.approx(result["all_out_mean"], abs=1e-15) and low == pytest.approx(result["all_out_var"][0])


def test_inverted_dropout_keeps_the_expected_activation():
    h = np.random.default_rng(0).random((200, 50))
    rng = np.random.RandomState(0)
    outs = [_data.dropout(h, 0.3, 1 / 0.7, rng) for _ in range(400)]
    masks = np.array([m for _, m in outs])
    assert set(np.unique(masks)) == {0.0, 1.0} and abs(masks.mean() - 0.7) < 0.005
    for out, mask in outs[:3]:
        assert np.allclose(out[mask == 1], h[mask == 1] / 0.7) and not out[mask == 0].any()
    mean_out = np.mean([o for o, _ in outs], axis=0)
    assert abs(mean_out.mean() / h.mean() - 1) < 0.005           # the expectation, over all units and masks
    _, result, claims, out = run(None, "dropout-masks", "p: 0.5\nexpect:\n  - ratio(inverted) > 0.99\n  - ratio(none) > 0.6")
    assert [c.ok for c in claims] == [True, False] and all_finite(result)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(panel_code(out), {})
    assert float(printed.getvalue().split()[0]) == pytest.approx(result["mean"], rel=1e-9)   # the same network
    assert result["none"] / result["mean"] == pytest.approx(result["kept"] * 1.0, abs=0.01)


def test_the_dropout_exercise_grades_the_scale_that_keeps_the_mean():
    _, result, claims, _ = run(None, "dropout-exercise", "p: 0.75\nvalues: [0.25, 1, 4]\nanswer: 4")
    assert claims[0].ok and min(result["rows"], key=lambda r: r["score"])["value"] == 4
    _, _, claims, _ = run(None, "dropout-exercise", "p: 0.75\nvalues: [0.25, 1, 4]\nanswer: 0.25")
    assert not claims[0].ok


# --- the blocks -----------------------------------------------------------------------------------------------

def test_the_race_shows_each_method_at_the_best_of_its_grid():
    spec, result, claims, out = run(None, "optimizer-race", "steps: 200\nexpect:\n  - final(adam) < final(gd)\n"
                                                           "  - final(gd) < optimum")
    assert [c.ok for c in claims] == [True, False]
    for r in result["runs"]:
        finals = [v for _, v, _ in r["tried"] if v is not None]
        assert r["losses"][-1] == min(finals) and len(r["losses"]) == 201
    assert [(rt, at) for rt, v, at in result["runs"][2]["tried"] if v is None] == [(10.0, 1)]   # Adam at 10: stopped at step 1
    assert all(r["losses"][-1] > result["optimum"] for r in result["runs"]) and all_finite(result)
    assert quote("optimizer-race", spec, result, "rate", "gd").text == "1.29e-05"      # tiny: scientific notation
    assert quote("optimizer-race", spec, result, "limit").number == pytest.approx(2 / result["steep"])
    assert "10: stopped at step 1" in out and "diverged" not in out and "nan" not in out.lower()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(panel_code(out), {})
    finals = [float(line.split()[-1]) for line in printed.getvalue().splitlines()]
    assert finals == pytest.approx([r["losses"][-1] for r in result["runs"]], rel=1e-9)


def test_sgd_blocks_read_their_runs_and_the_code_panel_runs_as_shown():
    spec, result, claims, out = run(None, "sgd-logistic", "epochs: 3\nexpect:\n  - final(1) < final(full)\n"
                                                         "  - updates(32) = 18\n  - final(1) < optimum")
    assert [c.ok for c in claims] == [True, True, False]
    assert quote("sgd-logistic", spec, result, "updates", "1").number == 569
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(panel_code(out), {})
    last = printed.getvalue().split()[-1]
    assert float(last) == pytest.approx(result["runs"][1]["losses"][-1], rel=1e-9)     # batch 32, the panel's


@pytest.mark.parametrize("src, answer, wrong", [
    ("choose: beta\nvalues: [0, 0.5, 0.9, 0.99]\nsteps: 100", 0.9, 0.99),
    ("choose: beta\nvalues: [0, 0.5, 0.9, 0.99]\nsteps: 1000", 0.99, 0.9),      # a longer budget, another β
    ("choose: method\nscaled: true\nsteps: 100", "momentum", "adam"),
    ("choose: method\nsteps: 300", "adam", "momentum"),
])
def test_the_exercise_grades_the_lowest_loss(src, answer, wrong):
    spec, result, claims, _ = run(None, "optimizer-exercise", f"{src}\nanswer: {answer}")
    assert claims[0].ok and all_finite(result)
    assert min(result["rows"], key=lambda r: r["score"])["value"] == answer
    _, _, claims, _ = run(None, "optimizer-exercise", f"{src}\nanswer: {wrong}")
    assert not claims[0].ok


@pytest.mark.parametrize("kind, src, message, fix", [
    ("optimizer-race", "methods: [gd, sgd]", "methods", "gd"),
    ("optimizer-race", "methods: [gd]\nexpect:\n  - final(adam) < final(gd)", "not one of the block's methods", "gd"),
    ("optimizer-race", "steps: 50\nexpect:\n  - loss(gd, 60) < 1", "no step '60'", "0 to 50"),
    ("sgd-logistic", "batch_sizes: [full, 569]", "same batch size", "list it once"),
    ("sgd-logistic", "expect:\n  - final(7) < 1", "not one of the block's batch sizes", "full, 32, 1"),
    ("batch-norm", "features: [mean size]", "not a feature of the breast cancer data", "mean radius"),
    ("batch-norm", "expect:\n  - running_error(worst area) < 1", "not one of the block's features", "mean area"),
    ("dropout-masks", "expect:\n  - ratio(half) > 1", "not a scaling", "inverted or none"),
    ("dropout-exercise", "values: [1, 2]\nanswer: 3", "not one of the values", "1, 2"),
    ("optimizer-exercise", "choose: beta", "needs the β values", "values: [0, 0.5, 0.9]"),
    ("optimizer-exercise", "choose: method\nvalues: [0.5, 0.9]", "always compares", "remove 'values'"),
    ("optimizer-exercise", "choose: beta\nvalues: [0, 0.9]\nanswer: 0.5", "not one of the choices", "0, 0.9"),
])
def test_bad_blocks_name_the_fix(kind, src, message, fix):
    with pytest.raises(LexiconError, match=re.escape(message)) as err:
        spec_of(kind, src)
    assert fix in (err.value.fix or "") or fix in str(err.value)
