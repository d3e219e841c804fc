"""Past years' recognitions: the tolerant reader (read.history), and `history import`,
`export` and `show` as use cases (usecases.history, write.history), round trip included."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from builders import spec, write
from conftest import HISTORY_HEADER, history, register_of
from danvan_cli.errors import DanvanError, UsageError
from danvan_cli.read.history import HistoryRow, read_history
from danvan_cli.usecases.context import Context, workspace_context
from danvan_cli.usecases.history import export_history, import_history, show_history
from danvan_cli.usecases.workspace import init

HOA_UNIT = "Hội Phụ nữ xã Vạn Thắng"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def recorded(ctx: Context) -> list[tuple]:
    with register_of(ctx) as reg:
        return [
            (r.year, r.level, r.candidate.kind, r.candidate.name, r.candidate.unit,
             r.decision_no, r.decision_date)
            for r in reg.recognitions()
        ]  # fmt: skip


def test_the_table_is_found_anywhere_under_any_of_its_header_labels(tmp_path, config):
    book = openpyxl.Workbook()
    book.active.title = "Ghi chú"
    book.active["A1"] = "Danh sách do Phòng Nội vụ lập, không phải bảng"
    sheet = book.create_sheet("Trang 2")
    sheet.append(["DANH SÁCH CÔNG NHẬN ĐIỂN HÌNH"])
    sheet.append([])
    sheet.append(
        [None, nfd("SỐ QĐ:"), "Tên tập thể, cá nhân", "Cơ quan, đơn vị", "Đối tượng",
         "Cấp công nhận", "Năm công nhận", "Ngày ký", "Ghi chú"]
    )  # fmt: skip
    sheet.append(
        [None, "2311/QĐ-UBND", nfd("Nguyễn Thị Hoà"), HOA_UNIT, "Cá nhân", "Cấp huyện", 2023,
         dt.date(2023, 9, 22), "x"]
    )  # fmt: skip
    sheet.append([])
    sheet.append(
        [None, None, "Hội Nông dân xã Vạn Thắng", "UBND  xã Vạn Thắng", "tập thể", "huyen",
         "Năm 2024", "20/09/2024"]
    )  # fmt: skip
    sheet.append([None, "5/QĐ", "Trần Văn Minh", "xã Vạn Phú", "CÁ NHÂN", "Tỉnh", 2024.0])
    path = tmp_path / "ls.xlsx"
    book.save(path)
    rows, problems = read_history(path, config.plan)
    assert problems == []
    assert rows == [
        HistoryRow("Trang 2!A4", 2023, "huyen", "individual", "Nguyễn Thị Hoà", HOA_UNIT,
                   "2311/QĐ-UBND", dt.date(2023, 9, 22)),
        HistoryRow("Trang 2!A6", 2024, "huyen", "collective", "Hội Nông dân xã Vạn Thắng",
                   "UBND xã Vạn Thắng", None, dt.date(2024, 9, 20)),
        HistoryRow("Trang 2!A7", 2024, "tinh", "individual", "Trần Văn Minh", "xã Vạn Phú",
                   "5/QĐ", None),
    ]  # fmt: skip
    assert unicodedata.is_normalized("NFC", rows[0].name)


def test_every_cell_that_cannot_be_read_is_named(tmp_path, config):
    rows = [
        (20, "Huyện", "Cá nhân", "A", "xã A", "1/QĐ", ""),
        (2023, "Quận", "Cá nhân", "B", "xã B", "1/QĐ", "22/09/2023"),
        (2023, "Huyện", "Hộ gia đình", "C", "xã C", "1/QĐ", "22/09/2023"),
        (2023, "Huyện", "Cá nhân", None, "xã D", "1/QĐ", "22/09/2023"),
        (2023, "Huyện", "Cá nhân", "E", None, "1/QĐ", "22/09/2023"),
        (2023, "Huyện", "Cá nhân", "F", "xã F", "1/QĐ", "31/02/2023"),
        (1999, "Phường", "Cá nhân", "G", "xã G", "1/QĐ", "hôm qua"),
        (2023, "Huyện", "Cá nhân", "Đúng", "xã H", "1/QĐ", "22/09/2023"),
    ]
    found, problems = read_history(history(tmp_path / "h.xlsx", rows), config.plan)
    assert problems == [
        'Sheet!A3 (Năm: "20")',
        'Sheet!B4 (Cấp: "Quận")',
        'Sheet!C5 (Loại: "Hộ gia đình")',
        'Sheet!D6 (Tên: "")',
        'Sheet!E7 (Đơn vị: "")',
        'Sheet!G8 (Ngày quyết định: "31/02/2023")',
        'Sheet!A9 (Năm: "1999")',
        'Sheet!B9 (Cấp: "Phường")',
        'Sheet!G9 (Ngày quyết định: "hôm qua")',
    ]
    assert [r.name for r in found] == ["Đúng"]


def test_a_workbook_without_the_table_or_not_a_workbook_is_refused(tmp_path, config):
    dossier = write(tmp_path / "ho-so.xlsx", spec())
    lacking = tmp_path / "thieu-cot.xlsx"
    book = openpyxl.Workbook()
    book.active.append([h for h in HISTORY_HEADER if h != "Số quyết định"])
    book.active.append([2023, "Huyện", "Cá nhân", "A", "xã A", "22/09/2023"])
    book.save(lacking)
    for path in (dossier, lacking):
        with pytest.raises(DanvanError) as caught:
            read_history(path, config.plan)
        assert caught.value.key == "history.no_table"
        assert caught.value.params["columns"] == " | ".join(HISTORY_HEADER)
    text = tmp_path / "ls.xlsx"
    text.write_text("Năm,Cấp,Loại\n", encoding="utf-8")
    with pytest.raises(DanvanError) as caught:
        read_history(text, config.plan)
    assert caught.value.key == "history.unreadable" and caught.value.params["code"] == "file.format"


def test_import_merges_respells_and_reports_near_names(workspace, tmp_path):
    rows = [
        (2023, "Huyện", "Cá nhân", "NGUYỄN THỊ HÒA", HOA_UNIT, "1/QĐ", "22/09/2023"),
        (2024, "Huyện", "Cá nhân", "Nguyễn Thị Hòa", HOA_UNIT, "2/QĐ", "20/09/2024"),
        (2023, "Huyện", "Cá nhân", "Nguyễn Thị Hoà", HOA_UNIT, "1/QĐ", "22/09/2023"),  # again
        (2023, "Huyện", "Cá nhân", "Lê Văn Tứ", "xã Vạn Hưng", "1/QĐ", ""),
        (2024, "Huyện", "Cá nhân", "Lê Văn Tư", "xã Vạn Hưng", "", ""),
    ]
    outcome = import_history(workspace, history(tmp_path / "ls.xlsx", rows))
    assert (outcome.added, outcome.same, outcome.conflicts, outcome.exit_code) == (4, 1, [], 0)
    assert outcome.near == [
        "Sheet!A6: Lê Văn Tứ (xã Vạn Hưng) ~ Lê Văn Tư (xã Vạn Hưng)",
        "Sheet!A7: Lê Văn Tư (xã Vạn Hưng) ~ Lê Văn Tứ (xã Vạn Hưng)",
    ]
    hoa = ("individual", "Nguyễn Thị Hòa", HOA_UNIT)  # the 2024 spelling is the one shown
    assert recorded(workspace) == [
        (2023, "huyen", *hoa, "1/QĐ", dt.date(2023, 9, 22)),  # by given name: Hòa, Tứ
        (2023, "huyen", "individual", "Lê Văn Tứ", "xã Vạn Hưng", "1/QĐ", None),
        (2024, "huyen", *hoa, "2/QĐ", dt.date(2024, 9, 20)),
        (2024, "huyen", "individual", "Lê Văn Tư", "xã Vạn Hưng", None, None),
    ]
    with register_of(workspace) as reg:
        audit = reg.audit_rows()
        sources = {r.source for r in reg.recognitions()}
        names = {(r.year, r.name) for r in reg.recognitions() if r.candidate.unit == HOA_UNIT}
    assert [(r.command, r.inputs, r.outputs) for r in audit] == [
        ("history import", {"file": "ls.xlsx"}, {"added": 4})
    ]
    assert sources == {"history:ls.xlsx"}
    assert names == {(2023, "NGUYỄN THỊ HÒA"), (2024, "Nguyễn Thị Hòa")}  # each as written


def test_a_conflicting_decision_is_reported_and_never_overwritten(workspace, tmp_path):
    first = [(2023, "Huyện", "Cá nhân", "Trần Văn Minh", "xã Vạn Phú", "1/QĐ", "22/09/2023")]
    import_history(workspace, history(tmp_path / "a.xlsx", first))
    other = [
        (2023, "Cấp huyện", "Cá nhân", "TRẦN VĂN MINH", "xã Vạn Phú", "7/QĐ", "22/09/2023"),
        (2023, "Huyện", "Cá nhân", "Trần Văn Minh", "xã Vạn Phú", "1/QĐ", "23/09/2023"),
        (2022, "Huyện", "Cá nhân", "Trần Văn Minh", "xã Vạn Phú", None, None),
    ]
    outcome = import_history(workspace, history(tmp_path / "b.xlsx", other))
    assert outcome.conflicts == [
        "Sheet!A3: TRẦN VĂN MINH (xã Vạn Phú) 2023 — huyện, 7/QĐ",
        "Sheet!A4: Trần Văn Minh (xã Vạn Phú) 2023 — huyện, 1/QĐ",
    ]
    assert (outcome.added, outcome.same, outcome.exit_code) == (1, 0, 1)
    minh = ("individual", "Trần Văn Minh", "xã Vạn Phú")
    assert recorded(workspace) == [
        (2022, "huyen", *minh, None, None),
        (2023, "huyen", *minh, "1/QĐ", dt.date(2023, 9, 22)),
    ]


def test_one_bad_row_stops_the_whole_import(workspace, tmp_path):
    rows = [
        (2023, "Huyện", "Cá nhân", "Trần Văn Minh", "xã Vạn Phú", "1/QĐ", "22/09/2023"),
        (2023, "Quận", "Cá nhân", "Lê Thị Lan", "xã Vạn Phú", "1/QĐ", "22/09/2023"),
    ]
    path = history(tmp_path / "ls.xlsx", rows)
    with pytest.raises(DanvanError) as caught:
        import_history(workspace, path)
    assert (caught.value.key, caught.value.exit_code) == ("history.bad_rows", 1)
    assert caught.value.lines == ['Sheet!B4 (Cấp: "Quận")']
    assert caught.value.params == {"path": str(path)}
    with pytest.raises(UsageError) as caught:
        import_history(workspace, tmp_path / "khong-co.xlsx")
    assert caught.value.key == "usage.path_not_found"
    assert recorded(workspace) == []
    with register_of(workspace) as reg:
        assert reg.audit_rows() == [] and reg.candidates() == []


def _table(path: Path, name: str = "Lịch sử công nhận") -> list[list]:
    sheet = openpyxl.load_workbook(path)[name]
    top = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Năm")
    cells = [sheet.cell(r, 7) for r in range(top + 1, sheet.max_row + 1)]
    dates = {c.number_format for c in cells if isinstance(c.value, dt.datetime)}
    assert dates <= {"dd/mm/yyyy"}  # dates shown the Vietnamese way
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=top)]


def test_export_import_and_show_round_trip(workspace, tmp_path):
    rows = [
        (2023, "Huyện", "Cá nhân", "NGUYỄN THỊ HÒA", HOA_UNIT, "2311/QĐ-UBND", "22/09/2023"),
        (2024, "Huyện", "Cá nhân", "Nguyễn Thị Hòa", HOA_UNIT, "123/QĐ-UBND", "20/09/2024"),
        (2024, "Tỉnh", "Tập thể", "Hội Nông dân xã Vạn Hưng", "UBND xã Vạn Hưng", None, None),
    ]
    import_history(workspace, history(tmp_path / "ls.xlsx", rows))
    out = export_history(workspace, None, "vi")
    assert out.count == 3 and out.path == workspace.ws.outputs / "lich-su-cong-nhan.xlsx"
    table = _table(out.path)
    assert table[0] == HISTORY_HEADER
    assert table[1:] == [
        [2023, "Huyện", "Cá nhân", "Nguyễn Thị Hòa", HOA_UNIT, "2311/QĐ-UBND", dt.datetime(2023, 9, 22)],
        [2024, "Huyện", "Cá nhân", "Nguyễn Thị Hòa", HOA_UNIT, "123/QĐ-UBND", dt.datetime(2024, 9, 20)],
        [2024, "Tỉnh", "Tập thể", "Hội Nông dân xã Vạn Hưng", "UBND xã Vạn Hưng", None, None],
    ]  # fmt: skip
    # a data file to import again, not a paper to sign: nothing under the table
    values = {c.value for row in openpyxl.load_workbook(out.path).active.iter_rows() for c in row}
    assert "NGƯỜI LẬP BIỂU" not in values and "TRƯỞNG BAN" not in values
    other = workspace_context(init(tmp_path / "ws2").workspace.root)
    imported = import_history(other, out.path)
    assert (imported.added, imported.conflicts) == (3, [])
    assert recorded(other) == recorded(workspace)
    again = export_history(other, tmp_path / "lai.xlsx", "vi")
    assert _table(again.path) == table
    assert import_history(workspace, out.path).same == 3  # nothing new, nothing in conflict

    found, config = show_history(workspace, None)
    assert len(found) == 3 and config is workspace.config
    assert [r.year for r in show_history(workspace, "hoa")[0]] == [2023, 2024]  # "Hòa"
    assert [r.candidate.name for r in show_history(workspace, "VAN HUNG")[0]] == [
        "Hội Nông dân xã Vạn Hưng"
    ]
    assert show_history(workspace, "Hoà Vạn Hưng")[0] == []


def test_export_never_writes_over_someone_elses_workbook(workspace, tmp_path):
    mine = tmp_path / "cua-toi.xlsx"
    openpyxl.Workbook().save(mine)
    before = mine.read_bytes()
    with pytest.raises(UsageError) as caught:
        export_history(workspace, mine, "vi")
    assert caught.value.key == "output.not_ours" and mine.read_bytes() == before
    with pytest.raises(UsageError) as caught:
        export_history(workspace, workspace.ws.dossiers(2024) / "ls.xlsx", "vi")
    assert caught.value.key == "output.in_dossiers"
    empty = export_history(workspace, tmp_path / "rong.xlsx", "en")
    assert empty.count == 0
    sheet = openpyxl.load_workbook(empty.path)["Lịch sử công nhận"]  # a Vietnamese document
    assert sheet["A5"].value == 'LỊCH SỬ CÔNG NHẬN ĐIỂN HÌNH "DÂN VẬN KHÉO"'


def test_an_english_history_list_keeps_the_columns_it_is_imported_by(workspace, tmp_path):
    rows = [(2023, "Huyện", "Cá nhân", "Trần Văn Minh", "xã Vạn Phú", "1/QĐ", "22/09/2023")]
    import_history(workspace, history(tmp_path / "ls.xlsx", rows))
    out = tmp_path / "history-en.xlsx"
    export_history(workspace, out, "en")  # --lang en: the messages, never the document
    assert _table(out, "Lịch sử công nhận") == [
        HISTORY_HEADER,
        [2023, "Huyện", "Cá nhân", "Trần Văn Minh", "xã Vạn Phú", "1/QĐ", dt.datetime(2023, 9, 22)],
    ]
    other = workspace_context(init(tmp_path / "ws2").workspace.root)
    assert import_history(other, out).added == 1
