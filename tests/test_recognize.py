"""`recognize` as a use case (usecases.recognize, award.council): the council's "Đồng ý" rows
into the register — the quota across decisions, ad-hoc awards, conflicts, stale workbooks,
rows whose dossier id was edited, and the workbooks and options it refuses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from conftest import copy_of, council_rows, drop_dossier, mark_council, register_of
from danvan_cli.award.council import has_decisions, read_council_sheet
from danvan_cli.errors import DanvanError, RuleError, UsageError
from danvan_cli.i18n.catalog import Message
from danvan_cli.usecases.context import Context, workspace_context
from danvan_cli.usecases.rank import rank
from danvan_cli.usecases.recognize import recognize
from danvan_cli.usecases.workspace import init
from danvan_cli.validate.run import sha256_of

DAY = "20/09/2024"


MARKS = {  # the council's workbooks the quota tests take to `recognize`
    "a.xlsx": [0, 1, 2],
    "b.xlsx": [3, 4],
    "c.xlsx": [0, 3],
    "dot-xuat.xlsx": [3],
    "d.xlsx": [4],
}


@pytest.fixture(scope="module")
def five_ranked(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    """Five collectives (100, 99.75 … 99) ranked at the district level, and the council's
    marks on copies of the ranking, built once for the module."""
    folder = tmp_path_factory.mktemp("five")
    ctx = workspace_context(init(folder / "ws").workspace.root)
    for i in range(5):
        drop_dossier(ctx, f"Tập thể {i}", kind="collective", drop=i * 0.25, unit=f"xã {i}")
    made = rank(ctx, 2024, "huyen").workbook
    marks = {
        name: mark_council(made, {f"Tập thể {i}": "Đồng ý" for i in rows}, folder / name)
        for name, rows in MARKS.items()
    }
    return ctx.ws.root, marks


@pytest.fixture
def five(five_ranked, tmp_path) -> tuple[Context, dict[str, Path]]:
    """The five collectives, this test's own copy of the workspace; the marked workbooks."""
    root, marks = five_ranked
    return copy_of(root, tmp_path), marks


def recorded(ctx: Context) -> list[tuple]:
    with register_of(ctx) as reg:
        return [
            (r.candidate.name, r.year, r.level, r.decision_no, r.decision_date, r.ad_hoc, r.source)
            for r in reg.recognitions()
        ]


def test_the_councils_yes_rows_are_recorded_with_an_audit_row(workspace, tmp_path):
    for i in range(3):
        drop_dossier(workspace, f"Cá nhân {i}", drop=i * 0.25, unit=f"xã {i}")
    made = rank(workspace, 2024, "huyen").workbook
    assert not has_decisions(made)
    marks = {"Cá nhân 0": "Đồng ý", "Cá nhân 1": " đồng ý ", "Cá nhân 2": "KHÔNG"}
    marked = mark_council(made, marks, tmp_path / "hd.xlsx")
    assert has_decisions(marked)
    outcome = recognize(workspace, marked, "  123/QĐ-UBND ", "20-9-2024")
    assert (outcome.year, outcome.level.id, outcome.exit_code) == (2024, "huyen", 0)
    assert sorted(outcome.added) == [
        ("individual", "Cá nhân 0", "xã 0"),
        ("individual", "Cá nhân 1", "xã 1"),
    ]
    assert outcome.already == [] and outcome.conflicts == []
    day = dt.date(2024, 9, 20)
    assert recorded(workspace) == [
        ("Cá nhân 0", 2024, "huyen", "123/QĐ-UBND", day, False, "recognize:hd.xlsx"),
        ("Cá nhân 1", 2024, "huyen", "123/QĐ-UBND", day, False, "recognize:hd.xlsx"),
    ]
    with register_of(workspace) as reg:
        rows = [r for r in reg.audit_rows() if r.command == "recognize"]
    (row,) = rows
    assert row.inputs == {"workbook": "hd.xlsx", "sha256": sha256_of(marked)}
    assert sorted(map(tuple, row.outputs.pop("added"))) == sorted(outcome.added)
    assert row.outputs == {
        "decision": "123/QĐ-UBND",
        "date": "2024-09-20",
        "ad_hoc": False,
        "over_quota": False,
    }
    assert row.note == ""
    again = recognize(workspace, marked, "123/QĐ-UBND", DAY)
    assert again.added == [] and sorted(again.already) == sorted(outcome.added)
    with register_of(workspace) as reg:
        assert [r.command for r in reg.audit_rows()].count("recognize") == 1  # nothing changed


