"""`rank` as a use case (usecases.rank) and the ranking workbook it writes (write.ranking),
read back cell by cell; the demo's council (usecases.demo.council_marks) on it."""

from __future__ import annotations

import openpyxl
import pytest

from builders import table_rows
from conftest import copy_of, council_rows, drop_dossier, mark_council, register_of
from danvan_cli import __version__
from danvan_cli.award.council import has_decisions, read_council_sheet
from danvan_cli.errors import UsageError
from danvan_cli.usecases.context import workspace_context
from danvan_cli.usecases.demo import council_marks, samples_dir
from danvan_cli.usecases.rank import rank, ranking_name
from danvan_cli.usecases.workspace import init
from danvan_cli.validate.run import sha256_of
from danvan_cli.write.document import NUMBER

MODEL = "Dân vận khéo trong xây dựng nông thôn mới"
FIELD = "Văn hóa - xã hội"


@pytest.fixture(scope="module")
def dossiers_of_the_year(tmp_path_factory):
    """Two collectives, two individuals (one late) and a file that is no workbook."""
    workspace = workspace_context(init(tmp_path_factory.mktemp("rank") / "ws").workspace.root)
    drop_dossier(workspace, "Hội Nông dân xã Vạn Thắng", kind="collective", unit="xã Vạn Thắng")
    drop_dossier(
        workspace, "Đoàn Thanh niên xã Vạn Phú", kind="collective", drop=0.5, unit="xã Vạn Phú"
    )
    drop_dossier(workspace, "Nguyễn Thị Hòa", drop=1, unit="Hội Phụ nữ xã Vạn Thắng")
    late = {"Ngày nộp hồ sơ": "02/09/2024"}
    drop_dossier(workspace, "Trần Văn Minh", unit="Công an xã Vạn Khánh", **late)
    (workspace.ws.dossiers(2024) / "hong.xlsx").write_text("x", encoding="utf-8")
    return workspace.ws.root


@pytest.fixture
def district(dossiers_of_the_year, tmp_path):
    return copy_of(dossiers_of_the_year, tmp_path)


