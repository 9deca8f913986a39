"""Checks: each measurement against the guidance profile, with a verdict and advice."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from voicemail_coach.analysis.bands import Band
from voicemail_coach.analysis.check_builder import CheckBuilder, CheckInputs, evidence_of
from voicemail_coach.analysis.delivery_checks import DELIVERY_STEPS
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.report import (
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
    target = f"{lp.target_min_s:g}-{lp.target_max_s:g} s"
    d = round(x.duration_s, 1)
    band = Band("length", d, "s", lp.target_min_s, lp.target_max_s, lp.warn_under_s,
                lp.warn_over_s, None, lp.fail_over_s)  # fmt: skip
    side = "short" if d < lp.target_min_s else "long"
    variants = {"ideal": "pass", "fine": f"pass_{side}", "warn": f"warn_{side}", "fail": "fail"}
    b.judge("length", [band], variants, d, target)


def _intro(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    within = p.timing.intro_within_s
    target = f"within {within:g} s"
    m = x.intro
    start = round(m.start_s, 1) if m.found and m.start_s is not None else None
    band = Band("introduction", start, "s", None, within, None, within)
    variants = {"ideal": "pass", "warn": "warn", "fail": "fail"}
    b.judge("intro", [band], variants, start, target, evidence_of([m]))


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
    target = f"within {window:g} s"
    start = round(m.start_s, 1) if m.found and m.start_s is not None else None
    band = Band("value proposition start", start, "s", None, window, None, window, None,
                p.timing.value_proposition_fail_after_s)  # fmt: skip
    variants = {"ideal": "pass", "warn": "warn", "fail": "fail" if start is not None else "missing"}
    b.judge("value_proposition_timing", [band], variants, start, target, evidence_of([m]))


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
        band = Band(check_id.replace("_", " "), n, "", None, 0, None, 0, None, fail_at - 1)
        variants = {"ideal": "pass", "warn": warn_status, "fail": "fail"}
        text = items[0].text if items else ""
        b.judge(
            check_id,
            [band],
            variants,
            n,
            "none",
            evidence_of(items),
            text=text,
            why=items[0].why if items else "",
        )

    return step


def _personal(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    items = [f for f in x.findings if f.category == "personalization"]
    target = "their name, company, industry or a trigger"
    band = Band("personal touches", len(items), "", 1, None, 1)
    text = items[0].text if items else ""
    variants = {"ideal": "pass", "warn": "warn"}
    b.judge(
        "personalization",
        [band],
        variants,
        len(items),
        target,
        evidence_of(items),
        text=text,
        why=items[0].why if items else "",
    )


def _phone(b: CheckBuilder, x: CheckInputs, p: Profile) -> None:
    c = p.phone
    limit = c.max_digit_pace_ratio
    target = f"said {c.min_repeats}x, digits slower than {limit:g}x your word pace"
    numbers = list(x.phone_numbers)
    if not numbers:
        b.add("phone_number", "info", "none", 0, target)
        return
    word_rate = x.delivery.wpm / 60.0
    digit_rate = max(n.digits_per_s for n in numbers)
    bands = [Band("times said", len(numbers), "", c.min_repeats, None, c.min_repeats)]
    ratio = None
    if not x.is_script and word_rate > 0:
        ratio = round(digit_rate / word_rate, 2)
        bands.append(Band("digit pace", ratio, "x your word pace", None, limit, None, limit))
    fast = ratio is not None and bands[1].zone() != "ideal"
    variant = "warn_fast" if fast else "warn_once" if bands[0].zone() != "ideal" else "pass"
    b.judge("phone_number", bands, variant, len(numbers), target, evidence_of(numbers),
            digit_rate=digit_rate, word_rate=word_rate, ratio=ratio or 0.0, limit=limit)  # fmt: skip


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
