""" "vs your last take" judges better and worse by the take's own targets (profile and preset)."""

from __future__ import annotations

import dataclasses

from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.report import Report
from voicemail_coach.app.deltas import deltas, ideal_zone, report_zones
from voicemail_coach.storage.records import Attempt

SCRIPT = (
    "Hi Dana, this is Sam Lee from Ledgerly. We help finance teams like yours close the books "
    "two days faster. I sent you an email with the details."
)


def _attempt(duration_s: float, wpm: float) -> Attempt:
    return Attempt(
        id=1, created_at="2026-01-01T00:00:00+00:00", title="t", tags=(), scenario=None,
        notes="", source="file", original_path=None, audio_path="a.flac", status="ready",
        duration_s=duration_s, score=80, time_to_value_s=3.0, wpm=wpm, fillers_per_min=0.0,
        profile_name="p", model_name=None,
    )  # fmt: skip


def _judged(rows: list[tuple[str, str, bool | None]]) -> dict[str, bool | None]:
    return {label: better for label, _, better in rows}


def test_a_short_preset_take_is_judged_by_the_short_zone(profile: Profile) -> None:
    report = analyze_script(SCRIPT, profile, length_preset="short")
    assert report_zones(report) == ((8.0, 15.0), (130.0, 165.0))
    now, before = _attempt(12.0, 150.0), _attempt(18.0, 150.0)
    # 12 s is inside Short's 8-15 s; 18 s was over it. By Standard's 20-30 s it would be worse.
    assert _judged(deltas(now, before, *report_zones(report)))["Length"] is True
    assert _judged(deltas(now, before))["Length"] is False


def test_the_pace_zone_comes_from_the_takes_profile(tmp_path, profile: Profile) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.analysis.profile_loader import load_profile

    path = tmp_path / "measured.toml"
    path.write_text(
        '[profile]\nschema_version = 1\nextends = "default"\nname = "Measured"\n'
        'description = "x"\ndefault_length_preset = "standard"\n\n[pace]\n'
        "target_min_wpm = 100.0\ntarget_max_wpm = 130.0\nwarn_under_wpm = 90.0\n"
        "warn_over_wpm = 150.0\nscript_wpm = 120.0\narticulation_pause_s = 0.3\n",
        encoding="utf-8",
    )
    report = analyze_script(SCRIPT, load_profile(path))
    assert report_zones(report)[1] == (100.0, 130.0)
    slower, faster = _attempt(25.0, 125.0), _attempt(25.0, 145.0)
    assert _judged(deltas(slower, faster, *report_zones(report)))["Words per minute"] is True


def test_a_report_from_before_bands_gives_its_zone_from_its_target_text(profile: Profile) -> None:
    report = analyze_script(SCRIPT, profile, length_preset="extended")
    old = dataclasses.replace(
        report, checks=tuple(dataclasses.replace(c, bands=()) for c in report.checks)
    )
    assert ideal_zone(old, "length", (0.0, 0.0)) == (25.0, 40.0)
    bare = dataclasses.replace(report, checks=())
    assert report_zones(bare) == ((20.0, 30.0), (130.0, 165.0))
    assert Report.from_json(old.to_json()).check("length").bands == ()
