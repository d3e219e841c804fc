"""Every finding code, produced from a real workbook; the catalog has both languages."""

from __future__ import annotations

import re
import shutil
import string
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from builders import Spec, spec, write
from danvan_cli.i18n.catalog import LANGS, catalog
from danvan_cli.read import gate
from danvan_cli.validate.run import validate_file


def _edit(path: Path, fn: Callable[[openpyxl.Workbook], None]) -> None:
    wb = openpyxl.load_workbook(path)
    fn(wb)
    wb.save(path)


def _drop(key: str) -> Callable[[Spec], None]:
    return lambda s: s.info.pop(key)


def _set(key: str, value: object) -> Callable[[Spec], None]:
    return lambda s: s.info.__setitem__(key, value)


def _scores(**values: object) -> Callable[[Spec], None]:
    def apply(s: Spec) -> None:
        for code, value in values.items():
            s.score(code.lstrip("c"), value)

    return apply


def _row(code: str, col: int, value: object) -> Callable[[Spec], None]:
    return lambda s: s.row(code).__setitem__(col, value)


def _header(old: str, new: str) -> Callable[[Spec], None]:
    return lambda s: s.header.__setitem__(s.header.index(old), new)


def _papers(
    fn: Callable[[list[tuple[str, object]]], list[tuple[str, object]] | None],
) -> Callable[[Spec], None]:
    def apply(s: Spec) -> None:
        s.papers = fn(list(s.papers or []))

    return apply


def _old_score_column(s: Spec) -> None:
    """An old "Tự chấm" column left (often hidden) beside the real one."""
    s.header.insert(3, "Tự chấm")
    for row in s.rows:
        row.insert(3, row[3] - 1)


# code -> (change to a valid spec, the exact set of codes expected)
SPEC_CASES: dict[str, tuple[Callable[[Spec], None], set[str]]] = {
    "info.missing": (_drop("Ngày đăng ký"), {"info.missing"}),
    "info.invalid": (_set("Ngày nộp hồ sơ", "31/02/2024"), {"info.invalid"}),
    "info.benefit_missing": (_set("Lĩnh vực", "a) Kinh tế"), {"info.benefit_missing"}),
    "score.table_missing": (_header("Điểm tự chấm", "Điểm"), {"score.table_missing"}),
    "score.column_missing": (_header("Điểm chuẩn", "Ghi chú"), {"score.column_missing"}),
    "score.criterion_missing": (lambda s: s.rows.pop(4), {"score.criterion_missing"}),
    "score.criterion_unknown": (
        lambda s: s.rows.append(["08", "Tiêu chí thêm", 5, 5, "3 buổi"]),
        {"score.criterion_unknown"},
    ),
    "score.criterion_repeated": (
        lambda s: s.rows.insert(3, list(s.row("03"))),
        {"score.criterion_repeated"},
    ),
    "score.max_mismatch": (_row("07", 2, 15), {"score.max_mismatch"}),
    "score.column_repeated": (_old_score_column, {"score.column_repeated"}),
    "score.missing": (_scores(c03=None), {"score.missing"}),
    "score.not_number": (_scores(c03="mười lăm"), {"score.not_number"}),
    "score.out_of_range": (_scores(c03=16), {"score.out_of_range"}),
    "score.below_threshold": (_scores(c04=13), {"score.below_threshold"}),
    "total.below_threshold": (
        _scores(c01=10, c02=10, c03=10),
        {"score.below_threshold", "total.below_threshold"},
    ),
    "total.mismatch": (lambda s: setattr(s, "total", 99), {"total.mismatch"}),
    "evidence.missing": (_row("02", 4, None), {"evidence.missing"}),
    "evidence.no_figure": (
        _row("02", 4, "Có tổ chức tuyên truyền thường xuyên"),
        {"evidence.no_figure"},
    ),
    "evidence.column_missing": (
        _header("Tài liệu kiểm chứng", "Ghi chú"),
        {"evidence.column_missing"},
    ),
    "document.table_missing": (_papers(lambda p: None), {"document.table_missing"}),
    "document.missing": (
        _papers(lambda p: [x for x in p if "Biên bản" not in x[0]]),
        {"document.missing"},
    ),
    "deadline.registration_late": (
        _set("Ngày đăng ký", "20/02/2024"),
        {"deadline.registration_late"},
    ),
    "deadline.submission_late": (
        _set("Ngày nộp hồ sơ", "05/09/2024"),
        {"deadline.submission_late"},
    ),
    "eligibility.lower_decision_missing": (
        _drop("Quyết định công nhận cấp cơ sở"),
        {"eligibility.lower_decision_missing"},
    ),
}


