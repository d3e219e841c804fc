"""A dossier as typed values: what its candidate says (`DossierInfo`), and for checking it,
where each value stands (sheet and cell)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Generic, Literal, TypeVar

from danvan_cli.config.plan import Flag
from danvan_cli.config.rubric import Kind
from danvan_cli.read.cells import cell_ref
from danvan_cli.read.labels import InfoKey
from danvan_cli.read.layout import Spot
from danvan_cli.record import Record

T = TypeVar("T")
Gender = Literal["female", "male"]


_INFO = (
    "year",
    "kind",
    "name",
    "position",
    "unit",
    "model",
    "field",
    "period",
    "registered_on",
    "submitted_on",
    "level",
    "benefit",
    "lower_decision",
    "difficult",
    "wide_influence",
    "grassroots",
    "gender",
    "women_ratio",
)


class DossierInfo(Record):
    """The information block of a dossier as read (None: absent or unreadable)."""

    __slots__ = _INFO
    year: int | None
    kind: Kind | None
    name: str | None
    position: str | None
    unit: str | None
    model: str | None
    field: str | None  # a field id of the plan (R12)
    period: str | None
    registered_on: dt.date | None
    submitted_on: dt.date | None
    level: str | None  # a level id of the plan
    benefit: Decimal | None
    lower_decision: str | None
    difficult: bool | None
    wide_influence: bool | None
    grassroots: bool | None
    gender: Gender | None
    women_ratio: Decimal | None  # percent of women in a collective

    def __init__(self, **values: Any) -> None:
        for name in _INFO:
            setattr(self, name, values.pop(name, None))
        if values:
            raise TypeError(f"DossierInfo has no {', '.join(values)}")

    def flag(self, name: Flag, women_ratio: Decimal) -> bool | None:
        """A tie-break flag: Có/Không as typed, or (women) an individual who is a woman, a
        collective with at least `women_ratio` % women; missing data never counts as yes."""
        if name == "women":
            if self.gender is not None:
                return self.gender == "female"
            return self.women_ratio is not None and self.women_ratio >= women_ratio
        value: bool | None = getattr(self, name)
        return value


class Value(Record, Generic[T]):
    """A typed value and where it stands (its cell's name made only when asked for)."""

    __slots__ = ("col", "row", "sheet", "value")

    def __init__(self, value: T, sheet: str, row: int, col: int) -> None:
        self.value, self.sheet, self.row, self.col = value, sheet, row, col

    @property
    def cell(self) -> str:
        return cell_ref(self.row, self.col)

    @classmethod
    def at(cls, spot: Spot, value: T) -> Value[T]:
        return cls(value, spot.sheet, spot.row, spot.col)


class ScoreRow(Record):
    """One criterion's row of the scoring table."""

    __slots__ = ("code", "evidence", "evidence_spot", "max", "number", "score", "score_spot")

    def __init__(
        self,
        code: str,
        number: Spot,
        max: Value[Decimal] | None,
        score: Value[Decimal] | None,
        score_spot: Spot,
        evidence: Value[str] | None,
        evidence_spot: Spot | None,
    ) -> None:
        self.code, self.number, self.max, self.score = code, number, max, score
        self.score_spot, self.evidence, self.evidence_spot = score_spot, evidence, evidence_spot


class PaperMark(Record):
    """A paper of the dossier's papers list: its label, whether it is marked present, and the
    cell where its mark is (or belongs)."""

    __slots__ = ("cell", "label", "present", "sheet")

    def __init__(self, label: str, present: bool, sheet: str, cell: str) -> None:
        self.label, self.present, self.sheet, self.cell = label, present, sheet, cell


class Citation(Record):
    """A legal text of the plan cited by number in a cell ("… Nghị định số 91/2017/NĐ-CP")."""

    __slots__ = ("cell", "sheet", "text")

    def __init__(self, text: str, sheet: str, cell: str) -> None:
        self.text = text  # the id of the text in the plan's legal_basis
        self.sheet, self.cell = sheet, cell


class Dossier(Record):
    __slots__ = (
        "cells",
        "citations",
        "declared_total",
        "has_evidence_column",
        "info",
        "kind",
        "papers",
        "papers_cell",
        "papers_sheet",
        "rows",
        "table_sheet",
    )

    def __init__(
        self,
        info: DossierInfo | None = None,
        cells: dict[InfoKey, tuple[str, str]] | None = None,  # key -> sheet, cell
        kind: Kind | None = None,  # Loại, or the rubric whose maxima the table follows
        rows: list[ScoreRow] | None = None,
        table_sheet: str | None = None,
        has_evidence_column: bool = True,
        declared_total: Value[Decimal] | None = None,
        papers_sheet: str | None = None,
        papers_cell: str | None = None,
        papers: list[PaperMark] | None = None,
        citations: list[Citation] | None = None,  # legal texts the dossier cites
    ) -> None:
        self.info = info if info is not None else DossierInfo()
        self.cells = cells if cells is not None else {}
        self.kind = kind
        self.rows = rows if rows is not None else []
        self.table_sheet = table_sheet
        self.has_evidence_column = has_evidence_column
        self.declared_total = declared_total
        self.papers_sheet = papers_sheet
        self.papers_cell = papers_cell
        self.papers = papers if papers is not None else []
        self.citations = citations if citations is not None else []

    def where(self, key: InfoKey) -> tuple[str | None, str | None]:
        """The sheet and cell an info value was read from (None, None if it was not)."""
        return self.cells.get(key, (None, None))

    @property
    def scores(self) -> dict[str, Decimal]:
        return {r.code: r.score.value for r in self.rows if r.score is not None}
