"""The rejection report workbook, written, reopened and read back."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from builders import spec, table_rows, write
from danvan_cli.cli import app

runner = CliRunner()


def test_rejection_report_rows_and_layout(tmp_path):
    folder = tmp_path / "ho-so"
    folder.mkdir()
    hostile = spec(
        **{"Tên tập thể": '=HYPERLINK("http://x","bấm")', "Đơn vị": "+cmd|' /C calc'!A0"}
    )
    hostile.score("05", 10)
    write(folder / "a.xlsx", hostile)
    write(folder / "b.xlsx", spec("individual"))
    late = spec(
        "individual", **{"Ngày nộp hồ sơ": "05/09/2024", "Đơn vị": "Ủy ban nhân dân xã Vạn Thắng"}
    )
    write(folder / "c.xlsx", late)
    out = tmp_path / "bao-cao.xlsx"
    result = runner.invoke(app, ["validate", str(folder), "--report", str(out)])
    assert result.exit_code == 1
    assert out.exists() and not list(tmp_path.glob(".danvan-*"))

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Chi tiết lỗi", "Tổng hợp theo đơn vị", "Nguồn dữ liệu"]
    sources = {r[0].value: r[1].value for r in wb["Nguồn dữ liệu"].iter_rows(min_row=2)}
    assert sources["danvan"] and len(sources["van-ninh-2023.yaml"]) == 64
    assert len(sources[str(folder / "a.xlsx")]) == 64
    assert "van-ninh-2023.yaml sha256:" in wb.properties.description
    ws = wb["Chi tiết lỗi"]
    # headed by the Board that signs it (a Party body), not by the People's Committee
    assert (ws["A1"].value, ws["A2"].value) == ("HUYỆN ỦY VẠN NINH", "BAN DÂN VẬN")
    right = [c.value for row in ws.iter_rows(max_row=3, min_col=2) for c in row if c.value]
    assert right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM" and right[1].startswith("Vạn Ninh, ngày ")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in right
    header_row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "STT")
    headers = [c.value for c in ws[header_row]]
    assert headers == [
        "STT",
        "Tên tập thể / cá nhân",
        "Đơn vị",
        "Vị trí",
        "Quy định",
        "Mức độ",
        "Nội dung",
        "Cách sửa",
        "Tệp",  # for the screen: outside the print area (the signed page)
    ]
    assert ws.print_area == f"'Chi tiết lỗi'!$A$1:$H${ws.max_row}"
    rows = table_rows(ws, header_row)  # the signature block follows the table
    assert len(rows) == 2
    first, second = rows
    assert first[1] == '=HYPERLINK("http://x","bấm")'
    assert ws.cell(header_row + 1, 2).data_type == "s"  # text, not a formula
    assert ws.cell(header_row + 1, 3).data_type == "s"
    # the rule in words, with the plan's figures (as the notices say it)
    assert (first[3], first[4], first[5]) == (
        "Hồ sơ!D19",
        "Mỗi tiêu chí đạt từ 90% điểm chuẩn, tổng từ 90 điểm",
        "Lỗi",
    )
    assert "thiếu 3,5 điểm" in first[6]
    assert (second[2], second[4]) == (
        "Ủy ban nhân dân xã Vạn Thắng",
        "Thời hạn đăng ký và nộp hồ sơ",
    )
    assert first[8] == "a.xlsx"  # its file, for the screen
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.auto_filter.ref == f"A{header_row}:I{header_row + 2}"
    assert ws.print_title_rows == f"${header_row}:${header_row}"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.cell(header_row + 1, 8).font.name == "Times New Roman"
    assert ws.column_dimensions["G"].width >= 40

    units = wb["Tổng hợp theo đơn vị"]
    top = next(r for r in range(1, 20) if units.cell(r, 1).value == "STT")
    table = table_rows(units, top)
    assert table == [  # Vietnamese alphabetical order; symbols after letters
        [1, "Ủy ban nhân dân xã Vạn Thắng", 2, 1, 1, 1, 0],
        [2, "+cmd|' /C calc'!A0", 1, 0, 1, 1, 0],
    ]

    raw = openpyxl.load_workbook(out, data_only=False)["Chi tiết lỗi"]
    assert not any(
        isinstance(c.value, str) and c.data_type == "f" for row in raw.iter_rows() for c in row
    )
