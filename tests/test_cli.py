"""The command line contract: exit codes, JSON, languages, files and folders."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import spec, write
from danvan_cli import __version__
from danvan_cli.cli import app
from danvan_cli.validate.results import Validation
from danvan_cli.validate.run import discover, validate_many

runner = CliRunner()


def _intake(tmp_path: Path) -> Path:
    folder = tmp_path / "ho-so"
    (folder / "xa").mkdir(parents=True)
    write(folder / "hop-le.xlsx", spec())
    write(folder / "xa" / "ca-nhan.xlsx", spec("individual"), "sheets")
    bad = spec()
    bad.score("03", 12)
    write(folder / "xa" / "thieu-diem.xlsx", bad, "header")
    (folder / "~$hop-le.xlsx").write_bytes(b"lock")
    (folder / "ghi-chu.txt").write_text("không phải hồ sơ", encoding="utf-8")
    return folder


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"danvan {__version__}"


@pytest.mark.xdist_group("subprocesses")
def test_python_dash_m_runs():
    done = subprocess.run(
        [sys.executable, "-m", "danvan_cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.strip() == f"danvan {__version__}"


def test_valid_file_exits_0(tmp_path):
    path = write(tmp_path / "a.xlsx", spec())
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "Đạt" in result.stdout
    assert "1 hồ sơ: 1 đạt, 0 không đạt." in result.stdout


def test_invalid_file_exits_1_and_names_sheet_and_cell(tmp_path):
    s = spec()
    s.score("03", 12)
    path = write(tmp_path / "a.xlsx", s)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "Hồ sơ!D17" in result.stdout
    assert "Không đạt" in result.stdout and "R1" in result.stdout


def test_missing_path_exits_2(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path / "khong-co.xlsx")])
    assert result.exit_code == 2
    assert "Không tìm thấy tệp hoặc thư mục" in result.stderr


def test_folder_without_dossiers_exits_2(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "Không tìm thấy tệp hồ sơ nào" in result.stderr


def test_bad_option_exits_2(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path), "--format", "xml"])
    assert result.exit_code == 2


def test_json_is_the_library_report_and_nothing_else(tmp_path, config):
    folder = _intake(tmp_path)
    result = runner.invoke(app, ["validate", str(folder), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    expected = Validation(validate_many(discover([folder]), config), config.provenance())
    assert data == expected.to_dict("vi")
    assert [Path(f["path"]).name for f in data["files"]] == [
        "hop-le.xlsx",
        "ca-nhan.xlsx",
        "thieu-diem.xlsx",
    ]
    assert data["summary"] == {"files": 3, "valid": 2, "invalid": 1}
    first = data["files"][0]
    assert set(first) == {
        "path",
        "sha256",
        "valid",
        "kind",
        "name",
        "unit",
        "year",
        "total",
        "scores",
        "findings",
    }
    assert first["kind"] == "collective" and first["year"] == 2024 and first["total"] == 95.5
    assert first["scores"]["02"] == 14.5 and len(first["sha256"]) == 64
    bad = data["files"][2]["findings"][0]
    assert set(bad) == {"code", "severity", "rule", "sheet", "cell", "criterion", "message", "hint"}
    assert (bad["code"], bad["rule"], bad["cell"], bad["criterion"]) == (
        "score.below_threshold",
        "R1",
        "D9",
        "03",
    )


def test_english_messages(tmp_path):
    s = spec()
    s.score("03", 12)
    path = write(tmp_path / "a.xlsx", s)
    result = runner.invoke(app, ["validate", str(path), "--format", "json", "--lang", "en"])
    finding = json.loads(result.stdout)["files"][0]["findings"][0]
    assert finding["message"].startswith("Criterion 03 scores 12/15")
    env = runner.invoke(app, ["validate", str(path)], env={"DANVAN_LANG": "en"})
    assert "1 dossiers: 0 valid, 1 invalid." in env.stdout


def test_validate_changes_no_input(tmp_path):
    folder = _intake(tmp_path)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    runner.invoke(app, ["validate", str(folder)])
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_unwritable_report_exits_2(tmp_path):
    path = write(tmp_path / "a.xlsx", spec())
    locked = tmp_path / "chi-doc"
    locked.mkdir()
    (locked / "r.xlsx").mkdir()  # a folder where the report should go
    result = runner.invoke(app, ["validate", str(path), "--report", str(locked / "r.xlsx")])
    assert result.exit_code == 2
    assert "là một thư mục" in result.stderr


def test_template_bad_level_exits_2(tmp_path):
    result = runner.invoke(
        app, ["template", "--kind", "collective", "--level", "xa", "-o", str(tmp_path / "t.xlsx")]
    )
    assert result.exit_code == 2
    assert "Cấp không có trong kế hoạch" in result.stderr
    assert not (tmp_path / "t.xlsx").exists()


def test_report_never_overwrites_a_dossier_and_is_not_read_back(tmp_path):
    folder = tmp_path / "ho-so"
    folder.mkdir()
    dossier = write(folder / "a.xlsx", spec())
    before = dossier.read_bytes()
    refused = runner.invoke(app, ["validate", str(folder), "--report", str(dossier)])
    assert refused.exit_code == 2 and "chọn tên khác" in refused.stderr
    assert dossier.read_bytes() == before
    report = folder / "bao-cao.xlsx"
    for _ in range(2):
        result = runner.invoke(
            app, ["validate", str(folder), "--report", str(report), "--format", "json"]
        )
        assert result.exit_code == 0
        assert [Path(f["path"]).name for f in json.loads(result.stdout)["files"]] == ["a.xlsx"]
    assert report.stat().st_mode & 0o044 == 0o044  # readable by the rest of the office


def test_template_does_not_overwrite_without_force(tmp_path):
    target = tmp_path / "mau.xlsx"
    target.write_bytes(b"ho so da dien")
    result = runner.invoke(app, ["template", "--kind", "individual", "-o", str(target)])
    assert result.exit_code == 2 and target.read_bytes() == b"ho so da dien"
    forced = runner.invoke(app, ["template", "--kind", "individual", "-o", str(target), "--force"])
    assert forced.exit_code == 0 and target.read_bytes()[:2] == b"PK"


def test_report_into_a_missing_folder_fails_before_work(tmp_path):
    path = write(tmp_path / "a.xlsx", spec())
    result = runner.invoke(
        app, ["validate", str(path), "--report", str(tmp_path / "khong" / "r.xlsx")]
    )
    assert result.exit_code == 2 and "không tồn tại" in result.stderr


@pytest.mark.xdist_group("subprocesses")
def test_usage_errors_are_in_vietnamese_with_exit_2(tmp_path):
    cases = {
        (
            "validate",
            str(tmp_path),
            "--format",
            "xml",
        ): "Giá trị của --format không hợp lệ (chọn một trong: table, json).",
        ("validate",): "Thiếu: Tệp hồ sơ (.xlsx, .xlsm, .xls, .ods) hoặc thư mục chứa hồ sơ.",
        ("khong-co",): 'Không có lệnh "khong-co".',
        ("validate", str(tmp_path), "--bogus"): "Không có tùy chọn --bogus.",
        (
            "rank",
            "--year",
            "abc",
            "--level",
            "huyen",
        ): "Giá trị của --year phải là một số nguyên, ví dụ 2024.",
        # Click's English sentences are never shown: each case is told by its class
        ("rank", "--year", "2024", "--level", "huyen", "thua", "hai tu"): (
            "Thừa: thua 'hai tu' (lệnh này không nhận thêm các từ này"
        ),
        ("validate", str(tmp_path), "--jobs", "-1"): (
            "Giá trị của --jobs phải là một số nguyên từ 0 trở lên."
        ),
        ("history", "correct", "abc", "--reason", "x"): (  # an argument by its help text
            "Giá trị của Mã của lượt công nhận (cột Mã của danvan history show) phải là một số"
            " nguyên, ví dụ 1."
        ),
        ("validate", str(tmp_path), "--format"): "Tùy chọn --format cần một giá trị.",
    }
    for args, message in cases.items():
        done = subprocess.run(
            [sys.executable, "-m", "danvan_cli", *args], capture_output=True, text=True, check=False
        )
        assert done.returncode == 2, args
        assert message in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert "--help" in done.stderr
        assert not re.search(r"Got |unexpected|Input should|not a valid", done.stderr), done.stderr
        if args[0] in ("rank", "validate"):  # the command's own help, not danvan's
            assert f"danvan {args[0]} --help" in done.stderr, done.stderr


def test_parallel_validation_gives_the_same_report_in_the_same_order(tmp_path):
    from conftest import SAMPLES

    serial = runner.invoke(
        app, ["validate", str(SAMPLES / "2024"), "--format", "json", "--jobs", "1"]
    )
    parallel = runner.invoke(
        app, ["validate", str(SAMPLES / "2024"), "--format", "json", "--jobs", "2"]
    )
    assert serial.exit_code == parallel.exit_code == 1
    assert json.loads(serial.stdout) == json.loads(parallel.stdout)
