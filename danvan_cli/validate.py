"""Validating dossier files: one `FileReport` per file, gathered into a `Report`."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from danvan_cli.checks import run_checks, total_of
from danvan_cli.dossier import Dossier, read_dossier
from danvan_cli.errors import UsageError
from danvan_cli.findings import Finding
from danvan_cli.layout import locate
from danvan_cli.rubric import Config
from danvan_cli.workbook import SUFFIXES, FileProblem, Grid, cell_ref, read_grids


def as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass
class FileReport:
    path: str
    sha256: str
    findings: list[Finding] = field(default_factory=list)
    dossier: Dossier | None = None
    total: Decimal | None = None
    danvan_output: bool = False  # a workbook danvan wrote; callers leave it out

    @property
    def valid(self) -> bool:
        return not any(f.is_error for f in self.findings)

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(not f.is_error for f in self.findings)

    def info(self, key: str) -> Any:
        return self.dossier.get(key) if self.dossier else None

    @property
    def kind(self) -> str | None:
        return self.dossier.kind if self.dossier else None

    def to_dict(self, lang: str) -> dict[str, Any]:
        scores = self.dossier.scores if self.dossier else {}
        return {
            "path": self.path,
            "sha256": self.sha256,
            "valid": self.valid,
            "kind": self.kind,
            "name": self.info("name"),
            "unit": self.info("unit"),
            "year": self.info("year"),
            "total": as_float(self.total),
            "scores": {code: float(v) for code, v in sorted(scores.items())},
            "findings": [f.to_dict(lang) for f in self.findings],
        }


@dataclass
class Report:
    files: list[FileReport]
    seconds: float = 0.0
    provenance: dict[str, Any] | None = None  # danvan version, plan and rubric files

    @property
    def valid(self) -> bool:
        return all(f.valid for f in self.files)

    def to_dict(self, lang: str) -> dict[str, Any]:
        valid = sum(f.valid for f in self.files)
        data: dict[str, Any] = {
            "files": [f.to_dict(lang) for f in self.files],
            "summary": {
                "files": len(self.files),
                "valid": valid,
                "invalid": len(self.files) - valid,
            },
        }
        if self.provenance is not None:
            data["provenance"] = self.provenance
        return data


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def validate_file(path: Path, config: Config, shown: str | None = None) -> FileReport:
    """Read and check one dossier file. Never raises for anything the file contains."""
    shown = shown or str(path)
    try:
        digest = sha256_of(path)
    except OSError as exc:
        problem = Finding("file.unreadable", params={"error": exc.strerror or str(exc)})
        return FileReport(path=shown, sha256="", findings=[problem])
    report = FileReport(path=shown, sha256=digest)
    if is_lock_file(path):
        report.findings.append(Finding("file.lock"))
        return report
    try:
        grids = read_grids(path)
    except FileProblem as problem:
        report.findings.append(Finding(problem.code, params=dict(problem.params)))
        return report
    if {g.name for g in grids} & set(OUTPUT_SHEETS):
        report.danvan_output = True  # a report or ranking saved among the dossiers: no dossier
        return report
    for grid in grids:
        for r, c, encoding, before in grid.converted:
            report.findings.append(
                Finding(
                    "text.legacy_converted",
                    sheet=grid.name,
                    cell=cell_ref(r, c),
                    params={"encoding": encoding, "before": before, "after": grid.rows[r][c]},
                )
            )
    layout = locate(grids)
    if layout.table is None and (not layout.info or _is_history(grids)):
        report.findings.append(Finding("file.not_dossier"))
        return report
    dossier, findings = read_dossier(layout, config)
    findings.extend(run_checks(dossier, config))
    report.dossier = dossier
    report.total = total_of(dossier, config)
    report.findings += findings
    return report


def _is_history(grids: list[Grid]) -> bool:
    """A list of past recognitions (for `danvan history import`), not a dossier."""
    from danvan_cli.history import find_header

    return any(find_header(g) is not None for g in grids)


OUTPUT_SHEETS = ("Chi tiết lỗi", "Dữ liệu đầu vào", "Danh sách đề nghị", "Nguồn dữ liệu")


def is_danvan_output(path: Path) -> bool:
    """A workbook danvan wrote (a report, ranking or package), recognised by its sheet names.
    Only the workbook's sheet list is read (a few hundred bytes of the zip)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            listing = zf.read("xl/workbook.xml")[:200_000].decode("utf-8", "replace")
    except Exception:
        return False
    return any(f'name="{name}"' in listing for name in OUTPUT_SHEETS)


def is_lock_file(path: Path) -> bool:
    return path.name.startswith("~$")


def discover(
    paths: Iterable[Path], skip: Iterable[Path] = (), *, outputs: bool = True
) -> list[Path]:
    """Dossier files under the given files and folders, sorted, lock files skipped (and `skip`,
    e.g. the report being written). With `outputs=False` danvan's own workbooks found in
    folders are left out here (validation leaves them out anyway, for free)."""
    skipped = {p.resolve() for p in skip}
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for child in path.rglob("*"):
                if child.is_file() and child.suffix.lower() in SUFFIXES and not is_lock_file(child):
                    found.add(child)
        elif path.is_file():
            found.add(path)
        else:
            raise UsageError("usage.path_not_found", path=str(path))
    files = sorted((p for p in found if p.resolve() not in skipped), key=lambda p: str(p))
    if not outputs:
        given = {p.resolve() for p in paths if p.is_file()}
        files = [p for p in files if p.resolve() in given or not is_danvan_output(p)]
    return files


PARALLEL_MIN = 400  # below this many files a process pool costs more than it saves (bench/)
_WORKER_CONFIG: Config | None = None


def _init_worker(plan_path: str) -> None:
    global _WORKER_CONFIG
    from danvan_cli.rubric import load_config

    _WORKER_CONFIG = load_config(Path(plan_path))


def _work(item: tuple[str, str]) -> FileReport:
    assert _WORKER_CONFIG is not None
    return validate_file(Path(item[0]), _WORKER_CONFIG, shown=item[1])


def validate_many(
    files: list[Path],
    config: Config,
    shown: list[str] | None = None,
    jobs: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> list[FileReport]:
    """Validate files in order; with many files (or `jobs` > 1) in a pool of processes, one
    per core, the results still in the files' order."""
    import os

    names = shown or [str(p) for p in files]
    if jobs <= 0:
        jobs = (os.cpu_count() or 1) if len(files) >= PARALLEL_MIN else 1
    jobs = min(jobs, len(files)) or 1
    reports: list[FileReport] = []
    if jobs == 1:
        for i, (path, name) in enumerate(zip(files, names, strict=True)):
            reports.append(validate_file(path, config, shown=name))
            if progress:
                progress(i + 1, len(files))
        return [r for r in reports if not r.danvan_output]
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(16, len(files) // (jobs * 16)))  # small chunks balance best (bench/)
    items = [(str(p), n) for p, n in zip(files, names, strict=True)]
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(str(config.plan_path),)
    ) as pool:
        for report in pool.map(_work, items, chunksize=chunk):
            reports.append(report)
            if progress:
                progress(len(reports), len(files))
    return [r for r in reports if not r.danvan_output]


def validate_paths(
    paths: Iterable[Path],
    config: Config,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    started = time.perf_counter()
    files = discover(paths)
    reports = validate_many(files, config, progress=progress)
    return Report(
        files=reports, seconds=time.perf_counter() - started, provenance=config.provenance()
    )
