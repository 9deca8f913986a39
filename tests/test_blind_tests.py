"""Blind listening tests (voicemail_coach.storage.blind_tests): random order, hidden labels,
never revealed before the rating is saved, results per variant."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from tests.conftest import AUDIO
from voicemail_coach.storage.blind_tests import BlindTests
from voicemail_coach.storage.coaching import Coaching
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.outcomes import Outcomes
from voicemail_coach.storage.records import LibraryError


@pytest.fixture()
def setup(library: Library) -> tuple[BlindTests, int, int, int]:
    """A session with Ann, Ben and Cy; take A (variant "Callback ask") and take B ("Email")."""
    session = Coaching(library).start_session("Friday drill", "Dana", ["Ann", "Ben", "Cy"]).id
    outcomes = Outcomes(library)
    outcomes.add_variant("Callback ask", "Hi, call me back.")
    outcomes.add_variant("Email", "Hi, I'll email you.")
    a = library.add_file(AUDIO / "good.flac", title="Callback ask, Ann").id
    b = library.add_file(AUDIO / "good.flac", title="Email, Ben").id
    outcomes.link(a, "Callback ask")
    outcomes.link(b, "Email")
    return BlindTests(library), session, a, b


def test_the_order_is_drawn_at_random(setup: tuple[BlindTests, int, int, int]) -> None:
    blind, session, a, b = setup
    rng = random.Random(3)
    firsts = {blind.create(session, a, b, rng).audio_paths[0] for _ in range(12)}
    assert len(firsts) == 2  # both orders happen
    with pytest.raises(LibraryError, match="two different takes"):
        blind.create(session, a, a)
    with pytest.raises(LibraryError, match="no session 99"):
        blind.create(99, a, b)


def test_no_label_is_shown_before_the_rating_is_saved(
    library: Library, setup: tuple[BlindTests, int, int, int]
) -> None:
    blind, session, a, b = setup
    test = blind.create(session, a, b, random.Random(1))
    # What the room gets names no variant, title or attempt: only the audio, in play order.
    shown = repr(dataclasses.asdict(test))
    for hidden in ("Callback ask", "Email", "Ann", "Ben", "version"):
        assert hidden not in shown
    assert (
        sorted(test.audio_paths) == sorted(library.attempt(i).audio_path for i in (a, b))
        and test.raters == ()
    )
    with pytest.raises(LibraryError, match="Ann has not rated this test yet"):
        blind.reveal(test.id, "Ann")
    first_is_a = test.audio_paths[0] == library.attempt(a).audio_path
    ann = blind.rate(test.id, "Ann", 1, "Clear ask, short")
    expected = ("Callback ask (version 1)", "Email (version 1)")
    assert ann.labels == (expected if first_is_a else expected[::-1])
    assert (ann.chosen, ann.reason) == (1, "Clear ask, short")
    # Ann's rating reveals nothing to Ben, who has not rated.
    with pytest.raises(LibraryError, match="Ben has not rated this test yet"):
        blind.reveal(test.id, "Ben")
    assert blind.test(test.id).raters == ("Ann",)
    # A rating is final.
    with pytest.raises(LibraryError, match="Ann has rated this test already"):
        blind.rate(test.id, "Ann", 2)
    assert blind.reveal(test.id, "Ann").chosen == 1
    for bad, message in (((" ", 1), "Say who"), (("Cy", 3), "take 1 or take 2")):
        with pytest.raises(LibraryError, match=message):
            blind.rate(test.id, *bad)  # type: ignore[arg-type]
    with pytest.raises(LibraryError, match="Cy has not rated"):
        blind.reveal(test.id, "Cy")


def test_results_per_variant(library: Library, setup: tuple[BlindTests, int, int, int]) -> None:
    blind, session, a, b = setup
    test = blind.create(session, a, b, random.Random(1))
    a_position = 1 if test.audio_paths[0] == library.attempt(a).audio_path else 2
    b_position = 3 - a_position
    blind.rate(test.id, "Ann", a_position, "Clear ask")
    blind.rate(test.id, "Ben", a_position)
    blind.rate(test.id, "Cy", b_position, "Warmer")
    results = {p.label: p for p in blind.results(session)}
    callback, email = results["Callback ask (version 1)"], results["Email (version 1)"]
    # 2 of 3: Wilson 20.77-93.85 %; 1 of 3: 6.15-79.23 %.
    assert (callback.chosen.k, callback.chosen.n) == (2, 3)
    assert callback.chosen.low == pytest.approx(0.207655, abs=1e-5)
    assert callback.chosen.high == pytest.approx(0.938510, abs=1e-5)
    assert (email.chosen.k, email.chosen.n) == (1, 3)
    assert callback.reasons == ("Ann: Clear ask",) and email.reasons == ("Cy: Warmer",)
    # Two takes of one variant say nothing about variants.
    c = library.add_file(AUDIO / "good.flac").id
    Outcomes(library).link(c, "Email")
    same = blind.create(session, b, c)
    blind.rate(same.id, "Ann", 1)
    assert {p.label: p.chosen.n for p in blind.results(session)} == {
        "Callback ask (version 1)": 3,
        "Email (version 1)": 3,
    }


def test_the_sessions_command_prints_blind_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from voicemail_coach.app.cli.main import main

    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "data"))
    with Library() as library:
        session = Coaching(library).start_session("Friday drill", "Dana", ["Ann"]).id
        outcomes = Outcomes(library)
        outcomes.add_variant("A", "Hi, call me back.")
        outcomes.add_variant("B", "Hi, I'll email you.")
        takes = [library.add_file(AUDIO / "good.flac").id for _ in range(2)]
        outcomes.link(takes[0], "A")
        outcomes.link(takes[1], "B")
        blind = BlindTests(library)
        test = blind.create(session, *takes, random.Random(2))
        a_first = test.audio_paths[0] == library.attempt(takes[0]).audio_path
        blind.rate(test.id, "Ann", 1 if a_first else 2, "Short")
    assert main(["sessions", str(session)]) == 0
    out = capsys.readouterr().out
    assert out.endswith(
        "Blind listening tests (which take people would return):\n"
        "  A (version 1): chosen 1 of 1 (100 %, 95 % interval 21-100 %)\n"
        "    \u201cAnn: Short\u201d\n"
        "  B (version 1): chosen 0 of 1 (0 %, 95 % interval 0-79 %)\n"
    )
