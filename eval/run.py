"""Run the analyzer over the labelled set and print how well each detector does.

    PYTHONPATH=. .venv/bin/python -m eval.run [--make] [--cases a,b] [--compare-prompt]
                                              [--real DIR] [--write docs/EVALUATION.md]

``--make`` (re)generates the audio first (eval.make_set). ``--compare-prompt`` also transcribes
every case without the filler prompt and compares fillers recovered, words lost and invented, and
time. ``--real DIR`` lists what the detectors find in real recordings (no labels there).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval import make_set
from eval.metrics import TIME_TOL_S, Score, Scorer, align, match_events, normalise, parts, span
from voicemail_coach.analysis.pipeline import analyze_audio
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.report import Report
from voicemail_coach.analysis.transcribe import Transcriber
from voicemail_coach.audio.io import load_audio


def target_rows(scores: dict[str, Score]) -> list[tuple[str, ...]]:
    """The issue's targets, each with what was measured and whether it is met."""
    f = scores["fillers (transcript + acoustic)"]
    rows = [(
        "fillers: recall >= 0.85 at precision >= 0.90",
        f"recall {_f(f.recall)}, precision {_f(f.precision)}",
        (f.recall or 0) >= 0.85 and (f.precision or 0) >= 0.9,
    )]  # fmt: skip
    for name in ("pauses", "value proposition time"):
        s = scores[name]
        within = sum(e <= TIME_TOL_S for e in s.errors_s)
        rows.append((
            f"{name}: within {TIME_TOL_S} s",
            f"{within} of {len(s.errors_s)} (worst {_f(max(s.errors_s, default=None))} s)",
            within == len(s.errors_s),
        ))  # fmt: skip
    for name in ("monotone verdict", "uptalk verdict"):
        s = scores[name]
        rows.append((f"{name}: >= 90 % right", f"{s.right} of {s.total}", (s.accuracy or 0) >= 0.9))
    return [(t, m, "met" if ok else "NOT met") for t, m, ok in rows]


TARGET_HEADER = ("target", "measured", "")


FILLER_ROWS = (
    "fillers (transcript + acoustic)",
    "fillers said as words (transcript)",
    "hesitations (acoustic)",
)


def load_cases(out: Path, only: Sequence[str] = ()) -> list[tuple[dict[str, Any], Path]]:
    cases = []
    for j in sorted(out.glob("*.json")):
        truth = json.loads(j.read_text())
        if only and truth["id"] not in only:
            continue
        cases.append((truth, out / truth["file"]))
    if not cases:
        raise SystemExit(f"no cases in {out}: run with --make (or python -m eval.make_set) first")
    return cases


def _f(x: float | None, digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def table_rows(scores: Sequence[Score]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for s in scores:
        if s.tp + s.fp + s.fn + s.total == 0 and not s.errors_s:
            continue
        err = sorted(s.errors_s)
        rows.append((
            s.name,
            f"{s.tp}/{s.fp}/{s.fn}" if s.tp + s.fp + s.fn else "",
            _f(s.precision), _f(s.recall),
            f"{s.right}/{s.total} ({s.accuracy:.0%})" if s.accuracy is not None else "",
            f"{_f(statistics.median(err))} / {_f(err[-1])} {s.unit}" if err else "",
        ))  # fmt: skip
    return rows


HEADER = ("detector", "tp/fp/fn", "precision", "recall", "verdicts right", "error median / max")


def render(rows: Sequence[tuple[str, ...]], header: Sequence[str] = HEADER) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def markdown(rows: Sequence[tuple[str, ...]], header: Sequence[str] = HEADER) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in r) + " |" for r in rows]
    return "\n".join(lines)


@dataclass
class Run:
    reports: dict[str, Report]
    transcribe_s: float


