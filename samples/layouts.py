"""Dossier workbooks in the layouts units use, for the sample intake and for the tests.

samples/make_samples.py builds the 2024 samples with this module and tests/builders.py
builds the tests' dossiers with it, so both put a dossier's parts in the same places:

- `pairs`: one sheet; "Label:" in column A and its value in B, the scoring table and the
  papers table below (tests);
- `sheets`: a "Thông tin" sheet of labels and values over the papers table, and a
  "Chấm điểm" sheet with the scoring table at B4 (samples layout B, tests);
- `header`: one sheet; the labels across a row, each value under its label, the scoring
  table and the papers table below (samples layout C, tests);
- `fill_form`: danvan's canonical form filled in by its labels (samples layout A).

A layout writes the content and returns where it put each part (`Placed`); the samples then
dress it (fonts, borders, widths) with the helpers at the end. `save` writes a workbook with
fixed zip times and dates, so that regenerated samples keep their bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

HEADER = ["STT", "Tiêu chí", "Điểm chuẩn", "Điểm tự chấm", "Tài liệu kiểm chứng"]
PAPERS_HEADER = ["STT", "Thành phần hồ sơ", "Có/Không"]


class Formula(str):
    """A cell value to be written as an Excel formula; any other text stays text."""


class _Sum:
    """A total-row cell holding the SUM of its column over the criterion rows."""

    def __repr__(self) -> str:
        return "SUM"


SUM = _Sum()


def put(ws: Worksheet, row: int, col: int, value: Any) -> None:
    """Write a value; text is text even when it starts with "=" (a Formula is a formula)."""
    cell = ws.cell(row, col, value)
    if isinstance(value, str) and not isinstance(value, Formula):
        cell.data_type = "s"


@dataclass
class Dossier:
    """What a dossier says, wherever a layout puts it."""

    info: dict[str, Any] = field(default_factory=dict)  # label -> value (None: the label alone)
    # STT, criterion, max, score, evidence; a row of None is a blank row inside the table
    rows: list[list[Any]] = field(default_factory=list)
    total: Any = None  # the total row's score cell: a value, a Formula or SUM
    papers: list[tuple[str, Any]] | None = None  # (paper, mark); None: no papers table
    header: list[str] = field(default_factory=lambda: list(HEADER))
    total_max: Any = None  # the total row's maximum cell
    total_label: str = "Tổng điểm"
    # STT, paper, mark; or two columns: paper, mark (no numbers)
    papers_header: list[str] = field(default_factory=lambda: list(PAPERS_HEADER))


@dataclass
class Block:
    """Where a layout put one part of a dossier."""

    ws: Worksheet
    top: int  # the header row (label/value pairs: the first pair's row)
    left: int
    width: int
    rows: list[int]  # the rows under the header (pairs: every pair); blank rows left out
    end: int  # the last row (the scoring table: its total row)


@dataclass
class Placed:
    info: Block
    table: Block
    papers: Block | None


# --------------------------------------------------------------------------- the layouts


def pairs(d: Dossier) -> tuple[Workbook, Placed]:
    """One sheet: a title, "Label:" in A with its value in B, the scoring and papers tables."""
    wb, ws = _book("Hồ sơ")
    _titles(ws, [("A1:E1", "BẢN TỰ ĐÁNH GIÁ CHẤM ĐIỂM")])
    info = _pairs(ws, {f"{label}:": value for label, value in d.info.items()}, 3, 2)
    table = _table(ws, d, info.end + 2, 1)
    return wb, Placed(info, table, _papers(ws, d, table.end + 2))


def sheets(
    d: Dossier,
    *,
    titles: Sequence[tuple[str, str]] = (),
    score_titles: Sequence[tuple[str, str]] = (("B1:F2", "BẢNG CHẤM ĐIỂM"),),
    info_top: int = 1,
    value_col: int = 3,
    gaps: Collection[str] = (),
    papers_gap: int = 2,
) -> tuple[Workbook, Placed]:
    """A "Thông tin" sheet: labels in A from `info_top`, values in `value_col` (one further
    right for the labels in `gaps`), the papers table `papers_gap` blank rows below; and a
    "Chấm điểm" sheet with the scoring table at B4. `titles`: (merged range, text) each."""
    wb, ws = _book("Thông tin")
    _titles(ws, titles)
    info = _pairs(ws, d.info, info_top, value_col, gaps)
    papers = _papers(ws, d, info.end + 1 + papers_gap)
    scoring = wb.create_sheet("Chấm điểm")
    _titles(scoring, score_titles)
    return wb, Placed(info, _table(scoring, d, 4, 2), papers)


def header(
    d: Dossier,
    *,
    titles: Sequence[tuple[str, str]] = (),
    label_row: int = 2,
    papers_gap: int = 2,
) -> tuple[Workbook, Placed]:
    """One sheet: the labels across `label_row`, the values in the row below, the scoring
    table two blank rows under them, the papers table `papers_gap` blank rows below it."""
    wb, ws = _book("Hồ sơ")
    _titles(ws, titles)
    for col, (label, value) in enumerate(d.info.items(), start=1):
        ws.cell(label_row, col, label)
        if value is not None:
            put(ws, label_row + 1, col, value)
    info = Block(ws, label_row, 1, len(d.info), [label_row + 1], label_row + 1)
    table = _table(ws, d, label_row + 4, 1)
    return wb, Placed(info, table, _papers(ws, d, table.end + 1 + papers_gap))


LAYOUTS: dict[str, Callable[[Dossier], tuple[Workbook, Placed]]] = {
    "pairs": pairs,
    "sheets": sheets,
    "header": header,
}


def _book(title: str) -> tuple[Workbook, Worksheet]:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    return wb, ws


def _titles(ws: Worksheet, titles: Sequence[tuple[str, str]]) -> None:
    for ref, text in titles:
        ws[ref.split(":")[0]] = text
        ws.merge_cells(ref)


def _pairs(
    ws: Worksheet, info: dict[str, Any], top: int, value_col: int, gaps: Collection[str] = ()
) -> Block:
    for row, (label, value) in enumerate(info.items(), start=top):
        ws.cell(row, 1, label)
        if value is not None:
            put(ws, row, value_col + (label in gaps), value)
    return Block(ws, top, 1, value_col, list(range(top, top + len(info))), top + len(info) - 1)


def _table(ws: Worksheet, d: Dossier, top: int, left: int) -> Block:
    for i, text in enumerate(d.header):
        put(ws, top, left + i, text)
    rows = []
    for row, values in enumerate(d.rows, start=top + 1):
        if any(v is not None for v in values):
            rows.append(row)
        for i, value in enumerate(values):
            if value is not None:
                put(ws, row, left + i, value)
    total = top + len(d.rows) + 1
    ws.cell(total, left + 1, d.total_label)
    for col, value in ((left + 2, d.total_max), (left + 3, d.total)):
        if value is SUM:
            letter = get_column_letter(col)
            value = Formula(f"=SUM({letter}{top + 1}:{letter}{total - 1})")
        if value is not None:
            put(ws, total, col, value)
    return Block(ws, top, left, len(d.header), rows, total)


def _papers(ws: Worksheet, d: Dossier, top: int, left: int = 1) -> Block | None:
    if d.papers is None:
        return None
    for i, text in enumerate(d.papers_header):
        ws.cell(top, left + i, text)
    numbered = len(d.papers_header) == 3
    col = left + numbered
    for i, (label, mark) in enumerate(d.papers, start=1):
        if numbered:
            ws.cell(top + i, left, i)
        put(ws, top + i, col, label)
        if mark is not None:
            put(ws, top + i, col + 1, mark)
    rows = list(range(top + 1, top + 1 + len(d.papers)))
    return Block(ws, top, left, len(d.papers_header), rows, top + len(d.papers))


# --------------------------------------------------------------------------- layout A


def fold(text: Any) -> str:
    """Label key: no case, diacritics, Unicode form, extra spaces or trailing colon."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("đ", "d")
    text = re.sub(r"[\s:：*]+$", "", text)
    return re.sub(r"\s+", " ", text).strip()


