"""The generation family's LoRA kinds: lora-fit (a rank-r update learned in numpy) and lora-params (trainable
numbers on MiniLM's real shapes).

The hand-written numpy is checked numerically: the gradients of W, B and A against finite differences, the
loss against scikit-learn's log_loss, Adam's first step (each coordinate moves by the learning rate), the
image shifts against numpy's own flips and rotations, the frozen model against scikit-learn's score; the
counts against the weights file; bad input is a located error.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from blocktest import quote, run, spec_of
from lexicon.blocks.generation import _lora
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError


@pytest.fixture(autouse=True)
def one_blas_thread():
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        yield


def small_task(seed=0, n=60, m=4, d=7):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(m, d)), rng.normal(size=m), rng.normal(size=(n, d)), rng.integers(0, m, n))


def test_the_loss_is_scikit_learns_log_loss_and_the_gradients_match_finite_differences():
    from sklearn.metrics import log_loss

    w, b, x, y = small_task()
    loss, g = _lora.loss_and_grad(w, b, x, y)
    assert loss == pytest.approx(log_loss(y, _lora.softmax(x @ w.T + b), labels=range(4)), rel=1e-10)
    h = 1e-6
    for i, j in [(0, 0), (1, 3), (3, 6)]:
        e = np.zeros_like(w)
        e[i, j] = h
        numeric = (_lora.loss_and_grad(w + e, b, x, y)[0] - _lora.loss_and_grad(w - e, b, x, y)[0]) / (2 * h)
        assert g[i, j] == pytest.approx(numeric, rel=1e-5, abs=1e-8)
    rng = np.random.default_rng(1)
    bm, am = rng.normal(size=(4, 2)), rng.normal(size=(2, 7))
    _, gb, ga = _lora.lora_grads(w, b, bm, am, x, y)
    for mat, grad, setter in ((bm, gb, "b"), (am, ga, "a")):
        for idx in [(0, 0), (1, 1)]:
            e = np.zeros_like(mat)
            e[idx] = h
            args = (lambda s: (bm + s * e, am)) if setter == "b" else (lambda s: (bm, am + s * e))
            up = _lora.lora_grads(w, b, *args(1), x, y)[0]
            down = _lora.lora_grads(w, b, *args(-1), x, y)[0]
            assert grad[idx] == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-8)


def test_adam_s_first_step_moves_each_coordinate_by_the_learning_rate_and_b_at_zero_starts_at_w0():
    p = np.array([1.0, -2.0, 3.0])
    opt = _lora.Adam([p], lr=0.1)
    opt.step([np.array([5.0, -0.01, 2.0])])
    assert p == pytest.approx([0.9, -1.9, 2.9], abs=1e-6)
    w, b, x, y = small_task()
    assert np.array_equal(_lora.adapt(w, b, x, y, 2, 0, 0.1, 0), w)      # B = 0: the update is zero
    # with B = 0 the gradient of A is zero, that of B is not
    _, gb, ga = _lora.lora_grads(w, b, np.zeros((4, 2)), np.ones((2, 7)), x, y)
    assert not ga.any() and gb.any()
    # training lowers the loss, for LoRA and for the full update
    for rank in (2, None):
        assert _lora.loss_and_grad(_lora.adapt(w, b, x, y, rank, 50, 0.05, 0), b, x, y)[0] < \
            _lora.loss_and_grad(w, b, x, y)[0]


def test_the_shifts_are_numpys_flips_and_rotations():
    from sklearn.datasets import load_digits

    x = load_digits().data[:20]
    img = x.reshape(-1, 8, 8)
    assert np.array_equal(_lora.shifted(x, "mirror").reshape(-1, 8, 8), np.array([np.fliplr(i) for i in img]))
    assert np.array_equal(_lora.shifted(x, "rotate").reshape(-1, 8, 8), np.array([np.rot90(i) for i in img]))
    r = x
    for _ in range(4):
        r = _lora.shifted(r, "rotate")
    assert np.array_equal(r, x)


def test_lora_fit_recomputes_and_its_frozen_model_is_scikit_learns():
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    src = "shift: mirror\nranks: [1, 4]\nseeds: 1\nsteps: 40\nexpect:\n  - accuracy(4) > frozen\n  - frozen > 0.99"
    spec, result, claims, out = run(None, "lora-fit", src)
    d = load_digits()
    xtr, xte, ytr, yte = train_test_split(d.data / 16.0, d.target, test_size=0.3, stratify=d.target, random_state=0)
    m = LogisticRegression(max_iter=5000).fit(xtr, ytr)
    assert result["runs"][0]["original"] == pytest.approx(m.score(xte, yte))
    assert result["runs"][0]["frozen"] == pytest.approx(m.score(_lora.shifted(xte, "mirror"), yte))
    w = _lora.adapt(m.coef_, m.intercept_, _lora.shifted(xtr, "mirror"), ytr, 4, 40, 0.05, 0)
    assert result["runs"][0]["ranks"][1] == pytest.approx(_lora.accuracy(w, m.intercept_,
                                                                          _lora.shifted(xte, "mirror"), yte))
    assert [c.ok for c in claims] == [True, False]
    assert quote("lora-fit", spec, result, "params", "4").text == "296"
    assert quote("lora-fit", spec, result, "accuracy", "4").text in out
    assert run(None, "lora-fit", src)[1] == result


def test_lora_params_counts_the_real_shapes():
    from lexicon import minilm

    spec, result, _, out = run(None, "lora-params", "matrices: [query, value]\nranks: [2, 8]")
    w = minilm.load().weights
    names = [k for k in w if re.search(r"attention\.self\.(query|value)\.weight$", k)]
    assert len(names) == 12 and result["adapted"] == sum(w[k].size for k in names)
    assert result["lora"]["8"] == sum(8 * sum(w[k].shape) for k in names)
    assert result["total"] == sum(v.size for v in w.values() if np.issubdtype(v.dtype, np.floating))
    assert result["pooler"] == sum(v.size for k, v in w.items() if k.startswith("pooler.")) > 0
    assert quote("lora-params", spec, result, "params", "8").text == f"{result['lora']['8']:,}" in out


def test_the_examples_run():
    for name in ("lora-fit", "lora-params"):
        kind = registry()[name]
        assert kind.family == "generation" and kind.__doc__
        _, _, claims, out = run(None, name, kind.example)
        assert all(c.ok for c in claims) and out


@pytest.mark.parametrize("kind, src, message", [
    ("lora-fit", "ranks: [11]", "more than the limit"),
    ("lora-fit", "ranks: [1, 4]\nexpect: [accuracy(8) > frozen]", "not one of the ranks"),
    ("lora-fit", "expect: [accuracy > frozen]", "cannot read the claim"),
    ("lora-fit", "shift: flip", "option 'shift'"),
    ("lora-params", "matrices: [gate]", "'gate' is not one of"),
])
def test_bad_blocks_name_the_fix(kind, src, message):
    with pytest.raises(LexiconError, match=re.escape(message)) as err:
        spec_of(kind, src)
    assert err.value.fix or "option" in message


def test_a_value_for_a_rank_the_block_did_not_count_is_a_located_error():
    spec, result, _, _ = run(None, "lora-params", "ranks: [1, 8]")
    with pytest.raises(LexiconError, match="not one of the ranks") as err:
        quote("lora-params", spec, result, "share", "4")
    assert "1, 8" in err.value.fix


def panel_code(out: str) -> str:
    """The text of a block's code panel, as a reader would copy it."""
    import html

    panel = re.search(r'<details class="ll-code".*?<code>(.*?)</code>', out, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", panel))


def test_the_code_panels_run_as_shown_and_print_the_blocks_numbers():
    import contextlib
    import io

    spec, result, _, out = run(None, "lora-fit", "shift: rotate\nranks: [2]\nseeds: 1\nsteps: 30")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(panel_code(out), {})
    assert float(printed.getvalue()) == pytest.approx(result["runs"][0]["ranks"][0], abs=0.01)
    spec, result, _, out = run(None, "lora-params", "ranks: [1, 8]")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(panel_code(out), {})
    lines = printed.getvalue().split()
    assert lines[:4] == ["1", str(result["lora"]["1"]), "8", str(result["lora"]["8"])]
    assert lines[4] == str(result["total"])
