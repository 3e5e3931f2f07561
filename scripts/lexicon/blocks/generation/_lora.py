"""LoRA trained in numpy on a real task: a frozen multinomial logistic regression on scikit-learn's bundled digits,
adapted to the same digits mirrored (or rotated) with a rank-r update B·A (B starts at zero, A random, as in
Hu et al. 2022) or with a full update of the same weight matrix. The bias stays frozen in both.

The gradient of the mean cross-entropy with respect to the weight matrix W (classes × features) is
G = (P − Y)ᵀ X / n; with W = W₀ + B·A, the chain rule gives ∂/∂B = G Aᵀ and ∂/∂A = Bᵀ G. A test checks them
against finite differences. The optimiser is Adam (full batch, fixed steps), written out below."""

from __future__ import annotations

import re

import numpy as np

# The claim grammar the clustering kinds use (``accuracy(4) > accuracy(2)``, ``full > 0.9``), restated here because
# a kind never imports another family's modules.
TERM = re.compile(r"^\s*(?:([a-z_]+)\s*(?:\(\s*([a-z0-9_]+)\s*\))?|(-?[0-9]*\.?[0-9]+))\s*$")
CLAIM = re.compile(r"^(.+?)\s*([<>=])\s*(.+)$")
WORDS = {"<": "is less than", ">": "is greater than", "=": "is"}
SHIFTS = {"mirror": "each 8 × 8 image flipped left to right", "rotate": "each 8 × 8 image turned a quarter turn"}


def shifted(x: np.ndarray, shift: str) -> np.ndarray:
    """The digits' 64 pixels, each image mirrored or rotated (the same real images, moved)."""
    img = x.reshape(-1, 8, 8)
    return (img[:, :, ::-1] if shift == "mirror" else np.rot90(img, k=1, axes=(1, 2))).reshape(len(x), 64)


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def loss_and_grad(w: np.ndarray, b: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(x Wᵀ + b) and its gradient with respect to W."""
    p = softmax(x @ w.T + b)
    n = len(y)
    loss = float(-np.log(p[np.arange(n), y] + 1e-300).mean())
    p[np.arange(n), y] -= 1
    return loss, p.T @ x / n


def lora_grads(w0, bias, b_mat, a_mat, x, y):
    """Loss and the gradients with respect to B and A of W = W₀ + B·A."""
    loss, g = loss_and_grad(w0 + b_mat @ a_mat, bias, x, y)
    return loss, g @ a_mat.T, b_mat.T @ g


class Adam:
    """Adam (Kingma and Ba's update, defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8) on a list of arrays, in place."""

    def __init__(self, params: list, lr: float):
        self.params, self.lr, self.t = params, lr, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads: list) -> None:
        self.t += 1
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            p -= self.lr * (m / (1 - 0.9 ** self.t)) / (np.sqrt(v / (1 - 0.999 ** self.t)) + 1e-8)


def accuracy(w, b, x, y) -> float:
    return float(((x @ w.T + b).argmax(axis=1) == y).mean())


def adapt(w0, bias, x, y, rank: int | None, steps: int, lr: float, seed: int) -> np.ndarray:
    """The adapted weight matrix: W₀ + B·A trained (rank r), or W₀ + ΔW trained in full (``rank=None``)."""
    if rank is None:
        delta = np.zeros_like(w0)
        opt = Adam([delta], lr)
        for _ in range(steps):
            opt.step([loss_and_grad(w0 + delta, bias, x, y)[1]])
        return w0 + delta
    rng = np.random.default_rng(seed)
    b_mat = np.zeros((w0.shape[0], rank))
    a_mat = rng.normal(0.0, 1.0 / np.sqrt(rank), size=(rank, w0.shape[1]))
    opt = Adam([b_mat, a_mat], lr)
    for _ in range(steps):
        _, gb, ga = lora_grads(w0, bias, b_mat, a_mat, x, y)
        opt.step([gb, ga])
    return w0 + b_mat @ a_mat


def frozen_model(x: np.ndarray, y: np.ndarray):
    """The pretrained model: scikit-learn's LogisticRegression (multinomial, lbfgs) on the unshifted images."""
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(max_iter=5000).fit(x, y)
    return m.coef_.astype(np.float64), m.intercept_.astype(np.float64)
