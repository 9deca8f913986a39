"""How well the content checks read sentences and whole messages, split by split.

    PYTHONPATH=. .venv/bin/python -m eval.content_accuracy            # every split, both readers
    PYTHONPATH=. .venv/bin/python -m eval.content_accuracy --misses dev

Sentences: precision and recall per category, call-to-action kind accuracy, and the figures on
the speech-to-text-style part. Messages (through check-script, as a user would): presence
agreement per category and how well the score separates good messages from bad ones (AUC).
The blind splits' misses are never printed: their figures stay an honest estimate.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

from eval.content_data import CATEGORIES, MESSAGE_SPLITS, Case, Message, cases, messages
from voicemail_coach.analysis.meaning import get_model, load_error
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile import CONTENT_CATEGORIES, Profile
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.report import Report
from voicemail_coach.analysis.structure import analyze_structure
from voicemail_coach.analysis.transcript import Sentence, words_from_text

BLIND = ("blind", "blind_m", "blind_q", "old_blind")
MESSAGE_CATEGORIES = CONTENT_CATEGORIES


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, truth: bool, got: bool) -> None:
        self.tp += truth and got
        self.fp += got and not truth
        self.fn += truth and not got

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class SentenceScores:
    n: int = 0
    per: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in CATEGORIES})
    stt: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in CATEGORIES})
    kind_right: int = 0
    kind_total: int = 0
    misses: list[str] = field(default_factory=list)


def read_sentence(text: str, profile: Profile) -> tuple[set[str], str | None]:
    """The labels the app gives ``text`` read as one sentence, and its call-to-action kind."""
    words = words_from_text(text, profile.pace.script_wpm)
    if not words:
        return set(), None
    sentence = Sentence(0, len(words) - 1, text, words[0].start_s, words[-1].end_s)
    structure = analyze_structure(words, [sentence], profile)
    sl = structure.sentence_labels[0]
    return set(sl.labels), sl.cta_kind


def score_sentences(cs: Sequence[Case], profile: Profile, keep_misses: bool) -> SentenceScores:
    model = get_model() if profile.content.use_model else None
    if model is not None:
        model.embed([c.text for c in cs])  # one batch; the readings below reuse it
    out = SentenceScores(n=len(cs))
    for case in cs:
        got, kind = read_sentence(case.text, profile)
        for c in CATEGORIES:
            truth = c in case.labels
            out.per[c].add(truth, c in got)
            if case.style == "stt":
                out.stt[c].add(truth, c in got)
            if keep_misses and truth != (c in got):
                out.misses.append(f"{'FN' if truth else 'FP'} {c:18} {case.text}")
        if "call_to_action" in case.labels and "call_to_action" in got and case.cta_kind:
            out.kind_total += 1
            out.kind_right += kind == case.cta_kind
            if keep_misses and kind != case.cta_kind:
                out.misses.append(f"KIND {kind} != {case.cta_kind}: {case.text}")
    return out


def present(report: Report) -> set[str]:
    got = {
        c
        for c in ("intro", "value_proposition", "call_to_action", "opt_out")
        if getattr(report, c).found
    }
    got |= {f.category for f in report.findings}
    return got


def auc(good: Sequence[float], bad: Sequence[float]) -> float:
    """The chance that a good message scores above a bad one (ties count half)."""
    if not good or not bad:
        return float("nan")
    wins = sum((g > b) + 0.5 * (g == b) for g in good for b in bad)
    return wins / (len(good) * len(bad))


@dataclass
class MessageScores:
    n: int = 0
    agree: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MESSAGE_CATEGORIES, 0))
    good: list[float] = field(default_factory=list)
    bad: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


def score_messages(ms: Sequence[Message], profile: Profile, keep_misses: bool) -> MessageScores:
    out = MessageScores(n=len(ms))
    for m in ms:
        report = analyze_script(m.text, profile)
        got = present(report)
        for c in MESSAGE_CATEGORIES:
            ok = (c in got) == (c in m.labels)
            out.agree[c] += ok
            if keep_misses and not ok:
                out.misses.append(f"{m.id} {'FN' if c in m.labels else 'FP'} {c}")
        if m.quality == "good":
            out.good.append(report.score or 0)
        elif m.quality == "bad":
            out.bad.append(report.score or 0)
    return out


def print_sentences(name: str, s: SentenceScores, label: str) -> None:
    print(f"\n{name} sentences ({s.n}), {label}")
    print(f"  {'category':18} {'P':>5} {'R':>5} {'n':>4}   stt P / R")
    for c in CATEGORIES:
        k, t = s.per[c], s.stt[c]
        print(
            f"  {c:18} {k.precision:5.2f} {k.recall:5.2f} {k.tp + k.fn:4}   {t.precision:.2f} / {t.recall:.2f} ({t.tp + t.fn})"
        )
    if s.kind_total:
        print(f"  call-to-action kind {s.kind_right / s.kind_total:.2f} ({s.kind_total})")


def print_messages(name: str, m: MessageScores, label: str) -> None:
    if not m.n:
        return
    agree = "  ".join(f"{c} {m.agree[c] / m.n:.2f}" for c in MESSAGE_CATEGORIES)
    print(f"\n{name} messages ({m.n}), {label}: presence agreement {agree}")
    print(
        f"  score AUC good vs bad {auc(m.good, m.bad):.3f} ({len(m.good)} good, {len(m.bad)} bad)"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("splits", nargs="*", default=["train", "dev", "old_blind", "blind", "blind_m"])
    ap.add_argument("--misses", action="store_true", help="print misses (never for blind splits)")
    ap.add_argument("--rules-only", action="store_true", help="only the phrase rules")
    ap.add_argument("--no-messages", action="store_true")
    args = ap.parse_args(argv)
    base = load_profile()
    readers = [
        (
            "rules only",
            dataclasses.replace(base, content=dataclasses.replace(base.content, use_model=False)),
        )
    ]
    if not args.rules_only:
        if get_model() is None:
            print(f"meaning model unavailable: {load_error()}", file=sys.stderr)
            return 1
        readers.append(("rules + model", base))
    for split in args.splits:
        keep = args.misses and split not in BLIND
        cs = cases(split)
        for label, profile in readers:
            if cs:
                s = score_sentences(cs, profile, keep)
                print_sentences(split, s, label)
                for line in s.misses:
                    print("   ", line)
            if split in MESSAGE_SPLITS and not args.no_messages:
                m = score_messages(messages(split), profile, keep)
                print_messages(split, m, label)
                for line in m.misses:
                    print("   ", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
