"""What the neural kinds share: a standardised split of a bundled dataset, softmax and cross-entropy, the
activation functions and their derivatives, the perceptron's update rule, a small numpy network with
backpropagation, and a deep numpy stack for gradients layer by layer; each a plain function of its options.

Datasets come from :mod:`lexicon.datasets` (scikit-learn's bundled copies, an unknown name is a located error).
"""

from __future__ import annotations

import warnings

import numpy as np

from ...datasets import CLASSIFICATION, MAX_ITER, class_names, load
from ...engine import Value, opt, value
from ...errors import LexiconError

NOTE = "Computed at build time with numpy and scikit-learn, on scikit-learn's bundled copy of the data; no embedding model."
DATASET_DOC = "One of scikit-learn's bundled classification datasets: `iris`, `wine`, `breast_cancer` or `digits`."
SAMPLES = {"breast_cancer": "tumours", "iris": "flowers", "wine": "wines", "digits": "images"}
TEST_SIZE = opt.number("The share of the samples held out as the test split.", default=0.25, min=0.1, max=0.5)
# The split options of the kinds that read logistic_fit (softmax, cross-entropy), declared once and alike.
SPLIT_OPTIONS = dict(test_size=TEST_SIZE, seed=opt.seed("The seed of the split (`random_state`).", default=0))


def check_dataset(dataset: str) -> list[str]:
    """The class names of a classification dataset; an unknown name or diabetes is a located error."""
    if dataset not in CLASSIFICATION:
        class_names(dataset)     # raises: unknown name (with the closest), or diabetes is a regression dataset
    return class_names(dataset)


def class_label(dataset: str, name: str) -> str:
    return f"digit {name}" if dataset == "digits" else name


TASKS = {"classes": "its own classes", "parity": "even digit or odd digit"}


def labels(dataset: str, task: str) -> np.ndarray:
    """The labels a model learns: the dataset's classes, or (``parity``, digits only) whether the digit is odd, a
    class made of five unlike shapes that no single straight boundary can collect."""
    if task == "parity":
        if dataset != "digits":
            raise LexiconError(f"task: parity needs the digits data, not {dataset}", fix="set 'dataset: digits'")
        return load(dataset).target % 2
    return load(dataset).target


def split(dataset: str, test_size: float, seed: int, task: str = "classes"):
    """A seeded train/test split stratified by the dataset's classes, standardised with a ``StandardScaler`` fitted
    on the training part; the labels of ``task``."""
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    data = load(dataset)
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, labels(dataset, task), test_size=test_size, random_state=seed,
                                              stratify=data.target)
    scaler = StandardScaler().fit(x_tr)
    return scaler.transform(x_tr), scaler.transform(x_te), y_tr, y_te


# --- softmax and cross-entropy -----------------------------------------------------------------------

def softmax(z, temperature: float = 1.0) -> np.ndarray:
    """``exp(z / T) / Σ exp(z / T)`` along the last axis, with the largest logit subtracted first (the same
    probabilities, since softmax ignores a shift, and no overflow)."""
    z = np.asarray(z, dtype=float) / temperature
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def logistic_fit(dataset: str, test_size: float, seed: int) -> dict:
    """A multinomial ``LogisticRegression`` fitted on the standardised training split; on the test split its
    logits (``decision_function``), scikit-learn's probabilities (``predict_proba``) and numpy's softmax of the logits."""
    from sklearn.linear_model import LogisticRegression

    names = check_dataset(dataset)
    x_tr, x_te, y_tr, y_te = split(dataset, test_size, seed)
    model = LogisticRegression(max_iter=MAX_ITER).fit(x_tr, y_tr)
    logits = model.decision_function(x_te)
    if logits.ndim == 1:        # two classes: scikit-learn gives one logit, that of class 1 against class 0
        logits = np.column_stack([np.zeros(len(logits)), logits])
    return {"classes": names, "logits": logits, "sklearn": model.predict_proba(x_te), "numpy": softmax(logits),
            "y": y_te, "train": len(y_tr), "test": len(y_te), "features": x_tr.shape[1]}


