"""The A/B lab's statistics and reading (voicemail_coach.analysis.lab), against hand-computed cases.

Wilson: centre (p + z²/2n) / (1 + z²/n), half-width z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n),
z = 1.95996. For n = 10: 1 + z²/n = 1.384146; 0 of 10 gives centre = half = 0.192073 / 1.384146
= 0.138766, so 0-27.75 %; 10 of 10 mirrors it, 72.25-100 %; 5 of 10: half = 1.95996 ·
sqrt(0.025 + 0.0096) / 1.384146 = 0.263407, so 23.66-76.34 %.
"""

from __future__ import annotations

import math

import pytest

from voicemail_coach.analysis.intervals import newcombe, t_critical, two_proportion_p, welch, wilson
from voicemail_coach.analysis.lab import MIN_PER_GROUP, MIN_PER_VARIANT, LabMessage, run_lab


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (0, 10, 0.0, 0.277533),
        (10, 10, 0.722467, 1.0),
        (5, 10, 0.236593, 0.763407),
        (0, 1, 0.0, 0.793451),
        (1, 1, 0.206549, 1.0),
        (2, 20, 0.027866, 0.301034),
        (8, 20, 0.218807, 0.613418),
        (0, 20, 0.0, 0.161125),
        (20, 20, 0.838875, 1.0),
    ],
)
def test_wilson_intervals_match_hand_computed_ones(k: int, n: int, low: float, high: float) -> None:
    got = wilson(k, n)
    assert got.rate == pytest.approx(k / n)
    assert got.low == pytest.approx(low, abs=1e-6)
    assert got.high == pytest.approx(high, abs=1e-6)


def test_wilson_of_nothing_has_no_rate_and_bad_counts_are_refused() -> None:
    assert wilson(0, 0).rate is None and wilson(0, 0).text() == "0 of 0"
    assert wilson(3, 10).text() == "3 of 10 (30 %, 95 % interval 11-60 %)"
    with pytest.raises(ValueError):
        wilson(11, 10)


def test_two_proportion_test_and_newcombe_interval_by_hand() -> None:
    # 8 of 20 against 2 of 20: pooled 0.25, se = sqrt(0.25 · 0.75 · 0.1) = 0.136931,
    # z = 0.3 / 0.136931 = 2.19089, p = erfc(2.19089 / sqrt 2) = 0.02846.
    assert two_proportion_p(8, 20, 2, 20) == pytest.approx(0.028460, abs=1e-6)
    d, low, high = newcombe(wilson(8, 20), wilson(2, 20))
    # low = 0.3 - sqrt((0.4 - 0.218807)² + (0.301034 - 0.1)²) = 0.3 - 0.270639
    assert (d, low, high) == pytest.approx((0.3, 0.029361, 0.525279), abs=1e-6)
    # 6 of 20 against 4 of 20: z = 0.1 / 0.136931 = 0.730297, p = 0.46521.
    assert two_proportion_p(6, 20, 4, 20) == pytest.approx(0.465209, abs=1e-6)
    # Nothing varies (0 of n twice, n of n twice): no evidence at all.
    assert two_proportion_p(0, 20, 0, 20) == 1.0 == two_proportion_p(20, 20, 20, 20)


def test_welch_interval_and_t_quantiles() -> None:
    # Means 3 and 5, variances 2.5 and 2.5: se = 1, df = 8, t = 2.306.
    d, low, high = welch([1, 2, 3, 4, 5], [3, 4, 5, 6, 7])
    assert d == -2.0
    assert (low, high) == pytest.approx((-4.306, 0.306), abs=1e-3)
    assert t_critical(10) == pytest.approx(2.228, abs=1e-3)
    assert t_critical(30) == pytest.approx(2.042, abs=1e-3)
    assert t_critical(math.inf) == pytest.approx(1.96, abs=1e-3)
    assert welch([2, 2, 2], [1, 1, 1]) == (1.0, 1.0, 1.0)


def messages(variant: str | None, returned: int, unreturned: int, **extra: int) -> list[LabMessage]:
    out = [LabMessage("called_back", variant, 1) for _ in range(returned)]
    out += [LabMessage("none", variant, 1) for _ in range(unreturned)]
    for kind, count in extra.items():
        out += [LabMessage(kind, variant, 1) for _ in range(count)]
    return out


def test_no_outcomes_yet() -> None:
    lab = run_lab([])
    assert lab.variants == () and lab.comparison is None
    assert lab.reading.startswith("No outcomes yet")


