"""Every band of every measured check: which mark, which words, which zones shown.

One rule decides a measured check's mark (voicemail_coach.analysis.bands.Band): ideal and fine zones pass,
the warn zone warns, outside it fails, and a check's mark is the worst of its bands. These tests
hold each check to it at the edges of each band, and a property test holds every check to it
over generated reports, with an oracle written here from the profile's numbers, not the code's.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicemail_coach.analysis.acoustics import measure_acoustics
from voicemail_coach.analysis.bands import Band
from voicemail_coach.analysis.checks import run_checks
from voicemail_coach.analysis.delivery import classify_pauses, place_fillers
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.report import (
    Check,
    DeliveryReport,
    FillerWord,
    Finding,
    Hesitation,
    Moment,
    PauseSpan,
    PhoneNumberSaid,
    ProfileInfo,
    Report,
    SentenceDelivery,
    Source,
)
from voicemail_coach.analysis.transcript import Word

SCRIPT = (
    "Hi Dana, this is Sam Lee from Ledgerly. We help finance teams like yours close the books "
    "two days faster. I sent you an email with the details. If the timing is wrong, just tell "
    "me and I won't follow up."
)
SENTENCE = SentenceDelivery(0.0, 5.0, 4.0, 1.0, False, -2.0, False, False)


@pytest.fixture(scope="module")
def base(profile: Profile) -> Report:
    """A recorded take where every check passes in its ideal zone."""
    report = analyze_script(SCRIPT, profile)
    delivery = DeliveryReport(
        duration_s=25.0, speaking_s=24.0, word_count=60, wpm=150.0, articulation_wpm=160.0,
        fillers=(), filler_bursts=(), fillers_per_minute=0.0, pauses=(),
        pitch_sd_semitones=3.0, pitch_median_hz=150.0, pitch_windows=(),
        speech_rms_dbfs=-20.0, noise_floor_dbfs=-60.0, clipped_fraction=0.0,
        sentences=(SENTENCE,), snr_db=40.0, pause_noise_dbfs=-60.0, telephone_band=False,
    )  # fmt: skip
    return dataclasses.replace(
        report, source=Source(duration_s=25.0, path="take.flac"), delivery=delivery
    )


def judge(
    base: Report, profile: Profile, preset: str = "standard", **changes: Any
) -> dict[str, Check]:
    """Run the checks on ``base`` with ``changes`` (``delivery`` given as a dict of fields)."""
    delivery = dataclasses.replace(base.delivery, **changes.pop("delivery", {}))
    duration = changes.pop("duration", None)
    source = (
        base.source if duration is None else dataclasses.replace(base.source, duration_s=duration)
    )
    info = ProfileInfo(profile.name, profile.path, preset)
    report = dataclasses.replace(base, delivery=delivery, source=source, profile=info, **changes)
    return {c.id: c for c in run_checks(report, profile)}


def said(profile: Profile, check_id: str, variant: str, check: Check) -> bool:
    """Whether ``check``'s message is the profile's ``variant`` advice (placeholders filled)."""
    template = profile.checks[check_id].messages[variant]
    parts = re.split(r"\{[^}]*\}", template)
    return re.fullmatch(".*?".join(re.escape(p) for p in parts), check.message, re.S) is not None


def assert_outcome(profile: Profile, check: Check, status: str, variant: str) -> None:
    assert check.status == status, (check.id, check.value, check.status, check.message)
    assert said(profile, check.id, variant, check), (check.id, variant, check.message)


# length ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "seconds", "status", "variant", "zone"),
    [
        ("standard", 25.0, "pass", "pass", "ideal"),
        ("standard", 20.0, "pass", "pass", "ideal"),
        ("standard", 30.0, "pass", "pass", "ideal"),
        ("standard", 19.9, "pass", "pass_short", "fine"),
        ("standard", 8.0, "pass", "pass_short", "fine"),
        ("standard", 7.9, "warn", "warn_short", "warn"),
        ("standard", 30.1, "warn", "warn_long", "warn"),
        ("standard", 45.0, "warn", "warn_long", "warn"),
        ("standard", 45.1, "fail", "fail", "fail"),
        ("short", 12.0, "pass", "pass", "ideal"),
        ("short", 18.0, "warn", "warn_long", "warn"),
        ("short", 25.1, "fail", "fail", "fail"),
        ("short", 4.9, "warn", "warn_short", "warn"),
        ("extended", 24.9, "pass", "pass_short", "fine"),
        ("extended", 55.1, "fail", "fail", "fail"),
    ],
)
def test_length_bands(base, profile, preset, seconds, status, variant, zone) -> None:  # type: ignore[no-untyped-def]
    check = judge(base, profile, preset, duration=seconds)["length"]
    assert_outcome(profile, check, status, variant)
    assert check.zone == zone
    assert f"{seconds:.1f} s" in check.message


def test_length_zones_are_shown_from_the_takes_own_preset(base, profile) -> None:  # type: ignore[no-untyped-def]
    assert judge(base, profile, "standard")["length"].zones_text() == (
        "ideal 20-30 s, fine 8-30 s, over 45 s fails"
    )
    assert judge(base, profile, "short")["length"].zones_text() == (
        "ideal 8-15 s, fine 5-15 s, over 25 s fails"
    )


def test_length_fine_zone_above_the_ideal_one_passes_with_its_own_words(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = tmp_path / "p.toml"
    text.write_text(
        '[profile]\nschema_version = 1\nextends = "default"\nname = "Roomy"\n'
        'description = "x"\ndefault_length_preset = "roomy"\n\n[[length_presets]]\n'
        'id = "roomy"\nlabel = "Roomy"\nsource = "x"\ntarget_min_s = 20.0\ntarget_max_s = 30.0\n'
        "warn_under_s = 8.0\nwarn_over_s = 35.0\nfail_over_s = 45.0\n",
        encoding="utf-8",
    )
    roomy = load_profile(text)
    report = analyze_script(SCRIPT, roomy)
    check = judge(dataclasses.replace(report), roomy, "roomy", duration=33.0)["length"]
    assert_outcome(roomy, check, "pass", "pass_long")
    assert check.zone == "fine"
    assert check.zones_text() == "ideal 20-30 s, fine 8-35 s, over 45 s fails"


# intro and value-proposition timing -------------------------------------------------------------


def _moment(start: float | None) -> Moment:
    if start is None:
        return Moment(found=False)
    return Moment(True, "We help teams save time.", start, start + 2.0)


@pytest.mark.parametrize(
    ("start", "status", "variant"),
    [(0.0, "pass", "pass"), (5.0, "pass", "pass"), (5.1, "warn", "warn"), (12.0, "warn", "warn"),
     (None, "fail", "fail")],
)  # fmt: skip
def test_intro_bands(base, profile, start, status, variant) -> None:  # type: ignore[no-untyped-def]
    assert_outcome(profile, judge(base, profile, intro=_moment(start))["intro"], status, variant)


@pytest.mark.parametrize(
    ("start", "status", "variant"),
    [(3.0, "pass", "pass"), (10.0, "pass", "pass"), (10.1, "warn", "warn"),
     (15.0, "warn", "warn"), (15.1, "fail", "fail"), (22.0, "fail", "fail"),
     (None, "fail", "missing")],
)  # fmt: skip
def test_value_proposition_timing_bands(base, profile, start, status, variant) -> None:  # type: ignore[no-untyped-def]
    checks = judge(base, profile, value_proposition=_moment(start))
    check = checks["value_proposition_timing"]
    assert_outcome(profile, check, status, variant)
    assert check.zones_text() == "ideal up to 10 s, over 15 s fails"


# counted findings -------------------------------------------------------------------------------


def _findings(category: str, n: int) -> tuple[Finding, ...]:
    return tuple(Finding(category, f"thing {i}", i, i + 0.5, "s") for i in range(n))


@pytest.mark.parametrize(
    ("check_id", "n", "status", "variant"),
    [("premature_ask", 0, "pass", "pass"), ("premature_ask", 1, "warn", "warn"),
     ("premature_ask", 2, "fail", "fail"), ("self_praise", 0, "pass", "pass"),
     ("self_praise", 1, "warn", "warn"), ("self_praise", 3, "fail", "fail"),
     ("pressure", 0, "pass", "pass"), ("pressure", 1, "fail", "fail"),
     ("personalization", 0, "warn", "warn"), ("personalization", 1, "pass", "pass")],
)  # fmt: skip
def test_counted_finding_bands(base, profile, check_id, n, status, variant) -> None:  # type: ignore[no-untyped-def]
    check = judge(base, profile, findings=_findings(check_id, n))[check_id]
    assert_outcome(profile, check, status, variant)
    assert check.value == n


# phone number -----------------------------------------------------------------------------------


def _numbers(n: int, digits_per_s: float) -> tuple[PhoneNumberSaid, ...]:
    return tuple(PhoneNumberSaid("555 201 4477", 10.0 + 5 * i, 13.0 + 5 * i, 10, digits_per_s)
                 for i in range(n))  # fmt: skip


@pytest.mark.parametrize(
    ("n", "digits_per_s", "status", "variant"),
    # 150 wpm is 2.5 words/s: 2.25 digits/s is exactly the profile's 0.9x limit.
    [(2, 2.0, "pass", "pass"), (2, 2.25, "pass", "pass"), (1, 2.0, "warn", "warn_once"),
     (2, 2.3, "warn", "warn_fast"), (1, 3.0, "warn", "warn_fast")],
)  # fmt: skip
def test_phone_number_bands(base, profile, n, digits_per_s, status, variant) -> None:  # type: ignore[no-untyped-def]
    check = judge(base, profile, phone_numbers=_numbers(n, digits_per_s))["phone_number"]
    assert_outcome(profile, check, status, variant)


def test_phone_number_none_is_information(base, profile) -> None:  # type: ignore[no-untyped-def]
    check = judge(base, profile, phone_numbers=())["phone_number"]
    assert_outcome(profile, check, "info", "none")
    assert check.bands == ()


def test_fast_number_advice_reads_right_when_digits_and_words_go_at_the_same_rate(
    base, profile
) -> None:  # type: ignore[no-untyped-def]
    """The issue's "3.1 digits/s against your 3.1 words/s": now the ratio and its limit."""
    checks = judge(base, profile, delivery={"wpm": 186.0}, phone_numbers=_numbers(2, 3.1))
    check = checks["phone_number"]
    assert check.status == "warn"
    assert "1.00x your word pace" in check.message and "under 0.90x" in check.message
    assert "digit pace: ideal up to 0.9 x your word pace" in check.zones_text()


