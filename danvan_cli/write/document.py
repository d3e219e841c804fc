"""Workbooks that look like Vietnamese administrative documents (shared by every writer).

Authority and national motto header, title, date line, Times New Roman, a bordered table
with a frozen, filtered header row repeated on every printed A4 page. Text from inputs is
always written as text (never a formula) and written atomically.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from danvan_cli import __version__
from danvan_cli.config.documents import Signer
from danvan_cli.errors import OutputError, file_in_the_way, no_place, os_reason
from danvan_cli.i18n.catalog import t
from danvan_cli.read.recognise import OUTPUT_MARK
from danvan_cli.text.normalize import xml_safe

if TYPE_CHECKING:
    from danvan_cli.config.load import Config

VI = "vi"  # printed workbooks are Vietnamese documents, whatever language the messages are in
FONT = "Times New Roman"
BODY_PT, MIN_PT = 12, 10  # the body's font, and the least it may print at
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FIXED_TIME = dt.datetime(2024, 1, 1)
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
# Numbers as Vietnamese documents show them (96,5; 1.250.000.000) whatever the computer's
# own settings, and kept as numbers: the format names the Vietnamese locale.
NUMBER = "[$-42A]General"
AMOUNT = "[$-42A]#,##0"


def new_workbook(config: Config, output: str | None) -> Workbook:
    """A workbook whose properties name danvan's version and the plan and rubric files.
    `output` names the kind of danvan output it is, in a custom document property that only
    danvan writes (read.recognise): such a workbook is never taken for a dossier and may be
    replaced by the next run. The blank form (None) carries no mark: units fill it in."""
    wb = Workbook()
    if output is not None:
        # The workbook's default font is the documents' own: Excel and LibreOffice measure
        # column widths in its digits, so a width means the same on every computer (with
        # Calibri, missing from most Linux machines, LibreOffice's widths differ by a third).
        wb._fonts = IndexedList([Font(name=FONT, size=BODY_PT)])
    wb.properties.creator = "danvan"
    wb.properties.lastModifiedBy = "danvan"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.description = xml_safe(provenance_text(config))
    if output is not None:
        wb.custom_doc_props.append(StringProperty(name=OUTPUT_MARK, value=output))
    return wb


def provenance_text(config: Config) -> str:
    files = "; ".join(f"{name} sha256:{digest}" for name, digest in config.sources.items())
    return f"danvan {__version__}; {files}"


def write_provenance(wb: Workbook, config: Config, inputs: Sequence[tuple[str, str]]) -> None:
    """The sheet "Nguồn dữ liệu": danvan version, plan and rubric files, input files."""
    ws = wb.create_sheet(t("sheet.provenance", VI))
    ws.sheet_state = "hidden"  # for machines and auditors, never printed with the signed pages
    rows: list[list[Any]] = [["danvan", __version__]]
    rows += [[name, digest] for name, digest in config.sources.items()]
    rows += [[path, digest] for path, digest in inputs]
    heads = [t("provenance.col_file", VI), t("provenance.col_version", VI)]
    write_table(ws, 1, heads, rows, widths=[50, 70])


_DATED: ContextVar[dt.date | None] = ContextVar("danvan_dated", default=None)


@contextmanager
def dated(date: dt.date) -> Iterator[None]:
    """Within the block, every paper and workbook is dated `date` (the demo dates each step of
    its award year, so that a Tờ trình precedes its Quyết định)."""
    token = _DATED.set(date)
    try:
        yield
    finally:
        _DATED.reset(token)


def report_date() -> dt.date:
    """The date on the date line: today, or SOURCE_DATE_EPOCH (seconds) for a reproducible run
    (or the date a `dated` block gives)."""
    fixed = _DATED.get()
    if fixed is not None:
        return fixed
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def set_text(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    """Write a value; text is cleaned of what XML cannot hold (control characters, U+FFFF,
    lone surrogates) and never becomes a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = xml_safe(value)
        cell.value = value
        cell.data_type = "s"  # "=SUM(...)" from an input stays text
    else:
        cell.value = value
    cell.font = Font(name=FONT, size=12)
    return cell


def unnamed(name: str | None, path: str) -> str:
    """A candidate's name on a signed page; a dossier whose name cannot be read is told by its
    file ("(không rõ — tệp x.xlsx)"), its one identification: the file-name column itself
    lies outside the print area."""
    return name or t("report.unknown_file", VI, file=PurePath(path).name)


