"""The award year on a workspace built by hand: pool, quotas, ties, R5, council, package."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from builders import spec, table_rows, write
from conftest import dossier, history, mark_council
from danvan_cli.cli import app
from danvan_cli.register.store import MIGRATIONS, Register

runner = CliRunner()
_mark = mark_council  # the name test_hostile imports it by


def invoke(ws: Path, *args: str):
    return runner.invoke(app, [*args, "--workspace", str(ws)])


@pytest.fixture
def ws(tmp_path) -> Path:
    root = tmp_path / "ws"
    result = runner.invoke(app, ["init", str(root)])
    assert result.exit_code == 0, result.output
    return root


def rank_json(ws: Path, year: int, level: str) -> dict:
    result = invoke(ws, "rank", "--year", str(year), "--level", level, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def statuses(data: dict) -> dict[str, str]:
    return {c["name"]: c["status"] for c in data["candidates"]}


def test_init_makes_the_workspace_and_is_idempotent(ws):
    assert (ws / "danvan.yaml").is_file() and (ws / "ho-so").is_dir() and (ws / "ket-qua").is_dir()
    assert (ws / ".danvan" / "register.sqlite").is_file()
    again = runner.invoke(app, ["init", str(ws)])
    assert again.exit_code == 0 and "không thay đổi" in again.stderr


def test_outside_a_workspace_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DANVAN_WORKSPACE", raising=False)
    result = runner.invoke(app, ["rank", "--year", "2024", "--level", "huyen"])
    assert result.exit_code == 2
    assert "danvan init" in result.stderr


def test_workspace_found_from_a_subfolder_and_env(ws, monkeypatch):
    dossier(ws / "ho-so" / "2024", "Nguyễn Văn An")
    monkeypatch.chdir(ws / "ho-so")
    monkeypatch.delenv("DANVAN_WORKSPACE", raising=False)
    assert runner.invoke(app, ["rank", "--year", "2024", "--level", "huyen"]).exit_code == 0
    monkeypatch.chdir(ws.parent)
    monkeypatch.setenv("DANVAN_WORKSPACE", str(ws))
    assert runner.invoke(app, ["rank", "--year", "2024", "--level", "huyen"]).exit_code == 0


def test_quota_ties_and_exclusions(ws):
    folder = ws / "ho-so" / "2024"
    for i, drop in enumerate([0, 0.5, 1, 1.5]):
        dossier(folder, f"Tập thể số {i}", "collective", drop, unit=f"xã Vạn Thọ {i}")
    dossier(folder, "Tập thể bằng điểm", "collective", 1, unit="xã Vạn Thạnh")  # equals no. 2
    for i, drop in enumerate([0, 0.25, 0.5, 0.75, 1, 1.25]):
        dossier(folder, f"Cá nhân {i}", drop=drop, unit=f"xã Đại Lãnh {i}")
    dossier(folder, "Cá nhân trễ hạn", unit="xã Xuân Sơn", **{"Ngày nộp hồ sơ": "02/09/2024"})
    data = rank_json(ws, 2024, "huyen")
    assert data["quota"] == {"collective": 3, "individual": 5}
    got = statuses(data)
    assert [got[f"Tập thể số {i}"] for i in range(4)] == ["proposed", "proposed", "tie", "reserve"]
    assert got["Tập thể bằng điểm"] == "tie"
    assert [got[f"Cá nhân {i}"] for i in range(6)] == ["proposed"] * 5 + ["reserve"]
    late = next(c for c in data["candidates"] if c["name"] == "Cá nhân trễ hạn")
    assert late["status"] == "ineligible" and late["rank"] is None
    assert [f["code"] for f in late["findings"]] == ["deadline.submission_late"]
    assert set(data["candidates"][0]) == {
        "kind",
        "name",
        "unit",
        "total",
        "rank",
        "status",
        "file",
        "sha256",
        "findings",
    }
    ranks = {c["name"]: c["rank"] for c in data["candidates"]}
    assert ranks["Tập thể số 2"] == ranks["Tập thể bằng điểm"] == 3 and ranks["Tập thể số 3"] == 5


def test_tie_broken_by_priority_flag_not_by_name(ws):
    folder = ws / "ho-so" / "2024"
    for i in range(5):
        dossier(folder, f"Người {i}", drop=0, unit=f"Đơn vị {i}")
    dossier(folder, "A Khó Khăn", drop=0.5, unit="Thôn 1", **{"Điều kiện khó khăn": "Không"})
    dossier(folder, "Z Khó Khăn", drop=0.5, unit="Thôn 2", **{"Điều kiện khó khăn": "Có"})
    got = statuses(rank_json(ws, 2024, "huyen"))
    # 5 individuals at 100 fill the quota; both 99.5 are reserve, the flagged one ranked first
    data = rank_json(ws, 2024, "huyen")
    ranks = {c["name"]: c["rank"] for c in data["candidates"]}
    assert got["Z Khó Khăn"] == got["A Khó Khăn"] == "reserve"
    assert ranks["Z Khó Khăn"] == 6 and ranks["A Khó Khăn"] == 7


def test_rank_workbook_reopened(ws):
    folder = ws / "ho-so" / "2024"
    dossier(folder, "Nguyễn Văn An")
    dossier(folder, '=HYPERLINK("x")', unit="xã Vạn Hưng")
    result = invoke(ws, "rank", "--year", "2024", "--level", "huyen")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(ws / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024.xlsx")
    assert book.sheetnames == ["Tập thể", "Cá nhân", "Không đủ điều kiện", "Dữ liệu đầu vào"]
    sheet = book["Cá nhân"]
    # headed by the body that signs it (documents.workbooks: the Board, a Party body)
    assert (sheet["A1"].value, sheet["A2"].value) == ("HUYỆN ỦY VẠN NINH", "BAN DÂN VẬN")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in [c.value for c in sheet[1]]
    header = next(r for r in range(1, 15) if sheet.cell(r, 1).value == "Hạng")
    names = [c.value for c in sheet[header]]
    assert names[:5] == ["Hạng", "Tên", "Đơn vị", "Tên mô hình", "Lĩnh vực"]
    assert names[-2:] == ["Quyết định của Hội đồng", "Mã hồ sơ (SHA-256)"]
    rows = table_rows(sheet, header)  # the signature block follows the table
    assert {r[1] for r in rows} == {"Nguyễn Văn An", '=HYPERLINK("x")'}
    assert all(sheet.cell(r, 2).data_type == "s" for r in range(header + 1, header + 3))
    assert rows[0][names.index("Tổng điểm")] == 100
    council = [
        dv for dv in sheet.data_validations.dataValidation if dv.formula1 == '"Đồng ý,Không"'
    ]
    assert council, "the council column offers Đồng ý/Không"
    assert sheet.print_title_rows == f"${header}:${header}"
    inputs = book["Dữ liệu đầu vào"]
    assert (
        inputs["A1"].value == "Năm" and inputs["B1"].value == 2024 and inputs["B2"].value == "huyen"
    )


def _recognitions(ws: Path) -> list[tuple]:
    with Register.open(ws / ".danvan" / "register.sqlite") as reg:
        return [
            (
                r.candidate.name,
                r.year,
                r.level,
                r.decision_no or "",
                r.decision_date.isoformat() if r.decision_date else "",
            )
            for r in reg.recognitions()
        ]


def test_recognize_round_trip(ws, tmp_path):
    folder = ws / "ho-so" / "2024"
    for i in range(6):
        dossier(folder, f"Cá nhân {i}", drop=i * 0.25, unit=f"xã {i}")
    assert invoke(ws, "rank", "--year", "2024", "--level", "huyen").exit_code == 0
    made = ws / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024.xlsx"
    marked = mark_council(
        made,
        {"Cá nhân 0": "Đồng ý", "Cá nhân 1": "đồng ý", "Cá nhân 5": "Không"},
        tmp_path / "hd.xlsx",
    )
    result = invoke(
        ws, "recognize", str(marked), "--decision", "123/QĐ-UBND", "--date", "20/09/2024"
    )
    assert result.exit_code == 0, result.output
    assert sorted(_recognitions(ws)) == [
        ("Cá nhân 0", 2024, "huyen", "123/QĐ-UBND", "2024-09-20"),
        ("Cá nhân 1", 2024, "huyen", "123/QĐ-UBND", "2024-09-20"),
    ]
    again = invoke(
        ws, "recognize", str(marked), "--decision", "123/QĐ-UBND", "--date", "20/09/2024"
    )
    assert again.exit_code == 0 and len(_recognitions(ws)) == 2
    other = invoke(
        ws, "recognize", str(marked), "--decision", "999/QĐ-UBND", "--date", "21/09/2024"
    )
    assert other.exit_code == 1 and "không ghi đè" in other.stderr


def test_recognize_refuses_over_quota_unless_reasoned(ws, tmp_path):
    folder = ws / "ho-so" / "2024"
    for i in range(6):
        dossier(folder, f"Cá nhân {i}", drop=i * 0.25, unit=f"xã {i}")
    invoke(ws, "rank", "--year", "2024", "--level", "huyen")
    made = ws / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024.xlsx"
    marked = mark_council(made, {f"Cá nhân {i}": "Đồng ý" for i in range(6)}, tmp_path / "hd.xlsx")
    refused = invoke(ws, "recognize", str(marked), "--decision", "1/QĐ", "--date", "20/09/2024")
    assert refused.exit_code == 1 and "6 > 5" in refused.stderr
    assert _recognitions(ws) == []
    no_reason = invoke(
        ws,
        "recognize",
        str(marked),
        "--decision",
        "1/QĐ",
        "--date",
        "20/09/2024",
        "--allow-over-quota",
    )
    assert no_reason.exit_code == 2
    ok = invoke(
        ws,
        "recognize",
        str(marked),
        "--decision",
        "1/QĐ",
        "--date",
        "20/09/2024",
        "--allow-over-quota",
        "--reason",
        "Hội đồng biểu quyết thêm 1 suất đột xuất",
    )
    assert ok.exit_code == 0 and len(_recognitions(ws)) == 6
    with Register.open(ws / ".danvan" / "register.sqlite") as reg:
        notes = [row.note for row in reg.audit_rows() if row.command == "recognize"]
    assert notes == ["Hội đồng biểu quyết thêm 1 suất đột xuất"]


def test_recognize_refuses_changed_inputs_and_bad_marks(ws, tmp_path):
    folder = ws / "ho-so" / "2024"
    dossier(folder, "Cá nhân A", unit="xã A")
    invoke(ws, "rank", "--year", "2024", "--level", "huyen")
    made = ws / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024.xlsx"
    bad = mark_council(made, {"Cá nhân A": "OK"}, tmp_path / "bad.xlsx")
    result = invoke(ws, "recognize", str(bad), "--decision", "1/QĐ", "--date", "20/09/2024")
    assert result.exit_code == 2 and "Cá nhân!" in result.stderr
    good = mark_council(made, {"Cá nhân A": "Đồng ý"}, tmp_path / "good.xlsx")
    dossier(folder, "Cá nhân B", unit="xã B")
    stale = invoke(ws, "recognize", str(good), "--decision", "1/QĐ", "--date", "20/09/2024")
    assert stale.exit_code == 2 and "+ ho-so/2024/" in stale.stderr
    assert _recognitions(ws) == []
    bad_date = invoke(ws, "recognize", str(good), "--decision", "1/QĐ", "--date", "31/02/2024")
    assert bad_date.exit_code == 2


def test_two_year_lookback_with_nfd_and_upper_case_names(ws, tmp_path):
    folder = ws / "ho-so" / "2024"
    dossier(folder, "Nguyễn Thị Hòa", unit="Hội Phụ nữ xã Vạn Thắng")
    dossier(folder, "Trần Văn Minh", unit="Ủy ban nhân dân xã Vạn Phú")
    dossier(folder, "Lê Văn Tư", unit="xã Vạn Hưng")
    dossier(folder, "Ủy ban MTTQ xã Vạn Phú", "collective", unit="xã Vạn Phú")
    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
    rows = [
        (
            2023,
            "Huyện",
            "Cá nhân",
            nfd("NGUYỄN THỊ HOÀ"),
            nfd("Hội Phụ Nữ  xã Vạn Thắng"),
            "2311/QĐ-UBND",
            "22/09/2023",
        ),
        (
            2024,
            "huyen",
            "cá nhân",
            "nguyễn thị hòa",
            "HỘI PHỤ NỮ XÃ VẠN THẮNG",
            "123/QĐ-UBND",
            "20/09/2024",
        ),
        (
            2023,
            "Cấp huyện",
            "Cá nhân",
            "Trần Văn Minh",
            "UBND xã Vạn Phú",
            "2311/QĐ-UBND",
            "22/09/2023",
        ),
        (
            2024,
            "Huyện",
            "Cá nhân",
            "Trần Văn Minh",
            "Uỷ ban nhân dân xã Vạn Phú",
            "123/QĐ-UBND",
            "20/09/2024",
        ),
        (2023, "Huyện", "Cá nhân", "Lê Văn Tứ", "xã Vạn Hưng", "2311/QĐ-UBND", "22/09/2023"),
        (2024, "Huyện", "Cá nhân", "Lê Văn Tư", "xã Vạn Hưng", "123/QĐ-UBND", "20/09/2024"),
        (
            2022,
            "Huyện",
            "Tập thể",
            "Ủy ban MTTQ xã Vạn Phú",
            "xã Vạn Phú",
            "2150/QĐ-UBND",
            "26/09/2022",
        ),
        (
            2024,
            "Huyện",
            "Tập thể",
            "Ủy ban MTTQ xã Vạn Phú",
            "xã Vạn Phú",
            "123/QĐ-UBND",
            "20/09/2024",
        ),
    ]
    result = invoke(ws, "history", "import", str(history(tmp_path / "ls.xlsx", rows)))
    assert result.exit_code == 0, result.output
    data = rank_json(ws, 2024, "tinh")
    got = statuses(data)
    assert got["Nguyễn Thị Hòa"] == "proposed"  # NFD, upper case, old tone placement
    assert got["Trần Văn Minh"] == "proposed"  # "UBND" = "Uỷ ban nhân dân" = "Ủy ban nhân dân"
    tu = next(c for c in data["candidates"] if c["name"] == "Lê Văn Tư")
    assert tu["status"] == "ineligible"  # "Tứ" in 2023 is another person: never merged
    assert {f["code"] for f in tu["findings"]} == {
        "eligibility.not_recognized",
        "eligibility.near_match",
    }
    near = next(f for f in tu["findings"] if f["code"] == "eligibility.near_match")
    assert near["severity"] == "warning" and "Lê Văn Tứ" in near["message"]
    assert "2023" in tu["findings"][0]["message"]
    assert got["Ủy ban MTTQ xã Vạn Phú"] == "ineligible"  # 2022 and 2024 are not consecutive


def test_history_import_merges_reports_conflicts_and_refuses_bad_rows(ws, tmp_path):
    rows = [(2023, "Huyện", "Cá nhân", "Trần Văn Minh", "xã Vạn Phú", "1/QĐ", "22/09/2023")] * 2
    first = invoke(ws, "history", "import", str(history(tmp_path / "a.xlsx", rows)))
    assert first.exit_code == 0 and "Đã nhập 1 lượt" in first.stderr
    conflict = [(2023, "Huyện", "Cá nhân", "TRẦN VĂN MINH", "xã Vạn Phú", "7/QĐ", "22/09/2023")]
    result = invoke(ws, "history", "import", str(history(tmp_path / "b.xlsx", conflict)))
    assert result.exit_code == 1 and "không ghi đè" in result.stderr
    bad = [
        (2023, "Quận", "Cá nhân", "A", "B", "1", "22/09/2023"),
        (20, "Huyện", "Cá nhân", "C", "D", "1", ""),
    ]
    refused = invoke(ws, "history", "import", str(history(tmp_path / "c.xlsx", bad)))
    assert (
        refused.exit_code == 1
        and 'Sheet!B3 (Cấp: "Quận")' in refused.stderr
        and 'Sheet!A4 (Năm: "20")' in refused.stderr
    )
    assert len(_recognitions(ws)) == 1
    out = tmp_path / "xuat.xlsx"
    assert invoke(ws, "history", "export", "-o", str(out)).exit_code == 0
    other = tmp_path / "ws2"
    runner.invoke(app, ["init", str(other)])
    assert invoke(other, "history", "import", str(out)).exit_code == 0
    assert _recognitions(other) == _recognitions(ws)
    shown = invoke(ws, "history", "show", "--name", "tran van")
    assert "Trần Văn Minh" in shown.stdout


def test_history_show_follows_the_language(demo_copy):
    """The console table's headers and the kind of each candidate follow --lang (the
    Vietnamese history columns are the workbooks' contract, not the console's); names, units
    and the plan's level names are data, printed as recorded."""
    wide = {"COLUMNS": "200"}
    english = runner.invoke(
        app, ["history", "show", "--lang", "en", "--workspace", str(demo_copy)], env=wide
    )
    assert english.exit_code == 0, english.output
    header = next(line for line in english.stdout.splitlines() if "Year" in line)
    assert [w.strip() for w in header.strip("┃ ").split("┃")] == [
        "No.", "Year", "Level", "Kind", "Name", "Unit", "Decision", "Date", "Note",
    ]  # fmt: skip
    rows = [line for line in english.stdout.splitlines() if line.startswith("│")]
    assert rows and all(("collective" in r) != ("individual" in r) for r in rows)
    vietnamese = {"Năm", "Cấp", "Loại", "Tên", "Đơn vị", "Số quyết định", "Tập thể", "Cá nhân"}
    cells = {
        c.strip()
        for line in english.stdout.splitlines()
        for c in line.split("│" if line.startswith("│") else "┃")
    }
    assert not vietnamese & cells, vietnamese & cells
    assert "Ủy ban MTTQ Việt Nam xã Vạn Phú" in english.stdout  # names as recorded
    shown = runner.invoke(app, ["history", "show", "--workspace", str(demo_copy)], env=wide)
    header = next(line for line in shown.stdout.splitlines() if "Năm" in line)
    assert "Số quyết định" in header and "Ngày quyết định" in header and "Ghi chú" in header
    assert "Tập thể" in shown.stdout and "collective" not in shown.stdout