def _valid_file(tmp_path: Path) -> Path:
    return write(tmp_path / "hop-le.xlsx", spec())


def _truncated(tmp_path: Path) -> Path:
    data = _valid_file(tmp_path).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "bang.xlsx"
    path.write_text("STT,Tiêu chí,Điểm\n1,abc,15\n", encoding="utf-8")
    return path


def _text_file(tmp_path: Path) -> Path:
    path = tmp_path / "README.md"
    path.write_text("# Hướng dẫn\n\nKhông phải hồ sơ.\n", encoding="utf-8")
    return path


def _encrypted(tmp_path: Path) -> Path:
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = _valid_file(tmp_path)
    path = tmp_path / "mat-khau.xlsx"
    with plain.open("rb") as src, path.open("wb") as dst:
        OOXMLFile(src).encrypt("123", dst)
    assert msoffcrypto  # imported for its side effect of being available
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "trong.xlsx"
    openpyxl.Workbook().save(path)
    return path


def _zero_bytes(tmp_path: Path) -> Path:
    path = tmp_path / "zero.xlsx"
    path.write_bytes(b"")
    return path


def _conflict(tmp_path: Path) -> Path:
    path = write(tmp_path / "trung.xlsx", spec())
    _edit(path, lambda wb: (wb.active.cell(40, 1, "Năm"), wb.active.cell(40, 2, 2023)))
    return path


def _repeated_table(tmp_path: Path) -> Path:
    s = spec()
    path = write(tmp_path / "hai-bang.xlsx", s)

    def add(wb: openpyxl.Workbook) -> None:
        ws = wb.create_sheet("Bảng cũ")
        ws.append(s.header)
        for row in s.rows:
            ws.append(row)

    _edit(path, add)
    return path


def _lock(tmp_path: Path) -> Path:
    path = tmp_path / "~$hop-le.xlsx"
    path.write_bytes(b"\x0cNguyen Van A" + b"\x00" * 150)
    return path


def _history_list(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["Năm", "Cấp", "Loại", "Tên", "Đơn vị", "Số quyết định", "Ngày quyết định"])
    wb.active.append(
        [2023, "Huyện", "Cá nhân", "Trần Văn Minh", "xã Vạn Phú", "1/QĐ", "22/09/2023"]
    )
    path = tmp_path / "lich-su.xlsx"
    wb.save(path)
    return path


def _unrelated(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["Mặt hàng", "Số lượng"])
    wb.active.append(["Giấy A4", 20])
    path = tmp_path / "van-phong-pham.xlsx"
    wb.save(path)
    return path


def _far_cell(tmp_path: Path) -> Path:
    path = write(tmp_path / "o-xa.xlsx", spec())
    _edit(path, lambda wb: wb.active.cell(1048576, 16384, "x"))
    return path


FILE_CASES: dict[str, tuple[Callable[[Path], Path], set[str]]] = {
    "file.sheet_too_large": (_far_cell, {"file.sheet_too_large"}),
    "file.lock": (_lock, {"file.lock"}),
    "file.not_dossier": (_unrelated, {"file.not_dossier"}),
    "file.unreadable": (_truncated, {"file.unreadable"}),
    "file.format": (_csv, {"file.format"}),
    "file.not_spreadsheet": (_text_file, {"file.not_spreadsheet"}),
    "file.encrypted": (_encrypted, {"file.encrypted"}),
    "file.empty": (_empty, {"file.empty"}),
    "info.conflict": (_conflict, {"info.conflict"}),
    "score.table_repeated": (_repeated_table, {"score.table_repeated"}),
}


