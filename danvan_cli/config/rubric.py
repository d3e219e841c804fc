"""A rubric as data: one per candidate kind, its criteria, maxima and thresholds (R1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

Kind = Literal["collective", "individual"]
KINDS: tuple[Kind, ...] = ("collective", "individual")


class Strict(BaseModel):
    """Every YAML model: unknown keys refused, values frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(Strict):
    code: Annotated[str, Field(pattern=r"^\d{2}$")]
    title: Annotated[str, Field(min_length=1)]
    max: Annotated[Decimal, Field(gt=0)]
    evidence: str = ""


class Thresholds(Strict):
    criterion_ratio: Annotated[Decimal, Field(ge=0, le=1)]
    min_total: Annotated[Decimal, Field(ge=0)]


class Rubric(Strict):
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
            raise PydanticCustomError(
                "rubric_duplicate_codes", "{where}", {"where": "criteria", "codes": ", ".join(dup)}
            )
        total = sum((c.max for c in self.criteria), Decimal(0))
        if total != self.total:
            raise PydanticCustomError(
                "rubric_total",
                "{where}",
                {"where": "criteria", "sum": str(total), "total": str(self.total)},
            )
        if self.thresholds.min_total > self.total:
            raise PydanticCustomError(
                "rubric_min_total", "{where}", {"where": "thresholds.min_total"}
            )
        return self

    def criterion(self, code: str) -> Criterion | None:
        return next((c for c in self.criteria if c.code == code), None)

    def threshold(self, criterion: Criterion) -> Decimal:
        return criterion.max * self.thresholds.criterion_ratio
