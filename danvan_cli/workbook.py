"""Opening a workbook safely: a content check before parsing, then cell values by calamine.

Nothing here knows about dossiers; it turns a file into `Grid`s or raises `FileProblem`
carrying a `file.*` finding code.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")

# Limits that keep a hostile file from exhausting memory (a dossier is a few kilobytes).
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_ROWS = 5_000
MAX_COLS = 256
MAX_CELLS = 200_000  # used area (rows × columns) of one sheet; a dossier uses a few hundred
_CELL_COL = re.compile(rb' r="([A-Z]{1,3})[0-9]')  # the column of each <c r="D9">
_CELL_ROW = re.compile(rb'<row\b[^>]*? r="([0-9]{1,7})"')  # each <row r="9">


class FileProblem(Exception):
    """The file cannot be read as a workbook; `code` is a `file.*` finding code."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _size(n: int) -> str:
    """A byte count as people read it: "1,0 GB", "200 MB" (entries: a plain count)."""
    if n < 100_000:
        return f"{n:,}".replace(",", ".")
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}".replace(".", ",")
    return str(n)


def column_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) → "D9"."""
    return f"{column_letter(col)}{row + 1}"


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
            from danvan_cli.textnorm import fold

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

    def merged_end(self, row: int, col: int) -> tuple[int, int]:
        """Bottom-right corner of the merged range starting at (row, col), or the cell itself."""
        for (r1, c1), (r2, c2) in self.merged:
            if r1 == row and c1 == col:
                return r2, c2
        return row, col


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def sniff(path: Path) -> str:
    """The format by content: "zip", "ole" or raise FileProblem."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise FileProblem("file.unreadable", error=exc.strerror or str(exc)) from None
    if size == 0:
        raise FileProblem("file.empty")
    if size > MAX_FILE_BYTES:
        raise FileProblem("file.too_large", size=_size(size), limit=_size(MAX_FILE_BYTES))
    if head.startswith(_ZIP):
        return "zip"
    if head == _OLE:
        return "ole"
    raise FileProblem("file.format")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _check_extent(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a sheet whose used area is absurd for a dossier before calamine allocates it
    (one value at XFD1048576 would ask for hundreds of gigabytes)."""
    read = 0  # bytes really inflated (zipfile stops at the declared size, then checks the CRC)
    for info in infos:
        name = info.filename
        if info.compress_size > info.file_size + 1024:
            # more compressed data than it claims to inflate to: a header lying about its size
            raise FileProblem("file.unreadable", error="zip size")
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        max_row = max_col = 0
        tail = b""
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 20):
                read += len(chunk)
                if read > MAX_UNCOMPRESSED:
                    raise FileProblem(
                        "file.too_large", size=_size(read), limit=_size(MAX_UNCOMPRESSED)
                    )
                data = tail + chunk
                letters = set(_CELL_COL.findall(data))  # a handful of distinct columns
                if letters:
                    max_col = max(max_col, *(_column_number(c) for c in letters))
                numbers = _CELL_ROW.findall(data)
                if numbers:
                    max_row = max(max_row, *(int(n) for n in numbers))
                tail = data[-200:]
        if max_col > MAX_COLS or max_row > MAX_ROWS or max_col * max_row > MAX_CELLS:
            cell = f"{column_letter(max_col - 1)}{max_row}"
            raise FileProblem("file.sheet_too_large", cell=cell, rows=MAX_ROWS, cols=MAX_COLS)


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_zip_entries(infos)
            _check_extent(zf, infos)
    except FileProblem:
        raise
    except (KeyboardInterrupt, MemoryError):
        raise
    except Exception:  # BadZipFile, NotImplementedError (unknown zip version), CRC errors…
        raise FileProblem("file.unreadable", error="zip") from None


def _check_zip_entries(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ZIP_ENTRIES:
        raise FileProblem("file.too_large", size=_size(len(infos)), limit=_size(MAX_ZIP_ENTRIES))
    declared = sum(i.file_size for i in infos)
    if declared > MAX_UNCOMPRESSED:
        raise FileProblem("file.too_large", size=_size(declared), limit=_size(MAX_UNCOMPRESSED))
    names = {i.filename for i in infos}
    workbook_parts = {"xl/workbook.xml", "xl/workbook.bin", "content.xml"}
    if not names & workbook_parts:  # a .docx, .pptx or plain zip renamed .xlsx
        raise FileProblem("file.format")


def _check_ole(path: Path) -> None:
    # An encrypted .xlsx/.xlsm is an OLE container holding EncryptionInfo and
    # EncryptedPackage streams; the directory entry names are UTF-16.
    data = path.read_bytes()
    if _ENCRYPTION_INFO in data:
        raise FileProblem("file.encrypted")


def read_grids(path: Path) -> list[Grid]:
    """Every worksheet of the workbook at `path` (visible ones first)."""
    kind = sniff(path)
    if kind == "zip":
        _check_zip(path)
    else:
        _check_ole(path)
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
    from danvan_cli import legacy

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
