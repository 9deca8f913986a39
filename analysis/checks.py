"""Checks: each measurement against the guidance profile, with a verdict and advice."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from analysis.check_builder import CheckBuilder, CheckInputs, evidence_of
from analysis.delivery_checks import DELIVERY_STEPS
from analysis.profile import Profile
from analysis.report import (
    Check,
    Report,
)

SCORE_VALUE = {"pass": 1.0, "warn": 0.5, "fail": 0.0}


def run_checks(report: Report, profile: Profile) -> list[Check]:
    """Every check for ``report`` (whose own ``checks`` are ignored), in a stable order."""
    b = CheckBuilder(profile)
    inputs = CheckInputs(report, profile)
    for step in STEPS:
        step(b, inputs, profile)
    return b.checks


def _length(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    lp = x.preset
    target = f"{lp.target_min_s:.0f}-{lp.target_max_s:.0f} s"
    d = round(x.duration_s, 1)
    if d > lp.fail_over_s:
        b.add("length", "fail", "fail", d, target)
    elif d > lp.warn_over_s:
        b.add("length", "warn", "warn_long", d, target)
    elif d < lp.warn_under_s:
        b.add("length", "warn", "warn_short", d, target)
    elif d < lp.target_min_s:
        b.add("length", "pass", "pass_short", d, target)
    else:
        b.add("length", "pass", "pass", d, target)


def _intro(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    within = p.timing.intro_within_s
    target = f"within {within:.0f} s"
    m = x.intro
    if not m.found or m.start_s is None:
        b.add("intro", "fail", "fail", None, target)
    else:
        status = "pass" if m.start_s <= within else "warn"
        b.add("intro", status, status, round(m.start_s, 1), target, evidence_of([m]))


def _value(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    m = x.value_proposition
    if m.found:
        b.add(
            "value_proposition",
            "pass",
            "pass",
            "found",
            "a benefit to the listener",
            evidence_of([m]),
            why=m.why,
            text=m.text,
        )
    else:
        b.add(
            "value_proposition", "fail", "fail", "missing", "a benefit to the listener", why=m.why
        )
    window = p.timing.value_proposition_within_s
    target = f"within {window:.0f} s"
    if not m.found or m.start_s is None:
        b.add("value_proposition_timing", "fail", "missing", None, target)
        return
    start = round(m.start_s, 1)
    if start <= window:
        status = "pass"
    elif start <= p.timing.value_proposition_fail_after_s:
        status = "warn"
    else:
        status = "fail"
    b.add("value_proposition_timing", status, status, start, target, evidence_of([m]))


def _value_grade(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    """How specific the value is: an outcome with substance, or a vague benefit."""
    m = x.value_proposition
    target = "a specific outcome: a number, a result, time or money saved"
    if not m.found or m.grade is None:
        b.add("value_specificity", "info", "none", None, target)
    elif m.grade == "specific":
        b.add("value_specificity", "pass", "pass", m.grade, target, evidence_of([m]), text=m.text)
    else:
        b.add("value_specificity", "warn", "warn", m.grade, target, evidence_of([m]), text=m.text)


def _cta(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    m = x.call_to_action
    target = "email, your own follow-up, or a callback with your number"
    if not m.found:
        b.add("call_to_action", "fail", "fail", None, target, why=m.why)
    elif m.kind == "callback" and not x.phone_numbers and not x.is_script:
        b.add(
            "call_to_action",
            "warn",
            "warn",
            m.kind,
            target,
            evidence_of([m]),
            why=m.why,
            kind=(m.kind or "").replace("_", "-"),
            text=m.text,
        )
    else:
        b.add(
            "call_to_action",
            "pass",
            "pass",
            m.kind,
            target,
            evidence_of([m]),
            why=m.why,
            kind=(m.kind or "").replace("_", "-"),
            text=m.text,
        )


def _opt_out(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    m = x.opt_out
    if m.found:
        b.add(
            "opt_out",
            "pass",
            "pass",
            "found",
            "a graceful way out",
            evidence_of([m]),
            why=m.why,
            text=m.text,
        )
    else:
        b.add("opt_out", "warn", "warn", "missing", "a graceful way out", why=m.why)


def _counted(
    check_id: str, category: str, fail_at: int, warn_status: str = "warn"
) -> Callable[..., None]:
    def step(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
        items = [f for f in x.findings if f.category == category]
        n = len(items)
        if n == 0:
            b.add(check_id, "pass", "pass", 0, "none")
        elif n >= fail_at:
            b.add(
                check_id,
                "fail",
                "fail",
                n,
                "none",
                evidence_of(items),
                why=items[0].why,
                text=items[0].text,
            )
        else:
            b.add(
                check_id,
                warn_status,
                warn_status,
                n,
                "none",
                evidence_of(items),
                why=items[0].why,
                text=items[0].text,
            )

    return step


def _personal(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    items = [f for f in x.findings if f.category == "personalization"]
    target = "their name, company, industry or a trigger"
    if items:
        b.add(
            "personalization",
            "pass",
            "pass",
            len(items),
            target,
            evidence_of(items),
            why=items[0].why,
            text=items[0].text,
        )
    else:
        b.add("personalization", "warn", "warn", 0, target)


def _phone(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    numbers = list(x.phone_numbers)
    target = f"said {p.phone.min_repeats}x, digits slower than {p.phone.max_digit_pace_ratio:.1f}x your word pace"
    if not numbers:
        b.add("phone_number", "info", "none", 0, target)
        return
    d = x.delivery
    word_rate = d.wpm / 60.0
    digit_rate = max(n.digits_per_s for n in numbers)
    ev = evidence_of(numbers)
    fast = (
        not x.is_script and word_rate > 0 and digit_rate / word_rate > p.phone.max_digit_pace_ratio
    )
    if fast:
        b.add(
            "phone_number",
            "warn",
            "warn_fast",
            len(numbers),
            target,
            ev,
            digit_rate=digit_rate,
            word_rate=word_rate,
        )
    elif len(numbers) < p.phone.min_repeats:
        b.add("phone_number", "warn", "warn_once", len(numbers), target, ev)
    else:
        b.add("phone_number", "pass", "pass", len(numbers), target, ev)


STEPS: tuple[Callable[[CheckBuilder, CheckInputs, Profile], None], ...] = (
    _length,
    _intro,
    _value,
    _value_grade,
    _cta,
    _opt_out,
    _counted("premature_ask", "premature_ask", fail_at=2),
    _counted("self_praise", "self_praise", fail_at=2),
    _counted("pressure", "pressure", fail_at=1),
    _personal,
    _phone,
    *DELIVERY_STEPS,
)


def score(checks: Sequence[Check]) -> int:
    """0-100: the weighted share of checks passed (a warning counts half; info not at all)."""
    scored = [c for c in checks if c.status in SCORE_VALUE and c.weight > 0]
    total = sum(c.weight for c in scored)
    if total == 0:
        return 0
    return round(100 * sum(c.weight * SCORE_VALUE[c.status] for c in scored) / total)