# pace -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wpm", "status", "variant", "zone"),
    [(150.0, "pass", "pass", "ideal"), (130.0, "pass", "pass", "ideal"),
     (165.4, "pass", "pass", "ideal"), (166.0, "pass", "pass_brisk", "fine"),
     (175.0, "pass", "pass_brisk", "fine"), (176.0, "warn", "warn_fast", "warn"),
     (129.0, "pass", "pass_steady", "fine"), (110.0, "pass", "pass_steady", "fine"),
     (109.0, "warn", "warn_slow", "warn")],
)  # fmt: skip
def test_pace_bands(base, profile, wpm, status, variant, zone) -> None:  # type: ignore[no-untyped-def]
    check = judge(base, profile, delivery={"wpm": wpm})["pace"]
    assert_outcome(profile, check, status, variant)
    assert check.zone == zone
    assert check.zones_text() == "ideal 130-165 wpm, fine 110-175 wpm"


def test_pace_of_a_script_is_not_judged(profile) -> None:  # type: ignore[no-untyped-def]
    check = analyze_script(SCRIPT, profile).check("pace")
    assert_outcome(profile, check, "info", "script")
    assert check.bands == ()


# fillers ----------------------------------------------------------------------------------------


def _fillers(n: int) -> tuple[FillerWord, ...]:
    return tuple(FillerWord("um", 1.0 + i, 1.2 + i) for i in range(n))