def test_award_findings(ws, tmp_path):
    folder = ws / "ho-so" / "2024"
    dossier(folder, "Nguyễn Văn Bảy", unit="xã Vạn Lương")
    dossier(folder, "Nguyễn Văn Tám", unit="xã Vạn Lương", **{"Năm": 2023})
    twin = dossier(folder, "Phạm Thị Mai", unit="xã Vạn Phước")
    second = folder / "ban-sao-mai.xlsx"
    s = spec(
        "individual",
        **{"Họ và tên": "PHẠM THỊ MAI", "Đơn vị": "Xã Vạn Phước", "Tên mô hình": "Khác"},
    )
    write(second, s)
    assert twin.exists()
    invoke(
        ws,
        "history",
        "import",
        str(
            history(
                tmp_path / "h.xlsx",
                [
                    (
                        2023,
                        "Huyện",
                        "Cá nhân",
                        "Nguyễn Văn Bẩy",
                        "xã Vạn Lương",
                        "1/QĐ",
                        "20/09/2023",
                    ),
                ],
            )
        ),
    )
    data = rank_json(ws, 2024, "tinh")
    codes = {c["name"]: {f["code"] for f in c["findings"]} for c in data["candidates"]}
    assert "eligibility.near_match" in codes["Nguyễn Văn Bảy"]
    assert "eligibility.not_recognized" in codes["Nguyễn Văn Bảy"]
    assert "eligibility.year_mismatch" in codes["Nguyễn Văn Tám"]
    assert (
        "eligibility.duplicate" in codes["Phạm Thị Mai"]
        and "eligibility.duplicate" in codes["PHẠM THỊ MAI"]
    )


