"""Feedback the moment you stop: time it through the real app and the real audio stack.

Usage (from the repo root)::

    PYTHONPATH=. .venv/bin/python bench/bench_live.py [--input FILE] [--runs N] [--load N]
    PYTHONPATH=. .venv/bin/python bench/bench_live.py --compare [FILES...] [--slowdown X]
    PYTHONPATH=. .venv/bin/python bench/bench_live.py --startup [--runs N]

Default: starts a private PulseAudio with a virtual microphone (bench/vmic.py, as
tests/test_virtual_mic.py uses), then per run a fresh app process (controller + main window, offscreen) records the
message played into the mic, with transcription while recording, and reports: Stop to feedback
shown (once the review page's first paint is done, events taken in the app's own order, as
exec() takes them), the whole-file transcription time of the same take, their ratio, input overflows, the
take's word error and value-proposition / call-to-action time differences against a whole-file
pass, and peak memory. Then, also in fresh processes, process start to first window paint.
Medians over the runs; the targets (2 cores) are printed beside them.

``--compare``: the same live transcription on files, no audio stack (phrases are found as the
samples arrive, 0.25 s at a time): word error and VP/CTA time differences between the merged
pieces and a whole-file pass, the tail left after Stop, and which fallback fired.
``--slowdown X``: each live job holds the next look back by X times its own duration, as on a
machine X times slower or busier (the pieces are cut elsewhere, as they are under load).

``--load N``: N busy processes (one CPU-bound Python loop each) compete for the cores during
the takes; they are started before the first take and stopped after the last.

Needs (Debian) for the default mode: pulseaudio pulseaudio-utils libasound2-plugins libportaudio2.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# First, ahead of this script's own folder, where "bench" would be bench/bench.py.
sys.path.insert(0, str(REPO))

from bench import vmic  # noqa: E402  (after the path: the script runs from anywhere)

REAL_INPUT = REPO.parent / "shared" / "real-audio" / "sales_voicemail_busyline.mp3"
FALLBACK_INPUT = REPO / "tests" / "data" / "audio" / "good.flac"
TEST_AUDIO = REPO / "tests" / "data" / "audio"
REAL_AUDIO = REPO.parent / "shared" / "real-audio"
RESULT = "BENCH_LIVE "
PAINT = "FIRST_PAINT "
STEP_S = 0.25
AFTER_SPEECH_S = 0.5  # the rep's pause before pressing Stop
WAIT_S = 600.0  # for the model and the feedback: a heavily loaded machine can take minutes

TARGET_FEEDBACK_S = 0.3
TARGET_FEEDBACK_LOADED_S = 1.0  # with --load 3 on 2 cores
TARGET_MOMENT_S = 0.3  # value proposition and call to action against a whole-file pass
TARGET_RATIO = 0.25
TARGET_RSS_MB = 500.0
TARGET_PAINT_S = 1.5


def default_input() -> Path:
    return REAL_INPUT if REAL_INPUT.is_file() else FALLBACK_INPUT


# -- comparing live pieces with a whole-file pass ----------------------------------------------


def moment_delta(a: Any, b: Any) -> float | None:
    """Seconds between two report moments' starts; None when both are missing, inf when one is."""
    if not a.found and not b.found:
        return None
    if a.found != b.found:
        return float("inf")
    return round(abs(a.start_s - b.start_s), 2)


def compare_reports(live: Any, whole: Any) -> dict[str, Any]:
    from voicemail_coach.analysis.wer import word_error

    return {
        "wer": round(word_error(whole.transcript.text, live.transcript.text), 3),
        "vp_delta_s": moment_delta(live.value_proposition, whole.value_proposition),
        "cta_delta_s": moment_delta(live.call_to_action, whole.call_to_action),
        "score": live.score,
        "whole_score": whole.score,
        # The checks whose mark differs: (check, live, whole).
        "differ": [
            (a.id, a.status, b.status)
            for a, b in zip(live.checks, whole.checks, strict=False)
            if a.id == b.id and a.status != b.status
        ],
    }


