"""The consolidated ranking workbook ("Tổng hợp kết quả xét chọn").

A sheet per kind for the council (with its empty "Quyết định của Hội đồng" column), the
excluded and why, and the inputs (files with SHA-256, plan and rubric versions) that
`danvan recognize` checks before reading the council's decisions back.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import Any

from openpyxl.worksheet.datavalidation import DataValidation

from danvan_cli import __version__
from danvan_cli.award.council import (
    COUNCIL,
    EXCLUDED_SHEET,
    FILES_HEADER,
    INPUT_KEYS,
    INPUTS_SHEET,
    KIND_SHEETS,
    NO,
    SHA_COLUMN,
    YES,
)
from danvan_cli.award.explain import quota_text, reasons, rule_text
from danvan_cli.award.pool import Pool, display_order
from danvan_cli.i18n.catalog import t
from danvan_cli.write.document import (
    VI,
    letterhead,
    new_workbook,
    save_atomic,
    set_text,
    unnamed,
    workbook_signer,
    write_header,
    write_signature,
    write_table,
)


def write_ranking(pool: Pool, path: Path) -> None:
    plan = pool.config.plan
    fields = {f.id: f.name for f in plan.fields}
    wb = new_workbook(pool.config, "ranking")
    wb.remove(wb.active)
    signer = workbook_signer(pool.config)
    head = letterhead(pool.config)
    for kind, sheet_name in KIND_SHEETS.items():
        members = [m for m in pool.members if m.kind == kind and m.status != "ineligible"]
        members.sort(key=lambda m: (m.entry.rank or 0, display_order(m)))
        codes = [c.code for c in pool.config.rubric(kind).criteria]
        ws = wb.create_sheet(sheet_name)
        headers = [
            t("col.rank", VI),
            t("col.name", VI),
            t("col.unit", VI),
            t("col.model", VI),
            t("col.field", VI),
            *codes,
            t("col.total", VI),
            t("col.status", VI),
            t("col.reasons", VI),
            COUNCIL,
            SHA_COLUMN,
        ]
        top = write_header(
            ws,
            head,
            t("rank.title", VI, level=pool.level.called.upper(), year=pool.year),
            len(headers),
            subtitle=t(
                "rank.subtitle",
                VI,
                kind=t(f"kind.{kind}", VI),
                quota=quota_text(pool, kind, VI),
            ),
        )
        rows: list[list[Any]] = []
        for m in members:
            r = m.result
            info = r.info
            rows.append(
                [
                    m.entry.rank,
                    r.name or "",
                    r.unit or "",
                    (info.model if info else None) or "",
                    fields.get(info.field, "") if info and info.field else "",
                    *[float(r.scores[c]) if c in r.scores else None for c in codes],
                    float(r.total) if r.total is not None else None,
                    t(f"status.{m.status}", VI),
                    reasons(m, VI),
                    None,
                    r.sha256,
                ]
            )
        # Printed on A4 landscape at 10 pt or more: every column but the SHA-256, which
        # `recognize` reads back and the signed page does not need.
        widths = [5.5, 17, 15, 17, 10, *[4.5] * len(codes), 6, 12, 18, 10, 66]
        last = write_table(ws, top, headers, rows, widths=widths, print_cols=len(headers) - 1)
        write_signature(ws, last + 2, signer)
        council_col = len(headers) - 1
        letter = ws.cell(row=top, column=council_col).column_letter
        dv = DataValidation(
            type="list",
            formula1=f'"{YES},{NO}"',
            allow_blank=True,
            showInputMessage=True,
            promptTitle=COUNCIL,
            prompt=t("council.prompt", "vi", yes=YES, no=NO),
        )
        dv.add(f"{letter}{top + 1}:{letter}{max(last, top + 1)}")
        ws.add_data_validation(dv)

    ws = wb.create_sheet(EXCLUDED_SHEET)
    headers = [
        t(k, VI)
        for k in (
            "col.no",
            "col.kind",
            "col.candidate",
            "col.unit",
            "col.position",
            "col.rule",
            "col.message",
            "col.hint",
            "col.file",  # for the staff on screen: outside the print area
        )
    ]
    top = write_header(
        ws,
        head,
        t("rank.excluded_title", VI),
        len(headers),
        subtitle=t("rank.excluded_subtitle", VI, level=pool.level.called.lower(), year=pool.year),
    )
    rows = []
    for m in sorted(pool.members, key=lambda m: (m.kind or "~", display_order(m))):
        if m.status != "ineligible":
            continue
        for f in m.findings:
            if not f.is_error:
                continue
            rows.append(
                [
                    len(rows) + 1,
                    t(f"kind.{m.kind}", VI) if m.kind else "",
                    unnamed(m.result.name, m.path),
                    m.result.unit or t("report.unknown", VI),
                    f.position,
                    rule_text(f.rule, pool.config, VI) if f.rule else "",
                    f.message(VI),
                    f.hint(VI, printed=True),
                    PurePath(m.path).name,
                ]
            )
    widths = [4.5, 8, 17, 15, 11, 17, 36, 28, 30]
    last = write_table(ws, top, headers, rows, widths=widths, print_cols=len(headers) - 1)
    write_signature(ws, last + 2, signer)

    ws = wb.create_sheet(INPUTS_SHEET)
    ws.sheet_state = "hidden"  # what `recognize` checks; never printed with the signed pages
    info_rows: list[tuple[str, Any, str]] = [
        (INPUT_KEYS["year"], pool.year, ""),
        (INPUT_KEYS["level"], pool.level.id, pool.level.name),
        (INPUT_KEYS["version"], __version__, ""),
        *[(name, "SHA-256", digest) for name, digest in pool.config.sources.items()],
    ]
    for i, (key, value, extra) in enumerate(info_rows, start=1):
        set_text(ws, i, 1, key)
        set_text(ws, i, 2, value)
        set_text(ws, i, 3, extra)
    top = len(info_rows) + 2
    write_table(ws, top, list(FILES_HEADER), [list(i) for i in pool.inputs], widths=[50, 70])
    ws.freeze_panes = None
    save_atomic(wb, path)