def test_rerun_changes_nothing_and_migrations_are_recorded(ws):
    dossier(ws / "ho-so" / "2024", "Nguyễn Văn An")
    for _ in range(3):
        invoke(ws, "rank", "--year", "2024", "--level", "huyen")
    with Register.open(ws / ".danvan" / "register.sqlite") as reg:
        assert [r.command for r in reg.audit_rows()] == ["rank"]
        assert reg.schema_version == len(MIGRATIONS)
        names = [r[0] for r in reg.conn.execute("SELECT name FROM migrations")]
        assert names == [n for n, _ in MIGRATIONS]
        assert reg.conn.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 1


def test_migrations_from_an_empty_database(tmp_path):
    path = tmp_path / "r.sqlite"
    with Register.open(path, create=True) as reg:
        assert reg.migrated and reg.schema_version == len(MIGRATIONS)
        tables = {
            r[0] for r in reg.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    assert {"candidates", "dossiers", "recognitions", "audit", "migrations"} <= tables
    with Register.open(path) as reg:
        assert not reg.migrated


@pytest.mark.xdist_group("subprocesses")
def test_two_processes_at_once(ws):
    folder = ws / "ho-so" / "2024"
    for i in range(8):
        dossier(folder, f"Cá nhân {i}", drop=i * 0.25, unit=f"xã {i}")
    cmd = [
        sys.executable,
        "-m",
        "danvan_cli",
        "rank",
        "--year",
        "2024",
        "--level",
        "huyen",
        "--format",
        "json",
        "--workspace",
        str(ws),
    ]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1].decode() for o in outs]
    assert json.loads(outs[0][0]) == json.loads(outs[1][0])
    with Register.open(ws / ".danvan" / "register.sqlite") as reg:
        assert reg.conn.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 8
        assert reg.conn.execute("SELECT COUNT(*) FROM candidates").fetchone()[0] == 8
        assert reg.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(reg.audit_rows()) == 1


