"""What a workbook is before it is read as a dossier: Excel's lock file, a list of past
recognitions, or a workbook danvan wrote itself."""

from __future__ import annotations

import zipfile
from pathlib import Path

from danvan_cli.read.grid import Grid
from danvan_cli.read.labels import HISTORY_REQUIRED, HistoryKey, labels

# Sheets only danvan's own workbooks have (reports, rankings, packages).
OUTPUT_SHEETS = ("Chi tiết lỗi", "Dữ liệu đầu vào", "Danh sách đề nghị", "Nguồn dữ liệu")


def is_lock_file(path: Path) -> bool:
    """Excel's `~$…` lock file, left beside a workbook that is open."""
    return path.name.startswith("~$")


def history_header(grid: Grid) -> tuple[int, dict[HistoryKey, int]] | None:
    """The header row of a list of past recognitions and each column's position, if any."""
    wanted = labels().history
    for r in range(grid.height):
        found: dict[HistoryKey, int] = {}
        for c, key in grid.texts(r):
            for col, names in wanted.items():
                if key in names and col not in found:
                    found[col] = c
        if set(found) >= HISTORY_REQUIRED:
            return r, found
    return None


def is_history(grids: list[Grid]) -> bool:
    """A list of past recognitions (for `danvan history import`), not a dossier."""
    return any(history_header(g) is not None for g in grids)


def is_danvan_output(path: Path) -> bool:
    """A workbook danvan wrote (a report, ranking or package), recognised by its sheet names.
    Only the workbook's sheet list is read (a few hundred bytes of the zip)."""
    try:
        with zipfile.ZipFile(path) as zf:
            listing = zf.read("xl/workbook.xml")[:200_000].decode("utf-8", "replace")
    except Exception:
        return False
    return any(f'name="{name}"' in listing for name in OUTPUT_SHEETS)


def has_output_sheets(grids: list[Grid]) -> bool:
    return bool({g.name for g in grids} & set(OUTPUT_SHEETS))
