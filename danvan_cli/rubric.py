"""Rubrics and plans as data: pydantic models loaded from the YAML files in `rubrics/`."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from danvan_cli import yamlio
from danvan_cli.errors import ConfigError

if TYPE_CHECKING:
    from danvan_cli.identity import Identity

M = TypeVar("M", bound=BaseModel)
Kind = Literal["collective", "individual"]
KINDS: tuple[Kind, ...] = ("collective", "individual")
FLAGS = ("difficult", "wide_influence", "grassroots")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(_Strict):
    code: Annotated[str, Field(pattern=r"^\d{2}$")]
    title: Annotated[str, Field(min_length=1)]
    max: Annotated[Decimal, Field(gt=0)]
    evidence: str = ""


class Thresholds(_Strict):
    criterion_ratio: Annotated[Decimal, Field(ge=0, le=1)]
    min_total: Annotated[Decimal, Field(ge=0)]


class Rubric(_Strict):
    kind: Kind
    title: str
    source: str = ""
    total: Annotated[Decimal, Field(gt=0)]
    thresholds: Thresholds
    criteria: Annotated[list[Criterion], Field(min_length=1)]

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        codes = [c.code for c in self.criteria]
        dup = sorted({c for c in codes if codes.count(c) > 1})
        if dup:
            raise ValueError(f"criteria: mã tiêu chí bị trùng: {', '.join(dup)}")
        total = sum((c.max for c in self.criteria), Decimal(0))
        if total != self.total:
            raise ValueError(
                f"criteria: tổng điểm chuẩn các tiêu chí là {total}, không bằng total {self.total}"
            )
        if self.thresholds.min_total > self.total:
            raise ValueError("thresholds.min_total: lớn hơn total")
        return self

    def criterion(self, code: str) -> Criterion | None:
        return next((c for c in self.criteria if c.code == code), None)

    def threshold(self, criterion: Criterion) -> Decimal:
        return criterion.max * self.thresholds.criterion_ratio


class FieldOfWork(_Strict):
    id: str
    name: str
    aliases: list[str] = []


class Deadline(_Strict):
    month: Annotated[int, Field(ge=1, le=12)]
    day: Annotated[int, Field(ge=1, le=31)]
    clause: str = ""


class Paper(_Strict):
    id: str
    label: str
    match: Annotated[list[str], Field(min_length=1)]
    recorded: bool = False  # satisfied by the lower-level decision kept in the register


class Requirements(_Strict):
    registration: bool = False
    lower_level: str | None = None
    consecutive_years: Annotated[int, Field(ge=1)] = 1
    cite_lower_decision: bool = False


class Level(_Strict):
    id: str
    name: str
    aliases: list[str] = []
    awarded_by: str = ""
    quota: dict[Kind, Annotated[int, Field(ge=0)]] | None = None
    requires: Requirements = Requirements()
    deadlines: list[Literal["registration", "submission"]] = []
    copies: Annotated[int, Field(ge=1)] = 1
    papers: list[Paper] = []
    pool: list[str] = []  # dossier levels considered when ranking for this level (default: itself)

    @property
    def pool_levels(self) -> list[str]:
        return self.pool or [self.id]


class Rename(_Strict):
    """A unit renamed or merged: dossiers and decisions under either name are the same unit."""

    from_: Annotated[str, Field(alias="from", min_length=1)]
    to: Annotated[str, Field(min_length=1)]
    on: dt.date | None = None
    note: str = ""


class Authority(_Strict):
    name: str
    place: str


class AchievementReport(_Strict):
    form: str
    reference: str


class Phase(_Strict):
    from_: Annotated[int, Field(alias="from")]
    to: int


class TieBreak(_Strict):
    flags: list[Literal["difficult", "wide_influence", "grassroots"]] = []
    criteria: dict[Kind, list[str]] = {}


class Plan(_Strict):
    id: str
    title: str
    phase: Phase | None = None
    authority: Authority
    rubrics: dict[Kind, str]
    achievement_report: AchievementReport
    fields: Annotated[list[FieldOfWork], Field(min_length=1)]
    economic_field: str | None = None
    deadlines: dict[Literal["registration", "submission"], Deadline]
    levels: Annotated[list[Level], Field(min_length=1)]
    default_level: str
    tie_break: TieBreak = TieBreak()
    ad_hoc_outside_quota: bool = True
    name_aliases: dict[str, str] = {}
    renames: list[Rename] = []

    def identity(self) -> Identity:
        from danvan_cli.identity import Identity

        return Identity(self.name_aliases, [(r.from_, r.to) for r in self.renames])

    @field_validator("rubrics")
    @classmethod
    def _both_kinds(cls, value: dict[Kind, str]) -> dict[Kind, str]:
        missing = [k for k in KINDS if k not in value]
        if missing:
            raise ValueError(f"thiếu bảng tiêu chí cho {', '.join(missing)}")
        return value

    @model_validator(mode="after")
    def _references(self) -> Plan:
        ids = [lv.id for lv in self.levels]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"levels: mã cấp bị trùng: {', '.join(dup)}")
        for lv in self.levels:
            lower = lv.requires.lower_level
            if lower is not None and lower not in ids:
                raise ValueError(f"levels.{lv.id}.requires.lower_level: không có cấp '{lower}'")
            for other in lv.pool:
                if other not in ids:
                    raise ValueError(f"levels.{lv.id}.pool: không có cấp '{other}'")
            for d in lv.deadlines:
                if d not in self.deadlines:
                    raise ValueError(f"levels.{lv.id}.deadlines: không có thời hạn '{d}'")
        if self.default_level not in ids:
            raise ValueError(f"default_level: không có cấp '{self.default_level}'")
        field_ids = [f.id for f in self.fields]
        if self.economic_field is not None and self.economic_field not in field_ids:
            raise ValueError(f"economic_field: không có lĩnh vực '{self.economic_field}'")
        return self

    def level(self, level_id: str) -> Level:
        return next(lv for lv in self.levels if lv.id == level_id)


class Config(BaseModel):
    """A loaded plan with its two rubrics, and where they came from."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    plan: Plan
    rubrics: dict[Kind, Rubric]
    plan_path: Path
    rubric_paths: dict[Kind, Path]

    def rubric(self, kind: Kind) -> Rubric:
        return self.rubrics[kind]

    def provenance(self) -> dict[str, object]:
        """Which danvan and which plan and rubric files (by SHA-256) made an output."""
        from danvan_cli import __version__

        return {"danvan": __version__, "files": dict(self.sources)}

    @cached_property
    def sources(self) -> dict[str, str]:
        """File name → SHA-256 of the plan and rubric files (provenance for outputs)."""
        paths = [self.plan_path, *self.rubric_paths.values()]
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def default_rubrics_dir() -> Path:
    """The rubrics shipped with danvan: inside the package when installed, else the checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rubrics", here.parent / "rubrics"):
        if candidate.is_dir():
            return candidate
    return here.parent / "rubrics"


DEFAULT_PLAN = "van-ninh-2023.yaml"


def _read_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("config.not_found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("config.unreadable", path=str(path), error=str(exc)) from None
    try:
        return yamlio.load_cached(text)
    except yamlio.YAMLError as exc:
        raise ConfigError("config.invalid", lines=[f"{path}: {exc.where}: {exc.problem}"]) from None


_PYDANTIC_VI = {
    "missing": "thiếu khóa bắt buộc",
    "extra_forbidden": "khóa không được phép (gõ sai tên khóa?)",
    "int_parsing": "phải là một số nguyên",
    "int_type": "phải là một số nguyên",
    "decimal_parsing": "phải là một số",
    "decimal_type": "phải là một số",
    "string_type": "phải là chữ",
    "bool_type": "phải là true hoặc false",
    "list_type": "phải là một danh sách",
    "dict_type": "phải là một bảng khóa: giá trị",
    "model_type": "phải là một bảng khóa: giá trị",
    "literal_error": "giá trị không nằm trong các giá trị cho phép",
    "date_from_datetime_parsing": "phải là một ngày (YYYY-MM-DD)",
    "date_parsing": "phải là một ngày (YYYY-MM-DD)",
    "string_pattern_mismatch": "sai dạng",
    "too_short": "không được để trống",
}


def _vietnamese(err: Any) -> str:
    """A pydantic error in Vietnamese (our own checks are written in Vietnamese already)."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    limits = {
        "greater_than": "phải lớn hơn {gt}",
        "greater_than_equal": "phải từ {ge} trở lên",
        "less_than": "phải nhỏ hơn {lt}",
        "less_than_equal": "phải từ {le} trở xuống",
    }
    if kind in limits:
        return limits[kind].format(**{k: str(v) for k, v in ctx.items()})
    return _PYDANTIC_VI.get(kind, str(err["msg"]))