def test_the_quota_counts_every_decision_of_the_year(five):
    workspace, marks = five
    first, rest, mixed = marks["a.xlsx"], marks["b.xlsx"], marks["c.xlsx"]
    assert len(recognize(workspace, first, "1/QĐ", DAY).added) == 3
    assert len(recognize(workspace, first, "1/QĐ", DAY).already) == 3  # the same three: fine
    with pytest.raises(RuleError) as caught:
        recognize(workspace, rest, "2/QĐ", "25/09/2024")
    assert caught.value.key == "recognize.over_quota" and caught.value.lines == ["Tập thể: 5 > 3"]
    with pytest.raises(RuleError) as caught:  # Tập thể 0 again is not counted twice: 2 + 2
        recognize(workspace, mixed, "2/QĐ", "25/09/2024")
    assert caught.value.lines == ["Tập thể: 4 > 3"] and caught.value.exit_code == 1
    assert len(recorded(workspace)) == 3
    with pytest.raises(UsageError) as caught:
        recognize(workspace, rest, "2/QĐ", "25/09/2024", allow_over_quota=True, reason="  ")
    assert caught.value.key == "recognize.need_reason"
    reason = "Hội đồng biểu quyết thêm 2 suất"
    done = recognize(workspace, rest, "2/QĐ", "25/09/2024", allow_over_quota=True, reason=reason)
    assert len(done.added) == 2 and len(recorded(workspace)) == 5
    with register_of(workspace) as reg:
        last = reg.audit_rows()[-1]
    assert (last.command, last.outputs["over_quota"], last.note) == ("recognize", True, reason)


def test_ad_hoc_awards_sit_outside_the_quota_when_the_plan_says_so(five):
    workspace, marks = five
    regular, special, fourth = marks["a.xlsx"], marks["dot-xuat.xlsx"], marks["d.xlsx"]
    recognize(workspace, regular, "1/QĐ", DAY)
    assert len(recognize(workspace, special, "9/QĐ", "30/10/2024", ad_hoc=True).added) == 1
    with pytest.raises(RuleError) as caught:  # 3 regular + 1 new; the ad-hoc one not counted
        recognize(workspace, fourth, "2/QĐ", "25/09/2024")
    assert caught.value.lines == ["Tập thể: 4 > 3"]
    by_name = {r[0]: r for r in recorded(workspace)}
    assert by_name["Tập thể 3"][3:] == (
        "9/QĐ",
        dt.date(2024, 10, 30),
        True,
        "recognize:dot-xuat.xlsx",
    )
    assert not by_name["Tập thể 0"][5]
    with register_of(workspace) as reg:
        assert reg.audit_rows()[-1].outputs["ad_hoc"] is True


def test_ad_hoc_awards_count_when_the_plan_puts_them_inside_the_quota(five):
    workspace, marks = five
    plan = workspace.config.plan.model_copy(update={"ad_hoc_outside_quota": False})
    inside = Context(workspace.workspace, workspace.config.model_copy(update={"plan": plan}))
    regular, special = marks["a.xlsx"], marks["dot-xuat.xlsx"]
    recognize(inside, regular, "1/QĐ", DAY)
    with pytest.raises(RuleError) as caught:
        recognize(inside, special, "9/QĐ", "30/10/2024", ad_hoc=True)
    assert caught.value.lines == ["Tập thể: 4 > 3"]
    assert len(recognize(workspace, special, "9/QĐ", "30/10/2024", ad_hoc=True).added) == 1


def test_another_decision_for_a_recorded_candidate_is_a_conflict_never_an_overwrite(
    workspace, tmp_path
):
    for name in ("Cá nhân A", "Cá nhân B"):
        drop_dossier(workspace, name, unit=f"xã {name}")
    made = rank(workspace, 2024, "huyen").workbook
    recognize(
        workspace, mark_council(made, {"Cá nhân A": "Đồng ý"}, tmp_path / "a.xlsx"), "1/QĐ", DAY
    )
    both = mark_council(made, {"Cá nhân A": "Đồng ý", "Cá nhân B": "Đồng ý"}, tmp_path / "b.xlsx")
    outcome = recognize(workspace, both, "2/QĐ", "21/09/2024")
    assert outcome.conflicts == [("individual", "Cá nhân A", "xã Cá nhân A", "1/QĐ")]
    assert outcome.added == [("individual", "Cá nhân B", "xã Cá nhân B")]
    assert outcome.exit_code == 1
    assert {r[0]: r[3] for r in recorded(workspace)} == {"Cá nhân A": "1/QĐ", "Cá nhân B": "2/QĐ"}


