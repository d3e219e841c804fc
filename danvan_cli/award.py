"""The award year's pool: a year's dossiers for one level, their eligibility and ranking.

Validates the dossiers in ho-so/<year>/, records them in the register by content hash,
applies what the plan's level requires (R4 cited, R5 looked up in the register), and ranks
the eligible within the level's quota.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from danvan_cli.collation import person_key, sort_key
from danvan_cli.errors import UsageError
from danvan_cli.findings import Finding
from danvan_cli.identity import Identity, NearIndex, near
from danvan_cli.parse import choice
from danvan_cli.ranking import Entry, rank
from danvan_cli.register import Candidate, Register
from danvan_cli.rubric import Config, Level
from danvan_cli.validate import FileReport, as_float, discover, validate_many
from danvan_cli.workspace import Workspace


@dataclass
class Pooled:
    """A dossier in the pool with everything the outputs need."""

    report: FileReport
    findings: list[Finding]  # validation findings plus eligibility findings
    candidate: Candidate | None = None
    entry: Entry = field(default_factory=lambda: Entry(kind=None, total=None))

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

    @property
    def quota(self) -> dict[str, int] | None:
        quota = self.level.quota
        return {str(k): v for k, v in quota.items()} if quota is not None else None


def resolve_level(config: Config, text: str) -> Level:
    found = choice(text, {lv.id: [lv.name, *lv.aliases] for lv in config.plan.levels})
    if found is None:
        names = ", ".join(lv.id for lv in config.plan.levels)
        raise UsageError("usage.bad_level", level=text, levels=names)
    return config.plan.level(found)


def year_inputs(ws: Workspace, year: int) -> list[Path]:
    folder = ws.dossiers(year)
    if not folder.is_dir():
        raise UsageError("award.no_dossiers", path=str(folder), year=year)
    files = discover([folder])
    if not files:
        raise UsageError("award.no_dossiers", path=str(folder), year=year)
    return files


def build_pool(
    ws: Workspace,
    config: Config,
    register: Register,
    year: int,
    level: Level,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Pool, bool]:
    """Validate and pool the year's dossiers for `level`; returns the pool and whether the
    register changed (new candidates or dossiers)."""
    files = year_inputs(ws, year)
    reports = validate_many(files, config, [ws.relative(p) for p in files], progress=progress)
    identity = config.plan.identity()
    changed = False
    members: list[Pooled] = []
    other: list[str] = []
    with register.transaction():
        for report in reports:
            d = report.dossier
            level_id = d.get("level") if d else None
            if level_id is not None and level_id not in level.pool_levels:
                other.append(f"{report.path} ({config.plan.level(level_id).name.lower()})")
                continue
            findings = list(report.findings)
            candidate = None
            kind, name, unit = report.kind, report.info("name"), report.info("unit")
            if d is not None and kind and name and unit:
                key = identity.key(kind, name, unit)
                candidate, created = register.candidate(kind, name, unit, key, year)
                changed |= created
            if d is not None:
                dossier_year = d.get("year")
                if dossier_year is not None and dossier_year != year:
                    findings.append(
                        Finding(
                            "eligibility.year_mismatch",
                            sheet=d.info["year"].sheet,
                            cell=d.info["year"].cell,
                            params={"found": dossier_year, "year": year},
                        )
                    )
                if candidate is not None:
                    findings += _requirements(register, config, level, candidate, year)
            changed |= register.record_dossier(
                report.sha256,
                d.get("year") if d else None,
                report.path,
                candidate.id if candidate else None,
                level_id,
                report.valid,
                float(report.total) if report.total is not None else None,
                report.to_dict("vi"),
            )
            members.append(Pooled(report=report, findings=findings, candidate=candidate))
    _flag_duplicates(members)
    near = NearMatcher(register.candidates(), identity)
    for m in members:
        if m.candidate is not None:
            m.findings += near.findings(m.candidate)
    entries = []
    for m in members:
        d = m.report.dossier
        m.entry = Entry(
            kind=m.report.kind,
            total=m.report.total,
            flags={f: d.get(f) for f in config.plan.tie_break.flags} if d else {},
            criteria=d.scores if d else {},
            eligible=m.eligible,
            ref=m,
        )
        entries.append(m.entry)
    quota = {str(k): v for k, v in level.quota.items()} if level.quota is not None else None
    criteria = {str(k): v for k, v in config.plan.tie_break.criteria.items()}
    rank(entries, quota, config.plan.tie_break.flags, criteria)
    inputs = [(r.path, r.sha256) for r in reports]
    return Pool(year, level, config, members, other, inputs), changed


def _requirements(
    register: Register, config: Config, level: Level, candidate: Candidate, year: int
) -> list[Finding]:
    """R5: recognized at the lower level in each of the required consecutive years."""
    req = level.requires
    if req.lower_level is None or req.cite_lower_decision:
        return []  # none, or R4 cited in the dossier (checked while validating)
    years = list(range(year - req.consecutive_years + 1, year + 1))
    have = register.recognized(candidate.id, req.lower_level)
    missing = [y for y in years if y not in have]
    if not missing:
        return []
    lower = config.plan.level(req.lower_level)
    return [
        Finding(
            "eligibility.not_recognized",
            params={
                "lower": lower.name.lower(),
                "level": level.name.lower(),
                "years": years,
                "missing": missing,
                "count": req.consecutive_years,
            },
        )
    ]


class NearMatcher:
    """Near matches (one letter or diacritic apart) among the register's candidates.

    Name near and unit equal or near, or name equal and unit near: reported, never merged.
    """

    def __init__(self, candidates: list[Candidate], identity: Identity) -> None:
        self.identity = identity
        self.by_id = {c.id: c for c in candidates}
        self.keys = {
            c.id: (identity.name_key(c.name), identity.unit_key(c.unit)) for c in candidates
        }
        self.names = NearIndex()
        self.units = NearIndex()
        for c in candidates:
            self.names.add(c.id, self.keys[c.id][0])
            self.units.add(c.id, self.keys[c.id][1])

    def matches(
        self, kind: str, name: str, unit: str, exclude: int | None = None
    ) -> list[Candidate]:
        nk, uk = self.identity.name_key(name), self.identity.unit_key(unit)
        ids = {i for i in self.names.near(nk) if self.keys[i][1] == uk or near(self.keys[i][1], uk)}
        ids |= {i for i in self.units.near(uk) if self.keys[i][0] == nk}
        found = [self.by_id[i] for i in ids if i != exclude and self.by_id[i].kind == kind]
        return sorted(found, key=lambda c: c.id)

    def findings(self, candidate: Candidate) -> list[Finding]:
        return [
            Finding("eligibility.near_match", params={"other": c.name, "unit": c.unit})
            for c in self.matches(candidate.kind, candidate.name, candidate.unit, candidate.id)
        ]


def _flag_duplicates(members: list[Pooled]) -> None:
    by_candidate: dict[int, list[Pooled]] = {}
    for m in members:
        if m.candidate is not None:
            by_candidate.setdefault(m.candidate.id, []).append(m)
    for group in by_candidate.values():
        if len(group) < 2:
            continue
        for m in group:
            others = [o.report.path for o in group if o is not m]
            m.findings.append(Finding("eligibility.duplicate", params={"files": others}))


def display_order(m: Pooled) -> tuple[Any, ...]:
    """Vietnamese alphabetical order of a pooled candidate (people by given name)."""
    name = str(m.report.info("name") or "")
    key = person_key(name) if m.entry.kind == "individual" else (sort_key(name),)
    return (*key, m.report.path)


def pool_summary(pool: Pool, lang: str) -> dict[str, Any]:
    """The JSON of `danvan rank` (DESIGN §5)."""
    ordered = sorted(
        pool.members,
        key=lambda m: (
            m.entry.kind or "~",
            m.entry.rank if m.entry.rank is not None else 10**9,
            display_order(m),
        ),
    )
    return {
        "provenance": pool.config.provenance(),
        "year": pool.year,
        "level": pool.level.id,
        "quota": dict(pool.quota or {}),
        "candidates": [
            {
                "kind": m.entry.kind,
                "name": m.report.info("name"),
                "unit": m.report.info("unit"),
                "total": as_float(m.report.total),
                "rank": m.entry.rank,
                "status": m.entry.status,
                "file": m.report.path,
                "sha256": m.report.sha256,
                "findings": [f.to_dict(lang) for f in m.findings],
            }
            for m in ordered
        ],
    }
