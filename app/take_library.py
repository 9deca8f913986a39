"""What a take has to do with the attempt library, apart from its analysis: the role play it is
labelled with (and the one restored at start), its script variant, where a take recorded outside
the library goes, and whether a file was analyzed before."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from voicemail_coach.analysis.paths import data_dir
from voicemail_coach.analysis.scenarios import Scenario
from voicemail_coach.app.settings import Settings
from voicemail_coach.storage.coaching import Coaching
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.outcomes import Outcomes
from voicemail_coach.storage.records import Attempt, LibraryError


@dataclass(frozen=True)
class RolePlay:
    """What the next takes are labelled with: a role-play session, the participant up next and,
    optionally, the scenario they practise."""

    session_id: int
    session_name: str
    participant: str | None
    scenario: str | None = None  # for takes that get no scenario of their own


def restored_role_play(
    settings: Settings, coaching: Coaching | None, card: Scenario | None
) -> RolePlay | None:
    """The role play of the last run, if its session still runs in this library and the person
    up next still takes part."""
    session_id = settings.role_play_session
    if session_id is None or coaching is None:
        return None
    try:
        session = coaching.session(session_id)
    except LibraryError:
        return None
    if not session.active:
        return None
    who = settings.role_play_participant
    if who not in session.participants:
        who = None
    return RolePlay(session.id, session.name, who, card.label if card else None)


def label_take(
    attempt: Attempt,
    variant: str | None,
    outcomes: Outcomes | None,
    role: RolePlay | None,
    coaching: Coaching | None,
    warn: Callable[[str], None],
) -> tuple[Attempt, bool]:
    """Link the take to the script variant and put it in the role-play session, if any; may
    run on a worker. A label that cannot be saved is told to ``warn`` and the take kept
    unlabelled. Also says whether the take went into the session."""
    if variant is not None and outcomes is not None:
        try:
            attempt = outcomes.link(attempt.id, variant)
        except LibraryError as exc:
            warn(f"{exc} The take is kept, not linked to it.")
    if role is None or coaching is None:
        return attempt, False
    try:
        labelled = coaching.label_take(attempt.id, role.session_id, role.participant, role.scenario)
        return labelled, True
    except LibraryError as exc:
        warn(f"{exc} The take is kept, not labelled.")
        return attempt, False


def loose_take_path() -> Path:
    """Where a take is recorded when the library cannot take it: a new file under the data
    folder's recordings/."""
    folder = data_dir() / "recordings"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / time.strftime("take-%Y%m%d-%H%M%S.wav")
    n = 1
    while path.exists():
        n += 1
        path = folder / time.strftime(f"take-%Y%m%d-%H%M%S-{n}.wav")
    return path


def known_attempt(library: Library, path: str | Path) -> Attempt | None:
    """The newest analyzed attempt made from this very file, unless the file has changed since
    it was added (then it is another recording)."""
    source = Path(path).absolute()
    try:
        changed = datetime.fromtimestamp(source.stat().st_mtime, UTC)
        for attempt in library.attempts():
            if attempt.source != "file" or attempt.original_path != str(source):
                continue
            # (created_at is whole seconds: a file written just before it was added is not
            # taken for a newer one.)
            if datetime.fromisoformat(attempt.created_at) + timedelta(seconds=1) < changed:
                continue
            if library.latest_report(attempt.id) is not None:
                return attempt
    except (OSError, ValueError, LibraryError):
        return None
    return None