def analyze_all(
    cases: Sequence[tuple[dict[str, Any], Path]], transcriber: Transcriber, profile: Profile
) -> Run:
    reports = {}
    spent = 0.0
    for truth, path in cases:
        audio = load_audio(path)
        original = transcriber.transcribe

        def timed(*args: Any, _orig: Any = original, **kwargs: Any) -> Any:
            nonlocal spent
            t0 = time.perf_counter()
            try:
                return _orig(*args, **kwargs)
            finally:
                spent += time.perf_counter() - t0

        transcriber.transcribe = timed  # type: ignore[method-assign]
        try:
            reports[truth["id"]] = analyze_audio(audio, transcriber, profile)
        finally:
            del transcriber.transcribe
    return Run(reports, spent)


def evaluate(cases: Sequence[tuple[dict[str, Any], Path]], run: Run, profile: Profile) -> Scorer:
    scorer = Scorer(profile)
    for truth, _ in cases:
        scorer.add(truth, run.reports[truth["id"]])
    return scorer


def prompt_rows(
    cases: Sequence[tuple[dict[str, Any], Path]], runs: dict[str, Run]
) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for name, run in runs.items():
        said = found = subs = dels = ins = ref_words = 0
        for truth, _ in cases:
            report = run.reports[truth["id"]]
            words = [span(p) for p in parts(truth, "filler")]
            matched, _, _ = match_events(
                words, [(f.start_s, f.end_s) for f in report.delivery.fillers], TIME_TOL_S
            )
            said += len(words)
            found += len(matched)
            ref = normalise(" ".join(p["text"] for p in parts(truth, "say", "filler")))
            s, d, i = align(ref, normalise(report.transcript.text))
            subs, dels, ins, ref_words = subs + s, dels + d, ins + i, ref_words + len(ref)
        rows.append((
            name, f"{found}/{said}", f"{(subs + dels + ins) / ref_words:.1%}", str(dels), str(ins),
            str(subs), f"{run.transcribe_s:.1f} s",
        ))  # fmt: skip
    return rows


PROMPT_HEADER = ("transcription", "filler words kept", "WER", "words lost", "words invented",
                 "words changed", "time")  # fmt: skip


def real_audio(folder: Path, transcriber: Transcriber, profile: Profile) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".wav", ".mp3", ".flac")):
        report = analyze_audio(load_audio(path), transcriber, profile)
        d = report.delivery
        rows.append((
            path.name,
            ", ".join(f"{f.text}@{f.start_s:.1f}" for f in d.fillers) or "-",
            ", ".join(f"{h.start_s:.1f}" for h in d.hesitations) or "-",
            f"{d.pitch_sd_semitones} st" if d.pitch_sd_semitones is not None else "-",
            ", ".join(f"{s.start_s:.1f}s {s.end_rise_semitones:+.1f}" for s in d.sentences if s.uptalk) or "-",
            ", ".join(f"{s.start_s:.1f}s {s.tail_ratio}x" for s in d.sentences if s.rushing)
            + (f" end {d.end_tail_ratio}x" if d.rushing_end else "") or "-",
            f"{d.snr_db} dB" if d.snr_db is not None else "-",
            "yes" if d.telephone_band else "no",
            ", ".join(f"{q.kind} {q.start_s:.1f}-{q.end_s:.1f}" for q in d.pauses if q.kind != "pause") or "-",
        ))  # fmt: skip
    return rows


# Reference transcripts of real recordings, where one is published (see real-audio/SOURCES.md).
REFERENCES = {
    "jfk.wav": "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country.",
}


