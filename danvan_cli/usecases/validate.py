"""`danvan validate`: check files or folders; nothing changes but the rejection report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from danvan_cli.errors import UsageError
from danvan_cli.read.recognise import is_danvan_output
from danvan_cli.record import Record
from danvan_cli.usecases.context import Context
from danvan_cli.validate.results import Validation
from danvan_cli.validate.run import Progress, discover, validate_many
from danvan_cli.write.guard import guard_file

if TYPE_CHECKING:  # the writers (openpyxl, python-docx) only when a report is asked for
    from danvan_cli.usecases.papers import Written


class ValidateOutcome(Record):
    __slots__ = ("left_out", "notices", "report", "skipped", "unknown_units", "validation")

    def __init__(
        self,
        validation: Validation,
        report: Path | None,  # the rejection report written, if asked for
        skipped: list[str] | None = None,  # danvan's own workbooks left out
        left_out: list[str] | None = None,  # files of a folder that are no spreadsheet
    ) -> None:
        self.validation, self.report = validation, report
        self.skipped = skipped if skipped is not None else []
        self.left_out = left_out if left_out is not None else []
        self.notices: list[Written] = []  # to the units, beside the report
        self.unknown_units = 0  # files with findings whose unit cannot be read: no notice

    @property
    def exit_code(self) -> int:
        return 0 if self.validation.valid else 1


def validate(
    ctx: Context,
    paths: list[Path],
    report: Path | None = None,
    jobs: int = 0,
    progress: Progress | None = None,
    lang: str = "vi",
) -> ValidateOutcome:
    left_out: list[str] = []
    files = discover(paths, left_out=left_out)
    if report is not None:
        if report.exists() and report.resolve() in {f.resolve() for f in files}:
            if not is_danvan_output(report):
                raise UsageError("validate.report_is_input", path=str(report))
            files = [f for f in files if f.resolve() != report.resolve()]  # last run's report
        guard_file(report, ctx.workspace, "rejections")
    if not files:
        raise UsageError("validate.none")
    skipped: list[str] = []
    results = validate_many(files, ctx.config, jobs=jobs, progress=progress, skipped=skipped)
    validation = Validation(files=results, provenance=ctx.config.provenance())
    outcome = ValidateOutcome(validation, report, skipped, left_out=left_out)
    if report is not None:
        from danvan_cli.usecases.papers import NOTICES, notice_drafts, save_notices
        from danvan_cli.write.rejections import write_rejections

        # the notices rendered first: a broken template stops here, the report untouched
        notices = notice_drafts(ctx, validation, report.parent / NOTICES)
        write_rejections(validation, ctx.config, report)
        outcome.notices, outcome.unknown_units = save_notices(notices), notices.unknown
    return outcome
