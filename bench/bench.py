"""Time the analysis of one ~30 s voicemail, stage by stage, over several runs.

Usage (from the repo root)::

    PYTHONPATH=. .venv/bin/python bench/bench.py [--input FILE] [--runs N] [--compare-prompt]

Per run: a fresh ``Transcriber`` is built (model load), the file is decoded, and
``voicemail_coach.analysis.pipeline.analyze_audio`` is called with the transcriber's ``transcribe`` and the
pipeline's ``build_report`` wrapped by timers, so the arguments are exactly the ones the app
uses. "rest" is the whole ``analyze_audio`` time minus the transcription measured in the same
run (it includes ``build_report``, which is also shown on its own).

Runs are sequential on purpose: the target machine has 2 cores.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from voicemail_coach.analysis import pipeline
from voicemail_coach.analysis.meaning import get_model, load_error
from voicemail_coach.analysis.meaning import reset as reset_meaning
from voicemail_coach.analysis.phone_line import check_line
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.transcribe import Transcriber, TranscriptionResult
from voicemail_coach.audio.io import Audio, load_audio

REPO_ROOT = Path(__file__).resolve().parents[1]
REAL_INPUT = REPO_ROOT.parent / "shared" / "real-audio" / "sales_voicemail_busyline.mp3"
FALLBACK_INPUT = REPO_ROOT / "resources" / "samples" / "example_voicemail.flac"

TARGET_REST_RATIO = 0.05  # rest of the analysis <= 5% of the transcription time
# All acoustic delivery analysis (frame levels, pitch track, hesitations, intonation, pace,
# noise and phone band: voicemail_coach.analysis.delivery.analyze_delivery) <= 10% of the transcription time.
TARGET_ACOUSTIC_RATIO = 0.10
ACOUSTIC_STEPS = ("measure_acoustics", "analyze_delivery")
# The content reading (phrase rules + meaning model); the model's sentence cache is emptied
# before each run, so every run reads every sentence afresh.
CONTENT_STEPS = ("analyze_structure",)
TARGET_RTF = 0.12  # (decode + transcription + rest) / audio duration


def default_input() -> Path:
    return REAL_INPUT if REAL_INPUT.is_file() else FALLBACK_INPUT


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@dataclass
class Series:
    """Samples of one measurement across runs."""

    name: str
    unit: str = "s"
    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values)


@dataclass
class Timer:
    """Accumulates the wall time of wrapped calls."""

    total: float = 0.0
    calls: int = 0

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.total += time.perf_counter() - t0
                self.calls += 1

        return timed


@contextmanager
def timed_build_report(
    timer: Timer, delivery_timer: Timer | None = None, content_timer: Timer | None = None
) -> Iterator[None]:
    """Route ``pipeline.build_report`` through ``timer``, and the acoustic steps it calls
    (``measure_acoustics``: frame levels and pitch track; ``analyze_delivery``: the detectors)
    through ``delivery_timer``."""
    original = pipeline.build_report
    acoustic = {n: getattr(pipeline, n) for n in ACOUSTIC_STEPS}
    content = {n: getattr(pipeline, n) for n in CONTENT_STEPS}
    pipeline.build_report = timer.wrap(original)
    if delivery_timer is not None:
        for name, fn in acoustic.items():
            setattr(pipeline, name, delivery_timer.wrap(fn))
    if content_timer is not None:
        for name, fn in content.items():
            setattr(pipeline, name, content_timer.wrap(fn))
    try:
        yield
    finally:
        pipeline.build_report = original
        for name, fn in (*acoustic.items(), *content.items()):
            setattr(pipeline, name, fn)


@dataclass(frozen=True)
class RunResult:
    load_s: float
    decode_s: float
    transcribe_s: float
    transcribe_calls: int
    build_report_s: float
    acoustic_s: float
    content_s: float
    sentences: int
    rest_s: float
    duration_s: float
    words: int
    prompt_used: str | None
    line_render_s: float | None = None
    line_transcribe_s: float | None = None


def run_once(path: Path, profile: Profile, phone_line: bool = True) -> RunResult:
    t0 = time.perf_counter()
    transcriber = Transcriber()
    load_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    audio = load_audio(path)
    decode_s = time.perf_counter() - t0

    tr_timer = Timer()
    br_timer = Timer()
    ac_timer = Timer()
    ct_timer = Timer()
    model = get_model()
    if model is not None:
        model.forget()
    # An instance attribute shadows the method, so analyze_audio calls the timed version.
    transcriber.transcribe = tr_timer.wrap(transcriber.transcribe)  # type: ignore[method-assign]
    with timed_build_report(br_timer, ac_timer, ct_timer):
        t0 = time.perf_counter()
        report = pipeline.analyze_audio(audio, transcriber, profile)
        analyze_s = time.perf_counter() - t0
    transcribe_s = tr_timer.total
    line = None
    if phone_line:
        checked = check_line(report, audio.samples, audio.sample_rate, transcriber, profile)
        line = checked.phone_line

    return RunResult(
        load_s=load_s,
        decode_s=decode_s,
        transcribe_s=transcribe_s,
        transcribe_calls=tr_timer.calls - (1 if line is not None else 0),
        build_report_s=br_timer.total,
        acoustic_s=ac_timer.total,
        content_s=ct_timer.total,
        sentences=len(report.sentences),
        rest_s=analyze_s - transcribe_s,
        duration_s=audio.duration_s,
        words=len(report.transcript.words),
        prompt_used=report.model.initial_prompt if report.model else None,
        line_render_s=line.render_s if line is not None else None,
        line_transcribe_s=line.transcribe_s if line is not None else None,
    )


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1.0 else f"{value:.3f} s"
    if unit == "MB":
        return f"{value:.1f} MB"
    return f"{value:.4f}"


def print_table(title: str, rows: Sequence[Series]) -> None:
    header = ("", "median", "min", "max")
    body = [
        (s.name, fmt(s.median, s.unit), fmt(min(s.values), s.unit), fmt(max(s.values), s.unit))
        for s in rows
    ]
    w0 = max(len(header[0]), *(len(r[0]) for r in body))
    widths = [max(len(header[i]), *(len(r[i]) for r in body)) for i in (1, 2, 3)]
    print(title)
    line = f"  {header[0]:<{w0}}  " + "  ".join(
        f"{h:>{w}}" for h, w in zip(header[1:], widths, strict=True)
    )
    print(line)
    print("  " + "-" * (len(line) - 2))
    for r in body:
        cells = "  ".join(f"{c:>{w}}" for c, w in zip(r[1:], widths, strict=True))
        print(f"  {r[0]:<{w0}}  {cells}")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def bench(path: Path, runs: int, phone_line: bool = True) -> None:
    profile = load_profile()
    # Import faster_whisper (and ctranslate2) once outside the timers: "model load" is the load.
    t0 = time.perf_counter()
    import faster_whisper  # noqa: F401

    import_s = time.perf_counter() - t0
    reset_meaning()
    t0 = time.perf_counter()
    model = get_model()
    meaning_load_s = time.perf_counter() - t0
    if model is None:
        print(f"meaning model unavailable: {load_error()}", file=sys.stderr)

    results: list[RunResult] = []
    for i in range(runs):
        gc.collect()
        res = run_once(path, profile, phone_line)
        results.append(res)
        print(
            f"run {i + 1}/{runs}: transcription {res.transcribe_s:.3f} s "
            f"({res.transcribe_calls} call), rest {res.rest_s * 1000:.1f} ms, {res.words} words",
            file=sys.stderr,
        )

    duration = results[0].duration_s
    rtf = [(r.decode_s + r.transcribe_s + r.rest_s) / r.duration_s for r in results]
    rest_ratio = [r.rest_s / r.transcribe_s for r in results]
    acoustic_ratio = [r.acoustic_s / r.transcribe_s for r in results]
    rows = [
        Series("model load", values=[r.load_s for r in results]),
        Series("audio decode", values=[r.decode_s for r in results]),
        Series("transcription", values=[r.transcribe_s for r in results]),
        Series("rest of analysis", values=[r.rest_s for r in results]),
        Series("  of which build_report", values=[r.build_report_s for r in results]),
        Series("  of which acoustic delivery", values=[r.acoustic_s for r in results]),
        Series(
            f"  of which content reading ({results[0].sentences} sentences)",
            values=[r.content_s for r in results],
        ),
        Series("real-time factor", unit="x", values=rtf),
        *_line_rows(results),
        Series("rest / transcription", unit="x", values=rest_ratio),
        Series("acoustic / transcription", unit="x", values=acoustic_ratio),
    ]
    prompts = {r.prompt_used is not None for r in results}
    print(
        f"\ninput: {path} ({duration:.2f} s audio), {runs} runs, "
        f"{results[-1].words} words, prompt kept: {'/'.join(sorted(map(str, prompts)))}"
    )
    print(f"one-off faster_whisper import (not in model load): {fmt(import_s, 's')}")
    print(f"meaning model load (encoder + head, checksums cached): {fmt(meaning_load_s, 's')}\n")
    print_table("timings", rows)
    print(f"\npeak memory (ru_maxrss): {fmt(peak_rss_mb(), 'MB')}")
    med_ratio = statistics.median(rest_ratio)
    med_rtf = statistics.median(rtf)
    med_acoustic = statistics.median(acoustic_ratio)
    print(
        f"targets: rest <= {TARGET_REST_RATIO:.0%} of transcription: {med_ratio:.2%} "
        f"{verdict(med_ratio <= TARGET_REST_RATIO)}; "
        f"RTF <= {TARGET_RTF}: {med_rtf:.3f} {verdict(med_rtf <= TARGET_RTF)}; "
        f"acoustic <= {TARGET_ACOUSTIC_RATIO:.0%} of transcription: {med_acoustic:.2%} "
        f"{verdict(med_acoustic <= TARGET_ACOUSTIC_RATIO)}"
    )


def _line_rows(results: Sequence[RunResult]) -> list[Series]:
    """The phone-line check's cost (after the feedback, in the app), when it ran."""
    done = [r for r in results if r.line_render_s is not None and r.line_transcribe_s is not None]
    if not done:
        return []
    return [
        Series("phone line: rendering", values=[r.line_render_s or 0.0 for r in done]),
        Series("phone line: transcription", values=[r.line_transcribe_s or 0.0 for r in done]),
        Series(
            "phone line / transcription",
            unit="x",
            values=[
                ((r.line_render_s or 0.0) + (r.line_transcribe_s or 0.0)) / r.transcribe_s
                for r in done
            ],
        ),
    ]