def test_the_ranking_workbook_reads_back(district):
    outcome = rank(district, 2024, "huyen")
    assert outcome.workbook == district.ws.output(2024, "tong-hop-xet-chon-huyen-2024.xlsx")
    assert outcome.exit_code == 1  # one dossier is ineligible
    shas = {m.result.name: m.result.sha256 for m in outcome.pool.members}
    book = openpyxl.load_workbook(outcome.workbook)
    assert book.sheetnames == ["Tập thể", "Cá nhân", "Không đủ điều kiện", "Dữ liệu đầu vào"]
    codes = ["01", "02", "03", "04", "05", "06", "07"]
    expected_header = [
        "Hạng", "Tên", "Đơn vị", "Tên mô hình", "Lĩnh vực", *codes, "Tổng điểm",
        "Kết quả xét chọn", "Lý do", "Quyết định của Hội đồng", "Mã hồ sơ (SHA-256)",
    ]  # fmt: skip
    sheet = book["Tập thể"]
    assert sheet["A5"].value == (
        'TỔNG HỢP KẾT QUẢ XÉT CHỌN ĐIỂN HÌNH "DÂN VẬN KHÉO" CẤP HUYỆN NĂM 2024'
    )
    assert sheet["A6"].value == "Tập thể — chỉ tiêu: 3"
    header, _ = council_rows(sheet)
    rows = [[c.value for c in sheet[header]], *table_rows(sheet, header)]  # then the signatures
    proposed = "Đề nghị khen thưởng"
    assert rows == [
        expected_header,
        [1, "Hội Nông dân xã Vạn Thắng", "xã Vạn Thắng", MODEL, FIELD,
         15, 15, 15, 15, 15, 15, 10, 100, proposed, None, None, shas["Hội Nông dân xã Vạn Thắng"]],
        [2, "Đoàn Thanh niên xã Vạn Phú", "xã Vạn Phú", MODEL, FIELD,
         15, 15, 14.5, 15, 15, 15, 10, 99.5, proposed, None, None, shas["Đoàn Thanh niên xã Vạn Phú"]],
    ]  # fmt: skip
    people = book["Cá nhân"]
    header, cols = council_rows(people)
    rows = table_rows(people, header)
    assert rows == [  # the late dossier is not offered to the council
        [1, "Nguyễn Thị Hòa", "Hội Phụ nữ xã Vạn Thắng", MODEL, FIELD,
         15, 15, 19, 10, 10, 15, 15, 99, proposed, None, None, shas["Nguyễn Thị Hòa"]],
    ]  # fmt: skip
    letter = people.cell(header, cols["Quyết định của Hội đồng"]).column_letter
    (dv,) = [d for d in people.data_validations.dataValidation if d.formula1 == '"Đồng ý,Không"']
    assert f"{letter}{header + 1}" in dv.sqref and f"{letter}{header}" not in dv.sqref
    assert people.cell(header + 1, cols["Tổng điểm"]).number_format == NUMBER  # 99 or 96,5

    excluded = book["Không đủ điều kiện"]
    top = next(r for r in range(1, 20) if excluded.cell(r, 1).value == "STT")
    rows = table_rows(excluded, top)
    assert [r[:6] for r in rows] == [  # the file's name off the signed page, unless unnamed
        [1, "Cá nhân", "Trần Văn Minh", "Công an xã Vạn Khánh",
         "Hồ sơ!B10", "Thời hạn đăng ký và nộp hồ sơ"],
        [2, None, "(không rõ — tệp hong.xlsx)", "(không rõ)", None, None],
    ]  # fmt: skip
    assert rows[0][6] == "Ngày nộp hồ sơ 02/09/2024 sau hạn 01/09/2024 (chậm 1 ngày)."
    assert [r[8] for r in rows] == ["in-tran-van-minh.xlsx", "hong.xlsx"]
    assert excluded.print_area == f"'Không đủ điều kiện'!$A$1:$H${excluded.max_row}"

    inputs = book["Dữ liệu đầu vào"]
    values = [[c.value for c in r] for r in inputs.iter_rows()]
    assert values[0][:2] == ["Năm", 2024] and values[1] == ["Cấp", "huyen", "Huyện"]
    assert values[2][:2] == ["Phiên bản danvan", __version__]
    assert {r[0]: r[2] for r in values[3:6]} == district.config.sources
    assert values[7][:2] == ["Tệp", "SHA-256"]  # the header `recognize` looks for
    files = {r[0]: r[1] for r in values[8:] if r[0]}
    assert files == {
        district.ws.relative(p): sha256_of(p) for p in district.ws.dossiers(2024).iterdir()
    }


def test_a_level_by_its_name_and_one_kind_only(district):
    outcome = rank(district, 2024, "Cấp huyện", kind="individual")
    assert outcome.pool.level.id == "huyen"
    assert outcome.workbook.name == ranking_name("huyen", 2024, "individual")
    assert outcome.workbook.name == "tong-hop-xet-chon-huyen-2024-ca-nhan.xlsx"  # Vietnamese
    assert ranking_name("huyen", 2024, "collective") == "tong-hop-xet-chon-huyen-2024-tap-the.xlsx"
    assert {p.path.name for p in outcome.papers} == {
        "to-trinh-huyen-2024-ca-nhan.docx",
        "bien-ban-hop-xet-huyen-2024-ca-nhan-du-thao.docx",
    }
    assert {m.kind for m in outcome.pool.members} == {"individual", None}
    book = openpyxl.load_workbook(outcome.workbook)
    header, _ = council_rows(book["Tập thể"])
    assert book["Tập thể"].cell(header + 1, 2).value is None  # no collective in this pool
    with pytest.raises(UsageError) as caught:
        rank(district, 2024, "quận")
    assert (caught.value.key, caught.value.params) == (
        "usage.bad_level",
        {"level": "quận", "levels": "co-so, huyen, tinh"},
    )


def test_an_audit_row_only_when_the_register_changed(district, tmp_path):
    first = rank(district, 2024, "huyen")
    rank(district, 2024, "huyen", output=tmp_path / "ban-khac.xlsx")
    with register_of(district) as reg:
        rows = reg.audit_rows()
    assert [r.command for r in rows] == ["rank"]
    assert rows[0].inputs == {"year": 2024, "level": "huyen", "files": dict(first.pool.inputs)}
    assert rows[0].outputs["workbook"] == "ket-qua/2024/tong-hop-xet-chon-huyen-2024.xlsx"
    assert (tmp_path / "ban-khac.xlsx").is_file()


