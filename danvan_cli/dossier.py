"""A dossier as typed values that remember their sheet and cell, read from a `Layout`.

Values that cannot be read become findings here; the plan's rules are checked in `checks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar

from danvan_cli import parse
from danvan_cli.findings import Finding
from danvan_cli.i18n import Term
from danvan_cli.labels import labels
from danvan_cli.layout import InfoLabel, Layout, Spot
from danvan_cli.rubric import KINDS, Config, Kind, Rubric
from danvan_cli.workbook import cell_ref

T = TypeVar("T")


@dataclass(frozen=True)
class Value(Generic[T]):
    value: T
    sheet: str
    cell: str

    @classmethod
    def at(cls, spot: Spot, value: T) -> Value[T]:
        return cls(value, spot.sheet, spot.cell)


@dataclass(frozen=True)
class Criterion:
    code: str
    number: Spot
    max: Value[Decimal] | None
    score: Value[Decimal] | None
    score_spot: Spot
    evidence: Value[str] | None
    evidence_spot: Spot | None


@dataclass
class Dossier:
    info: dict[str, Value[Any]] = field(default_factory=dict)
    kind: Kind | None = None
    criteria: list[Criterion] = field(default_factory=list)
    table_sheet: str | None = None
    has_evidence_column: bool = True
    declared_total: Value[Decimal] | None = None
    papers_sheet: str | None = None
    papers_cell: str | None = None
    paper_rows: list[tuple[Spot, Spot, bool]] = field(default_factory=list)  # label, slot, present?

    def get(self, key: str) -> Any:
        item = self.info.get(key)
        return None if item is None else item.value

    @property
    def scores(self) -> dict[str, Decimal]:
        return {c.code: c.score.value for c in self.criteria if c.score is not None}


def _text(value: Any) -> str | None:
    text = parse.display(value)
    return text or None


def _parsers(config: Config) -> dict[str, Any]:
    lab = labels()
    yes, no = lab.values["yes"], lab.values["no"]
    kinds: dict[str, list[str]] = {k: list(lab.values[k]) for k in KINDS}
    fields = {f.id: [f.name, *f.aliases] for f in config.plan.fields}
    levels = {lv.id: [lv.name, *lv.aliases] for lv in config.plan.levels}

    def flag(v: Any) -> bool | None:
        return parse.to_flag(v, yes, no)

    def benefit(v: Any) -> Decimal | None:
        money = parse.to_money(v)
        return money if money is not None and money > 0 else None

    return {
        "year": parse.to_year,
        "kind": lambda v: parse.choice(v, kinds),
        "field": lambda v: parse.choice(v, fields),
        "level": lambda v: parse.choice(v, levels),
        "registered_on": parse.to_date,
        "submitted_on": parse.to_date,
        "benefit": benefit,
        "difficult": flag,
        "wide_influence": flag,
        "grassroots": flag,
    }


_EXPECTED = {
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
}


def _pick(found: InfoLabel, parser: Any) -> Spot | None:
    """The value cell of a label: right of it, else below it (header-style layout)."""
    if found.right is not None and not found.right_is_label:
        return found.right
    if found.below is not None and not found.below.blank and not found.below_is_label:
        return found.below
    for spot in (found.right, found.below):  # a value that reads like a label ("Cấp cơ sở")
        if spot is not None and parser is not None and parser(spot.value) is not None:
            return spot
    return None


def _read_info(layout: Layout, config: Config, out: list[Finding]) -> dict[str, Value[Any]]:
    parsers = _parsers(config)
    info: dict[str, Value[Any]] = {}
    picks = {key: _pick(found, parsers.get(key)) for key, found in layout.info.items()}
    # A cell taken as the value of one label ("Cấp đề nghị: | Cấp cơ sở") is not a label itself.
    taken = {(s.sheet, s.row, s.col) for s in picks.values() if s is not None}
    # A label missing altogether belongs on the sheet where the other labels are.
    info_sheet = next((f.label.sheet for f in layout.info.values()), None)
    for key, spec in labels().info.items():
        found = layout.info.get(key)
        if found is not None and (found.label.sheet, found.label.row, found.label.col) in taken:
            found = None
        parser = parsers.get(key)
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
        if parser is None:
            text = _text(spot.value)
            if text:
                info[key] = Value.at(spot, text)
            continue
        value = parser(spot.value)
        if value is None:
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
                    },
                )
            )
            continue
        info[key] = Value.at(spot, value)
    for repeat in layout.repeats:
        first = info.get(repeat.key)
        spot = _pick(repeat, parsers.get(repeat.key))
        if first is None or spot is None:
            continue
        parser = parsers.get(repeat.key)
        other = parser(spot.value) if parser else _text(spot.value)
        if other is not None and other != first.value:
            out.append(
                Finding(
                    "info.conflict",
                    sheet=spot.sheet,
                    cell=spot.cell,
                    params={
                        "label": labels().info[repeat.key].label,
                        "value": parse.display(spot.value),
                        "first": parse.display(first.value),
                        "first_cell": f"{first.sheet}!{first.cell}",
                    },
                )
            )
    return info


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
                params={"number": parse.display(spot.value) or "(trống)"},
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
        if row.score.blank:
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
        dossier.criteria.append(
            Criterion(code, row.number, max_value, score, row.score, evidence, row.evidence)
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
    dossier.info = _read_info(layout, config, out)
    kind = dossier.get("kind") or _infer_kind(layout, config)
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
        lab = labels()
        header = layout.papers.header
        dossier.papers_sheet, dossier.papers_cell = header.sheet, header.cell
        for row in layout.papers.rows:
            mark = row.mark
            present = mark is not None and (
                parse.to_flag(mark.value, lab.values["yes"], lab.values["no"]) is not False
            )
            dossier.paper_rows.append((row.label, row.mark or row.slot, present))
    return dossier, out