class SplitValues:
    """The values of the kinds that read :func:`logistic_fit` (softmax, cross-entropy), worded and formatted once."""

    @value("The number of test examples.")
    def test(self, spec, result):
        return Value(f"{result['test']:,}", result["test"])


def logistic_code(dataset: str, test_size: float, seed: int, imports: str = "") -> str:
    """The first lines of the code panel of a kind that reads :func:`logistic_fit` (softmax, cross-entropy): its split,
    scaling and model in plain scikit-learn, up to ``model`` fitted; ``imports``, more import lines, follow scikit-learn's
    linear_model (alphabetical order). One copy, so that the panels show what ``logistic_fit`` computes alike."""
    return (f"import numpy as np\nfrom sklearn.datasets import load_{dataset}\n"
            "from sklearn.linear_model import LogisticRegression\n" + imports
            + "from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\n\n"
            f"data = load_{dataset}()\n"
            "x_train, x_test, y_train, y_test = train_test_split(\n"
            f"    data.data, data.target, test_size={test_size:g}, random_state={seed}, stratify=data.target)\n"
            "scaler = StandardScaler().fit(x_train)\n"
            "model = LogisticRegression(max_iter=5000).fit(scaler.transform(x_train), y_train)\n")


def cross_entropy(probs: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each example's loss, ``−log p(true class)``."""
    return -np.log(probs[np.arange(len(y)), y])


def entropy(p: np.ndarray) -> float:
    """The entropy of one probability vector, in nats."""
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


# --- activation functions ----------------------------------------------------------------------------

def _phi(x):
    return np.exp(-0.5 * x * x) / np.sqrt(2 * np.pi)


def _cdf(x):
    from scipy.special import ndtr

    return ndtr(x)


# name -> (f, f'); GELU is the exact x·Φ(x) of Hendrycks and Gimpel, not the tanh approximation.
ACTIVATIONS = {
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), lambda x: (1 / (1 + np.exp(-x))) * (1 - 1 / (1 + np.exp(-x)))),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
    "relu": (lambda x: np.maximum(x, 0.0), lambda x: (np.asarray(x) > 0).astype(float)),
    "gelu": (lambda x: x * _cdf(x), lambda x: _cdf(x) + x * _phi(x)),
}
NAMES = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "gelu": "GELU", "identity": "none (identity)"}
# scikit-learn's MLPClassifier names: it has no GELU, and calls the sigmoid "logistic".
SKLEARN = {"identity": "identity", "sigmoid": "logistic", "tanh": "tanh", "relu": "relu"}


def activation(name: str, x, derivative: bool = False) -> np.ndarray:
    return ACTIVATIONS[name][1 if derivative else 0](np.asarray(x, dtype=float))


