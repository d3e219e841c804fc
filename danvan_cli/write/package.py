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

from danvan_cli.award.explain import errors_text
from danvan_cli.award.package import MANIFEST, PackageContents, Proposal
from danvan_cli.award.papers import count
from danvan_cli.award.papers import heading as paper_heading
from danvan_cli.config.documents import Signer
from danvan_cli.config.plan import Paper
from danvan_cli.config.rubric import KINDS, Kind
from danvan_cli.errors import OutputError, make_folder, os_reason
from danvan_cli.i18n.catalog import t
from danvan_cli.write.document import (
    VI,
    current_umask,
    date_words,
    letterhead,
    new_workbook,
    report_date,
    save_atomic,
    workbook_signer,
    write_header,
    write_note,
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


def _issuer(package: PackageContents) -> str | None:
    """Who sends the package upward: the issuer of the level's Tờ trình (None: the plan's
    workbooks issuer)."""
    letter = package.pool.config.plan.documents.levels.get(package.level.id)
    return letter.proposal.issuer if letter is not None and letter.proposal is not None else None


@dataclass(frozen=True)
class _Annex:
    """What makes the workbook the list annexed to the level's Tờ trình: the line under each
    title ("(Kèm theo Tờ trình số …/TTr-UBND ngày … của …)"), the Tờ trình's signer, and the
    enclosed papers by their Vietnamese names ("Tờ trình số …/TTr-UBND")."""

    line: str
    signer: Signer | None
    papers: dict[str, str]  # the level's `drafted` kind → its name


def _annex(package: PackageContents, enclosed: Sequence[str]) -> _Annex:
    pool, level = package.pool, package.level
    config = pool.config
    plan = config.plan
    papers = plan.documents.levels.get(level.id)
    letter = papers.proposal if papers is not None else None
    date = report_date()
    names: dict[str, str] = {}
    if letter is None:
        line = t("export.subtitle", VI, authority=level.awarded_by)
        signer = workbook_signer(config, _issuer(package))
    else:
        head = paper_heading(plan, letter.issuer, letter.number, date, pool.year)
        line = t(
            "export.annex",
            VI,
            number=head.number,
            date=date_words(date),
            issuer=head.issuer.called,
        )
        signer = plan.documents.signer(letter)
        names["proposal"] = t("export.paper_proposal", VI, number=head.number)
    minutes = papers.minutes if papers is not None else None
    if minutes is not None:
        head = paper_heading(plan, minutes.issuer, minutes.number, None, pool.year)
        names["minutes"] = t("export.paper_minutes", VI, number=head.number)
    return _Annex(line, signer, {k: v for k, v in names.items() if k in enclosed})


def _counts_line(package: PackageContents) -> str:
    """Under the list: how many of each kind against the quota (two digits, as the papers
    count), and the rule they all meet."""
    level, config = package.level, package.pool.config
    proposed = [p.member for p in package.proposals]
    counts = {k: sum(1 for m in proposed if m.kind == k) for k in KINDS}
    quota = level.quota or {}

    def of(kind: Kind) -> str:
        value = quota.get(kind)
        return count(value) if isinstance(value, int) else "—"

    lower = level.requires.lower_level or level.id
    return t(
        "export.list_counts",
        VI,
        collective=count(counts["collective"]),
        individual=count(counts["individual"]),
        quota_c=of("collective"),
        quota_i=of("individual"),
        lower=config.plan.level(lower).called.lower(),
        years=", ".join(str(y) for y in package.years),
    )


def _paper_state(
    package: PackageContents, p: Proposal, paper: Paper, enclosed: dict[str, str]
) -> str:
    """Whether a candidate's paper is there: the lower level's decision kept in the register,
    a paper danvan drafted into this package (by its name: `enclosed`), or what the unit's
    dossier marks."""
    decision = p.decisions.get(package.pool.year)
    if paper.recorded and decision:
        number, date = decision
        return t("export.recorded", VI, number=number or "", date=date or "")
    if paper.drafted is not None and paper.drafted in enclosed:
        return t("export.enclosed", VI, paper=enclosed[paper.drafted])
    return t("export.lacking" if paper.id in p.lacking else "export.present", VI)


def _workbook(package: PackageContents, path: Path, enclosed: Sequence[str]) -> None:
    """The lists annexed to the level's Tờ trình (the Word paper beside the workbook): who is
    proposed, the papers of each, and who was left out and why — each sheet headed by the
    body that sends the Tờ trình, "(Kèm theo Tờ trình số … ngày … của …)" under its title,
    and signed by the Tờ trình's signer."""
    pool, level, years = package.pool, package.level, package.years
    config = pool.config
    plan = config.plan
    proposed = [p.member for p in package.proposals]
    refused = package.refused
    lower = level.requires.lower_level or level.id
    fields = {f.id: f.name for f in plan.fields}
    title = t("export.title", VI, level=level.called.upper(), year=pool.year)
    annex = _annex(package, enclosed)
    wb = new_workbook(config, "package")
    head = letterhead(config, _issuer(package))
    signer = annex.signer

    ws = wb.active
    ws.title = t("sheet.proposed", VI)
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
    top = write_header(ws, head, title, len(headers), subtitle=annex.line, date=False)
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
    note = write_note(ws, last + 2, _counts_line(package), len(headers) - 1)
    write_signature(ws, note + 2, signer, maker=False, above=note + 2 - last)

    ws = wb.create_sheet(t("sheet.papers", VI))
    headers = [
        t(k, VI)
        for k in ("col.no", "col.name", "export.col_paper", "rubric.copies", "export.col_state")
    ]
    top = write_header(
        ws,
        head,
        t("export.papers_title", VI, level=level.called.upper()),
        len(headers),
        subtitle=annex.line,
        date=False,
    )
    rows = []
    for p in package.proposals:
        for paper in level.papers:
            state = _paper_state(package, p, paper, annex.papers)
            rows.append([len(rows) + 1, p.member.result.name, paper.label, level.copies, state])
    last = write_table(ws, top, headers, rows, widths=[6, 26, 56, 8, 30])
    write_signature(ws, last + 2, signer, maker=False)
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
            subtitle=annex.line,
            date=False,
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
        write_signature(ws, last + 2, signer, maker=False)
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
        _workbook(package, workbook, [p.kind for p in papers])
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
