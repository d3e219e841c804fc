"""The annual and phase figures (award.figures.year_figures) recounted by hand from real
dossiers and recognitions, and `report` as a use case (usecases.report, write.results)."""

from __future__ import annotations

import openpyxl
import pytest

from conftest import drop_dossier, history, register_of
from danvan_cli.award.figures import NO_RULE, UNKNOWN, YearFigures, year_figures
from danvan_cli.errors import UsageError
from danvan_cli.usecases.history import import_history
from danvan_cli.usecases.report import report, report_name, years_of
from danvan_cli.validate.run import discover, validate_many


@pytest.fixture
def year(workspace, tmp_path):
    ctx = workspace
    drop_dossier(ctx, "Trần Văn Minh", unit="UBND xã Vạn Thắng")
    drop_dossier(ctx, "TRẦN VĂN MINH", unit="Ủy ban nhân dân xã Vạn Thắng", file="ban-sao.xlsx")
    economic = {"Lĩnh vực": "a) Kinh tế", "Giá trị làm lợi (VND)": "1.200.000.000"}
    drop_dossier(ctx, "Hội Nông dân", kind="collective", unit="xã Vạn Phú", **economic)
    late = {"Ngày nộp hồ sơ": "05/09/2024", "Ngày đăng ký": "20/02/2024"}
    drop_dossier(ctx, "Lê Thị Lan", unit="xã Vạn Phú", **late)  # R7 twice: one dossier
    low = drop_dossier(ctx, "Phạm Văn Thấp", unit="thôn Tây")
    book = openpyxl.load_workbook(low)
    for row in book.active.iter_rows():
        if row[0].value in ("01", "02"):
            row[3].value = 9  # two criteria below 90 % and a total of 88: R1 three times
    book.save(low)
    (ctx.ws.dossiers(2024) / "hong.xlsx").write_text("x", encoding="utf-8")
    rows = [
        (2024, "Huyện", "Cá nhân", "Trần Văn Minh", "UBND xã Vạn Thắng", "1/QĐ", ""),
        (2024, "Huyện", "Cá nhân", "Võ Văn Xa", "xã Đại Lãnh", "1/QĐ", ""),  # no dossier
        (2024, "Tỉnh", "Tập thể", "Hội Nông dân", "xã Vạn Phú", "9/QĐ", ""),
        (2023, "Huyện", "Cá nhân", "Trần Văn Minh", "UBND xã Vạn Thắng", "5/QĐ", ""),
    ]
    import_history(ctx, history(tmp_path / "h.xlsx", rows))
    return ctx


def figures_of(ctx, y: int) -> YearFigures:
    folder = ctx.ws.dossiers(y)
    files = discover([folder]) if folder.is_dir() else None
    results = validate_many(files, ctx.config) if files is not None else None
    with register_of(ctx) as reg:
        return year_figures(ctx.config, y, results, reg.recognitions())


def test_a_years_figures_match_a_count_by_hand(year):
    fig = figures_of(year, 2024)
    assert (fig.dossiers, fig.valid, fig.invalid, fig.unreadable) == (6, 3, 3, 1)
    assert (fig.registered_late, fig.submitted_late) == (1, 1)
    assert dict(fig.by_rule) == {"R1": 1, "R7": 1, NO_RULE: 1}  # per dossier, not per finding
    assert dict(fig.by_reason) == {
        "score.below_threshold": 1,
        "total.below_threshold": 1,
        "deadline.registration_late": 1,
        "deadline.submission_late": 1,
        "file.format": 1,
    }
    tallies = {k: v.as_dict() for k, v in fig.by_field.items()}
    assert tallies == {
        "a": {"dossiers": 1, "valid": 1, "recognized": 1},
        "b": {"dossiers": 4, "valid": 2, "recognized": 1},  # Minh's two dossiers count once
        "c": {"dossiers": 0, "valid": 0, "recognized": 0},
        "d": {"dossiers": 0, "valid": 0, "recognized": 0},
        UNKNOWN: {"dossiers": 0, "valid": 0, "recognized": 1},  # Võ Văn Xa, no dossier
    }
    assert {k: v.as_dict() for k, v in fig.by_unit.items()} == {
        "thôn Tây": {"dossiers": 1, "valid": 0, "recognized": 0},
        # "UBND" = "Ủy ban nhân dân": one unit, named as first seen (ban-sao.xlsx comes first)
        "Ủy ban nhân dân xã Vạn Thắng": {"dossiers": 2, "valid": 2, "recognized": 1},
        "xã Đại Lãnh": {"dossiers": 0, "valid": 0, "recognized": 1},
        "xã Vạn Phú": {"dossiers": 2, "valid": 1, "recognized": 1},
    }
    assert list(fig.by_unit) == [  # Vietnamese alphabetical order
        "thôn Tây",
        "Ủy ban nhân dân xã Vạn Thắng",
        "xã Đại Lãnh",
        "xã Vạn Phú",
    ]
    assert fig.recognitions == {
        "huyen": {"collective": 0, "individual": 2},
        "tinh": {"collective": 1, "individual": 0},
    }
    assert len(fig.inputs) == 6 and all(len(sha) == 64 for _, sha in fig.inputs)
    data = fig.as_dict()
    assert data["rejected_by_rule"] == {"R1": 1, "R7": 1, "khác": 1}
    assert list(data["rejected_by_reason"]) == sorted(data["rejected_by_reason"])
    assert data["dossier_folder"] is True and data["invalid"] == 3


