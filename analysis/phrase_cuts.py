"""Where a take being recorded may be cut between phrases, from the audio's energy alone: the
pauses (``audio.levels``' speech frames) that close a long enough stretch of speech, earlier
pauses to cut at instead, and whether the rep has finished speaking. Used by
:mod:`voicemail_coach.analysis.incremental`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from voicemail_coach.audio.levels import FRAME_S, analyze_levels

FloatArray = npt.NDArray[np.float32]
SAMPLE_RATE = 16_000
# A pause at least this long (by energy) ends a phrase. Pauses inside a sentence are shorter.
MIN_PAUSE_S = 0.3
# Less speech than this before a pause is left for later: Whisper encodes 30 s windows whatever
# the length, so very short jobs cost nearly as much as long ones and see little context.
MIN_PHRASE_S = 4.0
# One job reads at most this much audio (a Whisper window is 30 s); with no pause in it, the
# job waits and the audio is transcribed after Stop.
MAX_JOB_S = 28.0
# Energy this long at the very end means the rep was still speaking at Stop.
END_PAUSE_S = 0.3


def voiced_frames(samples: FloatArray, sample_rate: int = SAMPLE_RATE) -> npt.NDArray[np.bool_]:
    """Which 20 ms frames hold speech, by the same adaptive threshold as the pause analysis."""
    return analyze_levels(samples, sample_rate).speech_frames


def find_cut(
    samples: FloatArray,
    done_s: float,
    sample_rate: int = SAMPLE_RATE,
    min_pause_s: float = MIN_PAUSE_S,
    min_phrase_s: float = MIN_PHRASE_S,
    max_job_s: float = MAX_JOB_S,
) -> float | None:
    """Where the latest finished phrase after ``done_s`` ends: the middle of the latest pause of
    at least ``min_pause_s`` that follows at least ``min_phrase_s`` of speech since ``done_s``
    (a pause still going on at the end counts once it is long enough). None when there is none.
    """
    if len(samples) < sample_rate:
        return None
    voiced = voiced_frames(samples, sample_rate)
    first = round(done_s / FRAME_S)
    last = min(len(voiced), first + int(max_job_s / FRAME_S))
    span = voiced[first:last]
    need_pause = round(min_pause_s / FRAME_S)
    need_speech = round(min_phrase_s / FRAME_S)
    best: float | None = None
    run = 0
    speech = 0
    for i, v in enumerate(span):
        if v:
            if run >= need_pause and speech >= need_speech:
                best = (first + i - run / 2) * FRAME_S
            run = 0
            speech += 1
        else:
            run += 1
    at_end = first + len(span) == len(voiced)
    if at_end and run >= need_pause and speech >= need_speech:
        best = (first + len(span) - run / 2) * FRAME_S
    return None if best is None else round(best, 2)


def pauses_between(
    samples: FloatArray,
    from_s: float,
    until_s: float,
    sample_rate: int = SAMPLE_RATE,
    min_pause_s: float = MIN_PAUSE_S,
) -> list[float]:
    """The middles of the pauses of at least ``min_pause_s`` (followed by speech) whose middle
    lies between ``from_s`` and ``until_s``: places to cut earlier."""
    voiced = voiced_frames(samples[: round(until_s * sample_rate)], sample_rate)
    need = round(min_pause_s / FRAME_S)
    found = []
    run = 0
    for i in range(round(from_s / FRAME_S), len(voiced)):
        if not voiced[i]:
            run += 1
            continue
        middle = (i - run / 2) * FRAME_S
        if run >= need and from_s <= middle <= until_s:
            found.append(round(middle, 2))
        run = 0
    return found


def pause_after(
    samples: FloatArray,
    from_s: float,
    until_s: float,
    sample_rate: int = SAMPLE_RATE,
    min_pause_s: float = MIN_PAUSE_S,
) -> float | None:
    """The middle of the first pause of at least ``min_pause_s`` whose middle lies between
    ``from_s`` and ``until_s``; None when there is none."""
    found = pauses_between(samples, from_s, until_s, sample_rate, min_pause_s)
    return found[0] if found else None


def ends_in_pause(samples: FloatArray, sample_rate: int = SAMPLE_RATE) -> bool:
    """Whether the last ``END_PAUSE_S`` of the audio is quiet: the rep had finished speaking."""
    if len(samples) < sample_rate:
        return False
    voiced = voiced_frames(samples, sample_rate)
    last = round(END_PAUSE_S / FRAME_S)
    return bool(voiced.any() and not voiced[-last:].any())
