"""What the optimiser kinds share: the two losses (the unscaled diabetes least squares, the regularised
logistic loss of the breast cancer data), their gradients, and the update rules, each a plain function.

Plain gradient descent, momentum (Polyak's heavy ball, in the form of Sutskever et al. 2013: ``v ← βv + g``,
``w ← w − rate · v``) and Adam (Kingma & Ba 2015, Algorithm 1, with its bias correction) run from all-zero
weights on the full batch; stochastic and mini-batch descent shuffle the samples each epoch.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ...logistic import breast_cancer, log_gradient, log_loss, logistic_optimum  # noqa: F401  (shared with tuning)
from ...minibatch import minibatch_epochs

NOTE = "Computed at build time with numpy and scikit-learn, on scikit-learn's bundled copy of the data; no embedding model."
DIVERGED = 1e3       # a loss more than this many times its starting value: the run has diverged
METHODS = {"gd": "gradient descent", "momentum": "momentum", "adam": "Adam"}
# The rates each method is tried at; the block keeps each method's best. Gradient descent and momentum
# are tried at fractions of 1/L (L: the largest curvature), all below gradient descent's limit 2/L;
# Adam's step is about `rate` per weight whatever the gradient's scale, so its grid is absolute.
GRID = {"gd": (0.25, 0.5, 1.0, 1.9), "momentum": (0.25, 0.5, 1.0, 1.9), "adam": (0.01, 0.1, 1.0, 3.0, 10.0)}
BETA1, BETA2, EPS = 0.9, 0.999, 1e-8   # Adam's defaults (Kingma & Ba 2015, Algorithm 1)
MOMENTUM_BETA = 0.9                    # momentum's coefficient in the race (`optimise`'s default)


# --- the diabetes least squares ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def diabetes(scaled: bool) -> tuple[np.ndarray, np.ndarray]:
    """The diabetes design matrix (a column of ones, then the ten features, unscaled or standardised) and target."""
    from sklearn.datasets import load_diabetes
    from sklearn.preprocessing import StandardScaler

    data = load_diabetes(scaled=False)
    x = StandardScaler().fit_transform(data.data) if scaled else data.data
    return np.column_stack([np.ones(len(x)), x]), data.target.astype(float)


def mse(a, y, w) -> float:
    r = a @ w - y
    return float(r @ r / len(y))


def mse_gradient(a, y, w) -> np.ndarray:
    """The gradient of the mean squared error: ``(2 / n) Aᵀ(Aw − y)``."""
    return 2.0 * a.T @ (a @ w - y) / len(y)


def curvatures(a, y) -> tuple[float, float]:
    """The smallest and largest eigenvalue of the loss's Hessian ``(2 / n) AᵀA``."""
    ev = np.linalg.eigvalsh(2.0 * a.T @ a / len(y))
    return float(ev.min()), float(ev.max())


def least_squares(a, y) -> float:
    """The loss of ``LinearRegression``'s closed-form fit, which no run can beat."""
    from sklearn.linear_model import LinearRegression

    m = LinearRegression().fit(a[:, 1:], y)
    return mse(a, y, np.r_[m.intercept_, m.coef_])


# --- the update rules --------------------------------------------------------------------------------------

def optimise(a, y, method: str, rate: float, steps: int, beta: float = MOMENTUM_BETA) -> dict:
    """Full-batch ``method`` on the diabetes least squares from all-zero weights: the loss before each step and
    after the last; a run whose loss passes ``DIVERGED`` × its start (or overflows) stops and says at which step."""
    w = np.zeros(a.shape[1])
    v, m, s = np.zeros_like(w), np.zeros_like(w), np.zeros_like(w)
    losses = [mse(a, y, w)]
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            g = mse_gradient(a, y, w)
            w = w - step(method, g, t, rate, beta, v, m, s)
            loss = mse(a, y, w)
            if not np.isfinite(loss) or loss > DIVERGED * losses[0]:
                return {"method": method, "rate": rate, "losses": losses, "diverged_at": t}
            losses.append(loss)
    return {"method": method, "rate": rate, "losses": losses, "diverged_at": None, "weights": w.tolist()}


def step(method: str, g, t: int, rate: float, beta: float, v, m, s) -> np.ndarray:
    """The change subtracted from the weights at step ``t`` (1, 2, …) given the gradient ``g``; ``v`` (momentum's
    velocity), ``m`` and ``s`` (Adam's first and second moments) are updated in place."""
    if method == "gd":
        return rate * g
    if method == "momentum":
        v *= beta
        v += g
        return rate * v
    m *= BETA1
    m += (1 - BETA1) * g
    s *= BETA2
    s += (1 - BETA2) * g * g
    m_hat, s_hat = m / (1 - BETA1 ** t), s / (1 - BETA2 ** t)    # the bias correction
    return rate * m_hat / (np.sqrt(s_hat) + EPS)


def rates_for(method: str, steep: float) -> list[float]:
    """The rates ``method`` is tried at: fractions of 1/L for gradient descent and momentum, Adam's absolute grid."""
    return [c / steep for c in GRID[method]] if method != "adam" else list(GRID["adam"])


