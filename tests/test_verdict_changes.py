"""What "Analyze again" says about the verdict: score change and each check that moved."""

from __future__ import annotations

import dataclasses

from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.app.verdict_changes import summary, verdict_changes

SCRIPT = (
    "Hi Dana, this is Sam from Routewise. We help fleets like yours cut empty miles and fuel "
    "costs. I'll email you a summary today and call Thursday. If it's not a fit, just say so."
)


def test_verdict_changes_lists_the_score_and_the_checks_that_moved(profile: Profile) -> None:
    before = analyze_script(SCRIPT, profile)
    stricter = dataclasses.replace(
        profile, timing=dataclasses.replace(profile.timing, value_proposition_within_s=1.0)
    )
    after = analyze_script(SCRIPT, stricter)
    lines = verdict_changes(before, after)
    assert (
        lines[0]
        == f"score {before.score} \u2192 {after.score} (\u2212{before.score - after.score})"
    )
    assert lines[1:] == ["value proposition timing: pass \u2192 warn"]
    assert verdict_changes(before, before) == []
    assert (
        summary(before, before)
        == "Analyzed again with the same transcript (Standard (20-30 s)): the verdict is the same."
    )
