"""Recording quality: background noise measured in the pauses, and telephone-band audio."""

from __future__ import annotations

import numpy as np

from voicemail_coach.analysis.acoustics import Acoustics
from voicemail_coach.analysis.profile import Quality
from voicemail_coach.audio.levels import FLOOR_DB, FRAME_S

FFT_SIZE = 512
MAX_SPECTRUM_FRAMES = 300
SPEECH_BAND_HZ = (300.0, 3400.0)
HIGH_BAND_HZ = (4200.0, 7000.0)


def pause_noise_dbfs(acoustics: Acoustics, cfg: Quality) -> float | None:
    """Energy-average level inside the pauses (their edges trimmed).

    Without a pause long enough, the quietest tenth of the frames stands in (a recording that
    is all noise has no pauses); None for clips under a second.
    """
    db = acoustics.levels.frame_db
    edge = round(cfg.pause_edge_s / FRAME_S)
    picked = []
    for span in acoustics.levels.silences:
        a = round(span.start_s / FRAME_S) + edge
        b = round(span.end_s / FRAME_S) - edge
        if b > a:
            picked.append(db[a:b])
    if not picked:
        if acoustics.duration_s < 1.0:
            return None
        return acoustics.levels.noise_floor_dbfs
    frames = np.concatenate(picked)
    power = float(np.mean(np.power(10.0, frames / 10.0)))
    return max(FLOOR_DB, 10.0 * float(np.log10(max(power, 1e-12))))


def snr_db(speech_dbfs: float, noise_dbfs: float | None, cfg: Quality) -> float | None:
    if noise_dbfs is None or speech_dbfs <= FLOOR_DB:
        return None
    return round(min(cfg.max_snr_db, speech_dbfs - noise_dbfs), 1)


def is_telephone_band(acoustics: Acoustics, cfg: Quality) -> bool | None:
    """True when speech has next to nothing above ~4 kHz: an 8 kHz file or a phone line."""
    rate = acoustics.sample_rate
    if rate < 2 * HIGH_BAND_HZ[1]:
        return True
    speech = np.flatnonzero(acoustics.levels.speech_frames)
    if len(speech) == 0:
        return None
    step = max(1, len(speech) // MAX_SPECTRUM_FRAMES)
    frame = round(FRAME_S * rate)
    starts = speech[::step] * frame
    starts = starts[starts + FFT_SIZE <= len(acoustics.samples)]
    if len(starts) == 0:
        return None
    blocks = np.stack([acoustics.samples[s : s + FFT_SIZE] for s in starts]).astype(np.float64)
    spectrum = np.mean(np.abs(np.fft.rfft(blocks * np.hanning(FFT_SIZE), axis=1)) ** 2, axis=0)
    freqs = np.fft.rfftfreq(FFT_SIZE, 1.0 / rate)

    def band(lo: float, hi: float) -> float:
        return float(np.sum(spectrum[(freqs >= lo) & (freqs < hi)])) + 1e-20

    drop = 10.0 * np.log10(band(*SPEECH_BAND_HZ) / band(*HIGH_BAND_HZ))
    return bool(drop >= cfg.telephone_band_drop_db)
