"""The register: SQLite (standard library) inside the workspace. Every SQL statement danvan
runs is in this package.

Named migrations recorded in the database (a backup is kept before migrating); every write in
one IMMEDIATE transaction (a second danvan process waits for the lock); an audit row only
when something changed. A register made by a newer danvan is refused, never written into.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from danvan_cli.config.rubric import Kind
from danvan_cli.errors import DanvanError, make_folder, os_reason
from danvan_cli.i18n.catalog import Message
from danvan_cli.register.migrations import MIGRATIONS
from danvan_cli.text.collation import person_key, sort_key

Outcome = Literal["added", "same", "conflict"]
TABLES = (  # the register's tables, as `register check` counts them
    "candidates",
    "dossiers",
    "recognitions",
    "holds",
    "audit",
    "proposals",
    "proposal_entries",
)


class RegisterError(DanvanError):
    """The register cannot be opened, is damaged or was made by a newer danvan."""


# SQLite's primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF) → the catalog's text:
# what happened and what to do, never SQLite's English.
_SQLITE_KEYS = {
    3: "register.readonly",  # SQLITE_PERM
    5: "register.locked",  # SQLITE_BUSY
    6: "register.locked",  # SQLITE_LOCKED
    8: "register.readonly",  # SQLITE_READONLY
    10: "register.io",  # SQLITE_IOERR
    11: "register.damaged",  # SQLITE_CORRUPT
    13: "register.full",  # SQLITE_FULL
    14: "register.cant_open",  # SQLITE_CANTOPEN
    26: "register.damaged",  # SQLITE_NOTADB
}


def backups(path: Path) -> list[Path]:
    """The copies kept before migrations (`register.sqlite.<time>.bak`), oldest first."""
    return sorted(path.parent.glob(f"{path.name}.*.bak"))


def register_error(exc: sqlite3.Error, path: Path, timeout: float = 60.0) -> RegisterError:
    """A SQLite error as a RegisterError in the catalog's words: damaged (with the latest
    backup to restore, or that there is none), locked, read-only, full, … — SQLite's own
    English message is never shown (its code name is kept for a technician)."""
    code = getattr(exc, "sqlite_errorcode", None)
    name = getattr(exc, "sqlite_errorname", None) or "?"
    if code is None and isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        code = 5
    key = _SQLITE_KEYS.get((code or 0) & 0xFF, "register.unusable")
    params: dict[str, Any] = {"path": str(path), "folder": str(path.parent), "code": name}
    lines: list[Message] = []
    if key == "register.locked":
        params["seconds"] = f"{timeout:g}"
    if key == "register.damaged":
        params["name"] = path.name
        found = backups(path)
        lines.append(
            Message("register.backup_latest", {"path": str(found[-1])})
            if found
            else Message("register.no_backup", {"folder": str(path.parent)})
        )
    return RegisterError(key, lines=lines, **params)


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    kind: Kind
    name: str
    unit: str
    key: str


@dataclass(frozen=True, slots=True)
class Recognition:
    candidate: Candidate
    year: int
    level: str
    name: str  # as written in the decision (or the history list)
    unit: str
    decision_no: str | None
    decision_date: dt.date | None
    ad_hoc: bool
    source: str
    id: int = 0
    revoked_on: dt.date | None = None
    revoked_reason: str | None = None
    revoked_document: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_on is not None


HoldReason = Literal["discipline", "investigation", "inspection", "complaint"]
HOLD_REASONS: tuple[HoldReason, ...] = ("discipline", "investigation", "inspection", "complaint")


@dataclass(frozen=True, slots=True)
class Hold:
    """A candidate held from awards and proposals (Nghị định 152/2025, Điều 4.4)."""

    id: int
    kind: Kind
    name: str
    unit: str
    key: str
    reason: HoldReason
    document: str
    since: dt.date
    note: str | None
    lifted_on: dt.date | None
    lifted_document: str | None

    def active(self, on: dt.date) -> bool:
        return self.since <= on and (self.lifted_on is None or self.lifted_on > on)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _hold(row: sqlite3.Row) -> Hold:
    return Hold(
        row["id"],
        row["kind"],
        row["name"],
        row["unit"],
        row["key"],
        row["reason"],
        row["document"],
        dt.date.fromisoformat(row["since"]),
        row["note"],
        _date(row["lifted_on"]),
        row["lifted_document"],
    )


@dataclass(frozen=True, slots=True)
class Proposed:
    """One dossier of a recorded proposal: its kind and status as `rank` gave them."""

    kind: Kind | None
    status: str


@dataclass(frozen=True, slots=True)
class Rekeyed:
    """What `Register.rekey` changed: the candidates' (old, new) keys, the holds re-keyed."""

    candidates: list[tuple[str, str]]
    holds: int = 0

    def __bool__(self) -> bool:
        return bool(self.candidates or self.holds)