def report_for(words: Sequence[Any], samples: Any, profile: Any) -> Any:
    from voicemail_coach.analysis import report as r
    from voicemail_coach.analysis.pipeline import build_report

    source = r.Source(duration_s=round(len(samples) / 16_000, 2))
    preset = profile.length_preset().id
    return build_report(words, profile, preset, source, None, samples, 16_000, ())


def simulate_live(samples: Any, transcriber: Any, slowdown: float = 0.0) -> Any:
    """A LiveTranscript fed as the app feeds it: a look every STEP_S of audio, and after a job
    that transcribed, the next look ``slowdown`` times the job's duration later."""
    from voicemail_coach.analysis.incremental import LiveTranscript

    live = LiveTranscript()
    at_s = STEP_S
    while at_s * 16_000 <= len(samples):
        t0 = time.perf_counter()
        done = live.step(samples[: round(at_s * 16_000)], transcriber)
        at_s += max(STEP_S, slowdown * (time.perf_counter() - t0) if done else 0.0)
    return live


def compare_files(paths: Sequence[Path], slowdown: float = 0.0) -> int:
    from voicemail_coach.analysis.incremental import cut_in_moment
    from voicemail_coach.analysis.profile_loader import load_profile
    from voicemail_coach.analysis.transcribe import FILLER_PROMPT, Transcriber
    from voicemail_coach.audio.io import AudioLoadError, load_audio

    profile = load_profile()
    whole_tr = Transcriber()
    live_tr = Transcriber(cpu_threads=1, initial_prompt=FILLER_PROMPT)
    print(
        f"{'file':30} {'dur s':>6} {'WER':>6} {'VP Δs':>6} {'CTA Δs':>6} {'pieces':>6} "
        f"{'tail s':>6} {'after Stop s':>12} {'whole s':>8} {'score':>7}  fallback"
    )
    for path in paths:
        try:
            audio = load_audio(path)
        except AudioLoadError as exc:
            print(f"{path.name:30} skipped: {exc}")
            continue
        samples = audio.samples
        t0 = time.perf_counter()
        whole = whole_tr.transcribe(samples)
        whole_s = time.perf_counter() - t0
        live = simulate_live(samples, live_tr, slowdown)
        t0 = time.perf_counter()
        finished = live.finish(samples, whole_tr)
        finish_s = time.perf_counter() - t0
        live_report = report_for(finished.result.words, samples, profile)
        moments = [
            m for m in (live_report.value_proposition, live_report.call_to_action) if m.found
        ]
        spans = [(m.start_s, m.end_s) for m in moments]
        why = cut_in_moment(spans, finished.hard_cuts, finished.result.words)
        if why:  # as the app does: the whole-file pass is the report
            finished = dataclasses.replace(finished, pieces=1, fallback=why)
            finish_s += whole_s
            live_report = report_for(whole.words, samples, profile)
        whole_report = report_for(whole.words, samples, profile)
        diff = compare_reports(live_report, whole_report)
        if os.environ.get("BENCH_DEBUG"):
            for name in ("value_proposition", "call_to_action"):
                a, b = getattr(live_report, name), getattr(whole_report, name)
                print(f"  {name}: live {a.start_s} {a.text!r}\n  {' ' * len(name)}  whole "
                      f"{b.start_s} {b.text!r}")  # fmt: skip
            print(f"  cuts {finished.cuts}, read across {finished.read_across}")
        print(
            f"{path.name[:30]:30} {audio.duration_s:6.1f} {_num(diff['wer']):>6} "
            f"{_num(diff['vp_delta_s']):>6} {_num(diff['cta_delta_s']):>6} "
            f"{finished.pieces:6d} {finished.tail_s:6.1f} {finish_s:12.2f} {whole_s:8.2f} "
            f"{diff['score']!s:>3}/{diff['whole_score']!s:<3}  {finished.fallback or '-'}"
        )
        if diff["differ"]:
            print(f"  marks that differ (check, live, whole): {diff['differ']}")
    return 0


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


# -- one take through the app (child process) ---------------------------------------------------


