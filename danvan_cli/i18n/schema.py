"""What `messages.yaml` must hold, as pydantic models: checked once per content of the file
(i18n.catalog reads an unchanged file without them)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FindingText(_Strict):
    message: Annotated[str, Field(min_length=1)]
    hint: Annotated[str, Field(min_length=1)]
    # the hint as printed on paper when `hint` names a command (for the staff at the console)
    printed: Annotated[str, Field(min_length=1)] | None = None


class CodeSpec(_Strict):
    """A finding code: its severity, the plan rule it enforces, its text in both languages."""

    severity: Literal["error", "warning"]
    rule: Annotated[str, Field(pattern=r"^R\d{1,2}$")] | None
    vi: FindingText
    en: FindingText


class UIText(_Strict):
    vi: str
    en: str


class CatalogFile(_Strict):
    findings: dict[str, CodeSpec]
    ui: dict[str, UIText]
