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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from danvan_cli import __version__
from danvan_cli.errors import OutputError, os_reason
from danvan_cli.i18n.catalog import t
from danvan_cli.read.recognise import OUTPUT_MARK

if TYPE_CHECKING:
    from danvan_cli.config.load import Config
    from danvan_cli.config.plan import Authority

FONT = "Times New Roman"
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FIXED_TIME = dt.datetime(2024, 1, 1)
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def new_workbook(config: Config, output: str | None) -> Workbook:
    """A workbook whose properties name danvan's version and the plan and rubric files.
    `output` names the kind of danvan output it is, in a custom document property that only
    danvan writes (read.recognise): such a workbook is never taken for a dossier and may be
    replaced by the next run. The blank form (None) carries no mark: units fill it in."""
    wb = Workbook()
    wb.properties.creator = "danvan"
    wb.properties.lastModifiedBy = "danvan"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.description = provenance_text(config)
    if output is not None:
        wb.custom_doc_props.append(StringProperty(name=OUTPUT_MARK, value=output))
    return wb


def provenance_text(config: Config) -> str:
    files = "; ".join(f"{name} sha256:{digest}" for name, digest in config.sources.items())
    return f"danvan {__version__}; {files}"


def write_provenance(
    wb: Workbook, config: Config, inputs: Sequence[tuple[str, str]], lang: str
) -> None:
    """The sheet "Nguồn dữ liệu": danvan version, plan and rubric files, input files."""
    ws = wb.create_sheet(t("sheet.provenance", lang))
    rows: list[list[Any]] = [["danvan", __version__]]
    rows += [[name, digest] for name, digest in config.sources.items()]
    rows += [[path, digest] for path, digest in inputs]
    heads = [t("provenance.col_file", lang), t("provenance.col_version", lang)]
    write_table(ws, 1, heads, rows, widths=[50, 70])


def report_date() -> dt.date:
    """The date on the date line: today, or SOURCE_DATE_EPOCH (seconds) for a reproducible run."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def set_text(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    """Write a value; text is cleaned of control characters and never becomes a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
        cell.value = value
        cell.data_type = "s"  # "=SUM(...)" from an input stays text
    else:
        cell.value = value
    cell.font = Font(name=FONT, size=12)
    return cell


def dateline(place: str, date: dt.date, lang: str) -> str:
    """ "Vạn Ninh, ngày 05 tháng 02 năm 2024": a zero before days under 10 and months 1 and 2
    (Nghị định 30/2020/NĐ-CP on administrative documents)."""
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return t("dateline", lang, place=place, day=f"{date.day:02d}", month=month, year=str(date.year))


def write_header(
    ws: Worksheet, authority: Authority, title: str, ncols: int, lang: str, subtitle: str = ""
) -> int:
    """Authority | motto block, date line, title; returns the next free row (1-based)."""
    ncols = max(ncols, 4)
    left_end = max(2, ncols // 2 - 1)
    right_start = left_end + 1
    rows = [
        (authority.name, t("motto.country", lang)),
        ("", t("motto.slogan", lang)),
    ]
    for i, (left, right) in enumerate(rows, start=1):
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=left_end)
        ws.merge_cells(start_row=i, start_column=right_start, end_row=i, end_column=ncols)
        for col, text, bold in ((1, left, i == 1), (right_start, right, True)):
            cell = set_text(ws, i, col, text)
            cell.font = Font(
                name=FONT, size=12, bold=bold, underline="single" if i == 2 and col > 1 else None
            )
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 32  # the authority and the motto may take two lines
    date = report_date()
    ws.merge_cells(start_row=3, start_column=right_start, end_row=3, end_column=ncols)
    cell = set_text(ws, 3, right_start, dateline(authority.place, date, lang))
    cell.font = Font(name=FONT, size=12, italic=True)
    cell.alignment = Alignment(horizontal="center")
    row = 5
    for text, size in ((title, 14), (subtitle, 12)):
        if not text:
            continue
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        cell = set_text(ws, row, 1, text)
        cell.font = Font(name=FONT, size=size, bold=size == 14, italic=size != 14)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.row_dimensions[row].height = 20 if size == 14 else 18
        row += 1
    return row + 1


def write_table(
    ws: Worksheet,
    top: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
    number_format: dict[int, str] | None = None,
) -> int:
    """A bordered table with its header at row `top`; frozen, filtered, printable. Returns last row."""
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
            if number_format and col in number_format and not isinstance(value, str):
                cell.number_format = number_format[col]
    last = top + max(len(rows), 1)
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{last}"
    ws.print_title_rows = f"{top}:{top}"
    fit_widths(ws, headers, rows, widths)
    fit_heights(ws, top, rows)
    setup_print(ws, landscape=len(headers) > 6)
    return last


def fit_widths(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[int] | None = None,
) -> None:
    for i, header in enumerate(headers):
        if widths is not None and i < len(widths) and widths[i]:
            width = widths[i]
        else:
            longest = max(
                [len(str(header)) // 2 + 2] + [len(_shown(r[i])) for r in rows if i < len(r)]
            )
            width = min(max(longest + 2, 6), 60)
        ws.column_dimensions[get_column_letter(i + 1)].width = width


def fit_heights(ws: Worksheet, top: int, rows: Sequence[Sequence[Any]]) -> None:
    """Row heights for wrapped text, so printed rows never overlap (Excel and LibreOffice do
    not always grow a row by themselves)."""
    widths = [
        ws.column_dimensions[get_column_letter(i + 1)].width or 10 for i in range(ws.max_column)
    ]
    for r, values in enumerate(rows, start=top + 1):
        lines = 1
        for i, value in enumerate(values):
            if isinstance(value, str) and i < len(widths):
                per_line = max(int(widths[i] * 1.1) - 1, 1)
                lines = max(lines, -(-len(value) // per_line))
        if lines > 1:
            ws.row_dimensions[r].height = min(15.5 * lines, 400)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def setup_print(ws: Worksheet, *, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True


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
    path = Path(path)
    if path.is_dir():
        raise OutputError("output.exists_dir", path=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".danvan-", suffix=".xlsx.tmp", dir=folder)
        os.chmod(tmp_name, 0o666 & ~current_umask())  # as readable as any file the user makes
        with os.fdopen(fd, "wb") as fh:
            fh.write(_reproducible(wb))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise OutputError("output.failed", path=str(path), error=os_reason(exc)) from None
    finally:
        if tmp_name is not None and os.path.exists(tmp_name):
            os.unlink(tmp_name)
