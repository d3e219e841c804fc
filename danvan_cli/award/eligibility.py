"""What a level requires of a candidate beyond a valid dossier (R4 cited while validating,
R5 looked up in the register), and the pool's own checks: one dossier per candidate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from danvan_cli.config.load import Config
from danvan_cli.config.plan import Level
from danvan_cli.findings import Finding
from danvan_cli.register.store import Candidate, Register


def lower_level_years(level: Level, year: int) -> list[int]:
    """The years in which a candidate must have been recognized at the lower level (R5)."""
    return list(range(year - level.requires.consecutive_years + 1, year + 1))


def requirements(
    register: Register, config: Config, level: Level, candidate: Candidate, year: int
) -> list[Finding]:
    """R5: recognized at the lower level in each of the required consecutive years."""
    req = level.requires
    if req.lower_level is None or req.cite_lower_decision:
        return []  # none, or R4 cited in the dossier (checked while validating)
    years = lower_level_years(level, year)
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


class _Member(Protocol):
    @property
    def candidate(self) -> Candidate | None: ...
    @property
    def path(self) -> str: ...
    @property
    def findings(self) -> list[Finding]: ...


def flag_duplicates(members: Sequence[_Member]) -> None:
    """Several dossiers of one candidate in the year: each is refused, naming the others."""
    by_candidate: dict[int, list[_Member]] = {}
    for m in members:
        if m.candidate is not None:
            by_candidate.setdefault(m.candidate.id, []).append(m)
    for group in by_candidate.values():
        if len(group) < 2:
            continue
        for m in group:
            others = [o.path for o in group if o is not m]
            m.findings.append(Finding("eligibility.duplicate", params={"files": others}))
