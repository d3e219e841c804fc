"""The annual and phase results workbooks, with charts (openpyxl charts)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from danvan_cli.award.explain import rule_text
from danvan_cli.award.figures import (
    NO_RULE,
    UNKNOWN,
    Tally,
    YearFigures,
    communes_now,
    units_now,
)
from danvan_cli.config.load import Config
from danvan_cli.i18n.catalog import catalog, finding_title, t
from danvan_cli.write.document import (
    FONT,
    VI,
    fit_page,
    keep_chart,
    layout_header,
    letterhead,
    new_workbook,
    page_height,
    page_width_cm,
    row_height,
    save_atomic,
    workbook_signer,
    write_header,
    write_note,
    write_provenance,
    write_signature,
    write_table,
)

RULES = [f"R{i}" for i in range(1, 13)]
CM_PER_PT = 2.54 / 72


@dataclass(frozen=True)
class _Figure:
    """A table of the workbook to draw: its sheet, header row and last row, the columns of
    its figures, its categories' column, the chart's kind and title."""

    ws: Worksheet
    top: int
    last: int
    cols: tuple[int, int]
    categories: int
    kind: str
    title: str


CHART_COLS = 5  # the charts sheet's columns, each 15 wide: an A4 portrait page at 100 %


def _charts(wb: Any, config: Config, figures: list[_Figure]) -> None:
    """The sheet "Biểu đồ": each table's figures as a chart, one under the other, each as wide
    as the printed page and never split across two pages; horizontal bars (every category's
    name written out in full, never rotated) or, for the years, a line; the legend under the
    plot. A sheet of its own: no table header repeated over a chart."""
    drawn = [f for f in figures if f.last > f.top]
    if not drawn:
        return
    ws = wb.create_sheet(t("sheet.charts", VI))
    for c in range(1, CHART_COLS + 1):
        ws.column_dimensions[get_column_letter(c)].width = 15
    row = write_header(ws, letterhead(config), t("annual.charts_title", VI), CHART_COLS)
    layout_header(ws, CHART_COLS)
    fit_page(ws, CHART_COLS)
    room = page_height(ws) - sum(row_height(ws, r) for r in range(1, row))
    for f in drawn:
        count = f.last - f.top
        chart: BarChart | LineChart
        if f.kind == "bar":
            chart = BarChart()
            chart.type = "bar"  # horizontal: long names stay readable
            chart.gapWidth = 60
            chart.x_axis.scaling.orientation = "maxMin"  # the table's order, top to bottom
            height = 4.0 + 1.1 * count
        else:
            chart = LineChart()
            height = 8.0
        chart.title = f.title
        chart.legend.position = "b"
        chart.width = page_width_cm(ws)
        chart.height = min(max(height, 7.0), room * CM_PER_PT)
        data = Reference(f.ws, min_col=f.cols[0], max_col=f.cols[1], min_row=f.top, max_row=f.last)
        cats = Reference(f.ws, min_col=f.categories, min_row=f.top + 1, max_row=f.last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        values = [
            v
            for r in range(f.top + 1, f.last + 1)
            for c in range(f.cols[0], f.cols[1] + 1)
            if isinstance(v := f.ws.cell(r, c).value, int | float)
        ]
        chart.y_axis.majorUnit = max(1, math.ceil(max(values or [1]) / 10))  # whole numbers
        chart.y_axis.number_format = "0"
        chart.x_axis.delete = chart.y_axis.delete = False
        for series in chart.series:
            series.smooth = False
        ws.add_chart(chart, f"A{row + 1}")
        row = keep_chart(ws, row + 1, chart.height) + 1


def _title(code: str) -> str:
    """A finding's kind in words, without placeholders ("title.<code>" of the catalog)."""
    key = f"title.{code}"
    return t(key, VI) if key in catalog().ui else finding_title(code, VI)


def _reasons(figures: list[YearFigures], config: Config) -> tuple[list[list[Any]], list[int]]:
    """The rows of "Lý do không đạt": each rule of the plan, in words, with the dossiers that
    fail it (numbered, a heading), then the kinds of error under it ("- Tiêu chí dưới 90% điểm
    chuẩn") with the dossiers that have each; the errors of no rule (file, information) last.
    Returns the rows and the indexes of the rules' rows."""
    specs = catalog().codes
    rules = sorted({r for f in figures for r in f.by_rule}, key=lambda r: (r == NO_RULE, len(r), r))
    codes = sorted({c for f in figures for c in f.by_reason}, key=_title)
    rows: list[list[Any]] = []
    heads: list[int] = []
    for n, rule in enumerate(rules, start=1):
        heads.append(len(rows))
        said = rule_text(rule, config, VI) if rule != NO_RULE else t("rule.other", VI)
        rows.append(
            [n, said, *[f.by_rule.get(rule, 0) if f.has_dossiers else "—" for f in figures]]
        )
        for code in codes:
            spec = specs.get(code)
            if ((spec.rule if spec else None) or NO_RULE) != rule:
                continue
            rows.append(
                [
                    "",
                    t("annual.reason_item", VI, reason=_title(code)),
                    *[f.by_reason.get(code, 0) if f.has_dossiers else "—" for f in figures],
                ]
            )
    return rows, heads


def _sum(tallies: list[Tally]) -> list[int]:
    return [sum(getattr(x, a) for x in tallies) for a in ("dossiers", "valid", "recognized")]


