"""The attempt library's database schema, as a list of migrations applied in order.

A released migration is never edited: a library written by that release must upgrade the same
way for good (tests/data/library_v1.sql is such a library, kept to prove it). A change to the
schema is a new migration at the end of :data:`MIGRATIONS`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime


class NewerSchemaError(Exception):
    """The database was written by a newer version of the app than this one."""


@dataclass(frozen=True)
class Migration:
    """One step of the schema: the SQL statements that take version - 1 to version."""

    version: int
    description: str
    statements: tuple[str, ...]


_V1 = Migration(
    1,
    "attempts and their reports",
    (
        """CREATE TABLE schema_version (
            version INTEGER PRIMARY KEY,
            applied_at TEXT NOT NULL
        )""",
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created_at TEXT NOT NULL,
            title TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('recording', 'file')),
            original_path TEXT,
            audio_file TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('recording', 'ready')),
            duration_s REAL
        )""",
        """CREATE TABLE reports (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            profile_name TEXT NOT NULL,
            profile_path TEXT NOT NULL,
            length_preset TEXT NOT NULL,
            model_name TEXT,
            report_json TEXT NOT NULL
        )""",
        "CREATE INDEX reports_by_attempt ON reports (attempt_id, id)",
    ),
)

# The summary columns copy figures of the newest report so the history list, sorting and
# progress plots never parse report JSON.
_NEWEST_REPORT = (
    "(SELECT {} FROM reports r WHERE r.attempt_id = attempts.id ORDER BY r.id DESC LIMIT 1)"
)

_V2 = Migration(
    2,
    "title, tags, scenario and notes; summary figures of the newest report",
    (
        "ALTER TABLE attempts ADD COLUMN tags_json TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE attempts ADD COLUMN scenario TEXT",
        "ALTER TABLE attempts ADD COLUMN notes TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE attempts ADD COLUMN score INTEGER",
        "ALTER TABLE attempts ADD COLUMN time_to_value_s REAL",
        "ALTER TABLE attempts ADD COLUMN wpm REAL",
        "ALTER TABLE attempts ADD COLUMN fillers_per_min REAL",
        "ALTER TABLE attempts ADD COLUMN profile_name TEXT",
        "ALTER TABLE attempts ADD COLUMN model_name TEXT",
        "CREATE INDEX attempts_by_date ON attempts (created_at, id)",
        "UPDATE attempts SET "
        + ", ".join(
            f"{column} = {_NEWEST_REPORT.format(expression)}"
            for column, expression in (
                ("score", "json_extract(r.report_json, '$.score')"),
                ("time_to_value_s", "json_extract(r.report_json, '$.value_proposition.start_s')"),
                ("wpm", "json_extract(r.report_json, '$.delivery.wpm')"),
                ("fillers_per_min", "json_extract(r.report_json, '$.delivery.fillers_per_minute')"),
                ("profile_name", "r.profile_name"),
                ("model_name", "r.model_name"),
            )
        )
        + ", duration_s = coalesce("
        + _NEWEST_REPORT.format("json_extract(r.report_json, '$.source.duration_s')")
        + ", duration_s)",
    ),
)

_V3 = Migration(
    3,
    "role-play sessions, their participants; coach comments and rubric scores on attempts",
    (
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            coach TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            notes TEXT NOT NULL DEFAULT '',
            ended_at TEXT
        )""",
        """CREATE TABLE session_participants (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (session_id, name)
        )""",
        # A take keeps its participant's name even if the session forgets the participant.
        "ALTER TABLE attempts ADD COLUMN session_id INTEGER "
        "REFERENCES sessions (id) ON DELETE SET NULL",
        "ALTER TABLE attempts ADD COLUMN participant TEXT",
        "CREATE INDEX attempts_by_session ON attempts (session_id, created_at)",
        """CREATE TABLE comments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
            at_s REAL NOT NULL CHECK (at_s >= 0),
            text TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX comments_by_attempt ON comments (attempt_id, at_s)",
        # The criterion's name and scale are copied: the score keeps its meaning if the
        # profile's rubric changes later.
        """CREATE TABLE rubric_scores (
            attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
            criterion_id TEXT NOT NULL,
            criterion_name TEXT NOT NULL,
            score INTEGER NOT NULL,
            scale_min INTEGER NOT NULL,
            scale_max INTEGER NOT NULL,
            profile_name TEXT NOT NULL,
            scored_at TEXT NOT NULL,
            PRIMARY KEY (attempt_id, criterion_id),
            CHECK (score BETWEEN scale_min AND scale_max)
        )""",
    ),
)

_V4 = Migration(
    4,
    "why the newest report found no voicemail message in the take (NULL for a message)",
    ("ALTER TABLE attempts ADD COLUMN no_message TEXT",),
)

_UUID_SQL = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
)