def fill_form(ws: Worksheet, d: Dossier) -> None:
    """Fill danvan's canonical form as a person would, by its labels.

    `d.info` is keyed by the form's labels: each value goes right of its label (None: left
    blank). `d.rows` are (number, -, max or None, score, evidence): the criterion's row is
    found by its number. Each paper of `d.papers` is the form's label; its mark goes right.
    """
    found: dict[str, tuple[int, int]] = {}
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell, MergedCell) and isinstance(cell.value, str):
                found.setdefault(fold(cell.value), (cell.row, cell.column))

    def right_of(label: str, value: Any) -> None:
        target = ws.cell(*_top_left(ws, *_right(ws, *found[fold(label)])))
        target.value = value
        if isinstance(value, dt.date):
            target.number_format = "dd/mm/yyyy"

    for label, value in d.info.items():
        if value is not None:
            right_of(label, value)
    top = found["stt"][0]
    columns = {fold(cell.value): cell.column for cell in ws[top]}
    number, maximum, score, evidence = (
        columns[key] for key in ("stt", "diem chuan", "diem tu cham", "tai lieu kiem chung")
    )
    criteria: dict[int, int] = {}
    row = top + 1
    while not fold(ws.cell(row, number).value).startswith("tong"):
        criteria[int(ws.cell(row, number).value)] = row
        row += 1
    for code, _, max_value, score_value, evidence_text in d.rows:
        if max_value is not None:
            ws.cell(criteria[code], maximum).value = max_value
        ws.cell(criteria[code], score).value = score_value
        ws.cell(criteria[code], evidence).value = evidence_text
    if d.total is not None:
        ws.cell(row, score).value = d.total
    for label, mark in d.papers or []:
        right_of(label, mark)


