"""The tuning family: hyperparameter-sweep, leakage, gradient-noise, early-stopping, lr-schedule, procedure-exercise.

The scikit-learn runs are checked against the same calls made here; the hand-written numpy against the library or a
numerical check: the per-example gradients average to the optim family's gradient, the measured batch noise agrees
with the exact formula for sampling without replacement, the constant schedule is the optim family's mini-batch
descent step for step, the unpenalised loss is scikit-learn's ``log_loss``. Every code panel runs as shown and prints
the block's numbers. Each exercise grades its answer; bad options are located errors with a fix.
"""

from __future__ import annotations

import contextlib
import html
import io
import re

import numpy as np
import pytest
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import StratifiedKFold, StratifiedShuffleSplit, cross_val_score, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from blocktest import all_finite, quote, run, spec_of
from lexicon.blocks.optim import _data as optim
from lexicon.blocks.tuning import _data
from lexicon.engine import deps
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

KINDS = ("hyperparameter-sweep", "leakage", "gradient-noise", "early-stopping", "lr-schedule", "procedure-exercise")


def panel_output(out: str) -> str:
    """Run a block's code panel as a reader would copy it; what it prints."""
    panel = re.search(r'<details class="ll-code".*?<code>(.*?)</code>', out, re.S).group(1)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(html.unescape(re.sub(r"<[^>]+>", "", panel)), {})
    return printed.getvalue()


def test_the_family_needs_no_model_and_keys_its_results_by_scikit_learns_version():
    for name in KINDS:
        kind = registry()[name]
        assert kind.family == "tuning" and not kind.needs_model and "scikit-learn" in kind.note
        assert deps.compute_code(type(kind)).packages["scikit-learn"] == sklearn.__version__


# --- hyperparameter-sweep -------------------------------------------------------------------------------------

def test_the_sweep_is_the_same_as_scikit_learn_called_here_and_its_panel_prints_it():
    spec, result, claims, out = run(None, "hyperparameter-sweep", "model: knn\nvalues: [1, 15]\nsplits: 3\nexpect:\n"
                                                                  "  - training(1) > validation(1)\n  - best = 1")
    assert [c.ok for c in claims] == [True, False] and all_finite(result)
    x, y = load_breast_cancer(return_X_y=True)
    tr, va = next(StratifiedShuffleSplit(n_splits=3, test_size=0.3, random_state=0).split(x, y))
    m = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=15)).fit(x[tr], y[tr])
    assert result["train"][1][0] == m.score(x[tr], y[tr]) and result["valid"][1][0] == m.score(x[va], y[va])
    assert result["train"][0] == [1.0, 1.0, 1.0]                     # k = 1: each tumour is its own neighbour
    assert quote("hyperparameter-sweep", spec, result, "best").number == 15
    first = panel_output(out).splitlines()[1].split()                # split 1, k = 15
    assert float(first[1]) == result["train"][1][0] and float(first[2]) == result["valid"][1][0]


def test_a_vote_of_300_says_benign_every_time_and_scores_the_benign_share():
    spec, result, claims, _ = run(None, "hyperparameter-sweep", "model: knn\nvalues: [10, 300]\nsplits: 3\nexpect:\n"
                                                               "  - constant(300) = 3\n  - constant(10) = 3")
    assert [c.ok for c in claims] == [True, False]
    x, y = load_breast_cancer(return_X_y=True)
    shares = []
    for i, (tr, va) in enumerate(StratifiedShuffleSplit(n_splits=3, test_size=0.3, random_state=0).split(x, y)):
        assert np.sum(y[tr] == 0) < 300 / 2                   # too few malignant tumours to win a vote of 300
        pred = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=300)).fit(x[tr], y[tr]).predict(x[va])
        assert set(pred) == {1}                               # benign for every validation tumour
        shares.append(np.mean(y[va] == 1))
        assert result["valid"][1][i] == pytest.approx(shares[-1])
    assert quote("hyperparameter-sweep", spec, result, "majority").number == pytest.approx(np.mean(shares))
    assert quote("hyperparameter-sweep", spec, result, "constant", "10").number == 0


# --- leakage --------------------------------------------------------------------------------------------------

