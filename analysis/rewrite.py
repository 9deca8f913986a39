"""A tighter script drafted from a report, offline, by rules and templates.

The draft follows one order: who you are -> why them / why now -> value for them -> one clear next
step -> an easy way out (the number again, a short thanks). It keeps the rep's own sentences where
the analysis found they work (an introduction, a personal reason, a value proposition, a call to
action, an opt-out), with fillers taken out; it drops self-praise, pressure and premature asks;
it fills missing parts from the scenario card, or with placeholders in [square brackets] for the
rep to fill. A phone number is grouped 3-3-4 and said twice. The draft is fitted to the length
preset's target at the rep's measured pace (held inside the profile's ideal pace), or at the
profile's script pace for a typed script. Every change names the check that asked for it.

The words (templates, placeholders, reasons) are data: ``resources/rewrite.toml``.
"""

from __future__ import annotations

import dataclasses

from voicemail_coach.analysis.draft import Change, Draft, DraftPart, estimate_s, rewrite_words
from voicemail_coach.analysis.draft_writer import BAD_LABELS, Writer
from voicemail_coach.analysis.profile import LengthPreset, Profile
from voicemail_coach.analysis.report import Report
from voicemail_coach.analysis.scenarios import Scenario
from voicemail_coach.analysis.script_text import fold


def draft_pace(report: Report, profile: Profile) -> tuple[float, float | None]:
    """(pace to time the draft at, the take's measured pace or None for a typed script)."""
    measured = report.delivery.wpm if report.source.script is None else 0.0
    if measured <= 0:
        return profile.pace.script_wpm, None
    p = profile.pace
    return min(max(measured, p.target_min_wpm), p.target_max_wpm), measured


def draft_script(
    report: Report,
    profile: Profile,
    scenario: Scenario | None = None,
    length_preset: str | None = None,
) -> Draft:
    """A tighter script from ``report`` (a take's or a typed script's), with every change tied to
    its check. ``length_preset``: the target length (default: the report's own preset).

    The draft is checked as a written script; a part of the rep's words that reads as
    self-praise, pressure or a premature ask on its own is written again from its template."""
    from voicemail_coach.analysis.pipeline import analyze_script

    preset = profile.length_preset(length_preset or report.profile.length_preset)
    refused: set[str] = set()
    extra: list[Change] = []
    while True:
        draft = _write(report, profile, scenario, preset, refused)
        checked = analyze_script(draft.text, profile, preset.id, scenario)
        bad = _bad_parts(draft, checked)
        value = next((p for p in draft.parts if p.part == "value"), None)
        if value is not None and value.source == "yours" and not checked.value_proposition.found:
            # The rep's words kept as the value no longer read as one in the draft (they did
            # only as part of a longer run-on sentence, or their outcome was cut off): the
            # card's value or a placeholder says it instead.
            bad.setdefault("value", ("value_proposition", value.text))
        if not bad or bad.keys() <= refused:
            break
        for part, (category, text) in bad.items():
            reason = rewrite_words()["reasons"][f"dropped_{category}"]
            extra.append(Change(category, "dropped", reason, text, "", part))
        refused |= bad.keys()
    return dataclasses.replace(draft, changes=(*draft.changes, *extra), score=checked.score)


def _bad_parts(draft: Draft, checked: Report) -> dict[str, tuple[str, str]]:
    """The parts of the rep's words in which the draft's own analysis finds a bad category."""
    out: dict[str, tuple[str, str]] = {}
    for f in checked.findings:
        if f.category not in BAD_LABELS:
            continue
        for p in draft.parts:
            if p.source == "yours" and fold(f.text) and fold(f.text) in fold(p.text):
                out.setdefault(p.part, (f.category, p.text))
    return out


def _write(
    report: Report, profile: Profile, scenario: Scenario | None, preset: LengthPreset,
    refused: set[str],
) -> Draft:  # fmt: skip
    w = Writer(report, profile, scenario, refused)
    for step in (w.intro, w.why, w.value, w.next_step, w.way_out, w.number_again, w.thanks):
        step()
    w.dropped()
    wpm, measured = draft_pace(report, profile)
    order: list[str] = list(w.words["order"])
    titles: dict[str, str] = w.words["parts"]

    def length() -> float:
        return estimate_s(" ".join(p.text for p in w.assemble(order)), wpm)

    for step in w.words["fit_steps"]:
        if length() <= preset.target_max_s:
            break
        if step == "trim":
            # The rep's longest kept sentences cut to their first clauses.
            kept = [p for p in order if p in w.parts]
            for part in sorted(kept, key=lambda p: (-len(w.parts[p].text.split()), kept.index(p))):
                if w.parts[part].source == "yours" and part in w.words["trimmable"]:
                    w.trim(part, int(w.words["trimmed_words"]))
                if length() <= preset.target_max_s:
                    break
        elif step in w.parts and step in order:
            order.remove(step)
            if step != "thanks":
                reason = w.reasons["length_cut"].format(part=titles.get(step, step).lower())
                w.changes.append(Change("length", "dropped", reason, w.parts[step].text, "", step))
    if "thanks" in w.parts and "thanks" not in order and length() < preset.target_min_s:
        order.append("thanks")
    if length() < preset.target_min_s:
        # A second, light step: an email, or (when the step is an email) a call later.
        extra = "follow_up_too" if w.parts["next_step"].text == w.slots["email"] else "email_too"
        if w.report.call_to_action.kind == "email":
            extra = "follow_up_too"
        w.parts[extra] = DraftPart(extra, w.slots[extra], "template")
        order.insert(order.index("way_out"), extra)
        reason = w.reasons["length_added"].format(part=titles[extra].lower())
        w.changes.append(Change("length", "added", reason, "", w.slots[extra], extra))
    return Draft(
        parts=w.assemble(order),
        changes=tuple(w.changes),
        wpm=wpm,
        measured_wpm=measured,
        estimated_s=round(length(), 1),
        target_min_s=preset.target_min_s,
        target_max_s=preset.target_max_s,
        part_titles=titles,
    )