def mlp_scores(dataset: str, activations: list[str], hidden: int, max_iter: int, test_size: float, seed: int,
               task: str = "classes") -> list[dict]:
    """An ``MLPClassifier`` (one hidden layer of ``hidden`` units, adam, ``random_state=seed``) per activation on the
    standardised split: train and test accuracy, iterations run and whether it stopped before converging."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    x_tr, x_te, y_tr, y_te = split(dataset, test_size, seed, task)
    out = []
    for name in activations:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            m = MLPClassifier(hidden_layer_sizes=(hidden,), activation=SKLEARN[name], max_iter=max_iter,
                              random_state=seed).fit(x_tr, y_tr)
        out.append({"activation": name, "train": float(m.score(x_tr, y_tr)), "test": float(m.score(x_te, y_te)),
                    "iterations": int(m.n_iter_), "loss": float(m.loss_),
                    "converged": not any(issubclass(w.category, ConvergenceWarning) for w in caught)})
    return out


def hidden_sweep(dataset: str, sizes: list[int], max_iter: int, test_size: float, seed: int, task: str = "classes") -> dict:
    """``mlp_scores`` with ReLU at each hidden size, beside a ``LogisticRegression`` (no hidden layer)."""
    from sklearn.linear_model import LogisticRegression

    x_tr, x_te, y_tr, y_te = split(dataset, test_size, seed, task)
    lin = LogisticRegression(max_iter=MAX_ITER).fit(x_tr, y_tr)
    rows = []
    for h in sizes:
        r = mlp_scores(dataset, ["relu"], h, max_iter, test_size, seed, task)[0]
        rows.append(dict(r, hidden=h))
    return {"rows": rows, "linear": {"train": float(lin.score(x_tr, y_tr)), "test": float(lin.score(x_te, y_te))},
            "train": len(y_tr), "test": len(y_te)}


# --- the perceptron ----------------------------------------------------------------------------------

def perceptron(dataset: str, pair: tuple[str, str], epochs: int) -> dict:
    """Rosenblatt's rule on two classes in the data's own order (the second class is +1, the first −1), from zero
    weights: a sample on the wrong side (``y (w·x + b) ≤ 0``) moves the boundary, ``w += y x``, ``b += y``.
    Mistakes per epoch, the final weights and scikit-learn's ``Perceptron`` run the same way for comparison."""
    from sklearn.linear_model import Perceptron

    names = check_dataset(dataset)
    for c in pair:
        if c not in names:
            raise LexiconError(f"the {dataset} data has no class '{c}'", fix=f"name two of: {', '.join(names)}")
    data = load(dataset)
    a, b_ = names.index(pair[0]), names.index(pair[1])
    keep = np.isin(data.target, [a, b_])
    x, y = data.data[keep], np.where(data.target[keep] == b_, 1, -1)
    w, b, mistakes = np.zeros(x.shape[1]), 0.0, []
    for _ in range(epochs):
        wrong = 0
        for xi, yi in zip(x, y):
            if yi * (xi @ w + b) <= 0:
                w, b, wrong = w + yi * xi, b + yi, wrong + 1
        mistakes.append(wrong)
    ref = Perceptron(shuffle=False, max_iter=epochs, tol=None, eta0=1.0).fit(x, y)
    final = np.where(x @ w + b > 0, 1, -1)
    return {"mistakes": mistakes, "weights": w.tolist(), "bias": float(b), "samples": int(len(y)),
            "errors_after": int((final != y).sum()), "separable": linearly_separable(x, y),
            "sklearn": {"weights": ref.coef_[0].tolist(), "bias": float(ref.intercept_[0]),
                        "errors_after": int((ref.predict(x) != y).sum())}}


def linearly_separable(x: np.ndarray, y: np.ndarray) -> bool:
    """Whether some straight boundary puts every sample on its own side: the linear program ``y (w·x + b) ≥ 1`` has a
    solution (scipy's ``linprog``, zero objective: a feasibility test, exact up to the solver's tolerance)."""
    from scipy.optimize import linprog

    a = -y[:, None] * np.column_stack([x, np.ones(len(y))])
    res = linprog(np.zeros(a.shape[1]), A_ub=a, b_ub=-np.ones(len(y)), bounds=[(None, None)] * a.shape[1],
                  method="highs")
    return bool(res.status == 0)


# --- a small network and backpropagation --------------------------------------------------------------

def init_net(n_in: int, hidden: int, n_out: int, seed: int) -> dict:
    """Weights drawn from a seeded normal with Glorot's scale, biases small and non-zero (so their gradient is tested)."""
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(0, np.sqrt(2 / (n_in + hidden)), (n_in, hidden)), "b1": rng.normal(0, 0.1, hidden),
            "W2": rng.normal(0, np.sqrt(2 / (hidden + n_out)), (hidden, n_out)), "b2": rng.normal(0, 0.1, n_out)}


