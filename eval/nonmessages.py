"""Is it a voicemail message at all? Make a set of non-messages and measure the detector.

The set is generated (numpy, sox, espeak-ng), nothing is committed: noise of three colours,
tones (a steady tone, DTMF digits, beeps, a dial and a busy tone), music-like audio (chords,
a rhythm), automated greeting prompts read by espeak-ng voices, German, French and Spanish
speech, silence with a cough or a click, and a two-word take. Each file's expected reason is in
its name's class (``KINDS``). The run then analyzes every non-message and every message the
project has (tests/data/audio, the eval set from ``eval.make_set``, the real recordings) and
prints what the detector said of each, with the figures it decided on.

    PYTHONPATH=. .venv/bin/python -m eval.nonmessages [--make] [--real ../shared/real-audio]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import numpy.typing as npt
import soundfile as sf

from eval import make_set

if TYPE_CHECKING:
    from analysis.report import Screening

HERE = Path(__file__).resolve().parent
OUT = make_set.OUT / "nonmessages"
PROJECT_AUDIO = HERE.parent / "tests" / "data" / "audio"
RATE = 16_000
Samples = npt.NDArray[np.float64]

# What the project's test recordings are: messages, or which kind of non-message.
PROJECT_LABELS = {"silence.flac": "silence", "noise.flac": "noise"}
# The real recordings (``../shared/real-audio``): every one is English speech, so a message,
# except the phone system's own prompt.
REAL_LABELS = {"greeting_prompt.wav": "greeting"}

GREETINGS = (
    "The person you are calling is not available. Please leave your message after the tone.",
    "You have reached the voicemail box of 5 5 5, 3 1 2, 4 4 7 7. The subscriber is not "
    "available. At the tone, please record your message. When you are finished, hang up or "
    "press pound for more options.",
    "Your call has been forwarded to an automated voice messaging system. The number you have "
    "dialed is not available. Please leave a message after the beep.",
    "The mailbox belonging to Dana Smith is full and cannot accept new messages. Goodbye.",
    "Hello. You have reached the office of Northwind Finance. Our office is currently closed. "
    "Please leave your name, number and a brief message after the tone, and we will return "
    "your call as soon as possible.",
)
FOREIGN = {
    "de": "Guten Tag, hier spricht Thomas Müller von der Firma Nordwind. Ich rufe an wegen "
    "unseres Angebots für Ihre Buchhaltung. Bitte rufen Sie mich zurück, wenn Sie Zeit haben. "
    "Vielen Dank und einen schönen Tag noch.",
    "fr": "Bonjour, ici Claire Dubois de la société Vent du Nord. Je vous appelle au sujet de "
    "notre offre pour votre comptabilité. Rappelez-moi quand vous aurez un moment. Merci "
    "beaucoup et bonne journée.",
    "es": "Hola, le habla Carlos García de la empresa Viento Norte. Le llamo por nuestra oferta "
    "para su contabilidad. Por favor, devuélvame la llamada cuando pueda. Muchas gracias y que "
    "tenga un buen día.",
}


def sox(args: Sequence[str], seconds: float, tmp: Path) -> Samples:
    wav = tmp / "sox.wav"
    subprocess.run(
        ["sox", "-R", "-D", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(wav),
         "synth", f"{seconds:.3f}", *args],
        check=True, capture_output=True,
    )  # fmt: skip
    data, _ = sf.read(wav, dtype="float64")
    return np.asarray(data)


def espeak(text: str, voice: str, speed: int, tmp: Path) -> Samples:
    wav = tmp / "speech.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav), text],
        check=True,
        capture_output=True,
    )
    data, rate = sf.read(wav, dtype="float64")
    x = make_set.trim(np.asarray(data))
    n = round(len(x) * RATE / rate)
    return np.interp(np.linspace(0, len(x) - 1, n), np.arange(len(x)), x)


def at_dbfs(x: Samples, dbfs: float) -> Samples:
    return x * (10 ** (dbfs / 20) / max(make_set.rms(x), 1e-12))


def _t(seconds: float) -> Samples:
    return np.arange(round(seconds * RATE)) / RATE


def tone(freqs: Sequence[float], seconds: float, level: float = 0.2) -> Samples:
    t = _t(seconds)
    x = sum(np.sin(2 * np.pi * f * t) for f in freqs) / len(freqs)
    ramp = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.01)
    return level * x * ramp


def gap(seconds: float) -> Samples:
    return np.zeros(round(seconds * RATE))


def room(x: Samples, tmp: Path, dbfs: float = -65.0) -> Samples:
    """A faint room noise under everything, as any microphone has."""
    return x + at_dbfs(sox(["pinknoise"], len(x) / RATE + 0.01, tmp)[: len(x)], dbfs)


def dtmf(digits: str) -> Samples:
    rows, cols = (697, 770, 852, 941), (1209, 1336, 1477)
    keys = "123456789*0#"
    parts = []
    for d in digits:
        i = keys.index(d)
        parts += [tone((rows[i // 3], cols[i % 3]), 0.15), gap(0.1)]
    return np.concatenate(parts)


def cough(tmp: Path) -> Samples:
    noise = sox(["brownnoise"], 0.35, tmp)
    t = _t(len(noise) / RATE)
    env = np.exp(-t / 0.08) * np.minimum(1.0, t / 0.01)
    return at_dbfs(noise * env, -18.0)


def chords(seconds: float) -> Samples:
    roots = (220.0, 174.6, 261.6, 196.0)  # A, F, C, G
    parts = []
    for i in range(int(seconds / 1.0)):
        r = roots[i % len(roots)]
        notes = [r, r * 1.26, r * 1.5, r * 2]
        chord = sum(tone((n, 2 * n, 3 * n), 1.0, 0.1 / (k + 1)) for k, n in enumerate(notes))
        parts.append(chord * np.exp(-_t(1.0) / 0.6))
    return np.concatenate(parts)


def rhythm(seconds: float, tmp: Path) -> Samples:
    beat = 0.25
    n = round(beat * RATE)
    t = _t(beat)
    kick = np.sin(2 * np.pi * 60 * t) * np.exp(-t / 0.05) * 0.5
    hat = sox(["whitenoise"], beat, tmp)[:n] * np.exp(-t / 0.01) * 0.2
    bass = [110.0, 110.0, 146.8, 130.8]
    parts = []
    for i in range(int(seconds / beat)):
        x = hat.copy()
        if i % 4 == 0:
            x += kick
        x += tone((bass[(i // 4) % 4],), beat, 0.15)
        parts.append(x)
    return np.concatenate(parts)


def spoken(text: str, voice: str, before_s: float, after_s: float, tmp: Path) -> Samples:
    return room(np.concatenate([gap(before_s), espeak(text, voice, 155, tmp), gap(after_s)]), tmp)


def greeting(text: str, voice: str, tmp: Path) -> Samples:
    """A prompt, then the beep it announces."""
    beep = np.concatenate([tone((1000.0,), 0.6), gap(1.0)])
    return np.concatenate([spoken(text, voice, 0.5, 0.5, tmp), room(beep, tmp)])


def foreign(text: str, lang: str, tmp: Path) -> Samples:
    return spoken(text, lang, 0.5, 0.5, tmp)


GREETING_VOICES = ("en-us", "en-gb", "en-us+f3", "en-gb-x-rp", "en-us+m3")
Maker = Callable[[Path], Samples]

# file stem -> (expected reason, how to make it)
KINDS: dict[str, tuple[str, Maker]] = {
    "silence_5s": ("silence", lambda tmp: room(gap(5.0), tmp)),
    "silence_cough": (
        "silence",
        lambda tmp: room(np.concatenate([gap(2.0), cough(tmp), gap(3.0)]), tmp),
    ),
    "silence_click": (
        "silence",
        lambda tmp: room(np.concatenate([gap(2.5), 0.5 * np.hanning(40), gap(3.0)]), tmp),
    ),
    "noise_white": ("noise", lambda tmp: at_dbfs(sox(["whitenoise"], 30.0, tmp), -30.0)),
    "noise_white_loud": ("noise", lambda tmp: at_dbfs(sox(["whitenoise"], 10.0, tmp), -15.0)),
    "noise_pink": ("noise", lambda tmp: at_dbfs(sox(["pinknoise"], 10.0, tmp), -30.0)),
    "noise_brown": ("noise", lambda tmp: at_dbfs(sox(["brownnoise"], 10.0, tmp), -25.0)),
    "tone_440": ("tones_or_music", lambda tmp: room(tone((440.0,), 6.0), tmp)),
    "tone_dtmf": ("tones_or_music", lambda tmp: room(np.tile(dtmf("5553124477#"), 2), tmp)),
    "tone_beeps": (
        "tones_or_music",
        lambda tmp: room(np.tile(np.concatenate([tone((1000.0,), 0.5), gap(0.7)]), 6), tmp),
    ),
    "tone_dial": ("tones_or_music", lambda tmp: room(tone((350.0, 440.0), 5.0), tmp)),
    "tone_busy": (
        "tones_or_music",
        lambda tmp: room(np.tile(np.concatenate([tone((480.0, 620.0), 0.5), gap(0.5)]), 6), tmp),
    ),
    "music_chords": ("tones_or_music", lambda tmp: room(chords(12.0), tmp)),
    "music_rhythm": ("tones_or_music", lambda tmp: room(rhythm(10.0, tmp), tmp)),
    **{
        f"greeting_{i + 1}_{voice.replace('-', '')}": ("greeting", partial(greeting, text, voice))
        for i, (text, voice) in enumerate(zip(GREETINGS, GREETING_VOICES, strict=True))
    },
    **{
        f"foreign_{lang}": ("other_language", partial(foreign, text, lang))
        for lang, text in FOREIGN.items()
    },
    "two_words": ("few_words", partial(spoken, "Call me.", "en-us", 1.0, 3.0)),
}


def make(out: Path = OUT) -> list[Path]:
    make_set.need_tools()
    out.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for stem, (_reason, maker) in KINDS.items():
            path = out / f"{stem}.flac"
            sf.write(path, np.clip(maker(tmp), -1.0, 1.0).astype(np.float32), RATE)
            made.append(path)
    return made


def cases(out: Path, real: Path | None) -> list[tuple[Path, str]]:
    """(file, expected): ``"message"`` or a reason from ``analysis.no_message.REASONS``."""
    found = [(out / f"{stem}.flac", reason) for stem, (reason, _m) in KINDS.items()]
    found += [
        (p, PROJECT_LABELS.get(p.name, "message")) for p in sorted(PROJECT_AUDIO.glob("*.flac"))
    ]
    found += [(p, "message") for p in sorted(make_set.OUT.glob("*.flac"))]
    found += [(p, "message") for p in sorted(make_set.OUT.glob("*.wav"))]
    if real is not None:
        found += [
            (p, REAL_LABELS.get(p.name, "message"))
            for p in sorted(real.iterdir())
            if p.suffix in (".wav", ".mp3", ".flac")
        ]
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the no-message detector.")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--make", action="store_true", help="generate the non-messages first")
    parser.add_argument("--real", type=Path, default=None, help="folder of real recordings")
    parser.add_argument("--write", type=Path, default=None, help="write the table as Markdown")
    args = parser.parse_args(argv)
    if args.make:
        make(args.out)
    from analysis.pipeline import analyze_file
    from analysis.profile import load_profile
    from analysis.transcribe import Transcriber
    from audio.io import AudioLoadError

    profile = load_profile()
    transcriber = Transcriber()
    rows = []
    for path, expected in cases(args.out, args.real):
        try:
            report = analyze_file(path, transcriber, profile)
        except AudioLoadError as exc:  # a silent file is refused before analysis
            said, figures, text = "refused", str(exc).split(": ", 1)[-1], ""
        else:
            said = report.no_message_kind or "message"
            figures, text = _figures(report.screening), report.transcript.text
        right = said == expected or (expected != "message" and said != "message")
        rows.append(Row(path.name, expected, said, right, figures, text))
        print(
            f"{'ok ' if right else 'BAD'} {path.name:34} {expected:14} -> {said:14} {figures}",
            flush=True,
        )
    print("\n" + summary(rows))
    if args.write is not None:
        args.write.write_text(summary(rows) + "\n\n" + markdown(rows) + "\n", encoding="utf-8")
        print(f"wrote {args.write}")
    return 0 if all(r.right for r in rows) else 1


class Row(NamedTuple):
    file: str
    expected: str
    said: str
    right: bool
    figures: str
    text: str


def _figures(s: Screening | None) -> str:
    if s is None:
        return ""
    p = "--" if s.median_word_probability is None else f"{s.median_word_probability:.2f}"
    return (
        f"words {s.heard_words}, p {p}, sound {s.sound_s:.1f} s, voiced {s.voiced_share:.2f}, "
        f"greeting {s.greeting_phrases}/{s.greeting_word_share:.2f}"
    )


def summary(rows: Sequence[Row]) -> str:
    msgs = [r for r in rows if r.expected == "message"]
    non = [r for r in rows if r.expected != "message"]
    refused = [r for r in non if r.said != "message"]
    exact = [r for r in non if r.said in (r.expected, "refused")]
    wrong = [r for r in msgs if r.said != "message"]
    return (
        f"non-messages refused: {len(refused)}/{len(non)} (with the expected reason: "
        f"{len(exact)}); messages called non-messages: {len(wrong)}/{len(msgs)}"
    )


def markdown(rows: Sequence[Row]) -> str:
    lines = [
        "| file | truth | verdict | figures |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{r.file}` | {r.expected} | {r.said}{'' if r.right else ' **(wrong)**'} | {r.figures} |"
        for r in rows
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
