"""The register: SQLite (standard library) inside the workspace.

Named migrations recorded in the database; every write in one IMMEDIATE transaction (a
second danvan process waits for the lock); an audit row only when something changed.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from danvan_cli.errors import DanvanError

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_initial",
        """
        CREATE TABLE candidates (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('collective', 'individual')),
            name TEXT NOT NULL,
            unit TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE
        );
        CREATE TABLE dossiers (
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
        );
        CREATE INDEX dossiers_year ON dossiers(year);
        CREATE TABLE recognitions (
            id INTEGER PRIMARY KEY,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id),
            year INTEGER NOT NULL,
            level TEXT NOT NULL,
            decision_no TEXT NOT NULL DEFAULT '',
            decision_date TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            UNIQUE (candidate_id, year, level)
        );
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            command TEXT NOT NULL,
            inputs TEXT NOT NULL,
            outputs TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );
        """,
    ),
    (
        "0002_candidate_spelling_year",
        """
        ALTER TABLE candidates ADD COLUMN spelled_in INTEGER NOT NULL DEFAULT 0;
        """,
    ),
]


class RegisterError(DanvanError):
    """The register cannot be opened or is damaged."""


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Candidate:
    id: int
    kind: str
    name: str
    unit: str
    key: str


@dataclass(frozen=True)
class Recognition:
    candidate: Candidate
    year: int
    level: str
    decision_no: str
    decision_date: str
    source: str


def _recognition_order(r: Recognition) -> tuple[Any, ...]:
    from danvan_cli.collation import person_key, sort_key

    c = r.candidate
    name = person_key(c.name) if c.kind == "individual" else (sort_key(c.name),)
    return (r.year, r.level, c.kind, *name, sort_key(c.unit))


class Register:
    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.migrated = False

    @classmethod
    @contextmanager
    def open(cls, path: Path, timeout: float = 60.0) -> Iterator[Register]:
        existed = path.exists() and path.stat().st_size > 0
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise RegisterError("register.unusable", path=str(path), error=str(exc)) from None
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            register = cls(conn, path)
            register._migrate(backup=existed)
            yield register
        except sqlite3.DatabaseError as exc:
            raise RegisterError("register.unusable", path=str(path), error=str(exc)) from None
        finally:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _migrate(self, *, backup: bool) -> None:
        with self.transaction() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS migrations "
                "(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)"
            )
            done = {row[0] for row in db.execute("SELECT name FROM migrations")}
        pending = [(n, sql) for n, sql in MIGRATIONS if n not in done]
        if not pending:
            return
        if backup and done:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            self.conn.execute("PRAGMA wal_checkpoint(FULL)")
            shutil.copy2(self.path, self.path.with_name(f"{self.path.name}.{stamp}.bak"))
        for name, sql in pending:
            with self.transaction() as db:
                for statement in sql.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, now()))
        self.migrated = True

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM migrations").fetchone()[0])

    # -- candidates --------------------------------------------------------------------
    def candidate(
        self, kind: str, name: str, unit: str, key: str, year: int | None = None
    ) -> tuple[Candidate, bool]:
        """The candidate with this identity key, created if new (call inside a transaction).
        Its name and unit are shown as spelled in the latest year seen."""
        row = self.conn.execute(
            "SELECT id, kind, name, unit, key, spelled_in FROM candidates WHERE key = ?", (key,)
        ).fetchone()
        if row:
            if (
                year is not None
                and year >= row[5]
                and (name, unit, year) != (row[2], row[3], row[5])
            ):
                self.conn.execute(
                    "UPDATE candidates SET name = ?, unit = ?, spelled_in = ? WHERE id = ?",
                    (name, unit, year, row[0]),
                )
                return Candidate(row[0], kind, name, unit, key), False
            return Candidate(*row[:5]), False
        cur = self.conn.execute(
            "INSERT INTO candidates (kind, name, unit, key, spelled_in) VALUES (?, ?, ?, ?, ?)",
            (kind, name, unit, key, year or 0),
        )
        return Candidate(int(cur.lastrowid or 0), kind, name, unit, key), True

    def find_candidate(self, key: str) -> Candidate | None:
        row = self.conn.execute(
            "SELECT id, kind, name, unit, key FROM candidates WHERE key = ?", (key,)
        ).fetchone()
        return Candidate(*row) if row else None

    def candidates(self, kind: str | None = None) -> list[Candidate]:
        sql = "SELECT id, kind, name, unit, key FROM candidates"
        rows = (
            self.conn.execute(sql + " WHERE kind = ?", (kind,)) if kind else self.conn.execute(sql)
        )
        return [Candidate(*r) for r in rows]

    # -- dossiers ----------------------------------------------------------------------
    def record_dossier(
        self,
        sha256: str,
        year: int | None,
        path: str,
        candidate_id: int | None,
        level: str | None,
        valid: bool,
        total: float | None,
        data: dict[str, Any],
    ) -> bool:
        """Record a dossier by content hash; False if that exact file is already recorded."""
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO dossiers "
            "(sha256, year, path, candidate_id, level, valid, total, data, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                sha256,
                year,
                path,
                candidate_id,
                level,
                int(valid),
                total,
                json.dumps(data, ensure_ascii=False, sort_keys=True),
                now(),
            ),
        )
        return cur.rowcount > 0

    # -- recognitions ------------------------------------------------------------------
    def recognitions(self, candidate_id: int | None = None) -> list[Recognition]:
        sql = (
            "SELECT c.id, c.kind, c.name, c.unit, c.key, r.year, r.level, r.decision_no, "
            "r.decision_date, r.source FROM recognitions r JOIN candidates c "
            "ON c.id = r.candidate_id"
        )
        args: tuple[Any, ...] = ()
        if candidate_id is not None:
            sql += " WHERE c.id = ?"
            args = (candidate_id,)
        rows = self.conn.execute(sql, args)
        found = [Recognition(Candidate(*r[:5]), r[5], r[6], r[7], r[8], r[9]) for r in rows]
        return sorted(found, key=_recognition_order)

    def add_recognition(
        self,
        candidate_id: int,
        year: int,
        level: str,
        decision_no: str,
        decision_date: str,
        source: str,
    ) -> str:
        """Record a recognition: "added", "same" (already there) or "conflict" (other decision)."""
        row = self.conn.execute(
            "SELECT decision_no, decision_date FROM recognitions "
            "WHERE candidate_id = ? AND year = ? AND level = ?",
            (candidate_id, year, level),
        ).fetchone()
        if row is not None:
            return "same" if tuple(row) == (decision_no, decision_date) else "conflict"
        self.conn.execute(
            "INSERT INTO recognitions (candidate_id, year, level, decision_no, decision_date, "
            "source, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (candidate_id, year, level, decision_no, decision_date, source, now()),
        )
        return "added"

    def recognized(self, candidate_id: int, level: str) -> set[int]:
        rows = self.conn.execute(
            "SELECT year FROM recognitions WHERE candidate_id = ? AND level = ?",
            (candidate_id, level),
        )
        return {int(r[0]) for r in rows}

    # -- audit -------------------------------------------------------------------------
    def audit(
        self, command: str, inputs: dict[str, Any], outputs: dict[str, Any], note: str = ""
    ) -> None:
        self.conn.execute(
            "INSERT INTO audit (at, command, inputs, outputs, note) VALUES (?, ?, ?, ?, ?)",
            (
                now(),
                command,
                json.dumps(inputs, ensure_ascii=False, sort_keys=True),
                json.dumps(outputs, ensure_ascii=False, sort_keys=True),
                note,
            ),
        )

    def audit_rows(self) -> list[tuple[str, str, str, str, str]]:
        rows = self.conn.execute("SELECT at, command, inputs, outputs, note FROM audit ORDER BY id")
        return [tuple(r) for r in rows]


@dataclass
class CheckResult:
    counts: dict[str, int]
    problems: list[str]
    notes: list[str]


def check(register: Register, level_ids: set[str], key_of: Any) -> CheckResult:
    """SQLite's integrity check plus danvan's own: foreign keys, known migrations and levels,
    identity keys that the plan still gives (`key_of(kind, name, unit)`)."""
    db = register.conn
    problems: list[str] = []
    notes: list[str] = []
    integrity = [r[0] for r in db.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        problems += [f"integrity_check: {line}" for line in integrity]
    for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check"):
        problems.append(f"foreign_key_check: {table} #{rowid} → {parent}")
    known = {name for name, _ in MIGRATIONS}
    applied = [r[0] for r in db.execute("SELECT name FROM migrations ORDER BY id")]
    problems += [f"migrations: {name}?" for name in applied if name not in known]
    problems += [f"migrations: {name} —" for name in known if name not in applied]
    for (level,) in db.execute("SELECT DISTINCT level FROM recognitions"):
        if level not in level_ids:
            problems.append(f"recognitions.level: {level}")
    for c in register.candidates():
        if key_of(c.kind, c.name, c.unit) != c.key:
            notes.append(f"candidates #{c.id}: {c.name} — {c.unit}")
    counts = {
        table: int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        for table in ("candidates", "dossiers", "recognitions", "audit")
    }
    counts["schema"] = register.schema_version
    return CheckResult(counts, problems, notes)