def child_take(speech: Path) -> None:
    """Record ``speech`` from the virtual mic with the real app; print one RESULT line."""
    import resource

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from voicemail_coach.analysis.pipeline import analyze_audio
    from voicemail_coach.analysis.profile_loader import load_profile
    from voicemail_coach.app.controller import Controller
    from voicemail_coach.app.main_window import MainWindow
    from voicemail_coach.app.settings import Settings
    from voicemail_coach.audio.io import Audio

    qt_app = QApplication([])
    controller = Controller(Settings(greeting=False, input_device="pulse"))
    window = MainWindow(controller)
    window.show()
    messages: list[tuple[str, str]] = []
    feedback: list[Any] = []
    ready: list[str] = []
    shown: list[float] = []
    controller.message.connect(lambda level, text: messages.append((level, text)))
    controller.model_ready.connect(ready.append)
    controller.model_failed.connect(lambda text: messages.append(("error", text)))

    events = _debug_events() if os.environ.get("BENCH_DEBUG") else []
    painted = first_paint_watch(window.review, lambda: shown.append(time.monotonic()))

    def on_feedback(fb: Any) -> None:
        # Connected after the window's own slots: the page is filled in, not yet painted.
        feedback.append(fb)
        events.append((time.monotonic(), "review page filled in"))
        painted.arm()

    controller.feedback_ready.connect(on_feedback)
    # Wakes the loop below to look at the clock; anything else wakes it at once, as in exec().
    tick = QTimer()
    tick.start(5)

    def pump(done: Any, limit_s: float, what: str) -> None:
        until = time.monotonic() + limit_s
        while not done():
            if any(level == "error" for level, _ in messages):
                raise SystemExit(f"the app reported an error: {messages}")
            if time.monotonic() > until:
                raise SystemExit(f"timed out waiting for {what}")
            qt_app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

    controller.load_model()
    pump(lambda: bool(ready), WAIT_S, "the model")
    controller.start_take()
    recorder = controller.recorder
    if recorder is None:
        raise SystemExit(f"recording did not start: {messages}")
    pump(lambda: recorder.elapsed_s > 0.1, 15, "the first audio")
    player = subprocess.Popen(["paplay", "-d", "vsink", str(speech)])
    pump(lambda: player.poll() is not None, 90, "paplay")
    quiet = time.monotonic() + AFTER_SPEECH_S
    pump(lambda: time.monotonic() >= quiet, 5, "the pause")
    session = controller.live_session
    t_stop = time.monotonic()
    controller.stop_recording()
    pump(lambda: bool(shown), WAIT_S, "the feedback")
    stop_to_feedback = shown[0] - t_stop
    result = recorder.stop()
    fb = feedback[0]
    transcriber = controller.models.get()
    t0 = time.perf_counter()
    whole = transcriber.transcribe(fb.samples)
    whole_s = time.perf_counter() - t0
    audio = Audio(fb.samples, 16_000, "take", 16_000, 1)
    profile = load_profile()
    whole_report = analyze_audio(audio, transcriber, profile, transcribed=whole)
    diff = compare_reports(fb.report, whole_report)
    live = fb.live
    out = {
        "stop_to_feedback_s": round(stop_to_feedback, 3),
        "whole_file_s": round(whole_s, 3),
        "overflows": result.overflows,
        "duration_s": round(result.duration_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "pieces": live.pieces if live else 0,
        "tail_s": live.tail_s if live else None,
        "fallback": live.fallback if live else "no live transcript",
        "live_jobs": session.jobs if session else 0,
        # live pieces decoded before their pause was a cut (voicemail_coach.analysis.incremental.EARLY_PAUSE_S)
        "early_used": session.transcript.early_used if session else 0,
        **diff,
        "warnings": [text for level, text in messages if level == "warning"],
    }
    if os.environ.get("BENCH_DEBUG"):
        for at, text in events:
            print(f"  {at - t_stop:+7.2f} s  {text}", flush=True)
        print(f"  {shown[0] - t_stop:+7.2f} s  feedback on screen", flush=True)
        print("LIVE ", fb.report.transcript.text, "\nWHOLE", whole.text, flush=True)
    print(RESULT + json.dumps(out), flush=True)
    controller.shutdown()


def first_paint_watch(page: Any, painted: Any) -> Any:
    """An object whose ``arm()`` has ``painted`` called once ``page`` has painted: a widget of
    the page painting posts it, so it runs when the whole paint is done (on screen), before
    anything the app posts from the same paint. It watches the whole application only while
    armed."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    class Watch(QObject):
        def arm(self) -> None:
            QApplication.instance().installEventFilter(self)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and (watched is page or page.isAncestorOf(watched))
            ):
                QApplication.instance().removeEventFilter(self)
                QTimer.singleShot(0, painted)
            return False

    return Watch()


def _debug_events() -> list[tuple[float, str]]:
    """Collect the app's debug log (live jobs, the steps after Stop) with monotonic times."""
    import logging

    events: list[tuple[float, str]] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            events.append((time.monotonic(), record.getMessage()))

    for name in (
        "voicemail_coach.analysis.incremental",
        "voicemail_coach.app.controller",
        "voicemail_coach.app.analysis_tasks",
    ):
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(Collect())
    return events


# -- competing load ------------------------------------------------------------------------------

# Spins until its parent is gone, so even a killed bench leaves no busy process behind.
BUSY_LOOP = (
    "import os\n"
    "parent = os.getppid()\n"
    "while os.getppid() == parent:\n"
    "    for _ in range(1_000_000): pass\n"
)


@contextlib.contextmanager
def busy_processes(count: int) -> Iterator[list[int]]:
    """``count`` CPU-bound processes competing with the app for the cores; stopped on exit."""
    procs = [
        subprocess.Popen([sys.executable, "-c", BUSY_LOOP], stdin=subprocess.DEVNULL)
        for _ in range(count)
    ]
    try:
        yield [p.pid for p in procs]
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def machine_state() -> str:
    """What else is running: the load average and the busiest processes, for the record."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        top = subprocess.run(
            ["top", "-bn1", "-w", "120"], capture_output=True, text=True, timeout=10
        )
        busiest = [ln for ln in top.stdout.splitlines()[7:12] if ln.strip()]
    except (OSError, subprocess.SubprocessError):
        busiest = []
    return "\n".join([f"load average {load} (nproc {os.cpu_count()})", *busiest])


# -- the virtual microphone ---------------------------------------------------------------------


@contextlib.contextmanager
def virtual_mic() -> Iterator[dict[str, str]]:
    """bench/vmic.py's private PulseAudio, with the app offscreen; a problem ends the bench."""
    try:
        with vmic.virtual_mic() as env:
            yield {**env, "QT_QPA_PLATFORM": "offscreen"}
    except vmic.VirtualMicError as exc:
        raise SystemExit(str(exc)) from None


def as_wav(path: Path, folder: Path) -> Path:
    """paplay reads what libsndfile reads: give it a 16 kHz WAV of any input."""
    import soundfile

    from voicemail_coach.audio.io import load_audio

    out = folder / "speech.wav"
    soundfile.write(str(out), load_audio(path).samples, 16_000, subtype="PCM_16")
    return out


def sandbox_env(env: dict[str, str], folder: Path) -> dict[str, str]:
    """Each run gets fresh data folders: the bench never touches the user's library."""
    env = dict(env)
    for name in ("DATA", "CACHE", "CONFIG"):
        env[f"VOICEMAIL_COACH_{name}_DIR"] = str(folder / name.lower())
    # This checkout first; a PYTHONPATH given keeps its place after it (a worktree's link).
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def run_takes(speech: Path, runs: int) -> list[dict[str, Any]]:
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-live-") as tmp, virtual_mic() as env:
        wav = as_wav(speech, Path(tmp))
        cache = Path(tmp) / "cache"  # shared, so the model's checksum is verified once
        for i in range(runs):
            run_env = sandbox_env(env, Path(tmp) / f"run{i}")
            run_env["VOICEMAIL_COACH_CACHE_DIR"] = str(cache)
            proc = subprocess.run(
                [sys.executable, __file__, "--child", str(wav)],
                env=run_env, capture_output=True, text=True, timeout=900, cwd=REPO,
            )  # fmt: skip
            lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(RESULT)]
            if proc.returncode != 0 or not lines:
                raise SystemExit(f"run {i + 1} failed:\n{proc.stdout}\n{proc.stderr}")
            if os.environ.get("BENCH_DEBUG"):
                print("\n".join(ln for ln in proc.stdout.splitlines() if ln not in lines))
            results.append(json.loads(lines[0].removeprefix(RESULT)))
            print(f"  run {i + 1}: {results[-1]}", flush=True)
    return results


