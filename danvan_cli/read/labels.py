"""The label contract of DESIGN §3, loaded once from `labels.yaml` through pydantic."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from danvan_cli import yamlio
from danvan_cli.text.normalize import fold

InfoKey = Literal[
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
]
TableKey = Literal["number", "criterion", "max", "score", "evidence"]
TABLE_KEYS: tuple[TableKey, ...] = ("number", "criterion", "max", "score", "evidence")
HistoryKey = Literal["year", "level", "kind", "name", "unit", "decision_no", "decision_date"]
HISTORY_REQUIRED: frozenset[str] = frozenset(
    {"year", "level", "kind", "name", "unit", "decision_no"}
)
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
    female: Labels_
    male: Labels_


class LabelFile(_Strict):
    info: dict[InfoKey, InfoSpec]
    table: dict[TableKey, Labels_]
    total_row: Labels_
    papers_header: Labels_
    values: ValueWords
    history: dict[HistoryKey, Labels_]


@dataclass(frozen=True)
class InfoField:
    key: InfoKey
    labels: tuple[str, ...]
    required: bool

    @property
    def label(self) -> str:
        return self.labels[0]


@dataclass(frozen=True)
class Labels:
    info: dict[InfoKey, InfoField]
    info_by_fold: dict[str, InfoKey]  # folded label -> info key
    table: dict[TableKey, frozenset[str]]  # column key -> folded header labels
    table_labels: dict[TableKey, str]  # column key -> canonical header label
    total_row: frozenset[str]
    papers_header: frozenset[str]
    values: dict[str, frozenset[str]]  # collective, individual, yes, no, absent -> folded
    history: dict[HistoryKey, frozenset[str]]  # column key -> folded header labels
    history_labels: dict[HistoryKey, str]  # column key -> canonical header
    words: dict[str, str]  # collective, individual, yes, no -> the word written ("Tập thể", "Có")
    total_label: str  # the canonical total-row label ("Tổng điểm")
    papers_label: str  # the canonical papers-list header ("Thành phần hồ sơ")

    def is_known(self, folded: str) -> bool:
        """A folded cell text that is a label of some kind, so never a value."""
        return (
            folded in self.info_by_fold
            or folded in self.total_row
            or folded in self.papers_header
            or any(folded in v for v in self.table.values())
        )


def _value_key(text: str) -> str:
    """Fold a short value; punctuation-only values such as "-" are kept as they are."""
    return fold(text) or text.strip()


def _folded(labels: list[str]) -> frozenset[str]:
    return frozenset(fold(x) for x in labels)


@cache
def labels() -> Labels:
    raw = LabelFile.model_validate(yamlio.load_file_cached(Path(__file__).parent / "labels.yaml"))
    info = {
        key: InfoField(key, tuple(spec.labels), spec.required) for key, spec in raw.info.items()
    }
    return Labels(
        info=info,
        info_by_fold={fold(lab): key for key, f in info.items() for lab in f.labels},
        table={k: _folded(v) for k, v in raw.table.items()},
        table_labels={k: v[0] for k, v in raw.table.items()},
        total_row=_folded(raw.total_row),
        papers_header=_folded(raw.papers_header),
        values={
            k: frozenset(_value_key(x) for x in words)
            for k, words in raw.values.model_dump().items()
        },
        history={k: _folded(v) for k, v in raw.history.items()},
        history_labels={k: v[0] for k, v in raw.history.items()},
        words={k: v[0] for k, v in raw.values.model_dump().items()},
        total_label=raw.total_row[0],
        papers_label=raw.papers_header[0],
    )
