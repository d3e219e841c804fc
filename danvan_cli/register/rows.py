"""The register's recognitions as rows of the history columns (Năm | Cấp | Loại | Tên | Đơn vị
| Số quyết định | Ngày quyết định): what `history export` writes and `history show` prints."""

from __future__ import annotations

from typing import Any

from danvan_cli.config.load import Config
from danvan_cli.read.labels import labels
from danvan_cli.register.store import Recognition


def headers() -> list[str]:
    return list(labels().history_labels.values())


def history_rows(recognitions: list[Recognition], config: Config) -> list[list[Any]]:
    """One row per recognition; the candidate's name and unit as spelled in the latest year."""
    names = {lv.id: lv.name for lv in config.plan.levels}
    return [
        [
            r.year,
            names.get(r.level, r.level),
            labels().words[r.candidate.kind],
            r.candidate.name,
            r.candidate.unit,
            r.decision_no or "",
            r.decision_date or "",
        ]
        for r in recognitions
    ]
