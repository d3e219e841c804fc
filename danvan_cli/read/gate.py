"""The content check a file passes before any reader parses it (a dossier is a few kilobytes;
a hostile file must not exhaust memory). Raises `FileProblem` carrying a `file.*` code.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from danvan_cli.read.cells import column_letter

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


def check(path: Path) -> str:
    """The container ("zip" or "ole") of a file that passed every check."""
    kind = sniff(path)
    if kind == "zip":
        _check_zip(path)
    else:
        _check_ole(path)
    return kind