def startup_times(runs: int, command: Path | None = None) -> list[float]:
    """Process start (before the interpreter) to the main window's first paint, in seconds.

    ``command``: an installed ``voicemail-coach`` (the bundle's, say) instead of this checkout,
    started from an empty folder on the display the environment names (``xvfb-run -a``)."""
    times = []
    with tempfile.TemporaryDirectory(prefix="bench-start-") as tmp:
        for i in range(runs):
            env = sandbox_env(dict(os.environ), Path(tmp) / f"run{i}")
            env.update(QT_QPA_PLATFORM="offscreen", VOICEMAIL_COACH_STARTUP_PROBE="1")
            args, cwd = [sys.executable, "-m", "app"], REPO
            if command is not None:
                env.pop("PYTHONPATH")
                env["QT_QPA_PLATFORM"] = "xcb"
                args, cwd = [str(command)], Path(tmp)
            t0 = time.time()
            proc = subprocess.run(
                args, env=env, capture_output=True, text=True, timeout=120, cwd=cwd,
            )  # fmt: skip
            lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(PAINT)]
            if not lines:
                raise SystemExit(f"no first paint reported:\n{proc.stdout}\n{proc.stderr}")
            probe = json.loads(lines[0].removeprefix(PAINT))
            times.append(probe["painted_at"] - t0)
            ready = probe["model_ready_at"] - t0
            print(
                f"  start {i + 1}: first paint {times[-1]:.2f} s, model ready {ready:.2f} s, "
                f"{probe}",
                flush=True,
            )
    return times


