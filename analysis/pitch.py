"""Pitch variety in semitones (sex-neutral), from Praat's pitch tracker via parselmouth."""

from __future__ import annotations

import ctypes
import mmap
import os
import sys
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import parselmouth

from voicemail_coach.analysis.profile import Pitch
from voicemail_coach.analysis.report import PitchWindow

FRAME_STEP_S = 0.01
MADV_DONTNEED = 4  # Linux


def drop_zero_pages(library: str) -> int:
    """Give back the pages of ``library``'s zero-initialised static storage (the anonymous
    mapping right after its file's in /proc/self/maps) that hold nothing but zeros; they read as
    zeros again when next touched. Bytes of zero pages (resident or not) handed back; 0 where
    this is not Linux.

    Praat's start-up writes about 40 MB of that storage and leaves all but 0.3 MB of it zero:
    resident for the app's whole life (bench/bench_live.py's peak memory) for nothing. Called
    once, as parselmouth is imported, before anything runs Praat code."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        with open("/proc/self/maps") as fh:
            lines = fh.read().splitlines()
        path = os.path.realpath(library)
        last = max(i for i, line in enumerate(lines) if line.endswith(path))
        fields = lines[last + 1].split() if last + 1 < len(lines) else []
        if len(fields) != 5 or fields[1] != "rw-p" or fields[4] != "0":
            return 0
        start, end = (int(v, 16) for v in fields[0].split("-"))
        madvise = ctypes.CDLL(None, use_errno=True).madvise
    except (OSError, ValueError, AttributeError):
        return 0
    page = mmap.PAGESIZE
    memory = (ctypes.c_uint8 * (end - start)).from_address(start)
    zero = ~np.frombuffer(memoryview(memory), dtype=np.uint64).reshape(-1, page // 8).any(axis=1)
    # Runs of zero pages: where the flag changes.
    edges = np.flatnonzero(np.diff(np.concatenate([[False], zero, [False]]).astype(np.int8)))
    given = 0
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        addr, size = start + int(a) * page, int(b - a) * page
        if madvise(ctypes.c_void_p(addr), ctypes.c_size_t(size), MADV_DONTNEED) == 0:
            given += size
    return given


drop_zero_pages(parselmouth.__file__)


@dataclass(frozen=True, eq=False)
class PitchTrack:
    """Fundamental frequency every 10 ms (0 where unvoiced), tracked once per analysis."""

    times_s: npt.NDArray[np.float64] = field(repr=False)
    f0_hz: npt.NDArray[np.float64] = field(repr=False)

    @property
    def voiced(self) -> npt.NDArray[np.bool_]:
        mask: npt.NDArray[np.bool_] = self.f0_hz > 0
        return mask

    @property
    def median_hz(self) -> float:
        v = self.f0_hz[self.voiced]
        return float(np.median(v)) if len(v) else 0.0

    def semitones(self) -> npt.NDArray[np.float64]:
        """Each frame in semitones from the speaker's median; unvoiced frames are NaN."""
        median = self.median_hz
        out = np.full(len(self.f0_hz), np.nan)
        if median > 0:
            v = self.voiced
            out[v] = 12.0 * np.log2(self.f0_hz[v] / median)
        return out


def track_pitch(samples: npt.NDArray[np.float32], sample_rate: int, cfg: Pitch) -> PitchTrack:
    if len(samples) < sample_rate * 0.1:
        return PitchTrack(np.zeros(0), np.zeros(0))
    sound = parselmouth.Sound(samples.astype(np.float64), sampling_frequency=sample_rate)
    track = sound.to_pitch_ac(
        time_step=FRAME_STEP_S, pitch_floor=cfg.floor_hz, pitch_ceiling=cfg.ceiling_hz
    )
    return PitchTrack(
        np.asarray(track.xs(), dtype=np.float64),
        np.asarray(track.selected_array["frequency"], dtype=np.float64),
    )


@dataclass(frozen=True)
class PitchSummary:
    """Overall variety is the median of the windows' spreads, so one lively phrase can't hide a flat message."""

    sd_semitones: float
    median_hz: float
    voiced_s: float
    windows: tuple[PitchWindow, ...]
    monotone_windows: tuple[PitchWindow, ...]
    monotone_stretches: tuple[PitchWindow, ...] = ()


def measure_pitch(track: PitchTrack, duration_s: float, cfg: Pitch) -> PitchSummary | None:
    """Pitch spread over sliding windows; None when there is too little voiced speech."""
    voiced = track.voiced
    voiced_s = float(np.count_nonzero(voiced)) * FRAME_STEP_S
    if voiced_s < cfg.min_voiced_s:
        return None
    semitones = track.semitones()
    times = track.times_s
    windows = []
    hop = cfg.window_s / 2
    start = 0.0
    while True:
        end = min(duration_s, start + cfg.window_s)
        inside = voiced & (times >= start) & (times < end)
        if np.count_nonzero(inside) * FRAME_STEP_S >= cfg.min_voiced_s:
            windows.append(
                PitchWindow(
                    round(start, 2), round(end, 2), round(float(np.std(semitones[inside])), 2)
                )
            )
        if end >= duration_s:
            break
        start += hop
    if not windows:
        windows = [
            PitchWindow(0.0, round(duration_s, 2), round(float(np.std(semitones[voiced])), 2))
        ]
    sd = float(np.median([w.sd_semitones for w in windows]))
    flat = tuple(w for w in windows if w.sd_semitones < cfg.monotone_sd_semitones)
    return PitchSummary(
        round(sd, 2),
        round(track.median_hz, 1),
        round(voiced_s, 2),
        tuple(windows),
        flat,
        monotone_stretches(flat, track),
    )


def monotone_stretches(flat: tuple[PitchWindow, ...], track: PitchTrack) -> tuple[PitchWindow, ...]:
    """Overlapping flat windows merged into stretches, each with its own spread in semitones."""
    merged: list[tuple[float, float]] = []
    for w in flat:
        if merged and w.start_s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], w.end_s))
        else:
            merged.append((w.start_s, w.end_s))
    semitones = track.semitones()
    out = []
    for start, end in merged:
        inside = track.voiced & (track.times_s >= start) & (track.times_s < end)
        sd = float(np.std(semitones[inside])) if inside.any() else 0.0
        out.append(PitchWindow(start, end, round(sd, 2)))
    return tuple(out)
