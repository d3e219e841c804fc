"""The council-sheet contract: how a ranking workbook names its sheets and columns, and how
the council's decisions ("Đồng ý" / "Không") are read back from it.

Rows are found by the dossier's SHA-256, not by position, so re-sorted rows, hidden columns
and edited cells do no harm; a workbook whose inputs changed since it was made is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from danvan_cli.config.load import Config
from danvan_cli.config.plan import Level
from danvan_cli.config.rubric import KINDS, Kind
from danvan_cli.config.workspace import Workspace
from danvan_cli.errors import DanvanError, Line
from danvan_cli.i18n.catalog import Message, t
from danvan_cli.read.cells import cell_ref, is_blank
from danvan_cli.read.gate import FileProblem
from danvan_cli.read.grid import Grid, read_grids
from danvan_cli.read.labels import labels
from danvan_cli.read.parse import display, to_year
from danvan_cli.register.store import Proposed, Register
from danvan_cli.text.normalize import fold, slug
from danvan_cli.validate.run import discover, sha256_of


def _contract(key: str) -> str:
    """A name of the workbook's contract (the catalog's `council.*`): never in the language
    of --lang, since the workbook is read back whatever language made it."""
    return t(f"council.{key}", "vi")


# The sheets and columns `rank` writes and `recognize` reads (always in Vietnamese).
KIND_SHEETS: dict[Kind, str] = {k: labels().words[k] for k in KINDS}
# The kind in a file name: Vietnamese like every file name (tong-hop-…-ca-nhan.xlsx).
KIND_FILES: dict[Kind, str] = {k: slug(name) for k, name in KIND_SHEETS.items()}
EXCLUDED_SHEET = _contract("sheet_excluded")
INPUTS_SHEET = _contract("sheet_inputs")
COUNCIL = _contract("column")
SHA_COLUMN = _contract("sha_column")
YES, NO = _contract("yes"), _contract("no")
INPUT_KEYS = {k: _contract(f"input_{k}") for k in ("year", "level", "version")}
FILES_HEADER = (_contract("files_file"), _contract("files_sha"))


@dataclass(frozen=True)
class Decision:
    kind: Kind
    sha256: str
    where: str  # sheet!cell of the council's mark


@dataclass(frozen=True)
class CouncilSheet:
    """A ranking workbook's year, level and input files, the council's "Đồng ý" rows and its
    "Không" rows (a row left blank is neither: the council did not vote on it)."""

    year: int
    level: Level
    inputs: dict[str, str]  # path -> sha256, as recorded when the workbook was made
    decisions: list[Decision]
    refused: list[Decision] = field(default_factory=list)

    def votes(self) -> dict[str, str]:
        """Each marked dossier's mark (Đồng ý / Không) by its SHA-256; blank rows absent."""
        return {d.sha256: NO for d in self.refused} | {d.sha256: YES for d in self.decisions}


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
    wanted = {label: frozenset({fold(label)}) for label in labels}
    found = grid.header(wanted, lambda cols: len(cols) == len(wanted))
    return (found.row, tuple(found.columns[label] for label in labels)) if found else None


def _decisions(grid: Grid, kind: Kind) -> tuple[list[Decision], list[Decision], list[str]]:
    """The sheet's "Đồng ý" rows, its "Không" rows, and the marks that are neither."""
    yes, no = fold(YES), fold(NO)
    header = _header(grid, COUNCIL, SHA_COLUMN)
    if header is None:
        raise DanvanError("recognize.no_columns", sheet=grid.name, council=COUNCIL, sha=SHA_COLUMN)
    r0, (c_col, s_col) = header
    out, refused, bad = [], [], []
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
            refused.append(Decision(kind, sha, where))
            continue
        if key != yes:
            bad.append(f'{where}: "{display(mark)}"')
            continue
        out.append(Decision(kind, sha, where))
    return out, refused, bad


def _sheets(path: Path) -> dict[str, Grid]:
    """The workbook's sheets by the name the contract gives them: names compared folded (a
    name retyped in NFD or other case is the same sheet); two sheets of one such name (a
    hidden twin) make the workbook unusable, never one of them silently chosen."""
    try:
        grids = read_grids(path)
    except FileProblem as problem:
        raise DanvanError("recognize.unreadable", path=str(path), code=problem.code) from None
    by_name: dict[str, list[Grid]] = {}
    for g in grids:
        by_name.setdefault(fold(g.name), []).append(g)
    twins = [" / ".join(g.name for g in group) for group in by_name.values() if len(group) > 1]
    if twins:
        raise DanvanError("recognize.twin_sheets", lines=twins, path=str(path))
    return {
        name: by_name[fold(name)][0]
        for name in (INPUTS_SHEET, *KIND_SHEETS.values())
        if fold(name) in by_name
    }


