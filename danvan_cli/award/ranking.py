"""Ranking within quotas (R6, R10): a pure function of the candidates, never of their order.

Order: total, then the plan's tie-break flags (Có before Không), then its named criteria.
Names and files never decide. A group equal on every key that straddles the quota line is
`tie`: the council decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import Any, Literal

Status = Literal["proposed", "reserve", "tie", "ineligible"]
STATUSES: tuple[Status, ...] = ("proposed", "tie", "reserve", "ineligible")


@dataclass
class Entry:
    """One candidate in a pool. `ref` carries whatever the caller needs back."""

    kind: str | None
    total: Decimal | None
    flags: dict[str, bool | None] = field(default_factory=dict)
    criteria: dict[str, Decimal] = field(default_factory=dict)
    eligible: bool = True
    ref: Any = None
    rank: int | None = None
    status: Status = "ineligible"
    decided_by: str | None = None  # the first tie-break that separated it from an equal total
    ahead: bool = True  # whether that tie-break put it ahead (else behind) the other


def merit_key(entry: Entry, flags: Sequence[str], criteria: Sequence[str]) -> tuple[Decimal, ...]:
    key: list[Decimal] = [entry.total if entry.total is not None else Decimal(-1)]
    key += [Decimal(1) if entry.flags.get(f) else Decimal(0) for f in flags]
    key += [entry.criteria.get(c, Decimal(0)) for c in criteria]
    return tuple(key)


def rank(
    entries: Sequence[Entry],
    quota: Mapping[str, int] | None,
    flags: Sequence[str],
    criteria: Mapping[str, list[str]],
) -> list[Entry]:
    """Set `rank`, `status` and `decided_by` on every entry; returns them in ranked order."""
    out: list[Entry] = []
    kinds = sorted({e.kind for e in entries if e.kind is not None})
    for kind in kinds:
        names = [*flags, *criteria.get(kind, [])]
        crit = criteria.get(kind, [])
        pool = [e for e in entries if e.kind == kind and e.eligible and e.total is not None]
        pool.sort(key=lambda e: merit_key(e, flags, crit), reverse=True)
        limit = None if quota is None else quota.get(kind)
        placed = 0
        position = 1
        groups = [(k, list(g)) for k, g in groupby(pool, key=lambda e: merit_key(e, flags, crit))]
        for gi, (_key, group) in enumerate(groups):
            if limit is None or placed + len(group) <= limit:
                status: Status = "proposed"
            elif placed < limit:
                status = "tie"
            else:
                status = "reserve"
            decided, ahead = _decided_by(groups, gi, names)
            for e in group:
                e.rank = position
                e.status = status
                e.decided_by, e.ahead = decided, ahead
            placed += len(group)
            position += len(group)
        out.extend(pool)
    for e in entries:
        if not (e.eligible and e.total is not None and e.kind is not None):
            e.rank, e.status, e.decided_by, e.ahead = None, "ineligible", None, True
            out.append(e)
    return out


def _decided_by(
    groups: list[tuple[tuple[Decimal, ...], list[Entry]]], gi: int, names: list[str]
) -> tuple[str | None, bool]:
    """Which tie-break separated a group from the nearest group with the same total: the one
    just above it (why it is behind), else the one just below (why it is ahead)."""
    key = groups[gi][0]
    if gi > 0 and groups[gi - 1][0][0] == key[0]:
        other, ahead = groups[gi - 1][0], False
    elif gi + 1 < len(groups) and groups[gi + 1][0][0] == key[0]:
        other, ahead = groups[gi + 1][0], True
    else:
        return None, True
    index = next(i for i in range(1, len(key)) if key[i] != other[i]) - 1
    return names[index], ahead
