"""Build the labelled evaluation set: speech from espeak-ng, noise and phone band from sox.

Each case in ``eval/truth.toml`` is a list of parts: sentences to say, filler words, held
hesitations (phonemes, which the transcript tends to drop), silences. Parts are synthesized one by
one, their own leading and trailing silence trimmed, then joined, so the time of every part is
known to the sample. The truth (case labels plus every part's start and end) is written beside the
audio as ``<id>.json``.

    PYTHONPATH=. .venv/bin/python -m eval.make_set [--out eval/out] [--cases a,b]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import soundfile as sf

HERE = Path(__file__).resolve().parent
TRUTH = HERE / "truth.toml"
OUT = HERE / "out"
RATE = 22_050  # espeak-ng's native rate; the result is converted at the end
TRIM_LEVEL = 0.004  # about -48 dBFS
JOIN_S = 0.06  # between parts of one sentence
SENTENCE_GAP_S = 0.3  # after a part that ends a sentence
# Held hesitations as espeak-ng phonemes: a long schwa, with or without a closing hum.
HESITATIONS = {"uh": "[[@@::::]]", "um": "[[@@::::m]]"}
# Held hesitations are drawn out: real filled pauses last about half a second or more.
HESITATION_SPEED = 90

Samples = npt.NDArray[np.float64]


class SetError(Exception):
    pass


def need_tools() -> None:
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            raise SetError(f"{tool} not found (apt-get install -y espeak-ng sox)")


def load_truth(path: Path = TRUTH) -> dict[str, Any]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    ids = [c["id"] for c in data["case"]]
    if len(ids) != len(set(ids)):
        raise SetError(f"{path}: case ids must be unique")
    return data


def speak(text: str, speed: int, pitch: str | None, range_: str | None, tmp: Path) -> Samples:
    wav = tmp / "part.wav"
    cmd = ["espeak-ng", "-v", "en-us", "-s", str(speed), "-w", str(wav)]
    if pitch or range_:
        attrs = (f' pitch="{pitch}"' if pitch else "") + (f' range="{range_}"' if range_ else "")
        text = f"<speak><prosody{attrs}>{text}</prosody></speak>"
        cmd.insert(1, "-m")
    subprocess.run([*cmd, text], check=True, capture_output=True)
    data, rate = sf.read(wav, dtype="float64")
    if rate != RATE:
        raise SetError(f"espeak-ng wrote {rate} Hz, expected {RATE}")
    return trim(np.asarray(data))


def trim(x: Samples) -> Samples:
    loud = np.flatnonzero(np.abs(x) > TRIM_LEVEL)
    return x[loud[0] : loud[-1] + 1] if len(loud) else x[:0]


def sox_noise(kind: str, seconds: float, tmp: Path) -> Samples:
    wav = tmp / "noise.wav"
    subprocess.run(
        ["sox", "-R", "-D", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(wav),
         "synth", f"{seconds:.3f}", kind],
        check=True, capture_output=True,
    )  # fmt: skip
    data, _ = sf.read(wav, dtype="float64")
    return np.asarray(data)


def rms(x: Samples) -> float:
    return float(np.sqrt(np.mean(np.square(x)))) if len(x) else 0.0


def speech_rms(x: Samples) -> float:
    """RMS over 20 ms frames within 30 dB of the loudest: the speech, not the silences."""
    n = round(0.02 * RATE)
    frames = x[: len(x) // n * n].reshape(-1, n)
    levels = np.sqrt(np.mean(np.square(frames), axis=1))
    keep = levels > levels.max() * 10 ** (-30 / 20)
    return float(np.sqrt(np.mean(np.square(frames[keep]))))


def build_case(
    case: dict[str, Any], defaults: dict[str, Any], tmp: Path
) -> tuple[Samples, dict[str, Any]]:
    speed = int(case.get("speed", defaults.get("speed", 160)))
    chunks: list[Samples] = [np.zeros(round(float(case.get("lead_s", 0.3)) * RATE))]
    parts = []
    t = len(chunks[0]) / RATE
    for i, part in enumerate(case["parts"]):
        if "pause" in part:
            audio = np.zeros(round(float(part["pause"]) * RATE))
            kind, text = "pause", ""
        elif "hesitation" in part:
            audio = speak(HESITATIONS[part["hesitation"]], HESITATION_SPEED, None, None, tmp)
            kind, text = "hesitation", part["hesitation"]
        else:
            kind = "filler" if "filler" in part else "say"
            text = part.get("filler") or part["say"]
            audio = speak(
                text,
                int(part.get("speed", speed)),
                part.get("pitch", case.get("pitch")),
                part.get("range", case.get("range")),
                tmp,
            )
        start = t
        t += len(audio) / RATE
        entry = {"kind": kind, "text": text, "start_s": round(start, 3), "end_s": round(t, 3)}
        entry.update(
            {k: v for k, v in part.items() if k not in ("say", "filler", "hesitation", "pause")}
        )
        parts.append(entry)
        chunks.append(audio)
        nxt = case["parts"][i + 1] if i + 1 < len(case["parts"]) else None
        if kind != "pause" and nxt is not None and "pause" not in nxt:
            gap = SENTENCE_GAP_S if text.rstrip().endswith((".", "?", "!")) else JOIN_S
            chunks.append(np.zeros(round(gap * RATE)))
            t += gap
    chunks.append(np.zeros(round(float(case.get("tail_s", 0.3)) * RATE)))
    x = np.concatenate(chunks)
    truth: dict[str, Any] = {k: v for k, v in case.items() if k != "parts"}
    truth["parts"] = parts
    truth["duration_s"] = round(len(x) / RATE, 3)
    level = speech_rms(x)
    if "snr_db" in case:
        noise = sox_noise(case.get("noise", "whitenoise"), len(x) / RATE + 0.1, tmp)[: len(x)]
        noise *= level / max(rms(noise), 1e-12) * 10 ** (-float(case["snr_db"]) / 20)
        x = x + noise
    if "gain_db" in case:
        x = x * 10 ** (float(case["gain_db"]) / 20)
    truth["speech_dbfs"] = round(20 * np.log10(speech_rms(x)), 1)
    return x, truth


def write_case(x: Samples, truth: dict[str, Any], out: Path, tmp: Path) -> Path:
    raw = tmp / "case.wav"
    sf.write(raw, np.clip(x, -1.0, 1.0), RATE, subtype="FLOAT")
    if truth.get("telephone"):
        path = out / f"{truth['id']}.wav"
        effects = ["sinc", "300-3400", "rate", "8000"]
        fmt = ["-r", "8000", "-b", "16"]
    else:
        path = out / f"{truth['id']}.flac"
        effects = []
        fmt = ["-r", "16000", "-b", "16"]
    subprocess.run(
        ["sox", "-D", str(raw), *fmt, str(path), *effects], check=True, capture_output=True
    )
    truth["file"] = path.name
    (out / f"{truth['id']}.json").write_text(json.dumps(truth, indent=1))
    return path


def make_set(out: Path = OUT, only: Sequence[str] = (), truth_path: Path = TRUTH) -> list[Path]:
    need_tools()
    data = load_truth(truth_path)
    defaults = data.get("defaults", {})
    out.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for case in data["case"]:
            if only and case["id"] not in only:
                continue
            x, truth = build_case(case, defaults, tmp)
            made.append(write_case(x, truth, out, tmp))
    return made


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the labelled evaluation set.")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--cases", default="", help="comma-separated case ids (default: all)")
    args = parser.parse_args(argv)
    try:
        made = make_set(args.out, [c for c in args.cases.split(",") if c])
    except SetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(made)} cases to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
