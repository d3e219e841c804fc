"""Finding the parts of a dossier in its worksheets: info labels, scoring table, papers.

Works on raw cell values only (no typing): the result says where each thing stands.
"""

from __future__ import annotations

import re
from typing import Any

from danvan_cli.read.cells import cell_ref, is_blank
from danvan_cli.read.grid import Grid
from danvan_cli.read.labels import InfoKey, Labels, TableKey, labels
from danvan_cli.read.parse import to_code
from danvan_cli.record import Record
from danvan_cli.text.normalize import fold


class Spot(Record):
    """A cell value and where it stands."""

    __slots__ = ("col", "row", "sheet", "value")

    def __init__(self, sheet: str, row: int, col: int, value: Any) -> None:
        self.sheet, self.row, self.col, self.value = sheet, row, col, value

    @property
    def cell(self) -> str:
        return cell_ref(self.row, self.col)

    @property
    def blank(self) -> bool:
        return is_blank(self.value)


class InfoLabel(Record):
    __slots__ = ("below", "below_is_label", "key", "label", "right", "right_is_label", "slot")

    def __init__(
        self,
        key: InfoKey,
        label: Spot,
        right: Spot | None,  # next non-empty cell to the right
        below: Spot | None,  # the cell under the label (header-style layout)
        right_is_label: bool,
        below_is_label: bool,
        slot: Spot,  # the cell just right of the label: where its value belongs
    ) -> None:
        self.key, self.label, self.right, self.below = key, label, right, below
        self.right_is_label, self.below_is_label, self.slot = right_is_label, below_is_label, slot


class CriterionRow(Record):
    __slots__ = ("evidence", "max", "number", "score", "text")

    def __init__(
        self, number: Spot, text: Spot | None, max: Spot | None, score: Spot, evidence: Spot | None
    ) -> None:
        self.number, self.text, self.max, self.score, self.evidence = (
            number,
            text,
            max,
            score,
            evidence,
        )


class ScoreTable(Record):
    __slots__ = ("columns", "end_row", "header_row", "repeated", "rows", "sheet", "stray", "total")

    def __init__(
        self,
        sheet: str,
        header_row: int,
        columns: dict[TableKey, int],
        repeated: dict[TableKey, int] | None = None,  # a second column with the same role
    ) -> None:
        self.sheet, self.header_row, self.columns = sheet, header_row, columns
        self.repeated = repeated if repeated is not None else {}
        self.rows: list[CriterionRow] = []
        self.stray: list[Spot] = []  # scored rows without a criterion number
        self.total: Spot | None = None
        self.end_row = 0


class PaperRow(Record):
    __slots__ = ("label", "mark", "slot")

    def __init__(self, label: Spot, mark: Spot | None, slot: Spot) -> None:
        self.label, self.mark = label, mark
        self.slot = slot  # the cell just right of the label: where its mark belongs


class PapersTable(Record):
    __slots__ = ("end_row", "header", "rows")

    def __init__(self, header: Spot) -> None:
        self.header = header
        self.rows: list[PaperRow] = []
        self.end_row = 0


class Layout(Record):
    __slots__ = ("extra_tables", "info", "papers", "repeats", "table")

    def __init__(self) -> None:
        self.info: dict[InfoKey, InfoLabel] = {}
        self.repeats: list[InfoLabel] = []
        self.table: ScoreTable | None = None
        self.extra_tables: list[ScoreTable] = []
        self.papers: PapersTable | None = None


LABEL_MAX = 80  # no label, header or total-row text is longer; long texts are never folded