@pytest.mark.parametrize(
    ("speaking_s", "words", "n", "status", "variant"),
    [
        # A minute of speech, 150 words: fine up to 3 (3 per minute), fails over 6.
        (60.0, 150, 0, "pass", "pass"),
        (60.0, 150, 1, "pass", "pass_few"),
        (60.0, 150, 3, "pass", "pass_few"),
        (60.0, 150, 4, "warn", "warn"),
        (60.0, 150, 6, "warn", "warn"),
        (60.0, 150, 7, "fail", "fail"),
        # 20 s of speech: one filler is always fine, two never fail.
        (20.0, 50, 1, "pass", "pass_few"),
        (20.0, 50, 2, "warn", "warn"),
        (20.0, 50, 3, "fail", "fail"),
        # Slow speech: 4% of 50 words (2) is the tighter limit, not 3 per minute.
        (60.0, 50, 2, "pass", "pass_few"),
        (60.0, 50, 3, "warn", "warn"),
    ],
)
def test_filler_bands(base, profile, speaking_s, words, n, status, variant) -> None:  # type: ignore[no-untyped-def]
    delivery = {"speaking_s": speaking_s, "word_count": words, "fillers": _fillers(n)}
    check = judge(base, profile, delivery=delivery)["fillers"]
    assert_outcome(profile, check, status, variant)
    assert check.bands[0].value == n
    assert check.value == pytest.approx(round(n / speaking_s * 60, 1))