def test_a_year_without_its_folder_has_recognitions_but_no_dossier_figures(year):
    fig = figures_of(year, 2023)
    assert not fig.has_dossiers and fig.as_dict()["dossier_folder"] is False
    assert (fig.dossiers, fig.valid, fig.unreadable, fig.inputs) == (0, 0, 0, [])
    assert fig.recognitions == {"huyen": {"collective": 0, "individual": 1}}
    assert fig.by_field[UNKNOWN].recognized == 1
    assert {k: v.recognized for k, v in fig.by_unit.items()} == {"UBND xã Vạn Thắng": 1}


def test_years_of_takes_one_year_or_a_range_never_a_mix():
    assert years_of(2024, None, None) == (2024, 2024)
    assert years_of(None, 2023, 2026) == (2023, 2026)
    assert years_of(None, 2024, 2024) == (2024, 2024)
    for args, key in [
        ((None, None, None), "annual.need_year"),
        ((None, 2023, None), "annual.need_year"),
        ((2024, 2023, 2024), "annual.need_year"),
        ((None, 2025, 2023), "annual.bad_range"),
    ]:
        with pytest.raises(UsageError) as caught:
            years_of(*args)
        assert caught.value.key == key, args
    assert report_name(2024, 2024) == "bao-cao-ket-qua-2024.xlsx"
    assert report_name(2023, 2026) == "bao-cao-ket-qua-2023-2026.xlsx"


def test_the_phase_report_workbook(year):
    outcome = report(year, first=2023, last=2024)
    assert outcome.path == year.ws.outputs / "bao-cao-ket-qua-2023-2024.xlsx"
    assert [f.year for f in outcome.figures] == [2023, 2024]
    assert outcome.provenance == year.config.provenance()
    book = openpyxl.load_workbook(outcome.path)
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo lĩnh vực",
        "Theo đơn vị",
        "Theo địa bàn",
        "Lý do không đạt",
        "Theo năm",
        "Biểu đồ",
        "Nguồn dữ liệu",
    ]
    summary = book["Tổng hợp"]
    top = next(r for r in range(1, 20) if summary.cell(r, 1).value == "Nội dung")
    rows = {r[0]: r[1:] for r in ([c.value for c in row] for row in summary.iter_rows(min_row=top))}
    assert rows["Nội dung"] == ["2023", "2024", "Cả giai đoạn"]
    assert rows["Số hồ sơ đề nghị khen thưởng nhận được"] == ["—", 6, 6]
    assert rows["Số hồ sơ đạt yêu cầu"] == ["—", 3, 3]
    assert rows["  trong đó: tệp không đọc được hoặc không phải hồ sơ"] == ["—", 1, 1]
    assert rows["Được công nhận điển hình cấp huyện — cá nhân"] == [1, 2, 3]
    assert rows["Được công nhận điển hình cấp tỉnh — tập thể"] == [0, 1, 1]
    single = report(year, year=2024)
    assert single.path.name == "bao-cao-ket-qua-2024.xlsx" and len(single.figures) == 1
    header = next(
        [c.value for c in row]
        for row in openpyxl.load_workbook(single.path)["Tổng hợp"].iter_rows()
        if row[0].value == "Nội dung"
    )
    assert [h for h in header if h is not None] == ["Nội dung", "2024"]  # no phase total


def test_the_results_workbook_asked_in_english_is_still_a_vietnamese_document(year):
    """--lang en changes the messages, not the documents: the printed report is Vietnamese."""
    outcome = report(year, year=2024, lang="en")
    book = openpyxl.load_workbook(outcome.path)
    summary = book["Tổng hợp"]
    assert (
        summary["A5"].value
        == 'BÁO CÁO KẾT QUẢ THỰC HIỆN PHONG TRÀO THI ĐUA "DÂN VẬN KHÉO" NĂM 2024'
    )
    top = next(r for r in range(1, 20) if summary.cell(r, 1).value == "Nội dung")
    rows = {r[0]: r[1] for r in ([c.value for c in row] for row in summary.iter_rows(min_row=top))}
    assert rows["Số hồ sơ đề nghị khen thưởng nhận được"] == 6
    assert book.sheetnames == [  # no year-by-year sheet for one year
        "Tổng hợp",
        "Theo lĩnh vực",
        "Theo đơn vị",
        "Theo địa bàn",
        "Lý do không đạt",
        "Biểu đồ",
        "Nguồn dữ liệu",
    ]
    english = {"Item", "PREPARED BY", "HEAD OF THE AGENCY", "Summary", "By field"}
    for ws in book.worksheets:
        assert not english & {c.value for row in ws.iter_rows() for c in row}, ws.title
