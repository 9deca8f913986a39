"""Small, deterministic learners for the content heads (NumPy only): logistic and softmax
regression with L2, trained full-batch with Adam from zero weights, so a run is reproducible."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F = npt.NDArray[np.float64]


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
    b = 0.0
    m_w = np.zeros(d)
    v_w = np.zeros(d)
    m_b = v_b = 0.0
    lr, beta1, beta2, eps = 0.05, 0.9, 0.999, 1e-8
    for t in range(1, iters + 1):
        p = 1.0 / (1.0 + np.exp(-(xx @ w + b)))
        g = weight * (p - yy) / n
        gw = xx.T @ g + l2 * w
        gb = float(g.sum())
        m_w = beta1 * m_w + (1 - beta1) * gw
        v_w = beta2 * v_w + (1 - beta2) * gw * gw
        m_b = beta1 * m_b + (1 - beta1) * gb
        v_b = beta2 * v_b + (1 - beta2) * gb * gb
        w -= lr * (m_w / (1 - beta1**t)) / (np.sqrt(v_w / (1 - beta2**t)) + eps)
        b -= lr * (m_b / (1 - beta1**t)) / (np.sqrt(v_b / (1 - beta2**t)) + eps)
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
    m_w = np.zeros_like(w)
    v_w = np.zeros_like(w)
    m_b = np.zeros_like(b)
    v_b = np.zeros_like(b)
    lr, beta1, beta2, eps = 0.05, 0.9, 0.999, 1e-8
    for t in range(1, iters + 1):
        z = xx @ w.T + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) / n
        gw = g.T @ xx + l2 * w
        gb = g.sum(axis=0)
        m_w = beta1 * m_w + (1 - beta1) * gw
        v_w = beta2 * v_w + (1 - beta2) * gw * gw
        m_b = beta1 * m_b + (1 - beta1) * gb
        v_b = beta2 * v_b + (1 - beta2) * gb * gb
        w -= lr * (m_w / (1 - beta1**t)) / (np.sqrt(v_w / (1 - beta2**t)) + eps)
        b -= lr * (m_b / (1 - beta1**t)) / (np.sqrt(v_b / (1 - beta2**t)) + eps)
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
