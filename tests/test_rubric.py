"""Rubrics and plan as data: loading, refusing broken files with file: key: problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from danvan_cli.cli import app
from danvan_cli.config.lint import lint
from danvan_cli.config.load import default_rubrics_dir, load_config
from danvan_cli.errors import ConfigError
from danvan_cli.i18n.catalog import Message

runner = CliRunner()


def test_rubrics_follow_the_plan_appendix(config):
    col, ind = config.rubric("collective"), config.rubric("individual")
    assert [float(c.max) for c in col.criteria] == [15, 15, 15, 15, 15, 15, 10]
    assert [float(c.max) for c in ind.criteria] == [15, 15, 20, 10, 10, 15, 15]
    assert [c.code for c in col.criteria] == ["01", "02", "03", "04", "05", "06", "07"]
    for rubric in (col, ind):
        assert float(rubric.thresholds.criterion_ratio) == 0.9
        assert float(rubric.thresholds.min_total) == 90
        assert all(c.evidence for c in rubric.criteria)


def test_plan_quotas_deadlines_papers(config):
    plan = config.plan
    assert plan.level("huyen").quota == {"collective": 3, "individual": 5}
    assert plan.level("tinh").quota == {"collective": 1, "individual": 2}
    assert plan.level("tinh").requires.lower_level == "huyen"
    assert plan.level("tinh").requires.consecutive_years == 2
    assert (plan.deadlines["registration"].day, plan.deadlines["registration"].month) == (15, 2)
    assert (plan.deadlines["submission"].day, plan.deadlines["submission"].month) == (1, 9)
    assert [p.id for p in plan.level("huyen").papers] == [
        "to-trinh",
        "bien-ban",
        "bao-cao-thanh-tich",
        "quyet-dinh-co-so",
    ]
    assert plan.level("huyen").copies == 1 and plan.level("tinh").copies == 3
    assert plan.authority.name == "ỦY BAN NHÂN DÂN HUYỆN VẠN NINH"
    assert plan.authority.place == "Vạn Ninh"
    assert "91/2017" in plan.achievement_report.reference


def test_lint_notices_repeated_criterion_text(config):
    notes = lint(config)
    assert (
        Message("rubric.lint_same_text", {"file": "collective.yaml", "a": "01", "b": "02"}) in notes
    )


def _copy(tmp_path: Path) -> Path:
    for f in default_rubrics_dir().glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path / "van-ninh-2023.yaml"


def _mutate(path: Path, fn) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


BROKEN = {
    "maxima": (
        "collective.yaml",
        lambda d: d["criteria"][6].__setitem__("max", 15),
        "collective.yaml: criteria: tổng điểm chuẩn các tiêu chí là 105",
    ),
    "duplicate": (
        "individual.yaml",
        lambda d: d["criteria"][1].__setitem__("code", "01"),
        "individual.yaml: criteria: mã tiêu chí bị trùng: 01",
    ),
    "ratio": (
        "collective.yaml",
        lambda d: d["thresholds"].__setitem__("criterion_ratio", 1.5),
        "collective.yaml: thresholds.criterion_ratio: phải từ 1 trở xuống",
    ),
    "unknown_level": (
        "van-ninh-2023.yaml",
        lambda d: d["levels"][2]["requires"].__setitem__("lower_level", "xa"),
        "levels.tinh.requires.lower_level: không có cấp 'xa'",
    ),
    "extra_key": (
        "van-ninh-2023.yaml",
        lambda d: d.__setitem__("quotas", 3),
        "van-ninh-2023.yaml: quotas: khóa không được phép",
    ),
    "tie_break": (
        "van-ninh-2023.yaml",
        lambda d: d["tie_break"]["criteria"].__setitem__("collective", ["09"]),
        "tie_break.criteria.collective: không có tiêu chí '09'",
    ),
    "signer_issuer": (  # the documents section is read on first use, checked at load
        "van-ninh-2023.yaml",
        lambda d: d["documents"].__setitem__("workbooks", "khong-co"),
        "documents.workbooks: không có cơ quan ban hành 'khong-co' trong documents.issuers",
    ),
    "placeholder": (
        "van-ninh-2023.yaml",
        lambda d: d["documents"]["notice"].__setitem__("number", "{so}-TB"),
        "documents.notice.number: chỗ điền '{so}' không dùng được ở đây; chỉ dùng: {số}, {năm}",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_files_are_refused_with_file_and_key(case, tmp_path):
    plan = _copy(tmp_path)
    name, fn, expected = BROKEN[case]
    _mutate(tmp_path / name, fn)
    with pytest.raises(ConfigError) as info:
        load_config(plan)
    lines = [line.render("vi") if isinstance(line, Message) else line for line in info.value.lines]
    assert any(expected in line for line in lines), lines
    result = runner.invoke(app, ["rubric", "check", "--plan", str(plan)])
    assert result.exit_code == 2
    assert expected in result.stderr
    sample = default_rubrics_dir().parent / "samples" / "2024" / "tt-01-hoi-nong-dan-van-thang.xlsx"
    result = runner.invoke(app, ["validate", str(sample), "--plan", str(plan)])
    assert result.exit_code == 2 and expected in result.stderr  # every command, not only check


def test_yaml_syntax_error_names_line(tmp_path):
    plan = _copy(tmp_path)
    plan.write_text("id: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["rubric", "check", "--plan", str(plan)])
    assert result.exit_code == 2
    assert f"{plan}: 2:" in result.stderr


def test_missing_plan_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["rubric", "show", "--plan", str(tmp_path / "khong-co.yaml")])
    assert result.exit_code == 2
    assert "Không tìm thấy tệp cấu hình" in result.stderr


def test_rubric_check_warns_but_passes():
    result = runner.invoke(app, ["rubric", "check"])
    assert result.exit_code == 0
    assert "tiêu chí 01 và 02 có cùng nội dung" in result.stderr


def test_rubric_show_prints_levels_and_criteria():
    result = runner.invoke(app, ["rubric", "show", "--lang", "en"])
    assert result.exit_code == 0
    assert "collective 3, individual 5" in result.stdout
    assert "Registration by 15/02" in result.stdout
    assert "13.5" in result.stdout
