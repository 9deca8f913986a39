"""Where a teleprompter is at a moment of the take (Qt-free): the script's words timed at the
target pace, as a written script is timed for its estimated length
(``voicemail_coach.analysis.transcript.words_from_text``), so the text scrolls at the pace the
draft was fitted to and ends when the target length is reached."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from voicemail_coach.analysis.transcript import words_from_text


@dataclass(frozen=True)
class Cue:
    """One word of the script: where it is in the text and when it should be said."""

    text: str
    first_char: int
    last_char: int  # one past its last character
    start_s: float
    end_s: float
    part: int  # the index of the part (sentence group) it belongs to


class TeleprompterTiming:
    """The script's parts (joined with a space) timed at ``wpm``."""

    def __init__(self, parts: Sequence[str], wpm: float) -> None:
        self.parts = [" ".join(p.split()) for p in parts if p.split()]
        self.text = " ".join(self.parts)
        self.wpm = wpm
        timed = words_from_text(self.text, wpm)
        cues: list[Cue] = []
        at = 0
        part_ends = []
        end = -1
        for p in self.parts:
            end += len(p) + 1
            part_ends.append(end)
        for word in timed:
            first = self.text.index(word.text, at)
            at = first + len(word.text)
            part = bisect.bisect_left(part_ends, first)
            cues.append(Cue(word.text, first, at, word.start_s, word.end_s, part))
        self.cues = tuple(cues)
        self._starts = [c.start_s for c in cues]

    @property
    def duration_s(self) -> float:
        return self.cues[-1].end_s if self.cues else 0.0

    def index_at(self, t_s: float) -> int:
        """The word to be said at ``t_s`` seconds into the take (-1 before the first)."""
        return bisect.bisect_right(self._starts, t_s) - 1

    def part_at(self, t_s: float) -> int:
        i = self.index_at(t_s)
        return self.cues[i].part if i >= 0 else 0

    def char_at(self, t_s: float) -> int:
        """The position in the text reached at ``t_s``, moving steadily through each word."""
        i = self.index_at(t_s)
        if i < 0:
            return 0
        cue = self.cues[i]
        if t_s >= cue.end_s or cue.end_s <= cue.start_s:
            return cue.last_char
        share = (t_s - cue.start_s) / (cue.end_s - cue.start_s)
        return cue.first_char + round(share * (cue.last_char - cue.first_char))

    def words_per_minute_between(self, t0_s: float, t1_s: float) -> float:
        """Words started in [t0, t1) per minute: the pace the guide asks for there."""
        if t1_s <= t0_s:
            return 0.0
        n = bisect.bisect_left(self._starts, t1_s) - bisect.bisect_left(self._starts, t0_s)
        return n * 60.0 / (t1_s - t0_s)
