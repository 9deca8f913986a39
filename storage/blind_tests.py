"""Blind listening tests in a role-play session: a coach plays two takes in a random order with
their labels hidden; each participant says which one they would return, and why.

Qt-free; tables from migration 6 (:mod:`voicemail_coach.storage.migrations`), through the
library's public database API like :mod:`voicemail_coach.storage.coaching`.

The label of a take is its script variant (and version), copied when the test is made. Nothing
this module hands out before a participant's rating is saved names a variant, a title or an
attempt: :class:`BlindTest` holds only the audio in the order it is played ("Take 1", "Take 2").
:meth:`BlindTests.reveal` refuses until that participant's rating is saved, and a saved rating is
final (changing it after seeing the labels would bias the test).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from voicemail_coach.analysis.intervals import Interval, wilson
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.records import LibraryError

NO_VARIANT = "no script variant"
MAX_REASON = 2_000


@dataclass(frozen=True)
class BlindTest:
    """What the room sees before rating: two recordings, in the order they are played."""

    id: int
    session_id: int
    created_at: str
    audio_paths: tuple[str, str]  # take 1, take 2
    raters: tuple[str, ...]  # who has rated (not what)


@dataclass(frozen=True)
class Revealed:
    """After a participant's rating: the labels of take 1 and take 2 and what they chose."""

    labels: tuple[str, str]
    chosen: int  # 1 or 2
    reason: str


@dataclass(frozen=True)
class Preference:
    """A variant across a session's blind tests: chosen ``k`` times of ``n`` ratings in which it
    was one of the two takes, with the 95 % Wilson interval."""

    label: str
    chosen: Interval
    reasons: tuple[str, ...]


