"""`danvan register check`: SQLite's integrity check plus danvan's own constraints. The
queries are the register's (store.py); what is wrong is said through the catalog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from danvan_cli.i18n.catalog import Message
from danvan_cli.register.migrations import MIGRATIONS
from danvan_cli.register.store import TABLES, Register

__all__ = ["TABLES", "CheckResult", "check"]


@dataclass
class CheckResult:
    counts: dict[str, int]
    problems: list[Message]
    notes: list[Message]

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0


def check(
    register: Register, level_ids: set[str], key_of: Callable[[str, str, str], str]
) -> CheckResult:
    """Integrity, foreign keys, known migrations and levels, and identity keys that the plan
    still gives (`key_of(kind, name, unit)`: a note when the plan's aliases changed)."""
    problems = [
        Message("register.problem.integrity", {"detail": line}) for line in register.integrity()
    ]
    problems += [
        Message("register.problem.reference", {"table": table, "row": row, "parent": parent})
        for table, row, parent in register.broken_references()
    ]
    known = [name for name, _ in MIGRATIONS]
    applied = register.applied_migrations()
    problems += [
        Message("register.problem.unknown_migration", {"name": name})
        for name in applied
        if name not in known
    ]
    problems += [
        Message("register.problem.missing_migration", {"name": name})
        for name in known
        if name not in applied
    ]
    problems += [
        Message("register.problem.level", {"level": level})
        for level in register.recognition_levels()
        if level not in level_ids
    ]
    notes = [
        Message("register.note.key", {"id": c.id, "name": c.name, "unit": c.unit})
        for c in register.candidates()
        if key_of(c.kind, c.name, c.unit) != c.key
    ]
    counts = register.counts()
    counts["schema"] = register.schema_version
    return CheckResult(counts, problems, notes)
