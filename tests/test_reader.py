"""The tolerant reader: layouts, formats and the odd things real files bring."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from builders import Formula, spec, write
from conftest import ROOT, SAMPLES
from danvan_cli.dossier.read import read_dossier
from danvan_cli.read.grid import read_grids
from danvan_cli.read.layout import locate
from danvan_cli.validate.run import validate_file

FIXTURES = ROOT / "tests" / "fixtures"


@pytest.mark.parametrize(
    ("fixture", "original", "codes"),
    [
        (
            "tt-11-hoi-cuu-chien-binh-van-thanh.xls",
            "tt-11-hoi-cuu-chien-binh-van-thanh.xlsx",
            set(),
        ),
        # danvan's 2024 form cites Mẫu 07 of Nghị định 91/2017, replaced from 01/01/2024
        (
            "tt-01-hoi-nong-dan-van-thang.xls",
            "tt-01-hoi-nong-dan-van-thang.xlsx",
            {"document.superseded_text"},
        ),
        ("cn-05-vo-thi-kim-lien.ods", "cn-05-vo-thi-kim-lien.xlsx", {"total.mismatch"}),
    ],
)
def test_xls_and_ods_read_like_the_xlsx(fixture, original, codes, config):
    old = validate_file(FIXTURES / fixture, config)
    new = validate_file(SAMPLES / "2024" / original, config)
    assert {f.code for f in old.findings} == codes
    assert old.valid and new.valid
    assert (old.total, old.scores, old.info.name, old.info.unit) == (
        new.total,
        new.scores,
        new.info.name,
        new.info.unit,
    )


def test_xlsm_is_read(tmp_path, config):
    path = write(tmp_path / "a.xlsx", spec())
    macro = path.rename(tmp_path / "a.xlsm")
    report = validate_file(macro, config)
    assert report.valid and report.total == 95.5


@pytest.mark.parametrize("layout", ["pairs", "sheets", "header"])
def test_every_value_remembers_its_sheet_and_cell(layout, tmp_path, config):
    grids = read_grids(write(tmp_path / "a.xlsx", spec(), layout))
    d, _ = read_dossier(locate(grids), config)
    expected = {"pairs": ("Hồ sơ", "B3"), "sheets": ("Thông tin", "C1"), "header": ("Hồ sơ", "A3")}
    assert (d.info.year, *d.where("year")) == (2024, *expected[layout])
    score = next(c for c in d.rows if c.code == "01").score
    assert score is not None and score.sheet in ("Hồ sơ", "Chấm điểm")


def test_nfd_labels_decimal_commas_text_dates_merged_title_blank_rows(tmp_path, config):
    s = spec()
    s.info = {unicodedata.normalize("NFD", k.upper()) + " :": v for k, v in s.info.items()}
    s.info[unicodedata.normalize("NFD", "TÊN TẬP THỂ :")] = unicodedata.normalize(
        "NFD", "Hội Nông dân xã Vạn Thắng"
    )
    s.info[unicodedata.normalize("NFD", "NGÀY ĐĂNG KÝ :")] = "10-2-2024"
    s.info[unicodedata.normalize("NFD", "NGÀY NỘP HỒ SƠ :")] = 45524  # serial for 20/08/2024
    for row in s.rows:
        row[3] = str(row[3]).replace(".", ",")
    s.rows.insert(3, [None, None, None, None, None])  # a blank row inside the table
    s.total = Formula("=SUM(D15:D22)")
    report = validate_file(write(tmp_path / "a.xlsx", s), config)
    assert report.findings == []
    assert report.total == 95.5
    assert report.info.name == "Hội Nông dân xã Vạn Thắng"  # stored as NFC
    assert report.info.registered_on == dt.date(2024, 2, 10)
    assert report.info.submitted_on == dt.date(2024, 8, 20)


def test_table_found_wherever_it_stands_and_numbers_in_any_form(tmp_path, config):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chấm điểm"
    ws["F20"], ws["G20"], ws["H20"], ws["I20"], ws["J20"] = (
        "Số TT",
        "Nội dung tiêu chí",
        "Điểm tối đa",
        "Điểm tự đánh giá",
        "Tài liệu minh chứng",
    )
    numbers = [1, "02", 3.0, "4.", "5", "06", 7]
    for i, (n, (code, mx)) in enumerate(
        zip(
            numbers,
            {"01": 15, "02": 15, "03": 15, "04": 15, "05": 15, "06": 15, "07": 10}.items(),
            strict=True,
        )
    ):
        ws.cell(21 + i, 6, n)
        ws.cell(21 + i, 7, f"Tiêu chí {code}")
        ws.cell(21 + i, 8, mx)
        ws.cell(21 + i, 9, mx)
        ws.cell(21 + i, 10, f"{i + 3} văn bản")
    ws.cell(28, 7, "Tổng cộng")
    layout = locate(read_grids(_save(wb, tmp_path)))
    assert layout.table is not None
    assert [r.number.cell for r in layout.table.rows] == [f"F{r}" for r in range(21, 28)]
    report = validate_file(tmp_path / "a.xlsx", config)
    assert report.total == 100 and report.kind == "collective"  # inferred from the maxima
    assert "info.missing" in {f.code for f in report.findings}


def test_value_that_reads_like_a_label_is_still_a_value(tmp_path, config):
    s = spec(**{"Cấp đề nghị": "Cấp cơ sở"})
    report = validate_file(write(tmp_path / "a.xlsx", s), config)
    assert report.info.level == "co-so"
    assert report.valid


def _save(wb: openpyxl.Workbook, tmp_path: Path) -> Path:
    path = tmp_path / "a.xlsx"
    wb.save(path)
    return path


def test_papers_title_standing_over_the_row_numbers(tmp_path, config):
    """A clerk's common layout: "Thành phần hồ sơ" in the STT column, numbers under it."""
    path = write(tmp_path / "a.xlsx", spec())
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "Thành phần hồ sơ")
    ws.cell(header, 1, "Thành phần hồ sơ")
    ws.cell(header, 2, None)
    ws.cell(header, 3, None)
    wb.save(path)
    report = validate_file(path, config)
    assert report.findings == []


def test_header_style_level_value_that_reads_like_a_label(tmp_path, config):
    s = spec(**{"Cấp đề nghị": "Cấp cơ sở"})
    s.info.pop("Quyết định công nhận cấp cơ sở")
    s.papers = None
    report = validate_file(write(tmp_path / "a.xlsx", s, "header"), config)
    assert report.info.level == "co-so"
    assert report.findings == []