@dataclass(frozen=True, slots=True)
class AuditRow:
    at: str
    command: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    note: str


def _recognition_order(r: Recognition) -> tuple[Any, ...]:
    c = r.candidate
    name = person_key(c.name) if c.kind == "individual" else (sort_key(c.name),)
    return (r.year, r.level, c.kind, *name, sort_key(c.unit))


def _candidate(row: sqlite3.Row) -> Candidate:
    return Candidate(row["id"], row["kind"], row["name"], row["unit"], row["key"])


_RECOGNITIONS = (
    "SELECT c.id, c.kind, c.name AS c_name, c.unit AS c_unit, c.key, r.year, r.level, r.name, "
    "r.unit, r.decision_no, r.decision_date, r.ad_hoc, r.source, r.id AS r_id, r.revoked_on, "
    "r.revoked_reason, r.revoked_document "
    "FROM recognitions r JOIN candidates c ON c.id = r.candidate_id"
)


def _recognition(row: sqlite3.Row) -> Recognition:
    candidate = Candidate(row["id"], row["kind"], row["c_name"], row["c_unit"], row["key"])
    date = row["decision_date"]
    return Recognition(
        candidate,
        row["year"],
        row["level"],
        row["name"],
        row["unit"],
        row["decision_no"],
        dt.date.fromisoformat(date) if date else None,
        bool(row["ad_hoc"]),
        row["source"],
        row["r_id"],
        _date(row["revoked_on"]),
        row["revoked_reason"],
        row["revoked_document"],
    )