def codes_of(path: Path, config) -> list[str]:
    return [f.code for f in validate_file(path, config).findings]


@pytest.mark.parametrize("code", sorted(SPEC_CASES))
@pytest.mark.parametrize("layout", ["pairs", "sheets", "header"])
def test_each_rule_finding_from_a_workbook(code, layout, tmp_path, config):
    change, expected = SPEC_CASES[code]
    s = spec()
    change(s)
    report = validate_file(write(tmp_path / "d.xlsx", s, layout), config)
    assert {f.code for f in report.findings} == expected
    assert report.valid == all(f.severity == "warning" for f in report.findings)


@pytest.mark.parametrize("code", sorted(FILE_CASES))
def test_each_file_finding_from_a_workbook(code, tmp_path, config):
    make, expected = FILE_CASES[code]
    report = validate_file(make(tmp_path), config)
    assert {f.code for f in report.findings} == expected


def test_word_document_renamed_xlsx_is_a_format_problem(tmp_path, config):
    path = tmp_path / "to-trinh.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    assert codes_of(path, config) == ["file.format"]


def test_a_file_named_by_hand_that_is_no_spreadsheet_is_told_so(tmp_path, config):
    """README.md or a Word paper given by name: not "…dù tên tệp có đuôi như vậy" (false for
    such a name), but that neither its name nor its content is a spreadsheet's."""
    docx = tmp_path / "to-trinh.docx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    for path in (_text_file(tmp_path), docx):
        (finding,) = validate_file(path, config).findings
        assert finding.code == "file.not_spreadsheet"
        said = finding.message("vi")
        assert said.startswith(f"Tệp {path.name} không phải bảng tính Excel"), said
        assert "dù tên tệp" not in said and "whatever its name" not in finding.message("en")
    assert "dù tên tệp có đuôi như vậy" in validate_file(_csv(tmp_path), config).findings[
        0
    ].message("vi")  # a CSV renamed .xlsx: its name says spreadsheet, its content does not


def test_zero_byte_file_is_empty(tmp_path, config):
    assert codes_of(_zero_bytes(tmp_path), config) == ["file.empty"]


def test_declared_size_limit_refuses_a_zip_bomb_without_reading_it(tmp_path, config, monkeypatch):
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    monkeypatch.setattr(gate, "MAX_UNCOMPRESSED", 1024 * 1024)
    assert codes_of(path, config) == ["file.too_large"]


# Produced in test_legacy.py from dossiers typed in TCVN3 and VNI.
LEGACY_CODES = {"text.legacy_converted"}
# Produced from workspaces in test_award.py::test_award_findings (they need the register).
AWARD_CODES = {
    "eligibility.near_match",
    "eligibility.not_recognized",
    "eligibility.year_mismatch",
    "eligibility.duplicate",
}
# Produced in test_reform.py from the register across the 2025 mergers.
REFORM_CODES = {"eligibility.renamed", "document.superseded_text", "eligibility.held"}


def test_a_history_list_is_not_taken_for_a_dossier(tmp_path, config):
    assert codes_of(_history_list(tmp_path), config) == ["file.not_dossier"]


def test_every_catalog_code_is_produced_by_a_test():
    from test_hostile import HARDENING_CODES  # produced in test_hostile.py (issue 12)

    produced = (
        set(SPEC_CASES)
        | set(FILE_CASES)
        | {"file.too_large"}
        | AWARD_CODES
        | LEGACY_CODES
        | REFORM_CODES
    )
    produced |= HARDENING_CODES
    assert set(catalog().codes) == produced


@pytest.mark.parametrize("code", sorted(catalog().codes))
def test_catalog_has_both_languages_and_known_placeholders(code):
    spec_ = catalog().codes[code]
    assert spec_.severity in ("error", "warning")
    assert spec_.rule is None or re.fullmatch(r"R\d{1,2}", spec_.rule)
    for lang in LANGS:
        assert spec_.text(lang).message.strip(), (code, lang)
        assert spec_.text(lang).hint.strip(), (code, lang)
    names = {
        lang: {n for _, n, _, _ in string.Formatter().parse(spec_.text(lang).message) if n}
        for lang in LANGS
    }
    assert names["vi"] == names["en"], code


