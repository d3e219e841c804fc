"""Write lich-su-cong-nhan.xlsx from history.yaml: past district recognitions in Vạn Ninh.

The history lets the province step (R5: recognized at district level two years running)
work from the first year danvan is used. make_samples.py writes it with the intake;
alone: python samples/make_history.py
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Any

os.environ["OPENPYXL_LXML"] = "False"  # as in make_samples.py: the committed file's serializer

import layouts
import openpyxl
import yaml

HERE = Path(__file__).resolve().parent


def write(root: Path = HERE) -> dict[str, dict[str, Any]]:
    """Write the history workbook into `root`; return what `danvan validate` must say of it."""
    data = yaml.safe_load((HERE / "history.yaml").read_text(encoding="utf-8"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws["A1"] = "ỦY BAN NHÂN DÂN HUYỆN VẠN NINH"
    ws["A2"] = data["title"]
    ws.merge_cells("A2:G2")
    ws.append([])
    ws.append(data["columns"])
    for row in data["rows"]:
        if isinstance(row[-1], dict) and row.pop()["nfd"]:
            row[3:5] = [unicodedata.normalize("NFD", text) for text in row[3:5]]
        ws.append(row)
        ws.cell(ws.max_row, 7).number_format = "dd/mm/yyyy"
    layouts.save(wb, root / data["file"])
    return {data["file"]: {"valid": False, **data["expected"]}}


if __name__ == "__main__":
    write()
