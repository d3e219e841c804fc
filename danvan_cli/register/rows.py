"""The register's recognitions as rows of the history columns (Năm | Cấp | Loại | Tên | Đơn vị
| Số quyết định | Ngày quyết định): what `history export` writes and `history show` prints."""

from __future__ import annotations

import unicodedata
from typing import Any

from danvan_cli.config.load import Config
from danvan_cli.read.labels import labels
from danvan_cli.register.store import Recognition


def headers() -> list[str]:
    return list(labels().history_labels.values())


def as_recorded(recorded: str, latest: str) -> str:
    """A name as the decision wrote it ("Nguyễn Thị Hòa" stays "Hòa" even when the latest
    dossier writes "Hoà"); a list typed in capitals shows the spelling of the latest year."""
    same = (
        unicodedata.normalize("NFC", recorded).casefold()
        == unicodedata.normalize("NFC", latest).casefold()
    )
    return latest if same else recorded


def history_rows(recognitions: list[Recognition], config: Config) -> list[list[Any]]:
    """One row per recognition, its name and unit as recorded (the history columns)."""
    names = {lv.id: lv.name for lv in config.plan.levels}
    return [
        [
            r.year,
            names.get(r.level, r.level),
            labels().words[r.candidate.kind],
            as_recorded(r.name, r.candidate.name),
            as_recorded(r.unit, r.candidate.unit),
            r.decision_no or "",
            r.decision_date or "",
        ]
        for r in recognitions
    ]