def validation_lines(path: Path, exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"])
        msg = _vietnamese(err)
        lines.append(f"{path}: {key}: {msg}" if key else f"{path}: {msg}")
    return lines


def _load_model(model: type[M], path: Path) -> M:
    data = _read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("config.invalid", lines=validation_lines(path, exc)) from None


def load_rubric(path: Path) -> Rubric:
    return _load_model(Rubric, path)


def load_config(plan_path: Path | None = None) -> Config:
    """Load a plan and the rubrics it names (relative to the plan's folder)."""
    plan_path = plan_path or default_rubrics_dir() / DEFAULT_PLAN
    plan = _load_model(Plan, plan_path)
    rubric_paths: dict[Kind, Path] = {
        kind: (plan_path.parent / name) for kind, name in plan.rubrics.items()
    }
    rubrics = {kind: load_rubric(p) for kind, p in rubric_paths.items()}
    lines = []
    for kind, rub in rubrics.items():
        if rub.kind != kind:
            lines.append(
                f"{rubric_paths[kind]}: kind: là '{rub.kind}' nhưng kế hoạch dùng cho {kind}"
            )
        for code in plan.tie_break.criteria.get(kind, []):
            if rub.criterion(code) is None:
                lines.append(f"{plan_path}: tie_break.criteria.{kind}: không có tiêu chí '{code}'")
    if lines:
        raise ConfigError("config.invalid", lines=lines)
    return Config(plan=plan, rubrics=rubrics, plan_path=plan_path, rubric_paths=rubric_paths)


def lint(config: Config) -> list[tuple[str, dict[str, object]]]:
    """Warnings about a plan and rubrics that load but look wrong: (catalog key, params)."""
    from danvan_cli.textnorm import fold

    notes: list[tuple[str, dict[str, object]]] = []
    for kind, rubric in config.rubrics.items():
        name = config.rubric_paths[kind].name
        seen: dict[str, str] = {}
        for c in rubric.criteria:
            key = fold(c.title)
            if key in seen:
                notes.append(("rubric.lint_same_text", {"file": name, "a": seen[key], "b": c.code}))
            else:
                seen[key] = c.code
            if not c.evidence.strip():
                notes.append(("rubric.lint_evidence", {"file": name, "code": c.code}))
    return notes
