"""Pitch variety in semitones (sex-neutral), from Praat's pitch tracker via parselmouth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import parselmouth

from analysis.profile import Pitch
from analysis.report import PitchWindow

FRAME_STEP_S = 0.01


@dataclass(frozen=True)
class PitchSummary:
    """Overall variety is the median of the windows' spreads, so one lively phrase can't hide a flat message."""

    sd_semitones: float
    median_hz: float
    voiced_s: float
    windows: tuple[PitchWindow, ...]
    monotone_windows: tuple[PitchWindow, ...]


def measure_pitch(
    samples: npt.NDArray[np.float32], sample_rate: int, cfg: Pitch
) -> PitchSummary | None:
    """Pitch spread over sliding windows; None when there is too little voiced speech."""
    if len(samples) < sample_rate * 0.1:
        return None
    sound = parselmouth.Sound(samples.astype(np.float64), sampling_frequency=sample_rate)
    track = sound.to_pitch_ac(
        time_step=FRAME_STEP_S, pitch_floor=cfg.floor_hz, pitch_ceiling=cfg.ceiling_hz
    )
    f0 = np.asarray(track.selected_array["frequency"], dtype=np.float64)
    times = np.asarray(track.xs(), dtype=np.float64)
    voiced = f0 > 0
    voiced_s = float(np.count_nonzero(voiced)) * FRAME_STEP_S
    if voiced_s < cfg.min_voiced_s:
        return None
    median = float(np.median(f0[voiced]))
    semitones = 12.0 * np.log2(np.where(voiced, f0, median) / median)
    windows = []
    duration = len(samples) / sample_rate
    hop = cfg.window_s / 2
    start = 0.0
    while True:
        end = min(duration, start + cfg.window_s)
        inside = voiced & (times >= start) & (times < end)
        if np.count_nonzero(inside) * FRAME_STEP_S >= cfg.min_voiced_s:
            windows.append(
                PitchWindow(
                    round(start, 2), round(end, 2), round(float(np.std(semitones[inside])), 2)
                )
            )
        if end >= duration:
            break
        start += hop
    if not windows:
        windows = [PitchWindow(0.0, round(duration, 2), round(float(np.std(semitones[voiced])), 2))]
    sd = float(np.median([w.sd_semitones for w in windows]))
    flat = tuple(w for w in windows if w.sd_semitones < cfg.monotone_sd_semitones)
    return PitchSummary(round(sd, 2), round(median, 1), round(voiced_s, 2), tuple(windows), flat)
