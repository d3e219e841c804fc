"""The plan as data: levels, quotas, deadlines, papers, tie-breaks, names — never code."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from danvan_cli.config.rubric import KINDS, Kind, Strict
from danvan_cli.text.normalize import fold

if TYPE_CHECKING:
    from danvan_cli.config.documents import Documents
    from danvan_cli.text.identity import Identity, Move

# R10's priorities as the dossier states them, and R14 (Nghị định 152/2025, Điều 4.6): an
# individual who is a woman, a collective with at least `women_ratio` % women.
Flag = Literal["difficult", "wide_influence", "grassroots", "women"]
FLAGS: tuple[Flag, ...] = ("difficult", "wide_influence", "grassroots", "women")
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
    # a paper danvan drafts for the level's proposal package (the Tờ trình, the council's
    # Biên bản): present in the package whatever the unit's dossier says
    drafted: Literal["proposal", "minutes"] | None = None


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

    @property
    def called(self) -> str:
        """How a sentence names the level after the word "cấp" ("cấp {called}", "CẤP {…}"):
        its name without a leading word "Cấp" (matched as the reader matches "cấp huyện",
        folded), so that a plan may name a level "Cấp xã" or "Xã" alike and no text ever says
        "cấp cấp xã"."""
        name = unicodedata.normalize("NFC", self.name).strip()
        first, _, rest = name.partition(" ")
        return rest.strip() if fold(first) == "cap" and rest.strip() else name


Names = Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]


class Rename(Strict):
    """A reorganisation of units on a date: a rename (one → one), a merger (several → one)
    or a split (one → several), with the decision that made it. Dossiers and decisions under
    either name belong to the same unit; a look-back across the date follows the candidate."""

    from_: Annotated[str | Names, Field(alias="from")]
    to: str | Names
    on: dt.date | None = None
    decision: str = ""
    note: str = ""

    @model_validator(mode="before")
    @classmethod
    def _yaml_on(cls, data: object) -> object:
        """YAML 1.1 reads an unquoted key `on:` as true (and the JSON cache keeps it as
        "true"): take it for the date it means."""
        if isinstance(data, dict) and "on" not in data:
            data = {("on" if k is True or k == "true" else k): v for k, v in data.items()}
        return data

    @property
    def sources(self) -> list[str]:
        return [self.from_] if isinstance(self.from_, str) else list(self.from_)

    @property
    def targets(self) -> list[str]:
        return [self.to] if isinstance(self.to, str) else list(self.to)

    def moves(self) -> list[Move]:
        """The edges of identity: each old name → the new one (a split's pieces → the unit
        they were cut from, since a piece's people and models came from it)."""
        from danvan_cli.text.identity import Move

        if len(self.targets) > 1 and len(self.sources) == 1:
            return [Move(t, self.sources[0], self.on, self.decision) for t in self.targets]
        return [Move(f, t, self.on, self.decision) for f in self.sources for t in self.targets[:1]]


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
    women_ratio: Annotated[Decimal, Field(ge=0, le=100)] = Decimal(70)


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
    communes: list[str] = []  # the communes (and towns) units belong to, for reports
    legal_basis: list[LegalText] = []
    # who issues and signs the papers (config/documents.py): kept as read and made into its
    # models on first use (`documents`), so that commands writing no paper (validate, the
    # start-up of every command) never build them; `config.load.check_documents` checks it
    # whenever the plan's content is new.
    documents_data: Annotated[dict[str, Any], Field(alias="documents")] = {}

    def identity(self) -> Identity:
        from danvan_cli.text.identity import Identity

        moves = [m for r in self.renames for m in r.moves()]
        return Identity(self.name_aliases, moves, self.communes)

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
        levels = self.documents_data.get("levels") or {}
        for level in levels if isinstance(levels, dict) else ():
            if level not in ids:
                raise _missing(f"documents.levels.{level}", "level", level)
        return self

    @cached_property
    def documents(self) -> Documents:
        from danvan_cli.config.documents import Documents

        return Documents.model_validate(self.documents_data)

    def field_labels(self) -> list[str]:
        """The plan's fields as a message lists them: "a) Kinh tế" when the fields are lettered
        (a dossier may then write the letter), else their names."""
        lettered = all(len(f.id) == 1 and f.id.isalpha() for f in self.fields)
        return [f"{f.id}) {f.name}" if lettered else f.name for f in self.fields]

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

    def achievement_form(self, on: dt.date) -> tuple[str, str]:
        """The achievement-report form a dossier of `on` attaches, and the text it belongs to:
        the plan's own, unless the decree it belongs to was replaced by then and the plan lists
        a form of the decree in force."""
        report = self.achievement_report
        if report.text is None:
            return report.form, report.reference
        newer = self.out_of_force(self.text(report.text), on)
        if newer:
            decree = newer[-1]
            form = next((t for t in self.legal_basis if t.part_of == decree.id), None)
            if form is not None:
                return form.number or form.title, decree.title
        return report.form, report.reference

    def citing(self) -> list[LegalText]:
        """The texts a dossier may cite by number ("91/2017/NĐ-CP")."""
        return [t for t in self.legal_basis if t.kind != "form" and t.number]

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
