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
        "Theo địa bàn"
    ]
    rows = {r[1]: r[2] for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)}
    assert rows == {"xã Tu Bông": 3}


def test_an_old_recognition_counts_under_the_unit_it_was_recorded_with(ws, tmp_path):
    """Nguyễn Văn An was recognized in 2024 under UBND xã Vạn Phú and in 2025, after the
    merger, under UBND xã Vạn Ninh (his latest unit). The 2024 report counts the 2024
    decision under xã Vạn Phú, as the communes were that year (xã Vạn Ninh did not exist);
    the phase report lists him, and the MTTQ renamed with its commune, once."""
    rows = [
        (2024, "Huyện", "Cá nhân", "Nguyễn Văn An", "UBND xã Vạn Phú", "50/QĐ-UBND", "20/09/2024"),
        (
            2024,
            "Huyện",
            "Tập thể",
            "Ủy ban MTTQ Việt Nam xã Vạn Phú",
            "Ủy ban MTTQ Việt Nam xã Vạn Phú",
            "50/QĐ-UBND",
            "20/09/2024",
        ),
        (2025, "Huyện", "Cá nhân", "Nguyễn Văn An", "UBND xã Vạn Ninh", "60/QĐ-UBND", "20/09/2025"),
        (
            2025,
            "Huyện",
            "Tập thể",
            "Ủy ban MTTQ Việt Nam xã Vạn Ninh",
            "Ủy ban MTTQ Việt Nam xã Vạn Ninh",
            "60/QĐ-UBND",
            "20/09/2025",
        ),
    ]
    assert invoke(ws, "history", "import", str(history(tmp_path / "h.xlsx", rows))).exit_code == 0
    done = invoke(ws, "report", "--from", "2024", "--to", "2025", "--format", "json")
    assert done.exit_code == 0, done.output
    y2024, y2025 = json.loads(done.stdout)["years"]
    assert {c: v["recognized"] for c, v in y2024["by_commune"].items()} == {"xã Vạn Phú": 2}
    assert set(y2024["by_unit"]) == {"UBND xã Vạn Phú", "Ủy ban MTTQ Việt Nam xã Vạn Phú"}
    assert {c: v["recognized"] for c, v in y2025["by_commune"].items()} == {"xã Vạn Ninh": 2}
    sheet = openpyxl.load_workbook(ws / "ket-qua" / "bao-cao-ket-qua-2024-2025.xlsx")["Theo đơn vị"]
    units = {r[1]: r[4] for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)}
    assert units == {"UBND xã Vạn Ninh": 2, "Ủy ban MTTQ Việt Nam xã Vạn Ninh": 2}
    one = invoke(ws, "report", "--year", "2024", "-o", str(tmp_path / "r2024.xlsx"))
    assert one.exit_code == 0, one.output
    sheet = openpyxl.load_workbook(tmp_path / "r2024.xlsx")["Theo đơn vị"]
    units = {r[1]: r[4] for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)}
    assert units == {"UBND xã Vạn Phú": 1, "Ủy ban MTTQ Việt Nam xã Vạn Phú": 1}


def test_a_unit_seen_only_before_a_rename_is_shown_under_its_name_now():
    identity = load_config().plan.identity()
    after = dt.date(2025, 12, 31)
    assert identity.spelled_now("UBND xã Vạn Phú", after) == "UBND xã Vạn Ninh"
    assert identity.spelled_now("Hội Phụ nữ thị trấn Vạn Giã", after) == "Hội Phụ nữ xã Vạn Ninh"
    assert identity.spelled_now("UBND xã Vạn Phú", dt.date(2024, 12, 31)) == "UBND xã Vạn Phú"
    assert identity.spelled_now("Công an xã Vạn Thắng", after) == "Công an xã Vạn Thắng"
    assert identity.spelled_now("Trường Tiểu học Vạn Phú 2", after) == "Trường Tiểu học Vạn Phú 2"


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