def _folded(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > LABEL_MAX:
        return ""
    return fold(value)


def _find_header(grid: Grid, lab: Labels, start: int = 0) -> ScoreTable | None:
    def enough(cols: dict[TableKey, int]) -> bool:
        return "number" in cols and "score" in cols and len(cols) >= 3

    found = grid.header(lab.table, enough, start)
    if found is None:
        return None
    return ScoreTable(grid.name, found.row, found.columns, found.repeated)


def _read_table(grid: Grid, table: ScoreTable, lab: Labels) -> None:
    cols = table.columns
    score_col = cols["score"]

    def spot(r: int, key: TableKey) -> Spot | None:
        c = cols.get(key)
        return None if c is None else Spot(grid.name, r, c, grid.value(r, c))

    r = table.header_row + 1
    while r < grid.height:
        texts = grid.texts(r)
        if any(k in lab.total_row for c, k in texts if c < max(score_col, 1)):
            table.total = spot(r, "score")
            break
        if any(k in lab.papers_header for _, k in texts):
            r -= 1
            break
        number = spot(r, "number")
        score = spot(r, "score")
        max_spot = spot(r, "max")
        if number is None or score is None:  # both columns exist by construction
            break
        scored = not score.blank or (max_spot is not None and not max_spot.blank)
        if not number.blank and _is_code(number.value):
            table.rows.append(
                CriterionRow(number, spot(r, "criterion"), max_spot, score, spot(r, "evidence"))
            )
        elif scored:
            table.stray.append(number if not number.blank else score)
        r += 1
    table.end_row = min(r, grid.height - 1)


def _is_code(value: Any) -> bool:
    return to_code(value) is not None


def _skipped(skip: list[range]) -> set[int]:
    return {r for span in skip for r in span}


def _find_papers(grid: Grid, lab: Labels, skip: list[range]) -> PapersTable | None:
    skipped = _skipped(skip)
    for r in range(grid.height):
        if r in skipped:
            continue
        for c, key in grid.texts(r):
            if key in lab.papers_header:
                table = PapersTable(header=Spot(grid.name, r, c, grid.value(r, c)))
                _read_papers(grid, table, lab)
                return table
    return None


def _is_numbering(value: Any) -> bool:
    """A row number in front of a paper's name: 1, "1.", "a)", "-"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and _NUMBERING.fullmatch(value.strip()) is not None


# a row number once stripped (one pattern, no two runs of spaces side by side to split: a
# "1" and 20,000 spaces cost one scan, not its square)
_NUMBERING = re.compile(r"(?:\d{1,2}|[a-zđ])?\s*+[.)\-]?")


def _marked(grid: Grid, row: int, col: int, lab: Labels) -> bool:
    """A row whose next cell is a presence mark (x, Có, ✓) is a paper, even if its text reads
    like an info label ("Quyết định công nhận cấp cơ sở | x")."""
    _, end_col = grid.merged_end(row, col)
    right = _right_of(grid, row, end_col)
    return (
        right is not None
        and isinstance(right.value, str)
        and ((fold(right.value) or right.value.strip()) in lab.values["yes"])
    )


def _read_papers(grid: Grid, table: PapersTable, lab: Labels) -> None:
    """Rows under the papers header: the paper's name (in the header's column, or the first
    text right of a row number when the title stands over the numbers) and its mark. The
    list ends at its first blank row, at a row without a number when its papers are
    numbered, or where the info block or a table starts: a signature block or a note below
    it is never read as a paper."""
    blanks = 0
    numbered = False
    r = table.header.row + 1
    while r < grid.height and blanks < (1 if table.rows else 2):
        cells = grid.rows[r]
        c = table.header.col
        while c < len(cells) and (is_blank(cells[c]) or _is_numbering(cells[c])):
            c += 1
        value = grid.value(r, c)
        if is_blank(value):
            blanks += 1
            r += 1
            continue
        if lab.is_known(_folded(value)) and not _marked(grid, r, c, lab):
            break  # the info block or a table starts: the papers list is over
        number = any(not is_blank(v) and _is_numbering(v) for v in cells[: min(c, len(cells))])
        if numbered and not number:
            break  # the numbered list is over ("XÁC NHẬN CỦA THỦ TRƯỞNG…")
        numbered = numbered or (number and not table.rows)
        blanks = 0
        _, end_col = grid.merged_end(r, c)
        slot = Spot(grid.name, r, end_col + 1, grid.value(r, end_col + 1))
        table.rows.append(PaperRow(Spot(grid.name, r, c, value), _right_of(grid, r, end_col), slot))
        r += 1
    table.end_row = r - 1


def _right_of(grid: Grid, row: int, col: int) -> Spot | None:
    cells = grid.rows[row] if row < grid.height else []
    for c in range(col + 1, len(cells)):
        if not is_blank(cells[c]):
            return Spot(grid.name, row, c, cells[c])
    return None


def _find_info(grid: Grid, lab: Labels, skip: list[range], layout: Layout) -> None:
    skipped = _skipped(skip)
    info_by_fold = lab.info_by_fold
    for r in range(grid.height):
        texts = grid.texts(r)
        if not texts or r in skipped:
            continue
        for c, folded in texts:
            key = info_by_fold.get(folded)
            if key is None:
                continue
            value = grid.value(r, c)
            end_row, end_col = grid.merged_end(r, c)
            right = _right_of(grid, r, end_col)
            below_value = grid.value(end_row + 1, c)
            below = (
                Spot(grid.name, end_row + 1, c, below_value) if end_row + 1 < grid.height else None
            )
            found = InfoLabel(
                key=key,
                label=Spot(grid.name, r, c, value),
                right=right,
                below=below,
                right_is_label=right is not None and lab.is_known(_folded(right.value)),
                below_is_label=below is not None and lab.is_known(_folded(below.value)),
                slot=Spot(grid.name, r, end_col + 1, grid.value(r, end_col + 1)),
            )
            if key in layout.info:
                layout.repeats.append(found)
            else:
                layout.info[key] = found


def locate(grids: list[Grid]) -> Layout:
    lab = labels()
    layout = Layout()
    skips: dict[str, list[range]] = {g.name: [] for g in grids}
    for grid in grids:
        start = 0
        while (table := _find_header(grid, lab, start)) is not None:
            _read_table(grid, table, lab)
            if layout.table is None:
                layout.table = table
            else:
                layout.extra_tables.append(table)
            skips[grid.name].append(range(table.header_row, table.end_row + 1))
            start = table.end_row + 1
    for grid in grids:
        sheet_skips = skips[grid.name]
        papers = _find_papers(grid, lab, sheet_skips) if layout.papers is None else None
        if papers is not None:
            layout.papers = papers
            sheet_skips.append(range(papers.header.row, papers.end_row + 1))
    for grid in grids:
        _find_info(grid, lab, skips[grid.name], layout)
    return layout