def test_leakage_is_the_two_cross_validations_written_here():
    spec, result, claims, out = run(None, "leakage", "patients: 40\nnoise: 300\nrepeats: 2\nexpect:\n  - leaky > honest\n"
                                                     "  - honest > leaky")
    assert [c.ok for c in claims] == [True, False] and all_finite(result)
    d = load_breast_cancer()
    rng = np.random.RandomState(0)
    idx = rng.choice(len(d.target), 40, replace=False)
    x, y = rng.standard_normal((40, 300)), d.target[idx]
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    leaky = cross_val_score(make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)),
                            SelectKBest(f_classif, k=10).fit_transform(x, y), y, cv=cv).mean()
    honest = cross_val_score(make_pipeline(StandardScaler(), SelectKBest(f_classif, k=10),
                                           LogisticRegression(max_iter=5000)), x, y, cv=cv).mean()
    assert result["leaky"][0] == pytest.approx(leaky, abs=1e-6) and result["honest"][0] == pytest.approx(honest, abs=1e-6)
    printed = [float(v) for v in panel_output(out).split()]
    assert printed == pytest.approx([leaky, honest], abs=1e-12)


def test_a_scaler_fitted_on_all_the_data_barely_leaks():
    _, result, _, out = run(None, "leakage", "step: scaling\npatients: 60\nnoise: 200\nrepeats: 3")
    assert abs(np.mean(result["leaky"]) - np.mean(result["honest"])) < 0.02
    assert float(panel_output(out).split()[0]) == pytest.approx(result["leaky"][0], abs=1e-6)


# --- gradient-noise -------------------------------------------------------------------------------------------

def test_the_example_gradients_average_to_the_full_gradient():
    a, y = optim.breast_cancer()
    w = np.random.default_rng(0).normal(size=a.shape[1]) * 0.2
    assert np.allclose(_data.example_gradients(a, y, w).mean(axis=0), optim.log_gradient(a, y, w, _data.ALPHA))
    assert np.linalg.norm(optim.log_gradient(a, y, np.array(_data.weights_at("optimum")), _data.ALPHA)) < 1e-5


def test_the_measured_noise_agrees_with_the_exact_formula():
    r = _data.gradient_noise([1, 8, 569], "start", 2000, 0)
    one, eight, whole = r["rows"]
    assert whole["measured"] < 1e-12 and whole["exact"] == 0                 # the whole data: no noise at all
    for row in (one, eight):
        assert row["measured"] == pytest.approx(row["exact"], rel=0.05)
    a, y = optim.breast_cancer()
    g = _data.example_gradients(a, y, np.zeros(a.shape[1]))
    # batch size 1, written out: the root mean squared distance of every single example's gradient
    assert one["exact"] == pytest.approx(np.sqrt(np.mean(np.sum((g - g.mean(0)) ** 2, axis=1))), rel=1e-12)


def test_the_noise_block_reads_its_numbers_and_its_panel_prints_them():
    spec, result, claims, out = run(None, "gradient-noise", "batch_sizes: [64, 4]\ndraws: 50\nexpect:\n"
                                                            "  - noise(64) < noise(4)\n  - noise(64) > full")
    assert [c.ok for c in claims] == [True, False] and spec.batch_sizes == [4, 64]
    assert quote("gradient-noise", spec, result, "ratio", "4", "64").number == pytest.approx(
        result["rows"][0]["measured"] / result["rows"][1]["measured"])
    printed = [float(line.split()[1]) for line in panel_output(out).splitlines()]
    assert printed == pytest.approx([r["measured"] for r in result["rows"]], rel=1e-9)
    assert "Noise / full gradient" in out
    _, result, _, out = run(None, "gradient-noise", "batch_sizes: [2, 16]\nat: optimum\ndraws: 20")
    assert result["full"] < 1e-5
    assert "Noise / full gradient" not in out and "solver stopped" in out      # a ratio to a zero gradient measures nothing
    assert [float(line.split()[1]) for line in panel_output(out).splitlines()] == pytest.approx(
        [r["measured"] for r in result["rows"]], rel=1e-6)


# --- early-stopping -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("valid, patience, expected", [
    ([5, 4, 3, 3.5, 3.6, 3.7, 2], 3, (5, 2)),      # three epochs after the best at 2: stop at 5, keep 2
    ([5, 4, 3, 3.5, 2.9, 3.7, 3.8], 2, (6, 4)),    # a new best resets the wait
    ([5, 4, 3, 2, 1], 2, (4, 4)),                  # never stopped: the last epoch
])
def test_patience_stops_where_it_should(valid, patience, expected):
    assert _data.stop_at(valid, patience) == expected