def test_a_workbook_whose_dossiers_changed_is_refused(workspace, tmp_path):
    keep = drop_dossier(workspace, "Cá nhân A", unit="xã A")
    gone = drop_dossier(workspace, "Cá nhân B", unit="xã B")
    edited = drop_dossier(workspace, "Cá nhân C", unit="xã C")
    made = rank(workspace, 2024, "huyen").workbook
    marked = mark_council(made, {"Cá nhân A": "Đồng ý"}, tmp_path / "hd.xlsx")
    gone.unlink()
    drop_dossier(workspace, "Cá nhân D", unit="xã D")
    drop_dossier(workspace, "Cá nhân C", unit="xã C", drop=0.5, file=edited.name)
    with pytest.raises(DanvanError) as caught:
        recognize(workspace, marked, "1/QĐ", DAY)
    assert caught.value.key == "recognize.stale" and caught.value.exit_code == 2
    assert caught.value.lines == [
        "- ho-so/2024/in-ca-nhan-b.xlsx",
        "+ ho-so/2024/in-ca-nhan-d.xlsx",
        "* ho-so/2024/in-ca-nhan-c.xlsx",
    ]
    assert keep.exists() and recorded(workspace) == []


def _edit_first_row(workbook: Path, target: Path, sha: str) -> str:
    """Mark the first row of "Cá nhân" Đồng ý and put `sha` in its dossier id cell; returns
    where the mark is (sheet!cell)."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["Cá nhân"]
    header, cols = council_rows(sheet)
    council = sheet.cell(header + 1, cols["Quyết định của Hội đồng"])
    council.value = "Đồng ý"
    sheet.cell(header + 1, cols["Mã hồ sơ (SHA-256)"], sha)
    book.save(target)
    return f"Cá nhân!{council.coordinate}"


def test_a_row_whose_dossier_id_was_edited_is_refused(workspace, tmp_path):
    drop_dossier(workspace, "Cá nhân A", unit="xã A")
    junk = workspace.ws.dossiers(2024) / "hong.xlsx"
    junk.write_text("không phải bảng tính", encoding="utf-8")
    made = rank(workspace, 2024, "huyen").workbook
    where = _edit_first_row(made, tmp_path / "sua.xlsx", "0" * 64)
    with pytest.raises(DanvanError) as caught:
        recognize(workspace, tmp_path / "sua.xlsx", "1/QĐ", DAY)
    assert (caught.value.key, caught.value.params) == ("recognize.unknown_row", {"where": where})
    # an id among the inputs but no candidate's (the unreadable file): not what rank proposed
    where = _edit_first_row(made, tmp_path / "hong.xlsx", sha256_of(junk))
    with pytest.raises(DanvanError) as caught:
        recognize(workspace, tmp_path / "hong.xlsx", "1/QĐ", DAY)
    assert caught.value.key == "recognize.forged"
    assert caught.value.lines == [Message("recognize.row_ineligible", {"where": where})]
    assert recorded(workspace) == []
    with register_of(workspace) as reg:
        assert [r.command for r in reg.audit_rows()] == ["rank"]


def test_marks_other_than_yes_and_no_are_refused_with_their_cells(workspace, tmp_path):
    drop_dossier(workspace, "Cá nhân A", unit="xã A")
    drop_dossier(workspace, "Tập thể B", kind="collective", unit="xã B")
    made = rank(workspace, 2024, "huyen").workbook
    marked = mark_council(made, {"Cá nhân A": "OK", "Tập thể B": "Đồng ý?"}, tmp_path / "hd.xlsx")
    book = openpyxl.load_workbook(marked)
    cells = {}
    for name in ("Tập thể", "Cá nhân"):
        header, cols = council_rows(book[name])
        cells[name] = book[name].cell(header + 1, cols["Quyết định của Hội đồng"]).coordinate
    with pytest.raises(DanvanError) as caught:
        recognize(workspace, marked, "1/QĐ", DAY)
    assert caught.value.key == "recognize.bad_marks"
    assert caught.value.lines == [
        f'Tập thể!{cells["Tập thể"]}: "Đồng ý?"',
        f'Cá nhân!{cells["Cá nhân"]}: "OK"',
    ]
    assert recorded(workspace) == []


def test_options_and_files_that_are_refused_before_anything_is_read(workspace, tmp_path):
    drop_dossier(workspace, "Cá nhân A", unit="xã A")
    made = rank(workspace, 2024, "huyen").workbook
    dossier = next(workspace.ws.dossiers(2024).iterdir())
    text = tmp_path / "ghi-chu.xlsx"
    text.write_text("không phải bảng tính", encoding="utf-8")
    cases = [
        ((made, " ", DAY), UsageError, "recognize.need_decision"),
        ((made, "1/QĐ", "31/02/2024"), UsageError, "recognize.bad_date"),
        ((made, "1/QĐ", "hôm qua"), UsageError, "recognize.bad_date"),
        ((tmp_path / "khong-co.xlsx", "1/QĐ", DAY), UsageError, "usage.path_not_found"),
        ((dossier, "1/QĐ", DAY), DanvanError, "recognize.not_ranking"),
        ((text, "1/QĐ", DAY), DanvanError, "recognize.unreadable"),
    ]
    for args, error, key in cases:
        with pytest.raises(error) as caught:
            recognize(workspace, *args)
        assert caught.value.key == key, args
    assert recorded(workspace) == []


def test_a_workbook_of_an_unknown_level_or_without_its_columns_is_refused(workspace, tmp_path):
    drop_dossier(workspace, "Cá nhân A", unit="xã A")
    made = rank(workspace, 2024, "huyen").workbook
    book = openpyxl.load_workbook(made)
    inputs = book["Dữ liệu đầu vào"]
    assert (inputs["A2"].value, inputs["B2"].value) == ("Cấp", "huyen")
    inputs["B2"] = "quan"
    book.save(tmp_path / "quan.xlsx")
    with pytest.raises(DanvanError) as caught:
        read_council_sheet(workspace.ws, workspace.config, tmp_path / "quan.xlsx")
    assert caught.value.key == "recognize.not_ranking"
    book = openpyxl.load_workbook(made)
    sheet = book["Cá nhân"]
    _, cols = council_rows(sheet)
    sheet.delete_cols(cols["Mã hồ sơ (SHA-256)"])
    book.save(tmp_path / "thieu-cot.xlsx")
    with pytest.raises(DanvanError) as caught:
        recognize(workspace, tmp_path / "thieu-cot.xlsx", "1/QĐ", DAY)
    assert (caught.value.key, caught.value.params["sheet"]) == ("recognize.no_columns", "Cá nhân")
    sheet = read_council_sheet(workspace.ws, workspace.config, made)
    assert (sheet.year, sheet.level.id, sheet.decisions) == (2024, "huyen", [])
    assert sheet.inputs == {
        "ho-so/2024/in-ca-nhan-a.xlsx": sha256_of(next(workspace.ws.dossiers(2024).iterdir()))
    }


def test_a_ranking_made_in_english_is_read_back_like_any_other(workspace, tmp_path):
    """The council workbook's sheet and column names are a contract (the catalog's
    `council.*`, the same in every language), and the workbook is a Vietnamese document
    whatever --lang says: a ranking written under --lang en is the same, and recognize reads
    its marks back."""
    from danvan_cli.award.council import COUNCIL, INPUTS_SHEET, SHA_COLUMN
    from danvan_cli.i18n.catalog import t

    drop_dossier(workspace, "Cá nhân A", unit="xã 1")
    made = rank(workspace, 2024, "huyen", lang="en").workbook
    book = openpyxl.load_workbook(made)
    assert INPUTS_SHEET == t("council.sheet_inputs", "en") == "Dữ liệu đầu vào"
    assert {"Tập thể", "Cá nhân", "Không đủ điều kiện", INPUTS_SHEET} == set(book.sheetnames)
    heads = [c.value for row in book["Cá nhân"].iter_rows(max_row=20) for c in row]
    assert COUNCIL in heads and SHA_COLUMN in heads and "Rank" not in heads  # Vietnamese
    sheet = book["Cá nhân"]
    top = next(r for r in range(1, 21) if COUNCIL in [c.value for c in sheet[r]])
    col = {c.value: c.column for c in sheet[top]}
    sheet.cell(top + 1, col[COUNCIL], "Đồng ý")
    book.save(tmp_path / "hd.xlsx")
    outcome = recognize(workspace, tmp_path / "hd.xlsx", "5/QĐ-UBND", DAY)
    assert outcome.added == [("individual", "Cá nhân A", "xã 1")]
