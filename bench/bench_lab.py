"""Time opening the A/B lab on a library of 10,000 attempts with outcomes (target: <= 0.5 s).

Usage (from the repo root)::

    PYTHONPATH=. .venv/bin/python bench/bench_lab.py [--attempts N] [--runs N]

A library is built once in a temporary folder, straight through SQL for speed (no audio: the
lab never reads it): N attempts left as real voicemails, spread over four script variants
(two versions each), with the summary figures, call-to-action kind and 21 check statuses the
library keeps from a report, and one outcome each. Each run then does what the app does when
the Lab opens: open the library (``Library``: migrations checked, integrity check, strays looked
for) and compute the lab (``Outcomes(library).lab()``: one query, then the statistics). The
median of the runs is printed. Not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from voicemail_coach.analysis.lab import OUTCOME_KINDS
from voicemail_coach.analysis.profile import CHECK_IDS
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.outcomes import Outcomes

# Every check a report can hold, with a random status each (the lab compares them).
CHECKS = CHECK_IDS
CTA_KINDS = ("callback", "follow_up", "email", "other", None)
WEIGHTS = (0.10, 0.08, 0.04, 0.70, 0.08)  # called back, email, meeting, none, wrong person


def build(folder: Path, attempts: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with Library(folder) as library:
        outcomes = Outcomes(library)
        versions = []
        for name in ("A", "B", "C", "D"):
            outcomes.add_variant(name, f"Script {name}, first version.", "Bench")
            versions.append(outcomes.variant(name).latest.uid)
            versions.append(outcomes.add_version(name, f"Script {name}, second.", "Bench").uid)
        rows = []
        results = []
        for i in range(attempts):
            kind = rng.choices(OUTCOME_KINDS, WEIGHTS)[0]
            checks = {c: rng.choice(("pass", "pass", "warn", "fail")) for c in CHECKS}
            rows.append(
                (
                    i + 1,
                    f"2026-01-{1 + i % 28:02d}T09:00:00+00:00",
                    f"Real voicemail {i + 1}",
                    f"{i + 1}.flac",
                    round(rng.uniform(12, 45), 2),
                    rng.randint(40, 100),
                    round(rng.uniform(2, 18), 2),
                    round(rng.uniform(110, 190), 1),
                    round(rng.uniform(0, 6), 2),
                    str(uuid.uuid4()),
                    rng.choice(versions),
                    rng.choice(CTA_KINDS),
                    json.dumps(checks),
                )
            )
            results.append((str(uuid.uuid4()), rows[-1][9], i + 1, kind))
        with library.db.lock, library.db.write("build the bench library") as conn:
            conn.executemany(
                "INSERT INTO attempts (id, created_at, title, source, audio_file, status, "
                "duration_s, score, time_to_value_s, wpm, fillers_per_min, uid, "
                "variant_version_uid, cta_kind, checks_json, left_as_voicemail) "
                "VALUES (?, ?, ?, 'file', ?, 'ready', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                rows,
            )
            conn.executemany(
                "INSERT INTO outcomes (uid, message_uid, attempt_id, kind, outcome_date, note, "
                "recorded_at) VALUES (?, ?, ?, ?, '2026-02-01', '', '2026-02-01T10:00:00+00:00')",
                results,
            )


def open_lab(folder: Path) -> tuple[float, float, float, str]:
    """Seconds to open the library, to compute the lab, and CPU seconds of both; the reading."""
    cpu = time.process_time()
    start = time.perf_counter()
    with Library(folder) as library:
        opened = time.perf_counter()
        result = Outcomes(library).lab()
        done = time.perf_counter()
    return opened - start, done - opened, time.process_time() - cpu, result.reading


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-lab-") as tmp:
        folder = Path(tmp) / "library"
        start = time.perf_counter()
        build(folder, args.attempts)
        print(
            f"built {args.attempts} attempts with outcomes in {time.perf_counter() - start:.1f} s"
        )
        times, cpus = [], []
        reading = ""
        for run in range(args.runs):
            opening, lab, cpu, reading = open_lab(folder)
            times.append(opening + lab)
            cpus.append(cpu)
            print(
                f"run {run + 1}: {(opening + lab) * 1000:.0f} ms (open the library "
                f"{opening * 1000:.0f} ms, the lab {lab * 1000:.0f} ms; CPU {cpu * 1000:.0f} ms)"
            )
    median = statistics.median(times)
    print(f"reading: {reading}")
    print(
        f"lab on {args.attempts} attempts: median {median * 1000:.0f} ms over {args.runs} runs "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; CPU median "
        f"{statistics.median(cpus) * 1000:.0f} ms); target <= 500 ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
