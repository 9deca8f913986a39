"""Small, deterministic learners for the content heads (NumPy only): logistic and softmax
regression with L2, trained full-batch with Adam from zero weights, so a run is reproducible."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F = npt.NDArray[np.float64]


LR, BETA1, BETA2, EPS = 0.05, 0.9, 0.999, 1e-8


class _Adam:
    """Adam's moment estimates for one parameter array, updated in place by ``step``."""

    def __init__(self, param: npt.NDArray[np.floating]) -> None:
        self.m = np.zeros_like(param)
        self.v = np.zeros_like(param)

    def step(self, param: npt.NDArray[np.floating], grad: npt.NDArray[np.floating], t: int) -> None:
        self.m = BETA1 * self.m + (1 - BETA1) * grad
        self.v = BETA2 * self.v + (1 - BETA2) * grad * grad
        param -= LR * (self.m / (1 - BETA1**t)) / (np.sqrt(self.v / (1 - BETA2**t)) + EPS)


def fit_logistic(
    x: npt.NDArray[np.floating], y: npt.NDArray[np.floating], l2: float, iters: int = 600
) -> tuple[F, float]:
    """Weights and bias minimising mean log loss + l2/2 |w|^2 (classes weighted to balance)."""
    xx = np.asarray(x, dtype=np.float64)
    yy = np.asarray(y, dtype=np.float64)
    n, d = xx.shape
    pos = max(yy.sum(), 1.0)
    neg = max(n - yy.sum(), 1.0)
    weight = np.where(yy > 0.5, n / (2 * pos), n / (2 * neg))
    w = np.zeros(d)
    b = np.zeros(1)
    adam_w, adam_b = _Adam(w), _Adam(b)
    for t in range(1, iters + 1):
        p = 1.0 / (1.0 + np.exp(-(xx @ w + b[0])))
        g = weight * (p - yy) / n
        adam_w.step(w, xx.T @ g + l2 * w, t)
        adam_b.step(b, np.array([g.sum()]), t)
    return w, float(b[0])


def fit_logistic_many(
    x: npt.NDArray[np.floating], y: npt.NDArray[np.floating], l2: float, iters: int = 600
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """:func:`fit_logistic` for every column of ``y`` at once, in single precision: (d, C)
    weights and (C,) biases. The columns are independent problems; solving them together reads
    ``x`` once per step instead of once per column (the training's cost is reading ``x``)."""
    xx = np.ascontiguousarray(x, dtype=np.float32)
    yy = np.asarray(y, dtype=np.float32)
    n, d = xx.shape
    pos = np.maximum(yy.sum(axis=0), 1.0)
    neg = np.maximum(n - yy.sum(axis=0), 1.0)
    weight = np.where(yy > 0.5, n / (2 * pos), n / (2 * neg)).astype(np.float32)
    w = np.zeros((d, yy.shape[1]), dtype=np.float32)
    b = np.zeros(yy.shape[1], dtype=np.float32)
    adam_w, adam_b = _Adam(w), _Adam(b)
    for t in range(1, iters + 1):
        p = 1.0 / (1.0 + np.exp(-(xx @ w + b)))
        g = weight * (p - yy) / n
        adam_w.step(w, xx.T @ g + np.float32(l2) * w, t)
        adam_b.step(b, g.sum(axis=0), t)
    return w, b


def fit_softmax(
    x: npt.NDArray[np.floating],
    y: npt.NDArray[np.integer],
    classes: int,
    l2: float,
    iters: int = 600,
) -> tuple[F, F]:
    """(classes, d) weights and (classes,) biases for multinomial logistic regression."""
    xx = np.asarray(x, dtype=np.float64)
    n, d = xx.shape
    onehot = np.zeros((n, classes))
    onehot[np.arange(n), y] = 1.0
    w = np.zeros((classes, d))
    b = np.zeros(classes)
    adam_w, adam_b = _Adam(w), _Adam(b)
    for t in range(1, iters + 1):
        z = xx @ w.T + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) / n
        adam_w.step(w, g.T @ xx + l2 * w, t)
        adam_b.step(b, g.sum(axis=0), t)
    return w, b


def best_threshold(
    p: npt.NDArray[np.floating], y: npt.NDArray[np.floating], beta: float = 1.0
) -> float:
    """The threshold that maximises F-beta on (p, y) (beta < 1 favours precision); ties go to
    the higher threshold."""
    best_t, best_f = 0.5, -1.0
    for t in np.arange(0.10, 0.951, 0.025):
        pred = p >= t
        tp = float((pred & (y > 0.5)).sum())
        fp = float((pred & (y < 0.5)).sum())
        fn = float((~pred & (y > 0.5)).sum())
        b2 = beta * beta
        f = (1 + b2) * tp / max((1 + b2) * tp + b2 * fn + fp, 1.0)
        if f >= best_f:
            best_t, best_f = float(t), f
    return best_t
