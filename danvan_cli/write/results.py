"""The annual and phase results workbooks, with charts (openpyxl charts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference
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
    new_workbook,
    save_atomic,
    workbook_signer,
    write_header,
    write_provenance,
    write_signature,
    write_table,
)

RULES = [f"R{i}" for i in range(1, 13)]


def _chart(
    ws: Worksheet, kind: str, title: str, top: int, last: int, cols: tuple[int, int], anchor: str
) -> None:
    chart = BarChart() if kind == "bar" else LineChart()
    chart.title = title
    chart.height, chart.width = 9, 18
    data = Reference(ws, min_col=cols[0], max_col=cols[1], min_row=top, max_row=last)
    cats = Reference(ws, min_col=1 if kind == "line" else 2, min_row=top + 1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.y_axis.majorUnit = 1  # counts of dossiers: whole numbers
    chart.y_axis.number_format = "0"
    for series in chart.series:
        series.smooth = False
    ws.add_chart(chart, anchor)


def _title(code: str, lang: str) -> str:
    """A finding's kind in words, without placeholders ("title.<code>" of the catalog)."""
    key = f"title.{code}"
    return t(key, lang) if key in catalog().ui else finding_title(code, lang)


def _sum(tallies: list[Tally]) -> list[int]:
    return [sum(getattr(x, a) for x in tallies) for a in ("dossiers", "valid", "recognized")]


def _tally_sheet(
    wb: Any,
    name: str,
    label: str,
    title: str,
    data: dict[str, list[int]],
    config: Config,
    lang: str,
    width: int,
) -> None:
    """A sheet of dossiers / valid / recognized per field or unit, with its bar chart."""
    plan = config.plan
    ws = wb.create_sheet(name)
    head = [
        t("col.no", lang),
        t(label, lang),
        t("annual.col_dossiers", lang),
        t("annual.col_valid", lang),
        t("annual.col_recognized", lang),
    ]
    top = write_header(ws, plan.authority, t(title, lang), len(head), lang)
    rows = [[i, key, *values] for i, (key, values) in enumerate(data.items(), start=1)]
    last = write_table(ws, top, head, rows, widths=[6, width, 12, 12, 14])
    end = write_signature(ws, last + 2, workbook_signer(config), lang)
    if rows:  # under the table and its signature
        _chart(ws, "bar", t(title, lang), top, last, (3, 5), f"B{end + 2}")


def write_results(figures: list[YearFigures], config: Config, path: Path, lang: str) -> None:
    plan = config.plan
    phase = len(figures) > 1
    years = [f.year for f in figures]
    title = (
        t("annual.title_phase", lang, first=years[0], last=years[-1])
        if phase
        else t("annual.title_year", lang, year=years[0])
    )
    wb = new_workbook(config, "results")
    ws = wb.active
    ws.title = t("sheet.summary", lang)
    headers = [t("annual.col_item", lang), *[str(y) for y in years]]
    if phase:
        headers.append(t("annual.col_total", lang))
    top = write_header(ws, plan.authority, title, max(len(headers), 4), lang, subtitle=plan.title)
    rows: list[list[Any]] = []

    def line(label: str, values: list[Any]) -> None:
        total = sum(v for v in values if isinstance(v, int))
        rows.append([label, *values, *([total] if phase else [])])

    def dossier_line(key: str, attr: str) -> None:
        # "—" where the year has no ho-so/<year>/ folder: no data, not a real zero
        line(t(key, lang), [getattr(f, attr) if f.has_dossiers else "—" for f in figures])

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
                    lang,
                    level=level.called.lower(),
                    kind=t(f"kind.{kind}", lang).lower(),
                ),
                values,
            )
    last = write_table(ws, top, headers, rows, widths=[58, *[10] * (len(headers) - 1)])
    write_signature(ws, last + 2, workbook_signer(config), lang)

    fields = {f.id: f.name for f in plan.fields}
    by_field = {
        f"{fid}) {name}": _sum([f.by_field[fid] for f in figures if fid in f.by_field])
        for fid, name in fields.items()
    }
    unknown = [f.by_field[UNKNOWN] for f in figures if UNKNOWN in f.by_field]
    if unknown:
        by_field[t("annual.unknown_field", lang)] = _sum(unknown)
    _tally_sheet(
        wb, t("sheet.by_field", lang), "col.field", "annual.by_field", by_field, config, lang, 34
    )
    by_unit = {
        (t("annual.unknown_unit", lang) if u == UNKNOWN else u): _sum([tally])
        for u, tally in units_now(config, figures).items()
    }
    _tally_sheet(
        wb, t("sheet.by_unit", lang), "col.unit", "annual.by_unit", by_unit, config, lang, 40
    )
    by_commune = {
        (t("annual.unknown_commune", lang) if c == UNKNOWN else c): _sum([tally])
        for c, tally in communes_now(config, figures).items()
    }
    _tally_sheet(
        wb,
        t("sheet.by_commune", lang),
        "col.commune",
        "annual.by_commune",
        by_commune,
        config,
        lang,
        30,
    )

    ws = wb.create_sheet(t("sheet.by_reason", lang))
    head = [t("col.rule", lang), t("annual.col_rule_text", lang), *[str(y) for y in years]]
    top = write_header(ws, plan.authority, t("annual.by_rule", lang), len(head), lang)
    rules = sorted({r for f in figures for r in f.by_rule}, key=lambda r: (r == NO_RULE, len(r), r))
    rows = [
        [
            r,
            rule_text(r, config, lang) if r != NO_RULE else t("rule.other", lang),
            *[f.by_rule.get(r, 0) if f.has_dossiers else "—" for f in figures],
        ]
        for r in rules
    ]
    codes = sorted({c for f in figures for c in f.by_reason})
    rows += [
        [
            "",  # the finding's kind in words: its code is for machines (JSON)
            _title(c, lang),
            *[f.by_reason.get(c, 0) if f.has_dossiers else "—" for f in figures],
        ]
        for c in codes
    ]
    last = write_table(ws, top, head, rows, widths=[10, 60, *[8] * len(years)])
    write_signature(ws, last + 2, workbook_signer(config), lang)

    if phase:
        ws = wb.create_sheet(t("sheet.by_year", lang))
        head = [
            t("col.year", lang),
            t("annual.col_dossiers", lang),
            t("annual.col_valid", lang),
            t("annual.col_recognized_all", lang),
        ]
        top = write_header(ws, plan.authority, t("annual.trend", lang), len(head), lang)
        rows = [
            [
                str(f.year),
                f.dossiers,
                f.valid,
                sum(n for kinds in f.recognitions.values() for n in kinds.values()),
            ]
            for f in figures
        ]
        last = write_table(ws, top, head, rows, widths=[10, 12, 12, 16])
        end = write_signature(ws, last + 2, workbook_signer(config), lang)
        _chart(ws, "line", t("annual.trend", lang), top, last, (2, 4), f"B{end + 2}")

    write_provenance(wb, config, [i for f in figures for i in f.inputs], lang)
    save_atomic(wb, path)
