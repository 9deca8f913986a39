"""Progress while the analysis after Stop waits for a decode it cannot measure: an estimate from
the take's own pace that slows towards its share and never reaches it, "the computer is busy"
once the wait is far longer than estimated, and a progress that never goes back. Used by
:mod:`voicemail_coach.analysis.incremental`.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable, Iterator

# Says what the analysis after Stop is doing, for the one waiting ("Transcribing the last 6 s").
StatusFn = Callable[[str], None]
# A wait this many times the estimate (plus half a second) is the computer's being busy.
BUSY_FACTOR = 2.0
TICK_S = 0.1


class Estimate:
    """Progress while waiting for a decode: the share of its estimated time spent, mapped to
    ``low``-``high`` of the analysis (it slows down towards ``high`` and never reaches it), and
    "the computer is busy" once it takes far longer than estimated."""

    def __init__(
        self,
        advance: Callable[[float], None],
        say: StatusFn,
        text: str,
        expected_s: float,
        low: float,
        high: float,
        t0: float | None = None,
    ) -> None:
        self.advance, self.say, self.text = advance, say, text
        self.expected_s = max(expected_s, 0.05)
        self.low, self.high = low, high
        self.t0 = time.monotonic() if t0 is None else t0
        self.busy = False

    def update(self) -> None:
        spent = time.monotonic() - self.t0
        share = 1.0 - math.exp(-spent / self.expected_s)
        self.advance(self.low + (self.high - self.low) * share)
        if not self.busy and spent > BUSY_FACTOR * self.expected_s + 0.5:
            self.busy = True
            self.say(f"{self.text}; the computer is busy")


@contextlib.contextmanager
def ticking(estimate: Estimate) -> Iterator[None]:
    """Update ``estimate`` every TICK_S on a helper thread while the body runs."""
    done = threading.Event()

    def tick() -> None:
        while not done.wait(TICK_S):
            estimate.update()

    helper = threading.Thread(target=tick, name="progress estimate", daemon=True)
    helper.start()
    try:
        yield
    finally:
        done.set()
        helper.join()


def forward_only(progress: Callable[[float], None] | None) -> Callable[[float], None]:
    """``progress`` that never goes back (a whole-file pass after a wait starts at 0 again)."""
    best = [0.0]

    def report(fraction: float) -> None:
        if progress is not None and fraction >= best[0]:
            best[0] = fraction
            progress(fraction)

    return report
