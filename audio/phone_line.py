"""A take as the prospect will hear it: through a phone line and a voicemail system.

The chain, in the order a call takes it:

1. the telephone band: a zero-phase filter in the frequency domain keeps ``low_hz``-``high_hz``
   (raised-cosine edges ``edge_hz`` wide outside it; nothing passes beyond them),
2. 8 kHz: every second sample of the band-limited 16 kHz take (nothing is left above 4 kHz to
   fold back),
3. G.711 mu-law, the digital phone line: encoded to 8-bit codes and decoded again (numpy, the
   segments of ITU-T G.711 with its truncating decision levels; the decoding is bit-exact with
   FFmpeg's ``pcm_mulaw``, whose encoder rounds to the nearest level instead: a code differs by
   at most one step),
4. the voicemail system's level: active speech (20 ms frames within ``gate_db`` of the loudest)
   brought to ``level_dbfs`` RMS, the gain limited to ``max_gain_db``, then a soft limit keeps
   peaks under ``peak_dbfs``,
5. the voicemail system's storage codec: the first of ``codecs`` the installed FFmpeg (PyAV) can
   encode *and* decode (AMR-NB 12.2 kbit/s in the shipped profile), aligned back to the input's
   time by cross-correlation so word times match the take, then the telephone band again (the
   message is played back to the prospect over the phone); none available: mu-law only, and
   the rendering says so.

Deterministic: the same samples give the same rendering. No Qt; the numbers come from the
caller (the profile's ``[phone_line]`` table).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
LINE_RATE_HZ = 8_000
INPUT_RATE_HZ = 16_000
FRAME_S = 0.02
# Samples at each end padded with silence so the frequency-domain filter does not wrap around.
PAD_S = 0.25
# The storage codec's delay is searched up to this many samples at 8 kHz (50 ms).
MAX_CODEC_DELAY = 400

log = logging.getLogger(__name__)

# Encoder name -> (decoder name, what the rendering calls it).
KNOWN_CODECS = {
    "libopencore_amrnb": ("amrnb", "AMR-NB"),
    "amr_nb": ("amrnb", "AMR-NB"),
    "g723_1": ("g723_1", "G.723.1"),
    "libgsm": ("libgsm", "GSM 06.10"),
    "gsm": ("gsm", "GSM 06.10"),
}


@dataclass(frozen=True)
class LineSettings:
    """How the line and the voicemail system treat the audio (the profile's ``[phone_line]``)."""

    low_hz: float = 300.0
    high_hz: float = 3400.0
    edge_hz: float = 100.0
    level_dbfs: float = -20.0
    peak_dbfs: float = -1.0
    max_gain_db: float = 20.0
    gate_db: float = 40.0
    codecs: tuple[str, ...] = ("libopencore_amrnb", "g723_1")
    codec_bitrate_bps: int = 12_200


@dataclass(frozen=True)
class LineAudio:
    """The rendering: 8 kHz mono float32, and what was done to it."""

    samples: FloatArray
    sample_rate: int
    codec: str | None  # the storage codec used ("AMR-NB 12.2 kbit/s"), None: mu-law only
    chain: tuple[str, ...]  # every step, in order, in words
    gain_db: float  # the level step's gain
    codec_note: str = ""  # why no storage codec was used, when none was

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate

    def at_rate(self, rate_hz: int = INPUT_RATE_HZ) -> FloatArray:
        """The rendering at ``rate_hz`` (16 kHz for Whisper and the player)."""
        return resample(self.samples, self.sample_rate, rate_hz)


def available_codecs(wanted: Sequence[str] | None = None) -> list[str]:
    """Of ``wanted`` (every known storage codec when None), those the installed FFmpeg can
    both encode and decode, in order."""
    import av

    out = []
    for name in wanted if wanted is not None else tuple(KNOWN_CODECS):
        if name not in KNOWN_CODECS:
            continue
        try:
            av.codec.Codec(name, "w")
            av.codec.Codec(KNOWN_CODECS[name][0], "r")
        except Exception:  # PyAV raises its own kinds for an unknown codec
            continue
        out.append(name)
    return out


def render(
    samples: FloatArray, sample_rate: int = INPUT_RATE_HZ, settings: LineSettings | None = None
) -> LineAudio:
    """``samples`` (mono float, 16 kHz: what ``audio.io.load_audio`` gives) through the line."""
    s = settings or LineSettings()
    x = np.asarray(samples, dtype=np.float64)
    if sample_rate != INPUT_RATE_HZ:
        x = resample(x.astype(np.float32), sample_rate, INPUT_RATE_HZ).astype(np.float64)
    band = band_limit(x, INPUT_RATE_HZ, s.low_hz, s.high_hz, s.edge_hz)
    line = band[::2]  # 8 kHz: the band stops at high_hz + edge_hz < 4 kHz, nothing folds back
    chain = [f"telephone band {s.low_hz:g}-{s.high_hz:g} Hz", "8 kHz", "G.711 mu-law"]
    line = mulaw_decode(mulaw_encode(line))
    line, gain_db = normalise_level(line, s)
    chain.append(f"level {s.level_dbfs:g} dBFS RMS of speech, peaks under {s.peak_dbfs:g} dBFS")
    codec, note = None, ""
    usable = available_codecs(s.codecs)
    if usable:
        name = usable[0]
        try:
            line = codec_round_trip(line, name, s.codec_bitrate_bps)
            codec = _codec_label(name, s.codec_bitrate_bps)
            # Played back to the prospect over the phone: the band again (the codec's noise
            # reaches up to 4 kHz).
            line = band_limit(line, LINE_RATE_HZ, s.low_hz, s.high_hz, s.edge_hz)
            chain += [codec, "telephone band again (played back over the phone)"]
        except Exception as exc:  # a codec that fails leaves mu-law alone
            log.warning("storage codec %s failed: %s", name, exc)
            note = f"{name} failed ({exc.__class__.__name__}); mu-law only"
    else:
        note = f"no storage codec available ({', '.join(s.codecs)}); mu-law only"
    return LineAudio(
        np.clip(line, -1.0, 1.0).astype(np.float32),
        LINE_RATE_HZ,
        codec,
        tuple(chain),
        round(gain_db, 1),
        note,
    )


def _codec_label(name: str, bitrate_bps: int) -> str:
    label = KNOWN_CODECS[name][1]
    if name == "g723_1":
        return f"{label} 6.3 kbit/s"
    return f"{label} {bitrate_bps / 1000:g} kbit/s"


def band_limit(
    x: npt.NDArray[np.float64], rate_hz: int, low_hz: float, high_hz: float, edge_hz: float
) -> npt.NDArray[np.float64]:
    """Keep ``low_hz``-``high_hz``: a zero-phase gain in the frequency domain, 1 inside, a
    raised cosine over ``edge_hz`` outside each limit, 0 beyond."""
    pad = int(PAD_S * rate_hz)
    padded = np.concatenate([np.zeros(pad), x, np.zeros(pad)])
    n = len(padded)
    spectrum = np.fft.rfft(padded)
    f = np.fft.rfftfreq(n, 1.0 / rate_hz)
    gain = np.zeros_like(f)
    gain[(f >= low_hz) & (f <= high_hz)] = 1.0
    lo = (f >= low_hz - edge_hz) & (f < low_hz)
    gain[lo] = 0.5 - 0.5 * np.cos(np.pi * (f[lo] - (low_hz - edge_hz)) / edge_hz)
    hi = (f > high_hz) & (f <= high_hz + edge_hz)
    gain[hi] = 0.5 + 0.5 * np.cos(np.pi * (f[hi] - high_hz) / edge_hz)
    out: npt.NDArray[np.float64] = np.fft.irfft(spectrum * gain, n)[pad : pad + len(x)]
    return out


def resample(x: FloatArray, from_hz: int, to_hz: int) -> FloatArray:
    """Band-limited resampling in the frequency domain (whole signal; fine for a voicemail)."""
    if from_hz == to_hz:
        return np.asarray(x, dtype=np.float32)
    n_out = round(len(x) * to_hz / from_hz)
    spectrum = np.fft.rfft(np.asarray(x, dtype=np.float64))
    keep = min(len(spectrum), n_out // 2 + 1)
    out = np.fft.irfft(spectrum[:keep], n_out) * (n_out / max(1, len(x)))
    return out.astype(np.float32)


# ITU-T G.711 mu-law: a 14-bit magnitude plus bias, 8 segments of 16 steps each.
_BIAS = 0x84
_CLIP = 32635


def mulaw_encode(x: npt.NDArray[np.floating]) -> npt.NDArray[np.uint8]:
    """Float samples in [-1, 1] to G.711 mu-law bytes (16-bit PCM in, as the standard's tables)."""
    pcm = np.clip(np.round(np.asarray(x, dtype=np.float64) * 32768.0), -32768, 32767)
    pcm = pcm.astype(np.int32)
    sign = (pcm < 0).astype(np.int32)
    mag = np.minimum(np.abs(pcm), _CLIP) + _BIAS
    exponent = np.clip(np.floor(np.log2(mag)).astype(np.int32) - 7, 0, 7)
    mantissa = (mag >> (exponent + 3)) & 0x0F
    code = ~((sign << 7) | (exponent << 4) | mantissa) & 0xFF
    out: npt.NDArray[np.uint8] = code.astype(np.uint8)
    return out


def mulaw_decode(code: npt.NDArray[np.uint8]) -> npt.NDArray[np.float64]:
    """G.711 mu-law bytes to float samples in [-1, 1]."""
    b = ~code.astype(np.int32) & 0xFF
    exponent = (b >> 4) & 0x07
    mantissa = b & 0x0F
    mag = (((mantissa << 3) + _BIAS) << exponent) - _BIAS
    pcm = np.where(b & 0x80, -mag, mag)
    out: npt.NDArray[np.float64] = pcm.astype(np.float64) / 32768.0
    return out


def normalise_level(
    x: npt.NDArray[np.float64], s: LineSettings
) -> tuple[npt.NDArray[np.float64], float]:
    """Active speech to ``level_dbfs`` RMS (gain capped at ``max_gain_db``), then a soft limit:
    a sample over the knee (6 dB under ``peak_dbfs``) is bent smoothly towards ``peak_dbfs``."""
    frame = int(FRAME_S * LINE_RATE_HZ)
    n = len(x) // frame
    if n == 0:
        return x, 0.0
    frames = x[: n * frame].reshape(n, frame)
    level = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    active = level >= max(float(level.max()) - s.gate_db, -70.0)
    rms_db = 10 * np.log10(np.mean(frames[active] ** 2) + 1e-12)
    gain_db = min(s.level_dbfs - rms_db, s.max_gain_db)
    y = x * 10 ** (gain_db / 20)
    peak = 10 ** (s.peak_dbfs / 20)
    knee = peak / 2
    over = np.abs(y) > knee
    room = peak - knee
    y[over] = np.sign(y[over]) * (knee + room * np.tanh((np.abs(y[over]) - knee) / room))
    return y, float(gain_db)


def codec_round_trip(
    x: npt.NDArray[np.float64], name: str, bitrate_bps: int
) -> npt.NDArray[np.float64]:
    """Encode ``x`` (8 kHz) with the FFmpeg encoder ``name`` and decode it again, aligned to
    ``x`` (the codec's delay removed) and as long as ``x``."""
    import av
    from av.audio.codeccontext import AudioCodecContext

    enc = cast(AudioCodecContext, av.CodecContext.create(name, "w"))
    enc.sample_rate = LINE_RATE_HZ
    enc.layout = "mono"
    enc.format = "s16"
    if name != "g723_1":
        enc.bit_rate = bitrate_bps
    else:
        enc.bit_rate = 6300
    enc.open()
    size = enc.frame_size or 160
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767).astype(np.int16)
    pcm = np.concatenate([pcm, np.zeros(size * 2 + (-len(pcm)) % size, dtype=np.int16)])
    dec = cast(AudioCodecContext, av.CodecContext.create(KNOWN_CODECS[name][0], "r"))
    dec.sample_rate = LINE_RATE_HZ
    dec.layout = "mono"
    out: list[npt.NDArray[np.float64]] = []

    def take(packets: Sequence[Any]) -> None:
        for packet in packets:
            for frame in dec.decode(packet):
                arr = frame.to_ndarray().reshape(-1)
                scale = 32768.0 if arr.dtype == np.int16 else 1.0
                out.append(arr.astype(np.float64) / scale)

    for i in range(0, len(pcm), size):
        frame = av.AudioFrame.from_ndarray(pcm[None, i : i + size], format="s16", layout="mono")
        frame.sample_rate = LINE_RATE_HZ
        frame.pts = i
        take(enc.encode(frame))
    take(enc.encode(None))
    y = np.concatenate(out) if out else np.zeros(0)
    delay = _delay(x, y)
    y = y[delay : delay + len(x)]
    return np.concatenate([y, np.zeros(len(x) - len(y))]) if len(y) < len(x) else y


def _delay(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> int:
    """Samples ``y`` lags ``x`` by (0 to MAX_CODEC_DELAY), by cross-correlation."""
    n = min(len(x), len(y))
    if n < 2 * MAX_CODEC_DELAY:
        return 0
    size = 1 << int(np.ceil(np.log2(n + MAX_CODEC_DELAY)))
    xc = np.fft.irfft(np.fft.rfft(y[:n], size) * np.conj(np.fft.rfft(x[:n], size)), size)
    return int(np.argmax(xc[: MAX_CODEC_DELAY + 1]))
