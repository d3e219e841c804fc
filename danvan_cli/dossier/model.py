"""A dossier as typed values: what its candidate says (`DossierInfo`), and for checking it,
where each value stands (sheet and cell)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from danvan_cli.config.plan import Flag
from danvan_cli.config.rubric import Kind
from danvan_cli.read.cells import cell_ref
from danvan_cli.read.labels import InfoKey
from danvan_cli.read.layout import Spot

T = TypeVar("T")
Gender = Literal["female", "male"]


@dataclass(slots=True)
class DossierInfo:
    """The information block of a dossier as read (None: absent or unreadable)."""

    year: int | None = None
    kind: Kind | None = None
    name: str | None = None
    position: str | None = None
    unit: str | None = None
    model: str | None = None
    field: str | None = None  # a field id of the plan (R12)
    period: str | None = None
    registered_on: dt.date | None = None
    submitted_on: dt.date | None = None
    level: str | None = None  # a level id of the plan
    benefit: Decimal | None = None
    lower_decision: str | None = None
    difficult: bool | None = None
    wide_influence: bool | None = None
    grassroots: bool | None = None
    gender: Gender | None = None
    women_ratio: Decimal | None = None  # percent of women in a collective

    def flag(self, name: Flag, women_ratio: Decimal) -> bool | None:
        """A tie-break flag: Có/Không as typed, or (women) an individual who is a woman, a
        collective with at least `women_ratio` % women; missing data never counts as yes."""
        if name == "women":
            if self.gender is not None:
                return self.gender == "female"
            return self.women_ratio is not None and self.women_ratio >= women_ratio
        value: bool | None = getattr(self, name)
        return value


@dataclass(slots=True)
class Value(Generic[T]):
    """A typed value and where it stands (its cell's name made only when asked for)."""

    value: T
    sheet: str
    row: int
    col: int

    @property
    def cell(self) -> str:
        return cell_ref(self.row, self.col)

    @classmethod
    def at(cls, spot: Spot, value: T) -> Value[T]:
        return cls(value, spot.sheet, spot.row, spot.col)


@dataclass(slots=True)
class ScoreRow:
    """One criterion's row of the scoring table."""

    code: str
    number: Spot
    max: Value[Decimal] | None
    score: Value[Decimal] | None
    score_spot: Spot
    evidence: Value[str] | None
    evidence_spot: Spot | None


@dataclass(frozen=True, slots=True)
class PaperMark:
    """A paper of the dossier's papers list: its label, whether it is marked present, and the
    cell where its mark is (or belongs)."""

    label: str
    present: bool
    sheet: str
    cell: str


@dataclass(frozen=True, slots=True)
class Citation:
    """A legal text of the plan cited by number in a cell ("… Nghị định số 91/2017/NĐ-CP")."""

    text: str  # the id of the text in the plan's legal_basis
    sheet: str
    cell: str


@dataclass
class Dossier:
    info: DossierInfo = field(default_factory=DossierInfo)
    cells: dict[InfoKey, tuple[str, str]] = field(default_factory=dict)  # key -> sheet, cell
    kind: Kind | None = None  # Loại, or the rubric whose maxima the table follows
    rows: list[ScoreRow] = field(default_factory=list)
    table_sheet: str | None = None
    has_evidence_column: bool = True
    declared_total: Value[Decimal] | None = None
    papers_sheet: str | None = None
    papers_cell: str | None = None
    papers: list[PaperMark] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)  # legal texts the dossier cites

    def where(self, key: InfoKey) -> tuple[str | None, str | None]:
        """The sheet and cell an info value was read from (None, None if it was not)."""
        return self.cells.get(key, (None, None))

    @property
    def scores(self) -> dict[str, Decimal]:
        return {r.code: r.score.value for r in self.rows if r.score is not None}
