"""After the 2025 reform: the bundled plan's real mergers of huyện Vạn Ninh's communes, a
candidate followed across them, reports by commune."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from builders import spec, write
from danvan_cli.cli import app
from danvan_cli.config.load import load_config

runner = CliRunner()


@pytest.fixture
def ws(tmp_path) -> Path:
    root = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(root)]).exit_code == 0
    return root


def invoke(ws: Path, *args: str):
    return runner.invoke(app, [*args, "--workspace", str(ws)])


def history(path: Path, rows: list[tuple]) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["Năm", "Cấp", "Loại", "Tên", "Đơn vị", "Số quyết định", "Ngày quyết định"])
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return path


def test_the_bundled_plan_holds_the_2025_arrangement():
    """Nghị quyết 1667/NQ-UBTVQH15, Điều 1, khoản 7-11: thirteen communes became five."""
    identity = load_config().plan.identity()
    after, before = dt.date(2025, 7, 1), dt.date(2025, 6, 30)
    expected = {
        "xã Đại Lãnh": ["xã Vạn Thạnh", "xã Vạn Thọ", "xã Đại Lãnh"],
        "xã Tu Bông": ["xã Vạn Khánh", "xã Vạn Long", "xã Vạn Phước"],
        "xã Vạn Thắng": ["xã Vạn Bình", "xã Vạn Thắng"],
        "xã Vạn Ninh": ["thị trấn Vạn Giã", "xã Vạn Phú", "xã Vạn Lương"],
        "xã Vạn Hưng": ["xã Xuân Sơn", "xã Vạn Hưng"],
    }
    for new, olds in expected.items():
        for old in olds:
            assert identity.commune(f"Hội Phụ nữ {old}", after) == new
            assert identity.commune(f"Hội Phụ nữ {old}", before) == old
    assert len({identity.commune(o, after) for olds in expected.values() for o in olds}) == 5


def test_recognized_in_2024_under_van_phu_counts_in_2025_for_van_ninh(ws, tmp_path):
    rows = [
        (
            2024,
            "Huyện",
            "Cá nhân",
            "Trần Văn Minh",
            "Thôn Phú Hội 1, xã Vạn Phú",
            "88/QĐ-UBND",
            "20/09/2024",
        ),
        (
            2025,
            "Huyện",
            "Cá nhân",
            "Trần Văn Minh",
            "Thôn Phú Hội 1, xã Vạn Ninh",
            "19/QĐ-UBND",
            "05/08/2025",
        ),
        (
            2024,
            "Huyện",
            "Tập thể",
            "Ủy ban MTTQ Việt Nam xã Vạn Phú",
            "xã Vạn Phú",
            "88/QĐ-UBND",
            "20/09/2024",
        ),
        (
            2025,
            "Huyện",
            "Tập thể",
            "Ủy ban MTTQ Việt Nam xã Vạn Ninh",
            "xã Vạn Ninh",
            "19/QĐ-UBND",
            "05/08/2025",
        ),
    ]
    assert invoke(ws, "history", "import", str(history(tmp_path / "h.xlsx", rows))).exit_code == 0
    folder = ws / "ho-so" / "2025"
    folder.mkdir(parents=True)
    common = {
        "Năm": 2025,
        "Ngày đăng ký": dt.date(2025, 2, 10),
        "Ngày nộp hồ sơ": dt.date(2025, 8, 20),
    }
    write(
        folder / "cn.xlsx",
        spec(
            "individual",
            **common,
            **{"Họ và tên": "Trần Văn Minh", "Đơn vị": "Thôn Phú Hội 1, xã Vạn Ninh"},
        ),
    )
    write(
        folder / "tt.xlsx",
        spec(
            "collective",
            **common,
            **{"Tên tập thể": "Ủy ban MTTQ Việt Nam xã Vạn Ninh", "Đơn vị": "xã Vạn Ninh"},
        ),
    )
    result = invoke(ws, "rank", "--year", "2025", "--level", "tinh", "--format", "json")
    data = json.loads(result.stdout)
    got = {c["name"]: c for c in data["candidates"]}
    for name in ("Trần Văn Minh", "Ủy ban MTTQ Việt Nam xã Vạn Ninh"):
        assert got[name]["status"] == "proposed", got[name]
        notes = [f["message"] for f in got[name]["findings"] if f["code"] == "eligibility.renamed"]
        assert notes and "năm 2024 tại xã Vạn Phú" in notes[0] and "nay là xã Vạn Ninh" in notes[0]
        assert "1667/NQ-UBTVQH15" in notes[0]


def test_a_collective_of_another_commune_before_the_merger_does_not_count(ws, tmp_path):
    """Before 01/07/2025 xã Vạn Thắng was its own commune: Vạn Bình's collective of 2023 is not
    its predecessor in 2024."""
    rows = [
        (
            2023,
            "Huyện",
            "Tập thể",
            "Hội Nông dân xã Vạn Bình",
            "xã Vạn Bình",
            "7/QĐ-UBND",
            "20/09/2023",
        ),
        (
            2024,
            "Huyện",
            "Tập thể",
            "Hội Nông dân xã Vạn Thắng",
            "xã Vạn Thắng",
            "8/QĐ-UBND",
            "20/09/2024",
        ),
    ]
    assert invoke(ws, "history", "import", str(history(tmp_path / "h.xlsx", rows))).exit_code == 0
    folder = ws / "ho-so" / "2024"
    folder.mkdir(parents=True)
    write(
        folder / "tt.xlsx",
        spec(
            "collective", **{"Tên tập thể": "Hội Nông dân xã Vạn Thắng", "Đơn vị": "xã Vạn Thắng"}
        ),
    )
    data = json.loads(
        invoke(ws, "rank", "--year", "2024", "--level", "tinh", "--format", "json").stdout
    )
    (only,) = data["candidates"]
    assert only["status"] == "ineligible"
    assert "eligibility.not_recognized" in {f["code"] for f in only["findings"]}


def test_reports_count_units_for_their_commune_and_a_phase_crosses_the_merger(ws, tmp_path):
    """ "Hội Phụ nữ xã Vạn Long" counts for xã Vạn Long in 2024; the phase 2024-2026 adds
    Vạn Long, Vạn Khánh and Vạn Phước up as xã Tu Bông."""
    for year, unit, name in (
        (2024, "Hội Phụ nữ xã Vạn Long", "Lê Thị Thu Hà"),
        (2024, "Công an xã Vạn Khánh", "Phạm Ngọc Sơn"),
        (2026, "Hội Phụ nữ xã Tu Bông", "Võ Thị Lan"),
    ):
        folder = ws / "ho-so" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        dates = {"Ngày đăng ký": dt.date(year, 2, 10), "Ngày nộp hồ sơ": dt.date(year, 8, 20)}
        s = spec("individual", **{"Năm": year, "Họ và tên": name, "Đơn vị": unit, **dates})
        write(folder / f"{name}.xlsx", s)
    year = json.loads(invoke(ws, "report", "--year", "2024", "--format", "json").stdout)["years"][0]
    assert year["by_commune"]["xã Vạn Long"]["dossiers"] == 1
    assert year["by_commune"]["xã Vạn Khánh"]["dossiers"] == 1
    assert "xã Tu Bông" not in year["by_commune"]
    phase = invoke(ws, "report", "--from", "2024", "--to", "2026")
    assert phase.exit_code == 0, phase.output
    sheet = openpyxl.load_workbook(ws / "ket-qua" / "bao-cao-ket-qua-2024-2026.xlsx")[
        "Theo xã, thị trấn"
    ]
    rows = {r[1]: r[2] for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)}
    assert rows == {"xã Tu Bông": 3}


def test_a_register_made_before_the_plan_knew_of_the_merger_is_rekeyed(ws, tmp_path):
    import yaml

    from danvan_cli.config.load import default_rubrics_dir
    from danvan_cli.register.store import Register

    for f in default_rubrics_dir().glob("*.yaml"):
        (ws / f.name).write_bytes(f.read_bytes())
    old = yaml.safe_load((ws / "van-ninh-2023.yaml").read_text(encoding="utf-8"))
    old["renames"], old["communes"] = [], []
    (ws / "truoc-sap-nhap.yaml").write_text(
        yaml.safe_dump(old, allow_unicode=True), encoding="utf-8"
    )
    settings = (ws / "danvan.yaml").read_text(encoding="utf-8")
    (ws / "danvan.yaml").write_text(
        settings.replace("plan: van-ninh-2023.yaml", "plan: truoc-sap-nhap.yaml"), encoding="utf-8"
    )
    first = [
        (2024, "Huyện", "Cá nhân", "Trần Văn Minh", "UBND xã Vạn Phú", "88/QĐ-UBND", "20/09/2024")
    ]
    assert invoke(ws, "history", "import", str(history(tmp_path / "a.xlsx", first))).exit_code == 0
    (ws / "danvan.yaml").write_text(settings, encoding="utf-8")  # the plan with the mergers
    second = [
        (2025, "Huyện", "Cá nhân", "Trần Văn Minh", "UBND xã Vạn Ninh", "19/QĐ-UBND", "05/08/2025")
    ]
    assert invoke(ws, "history", "import", str(history(tmp_path / "b.xlsx", second))).exit_code == 0
    with Register.open(ws / ".danvan" / "register.sqlite") as reg:
        people = [c for c in reg.candidates() if c.name == "Trần Văn Minh"]
        assert len(people) == 1 and {r.year for r in reg.recognitions(people[0].id)} == {2024, 2025}
        assert "rekey" in [row.command for row in reg.audit_rows()]


def test_an_ad_hoc_award_never_counts_toward_the_consecutive_years(ws, tmp_path):
    from danvan_cli.register.store import Register

    folder = ws / "ho-so" / "2024"
    folder.mkdir(parents=True)
    write(
        folder / "cn.xlsx",
        spec("individual", **{"Họ và tên": "Ngô Minh Tuấn", "Đơn vị": "UBND xã Vạn Thọ"}),
    )
    rows = [
        (2024, "Huyện", "Cá nhân", "Ngô Minh Tuấn", "UBND xã Vạn Thọ", "123/QĐ-UBND", "20/09/2024")
    ]
    assert invoke(ws, "history", "import", str(history(tmp_path / "h.xlsx", rows))).exit_code == 0
    with Register.open(ws / ".danvan" / "register.sqlite") as reg, reg.transaction():
        (person,) = [c for c in reg.candidates() if c.name == "Ngô Minh Tuấn"]
        reg.add_recognition(
            person.id,
            2023,
            "huyen",
            person.name,
            person.unit,
            "9/QĐ-UBND",
            dt.date(2023, 10, 30),
            "recognize:dot-xuat.xlsx",
            ad_hoc=True,
        )
    data = json.loads(
        invoke(ws, "rank", "--year", "2024", "--level", "tinh", "--format", "json").stdout
    )
    (only,) = data["candidates"]
    assert only["status"] == "ineligible"
    (why,) = [f for f in only["findings"] if f["code"] == "eligibility.not_recognized"]
    assert "2023" in why["message"]


@pytest.mark.parametrize(("year", "warned"), [(2023, False), (2024, True), (2026, True)])
def test_a_dossier_citing_a_decree_no_longer_in_force_that_year_is_warned(
    year, warned, tmp_path, config
):
    from danvan_cli.validate.run import validate_file

    s = spec(
        **{
            "Năm": year,
            "Ngày đăng ký": dt.date(year, 2, 10),
            "Ngày nộp hồ sơ": dt.date(year, 8, 20),
        }
    )
    s.info["Căn cứ"] = "Báo cáo thành tích theo Mẫu số 07, Nghị định số 91/2017/NĐ-CP"
    result = validate_file(write(tmp_path / "d.xlsx", s), config)
    found = [f for f in result.findings if f.code == "document.superseded_text"]
    assert bool(found) is warned
    if warned:
        (f,) = found
        assert f.sheet and f.cell and "91/2017/NĐ-CP" in f.message("vi")
        assert ("152/2025/NĐ-CP" if year == 2026 else "98/2023/NĐ-CP") in f.message("vi")
        assert result.valid  # a warning for a person, never a rejection


def test_rubric_check_names_the_superseded_form_of_the_bundled_plan():
    result = runner.invoke(app, ["rubric", "check", "--lang", "en"])
    assert result.exit_code == 0
    assert "Mẫu báo cáo số 07" in result.stderr and "91/2017/NĐ-CP" in result.stderr
    assert "replaced by: 98/2023/NĐ-CP" in result.stderr and "152/2025/NĐ-CP" in result.stderr