def test_the_early_stopping_runs_use_scikit_learns_loss_and_the_panel_stops_where_the_block_does():
    spec, result, claims, out = run(None, "early-stopping", "patients: 80\nepochs: 300\nseeds: 2\npatience: 20\nexpect:\n"
                                                            "  - final > best_loss\n  - kept > final")
    assert [c.ok for c in claims] == [True, False] and all_finite(result)
    d = load_breast_cancer()
    x_tr, x_va, y_tr, y_va = train_test_split(d.data, d.target, train_size=80, stratify=d.target, random_state=0)
    assert result["runs"][0]["valid"][0] == pytest.approx(log_loss(y_va, np.full(len(y_va), 0.5)))
    stop, kept = _data.stop_at(result["runs"][0]["valid"], 20)
    best = [int(np.argmin(r["valid"])) for r in result["runs"]]
    assert quote("early-stopping", spec, result, "best_accuracy").number == pytest.approx(
        np.mean([r["accuracy"][b] for r, b in zip(result["runs"], best)]))
    assert quote("early-stopping", spec, result, "final_accuracy").number == pytest.approx(
        np.mean([r["accuracy"][-1] for r in result["runs"]]))
    epoch, best = panel_output(out).split()
    assert int(epoch) == stop and float(best) == pytest.approx(result["runs"][0]["valid"][kept], rel=1e-9)


# --- lr-schedule ----------------------------------------------------------------------------------------------

def test_the_schedules_follow_their_definitions():
    r = lambda k, t: _data.schedule_rate(k, 2.0, t, 300)  # noqa: E731
    assert r("constant", 299) == 2.0
    assert [r("step", t) for t in (0, 99, 100, 199, 200, 299)] == [2.0, 2.0, 1.0, 1.0, 0.5, 0.5]
    assert r("cosine", 0) == 2.0 and r("cosine", 150) == pytest.approx(1.0) and r("cosine", 299) < 1e-3
    assert r("warmup", 0) == pytest.approx(2.0 / 30) and r("warmup", 29) == 2.0 and r("warmup", 30) == 2.0
    assert r("warmup", 165) == pytest.approx(1.0)


def test_the_constant_schedule_is_the_optim_familys_mini_batch_descent():
    a, y = optim.breast_cancer()
    assert _data.scheduled_sgd("constant", 0.3, 32, 3, 2) == pytest.approx(
        optim.sgd(a, y, _data.ALPHA, 0.3, 32, 3, 2)["losses"], rel=1e-12)


def test_the_schedule_block_keeps_each_best_rate_and_its_panel_runs():
    spec, result, claims, out = run(None, "lr-schedule", "rates: [0.3, 1]\nepochs: 4\nseeds: 2\nexpect:\n"
                                                         "  - final(cosine) < final(constant)\n  - final(cosine) < optimum")
    assert [c.ok for c in claims][1] is False and all_finite(result)
    at = [_data.scheduled_sgd("constant", 0.3, 32, 4, s)[-1] for s in range(2)]
    assert quote("lr-schedule", spec, result, "final_at", "constant", "0.3").number == pytest.approx(np.mean(at))
    assert quote("lr-schedule", spec, result, "spread_at", "constant", "0.3").number == pytest.approx(max(at) - min(at))
    with pytest.raises(LexiconError, match="not one of the block's base rates"):
        quote("lr-schedule", spec, result, "final_at", "constant", "3")
    finals = {line.split()[0]: float(line.split()[1]) for line in panel_output(out).splitlines()}
    for k, v in finals.items():
        assert v == pytest.approx(_data.scheduled_sgd(k, 1.0, 32, 4, 0)[-1], rel=1e-9)


