"""`danvan report`: the annual results report, or the phase report over several years."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from danvan_cli.award.figures import YearFigures, year_figures
from danvan_cli.errors import UsageError, make_folder
from danvan_cli.usecases.context import Context, register_of
from danvan_cli.validate.results import FileResult
from danvan_cli.validate.run import discover, validate_many
from danvan_cli.write.guard import guard_file
from danvan_cli.write.results import write_results


@dataclass
class ReportOutcome:
    figures: list[YearFigures]
    path: Path
    provenance: dict[str, object]


def years_of(year: int | None, first: int | None, last: int | None) -> tuple[int, int]:
    """--year Y, or --from Y1 --to Y2 (both), never a mix."""
    if year is not None and first is None and last is None:
        return year, year
    if first is not None and last is not None and first > last:
        raise UsageError("annual.bad_range", first=first, last=last)
    if first is None or last is None or year is not None:
        raise UsageError("annual.need_year")
    return first, last


def report_name(first: int, last: int) -> str:
    span = str(first) if first == last else f"{first}-{last}"
    return f"bao-cao-ket-qua-{span}.xlsx"


def report(
    ctx: Context,
    year: int | None = None,
    first: int | None = None,
    last: int | None = None,
    output: Path | None = None,
    lang: str = "vi",
) -> ReportOutcome:
    ws, config = ctx.ws, ctx.config
    first, last = years_of(year, first, last)
    target = output or ws.output(None, report_name(first, last))
    if output is None:
        make_folder(target.parent)
    guard_file(target, ws, "results")
    with register_of(ctx) as register:
        recognitions = register.recognitions()
    figures = []
    for y in range(first, last + 1):
        results: list[FileResult] | None = None
        folder = ws.dossiers(y)
        if folder.is_dir():
            files = discover([folder])
            results = validate_many(files, config, [ws.relative(p) for p in files])
        figures.append(year_figures(config, y, results, recognitions))
    write_results(figures, config, target)
    return ReportOutcome(figures, target, config.provenance())