def test_filler_zones_say_the_counts_for_this_take(base, profile) -> None:  # type: ignore[no-untyped-def]
    check = judge(base, profile, delivery={"speaking_s": 60.0, "word_count": 150})["fillers"]
    assert check.zones_text() == "ideal none, fine up to 3, 7 or more fail"


# pauses -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pauses", "status", "variant", "value"),
    [
        ((PauseSpan(5.0, 6.0, 1.0, "pause"),), "pass", "pass", 0),
        ((PauseSpan(5.0, 7.0, 2.0, "pause"),), "pass", "pass", 0),
        ((PauseSpan(5.0, 7.1, 2.1, "long"),), "warn", "warn", 2.1),
        (
            (PauseSpan(5.0, 7.1, 2.1, "long"), PauseSpan(9.0, 12.0, 3.0, "long")),
            "warn",
            "warn",
            3.0,
        ),
        ((PauseSpan(0.0, 1.5, 1.5, "dead_air_start"),), "pass", "pass", 0),
        ((PauseSpan(0.0, 1.6, 1.6, "dead_air_start"),), "warn", "warn_start", 1.6),
        # Silence after the last word is not judged here.
        ((PauseSpan(22.0, 25.0, 3.0, "dead_air_end"),), "pass", "pass", 0),
    ],
)
def test_pause_bands(base, profile, pauses, status, variant, value) -> None:  # type: ignore[no-untyped-def]
    check = judge(base, profile, delivery={"pauses": pauses})["pauses"]
    assert_outcome(profile, check, status, variant)
    assert check.value == value
    if variant == "warn":
        longs = sum(q.duration_s > 2.0 for q in pauses)
        assert check.message.startswith(f"{longs} long silence(s), longest {value:.1f} s")


def test_pause_kinds_agree_with_the_check_at_the_limit(profile) -> None:  # type: ignore[no-untyped-def]
    """A silence shown as "2.0 s" is not over "2 s": the timeline's kinds use the same rule."""
    kinds = classify_pauses([(5.0, 7.04), (9.0, 11.06)], 1.54, 20.0, 21.0, profile)
    assert [q.kind for q in kinds] == ["pause", "long"]
    assert classify_pauses([], 1.56, 20.0, 21.0, profile)[0].kind == "dead_air_start"


# pitch, loudness, noise -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sd", "status", "variant"),
    [(3.0, "pass", "pass"), (2.0, "pass", "pass"), (1.96, "pass", "pass"),
     (1.94, "warn", "warn"), (0.5, "warn", "warn")],
)  # fmt: skip
def test_monotone_bands(base, profile, sd, status, variant) -> None:  # type: ignore[no-untyped-def]
    check = judge(base, profile, delivery={"pitch_sd_semitones": sd})["monotone"]
    assert_outcome(profile, check, status, variant)
    assert f"{check.value:.1f}" == f"{round(sd, 1):.1f}"


def test_monotone_without_pitch_is_information(base, profile) -> None:  # type: ignore[no-untyped-def]
    check = judge(base, profile, delivery={"pitch_sd_semitones": None})["monotone"]
    assert_outcome(profile, check, "info", "none")


