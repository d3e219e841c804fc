"""The blank form: what it offers units, and that a copy filled by its labels validates clean."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from danvan_cli.cli import app
from danvan_cli.validate.run import validate_file

runner = CliRunner()

VALUES = {
    "Năm": 2024,
    "Tên tập thể": "Chi hội Phụ nữ thôn Tân Phước",
    "Họ và tên": "Trần Văn Bình",
    "Chức vụ": "Chủ tịch Hội Cựu chiến binh xã",
    "Đơn vị": "Hội Liên hiệp Phụ nữ xã Vạn Phước",
    "Đơn vị công tác": "Ủy ban nhân dân xã Vạn Bình",
    "Tên mô hình": "Phụ nữ chung tay bảo vệ môi trường biển",
    "Lĩnh vực": "Văn hóa - xã hội",
    "Thời gian triển khai": "01/2024 - 12/2024",
    "Ngày đăng ký": dt.date(2024, 2, 1),
    "Ngày nộp hồ sơ": dt.date(2024, 8, 28),
    "Quyết định công nhận cấp cơ sở": "31/QĐ-UBND ngày 20/6/2024",
    "Điều kiện khó khăn": "Có",
}


def _make(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"mau-{kind}.xlsx"
    result = runner.invoke(app, ["template", "--kind", kind, "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _fill(path: Path) -> Path:
    """Fill the form as a person would: value right of each label, scores, evidence, papers."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    in_papers = False
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        first = row[0].value
        if isinstance(first, str) and first in VALUES:
            ws.cell(row[0].row, 3, VALUES[first])
        if isinstance(first, str) and len(first) == 2 and first.isdigit():
            maximum = row[2].value
            ws.cell(row[0].row, 4, maximum - 0.5 if maximum >= 15 else maximum)
            ws.cell(row[0].row, 5, "Tổ chức 8 hội nghị, 1.200 lượt hội viên tham dự")
        if row[1].value == "Thành phần hồ sơ":
            in_papers = True
            continue
        if in_papers and row[1].value:
            ws.cell(row[0].row, 3, "x")
    filled = path.with_name("da-dien-" + path.name)
    wb.save(filled)
    return filled


@pytest.mark.parametrize("kind", ["collective", "individual"])
def test_filled_template_validates_clean(kind, tmp_path, config):
    report = validate_file(_fill(_make(tmp_path, kind)), config)
    assert report.findings == []
    assert report.valid
    assert report.kind == kind
    expected = 97.0 if kind == "collective" else 97.5
    assert report.total == expected


def test_blank_template_lists_what_is_missing(tmp_path, config):
    report = validate_file(_make(tmp_path, "collective"), config)
    codes = {f.code for f in report.findings}
    assert {"info.missing", "score.missing", "evidence.missing", "document.missing"} <= codes
    missing = {f.params["label"]: f.cell for f in report.findings if f.code == "info.missing"}
    assert missing["Năm"] == "C9"


def test_template_has_rubric_maxima_validation_and_protection(tmp_path, config):
    wb = openpyxl.load_workbook(_make(tmp_path, "individual"))
    ws = wb.active
    assert ws.title == "Bản tự chấm điểm"
    assert ws.protection.sheet is True
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    maxima = [ws.cell(rows[f"0{i}"], 3).value for i in range(1, 8)]
    assert maxima == [15, 15, 20, 10, 10, 15, 15]
    assert ws.cell(rows["Tổng điểm"], 4).value == f"=SUM(D{rows['01']}:D{rows['07']})"
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    score = rules[f"D{rows['03']}"]
    assert (score.type, score.formula1, score.formula2) == ("decimal", "0", "20")
    assert "từ 18 trở lên" in score.prompt
    kind = rules[f"C{rows['Loại']}"]
    assert kind.type == "list" and kind.formula1 == '"Tập thể,Cá nhân"'
    assert ws.cell(rows["Loại"], 3).value == "Cá nhân"
    field = rules[f"C{rows['Lĩnh vực']}"]
    assert "Quốc phòng - an ninh" in field.formula1
    assert ws.cell(rows["03"], 4).protection.locked is False
    assert ws.cell(rows["03"], 3).protection.locked is True
    assert ws.cell(rows["Năm"], 1).protection.locked is True
    assert ws.cell(rows["Năm"], 1).font.name == "Times New Roman"
    assert int(ws.page_setup.paperSize) == 9  # A4