def _read(path: Path) -> tuple[int, str, dict[str, str], list[Decision], list[Decision]]:
    grids = _sheets(path)
    if INPUTS_SHEET not in grids:
        raise DanvanError("recognize.not_ranking", path=str(path))
    year, level, files = _inputs(grids[INPUTS_SHEET])
    if year is None or not level:
        raise DanvanError("recognize.not_ranking", path=str(path))
    missing = [sheet for sheet in KIND_SHEETS.values() if sheet not in grids]
    if missing:  # a ranking always has both: a deleted sheet is no "no decision"
        raise DanvanError("recognize.sheet_missing", lines=missing, path=str(path))
    decisions: list[Decision] = []
    refused: list[Decision] = []
    problems: list[str] = []
    for kind, sheet in KIND_SHEETS.items():
        found, no, bad = _decisions(grids[sheet], kind)
        decisions += found
        refused += no
        problems += bad
    if problems:
        raise DanvanError("recognize.bad_marks", lines=problems, yes=YES, no=NO)
    return year, level, files, decisions, refused


def read_council_sheet(ws: Workspace, config: Config, workbook: Path) -> CouncilSheet:
    """The council's "Đồng ý" rows of a ranking workbook whose inputs are unchanged."""
    year, level_id, recorded, decisions, refused = _read(workbook)
    if level_id not in {lv.id for lv in config.plan.levels}:
        raise DanvanError("recognize.not_ranking", path=str(workbook))
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
        raise DanvanError("recognize.stale", lines=lines, path=str(workbook), year=year)
    return CouncilSheet(year, config.plan.level(level_id), recorded, decisions, refused)


def plan_digest(config: Config) -> str:
    """One digest of the plan and rubric files a ranking was made under."""
    text = "\n".join(f"{name}\t{sha}" for name, sha in sorted(config.sources.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def inputs_digest(inputs: dict[str, str]) -> str:
    """One digest of a year's input files (path → SHA-256), as a ranking lists them."""
    text = "\n".join(f"{path}\t{sha}" for path, sha in sorted(inputs.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def proposed_entries(members: list[tuple[str, Kind | None, str]]) -> dict[str, Proposed]:
    """What a ranking records of its dossiers: (SHA-256, kind, status) → by SHA-256; a file
    with no digest (refused by its size) is never one the council can pick."""
    out: dict[str, Proposed] = {}
    for sha, kind, status in members:
        if sha and sha not in out:
            out[sha] = Proposed(kind, status)
    return out


def verified(register: Register, config: Config, sheet: CouncilSheet, path: Path) -> list[Decision]:
    """The council's "Đồng ý" rows, each checked against what `rank` recorded for these
    inputs, this year, level and plan: only a dossier it listed as eligible, on the sheet of
    the kind it recorded. A workbook edited to say otherwise (a pasted SHA-256, another level
    or year on its inputs sheet, rows moved between sheets) is refused, naming the rows."""
    proposal = register.proposal(
        sheet.year, sheet.level.id, plan_digest(config), inputs_digest(sheet.inputs)
    )
    if proposal is None:
        raise DanvanError(
            "recognize.no_proposal",
            path=str(path),
            year=sheet.year,
            level=sheet.level.called.lower(),
        )
    bad: list[Line] = []
    for d in sheet.decisions:
        entry = proposal.get(d.sha256)
        if entry is None:
            bad.append(Message("recognize.row_not_proposed", {"where": d.where}))
        elif entry.status == "ineligible":
            bad.append(Message("recognize.row_ineligible", {"where": d.where}))
        elif entry.kind != d.kind:
            sheet_name = KIND_SHEETS.get(entry.kind, "?") if entry.kind else "?"
            bad.append(
                Message("recognize.row_wrong_sheet", {"where": d.where, "sheet": sheet_name})
            )
    if bad:
        raise DanvanError("recognize.forged", lines=bad, path=str(path))
    return list(sheet.decisions)


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