def _right(ws: Worksheet, row: int, col: int) -> tuple[int, int]:
    """The first cell right of (row, col) and of the merged range it belongs to."""
    for cells in ws.merged_cells.ranges:
        if cells.min_row <= row <= cells.max_row and cells.min_col <= col <= cells.max_col:
            return cells.min_row, cells.max_col + 1
    return row, col + 1


def _top_left(ws: Worksheet, row: int, col: int) -> tuple[int, int]:
    """The top-left cell of the merged range holding (row, col), else the cell itself."""
    for cells in ws.merged_cells.ranges:
        if cells.min_row <= row <= cells.max_row and cells.min_col <= col <= cells.max_col:
            return cells.min_row, cells.min_col
    return row, col


# --------------------------------------------------------------------------- the samples' look

FONT = "Times New Roman"
BOLD = Font(bold=True)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def dress_table(table: Block) -> None:
    """A bold, centred, boxed header; boxed, wrapped rows; a bold label on a boxed total row."""
    ws, columns = table.ws, range(table.left, table.left + table.width)
    for col in columns:
        cell = ws.cell(table.top, col)
        cell.font, cell.alignment, cell.border = BOLD, CENTER, BOX
    for row in table.rows:
        for col in columns:
            ws.cell(row, col).border = BOX
            ws.cell(row, col).alignment = WRAP
    ws.cell(table.end, table.left + 1).font = BOLD
    for col in columns:
        ws.cell(table.end, col).border = BOX


def set_font(ws: Worksheet) -> None:
    """Times New Roman 12 in every cell of the used range, keeping bold."""
    fonts = {bold: Font(name=FONT, size=12, bold=bold) for bold in (False, True)}
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell, MergedCell):
                cell.font = fonts[bool(cell.font.b)]


def set_widths(ws: Worksheet, widths: dict[int, float]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


# --------------------------------------------------------------------------- saving

FIXED_DT = dt.datetime(2024, 9, 1, 8, 0, 0)  # workbook created/modified, zip entry times


def finish(wb: Workbook, creator: str) -> None:
    """Fixed document properties: the author, the dates of FIXED_DT, and no description (the
    blank form's names danvan's version and the plan's SHA-256, which a unit's file need not
    keep; without it the samples do not change whenever the plan file does)."""
    wb.properties.description = None
    wb.properties.creator = creator
    wb.properties.lastModifiedBy = creator
    wb.properties.created = FIXED_DT
    wb.properties.modified = FIXED_DT
    wb.properties.title = None


def save(wb: Workbook, path: Path) -> None:
    """Save with fixed zip entry times and document dates: the same bytes on every run."""
    if openpyxl.LXML:
        raise RuntimeError("set OPENPYXL_LXML=False before openpyxl is imported")
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(normalize_zip(buf.getvalue()))


def normalize_zip(data: bytes) -> bytes:
    stamp = FIXED_DT.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                for tag in ("dcterms:modified", "dcterms:created"):
                    text = re.sub(rf"(<{tag}[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{stamp}\g<2>", text)
                content = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_DT.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, content)
    return out.getvalue()
