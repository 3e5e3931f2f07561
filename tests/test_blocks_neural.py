"""The neural family: softmax, cross-entropy, activation-function, perceptron, gradient-check, layer-gradients,
hidden-units, neural-exercise.

Every hand-written numpy computation is checked: softmax against scikit-learn's ``predict_proba``, the
cross-entropy against ``log_loss``, the activations' derivatives against central differences, the perceptron's
rule against scikit-learn's ``Perceptron``, backpropagation against a numerical gradient (and the deep stack's
backward pass against the same), and the MLP runs against ``MLPClassifier`` fitted here. Bad options are located
errors with a fix; the exercises grade the concept asked. No embedding model is loaded.
"""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest
import sklearn
from sklearn.datasets import load_digits, load_iris, load_wine
from sklearn.linear_model import LogisticRegression, Perceptron
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from blocktest import all_finite, quote, run, spec_of
from lexicon.blocks.neural import _data
from lexicon.engine import deps
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

KINDS = ("softmax", "cross-entropy", "activation-function", "perceptron", "gradient-check", "layer-gradients",
         "hidden-units", "neural-exercise")


def wine_split():
    d = load_wine()
    x_tr, x_te, y_tr, y_te = train_test_split(d.data, d.target, test_size=0.25, random_state=0, stratify=d.target)
    s = StandardScaler().fit(x_tr)
    return s.transform(x_tr), s.transform(x_te), y_tr, y_te


def test_the_family_needs_no_model_and_keys_its_results_by_scikit_learns_version():
    for name in KINDS:
        kind = registry()[name]
        assert kind.family == "neural" and not kind.needs_model and "scikit-learn" in kind.note
        key = deps.compute_code(type(kind))
        assert key.packages["scikit-learn"] == sklearn.__version__ and "gensim" not in key.packages


# --- softmax and cross-entropy ----------------------------------------------------------------------------

def test_numpy_softmax_equals_predict_proba_and_ignores_a_shift():
    spec, result, _, out = run(None, "softmax", "dataset: wine\nrows: [3, 0]\ntemperatures: [0.5, 1, 5]")
    x_tr, x_te, y_tr, y_te = wine_split()
    model = LogisticRegression(max_iter=5000).fit(x_tr, y_tr)
    z = model.decision_function(x_te)
    assert np.allclose(_data.softmax(z), model.predict_proba(x_te), atol=1e-12)
    assert np.allclose(_data.softmax(z + 1000.0), _data.softmax(z), atol=1e-12)   # no overflow either
    assert result["sklearn_diff"] < 1e-12 and result["shift_diff"] < 1e-12
    assert np.allclose(result["rows"][0]["logits"], z[3]) and np.allclose(result["rows"][0]["probs"], model.predict_proba(x_te)[3])
    # the temperature keeps the order and spreads the mass: entropy rises with T
    temps = result["temperatures"]
    assert [int(np.argmax(t["probs"])) for t in temps] == [int(np.argmax(z[3]))] * 3
    assert temps[0]["entropy"] < temps[1]["entropy"] < temps[2]["entropy"] < np.log(3)
    # a logit gap is the log of a probability ratio
    gap = quote("softmax", spec, result, "gap", "3", "class_0", "class_1").number
    assert gap == pytest.approx(quote("softmax", spec, result, "log_ratio", "3", "class_0", "class_1").number, abs=1e-9)
    assert 'data-figure=' in out and all_finite(result)


def test_the_cross_entropy_mean_is_log_loss_and_a_confident_mistake_costs_most():
    spec, result, _, _ = run(None, "cross-entropy", "dataset: digits\nworst: 3\nbest: 1")
    assert result["mean"] == pytest.approx(result["log_loss"], abs=1e-12)
    d = load_digits()
    x_tr, x_te, y_tr, y_te = train_test_split(d.data, d.target, test_size=0.25, random_state=0, stratify=d.target)
    s = StandardScaler().fit(x_tr)
    p = LogisticRegression(max_iter=5000).fit(s.transform(x_tr), y_tr).predict_proba(s.transform(x_te))
    assert result["log_loss"] == pytest.approx(log_loss(y_te, p), abs=1e-12)
    worst = result["worst"][0]
    assert worst["pred"] != worst["true"] and worst["p_pred"] > 0.9          # wrong, and sure of it
    assert worst["loss"] == pytest.approx(-np.log(worst["p_true"])) == pytest.approx(max(pt[1] for pt in result["points"]))
    assert 0 < result["wrong_share"] < 1 and result["wrong"] == int((p.argmax(1) != y_te).sum())


