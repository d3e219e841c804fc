"""Cell values of every worksheet by python-calamine (after the gate), legacy text converted.

Nothing here knows about dossiers: a file becomes `Grid`s or raises `FileProblem`.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

from danvan_cli.read.cells import CellError, is_blank
from danvan_cli.read.gate import Book, check
from danvan_cli.read.limits import MAX_COLS, MAX_ROWS, FileProblem, SheetFacts
from danvan_cli.record import Record
from danvan_cli.text.normalize import printable

K = TypeVar("K", bound=str)


class Header(Record, Generic[K]):
    """A table's header row: where it is, each column's position, columns named twice."""

    __slots__ = ("columns", "repeated", "row")

    def __init__(self, row: int, columns: dict[K, int], repeated: dict[K, int]) -> None:
        self.row, self.columns, self.repeated = row, columns, repeated


class Grid(Record):
    """The values of one worksheet, 0-based, with its merged ranges."""

    __slots__ = ("_merged_at", "_texts", "converted", "index", "merged", "name", "rows")

    def __init__(
        self,
        name: str,
        rows: list[list[Any]],
        merged: list[tuple[tuple[int, int], tuple[int, int]]] | None = None,
        converted: list[tuple[int, int, str, str]] | None = None,
        index: int = 0,  # the sheet's position in the workbook
    ) -> None:
        self.name, self.rows, self.index = name, rows, index
        self.merged = merged if merged is not None else []
        # cells converted from a legacy encoding: (row, col, encoding, original text)
        self.converted = converted if converted is not None else []
        self._texts: list[list[tuple[int, str]]] | None = None
        self._merged_at: dict[tuple[int, int], tuple[int, int]] | None = None

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
        key_of = _reverse(columns)
        self.texts(0)  # folded once per sheet
        assert self._texts is not None
        for r in range(start, self.height):
            row = self._texts[r]
            if not row:
                continue
            cols: dict[K, int] = {}
            repeated: dict[K, int] = {}
            for c, text in row:
                key = key_of.get(text)
                if key is None:
                    continue
                if key in cols:
                    repeated.setdefault(key, c)
                else:
                    cols[key] = c
            if cols and found_enough(cols):
                return Header(r, cols, repeated)
        return None

    def merged_end(self, row: int, col: int) -> tuple[int, int]:
        """Bottom-right corner of the merged range starting at (row, col), or the cell itself."""
        if self._merged_at is None:
            self._merged_at = {}
            for start, end in self.merged:
                self._merged_at.setdefault(start, end)  # the first range listed, as before
        return self._merged_at.get((row, col), (row, col))


_REVERSED: dict[int, tuple[Mapping[Any, frozenset[str]], dict[str, Any]]] = {}


def _reverse(columns: Mapping[K, frozenset[str]]) -> dict[str, K]:
    """Folded label → the first column key naming it (kept per mapping: the label contract's
    mappings are made once)."""
    found = _REVERSED.get(id(columns))
    if found is None or found[0] is not columns:
        key_of: dict[str, Any] = {}
        for key, names in columns.items():
            for name in names:
                key_of.setdefault(name, key)
        if len(_REVERSED) > 64:
            _REVERSED.clear()
        found = _REVERSED[id(columns)] = (columns, key_of)
    return found[1]


def read_grids(path: Path) -> list[Grid]:
    """Every worksheet of the workbook at `path` (visible ones first), after the gate, read
    in a process of its own (read.isolate): the commands that read one workbook in passing
    (recognize, export --decisions, history import) lose no more than that read to a
    reader that dies or runs away."""
    from danvan_cli.read.isolate import apart

    return apart(_read_grids, path)


def _read_grids(path: Path) -> list[Grid]:
    return read_book(check(path))


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Keep a native reader's panic message off the user's terminal (it becomes a finding)."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _facts(book: Book, index: int, name: str) -> SheetFacts:
    for facts in book.sheets:
        if facts.name == name:
            return facts
    if index < len(book.sheets):
        return book.sheets[index]
    return SheetFacts(name, rows=MAX_ROWS, cols=MAX_COLS)


def read_book(book: Book) -> list[Grid]:
    """Every worksheet of a workbook that passed the gate, read by python-calamine from the
    bytes the gate checked (visible sheets first). A sheet calamine cannot convert for an
    error value it does not know (#SPILL!) is read again by calamine from a copy holding
    only the parts the gate read, those values written "#N/A"; each cell then gets its own
    text back: one odd cell never makes the file unreadable, and nothing is read that the
    gate did not bound."""
    import python_calamine as pc

    with _quiet_stderr():
        wb = _open(pc, book.data)
        try:
            grids = _sheets(pc, wb, book)
        finally:
            wb.close()
    if not any(any(not is_blank(v) for v in row) for g in grids for row in g.rows):
        raise FileProblem("file.empty")
    _convert_legacy(book, grids)
    return grids


def _open(pc: Any, data: bytes) -> Any:
    try:
        return pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        raise FileProblem("file.encrypted") from None
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # calamine's own errors and, rarely, a Rust panic
        raise _problem(exc) from None


def _problem(exc: BaseException) -> FileProblem:
    text = str(exc).lower()
    if "password" in text or "encrypt" in text:
        return FileProblem("file.encrypted")
    if "detect file format" in text:
        return FileProblem("file.format")
    return FileProblem("file.unreadable", error=printable(str(exc))[:200])


def _sheets(pc: Any, wb: Any, book: Book) -> list[Grid]:
    metas = list(wb.sheets_metadata)
    order = sorted(
        range(len(metas)),
        key=lambda i: 0 if str(metas[i].visible).endswith("Visible") else 1,
    )
    grids = []
    again: Any = None  # the copy with known error values, opened on the first sheet refused
    try:
        for i in order:
            meta = metas[i]
            if not str(meta.typ).endswith("WorkSheet"):
                continue
            facts = _facts(book, i, meta.name)
            try:
                grid = _grid(wb, i, meta.name)
            except (KeyboardInterrupt, SystemExit, MemoryError):
                raise
            except BaseException as exc:  # an error value calamine does not know
                if book.kind != "xlsx":
                    raise _problem(exc) from None
                if again is None:
                    from danvan_cli.read.gate import known_errors_copy

                    again = _open(pc, known_errors_copy(book))
                try:
                    grid = _grid(again, i, meta.name)
                except (KeyboardInterrupt, SystemExit, MemoryError):
                    raise
                except BaseException:
                    raise _problem(exc) from None
            for (r, c), text in facts.errors.items():
                if r < len(grid.rows) and c < len(grid.rows[r]):
                    value = grid.rows[r][c]
                    if is_blank(value) or (isinstance(value, str) and value.strip() == text):
                        grid.rows[r][c] = CellError(text or "#N/A")
            grids.append(grid)
    finally:
        if again is not None:
            again.close()
    return grids


def _grid(wb: Any, index: int, name: str) -> Grid:
    sheet = wb.get_sheet_by_index(index)
    rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)
    merged = [
        ((int(a[0]), int(a[1])), (int(b[0]), int(b[1])))
        for a, b in (sheet.merged_cell_ranges or [])
    ]
    return Grid(name=sys.intern(printable(name)), rows=rows, merged=merged, index=index)


def _convert_legacy(book: Book, grids: list[Grid]) -> None:
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
    font_of = _fonts(book, grids) if book.kind == "xlsx" and suspects else {}
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


def _fonts(book: Book, grids: list[Grid]) -> dict[tuple[str, int, int], str]:
    """Cells whose font is a legacy Vietnamese font (.VnTime…, VNI-Times…), from the styles
    and sheet parts the gate checked (never a reader that expands merged ranges)."""
    from danvan_cli.read.gate import legacy_fonts

    names = {g.index: g.name for g in grids}
    return {(names[i], r, c): font for (i, r, c), font in legacy_fonts(book).items() if i in names}