def net_loss(p: dict, x: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy of ``softmax(tanh(x W1 + b1) W2 + b2)``."""
    return float(cross_entropy(softmax(np.tanh(x @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]), y).mean())


def backprop(p: dict, x: np.ndarray, y: np.ndarray) -> dict:
    """The gradient of ``net_loss`` by the chain rule, from the loss back to the first layer."""
    n = len(y)
    h = np.tanh(x @ p["W1"] + p["b1"])
    d_out = softmax(h @ p["W2"] + p["b2"])
    d_out[np.arange(n), y] -= 1                     # ∂loss/∂logits of softmax + cross-entropy, per example
    d_out /= n
    d_h = (d_out @ p["W2"].T) * (1 - h ** 2)         # back through W2, then through tanh
    return {"W1": x.T @ d_h, "b1": d_h.sum(0), "W2": h.T @ d_out, "b2": d_out.sum(0)}


def numerical_gradient(p: dict, x: np.ndarray, y: np.ndarray, eps: float) -> dict:
    """Central differences, ``(L(θ + ε) − L(θ − ε)) / 2ε``, one parameter at a time."""
    out = {}
    for k, v in p.items():
        g = np.zeros_like(v)
        for i in np.ndindex(v.shape):
            old = v[i]
            v[i] = old + eps
            up = net_loss(p, x, y)
            v[i] = old - eps
            down = net_loss(p, x, y)
            v[i] = old
            g[i] = (up - down) / (2 * eps)
        out[k] = g
    return out


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``‖a − b‖ / (‖a‖ + ‖b‖)``: near 1e−8 when two gradients agree to rounding, near 1 when they do not."""
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


def gradient_check(dataset: str, hidden: int, batch: int, eps: float, rate: float, steps: int, seed: int) -> dict:
    """The network on the first ``batch`` standardised training examples: per parameter block its shape, the
    backpropagated gradient's norm and its relative error against the numerical one; the loss before and after
    ``steps`` steps of gradient descent at ``rate`` using the backpropagated gradient."""
    names = check_dataset(dataset)
    x_tr, _, y_tr, _ = split(dataset, 0.25, seed)
    x, y = x_tr[:batch], y_tr[:batch]
    p = init_net(x.shape[1], hidden, len(names), seed)
    analytic, numeric = backprop(p, x, y), numerical_gradient(p, x, y, eps)
    blocks = [{"name": k, "shape": list(p[k].shape), "size": int(p[k].size), "norm": float(np.linalg.norm(analytic[k])),
               "error": relative_error(analytic[k], numeric[k])} for k in p]
    losses = [net_loss(p, x, y)]
    for _ in range(steps):
        g = backprop(p, x, y)
        p = {k: p[k] - rate * g[k] for k in p}
        losses.append(net_loss(p, x, y))
    return {"blocks": blocks, "losses": losses, "batch": int(len(y)), "features": int(x.shape[1]),
            "classes": len(names)}


# --- a deep stack: gradients layer by layer -----------------------------------------------------------

INITS = {"small": "N(0, 0.01²)", "xavier": "Xavier/Glorot: N(0, 2 / (fan-in + fan-out))", "he": "He: N(0, 2 / fan-in)",
         "xavier4": "Xavier × 4 (for a sigmoid): N(0, 16 · 2 / (fan-in + fan-out))"}


def init_scale(init: str, fan_in: int, fan_out: int) -> float:
    """The standard deviation of a layer's weights; ``xavier4`` is Xavier's times four, which makes up for the sigmoid's
    slope of a quarter at 0 (Xavier's rule assumes a unit slope there)."""
    xavier = np.sqrt(2 / (fan_in + fan_out))
    return {"small": 0.01, "xavier": xavier, "he": np.sqrt(2 / fan_in), "xavier4": 4 * xavier}[init]


def deep_gradients(dataset: str, act: str, init: str, depth: int, width: int, batch: int, seed: int,
                   weight_seed: int | None = None) -> dict:
    """A stack of ``depth`` hidden layers of ``width`` units (``act`` after each; zero biases), then a softmax layer,
    on the first ``batch`` standardised training examples of the split of ``seed``, its weights drawn with
    ``weight_seed`` (default ``seed``). Per hidden layer, layer 1 nearest the input: the standard deviation of its
    outputs, the norm of the loss's gradient with respect to its weights (``grad``), the norm of the gradient passed
    back to its pre-activations δ = ∂L/∂z (``delta``), and the mean derivative of its activation (``slope``)."""
    names = check_dataset(dataset)
    x_tr, _, y_tr, _ = split(dataset, 0.25, seed)
    x, y = x_tr[:batch], y_tr[:batch]
    rng = np.random.default_rng(seed if weight_seed is None else weight_seed)
    sizes = [x.shape[1]] + [width] * depth + [len(names)]
    ws = [rng.normal(0, init_scale(init, a, b), (a, b)) for a, b in zip(sizes, sizes[1:])]
    hs, zs = [x], []
    for w in ws[:-1]:
        zs.append(hs[-1] @ w)
        hs.append(activation(act, zs[-1]))
    probs = softmax(hs[-1] @ ws[-1])
    loss = float(cross_entropy(probs, y).mean())
    d = probs.copy()
    d[np.arange(len(y)), y] -= 1
    d /= len(y)
    norms = [0.0] * len(ws)
    deltas = [0.0] * (len(ws) - 1)
    norms[-1] = float(np.linalg.norm(hs[-1].T @ d))
    d = d @ ws[-1].T
    for i in range(len(ws) - 2, -1, -1):
        d = d * activation(act, zs[i], derivative=True)
        deltas[i] = float(np.linalg.norm(d))
        norms[i] = float(np.linalg.norm(hs[i].T @ d))
        d = d @ ws[i].T
    return {"std": [float(h.std()) for h in hs[1:]], "grad": norms[:-1], "delta": deltas, "output_grad": norms[-1],
            "slope": [float(activation(act, z, derivative=True).mean()) for z in zs], "loss": loss,
            "batch": int(len(y)), "input_std": float(x.std())}


def over_seeds(dataset: str, act: str, init: str, depth: int, width: int, batch: int, seed: int, seeds: int) -> dict:
    """``deep_gradients`` with the weights drawn from ``seeds`` seeds (``seed`` … ``seed + seeds − 1``) on the same
    split: every run's per-layer lists, key by key, as lists of runs."""
    runs = [deep_gradients(dataset, act, init, depth, width, batch, seed, seed + k) for k in range(seeds)]
    return {key: [r[key] for r in runs] for key in ("std", "grad", "delta", "slope")}


def sci(x: float) -> str:
    """A number that may be tiny as the tables write it: ``2.2e−16``; exactly zero is ``0``; from 0.01 up, four decimals."""
    if abs(x) >= 0.01:
        return f"{x:.4f}".replace("-", "−")
    return "0" if x == 0 else f"{x:.1e}".replace("e-0", "e-").replace("-", "−")


def prob(p: float) -> str:
    """A probability as the tables write it: four decimals, but one too close to 0 or 1 for four decimals to tell it
    apart keeps its size (``2.5e−5``, ``1 − 1.8e−6``), so a positive probability never reads as 0.0000 or 1.0000."""
    if 0 < p < 1e-4:
        return sci(p)
    if 0 < 1 - p < 1e-4:
        return "1 − " + sci(1 - p)
    return f"{p:.4f}"


def row_of(rows: list[int], text) -> int:
    """A test example named in a value's argument, checked against the block's ``rows``."""
    t = str(text).strip()
    if not t.isdigit() or int(t) not in rows:
        raise LexiconError(f"'{text}' is not one of the block's rows", fix="name one of: " + ", ".join(map(str, rows)))
    return int(t)