class BlindTests:
    def __init__(self, library: Library) -> None:
        self.library = library
        self.db = library.db

    def create(
        self,
        session_id: int,
        attempt_a: int,
        attempt_b: int,
        rng: random.Random | None = None,
    ) -> BlindTest:
        """A blind test of two takes; the order they are played in is drawn at random.

        Raises:
            LibraryError: no such session or attempt, the same take twice, or a take without
                audio ready.
        """
        if attempt_a == attempt_b:
            raise LibraryError("A blind test needs two different takes.")
        order = [attempt_a, attempt_b]
        (rng or random.SystemRandom()).shuffle(order)
        with self.db.lock:
            with self.db.write("start the blind test") as conn:
                if not conn.execute(
                    "SELECT 1 FROM sessions WHERE id = ?", (session_id,)
                ).fetchone():
                    raise LibraryError(f"There is no session {session_id} (deleted?).")
                versions = []
                for attempt_id in order:
                    self.library.require(conn, attempt_id)
                    row = conn.execute(
                        "SELECT status, variant_version_uid FROM attempts WHERE id = ?",
                        (attempt_id,),
                    ).fetchone()
                    if row["status"] != "ready":
                        raise LibraryError(f"Take {attempt_id} is still being recorded.")
                    versions.append(row["variant_version_uid"])
                cursor = conn.execute(
                    "INSERT INTO blind_tests (session_id, first_attempt_id, second_attempt_id, "
                    "first_version_uid, second_version_uid, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (session_id, order[0], order[1], versions[0], versions[1], _now()),
                )
                test_id = cursor.lastrowid
            assert test_id is not None
            return self.test(test_id)

    def test(self, test_id: int) -> BlindTest:
        rows = self.db.fetch("SELECT * FROM blind_tests WHERE id = ?", (test_id,))
        if not rows:
            raise LibraryError(f"There is no blind test {test_id} (deleted?).")
        row = rows[0]
        raters = self.db.fetch(
            "SELECT participant FROM blind_ratings WHERE test_id = ? ORDER BY rated_at, participant",
            (test_id,),
        )
        audio = tuple(
            self.library.attempt(int(row[column])).audio_path
            for column in ("first_attempt_id", "second_attempt_id")
        )
        return BlindTest(
            row["id"],
            row["session_id"],
            row["created_at"],
            (audio[0], audio[1]),
            tuple(r["participant"] for r in raters),
        )

    def tests(self, session_id: int) -> list[BlindTest]:
        rows = self.db.fetch(
            "SELECT id FROM blind_tests WHERE session_id = ? ORDER BY id", (session_id,)
        )
        return [self.test(int(r["id"])) for r in rows]

    def rate(self, test_id: int, participant: str, chosen: int, reason: str = "") -> Revealed:
        """Save which take ``participant`` would return (1 or 2) and why; then reveal.

        Raises:
            LibraryError: no such test, a blank name, a choice other than 1 or 2, or the
                participant has rated this test already (a rating is final).
        """
        who = " ".join(participant.split())
        if not who:
            raise LibraryError("Say who is rating.")
        if chosen not in (1, 2):
            raise LibraryError("Choose take 1 or take 2.")
        why = reason.strip()
        if len(why) > MAX_REASON:
            raise LibraryError(f"The reason is too long (over {MAX_REASON} characters).")
        with self.db.lock:
            with self.db.write("save the rating") as conn:
                if not conn.execute(
                    "SELECT 1 FROM blind_tests WHERE id = ?", (test_id,)
                ).fetchone():
                    raise LibraryError(f"There is no blind test {test_id} (deleted?).")
                if conn.execute(
                    "SELECT 1 FROM blind_ratings WHERE test_id = ? AND participant = ?",
                    (test_id, who),
                ).fetchone():
                    raise LibraryError(f"{who} has rated this test already; a rating is final.")
                conn.execute(
                    "INSERT INTO blind_ratings (test_id, participant, chosen, reason, rated_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (test_id, who, chosen, why, _now()),
                )
            return self.reveal(test_id, who)

    def reveal(self, test_id: int, participant: str) -> Revealed:
        """The labels, for a participant whose rating is saved.

        Raises:
            LibraryError: the participant has not rated this test yet.
        """
        who = " ".join(participant.split())
        rows = self.db.fetch(
            "SELECT r.chosen, r.reason, t.first_version_uid, t.second_version_uid "
            "FROM blind_ratings r JOIN blind_tests t ON t.id = r.test_id "
            "WHERE r.test_id = ? AND r.participant = ?",
            (test_id, who),
        )
        if not rows:
            raise LibraryError(
                f"{who or 'Nobody'} has not rated this test yet: the labels are shown only "
                "after the rating is saved."
            )
        row = rows[0]
        labels = self._labels()
        return Revealed(
            (
                labels.get(row["first_version_uid"], NO_VARIANT),
                labels.get(row["second_version_uid"], NO_VARIANT),
            ),
            int(row["chosen"]),
            row["reason"],
        )

    def results(self, session_id: int) -> list[Preference]:
        """Per variant (name and version), how often it was the take chosen, over every rating
        of the session's blind tests in which it was one of the two takes (a test of two takes
        of the same variant is left out)."""
        rows = self.db.fetch(
            "SELECT r.chosen, r.reason, r.participant, t.first_version_uid, t.second_version_uid "
            "FROM blind_ratings r JOIN blind_tests t ON t.id = r.test_id "
            "WHERE t.session_id = ? ORDER BY t.id, r.rated_at",
            (session_id,),
        )
        labels = self._labels()
        offered: dict[str, int] = {}
        chosen: dict[str, int] = {}
        reasons: dict[str, list[str]] = {}
        for r in rows:
            pair = (
                labels.get(r["first_version_uid"], NO_VARIANT),
                labels.get(r["second_version_uid"], NO_VARIANT),
            )
            if pair[0] == pair[1]:
                continue  # two takes of one variant say nothing about variants
            winner = pair[int(r["chosen"]) - 1]
            for label in pair:
                offered[label] = offered.get(label, 0) + 1
            chosen[winner] = chosen.get(winner, 0) + 1
            if r["reason"]:
                reasons.setdefault(winner, []).append(f"{r['participant']}: {r['reason']}")
        return [
            Preference(label, wilson(chosen.get(label, 0), n), tuple(reasons.get(label, ())))
            for label, n in sorted(offered.items(), key=lambda item: item[0].casefold())
        ]

    def _labels(self) -> dict[str, str]:
        rows = self.db.fetch(
            "SELECT vv.uid, v.name, vv.number FROM variant_versions vv "
            "JOIN variants v ON v.uid = vv.variant_uid"
        )
        return {r["uid"]: f"{r['name']} (version {r['number']})" for r in rows}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
