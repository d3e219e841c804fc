"""What goes into the province proposal package: the council's choice (or those proposed
within the quota), the candidates left out and why, and each one's earlier decisions."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from danvan_cli.award.council import KIND_SHEETS, YES, read_council_sheet, verified
from danvan_cli.award.eligibility import lower_level_years
from danvan_cli.award.pool import Pool, Pooled
from danvan_cli.config.load import Config
from danvan_cli.config.plan import Level, Paper
from danvan_cli.config.workspace import Workspace
from danvan_cli.errors import RuleError, UsageError
from danvan_cli.register.store import Register
from danvan_cli.text.normalize import slug
from danvan_cli.validate.checks import missing_papers

MANIFEST = "danh-muc-tep.csv"

Decision = tuple[str | None, dt.date | None]  # number and date of a recognition decision


@dataclass
class Proposal:
    """One candidate of the package, with the lower level's decisions of the years R5 looks at."""

    member: Pooled
    copy_name: str  # where its original dossier is copied in the package
    decisions: dict[int, Decision]
    lacking: set[str]  # ids of the level's papers the dossier does not mark present


@dataclass
class PackageContents:
    pool: Pool
    level: Level
    years: list[int]  # the years of the lower level's decisions shown
    proposals: list[Proposal]
    refused: list[Pooled]  # recognized at the lower level this year but not proposed

    @property
    def papers(self) -> list[Paper]:
        return self.level.papers


def council_choice(
    ws: Workspace, config: Config, workbook: Path, year: int, level: Level, register: Register
) -> dict[str, str]:
    """The council's marks in the level's ranking workbook, "Đồng ý" or "Không" by dossier
    (SHA-256; a row left blank is absent), the "Đồng ý" checked like `recognize`: unchanged
    inputs, the right year and level, what rank proposed, within the quota."""
    sheet = read_council_sheet(ws, config, workbook)
    if (sheet.year, sheet.level.id) != (year, level.id):
        raise UsageError(
            "export.wrong_decisions", path=str(workbook), level=level.called.lower(), year=year
        )
    verified(register, config, sheet, workbook)
    counts = Counter(d.kind for d in sheet.decisions)
    over = [
        f"{KIND_SHEETS[k]}: {counts[k]} > {q}"
        for k, q in (level.quota or {}).items()
        if counts[k] > q
    ]
    if over:
        raise RuleError("recognize.over_quota", lines=over)
    return sheet.votes()


def agreed(votes: dict[str, str] | None) -> set[str] | None:
    """The dossiers the council marked "Đồng ý" (None: it has not decided)."""
    return None if votes is None else {sha for sha, mark in votes.items() if mark == YES}


def chosen(pool: Pool, votes: dict[str, str] | None) -> list[Pooled]:
    """The candidates of the package: the council's "Đồng ý" rows when it decided (ties need
    that), else those proposed within the quota."""
    yes = agreed(votes)
    if yes is None:
        return pool.with_status("proposed")
    return [m for m in pool.members if m.result.sha256 in yes and m.status != "ineligible"]


def recognized_below(pool: Pool, register: Register) -> list[Pooled]:
    """The pool's candidates recognized at the lower level in the pool's year: those a level
    that chooses among the lower level's recognized (the province) considers."""
    lower = pool.level.requires.lower_level
    if lower is None:
        return []
    return [
        m
        for m in pool.members
        if m.candidate is not None and pool.year in register.recognized(m.candidate.id, lower)
    ]


def copy_name(i: int, m: Pooled) -> str:
    suffix = Path(m.path).suffix.lower() or ".xlsx"
    kind = "tap-the" if m.kind == "collective" else "ca-nhan"
    return f"ho-so/{i:02d}-{kind}-{slug(m.result.name or '')}{suffix}"


def contents(
    pool: Pool, register: Register, votes: dict[str, str] | None = None
) -> PackageContents:
    level = pool.level
    lower = level.requires.lower_level
    proposed = sorted(chosen(pool, votes), key=lambda m: (m.kind or "", m.entry.rank or 0, m.path))
    picked = {id(m) for m in proposed}
    proposals = []
    for i, m in enumerate(proposed, start=1):
        decisions: dict[int, Decision] = {}
        if m.candidate is not None and lower is not None:
            for r in register.recognitions(m.candidate.id, level=lower):
                decisions[r.year] = (r.decision_no, r.decision_date)
        lacking = {p.id for p, _ in missing_papers(m.result.papers, level)}
        proposals.append(Proposal(m, copy_name(i, m), decisions, lacking))
    # In contention: recognized at the lower level this year (the others never were candidates).
    refused = [m for m in recognized_below(pool, register) if id(m) not in picked]
    return PackageContents(pool, level, lower_level_years(level, pool.year), proposals, refused)
