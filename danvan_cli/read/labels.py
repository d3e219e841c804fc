"""The label contract of DESIGN §3, loaded once from `labels.yaml` (checked by the pydantic
models of read.label_schema whenever its content is new)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from danvan_cli import yamlio
from danvan_cli.read.label_keys import (
    HISTORY_REQUIRED,
    TABLE_KEYS,
    HistoryKey,
    InfoKey,
    TableKey,
)
from danvan_cli.record import Record
from danvan_cli.text.normalize import fold

__all__ = [
    "HISTORY_REQUIRED",
    "TABLE_KEYS",
    "HistoryKey",
    "InfoField",
    "InfoKey",
    "Labels",
    "TableKey",
    "labels",
]


class InfoField(Record):
    __slots__ = ("key", "labels", "required")

    def __init__(self, key: InfoKey, labels: tuple[str, ...], required: bool) -> None:
        self.key, self.labels, self.required = key, labels, required

    @property
    def label(self) -> str:
        return self.labels[0]


class Labels(Record):
    __slots__ = (
        "history",
        "history_labels",
        "info",
        "info_by_fold",
        "known",
        "papers_header",
        "papers_label",
        "table",
        "table_labels",
        "total_label",
        "total_row",
        "values",
        "words",
    )
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
    known: frozenset[str]  # every folded label above: never a value

    def __init__(self, **values: Any) -> None:
        for name in self.__slots__:
            setattr(self, name, values[name])

    def is_known(self, folded: str) -> bool:
        """A folded cell text that is a label of some kind, so never a value."""
        return folded in self.known


def _value_key(text: str) -> str:
    """Fold a short value; punctuation-only values such as "-" are kept as they are."""
    return fold(text) or text.strip()


def _folded(labels: list[str]) -> frozenset[str]:
    return frozenset(fold(x) for x in labels)


def _check(raw: Any) -> None:
    from danvan_cli.read.label_schema import LabelFile

    LabelFile.model_validate(raw)


@cache
def labels() -> Labels:
    raw = yamlio.load_file_checked(Path(__file__).parent / "labels.yaml", _check, "labels")
    info: dict[InfoKey, InfoField] = {
        key: InfoField(key, tuple(spec["labels"]), spec["required"])
        for key, spec in raw["info"].items()
    }
    values: dict[str, list[str]] = raw["values"]
    table = {k: _folded(v) for k, v in raw["table"].items()}
    info_by_fold = {fold(lab): key for key, f in info.items() for lab in f.labels}
    total_row, papers_header = _folded(raw["total_row"]), _folded(raw["papers_header"])
    return Labels(
        info=info,
        info_by_fold=info_by_fold,
        table=table,
        table_labels={k: v[0] for k, v in raw["table"].items()},
        total_row=total_row,
        papers_header=papers_header,
        values={k: frozenset(_value_key(x) for x in words) for k, words in values.items()},
        history={k: _folded(v) for k, v in raw["history"].items()},
        history_labels={k: v[0] for k, v in raw["history"].items()},
        words={k: v[0] for k, v in values.items()},
        total_label=raw["total_row"][0],
        papers_label=raw["papers_header"][0],
        known=frozenset(info_by_fold).union(total_row, papers_header, *table.values()),
    )
