"""Validation as a library: the plan's checks on a typed dossier (validate.checks,
dossier.model), findings and results as data (findings, validate.results), and `validate`
as a use case with its rejection report (usecases.validate, write.rejections), the places
danvan may write (write.guard) and the workbooks it recognises (read.recognise)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from builders import spec, table_rows, write
from conftest import history
from danvan_cli.dossier.model import Dossier, DossierInfo, PaperMark, ScoreRow, Value
from danvan_cli.errors import UsageError
from danvan_cli.findings import Finding
from danvan_cli.read.grid import read_grids
from danvan_cli.read.layout import Spot
from danvan_cli.read.recognise import (
    history_header,
    is_danvan_output,
    is_history,
    is_lock_file,
    output_kind,
)
from danvan_cli.usecases.context import Context
from danvan_cli.usecases.validate import validate
from danvan_cli.validate.checks import CHECKS, missing_papers, run_checks, total_of
from danvan_cli.validate.results import FileResult, Validation
from danvan_cli.write.guard import guard_file, guard_folder

SHEET = "Hồ sơ"
MAXIMA = {"01": 15, "02": 15, "03": 20, "04": 10, "05": 10, "06": 15, "07": 15}


def row(code: str, score: object, evidence: str | None = "Báo cáo số 12/BC") -> ScoreRow:
    r = int(code) + 10
    spot = Spot(SHEET, r, 3, score)
    ev = Spot(SHEET, r, 4, evidence)
    return ScoreRow(
        code=code,
        number=Spot(SHEET, r, 0, code),
        max=Value.at(Spot(SHEET, r, 2, MAXIMA[code]), Decimal(MAXIMA[code])),
        score=Value.at(spot, Decimal(str(score))) if score is not None else None,
        score_spot=spot,
        evidence=Value.at(ev, evidence) if evidence is not None else None,
        evidence_spot=ev,
    )


def typed(**info: object) -> Dossier:
    """An individual's district-level dossier, as the reader would type it: all valid."""
    values: dict[str, object] = {
        "year": 2024,
        "kind": "individual",
        "name": "Nguyễn Thị Hòa",
        "unit": "Hội Phụ nữ xã Vạn Thắng",
        "model": "Mô hình",
        "field": "b",
        "registered_on": dt.date(2024, 2, 15),
        "submitted_on": dt.date(2024, 9, 1),
        "level": "huyen",
        "lower_decision": "25/QĐ-UBND",
    }
    values.update(info)
    papers = [
        PaperMark(label, True, SHEET, f"C{30 + i}")
        for i, label in enumerate(
            ["Tờ trình của UBND xã", "Biên bản họp xét", "Báo cáo thành tích", "Quyết định số 25"]
        )
    ]
    return Dossier(
        info=DossierInfo(**values),  # type: ignore[arg-type]
        cells={"year": (SHEET, "B3"), "registered_on": (SHEET, "B9"), "submitted_on": (SHEET, "B10"),
               "field": (SHEET, "B8")},
        kind="individual",
        rows=[row(code, mx) for code, mx in MAXIMA.items()],
        table_sheet=SHEET,
        papers_sheet=SHEET,
        papers_cell="B29",
        papers=papers,
    )  # fmt: skip


def test_a_valid_typed_dossier_has_no_findings_and_its_exact_total(config):
    dossier = typed()
    assert run_checks(dossier, config) == []
    assert total_of(dossier, config) == Decimal(100)
    assert dossier.scores == {code: Decimal(mx) for code, mx in MAXIMA.items()}
    assert dossier.where("submitted_on") == (SHEET, "B10")
    assert dossier.where("benefit") == (None, None)
    assert dossier.info.flag("difficult", Decimal(70)) is None


