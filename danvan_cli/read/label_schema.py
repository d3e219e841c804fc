"""What `labels.yaml` must hold, as pydantic models: checked once per content of the file
(read.labels reads an unchanged file without them)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from danvan_cli.read.label_keys import HistoryKey, InfoKey, TableKey

Labels_ = Annotated[list[str], Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InfoSpec(_Strict):
    labels: Labels_
    required: bool


class ValueWords(_Strict):
    collective: Labels_
    individual: Labels_
    yes: Labels_
    no: Labels_
    absent: Labels_
    negation: Labels_
    female: Labels_
    male: Labels_


class LabelFile(_Strict):
    info: dict[InfoKey, InfoSpec]
    table: dict[TableKey, Labels_]
    total_row: Labels_
    papers_header: Labels_
    values: ValueWords
    history: dict[HistoryKey, Labels_]
