"""The acoustic measurements every delivery detector shares, computed once per analysis."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from analysis.pitch import PitchTrack, track_pitch
from analysis.profile import Profile
from audio.levels import FRAME_S, LevelAnalysis, analyze_levels, clipped_fraction


@dataclass(frozen=True, eq=False)
class Acoustics:
    """Frame levels (20 ms), the pitch track (10 ms) and the samples they came from."""

    samples: npt.NDArray[np.float32] = field(repr=False)
    sample_rate: int
    levels: LevelAnalysis
    pitch: PitchTrack
    clipped_fraction: float

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate

    def speech_at(self, times_s: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        """Whether the energy frame under each time is above the speech threshold."""
        frames = self.levels.speech_frames
        if len(frames) == 0:
            return np.zeros(len(times_s), dtype=bool)
        idx = np.clip((times_s / FRAME_S).astype(int), 0, len(frames) - 1)
        out: npt.NDArray[np.bool_] = frames[idx]
        return out


def measure_acoustics(
    samples: npt.NDArray[np.float32], sample_rate: int, profile: Profile
) -> Acoustics:
    return Acoustics(
        samples=samples,
        sample_rate=sample_rate,
        levels=analyze_levels(samples, sample_rate, profile.pauses.min_pause_s),
        pitch=track_pitch(samples, sample_rate, profile.pitch),
        clipped_fraction=clipped_fraction(samples),
    )
