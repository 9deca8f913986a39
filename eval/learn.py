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


class Sparse:
    """A sparse (n, v) matrix as (row, column, value) triples, for the TF-IDF grams: a sentence
    holds a few dozen of the thousands of grams, so products go over those alone (the dense
    product cost 5x the whole training)."""

    def __init__(
        self,
        rows: npt.NDArray[np.integer],
        cols: npt.NDArray[np.integer],
        vals: npt.NDArray[np.floating],
        shape: tuple[int, int],
    ) -> None:
        self.rows = np.asarray(rows, dtype=np.int64)
        self.cols = np.asarray(cols, dtype=np.int64)
        self.vals = np.asarray(vals, dtype=np.float64)
        self.shape = shape

    @classmethod
    def from_dense(cls, x: npt.NDArray[np.floating]) -> Sparse:
        rows, cols = np.nonzero(x)
        return cls(rows, cols, x[rows, cols], (x.shape[0], x.shape[1]))

    def take(self, idx: npt.NDArray[np.integer]) -> Sparse:
        """The rows ``idx`` (in that order)."""
        where = np.full(self.shape[0], -1, dtype=np.int64)
        where[np.asarray(idx)] = np.arange(len(idx))
        keep = where[self.rows] >= 0
        new_rows = where[self.rows[keep]]
        order = np.argsort(new_rows, kind="stable")
        return Sparse(
            new_rows[order],
            self.cols[keep][order],
            self.vals[keep][order],
            (len(idx), self.shape[1]),
        )

    def dot(self, w: npt.NDArray[np.floating]) -> npt.NDArray[np.float32]:
        """self @ w for (v, C) ``w``."""
        part = self.vals[:, None] * w[self.cols]
        out = [np.bincount(self.rows, part[:, c], self.shape[0]) for c in range(w.shape[1])]
        return np.stack(out, axis=1).astype(np.float32)

    def tdot(self, g: npt.NDArray[np.floating]) -> npt.NDArray[np.float32]:
        """self.T @ g for (n, C) ``g``."""
        part = self.vals[:, None] * g[self.rows]
        out = [np.bincount(self.cols, part[:, c], self.shape[1]) for c in range(g.shape[1])]
        return np.stack(out, axis=1).astype(np.float32)


def fit_logistic_many(
    x: npt.NDArray[np.floating],
    y: npt.NDArray[np.floating],
    l2: float | npt.NDArray[np.floating],
    iters: int = 600,
    sparse: Sparse | None = None,
    pos_weight: float | npt.NDArray[np.floating] = 1.0,
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """:func:`fit_logistic` for every column of ``y`` at once, in single precision: (d, C)
    weights and (C,) biases. The columns are independent problems; solving them together reads
    ``x`` once per step instead of once per column (the training's cost is reading ``x``).
    ``sparse`` adds columns after ``x``'s (their weights follow ``x``'s in the result); ``l2``
    and ``pos_weight`` (how much more a positive counts than class balance gives it) may differ
    by column."""
    xx = np.ascontiguousarray(x, dtype=np.float32)
    yy = np.asarray(y, dtype=np.float32)
    n, d = xx.shape
    cols = yy.shape[1]
    pos = np.maximum(yy.sum(axis=0), 1.0)
    neg = np.maximum(n - yy.sum(axis=0), 1.0)
    weight = np.where(yy > 0.5, n / (2 * pos) * pos_weight, n / (2 * neg)).astype(np.float32)
    lam = (np.zeros(cols) + np.asarray(l2)).astype(np.float32)
    w = np.zeros((d, cols), dtype=np.float32)
    b = np.zeros(cols, dtype=np.float32)
    ws = np.zeros((sparse.shape[1] if sparse else 0, cols), dtype=np.float32)
    adam_w, adam_b, adam_s = _Adam(w), _Adam(b), _Adam(ws)
    for t in range(1, iters + 1):
        z = xx @ w + b
        if sparse is not None:
            z += sparse.dot(ws)
        p = 1.0 / (1.0 + np.exp(-z))
        g = weight * (p - yy) / n
        adam_w.step(w, xx.T @ g + lam * w, t)
        adam_b.step(b, g.sum(axis=0), t)
        if sparse is not None:
            adam_s.step(ws, sparse.tdot(g) + lam * ws, t)
    return np.concatenate([w, ws]), b


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