def test_a_held_candidate_is_not_proposed_until_the_hold_is_lifted(ws, tmp_path):
    from danvan_cli.register.store import Register

    folder = ws / "ho-so" / "2024"
    folder.mkdir(parents=True)
    for i, name in enumerate(["Đặng Thị Ngọc Anh", "Nguyễn Văn Hùng"]):
        s = spec("individual", **{"Họ và tên": name, "Đơn vị": f"UBND xã Vạn Thọ {i}"})
        write(folder / f"cn-{i}.xlsx", s)
    added = invoke(
        ws,
        "hold",
        "add",
        "--kind",
        "individual",
        "--name",
        "Đặng Thị Ngọc Anh",
        "--unit",
        "UBND xã Vạn Thọ 0",
        "--reason",
        "complaint",
        "--document",
        "45/CV-UBKT",
        "--date",
        "01/08/2024",
    )
    assert added.exit_code == 0 and "45/CV-UBKT" in added.stderr
    listed = invoke(ws, "hold", "list")
    assert "Đặng Thị Ngọc Anh" in listed.stdout and "đơn thư" in listed.stdout

    def status() -> dict:
        data = json.loads(
            invoke(ws, "rank", "--year", "2024", "--level", "huyen", "--format", "json").stdout
        )
        return {c["name"]: c for c in data["candidates"]}

    held = status()["Đặng Thị Ngọc Anh"]
    assert held["status"] == "ineligible"
    (finding,) = [f for f in held["findings"] if f["code"] == "eligibility.held"]
    assert finding["rule"] == "R13" and "45/CV-UBKT" in finding["message"]
    assert status()["Nguyễn Văn Hùng"]["status"] == "proposed"
    lifted = invoke(ws, "hold", "lift", "1", "--document", "12/KL-UBKT", "--date", "15/08/2024")
    assert lifted.exit_code == 0, lifted.output
    assert status()["Đặng Thị Ngọc Anh"]["status"] == "proposed"
    assert invoke(ws, "hold", "lift", "1", "--document", "x", "--date", "16/08/2024").exit_code == 2
    assert "Đặng Thị Ngọc Anh" not in invoke(ws, "hold", "list").stdout
    with Register.open(ws / ".danvan" / "register.sqlite") as reg:
        commands = [row.command for row in reg.audit_rows()]
    assert commands.count("hold add") == 1 and commands.count("hold lift") == 1


def test_recognize_refuses_a_held_candidate_marked_agreed(ws, tmp_path):
    folder = ws / "ho-so" / "2024"
    folder.mkdir(parents=True)
    write(
        folder / "cn.xlsx",
        spec("individual", **{"Họ và tên": "Bùi Quang Vinh", "Đơn vị": "UBND xã Vạn Thạnh"}),
    )
    assert invoke(ws, "rank", "--year", "2024", "--level", "huyen").exit_code == 0
    made = ws / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024.xlsx"
    wb = openpyxl.load_workbook(made)
    sheet = wb["Cá nhân"]
    head = next(
        r
        for r in range(1, sheet.max_row + 1)
        if any(c.value == "Quyết định của Hội đồng" for c in sheet[r])
    )
    col = next(c.column for c in sheet[head] if c.value == "Quyết định của Hội đồng")
    sheet.cell(head + 1, col, "Đồng ý")
    wb.save(tmp_path / "hd.xlsx")
    invoke(
        ws,
        "hold",
        "add",
        "--kind",
        "individual",
        "--name",
        "Bùi Quang Vinh",
        "--unit",
        "UBND xã Vạn Thạnh",
        "--reason",
        "discipline",
        "--document",
        "7/TB-UBKT",
        "--date",
        "10/09/2024",
    )
    done = invoke(
        ws, "recognize", str(tmp_path / "hd.xlsx"), "--decision", "1/QĐ", "--date", "20/09/2024"
    )
    assert done.exit_code == 1 and "Bùi Quang Vinh" in done.stderr and "7/TB-UBKT" in done.stderr


def test_at_equal_merit_the_woman_and_the_collective_of_women_come_first(ws):
    """R14 (Nghị định 152/2025, Điều 4.6) where the bundled plan places it: after R10's flags;
    missing data never counts as yes."""
    folder = ws / "ho-so" / "2024"
    folder.mkdir(parents=True)
    people = {
        "Lê Văn Thanh": "Nam",
        "Phan Thị Thanh Tâm": "Nữ",
        "Ngô Minh Tuấn": None,
        "Hà Văn An": None,
    }
    for i, (name, gender) in enumerate(people.items()):
        info = {"Họ và tên": name, "Đơn vị": f"UBND xã Vạn Lương {i}"}
        if gender:
            info["Giới tính"] = gender
        write(folder / f"cn-{i}.xlsx", spec("individual", **info))
    for i, ratio in enumerate([0.75, 60]):  # a cell formatted as a percentage, and a number
        info = {"Tên tập thể": f"Chi hội {i}", "Đơn vị": f"xã Vạn Lương {i}", "Tỷ lệ nữ (%)": ratio}
        write(folder / f"tt-{i}.xlsx", spec("collective", **info))
    data = json.loads(
        invoke(ws, "rank", "--year", "2024", "--level", "huyen", "--format", "json").stdout
    )
    rank = {c["name"]: c["rank"] for c in data["candidates"]}
    assert rank["Phan Thị Thanh Tâm"] < rank["Lê Văn Thanh"]
    assert (
        rank["Ngô Minh Tuấn"] == rank["Hà Văn An"] == rank["Lê Văn Thanh"]
    )  # no data: no priority
    assert rank["Chi hội 0"] < rank["Chi hội 1"]
    table = invoke(ws, "rank", "--year", "2024", "--level", "huyen")
    assert "ưu tiên cá nhân nữ" in table.stdout


