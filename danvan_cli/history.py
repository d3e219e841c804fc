"""Past years' recognitions: import from a workbook, export, show (so R5 works from year one).

Columns (DESIGN §5, tolerant header matching): Năm | Cấp | Loại | Tên | Đơn vị |
Số quyết định | Ngày quyết định.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from danvan_cli.award import NearMatcher
from danvan_cli.errors import DanvanError
from danvan_cli.i18n import t
from danvan_cli.labels import labels
from danvan_cli.parse import choice, display, to_date, to_year
from danvan_cli.register import Recognition, Register
from danvan_cli.rubric import KINDS, Config
from danvan_cli.textnorm import fold
from danvan_cli.workbook import FileProblem, Grid, cell_ref, read_grids
from danvan_cli.xlsx_doc import new_workbook, save_atomic, write_header, write_table

COLUMNS: dict[str, list[str]] = {
    "year": ["Năm", "Năm công nhận"],
    "level": ["Cấp", "Cấp công nhận", "Cấp khen thưởng"],
    "kind": ["Loại", "Đối tượng"],
    "name": ["Tên", "Tên tập thể, cá nhân", "Họ và tên", "Tên tập thể", "Tên cá nhân"],
    "unit": ["Đơn vị", "Cơ quan, đơn vị", "Đơn vị công tác"],
    "decision_no": ["Số quyết định", "Quyết định số", "Số QĐ"],
    "decision_date": ["Ngày quyết định", "Ngày QĐ", "Ngày ký"],
}
HEADERS = [v[0] for v in COLUMNS.values()]


class HistoryError(DanvanError):
    def __init__(self, key: str, lines: list[str] | None = None, **params: object) -> None:
        super().__init__(key, **params)
        self.lines = lines or []
        self.exit_code = 1 if lines else 2


@dataclass
class Row:
    where: str
    year: int
    level: str
    kind: str
    name: str
    unit: str
    decision_no: str
    decision_date: str


@dataclass
class ImportResult:
    added: int = 0
    same: int = 0
    conflicts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def find_header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    wanted = {key: {fold(x) for x in names} for key, names in COLUMNS.items()}
    for r, row in enumerate(grid.rows):
        found: dict[str, int] = {}
        for c, value in enumerate(row):
            key = fold(value) if isinstance(value, str) else ""
            for col, names in wanted.items():
                if key in names and col not in found:
                    found[col] = c
        if {"year", "level", "kind", "name", "unit", "decision_no"} <= set(found):
            return r, found
    return None


def read_rows(path: Path, config: Config) -> tuple[list[Row], list[str]]:
    try:
        grids = read_grids(path)
    except FileProblem as problem:
        raise HistoryError("history.unreadable", path=str(path), code=problem.code) from None
    levels = {lv.id: [lv.name, *lv.aliases] for lv in config.plan.levels}
    kinds: dict[str, list[str]] = {k: list(labels().values[k]) for k in KINDS}
    rows: list[Row] = []
    problems: list[str] = []
    for grid in grids:
        found = find_header(grid)
        if found is None:
            continue
        top, cols = found
        for r in range(top + 1, grid.height):
            raw = {k: grid.value(r, c) for k, c in cols.items()}
            if all(display(v) == "" for v in raw.values()):
                continue
            where = f"{grid.name}!{cell_ref(r, 0)}"
            year = to_year(raw["year"])
            level = choice(raw["level"], levels)
            kind = choice(raw["kind"], kinds)
            date = to_date(raw["decision_date"]) if display(raw.get("decision_date")) else None
            name, unit = display(raw["name"]), display(raw["unit"])
            checks = (
                ("year", "Năm", year is not None),
                ("level", "Cấp", level is not None),
                ("kind", "Loại", kind is not None),
                ("name", "Tên", bool(name)),
                ("unit", "Đơn vị", bool(unit)),
                (
                    "decision_date",
                    "Ngày quyết định",
                    date is not None or not display(raw.get("decision_date")),
                ),
            )
            bad = [
                f'{grid.name}!{cell_ref(r, cols[key])} ({label}: "{display(raw.get(key))}")'
                for key, label, ok in checks
                if not ok
            ]
            if bad:
                problems.extend(bad)
                continue
            rows.append(
                Row(
                    where,
                    year or 0,
                    level or "",
                    kind or "",
                    name,
                    unit,
                    display(raw.get("decision_no")),
                    date.isoformat() if date else "",
                )
            )
        break
    else:
        raise HistoryError("history.no_table", path=str(path), columns=" | ".join(HEADERS))
    return rows, problems


def import_history(register: Register, config: Config, path: Path) -> ImportResult:
    rows, problems = read_rows(path, config)
    if problems:
        raise HistoryError("history.bad_rows", lines=problems, path=str(path))
    result = ImportResult()
    identity = config.plan.identity()
    source = f"history:{path.name}"
    with register.transaction():
        for row in rows:
            key = identity.key(row.kind, row.name, row.unit)
            candidate, _ = register.candidate(row.kind, row.name, row.unit, key)
            outcome = register.add_recognition(
                candidate.id, row.year, row.level, row.decision_no, row.decision_date, source
            )
            if outcome == "added":  # the spelling of the latest decision is the one shown
                register.candidate(row.kind, row.name, row.unit, key, row.year)
            if outcome == "added":
                result.added += 1
            elif outcome == "same":
                result.same += 1
            else:
                result.conflicts.append(
                    f"{row.where}: {row.name} ({row.unit}) {row.year} — "
                    f"{config.plan.level(row.level).name.lower()}, {row.decision_no}"
                )
        near = NearMatcher(register.candidates(), identity)
        seen: set[str] = set()
        for row in rows:
            key = identity.key(row.kind, row.name, row.unit)
            if key in seen:
                continue
            seen.add(key)
            own = register.find_candidate(key)
            for c in near.matches(row.kind, row.name, row.unit, own.id if own else None):
                result.warnings.append(
                    f"{row.where}: {row.name} ({row.unit}) ~ {c.name} ({c.unit})"
                )
        if result.added:
            register.audit("history import", {"file": path.name}, {"added": result.added})
    return result


def _date_text(iso: str) -> Any:
    return dt.date.fromisoformat(iso) if iso else ""


def export_rows(recognitions: list[Recognition], config: Config) -> list[list[Any]]:
    names = {lv.id: lv.name for lv in config.plan.levels}
    kinds = {"collective": "Tập thể", "individual": "Cá nhân"}
    return [
        [
            r.year,
            names.get(r.level, r.level),
            kinds[r.candidate.kind],
            r.candidate.name,
            r.candidate.unit,
            r.decision_no,
            _date_text(r.decision_date),
        ]
        for r in recognitions
    ]


def export_history(register: Register, config: Config, path: Path, lang: str) -> int:
    rows = export_rows(register.recognitions(), config)
    wb = new_workbook(config)
    ws = wb.active
    ws.title = "Lịch sử công nhận"
    top = write_header(ws, config.plan.authority, t("history.title", lang), len(HEADERS), lang)
    write_table(
        ws, top, HEADERS, rows, widths=[8, 10, 10, 32, 32, 18, 14], number_format={7: "dd/mm/yyyy"}
    )
    save_atomic(wb, path)
    return len(rows)
