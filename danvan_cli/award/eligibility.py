"""What a level requires of a candidate beyond a valid dossier (R4 cited while validating,
R5 looked up in the register), and the pool's own checks: one dossier per candidate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from danvan_cli.config.load import Config
from danvan_cli.config.plan import Level, Plan
from danvan_cli.findings import Finding
from danvan_cli.i18n.catalog import Message
from danvan_cli.register.store import Candidate, Recognition, Register


def lower_level_years(level: Level, year: int) -> list[int]:
    """The years in which a candidate must have been recognized at the lower level (R5)."""
    return list(range(year - level.requires.consecutive_years + 1, year + 1))


def _end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def lower_recognitions(
    register: Register, config: Config, candidate: Candidate, lower: str, year: int
) -> dict[int, Recognition]:
    """The candidate's recognitions at the lower level by year, following it across a
    reorganisation of units: its own (units are matched under their latest names), and for a
    collective named after its commune those of the collectives it was formed from, recorded
    before the change. Ad-hoc awards never count (Nghị định 152/2025, Điều 4.3)."""
    found: dict[int, Recognition] = {}
    for r in register.recognitions(candidate.id, level=lower):
        if not r.ad_hoc:
            found.setdefault(r.year, r)
    if candidate.kind == "collective":
        identity = config.plan.identity()
        unit = identity.unit_key(candidate.unit)
        for older, move in identity.predecessors(candidate.name, _end(year)):
            before = register.find_candidate(f"{candidate.kind}|{older}|{unit}")
            if before is None or move.on is None:
                continue
            for r in register.recognitions(before.id, level=lower):
                when = r.decision_date or _end(r.year)
                if not r.ad_hoc and when < move.on:
                    found.setdefault(r.year, r)
    return found


def required_of(plan: Plan, level: Level) -> list[Message]:
    """What a candidate must already have for `level`, as the rules check it: R3 a registered
    model; R4 the dossier cites the lower level's decision (checked while validating; the
    register's years are then not looked up, see `requirements`); else R5 recognized at the
    lower level in each of the plan's consecutive years."""
    req = level.requires
    out = [Message("rubric.registration")] if req.registration else []
    if req.cite_lower_decision:
        lower = plan.level(req.lower_level or level.id)
        out.append(Message("rubric.cite", {"level": lower.called.lower()}))
    elif req.lower_level is not None:
        lower = plan.level(req.lower_level)
        years = req.consecutive_years
        out.append(Message("rubric.lower", {"level": lower.called.lower(), "years": years}))
    return out


def requirements(
    register: Register, config: Config, level: Level, candidate: Candidate, year: int
) -> list[Finding]:
    """R5: recognized at the lower level in each of the required consecutive years; when a
    year counts through a unit since renamed or merged, a warning says so for a person to see."""
    req = level.requires
    if req.lower_level is None or req.cite_lower_decision:
        return []  # none, or R4 cited in the dossier (checked while validating)
    years = lower_level_years(level, year)
    have = lower_recognitions(register, config, candidate, req.lower_level, year)
    lower = config.plan.level(req.lower_level)
    missing = [y for y in years if y not in have]
    if missing:
        return [
            Finding(
                "eligibility.not_recognized",
                params={
                    "lower": lower.called.lower(),
                    "level": level.called.lower(),
                    "years": years,
                    "missing": missing,
                    "count": req.consecutive_years,
                },
            )
        ]
    return [n for y in years if (n := _renamed(config, candidate, have[y], year, lower.called))]


def _renamed(
    config: Config, candidate: Candidate, r: Recognition, year: int, lower: str
) -> Finding | None:
    """'Công nhận năm 2024 tại xã Vạn Phú, nay là xã Vạn Ninh' when the commune of the
    recognition (as it was then) is not the candidate's commune now."""
    identity = config.plan.identity()
    then = identity.commune(r.unit, r.decision_date or _end(r.year)) or identity.commune(
        r.name, r.decision_date or _end(r.year)
    )
    now = identity.commune(candidate.unit, _end(year)) or identity.commune(
        candidate.name, _end(year)
    )
    if then is None or now is None or then == now:
        return None
    move = identity.move_to(then, now)
    return Finding(
        "eligibility.renamed",
        params={
            "year": r.year,
            "lower": lower.lower(),
            "name": r.name,
            "then": then,
            "now": now,
            "decision": Message("eligibility.renamed_by", {"decision": move.decision})
            if move and move.decision
            else "",
        },
    )


def held(register: Register, key: str, on: dt.date) -> list[Finding]:
    """R13 (Nghị định 152/2025, Điều 4.4): a candidate held on `on` is not proposed."""
    return [
        Finding(
            "eligibility.held",
            params={
                "reason": Message(f"hold.reason.{h.reason}"),
                "document": h.document,
                "since": h.since,
                "id": h.id,
            },
        )
        for h in register.holds_of(key)
        if h.active(on)
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
