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


def sort_key(entry: Entry, flags: Sequence[str], criteria: Sequence[str]) -> tuple[Decimal, ...]:
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
        pool.sort(key=lambda e: sort_key(e, flags, crit), reverse=True)
        limit = None if quota is None else quota.get(kind)
        placed = 0
        position = 1
        for key, group_iter in groupby(pool, key=lambda e: sort_key(e, flags, crit)):
            group = list(group_iter)
            if limit is None or placed + len(group) <= limit:
                status: Status = "proposed"
            elif placed < limit:
                status = "tie"
            else:
                status = "reserve"
            for e in group:
                e.rank = position
                e.status = status
                e.decided_by, e.ahead = _decided_by(e, pool, key, names, flags, crit)
            placed += len(group)
            position += len(group)
        out.extend(pool)
    for e in entries:
        if not (e.eligible and e.total is not None and e.kind is not None):
            e.rank, e.status, e.decided_by, e.ahead = None, "ineligible", None, True
            out.append(e)
    return out


def _decided_by(
    entry: Entry,
    pool: list[Entry],
    key: tuple[Decimal, ...],
    names: list[str],
    flags: Sequence[str],
    crit: Sequence[str],
) -> tuple[str | None, bool]:
    """Which tie-break separated this entry from the nearest one with the same total.

    Compared with the nearest entry ranked just above it if there is one (so the reason says
    why it is behind), else with the one just below (why it is ahead).
    """
    same = [o for o in pool if o is not entry and o.total == entry.total]
    keys = [(sort_key(o, flags, crit), o) for o in same]
    above = sorted((k for k, _ in keys if k > key))
    below = sorted((k for k, _ in keys if k < key), reverse=True)
    if above:
        other, ahead = above[0], False
    elif below:
        other, ahead = below[0], True
    else:
        return None, True
    index = next(i for i in range(1, len(key)) if key[i] != other[i]) - 1
    return names[index], ahead
