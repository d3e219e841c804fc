"""The plan as data: levels, quotas, deadlines, papers, tie-breaks, names — never code."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from danvan_cli.config.rubric import KINDS, Kind, Strict

if TYPE_CHECKING:
    from danvan_cli.text.identity import Identity

Flag = Literal["difficult", "wide_influence", "grassroots"]
FLAGS: tuple[Flag, ...] = ("difficult", "wide_influence", "grassroots")
DeadlineName = Literal["registration", "submission"]


class FieldOfWork(Strict):
    id: str
    name: str
    aliases: list[str] = []


class Deadline(Strict):
    month: Annotated[int, Field(ge=1, le=12)]
    day: Annotated[int, Field(ge=1, le=31)]
    clause: str = ""


class Paper(Strict):
    id: str
    label: str
    match: Annotated[list[str], Field(min_length=1)]
    recorded: bool = False  # satisfied by the lower-level decision kept in the register


class Requirements(Strict):
    registration: bool = False
    lower_level: str | None = None
    consecutive_years: Annotated[int, Field(ge=1)] = 1
    cite_lower_decision: bool = False


class Level(Strict):
    id: str
    name: str
    aliases: list[str] = []
    awarded_by: str = ""
    quota: dict[Kind, Annotated[int, Field(ge=0)]] | None = None
    requires: Requirements = Requirements()
    deadlines: list[DeadlineName] = []
    copies: Annotated[int, Field(ge=1)] = 1
    papers: list[Paper] = []
    pool: list[str] = []  # dossier levels considered when ranking for this level (default: itself)

    @property
    def pool_levels(self) -> list[str]:
        return self.pool or [self.id]

    @property
    def names(self) -> list[str]:
        """Every way a dossier may name this level: its id, name and aliases."""
        return [self.name, *self.aliases]


class Rename(Strict):
    """A unit renamed or merged: dossiers and decisions under either name are the same unit."""

    from_: Annotated[str, Field(alias="from", min_length=1)]
    to: Annotated[str, Field(min_length=1)]
    on: dt.date | None = None
    note: str = ""


class Authority(Strict):
    name: str
    place: str


class AchievementReport(Strict):
    form: str
    reference: str


class Phase(Strict):
    from_: Annotated[int, Field(alias="from")]
    to: int


class TieBreak(Strict):
    flags: list[Flag] = []
    criteria: dict[Kind, list[str]] = {}


def _missing(where: str, kind: str, value: str) -> PydanticCustomError:
    """A reference to something the plan does not define (a level, a deadline, a field)."""
    return PydanticCustomError(f"plan_no_{kind}", "{where}", {"where": where, "value": value})


class Plan(Strict):
    id: str
    title: str
    short_title: str | None = None  # how forms cite the plan (default: its title)
    phase: Phase | None = None
    authority: Authority
    rubrics: dict[Kind, str]
    achievement_report: AchievementReport
    fields: Annotated[list[FieldOfWork], Field(min_length=1)]
    economic_field: str | None = None
    deadlines: dict[DeadlineName, Deadline]
    levels: Annotated[list[Level], Field(min_length=1)]
    default_level: str
    tie_break: TieBreak = TieBreak()
    ad_hoc_outside_quota: bool = True
    name_aliases: dict[str, str] = {}
    renames: list[Rename] = []

    def identity(self) -> Identity:
        from danvan_cli.text.identity import Identity

        return Identity(self.name_aliases, [(r.from_, r.to) for r in self.renames])

    @field_validator("rubrics")
    @classmethod
    def _both_kinds(cls, value: dict[Kind, str]) -> dict[Kind, str]:
        missing = [k for k in KINDS if k not in value]
        if missing:
            raise PydanticCustomError("plan_rubric_kinds", "{kinds}", {"kinds": ", ".join(missing)})
        return value

    @model_validator(mode="after")
    def _references(self) -> Plan:
        ids = [lv.id for lv in self.levels]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise PydanticCustomError(
                "plan_duplicate_levels", "{where}", {"where": "levels", "ids": ", ".join(dup)}
            )
        for lv in self.levels:
            lower = lv.requires.lower_level
            if lower is not None and lower not in ids:
                raise _missing(f"levels.{lv.id}.requires.lower_level", "level", lower)
            for other in lv.pool:
                if other not in ids:
                    raise _missing(f"levels.{lv.id}.pool", "level", other)
            for d in lv.deadlines:
                if d not in self.deadlines:
                    raise _missing(f"levels.{lv.id}.deadlines", "deadline", d)
        if self.default_level not in ids:
            raise _missing("default_level", "level", self.default_level)
        field_ids = [f.id for f in self.fields]
        if self.economic_field is not None and self.economic_field not in field_ids:
            raise _missing("economic_field", "field", self.economic_field)
        return self

    @property
    def cited_as(self) -> str:
        return self.short_title or self.title

    def level(self, level_id: str) -> Level:
        return next(lv for lv in self.levels if lv.id == level_id)

    @property
    def top_level(self) -> Level:
        """The level proposals go up to (the province): the plan's last level."""
        return self.levels[-1]

    def level_names(self) -> dict[str, list[str]]:
        """Level id → the names a dossier or an option may use for it."""
        return {lv.id: lv.names for lv in self.levels}
