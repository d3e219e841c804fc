"""Dossier workbooks built with openpyxl the way units build them, for the tests.

The layouts themselves (where labels, values and tables go) live in samples/layouts.py,
which also builds the sample intake; this module adds the tests' default dossier.
"""

from __future__ import annotations

import copy
import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "samples"))

from layouts import LAYOUTS, Dossier, Formula, put  # noqa: F401 (Formula, put: for the tests)

EVIDENCE = "Tổ chức 12 buổi tuyên truyền cho 1.250 lượt người; Báo cáo số 45/BC-UBND"

COLLECTIVE_MAX = {"01": 15, "02": 15, "03": 15, "04": 15, "05": 15, "06": 15, "07": 10}
INDIVIDUAL_MAX = {"01": 15, "02": 15, "03": 20, "04": 10, "05": 10, "06": 15, "07": 15}
COLLECTIVE_SCORES = {"01": 14, "02": 14.5, "03": 15, "04": 13.5, "05": 15, "06": 14, "07": 9.5}
INDIVIDUAL_SCORES = {"01": 14, "02": 15, "03": 19, "04": 10, "05": 9, "06": 14.5, "07": 15}

PAPERS = [
    ("Tờ trình đề nghị khen thưởng của UBND xã", "x"),
    ("Biên bản họp xét duyệt thi đua", "Có"),
    ("Báo cáo thành tích (Mẫu số 07)", "✓"),
    ("Quyết định khen thưởng điển hình cấp cơ sở", "25/QĐ-UBND"),
]


@dataclass
class Spec(Dossier):
    """A dossier (info, rows, total, papers, header) for the tests, with its kind."""

    kind: str = "collective"
    papers: list[tuple[str, Any]] | None = field(default_factory=lambda: list(PAPERS))

    def score(self, code: str, value: Any) -> Spec:
        for row in self.rows:
            if row[0] == code:
                row[3] = value
        return self

    def row(self, code: str) -> list[Any]:
        return next(r for r in self.rows if r[0] == code)

    def copy(self) -> Spec:
        return copy.deepcopy(self)


def spec(kind: str = "collective", **info: Any) -> Spec:
    """A valid district-level dossier spec."""
    maxima = COLLECTIVE_MAX if kind == "collective" else INDIVIDUAL_MAX
    scores = COLLECTIVE_SCORES if kind == "collective" else INDIVIDUAL_SCORES
    base: dict[str, Any] = {
        "Năm": 2024,
        "Loại": "Tập thể" if kind == "collective" else "Cá nhân",
        ("Tên tập thể" if kind == "collective" else "Họ và tên"): (
            "Hội Nông dân xã Vạn Thắng" if kind == "collective" else "Nguyễn Thị Hòa"
        ),
        "Đơn vị": "Ủy ban nhân dân xã Vạn Thắng",
        "Tên mô hình": "Dân vận khéo trong xây dựng nông thôn mới",
        "Lĩnh vực": "Văn hóa - xã hội",
        "Ngày đăng ký": dt.date(2024, 2, 10),
        "Ngày nộp hồ sơ": dt.date(2024, 8, 20),
        "Cấp đề nghị": "Huyện",
        "Quyết định công nhận cấp cơ sở": "25/QĐ-UBND ngày 15/6/2024",
    }
    base.update(info)
    rows = [[code, f"Tiêu chí {code}", mx, scores[code], EVIDENCE] for code, mx in maxima.items()]
    return Spec(kind=kind, info=base, rows=rows)


def write(path: Path, s: Spec, layout: str = "pairs") -> Path:
    """Write `s` in one of the layouts units use: pairs, sheets or header."""
    if layout not in LAYOUTS:
        raise ValueError(layout)
    wb, _ = LAYOUTS[layout](s)
    wb.save(path)
    return path


def table_rows(ws: Any, header: int) -> list[list[Any]]:
    """The values of a printed table's rows under its header row `header`, up to the first
    empty row (a signature block follows the table)."""
    rows = []
    for r in ws.iter_rows(min_row=header + 1):
        values = [c.value for c in r]
        if all(v is None for v in values):
            break
        rows.append(values)
    return rows