# --- activations ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(_data.ACTIVATIONS))
def test_each_derivative_equals_a_central_difference(name):
    x = np.array([-3, -1, -0.5, 0.3, 1, 3.0])
    h = 1e-6
    numeric = (_data.activation(name, x + h) - _data.activation(name, x - h)) / (2 * h)
    assert np.allclose(_data.activation(name, x, derivative=True), numeric, atol=1e-6)


def test_gelu_is_x_times_the_normal_cdf():
    from scipy.stats import norm

    x = np.linspace(-4, 4, 9)
    assert np.allclose(_data.activation("gelu", x), x * norm.cdf(x))


def test_the_mlp_runs_equal_mlpclassifier_fitted_here():
    _, result, _, out = run(None, "activation-function", "activations: [relu, gelu]\npoints: [0, 1]\nhidden: 8\nmax_iter: 20")
    assert [r["activation"] for r in result["mlp"]] == ["identity", "relu"]          # scikit-learn has no GELU
    d = load_digits()
    x_tr, x_te, y_tr, y_te = train_test_split(d.data, d.target, test_size=0.25, random_state=0, stratify=d.target)
    s = StandardScaler().fit(x_tr)
    with pytest.warns(sklearn.exceptions.ConvergenceWarning):
        m = MLPClassifier((8,), activation="relu", max_iter=20, random_state=0).fit(s.transform(x_tr), y_tr)
    assert result["mlp"][1]["test"] == m.score(s.transform(x_te), y_te) and not result["mlp"][1]["converged"]
    assert "no (stopped at 20)" in out


# --- the perceptron ----------------------------------------------------------------------------------------

def test_the_perceptron_rule_equals_scikit_learns_perceptron():
    _, result, _, out = run(None, "perceptron", "pairs: [[setosa, versicolor], [versicolor, virginica]]\nepochs: 15")
    sep, overlap = result["runs"]
    d = load_iris()
    for r in result["runs"]:
        assert r["weights"] == r["sklearn"]["weights"] and r["bias"] == r["sklearn"]["bias"]
        keep = np.isin(d.target, [d.target_names.tolist().index(c) for c in r["pair"]])
        y = np.where(d.target[keep] == d.target_names.tolist().index(r["pair"][1]), 1, -1)
        ref = Perceptron(shuffle=False, eta0=1.0, tol=None, max_iter=15).fit(d.data[keep], y)
        assert np.array_equal(ref.coef_[0], r["weights"])
    assert sep["mistakes"][-1] == 0 and sep["errors_after"] == 0          # linearly separable
    assert min(overlap["mistakes"]) > 0 and overlap["errors_after"] > 0   # not separable
    assert out.count("identical") == 2


# --- backpropagation -----------------------------------------------------------------------------------------

def test_backprop_equals_the_numerical_gradient_and_a_step_lowers_the_loss():
    spec, result, _, _ = run(None, "gradient-check", "dataset: iris\nhidden: 4\nbatch: 32\nsteps: 3")
    assert all(b["error"] < 1e-7 for b in result["blocks"])
    assert result["losses"][1] < result["losses"][0] and all(b < a for a, b in zip(result["losses"], result["losses"][1:]))
    # and a wrong gradient is caught: drop tanh's derivative
    x_tr, _, y_tr, _ = _data.split("iris", 0.25, 0)
    p = _data.init_net(4, 4, 3, 0)
    g = _data.backprop(p, x_tr[:32], y_tr[:32])
    h = np.tanh(x_tr[:32] @ p["W1"] + p["b1"])
    d = _data.softmax(h @ p["W2"] + p["b2"])
    d[np.arange(32), y_tr[:32]] -= 1
    wrong = x_tr[:32].T @ (d / 32 @ p["W2"].T)
    n = _data.numerical_gradient(p, x_tr[:32], y_tr[:32], 1e-5)
    assert _data.relative_error(g["W1"], n["W1"]) < 1e-7 < 1e-2 < _data.relative_error(wrong, n["W1"])


