"""The delivery checks: pace, fillers, pauses, pitch, loudness, hesitations, rising endings,
rushing and background noise, each against the profile (audio-only ones say so for a script)."""

from __future__ import annotations

import math
from collections.abc import Callable

from voicemail_coach.analysis.bands import Band
from voicemail_coach.analysis.check_builder import CheckBuilder, CheckInputs
from voicemail_coach.analysis.profile import Fillers, Profile
from voicemail_coach.analysis.report import Evidence


def _pace(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    c = p.pace
    target = f"{c.target_min_wpm:g}-{c.target_max_wpm:g} wpm"
    if _unmeasured(b, x, "pace", target):
        return
    wpm = round(x.delivery.wpm)
    band = Band("pace", wpm, "wpm", c.target_min_wpm, c.target_max_wpm, c.warn_under_wpm,
                c.warn_over_wpm)  # fmt: skip
    side = "fast" if wpm > c.target_max_wpm else "slow"
    variants = {"ideal": "pass", "fine": "pass_brisk" if side == "fast" else "pass_steady",
                "warn": f"warn_{side}"}  # fmt: skip
    b.judge("pace", [band], variants, wpm, target)


def filler_band(count: int, speaking_s: float, word_count: int, c: Fillers) -> Band:
    """The profile's per-minute and share-of-words limits as counts for this take: fine up to
    what both allow (one filler is always fine), failing over the fail rate (two never fail)."""
    minutes = max(speaking_s, 1.0) / 60.0
    allowed = min(c.warn_per_minute * minutes, c.warn_share * max(1, word_count))
    fine = max(1, math.floor(allowed + 1e-9))
    warn = max(2, fine, math.floor(c.fail_per_minute * minutes + 1e-9))
    return Band("filler words", count, "", None, 0, None, fine, None, warn)


def _fillers(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    d = x.delivery
    c = p.fillers
    target = f"at most {c.warn_per_minute:g} per minute and {100 * c.warn_share:g}% of words"
    count = len(d.fillers)
    per_min = round(count / (max(d.speaking_s, 1.0) / 60.0), 1)
    ev = [Evidence(f.text, f.start_s, f.end_s) for f in d.fillers]
    ev += [Evidence(f"burst of {fb.count} fillers", fb.start_s, fb.end_s) for fb in d.filler_bursts]
    text = d.fillers[0].text if d.fillers else ""
    band = filler_band(count, d.speaking_s, d.word_count, c)
    variants = {"ideal": "pass", "fine": "pass_few", "warn": "warn", "fail": "fail"}
    b.judge("fillers", [band], variants, per_min, target, ev, count=count, text=text)


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
    target = f"no silence over {c.long_pause_s:g} s; start within {c.dead_air_start_s:g} s"
    if _unmeasured(b, x, "pauses", target):
        return
    pauses = x.delivery.pauses
    inner = [q for q in pauses if q.kind in ("pause", "long")]
    longest = round(max((q.duration_s for q in inner), default=0.0), 1)
    start = next((q for q in pauses if q.kind == "dead_air_start"), None)
    lead = round(start.duration_s, 1) if start is not None else 0.0
    bands = [
        Band("longest silence", longest, "s", None, c.long_pause_s, None, c.long_pause_s),
        Band("silence before you start", lead, "s", None, c.dead_air_start_s, None,
             c.dead_air_start_s),
    ]  # fmt: skip
    ev = [
        Evidence(f"{q.duration_s:.1f} s silence", q.start_s, q.end_s)
        for q in pauses
        if q.kind != "pause"
    ]
    long_count = sum(round(q.duration_s, 1) > c.long_pause_s for q in inner)
    if bands[0].zone() != "ideal":
        b.judge("pauses", bands, "warn", longest, target, ev, count=long_count)
    elif bands[1].zone() != "ideal":
        b.judge("pauses", bands, "warn_start", lead, target, ev)
    else:
        b.judge("pauses", bands, "pass", 0, target, ev)


def _monotone(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    c = p.pitch
    target = f"at least {c.monotone_sd_semitones:g} semitones"
    d = x.delivery
    if _unmeasured(b, x, "monotone", target, d.pitch_sd_semitones is not None):
        return
    assert d.pitch_sd_semitones is not None
    sd = round(d.pitch_sd_semitones, 1)
    flat = [Evidence(f"flat: {w.sd_semitones:.1f} st", w.start_s, w.end_s) for w in d.pitch_windows
            if round(w.sd_semitones, 1) < c.monotone_sd_semitones]  # fmt: skip
    if d.monotone_stretches:
        flat = [Evidence(f"monotone stretch: {w.sd_semitones:.1f} st", w.start_s, w.end_s)
                for w in d.monotone_stretches]  # fmt: skip
    limit = c.monotone_sd_semitones
    band = Band("pitch variety", sd, "semitones", limit, None, limit)
    b.judge("monotone", [band], {"ideal": "pass", "warn": "warn"}, sd, target, flat)


def _loudness(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    c = p.loudness
    clip_limit = round(100 * c.clipping_fraction, 2)
    target = f"speech at least {c.quiet_dbfs:g} dBFS, clipping up to {clip_limit:g}%"
    if _unmeasured(b, x, "loudness", target):
        return
    d = x.delivery
    level = round(d.speech_rms_dbfs if d.speech_rms_dbfs is not None else -100.0)
    clipped = round(100 * (d.clipped_fraction or 0.0), 2)
    bands = [
        Band("speech level", level, "dBFS", c.quiet_dbfs, None, c.quiet_dbfs),
        Band("clipping", clipped, "%", None, clip_limit, None, clip_limit),
    ]
    variant = (
        "warn_clipping" if bands[1].zone() != "ideal"
        else "warn_quiet" if bands[0].zone() != "ideal"
        else "pass"
    )  # fmt: skip
    b.judge("loudness", bands, variant, float(level), target, clipped_pct=clipped)


def _counted_band(measure: str, n: int, warn_count: int) -> Band:
    """Fine below ``warn_count`` (ideal: none), a warning from it on."""
    return Band(measure, n, "", None, min(0, warn_count - 1), None, warn_count - 1)


def _hesitations(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    target = f"fewer than {p.hesitations.warn_count}"
    if _unmeasured(b, x, "hesitations", target, x.delivery.word_count > 0):
        return
    found = x.delivery.hesitations
    ev = [Evidence(f"possible hesitation ({h.end_s - h.start_s:.1f} s)", h.start_s, h.end_s)
          for h in found]  # fmt: skip
    band = _counted_band("hesitations", len(found), p.hesitations.warn_count)
    variants = {"ideal": "pass", "fine": "pass_few", "warn": "warn"}
    b.judge("hesitations", [band], variants, len(found), target, ev, count=len(found))


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
    band = _counted_band("rising endings", len(rising), p.intonation.warn_count)
    variants = {"ideal": "pass", "fine": "pass_few", "warn": "warn"}
    b.judge("uptalk", [band], variants, len(rising), target, ev, count=len(rising), text=text)


def _rushing(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    c = p.rushing
    target = f"sentence ends under {c.sentence_ratio:g}x the pace before them"
    d = x.delivery
    if _unmeasured(b, x, "rushing", target, d.word_count > 0):
        return
    rushed = [s for s in d.sentences if s.rushing]
    texts = {(s.start_s, s.end_s): s.text for s in x.sentences}
    ev = [Evidence(f"{s.tail_ratio:.1f}x faster at the end", max(s.start_s, s.end_s - c.sentence_tail_s), s.end_s)
          for s in rushed]  # fmt: skip
    if d.rushing_end and d.end_tail_ratio is not None:
        end = d.sentences[-1].end_s if d.sentences else d.duration_s
        ev.append(Evidence(f"last {c.message_tail_s:g} s: {d.end_tail_ratio:.1f}x faster",
                           max(0.0, end - c.message_tail_s), end))  # fmt: skip
    bands = [
        _counted_band("sentences that speed up", len(rushed), 1),
        _counted_band("a faster close", int(d.rushing_end), 1),
    ]
    if rushed:
        worst = max(rushed, key=lambda s: s.tail_ratio or 0.0)
        text = texts.get((worst.start_s, worst.end_s), "")
        b.judge("rushing", bands, "warn", len(rushed), target, ev, count=len(rushed),
                ratio=worst.tail_ratio or 0.0, text=text)  # fmt: skip
    elif d.rushing_end:
        ratio = d.end_tail_ratio or 0.0
        b.judge("rushing", bands, "warn_end", ratio, target, ev, ratio=ratio)
    else:
        b.judge("rushing", bands, "pass", 0, target)


def _noise(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    c = p.quality
    target = f"speech at least {c.warn_snr_db:g} dB above the background"
    d = x.delivery
    if _unmeasured(b, x, "noise", target, d.snr_db is not None):
        return
    assert d.snr_db is not None
    snr = round(d.snr_db, 1)
    noise = d.pause_noise_dbfs if d.pause_noise_dbfs is not None else -100.0
    quiet = [q for q in d.pauses if q.kind != "dead_air_end"]
    ev = [Evidence(f"background {noise:.0f} dBFS", q.start_s, q.end_s) for q in quiet[:1]]
    band = Band("signal to noise", snr, "dB", c.warn_snr_db, None, c.warn_snr_db, None,
                c.fail_snr_db)  # fmt: skip
    ideal = "pass_phone" if d.telephone_band else "pass"
    variants = {"ideal": ideal, "warn": "warn", "fail": "fail"}
    b.judge("noise", [band], variants, snr, target, ev, noise_dbfs=noise)


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