_V5 = Migration(
    5,
    "outcomes of real voicemails left, script variants and their versions, stable ids for pooling",
    (
        # A stable id per attempt, so an outcome keeps naming its message in another library.
        "ALTER TABLE attempts ADD COLUMN uid TEXT",
        f"UPDATE attempts SET uid = {_UUID_SQL}",
        "CREATE UNIQUE INDEX attempts_by_uid ON attempts (uid)",
        f"""CREATE TRIGGER attempts_get_a_uid AFTER INSERT ON attempts WHEN NEW.uid IS NULL
        BEGIN UPDATE attempts SET uid = {_UUID_SQL} WHERE id = NEW.id; END""",
        "ALTER TABLE attempts ADD COLUMN left_as_voicemail INTEGER NOT NULL DEFAULT 0",
        """CREATE TABLE variants (
            uid TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        "CREATE UNIQUE INDEX variants_by_name ON variants (name COLLATE NOCASE)",
        """CREATE TABLE variant_versions (
            uid TEXT PRIMARY KEY,
            variant_uid TEXT NOT NULL REFERENCES variants (uid) ON DELETE CASCADE,
            number INTEGER NOT NULL CHECK (number >= 1),
            text TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            UNIQUE (variant_uid, number)
        )""",
        "ALTER TABLE attempts ADD COLUMN variant_version_uid TEXT "
        "REFERENCES variant_versions (uid) ON DELETE SET NULL",
        # One outcome per message, named by the message's stable id. attempt_id is NULL for an
        # outcome pooled from another library: its figures (a snapshot) and variant travel with it.
        """CREATE TABLE outcomes (
            uid TEXT PRIMARY KEY,
            message_uid TEXT NOT NULL UNIQUE,
            attempt_id INTEGER REFERENCES attempts (id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (
                kind IN ('called_back', 'email_reply', 'meeting', 'none', 'wrong_person')
            ),
            outcome_date TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL,
            variant_version_uid TEXT,
            figures_json TEXT NOT NULL DEFAULT '{}'
        )""",
        "CREATE INDEX outcomes_by_attempt ON outcomes (attempt_id)",
        # What the lab compares, copied from the newest report like the other summary figures.
        "ALTER TABLE attempts ADD COLUMN cta_kind TEXT",
        "ALTER TABLE attempts ADD COLUMN checks_json TEXT NOT NULL DEFAULT '{}'",
        "UPDATE attempts SET cta_kind = "
        + _NEWEST_REPORT.format(
            "CASE WHEN json_extract(r.report_json, '$.call_to_action.found') "
            "THEN json_extract(r.report_json, '$.call_to_action.kind') END"
        )
        + ", checks_json = coalesce("
        + _NEWEST_REPORT.format(
            "(SELECT json_group_object(json_extract(c.value, '$.id'), "
            "json_extract(c.value, '$.status')) FROM json_each(r.report_json, '$.checks') c)"
        )
        + ", '{}')",
    ),
)

_V6 = Migration(
    6,
    "blind listening tests in role-play sessions: two takes in a random order, ratings",
    (
        # first/second: the order the takes are played in (drawn when the test is made); the
        # variant versions are copied, so the labels revealed are those that were compared.
        """CREATE TABLE blind_tests (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            first_attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
            second_attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
            first_version_uid TEXT,
            second_version_uid TEXT,
            created_at TEXT NOT NULL,
            CHECK (first_attempt_id != second_attempt_id)
        )""",
        "CREATE INDEX blind_tests_by_session ON blind_tests (session_id, id)",
        """CREATE TABLE blind_ratings (
            test_id INTEGER NOT NULL REFERENCES blind_tests (id) ON DELETE CASCADE,
            participant TEXT NOT NULL,
            chosen INTEGER NOT NULL CHECK (chosen IN (1, 2)),
            reason TEXT NOT NULL DEFAULT '',
            rated_at TEXT NOT NULL,
            PRIMARY KEY (test_id, participant)
        )""",
    ),
)

MIGRATIONS: tuple[Migration, ...] = (_V1, _V2, _V3, _V4, _V5, _V6)
LATEST_VERSION = MIGRATIONS[-1].version


def schema_version(conn: sqlite3.Connection) -> int:
    """The version of the schema in ``conn``'s database; 0 for a new, empty database."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not has_table:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> int:
    """Bring the database up to ``target``, one transaction per migration.

    Each migration is applied whole or not at all, so a crash or a full disk half-way leaves
    the database at the previous version, ready to try again.

    Args:
        conn: A connection in autocommit mode (``isolation_level=None``): the transactions
            are explicit.
        target: The version to reach; tests pass 1 to build a library as the first release
            wrote it.

    Returns:
        The schema version afterwards.

    Raises:
        NewerSchemaError: the database is at a version this code does not know.
        sqlite3.Error: a migration failed; it was rolled back.
    """
    current = schema_version(conn)
    if current > LATEST_VERSION:
        raise NewerSchemaError(
            f"schema version {current}; this version of the app reads up to {LATEST_VERSION}"
        )
    for migration in MIGRATIONS:
        if migration.version <= current:
            continue
        if migration.version > target:
            break
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another copy of the app may have migrated while this one waited for the lock.
            if schema_version(conn) < migration.version:
                for statement in migration.statements:
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    (migration.version, datetime.now(UTC).isoformat(timespec="seconds")),
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.rollback()
            raise
    return schema_version(conn)
