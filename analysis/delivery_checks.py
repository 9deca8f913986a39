"""The delivery checks: pace, fillers, pauses, pitch, loudness, hesitations, rising endings,
rushing and background noise, each against the profile (audio-only ones say so for a script)."""

from __future__ import annotations

from collections.abc import Callable

from analysis.check_builder import CheckBuilder, CheckInputs
from analysis.profile import Profile
from analysis.report import Evidence


def _pace(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    c = p.pace
    target = f"{c.target_min_wpm:.0f}-{c.target_max_wpm:.0f} wpm"
    if _unmeasured(b, x, "pace", target):
        return
    wpm = round(x.delivery.wpm)
    if wpm > c.warn_over_wpm:
        b.add("pace", "warn", "warn_fast", wpm, target)
    elif wpm < c.warn_under_wpm:
        b.add("pace", "warn", "warn_slow", wpm, target)
    elif wpm > c.target_max_wpm:
        b.add("pace", "pass", "pass_brisk", wpm, target)
    else:
        b.add("pace", "pass", "pass", wpm, target)


def _fillers(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    d = x.delivery
    c = p.fillers
    target = f"under {c.warn_per_minute:.0f} per minute"
    count = len(d.fillers)
    minutes = max(d.speaking_s, 1.0) / 60.0
    per_min = round(count / minutes, 1)
    share = count / max(1, d.word_count)
    ev = [Evidence(f.text, f.start_s, f.end_s) for f in d.fillers]
    ev += [Evidence(f"burst of {fb.count} fillers", fb.start_s, fb.end_s) for fb in d.filler_bursts]
    text = d.fillers[0].text if d.fillers else ""
    if per_min > c.fail_per_minute and count >= 3:
        b.add("fillers", "fail", "fail", per_min, target, ev, count=count, text=text)
    elif (per_min > c.warn_per_minute or share > c.warn_share) and count >= 2:
        b.add("fillers", "warn", "warn", per_min, target, ev, count=count, text=text)
    else:
        b.add("fillers", "pass", "pass", per_min, target, ev, count=count, text=text)


def _unmeasured(
    b: CheckBuilder, x: CheckInputs, check_id: str, target: str, measured: bool = True
) -> bool:
    """Whether this audio-only check has nothing to judge, having added its info outcome: a
    written script has no sound ("script"); a recording may lack what it measures ("none")."""
    if x.is_script:
        b.add(check_id, "info", "script", None, target)
    elif not measured:
        b.add(check_id, "info", "none", None, target)
    else:
        return False
    return True


def _pauses(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    c = p.pauses
    target = f"no silence over {c.long_pause_s:.0f} s; start within {c.dead_air_start_s:.1f} s"
    if _unmeasured(b, x, "pauses", target):
        return
    pauses = x.delivery.pauses
    long_ones = [q for q in pauses if q.kind == "long"]
    start = next((q for q in pauses if q.kind == "dead_air_start"), None)
    ev = [
        Evidence(f"{q.duration_s:.1f} s silence", q.start_s, q.end_s)
        for q in pauses
        if q.kind != "pause"
    ]
    if long_ones:
        longest = max(q.duration_s for q in long_ones)
        b.add("pauses", "warn", "warn", longest, target, ev, count=len(long_ones))
    elif start is not None:
        b.add("pauses", "warn", "warn_start", start.duration_s, target, ev)
    else:
        b.add("pauses", "pass", "pass", 0, target, ev)


def _monotone(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    c = p.pitch
    target = f"at least {c.monotone_sd_semitones:.1f} semitones"
    d = x.delivery
    if _unmeasured(b, x, "monotone", target, d.pitch_sd_semitones is not None):
        return
    assert d.pitch_sd_semitones is not None
    flat = [Evidence(f"flat: {w.sd_semitones:.1f} st", w.start_s, w.end_s) for w in d.pitch_windows
            if w.sd_semitones < c.monotone_sd_semitones]  # fmt: skip
    if d.monotone_stretches:
        flat = [Evidence(f"monotone stretch: {w.sd_semitones:.1f} st", w.start_s, w.end_s)
                for w in d.monotone_stretches]  # fmt: skip
    status = "warn" if d.pitch_sd_semitones < c.monotone_sd_semitones else "pass"
    b.add("monotone", status, status, d.pitch_sd_semitones, target, flat)


def _loudness(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    c = p.loudness
    target = (
        f"speech above {c.quiet_dbfs:.0f} dBFS, clipping under {100 * c.clipping_fraction:.1f}%"
    )
    if _unmeasured(b, x, "loudness", target):
        return
    d = x.delivery
    level = d.speech_rms_dbfs if d.speech_rms_dbfs is not None else -100.0
    clipped = d.clipped_fraction or 0.0
    if clipped > c.clipping_fraction:
        b.add(
            "loudness", "warn", "warn_clipping", round(level, 1), target, clipped_pct=100 * clipped
        )
    elif level < c.quiet_dbfs:
        b.add("loudness", "warn", "warn_quiet", round(level, 1), target)
    else:
        b.add("loudness", "pass", "pass", round(level, 1), target)


def _hesitations(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    target = f"fewer than {p.hesitations.warn_count}"
    if _unmeasured(b, x, "hesitations", target, x.delivery.word_count > 0):
        return
    found = x.delivery.hesitations
    ev = [Evidence(f"possible hesitation ({h.end_s - h.start_s:.1f} s)", h.start_s, h.end_s)
          for h in found]  # fmt: skip
    status = "warn" if len(found) >= p.hesitations.warn_count else "pass"
    b.add("hesitations", status, status, len(found), target, ev, count=len(found))


def _uptalk(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    target = "statements end falling"
    judged = [s for s in x.delivery.sentences if s.end_rise_semitones is not None]
    if _unmeasured(b, x, "uptalk", target, bool(judged)):
        return
    rising = [s for s in judged if s.uptalk]
    texts = {(s.start_s, s.end_s): s.text for s in x.sentences}
    ev = [Evidence(f"rises {s.end_rise_semitones:+.1f} st: {texts.get((s.start_s, s.end_s), '')}",
                   max(s.start_s, s.end_s - 1.0), s.end_s) for s in rising]  # fmt: skip
    text = texts.get((rising[0].start_s, rising[0].end_s), "") if rising else ""
    status = "warn" if len(rising) >= p.intonation.warn_count else "pass"
    b.add("uptalk", status, status, len(rising), target, ev, count=len(rising), text=text)


def _rushing(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    c = p.rushing
    target = f"sentence ends under {c.sentence_ratio:.2f}x the pace before them"
    d = x.delivery
    if _unmeasured(b, x, "rushing", target, d.word_count > 0):
        return
    rushed = [s for s in d.sentences if s.rushing]
    texts = {(s.start_s, s.end_s): s.text for s in x.sentences}
    ev = [Evidence(f"{s.tail_ratio:.1f}x faster at the end", max(s.start_s, s.end_s - c.sentence_tail_s), s.end_s)
          for s in rushed]  # fmt: skip
    if d.rushing_end and d.end_tail_ratio is not None:
        end = d.sentences[-1].end_s if d.sentences else d.duration_s
        ev.append(Evidence(f"last {c.message_tail_s:.0f} s: {d.end_tail_ratio:.1f}x faster",
                           max(0.0, end - c.message_tail_s), end))  # fmt: skip
    if rushed:
        worst = max(rushed, key=lambda s: s.tail_ratio or 0.0)
        text = texts.get((worst.start_s, worst.end_s), "")
        b.add("rushing", "warn", "warn", len(rushed), target, ev, count=len(rushed),
              ratio=worst.tail_ratio or 0.0, text=text)  # fmt: skip
    elif d.rushing_end:
        b.add("rushing", "warn", "warn_end", d.end_tail_ratio, target, ev, ratio=d.end_tail_ratio)
    else:
        b.add("rushing", "pass", "pass", 0, target)


def _noise(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    c = p.quality
    target = f"speech at least {c.warn_snr_db:.0f} dB above the background"
    d = x.delivery
    if _unmeasured(b, x, "noise", target, d.snr_db is not None):
        return
    assert d.snr_db is not None
    noise = d.pause_noise_dbfs if d.pause_noise_dbfs is not None else -100.0
    quiet = [q for q in d.pauses if q.kind != "dead_air_end"]
    ev = [Evidence(f"background {noise:.0f} dBFS", q.start_s, q.end_s) for q in quiet[:1]]
    if d.snr_db < c.fail_snr_db:
        b.add("noise", "fail", "fail", d.snr_db, target, ev, noise_dbfs=noise)
    elif d.snr_db < c.warn_snr_db:
        b.add("noise", "warn", "warn", d.snr_db, target, ev, noise_dbfs=noise)
    elif d.telephone_band:
        b.add("noise", "pass", "pass_phone", d.snr_db, target, ev, noise_dbfs=noise)
    else:
        b.add("noise", "pass", "pass", d.snr_db, target, ev, noise_dbfs=noise)


DELIVERY_STEPS: tuple[Callable[[CheckBuilder, CheckInputs, Profile], None], ...] = (
    _pace,
    _fillers,
    _pauses,
    _monotone,
    _loudness,
    _hesitations,
    _uptalk,
    _rushing,
    _noise,
)
