"""Reading a list of past recognitions (DESIGN §5): Năm | Cấp | Loại | Tên | Đơn vị |
Số quyết định | Ngày quyết định, headers matched like dossier labels, anywhere on a sheet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from danvan_cli.config.plan import Plan
from danvan_cli.config.rubric import Kind
from danvan_cli.errors import DanvanError
from danvan_cli.read.cells import cell_ref
from danvan_cli.read.gate import FileProblem
from danvan_cli.read.grid import read_grids
from danvan_cli.read.labels import HistoryKey, labels
from danvan_cli.read.parse import display, kind_of, level_of, to_date, to_year
from danvan_cli.read.recognise import history_header


@dataclass(frozen=True)
class HistoryRow:
    where: str  # sheet!cell of the row
    year: int
    level: str
    kind: Kind
    name: str
    unit: str
    decision_no: str | None
    decision_date: dt.date | None


def read_history(path: Path, plan: Plan) -> tuple[list[HistoryRow], list[str]]:
    """The rows of the first sheet with a history header, and the cells that cannot be read
    ("sheet!cell (label: "value")"). Raises a DanvanError when there is no such sheet."""
    try:
        grids = read_grids(path)
    except FileProblem as problem:
        raise DanvanError("history.unreadable", path=str(path), code=problem.code) from None
    heads = labels().history_labels
    for grid in grids:
        found = history_header(grid)
        if found is None:
            continue
        top, cols = found
        rows: list[HistoryRow] = []
        problems: list[str] = []
        for r in range(top + 1, grid.height):
            raw = {k: grid.value(r, c) for k, c in cols.items()}
            if all(display(v) == "" for v in raw.values()):
                continue
            date_text = display(raw.get("decision_date"))
            year = to_year(raw["year"])
            level = level_of(raw["level"], plan)
            kind = kind_of(raw["kind"])
            date = to_date(raw["decision_date"]) if date_text else None
            name, unit = display(raw["name"]), display(raw["unit"])
            checks: dict[HistoryKey, bool] = {
                "year": year is not None,
                "level": level is not None,
                "kind": kind is not None,
                "name": bool(name),
                "unit": bool(unit),
                "decision_date": date is not None or not date_text,
            }
            bad = [
                f'{grid.name}!{cell_ref(r, cols[key])} ({heads[key]}: "{display(raw.get(key))}")'
                for key, ok in checks.items()
                if not ok
            ]
            if bad or year is None or level is None or kind is None:
                problems.extend(bad)
                continue
            number = display(raw.get("decision_no"))
            rows.append(
                HistoryRow(
                    f"{grid.name}!{cell_ref(r, 0)}",
                    year,
                    level,
                    kind,
                    name,
                    unit,
                    number or None,
                    date,
                )
            )
        return rows, problems
    columns = " | ".join(heads.values())
    raise DanvanError("history.no_table", path=str(path), columns=columns)