def test_export_for_province(ws, tmp_path):
    folder = ws / "ho-so" / "2024"
    dossier(folder, "Tập thể Vạn Phú", "collective", unit="xã Vạn Phú")
    dossier(folder, "Cá nhân Một", unit="xã 1")
    dossier(folder, "Cá nhân Hai", drop=0.5, unit="xã 2")
    dossier(folder, "Cá nhân Ba", drop=1, unit="xã 3")
    dossier(folder, "Cá nhân Bốn", unit="xã 4")
    rows = []
    for name, kind, unit in [
        ("Tập thể Vạn Phú", "Tập thể", "xã Vạn Phú"),
        ("Cá nhân Một", "Cá nhân", "xã 1"),
        ("Cá nhân Hai", "Cá nhân", "xã 2"),
        ("Cá nhân Ba", "Cá nhân", "xã 3"),
    ]:
        rows += [
            (2023, "Huyện", kind, name, unit, "2311/QĐ-UBND", "22/09/2023"),
            (2024, "Huyện", kind, name, unit, "123/QĐ-UBND", "20/09/2024"),
        ]
    rows.append((2024, "Huyện", "Cá nhân", "Cá nhân Bốn", "xã 4", "123/QĐ-UBND", "20/09/2024"))
    invoke(ws, "history", "import", str(history(tmp_path / "h.xlsx", rows)))
    result = invoke(ws, "export", "--for-province", "--year", "2024")
    assert result.exit_code == 0, result.output
    assert "Cá nhân Bốn: Chưa đủ điều kiện" in result.stderr  # R5 refused with the reason
    package = ws / "ket-qua" / "2024" / "de-nghi-cap-tinh-2024"
    copies = sorted(p.name for p in (package / "ho-so").iterdir())
    assert copies == [
        "01-tap-the-tap-the-van-phu.xlsx",
        "02-ca-nhan-ca-nhan-mot.xlsx",
        "03-ca-nhan-ca-nhan-hai.xlsx",
    ]
    import csv
    import hashlib

    with (package / "danh-muc-tep.csv").open(encoding="utf-8-sig") as fh:
        manifest = list(csv.reader(fh))[1:]
    assert len(manifest) == 6  # 3 dossiers, the workbook, the Tờ trình and the Biên bản
    assert {"to-trinh-tinh-2024.docx", "bien-ban-hop-xet-tinh-2024.docx"} <= {
        m[0] for m in manifest
    }
    for name, digest, size in manifest:
        data = (package / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest and len(data) == int(size)
    book = openpyxl.load_workbook(package / "de-nghi-khen-thuong-cap-tinh-2024.xlsx")
    assert book.sheetnames == [
        "Danh sách đề nghị",
        "Thành phần hồ sơ",
        "Không đưa vào đề nghị",
        "Nguồn dữ liệu",
    ]
    left_out = [
        [c.value for c in r] for r in book["Không đưa vào đề nghị"].iter_rows() if r[1].value
    ]
    assert any(r[1] == "Cá nhân Bốn" and "2023" in r[4] for r in left_out)  # R5, with the reason
    listing = book["Danh sách đề nghị"]
    header = next(r for r in range(1, 15) if listing.cell(r, 1).value == "STT")
    first = [c.value for c in listing[header + 1]]
    assert first[2] == "Tập thể Vạn Phú" and "2311/QĐ-UBND" in first and "123/QĐ-UBND" in first
    papers = book["Thành phần hồ sơ"]
    states = [papers.cell(r, 5).value for r in range(1, papers.max_row + 1)]
    # the district's Tờ trình and Biên bản are in the package itself: present for each of the 3
    enclosed = [s for s in states if s and s.endswith("(kèm theo)")]
    assert len(enclosed) == 6 and "Còn thiếu — cần bổ sung" not in states
    assert enclosed.count("Có: Tờ trình số ……/TTr-UBND (kèm theo)") == 3
    assert not [s for s in states if s and ".docx" in s]  # papers by name, never by file
    assert any(
        s and s.startswith("Có: Quyết định 123/QĐ-UBND") for s in states
    )  # from the register
    listed = [
        r for r in range(header + 1, papers.max_row + 1) if isinstance(papers.cell(r, 1).value, int)
    ]
    assert {papers.cell(r, 4).value for r in listed} == {3}  # then the signature block
    again = invoke(ws, "export", "--for-province", "--year", "2024")
    assert again.exit_code == 0 and not list(package.parent.glob(".danvan-export-*"))


def test_demo_runs_the_year_and_leaves_the_checkout_alone(demo_cli):
    result, target = demo_cli["result"], demo_cli["folder"]
    assert result.exit_code == 0, result.output
    assert "8. " in result.stderr
    out = target / "ket-qua" / "2024"
    for name in (
        "bao-cao-kiem-tra-ho-so-2024.xlsx",
        "tong-hop-xet-chon-huyen-2024.xlsx",
        "tong-hop-xet-chon-tinh-2024.xlsx",
    ):
        assert openpyxl.load_workbook(out / name).sheetnames
    package = out / "de-nghi-cap-tinh-2024"
    assert len(list((package / "ho-so").iterdir())) == 3
    assert demo_cli["after"] == demo_cli["before"]
    again = runner.invoke(app, ["demo", str(target)])
    assert again.exit_code == 2 and "đã có dữ liệu" in again.stderr


def test_the_demo_in_english_runs_the_year_with_vietnamese_documents(tmp_path):
    """--lang en: English messages, the same Vietnamese workbooks (the council's sheet the
    simulated council fills is the one `recognize` reads, whatever the language)."""
    target = tmp_path / "demo"
    result = runner.invoke(app, ["demo", str(target), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "8. Built the" in result.stderr and "Done." in result.stderr
    english = {"PREPARED BY", "HEAD OF THE AGENCY", "No.", "Rank", "Name", "Status", "proposed"}
    books = [p for p in sorted((target / "ket-qua").rglob("*.xlsx")) if "ho-so" not in p.parts]
    assert len(books) >= 5
    for path in books:
        book = openpyxl.load_workbook(path)
        values = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
        assert not english & values, (path.name, english & values)
        if path.parent.name.startswith("de-nghi-cap-"):  # the Tờ trình's annex: its signer's
            assert "TM. ỦY BAN NHÂN DÂN" in values, path.name
        else:
            assert "NGƯỜI LẬP BIỂU" in values, path.name


def test_renamed_unit_keeps_the_candidate_across_years(ws, tmp_path):
    """The plan's renames table: a unit merged in 2024 is the same unit as before."""
    import shutil

    import yaml

    from danvan_cli.config.load import default_rubrics_dir

    for f in default_rubrics_dir().glob("*.yaml"):
        shutil.copy(f, ws / f.name)
    plan = ws / "van-ninh-2023.yaml"
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    data["renames"] = [
        {"from": "xã Vạn Thọ", "to": "xã Vạn Thắng", "on": "2024-07-01", "note": "sáp nhập"}
    ]
    plan.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    dossier(ws / "ho-so" / "2024", "Ngô Văn Dũng", unit="UBND xã Vạn Thắng")
    rows = [
        (2023, "Huyện", "Cá nhân", "Ngô Văn Dũng", "UBND xã Vạn Thọ", "2311/QĐ-UBND", "22/09/2023"),
        (
            2024,
            "Huyện",
            "Cá nhân",
            "Ngô Văn Dũng",
            "Ủy ban nhân dân xã Vạn Thắng",
            "123/QĐ-UBND",
            "20/09/2024",
        ),
    ]
    assert invoke(ws, "history", "import", str(history(tmp_path / "h.xlsx", rows))).exit_code == 0
    assert statuses(rank_json(ws, 2024, "tinh"))["Ngô Văn Dũng"] == "proposed"


def test_outputs_never_overwrite_inputs_or_foreign_files(ws, tmp_path):
    folder = ws / "ho-so" / "2024"
    original = dossier(folder, "Cá nhân A", unit="xã A")
    before = original.read_bytes()
    into = invoke(ws, "rank", "--year", "2024", "--level", "huyen", "-o", str(original))
    assert (
        into.exit_code == 2 and "thư mục hồ sơ" in into.stderr and original.read_bytes() == before
    )
    mine = tmp_path / "cua-toi.xlsx"
    openpyxl.Workbook().save(mine)
    mine_bytes = mine.read_bytes()
    over = invoke(ws, "history", "export", "-o", str(mine))
    assert over.exit_code == 2 and "không phải tệp do danvan lập" in over.stderr
    assert mine.read_bytes() == mine_bytes
    docs = tmp_path / "tai-lieu"
    docs.mkdir()
    (docs / "bao-cao-nam.docx").write_text("x", encoding="utf-8")
    refused = invoke(ws, "export", "--for-province", "--year", "2024", "-o", str(docs))
    assert refused.exit_code == 2 and (docs / "bao-cao-nam.docx").exists()


def test_rank_keeps_the_councils_decisions_and_ignores_its_own_workbooks(ws, tmp_path):
    folder = ws / "ho-so" / "2024"
    for i in range(3):
        dossier(folder, f"Cá nhân {i}", drop=i * 0.5, unit=f"xã {i}")
    assert invoke(ws, "rank", "--year", "2024", "--level", "huyen").exit_code == 0
    made = ws / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024.xlsx"
    mark_council(made, {"Cá nhân 0": "Đồng ý"}, made, resort=False)  # the council types into it
    kept = invoke(ws, "rank", "--year", "2024", "--level", "huyen")
    assert kept.exit_code == 2 and "đã có quyết định của Hội đồng" in kept.stderr
    copy = folder / "ban-sao-hoi-dong.xlsx"  # someone saves the council copy among the dossiers
    copy.write_bytes(made.read_bytes())
    result = invoke(ws, "rank", "--year", "2024", "--level", "huyen", "--force", "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["candidates"]) == 3
    recognized = invoke(ws, "recognize", str(copy), "--decision", "1/QĐ", "--date", "20/09/2024")
    assert recognized.exit_code == 0, recognized.output


def test_quota_counts_every_decision_of_the_year(ws, tmp_path):
    folder = ws / "ho-so" / "2024"
    for i in range(5):
        dossier(folder, f"Tập thể {i}", "collective", drop=i * 0.25, unit=f"xã {i}")
    invoke(ws, "rank", "--year", "2024", "--level", "huyen")
    made = ws / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024.xlsx"
    first = mark_council(made, {f"Tập thể {i}": "Đồng ý" for i in range(3)}, tmp_path / "a.xlsx")
    second = mark_council(made, {"Tập thể 3": "Đồng ý", "Tập thể 4": "Đồng ý"}, tmp_path / "b.xlsx")
    assert (
        invoke(ws, "recognize", str(first), "--decision", "1/QĐ", "--date", "20/09/2024").exit_code
        == 0
    )
    again = invoke(ws, "recognize", str(first), "--decision", "1/QĐ", "--date", "20/09/2024")
    assert again.exit_code == 0  # the same three again: still within the quota
    more = invoke(ws, "recognize", str(second), "--decision", "2/QĐ", "--date", "25/09/2024")
    assert more.exit_code == 1 and "5 > 3" in more.stderr
    blank = invoke(ws, "recognize", str(second), "--decision", "  ", "--date", "25/09/2024")
    assert blank.exit_code == 2


def test_a_copied_row_with_another_mark_is_refused(ws, tmp_path):
    dossier(ws / "ho-so" / "2024", "Cá nhân A", unit="xã A")
    invoke(ws, "rank", "--year", "2024", "--level", "huyen")
    made = ws / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024.xlsx"
    book = openpyxl.load_workbook(made)
    sheet = book["Cá nhân"]
    header = next(r for r in range(1, 15) if sheet.cell(r, 1).value == "Hạng")
    cols = {c.value: c.column for c in sheet[header]}
    for col in range(1, sheet.max_column + 1):
        sheet.cell(header + 2, col, sheet.cell(header + 1, col).value)
    sheet.cell(header + 1, cols["Quyết định của Hội đồng"], "Đồng ý")
    sheet.cell(header + 2, cols["Quyết định của Hội đồng"], "Không")
    book.save(tmp_path / "hd.xlsx")
    result = invoke(
        ws, "recognize", str(tmp_path / "hd.xlsx"), "--decision", "1/QĐ", "--date", "20/09/2024"
    )
    assert result.exit_code == 2 and "≠" in result.stderr
    assert _recognitions(ws) == []


def test_names_are_shown_as_spelled_in_the_latest_year(ws, tmp_path):
    rows = [
        (
            2023,
            "Huyện",
            "Cá nhân",
            "NGUYỄN THỊ HOA",
            "Hội Phụ nữ xã Vạn Thắng",
            "1/QĐ",
            "22/09/2023",
        )
    ]
    invoke(ws, "history", "import", str(history(tmp_path / "h.xlsx", rows)))
    dossier(ws / "ho-so" / "2024", "Nguyễn Thị Hoa", unit="Hội Phụ nữ xã Vạn Thắng")
    invoke(ws, "rank", "--year", "2024", "--level", "huyen")
    shown = invoke(ws, "history", "show")
    assert "Nguyễn Thị Hoa" in shown.stdout and "NGUYỄN THỊ HOA" not in shown.stdout


def test_a_paper_row_that_reads_like_an_info_label(tmp_path, config):
    from danvan_cli.validate.run import validate_file

    s = spec()
    s.papers = [(p, m) for p, m in s.papers if "Quyết định" not in p]
    s.papers.append(("Quyết định công nhận cấp cơ sở", "x"))
    report = validate_file(write(tmp_path / "a.xlsx", s), config)
    assert report.findings == []


def test_province_tie_needs_the_councils_choice(ws, tmp_path):
    folder = ws / "ho-so" / "2024"
    rows = []
    for name in ("Tập thể Một", "Tập thể Hai"):
        dossier(folder, name, "collective", unit=f"xã {name}")
        for year, no in ((2023, "2311/QĐ-UBND"), (2024, "123/QĐ-UBND")):
            rows.append((year, "Huyện", "Tập thể", name, f"xã {name}", no, f"20/09/{year}"))
    invoke(ws, "history", "import", str(history(tmp_path / "h.xlsx", rows)))
    stopped = invoke(ws, "export", "--for-province", "--year", "2024")
    assert (
        stopped.exit_code == 1
        and "Tập thể Một" in stopped.stderr
        and "--decisions" in stopped.stderr
    )
    assert invoke(ws, "rank", "--year", "2024", "--level", "tinh").exit_code == 0
    made = ws / "ket-qua" / "2024" / "tong-hop-xet-chon-tinh-2024.xlsx"
    both = mark_council(
        made, {"Tập thể Một": "Đồng ý", "Tập thể Hai": "Đồng ý"}, tmp_path / "c2.xlsx"
    )
    over = invoke(ws, "export", "--for-province", "--year", "2024", "--decisions", str(both))
    assert over.exit_code == 1 and "2 > 1" in over.stderr
    one = mark_council(
        made, {"Tập thể Hai": "Đồng ý", "Tập thể Một": "Không"}, tmp_path / "c1.xlsx"
    )
    done = invoke(ws, "export", "--for-province", "--year", "2024", "--decisions", str(one))
    assert done.exit_code == 0, done.output
    package = ws / "ket-qua" / "2024" / "de-nghi-cap-tinh-2024"
    assert [p.name for p in (package / "ho-so").iterdir()] == ["01-tap-the-tap-the-hai.xlsx"]


def test_ad_hoc_awards_sit_outside_the_quota(ws, tmp_path):
    """R11: an ad-hoc award does not use up the year's quota, and is recorded as ad hoc."""
    folder = ws / "ho-so" / "2024"
    for i in range(5):
        dossier(folder, f"Tập thể {i}", "collective", drop=i * 0.25, unit=f"xã {i}")
    invoke(ws, "rank", "--year", "2024", "--level", "huyen")
    made = ws / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024.xlsx"
    regular = mark_council(made, {f"Tập thể {i}": "Đồng ý" for i in range(3)}, tmp_path / "a.xlsx")
    assert (
        invoke(
            ws, "recognize", str(regular), "--decision", "1/QĐ", "--date", "20/09/2024"
        ).exit_code
        == 0
    )
    special = mark_council(made, {"Tập thể 3": "Đồng ý"}, tmp_path / "b.xlsx")
    done = invoke(
        ws, "recognize", str(special), "--decision", "9/QĐ", "--date", "30/10/2024", "--ad-hoc"
    )
    assert done.exit_code == 0, done.output
    fifth = mark_council(made, {"Tập thể 4": "Đồng ý"}, tmp_path / "c.xlsx")
    over = invoke(ws, "recognize", str(fifth), "--decision", "2/QĐ", "--date", "25/09/2024")
    assert (
        over.exit_code == 1 and "4 > 3" in over.stderr
    )  # 3 regular + 1 new; the ad-hoc not counted
    with Register.open(ws / ".danvan" / "register.sqlite") as reg:
        recorded = {r.candidate.name: (r.ad_hoc, r.source) for r in reg.recognitions()}
    assert recorded["Tập thể 3"][0] and not recorded["Tập thể 0"][0]
    assert recorded["Tập thể 3"][1].startswith("recognize:")
    assert recorded["Tập thể 0"][1].startswith("recognize:")