# --- procedure-exercise ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("src, answer, wrong", [
    ("question: noise-ratio\nbatch_sizes: [8, 32]\nvalues: [1, 2, 4]\ndraws: 300", 2, 4),
    ("question: sweep\nmodel: logistic\nvalues: [0.01, 100]\nscore: training\nsplits: 3", 100, 0.01),
    ("question: leak\npatients: 60\nnoise: 300\nrepeats: 2", "selection", "scaling"),
    ("question: stop-epoch\nvalues: [5, 100, 1500]\npatients: 60\nseeds: 3\nseed: 100", 100, 1500),
    ("question: schedule-spread\nschedules: [constant, cosine]\nbatch: 8\nepochs: 3\nseeds: 3", "constant", "cosine"),
    ("question: stop-epoch\nvalues: [100, 1000]\npatients: 100\nrate: 0.05\nseeds: 2\nseed: 100", 1000, 100),
    ("question: schedule-rate\nvalues: [0.1, 1]\nbatch: 8\nepochs: 4\nseeds: 3", 0.1, 1),
])
def test_the_exercise_grades_its_answer(src, answer, wrong):
    spec, result, claims, _ = run(None, "procedure-exercise", f"{src}\nanswer: {answer}")
    assert claims[0].ok and all_finite(result)
    _, _, claims, _ = run(None, "procedure-exercise", f"{src}\nanswer: {wrong}")
    assert not claims[0].ok


def test_the_stop_epoch_rate_and_the_schedule_rate_use_the_runs_written_elsewhere():
    spec, result, _, _ = run(None, "procedure-exercise", "question: stop-epoch\nvalues: [10, 40]\npatients: 60\n"
                                                         "rate: 0.05\nseeds: 2\nseed: 3")
    runs = _data.early_stopping_runs(60, 40, 0.05, 2, 3)["runs"]
    assert spec.rate == 0.05 and result["rows"][1]["score"] == pytest.approx(np.mean([r["valid"][40] for r in runs]))
    assert spec_of("procedure-exercise", "question: stop-epoch\nvalues: [10, 40]").rate == 0.5      # the page's rate
    spec, result, _, out = run(None, "procedure-exercise", "question: schedule-rate\nschedule: cosine\n"
                                                           "values: [0.3, 1]\nepochs: 2\nseeds: 2")
    finals = [_data.scheduled_sgd("cosine", 1, 32, 2, s)[-1] for s in range(2)]
    assert result["rows"][1]["score"] == pytest.approx(np.mean(finals))
    assert result["rows"][1]["spread"] == pytest.approx(max(finals) - min(finals)) and "Above the optimum" in out


@pytest.mark.parametrize("kind, src, message, fix", [
    ("hyperparameter-sweep", "model: knn\nvalues: [1.5, 3]", "whole number", "[1, 5, 25]"),
    ("hyperparameter-sweep", "model: knn\nvalues: [1, 3]\ndataset: diabetes", "diabetes", ""),
    ("hyperparameter-sweep", "model: knn\nvalues: [1, 3]\nexpect:\n  - validation(7) > 0.9", "not one of the block's values",
     "1, 3"),
    ("leakage", "noise: 0", "no features", "real: true"),
    ("leakage", "noise: 5\nkeep: 10", "more than the 5 columns", "keep at most 5"),
    ("leakage", "patients: 30\nfolds: 10", "too few", "fewer folds"),
    ("gradient-noise", "batch_sizes: [1, 4]\nexpect:\n  - noise(8) < 1", "not one of the block's batch sizes", "1, 4"),
    ("early-stopping", "epochs: 50\npatience: 60", "not below", "train longer"),
    ("lr-schedule", "schedules: [constant]\nexpect:\n  - final(cosine) < 1", "not one of the block's schedules", "constant"),
    ("lr-schedule", "rates: [0.1, 0.3, 1, 3, 5, 8]\nepochs: 30\nseeds: 10", "too many runs", "fewer"),
    ("procedure-exercise", "question: leak\nvalues: [1, 2]", "always compares", "remove 'values'"),
    ("procedure-exercise", "question: sweep", "needs the values", "values:"),
    ("procedure-exercise", "question: noise-ratio\nvalues: [1, 2]", "two batch sizes", "batch_sizes"),
    ("procedure-exercise", "question: schedule-spread", "needs the schedules", "schedules:"),
    ("procedure-exercise", "question: stop-epoch\nvalues: [10.5, 20]", "whole number", "[10, 100, 2000]"),
    ("procedure-exercise", "question: schedule-rate\nvalues: [1, 20]", "above 10", "[0.03, 0.1, 1]"),
    ("procedure-exercise", "question: noise-ratio\nbatch_sizes: [8, 32]\nvalues: [1, 2]\nanswer: 3", "not one of the choices",
     "1, 2"),
])
def test_bad_blocks_name_the_fix(kind, src, message, fix):
    with pytest.raises(LexiconError, match=re.escape(message)) as err:
        spec_of(kind, src)
    assert fix in (err.value.fix or "") or fix in str(err.value)
