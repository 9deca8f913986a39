"""Does the message survive the phone line? The take rendered as the prospect will hear it
(``voicemail_coach.audio.phone_line``), transcribed again with the same model, and the things
the prospect must catch looked for in what the line let through: the caller's name and company
(from the introduction), the prospect's company (a scenario card's, when the rep said it) and
the callback number, digit by digit.

Runs after the report (``check_line``): the app shows the report first and adds the check when
it is ready. ``judge`` judges stored line words again without transcribing (a reanalysis).
The numbers and the advice come from the profile's ``[phone_line]`` and ``[checks.phone_line]``.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import re
import threading
import time
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from voicemail_coach.analysis import report as r
from voicemail_coach.analysis.bands import Band
from voicemail_coach.analysis.check_builder import CheckBuilder
from voicemail_coach.analysis.checks import score
from voicemail_coach.analysis.phone_numbers import digits_of, find_phone_numbers, grouped
from voicemail_coach.analysis.profile import PhoneLineGuidance, Profile
from voicemail_coach.analysis.transcribe import ProgressFn, Transcriber
from voicemail_coach.analysis.transcript import Word
from voicemail_coach.audio.phone_line import INPUT_RATE_HZ, LineAudio, LineSettings, render

CHECK_ID = "phone_line"
# Heard words shown for an item: those within this of its span.
SHOWN_SLACK_S = 0.25
KINDS = ("name", "company", "prospect_company", "number")


def line_settings(g: PhoneLineGuidance) -> LineSettings:
    """The rendering's settings from the profile's ``[phone_line]``: every field of
    ``LineSettings`` is a key of the table by the same name (``PhoneLineGuidance`` holds the
    rest, the check's own)."""
    return LineSettings(**{f.name: getattr(g, f.name) for f in dataclasses.fields(LineSettings)})


def render_take(samples: npt.NDArray[np.float32], sample_rate: int, profile: Profile) -> LineAudio:
    """The take as the prospect will hear it, with the profile's line (the default's when the
    profile has none)."""
    g = profile.phone_line
    return render(samples, sample_rate, line_settings(g) if g is not None else LineSettings())


def applies(report: r.Report, profile: Profile) -> bool:
    """Checked only for a recorded message, with the check on in the profile."""
    g = profile.phone_line
    return (
        g is not None
        and g.enabled
        and report.source.script is None
        and report.model is not None
        and report.is_message
    )


def check_line(
    report: r.Report,
    samples: npt.NDArray[np.float32],
    sample_rate: int,
    transcriber: Transcriber,
    profile: Profile,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    line: LineAudio | None = None,
) -> r.Report:
    """``report`` with the phone-line check added (and its score again); as it was when the
    check does not apply. ``line``: the rendering, when it was made already (the player's)."""
    if not applies(report, profile):
        return report
    t0 = time.perf_counter()
    line = line or render_take(samples, sample_rate, profile)
    t1 = time.perf_counter()
    result = transcriber.transcribe(line.at_rate(INPUT_RATE_HZ), progress, cancel)
    t2 = time.perf_counter()
    words = tuple(r.ReportWord(w.text, w.start_s, w.end_s, w.probability) for w in result.words)
    stored = r.PhoneLine(line.codec, line.chain, words, (), round(t1 - t0, 2), round(t2 - t1, 2))
    return judge(report, stored, profile)


def judge(report: r.Report, line: r.PhoneLine, profile: Profile) -> r.Report:
    """Judge ``line``'s words against what ``report`` heard said; replaces any earlier
    phone-line check. Unchanged when the check does not apply."""
    if not applies(report, profile):
        return report
    g = profile.phone_line
    assert g is not None
    items: list[r.LineItem | None] = [
        _word_item(kind, span, line.words, g) for kind, span in _said_items(report, profile, g)
    ]
    items += [_number_item(n, line.words, g) for n in report.phone_numbers]
    items += [
        _number_item(n, line.words, g, said_words=report.transcript.words)
        for n in _line_only_numbers(report, line.words, profile)
    ]
    done = dataclasses.replace(line, items=tuple(i for i in items if i is not None))
    b = CheckBuilder(profile)
    _add_check(b, done, g)
    checks = (*(c for c in report.checks if c.id != CHECK_ID), *b.checks)
    return dataclasses.replace(report, phone_line=done, checks=checks, score=score(checks))


def _add_check(b: CheckBuilder, line: r.PhoneLine, g: PhoneLineGuidance) -> None:
    target = "your name, company and number heard on the line as you said them"
    items = line.items
    if not items:
        b.add(CHECK_ID, "info", "none", None, target, said="", heard="", lost="")
        return
    value = f"{sum(i.survived for i in items)} of {len(items)}"
    evidence = [
        r.Evidence(f"{i.said} / on the line: {i.heard or 'nothing'}", i.start_s, i.end_s)
        for i in items
    ]
    bands = []
    numbers = [i for i in items if i.kind == "number"]
    best = max(numbers, key=lambda i: i.share) if numbers else None
    if best is not None:
        pct = round(100 * best.share)
        bands.append(_pct_band("digits heard on the line", pct, 100, 100, g.number_warn_pct))
    words = [i for i in items if i.kind != "number"]
    worst = min(words, key=lambda i: i.share) if words else None
    if worst is not None:
        pct = round(100 * worst.share)
        bands.append(
            _pct_band("name and company words heard", pct, g.words_warn_pct, g.words_warn_pct, None)
        )
    variant, about = "pass", None
    if best is not None and bands[0].zone() not in ("ideal", "fine"):
        variant = "fail_number" if bands[0].zone() == "fail" else "warn_number"
        variant, about = ("unclear_number" if best.line_only else variant), best
    elif worst is not None and bands[-1].zone() not in ("ideal", "fine"):
        variant, about = f"warn_{worst.kind}", worst
    kinds = [getattr(g, f"{k}_label") for k in KINDS if any(i.kind == k for i in items)]
    text = kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} and {kinds[-1]}"
    fields = {"said": "", "heard": "", "lost": "", "text": text}
    if about is not None:
        lost = ", ".join(about.lost) if about.lost else "words out of order"
        fields = {"said": about.said, "heard": about.heard or "nothing", "lost": lost, "text": text}
    b.judge(CHECK_ID, bands, variant, value, target, evidence, **fields)