def date_words(date: dt.date) -> str:
    """ "ngày 05 tháng 02 năm 2024", as a paper's date line and its references write it."""
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return t("date_words", VI, day=f"{date.day:02d}", month=month, year=str(date.year))


def dateline(place: str, date: dt.date, lang: str) -> str:
    """ "Vạn Ninh, ngày 05 tháng 02 năm 2024": a zero before days under 10 and months 1 and 2
    (Nghị định 30/2020/NĐ-CP on administrative documents)."""
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return t("dateline", lang, place=place, day=f"{date.day:02d}", month=month, year=str(date.year))


# -- how wide and tall printed text is ---------------------------------------------------------
# Advance widths of Times New Roman as fractions of its size (capitals, lower case, digits,
# spaces, the rest), near enough to say whether a text fits a cell. A column width unit is
# one digit of the workbook's default font (Times New Roman 12: 8 pixels at 96 dpi, 6 pt),
# plus 5 pixels of padding per column.
_UNIT_PT = 6.0
_PX_PER_UNIT, _PX_PAD = 8, 5
LINE = 1.2  # line height as a multiple of the font size (Times New Roman prints ~1.11)
# How much wider than `text_units` says a line may print (LibreOffice, Liberation Serif, a cell
# with borders, measured: up to 2 %), and some more: a row is never too short for its text.
_SLACK = 1.06


def _advance(ch: str) -> float:
    if ch == " ":
        return 0.25
    if ch.isdigit():
        return 0.5
    if ch.isupper():
        return 0.72 if ch not in "IJ" else 0.36
    if ch.islower():
        return 0.28 if ch in "ijlt" else 0.75 if ch in "mw" else 0.47
    return 0.33


def text_units(text: str, size: float = 12, bold: bool = False) -> float:
    """The width of one line of `text` in Excel width units (Times New Roman)."""
    em = sum(_advance(ch) for ch in text) * (1.06 if bold else 1.0)
    return em * size / _UNIT_PT


