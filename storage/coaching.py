"""Coach-led role play on top of the attempt library: its sessions
(:mod:`voicemail_coach.storage.sessions`) and the coach's review of each take
(:mod:`voicemail_coach.storage.take_review`) as one object, with what needs both: a session's
summary (and its CSV) and the coach's record of a take for an exported report.

Qt-free, like :mod:`voicemail_coach.storage.library`, whose database, lock and error handling it
shares.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from voicemail_coach.analysis.profile import RubricCriterion
from voicemail_coach.storage.coaching_records import (
    CoachingRecord,
    SummaryRow,
    rubric_columns,
    rubric_total,
)
from voicemail_coach.storage.csv_files import write_csv
from voicemail_coach.storage.sessions import Sessions
from voicemail_coach.storage.take_review import TakeReview

SUMMARY_CSV_COLUMNS = (
    "attempt_id",
    "date",
    "participant",
    "scenario",
    "title",
    "duration_s",
    "auto_score",
)


class Coaching(Sessions, TakeReview):
    """Sessions, participants, comments and rubric scores kept in ``library``; thread-safe."""

    def summary(self, session_id: int) -> list[SummaryRow]:
        """Every take of the session, oldest first, with its coach scores and comment count."""
        with self.library.db.lock:
            self.session(session_id)
            return [
                SummaryRow(a, self.scores(a.id), len(self.comments(a.id)))
                for a in self.takes(session_id)
            ]

    def record(self, attempt_id: int, rubric: Sequence[RubricCriterion] = ()) -> CoachingRecord:
        """What the coach added to a take, for an exported report."""
        with self.library.db.lock:
            attempt = self.library.attempt(attempt_id)
            session = self.session(attempt.session_id) if attempt.session_id else None
            scores = self.scores(attempt_id)
            return CoachingRecord(
                session=session,
                participant=attempt.participant,
                comments=tuple(self.comments(attempt_id)),
                scores=scores,
                rubric=rubric_columns(rubric, [scores]) if scores else tuple(rubric),
            )

    def export_summary_csv(
        self, session_id: int, path: str | Path, rubric: Sequence[RubricCriterion] = ()
    ) -> int:
        """Write the session summary as UTF-8 CSV: a row per take, automatic score, one column
        per rubric criterion and the rubric total. Returns the number of takes written."""
        rows = self.summary(session_id)
        columns = rubric_columns(rubric, [r.scores for r in rows])
        target = Path(path)
        header = [*SUMMARY_CSV_COLUMNS, *(c.id for c in columns), "rubric_total", "comments"]
        lines = []
        for row in rows:
            a = row.attempt
            total = rubric_total(columns, row.scores)
            scores = (row.scores[c.id].score if c.id in row.scores else None for c in columns)
            lines.append(
                [
                    a.id,
                    a.created_at,
                    a.participant,
                    a.scenario,
                    a.title,
                    a.duration_s,
                    a.score,
                    *scores,
                    total.text() or None,
                    row.comment_count,
                ]
            )
        try:
            write_csv(target, header, lines)
        except OSError as exc:
            raise self.library.db.problem(exc, f"export the session summary to {target}") from exc
        return len(rows)
