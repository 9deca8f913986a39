"""The coach's review of a take in the attempt library: comments pinned to moments of it and
scores on the profile's rubric. Deleting an attempt deletes its comments and scores."""

from __future__ import annotations

import math

from voicemail_coach.analysis.profile import RubricCriterion
from voicemail_coach.storage.coaching_records import Comment, RubricScore
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.records import LibraryError, from_row, now_text, one_line

# A comment may sit this far past the end of the audio (a click on the timeline's last pixel).
END_SLACK_S = 0.5


class TakeReview:
    """A take's comments and rubric scores, kept in ``library``; thread-safe."""

    def __init__(self, library: Library) -> None:
        self.library = library

    def add_comment(self, attempt_id: int, at_s: float, text: str, author: str = "") -> Comment:
        """Pin a comment to a moment of a take.

        Raises:
            LibraryError: blank text, a time outside the take, or no such attempt.
        """
        body = _required_text(text)
        with self.library.db.lock:
            when = self._moment(attempt_id, at_s)
            now = now_text()
            with self.library.db.write("save the comment") as conn:
                cursor = conn.execute(
                    "INSERT INTO comments (attempt_id, at_s, text, author, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (attempt_id, when, body, one_line(author), now, now),
                )
            comment_id = cursor.lastrowid
            assert comment_id is not None
            return self.comment(comment_id)

    def comment(self, comment_id: int) -> Comment:
        rows = self.library.db.fetch("SELECT * FROM comments WHERE id = ?", (comment_id,))
        if not rows:
            raise LibraryError(f"There is no comment {comment_id} (deleted?).")
        return from_row(Comment, rows[0])

    def comments(self, attempt_id: int) -> list[Comment]:
        """A take's comments in the order of their moments."""
        rows = self.library.db.fetch(
            "SELECT * FROM comments WHERE attempt_id = ? ORDER BY at_s, id", (attempt_id,)
        )
        return [from_row(Comment, row) for row in rows]

    def update_comment(
        self, comment_id: int, *, text: str | None = None, at_s: float | None = None
    ) -> Comment:
        """Change a comment's text or moment; None leaves it as it is."""
        with self.library.db.lock:
            old = self.comment(comment_id)
            body = _required_text(text) if text is not None else old.text
            when = self._moment(old.attempt_id, at_s) if at_s is not None else old.at_s
            with self.library.db.write("save the comment") as conn:
                conn.execute(
                    "UPDATE comments SET text = ?, at_s = ?, updated_at = ? WHERE id = ?",
                    (body, when, now_text(), comment_id),
                )
            return self.comment(comment_id)

    def delete_comment(self, comment_id: int) -> None:
        with self.library.db.lock:
            self.comment(comment_id)
            with self.library.db.write("delete the comment") as conn:
                conn.execute("DELETE FROM comments WHERE id = ?", (comment_id,))

    def _moment(self, attempt_id: int, at_s: float) -> float:
        duration = self.library.attempt(attempt_id).duration_s
        if not math.isfinite(at_s) or at_s < 0:
            raise LibraryError(f"A comment needs a moment in the take, not {at_s} s.")
        if duration is not None and at_s > duration + END_SLACK_S:
            raise LibraryError(f"{at_s:.1f} s is past the end of the take ({duration:.1f} s long).")
        return round(float(at_s), 2)

    def set_score(
        self,
        attempt_id: int,
        criterion: RubricCriterion,
        score: int | None,
        profile_name: str,
    ) -> RubricScore | None:
        """Score one criterion of a take on its scale; None clears the score.

        Raises:
            LibraryError: a score that is not a whole number on the criterion's scale, or no
                such attempt.
        """
        if score is not None and (
            isinstance(score, bool)
            or not isinstance(score, int)
            or not criterion.scale_min <= score <= criterion.scale_max
        ):
            raise LibraryError(
                f"{criterion.name} is scored from {criterion.scale_min} to "
                f"{criterion.scale_max}; {score!r} is not on that scale."
            )
        with self.library.db.lock:
            with self.library.db.write("save the score") as conn:
                self.library.require(conn, attempt_id)
                if score is None:
                    conn.execute(
                        "DELETE FROM rubric_scores WHERE attempt_id = ? AND criterion_id = ?",
                        (attempt_id, criterion.id),
                    )
                else:
                    conn.execute(
                        "INSERT OR REPLACE INTO rubric_scores (attempt_id, criterion_id, "
                        "criterion_name, score, scale_min, scale_max, profile_name, scored_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            attempt_id,
                            criterion.id,
                            criterion.name,
                            score,
                            criterion.scale_min,
                            criterion.scale_max,
                            profile_name,
                            now_text(),
                        ),
                    )
            return self.scores(attempt_id).get(criterion.id)

    def scores(self, attempt_id: int) -> dict[str, RubricScore]:
        """A take's rubric scores by criterion id."""
        rows = self.library.db.fetch(
            "SELECT * FROM rubric_scores WHERE attempt_id = ? ORDER BY rowid", (attempt_id,)
        )
        return {row["criterion_id"]: from_row(RubricScore, row) for row in rows}


def _required_text(text: str) -> str:
    if not text.strip():
        raise LibraryError("A comment cannot be empty.")
    return text.strip()