def test_each_check_names_its_rule_and_cell(config):
    dossier = typed(
        registered_on=dt.date(2024, 2, 16),
        submitted_on=dt.date(2024, 9, 3),
        field="a",
        lower_decision=None,
    )
    dossier.rows[0] = row("01", "13.4")  # below 13.5
    dossier.rows[5] = row("06", 15, None)
    dossier.rows[6] = row("07", 15, "Báo cáo tổng kết của Hội")
    dossier.papers[1] = PaperMark("Biên bản họp xét", False, SHEET, "C31")
    found = run_checks(dossier, config)
    assert [(f.code, f.rule, f.position) for f in found] == [
        ("score.below_threshold", "R1", "Hồ sơ!D12"),
        ("evidence.missing", "R2", "Hồ sơ!E17"),
        ("evidence.no_figure", "R2", "Hồ sơ!E18"),
        ("deadline.registration_late", "R7", "Hồ sơ!B9"),
        ("deadline.submission_late", "R7", "Hồ sơ!B10"),
        ("document.missing", "R8", "Hồ sơ!C31"),
        ("info.benefit_missing", "R9", "Hồ sơ!B8"),
        ("eligibility.lower_decision_missing", "R4", "Hồ sơ"),  # the sheet of the information
    ]
    below = found[0]
    assert below.criterion == "01" and below.params["short"] == Decimal("0.1")
    assert below.message("vi") == (
        "Tiêu chí 01 đạt 13,4/15 điểm, dưới mức tối thiểu 13,5 (90% điểm chuẩn): thiếu 0,1 điểm."
    )
    assert found[4].params == {
        "date": dt.date(2024, 9, 3),
        "limit": dt.date(2024, 9, 1),
        "days": 2,
    }
    assert total_of(dossier, config) == Decimal("98.4")
    assert CHECKS[0].__name__ == "check_scores"  # the order findings come in


def test_checks_that_do_not_apply_stay_silent(config):
    basic = typed(level="co-so", submitted_on=dt.date(2024, 12, 1), lower_decision=None)
    assert run_checks(basic, config) == []  # no papers, no submission deadline, no R4
    no_evidence = typed()
    no_evidence.rows = [row(code, mx, None) for code, mx in MAXIMA.items()]
    no_evidence.has_evidence_column = False
    assert run_checks(no_evidence, config) == []
    unknown = typed()
    unknown.kind = None
    assert total_of(unknown, config) is None
    missing = typed()
    missing.rows = missing.rows[:-1]
    assert total_of(missing, config) is None  # a criterion without a score: no total at all
    no_table = typed()
    no_table.papers_sheet = None
    (f,) = run_checks(no_table, config)
    assert f.code == "document.table_missing" and f.params["level"] == "huyện"


def test_papers_are_matched_by_words_of_the_plan(config):
    level = config.plan.level("tinh")
    marks = [
        PaperMark("Tờ trình của Ủy ban nhân dân huyện", True, SHEET, "C1"),
        PaperMark("Báo cáo thành tích (mẫu 07)", False, SHEET, "C2"),
        PaperMark("Quyết định của Chủ tịch UBND huyện", True, SHEET, "C3"),
    ]
    missing = {paper.id: mark for paper, mark in missing_papers(marks, level)}
    assert set(missing) == {"bien-ban", "bao-cao-thanh-tich"}
    assert missing["bien-ban"] is None and missing["bao-cao-thanh-tich"] == marks[1]


def test_findings_are_data_from_the_catalog():
    f = Finding("score.below_threshold", sheet="Hồ sơ", cell="D9", criterion="03", params={})
    assert (f.severity, f.rule, f.is_error, f.position) == ("error", "R1", True, "Hồ sơ!D9")
    assert Finding("file.encrypted").position == ""
    assert Finding("evidence.missing", sheet="Hồ sơ").position == "Hồ sơ"
    assert set(f.to_dict("en")) == {
        "code", "severity", "rule", "sheet", "cell", "criterion", "message", "hint",
    }  # fmt: skip
    with pytest.raises(KeyError, match="not in the message catalog"):
        Finding("score.too_pretty")
    warning = Finding("evidence.no_figure", criterion="05")
    assert not warning.is_error and warning.message("en").startswith(
        "The evidence for criterion 05"
    )