def test_below_the_minimum_it_says_not_enough_data_and_names_no_winner() -> None:
    lab = run_lab(messages("A", 0, 7) + messages("B", 7, 0))
    a, b = lab.variants
    assert (a.name, a.known, a.returned.low, a.returned.high) == (
        "A",
        7,
        0.0,
        pytest.approx(0.354, abs=1e-3),
    )
    assert (b.returned.rate, b.returned.high) == (1.0, 1.0)
    assert not a.enough and not b.enough
    assert lab.comparison is not None and not lab.comparison.ahead
    assert lab.reading.startswith(
        "Not enough data yet: B has 7 and A has 7 messages with a known outcome; each variant "
        f"needs at least {MIN_PER_VARIANT}"
    )
    assert "ahead" not in lab.reading


def test_a_clear_lead_is_called_once_both_tests_agree() -> None:
    lab = run_lab(messages("A", 2, 18) + messages("B", 8, 12))
    assert lab.comparison is not None and lab.comparison.ahead
    assert lab.comparison.p_value == pytest.approx(0.02846, abs=1e-5)
    assert lab.reading == (
        "B is ahead of A: 8 of 20 (40 %, 95 % interval 22-61 %) returned against 2 of 20 "
        "(10 %, 95 % interval 3-30 %). The difference is unlikely to be chance "
        "(two-proportion z-test p = 0.028; difference +30 points, 95 % interval +3 to "
        "+53 points)."
    )


def test_a_small_lead_could_still_be_chance() -> None:
    lab = run_lab(messages("A", 4, 16) + messages("B", 6, 14))
    assert lab.comparison is not None and not lab.comparison.ahead
    assert lab.reading.startswith(
        "B is ahead of A, but the difference could still be chance: 6 of 20 (30 %"
    )
    assert "p = 0.465" in lab.reading and lab.reading.endswith("Keep collecting outcomes.")


def test_level_variants_and_all_or_nothing_rates() -> None:
    lab = run_lab(messages("A", 0, 20) + messages("B", 0, 20))
    assert lab.reading.startswith("A and B are level so far: 0 of 20 (0 %, 95 % interval 0-16 %)")
    lab = run_lab(messages("A", 20, 0) + messages("B", 20, 0))
    assert "level" in lab.reading and lab.variants[0].returned.low == pytest.approx(
        0.838875, abs=1e-6
    )


def test_wrong_person_is_counted_but_left_out_of_rates_and_kinds_have_their_own_rates() -> None:
    lab = run_lab(
        messages("A", 0, 3, email_reply=2, meeting=1, wrong_person=4) + messages(None, 1, 1)
    )
    a, none = lab.variants
    assert none.name == "(no variant)"
    assert a.counts["wrong_person"] == 4 and a.known == 6 and lab.excluded == 4
    assert a.returned.k == 3 and a.returned.n == 6
    assert a.rates["email_reply"].k == 2 and a.rates["meeting"].k == 1
    assert a.rates["called_back"].k == 0 and a.rates["called_back"].low == 0.0
    assert lab.reading.startswith("Only A has outcomes (3 of 6 (50 %")


def test_returned_and_unreturned_figures_with_intervals() -> None:
    returned = [
        LabMessage(
            "meeting", "A", 1, {"time_to_value_s": 3.0 + i % 3}, "callback", {"pace": "pass"}
        )
        for i in range(12)
    ]
    unreturned = [
        LabMessage("none", "A", 1, {"time_to_value_s": 9.0 + i % 3}, "email", {"pace": "fail"})
        for i in range(12)
    ]
    lab = run_lab(returned + unreturned)
    ttv = next(d for d in lab.differences if d.id == "time_to_value_s")
    # Means 4 and 10, each sample 3,4,5 x4: variance 8/11, se = sqrt(2 · 8/11/12) = 0.348155,
    # df = 22, t = 2.0739.
    assert (ttv.returned, ttv.unreturned, ttv.difference) == (4.0, 10.0, -6.0)
    assert (ttv.low, ttv.high) == pytest.approx((-6.722, -5.278), abs=2e-3)
    assert ttv.enough and ttv.differs
    assert ttv.text.startswith(
        "Time to value: returned 4.0 s, unreturned 10.0 s; difference -6.0 s"
    )
    pace = next(d for d in lab.differences if d.id == "check:pace")
    # 12 of 12 (Wilson 75.75-100 %) against 0 of 12 (0-24.25 %): Newcombe low = 1 - hypot.
    assert (pace.returned, pace.unreturned, pace.difference) == (1.0, 0.0, 1.0)
    assert pace.differs and pace.low == pytest.approx(1 - math.hypot(0.242494, 0.242494), abs=1e-5)
    cta = next(d for d in lab.differences if d.id == "cta:callback")
    assert cta.returned_n == 12 and cta.differs
    length = next(d for d in lab.differences if d.id == "duration_s")
    assert not length.enough and length.text == (
        f"Length: not enough data yet (0 returned, 0 unreturned; at least {MIN_PER_GROUP} each)."
    )
    assert lab.differences_note.startswith("4 figures and shares compared")