class Register:
    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.migrated = False
        self._savepoints = 0

    @classmethod
    @contextmanager
    def open(cls, path: Path, *, create: bool = False, timeout: float = 60.0) -> Iterator[Register]:
        """Open the register (`create`: make it if there is none — `danvan init`). A missing
        or 0-byte register is reported, never silently replaced by an empty one."""
        if path.is_file() and path.stat().st_size == 0:
            raise RegisterError("register.empty_file", path=str(path))
        existed = path.is_file()
        if not existed and not create:
            raise RegisterError("register.missing", path=str(path))
        make_folder(path.parent)
        try:
            conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise register_error(exc, path, timeout) from None
        conn.row_factory = sqlite3.Row
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            register = cls(conn, path)
            register._migrate(backup=existed)
            conn.execute("PRAGMA journal_mode = WAL")
            yield register
        except sqlite3.Error as exc:
            raise register_error(exc, path, timeout) from None
        finally:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One IMMEDIATE transaction (a second danvan process waits for the lock), rolled back
        if anything raises. Inside another transaction, a savepoint of it: a command that is
        one transaction from start to finish may call what opens its own."""
        if self.conn.in_transaction:
            self._savepoints += 1
            name = f"danvan_{self._savepoints}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            finally:
                self._savepoints -= 1
            self.conn.execute(f"RELEASE {name}")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def changes(self) -> int:
        """A counter of the rows written since the register was opened: two readings that
        differ mean the register changed in between (and a command owes an audit row)."""
        return self.conn.total_changes

    def _applied(self) -> list[str]:
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
        ).fetchone()
        if not exists:
            return []
        return [r["name"] for r in self.conn.execute("SELECT name FROM migrations ORDER BY id")]

    def _migrate(self, *, backup: bool) -> None:
        done = self._applied()
        known = [name for name, _ in MIGRATIONS]
        unknown = [name for name in done if name not in known]
        if unknown:  # made by a newer danvan: reading it as ours could lose what it holds
            raise RegisterError("register.newer", path=str(self.path), migrations=unknown)
        pending = [(n, step) for n, step in MIGRATIONS if n not in done]
        if not pending:
            return
        copy = None
        if backup and done:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            self.conn.execute("PRAGMA wal_checkpoint(FULL)")
            copy = self.path.with_name(f"{self.path.name}.{stamp}.bak")
            try:
                shutil.copy2(self.path, copy)
            except OSError as exc:  # no backup, no migration: the register stays as it was
                raise RegisterError(
                    "register.backup_failed", path=str(copy), error=os_reason(exc)
                ) from None
        self.conn.execute("PRAGMA foreign_keys = OFF")  # tables are rebuilt in place
        try:
            with self.transaction():
                self.conn.execute(
                    "CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, "
                    "name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)"
                )
                for name, step in pending:
                    step(self.conn)
                    self.conn.execute(
                        "INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, now())
                    )
                broken = self.conn.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RegisterError("register.broken_references", path=str(self.path))
                if done:  # an existing register brought up to date: a change like any other
                    self.audit(
                        "migrate",
                        {"schema": done, "backup": copy.name if copy else None},
                        {"applied": [name for name, _ in pending]},
                    )
        finally:
            self.conn.execute("PRAGMA foreign_keys = ON")
        self.migrated = True

    @property
    def schema_version(self) -> int:
        return len(self._applied())

    def applied_migrations(self) -> list[str]:
        return self._applied()

    # -- candidates --------------------------------------------------------------------
    def candidate(
        self, kind: Kind, name: str, unit: str, key: str, year: int | None = None
    ) -> tuple[Candidate, bool]:
        """The candidate with this identity key, created if new (call inside a transaction).
        Its name and unit are shown as spelled in the latest year seen (`year` None: a
        spelling of no known year, which any dated one replaces)."""
        row = self.conn.execute(
            "SELECT id, kind, name, unit, key, spelled_in FROM candidates WHERE key = ?", (key,)
        ).fetchone()
        if row:
            seen = row["spelled_in"]
            if (
                year is not None
                and (seen is None or year >= seen)
                and (name, unit, year) != (row["name"], row["unit"], seen)
            ):
                self.conn.execute(
                    "UPDATE candidates SET name = ?, unit = ?, spelled_in = ? WHERE id = ?",
                    (name, unit, year, row["id"]),
                )
                return Candidate(row["id"], kind, name, unit, key), False
            return _candidate(row), False
        cur = self.conn.execute(
            "INSERT INTO candidates (kind, name, unit, key, spelled_in) VALUES (?, ?, ?, ?, ?)",
            (kind, name, unit, key, year),
        )
        return Candidate(int(cur.lastrowid or 0), kind, name, unit, key), True

    def find_candidate(self, key: str) -> Candidate | None:
        row = self.conn.execute(
            "SELECT id, kind, name, unit, key FROM candidates WHERE key = ?", (key,)
        ).fetchone()
        return _candidate(row) if row else None

    def candidates(self, kind: Kind | None = None) -> list[Candidate]:
        sql = "SELECT id, kind, name, unit, key FROM candidates"
        rows = (
            self.conn.execute(sql + " WHERE kind = ?", (kind,)) if kind else self.conn.execute(sql)
        )
        return [_candidate(r) for r in rows]

    def rekey(self, key_of: Callable[[Kind, str, str], str]) -> Rekeyed:
        """Give every candidate and every hold the identity key the plan gives it now (its
        aliases or its units' renames changed); a candidate's key another candidate already
        has is left as it is (two candidates are never merged silently: `register check`
        lists them). Call inside a transaction; returns what changed."""
        rows = self.candidates()
        wanted = {c.id: key_of(c.kind, c.name, c.unit) for c in rows}
        counts: dict[str, int] = {}
        for key in wanted.values():
            counts[key] = counts.get(key, 0) + 1
        kept = {c.key for c in rows if wanted[c.id] == c.key}
        changed = []
        for c in rows:
            new = wanted[c.id]
            if new == c.key or counts[new] > 1 or new in kept:
                continue
            self.conn.execute("UPDATE candidates SET key = ? WHERE id = ?", (f"~{c.id}", c.id))
            changed.append((c, new))
        for c, new in changed:
            self.conn.execute("UPDATE candidates SET key = ? WHERE id = ?", (new, c.id))
        holds = 0
        for h in self.holds():
            key = key_of(h.kind, h.name, h.unit)
            if key != h.key:
                self.conn.execute("UPDATE holds SET key = ? WHERE id = ?", (key, h.id))
                holds += 1
        return Rekeyed([(c.key, new) for c, new in changed], holds)

    # -- dossiers ----------------------------------------------------------------------
    def record_dossier(
        self, sha256: str, candidate_id: int | None, year: int | None, level: str | None
    ) -> bool:
        """Record a dossier by content hash; False if that exact file is already recorded."""
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO dossiers (sha256, candidate_id, year, level) VALUES (?, ?, ?, ?)",
            (sha256, candidate_id, year, level),
        )
        return cur.rowcount > 0

    def dossier_candidate(self, sha256: str) -> Candidate | None:
        """The candidate a recorded dossier belongs to."""
        row = self.conn.execute(
            "SELECT c.id, c.kind, c.name, c.unit, c.key FROM dossiers d "
            "JOIN candidates c ON c.id = d.candidate_id WHERE d.sha256 = ?",
            (sha256,),
        ).fetchone()
        return _candidate(row) if row else None

    def dossier_hashes(self, candidate_id: int) -> set[str]:
        rows = self.conn.execute(
            "SELECT sha256 FROM dossiers WHERE candidate_id = ?", (candidate_id,)
        )
        return {r["sha256"] for r in rows}

    # -- recognitions ------------------------------------------------------------------
    def recognitions(
        self,
        candidate_id: int | None = None,
        year: int | None = None,
        level: str | None = None,
        *,
        include_revoked: bool = False,
    ) -> list[Recognition]:
        """Recognitions in force (a revoked one only with `include_revoked`)."""
        where, args = [], []
        for column, value in (("c.id", candidate_id), ("r.year", year), ("r.level", level)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        sql = _RECOGNITIONS + (" WHERE " + " AND ".join(where) if where else "")
        if not include_revoked:
            sql += (" AND " if where else " WHERE ") + "r.revoked_on IS NULL"
        found = [_recognition(r) for r in self.conn.execute(sql, args)]
        return sorted(found, key=_recognition_order)

    def add_recognition(
        self,
        candidate_id: int,
        year: int,
        level: str,
        name: str,
        unit: str,
        decision_no: str | None,
        decision_date: dt.date | None,
        source: str,
        *,
        ad_hoc: bool = False,
    ) -> Outcome:
        """Record a recognition: "added", "same" (already there) or "conflict" (other decision)."""
        date = decision_date.isoformat() if decision_date else None
        row = self.conn.execute(
            "SELECT decision_no, decision_date FROM recognitions "
            "WHERE candidate_id = ? AND year = ? AND level = ?",
            (candidate_id, year, level),
        ).fetchone()
        if row is not None:
            return (
                "same"
                if (row["decision_no"], row["decision_date"]) == (decision_no, date)
                else "conflict"
            )
        self.conn.execute(
            "INSERT INTO recognitions (candidate_id, year, level, name, unit, decision_no, "
            "decision_date, ad_hoc, source, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (candidate_id, year, level, name, unit, decision_no, date, int(ad_hoc), source, now()),
        )
        return "added"

    def recognized(self, candidate_id: int, level: str) -> set[int]:
        """The years a candidate was recognized at a level (revoked recognitions left out)."""
        rows = self.conn.execute(
            "SELECT year FROM recognitions WHERE candidate_id = ? AND level = ? "
            "AND revoked_on IS NULL",
            (candidate_id, level),
        )
        return {int(r["year"]) for r in rows}

    def recognition(self, recognition_id: int) -> Recognition | None:
        rows = self.conn.execute(_RECOGNITIONS + " WHERE r.id = ?", (recognition_id,))
        row = rows.fetchone()
        return _recognition(row) if row else None

    def correct_recognition(
        self, recognition_id: int, decision_no: str | None, decision_date: dt.date | None
    ) -> None:
        """A decision number or date typed wrong, set right (the caller audits old and new)."""
        self.conn.execute(
            "UPDATE recognitions SET decision_no = COALESCE(?, decision_no), "
            "decision_date = COALESCE(?, decision_date) WHERE id = ?",
            (decision_no, decision_date.isoformat() if decision_date else None, recognition_id),
        )

    def revoke_recognition(
        self, recognition_id: int, on: dt.date, reason: str, document: str
    ) -> None:
        """A recognition revoked: kept, marked, and left out of quotas, look-backs, reports."""
        self.conn.execute(
            "UPDATE recognitions SET revoked_on = ?, revoked_reason = ?, revoked_document = ? "
            "WHERE id = ?",
            (on.isoformat(), reason, document, recognition_id),
        )

    # -- holds (Nghị định 152/2025, Điều 4.4) -------------------------------------------
    def add_hold(
        self,
        kind: Kind,
        name: str,
        unit: str,
        key: str,
        reason: HoldReason,
        document: str,
        since: dt.date,
        note: str | None = None,
    ) -> Hold:
        cur = self.conn.execute(
            "INSERT INTO holds (kind, name, unit, key, reason, document, since, note, "
            "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (kind, name, unit, key, reason, document, since.isoformat(), note, now()),
        )
        found = self.hold(int(cur.lastrowid or 0))
        assert found is not None
        return found

    def hold(self, hold_id: int) -> Hold | None:
        row = self.conn.execute("SELECT * FROM holds WHERE id = ?", (hold_id,)).fetchone()
        return _hold(row) if row else None

    def holds(self) -> list[Hold]:
        return [_hold(r) for r in self.conn.execute("SELECT * FROM holds ORDER BY id")]

    def holds_of(self, key: str) -> list[Hold]:
        rows = self.conn.execute("SELECT * FROM holds WHERE key = ? ORDER BY id", (key,))
        return [_hold(r) for r in rows]

    def lift_hold(self, hold_id: int, on: dt.date, document: str) -> None:
        self.conn.execute(
            "UPDATE holds SET lifted_on = ?, lifted_document = ? WHERE id = ?",
            (on.isoformat(), document, hold_id),
        )

    # -- proposals (what rank proposed) -------------------------------------------------
    def _proposal_id(self, year: int, level: str, plan_sha: str, inputs_sha: str) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM proposals WHERE year = ? AND level = ? AND plan_sha256 = ? "
            "AND inputs_sha256 = ?",
            (year, level, plan_sha, inputs_sha),
        ).fetchone()
        return int(row["id"]) if row else None

    def _entries(self, proposal_id: int) -> dict[str, Proposed]:
        rows = self.conn.execute(
            "SELECT sha256, kind, status FROM proposal_entries WHERE proposal_id = ?",
            (proposal_id,),
        )
        return {r["sha256"]: Proposed(r["kind"], r["status"]) for r in rows}

    def record_proposal(
        self,
        year: int,
        level: str,
        plan_sha: str,
        inputs_sha: str,
        entries: dict[str, Proposed],
    ) -> bool:
        """Record what `rank` proposed for these inputs (call inside a transaction); the
        latest ranking of the same inputs replaces an earlier one. True when it changed."""
        found = self._proposal_id(year, level, plan_sha, inputs_sha)
        if found is not None:
            if self._entries(found) == entries:
                return False
            self.conn.execute("DELETE FROM proposal_entries WHERE proposal_id = ?", (found,))
            self.conn.execute("UPDATE proposals SET made_at = ? WHERE id = ?", (now(), found))
        else:
            cur = self.conn.execute(
                "INSERT INTO proposals (year, level, plan_sha256, inputs_sha256, made_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (year, level, plan_sha, inputs_sha, now()),
            )
            found = int(cur.lastrowid or 0)
        self.conn.executemany(
            "INSERT INTO proposal_entries (proposal_id, sha256, kind, status) VALUES (?, ?, ?, ?)",
            [(found, sha, e.kind, e.status) for sha, e in sorted(entries.items())],
        )
        return True

    def proposal(
        self, year: int, level: str, plan_sha: str, inputs_sha: str
    ) -> dict[str, Proposed] | None:
        """What `rank` proposed for exactly these inputs under this plan, if it ran."""
        found = self._proposal_id(year, level, plan_sha, inputs_sha)
        return None if found is None else self._entries(found)

    # -- checks (register check) ---------------------------------------------------------
    def integrity(self) -> list[str]:
        """SQLite's integrity check: its lines when anything is wrong, else []."""
        lines = [str(r[0]) for r in self.conn.execute("PRAGMA integrity_check")]
        return [] if lines == ["ok"] else lines

    def broken_references(self) -> list[tuple[str, int, str]]:
        """Rows whose foreign key names a missing row: (table, rowid, referenced table)."""
        rows = self.conn.execute("PRAGMA foreign_key_check")
        return [(str(table), int(rowid), str(parent)) for table, rowid, parent, _ in rows]

    def recognition_levels(self) -> list[str]:
        """The levels the register's recognitions are at."""
        rows = self.conn.execute("SELECT DISTINCT level FROM recognitions ORDER BY level")
        return [str(r["level"]) for r in rows]

    def counts(self) -> dict[str, int]:
        """The number of rows of each of the register's tables."""
        return {
            table: int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in TABLES
        }

    # -- audit -------------------------------------------------------------------------
    def audit(
        self, command: str, inputs: dict[str, Any], outputs: dict[str, Any], note: str = ""
    ) -> None:
        self.conn.execute(
            "INSERT INTO audit (at, command, inputs, outputs, note) VALUES (?, ?, ?, ?, ?)",
            (
                now(),
                command,
                json.dumps(inputs, ensure_ascii=False, sort_keys=True, default=str),
                json.dumps(outputs, ensure_ascii=False, sort_keys=True, default=str),
                note,
            ),
        )

    def audit_rows(self) -> list[AuditRow]:
        rows = self.conn.execute("SELECT at, command, inputs, outputs, note FROM audit ORDER BY id")
        return [
            AuditRow(
                r["at"], r["command"], json.loads(r["inputs"]), json.loads(r["outputs"]), r["note"]
            )
            for r in rows
        ]