def _ids(ws: Path) -> dict[tuple[str, int], int]:
    from danvan_cli.register.store import Register

    with Register.open(ws / ".danvan" / "register.sqlite") as reg:
        return {(r.name, r.year): r.id for r in reg.recognitions(include_revoked=True)}


def test_a_wrong_decision_is_corrected_with_its_audit_row_and_a_revoked_one_stops_counting(
    ws, tmp_path
):
    from danvan_cli.register.store import Register

    rows = [
        (
            2023,
            "Huyện",
            "Cá nhân",
            "Nguyễn Thị Hòa",
            "Hội Phụ nữ xã Vạn Long",
            "2311/QĐ-UBND",
            "22/09/2023",
        ),
        (
            2024,
            "Huyện",
            "Cá nhân",
            "Nguyễn Thị Hòa",
            "Hội Phụ nữ xã Vạn Long",
            "123/QĐ-UBDN",
            "20/09/2024",
        ),
    ]
    assert invoke(ws, "history", "import", str(history(tmp_path / "h.xlsx", rows))).exit_code == 0
    wrong = _ids(ws)[("Nguyễn Thị Hòa", 2024)]
    fixed = invoke(
        ws,
        "history",
        "correct",
        str(wrong),
        "--decision",
        "123/QĐ-UBND",
        "--reason",
        "gõ nhầm UBDN",
    )
    assert fixed.exit_code == 0 and "123/QĐ-UBDN" in fixed.stderr and "123/QĐ-UBND" in fixed.stderr
    with Register.open(ws / ".danvan" / "register.sqlite") as reg:
        (row,) = [a for a in reg.audit_rows() if a.command == "history correct"]
        assert row.inputs["decision"] == "123/QĐ-UBDN" and row.outputs["decision"] == "123/QĐ-UBND"
        assert row.note == "gõ nhầm UBDN"
        assert [r.decision_no for r in reg.recognitions() if r.year == 2024] == ["123/QĐ-UBND"]
    # a dossier of 2024 for the province: 2023 and 2024 recorded
    folder = ws / "ho-so" / "2024"
    folder.mkdir(parents=True)
    write(
        folder / "cn.xlsx",
        spec("individual", **{"Họ và tên": "Nguyễn Thị Hoà", "Đơn vị": "Hội Phụ nữ xã Vạn Long"}),
    )

    def status() -> str:
        data = json.loads(
            invoke(ws, "rank", "--year", "2024", "--level", "tinh", "--format", "json").stdout
        )
        return data["candidates"][0]["status"]

    assert status() == "proposed"
    first = _ids(ws)[("Nguyễn Thị Hòa", 2023)]
    revoked = invoke(
        ws,
        "history",
        "revoke",
        str(first),
        "--reason",
        "thu hồi theo kết luận thanh tra",
        "--document",
        "56/QĐ-UBND",
        "--date",
        "10/08/2024",
    )
    assert revoked.exit_code == 0, revoked.output
    assert status() == "ineligible"
    shown = invoke(ws, "history", "show").stdout
    assert "Nguyễn Thị Hòa" in shown and "Đã thu hồi" in shown  # as written, never "Hoà"
    exported = ws / "ket-qua" / "ls.xlsx"
    assert invoke(ws, "history", "export", "-o", str(exported)).exit_code == 0
    cells = [
        c
        for row in openpyxl.load_workbook(exported).active.iter_rows(values_only=True)
        for c in row
    ]
    assert "Nguyễn Thị Hòa" in cells and "Nguyễn Thị Hoà" not in cells
    assert "2311/QĐ-UBND" not in cells  # the revoked one is no longer a recognition to import
    with Register.open(ws / ".danvan" / "register.sqlite") as reg:
        assert "history revoke" in [a.command for a in reg.audit_rows()]
        assert len(reg.recognitions(include_revoked=True)) == 2  # never deleted
