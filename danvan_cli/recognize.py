"""Reading the council's decisions back from a ranking workbook into the register.

Rows are found by the dossier's SHA-256, not by position, so re-sorted rows, hidden
columns and edited cells do no harm; a workbook whose inputs changed since it was made is
refused, and so are more "Đồng ý" than the quota unless the override is given with a reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from danvan_cli.errors import DanvanError
from danvan_cli.parse import display, to_year
from danvan_cli.rank_xlsx import (
    COUNCIL,
    FILES_HEADER,
    INPUT_KEYS,
    INPUTS_SHEET,
    KIND_SHEETS,
    NO,
    SHA_COLUMN,
    YES,
)
from danvan_cli.register import Register
from danvan_cli.rubric import Config, Level
from danvan_cli.textnorm import fold
from danvan_cli.validate import discover, sha256_of
from danvan_cli.workbook import FileProblem, Grid, cell_ref, is_blank, read_grids
from danvan_cli.workspace import Workspace

AD_HOC = "ad-hoc:"  # the source of a recognition awarded ad hoc (R11)


class RecognizeError(DanvanError):
    """The workbook cannot be used (exit 2), or a rule refuses it (exit 1)."""

    def __init__(
        self, key: str, lines: list[str] | None = None, exit_code: int = 2, **params: object
    ) -> None:
        super().__init__(key, **params)
        self.lines = lines or []
        self.exit_code = exit_code


@dataclass
class Decision:
    kind: str
    sha256: str
    where: str  # sheet!cell of the council's mark


@dataclass
class Outcome:
    year: int
    level: Level
    added: list[tuple[str, str, str]] = field(default_factory=list)  # kind, name, unit
    already: list[tuple[str, str, str]] = field(default_factory=list)
    conflicts: list[tuple[str, str, str, str]] = field(default_factory=list)  # + existing decision


def _inputs(grid: Grid) -> tuple[int | None, str | None, dict[str, str]]:
    year = level = None
    files: dict[str, str] = {}
    in_files = False
    for row in grid.rows:
        first = display(row[0]) if row else ""
        second = display(row[1]) if len(row) > 1 else ""
        if (first, second) == FILES_HEADER:
            in_files = True
            continue
        if in_files and first:
            files[first] = second
        elif first == INPUT_KEYS["year"]:
            year = to_year(row[1])
        elif first == INPUT_KEYS["level"]:
            level = second
    return year, level, files


def _header(grid: Grid, *labels: str) -> tuple[int, tuple[int, ...]] | None:
    """The first row holding every label, and each label's column; None if no row does."""
    wanted = [fold(label) for label in labels]
    for r, row in enumerate(grid.rows):
        folded = [fold(v) if isinstance(v, str) else "" for v in row]
        if all(w in folded for w in wanted):
            return r, tuple(folded.index(w) for w in wanted)
    return None


def _decisions(grid: Grid, kind: str) -> tuple[list[Decision], list[str]]:
    yes, no = fold(YES), fold(NO)
    header = _header(grid, COUNCIL, SHA_COLUMN)
    if header is None:
        raise RecognizeError(
            "recognize.no_columns", sheet=grid.name, council=COUNCIL, sha=SHA_COLUMN
        )
    r0, (c_col, s_col) = header
    out, bad = [], []
    marks: dict[str, tuple[str, str]] = {}  # sha -> (mark, where)
    for r in range(r0 + 1, grid.height):
        mark = grid.value(r, c_col)
        sha = display(grid.value(r, s_col)).lower()
        if is_blank(mark):
            continue
        key = fold(str(mark))
        where = f"{grid.name}!{cell_ref(r, c_col)}"
        if sha in marks:  # a row copied: one mark only per dossier
            if marks[sha][0] != key:
                bad.append(f'{where}: "{display(mark)}" ≠ {marks[sha][1]}')
            continue
        marks[sha] = (key, where)
        if key == no:
            continue
        if key != yes:
            bad.append(f'{where}: "{display(mark)}"')
            continue
        out.append(Decision(kind, sha, where))
    return out, bad


def read_decisions(path: Path) -> tuple[int, str, dict[str, str], list[Decision]]:
    try:
        grids = {g.name: g for g in read_grids(path)}
    except FileProblem as problem:
        raise RecognizeError("recognize.unreadable", path=str(path), code=problem.code) from None
    if INPUTS_SHEET not in grids:
        raise RecognizeError("recognize.not_ranking", path=str(path))
    year, level, files = _inputs(grids[INPUTS_SHEET])
    if year is None or not level:
        raise RecognizeError("recognize.not_ranking", path=str(path))
    decisions: list[Decision] = []
    problems: list[str] = []
    for kind, sheet in KIND_SHEETS.items():
        if sheet not in grids:
            continue
        found, bad = _decisions(grids[sheet], kind)
        decisions += found
        problems += bad
    if problems:
        raise RecognizeError("recognize.bad_marks", lines=problems, yes=YES, no=NO)
    return year, level, files, decisions


