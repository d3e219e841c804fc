"""The consolidated ranking workbook ("Tổng hợp kết quả xét chọn").

A sheet per kind for the council (with its empty "Quyết định của Hội đồng" column), the
excluded and why, and the inputs (files with SHA-256, plan and rubric versions) that
`danvan recognize` checks before reading the council's decisions back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.worksheet.datavalidation import DataValidation

from danvan_cli import __version__
from danvan_cli.award import Pool, Pooled, display_order
from danvan_cli.i18n import t
from danvan_cli.xlsx_doc import (
    new_workbook,
    save_atomic,
    set_text,
    write_header,
    write_table,
)

KIND_SHEETS = {"collective": "Tập thể", "individual": "Cá nhân"}
EXCLUDED_SHEET = "Không đủ điều kiện"
INPUTS_SHEET = "Dữ liệu đầu vào"
COUNCIL = "Quyết định của Hội đồng"
SHA_COLUMN = "Mã hồ sơ (SHA-256)"
YES, NO = "Đồng ý", "Không"
INPUT_KEYS = {"year": "Năm", "level": "Cấp", "version": "Phiên bản danvan"}
FILES_HEADER = ("Tệp", "SHA-256")


def reasons(m: Pooled, lang: str) -> str:
    e = m.entry
    parts = []
    if e.status == "tie":
        parts.append(t("rank.tie_note", lang))
    elif e.decided_by:
        side = "ahead" if e.ahead else "behind"
        if e.decided_by.isdigit():
            parts.append(t(f"rank.{side}_criterion", lang, code=e.decided_by))
        else:
            parts.append(t(f"rank.{side}_flag", lang, flag=t(f"flag.{e.decided_by}", lang)))
    parts += [f.message(lang) for f in m.findings if not f.is_error]
    return " ".join(parts)


def _quota_text(pool: Pool, kind: str, lang: str) -> str:
    quota = (pool.quota or {}).get(kind)
    return t("rubric.no_quota", lang) if quota is None else str(quota)


def write_ranking(pool: Pool, path: Path, lang: str) -> None:
    plan = pool.config.plan
    fields = {f.id: f.name for f in plan.fields}
    wb = new_workbook(pool.config)
    wb.remove(wb.active)
    for kind, sheet_name in KIND_SHEETS.items():
        members = [
            m for m in pool.members if m.entry.kind == kind and m.entry.status != "ineligible"
        ]
        members.sort(key=lambda m: (m.entry.rank or 0, display_order(m)))
        codes = [c.code for c in pool.config.rubric(kind).criteria]  # type: ignore[arg-type]
        ws = wb.create_sheet(sheet_name)
        headers = [
            t("col.rank", lang),
            t("col.name", lang),
            t("col.unit", lang),
            t("col.model", lang),
            t("col.field", lang),
            *codes,
            t("col.total", lang),
            t("col.status", lang),
            t("col.reasons", lang),
            COUNCIL,
            SHA_COLUMN,
        ]
        top = write_header(
            ws,
            plan.authority,
            t("rank.title", lang, level=pool.level.name.upper(), year=pool.year),
            len(headers),
            lang,
            subtitle=t(
                "rank.subtitle",
                lang,
                kind=t(f"kind.{kind}", lang),
                quota=_quota_text(pool, kind, lang),
            ),
        )
        rows: list[list[Any]] = []
        for m in members:
            d = m.report.dossier
            scores = d.scores if d else {}
            rows.append(
                [
                    m.entry.rank,
                    m.report.info("name") or "",
                    m.report.info("unit") or "",
                    m.report.info("model") or "",
                    fields.get(str(m.report.info("field")), ""),
                    *[float(scores[c]) if c in scores else None for c in codes],
                    float(m.report.total) if m.report.total is not None else None,
                    t(f"status.{m.entry.status}", lang),
                    reasons(m, lang),
                    None,
                    m.report.sha256,
                ]
            )
        widths = [6, 28, 26, 30, 16, *[6] * len(codes), 9, 18, 40, 14, 20]
        fmt = {6 + i: "0.0#" for i in range(len(codes) + 1)}
        last = write_table(ws, top, headers, rows, widths=widths, number_format=fmt)
        council_col = len(headers) - 1
        letter = ws.cell(row=top, column=council_col).column_letter
        dv = DataValidation(
            type="list",
            formula1=f'"{YES},{NO}"',
            allow_blank=True,
            showInputMessage=True,
            promptTitle=COUNCIL,
            prompt=f"Chọn {YES} hoặc {NO}.",
        )
        dv.add(f"{letter}{top + 1}:{letter}{max(last, top + 1)}")
        ws.add_data_validation(dv)

    ws = wb.create_sheet(EXCLUDED_SHEET)
    headers = [
        t(k, lang)
        for k in (
            "col.no",
            "col.file",
            "col.kind",
            "col.candidate",
            "col.unit",
            "col.position",
            "col.rule",
            "col.message",
            "col.hint",
        )
    ]
    top = write_header(
        ws,
        plan.authority,
        t("rank.excluded_title", lang),
        len(headers),
        lang,
        subtitle=t("rank.excluded_subtitle", lang, level=pool.level.name.lower(), year=pool.year),
    )
    rows = []
    for m in sorted(pool.members, key=lambda m: (m.entry.kind or "~", display_order(m))):
        if m.entry.status != "ineligible":
            continue
        for f in m.findings:
            if not f.is_error:
                continue
            rows.append(
                [
                    len(rows) + 1,
                    m.report.path,
                    t(f"kind.{m.entry.kind}", lang) if m.entry.kind else "",
                    m.report.info("name") or t("report.unknown", lang),
                    m.report.info("unit") or t("report.unknown", lang),
                    f.position,
                    f.rule or "",
                    f.message(lang),
                    f.hint(lang),
                ]
            )
    write_table(ws, top, headers, rows, widths=[6, 30, 10, 26, 24, 16, 8, 55, 45])

    ws = wb.create_sheet(INPUTS_SHEET)
    info_rows: list[tuple[str, Any, str]] = [
        (INPUT_KEYS["year"], pool.year, ""),
        (INPUT_KEYS["level"], pool.level.id, pool.level.name),
        (INPUT_KEYS["version"], __version__, ""),
        *[(name, "SHA-256", digest) for name, digest in pool.config.sources.items()],
    ]
    for r, (key, value, extra) in enumerate(info_rows, start=1):
        set_text(ws, r, 1, key)
        set_text(ws, r, 2, value)
        set_text(ws, r, 3, extra)
    top = len(info_rows) + 2
    write_table(ws, top, list(FILES_HEADER), [list(i) for i in pool.inputs], widths=[50, 70])
    ws.freeze_panes = None
    save_atomic(wb, path)


def totals_line(pool: Pool, kind: str, lang: str) -> str:
    counts = {s: 0 for s in ("proposed", "tie", "reserve", "ineligible")}
    for m in pool.members:
        if m.entry.kind == kind:
            counts[m.entry.status] += 1
    return t(
        "rank.summary",
        lang,
        level=pool.level.name.lower(),
        year=pool.year,
        kind=t(f"kind.{kind}", lang),
        quota=_quota_text(pool, kind, lang),
        **counts,
    )
