"""What a workbook is before it is read as a dossier: Excel's lock file, a list of past
recognitions, or a workbook danvan wrote itself."""

from __future__ import annotations

from pathlib import Path

from danvan_cli.read.gate import OUTPUT_MARK, check, check_bytes, package_output
from danvan_cli.read.grid import Grid
from danvan_cli.read.labels import HISTORY_REQUIRED, HistoryKey, labels
from danvan_cli.read.limits import FileProblem

__all__ = [
    "OUTPUT_MARK",
    "is_danvan_output",
    "is_history",
    "is_lock_file",
    "output_kind",
    "paper_kind",
]


def is_lock_file(path: Path) -> bool:
    """Excel's `~$…` lock file, left beside a workbook that is open: a few hundred bytes of
    the user's name. A workbook merely named `~$…` is no lock file (it is validated)."""
    if not path.name.startswith("~$"):
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
        return path.stat().st_size <= 4096 and not head.startswith((b"PK", b"\xd0\xcf\x11\xe0"))
    except OSError:
        return True


def history_header(grid: Grid) -> tuple[int, dict[HistoryKey, int]] | None:
    """The header row of a list of past recognitions and each column's position, if any."""
    found = grid.header(labels().history, lambda cols: set(cols) >= HISTORY_REQUIRED)
    return (found.row, found.columns) if found else None


def is_history(grids: list[Grid]) -> bool:
    """A list of past recognitions (for `danvan history import`), not a dossier."""
    return any(history_header(g) is not None for g in grids)


def output_kind(source: Path | bytes) -> str | None:
    """The kind of danvan output a workbook is ("ranking", "rejections"…), or None when danvan
    did not write it — decided exactly as validation decides to skip a file: it passes the
    gate and carries the `danvan-output` property only danvan writes. Never by a sheet's
    name: an input that is not danvan's is always validated (and one that fails the gate is
    validated too, with its finding)."""
    try:
        book = check_bytes(source) if isinstance(source, bytes) else check(source)
    except FileProblem:
        return None
    return book.output


# A paper danvan writes is a few tens of kilobytes (a template's letterhead image at most
# adds a few megabytes): a larger file is not danvan's, and is never read to find out.
MAX_PAPER_BYTES = 16 * 1024 * 1024


def paper_kind(path: Path) -> str | None:
    """The kind of danvan paper a Word document is ("notice", "decision"…), or None. Its
    size is looked at first (a sparse 6 GB file where a paper goes is not read), then its
    parts are read within the gate's budgets."""
    try:
        if path.stat().st_size > MAX_PAPER_BYTES:
            return None
        with path.open("rb") as fh:
            data = fh.read(MAX_PAPER_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_PAPER_BYTES:  # grown since
        return None
    return package_output(data)


def is_danvan_output(source: Path | bytes) -> bool:
    """A workbook danvan wrote (a report, ranking or package): never a dossier."""
    return output_kind(source) is not None