@pytest.mark.parametrize(
    ("level", "clipped", "status", "variant"),
    [(-20.0, 0.0, "pass", "pass"), (-35.4, 0.0, "pass", "pass"),
     (-35.6, 0.0, "warn", "warn_quiet"), (-20.0, 0.001, "pass", "pass"),
     (-20.0, 0.0011, "warn", "warn_clipping"), (-40.0, 0.01, "warn", "warn_clipping")],
)  # fmt: skip
def test_loudness_bands(base, profile, level, clipped, status, variant) -> None:  # type: ignore[no-untyped-def]
    delivery = {"speech_rms_dbfs": level, "clipped_fraction": clipped}
    assert_outcome(profile, judge(base, profile, delivery=delivery)["loudness"], status, variant)


@pytest.mark.parametrize(
    ("snr", "phone", "status", "variant"),
    [(40.0, False, "pass", "pass"), (20.0, False, "pass", "pass"), (19.96, False, "pass", "pass"),
     (35.0, True, "pass", "pass_phone"), (19.6, False, "warn", "warn"), (10.0, False, "warn", "warn"),
     (9.94, False, "fail", "fail"), (9.4, True, "fail", "fail")],
)  # fmt: skip
def test_noise_bands(base, profile, snr, phone, status, variant) -> None:  # type: ignore[no-untyped-def]
    delivery = {"snr_db": snr, "telephone_band": phone}
    assert_outcome(profile, judge(base, profile, delivery=delivery)["noise"], status, variant)


# hesitations, uptalk, rushing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "status", "variant"), [(0, "pass", "pass"), (1, "pass", "pass_few"), (2, "warn", "warn")]
)
def test_hesitation_bands(base, profile, n, status, variant) -> None:  # type: ignore[no-untyped-def]
    found = tuple(Hesitation(1.0 + i, 1.6 + i, "gap", 0.0) for i in range(n))
    check = judge(base, profile, delivery={"hesitations": found})["hesitations"]
    assert_outcome(profile, check, status, variant)


@pytest.mark.parametrize(
    ("n", "status", "variant"), [(0, "pass", "pass"), (1, "warn", "warn"), (2, "warn", "warn")]
)
def test_uptalk_bands(base, profile, n, status, variant) -> None:  # type: ignore[no-untyped-def]
    rising = SentenceDelivery(5.0, 9.0, 4.0, 1.0, False, 3.0, True, False)
    sentences = (SENTENCE, *([rising] * n))
    check = judge(base, profile, delivery={"sentences": sentences})["uptalk"]
    assert_outcome(profile, check, status, variant)


@pytest.mark.parametrize(
    ("rushed", "end", "status", "variant"),
    [(0, False, "pass", "pass"), (1, False, "warn", "warn"), (0, True, "warn", "warn_end"),
     (2, True, "warn", "warn")],
)  # fmt: skip
def test_rushing_bands(base, profile, rushed, end, status, variant) -> None:  # type: ignore[no-untyped-def]
    fast = SentenceDelivery(5.0, 9.0, 4.0, 1.9, True, -2.0, False, False)
    delivery = {"sentences": (SENTENCE, *([fast] * rushed)), "rushing_end": end,
                "end_tail_ratio": 1.6 if end else 1.0}  # fmt: skip
    assert_outcome(profile, judge(base, profile, delivery=delivery)["rushing"], status, variant)


# the rule itself --------------------------------------------------------------------------------


def test_band_zones_and_words() -> None:
    band = Band("length", 12.0, "s", 20.0, 30.0, 8.0, 30.0, None, 45.0)
    assert band.zone() == "fine" and band.status() == "pass"
    assert dataclasses.replace(band, value=None).zone() == "fail"
    assert dataclasses.replace(band, value=50.0).status() == "fail"
    assert dataclasses.replace(band, value=2.0).status() == "warn"
    count = Band("pressure", 0, "", None, 0, None, 0, None, 0)
    assert count.describe() == "ideal none, any fails"
    snr = Band("signal to noise", 15.0, "dB", 20.0, None, 20.0, None, 10.0)
    assert snr.describe() == "ideal at least 20 dB, under 10 dB fails"
    assert snr.status() == "warn"