def checked_decisions(
    ws: Workspace, config: Config, workbook: Path
) -> tuple[int, Level, dict[str, str], list[Decision]]:
    """The council's "Đồng ý" rows of a ranking workbook whose inputs are unchanged."""
    year, level_id, recorded, decisions = read_decisions(workbook)
    if level_id not in {lv.id for lv in config.plan.levels}:
        raise RecognizeError("recognize.not_ranking", path=str(workbook))
    folder = ws.dossiers(year)
    current = (
        {ws.relative(p): sha256_of(p) for p in discover([folder], outputs=False)}
        if folder.is_dir()
        else {}
    )
    if current != recorded:
        lines = [f"- {p}" for p in sorted(set(recorded) - set(current))]
        lines += [f"+ {p}" for p in sorted(set(current) - set(recorded))]
        lines += [
            f"* {p}" for p in sorted(set(current) & set(recorded)) if current[p] != recorded[p]
        ]
        raise RecognizeError("recognize.stale", lines=lines, path=str(workbook), year=year)
    return year, config.plan.level(level_id), recorded, decisions


def _same_candidate(register: Register, rec: Any, shas: set[str]) -> bool:
    """Whether a recorded recognition belongs to a candidate marked again in this workbook."""
    rows = register.conn.execute(
        "SELECT sha256 FROM dossiers WHERE candidate_id = ?", (rec.candidate.id,)
    )
    return any(r[0] in shas for r in rows)


def recognize(
    ws: Workspace,
    config: Config,
    register: Register,
    workbook: Path,
    decision_no: str,
    decision_date: dt.date,
    allow_over_quota: bool = False,
    reason: str = "",
    ad_hoc: bool = False,
) -> tuple[Outcome, bool]:
    """Record the council's "Đồng ý" rows. `ad_hoc`: an ad-hoc (đột xuất) award, outside the
    quota when the plan says so (R11)."""
    year, level, recorded, decisions = checked_decisions(ws, config, workbook)
    known = set(recorded.values())
    outside = ad_hoc and config.plan.ad_hoc_outside_quota
    counts: dict[str, int] = {}
    for d in decisions:
        if d.sha256 not in known:
            raise RecognizeError("recognize.unknown_row", where=d.where)
        if not outside:
            counts[d.kind] = counts.get(d.kind, 0) + 1
    # The quota is for the year and level, whatever number of decisions records it.
    new_shas = {d.sha256 for d in decisions}
    for rec in register.recognitions():
        if (
            rec.year == year
            and rec.level == level.id
            and not (config.plan.ad_hoc_outside_quota and rec.source.startswith(AD_HOC))
            and not _same_candidate(register, rec, new_shas)
        ):
            counts[rec.candidate.kind] = counts.get(rec.candidate.kind, 0) + 1
    quota: dict[str, int] = {str(k): v for k, v in (level.quota or {}).items()}
    over = {k: n for k, n in counts.items() if k in quota and n > quota[k]}
    if over and not allow_over_quota:
        lines = [f"{KIND_SHEETS[k]}: {n} > {quota[k]}" for k, n in over.items()]
        raise RecognizeError("recognize.over_quota", lines=lines, exit_code=1)
    outcome = Outcome(year=year, level=level)
    source = f"{AD_HOC if ad_hoc else 'recognize:'}{workbook.name}"
    with register.transaction() as db:
        for d in decisions:
            row = db.execute(
                "SELECT c.id, c.kind, c.name, c.unit FROM dossiers d JOIN candidates c "
                "ON c.id = d.candidate_id WHERE d.sha256 = ?",
                (d.sha256,),
            ).fetchone()
            if row is None:
                raise RecognizeError("recognize.unknown_row", where=d.where)
            cid, kind, name, unit = row
            result = register.add_recognition(
                cid, year, level.id, decision_no, decision_date.isoformat(), source
            )
            who = (kind, name, unit)
            if result == "added":
                outcome.added.append(who)
            elif result == "same":
                outcome.already.append(who)
            else:
                old = [
                    r for r in register.recognitions(cid) if r.year == year and r.level == level.id
                ]
                outcome.conflicts.append((*who, old[0].decision_no if old else ""))
        if outcome.added:
            inputs: dict[str, Any] = {"workbook": workbook.name, "sha256": sha256_of(workbook)}
            register.audit(
                "recognize",
                inputs,
                {
                    "added": [list(w) for w in outcome.added],
                    "decision": decision_no,
                    "date": decision_date.isoformat(),
                    "ad_hoc": ad_hoc,
                    "over_quota": bool(over),
                },
                note=reason if over else "",
            )
    return outcome, bool(outcome.added)


def has_decisions(path: Path) -> bool:
    """Whether a ranking workbook already holds any mark in the council's column."""
    try:
        grids = read_grids(path)
    except FileProblem:
        return False
    for grid in grids:
        header = _header(grid, COUNCIL)
        if header is not None:
            r0, (col,) = header
            if any(not is_blank(grid.value(r, col)) for r in range(r0 + 1, grid.height)):
                return True
    return False
