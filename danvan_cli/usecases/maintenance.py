"""`danvan rubric check` and `danvan register check`: is the configuration, is the register
in order."""

from __future__ import annotations

from danvan_cli.config.lint import lint
from danvan_cli.i18n.catalog import Message
from danvan_cli.register.check import CheckResult, check
from danvan_cli.register.store import Register
from danvan_cli.usecases.context import Context


def check_rubrics(ctx: Context) -> list[Message]:
    """Lint warnings of a plan that loaded (a broken one never gets here: exit 2)."""
    return lint(ctx.config)


def check_register(ctx: Context) -> CheckResult:
    identity = ctx.config.plan.identity()
    with Register.open(ctx.ws.register_path) as register:
        return check(register, {lv.id for lv in ctx.config.plan.levels}, identity.key)