def test_bands_survive_the_json_round_trip(base, profile) -> None:  # type: ignore[no-untyped-def]
    checks = tuple(judge(base, profile, duration=12.0).values())
    report = dataclasses.replace(base, checks=checks)
    again = Report.from_json(report.to_json())
    assert again == report
    assert again.check("length").bands[0].ideal_min == 20.0
    assert again.check("length").zone == "fine"


# property: every check keeps to its rule on any generated report --------------------------------


def oracle_zone(b: Band) -> str:
    """The zone by the documented rule, written out again independently of Band.zone."""
    v = b.value
    if v is None:
        return "fail"
    lo_hi = [(b.ideal_min, b.ideal_max, "ideal"), (b.fine_min, b.fine_max, "fine"),
             (b.warn_min, b.warn_max, "warn")]  # fmt: skip
    for lo, hi, name in lo_hi:
        if not (lo is not None and v < lo) and not (hi is not None and v > hi):
            return name
    return "fail"


def shown(x: float) -> str:
    return f"{x:g}"


VALUES = st.fixed_dictionaries(
    {
        "duration": st.floats(1.0, 70.0).map(lambda x: round(x, 2)),
        "preset": st.sampled_from(["standard", "short", "extended"]),
        "wpm": st.floats(60.0, 260.0),
        "speaking_s": st.floats(1.0, 65.0),
        "word_count": st.integers(1, 200),
        "fillers": st.integers(0, 12),
        "sd": st.one_of(st.none(), st.floats(0.0, 6.0)),
        "level": st.floats(-60.0, -5.0),
        "clipped": st.floats(0.0, 0.01),
        "snr": st.one_of(st.none(), st.floats(0.0, 60.0)),
        "phone": st.booleans(),
        "intro": st.one_of(st.none(), st.floats(0.0, 20.0)),
        "value": st.one_of(st.none(), st.floats(0.0, 30.0)),
        "pause": st.floats(0.3, 4.0),
        "lead": st.floats(0.0, 3.0),
        "numbers": st.integers(0, 3),
        "digits_per_s": st.floats(0.5, 5.0),
        "hesitations": st.integers(0, 4),
        "asks": st.integers(0, 3),
        "praise": st.integers(0, 3),
        "pressure": st.integers(0, 2),
        "personal": st.integers(0, 2),
    }
)

# For each check, the advice that goes with each zone (and side, where the words differ).
ADVICE = {
    "length": lambda c, p: (
        {"ideal": "pass", "fail": "fail"}.get(c.zone or "")
        or f"{'pass' if c.zone == 'fine' else 'warn'}_{'short' if c.bands[0].value < c.bands[0].ideal_min else 'long'}"
    ),  # type: ignore[operator]
    "pace": lambda c, p: (
        "pass"
        if c.zone == "ideal"
        else ("pass_brisk" if c.zone == "fine" else "warn_fast")
        if c.bands[0].value > c.bands[0].ideal_max  # type: ignore[operator]
        else ("pass_steady" if c.zone == "fine" else "warn_slow")
    ),
    "fillers": lambda c, p: {"ideal": "pass", "fine": "pass_few"}.get(c.zone or "", c.zone),
    "hesitations": lambda c, p: {"ideal": "pass", "fine": "pass_few"}.get(c.zone or "", c.zone),
    "intro": lambda c, p: {"ideal": "pass"}.get(c.zone or "", c.zone),
    "value_proposition_timing": lambda c, p: (
        "missing" if c.value is None else {"ideal": "pass"}.get(c.zone or "", c.zone)
    ),
    "monotone": lambda c, p: {"ideal": "pass"}.get(c.zone or "", c.zone),
    "premature_ask": lambda c, p: {"ideal": "pass"}.get(c.zone or "", c.zone),
    "self_praise": lambda c, p: {"ideal": "pass"}.get(c.zone or "", c.zone),
    "pressure": lambda c, p: {"ideal": "pass"}.get(c.zone or "", c.zone),
    "personalization": lambda c, p: {"ideal": "pass"}.get(c.zone or "", c.zone),
    "noise": lambda c, p: {"ideal": ("pass", "pass_phone")}.get(c.zone or "", c.zone),
    # With two figures, the advice speaks to the first one out of its ideal zone.
    "loudness": lambda c, p: (
        "warn_clipping"
        if c.bands[1].zone() != "ideal"
        else "warn_quiet"
        if c.bands[0].zone() != "ideal"
        else "pass"
    ),
    "pauses": lambda c, p: (
        "warn"
        if c.bands[0].zone() != "ideal"
        else "warn_start"
        if c.bands[1].zone() != "ideal"
        else "pass"
    ),
    "phone_number": lambda c, p: (
        "warn_fast"
        if len(c.bands) > 1 and c.bands[1].zone() != "ideal"
        else "warn_once"
        if c.bands[0].zone() != "ideal"
        else "pass"
    ),
}


