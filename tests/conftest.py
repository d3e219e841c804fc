from __future__ import annotations

import math
import os
import shutil
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from builders import spec, table_rows, write
from danvan_cli.config.load import Config, load_config
from danvan_cli.register.store import Register
from danvan_cli.usecases.context import Context, workspace_context
from danvan_cli.usecases.workspace import init

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
HISTORY_HEADER = ["Năm", "Cấp", "Loại", "Tên", "Đơn vị", "Số quyết định", "Ngày quyết định"]

# Stable console output in tests: fixed width, no colour.
os.environ["COLUMNS"] = "200"
os.environ["NO_COLOR"] = "1"
os.environ.pop("DANVAN_LANG", None)
os.environ.pop("DANVAN_PLAN", None)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (pyproject's addopts): one worker per core that is idle now, or none at all
    (the tests run in this process) when fewer than two cores are free. On a machine already
    busy, workers only compete with each other: on this project's 2-core machine with other
    jobs running, two workers took half as long again as one process. PYTEST_XDIST_AUTO_NUM_WORKERS
    or `-n N` still choose the number."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist's own hook reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    idle = min(cores or 1, math.ceil((cores or 1) - busy))
    return idle if idle >= 2 else 0


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config()


@pytest.fixture(scope="session")
def demo_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run of `danvan demo` (its steps dated in Sep 2024; the reports 27/09/2024), shared by the tests of the papers and of
    the printed workbooks, with the annual and phase reports added."""
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.demo import run_demo
    from danvan_cli.usecases.report import report

    folder = tmp_path_factory.mktemp("demo") / "ws"
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1727395200"
    try:
        run_demo(folder, "vi", lambda _: None)
        ctx = workspace_context(folder)
        report(ctx, year=2024)
        report(ctx, first=2023, last=2024)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return folder


@pytest.fixture
def workspace(tmp_path: Path) -> Context:
    """A fresh `danvan init` workspace (tmp_path/ws), as the use cases see it."""
    return workspace_context(init(tmp_path / "ws").workspace.root)


def copy_of(template: Path, tmp_path: Path) -> Context:
    """A test's own copy (tmp_path/ws) of a workspace a module built once: cheaper than
    building the same dossiers and register for every test."""
    root = tmp_path / "ws"
    shutil.copytree(template, root)
    return workspace_context(root)


@contextmanager
def register_of(ctx: Context) -> Iterator[Register]:
    """The workspace's register, opened as every command opens it."""
    with Register.open(ctx.ws.register_path) as register:
        yield register


def _scores(kind: str, total_drop: float) -> dict[str, float]:
    """Passing scores whose total is 100 - total_drop (criterion 03 absorbs up to 1.5)."""
    s = spec(kind)
    scores = {r[0]: float(r[2]) for r in s.rows}
    scores["03"] -= total_drop
    return scores


def dossier(
    folder: Path,
    name: str,
    kind: str = "individual",
    drop: float = 0.0,
    unit: str = "Hội Phụ nữ xã Vạn Thắng",
    file: str | None = None,
    **info: Any,
) -> Path:
    """A valid district-level dossier for `name` (total 100 - drop) written into `folder`
    (as `file`, or a name made from the kind and the candidate's name)."""
    label = "Họ và tên" if kind == "individual" else "Tên tập thể"
    s = spec(kind, **{label: name, "Đơn vị": unit, **info})
    for code, value in _scores(kind, drop).items():
        s.score(code, value)
    folder.mkdir(parents=True, exist_ok=True)
    slug = (
        unicodedata.normalize("NFD", name)
        .encode("ascii", "ignore")
        .decode()
        .replace(" ", "-")
        .lower()
    )
    return write(folder / (file or f"{kind[:2]}-{slug}.xlsx"), s)


def drop_dossier(ctx: Context, name: str, year: int = 2024, **kwargs: Any) -> Path:
    """`dossier` filed in the workspace's ho-so/<year>/ (its Năm follows the folder)."""
    kwargs.setdefault("Năm", year)
    return dossier(ctx.ws.dossiers(year), name, **kwargs)


def history(path: Path, rows: list[tuple[Any, ...]]) -> Path:
    """A list of past recognitions as offices keep it: a title row, then the columns."""
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["Danh sách công nhận"])
    sheet.append(HISTORY_HEADER)
    for row in rows:
        sheet.append(list(row))
    wb.save(path)
    return path


def council_rows(sheet: Any) -> tuple[int, dict[str, int]]:
    """The header row of a ranking sheet and its columns by title."""
    header = next(r for r in range(1, 15) if sheet.cell(r, 1).value == "Hạng")
    return header, {c.value: c.column for c in sheet[header]}


def mark_council(
    workbook: Path, marks: dict[str, str], target: Path, *, resort: bool = True
) -> Path:
    """Fill the council column as a person would: by name, after re-sorting and hiding columns."""
    book = openpyxl.load_workbook(workbook)
    for sheet in (book["Tập thể"], book["Cá nhân"]):
        header, cols = council_rows(sheet)
        rows = table_rows(sheet, header)  # as the filter sorts: the table, not its signature
        if resort:
            rows.reverse()
        for i, values in enumerate(rows):
            for j, value in enumerate(values):
                sheet.cell(header + 1 + i, j + 1, value)
            name = values[cols["Tên"] - 1]
            if name in marks:
                sheet.cell(header + 1 + i, cols["Quyết định của Hội đồng"], marks[name])
        sheet.column_dimensions["F"].hidden = True
    book.save(target)
    return target


@pytest.fixture(scope="session")
def demo_cli(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One `danvan demo DIR` through the CLI for the tests that read its messages and files:
    the result, the folder, and the samples' bytes before and after it ran."""
    from typer.testing import CliRunner

    from danvan_cli.cli import app

    before = {p: p.read_bytes() for p in SAMPLES.rglob("*") if p.is_file()}
    folder = tmp_path_factory.mktemp("demo-cli") / "demo"
    result = CliRunner().invoke(app, ["demo", str(folder)])
    after = {p: p.read_bytes() for p in SAMPLES.rglob("*") if p.is_file()}
    return {"result": result, "folder": folder, "before": before, "after": after}


@pytest.fixture
def demo_copy(demo_cli: dict, tmp_path: Path) -> Path:
    """A copy of that demo's workspace for a test to change."""
    import shutil

    assert demo_cli["result"].exit_code == 0, demo_cli["result"].output
    target = tmp_path / "demo"
    shutil.copytree(demo_cli["folder"], target)
    return target