def _pct_band(
    measure: str, pct: int, ideal_min: float, fine_min: float, warn_min: float | None
) -> Band:
    """A share in %; ``warn_min`` None: it never fails."""
    return Band(measure, pct, "%", ideal_min, None, fine_min, None, warn_min, None)


def _said_items(
    report: r.Report, profile: Profile, g: PhoneLineGuidance
) -> list[tuple[str, Sequence[r.ReportWord]]]:
    """The caller's name and company as said in the introduction, and the prospect's company
    (a scenario card's) where it was said."""
    words = report.transcript.words
    intro = _intro_words(report)
    out: list[tuple[str, Sequence[r.ReportWord]]] = []
    name_at = _after_lead(intro, g.name_leads, g.max_name_words, g.not_names)
    if name_at:
        out.append(("name", name_at))
    company_at = _after_lead(intro, g.company_leads, g.max_company_words, g.not_names)
    if company_at:
        out.append(("company", company_at))
    if report.scenario is not None and report.scenario.company:
        generic = set(profile.scenario.company_generic) if profile.scenario else set()
        wanted = [
            _norm(w)
            for w in report.scenario.company.split()
            if _norm(w) and _norm(w) not in generic
        ]
        said = _find_run(words, wanted, g.word_similarity, g.min_part_letters)
        if said and not (company_at and said[0].start_s == company_at[0].start_s):
            out.append(("prospect_company", said))
    return out


def _intro_words(report: r.Report) -> Sequence[r.ReportWord]:
    """The words up to the end of the introduction's sentence (the first two sentences when no
    introduction was found)."""
    words = report.transcript.words
    if report.intro.found and report.intro.end_s is not None:
        end = report.intro.end_s
    elif report.sentences:
        end = report.sentences[min(1, len(report.sentences) - 1)].end_s
    else:
        return ()
    return [w for w in words if w.end_s <= end + 0.01]


def _after_lead(
    words: Sequence[r.ReportWord], leads: Sequence[str], most: int, not_names: Sequence[str]
) -> list[r.ReportWord]:
    """Up to ``most`` capitalised words straight after the first of ``leads`` found, stopping
    after a word that ends a phrase (",", ".")."""
    tokens = [_norm(w.text) for w in words]
    skip = {_norm(n) for n in not_names}
    for lead in sorted(leads, key=lambda x: -len(x.split())):
        parts = [_norm(p) for p in lead.split()]
        for i in range(len(tokens) - len(parts)):
            if tokens[i : i + len(parts)] != parts:
                continue
            found: list[r.ReportWord] = []
            for w in words[i + len(parts) : i + len(parts) + most]:
                text = w.text.strip()
                if not text[:1].isupper() or _norm(text) in skip:
                    break
                found.append(w)
                if re.search(r"[,.!?;:]$", text):
                    break
            if found:
                return found
    return []


def _find_run(
    words: Sequence[r.ReportWord], wanted: Sequence[str], similarity: float, min_part_letters: int
) -> list[r.ReportWord]:
    """The said words matching ``wanted`` in a row (the first such run), or []."""
    if not wanted:
        return []
    for i in range(len(words) - len(wanted) + 1):
        run = words[i : i + len(wanted)]
        if all(
            _alike(_norm(w.text), want, similarity, min_part_letters)
            for w, want in zip(run, wanted, strict=True)
        ):
            return list(run)
    return []