@settings(max_examples=300, deadline=None)
@given(v=VALUES)
def test_every_mark_agrees_with_its_value_and_the_zones_shown(base, profile, v) -> None:  # type: ignore[no-untyped-def]
    pauses = [PauseSpan(5.0, 5.0 + v["pause"], round(v["pause"], 2), "pause")]
    if v["lead"] > 0.3:
        pauses.insert(0, PauseSpan(0.0, v["lead"], round(v["lead"], 2), "dead_air_start"))
    findings = (*_findings("premature_ask", v["asks"]), *_findings("self_praise", v["praise"]),
                *_findings("pressure", v["pressure"]), *_findings("personalization", v["personal"]))  # fmt: skip
    checks = judge(
        base,
        profile,
        v["preset"],
        duration=v["duration"],
        intro=_moment(v["intro"]),
        value_proposition=_moment(v["value"]),
        findings=findings,
        phone_numbers=_numbers(v["numbers"], v["digits_per_s"]),
        delivery={
            "wpm": v["wpm"],
            "speaking_s": v["speaking_s"],
            "word_count": v["word_count"],
            "fillers": _fillers(v["fillers"]),
            "pitch_sd_semitones": v["sd"],
            "speech_rms_dbfs": v["level"],
            "clipped_fraction": v["clipped"],
            "snr_db": v["snr"],
            "telephone_band": v["phone"],
            "pauses": tuple(pauses),
            "hesitations": tuple(
                Hesitation(1.0 + i, 1.5 + i, "gap", 0.0) for i in range(v["hesitations"])
            ),
        },
    )
    for check in checks.values():
        if check.status == "info":
            assert check.bands == ()
            continue
        if not check.bands:  # looks for something (value proposition, call to action, opt-out)
            continue
        zones = [oracle_zone(b) for b in check.bands]
        worst = max(zones, key=["ideal", "fine", "warn", "fail"].index)
        expected = {"ideal": "pass", "fine": "pass", "warn": "warn", "fail": "fail"}[worst]
        assert check.status == expected, (check.id, check.bands, check.status)
        for b in check.bands:
            # Zones nest, and the page shows every limit that can decide the mark.
            assert oracle_zone(
                dataclasses.replace(b, value=b.ideal_min or b.ideal_max)
            ) == "ideal" or (b.ideal_min is None and b.ideal_max is None)
            text = b.describe()
            for limit in (b.ideal_min, b.ideal_max, b.fine_min, b.fine_max, b.warn_min, b.warn_max):
                if limit is not None and not (limit <= 0 and not b.unit):
                    assert shown(limit) in text or shown(limit + 1) in text, (check.id, text)
        if check.id in ADVICE:
            wanted = ADVICE[check.id](check, profile)
            variants = wanted if isinstance(wanted, tuple) else (wanted,)
            assert any(said(profile, check.id, v, check) for v in variants), (
                check.id, variants, check.message)  # fmt: skip
        if check.id in ("length", "pace", "monotone", "noise", "intro", "value_proposition_timing"):
            # What is shown is what was judged: the value is already rounded as the page shows it.
            assert check.value == check.bands[0].value
        if check.id == "phone_number" and len(check.bands) == 2:
            ratio, limit = check.bands[1].value, check.bands[1].fine_max
            fast = "went by too fast" in check.message
            assert fast == (ratio > limit), check.message  # type: ignore[operator]


