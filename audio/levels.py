"""Signal levels: frame energy, speech loudness, clipping and silent stretches."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

FRAME_S = 0.02
# Full-scale samples counted as clipped (16-bit 32767/32768 after float conversion).
CLIP_LEVEL = 0.999
FLOOR_DB = -100.0


@dataclass(frozen=True)
class Span:
    """A stretch of time in seconds."""

    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


def to_dbfs(rms: float) -> float:
    """RMS of a float signal (full scale 1.0) in dBFS; a sine at full scale is -3 dBFS."""
    return FLOOR_DB if rms <= 1e-10 else max(FLOOR_DB, 20.0 * float(np.log10(rms)))


def frame_dbfs(
    samples: npt.NDArray[np.float32], sample_rate: int, frame_s: float = FRAME_S
) -> npt.NDArray[np.float64]:
    """RMS level of consecutive frames, in dBFS."""
    n = max(1, round(frame_s * sample_rate))
    count = len(samples) // n
    if count == 0:
        return np.full(
            1, to_dbfs(float(np.sqrt(np.mean(np.square(samples)))) if len(samples) else 0)
        )
    frames = samples[: count * n].astype(np.float64).reshape(count, n)
    rms = np.sqrt(np.mean(np.square(frames), axis=1))
    with np.errstate(divide="ignore"):
        db = 20.0 * np.log10(np.maximum(rms, 1e-10))
    floored: npt.NDArray[np.float64] = np.maximum(db, FLOOR_DB)
    return floored


def clipped_fraction(samples: npt.NDArray[np.float32]) -> float:
    """Share of samples at or beyond full scale."""
    if len(samples) == 0:
        return 0.0
    return float(np.count_nonzero(np.abs(samples) >= CLIP_LEVEL)) / len(samples)


@dataclass(frozen=True)
class LevelAnalysis:
    """Where the speech is, how loud it is, and how loud the background is."""

    speech_rms_dbfs: float
    noise_floor_dbfs: float
    threshold_dbfs: float
    silences: tuple[Span, ...]
    speech_start_s: float
    speech_end_s: float
    # The 20 ms frame levels the figures came from, shared so later steps need not recompute them.
    frame_db: npt.NDArray[np.float64] = field(
        default_factory=lambda: np.zeros(0), compare=False, repr=False
    )

    @property
    def speech_frames(self) -> npt.NDArray[np.bool_]:
        """Per 20 ms frame: above the speech/silence threshold."""
        mask: npt.NDArray[np.bool_] = self.frame_db > self.threshold_dbfs
        return mask

    def quiet_spans(self, min_s: float) -> tuple[Span, ...]:
        """Stretches below the threshold of at least ``min_s``, shorter than ``silences`` allows."""
        total = len(self.frame_db) * FRAME_S
        return _runs(~self.speech_frames, FRAME_S, min_s, total)


def analyze_levels(
    samples: npt.NDArray[np.float32],
    sample_rate: int,
    min_silence_s: float = 0.3,
    gap_below_speech_db: float = 30.0,
) -> LevelAnalysis:
    """Find silent stretches from energy, relative to this recording's own speech level.

    The threshold sits between the noise floor (10th percentile of frame levels) and the
    speech level (90th percentile), so it adapts to quiet phones and noisy rooms alike.
    """
    db = frame_dbfs(samples, sample_rate)
    loud = float(np.percentile(db, 90))
    floor = float(np.percentile(db, 10))
    threshold = max(floor + 0.35 * (loud - floor), loud - gap_below_speech_db, -70.0)
    voiced = db > threshold
    duration = len(samples) / sample_rate
    if not voiced.any():
        return LevelAnalysis(
            FLOOR_DB, floor, threshold, (Span(0.0, duration),), duration, duration, db
        )
    speech_frames = np.flatnonzero(voiced)
    speech_rms = np.sqrt(np.mean(np.square(10 ** (db[voiced] / 20.0))))
    silences = _runs(~voiced, FRAME_S, min_silence_s, duration)
    return LevelAnalysis(
        speech_rms_dbfs=round(to_dbfs(float(speech_rms)), 1),
        noise_floor_dbfs=round(floor, 1),
        threshold_dbfs=round(threshold, 1),
        silences=silences,
        speech_start_s=round(float(speech_frames[0]) * FRAME_S, 2),
        speech_end_s=round(min(duration, float(speech_frames[-1] + 1) * FRAME_S), 2),
        frame_db=db,
    )


def _runs(
    mask: npt.NDArray[np.bool_], frame_s: float, min_s: float, total_s: float
) -> tuple[Span, ...]:
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    spans = []
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        s, e = start * frame_s, min(total_s, end * frame_s)
        if e - s >= min_s:
            spans.append(Span(round(float(s), 2), round(float(e), 2)))
    return tuple(spans)
