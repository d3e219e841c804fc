"""The budgets a workbook must stay within before any reader parses it, and the problem a
file that cannot be read raises (`FileProblem`, carrying a `file.*` finding code).

A dossier is a few kilobytes: one or two sheets, a few hundred cells. The budgets are
workbook-wide (all sheets together) and sized so that what python-calamine and the
dossier reader then allocate stays far under 300 MB and a second of work. They count work,
never time: the same file gets the same verdict however busy the machine is. The clock is
only a last resort, far away (MAX_SECONDS), should a count ever fail to bound the work.
"""

from __future__ import annotations

import time

from danvan_cli.i18n.catalog import Message
from danvan_cli.record import Record

MAX_FILE_BYTES = 100 * 1024 * 1024  # the file on disk (checked before it is read or hashed)
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # every entry of a zip, as declared
MAX_ZIP_ENTRIES = 10_000
MAX_XML_BYTES = 32 * 1024 * 1024  # inflated XML of the parts a reader will parse
MAX_ELEMENTS = 2_000_000  # XML markup ("<" and "=") in those parts, or BIFF records
MAX_SHEETS = 50
MAX_ROWS = 5_000  # of one sheet (1-based extent from A1)
MAX_COLS = 256
MAX_CELLS = 400_000  # Σ rows × columns of every sheet's extent from A1 (dense grids)
MAX_TEXT = 4_000_000  # characters of shared strings / string table
MAX_STRING_CELLS_TEXT = 8_000_000  # characters materialised: string cells × longest string
MAX_SHARED_STRINGS = 200_000  # strings a shared-string table may declare or hold
MAX_MERGES = 5_000
MAX_STYLES = 100_000  # cell formats (Excel's own limit is 64,000)
MAX_FORMULA_WORK = 500_000_000  # characters an .xls's formulas move as calamine prints them
MAX_SECONDS = 60.0  # a last resort only: the counts above bound the work to a few seconds


class FileProblem(Exception):
    """The file cannot be read as a workbook; `code` is a `file.*` finding code. `sha256`
    is the file's digest when it had been read (never for a file refused by its size)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.sha256 = ""


def size_text(n: int) -> str:
    """A byte count as people read it: "1,0 GB", "200 MB" (small counts: a plain number)."""
    if n < 100_000:
        return f"{n:,}".replace(",", ".")
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}".replace(".", ",")
    return str(n)


def over(limit: str, found: int | float, maximum: int | float) -> FileProblem:
    """A workbook-wide budget exceeded: `limit` names it (a `budget.*` catalog text)."""
    return FileProblem(
        "file.budget",
        limit=Message(f"budget.{limit}"),
        found=int(found),
        max=int(maximum),
    )


class Budget:
    """Counters shared by every part of one workbook; each `add_*` raises when over."""

    __slots__ = (
        "cells",
        "deadline",
        "elements",
        "formula_work",
        "merges",
        "sheets",
        "string_cells",
        "styles",
        "text",
        "xml",
    )

    def __init__(self) -> None:
        self.cells = 0
        self.elements = 0
        self.xml = 0
        self.text = 0
        self.string_cells = 0
        self.sheets = 0
        self.merges = 0
        self.styles = 0
        self.formula_work = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise over("time", MAX_SECONDS, MAX_SECONDS)

    def add_xml(self, n: int) -> None:
        self.xml += n
        if self.xml > MAX_XML_BYTES:
            raise FileProblem(
                "file.too_large", size=size_text(self.xml), limit=size_text(MAX_XML_BYTES)
            )
        self.tick()

    def add_elements(self, n: int) -> None:
        self.elements += n
        if self.elements > MAX_ELEMENTS:
            raise over("elements", self.elements, MAX_ELEMENTS)

    def add_sheet(self) -> None:
        self.sheets += 1
        if self.sheets > MAX_SHEETS:
            raise over("sheets", self.sheets, MAX_SHEETS)

    def add_merges(self, n: int) -> None:
        self.merges += n
        if self.merges > MAX_MERGES:
            raise over("merges", self.merges, MAX_MERGES)

    def add_styles(self, n: int) -> None:
        self.styles += n
        if self.styles > MAX_STYLES:
            raise over("styles", self.styles, MAX_STYLES)

    def add_formula_work(self, n: int) -> None:
        self.formula_work += n
        if self.formula_work > MAX_FORMULA_WORK:
            raise over("formulas", self.formula_work, MAX_FORMULA_WORK)

    def add_text(self, n: int) -> None:
        self.text += n
        if self.text > MAX_TEXT:
            raise over("text", self.text, MAX_TEXT)

    def add_extent(self, rows: int, cols: int) -> None:
        """One sheet's extent from A1 (1-based rows and columns); the sheet limits are
        checked by the scanner as it goes, this is the workbook's sum."""
        self.cells += rows * cols
        if self.cells > MAX_CELLS:
            raise over("cells", self.cells, MAX_CELLS)

    def check_strings(self, string_cells: int, longest: int) -> None:
        """Every string cell gets its own copy of its shared string (in the reader, then as a
        Python str): their number times the longest string bounds what is allocated."""
        if string_cells * longest > MAX_STRING_CELLS_TEXT:
            raise over("string_cells", string_cells * longest, MAX_STRING_CELLS_TEXT)


class SheetFacts(Record):
    """What the gate learnt of one sheet: its name, its extent from A1 (1-based), the cells
    holding an error value (0-based row, column → "#REF!"), and for an .xlsx its part."""

    __slots__ = ("cols", "errors", "name", "part", "rows")

    def __init__(
        self,
        name: str,
        rows: int = 0,
        cols: int = 0,
        errors: dict[tuple[int, int], str] | None = None,
        part: str = "",
    ) -> None:
        self.name, self.rows, self.cols, self.part = name, rows, cols, part
        self.errors = errors if errors is not None else {}