def _tally_sheet(
    wb: Any,
    name: str,
    label: str,
    title: str,
    data: dict[str, list[int]],
    config: Config,
    width: int,
) -> _Figure:
    """A sheet of dossiers / valid / recognized per field or unit (drawn on the charts sheet)."""
    ws = wb.create_sheet(name)
    head = [
        t("col.no", VI),
        t(label, VI),
        t("annual.col_dossiers", VI),
        t("annual.col_valid", VI),
        t("annual.col_recognized", VI),
    ]
    top = write_header(ws, letterhead(config), t(title, VI), len(head))
    rows = [[i, key, *values] for i, (key, values) in enumerate(data.items(), start=1)]
    last = write_table(ws, top, head, rows, widths=[6, width, 12, 12, 14])
    write_signature(ws, last + 2, workbook_signer(config))
    return _Figure(ws, top, top + len(rows), (3, 5), 2, "bar", t(title, VI))


def write_results(figures: list[YearFigures], config: Config, path: Path) -> None:
    plan = config.plan
    phase = len(figures) > 1
    years = [f.year for f in figures]
    title = (
        t("annual.title_phase", VI, first=years[0], last=years[-1])
        if phase
        else t("annual.title_year", VI, year=years[0])
    )
    head = letterhead(config)
    signer = workbook_signer(config)
    wb = new_workbook(config, "results")
    ws = wb.active
    ws.title = t("sheet.summary", VI)
    headers = [t("annual.col_item", VI), *[str(y) for y in years]]
    if phase:
        headers.append(t("annual.col_total", VI))
    top = write_header(ws, head, title, max(len(headers), 4), subtitle=plan.title)
    rows: list[list[Any]] = []

    def line(label: str, values: list[Any]) -> None:
        total = sum(v for v in values if isinstance(v, int))
        rows.append([label, *values, *([total] if phase else [])])

    def dossier_line(key: str, attr: str) -> None:
        # "—" where the year has no ho-so/<year>/ folder: no data, not a real zero
        line(t(key, VI), [getattr(f, attr) if f.has_dossiers else "—" for f in figures])

    dossier_line("annual.received", "dossiers")
    dossier_line("annual.valid", "valid")
    dossier_line("annual.invalid", "invalid")
    dossier_line("annual.unreadable", "unreadable")
    dossier_line("annual.registered_late", "registered_late")
    dossier_line("annual.submitted_late", "submitted_late")
    for level in plan.levels:
        for kind in ("collective", "individual"):
            values = [f.recognitions.get(level.id, {}).get(kind, 0) for f in figures]
            line(
                t(
                    "annual.recognized",
                    VI,
                    level=level.called.lower(),
                    kind=t(f"kind.{kind}", VI).lower(),
                ),
                values,
            )
    last = write_table(ws, top, headers, rows, widths=[58, *[10] * (len(headers) - 1)])
    write_signature(ws, last + 2, signer)

    fields = {f.id: f.name for f in plan.fields}
    by_field = {
        f"{fid}) {name}": _sum([f.by_field[fid] for f in figures if fid in f.by_field])
        for fid, name in fields.items()
    }
    unknown = [f.by_field[UNKNOWN] for f in figures if UNKNOWN in f.by_field]
    if unknown:
        by_field[t("annual.unknown_field", VI)] = _sum(unknown)
    drawn = [
        _tally_sheet(
            wb, t("sheet.by_field", VI), "col.field", "annual.by_field", by_field, config, 34
        )
    ]
    by_unit = {
        (t("annual.unknown_unit", VI) if u == UNKNOWN else u): _sum([tally])
        for u, tally in units_now(config, figures).items()
    }
    drawn.append(
        _tally_sheet(wb, t("sheet.by_unit", VI), "col.unit", "annual.by_unit", by_unit, config, 40)
    )
    by_commune = {
        (t("annual.unknown_commune", VI) if c == UNKNOWN else c): _sum([tally])
        for c, tally in communes_now(config, figures).items()
    }
    drawn.append(
        _tally_sheet(
            wb,
            t("sheet.by_commune", VI),
            "col.commune",
            "annual.by_commune",
            by_commune,
            config,
            30,
        )
    )

    ws = wb.create_sheet(t("sheet.by_reason", VI))
    cols = [t("col.no", VI), t("annual.col_rule_reason", VI), *[str(y) for y in years]]
    top = write_header(ws, head, t("annual.by_rule", VI), len(cols))
    rows, heads = _reasons(figures, config)
    last = write_table(ws, top, cols, rows, widths=[6, 56, *[8] * len(years)])
    for r in heads:  # each rule a heading row, its reasons under it
        for c in range(1, len(cols) + 1):
            ws.cell(top + 1 + r, c).font = Font(name=FONT, size=12, bold=True)
    note = write_note(ws, last + 2, t("annual.by_rule_note", VI), len(cols), italic=True)
    write_signature(ws, note + 2, signer, above=note + 2 - last)

    if phase:
        ws = wb.create_sheet(t("sheet.by_year", VI))
        cols = [
            t("col.year", VI),
            t("annual.col_dossiers", VI),
            t("annual.col_valid", VI),
            t("annual.col_recognized_all", VI),
        ]
        top = write_header(ws, head, t("annual.trend", VI), len(cols))
        rows = [
            [
                str(f.year),
                # "—" where the year has no ho-so/<year>/ folder, as on the summary sheet
                f.dossiers if f.has_dossiers else "—",
                f.valid if f.has_dossiers else "—",
                sum(n for kinds in f.recognitions.values() for n in kinds.values()),
            ]
            for f in figures
        ]
        last = write_table(ws, top, cols, rows, widths=[10, 12, 12, 16])
        write_signature(ws, last + 2, signer)
        drawn.append(_Figure(ws, top, last, (2, 4), 1, "line", t("annual.trend", VI)))

    _charts(wb, config, drawn)
    write_provenance(wb, config, [i for f in figures for i in f.inputs])
    save_atomic(wb, path)
