"""Proportions and means with their 95 % intervals, the statistics the A/B lab and blind tests
read: Wilson score intervals, Newcombe's interval of a difference of proportions, the pooled
two-proportion z-test, and Welch's t interval of a difference of means. Pure, no NumPy."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Interval:
    """A proportion ``k`` of ``n`` with its 95 % Wilson score interval (None when n is 0)."""

    k: int
    n: int
    rate: float | None
    low: float | None
    high: float | None

    def text(self) -> str:
        if self.rate is None or self.low is None or self.high is None:
            return f"{self.k} of {self.n}"
        return (
            f"{self.k} of {self.n} ({percent(self.rate)}, 95 % interval "
            f"{percent(self.low, False)}-{percent(self.high)})"
        )


def wilson(k: int, n: int, z: float = Z95) -> Interval:
    """``k`` of ``n`` with its Wilson score interval; 0 of n starts at 0, n of n ends at 1."""
    if n < 0 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got {k} of {n}")
    if n == 0:
        return Interval(k, n, None, None, None)
    p = k / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return Interval(k, n, p, low, high)


def newcombe(a: Interval, b: Interval) -> tuple[float, float, float]:
    """The difference of two proportions (a - b) and its 95 % interval, Newcombe's hybrid score
    method (his method 10) from the two Wilson intervals."""
    if a.rate is None or b.rate is None:
        raise ValueError("both proportions need n > 0")
    assert a.low is not None and a.high is not None and b.low is not None and b.high is not None
    d = a.rate - b.rate
    low = d - math.sqrt((a.rate - a.low) ** 2 + (b.high - b.rate) ** 2)
    high = d + math.sqrt((a.high - a.rate) ** 2 + (b.rate - b.low) ** 2)
    return d, low, high


def two_proportion_p(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided p value of the pooled two-proportion z-test (1.0 when nothing varies)."""
    if n1 == 0 or n2 == 0:
        return 1.0
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0
    z = (k1 / n1 - k2 / n2) / se
    return math.erfc(abs(z) / math.sqrt(2))


def t_critical(df: float) -> float:
    """The two-sided 95 % quantile of Student's t (Cornish-Fisher series: within 0.004 of the
    tables from 5 degrees of freedom on, 0.001 from 8; the lab's sides hold 10 values or more,
    so Welch's degrees of freedom are 9 or more)."""
    z = Z95
    if df <= 0 or math.isinf(df):
        return z
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


def welch(a: Sequence[float], b: Sequence[float]) -> tuple[float, float, float]:
    """mean(a) - mean(b) with its 95 % Welch t interval; both need two values or more."""
    n1, n2 = len(a), len(b)
    if n1 < 2 or n2 < 2:
        raise ValueError("each side needs two values or more")
    m1, m2 = sum(a) / n1, sum(b) / n2
    v1 = sum((x - m1) ** 2 for x in a) / (n1 - 1) / n1
    v2 = sum((x - m2) ** 2 for x in b) / (n2 - 1) / n2
    se = math.sqrt(v1 + v2)
    d = m1 - m2
    if se == 0:
        return d, d, d
    df = (v1 + v2) ** 2 / ((v1**2 / (n1 - 1)) + (v2**2 / (n2 - 1)))
    half = t_critical(df) * se
    return d, d - half, d + half


def percent(value: float, sign: bool = True) -> str:
    return f"{value * 100:.0f}{' %' if sign else ''}"
