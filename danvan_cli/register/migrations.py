"""The register's schema as named migrations, applied in order and recorded in the database
(the sqlite-utils model). Each is a function of a connection inside one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]


def initial(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE candidates (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('collective', 'individual')),
            name TEXT NOT NULL,
            unit TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE
        )"""
    )
    db.execute(
        """CREATE TABLE dossiers (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            year INTEGER,
            path TEXT NOT NULL,
            candidate_id INTEGER REFERENCES candidates(id),
            level TEXT,
            valid INTEGER NOT NULL,
            total REAL,
            data TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX dossiers_year ON dossiers(year)")
    db.execute(
        """CREATE TABLE recognitions (
            id INTEGER PRIMARY KEY,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id),
            year INTEGER NOT NULL,
            level TEXT NOT NULL,
            decision_no TEXT NOT NULL DEFAULT '',
            decision_date TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            UNIQUE (candidate_id, year, level)
        )"""
    )
    db.execute(
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            command TEXT NOT NULL,
            inputs TEXT NOT NULL,
            outputs TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        )"""
    )


def candidate_spelling_year(db: sqlite3.Connection) -> None:
    """The year whose spelling of a candidate's name is shown (the latest seen)."""
    db.execute("ALTER TABLE candidates ADD COLUMN spelled_in INTEGER NOT NULL DEFAULT 0")


def plain_state(db: sqlite3.Connection) -> None:
    """Only what is read, nothing frozen or derived: a dossier is its hash, candidate, year
    and level (its verdict, total and JSON were written once and never read); an unknown
    decision number or date is NULL (was ''); an ad-hoc award is its own column (was an
    "ad-hoc:" prefix of the source); a recognition keeps the name and unit as recorded."""
    db.execute(
        """CREATE TABLE dossiers_new (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            candidate_id INTEGER REFERENCES candidates(id),
            year INTEGER,
            level TEXT
        )"""
    )
    db.execute(
        "INSERT INTO dossiers_new (id, sha256, candidate_id, year, level) "
        "SELECT id, sha256, candidate_id, year, level FROM dossiers"
    )
    db.execute("DROP TABLE dossiers")
    db.execute("ALTER TABLE dossiers_new RENAME TO dossiers")
    db.execute("CREATE INDEX dossiers_candidate ON dossiers(candidate_id)")
    db.execute(
        """CREATE TABLE recognitions_new (
            id INTEGER PRIMARY KEY,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id),
            year INTEGER NOT NULL,
            level TEXT NOT NULL,
            name TEXT NOT NULL,
            unit TEXT NOT NULL,
            decision_no TEXT,
            decision_date TEXT,
            ad_hoc INTEGER NOT NULL DEFAULT 0 CHECK (ad_hoc IN (0, 1)),
            source TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            UNIQUE (candidate_id, year, level)
        )"""
    )
    db.execute(
        """INSERT INTO recognitions_new (id, candidate_id, year, level, name, unit, decision_no,
               decision_date, ad_hoc, source, recorded_at)
           SELECT r.id, r.candidate_id, r.year, r.level, c.name, c.unit,
               NULLIF(r.decision_no, ''), NULLIF(r.decision_date, ''),
               r.source LIKE 'ad-hoc:%',
               CASE WHEN r.source LIKE 'ad-hoc:%' THEN 'recognize:' || substr(r.source, 8)
                    ELSE r.source END,
               r.recorded_at
           FROM recognitions r JOIN candidates c ON c.id = r.candidate_id"""
    )
    db.execute("DROP TABLE recognitions")
    db.execute("ALTER TABLE recognitions_new RENAME TO recognitions")
    db.execute("CREATE INDEX recognitions_year ON recognitions(year, level)")


def proposals(db: sqlite3.Connection) -> None:
    """What `rank` proposed (issue 12): for a year, a level, the plan and rubric files and the
    exact set of input files, each dossier's kind and status. `recognize` checks every
    "Đồng ý" of the council's workbook against it, so an edited workbook cannot record what
    the ranking did not propose."""
    db.execute(
        """CREATE TABLE proposals (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            level TEXT NOT NULL,
            plan_sha256 TEXT NOT NULL,
            inputs_sha256 TEXT NOT NULL,
            made_at TEXT NOT NULL,
            UNIQUE (year, level, plan_sha256, inputs_sha256)
        )"""
    )
    db.execute(
        """CREATE TABLE proposal_entries (
            proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL,
            kind TEXT CHECK (kind IS NULL OR kind IN ('collective', 'individual')),
            status TEXT NOT NULL CHECK (status IN ('proposed', 'reserve', 'tie', 'ineligible')),
            PRIMARY KEY (proposal_id, sha256)
        )"""
    )


def holds_and_revocations(db: sqlite3.Connection) -> None:
    """Nghị định 152/2025, Điều 4.4: candidates held from any award or proposal while under
    discipline, investigation, inspection or a complaint being verified, until lifted; and a
    recognition revoked (kept, with its reason and document, never deleted)."""
    db.execute(
        """CREATE TABLE holds (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('collective', 'individual')),
            name TEXT NOT NULL,
            unit TEXT NOT NULL,
            key TEXT NOT NULL,
            reason TEXT NOT NULL,
            document TEXT NOT NULL,
            since TEXT NOT NULL,
            note TEXT,
            lifted_on TEXT,
            lifted_document TEXT,
            recorded_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX holds_key ON holds(key)")
    db.execute("ALTER TABLE recognitions ADD COLUMN revoked_on TEXT")
    db.execute("ALTER TABLE recognitions ADD COLUMN revoked_reason TEXT")
    db.execute("ALTER TABLE recognitions ADD COLUMN revoked_document TEXT")


def spelling_year_unknown(db: sqlite3.Connection) -> None:
    """A candidate whose spelling year is unknown (recorded from a history list before its
    first decision, or by a hold) has NULL there, not 0: no year is year 0. SQLite cannot drop
    a NOT NULL, so the table is rebuilt in place, every id (and so every reference) kept."""
    db.execute(
        """CREATE TABLE candidates_new (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('collective', 'individual')),
            name TEXT NOT NULL,
            unit TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE,
            spelled_in INTEGER CHECK (spelled_in IS NULL OR spelled_in > 0)
        )"""
    )
    db.execute(
        "INSERT INTO candidates_new (id, kind, name, unit, key, spelled_in) "
        "SELECT id, kind, name, unit, key, NULLIF(spelled_in, 0) FROM candidates"
    )
    db.execute("DROP TABLE candidates")
    db.execute("ALTER TABLE candidates_new RENAME TO candidates")


MIGRATIONS: list[tuple[str, Migration]] = [
    ("0001_initial", initial),
    ("0002_candidate_spelling_year", candidate_spelling_year),
    ("0003_plain_state", plain_state),
    ("0004_proposals", proposals),
    ("0005_holds_and_revocations", holds_and_revocations),
    ("0006_spelling_year_unknown", spelling_year_unknown),
]
