"""Scoring the analyzer's reports against the labelled truth, detector by detector."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.report import Report

TIME_TOL_S = 0.3  # a detection counts if it lies within this of the labelled stretch
MIN_EVAL_PAUSE_S = 0.5  # shorter silences are part of normal phrasing, not labelled
SENTENCE_END = (".", "?", "!")


@dataclass
class Score:
    """Counts for one detector: events (tp/fp/fn), verdicts (right/total), timing errors."""

    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    right: int = 0
    total: int = 0
    errors_s: list[float] = field(default_factory=list)
    unit: str = "s"
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def accuracy(self) -> float | None:
        return self.right / self.total if self.total else None

    def verdict(self, ok: bool, label: str) -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.misses.append(label)


def match_events(
    truth: Sequence[tuple[float, float]], found: Sequence[tuple[float, float]], tol: float
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair labelled and detected stretches that overlap (within ``tol``), nearest starts first."""
    pairs = sorted(
        (abs(f[0] - t[0]), i, j)
        for i, t in enumerate(truth)
        for j, f in enumerate(found)
        if f[0] < t[1] + tol and t[0] - tol < f[1]
    )
    used_t: set[int] = set()
    used_f: set[int] = set()
    matched = []
    for _, i, j in pairs:
        if i not in used_t and j not in used_f:
            used_t.add(i)
            used_f.add(j)
            matched.append((i, j))
    return (
        matched,
        [i for i in range(len(truth)) if i not in used_t],
        [j for j in range(len(found)) if j not in used_f],
    )


def add_events(
    score: Score,
    case_id: str,
    truth: Sequence[tuple[float, float]],
    found: Sequence[tuple[float, float]],
    edges: bool = False,
) -> None:
    matched, missed, extra = match_events(truth, found, TIME_TOL_S)
    score.tp += len(matched)
    score.fn += len(missed)
    score.fp += len(extra)
    for i, j in matched:
        err = abs(found[j][0] - truth[i][0])
        if edges:
            err = max(err, abs(found[j][1] - truth[i][1]))
        score.errors_s.append(err)
    score.misses += [f"{case_id}: missed {truth[i][0]:.2f}s" for i in missed]
    score.misses += [f"{case_id}: extra {found[j][0]:.2f}s" for j in extra]


def parts(truth: dict[str, Any], *kinds: str) -> list[dict[str, Any]]:
    return [p for p in truth["parts"] if p["kind"] in kinds]


def span(p: dict[str, Any]) -> tuple[float, float]:
    return (float(p["start_s"]), float(p["end_s"]))


