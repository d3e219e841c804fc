"""Annual and phase reports: figures recounted from the inputs, charts, header."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from builders import spec, write
from danvan_cli.cli import app

runner = CliRunner()


def test_annual_and_phase_figures_match_a_count_by_hand(tmp_path):
    ws = tmp_path / "ws"
    runner.invoke(app, ["init", str(ws)])
    folder = ws / "ho-so" / "2024"
    folder.mkdir(parents=True)
    write(
        folder / "a.xlsx",
        spec(
            **{
                "Lĩnh vực": "a) Kinh tế",
                "Giá trị làm lợi (VND)": "1.200.000.000",
                "Tên tập thể": "Hội Nông dân xã Vạn Thắng",
                "Đơn vị": "UBND xã Vạn Thắng",
            }
        ),
    )
    write(
        folder / "b.xlsx",
        spec(
            "individual", **{"Họ và tên": "Trần Văn Minh", "Đơn vị": "Ủy ban nhân dân xã Vạn Thắng"}
        ),
    )
    write(
        folder / "c.xlsx",
        spec(
            "individual",
            **{"Họ và tên": "Lê Thị Lan", "Đơn vị": "xã Vạn Phú", "Ngày nộp hồ sơ": "05/09/2024"},
        ),
    )
    (folder / "d.xlsx").write_text("không phải bảng tính", encoding="utf-8")
    history = tmp_path / "h.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Năm", "Cấp", "Loại", "Tên", "Đơn vị", "Số quyết định", "Ngày quyết định"])
    book.active.append(
        [2023, "Huyện", "Cá nhân", "Trần Văn Minh", "UBND xã Vạn Thắng", "1/QĐ", "22/09/2023"]
    )
    book.active.append(
        [2024, "Huyện", "Cá nhân", "TRẦN VĂN MINH", "UBND xã Vạn Thắng", "2/QĐ", "20/09/2024"]
    )
    book.save(history)
    assert (
        runner.invoke(app, ["history", "import", str(history), "--workspace", str(ws)]).exit_code
        == 0
    )

    result = runner.invoke(
        app, ["report", "--year", "2024", "--format", "json", "--workspace", str(ws)]
    )
    assert result.exit_code == 0, result.output
    year = json.loads(result.stdout)["years"][0]
    assert (year["dossiers"], year["valid"], year["invalid"], year["unreadable"]) == (4, 2, 2, 1)
    assert year["submitted_late"] == 1 and year["registered_late"] == 0
    assert year["rejected_by_rule"] == {"R7": 1, "khác": 1}
    assert year["rejected_by_reason"] == {"deadline.submission_late": 1, "file.format": 1}
    assert year["by_field"]["a"] == {"dossiers": 1, "valid": 1, "recognized": 0}
    assert year["by_field"]["b"] == {"dossiers": 2, "valid": 1, "recognized": 1}
    assert year["by_unit"] == {  # "UBND" and "Ủy ban nhân dân" are one unit; Vietnamese order
        "UBND xã Vạn Thắng": {"dossiers": 2, "valid": 2, "recognized": 1},
        "xã Vạn Phú": {"dossiers": 1, "valid": 0, "recognized": 0},
    }
    assert year["recognitions"] == {"huyen": {"collective": 0, "individual": 1}}

    phase = runner.invoke(
        app,
        ["report", "--from", "2023", "--to", "2024", "--format", "json", "--workspace", str(ws)],
    )
    years = json.loads(phase.stdout)["years"]
    assert [y["year"] for y in years] == [2023, 2024]
    assert years[0]["dossier_folder"] is False  # no ho-so/2023: its zeros are no data
    assert years[0]["recognitions"] == {"huyen": {"collective": 0, "individual": 1}}
    assert years[0]["by_field"]["?"] == {"dossiers": 0, "valid": 0, "recognized": 1}
    assert years[0]["by_unit"] == {
        "UBND xã Vạn Thắng": {"dossiers": 0, "valid": 0, "recognized": 1}
    }

    book = openpyxl.load_workbook(ws / "ket-qua" / "bao-cao-ket-qua-2023-2024.xlsx")
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
    assert (summary["A1"].value, summary["A2"].value) == ("HUYỆN ỦY VẠN NINH", "BAN DÂN VẬN")
    assert "GIAI ĐOẠN 2023 - 2024" in summary["A5"].value
    header = next(r for r in range(1, 15) if summary.cell(r, 1).value == "Nội dung")
    assert [c.value for c in summary[header]] == ["Nội dung", "2023", "2024", "Cả giai đoạn"]
    assert [c.value for c in summary[header + 1]][1:] == ["—", 4, 4]  # no ho-so/2023: no data
    by_year = book["Theo năm"]
    top = next(r for r in range(1, 15) if by_year.cell(r, 1).value == "Năm")
    assert [c.value for c in by_year[top + 1]][:3] == ["2023", "—", "—"]  # as on "Tổng hợp"
    # the reasons sheet (signed): each rule in words, in bold, numbered, its reasons under it
    # ("- …"); the file problems under their own heading, never as if part of another rule
    reasons = book["Lý do không đạt"]
    top = next(r for r in range(1, 15) if reasons.cell(r, 1).value == "STT")
    assert [c.value for c in reasons[top]] == [
        "STT",
        "Quy định của Kế hoạch và lý do không đạt",
        "2023",
        "2024",
    ]
    table = []
    for r in range(top + 1, reasons.max_row + 1):
        if reasons.cell(r, 2).value is None:
            break
        table.append(
            (reasons.cell(r, 1).value, reasons.cell(r, 2).value, reasons.cell(r, 2).font.b)
        )
    assert [(n, text, bold) for n, text, bold in table] == [
        (1, "Thời hạn đăng ký và nộp hồ sơ", True),
        (None, "- Nộp hồ sơ sau thời hạn", False),
        (2, "Lỗi tệp hoặc thông tin (không thuộc quy định nào)", True),
        (None, "- Tệp không phải bảng tính", False),
    ]
    assert [reasons.cell(top + 1 + i, 4).value for i in range(4)] == [1, 1, 1, 1]
    # one chart per table, on a sheet of their own (no table header printed over a chart)
    assert len(book["Biểu đồ"]._charts) == 4
    assert int(summary.page_setup.paperSize) == 9


def test_report_on_the_samples_matches_a_count_from_expected_yaml(demo_copy):
    """The demo's year, counted from samples/expected.yaml by hand (not by danvan)."""
    import yaml

    from conftest import SAMPLES
    from danvan_cli.i18n.catalog import catalog

    target = demo_copy
    result = runner.invoke(
        app, ["report", "--year", "2024", "--format", "json", "--workspace", str(target)]
    )
    year = json.loads(result.stdout)["years"][0]
    expected = yaml.safe_load((SAMPLES / "expected.yaml").read_text(encoding="utf-8"))["files"]
    intake = {name: e for name, e in expected.items() if name != "lich-su-cong-nhan.xlsx"}
    assert year["dossiers"] == len(intake)
    assert year["valid"] == sum(e["valid"] for e in intake.values())
    assert year["unreadable"] == sum(
        any(c.startswith("file.") for c in e["codes"]) for e in intake.values()
    )
    rules: dict[str, int] = {}
    for e in intake.values():
        errors = {c for c in e["codes"] if catalog().codes[c].severity == "error"}
        for rule in {catalog().codes[c].rule or "khác" for c in errors}:
            rules[rule] = rules.get(rule, 0) + 1
    assert year["rejected_by_rule"] == dict(sorted(rules.items()))
    assert year["submitted_late"] == sum(
        "deadline.submission_late" in e["codes"] for e in intake.values()
    )
    # the demo's council agreed to every proposal: 2 collectives and 5 individuals
    assert year["recognitions"] == {"huyen": {"collective": 2, "individual": 5}}
