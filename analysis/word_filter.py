"""Words Whisper invents: runs it squeezes into no time at all.

With a prompt, Whisper sometimes closes with a stock phrase ("Thanks for watching. I'll see you
next week.") stacked at one instant after the last real word. Real speech never fits three words
into a few hundredths of a second, so such runs are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.transcript import Word

SQUEEZED_S = 0.03  # a word shorter than this has no sound of its own
MIN_RUN = 3  # this many squeezed words in a row are invented


def drop_squeezed_runs(words: Sequence[Word]) -> list[Word]:
    out: list[Word] = []
    run: list[Word] = []
    for w in [*words, None]:
        if w is not None and w.end_s - w.start_s < SQUEEZED_S:
            run.append(w)
            continue
        if len(run) < MIN_RUN:
            out += run
        run = []
        if w is not None:
            out.append(w)
    return out