class Scorer:
    """Accumulates every detector's score over the cases."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        names = (
            "fillers (transcript + acoustic)", "fillers said as words (transcript)",
            "hesitations (acoustic)", "pauses", "dead air", "value proposition found",
            "value proposition time",
            "monotone verdict", "uptalk verdict", "rushing verdict", "phone number pace",
            "phone number said twice",
            "SNR estimate", "noise verdict", "telephone band", "quiet verdict", "clipping verdict",
        )  # fmt: skip
        self.scores = {n: Score(n) for n in names}
        self.scores["SNR estimate"].unit = "dB"

    def add(self, truth: dict[str, Any], report: Report) -> None:
        cid = truth["id"]
        d = report.delivery
        s = self.scores
        events = [span(p) for p in parts(truth, "filler", "hesitation")]
        found = [(f.start_s, f.end_s) for f in d.fillers] + [
            (h.start_s, h.end_s) for h in d.hesitations
        ]
        add_events(s["fillers (transcript + acoustic)"], cid, events, found)
        words = [span(p) for p in parts(truth, "filler")]
        # A transcribed "uh" where a held hesitation was is right, not a false alarm.
        said = [(f.start_s, f.end_s) for f in d.fillers]
        _, _, not_hesitation = match_events(
            [span(p) for p in parts(truth, "hesitation")], said, TIME_TOL_S
        )
        add_events(
            s["fillers said as words (transcript)"], cid, words, [said[j] for j in not_hesitation]
        )
        # The acoustic detector is scored on the hesitations the transcript did not catch.
        heard = [(f.start_s, f.end_s) for f in d.fillers]
        hidden_all = [span(p) for p in parts(truth, "hesitation")]
        _, uncaught, _ = match_events(hidden_all, heard, TIME_TOL_S)
        hidden = [hidden_all[i] for i in uncaught]
        matched, missed, _ = match_events(
            hidden, [(h.start_s, h.end_s) for h in d.hesitations], TIME_TOL_S
        )
        h = s["hesitations (acoustic)"]
        h.tp += len(matched)
        h.fn += len(missed)
        h.errors_s += [abs(d.hesitations[j].start_s - hidden[i][0]) for i, j in matched]
        h.misses += [f"{cid}: missed {hidden[i][0]:.2f}s" for i in missed]
        # Acoustic detections on no labelled filler at all are false alarms.
        _, _, extra = match_events(
            events, [(x.start_s, x.end_s) for x in d.hesitations], TIME_TOL_S
        )
        h.fp += len(extra)
        self._pauses(truth, report)
        self._verdicts(truth, report)

    def _pauses(self, truth: dict[str, Any], report: Report) -> None:
        cid = truth["id"]
        d = report.delivery
        labelled = [
            span(p) for p in parts(truth, "pause") if p["end_s"] - p["start_s"] >= MIN_EVAL_PAUSE_S
        ]
        found = [(q.start_s, q.end_s) for q in d.pauses if q.kind in ("pause", "long")
                 and q.duration_s >= MIN_EVAL_PAUSE_S]  # fmt: skip
        add_events(self.scores["pauses"], cid, labelled, found, edges=True)
        dead = self.scores["dead air"]
        cfg = self.profile.pauses
        first = truth["parts"][0]["start_s"]
        last = truth["parts"][-1]["end_s"]
        want_start = first >= cfg.dead_air_start_s
        want_end = truth["duration_s"] - last >= cfg.dead_air_end_s
        start = next((q for q in d.pauses if q.kind == "dead_air_start"), None)
        end = next((q for q in d.pauses if q.kind == "dead_air_end"), None)
        dead.verdict((start is not None) == want_start, f"{cid}: dead air at start")
        dead.verdict((end is not None) == want_end, f"{cid}: dead air at end")
        if start is not None and want_start:
            dead.errors_s.append(abs(start.end_s - first))
        if end is not None and want_end:
            dead.errors_s.append(abs(end.start_s - last))
        vp = next((p for p in truth["parts"] if p.get("mark") == "value_proposition"), None)
        if vp is not None:
            got = report.value_proposition
            vp_found = got.found and got.start_s is not None
            self.scores["value proposition found"].verdict(vp_found, f"{cid}: not found")
            if vp_found and got.start_s is not None:
                err = abs(got.start_s - vp["start_s"])
                score = self.scores["value proposition time"]
                score.verdict(err <= TIME_TOL_S, f"{cid}: at {got.start_s} vs {vp['start_s']}")
                score.errors_s.append(err)

    def _verdicts(self, truth: dict[str, Any], report: Report) -> None:
        cid = truth["id"]
        d = report.delivery
        s = self.scores
        status = {c.id: c.status for c in report.checks}
        if "monotone" in truth:
            s["monotone verdict"].verdict(
                (status["monotone"] == "warn") == truth["monotone"],
                f"{cid}: monotone {status['monotone']} ({d.pitch_sd_semitones} st)",
            )
        # Every case is labelled for rushing: only the rushing_* cases speed up at the end.
        s["rushing verdict"].verdict(
            (status["rushing"] == "warn") == bool(truth.get("rushing")),
            f"{cid}: rushing {status['rushing']} (end {d.end_tail_ratio})",
        )
        if not truth.get("snr_db") or truth["snr_db"] >= 30:
            self._uptalk(truth, report)
        if "phone_slow" in truth:
            ratio = self._digit_ratio(report)
            slow = ratio is not None and ratio <= self.profile.phone.max_digit_pace_ratio
            s["phone number pace"].verdict(
                slow == truth["phone_slow"], f"{cid}: digit/word pace {ratio}"
            )
        if "phone_twice" in truth:
            twice = len(report.phone_numbers) >= 2
            s["phone number said twice"].verdict(
                twice == truth["phone_twice"], f"{cid}: said {len(report.phone_numbers)}x"
            )
        q = self.profile.quality
        snr_truth = float(truth.get("snr_db", 99.0))
        if "snr_db" in truth and d.snr_db is not None:
            s["SNR estimate"].errors_s.append(abs(d.snr_db - snr_truth))
        expect = (
            "fail" if snr_truth < q.fail_snr_db else "warn" if snr_truth < q.warn_snr_db else "pass"
        )
        s["noise verdict"].verdict(
            status["noise"] == expect, f"{cid}: noise {status['noise']} (snr {d.snr_db})"
        )
        s["telephone band"].verdict(
            bool(d.telephone_band) == bool(truth.get("telephone")),
            f"{cid}: telephone {d.telephone_band}",
        )
        clipped = (d.clipped_fraction or 0.0) > self.profile.loudness.clipping_fraction
        s["clipping verdict"].verdict(
            clipped == bool(truth.get("clipped")) and (not clipped or status["loudness"] == "warn"),
            f"{cid}: clipped {d.clipped_fraction}",
        )
        quiet = (
            status["loudness"] == "warn"
            and (d.speech_rms_dbfs or 0) < self.profile.loudness.quiet_dbfs
        )
        s["quiet verdict"].verdict(
            quiet == bool(truth.get("quiet")), f"{cid}: level {d.speech_rms_dbfs}"
        )

    def _uptalk(self, truth: dict[str, Any], report: Report) -> None:
        """Every sentence-final part of a clean case is a labelled statement: rising or falling."""
        cid = truth["id"]
        score = self.scores["uptalk verdict"]
        ends = [p for p in parts(truth, "say") if p["text"].rstrip().endswith(SENTENCE_END)]
        sentences = report.delivery.sentences
        for p in ends:
            if p.get("question"):
                continue
            near = min(sentences, key=lambda x: abs(x.end_s - p["end_s"]), default=None)
            if near is None or abs(near.end_s - p["end_s"]) > 0.8:
                score.verdict(False, f"{cid}: no sentence ends near {p['end_s']:.2f}s")
                continue
            rising = bool(p.get("rising"))
            ok = near.uptalk == rising
            score.verdict(ok, f"{cid}: {p['text'][:30]!r} rise {near.end_rise_semitones}")
            if rising:
                score.tp += near.uptalk
                score.fn += not near.uptalk
            else:
                score.fp += near.uptalk

    @staticmethod
    def _digit_ratio(report: Report) -> float | None:
        words_per_s = report.delivery.wpm / 60.0
        if not report.phone_numbers or words_per_s <= 0:
            return None
        return round(max(n.digits_per_s for n in report.phone_numbers) / words_per_s, 2)


def normalise(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("-", " "))


def align(ref: Sequence[str], hyp: Sequence[str]) -> tuple[int, int, int]:
    """(substitutions, deletions, insertions) of the cheapest word alignment."""
    n, m = len(ref), len(hyp)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(
                cost[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]),
                cost[i - 1][j] + 1,
                cost[i][j - 1] + 1,
            )
    subs = dels = ins = 0
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and cost[i][j] == cost[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            subs += ref[i - 1] != hyp[j - 1]
            i, j = i - 1, j - 1
        elif i > 0 and cost[i][j] == cost[i - 1][j] + 1:
            dels += 1
            i -= 1
        else:
            ins += 1
            j -= 1
    return subs, dels, ins


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None
