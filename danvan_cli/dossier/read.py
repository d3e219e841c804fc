"""Reading a dossier's typed values from a `Layout`: values that cannot be read become
findings here; the plan's rules are checked in `validate.checks`."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from danvan_cli.config.load import Config
from danvan_cli.config.plan import Plan
from danvan_cli.config.rubric import KINDS, Kind, Rubric
from danvan_cli.dossier.model import Citation, Dossier, PaperMark, ScoreRow, Value
from danvan_cli.findings import Finding
from danvan_cli.i18n.catalog import Message, Term
from danvan_cli.read import parse
from danvan_cli.read.cells import CellError, cell_ref
from danvan_cli.read.grid import Grid
from danvan_cli.read.labels import InfoKey, labels
from danvan_cli.read.layout import InfoLabel, Layout, Spot

Parser = Callable[[Any], Any]


def _text(value: Any) -> str | None:
    text = parse.display(value)
    return text or None


def _benefit(value: Any) -> Decimal | None:
    money = parse.to_money(value)
    return money if money is not None and money > 0 else None


def parsers(config: Config) -> dict[InfoKey, Parser]:
    """How each typed info value is read (the others are text)."""
    plan = config.plan
    return {
        "year": parse.to_year,
        "kind": parse.kind_of,
        "field": lambda v: parse.field_of(v, plan),
        "level": lambda v: parse.level_of(v, plan),
        "registered_on": parse.to_date,
        "submitted_on": parse.to_date,
        "benefit": _benefit,
        "difficult": parse.flag_of,
        "wide_influence": parse.flag_of,
        "grassroots": parse.flag_of,
        "gender": parse.gender_of,
        "women_ratio": parse.percent_of,
    }


_EXPECTED: dict[InfoKey, str] = {
    "year": "year",
    "kind": "kind",
    "field": "field",
    "level": "level",
    "registered_on": "date",
    "submitted_on": "date",
    "benefit": "money",
    "difficult": "flag",
    "wide_influence": "flag",
    "grassroots": "flag",
    "gender": "gender",
    "women_ratio": "percent",
}


def _pick(found: InfoLabel, parser: Parser | None) -> Spot | None:
    """The value cell of a label: right of it, else below it (header-style layout)."""
    if found.right is not None and not found.right_is_label:
        return found.right
    if found.below is not None and not found.below.blank and not found.below_is_label:
        return found.below
    for spot in (found.right, found.below):  # a value that reads like a label ("Cấp cơ sở")
        if spot is not None and parser is not None and parser(spot.value) is not None:
            return spot
    return None


def _read_info(layout: Layout, config: Config, dossier: Dossier, out: list[Finding]) -> None:
    parse_of = parsers(config)
    read: dict[InfoKey, Any] = {}
    picks = {key: _pick(found, parse_of.get(key)) for key, found in layout.info.items()}
    # A cell taken as the value of one label ("Cấp đề nghị: | Cấp cơ sở") is not a label itself.
    taken = {(s.sheet, s.row, s.col) for s in picks.values() if s is not None}
    # A label missing altogether belongs on the sheet where the other labels are.
    info_sheet = next((f.label.sheet for f in layout.info.values()), None)
    for key, spec in labels().info.items():
        found = layout.info.get(key)
        if found is not None and (found.label.sheet, found.label.row, found.label.col) in taken:
            found = None
        parser = parse_of.get(key)
        spot = picks.get(key) if found else None
        if spot is None:
            if spec.required:
                where = found.slot if found else None
                out.append(
                    Finding(
                        "info.missing",
                        sheet=where.sheet if where else info_sheet,
                        cell=where.cell if where else None,
                        params={"label": spec.label},
                    )
                )
            continue
        value = parser(spot.value) if parser is not None else _text(spot.value)
        if value is None:
            if parser is not None:
                out.append(
                    Finding(
                        "info.invalid",
                        sheet=spot.sheet,
                        cell=spot.cell,
                        params={
                            "label": spec.label,
                            "value": parse.display(spot.value),
                            "expected": Term(_EXPECTED[key]),
                            "levels": [lv.name for lv in config.plan.levels],
                            "fields": config.plan.field_labels(),
                        },
                    )
                )
            continue
        read[key] = value
        setattr(dossier.info, key, value)
        dossier.cells[key] = (spot.sheet, spot.cell)
    _check_dates(dossier, out)
    for repeat in layout.repeats:
        first = read.get(repeat.key)
        spot = _pick(repeat, parse_of.get(repeat.key))
        if first is None or spot is None:
            continue
        parser = parse_of.get(repeat.key)
        other = parser(spot.value) if parser else _text(spot.value)
        if other is not None and other != first:
            sheet, cell = dossier.where(repeat.key)
            out.append(
                Finding(
                    "info.conflict",
                    sheet=spot.sheet,
                    cell=spot.cell,
                    params={
                        "label": labels().info[repeat.key].label,
                        "value": parse.display(spot.value),
                        "first": parse.display(first),
                        "first_cell": f"{sheet}!{cell}",
                    },
                )
            )


DATES: tuple[InfoKey, ...] = ("registered_on", "submitted_on")
SPAN = 1  # years a dossier's dates may stand from its year (registered in December before)


def _check_dates(dossier: Dossier, out: list[Finding]) -> None:
    """A date far from the dossier's year (a mistyped year, a formatted NaN read as
    30/12/1899) is an error, and not used for the deadlines."""
    year = dossier.info.year
    for key in DATES:
        date = getattr(dossier.info, key)
        if date is None:
            continue
        if _far(date, year):
            sheet, cell = dossier.where(key)
            out.append(
                Finding(
                    "info.date_implausible",
                    sheet=sheet,
                    cell=cell,
                    params={"label": labels().info[key].label, "date": date, "year": year or "?"},
                )
            )
            setattr(dossier.info, key, None)


def _far(date: dt.date, year: int | None) -> bool:
    """A date no dossier of `year` carries: before 2000, after 2100, or more than SPAN years
    from its year."""
    far = date.year < 2000 or date.year > 2100
    return far or (year is not None and abs(date.year - year) > SPAN)


def _infer_kind(layout: Layout, config: Config) -> Kind | None:
    """Which rubric the scoring table follows, from its maxima (used only if Loại is unreadable)."""
    if layout.table is None:
        return None
    sheet_max = {}
    for row in layout.table.rows:
        code = parse.to_code(row.number.value)
        number = parse.to_decimal(row.max.value) if row.max is not None else None
        if code is not None and number is not None:
            sheet_max[code] = number
    matches = [
        kind for kind in KINDS if sheet_max == {c.code: c.max for c in config.rubric(kind).criteria}
    ]
    return matches[0] if len(matches) == 1 else None


def _read_table(layout: Layout, rubric: Rubric, dossier: Dossier, out: list[Finding]) -> None:
    table = layout.table
    if table is None:
        return
    dossier.table_sheet = table.sheet
    header = table.header_row
    dossier.has_evidence_column = "evidence" in table.columns
    for key in ("criterion", "max", "evidence"):
        if key not in table.columns:
            out.append(
                Finding(
                    "evidence.column_missing" if key == "evidence" else "score.column_missing",
                    sheet=table.sheet,
                    cell=f"{header + 1}:{header + 1}",
                    params={"label": labels().table_labels[key]},
                )
            )
    for key, col in table.repeated.items():
        if key in ("max", "score"):
            out.append(
                Finding(
                    "score.column_repeated",
                    sheet=table.sheet,
                    cell=cell_ref(header, col),
                    params={
                        "label": labels().table_labels[key],
                        "first": cell_ref(header, table.columns[key]),
                    },
                )
            )
    if table.repeated.keys() & {"max", "score"}:
        return  # which column holds the real scores is unknown: never guess a number
    for spot in table.stray:
        out.append(
            Finding(
                "score.criterion_unknown",
                sheet=spot.sheet,
                cell=spot.cell,
                params={"number": parse.display(spot.value) or Message("term.blank")},
            )
        )
    seen: dict[str, Spot] = {}
    for row in table.rows:
        code = parse.to_code(row.number.value)
        if code is None:
            continue
        crit = rubric.criterion(code)
        if crit is None:
            out.append(
                Finding(
                    "score.criterion_unknown",
                    sheet=row.number.sheet,
                    cell=row.number.cell,
                    params={"number": parse.display(row.number.value)},
                )
            )
            continue
        if code in seen:
            out.append(
                Finding(
                    "score.criterion_repeated",
                    sheet=row.number.sheet,
                    cell=row.number.cell,
                    criterion=code,
                    params={"first_cell": seen[code].cell},
                )
            )
            continue
        seen[code] = row.number
        max_value = None
        if row.max is not None and not row.max.blank:
            sheet_max = parse.to_decimal(row.max.value)
            if sheet_max is not None:
                max_value = Value.at(row.max, sheet_max)
            if sheet_max != crit.max:
                out.append(
                    Finding(
                        "score.max_mismatch",
                        sheet=row.max.sheet,
                        cell=row.max.cell,
                        criterion=code,
                        params={"found": parse.display(row.max.value), "max": crit.max},
                    )
                )
        score = None
        where = {"sheet": row.score.sheet, "cell": row.score.cell, "criterion": code}
        if isinstance(row.score.value, CellError):
            out.append(
                Finding(
                    "score.formula_error",
                    **where,
                    params={"error": str(row.score.value), "max": crit.max},
                )
            )
        elif row.score.blank:
            out.append(Finding("score.missing", **where, params={"max": crit.max}))
        else:
            number = parse.to_decimal(row.score.value)
            if number is None:
                value = parse.display(row.score.value)
                out.append(Finding("score.not_number", **where, params={"value": value}))
            elif not 0 <= number <= crit.max:
                out.append(
                    Finding(
                        "score.out_of_range", **where, params={"value": number, "max": crit.max}
                    )
                )
            else:
                score = Value.at(row.score, number)
        evidence = None
        if row.evidence is not None and not row.evidence.blank:
            evidence = Value.at(row.evidence, parse.display(row.evidence.value))
        dossier.rows.append(
            ScoreRow(code, row.number, max_value, score, row.score, evidence, row.evidence)
        )
    for crit in rubric.criteria:
        if crit.code not in seen:
            out.append(
                Finding(
                    "score.criterion_missing",
                    sheet=table.sheet,
                    criterion=crit.code,
                    params={"max": crit.max},
                )
            )
    if table.total is not None and not table.total.blank:
        declared = parse.to_decimal(table.total.value)
        if declared is not None:
            dossier.declared_total = Value.at(table.total, declared)


def read_dossier(layout: Layout, config: Config) -> tuple[Dossier, list[Finding]]:
    out: list[Finding] = []
    dossier = Dossier()
    _read_info(layout, config, dossier, out)
    kind = dossier.info.kind or _infer_kind(layout, config)
    dossier.kind = kind
    if layout.table is None:
        out.append(Finding("score.table_missing"))
    elif kind is not None:
        _read_table(layout, config.rubric(kind), dossier, out)
    for extra in layout.extra_tables:
        out.append(
            Finding(
                "score.table_repeated",
                sheet=extra.sheet,
                cell=f"A{extra.header_row + 1}",
                params={"used": f"{layout.table.sheet}!A{layout.table.header_row + 1}"}
                if layout.table
                else {},
            )
        )
    if layout.papers is not None:
        header = layout.papers.header
        dossier.papers_sheet, dossier.papers_cell = header.sheet, header.cell
        for row in layout.papers.rows:
            mark = row.mark
            said = parse.paper_mark(mark.value) if mark is not None else False
            when = parse.mark_date(mark.value) if said and mark is not None else None
            if when is not None and _far(when, dossier.info.year):
                said = None  # dated 01/01/0001 or 2099: no paper of this dossier's year
            at = mark or row.slot
            label = parse.display(row.label.value)
            if said is None and mark is not None:
                out.append(
                    Finding(
                        "document.mark_unknown",
                        sheet=mark.sheet,
                        cell=mark.cell,
                        params={"mark": parse.display(mark.value), "paper": label},
                    )
                )
            text = sys.intern(str(row.label.value))  # the papers' names repeat in every dossier
            dossier.papers.append(PaperMark(text, said is True, at.sheet, at.cell))
    return dossier, out


_CITING: dict[int, tuple[re.Pattern[str], dict[str, str]]] = {}


def _citing(plan: Plan) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """One pattern for every text number the plan knows ("91/2017", "98/2023" …)."""
    if id(plan) not in _CITING:
        numbers: dict[str, str] = {}
        for text in plan.citing():
            m = re.match(r"\s*(\d{1,5}/\d{4})", text.number)
            if m:
                numbers[m.group(1)] = text.id
        if not numbers:
            return None
        alternatives = "|".join(re.escape(n) for n in sorted(numbers, key=len, reverse=True))
        _CITING[id(plan)] = (re.compile(rf"(?<![\d/])({alternatives})(?![\d])"), numbers)
    return _CITING.get(id(plan))


def find_citations(grids: list[Grid], plan: Plan) -> list[Citation]:
    """The cells that cite a legal text of the plan by its number."""
    found = _citing(plan)
    if found is None:
        return []
    pattern, numbers = found
    out = []
    for grid in grids:
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                if isinstance(value, str) and "/" in value:
                    for m in pattern.finditer(value):
                        out.append(Citation(numbers[m.group(1)], grid.name, cell_ref(r, c)))
    return out