def best_run(a, y, method: str, steps: int, steep: float) -> dict:
    """``method`` at each rate of its grid; the run with the lowest final loss (diverged runs never win), and the
    final loss at every rate tried (None: stopped by the divergence rule, with the step it stopped at)."""
    runs = [optimise(a, y, method, r, steps) for r in rates_for(method, steep)]
    ok = [r for r in runs if r["diverged_at"] is None]
    best = min(ok, key=lambda r: r["losses"][-1])
    best["tried"] = [[r["rate"], None if r["diverged_at"] else r["losses"][-1], r["diverged_at"]] for r in runs]
    return best


# --- the breast cancer logistic regression (its data, loss and gradient: lexicon.logistic) -----------------------

def sgd(a, y, alpha: float, rate: float, batch: int, epochs: int, seed: int) -> dict:
    """Mini-batch descent on the regularised logistic loss from all-zero weights: each epoch shuffles the samples
    (``RandomState(seed)``, one stream for the run) and steps once per run of ``batch`` samples (the last shorter);
    ``batch = n`` is batch gradient descent, ``batch = 1`` stochastic. The loss on all the samples after each epoch."""
    w = np.zeros(a.shape[1])
    losses = [log_loss(a, y, w, alpha)]
    for w in minibatch_epochs(w, len(y), batch, epochs, seed,
                              lambda w, idx: w - rate * log_gradient(a[idx], y[idx], w, alpha)):
        losses.append(log_loss(a, y, w, alpha))
    return {"batch": batch, "losses": losses, "updates": -(-len(y) // batch)}


def sgd_classifier(a, y, alpha: float, rate: float, epochs: int, seed: int) -> float:
    """scikit-learn's own stochastic gradient descent (one sample a step, constant rate), its loss after ``epochs``."""
    from sklearn.linear_model import SGDClassifier

    m = SGDClassifier(loss="log_loss", alpha=alpha, learning_rate="constant", eta0=rate, max_iter=epochs, tol=None,
                      random_state=seed).fit(a[:, 1:], y)
    return log_loss(a, y, np.r_[m.intercept_, m.coef_[0]], alpha)


# --- batch normalisation ---------------------------------------------------------------------------------------

BN_EPS = 1e-5   # the ε added to the variance (Ioffe & Szegedy 2015, Algorithm 1; PyTorch's BatchNorm default)


def batch_norm(x: np.ndarray, eps: float = BN_EPS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batch normalisation's training-mode forward pass with gain 1 and shift 0: each column minus its mean over the
    batch, over the square root of its variance over the batch (divided by the batch size) plus ``eps``."""
    mean, var = x.mean(axis=0), x.var(axis=0)
    return (x - mean) / np.sqrt(var + eps), mean, var


def layer_norm(x: np.ndarray, eps: float = BN_EPS) -> np.ndarray:
    """Layer normalisation with gain 1 and shift 0: each ROW over its own features."""
    mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps)


def running_stats(x: np.ndarray, batch: int, batches: int, momentum: float, seed: int):
    """The running mean and variance a batch-norm layer keeps for inference: from 0 and 1, each training batch
    (drawn without replacement by ``RandomState(seed)``) moves them ``momentum`` of the way to its own statistics."""
    rng = np.random.RandomState(seed)
    mean, var = np.zeros(x.shape[1]), np.ones(x.shape[1])
    for _ in range(batches):
        b = x[rng.choice(len(x), batch, replace=False)]
        mean = (1 - momentum) * mean + momentum * b.mean(axis=0)
        var = (1 - momentum) * var + momentum * b.var(axis=0)
    return mean, var


# --- dropout --------------------------------------------------------------------------------------------------

MLP_EPOCHS = 100   # the training epochs of the network whose activations dropout masks

@lru_cache(maxsize=None)
def digit_activations(hidden: int, seed: int) -> tuple[np.ndarray, float]:
    """The hidden ReLU activations of an ``MLPClassifier((hidden,), max_iter=MLP_EPOCHS, random_state=seed)`` trained
    on a stratified 75% of scikit-learn's digits (pixels scaled to 0–1), for the other 25%; and its test accuracy.
    The epoch budget is short on purpose, so scikit-learn's warning that the optimiser has not converged is expected
    and silenced."""
    import warnings

    from sklearn.datasets import load_digits
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier

    d = load_digits()
    x_tr, x_te, y_tr, y_te = train_test_split(d.data / 16.0, d.target, test_size=0.25, random_state=seed, stratify=d.target)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier((hidden,), max_iter=MLP_EPOCHS, random_state=seed).fit(x_tr, y_tr)
    return np.maximum(0.0, x_te @ mlp.coefs_[0] + mlp.intercepts_[0]), float(mlp.score(x_te, y_te))


def dropout(h: np.ndarray, p: float, scale: float, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    """One dropout mask: each unit is kept with probability ``1 − p`` and the kept ones multiplied by ``scale``
    (inverted dropout: ``scale = 1 / (1 − p)``). The masked activations and the 0/1 mask."""
    mask = (rng.random_sample(h.shape) >= p).astype(float)
    return h * mask * scale, mask


def rate_text(r: float) -> str:
    """A learning rate as the tables print it: scientific notation when it is tiny."""
    return f"{r:.2e}" if r < 1e-3 else f"{r:g}"


def loss_text(x: float) -> str:
    from ...render import fmt

    return fmt(x, 1)
