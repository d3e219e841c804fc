"""The province proposal package on disk: workbook, copies of the original dossiers, manifest.

Built in a temporary folder beside the target and renamed into place: a failure leaves no
half package, and a previous package is replaced only when the new one is complete.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from danvan_cli.award.explain import errors_text
from danvan_cli.award.package import MANIFEST, PackageContents, Proposal
from danvan_cli.award.papers import heading as paper_heading
from danvan_cli.config.plan import Paper
from danvan_cli.config.rubric import KINDS
from danvan_cli.errors import OutputError, make_folder, os_reason
from danvan_cli.i18n.catalog import t
from danvan_cli.write.document import (
    FONT,
    LINE,
    VI,
    current_umask,
    fit_page,
    layout_header,
    letterhead,
    lines_needed,
    new_workbook,
    report_date,
    save_atomic,
    set_text,
    workbook_signer,
    write_header,
    write_provenance,
    write_signature,
    write_table,
)


@dataclass
class WrittenPackage:
    folder: Path
    files: list[tuple[str, str, int]]  # name, sha256, size (the manifest's rows)


@dataclass(frozen=True)
class Enclosed:
    """A paper danvan drafted into the package: which one (the level's `proposal` or
    `minutes`), its file name and its bytes."""

    kind: str
    name: str
    data: bytes


def _line(ws: Worksheet, row: int, text: str, ncols: int, **font: Any) -> int:
    """One line of the cover, merged across it and as tall as its wrapped text."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    cell = set_text(ws, row, 1, text)
    cell.font = Font(name=FONT, size=12, **font)
    cell.alignment = Alignment(
        horizontal="center" if font.get("bold") else "justify", vertical="top", wrap_text=True
    )
    width = sum(
        float(ws.column_dimensions[get_column_letter(c)].width) for c in range(1, ncols + 1)
    )
    lines = lines_needed(text, width, 12, bool(font.get("bold")))
    ws.row_dimensions[row].height = lines * 12 * LINE + 3
    return row + 1


def _issuer(package: PackageContents) -> str | None:
    """Who sends the package upward: the issuer of the level's Tờ trình (None: the plan's
    workbooks issuer)."""
    letter = package.pool.config.plan.documents.levels.get(package.level.id)
    return letter.proposal.issuer if letter is not None and letter.proposal is not None else None


def _cover(ws: Worksheet, package: PackageContents, title: str) -> None:
    """The cover: to whom, the number, the legal basis, what is proposed, what is attached,
    and the signature (the Tờ trình itself is the Word paper beside the workbook)."""
    pool, level, years = package.pool, package.level, package.years
    config = pool.config
    plan = config.plan
    proposed = [p.member for p in package.proposals]
    lower = level.requires.lower_level or level.id
    ncols = 6
    for col in range(1, ncols + 1):
        ws.column_dimensions[get_column_letter(col)].width = 15
    letter = plan.documents.levels.get(level.id)
    proposal = letter.proposal if letter is not None else None
    date = report_date()
    number = ""
    if proposal is not None:
        head = paper_heading(plan, proposal.issuer, proposal.number, date, pool.year)
        key = "paper.number_party" if head.issuer.header == "party" else "paper.number_state"
        number = t(key, VI, number=head.number)
    top = write_header(
        ws,
        letterhead(config, _issuer(package)),
        title,
        ncols,
        subtitle=t("export.subtitle", VI, authority=level.awarded_by),
        number=number,
    )
    layout_header(ws, ncols)
    row = top
    if proposal is not None:
        row = _line(ws, row, t("export.cover_to", VI, to="; ".join(proposal.to)), ncols)
    titles = [x.title for x in plan.basis(date)]
    for i, text in enumerate(titles):
        end = "." if i == len(titles) - 1 else ";"
        row = _line(ws, row, t("paper.basis", VI, title=text) + end, ncols, italic=True)
    counts = {k: sum(1 for m in proposed if m.kind == k) for k in KINDS}
    lines = [
        t(
            "export.cover_counts",
            VI,
            collective=counts["collective"],
            individual=counts["individual"],
            quota_c=(level.quota or {}).get("collective", "—"),
            quota_i=(level.quota or {}).get("individual", "—"),
        ),
        t("export.cover_rule", VI, lower=config.plan.level(lower).called.lower(), years=years),
        t("export.cover_attached", VI, copies=level.copies),
    ]
    for text in lines:
        row = _line(ws, row, text, ncols)
    fit_page(ws, ncols)
    write_signature(ws, row + 1, workbook_signer(config, _issuer(package)))