def _window(
    heard: Sequence[r.ReportWord], start_s: float, end_s: float, slack_s: float
) -> list[r.ReportWord]:
    return [w for w in heard if w.start_s <= end_s + slack_s and w.end_s >= start_s - slack_s]


def _word_item(
    kind: str, said: Sequence[r.ReportWord], heard: Sequence[r.ReportWord], g: PhoneLineGuidance
) -> r.LineItem:
    start, end = said[0].start_s, said[-1].end_s
    near = [_norm(w.text) for w in _window(heard, start, end, g.time_slack_s)]
    # Whisper may split or join a word on the line ("Northwind" / "North wind"): pairs too.
    candidates = [*near, *(a + b for a, b in itertools.pairwise(near))]
    recovered: list[str] = []
    lost: list[str] = []
    for w in said:
        token = _norm(w.text)
        ok = any(_alike(token, c, g.word_similarity, g.min_part_letters) for c in candidates)
        (recovered if ok else lost).append(w.text.strip(" ,.!?;:"))
    share = len(recovered) / len(said)
    return r.LineItem(
        kind=kind,
        said=" ".join(w.text.strip() for w in said).strip(" ,.!?;:"),
        heard=_shown(heard, start, end),
        start_s=start,
        end_s=end,
        recovered=tuple(recovered),
        lost=tuple(lost),
        share=round(share, 3),
        survived=not lost,
    )


def _line_only_numbers(
    report: r.Report, heard: Sequence[r.ReportWord], profile: Profile
) -> list[r.PhoneNumberSaid]:
    """Numbers the line's transcript holds where the take's has none: a number rushed so that
    only one of the two readings caught it is still a number to judge."""
    found = find_phone_numbers(
        [Word(w.text, w.start_s, w.end_s, w.probability) for w in heard],
        profile.phone.min_digits,
        profile.phone.not_after,
    )
    return [
        r.PhoneNumberSaid(n.text, n.start_s, n.end_s, n.digits, round(n.digits_per_s, 2))
        for n in found
        if not any(s.start_s <= n.end_s and s.end_s >= n.start_s for s in report.phone_numbers)
    ]


def _number_item(
    number: r.PhoneNumberSaid,
    heard: Sequence[r.ReportWord],
    g: PhoneLineGuidance,
    said_words: Sequence[r.ReportWord] | None = None,
) -> r.LineItem | None:
    """``number`` as said, digit by digit against the line's words near it. ``said_words``:
    ``number`` was found on the line only; what was said is read from these words in its
    time (the digits the take's transcript caught there, maybe none)."""
    near = _window(heard, number.start_s, number.end_s, g.time_slack_s)
    if said_words is None:
        said = digits_of(number.text.split())
        got = digits_of([w.text for w in near])
    else:
        window = _window(said_words, number.start_s, number.end_s, 0.0)
        said = digits_of([w.text for w in window])
        got = digits_of(number.text.split())
    if not said and said_words is None:
        return None
    matcher = difflib.SequenceMatcher(None, said, got, autojunk=False)
    matched = sum(b.size for b in matcher.get_matching_blocks())
    lost = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "replace":
            lost.append(f"{said[i1:i2]} heard as {got[j1:j2]}")
        elif op == "delete":
            lost.append(f"{said[i1:i2]} missing")
        elif op == "insert":
            lost.append(f"{got[j1:j2]} added")
    share = matched / max(len(said), len(got), 1)
    return r.LineItem(
        kind="number",
        said=grouped(said) if said else _shown(said_words or (), number.start_s, number.end_s),
        heard=grouped(got) if got else _shown(heard, number.start_s, number.end_s),
        start_s=number.start_s,
        end_s=number.end_s,
        recovered=tuple(said[b.a : b.a + b.size] for b in matcher.get_matching_blocks() if b.size),
        lost=tuple(lost),
        share=round(share, 3),
        survived=said == got,
        line_only=said_words is not None,
    )


def _shown(heard: Sequence[r.ReportWord], start_s: float, end_s: float) -> str:
    return " ".join(w.text.strip() for w in _window(heard, start_s, end_s, SHOWN_SLACK_S)).strip()


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9']", "", text.lower()).strip("'")


def _alike(a: str, b: str, similarity: float, min_part_letters: int) -> bool:
    """The same word, near enough, or (``min_part_letters`` or more, 0: never) a part of a word
    heard joined ("north" in "northwind")."""
    if not a or not b:
        return False
    if 0 < min_part_letters <= len(a) and a in b:
        return True
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= similarity