def real_prompt_rows(folder: Path, transcribers: dict[str, Transcriber]) -> list[tuple[str, ...]]:
    """Per real recording: words, fillers, time and (if known) WER with and without the prompt."""
    rows: list[tuple[str, ...]] = []
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".wav", ".mp3", ".flac")):
        samples = load_audio(path).samples
        for name, t in transcribers.items():
            t0 = time.perf_counter()
            result = t.transcribe(samples)
            spent = time.perf_counter() - t0
            heard = normalise(result.text)
            fillers = [w for w in heard if w in ("um", "uh", "umm", "uhm", "er", "ah", "hmm")]
            ref = REFERENCES.get(path.name)
            wer = "-"
            if ref is not None:
                subs, dels, ins = align(normalise(ref), heard)
                wer = f"{(subs + dels + ins) / len(normalise(ref)):.1%}"
            rows.append((path.name, name, str(len(heard)), ", ".join(fillers) or "-", wer,
                         f"{spent:.2f} s"))  # fmt: skip
    return rows


REAL_PROMPT_HEADER = ("file", "transcription", "words", "um/uh heard", "WER", "time")

REAL_HEADER = ("file", "fillers", "hesitations", "pitch SD", "uptalk", "rushing", "SNR",
               "phone band", "long pauses / dead air")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Evaluate the delivery detectors on the labelled set."
    )
    parser.add_argument(
        "--out", type=Path, default=make_set.OUT, help="folder of the generated set"
    )
    parser.add_argument("--make", action="store_true", help="generate the set first")
    parser.add_argument("--cases", default="", help="comma-separated case ids (default: all)")
    parser.add_argument("--compare-prompt", action="store_true")
    parser.add_argument("--real", type=Path, default=None, help="folder of real recordings")
    parser.add_argument("--write", type=Path, default=None, help="write the results as Markdown")
    parser.add_argument("--misses", action="store_true", help="list every miss and false alarm")
    args = parser.parse_args(argv)
    only = [c for c in args.cases.split(",") if c]
    if args.make:
        make_set.make_set(args.out, only)
    cases = load_cases(args.out, only)
    profile = load_profile()
    transcriber = Transcriber()
    runs = {"with filler prompt": analyze_all(cases, transcriber, profile)}
    scorer = evaluate(cases, runs["with filler prompt"], profile)
    rows = table_rows(list(scorer.scores.values()))
    t_rows = target_rows(scorer.scores)
    sections = [
        ("Targets", markdown(t_rows, TARGET_HEADER)),
        ("Detectors (the app's settings: filler prompt on)", markdown(rows)),
    ]
    print(f"{len(cases)} cases; a detection matches a label within {TIME_TOL_S} s\n")
    print(render(rows))
    print("\n" + render(t_rows, TARGET_HEADER))
    if args.misses:
        for s in scorer.scores.values():
            for m in s.misses:
                print(f"  {s.name}: {m}")
    if args.compare_prompt:
        runs["without prompt"] = analyze_all(cases, Transcriber(initial_prompt=None), profile)
        p_rows = prompt_rows(cases, runs)
        bare = evaluate(cases, runs["without prompt"], profile).scores
        bare_rows = table_rows([bare[k] for k in FILLER_ROWS])
        print("\n" + render(p_rows, PROMPT_HEADER))
        print("\nwithout the prompt (the acoustic detector has more to find):")
        print(render(bare_rows))
        sections += [
            ("The filler prompt: with and without", markdown(p_rows, PROMPT_HEADER)),
            ("Fillers without the prompt", markdown(bare_rows)),
        ]
    if args.real is not None:
        r_rows = real_audio(args.real, transcriber, profile)
        print("\n" + render(r_rows, REAL_HEADER))
        sections.append(
            ("What the detectors find in real recordings", markdown(r_rows, REAL_HEADER))
        )
        if args.compare_prompt:
            both = {
                "with filler prompt": transcriber,
                "without prompt": Transcriber(None, initial_prompt=None),
            }
            rp_rows = real_prompt_rows(args.real, both)
            print("\n" + render(rp_rows, REAL_PROMPT_HEADER))
            sections.append(
                ("The filler prompt on real recordings", markdown(rp_rows, REAL_PROMPT_HEADER))
            )
    if args.write is not None:
        from eval.report_md import write_markdown

        write_markdown(args.write, len(cases), sections)
        print(f"\nwrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