def test_the_deep_stacks_backward_pass_equals_a_numerical_gradient():
    # the first layer's gradient norm of a small stack, against central differences on its weights
    x_tr, _, y_tr, _ = _data.split("iris", 0.25, 0)
    x, y = x_tr[:16], y_tr[:16]
    r = _data.deep_gradients("iris", "tanh", "xavier", 3, 5, 16, 0)
    rng = np.random.default_rng(0)
    sizes = [4, 5, 5, 5, 3]
    ws = [rng.normal(0, _data.init_scale("xavier", a, b), (a, b)) for a, b in zip(sizes, sizes[1:])]

    def loss(w0):
        h = x
        for w in [w0] + ws[1:-1]:
            h = np.tanh(h @ w)
        return _data.cross_entropy(_data.softmax(h @ ws[-1]), y).mean()

    eps, g = 1e-6, np.zeros_like(ws[0])
    for i in np.ndindex(g.shape):
        e = np.zeros_like(g)
        e[i] = eps
        g[i] = (loss(ws[0] + e) - loss(ws[0] - e)) / (2 * eps)
    assert r["grad"][0] == pytest.approx(np.linalg.norm(g), rel=1e-6)


def test_sigmoid_gradients_vanish_and_he_keeps_relu_alive():
    _, result, _, out = run(None, "layer-gradients", "runs: [[sigmoid, xavier], [relu, small], [relu, he]]\ndepth: 8")
    sig, small, he = result["runs"]
    assert sig["grad"][0] < 1e-3 * sig["grad"][-1]
    assert small["std"][-1] < 1e-6 < 0.1 < he["std"][-1]
    fig = json.loads(html.unescape(re.search(r"data-figure='([^']*)'", out).group(1)))
    assert fig["layout"]["yaxis"]["type"] == "log" and len(fig["data"]) == 6     # δ and the weights' gradient per run


def test_delta_is_the_gradient_at_each_layers_pre_activations():
    # ‖∂L/∂z₁‖ of a small tanh stack against central differences on z₁ itself; the mean slope by hand
    x_tr, _, y_tr, _ = _data.split("iris", 0.25, 0)
    x, y = x_tr[:16], y_tr[:16]
    r = _data.deep_gradients("iris", "tanh", "xavier", 3, 5, 16, 0)
    rng = np.random.default_rng(0)
    sizes = [4, 5, 5, 5, 3]
    ws = [rng.normal(0, _data.init_scale("xavier", a, b), (a, b)) for a, b in zip(sizes, sizes[1:])]

    def loss(z1):
        h = np.tanh(z1)
        for w in ws[1:-1]:
            h = np.tanh(h @ w)
        return _data.cross_entropy(_data.softmax(h @ ws[-1]), y).mean()

    z1, eps = x @ ws[0], 1e-6
    g = np.zeros_like(z1)
    for i in np.ndindex(g.shape):
        e = np.zeros_like(z1)
        e[i] = eps
        g[i] = (loss(z1 + e) - loss(z1 - e)) / (2 * eps)
    assert r["delta"][0] == pytest.approx(np.linalg.norm(g), rel=1e-6)
    assert r["slope"][0] == pytest.approx(float((1 - np.tanh(z1) ** 2).mean()))


def test_the_weights_gradient_hides_a_vanishing_delta_under_relu_and_xavier():
    # Glorot and Bengio 2010, 4.2.2: level weight gradients while the back-propagated gradient shrinks
    r = _data.deep_gradients("digits", "relu", "xavier", 10, 64, 256, 0)
    assert 0.3 < r["grad"][-1] / r["grad"][0] < 3
    assert r["delta"][-1] / r["delta"][0] > 10
    he = _data.deep_gradients("digits", "relu", "he", 10, 64, 256, 0)
    assert 0.5 < he["delta"][-1] / he["delta"][0] < 2
    # Xavier's scale times four narrows the sigmoid's gap by orders of magnitude, without closing it
    sig, sig4 = (_data.deep_gradients("digits", "sigmoid", i, 10, 64, 256, 0) for i in ("xavier", "xavier4"))
    assert sig["grad"][-1] / sig["grad"][0] > 100 * sig4["grad"][-1] / sig4["grad"][0] > 100 * 10