# place_fillers ------------------------------------------------------------------------------------


def _take(bursts: list[tuple[float, float]], seconds: float = 4.0) -> np.ndarray:
    rate = 16000
    t = np.arange(int(seconds * rate)) / rate
    rng = np.random.default_rng(3)
    out = rng.normal(0, 1e-4, len(t)).astype(np.float32)
    for a, b in bursts:
        m = (t >= a) & (t < b)
        out[m] += (
            0.3 * np.sin(2 * np.pi * 180 * t[m]) + 0.1 * np.sin(2 * np.pi * 540 * t[m])
        ).astype(np.float32)
    return out


def test_place_fillers_moves_a_zero_length_um_onto_its_own_sound(profile) -> None:  # type: ignore[no-untyped-def]
    """Whisper puts "um" after its sound with no duration; it goes back onto the burst, not
    onto the word before it, and a filler with a real duration stays where it is."""
    acoustics = measure_acoustics(
        _take([(0.2, 0.8), (1.2, 1.5), (1.9, 2.6), (3.0, 3.3)]), 16000, profile
    )
    words = [Word("Hello", 0.2, 0.8), Word("um", 1.55, 1.55), Word("there", 1.9, 2.6),
             Word("uh", 3.1, 3.5)]  # fmt: skip
    fillers = [FillerWord("um", 1.55, 1.55), FillerWord("uh", 3.1, 3.5)]
    placed = place_fillers(fillers, words, acoustics)
    assert placed[0].text == "um"
    assert placed[0].start_s == pytest.approx(1.2, abs=0.05)
    assert placed[0].end_s == pytest.approx(1.5, abs=0.05)
    assert placed[1] == fillers[1]


def test_place_fillers_never_reaches_back_over_the_word_before(profile) -> None:  # type: ignore[no-untyped-def]
    """No burst of its own between the word before and the filler: it stays as Whisper put it."""
    acoustics = measure_acoustics(_take([(0.2, 0.8), (1.9, 2.6)]), 16000, profile)
    words = [Word("Hello", 0.2, 0.8), Word("uh", 0.85, 0.85), Word("there", 1.9, 2.6)]
    fillers = [FillerWord("uh", 0.85, 0.85)]
    assert place_fillers(fillers, words, acoustics) == fillers


def test_place_fillers_puts_two_fillers_on_two_sounds_in_order(profile) -> None:  # type: ignore[no-untyped-def]
    acoustics = measure_acoustics(
        _take([(0.2, 0.8), (1.1, 1.35), (1.7, 1.95), (2.4, 3.0)]), 16000, profile
    )
    words = [Word("So", 0.2, 0.8), Word("um", 1.97, 1.97), Word("uh", 1.98, 1.98),
             Word("yes", 2.4, 3.0)]  # fmt: skip
    fillers = [FillerWord("um", 1.97, 1.97), FillerWord("uh", 1.98, 1.98)]
    placed = place_fillers(fillers, words, acoustics)
    assert placed[0].start_s == pytest.approx(1.7, abs=0.05)
    # The second may not land on the first's sound again: nothing is left for it after 1.95 s.
    assert placed[1] == fillers[1]


def test_place_fillers_reaches_back_past_a_filler_whisper_timed_late(profile) -> None:  # type: ignore[no-untyped-def]
    """Whisper stretched "um" over silence after the sound of the "uh" that follows it: the
    search for the "uh" starts at the last word that is not a filler."""
    acoustics = measure_acoustics(_take([(0.2, 0.8), (1.0, 1.3), (1.9, 2.5)]), 16000, profile)
    words = [Word("Hello", 0.2, 0.8), Word("um", 1.35, 1.6), Word("uh", 1.65, 1.65),
             Word("there", 1.9, 2.5)]  # fmt: skip
    fillers = [FillerWord("um", 1.35, 1.6), FillerWord("uh", 1.65, 1.65)]
    placed = place_fillers(fillers, words, acoustics)
    assert placed[0] == fillers[0]
    assert placed[1].start_s == pytest.approx(1.0, abs=0.05)
    assert placed[1].end_s == pytest.approx(1.3, abs=0.05)
