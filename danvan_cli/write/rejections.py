"""The rejection report workbook: every finding to fix, and a summary per unit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

from danvan_cli.award.explain import rule_text
from danvan_cli.config.load import Config
from danvan_cli.i18n.catalog import t
from danvan_cli.text.collation import sort_key
from danvan_cli.validate.results import Validation
from danvan_cli.write.document import (
    VI,
    letterhead,
    new_workbook,
    save_atomic,
    unnamed,
    workbook_signer,
    write_header,
    write_provenance,
    write_signature,
    write_table,
)


@dataclass
class _UnitTally:
    dossiers: int = 0
    valid: int = 0
    errors: int = 0
    warnings: int = 0


def _who(value: str | None) -> str:
    return value or t("report.unknown", VI)


def write_rejections(report: Validation, config: Config, path: Path) -> None:
    head = letterhead(config)
    wb = new_workbook(config, "rejections")
    ws = wb.active
    ws.title = t("report.sheet_findings", VI)
    headers = [
        t(k, VI)
        for k in (
            "col.no",
            "col.candidate",
            "col.unit",
            "col.position",
            "col.rule",
            "col.severity",
            "col.message",
            "col.hint",
            "col.file",  # for the staff on screen: outside the print area
        )
    ]
    top = write_header(
        ws,
        head,
        t("report.title", VI),
        len(headers),
        subtitle=t("report.subtitle_printed", VI),
    )
    rows: list[list[object]] = []
    for f in report.files:
        for finding in f.findings:
            rows.append(
                [
                    len(rows) + 1,
                    unnamed(f.name, f.path),
                    _who(f.unit),
                    finding.position,
                    rule_text(finding.rule, config, VI) if finding.rule else "",
                    t(f"severity.{finding.severity}", VI),
                    finding.message(VI),
                    finding.hint(VI, printed=True),
                    PurePath(f.path).name,  # the paths are in the sources sheet
                ]
            )
    # Printed: every column but the file names (machine text, off the signed page).
    widths = [4.5, 17, 15, 10, 18, 8, 42, 28, 30]
    last = write_table(ws, top, headers, rows, widths=widths, print_cols=len(headers) - 1)
    signer = workbook_signer(config)
    write_signature(ws, last + 2, signer)

    units: dict[str, _UnitTally] = {}
    for f in report.files:
        tally = units.setdefault(_who(f.unit), _UnitTally())
        tally.dossiers += 1
        tally.valid += f.valid
        tally.errors += f.errors
        tally.warnings += f.warnings
    ws2 = wb.create_sheet(t("report.sheet_units", VI))
    headers2 = [
        t(k, VI)
        for k in (
            "col.no",
            "col.unit",
            "col.dossiers",
            "col.valid",
            "col.invalid",
            "col.errors",
            "col.warnings",
        )
    ]
    top2 = write_header(ws2, head, t("report.units_title", VI), len(headers2))
    rows2 = [
        [i, unit, u.dossiers, u.valid, u.dossiers - u.valid, u.errors, u.warnings]
        for i, (unit, u) in enumerate(
            sorted(units.items(), key=lambda kv: sort_key(kv[0])), start=1
        )
    ]
    last = write_table(ws2, top2, headers2, rows2, widths=[5, 34, 10, 8, 10, 8, 10])
    write_signature(ws2, last + 2, signer)
    write_provenance(wb, config, [(f.path, f.sha256) for f in report.files])
    save_atomic(wb, path)
