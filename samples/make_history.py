"""Write samples/lich-su-cong-nhan.xlsx: past district recognitions in Vạn Ninh.

The history lets the province step (R5: recognized at district level two years running)
work from the first year danvan is used. Names are typed the way offices type them:
upper case, decomposed Unicode (NFD), "UBND" for "Ủy ban nhân dân".
Run: python samples/make_history.py
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from pathlib import Path

os.environ["OPENPYXL_LXML"] = "False"  # as in make_samples.py: the serializer of the committed file
import openpyxl
from make_samples import save

HERE = Path(__file__).resolve().parent
NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731

ROWS = [
    # year, level, kind, name, unit, decision, date
    (
        2022,
        "Huyện",
        "Tập thể",
        "Ủy ban MTTQ Việt Nam xã Vạn Phú",
        "xã Vạn Phú",
        "2150/QĐ-UBND",
        dt.date(2022, 9, 26),
    ),
    (
        2022,
        "Huyện",
        "Cá nhân",
        "Lê Văn Tư",
        "Hội Nông dân xã Vạn Hưng",
        "2150/QĐ-UBND",
        dt.date(2022, 9, 26),
    ),
    (
        2023,
        "Huyện",
        "Tập thể",
        "Ủy ban MTTQ Việt Nam xã Vạn Phú",
        "xã Vạn Phú",
        "2311/QĐ-UBND",
        dt.date(2023, 9, 22),
    ),
    (
        2023,
        "Huyện",
        "Tập thể",
        "Chi hội Phụ nữ thôn Tân Phước",
        "xã Vạn Phước",
        "2311/QĐ-UBND",
        dt.date(2023, 9, 22),
    ),
    (
        2023,
        "Huyện",
        "Cá nhân",
        "NGUYỄN THỊ HOA",
        "Hội Phụ nữ xã Vạn Thắng",
        "2311/QĐ-UBND",
        dt.date(2023, 9, 22),
    ),
    (
        2023,
        "Huyện",
        "Cá nhân",
        NFD("Trần Văn Minh"),
        NFD("Thôn Phú Hội 1, xã Vạn Phú"),
        "2311/QĐ-UBND",
        dt.date(2023, 9, 22),
    ),
    (
        2023,
        "Huyện",
        "Cá nhân",
        "Bùi Quang Vinh",
        "Hội Cựu chiến binh xã Vạn Thạnh",
        "2311/QĐ-UBND",
        dt.date(2023, 9, 22),
    ),
    (
        2023,
        "Huyện",
        "Cá nhân",
        "Nguyễn Thị Hòa",
        "Hội Phụ nữ xã Vạn Long",
        "2311/QĐ-UBND",
        dt.date(2023, 9, 22),
    ),
    (
        2023,
        "Cơ sở",
        "Cá nhân",
        "Võ Thị Kim Liên",
        "UBND xã Vạn Bình",
        "45/QĐ-UBND",
        dt.date(2023, 6, 12),
    ),
]


def main(path: Path = HERE / "lich-su-cong-nhan.xlsx") -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws["A1"] = "ỦY BAN NHÂN DÂN HUYỆN VẠN NINH"
    ws["A2"] = 'DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC CÔNG NHẬN ĐIỂN HÌNH "DÂN VẬN KHÉO" 2022-2023'
    ws.merge_cells("A2:G2")
    ws.append([])
    ws.append(["NĂM", "Cấp", "Loại", "Tên", "Đơn vị", "Số quyết định", "Ngày quyết định"])
    for row in ROWS:
        ws.append(list(row))
        ws.cell(ws.max_row, 7).number_format = "dd/mm/yyyy"
    wb.properties.created = dt.datetime(2024, 1, 1)
    save(wb, path)  # fixed zip times and dates: same bytes each run


if __name__ == "__main__":
    main()
