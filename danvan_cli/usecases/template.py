"""`danvan template`: the canonical blank dossier form for the units."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from danvan_cli.config.rubric import Kind
from danvan_cli.errors import UsageError
from danvan_cli.usecases.context import Context, resolve_level
from danvan_cli.write.document import report_date
from danvan_cli.write.template import write_template

DEFAULT_NAMES: dict[Kind, str] = {
    "collective": "mau-ho-so-tap-the.xlsx",
    "individual": "mau-ho-so-ca-nhan.xlsx",
}


@dataclass
class TemplateOutcome:
    kind: Kind
    path: Path


def template(
    ctx: Context,
    kind: Kind,
    output: Path | None,
    level: str | None,
    force: bool,
    lang: str = "vi",
) -> TemplateOutcome:
    plan = ctx.config.plan
    level_id = resolve_level(ctx.config, level).id if level is not None else plan.default_level
    target = output or Path(DEFAULT_NAMES[kind])
    if target.exists() and not force:
        raise UsageError("template.exists", path=str(target))
    write_template(target, kind, level_id, ctx.config, report_date(), lang)
    return TemplateOutcome(kind, target)