def test_results_and_a_batch_as_json():
    bad = FileResult("b.xlsx", "b" * 64, [Finding("file.format")])
    good = FileResult(
        "a.xlsx",
        "a" * 64,
        [Finding("evidence.no_figure", criterion="05")],
        info=DossierInfo(year=2024, name="A", unit="xã A", level="huyen"),
        kind="collective",
        total=Decimal("95.50"),
        scores={"02": Decimal("14.5"), "01": Decimal(15)},
    )
    assert (good.valid, good.errors, good.warnings) == (True, 0, 1)
    assert (bad.valid, bad.errors, bad.name, bad.unit, bad.year, bad.level) == (
        False,
        1,
        None,
        None,
        None,
        None,
    )
    data = good.to_dict("vi")
    assert data["total"] == 95.5 and list(data["scores"].items()) == [("01", 15.0), ("02", 14.5)]
    batch = Validation([good, bad])
    assert (batch.valid, batch.valid_count) == (False, 1)
    assert batch.to_dict("vi")["summary"] == {"files": 2, "valid": 1, "invalid": 1}
    assert "provenance" not in batch.to_dict("vi")
    assert Validation([good], {"danvan": "x"}).to_dict("en")["provenance"] == {"danvan": "x"}


def test_validate_writes_its_report_beside_the_inputs_and_leaves_it_out_next_time(tmp_path, config):
    folder = tmp_path / "ho-so"
    folder.mkdir()
    write(folder / "a.xlsx", spec())
    bad = spec("individual")
    bad.score("03", 12)
    write(folder / "b.xlsx", bad)
    ctx = Context(None, config)
    report = folder / "bao-cao.xlsx"
    for _ in range(2):
        outcome = validate(ctx, [folder], report=report)
        assert [f.path for f in outcome.validation.files] == [
            str(folder / n) for n in ["a.xlsx", "b.xlsx"]
        ]
        assert outcome.exit_code == 1 and outcome.report == report
    assert outcome.validation.provenance == config.provenance()
    assert is_danvan_output(report)
    sheet = openpyxl.load_workbook(report)["Chi tiết lỗi"]
    top = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "STT")
    rows = table_rows(sheet, top)
    assert [(r[8], r[4], r[5]) for r in rows] == [  # the file last, outside the print area
        ("b.xlsx", "Mỗi tiêu chí đạt từ 90% điểm chuẩn, tổng từ 90 điểm", "Lỗi")
    ] * 2
    assert [r[3] for r in rows] == ["Hồ sơ!D17", "Hồ sơ"]  # criterion 03, then the total
    valid_only = validate(ctx, [folder / "a.xlsx"])
    assert valid_only.exit_code == 0 and valid_only.report is None


def test_validate_refusals(tmp_path, config, workspace):
    ctx = Context(None, config)
    dossier = write(tmp_path / "a.xlsx", spec())
    before = dossier.read_bytes()
    with pytest.raises(UsageError) as caught:
        validate(ctx, [tmp_path], report=dossier)
    assert caught.value.key == "validate.report_is_input" and dossier.read_bytes() == before
    (tmp_path / "trong").mkdir()
    with pytest.raises(UsageError) as caught:
        validate(ctx, [tmp_path / "trong"])
    assert caught.value.key == "validate.none"
    with pytest.raises(UsageError) as caught:
        validate(ctx, [tmp_path / "khong-co"])
    assert caught.value.key == "usage.path_not_found"
    into = workspace.ws.dossiers(2024) / "bao-cao.xlsx"
    into.parent.mkdir(parents=True)
    with pytest.raises(UsageError) as caught:
        validate(workspace, [dossier], report=into)
    assert caught.value.key == "output.in_dossiers" and not into.exists()


