"""The plan as data: levels, quotas, deadlines, papers, tie-breaks, names — never code."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from danvan_cli.config.documents import Documents
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


LegalKind = Literal["law", "decree", "circular", "directive", "resolution", "plan", "form"]


class LegalText(Strict):
    """A text the plan rests on or refers to: a law, a decree, a provincial plan, a form."""

    id: str
    kind: LegalKind
    title: Annotated[str, Field(min_length=1)]  # as it is cited: "Nghị định số 152/2025/NĐ-CP …"
    number: str = ""  # "152/2025/NĐ-CP"; a form: "Mẫu số 07"
    issued: dt.date | None = None
    in_force: dt.date | None = None
    replaces: list[str] = []  # ids of the texts it ended
    part_of: str | None = None  # a form: the decree it is annexed to
    cited: bool = False  # a legal basis ("Căn cứ …") of the papers issued under the plan


class AchievementReport(Strict):
    form: str
    reference: str
    text: str | None = None  # the id of the form in `legal_basis`


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
    legal_basis: list[LegalText] = []
    documents: Documents = Documents()  # who issues and signs the papers (config/documents.py)

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
        texts = [t.id for t in self.legal_basis]
        dup = sorted({i for i in texts if texts.count(i) > 1})
        if dup:
            raise PydanticCustomError(
                "plan_duplicate_texts", "{where}", {"where": "legal_basis", "ids": ", ".join(dup)}
            )
        for text in self.legal_basis:
            for other in [*text.replaces, *([text.part_of] if text.part_of else [])]:
                if other not in texts:
                    raise _missing(f"legal_basis.{text.id}", "text", other)
        form = self.achievement_report.text
        if form is not None and form not in texts:
            raise _missing("achievement_report.text", "text", form)
        field_ids = [f.id for f in self.fields]
        if self.economic_field is not None and self.economic_field not in field_ids:
            raise _missing("economic_field", "field", self.economic_field)
        return self

    @model_validator(mode="after")
    def _document_levels(self) -> Plan:
        ids = {lv.id for lv in self.levels}
        for level in self.documents.levels:
            if level not in ids:
                raise _missing(f"documents.levels.{level}", "level", level)
        return self

    @property
    def cited_as(self) -> str:
        return self.short_title or self.title

    def level(self, level_id: str) -> Level:
        return next(lv for lv in self.levels if lv.id == level_id)

    def text(self, text_id: str) -> LegalText:
        return next(t for t in self.legal_basis if t.id == text_id)

    def replacements(self, text: LegalText) -> list[LegalText]:
        """The texts that replaced `text` (or the decree a form belongs to), in order: the one
        that ended it, then the one that ended that one…"""
        chain: list[LegalText] = []
        current = self.text(text.part_of) if text.part_of else text
        while True:
            nxt = next((t for t in self.legal_basis if current.id in t.replaces), None)
            if nxt is None or nxt in chain:
                return chain
            chain.append(nxt)
            current = nxt

    def out_of_force(self, text: LegalText, on: dt.date) -> list[LegalText]:
        """The replacements already in force on `on` ([] while `text` is still in force)."""
        return [r for r in self.replacements(text) if r.in_force is not None and r.in_force <= on]

    def basis(self, on: dt.date) -> list[LegalText]:
        """The legal basis of a paper dated `on`: the cited texts in force that day (a cited
        text already replaced gives way to the text in force that replaced it)."""
        found: list[LegalText] = []
        for text in self.legal_basis:
            if not text.cited or (text.in_force is not None and text.in_force > on):
                continue
            newer = self.out_of_force(text, on)
            chosen = newer[-1] if newer else text
            if chosen not in found:
                found.append(chosen)
        return found

    @property
    def top_level(self) -> Level:
        """The level proposals go up to (the province): the plan's last level."""
        return self.levels[-1]

    def level_names(self) -> dict[str, list[str]]:
        """Level id → the names a dossier or an option may use for it."""
        return {lv.id: lv.names for lv in self.levels}
