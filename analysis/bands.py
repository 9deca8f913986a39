"""A measured figure and the profile's zones that judged it (:class:`Band`): nested ranges, the
zone a value falls in, the mark it gives, and the zones in words."""

from __future__ import annotations

from dataclasses import dataclass

ZONE_STATUS = {"ideal": "pass", "fine": "pass", "warn": "warn", "fail": "fail"}


ZONE_ORDER = ("ideal", "fine", "warn", "fail")


def _inside(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


@dataclass(frozen=True)
class Band:
    """One figure a check measured and the profile's zones that judged it.

    Zones are closed ranges, ``None`` meaning no limit on that side, and nest: ideal inside fine
    inside warn. A value in the ideal zone passes; in the fine zone (acceptable, not ideal) it
    passes too; outside fine but inside warn it warns; outside warn (or not found: ``value``
    None) it fails. A check with no warn limit on a side never fails on that side. ``value`` is
    the figure as shown (rounded the way the page shows it), so what is shown is what was judged.
    """

    measure: str
    value: float | None
    unit: str
    ideal_min: float | None = None
    ideal_max: float | None = None
    fine_min: float | None = None
    fine_max: float | None = None
    warn_min: float | None = None
    warn_max: float | None = None

    def zone(self) -> str:
        """``ideal``, ``fine``, ``warn`` or ``fail``: the innermost zone holding the value."""
        v = self.value
        if v is None:
            return "fail"
        if _inside(v, self.ideal_min, self.ideal_max):
            return "ideal"
        if _inside(v, self.fine_min, self.fine_max):
            return "fine"
        if _inside(v, self.warn_min, self.warn_max):
            return "warn"
        return "fail"

    def status(self) -> str:
        return ZONE_STATUS[self.zone()]

    def describe(self, fails: bool = True) -> str:
        """The zones in words: "ideal 20-30 s, fine 8-30 s, over 45 s fails" (``fails``: with
        the limits beyond which it fails)."""
        ideal = (self.ideal_min, self.ideal_max)
        fine = (self.fine_min, self.fine_max)
        parts = [f"ideal {self._range(*ideal)}"]
        if fine != ideal:
            parts.append(f"fine {self._range(*fine)}")
        if not fails:
            return ", ".join(parts)
        if self.warn_max is not None:
            over = self._over(self.warn_max)
            parts.append(f"{over} fail" if over.endswith("more") else f"{over} fails")
        if self.warn_min is not None:
            parts.append(f"under {self._num(self.warn_min)} fails")
        return ", ".join(parts)

    def _num(self, x: float, unit: bool = True) -> str:
        text = f"{x:g}"
        return f"{text} {self.unit}" if unit and self.unit else text

    def _over(self, x: float) -> str:
        if not self.unit and x == int(x):
            return f"{int(x) + 1} or more" if x > 0 else "any"
        return f"over {self._num(x)}"

    def _range(self, low: float | None, high: float | None) -> str:
        if low is not None and high is not None:
            if low == high:
                return self._num(low) if low or self.unit else "none"
            return f"{self._num(low, unit=False)}-{self._num(high)}"
        if high is not None:
            if not self.unit and high <= 0:
                return "none"
            return f"up to {self._num(high)}"
        if low is not None:
            return f"at least {self._num(low)}"
        return "any"