def _timed_transcribe(
    transcriber: Transcriber, samples: npt.NDArray[np.float32]
) -> tuple[float, TranscriptionResult]:
    t0 = time.perf_counter()
    result = transcriber.transcribe(samples)
    return time.perf_counter() - t0, result


def compare_prompt(path: Path, runs: int) -> None:
    audio: Audio = load_audio(path)
    with_prompt = Transcriber()
    without_prompt = Transcriber(initial_prompt=None)
    # One untimed warm-up each on a short slice, so neither pays first-call costs in the timings.
    warm = audio.samples[: 5 * audio.sample_rate]
    with_prompt.transcribe(warm)
    without_prompt.transcribe(warm)

    timed: dict[str, list[float]] = {"with": [], "without": []}
    last: dict[str, TranscriptionResult] = {}
    for i in range(runs):
        gc.collect()
        # Alternate the order so drift (thermal, caches) does not favour one side.
        order = ("with", "without") if i % 2 == 0 else ("without", "with")
        for key in order:
            t = with_prompt if key == "with" else without_prompt
            elapsed, result = _timed_transcribe(t, audio.samples)
            timed[key].append(elapsed)
            last[key] = result
        print(
            f"run {i + 1}/{runs}: with {timed['with'][-1]:.3f} s, "
            f"without {timed['without'][-1]:.3f} s",
            file=sys.stderr,
        )

    print(f"\ninput: {path} ({audio.duration_s:.2f} s audio), {runs} runs\n")
    print_table(
        "transcription time",
        [
            Series("with filler prompt", values=timed["with"]),
            Series("without prompt", values=timed["without"]),
        ],
    )
    ratio = statistics.median(timed["with"]) / statistics.median(timed["without"])
    w, wo = last["with"], last["without"]
    fell_back = " (fell back to the no-prompt pass)" if w.prompt_used is None else ""
    print(f"\nratio with / without (medians): {ratio:.2f}x")
    print(f"words with prompt:    {len(w.words):4d}  coverage {w.coverage:.3f}{fell_back}")
    print(f"words without prompt: {len(wo.words):4d}  coverage {wo.coverage:.3f}")
    print(f"peak memory (ru_maxrss): {fmt(peak_rss_mb(), 'MB')}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--input", type=Path, default=None, help="audio file (~30 s)")
    parser.add_argument("--runs", type=int, default=5, help="number of runs (default 5)")
    parser.add_argument(
        "--compare-prompt",
        action="store_true",
        help="time transcription with and without the filler initial_prompt instead",
    )
    parser.add_argument(
        "--no-phone-line", action="store_true", help="leave out the phone-line check's timing"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    path: Path = args.input or default_input()
    if not path.is_file():
        parser.error(f"{path}: no such file")
    if args.compare_prompt:
        compare_prompt(path, args.runs)
    else:
        bench(path, args.runs, not args.no_phone_line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
