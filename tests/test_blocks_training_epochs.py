"""The minibatch-descent kind and fit-exercise's `choose: batch-size` and `score: mse`.

The numpy mini-batch loop is checked three ways: with the full batch it is exactly the batch gradient
descent of `gradient-descent` (one step per epoch); a loop written here independently gives the same
losses for mini-batches; and given enough epochs it reaches the least-squares loss of scikit-learn's
LinearRegression. False claims are false; bad options are located errors with a fix.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from blocktest import quote, run, spec_of
from lexicon.blocks.training._data import descend, design, diabetes, minibatch_descent
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError


def data():
    d = load_diabetes(scaled=False)
    x = StandardScaler().fit_transform(d.data)
    return np.column_stack([np.ones(len(x)), x]), d.target.astype(float), x


def test_the_full_batch_is_batch_gradient_descent():
    a, y, _ = data()
    ours = minibatch_descent(a, y, 0.05, len(y), 15, 0)
    assert ours["losses"] == pytest.approx(descend(a, y, 0.05, 15)["losses"], rel=1e-12)
    assert ours["updates"] == 1


def test_mini_batches_equal_a_loop_written_here():
    a, y, _ = data()
    rng, w, losses = np.random.RandomState(3), np.zeros(a.shape[1]), []
    for _ in range(4):
        order = rng.permutation(len(y))
        for s in range(0, len(y), 50):
            i = order[s:s + 50]
            w = w - 0.02 * 2 * a[i].T @ (a[i] @ w - y[i]) / len(i)
        losses.append(float(np.mean((a @ w - y) ** 2)))
    ours = minibatch_descent(a, y, 0.02, 50, 4, 3)
    assert ours["losses"][1:] == pytest.approx(losses, rel=1e-10) and ours["updates"] == 9


def test_enough_epochs_reach_the_least_squares_loss():
    a, y, x = data()
    optimum = mean_squared_error(y, LinearRegression().fit(x, y).predict(x))
    spec, result, claims, out = run(None, "minibatch-descent", "batch_sizes: [32]\nrate: 0.005\nepochs: 100\n"
                                                               "expect:\n  - final(32) > optimum\n  - final(32) < optimum")
    assert result["optimum"] == pytest.approx(optimum, rel=1e-9)
    # a constant rate leaves mini-batches jittering near the minimum: within 1% of it, never below
    assert optimum < result["runs"][0]["losses"][-1] < optimum * 1.01
    assert [c.ok for c in claims] == [True, False]
    assert quote("minibatch-descent", spec, result, "updates", "32").number == 14
    assert out.count("data-figure=") == 1


def test_the_example_and_a_diverging_rate():
    spec, result, claims, _ = run(None, "minibatch-descent", registry()["minibatch-descent"].example)
    assert all(c.ok for c in claims) and [r["batch"] for r in result["runs"]] == [442, 32, 1]
    _, result, claims, _ = run(None, "minibatch-descent", "batch_sizes: [1]\nrate: 0.1\nepochs: 3\n"
                                                          "expect:\n  - final(1) < 5000")
    assert result["runs"][0]["diverged_at"] == 1 and not claims[0].ok
    assert all(np.isfinite(result["runs"][0]["losses"]))


@pytest.mark.parametrize("src, message", [
    ("batch_sizes: [full, 442]", "same batch size"), ("batch_sizes: [0]", "batch_sizes"),
    ("expect:\n  - final(64) < 3000", "not one of the block's batch sizes"),
    ("expect:\n  - loss(32, 99) < 3000", "no epoch"), ("expect:\n  - final(32) = 3000", "equality")])
def test_bad_minibatch_blocks_name_the_fix(src, message):
    with pytest.raises(LexiconError, match=message) as err:
        spec_of("minibatch-descent", src)
    assert err.value.fix


def test_the_batch_size_exercise_grades_the_loss_after_the_epochs():
    x, y, _ = diabetes()
    spec, result, claims, _ = run(None, "fit-exercise", "choose: batch-size\nvalues: [442, 32, 1]\nepochs: 1\nanswer: 1")
    truth = {b: minibatch_descent(design(x), y, 0.01, b, 1, 0)["losses"][-1] for b in (442, 32, 1)}
    assert min(truth, key=truth.get) == 1 and claims[0].ok
    assert sorted(registry()["fit-exercise"].graded(spec, result).values()) == sorted(truth.values())
    with pytest.raises(LexiconError, match="whole number of patients"):
        spec_of("fit-exercise", "choose: batch-size\nvalues: [0.5, 32]")


def test_the_mse_exercise_grades_the_squared_error_of_each_feature_alone():
    spec, result, claims, _ = run(None, "fit-exercise", "choose: feature\nscore: mse\nfeatures: [bmi, bp, s4]\n"
                                                       "answer: bmi")
    d = load_diabetes(scaled=False)
    x = StandardScaler().fit_transform(d.data)
    truth = {}
    for f in ("bmi", "bp", "s4"):
        j = list(d.feature_names).index(f)
        x_tr, x_va, y_tr, y_va = train_test_split(x[:, [j]], d.target.astype(float), test_size=0.25, random_state=0)
        truth[f] = mean_squared_error(y_va, LinearRegression().fit(x_tr, y_tr).predict(x_va))
    assert min(truth, key=truth.get) == "bmi" and claims[0].ok
    assert sorted(registry()["fit-exercise"].graded(spec, result).values()) == pytest.approx(sorted(truth.values()))


def test_the_rate_is_quotable_the_log_axis_has_round_ticks_and_one_step_is_singular():
    spec, result, claims, out = run(None, "minibatch-descent", "batch_sizes: [full]\nrate: 0.2\nepochs: 20")
    assert quote("minibatch-descent", spec, result, "rate").number == 0.2
    assert "1 update an epoch" in out and "1 updates" not in out
    import json, re
    ticks = json.loads(re.search(r'"tickvals":(\[[^\]]*\])', out).group(1))
    assert ticks and all(str(t).rstrip("0") in ("1", "2", "3", "5") for t in ticks)   # one label per value, no repeats
    w = np.zeros(11)
    a, y = design(diabetes()[0]), diabetes()[1]
    for _ in range(20):   # the full batch is plain gradient descent: one step an epoch
        w -= 0.2 * 2 * a.T @ (a @ w - y) / len(y)
    assert result["runs"][0]["losses"][-1] == pytest.approx(float(np.mean((a @ w - y) ** 2)), rel=1e-9)
