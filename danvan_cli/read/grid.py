"""Cell values of every worksheet by python-calamine (after the gate), legacy text converted.

Nothing here knows about dossiers: a file becomes `Grid`s or raises `FileProblem`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from danvan_cli.read.cells import is_blank
from danvan_cli.read.gate import MAX_ROWS, FileProblem, check

K = TypeVar("K", bound=str)


@dataclass(frozen=True)
class Header(Generic[K]):
    """A table's header row: where it is, each column's position, columns named twice."""

    row: int
    columns: dict[K, int]
    repeated: dict[K, int]


@dataclass
class Grid:
    """The values of one worksheet, 0-based, with its merged ranges."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    # cells converted from a legacy encoding: (row, col, encoding, original text)
    converted: list[tuple[int, int, str, str]] = field(default_factory=list)
    _texts: list[list[tuple[int, str]]] | None = field(default=None, repr=False)

    def texts(self, row: int) -> list[tuple[int, str]]:
        """(column, folded text) of the row's short text cells: what labels can be. Folded once
        per sheet, after any legacy-text conversion."""
        if self._texts is None:
            from danvan_cli.text.normalize import fold

            self._texts = [
                [
                    (c, fold(v))
                    for c, v in enumerate(cells)
                    if isinstance(v, str) and 0 < len(v) <= 80
                ]
                for cells in self.rows
            ]
        return self._texts[row] if 0 <= row < len(self._texts) else []

    @property
    def height(self) -> int:
        return len(self.rows)

    def value(self, row: int, col: int) -> Any:
        if 0 <= row < len(self.rows):
            cells = self.rows[row]
            if 0 <= col < len(cells):
                return cells[col]
        return ""

    def header(
        self,
        columns: Mapping[K, frozenset[str]],
        found_enough: Callable[[dict[K, int]], bool],
        start: int = 0,
    ) -> Header[K] | None:
        """The first row (from `start`) whose cells name enough of the `columns` (each given by
        its folded labels), with each column's position and any column named twice."""
        for r in range(start, self.height):
            cols: dict[K, int] = {}
            repeated: dict[K, int] = {}
            for c, text in self.texts(r):
                for key, names in columns.items():
                    if text in names:
                        if key in cols:
                            repeated.setdefault(key, c)
                        else:
                            cols[key] = c
                        break
            if found_enough(cols):
                return Header(r, cols, repeated)
        return None

    def merged_end(self, row: int, col: int) -> tuple[int, int]:
        """Bottom-right corner of the merged range starting at (row, col), or the cell itself."""
        for (r1, c1), (r2, c2) in self.merged:
            if r1 == row and c1 == col:
                return r2, c2
        return row, col


def read_grids(path: Path) -> list[Grid]:
    """Every worksheet of the workbook at `path` (visible ones first)."""
    kind = check(path)
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
        try:
            metas = list(wb.sheets_metadata)
            order = sorted(
                range(len(metas)),
                key=lambda i: 0 if str(metas[i].visible).endswith("Visible") else 1,
            )
            grids = []
            for i in order:
                meta = metas[i]
                if not str(meta.typ).endswith("WorkSheet"):
                    continue
                sheet = wb.get_sheet_by_index(i)
                try:
                    rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)
                except (KeyboardInterrupt, SystemExit, MemoryError):
                    raise
                except BaseException:  # a Rust panic on one odd cell (e.g. a date far out
                    grids.append(_openpyxl_grid(path, meta.name))  # of range): read it again
                    continue
                merged = [
                    ((int(a[0]), int(a[1])), (int(b[0]), int(b[1])))
                    for a, b in (sheet.merged_cell_ranges or [])
                ]
                grids.append(Grid(name=meta.name, rows=rows, merged=merged))
        finally:
            wb.close()
    except pc.PasswordError:
        raise FileProblem("file.encrypted") from None
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # calamine raises its own errors and, rarely, a Rust panic
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise FileProblem("file.encrypted") from None
        if "detect file format" in text:
            raise FileProblem("file.format") from None
        raise FileProblem("file.unreadable", error=str(exc)[:200]) from None
    if not any(any(not is_blank(v) for v in row) for g in grids for row in g.rows):
        raise FileProblem("file.empty")
    _convert_legacy(path, grids, fonts=kind == "zip")
    return grids


def _convert_legacy(path: Path, grids: list[Grid], *, fonts: bool) -> None:
    """Turn TCVN3/VNI text into Unicode in place, cell by cell, remembering each cell."""
    from danvan_cli.text import legacy

    everything = "\n".join(v for g in grids for row in g.rows for v in row if isinstance(v, str))
    if not legacy.hint(everything):
        return  # no character a legacy encoding would leave: nothing to convert
    suspects = [
        (g, r, c)
        for g in grids
        for r, row in enumerate(g.rows)
        for c, v in enumerate(row)
        if isinstance(v, str) and v and legacy.suspicious(v)
    ]
    font_of = _fonts(path, grids) if fonts and suspects else {}
    texts = [
        v for g in grids for row in g.rows for v in row if isinstance(v, str) and not v.isascii()
    ]
    encoding = legacy.file_encoding(texts)
    cells = {(g.name, r, c) for g, r, c in suspects} | set(font_of)
    if encoding:  # a file typed in one legacy encoding: its ambiguous cells too
        cells |= {
            (g.name, r, c)
            for g in grids
            for r, row in enumerate(g.rows)
            for c, v in enumerate(row)
            if isinstance(v, str) and not v.isascii() and not legacy.plain_unicode(v)
        }
    by_name = {g.name: g for g in grids}
    for name, r, c in sorted(cells):
        grid = by_name[name]
        value = grid.value(r, c)
        if not isinstance(value, str) or not value:
            continue
        font = font_of.get((name, r, c))
        result = legacy.convert(value, font, None if font else encoding)
        if result is not None:
            grid.rows[r][c] = result.text
            grid.converted.append((r, c, result.encoding, value))


def _fonts(path: Path, grids: list[Grid]) -> dict[tuple[str, int, int], str]:
    """Cells whose font is a legacy Vietnamese font (.VnTime…, VNI-Times…)."""
    import warnings

    import openpyxl

    found: dict[tuple[str, int, int], str] = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, data_only=True)
        for grid in grids:
            if grid.name not in wb.sheetnames:
                continue
            ws = wb[grid.name]
            for row in ws.iter_rows():
                for cell in row:
                    name = (cell.font.name or "") if cell.value is not None else ""
                    if name.lower().startswith((".vn", "vni")):
                        found[(grid.name, cell.row - 1, cell.column - 1)] = name
    except Exception:
        return {}
    return found


def _openpyxl_grid(path: Path, name: str) -> Grid:
    """The slow, careful reader for a sheet calamine cannot convert; odd cells become their
    error text (e.g. "#VALUE!"), which the dossier reader then reports as unreadable."""
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, data_only=True)
        ws = wb[name]
    except Exception:
        raise FileProblem("file.unreadable", error="openpyxl") from None
    rows = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
    merged = [
        ((r.min_row - 1, r.min_col - 1), (r.max_row - 1, r.max_col - 1))
        for r in ws.merged_cells.ranges
    ]
    return Grid(name=name, rows=rows[:MAX_ROWS], merged=merged)
