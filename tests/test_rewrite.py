"""The rewritten script (analysis.rewrite), adherence to a script (analysis.adherence) and the
``rewrite`` / ``adherence`` commands. Typed scripts and stored transcripts; the model only where
a take's own pace or words are the point (the session's shared reports)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import AUDIO, REPO
from voicemail_coach.analysis.adherence import align, normalise
from voicemail_coach.analysis.draft import Draft, estimate_s, rewrite_words
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.report import Report
from voicemail_coach.analysis.rewrite import draft_script
from voicemail_coach.analysis.scenarios import ScenarioStore
from voicemail_coach.app.cli.main import main

CONTENT = REPO / "tests" / "data" / "content"
BAD_TAKE_SCRIPT = (
    "Hi, this is Mark Jensen from Apex Ledger. Would you like to hear about our truly superior "
    "accounting software? Our clients love it, and we're proud to offer the best customer service "
    "in the industry. I'd like a time to tell you more about our system. You can call me at "
    "555 312 4477. Thanks."
)
GOOD_TAKE_SCRIPT = (
    "Hi Dana, this is Sam Rivera from Northwind Finance. We work with companies in your industry "
    "to help them simplify their financial transactions, free up resources, and keep a closer eye "
    "on their cash flow. I sent you an email this morning with a short overview. If I haven't "
    "heard from you by Friday, I'll call you again on Monday. If the timing isn't right, just let "
    "me know and I won't follow up."
)


def bad_messages() -> list[tuple[str, str]]:
    """Every message labelled bad in the content corpus (not the blind set), and the eval set's
    cases that score under 95 as written scripts are added in their own test."""
    out = []
    for path in sorted(CONTENT.glob("*_messages.toml")):
        for m in tomllib.loads(path.read_text(encoding="utf-8"))["message"]:
            if m["quality"] == "bad":
                out.append((m["id"], m["text"]))
    return out


def eval_texts() -> list[tuple[str, str]]:
    cases = tomllib.loads((REPO / "eval" / "truth.toml").read_text(encoding="utf-8"))["case"]
    return [
        (c["id"], " ".join(p.get("say") or p["filler"] for p in c["parts"] if {"say", "filler"} & p.keys()))
        for c in cases
    ]  # fmt: skip


def drafted(text: str, profile: Any, scenario: Any = None) -> tuple[Report, Draft, Report]:
    report = analyze_script(text, profile, scenario=scenario)
    draft = draft_script(report, profile, scenario)
    return report, draft, analyze_script(draft.text, profile, scenario=scenario)


def test_every_bad_message_drafts_a_script_that_scores_higher_and_fits(profile: Any) -> None:
    messages = bad_messages()
    assert len(messages) >= 100
    worse, unfit, gains = [], [], []
    for message_id, text in messages:
        report = analyze_script(text, profile)
        # The draft's score is check-script's verdict on its text, at the same script pace as
        # its estimated length (test_a_working_call_to_action... checks both against a rerun).
        draft = draft_script(report, profile)
        assert report.score is not None and draft.score is not None
        gains.append(draft.score - report.score)
        if draft.score <= report.score:
            worse.append((message_id, report.score, draft.score))
        if not draft.fits:
            unfit.append((message_id, draft.estimated_s))
    assert not worse
    assert not unfit
    assert sum(gains) / len(gains) >= 25


def test_weak_eval_cases_draft_higher_and_fit(profile: Any) -> None:
    weak = 0
    for case_id, text in eval_texts():
        report, draft, checked = drafted(text, profile)
        assert draft.fits, (case_id, draft.estimated_s)
        assert report.score is not None and checked.score is not None
        if report.score < 95:
            weak += 1
            assert checked.score > report.score, case_id
    assert weak >= 20


def test_a_working_call_to_action_and_value_are_kept_and_self_praise_dropped(
    profile: Any,
) -> None:
    text = (
        "Hi Dana, this is Sam Rivera from Northwind Finance. We are the best finance team in the "
        "industry, our clients love us. We help logistics companies like yours cut the time they "
        "spend chasing invoices in half. Can we book a 45-minute demo next week? "
        "Give me a call back at 555 312 4477 when you have a minute."
    )
    report, draft, checked = drafted(text, profile)
    parts = {p.part: p for p in draft.parts}
    assert parts["next_step"].source == "yours"
    assert parts["next_step"].text == "Give me a call back at 555-312-4477 when you have a minute."
    assert parts["value"].source == "yours" and "chasing invoices in half" in parts["value"].text
    assert parts["intro"].text == "Hi Dana, this is Sam Rivera from Northwind Finance."
    # Said twice, grouped 3-3-4; the demo and the praise are gone.
    assert draft.text.count("555-312-4477") == 2
    assert "demo" not in draft.text and "best" not in draft.text
    assert checked.check("phone_number").status == "pass"
    assert checked.check("opt_out").status == "pass"
    assert checked.score is not None and report.score is not None
    assert checked.score > report.score
    assert draft.score == checked.score
    assert draft.fits and checked.check("length").status == "pass"
    assert checked.source.duration_s == pytest.approx(draft.estimated_s, abs=0.05)


def test_every_change_names_its_check_and_a_reason(profile: Any) -> None:
    _, draft, _ = drafted(BAD_TAKE_SCRIPT, profile)
    check_ids = {c.id for c in analyze_script(BAD_TAKE_SCRIPT, profile).checks}
    reasons = set(rewrite_words()["reasons"].values())
    by_check = {(c.check_id, c.action) for c in draft.changes}
    assert ("self_praise", "dropped") in by_check
    assert ("premature_ask", "dropped") in by_check
    assert ("opt_out", "added") in by_check
    assert ("phone_number", "added") in by_check  # said again at the end
    for change in draft.changes:
        assert change.check_id in check_ids
        assert change.reason in reasons or change.check_id in ("fillers", "length")
    dropped = [c.before for c in draft.changes if c.check_id == "self_praise"]
    assert any("superior" in d or "best" in d or "love" in d for d in dropped)


def test_missing_parts_come_from_the_scenario_card_else_placeholders(profile: Any) -> None:
    text = "Hi this is Vince from Elite Roofing. I really need you to call me back today."
    card = ScenarioStore().get("logistics-guide-download")
    _, with_card, checked = drafted(text, profile, card)
    parts = {p.part: p for p in with_card.parts}
    assert parts["why"].source == "card" and "guide" in parts["why"].text
    assert parts["value"].text.startswith("Fleets like yours fill more return trips")
    assert with_card.text.startswith("Hi Dana, this is Vince from Elite Roofing.")
    assert not with_card.placeholders
    assert checked.check("scenario_trigger").status == "pass"
    _, without, _ = drafted(text, profile)
    assert {p.part for p in without.parts if p.source == "placeholder"} == {"why", "value"}
    assert "[companies like yours]" in without.placeholders


def test_fillers_come_out_of_kept_words_and_the_change_says_which(profile: Any) -> None:
    text = (
        "hi dana this is sam from north wind payroll. um we help offices your size save like "
        "three hours a month on payroll. so um i'll email you a quick side by side this afternoon."
    )
    _, draft, _ = drafted(text, profile)
    assert draft.text.startswith("Hi Dana, this is Sam from North Wind Payroll.") or (
        "Hi dana this is sam from north wind payroll." in draft.text
    )
    assert " um " not in f" {draft.text.lower()} "
    fillers = [c for c in draft.changes if c.check_id == "fillers"]
    assert fillers and '"um"' in fillers[0].reason


def test_the_draft_is_timed_at_the_script_pace_and_the_take_pace_held_in_the_ideal_zone(
    profile: Any,
) -> None:
    report, draft, _ = drafted(GOOD_TAKE_SCRIPT, profile)
    assert draft.measured_wpm is None and draft.wpm == profile.pace.script_wpm
    assert draft.estimated_s == pytest.approx(estimate_s(draft.text, draft.wpm), abs=0.05)
    # Words at 300 wpm in a "take": the draft is timed at the top of the ideal pace instead.
    import dataclasses

    fast = dataclasses.replace(
        report,
        source=dataclasses.replace(report.source, script=None),
        delivery=dataclasses.replace(report.delivery, wpm=300.0),
    )
    quick = draft_script(fast, profile)
    assert quick.measured_wpm == 300.0 and quick.wpm == profile.pace.target_max_wpm
    assert "300 wpm" in quick.pace_note()
    assert estimate_s(quick.text, quick.wpm) < estimate_s(quick.text, profile.pace.script_wpm)


@pytest.mark.model
def test_a_take_is_drafted_at_its_measured_pace(analyzed: Any, profile: Any) -> None:
    report = analyzed(AUDIO / "bad.flac")
    draft = draft_script(report, profile)
    assert draft.measured_wpm == pytest.approx(report.delivery.wpm)
    assert profile.pace.target_min_wpm <= draft.wpm <= profile.pace.target_max_wpm
    assert draft.fits
    assert draft.text.count("555-312-4477") == 2
    assert draft.score is not None and report.score is not None and draft.score > report.score


# -- adherence ------------------------------------------------------------------------------------

SCRIPT = (
    "Hi Dana, this is Sam from Northwind. We help fleets cut empty miles by a fifth. "
    "Call me at 555-318-2260. If the timing is wrong, just say so."
)


def test_numbers_compare_alike_however_they_are_written() -> None:
    digits = ["5", "5", "5", "3", "1", "8", "2", "2", "6", "0"]
    assert [w for w, _ in normalise(["555-318-2260."])] == digits
    assert [
        w for w, _ in normalise("five five five three one eight two two six zero".split())
    ] == digits


def test_a_take_that_skips_a_sentence_shows_it_skipped_and_added_words_added() -> None:
    said = (
        "hi dana this is sam from northwind um we help fleets cut empty miles by a fifth honestly "
        "call me at five five five three one eight two two six zero"
    ).split()
    result = align(SCRIPT, said)
    status = [s.status for s in result.sentences]
    assert status == ["said", "said", "said", "skipped"]
    assert result.skipped() == ["If the timing is wrong, just say so."]
    assert result.sentences[0].added == ("um",)
    assert result.sentences[1].added == ("honestly",)
    assert result.added_count == 2
    assert result.said_share == pytest.approx(20 / 28)  # 28 script words, 8 skipped


@pytest.mark.model
def test_adherence_of_a_real_take_against_its_script_with_a_sentence_more_and_one_less(
    analyzed: Any,
) -> None:
    words = [w.text for w in analyzed(AUDIO / "good.flac").transcript.words]
    extra = "Our platform is the best in the industry, trusted by many teams."
    longer = align(GOOD_TAKE_SCRIPT + " " + extra, words)
    assert [s.status for s in longer.sentences][:-1] == ["said"] * 5
    assert longer.sentences[-1].status == "skipped" and longer.sentences[-1].text == extra
    # The script without its email sentence: the take's words for it are added.
    shorter = GOOD_TAKE_SCRIPT.replace(
        " I sent you an email this morning with a short overview.", ""
    )
    fewer = align(shorter, words)
    added = " ".join(a for s in fewer.sentences for a in s.added)
    assert "email" in added and "overview" in added
    assert all(s.status == "said" for s in fewer.sentences)


# -- the commands ---------------------------------------------------------------------------------


def test_rewrite_command_prints_the_draft_its_length_and_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "script.txt"
    script.write_text(BAD_TAKE_SCRIPT)
    assert main(["rewrite", "--script", str(script)]) == 0
    out = capsys.readouterr().out
    assert "Draft script" in out and "fits the 20-30 s target" in out
    assert "[self_praise] dropped" in out and "[opt_out] added" in out
    assert "555-312-4477" in out
    assert main(["rewrite", "--script", str(script), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["fits"] is True and payload["score"] > payload["original_score"]
    assert payload["text"].count("555-312-4477") == 2
    assert {c["check"] for c in payload["changes"]} >= {"self_praise", "premature_ask", "opt_out"}


def test_rewrite_command_refuses_neither_or_both_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rewrite"]) == 2
    assert "give a recording FILE or --script" in capsys.readouterr().err
    assert main(["rewrite", "--script", str(tmp_path / "missing.txt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_adherence_command_needs_the_model_only_for_the_take(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["adherence", str(tmp_path / "none.wav"), "--script", str(tmp_path / "x")]) == 2
    assert "no such file" in capsys.readouterr().err
