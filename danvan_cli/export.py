"""The province proposal package: workbook, copies of the original dossiers, manifest.

Built in a temporary folder beside the target and renamed into place: a failure leaves no
half package, and a previous package is replaced only when the new one is complete.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from danvan_cli.award import Pool, Pooled
from danvan_cli.checks import missing_papers
from danvan_cli.errors import OutputError, os_reason
from danvan_cli.i18n import t
from danvan_cli.register import Register
from danvan_cli.rubric import Config, Level
from danvan_cli.textnorm import strip_marks
from danvan_cli.workspace import Workspace
from danvan_cli.xlsx_doc import (
    current_umask,
    new_workbook,
    save_atomic,
    set_text,
    setup_print,
    write_header,
    write_provenance,
    write_table,
)

MANIFEST = "danh-muc-tep.csv"


@dataclass
class Package:
    folder: Path
    proposed: list[Pooled]
    refused: list[Pooled]
    files: list[tuple[str, str, int]]  # name, sha256, size


def top_level(config: Config) -> Level:
    """The province level: the plan's last level."""
    return config.plan.levels[-1]


def slug(text: str) -> str:
    """An ASCII file-name part from a Vietnamese name: no path characters, ever."""
    ascii_text = strip_marks(text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "ho-so"


def _recognitions(register: Register, m: Pooled, level_id: str) -> dict[int, tuple[str, str]]:
    if m.candidate is None:
        return {}
    return {
        r.year: (r.decision_no, r.decision_date)
        for r in register.recognitions(m.candidate.id)
        if r.level == level_id
    }


def _workbook(
    pool: Pool,
    register: Register,
    proposed: list[Pooled],
    path: Path,
    lang: str,
    refused: list[Pooled] | None = None,
) -> None:
    config, level = pool.config, pool.level
    plan = config.plan
    lower = level.requires.lower_level or level.id
    years = list(range(pool.year - level.requires.consecutive_years + 1, pool.year + 1))
    fields = {f.id: f.name for f in plan.fields}
    title = t("export.title", lang, level=level.name.upper(), year=pool.year)
    wb = new_workbook(config)
    cover = wb.active
    cover.title = "Tờ trình"
    top = write_header(
        cover,
        plan.authority,
        title,
        6,
        lang,
        subtitle=t("export.subtitle", lang, authority=level.awarded_by),
    )
    counts = {
        k: sum(1 for m in proposed if m.entry.kind == k) for k in ("collective", "individual")
    }
    lines = [
        t(
            "export.cover_counts",
            lang,
            collective=counts["collective"],
            individual=counts["individual"],
            quota_c=(level.quota or {}).get("collective", "—"),
            quota_i=(level.quota or {}).get("individual", "—"),
        ),
        t("export.cover_rule", lang, lower=config.plan.level(lower).name.lower(), years=years),
        t("export.cover_copies", lang, copies=level.copies),
    ]
    for i, line in enumerate(lines):
        cover.merge_cells(start_row=top + i, start_column=1, end_row=top + i, end_column=6)
        set_text(cover, top + i, 1, line)
    for col in "ABCDEF":
        cover.column_dimensions[col].width = 18
    setup_print(cover, landscape=False)

    ws = wb.create_sheet("Danh sách đề nghị")
    headers = [
        t(k, lang)
        for k in (
            "col.no",
            "col.kind",
            "col.name",
            "col.unit",
            "col.model",
            "col.field",
            "col.total",
        )
    ]
    for y in years:
        headers += [t("export.col_decision", lang, year=y), t("export.col_date", lang, year=y)]
    headers.append(t("col.file", lang))
    top = write_header(
        ws,
        plan.authority,
        title,
        len(headers),
        lang,
    )
    rows: list[list[Any]] = []
    for i, m in enumerate(proposed, start=1):
        recs = _recognitions(register, m, lower)
        row: list[Any] = [
            i,
            t(f"kind.{m.entry.kind}", lang),
            m.report.info("name"),
            m.report.info("unit"),
            m.report.info("model") or "",
            fields.get(str(m.report.info("field")), ""),
            float(m.report.total) if m.report.total is not None else None,
        ]
        for y in years:
            number, date = recs.get(y, ("", ""))
            row += [number, _as_date(date)]
        row.append(_copy_name(i, m))
        rows.append(row)
    date_cols = {8 + 2 * i + 1: "dd/mm/yyyy" for i in range(len(years))}
    write_table(ws, top, headers, rows, number_format={7: "0.0#", **date_cols})

    ws = wb.create_sheet("Thành phần hồ sơ")
    headers = [
        t(k, lang)
        for k in ("col.no", "col.name", "export.col_paper", "rubric.copies", "export.col_state")
    ]
    top = write_header(
        ws,
        plan.authority,
        t("export.papers_title", lang, level=level.name.upper()),
        len(headers),
        lang,
    )
    rows = []
    for m in proposed:
        dossier = m.report.dossier
        lacking = {p.id for p, _ in missing_papers(dossier, level)} if dossier else set()
        decision = _recognitions(register, m, lower).get(pool.year)
        for paper in level.papers:
            if paper.recorded and decision:
                state = t("export.recorded", lang, number=decision[0], date=_as_date(decision[1]))
            else:
                state = t("export.lacking" if paper.id in lacking else "export.present", lang)
            rows.append([len(rows) + 1, m.report.info("name"), paper.label, level.copies, state])
    write_table(ws, top, headers, rows, widths=[6, 30, 60, 8, 26])
    if refused:
        ws = wb.create_sheet("Không đưa vào đề nghị")
        headers = [
            t(k, lang) for k in ("col.no", "col.name", "col.unit", "col.status", "col.reasons")
        ]
        top = write_header(
            ws,
            plan.authority,
            t("export.refused_title", lang, level=level.name.upper(), year=pool.year),
            len(headers),
            lang,
        )
        rows = [
            [
                i,
                m.report.info("name"),
                m.report.info("unit"),
                t(f"status.{m.entry.status}", lang),
                " ".join(f.message(lang) for f in m.findings if f.is_error)
                or t("export.outside_quota", lang),
            ]
            for i, m in enumerate(refused, start=1)
        ]
        write_table(ws, top, headers, rows, widths=[6, 30, 30, 22, 70])
    write_provenance(wb, config, [(m.report.path, m.report.sha256) for m in proposed])
    save_atomic(wb, path)


def _as_date(iso: str) -> dt.date | str:
    """A decision date as a real date (shown dd/mm/yyyy), or empty."""
    return dt.date.fromisoformat(iso) if iso else ""


def _copy_name(i: int, m: Pooled) -> str:
    suffix = Path(m.report.path).suffix.lower() or ".xlsx"
    kind = "tap-the" if m.entry.kind == "collective" else "ca-nhan"
    return f"ho-so/{i:02d}-{kind}-{slug(str(m.report.info('name') or ''))}{suffix}"


def council_choice(
    ws: Workspace, config: Config, workbook: Path, year: int, level: Level
) -> set[str]:
    """The dossiers the council marked "Đồng ý" in the level's ranking workbook (checked like
    `recognize`: unchanged inputs, the right year and level, within the quota)."""
    from collections import Counter

    from danvan_cli.errors import UsageError
    from danvan_cli.recognize import RecognizeError, checked_decisions

    d_year, d_level, _, marks = checked_decisions(ws, config, workbook)
    if (d_year, d_level.id) != (year, level.id):
        raise UsageError("export.wrong_decisions", path=str(workbook), level=level.id, year=year)
    counts = Counter(m.kind for m in marks)
    over = [f"{k}: {counts[k]} > {q}" for k, q in (level.quota or {}).items() if counts[k] > q]
    if over:
        raise RecognizeError("recognize.over_quota", lines=over, exit_code=1)
    return {m.sha256 for m in marks}


def chosen(pool: Pool, agreed: set[str] | None) -> list[Pooled]:
    """The candidates of the package: the council's "Đồng ý" rows when it decided (ties need
    that), else those proposed within the quota."""
    if agreed is None:
        return [m for m in pool.members if m.entry.status == "proposed"]
    return [m for m in pool.members if m.report.sha256 in agreed and m.entry.status != "ineligible"]


def build_package(
    pool: Pool,
    register: Register,
    root: Path,
    target: Path,
    lang: str,
    agreed: set[str] | None = None,
) -> Package:
    proposed = chosen(pool, agreed)
    picked = {id(m) for m in proposed}
    proposed.sort(key=lambda m: (m.entry.kind or "", m.entry.rank or 0, m.report.path))
    # In contention: recognized at the lower level this year (the others never were candidates).
    lower = pool.level.requires.lower_level
    refused = [
        m
        for m in pool.members
        if id(m) not in picked
        and m.candidate is not None
        and lower is not None
        and pool.year in register.recognized(m.candidate.id, lower)
    ]
    target = target.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".danvan-export-", dir=target.parent))
        staging.chmod(0o777 & ~current_umask())
    except OSError as exc:
        raise OutputError("output.failed", path=str(target), error=os_reason(exc)) from None
    try:
        (staging / "ho-so").mkdir()
        workbook = staging / f"de-nghi-khen-thuong-cap-{slug(pool.level.name)}-{pool.year}.xlsx"
        _workbook(pool, register, proposed, workbook, lang, refused)
        for i, m in enumerate(proposed, start=1):
            shutil.copy2(root / m.report.path, staging / _copy_name(i, m))
        files = []
        for path in sorted(p for p in staging.rglob("*") if p.is_file()):
            data = path.read_bytes()
            files.append(
                (path.relative_to(staging).as_posix(), hashlib.sha256(data).hexdigest(), len(data))
            )
        with (staging / MANIFEST).open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["Tệp", "SHA-256", "Kích thước (byte)"])
            writer.writerows(files)
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            if old.exists():
                shutil.rmtree(old)
            target.rename(old)
        staging.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError("output.failed", path=str(target), error=os_reason(exc)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Package(target, proposed, refused, files)
