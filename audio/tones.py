"""Where a message starts in a recording of a real call: ringing, the prospect's greeting and
the voicemail beep before it (pure NumPy, no model).

A beep is a steady sine: most of the sound of a frame in one narrow spectral peak, the peak's
frequency still for 0.15-2 s. It is found by that tonality, not at a fixed frequency (systems
beep anywhere from about 400 to 2,500 Hz). Ringback is a tone too, but low (300-650 Hz), often
two tones at once (440 + 480 Hz in North America, 400 + 450 Hz in the UK) and repeated in a
cadence. The greeting is the sound between the ringing (or the file's start) and the beep.
Only a beep followed by sound is a message's start; without one nothing is trimmed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

WINDOW = 2048  # 128 ms at 16 kHz: 7.8 Hz bins, enough to part 440 from 480 Hz
HOP_S = 0.01
BAND_HZ = (150.0, 4000.0)
PEAK_BINS = 3  # a Hann-windowed sine lies within +-3 bins of its peak
TONAL_SHARE = 0.8  # one peak holds this share of the band's power: a steady tone
BEEP_TONALITY = 0.9  # a beep's median share (voices reach 0.86 in a vowel, beeps 0.95-1.0)
DUAL_SHARE = 0.85  # two peaks hold this share: a dual tone (ringback)
DRIFT_HZ = 16.0  # a tone's peak stays this close to its run's median
MIN_RUN_S = 0.12
BEEP_S = (0.15, 2.0)
BEEP_HZ = (300.0, 3500.0)
RING_HZ = (300.0, 650.0)
RING_MIN_S = 0.6  # a single low tone this long, repeated, is ringing (425 Hz in Europe)
RING_DUAL_S = 0.3  # a dual ring tone lasts at least this (the UK's 0.4 s bursts)
RING_SPLIT_HZ = 75.0  # its two tones are this close (440 + 480, 400 + 450); voice harmonics are not
CHAIN_GAP_S = 2.5  # beeps closer than this are one beep sequence: the message follows the last
SEARCH_S = 120.0  # a greeting is over long before this
MIN_AFTER_S = 1.0  # sound needed after the beep for it to start a message
MIN_GREETING_S = 0.3
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class ToneRun:
    """A steady tone: when (seconds), its frequencies (two for a dual tone), its tonality."""

    start_s: float
    end_s: float
    freqs_hz: tuple[float, ...]
    tonality: float


@dataclass(frozen=True)
class MessageStart:
    """What precedes the message and where it starts (seconds on the file's clock).

    ``start_s`` is 0.0 when nothing is trimmed (no beep found, or not confident enough);
    ``beep``, ``greeting`` and ``ring`` are the spans found (None when absent)."""

    start_s: float
    confidence: float
    beep: tuple[float, float] | None = None
    beep_hz: float | None = None
    greeting: tuple[float, float] | None = None
    ring: tuple[float, float] | None = None

    @property
    def trimmed(self) -> bool:
        return self.start_s > 0.0


def _frames(samples: FloatArray, rate: int) -> tuple[FloatArray, FloatArray, float]:
    """Power spectra (frames x bins) limited to BAND_HZ, the bins' frequencies, the hop (s)."""
    hop = max(1, round(HOP_S * rate))
    n = WINDOW if rate >= 16_000 else WINDOW // 2
    x = samples[: int(SEARCH_S * rate)].astype(np.float32)
    if len(x) < n:
        x = np.pad(x, (0, n - len(x)))
    count = 1 + (len(x) - n) // hop
    idx = np.arange(n)[None, :] + hop * np.arange(count)[:, None]
    window = np.hanning(n).astype(np.float32)
    freqs = np.fft.rfftfreq(n, 1.0 / rate)
    keep = (freqs >= BAND_HZ[0]) & (freqs <= BAND_HZ[1])
    power = np.empty((count, int(keep.sum())), dtype=np.float32)
    for s in range(0, count, 512):  # in blocks: a 2-minute file is 12,000 frames
        block = np.abs(np.fft.rfft(x[idx[s : s + 512]] * window, axis=1)) ** 2
        power[s : s + 512] = block[:, keep]
    return power, freqs[keep].astype(np.float32), hop / rate


def _peak_share(power: FloatArray, peak: npt.NDArray[np.intp]) -> FloatArray:
    """The share of each frame's power within PEAK_BINS of ``peak``."""
    rows = np.arange(len(power))
    cum: npt.NDArray[np.float64] = np.concatenate(
        (np.zeros((len(power), 1)), np.cumsum(power, axis=1, dtype=np.float64)), axis=1
    )
    lo = np.clip(peak - PEAK_BINS, 0, power.shape[1])
    hi = np.clip(peak + PEAK_BINS + 1, 0, power.shape[1])
    share: FloatArray = ((cum[rows, hi] - cum[rows, lo]) / (cum[:, -1] + 1e-20)).astype(np.float32)
    return share


def find_tones(samples: FloatArray, rate: int) -> list[ToneRun]:
    """Every steady tone (single or dual) in the first SEARCH_S seconds, in time order."""
    power, freqs, hop_s = _frames(samples, rate)
    db = 10 * np.log10(power.sum(axis=1) + 1e-20)
    loud = db > max(float(np.max(db)) - 50.0, -70.0 + 10 * np.log10(WINDOW))
    first = np.argmax(power, axis=1)
    share1 = _peak_share(power, first)
    masked = power.copy()
    rows = np.arange(len(power))
    for d in range(-PEAK_BINS, PEAK_BINS + 1):
        masked[rows, np.clip(first + d, 0, power.shape[1] - 1)] = 0.0
    second = np.argmax(masked, axis=1)
    share2 = share1 + _peak_share(masked, second) * (
        masked.sum(axis=1) / (power.sum(axis=1) + 1e-20)
    )
    single = loud & (share1 >= TONAL_SHARE)
    dual = loud & ~single & (share2 >= DUAL_SHARE)
    runs: list[ToneRun] = []
    i = 0
    while i < len(power):
        if not (single[i] or dual[i]):
            i += 1
            continue
        j = i
        f0 = freqs[first[i]]
        while (
            j + 1 < len(power)
            and (single[j + 1] or dual[j + 1])
            and abs(freqs[first[j + 1]] - f0) <= DRIFT_HZ * 3
        ):
            j += 1
        if (j - i + 1) * hop_s >= MIN_RUN_S:
            runs.append(
                _run(samples, rate, i, j, hop_s, freqs, first, second, dual, share1, share2)
            )
        i = j + 1
    return runs


def _run(
    samples: FloatArray,
    rate: int,
    i: int,
    j: int,
    hop_s: float,
    freqs: FloatArray,
    first: npt.NDArray[np.intp],
    second: npt.NDArray[np.intp],
    dual: npt.NDArray[np.bool_],
    share1: FloatArray,
    share2: FloatArray,
) -> ToneRun:
    is_dual = bool(np.mean(dual[i : j + 1]) > 0.5)
    f1 = float(np.median(freqs[first[i : j + 1]]))
    tonality = float(np.median((share2 if is_dual else share1)[i : j + 1]))
    freqs_hz: tuple[float, ...] = (f1,)
    if is_dual:
        f2 = float(np.median(freqs[second[i : j + 1]]))
        freqs_hz = (min(f1, f2), max(f1, f2))
    # The frames' centres are half a window into them; the tone's edges, found on its envelope.
    centre = WINDOW / 2 / rate if rate >= 16_000 else WINDOW / 4 / rate
    start, end = i * hop_s + centre, j * hop_s + centre
    # Only a beep's edges need precision (and two tones beat on the envelope).
    if not is_dual and tonality >= BEEP_TONALITY and BEEP_HZ[0] <= f1 <= BEEP_HZ[1]:
        start, end = _edges(samples, rate, f1, start, end)
    return ToneRun(round(start, 3), round(end, 3), freqs_hz, round(tonality, 3))


def _edges(
    samples: FloatArray, rate: int, freq_hz: float, start_s: float, end_s: float
) -> tuple[float, float]:
    """The tone's start at half its amplitude and its end at a tenth, on the envelope at
    ``freq_hz`` (a 10 ms mean)."""
    pad = WINDOW / rate
    a = max(0, int((start_s - pad) * rate))
    b = min(len(samples), int((end_s + pad) * rate))
    seg = samples[a:b].astype(np.float64)
    t = np.arange(a, b) / rate
    base = seg * np.exp(-2j * np.pi * freq_hz * t)
    k = max(1, round(0.01 * rate))
    env = np.abs(np.convolve(base, np.ones(k) / k, mode="same"))
    mid_a = int((start_s - a / rate) * rate)
    mid_b = max(mid_a + 1, int((end_s - a / rate) * rate))
    level = float(np.median(env[mid_a:mid_b])) if mid_b > mid_a else float(env.max())
    centre = (mid_a + mid_b) // 2
    if env[centre] < level / 2:
        return start_s, end_s
    below = np.flatnonzero(env[:centre] < level / 2)
    lo = int(below[-1]) + 1 if below.size else 0
    # The end where the tone has faded to a tenth, so none of it is left in the message.
    faded = np.flatnonzero(env[centre:] < level / 10)
    hi = centre + int(faded[0]) if faded.size else len(env)
    return (a + lo) / rate, (a + hi) / rate


def _is_ring(run: ToneRun, runs: list[ToneRun]) -> bool:
    low = all(RING_HZ[0] <= f <= RING_HZ[1] for f in run.freqs_hz)
    if not low:
        return False
    if len(run.freqs_hz) == 2:
        split = run.freqs_hz[1] - run.freqs_hz[0]
        return split <= RING_SPLIT_HZ and run.end_s - run.start_s >= RING_DUAL_S
    # A single low tone: ringing when it is long and comes again at the same pitch.
    long = run.end_s - run.start_s >= RING_MIN_S
    again = sum(
        1
        for other in runs
        if other is not run
        and len(other.freqs_hz) == 1
        and abs(other.freqs_hz[0] - run.freqs_hz[0]) <= DRIFT_HZ
        and other.end_s - other.start_s >= RING_MIN_S
    )
    return long and again >= 1


def _sound_frames(samples: FloatArray, rate: int) -> tuple[npt.NDArray[np.bool_], float]:
    """Frames of 20 ms with sound (above the noise floor), and the frame length."""
    n = max(1, round(0.02 * rate))
    count = len(samples) // n
    if count == 0:
        return np.zeros(0, dtype=bool), n / rate
    rms = np.sqrt(np.mean(samples[: count * n].reshape(count, n).astype(np.float64) ** 2, axis=1))
    db = 20 * np.log10(rms + 1e-10)
    floor = float(np.percentile(db, 10))
    threshold = max(floor + 12.0, float(np.max(db)) - 45.0, -60.0)
    return db > threshold, n / rate


def _sound_s(sound: npt.NDArray[np.bool_], frame_s: float, a: float, b: float) -> float:
    return float(sound[int(a / frame_s) : max(int(a / frame_s), int(b / frame_s))].sum()) * frame_s


def find_message_start(samples: FloatArray, rate: int) -> MessageStart:
    """Where the message starts: the end of the voicemail beep (last of a close sequence), when
    sound follows it; with the ringing and the greeting before it. Nothing found: start 0.0."""
    runs = find_tones(samples, rate)
    rings = [r for r in runs if _is_ring(r, runs)]
    beeps = [
        r
        for r in runs
        if r not in rings
        and len(r.freqs_hz) == 1
        and BEEP_HZ[0] <= r.freqs_hz[0] <= BEEP_HZ[1]
        and BEEP_S[0] <= r.end_s - r.start_s <= BEEP_S[1]
        and r.tonality >= BEEP_TONALITY
    ]
    sound, frame_s = _sound_frames(samples, rate)
    duration = len(samples) / rate
    for k, beep in enumerate(beeps):
        last = beep
        for nxt in beeps[k + 1 :]:
            if nxt.start_s - last.end_s > CHAIN_GAP_S:
                break
            last = nxt
        after = _sound_s(sound, frame_s, last.end_s, duration)
        if after < MIN_AFTER_S:
            continue
        before = [r for r in rings if r.end_s <= beep.start_s]
        ring = (before[0].start_s, before[-1].end_s) if before else None
        lead_from = ring[1] if ring else 0.0
        greeting = _greeting(sound, frame_s, lead_from, beep.start_s)
        confidence = _confidence(last, greeting is not None or ring is not None)
        if confidence < MIN_CONFIDENCE:
            continue
        return MessageStart(
            round(last.end_s, 3), confidence, (beep.start_s, last.end_s),
            round(last.freqs_hz[0]), greeting, ring,
        )  # fmt: skip
    return MessageStart(0.0, 0.0)


def _greeting(
    sound: npt.NDArray[np.bool_], frame_s: float, a: float, b: float
) -> tuple[float, float] | None:
    lo, hi = int(a / frame_s), int(b / frame_s)
    idx = np.flatnonzero(sound[lo:hi])
    if idx.size * frame_s < MIN_GREETING_S:
        return None
    return round(float(lo + idx[0]) * frame_s, 2), round(float(lo + idx[-1] + 1) * frame_s, 2)


def _confidence(beep: ToneRun, lead: bool) -> float:
    """How sure the beep starts a message: its tonality, a beep's usual length, a greeting or
    ringing before it."""
    tonal = float(np.clip((beep.tonality - BEEP_TONALITY + 0.05) / 0.1, 0.0, 1.0))
    length = beep.end_s - beep.start_s
    usual = 1.0 if 0.15 <= length <= 1.5 else 0.7
    return round(tonal * usual * (1.0 if lead else 0.75), 2)