def test_the_councils_marks_are_never_written_over_without_force(district, tmp_path):
    made = rank(district, 2024, "huyen").workbook
    mark_council(made, {"Nguyễn Thị Hòa": "Đồng ý"}, made, resort=False)
    before = made.read_bytes()
    with pytest.raises(UsageError) as caught:
        rank(district, 2024, "huyen")
    assert caught.value.key == "rank.has_decisions" and made.read_bytes() == before
    with pytest.raises(UsageError) as caught:
        rank(district, 2024, "huyen", output=district.ws.dossiers(2024) / "tong-hop.xlsx")
    assert caught.value.key == "output.in_dossiers"
    rank(district, 2024, "huyen", force=True)
    assert not has_decisions(made)


def test_the_demo_council_agrees_to_the_proposed_and_leaves_ties_open(workspace, tmp_path):
    for name, drop in (("Tập thể A", 0), ("Tập thể B", 0.5), ("Tập thể C", 1), ("Tập thể D", 1)):
        drop_dossier(workspace, name, kind="collective", drop=drop, unit=f"xã {name[-1]} Vạn")
    drop_dossier(workspace, "Tập thể E", kind="collective", drop=1.5, unit="thị trấn Vạn Giã")
    outcome = rank(workspace, 2024, "huyen")
    statuses = {m.result.name: m.status for m in outcome.pool.members}
    assert statuses == {
        "Tập thể A": "proposed",
        "Tập thể B": "proposed",
        "Tập thể C": "tie",
        "Tập thể D": "tie",
        "Tập thể E": "reserve",
    }
    target = tmp_path / "hoi-dong.xlsx"
    assert council_marks(outcome.workbook, target) == 2
    sheet = openpyxl.load_workbook(target)["Tập thể"]
    header, cols = council_rows(sheet)
    marks = {
        row[cols["Tên"] - 1]: row[cols["Quyết định của Hội đồng"] - 1]
        for row in table_rows(sheet, header)
    }
    assert marks == {
        "Tập thể A": "Đồng ý",
        "Tập thể B": "Đồng ý",
        "Tập thể C": None,
        "Tập thể D": None,
        "Tập thể E": "Không",
    }
    decided = read_council_sheet(workspace.ws, workspace.config, target)
    shas = {m.result.name: m.result.sha256 for m in outcome.pool.members}
    assert {d.sha256 for d in decided.decisions} == {shas["Tập thể A"], shas["Tập thể B"]}
    assert samples_dir().name == "samples" and (samples_dir() / "2024").is_dir()


def test_a_ranking_asked_in_english_is_the_same_vietnamese_council_workbook(district, tmp_path):
    """--lang en changes the messages, not the documents: the council's workbook, its sheets,
    columns and statuses are the same Vietnamese ones `recognize` reads."""
    outcome = rank(district, 2024, "huyen", lang="en")
    pool, english = outcome.pool, outcome.workbook
    book = openpyxl.load_workbook(english)
    assert book.sheetnames == ["Tập thể", "Cá nhân", "Không đủ điều kiện", "Dữ liệu đầu vào"]
    sheet = book["Cá nhân"]
    top = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Hạng")
    header = [c.value for c in sheet[top]]
    assert header[:3] == ["Hạng", "Tên", "Đơn vị"]
    assert header[-2:] == ["Quyết định của Hội đồng", "Mã hồ sơ (SHA-256)"]
    assert sheet.cell(top + 1, header.index("Kết quả xét chọn") + 1).value == "Đề nghị khen thưởng"
    values = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert not {"PREPARED BY", "Rank", "proposed"} & values
    sheet.cell(top + 1, header.index("Quyết định của Hội đồng") + 1, "Đồng ý")
    book.save(tmp_path / "council-en.xlsx")
    decided = read_council_sheet(district.ws, district.config, tmp_path / "council-en.xlsx")
    hoa = next(m for m in pool.members if m.result.name == "Nguyễn Thị Hòa")
    assert [d.sha256 for d in decided.decisions] == [hoa.result.sha256]