def test_seed_ranges_summarise_other_draws_of_the_weights():
    spec, result, _, _ = run(None, "layer-gradients", "runs: [[relu, he]]\nseeds: 4")
    seeds = result["runs"][0]["seeds"]
    assert len(seeds["grad"]) == 4 and seeds["grad"][0] == result["runs"][0]["grad"]     # seed 0 is the shown draw
    again = _data.deep_gradients("digits", "relu", "he", 10, 64, 256, 0, weight_seed=3)
    assert seeds["std"][3] == again["std"]
    text = quote("layer-gradients", spec, result, "std_range", "relu/he", "10").text
    assert "over 4 weight seeds" in text and " to " in text
    one, r1, _, _ = run(None, "layer-gradients", "runs: [[relu, he]]")
    with pytest.raises(LexiconError, match="several seeds") as err:
        quote("layer-gradients", one, r1, "ratio_range", "relu/he")
    assert "seeds: 20" in err.value.fix


def test_the_layer_gradients_code_panel_runs_and_prints_the_tables_numbers(capsys):
    _, result, _, out = run(None, "layer-gradients", "runs: [[tanh, xavier], [relu, he]]\ndepth: 4")
    code = html.unescape(re.sub(r"<[^>]+>", "", re.search(r"<pre[^>]*>(.*?)</pre>", out, re.S).group(1)))
    exec(compile(code, "panel", "exec"), {})
    lines = [ln.split() for ln in capsys.readouterr().out.splitlines()]
    got = {(a, i, int(k)): (float(d), float(g), float(sd)) for a, i, k, d, g, sd in lines}
    for r in result["runs"]:
        for k in range(4):
            d, g, sd = got[(*r["run"], k + 1)]
            assert (d, g, sd) == pytest.approx((r["delta"][k], r["grad"][k], r["std"][k]), rel=1e-9)


def test_tiny_and_near_certain_probabilities_keep_their_size():
    assert _data.prob(2.47e-5) == "2.5e−5" and _data.prob(1 - 1.8e-6) == "1 − 1.8e−6"
    assert _data.prob(0.0046) == "0.0046" and _data.prob(0.0) == "0.0000"


def test_the_separability_test_agrees_with_the_perceptron():
    runs = {p: _data.perceptron("iris", p, 30) for p in (("setosa", "versicolor"), ("versicolor", "virginica"))}
    assert runs[("setosa", "versicolor")]["separable"] and runs[("setosa", "versicolor")]["mistakes"][-1] == 0
    assert not runs[("versicolor", "virginica")]["separable"]
    spec, result, _, _ = run(None, "perceptron", "pairs: [[setosa, versicolor], [versicolor, virginica]]\nepochs: 30")
    assert quote("perceptron", spec, result, "same_as_sklearn").text == "both pairs"
    assert quote("perceptron", spec, result, "separable", "versicolor/virginica").text == "no"


def test_a_hidden_layer_learns_what_a_straight_boundary_cannot():
    _, result, _, _ = run(None, "hidden-units", "dataset: digits\ntask: parity\nsizes: [1, 16]")
    assert result["rows"][1]["test"] > result["linear"]["test"] + 0.03
    assert result["linear"]["train"] < 0.95 < result["rows"][1]["train"]


# --- the exercise ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("src, answer, wrong", [
    ("ask: softmax-top\nrow: 3\ntemperature: 20", "class_0", "class_2"),
    ("ask: softmax-top\nrow: 33", "class_1", "class_2"),
    ("ask: largest-loss\ndataset: breast_cancer\nrows: [47, 121, 60, 0]", "60", "47"),   # not the least confident
    ("ask: steepest\nx: 2", "gelu", "relu"),
    ("ask: steepest\nx: 0\nactivations: [sigmoid, tanh, relu]", "tanh", "sigmoid"),
    ("ask: separable\npairs: [[versicolor, virginica], [setosa, virginica]]\nepochs: 30", "setosa/virginica",
     "versicolor/virginica"),
    ("ask: smallest-gradient\nlayers: [1, 5, 10]", "1", "10"),
    ("ask: init\nactivation: tanh", "he", "small"),
    ("ask: flattest\nactivation: tanh", "he", "small"),          # the largest scale saturates tanh most
    ("ask: hidden\ntask: parity\nsizes: [0, 2, 16]", "16", "0"),
])
def test_the_exercise_grades_the_concept_asked(src, answer, wrong):
    spec, result, claims, out = run(None, "neural-exercise", f"{src}\nanswer: \"{answer}\"")
    assert claims[0].ok, claims[0]
    data = json.loads(html.unescape(re.search(r"data-answer='([^']*)'", out).group(1)))
    kind = registry()["neural-exercise"]
    assert data["answer"] == kind._label(spec, answer)
    assert all_finite(result)
    _, _, claims, _ = run(None, "neural-exercise", f"{src}\nanswer: \"{wrong}\"")
    assert not claims[0].ok


