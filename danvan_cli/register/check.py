"""`danvan register check`: SQLite's integrity check plus danvan's own constraints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from danvan_cli.register.migrations import MIGRATIONS
from danvan_cli.register.store import Register

TABLES = (
    "candidates",
    "dossiers",
    "recognitions",
    "holds",
    "audit",
    "proposals",
    "proposal_entries",
)


@dataclass
class CheckResult:
    counts: dict[str, int]
    problems: list[str]
    notes: list[str]

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0


def check(
    register: Register, level_ids: set[str], key_of: Callable[[str, str, str], str]
) -> CheckResult:
    """Integrity, foreign keys, known migrations and levels, and identity keys that the plan
    still gives (`key_of(kind, name, unit)`: a note when the plan's aliases changed)."""
    db = register.conn
    problems: list[str] = []
    notes: list[str] = []
    integrity = [r[0] for r in db.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        problems += [f"integrity_check: {line}" for line in integrity]
    for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check"):
        problems.append(f"foreign_key_check: {table} #{rowid} → {parent}")
    known = [name for name, _ in MIGRATIONS]
    applied = register.applied_migrations()
    problems += [f"migrations: {name}?" for name in applied if name not in known]
    problems += [f"migrations: {name} —" for name in known if name not in applied]
    for row in db.execute("SELECT DISTINCT level FROM recognitions"):
        if row["level"] not in level_ids:
            problems.append(f"recognitions.level: {row['level']}")
    for c in register.candidates():
        if key_of(c.kind, c.name, c.unit) != c.key:
            notes.append(f"candidates #{c.id}: {c.name} — {c.unit}")
    counts = {
        table: int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]) for table in TABLES
    }
    counts["schema"] = register.schema_version
    return CheckResult(counts, problems, notes)
