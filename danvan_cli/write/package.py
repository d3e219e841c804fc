"""The province proposal package on disk: workbook, copies of the original dossiers, manifest.

Built in a temporary folder beside the target and renamed into place: a failure leaves no
half package, and a previous package is replaced only when the new one is complete.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from danvan_cli.award.explain import errors_text
from danvan_cli.award.package import MANIFEST, PackageContents
from danvan_cli.config.rubric import KINDS
from danvan_cli.errors import OutputError, os_reason
from danvan_cli.i18n.catalog import t
from danvan_cli.text.normalize import slug
from danvan_cli.write.document import (
    current_umask,
    new_workbook,
    save_atomic,
    set_text,
    setup_print,
    write_header,
    write_provenance,
    write_table,
)


@dataclass
class WrittenPackage:
    folder: Path
    files: list[tuple[str, str, int]]  # name, sha256, size (the manifest's rows)


def _workbook(package: PackageContents, path: Path, lang: str) -> None:
    pool, level, years = package.pool, package.level, package.years
    config = pool.config
    plan = config.plan
    lower = level.requires.lower_level or level.id
    proposed = [p.member for p in package.proposals]
    refused = package.refused
    fields = {f.id: f.name for f in plan.fields}
    title = t("export.title", lang, level=level.name.upper(), year=pool.year)
    wb = new_workbook(config, "package")
    cover = wb.active
    cover.title = t("sheet.cover", lang)
    top = write_header(
        cover,
        plan.authority,
        title,
        6,
        lang,
        subtitle=t("export.subtitle", lang, authority=level.awarded_by),
    )
    counts = {k: sum(1 for m in proposed if m.kind == k) for k in KINDS}
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

    ws = wb.create_sheet(t("sheet.proposed", lang))
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
    for i, p in enumerate(package.proposals, start=1):
        r = p.member.result
        info = r.info
        row: list[Any] = [
            i,
            t(f"kind.{p.member.kind}", lang),
            r.name,
            r.unit,
            (info.model if info else None) or "",
            fields.get(info.field, "") if info and info.field else "",
            float(r.total) if r.total is not None else None,
        ]
        for y in years:
            number, date = p.decisions.get(y, (None, None))
            row += [number or "", date or ""]
        row.append(p.copy_name)
        rows.append(row)
    date_cols = {8 + 2 * i + 1: "dd/mm/yyyy" for i in range(len(years))}
    write_table(ws, top, headers, rows, number_format={7: "0.0#", **date_cols})

    ws = wb.create_sheet(t("sheet.papers", lang))
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
    for p in package.proposals:
        decision = p.decisions.get(pool.year)
        for paper in level.papers:
            if paper.recorded and decision:
                number, date = decision
                state = t("export.recorded", lang, number=number or "", date=date or "")
            else:
                state = t("export.lacking" if paper.id in p.lacking else "export.present", lang)
            rows.append([len(rows) + 1, p.member.result.name, paper.label, level.copies, state])
    write_table(ws, top, headers, rows, widths=[6, 30, 60, 8, 26])
    if refused:
        ws = wb.create_sheet(t("sheet.refused", lang))
        headers = [
            t(k, lang) for k in ("col.no", "col.name", "col.unit", "col.status", "col.reasons")
        ]
        top = write_header(
            ws,
            plan.authority,
            t(
                "export.refused_title",
                lang,
                level=level.name.upper(),
                lower=config.plan.level(lower).name.upper(),
                year=pool.year,
            ),
            len(headers),
            lang,
        )
        rows = [
            [
                i,
                m.result.name,
                m.result.unit,
                t(f"status.{m.status}", lang),
                errors_text(m, lang) or t("export.outside_quota", lang),
            ]
            for i, m in enumerate(refused, start=1)
        ]
        write_table(ws, top, headers, rows, widths=[6, 30, 30, 22, 70])
    write_provenance(wb, config, [(m.path, m.result.sha256) for m in proposed], lang)
    save_atomic(wb, path)


def write_package(package: PackageContents, root: Path, target: Path, lang: str) -> WrittenPackage:
    """The package folder: the workbook, copies of the original dossiers (from `root`) and the
    manifest, built in a staging folder and renamed into place."""
    pool = package.pool
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
        _workbook(package, workbook, lang)
        for p in package.proposals:
            shutil.copy2(root / p.member.path, staging / p.copy_name)
        files = []
        for path in sorted(p for p in staging.rglob("*") if p.is_file()):
            data = path.read_bytes()
            files.append(
                (path.relative_to(staging).as_posix(), hashlib.sha256(data).hexdigest(), len(data))
            )
        with (staging / MANIFEST).open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([t("manifest.file", lang), "SHA-256", t("manifest.size", lang)])
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
    return WrittenPackage(target, files)