def test_softmax_top_is_the_largest_logit_at_every_temperature():
    for t in (0.1, 1, 50):
        _, result, _, _ = run(None, "neural-exercise", f"ask: softmax-top\nrow: 40\ntemperature: {t}")
        assert int(np.argmax(result["scores"])) == int(np.argmax(result["logits"]))


# --- bad blocks: located errors with a fix ------------------------------------------------------------------

@pytest.mark.parametrize("kind, src, message, fix", [
    ("softmax", "dataset: wines", "no bundled dataset 'wines'", "did you mean 'wine'?"),
    ("softmax", "dataset: diabetes", "regression dataset", "breast_cancer"),
    ("cross-entropy", "worst: 0", "worst", "cross-entropy"),
    ("perceptron", "pairs: [[setosa, rose]]", "no class 'rose'", "setosa, versicolor, virginica"),
    ("perceptron", "pairs: [[setosa, setosa]]", "names one class twice", "two different classes"),
    ("layer-gradients", "runs: [[relu, kaiming]]", "'kaiming' is not one of", "runs: [[sigmoid, small]"),
    ("gradient-check", "dataset: digits\nhidden: 16", "slow", "hidden: 8"),
    ("hidden-units", "dataset: wine\ntask: parity", "needs the digits data", "dataset: digits"),
    ("neural-exercise", "ask: largest-loss", "needs 'rows'", "rows: [0, 5, 9]"),
    ("neural-exercise", "ask: separable", "needs 'pairs'", "pairs: [[setosa, versicolor]"),
    ("neural-exercise", "ask: steepest\nanswer: swish", "not one of the choices", "sigmoid, tanh, relu, gelu"),
    ("neural-exercise", "ask: softmax-top\nanswer: class_9", "not one of the choices", "class_0"),
    ("neural-exercise", "ask: smallest-gradient\nlayers: [1, 12]", "deeper than the network", "from 1 to 10"),
])
def test_bad_blocks_name_the_fix(kind, src, message, fix):
    with pytest.raises(LexiconError, match=re.escape(message)) as err:
        spec_of(kind, src)
    assert fix in (err.value.fix or "")


def test_a_row_past_the_test_split_is_a_located_error():
    with pytest.raises(LexiconError, match="past the end of the test split") as err:
        run(None, "softmax", "dataset: wine\nrows: [200]")
    assert "from 0 to 44" in err.value.fix


def test_values_name_their_fix():
    spec, result, _, _ = run(None, "softmax", "dataset: wine\nrows: [3]\ntemperatures: [1, 2]")
    with pytest.raises(LexiconError, match="not one of the block's rows") as err:
        quote("softmax", spec, result, "prob", "4", "class_0")
    assert "3" in err.value.fix
    with pytest.raises(LexiconError, match="no class 'class_7'"):
        quote("softmax", spec, result, "prob", "3", "class_7")


def test_a_uniform_guess_costs_the_log_of_the_number_of_classes_and_one_unit_is_singular():
    spec, result, _, _ = run(None, "cross-entropy", "dataset: digits")
    assert quote("cross-entropy", spec, result, "uniform").number == pytest.approx(np.log(10))
    assert quote("cross-entropy", spec, result, "mean").number < np.log(10)
    kind = registry()["neural-exercise"]
    spec = spec_of("neural-exercise", "ask: hidden\ntask: parity\nsizes: [0, 1, 16]")
    assert kind._label(spec, "1") == "MLP, 1 hidden unit" and kind._label(spec, "16") == "MLP, 16 hidden units"


def test_the_gradient_check_code_panel_runs_as_shown_and_prints_the_tables_numbers(capsys):
    from lexicon.engine.pieces import Code

    spec, result, _, _ = run(None, "gradient-check", "dataset: iris\nhidden: 4\nbatch: 32\nsteps: 3")
    code = [p for p in registry()["gradient-check"].render(spec, result, None) if isinstance(p, Code)][0]
    exec(compile(code.source, "panel", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    for block, line in zip(result["blocks"], printed):
        name, *_, norm, err = line.replace("(", " ").replace(")", " ").replace(",", " ").split()
        assert name == block["name"] and float(norm) == pytest.approx(block["norm"])
        assert float(err) == pytest.approx(block["error"], rel=1e-3, abs=1e-12)
    assert eval(printed[-1]) == pytest.approx(result["losses"])
