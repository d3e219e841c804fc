"""Validating dossier files: file → grid → layout → dossier → checks → `FileResult`, one
file at a time or a batch in a process pool."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from danvan_cli.config.load import Config
from danvan_cli.dossier.read import find_citations, read_dossier
from danvan_cli.errors import UsageError
from danvan_cli.findings import Finding
from danvan_cli.read.cells import cell_ref
from danvan_cli.read.gate import SUFFIXES, FileProblem, check, digest
from danvan_cli.read.grid import read_book
from danvan_cli.read.layout import locate
from danvan_cli.read.recognise import is_danvan_output, is_history, is_lock_file
from danvan_cli.text.normalize import printable
from danvan_cli.validate.checks import run_checks, total_of
from danvan_cli.validate.results import FileResult

Progress = Callable[[int, int], None]


def sha256_of(path: Path) -> str:
    """The digest validation records for a file ("" for one refused by its size: a file
    that large is never read, nor hashed)."""
    return digest(path)


def validate_file(
    path: Path, config: Config, shown: str | None = None, year: int | None = None
) -> FileResult:
    """Read and check one dossier file. Never raises for anything the file contains.
    `year`: the year of the ho-so/<year>/ folder it was filed in, when it was."""
    shown = shown or str(path)
    if is_lock_file(path):
        return FileResult(path=shown, sha256=digest(path), findings=[Finding("file.lock")])
    try:
        book = check(path)  # one read: size first, then the digest and the structure
    except FileProblem as problem:
        finding = Finding(problem.code, params=dict(problem.params))
        if problem.code == "file.format" and path.suffix.lower() not in SUFFIXES:
            # named by hand (README.md, a Word paper): neither its name nor its content is a
            # spreadsheet's, which file.format ("whatever its extension") would not say
            finding = Finding("file.not_spreadsheet", params={"file": path.name})
        return FileResult(path=shown, sha256=problem.sha256, findings=[finding])
    result = FileResult(path=shown, sha256=book.sha256)
    if book.output is not None:
        result.danvan_output = True  # a report or ranking saved among the dossiers: no dossier
        return result
    try:
        grids = read_book(book)
    except FileProblem as problem:
        result.findings.append(Finding(problem.code, params=dict(problem.params)))
        return result
    for grid in grids:
        for r, c, encoding, before in grid.converted:
            result.findings.append(
                Finding(
                    "text.legacy_converted",
                    sheet=grid.name,
                    cell=cell_ref(r, c),
                    params={
                        "encoding": encoding,
                        "before": printable(before),
                        "after": printable(str(grid.rows[r][c])),
                    },
                )
            )
    layout = locate(grids)
    if layout.table is None and (not layout.info or is_history(grids)):
        result.findings.append(Finding("file.not_dossier"))
        return result
    dossier, findings = read_dossier(layout, config)
    dossier.citations = find_citations(grids, config.plan)
    findings.extend(run_checks(dossier, config))
    if year is not None and dossier.info.year is not None and dossier.info.year != year:
        sheet, cell = dossier.where("year")
        findings.append(
            Finding(
                "eligibility.year_mismatch",
                sheet=sheet,
                cell=cell,
                params={"found": dossier.info.year, "year": year},
            )
        )
    result.info = dossier.info
    result.kind = dossier.kind
    result.scores = dossier.scores
    result.papers = dossier.papers
    result.total = total_of(dossier, config)
    result.findings += findings
    return result


def discover(
    paths: Iterable[Path],
    skip: Iterable[Path] = (),
    *,
    outputs: bool = True,
    left_out: list[str] | None = None,
) -> list[Path]:
    """Dossier files under the given files and folders, sorted, lock files skipped (and `skip`,
    e.g. the report being written). Every other file of a folder is named in `left_out`, a
    temporary file of danvan's atomic writes (`.danvan-XXXXXXXX.xlsx.tmp`) too: a file is
    never dropped for its name alone (a dossier called `.danvan-x.xlsx` is validated).
    With `outputs=False` danvan's own workbooks found in
    folders are left out here (validation leaves them out anyway, for free)."""
    skipped = {p.resolve() for p in skip}
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for child in path.rglob("*"):
                if not child.is_file():
                    continue
                # (danvan's own temporary files end in .tmp: named below like any other)
                if child.suffix.lower() in SUFFIXES and not is_lock_file(child):
                    found.add(child)
                elif left_out is not None and not is_lock_file(child):
                    left_out.append(str(child))  # not a spreadsheet by its name: said
        elif path.is_file():
            found.add(path)
        else:
            raise UsageError("usage.path_not_found", path=str(path))
    files = sorted((p for p in found if p.resolve() not in skipped), key=lambda p: str(p))
    if not outputs:
        given = {p.resolve() for p in paths if p.is_file()}
        files = [p for p in files if p.resolve() in given or not is_danvan_output(p)]
    return files


PARALLEL_MIN = 400  # below this many files one worker is enough (bench/)


def _validate_task(path: Path, config: Config, shown: str, year: int | None) -> FileResult:
    return validate_file(path, config, shown=shown, year=year)


def validate_many(
    files: list[Path],
    config: Config,
    shown: list[str] | None = None,
    jobs: int = 0,
    progress: Progress | None = None,
    year: int | None = None,
    skipped: list[str] | None = None,
) -> list[FileResult]:
    """Validate files in order, in supervised worker processes (read.workers): one worker,
    or one per core from PARALLEL_MIN files (or `jobs`), the results in the files' order. A
    worker dying on a file gives that file a `file.crashed` finding; the batch goes on.
    danvan's own workbooks are left out (their names added to `skipped`)."""
    from danvan_cli.validate.workers import run_supervised

    names = shown or [str(p) for p in files]
    if jobs <= 0:
        jobs = (os.cpu_count() or 1) if len(files) >= PARALLEL_MIN else 1
    jobs = min(jobs, len(files)) or 1
    tasks = [(i, str(p), n, year) for i, (p, n) in enumerate(zip(files, names, strict=True))]
    results = run_supervised(tasks, config, _validate_task, jobs, progress)
    if skipped is not None:
        skipped += [r.path for r in results if r.danvan_output]
    return [r for r in results if not r.danvan_output]
