"""`danvan history import|export|show`: past years' recognitions (so R5 works from year one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from danvan_cli.config.load import Config
from danvan_cli.errors import DanvanError, UsageError
from danvan_cli.read.history import read_history
from danvan_cli.register.store import Recognition, Register
from danvan_cli.text.near import NearMatcher
from danvan_cli.text.normalize import fold
from danvan_cli.usecases.context import Context, date_option, register_of, required
from danvan_cli.write.guard import guard_file
from danvan_cli.write.history import write_history


@dataclass
class ImportOutcome:
    added: int = 0
    same: int = 0
    conflicts: list[str] = field(default_factory=list)
    near: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.conflicts else 0


def import_history(ctx: Context, path: Path) -> ImportOutcome:
    """Record a list of past recognitions; a row that cannot be read stops the whole import
    (nothing half-imported, exit 1); conflicts are reported and never overwritten."""
    if not path.is_file():
        raise UsageError("usage.path_not_found", path=str(path))
    config = ctx.config
    rows, problems = read_history(path, config.plan)
    if problems:
        raise DanvanError("history.bad_rows", lines=problems, exit_code=1, path=str(path))
    result = ImportOutcome()
    identity = config.plan.identity()
    source = f"history:{path.name}"
    with register_of(ctx) as register, register.transaction():
        for row in rows:
            key = identity.key(row.kind, row.name, row.unit)
            candidate, _ = register.candidate(row.kind, row.name, row.unit, key)
            outcome = register.add_recognition(
                candidate.id,
                row.year,
                row.level,
                row.name,
                row.unit,
                row.decision_no,
                row.decision_date,
                source,
            )
            if outcome == "added":  # the spelling of the latest decision is the one shown
                register.candidate(row.kind, row.name, row.unit, key, row.year)
                result.added += 1
            elif outcome == "same":
                result.same += 1
            else:
                level = config.plan.level(row.level).name.lower()
                result.conflicts.append(
                    f"{row.where}: {row.name} ({row.unit}) {row.year} — {level}, {row.decision_no or ''}"
                )
        candidates = register.candidates()
        by_id = {c.id: c for c in candidates}
        near = NearMatcher(candidates, identity)
        seen: set[str] = set()
        for row in rows:
            key = identity.key(row.kind, row.name, row.unit)
            if key in seen:
                continue
            seen.add(key)
            own = register.find_candidate(key)
            for other in near.matches(row.kind, row.name, row.unit, own.id if own else None):
                c = by_id[other]
                result.near.append(f"{row.where}: {row.name} ({row.unit}) ~ {c.name} ({c.unit})")
        if result.added:
            register.audit("history import", {"file": path.name}, {"added": result.added})
    return result


@dataclass
class ExportOutcome:
    count: int
    path: Path


def export_history(ctx: Context, output: Path | None, lang: str) -> ExportOutcome:
    target = output or ctx.ws.output(None, "lich-su-cong-nhan.xlsx")
    guard_file(target, ctx.ws, "history")
    with Register.open(ctx.ws.register_path) as register:
        recognitions = register.recognitions()
    write_history(recognitions, ctx.config, target)
    return ExportOutcome(len(recognitions), target)


def show_history(ctx: Context, name: str | None) -> tuple[list[Recognition], Config]:
    """The recognitions whose name or unit contains `name` (case and diacritics ignored),
    revoked ones too (marked)."""
    with Register.open(ctx.ws.register_path) as register:
        found = register.recognitions(include_revoked=True)
    if name:
        needle = fold(name)
        found = [
            r for r in found if needle in fold(r.candidate.name) or needle in fold(r.candidate.unit)
        ]
    return found, ctx.config


@dataclass
class CorrectionOutcome:
    before: Recognition
    after: Recognition


def correct_recognition(
    ctx: Context, recognition_id: int, decision: str | None, date: str | None, reason: str
) -> CorrectionOutcome:
    """A wrong decision number or date set right, with the reason: audited, never silent."""
    reason = required(reason, "history.need_reason")
    number = decision.strip() if decision is not None else None
    when = date_option(date) if date is not None else None
    if not number and when is None:
        raise UsageError("history.nothing_to_correct")
    with register_of(ctx) as register, register.transaction():
        before = register.recognition(recognition_id)
        if before is None:
            raise UsageError("history.unknown", id=recognition_id)
        register.correct_recognition(recognition_id, number or None, when)
        after = register.recognition(recognition_id)
        assert after is not None
        register.audit(
            "history correct",
            {
                "recognition": recognition_id,
                "decision": before.decision_no,
                "date": before.decision_date,
            },
            {"decision": after.decision_no, "date": after.decision_date},
            note=reason,
        )
    return CorrectionOutcome(before, after)


def revoke_recognition(
    ctx: Context, recognition_id: int, reason: str, document: str, date: str
) -> Recognition:
    """A recognition revoked by a decision: kept and marked, never deleted; quotas,
    look-backs and reports leave it out from then on."""
    reason, document = (
        required(reason, "history.need_reason"),
        required(document, "hold.need_document"),
    )
    on = date_option(date)
    with register_of(ctx) as register, register.transaction():
        found = register.recognition(recognition_id)
        if found is None:
            raise UsageError("history.unknown", id=recognition_id)
        if found.revoked:
            raise UsageError("history.already_revoked", id=recognition_id, date=found.revoked_on)
        register.revoke_recognition(recognition_id, on, reason, document)
        register.audit(
            "history revoke",
            {"recognition": recognition_id},
            {"document": document, "on": on},
            note=reason,
        )
        revoked = register.recognition(recognition_id)
    assert revoked is not None
    return revoked