def _paper_state(
    package: PackageContents, p: Proposal, paper: Paper, enclosed: dict[str, str]
) -> str:
    """Whether a candidate's paper is there: the lower level's decision kept in the register,
    a paper danvan drafted into this package, or what the unit's dossier marks."""
    decision = p.decisions.get(package.pool.year)
    if paper.recorded and decision:
        number, date = decision
        return t("export.recorded", VI, number=number or "", date=date or "")
    if paper.drafted is not None and paper.drafted in enclosed:
        return t("export.enclosed", VI, file=enclosed[paper.drafted])
    return t("export.lacking" if paper.id in p.lacking else "export.present", VI)


def _workbook(package: PackageContents, path: Path, enclosed: dict[str, str]) -> None:
    pool, level, years = package.pool, package.level, package.years
    config = pool.config
    plan = config.plan
    proposed = [p.member for p in package.proposals]
    refused = package.refused
    lower = level.requires.lower_level or level.id
    fields = {f.id: f.name for f in plan.fields}
    title = t("export.title", VI, level=level.called.upper(), year=pool.year)
    wb = new_workbook(config, "package")
    cover = wb.active
    cover.title = t("sheet.cover", VI)
    _cover(cover, package, title)
    head = letterhead(config, _issuer(package))
    signer = workbook_signer(config, _issuer(package))

    ws = wb.create_sheet(t("sheet.proposed", VI))
    headers = [
        t(k, VI)
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
        headers += [t("export.col_decision", VI, year=y), t("export.col_date", VI, year=y)]
    headers.append(t("col.file", VI))
    top = write_header(ws, head, title, len(headers))
    rows: list[list[Any]] = []
    for i, p in enumerate(package.proposals, start=1):
        r = p.member.result
        info = r.info
        row: list[Any] = [
            i,
            t(f"kind.{p.member.kind}", VI),
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
    widths = [4.5, 8, 19, 16, 21, 10, 6, *[12, 10] * len(years), 34]
    last = write_table(
        ws, top, headers, rows, widths=widths, number_format=date_cols, print_cols=len(headers) - 1
    )
    write_signature(ws, last + 2, signer)

    ws = wb.create_sheet(t("sheet.papers", VI))
    headers = [
        t(k, VI)
        for k in ("col.no", "col.name", "export.col_paper", "rubric.copies", "export.col_state")
    ]
    top = write_header(
        ws, head, t("export.papers_title", VI, level=level.called.upper()), len(headers)
    )
    rows = []
    for p in package.proposals:
        for paper in level.papers:
            state = _paper_state(package, p, paper, enclosed)
            rows.append([len(rows) + 1, p.member.result.name, paper.label, level.copies, state])
    last = write_table(ws, top, headers, rows, widths=[6, 26, 56, 8, 30])
    write_signature(ws, last + 2, signer)
    if refused:
        ws = wb.create_sheet(t("sheet.refused", VI))
        headers = [
            t(k, VI) for k in ("col.no", "col.name", "col.unit", "col.status", "col.reasons")
        ]
        top = write_header(
            ws,
            head,
            t(
                "export.refused_title",
                VI,
                level=level.called.upper(),
                lower=config.plan.level(lower).called.upper(),
                year=pool.year,
            ),
            len(headers),
        )
        rows = [
            [
                i,
                m.result.name,
                m.result.unit,
                t(f"status.{m.status}", VI),
                errors_text(m, VI) or t("export.outside_quota", VI),
            ]
            for i, m in enumerate(refused, start=1)
        ]
        last = write_table(ws, top, headers, rows, widths=[5, 22, 22, 16, 58])
        write_signature(ws, last + 2, signer)
    write_provenance(wb, config, [(m.path, m.result.sha256) for m in proposed])
    save_atomic(wb, path)


def write_package(
    package: PackageContents,
    root: Path,
    target: Path,
    papers: Sequence[Enclosed] = (),
) -> WrittenPackage:
    """The package folder: the workbook, the papers danvan drafted (Tờ trình, Biên bản),
    copies of the original dossiers (from `root`) and the manifest, built in a staging folder
    and renamed into place."""
    pool = package.pool
    target = target.resolve()
    make_folder(target.parent)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".danvan-export-", dir=target.parent))
        staging.chmod(0o777 & ~current_umask())
    except OSError as exc:
        raise OutputError("output.failed", path=str(target), error=os_reason(exc)) from None
    try:
        (staging / "ho-so").mkdir()
        workbook = staging / f"de-nghi-khen-thuong-cap-{pool.level.id}-{pool.year}.xlsx"
        _workbook(package, workbook, {p.kind: p.name for p in papers})
        for paper in papers:
            (staging / paper.name).write_bytes(paper.data)
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
            writer.writerow([t("manifest.file", VI), "SHA-256", t("manifest.size", VI)])
            writer.writerows(files)
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            if old.exists():
                shutil.rmtree(old)
            target.rename(old)
        try:
            staging.rename(target)
        except OSError:
            if old is not None:  # the previous package back where it was
                old.rename(target)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError("output.failed", path=str(target), error=os_reason(exc)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WrittenPackage(target, files)
