"""The award year's pool: a year's dossiers for one level, their eligibility and ranking.

Validates the dossiers in ho-so/<year>/, records them in the register by content hash,
applies what the plan's level requires, and ranks the eligible within the level's quota.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from danvan_cli.award.eligibility import flag_duplicates, held, requirements
from danvan_cli.award.ranking import STATUSES, Entry, Status, rank
from danvan_cli.config.load import Config
from danvan_cli.config.plan import Level
from danvan_cli.config.rubric import Kind
from danvan_cli.config.workspace import Workspace
from danvan_cli.errors import UsageError
from danvan_cli.findings import Finding
from danvan_cli.register.store import Candidate, Register
from danvan_cli.text.collation import person_key, sort_key
from danvan_cli.text.identity import Identity
from danvan_cli.text.near import NearMatcher
from danvan_cli.validate.results import FileResult, as_float
from danvan_cli.validate.run import Progress, discover, validate_many


@dataclass
class Pooled:
    """A dossier in the pool with everything the outputs need."""

    result: FileResult
    findings: list[Finding]  # validation findings plus eligibility findings
    candidate: Candidate | None = None
    entry: Entry = field(default_factory=lambda: Entry(kind=None, total=None))

    @property
    def path(self) -> str:
        return self.result.path

    @property
    def kind(self) -> Kind | None:
        return self.result.kind

    @property
    def status(self) -> Status:
        return self.entry.status

    @property
    def eligible(self) -> bool:
        return not any(f.is_error for f in self.findings)


@dataclass
class Pool:
    year: int
    level: Level
    config: Config
    members: list[Pooled]
    other_levels: list[str]  # dossiers of the year that ask for another level
    inputs: list[tuple[str, str]]  # (path relative to the workspace, sha256) of every file
    skipped: list[str] = field(default_factory=list)  # danvan's own workbooks, left out
    left_out: list[str] = field(default_factory=list)  # files that are no spreadsheet

    @property
    def quota(self) -> dict[str, int] | None:
        quota = self.level.quota
        return {str(k): v for k, v in quota.items()} if quota is not None else None

    def with_status(self, status: Status) -> list[Pooled]:
        return [m for m in self.members if m.status == status]

    def counts(self, kind: Kind | None = None) -> dict[Status, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for m in self.members:
            if kind is None or m.kind == kind:
                counts[m.status] += 1
        return counts

    def only(self, kind: Kind) -> Pool:
        """The pool of one kind (unreadable dossiers, of no kind, stay in)."""
        members = [m for m in self.members if m.kind in (kind, None)]
        return Pool(
            self.year,
            self.level,
            self.config,
            members,
            self.other_levels,
            self.inputs,
            self.skipped,
            self.left_out,
        )


def year_inputs(ws: Workspace, year: int, left_out: list[str] | None = None) -> list[Path]:
    folder = ws.dossiers(year)
    files = discover([folder], left_out=left_out) if folder.is_dir() else []
    if not files:
        raise UsageError("award.no_dossiers", path=str(folder), year=year)
    return files


@dataclass
class YearFiles:
    """A year's dossiers validated: the results, danvan's own workbooks left out and the
    files that are no spreadsheet (paths relative to the workspace)."""

    results: list[FileResult]
    skipped: list[str]
    left_out: list[str]


def read_year(
    ws: Workspace, config: Config, year: int, progress: Progress | None = None
) -> YearFiles:
    """Validate the dossiers of ho-so/<year>/ (no register: a command reads them before it
    takes the register's lock)."""
    left_out: list[str] = []
    files = year_inputs(ws, year, left_out)
    shown = [ws.relative(p) for p in files]
    skipped: list[str] = []
    results = validate_many(files, config, shown, progress=progress, year=year, skipped=skipped)
    return YearFiles(results, skipped, sorted(ws.relative(Path(p)) for p in left_out))


def build_pool(
    ws: Workspace,
    config: Config,
    register: Register,
    year: int,
    level: Level,
    progress: Progress | None = None,
    on: dt.date | None = None,
    record: Callable[[Pool], object] | None = None,
    files: YearFiles | None = None,
) -> tuple[Pool, bool]:
    """Pool the year's dossiers for `level` as of `on` (default today: the holds in force),
    validating them unless `files` holds them already; returns the pool and whether the
    register changed (new candidates or dossiers, or what `record(pool)` writes in the same
    transaction, e.g. rank's proposal)."""
    on = on or dt.date.today()
    read = files if files is not None else read_year(ws, config, year, progress)
    identity = config.plan.identity()
    with register.transaction():  # one transaction: a second run at once finds it all done
        before = register.changes()
        pool = _pool(register, config, year, level, read.results, read.skipped, identity, on)
        pool.left_out = list(read.left_out)
        if record is not None:
            record(pool)
        changed = register.changes() != before
    return pool, changed


def _pool(
    register: Register,
    config: Config,
    year: int,
    level: Level,
    results: list[FileResult],
    skipped: list[str],
    identity: Identity,
    on: dt.date,
) -> Pool:
    members: list[Pooled] = []
    other: list[str] = []
    for result in results:
        info = result.info
        if info is not None and info.level is not None and info.level not in level.pool_levels:
            other.append(f"{result.path} ({config.plan.level(info.level).name.lower()})")
            continue
        findings = list(result.findings)
        candidate = None
        if info is not None and result.kind and info.name and info.unit:
            key = identity.key(result.kind, info.name, info.unit)
            candidate, _ = register.candidate(result.kind, info.name, info.unit, key, year)
        if candidate is not None:
            findings += requirements(register, config, level, candidate, year)
            findings += held(register, candidate.key, on)
        if result.sha256:
            register.record_dossier(
                result.sha256,
                candidate.id if candidate else None,
                info.year if info else None,
                info.level if info else None,
            )
        members.append(Pooled(result=result, findings=findings, candidate=candidate))
    flag_duplicates(members)
    near = NearMatcher(register.candidates(), identity)
    by_id = {c.id: c for c in register.candidates()}
    for m in members:
        c = m.candidate
        if c is not None:
            for other_id in near.matches(c.kind, c.name, c.unit, c.id):
                o = by_id[other_id]
                m.findings.append(
                    Finding("eligibility.near_match", params={"other": o.name, "unit": o.unit})
                )
    entries = []
    flags = config.plan.tie_break.flags
    women = config.plan.tie_break.women_ratio
    for m in members:
        info = m.result.info
        m.entry = Entry(
            kind=m.result.kind,
            total=m.result.total,
            flags={f: info.flag(f, women) for f in flags} if info else {},
            criteria=m.result.scores,
            eligible=m.eligible,
            ref=m,
        )
        entries.append(m.entry)
    criteria = {str(k): v for k, v in config.plan.tie_break.criteria.items()}
    inputs = [(r.path, r.sha256) for r in results]
    pool = Pool(year, level, config, members, other, inputs, skipped)
    rank(entries, pool.quota, flags, criteria)
    return pool


def display_order(m: Pooled) -> tuple[Any, ...]:
    """Vietnamese alphabetical order of a pooled candidate (people by given name)."""
    name = m.result.name or ""
    key = person_key(name) if m.kind == "individual" else (sort_key(name),)
    return (*key, m.path)


def ranked_order(m: Pooled) -> tuple[Any, ...]:
    """Kind, then rank (the ineligible last), then alphabetical."""
    return (m.kind or "~", m.entry.rank if m.entry.rank is not None else 10**9, display_order(m))


def pool_summary(pool: Pool, lang: str) -> dict[str, Any]:
    """The JSON of `danvan rank` (DESIGN §5)."""
    return {
        "provenance": pool.config.provenance(),
        "year": pool.year,
        "level": pool.level.id,
        "quota": dict(pool.quota or {}),
        "candidates": [
            {
                "kind": m.kind,
                "name": m.result.name,
                "unit": m.result.unit,
                "total": as_float(m.result.total),
                "rank": m.entry.rank,
                "status": m.status,
                "file": m.path,
                "sha256": m.result.sha256,
                "findings": [f.to_dict(lang) for f in m.findings],
            }
            for m in sorted(pool.members, key=ranked_order)
        ],
    }
