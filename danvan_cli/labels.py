"""The label contract of DESIGN §3, loaded once from `labels.yaml`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from danvan_cli import yamlio
from danvan_cli.textnorm import fold


@dataclass(frozen=True)
class InfoField:
    key: str
    labels: tuple[str, ...]
    required: bool

    @property
    def label(self) -> str:
        return self.labels[0]


@dataclass(frozen=True)
class Labels:
    info: dict[str, InfoField]
    info_by_fold: dict[str, str]  # folded label -> info key
    table: dict[str, frozenset[str]]  # column key -> folded header labels
    table_labels: dict[str, str]  # column key -> canonical header label
    total_row: frozenset[str]
    papers_header: frozenset[str]
    values: dict[str, frozenset[str]]

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


@cache
def labels() -> Labels:
    raw = yamlio.load_file_cached(Path(__file__).parent / "labels.yaml")
    info = {
        key: InfoField(key, tuple(spec["labels"]), bool(spec["required"]))
        for key, spec in raw["info"].items()
    }
    by_fold = {fold(lab): key for key, f in info.items() for lab in f.labels}
    return Labels(
        info=info,
        info_by_fold=by_fold,
        table={k: frozenset(fold(x) for x in v) for k, v in raw["table"].items()},
        table_labels={k: v[0] for k, v in raw["table"].items()},
        total_row=frozenset(fold(x) for x in raw["total_row"]),
        papers_header=frozenset(fold(x) for x in raw["papers_header"]),
        values={k: frozenset(_value_key(x) for x in v) for k, v in raw["values"].items()},
    )
