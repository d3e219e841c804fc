"""`danvan rubric check` and `danvan register check`: is the configuration, is the register
in order."""

from __future__ import annotations

from dataclasses import dataclass

from danvan_cli.award.eligibility import required_of
from danvan_cli.config.lint import lint
from danvan_cli.config.load import Config
from danvan_cli.i18n.catalog import Message
from danvan_cli.register.check import CheckResult, check
from danvan_cli.register.store import Register
from danvan_cli.usecases.context import Context


@dataclass
class PlanView:
    """What `rubric show` prints: the plan and rubrics, and what each level requires of a
    candidate as the rules check it (level id → lines)."""

    config: Config
    requires: dict[str, list[Message]]


def show_rubrics(ctx: Context) -> PlanView:
    plan = ctx.config.plan
    return PlanView(ctx.config, {lv.id: required_of(plan, lv) for lv in plan.levels})


def check_rubrics(ctx: Context) -> list[Message]:
    """Lint warnings of a plan that loaded (a broken one never gets here: exit 2)."""
    return lint(ctx.config)


def check_register(ctx: Context) -> CheckResult:
    identity = ctx.config.plan.identity()
    with Register.open(ctx.ws.register_path) as register:
        return check(register, {lv.id for lv in ctx.config.plan.levels}, identity.key)