def test_the_rejection_report_asked_in_english_is_a_vietnamese_document(tmp_path, config):
    """--lang en changes the messages on screen, not the report printed for the units."""
    bad = spec()
    bad.score("01", 10)
    path = write(tmp_path / "a.xlsx", bad)
    out = tmp_path / "report.xlsx"
    validate(Context(None, config), [path], report=out, lang="en")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Chi tiết lỗi", "Tổng hợp theo đơn vị", "Nguồn dữ liệu"]
    assert is_danvan_output(out)
    sheet = book["Chi tiết lỗi"]
    top = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "STT")
    assert sheet.cell(top + 1, 7).value.startswith("Tiêu chí 01 đạt 10/15 điểm")


def test_where_danvan_may_write(tmp_path, workspace):
    ours = tmp_path / "bao-cao.xlsx"
    validate(workspace, [write(tmp_path / "a.xlsx", spec())], report=ours)
    guard_file(ours, workspace.ws, "rejections")  # its own report: may be replaced
    guard_file(tmp_path / "moi.xlsx", None, "rejections")  # a new file
    mine = tmp_path / "cua-toi.xlsx"
    openpyxl.Workbook().save(mine)
    for path, key in [
        (tmp_path, "output.exists_dir"),
        (mine, "output.not_ours"),
        (tmp_path / "a.xlsx", "output.not_ours"),
        (tmp_path / "khong-co" / "r.xlsx", "output.no_folder"),
        (workspace.ws.dossiers(2024) / "r.xlsx", "output.in_dossiers"),
    ]:
        with pytest.raises(UsageError) as caught:
            guard_file(path, workspace.ws, "rejections")
        assert caught.value.key == key, path
    with pytest.raises(UsageError) as caught:  # another of danvan's outputs is no report
        guard_file(ours, workspace.ws, "ranking")
    assert caught.value.key == "output.not_ours"
    package = tmp_path / "goi"
    guard_folder(package, None, "danh-muc-tep.csv")  # not there yet
    package.mkdir()
    guard_folder(package, None, "danh-muc-tep.csv")  # empty
    (package / "ghi-chu.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        guard_folder(package, None, "danh-muc-tep.csv")
    assert caught.value.key == "output.folder_not_ours"
    (package / "danh-muc-tep.csv").write_text("Tệp", encoding="utf-8")
    guard_folder(package, None, "danh-muc-tep.csv")  # an earlier package
    with pytest.raises(UsageError) as caught:
        guard_folder(mine, None, "danh-muc-tep.csv")
    assert caught.value.key == "output.not_ours"
    with pytest.raises(UsageError) as caught:
        guard_folder(workspace.ws.root, workspace.ws, "danh-muc-tep.csv")
    assert caught.value.key == "output.in_dossiers"


def test_what_a_workbook_is_before_it_is_read(tmp_path, workspace):
    assert is_lock_file(tmp_path / "~$ho-so.xlsx") and not is_lock_file(tmp_path / "ho-so.xlsx")
    dossier = write(tmp_path / "ho-so.xlsx", spec())
    listing = history(tmp_path / "ls.xlsx", [(2023, "Huyện", "Cá nhân", "A", "xã A", "1", "")])
    report = tmp_path / "bao-cao.xlsx"
    validate(workspace, [dossier], report=report)
    text = tmp_path / "ghi-chu.xlsx"
    text.write_text("x", encoding="utf-8")
    assert [is_danvan_output(p) for p in (dossier, listing, report, text)] == [
        False,
        False,
        True,
        False,
    ]
    grids = {p.name: read_grids(p) for p in (dossier, listing, report)}
    assert [is_history(g) for g in grids.values()] == [False, True, False]
    assert [output_kind(p) for p in (dossier, listing, report, text)] == [
        None,
        None,
        "rejections",
        None,
    ]
    top, cols = history_header(grids["ls.xlsx"][0])
    assert top == 1 and cols == {
        "year": 0,
        "level": 1,
        "kind": 2,
        "name": 3,
        "unit": 4,
        "decision_no": 5,
        "decision_date": 6,
    }