def warm_check(speech: Path, runs: int = 3) -> tuple[float, float]:
    """Transcription times after the app's start-up warm-up (one tiny transcription): the
    first take, and the median of the ones after it. Same process, same model."""
    import numpy as np

    from voicemail_coach.analysis.transcribe import Transcriber
    from voicemail_coach.audio.io import load_audio

    samples = load_audio(speech).samples
    transcriber = Transcriber()
    transcriber.transcribe(np.zeros(8000, dtype=np.float32))  # as Controller.load_model does
    times = []
    for _ in range(runs + 1):
        t0 = time.perf_counter()
        transcriber.transcribe(samples)
        times.append(time.perf_counter() - t0)
    return times[0], median(times[1:])


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def moments_agree(take: dict[str, Any]) -> bool:
    """Both key moments within TARGET_MOMENT_S of the whole-file pass (or missing in both)."""
    deltas = (take["vp_delta_s"], take["cta_delta_s"])
    return all(d is None or d <= TARGET_MOMENT_S for d in deltas)


def summarise(
    takes: list[dict[str, Any]],
    paints: list[float],
    warm: tuple[float, float] | None,
    load: int = 0,
) -> None:
    feedback = median([t["stop_to_feedback_s"] for t in takes])
    whole = median([t["whole_file_s"] for t in takes])
    ratio = median([t["stop_to_feedback_s"] / t["whole_file_s"] for t in takes])
    overflows = median([t["overflows"] for t in takes])
    rss = median([t["peak_rss_mb"] for t in takes])
    agree = sum(moments_agree(t) for t in takes)
    target = TARGET_FEEDBACK_LOADED_S if load else TARGET_FEEDBACK_S
    print(f"\n{'take':>4} {'Stop->fb s':>10} {'whole s':>8} {'VP Δs':>6} {'CTA Δs':>6} "
          f"{'score':>9} {'pieces':>6} {'tail s':>6}  fallback")  # fmt: skip
    for i, t in enumerate(takes, 1):
        print(
            f"{i:4d} {t['stop_to_feedback_s']:10.2f} {t['whole_file_s']:8.2f} "
            f"{_num(t['vp_delta_s']):>6} {_num(t['cta_delta_s']):>6} "
            f"{t['score']:>4}/{t['whole_score']:<4} {t['pieces']:6d} {_num(t['tail_s']):>6}  "
            f"{t['fallback'] or '-'}"
        )
    rows = [
        ("Stop -> feedback shown", f"{feedback:.2f} s", f"<= {target} s", feedback <= target),
        ("whole-file transcription", f"{whole:.2f} s", "", None),
        ("ratio", f"{ratio:.0%}", f"<= {TARGET_RATIO:.0%}", ratio <= TARGET_RATIO),
        ("moments vs whole file", f"{agree} of {len(takes)}", f"all <= {TARGET_MOMENT_S} s",
         agree == len(takes)),
        ("same score as whole file", f"{sum(t['score'] == t['whole_score'] for t in takes)} "
         f"of {len(takes)}", "all", all(t["score"] == t["whole_score"] for t in takes)),
        ("input overflows", f"{overflows:g} (max {max(t['overflows'] for t in takes)})", "0",
         max(t["overflows"] for t in takes) == 0),
        ("peak memory", f"{rss:.0f} MB", f"<= {TARGET_RSS_MB:.0f} MB", rss <= TARGET_RSS_MB),
        ("word error vs whole file", f"{median([t['wer'] for t in takes]):.3f}", "", None),
        ("fallbacks", f"{sum(bool(t['fallback']) for t in takes)} of {len(takes)}", "", None),
    ]  # fmt: skip
    if paints:
        paint = median(paints)
        rows.append(("start -> first paint", f"{paint:.2f} s", f"<= {TARGET_PAINT_S} s",
                     paint <= TARGET_PAINT_S))  # fmt: skip
    if warm is not None:
        rows.append(("first analysis after warm-up", f"{warm[0]:.2f} s", f"~{warm[1]:.2f} s",
                     warm[0] <= warm[1] * 1.15))  # fmt: skip
    print(
        f"\nmedians over {len(takes)} takes and {len(paints)} starts "
        f"(nproc {os.cpu_count()}, {load} busy processes)"
    )
    print(f"{'measure':28} {'value':>14} {'target':>10}  verdict")
    for name, value, target_text, ok in rows:
        verdict = "" if ok is None else ("ok" if ok else "MISSED")
        print(f"{name:28} {value:>14} {target_text:>10}  {verdict}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--input", type=Path, default=None, help="the message (~30 s)")
    parser.add_argument("--runs", type=int, default=5, help="takes and starts (default 5)")
    parser.add_argument("--compare", nargs="*", type=Path, help="compare on files (default: all)")
    parser.add_argument("--startup", action="store_true", help="only time start to first paint")
    parser.add_argument(
        "--command",
        type=Path,
        help="--startup: time this voicemail-coach (e.g. the bundle's) on $DISPLAY",
    )
    parser.add_argument("--warm", action="store_true", help="only check the model warm-up")
    parser.add_argument("--load", type=int, default=0, help="busy processes during the takes")
    parser.add_argument(
        "--takes-only", action="store_true", help="skip the start-up and warm-up timings"
    )
    parser.add_argument(
        "--slowdown", type=float, default=0.0, help="--compare: live jobs delay the next look"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child_take(args.child)
        return 0
    if args.compare is not None:
        files = args.compare or [
            *sorted(TEST_AUDIO.glob("*.flac")),
            *sorted(p for p in REAL_AUDIO.glob("*") if p.suffix in (".wav", ".mp3")),
        ]
        return compare_files(files, args.slowdown)
    if args.warm:
        first, later = warm_check(args.input or default_input())
        print(f"first transcription after warm-up {first:.2f} s, later ones {later:.2f} s")
        return 0
    if args.startup:
        paints = startup_times(args.runs, args.command)
        print(f"\nstart -> first paint: median {median(paints):.2f} s over {len(paints)} starts")
        return 0
    speech = args.input or default_input()
    print(f"input: {speech}")
    print(machine_state())
    with busy_processes(args.load) as pids:
        if pids:
            print(f"busy processes: {pids}")
        takes = run_takes(speech, args.runs)
        print(machine_state())
    if args.takes_only:
        summarise(takes, [], None, args.load)
        return 0
    paints = startup_times(args.runs)
    warm = warm_check(speech)
    summarise(takes, paints, warm, args.load)
    return 0


if __name__ == "__main__":
    sys.exit(main())
