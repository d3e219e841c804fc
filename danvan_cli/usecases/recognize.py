"""`danvan recognize`: the council's "Đồng ý" rows of a ranking workbook into the register.

It refuses (exit 2) a workbook whose inputs changed and any mark other than Đồng ý/Không, and
(exit 1) more "Đồng ý" than the quota unless the override is given with a reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from danvan_cli.award.council import KIND_SHEETS, read_council_sheet, verified
from danvan_cli.config.plan import Level
from danvan_cli.config.rubric import Kind
from danvan_cli.errors import DanvanError, RuleError, UsageError
from danvan_cli.register.store import Register
from danvan_cli.usecases.context import Audit, Context, changing, date_option, required
from danvan_cli.usecases.papers import Written, recognize_papers
from danvan_cli.validate.run import sha256_of

Who = tuple[Kind, str, str]  # kind, name, unit


@dataclass
class RecognizeOutcome:
    year: int
    level: Level
    added: list[Who] = field(default_factory=list)
    already: list[Who] = field(default_factory=list)
    conflicts: list[tuple[Kind, str, str, str]] = field(default_factory=list)  # + existing decision
    papers: list[Written] = field(default_factory=list)  # Biên bản, Quyết định, Giấy khen

    @property
    def exit_code(self) -> int:
        return 1 if self.conflicts else 0


def recognize(
    ctx: Context,
    workbook: Path,
    decision: str,
    date: str,
    allow_over_quota: bool = False,
    reason: str = "",
    ad_hoc: bool = False,
) -> RecognizeOutcome:
    """Record the council's "Đồng ý" rows. `ad_hoc`: an ad-hoc (đột xuất) award, outside the
    quota when the plan says so (R11)."""
    decision, reason = required(decision, "recognize.need_decision"), reason.strip()
    when = date_option(date)
    if allow_over_quota and not reason:
        raise UsageError("recognize.need_reason")
    if not workbook.is_file():
        raise UsageError("usage.path_not_found", path=str(workbook))
    # One transaction from the council's sheet to the papers: a refusal (an edited workbook,
    # a held candidate, over the quota) leaves the register as it was; else one audit row.
    with changing(ctx, "recognize") as (register, audit):
        return _record(
            ctx, register, audit, workbook, decision, when, allow_over_quota, reason, ad_hoc
        )


def _record(
    ctx: Context,
    register: Register,
    audit: Audit,
    workbook: Path,
    decision: str,
    when: dt.date,
    allow_over_quota: bool,
    reason: str,
    ad_hoc: bool,
) -> RecognizeOutcome:
    config = ctx.config
    sheet = read_council_sheet(ctx.ws, config, workbook)
    year, level = sheet.year, sheet.level
    known = set(sheet.inputs.values())
    for d in sheet.decisions:
        if d.sha256 not in known:
            raise DanvanError("recognize.unknown_row", where=d.where)
    decisions = verified(register, config, sheet, workbook)
    outside = ad_hoc and config.plan.ad_hoc_outside_quota
    quota: dict[str, int] = {str(k): v for k, v in (level.quota or {}).items()}
    held = [
        f"{d.where}: {c.name} — {c.unit} (#{h.id}, {h.document})"
        for d in decisions
        if (c := register.dossier_candidate(d.sha256)) is not None
        for h in register.holds_of(c.key)
        if h.active(when)
    ]
    if held:
        raise RuleError("recognize.held", lines=held)
    outcome = RecognizeOutcome(year=year, level=level)
    source = f"recognize:{workbook.name}"
    with register.transaction():  # the quota is counted inside the transaction that writes
        counts: dict[str, int] = {}
        for d in decisions:
            if not outside:
                counts[d.kind] = counts.get(d.kind, 0) + 1
        # The quota is for the year and level, whatever number of decisions records it.
        marked = {d.sha256 for d in decisions}
        for rec in register.recognitions(year=year, level=level.id):
            if config.plan.ad_hoc_outside_quota and rec.ad_hoc:
                continue
            if not register.dossier_hashes(rec.candidate.id) & marked:
                counts[rec.candidate.kind] = counts.get(rec.candidate.kind, 0) + 1
        over = {k: n for k, n in counts.items() if k in quota and n > quota[k]}
        if over and not allow_over_quota:
            lines = [f"{KIND_SHEETS[k]}: {n} > {quota[k]}" for k, n in over.items()]  # type: ignore[index]
            raise RuleError("recognize.over_quota", lines=lines)
        for d in decisions:
            c = register.dossier_candidate(d.sha256)
            if c is None:
                raise DanvanError("recognize.unknown_row", where=d.where)
            result = register.add_recognition(
                c.id, year, level.id, c.name, c.unit, decision, when, source, ad_hoc=ad_hoc
            )
            who: Who = (c.kind, c.name, c.unit)
            if result == "added":
                outcome.added.append(who)
            elif result == "same":
                outcome.already.append(who)
            else:
                old = register.recognitions(c.id, year=year, level=level.id)
                outcome.conflicts.append((*who, (old[0].decision_no or "") if old else ""))
        audit.inputs = {"workbook": workbook.name, "sha256": sha256_of(workbook)}
        audit.outputs = {
            "added": [list(w) for w in outcome.added],
            "decision": decision,
            "date": when.isoformat(),
            "ad_hoc": ad_hoc,
            "over_quota": bool(over),
        }
        audit.note = reason if over else ""
    outcome.papers = recognize_papers(ctx, register, level, year, decision, sheet.votes())
    return outcome
