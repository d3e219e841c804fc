"""Dossier workbooks built with openpyxl the way units build them, for the tests."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

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


class Formula(str):
    """A cell value to be written as an Excel formula; any other text stays text."""


def put(ws: Any, row: int, col: int, value: Any) -> None:
    cell = ws.cell(row, col, value)
    if isinstance(value, str) and not isinstance(value, Formula):
        cell.data_type = "s"


@dataclass
class Spec:
    kind: str = "collective"
    info: dict[str, Any] = field(default_factory=dict)
    rows: list[list[Any]] = field(default_factory=list)  # STT, criterion, max, score, evidence
    total: Any = None
    papers: list[tuple[str, Any]] | None = field(default_factory=lambda: list(PAPERS))
    header: list[str] = field(
        default_factory=lambda: [
            "STT",
            "Tiêu chí",
            "Điểm chuẩn",
            "Điểm tự chấm",
            "Tài liệu kiểm chứng",
        ]
    )

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


def _write_table(ws: Any, top: int, left: int, s: Spec) -> int:
    for i, text in enumerate(s.header):
        put(ws, top, left + i, text)
    r = top
    for row in s.rows:
        r += 1
        for i, value in enumerate(row):
            if value is not None:
                put(ws, r, left + i, value)
    r += 1
    ws.cell(r, left + 1, "Tổng điểm")
    if s.total is not None:
        put(ws, r, left + 3, s.total)
    return r


def _write_papers(ws: Any, top: int, left: int, s: Spec) -> None:
    if s.papers is None:
        return
    ws.cell(top, left, "STT")
    ws.cell(top, left + 1, "Thành phần hồ sơ")
    ws.cell(top, left + 2, "Có/Không")
    for i, (label, mark) in enumerate(s.papers, start=1):
        ws.cell(top + i, left, i)
        put(ws, top + i, left + 1, label)
        if mark is not None:
            put(ws, top + i, left + 2, mark)


def write(path: Path, s: Spec, layout: str = "pairs") -> Path:
    """Write `s` in one of the layouts units use: pairs, sheets or header."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Hồ sơ"
    if layout == "pairs":
        ws["A1"] = "BẢN TỰ ĐÁNH GIÁ CHẤM ĐIỂM"
        ws.merge_cells("A1:E1")
        r = 2
        for label, value in s.info.items():
            r += 1
            ws.cell(r, 1, f"{label}:")
            if value is not None:
                put(ws, r, 2, value)
        end = _write_table(ws, r + 2, 1, s)
        _write_papers(ws, end + 2, 1, s)
    elif layout == "sheets":
        ws.title = "Thông tin"
        r = 0
        for label, value in s.info.items():
            r += 1
            ws.cell(r, 1, label)
            if value is not None:
                put(ws, r, 3, value)  # a blank cell between label and value
        _write_papers(ws, r + 3, 1, s)
        ws2 = wb.create_sheet("Chấm điểm")
        ws2["B1"] = "BẢNG CHẤM ĐIỂM"
        ws2.merge_cells("B1:F2")
        _write_table(ws2, 4, 2, s)
    elif layout == "header":
        for i, (label, value) in enumerate(s.info.items(), start=1):
            ws.cell(2, i, label)
            if value is not None:
                put(ws, 3, i, value)
        end = _write_table(ws, 6, 1, s)
        _write_papers(ws, end + 3, 1, s)
    else:
        raise ValueError(layout)
    wb.save(path)
    return path
