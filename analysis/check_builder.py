"""What every check step shares: the inputs read from a report and the builder of checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from voicemail_coach.analysis.bands import ZONE_ORDER, ZONE_STATUS, Band
from voicemail_coach.analysis.profile import LengthPreset, Profile
from voicemail_coach.analysis.report import (
    Check,
    Evidence,
    Finding,
    Moment,
    PhoneNumberSaid,
    Report,
)


class CheckInputs:
    """What the checks read from a report that has everything but its checks."""

    def __init__(self, report: Report, profile: Profile) -> None:
        self.duration_s = report.source.duration_s
        self.is_script = report.source.script is not None
        self.preset: LengthPreset = profile.length_preset(report.profile.length_preset)
        self.intro = report.intro
        self.value_proposition = report.value_proposition
        self.call_to_action = report.call_to_action
        self.opt_out = report.opt_out
        self.findings = report.findings
        self.phone_numbers = report.phone_numbers
        self.delivery = report.delivery
        self.sentences = report.sentences


class CheckBuilder:
    """Collects checks, writing each one's advice from the profile's message for its outcome."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.checks: list[Check] = []

    def add(
        self,
        check_id: str,
        status: str,
        variant: str,
        value: float | int | str | None,
        target: str,
        evidence: Sequence[Evidence] = (),
        bands: Sequence[Band] = (),
        why: str = "",
        **fields: Any,
    ) -> None:
        spec = self.profile.checks[check_id]
        principle = self.profile.principles[spec.principle]
        if isinstance(fields.get("text"), str):
            fields["text"] = fields["text"].rstrip(".!? ")
        message = spec.message(variant, value=value, target=target, **fields)
        self.checks.append(
            Check(
                id=check_id,
                status=status,
                value=value,
                target=target,
                message=message,
                principle=spec.principle,
                principle_title=principle.title,
                principle_text=principle.text,
                weight=spec.weight,
                evidence=tuple(evidence),
                bands=tuple(bands),
                why=why,
            )
        )

    def judge(
        self,
        check_id: str,
        bands: Sequence[Band],
        variant: str | dict[str, str],
        value: float | int | str | None,
        target: str,
        evidence: Sequence[Evidence] = (),
        **fields: Any,
    ) -> None:
        """Add a check whose mark is the worst of its ``bands``' marks (the one rule every
        measured check follows); ``variant`` names its advice, or maps each zone to one."""
        worst = max((b.zone() for b in bands), key=ZONE_ORDER.index)
        chosen = variant if isinstance(variant, str) else variant[worst]
        self.add(check_id, ZONE_STATUS[worst], chosen, value, target, evidence, bands, **fields)


def evidence_of(items: Sequence[Finding | PhoneNumberSaid | Moment]) -> list[Evidence]:
    out = []
    for it in items:
        if isinstance(it, Moment):
            if it.found and it.evidence is not None:
                out.append(it.evidence)
        else:
            out.append(Evidence(it.text, it.start_s, it.end_s))
    return out
