"""Hostile files, fuzzing, safe writing, register safety, untouched inputs, failing disks."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import hostile
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from builders import spec, write
from conftest import SAMPLES
from danvan_cli.cli import app
from danvan_cli.config.load import load_config
from danvan_cli.register.store import MIGRATIONS, Register
from danvan_cli.validate.run import validate_file
from danvan_cli.write import document

runner = CliRunner()
FUZZ = int(os.environ.get("DANVAN_FUZZ_EXAMPLES", "40"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    hostile.main(str(folder))
    return folder


@pytest.mark.xdist_group("subprocesses")
def test_every_hostile_file_gets_a_file_finding_fast_and_small(corpus):
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    assert len(files) == 11
    reports = {}
    # through the CLI, each file timed, the peak memory of the danvan process and its worker
    for name, run in hostile.validate_each(files).items():
        assert run["code"] == 1, (name, run["stderr"])
        assert "Traceback" not in str(run["stderr"])
        reports[name] = json.loads(str(run["stdout"]))
        codes = [f["code"] for f in reports[name]["files"][0]["findings"]]
        assert codes and all(c.startswith("file.") for c in codes), (name, codes)
        assert float(run["seconds"]) < 10, (name, run["seconds"])
        assert float(run["peak"]) < 300, (name, run["peak"])
    bomb = reports["zip-bomb-1gb.xlsx"]  # the run above, timed and measured
    assert bomb["files"][0]["findings"][0]["code"] == "file.too_large"
    locked = validate_file(corpus / "mat-khau.xlsx", load_config())
    assert [f.code for f in locked.findings] == ["file.encrypted"]


cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from(
        [
            "Năm",
            "STT",
            "Tiêu chí",
            "Điểm chuẩn",
            "Điểm tự chấm",
            "Tài liệu kiểm chứng",
            "Tổng điểm",
            "Thành phần hồ sơ",
            "Cấp cơ sở",
            "13,5",
            "15/02/2024",
            "x",
            "\u202eRTL",
            "e\u0301",
            "=SUM(A1)",
            "\x01\x02",
        ]
    ),
    st.dates(),
)


@settings(
    max_examples=FUZZ, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(st.tuples(st.integers(1, 60), st.integers(1, 12), cell_values), max_size=80),
    merges=st.lists(
        st.tuples(st.integers(1, 40), st.integers(1, 8), st.integers(0, 3), st.integers(0, 3)),
        max_size=4,
    ),
    sheets=st.integers(1, 3),
)
def test_random_workbooks_never_raise(tmp_path_factory, config, cells, merges, sheets):
    from openpyxl.utils.exceptions import IllegalCharacterError

    wb = openpyxl.Workbook()
    for i in range(sheets - 1):
        wb.create_sheet(f"Trang {i}")
    for n, (r, c, v) in enumerate(cells):
        ws = wb.worksheets[n % sheets]
        try:
            ws.cell(r, c, v)
        except (IllegalCharacterError, ValueError, TypeError):
            continue
    for r, c, h, w in merges:
        with contextlib.suppress(ValueError):
            wb.worksheets[0].merge_cells(
                start_row=r, start_column=c, end_row=r + h, end_column=c + w
            )
    path = tmp_path_factory.mktemp("fuzz") / "f.xlsx"
    wb.save(path)
    report = validate_file(path, config)
    json.dumps(report.to_dict("vi"))
    for f in report.findings:
        assert f.message("vi") and f.message("en")


SAMPLE_FILES = sorted(
    p for p in (SAMPLES / "2024").glob("*.xlsx") if not p.name.startswith(("~$", "loi-"))
)


@settings(
    max_examples=FUZZ, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    index=st.integers(0, len(SAMPLE_FILES) - 1),
    seed=st.integers(0, 2**32 - 1),
    mode=st.sampled_from(["flip", "truncate", "xml"]),
)
def test_mutated_samples_never_raise(tmp_path_factory, config, index, seed, mode):
    rnd = random.Random(seed)
    data = bytearray(SAMPLE_FILES[index].read_bytes())
    if mode == "flip":
        for _ in range(rnd.randint(1, 20)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
    elif mode == "truncate":
        data = data[: rnd.randrange(len(data))]
    else:  # damage the XML inside a valid zip
        src = zipfile.ZipFile(io.BytesIO(bytes(data)))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for info in src.infolist():
                part = bytearray(src.read(info.filename))
                if part and info.filename.endswith(".xml"):
                    for _ in range(rnd.randint(1, 5)):
                        part[rnd.randrange(len(part))] = rnd.choice(b"<>&\"'=/ \x00")
                zf.writestr(info.filename, bytes(part))
        data = bytearray(out.getvalue())
    path = tmp_path_factory.mktemp("mut") / "m.xlsx"
    path.write_bytes(bytes(data))
    report = validate_file(path, config)
    json.dumps(report.to_dict("en"))


def test_dangerous_text_is_written_as_text_and_cleaned(tmp_path):
    names = ["=1+1", "+84 905 123 456", "-5 điểm", "@SUM(A1)", "Hội QQ1 Nông QQ2 dân"]
    folder = tmp_path / "ho-so"
    folder.mkdir()
    for i, name in enumerate(names):
        s = spec(**{"Tên tập thể": name})
        s.score("01", 10)
        path = write(folder / f"{i}.xlsx", s)
        _escape_controls(path)  # Excel stores control characters as _x0001_ escapes
    out = tmp_path / "bc.xlsx"
    assert runner.invoke(app, ["validate", str(folder), "--report", str(out)]).exit_code == 1
    ws = openpyxl.load_workbook(out)["Chi tiết lỗi"]
    cells = [
        c
        for row in ws.iter_rows()
        for c in row
        if c.column == 2 and c.value not in (None, "Tên tập thể / cá nhân")
    ]
    assert {c.value for c in cells} == {
        "=1+1",
        "+84 905 123 456",
        "-5 điểm",
        "@SUM(A1)",
        "Hội Nông dân",
    }
    raw = {c.value for c in cells}
    assert not any(ch < " " for v in raw for ch in v)
    assert all(c.data_type == "s" for c in cells)


def _escape_controls(path: Path) -> None:
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info.filename).replace(b"QQ1 ", b"_x0001_").replace(b"QQ2 ", b"_x000B_")
            zf.writestr(info.filename, data)
    path.write_bytes(out.getvalue())


def test_a_failure_mid_write_leaves_the_previous_output(tmp_path, monkeypatch):
    path = write(tmp_path / "a.xlsx", spec())
    out = tmp_path / "bc.xlsx"
    assert runner.invoke(app, ["validate", str(path), "--report", str(out)]).exit_code == 0
    before = out.read_bytes()

    def broken(wb):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(document, "_reproducible", broken)
    result = runner.invoke(app, ["validate", str(path), "--report", str(out)])
    assert result.exit_code == 2 and "ổ đĩa đã đầy" in result.stderr
    assert out.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".danvan-")]


def test_read_only_place_is_a_clear_error(tmp_path, monkeypatch):
    path = write(tmp_path / "a.xlsx", spec())

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(document.tempfile, "mkstemp", refuse)
    result = runner.invoke(app, ["validate", str(path), "--report", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2 and "chỉ cho đọc" in result.stderr


def test_broken_workspace_and_plan_are_usage_errors(tmp_path):
    ws = tmp_path / "ws"
    runner.invoke(app, ["init", str(ws)])
    (ws / "danvan.yaml").write_text("plan: [khong dong", encoding="utf-8")
    result = runner.invoke(
        app, ["rank", "--year", "2024", "--level", "huyen", "--workspace", str(ws)]
    )
    assert result.exit_code == 2 and "danvan.yaml" in result.stderr
    (ws / "danvan.yaml").write_text("plan: khong-co.yaml\n", encoding="utf-8")
    result = runner.invoke(
        app, ["rank", "--year", "2024", "--level", "huyen", "--workspace", str(ws)]
    )
    assert result.exit_code == 2 and "khong-co.yaml" in result.stderr
    (ws / "danvan.yaml").write_text("plan: van-ninh-2023.yaml\n", encoding="utf-8")
    (ws / ".danvan" / "register.sqlite").write_bytes(b"khong phai sqlite" * 100)
    (ws / "ho-so" / "2024").mkdir(parents=True)
    write(ws / "ho-so" / "2024" / "a.xlsx", spec())
    result = runner.invoke(
        app, ["rank", "--year", "2024", "--level", "huyen", "--workspace", str(ws)]
    )
    assert result.exit_code == 2 and "sổ theo dõi" in result.stderr.lower()


def test_backup_before_a_migration(tmp_path):
    path = tmp_path / "r.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)"
    )
    MIGRATIONS[0][1](conn)
    conn.execute("INSERT INTO migrations (name, applied_at) VALUES (?, 'x')", (MIGRATIONS[0][0],))
    conn.commit()
    conn.close()
    with Register.open(path) as reg:
        assert reg.migrated and reg.schema_version == len(MIGRATIONS)
    backups = list(tmp_path.glob("r.sqlite.*.bak"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert [r[0] for r in old.execute("SELECT name FROM migrations")] == [MIGRATIONS[0][0]]


@pytest.mark.xdist_group("subprocesses")
def test_a_process_killed_mid_write_leaves_a_consistent_register(tmp_path):
    ws = tmp_path / "ws"
    runner.invoke(app, ["init", str(ws)])
    book = openpyxl.Workbook()
    book.active.append(["Năm", "Cấp", "Loại", "Tên", "Đơn vị", "Số quyết định", "Ngày quyết định"])
    for i in range(3000):
        book.active.append(
            [2023, "Huyện", "Cá nhân", f"Người số {i}", f"xã {i % 40}", f"{i}/QĐ", "20/09/2023"]
        )
    big = tmp_path / "lich-su.xlsx"
    book.save(big)
    rnd = random.Random(5)
    for _ in range(4):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "danvan_cli",
                "history",
                "import",
                str(big),
                "--workspace",
                str(ws),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rnd.uniform(0.2, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        result = runner.invoke(app, ["register", "check", "--workspace", str(ws)])
        assert result.exit_code == 0, result.output
        with Register.open(ws / ".danvan" / "register.sqlite") as reg:
            count = reg.conn.execute("SELECT COUNT(*) FROM recognitions").fetchone()[0]
        assert count in (0, 3000)  # all or nothing: one transaction


def test_no_command_changes_an_input(demo_cli, demo_copy):
    assert demo_cli["after"] == demo_cli["before"]  # the demo read the samples, changed none
    target = demo_copy
    inputs = [p for p in SAMPLES.rglob("*") if p.is_file()]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs}
    dossiers = [p for p in (target / "ho-so").rglob("*") if p.is_file()]
    seen = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in dossiers}
    history = SAMPLES / "lich-su-cong-nhan.xlsx"
    ws = ["--workspace", str(target)]
    out = target / "ket-qua"
    commands = [
        ["validate", str(target / "ho-so"), "--report", str(out / "bc.xlsx")],
        ["rank", "--year", "2024", "--level", "huyen", "--force", *ws],
        ["rank", "--year", "2024", "--level", "tinh", *ws],
        ["history", "import", str(history), *ws],
        ["history", "export", *ws],
        ["history", "show", *ws],
        ["report", "--year", "2024", *ws],
        ["export", "--for-province", "--year", "2024", *ws],
        ["register", "check", *ws],
        [
            "recognize",
            str(out / "2024" / "tong-hop-xet-chon-huyen-2024-hoi-dong.xlsx"),
            "--decision",
            "123/QĐ-UBND",
            "--date",
            "20/09/2024",
            *ws,
        ],
    ]
    for args in commands:
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1), (args, result.output)
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs} == before
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in dossiers} == seen
