"""`danvan export --for-province`: the province proposal package of the plan's top level."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from danvan_cli.award.package import MANIFEST, PackageContents, contents, council_choice
from danvan_cli.award.pool import build_pool, read_year
from danvan_cli.errors import RuleError, UsageError
from danvan_cli.usecases.context import Context, changing
from danvan_cli.usecases.papers import package_papers
from danvan_cli.write.document import report_date
from danvan_cli.write.guard import guard_folder
from danvan_cli.write.package import WrittenPackage, write_package


@dataclass
class ExportOutcome:
    contents: PackageContents
    written: WrittenPackage


def latest_year(ctx: Context) -> int:
    years = ctx.ws.years()
    if not years:
        raise UsageError("export.no_year", path=str(ctx.ws.dossier_root))
    return years[-1]


def package_name(level_id: str, year: int) -> str:
    """The package folder, named from the level's id like every other output."""
    return f"de-nghi-cap-{level_id}-{year}"


def export(
    ctx: Context,
    for_province: bool,
    year: int | None = None,
    output: Path | None = None,
    decisions: Path | None = None,
    lang: str = "vi",
) -> ExportOutcome:
    if not for_province:
        raise UsageError("export.need_target")
    ws, config = ctx.ws, ctx.config
    year = year if year is not None else latest_year(ctx)
    level = config.plan.top_level
    target = output or ws.output(year, package_name(level.id, year))
    guard_folder(target, ws, MANIFEST)
    files = read_year(ws, config, year)  # before the register's lock
    # One transaction: a refusal (ties without the council's choice, nobody to propose) or a
    # package that cannot be written leaves the register as it was; else one audit row.
    with changing(ctx, "export") as (register, audit):
        pool, _ = build_pool(ws, config, register, year, level, on=report_date(), files=files)
        votes = council_choice(ws, config, decisions, year, level, register) if decisions else None
        tied = pool.with_status("tie")
        if tied and votes is None:
            raise RuleError(
                "export.ties",
                lines=[m.result.name or m.path for m in tied],
                level=level.called.lower(),
            )
        package = contents(pool, register, votes)
        if not package.proposals:
            raise RuleError("export.none", level=level.called.lower(), year=year)
        chosen = [p.member for p in package.proposals]
        papers = package_papers(ctx, pool, register, chosen, votes)
        written = write_package(package, ws.root, target, papers)
        audit.always = True  # a package written is audited, whether the register changed or not
        audit.inputs = {"year": year, "level": level.id}
        audit.outputs = {
            "folder": ws.relative(written.folder),
            "files": {n: h for n, h, _ in written.files},
        }
    return ExportOutcome(package, written)