def test_boundaries_are_inclusive(tmp_path, config):
    s = spec()
    for row in s.rows:
        row[3] = row[2] * 0.9  # 13.5 of 15 and 9 of 10: exactly the minimum
    report = validate_file(write(tmp_path / "bien.xlsx", s), config)
    assert report.findings == []
    assert report.total == 90


def test_shortfall_is_exact_in_the_message(tmp_path, config):
    s = spec()
    s.score("04", "12,5")
    finding = validate_file(write(tmp_path / "d.xlsx", s), config).findings[0]
    assert finding.cell == "D18" and finding.sheet == "Hồ sơ" and finding.criterion == "04"
    assert finding.message("vi") == (
        "Tiêu chí 04 đạt 12,5/15 điểm, dưới mức tối thiểu 13,5 (90% điểm chuẩn): thiếu 1 điểm."
    )
    assert "1 short" in finding.message("en")


def test_total_mismatch_keeps_the_recomputed_total(tmp_path, config):
    s = spec()
    s.total = 99
    report = validate_file(write(tmp_path / "d.xlsx", s), config)
    assert report.valid and report.total == 95.5


def test_inputs_are_not_modified(tmp_path, config):
    path = _valid_file(tmp_path)
    before = path.read_bytes()
    copy = tmp_path / "copy.xlsx"
    shutil.copy(path, copy)
    validate_file(path, config)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("registered", "submitted", "codes"),
    [
        ("15/02/2024", "01/09/2024", set()),
        ("16/02/2024", "01/09/2024", {"deadline.registration_late"}),
        ("15/02/2024", "02/09/2024", {"deadline.submission_late"}),
        ("20/12/2023", "01/09/2024", set()),  # registered the year before: in time
    ],
)
def test_deadlines_are_inclusive_of_their_day(registered, submitted, codes, tmp_path, config):
    s = spec(**{"Ngày đăng ký": registered, "Ngày nộp hồ sơ": submitted})
    report = validate_file(write(tmp_path / "d.xlsx", s), config)
    assert {f.code for f in report.findings} == codes


def test_unknown_zip_version_is_unreadable_not_a_crash(tmp_path, config):
    import struct

    path = _valid_file(tmp_path)
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, at + 6, 70)  # "version needed to extract" 7.0
    path.write_bytes(bytes(data))
    assert codes_of(path, config) == ["file.unreadable"]


def test_a_date_cell_out_of_range_does_not_lose_the_file(tmp_path, config):
    path = _valid_file(tmp_path)

    def odd(wb: openpyxl.Workbook) -> None:
        wb.active["H40"] = -1e12
        wb.active["H40"].number_format = "dd/mm/yyyy"

    _edit(path, odd)
    report = validate_file(path, config)
    assert report.valid and report.total == 95.5


def test_scores_are_exact_and_never_negative_zero(tmp_path, config):
    s = spec()
    s.score("01", "14,99999999999999999999999999999")
    s.score("02", "15,0000000000000000000000000000001")
    s.score("07", -0.0)
    report = validate_file(write(tmp_path / "d.xlsx", s), config)
    codes = {f.code: f for f in report.findings}
    assert "15,0000000000000000000000000000001 điểm" in codes["score.out_of_range"].message("vi")
    assert codes["score.below_threshold"].criterion == "07"
    assert "0/10" in codes["score.below_threshold"].message("vi")
    assert "-0" not in codes["score.below_threshold"].message("vi")


def test_a_scored_row_without_a_number_is_named_blank_in_each_language(tmp_path, config):
    s = spec("collective")
    s.rows.append([None, "Tiêu chí thêm", 5, None, "3 buổi"])  # a maximum, nothing else
    report = validate_file(write(tmp_path / "a.xlsx", s), config)
    (stray,) = [f for f in report.findings if f.code == "score.criterion_unknown"]
    assert '"(trống)"' in stray.message("vi")
    assert '"(blank)"' in stray.message("en") and "trống" not in stray.message("en")
