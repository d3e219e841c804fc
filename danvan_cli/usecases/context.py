"""Which workspace and which plan a command runs under: `--plan` when given (a path from the
current folder, a file in the workspace, or a bundled plan's name — as `init --plan`), else
the workspace's plan when the command runs inside one, else the plan bundled with danvan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from danvan_cli.config.load import Config, load_config, option_plan
from danvan_cli.config.plan import Level
from danvan_cli.config.workspace import Workspace, find, locate, open_workspace
from danvan_cli.errors import UsageError
from danvan_cli.read.parse import level_of, to_date

if TYPE_CHECKING:  # SQLite only for the commands that open the register
    from danvan_cli.register.store import Register


@dataclass(frozen=True)
class Context:
    workspace: Workspace | None
    config: Config

    @property
    def ws(self) -> Workspace:
        """The workspace of a command that needs one (callers made sure it has one)."""
        assert self.workspace is not None
        return self.workspace


def context(plan: Path | None = None, workspace: Path | None = None) -> Context:
    """For commands that work inside a workspace or outside one (validate, template, rubric)."""
    root = locate(workspace)
    ws = open_workspace(root) if root is not None else None
    if plan is not None:
        return Context(ws, load_config(option_plan(plan, root)))
    return Context(ws, ws.config() if ws is not None else load_config())


def workspace_context(workspace: Path | None = None, plan: Path | None = None) -> Context:
    """For commands that need a workspace (rank, recognize, export, report, history …): its
    plan, or `plan` when given."""
    ws = find(workspace)
    return Context(ws, load_config(option_plan(plan, ws.root)) if plan is not None else ws.config())


@contextmanager
def register_of(ctx: Context) -> Iterator[Register]:
    """The workspace's register, its identity keys brought up to the plan's (a plan that
    learned of a merger keys the candidates under their new units), with an audit row when
    that changed anything."""
    from danvan_cli.register.store import Register

    with Register.open(ctx.ws.register_path) as register:
        with register.transaction():
            changed = register.rekey(ctx.config.plan.identity().key)
            if changed:
                register.audit(
                    "rekey",
                    {"plan": ctx.config.plan.id},
                    {"candidates": len(changed.candidates), "holds": changed.holds},
                )
        yield register


@dataclass
class Audit:
    """The audit row a command leaves: its inputs and outputs (filled in as it goes), a
    note, and whether it is owed even when the register did not change (files written)."""

    inputs: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    always: bool = False


@contextmanager
def changing(ctx: Context, command: str) -> Iterator[tuple[Register, Audit]]:
    """The register of a command that may change it (DESIGN §4: every command that changes
    the register leaves an audit row). All the command writes is one transaction: when the
    command refuses or fails (raises), nothing of it stays; when it succeeds and anything
    changed, its audit row is written in the same transaction."""
    with register_of(ctx) as register, register.transaction():
        before = register.changes()
        audit = Audit()
        yield register, audit
        if audit.always or register.changes() != before:
            register.audit(command, audit.inputs, audit.outputs, audit.note)


def resolve_level(config: Config, text: str) -> Level:
    """A level of the plan named by an option (id, name or alias), or a usage error."""
    found = level_of(text, config.plan)
    if found is None:
        names = ", ".join(lv.id for lv in config.plan.levels)
        raise UsageError("usage.bad_level", level=text, levels=names)
    return config.plan.level(found)


def required(value: str, key: str) -> str:
    """An option that must not be blank (a decision number, a reason, a document)."""
    value = value.strip()
    if not value:
        raise UsageError(key)
    return value


def date_option(text: str) -> dt.date:
    """A date option as offices type it (20/09/2024, 20-9-2024, 2024-09-20)."""
    found = to_date(text)
    if found is None:
        raise UsageError("recognize.bad_date", date=text)
    return found