def lines_needed(text: str, width: float, size: float = 12, bold: bool = False) -> int:
    """How many lines `text` takes, wrapped at word boundaries, in a cell `width` wide."""
    room = max((width - 1.0) / _SLACK, 1.0)  # the cell's own padding, and the estimate's error
    count = 0
    for paragraph in str(text).split("\n"):
        line, n = 0.0, 1
        for word in paragraph.split(" "):
            w = text_units(word, size, bold)
            gap = text_units(" ", size, bold) if line else 0.0
            if line and line + gap + w > room:
                n += 1 + int(w // room)
                line = w % room
            else:
                line += gap + w
                if line > room:  # one word longer than the cell: wrapped inside it
                    n += int(line // room)
                    line %= room
        count += n
    return count


def _width(ws: Worksheet, col: int) -> float:
    width = ws.column_dimensions[get_column_letter(col)].width
    return float(width) if width else 8.43  # Excel's default


@dataclass(frozen=True)
class Letterhead:
    """The top of a printed page: the body that issues (and signs) it — its parent body's lines
    (regular) and its own (bold) — and the header its kind of body carries: the national name
    and motto for a state body, "ĐẢNG CỘNG SẢN VIỆT NAM" for a Party body; the date line's place."""

    parent: tuple[str, ...]
    name: tuple[str, ...]
    party: bool
    place: str


def _issuer_id(config: Config, issuer: str | None) -> str | None:
    docs = config.plan.documents
    chosen = issuer or docs.workbooks
    return chosen if chosen is not None and chosen in docs.issuers else None


def letterhead(config: Config, issuer: str | None = None) -> Letterhead:
    """The header of a printed workbook: that of `issuer`, or of the plan's `workbooks` issuer
    (who signs the workbooks), as the plan's `documents:` say; a plan that names none: its
    authority, under the national name and motto."""
    chosen = _issuer_id(config, issuer)
    place = config.plan.authority.place
    if chosen is None:
        return Letterhead((), (config.plan.authority.name,), False, place)
    body = config.plan.documents.issuers[chosen]
    return Letterhead(
        tuple(body.parent), tuple(body.name), body.header == "party", body.place or place
    )


def workbook_signer(config: Config, issuer: str | None = None) -> Signer | None:
    """Who signs a printed workbook: the signer of `issuer`, or of the plan's `workbooks`."""
    chosen = _issuer_id(config, issuer)
    return config.plan.documents.issuers[chosen].signer if chosen is not None else None


@dataclass
class _Header:
    """The header written before the table's widths are known; laid out once they are."""

    ncols: int
    left: list[tuple[int, str, bool]]  # row, text, bold
    right: list[tuple[int, str, bool, bool, bool]]  # row, text, bold, italic, underline
    titles: list[tuple[int, str, int]]  # row, text, size
    split: int = 0  # the last column of the left block, once laid out


_HEADERS: WeakKeyDictionary[Worksheet, _Header] = WeakKeyDictionary()
_PRINT_COLS: WeakKeyDictionary[Worksheet, int] = WeakKeyDictionary()


def write_header(
    ws: Worksheet,
    head: Letterhead,
    title: str,
    ncols: int,
    subtitle: str = "",
    number: str = "",
    date: bool = True,
) -> int:
    """The issuing body (and `number`, "Số: …", under it) | the national name and motto (or the
    Party's header), the date line (none on an annex, `date` False: its "Kèm theo" subtitle
    dates it), the title (and subtitle); returns the next free row (1-based). The blocks are
    merged and sized by `write_table`, which knows the columns' widths, so that nothing is
    clipped or wraps badly."""
    ncols = max(ncols, 4)
    split = max(2, ncols // 2 - 1)
    left = [(i, text, False) for i, text in enumerate(head.parent, start=1)]
    left += [(len(left) + i, text, True) for i, text in enumerate(head.name, start=1)]
    if number:
        left.append((len(left) + 1, number, False))
    right: list[tuple[int, str, bool, bool, bool]]
    if head.party:
        right = [(1, t("paper.tpl.party", VI), True, False, True)]
    else:
        right = [
            (1, t("motto.country", VI), True, False, False),
            (2, t("motto.slogan", VI), True, False, True),
        ]
    if date:
        right.append((3, dateline(head.place, report_date(), VI), False, True, False))
    spec = _Header(ncols, left=left, right=right, titles=[], split=split)
    row = max(3, len(left)) + 2
    for text, size in ((title, 14), (subtitle, 12)):
        if text:
            spec.titles.append((row, text, size))
            row += 1
    for r, text, bold in spec.left:
        set_text(ws, r, 1, text).font = Font(name=FONT, size=12, bold=bold)
    for r, text, bold, italic, underline in spec.right:
        cell = set_text(ws, r, split + 1, text)
        cell.font = Font(
            name=FONT, size=12, bold=bold, italic=italic, underline="single" if underline else None
        )
    for r, text, size in spec.titles:
        cell = set_text(ws, r, 1, text)
        cell.font = Font(name=FONT, size=size, bold=size == 14, italic=size != 14)
    _HEADERS[ws] = spec
    return row + 1


def layout_header(ws: Worksheet, ncols: int) -> None:
    """Merge the header's blocks over the table's columns, each wide enough for its text (the
    last column widened if need be), and every row tall enough for its lines."""
    spec = _HEADERS.get(ws)
    if spec is None:
        return
    ncols = spec.ncols = max(ncols, 4)
    widths = [_width(ws, c) for c in range(1, ncols + 1)]
    need_left = max(text_units(text, 12, bold) for _, text, bold in spec.left) + 2
    need_right = max(text_units(text, 12, bold) for _, text, bold, _, _ in spec.right) + 2
    split = spec.split
    short = need_left - sum(widths[:split])
    if short > 0 and (short <= 8 or sum(widths) < 100):  # widened where it costs no scale
        ws.column_dimensions[get_column_letter(split)].width = widths[split - 1] + short
        widths[split - 1] += short
    while sum(widths[:split]) < need_left and split < ncols - 2:
        split += 1
    short = need_right - sum(widths[split:])
    if short > 0:
        letter = get_column_letter(ncols)
        ws.column_dimensions[letter].width = widths[-1] + short
        widths[-1] += short
    if split != spec.split:  # move the right block's texts to where it now starts
        for r, *_ in spec.right:
            old, new = ws.cell(r, spec.split + 1), ws.cell(r, split + 1)
            new.value, new.font, new.data_type = old.value, copy(old.font), "s"
            old.value = None
    spec.split = split
    left, right = sum(widths[:split]), sum(widths[split:])
    heights: dict[int, int] = {}
    for r, text, bold in spec.left:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=split)
        heights[r] = max(heights.get(r, 1), lines_needed(text, left, 12, bold))
    for r, text, bold, _, _ in spec.right:
        ws.merge_cells(start_row=r, start_column=split + 1, end_row=r, end_column=ncols)
        heights[r] = max(heights.get(r, 1), lines_needed(text, right, 12, bold))
    for r in {r for r, *_ in spec.left} | {r for r, *_ in spec.right}:
        for c in (1, split + 1):
            ws.cell(r, c).alignment = Alignment(
                horizontal="center", vertical="center", wrap_text=True
            )
        ws.row_dimensions[r].height = heights[r] * 12 * LINE + 3
    total = sum(widths)
    for r, text, size in spec.titles:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.cell(r, 1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        lines = lines_needed(text, total, size, size == 14)
        ws.row_dimensions[r].height = lines * size * LINE + 4


_ROOM = 4  # empty rows between a signer's position and name: room to sign (and the seal)


def write_note(ws: Worksheet, row: int, text: str, ncols: int, *, italic: bool = False) -> int:
    """A line under a table, across its first `ncols` columns, as tall as its wrapped text;
    returns its row."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    cell = set_text(ws, row, 1, text)
    cell.font = Font(name=FONT, size=12, italic=italic)
    cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    width = sum(_width(ws, c) for c in range(1, ncols + 1))
    ws.row_dimensions[row].height = lines_needed(text, width, 12, False) * 12 * LINE + 3
    return row


def write_signature(
    ws: Worksheet, row: int, signer: Signer | None, *, maker: bool = True, above: int = 2
) -> int:
    """The signature block under a table: the maker ("NGƯỜI LẬP BIỂU") on the left (none on
    an annex of a paper, `maker` False: its signer alone signs it), the signer's authority
    lines and position on the right, room to sign, then each one's name (a dotted line where
    the plan names nobody). Printed on one page, with the table's last row (never a page of
    the signature alone; `above`: the rows between it and the table's last row, that
    row included). Returns its last row."""
    spec = _HEADERS.get(ws)
    ncols = spec.ncols if spec else max(ws.max_column, 4)
    split = spec.split if spec else max(2, ncols // 2 - 1)
    head = signer or Signer(position=t("workbook.head", VI))
    right = [*head.authority, head.position]
    left = [t("workbook.maker", VI)] if maker else []
    for i in range(max(len(right), len(left))):
        r = row + i
        for start, end, texts in ((1, split, left), (split + 1, ncols, right)):
            if i < len(texts):
                ws.merge_cells(start_row=r, start_column=start, end_row=r, end_column=end)
                cell = set_text(ws, r, start, texts[i])
                cell.font = Font(name=FONT, size=12, bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center")
    last = row + max(len(right), len(left)) + _ROOM
    blank = t("paper.blank_name", VI)
    names = [(split + 1, ncols, head.name.strip())]
    if maker:
        names.insert(0, (1, split, ""))
    for start, end, name in names:
        ws.merge_cells(start_row=last, start_column=start, end_row=last, end_column=end)
        cell = set_text(ws, last, start, name or blank)
        cell.font = Font(name=FONT, size=12, bold=bool(name))
        cell.alignment = Alignment(horizontal="center")
    pages = _PAGES.setdefault(ws, _Pages())
    # with the table's last row (and the empty row between it and the block)
    first = max(row - above, pages.title + 1) if pages.title is not None else row
    pages.keeps.append((min(first, row), last))
    return last


def write_table(
    ws: Worksheet,
    top: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    widths: Sequence[float] | None = None,
    number_format: dict[int, str] | None = None,
    print_cols: int | None = None,
) -> int:
    """A bordered table with its header at row `top`; frozen, filtered, printable (only its
    first `print_cols` columns when the others are for machines). Returns the last row."""
    for col, text in enumerate(headers, start=1):
        cell = set_text(ws, top, col, text)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, values in enumerate(rows, start=top + 1):
        for col, value in enumerate(values, start=1):
            cell = set_text(ws, r, col, value)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                cell.number_format = (number_format or {}).get(col, NUMBER)
            elif number_format and col in number_format and not isinstance(value, str):
                cell.number_format = number_format[col]
    last = top + max(len(rows), 1)
    pages = _PAGES.setdefault(ws, _Pages())
    pages.title = top
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{last}"
    ws.print_title_rows = f"{top}:{top}"
    fit_widths(ws, headers, rows, widths)
    fit_heights(ws, top, [headers], bold=True)
    fit_heights(ws, top + 1, rows)
    printed = print_cols or len(headers)
    layout_header(ws, printed)
    fit_page(ws, _HEADERS[ws].ncols if ws in _HEADERS else printed)
    if print_cols is not None:
        _PRINT_COLS[ws] = print_cols
    return last


def fit_widths(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float] | None = None,
) -> None:
    for i, header in enumerate(headers):
        if widths is not None and i < len(widths) and widths[i]:
            width = float(widths[i])
        else:
            longest = max(
                [text_units(str(header), 12, True) / 2 + 2]
                + [text_units(_shown(r[i])) for r in rows if i < len(r)]
            )
            width = min(max(longest + 2, 6), 60)
        ws.column_dimensions[get_column_letter(i + 1)].width = width


def fit_heights(
    ws: Worksheet, first: int, rows: Sequence[Sequence[Any]], *, bold: bool = False
) -> None:
    """Row heights for wrapped text, so printed rows never overlap or clip (Excel and
    LibreOffice do not always grow a row by themselves)."""
    for r, values in enumerate(rows, start=first):
        lines = 1
        for i, value in enumerate(values):
            if isinstance(value, str):
                lines = max(lines, lines_needed(value, _width(ws, i + 1), 12, bold))
        if lines > 1:
            ws.row_dimensions[r].height = min(lines * 12 * LINE + 3, 409)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# A4 less the margins, in pixels at 96 dpi: what the printed columns may take at 100 %.
_MARGIN_IN = 0.5
_A4_IN = {"portrait": 8.27, "landscape": 11.69}


def print_scale(ws: Worksheet, ncols: int, orientation: str) -> int:
    """The scale (%) at which the first `ncols` columns fit across the page."""
    needed = sum(_width(ws, c) * _PX_PER_UNIT + _PX_PAD for c in range(1, ncols + 1))
    room = (_A4_IN[orientation] - 2 * _MARGIN_IN) * 96
    return max(10, min(100, int(100 * room / needed)))


def fit_page(ws: Worksheet, ncols: int) -> None:
    """A4, portrait when the columns fit it at a scale that prints the body at 10 pt or more,
    else landscape; the scale is set, not left to "fit to width", so it can be checked."""
    least = 100 * MIN_PT / BODY_PT
    portrait = print_scale(ws, ncols, "portrait")
    orientation = "portrait" if portrait >= least else "landscape"
    scale = portrait if orientation == "portrait" else print_scale(ws, ncols, "landscape")
    setup_print(ws, landscape=orientation == "landscape", scale=scale)


def setup_print(ws: Worksheet, *, landscape: bool, scale: int | None = None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if scale is None:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.page_setup.scale = scale
        ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins.left = ws.page_margins.right = _MARGIN_IN
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True


# -- pages: where each printed page ends ------------------------------------------------------
ROW_PT = 15.75  # a row of one line of 12 pt text
_PAPER_PT = {"portrait": (595.3, 841.9), "landscape": (841.9, 595.3)}
_FILL = 0.95  # of a page's height: what danvan fills, so that no program breaks a page sooner


@dataclass
class _Pages:
    """What a sheet's pages must respect: the table's header row (repeated on every page) and
    the rows printed together on one page (a signature block with the table's last row, a
    chart)."""

    title: int | None = None
    keeps: list[tuple[int, int]] = field(default_factory=list)


_PAGES: WeakKeyDictionary[Worksheet, _Pages] = WeakKeyDictionary()


def row_height(ws: Worksheet, row: int) -> float:
    height = ws.row_dimensions[row].height
    return float(height) if height else ROW_PT


def page_height(ws: Worksheet) -> float:
    """The height (in the sheet's points, before scaling) of what one printed page holds."""
    orientation = ws.page_setup.orientation or "portrait"
    paper = _PAPER_PT["landscape" if orientation == "landscape" else "portrait"][1]
    margins = (ws.page_margins.top + ws.page_margins.bottom) * 72
    scale = int(ws.page_setup.scale or 100)
    return float((paper - margins) * 100 / scale * _FILL)


def page_width_cm(ws: Worksheet) -> float:
    """The width (cm, before scaling) of what one printed page holds."""
    orientation = ws.page_setup.orientation or "portrait"
    paper = _PAPER_PT["landscape" if orientation == "landscape" else "portrait"][0]
    margins = (ws.page_margins.left + ws.page_margins.right) * 72
    scale = int(ws.page_setup.scale or 100)
    return float((paper - margins) / 72 * 2.54 * 100 / scale * _FILL)


def keep_chart(ws: Worksheet, row: int, height_cm: float) -> int:
    """A chart anchored at `row`, `height_cm` tall: the rows it covers printed on one page,
    with the empty row above it (a page never starts exactly on a chart's edge, which a
    program's rounding could print on the page before). Returns the last of them."""
    pages = _PAGES.setdefault(ws, _Pages())
    need, r, covered = height_cm / 2.54 * 72, row, 0.0
    while covered < need:
        covered += row_height(ws, r)
        r += 1
    pages.keeps.append((row - 1, r))
    return r


def paginate(ws: Worksheet) -> list[int]:
    """Every row's height set (so that Excel and LibreOffice agree with danvan), and a manual
    page break wherever a page is full or a block to keep together would be cut: the breaks of
    each page are danvan's own, never left to the printing program. Returns the first row of
    every page after the first."""
    pages = _PAGES.get(ws, _Pages())
    last = max([ws.max_row, *(end for _, end in pages.keeps)])
    for r in range(1, last + 1):
        ws.row_dimensions[r].height = row_height(ws, r)
    room = page_height(ws)
    title = pages.title
    repeated = row_height(ws, title) if title is not None else 0.0
    keeps = {start: end for start, end in sorted(pages.keeps)}
    starts: list[int] = []
    first, used = 1, 0.0
    for r in range(1, last + 1):
        h = row_height(ws, r)
        end = keeps.get(r)
        if end is not None and r > first:
            block = sum(row_height(ws, x) for x in range(r, end + 1))
            fresh = room - (repeated if title is not None and r > title else 0.0)
            if used + block > room and block <= fresh:
                starts.append(r)
                first, used = r, room - fresh
        if used + h > room and r > first:
            starts.append(r)
            first, used = r, (repeated if title is not None and r > title else 0.0)
        used += h
    ws.row_breaks = RowBreak()
    for r in starts:
        ws.row_breaks.append(Break(id=r - 1))
    return starts


def _print_areas(wb: Workbook) -> None:
    """Sheets whose last columns are for machines print only their first columns."""
    for ws in wb.worksheets:
        cols = _PRINT_COLS.get(ws)
        if cols is not None:
            ws.print_area = f"A1:{get_column_letter(cols)}{ws.max_row}"


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _reproducible(wb: Workbook) -> bytes:
    """The workbook's bytes with fixed times: the same content gives the same file."""
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" at save time
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, data)
    return out.getvalue()


def save_atomic(wb: Workbook, path: Path) -> None:
    """Save through a temporary file in the same folder, then rename: no half-written output."""
    _print_areas(wb)
    for ws in wb.worksheets:
        if ws in _PAGES:
            paginate(ws)
    try:
        data = _reproducible(wb)
    except OSError as exc:
        raise OutputError("output.failed", path=str(path), error=os_reason(exc)) from None
    save_bytes(data, path, ".xlsx")


def save_bytes(data: bytes, path: Path, suffix: str) -> None:
    """Write `data` through a temporary file in the same folder, then rename into `path`."""
    path = Path(path)
    if path.is_dir():
        raise OutputError("output.exists_dir", path=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".danvan-", suffix=f"{suffix}.tmp", dir=folder)
        os.chmod(tmp_name, 0o666 & ~current_umask())  # as readable as any file the user makes
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        if file_in_the_way(path.parent) is not None or not path.parent.is_dir():
            raise no_place(path) from None
        raise OutputError("output.failed", path=str(path), error=os_reason(exc)) from None
    finally:
        if tmp_name is not None and os.path.exists(tmp_name):
            os.unlink(tmp_name)
