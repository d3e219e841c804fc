"""`danvan hold add|lift|list`: candidates held from any award or proposal while a competent
body considers discipline, investigates, inspects, or verifies a complaint (Nghị định
152/2025/NĐ-CP, Điều 4.4). A held candidate is never proposed; once lifted, it is again."""

from __future__ import annotations

from dataclasses import dataclass

from danvan_cli.config.rubric import Kind
from danvan_cli.errors import UsageError
from danvan_cli.register.store import Hold, HoldReason
from danvan_cli.usecases.context import Context, date_option, register_of, required


@dataclass
class HoldOutcome:
    hold: Hold


def add_hold(
    ctx: Context,
    kind: Kind,
    name: str,
    unit: str,
    reason: HoldReason,
    document: str,
    date: str,
    note: str = "",
) -> HoldOutcome:
    name, unit = required(name, "hold.need_who"), required(unit, "hold.need_who")
    document, since = required(document, "hold.need_document"), date_option(date)
    key = ctx.config.plan.identity().key(kind, name, unit)
    with register_of(ctx) as register, register.transaction():
        hold = register.add_hold(
            kind, name, unit, key, reason, document, since, note.strip() or None
        )
        register.audit(
            "hold add",
            {"kind": kind, "name": name, "unit": unit},
            {"hold": hold.id, "reason": reason, "document": document, "since": since},
        )
    return HoldOutcome(hold)


def lift_hold(ctx: Context, hold_id: int, document: str, date: str) -> HoldOutcome:
    document, on = required(document, "hold.need_document"), date_option(date)
    with register_of(ctx) as register, register.transaction():
        hold = register.hold(hold_id)
        if hold is None:
            raise UsageError("hold.unknown", id=hold_id)
        if hold.lifted_on is not None:
            raise UsageError("hold.already_lifted", id=hold_id, date=hold.lifted_on)
        if on < hold.since:
            raise UsageError("hold.lifted_before", id=hold_id, date=hold.since)
        register.lift_hold(hold_id, on, document)
        register.audit("hold lift", {"hold": hold_id}, {"document": document, "on": on})
        lifted = register.hold(hold_id)
    assert lifted is not None
    return HoldOutcome(lifted)


def list_holds(ctx: Context, everything: bool) -> list[Hold]:
    """The holds still in force (`everything`: the lifted ones too)."""
    with register_of(ctx) as register:
        holds = register.holds()
    return holds if everything else [h for h in holds if h.lifted_on is None]
