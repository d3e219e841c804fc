"""Hostile inputs, round 2 (issue 12): guards that parse instead of guessing, a council
workbook that cannot be forged, no dossier lost. Every case runs through the CLI in its own
process, with its time and peak memory measured, like tests/test_hardening.py."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import hostile
import openpyxl
import pytest
from test_award import _mark, dossier, invoke
from typer.testing import CliRunner

from builders import PAPERS, spec, write
from conftest import ROOT
from danvan_cli.cli import app
from danvan_cli.register.store import MIGRATIONS, Register
from danvan_cli.text.near import NearMatcher
from danvan_cli.validate.run import validate_file

runner = CliRunner()
FIXTURES = ROOT / "tests" / "fixtures"

# The finding codes of issue 12, each produced by a test below (test_findings checks it).
HARDENING_CODES = {
    "file.budget",
    "file.unsafe",
    "file.crashed",
    "score.formula_error",
    "info.date_implausible",
    "document.mark_unknown",
}


# The peak memory of the danvan process itself (VmHWM, reset by exec, unlike ru_maxrss which
# Linux carries over from the forking test process) and of the workers it waited for.
PEAK = (
    "import atexit, os, resource, sys\n"
    "def _peak():\n"
    "    kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "    if os.path.exists('/proc/self/status'):\n"
    "        for line in open('/proc/self/status'):\n"
    "            if line.startswith('VmHWM'):\n"
    "                kb = max(kb, int(line.split()[1]))\n"
    "    else:\n"
    "        kb = max(kb, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    "    open(os.environ['DANVAN_PEAK_FILE'], 'w').write(str(kb))\n"
    "atexit.register(_peak)\n"
)
MAIN = "from danvan_cli.cli import main\nsys.argv = ['danvan', *sys.argv[1:]]\nmain()\n"


def cli(
    *args: str, code: str | None = None, timeout: float = 60
) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run danvan in its own process: (result, seconds, peak MB of that process and its
    workers). `code` replaces the plain entry point (e.g. to inject a crash)."""
    with tempfile.TemporaryDirectory() as tmp:
        peak_file = Path(tmp) / "peak"
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", PEAK + (code or MAIN), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT), "DANVAN_PEAK_FILE": str(peak_file)},
        )
        elapsed = time.monotonic() - started
        peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else 0.0
    return done, elapsed, peak


def findings(done: subprocess.CompletedProcess[str]) -> dict[str, list[str]]:
    data = json.loads(done.stdout)
    return {Path(f["path"]).name: [x["code"] for x in f["findings"]] for f in data["files"]}


@pytest.fixture
def ws(tmp_path) -> Path:
    root = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(root)]).exit_code == 0
    return root


@pytest.fixture(scope="module")
def round2(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("round2")
    return hostile.round_two(folder, FIXTURES)


EXPECTED = {
    "far-single-quotes.xlsx": "file.sheet_too_large",
    "far-prefixed.xlsx": "file.sheet_too_large",
    "far-tab-newline.xlsx": "file.sheet_too_large",
    "far-lowercase.xlsx": "file.sheet_too_large",
    "far-no-r.xlsx": "file.sheet_too_large",
    "far-rows-no-r.xlsx": "file.sheet_too_large",
    "far-outside-worksheets.xlsx": "file.sheet_too_large",
    "far-cased-path.xlsx": "file.sheet_too_large",
    "far-entity-ref.xlsx": "file.sheet_too_large",
    "many-sheets-300.xlsx": "file.budget",
    "sheets-10-an5000.xlsx": "file.budget",
    "huge-shared-string.xlsx": "file.too_large",  # 50 MB of XML: over the 32 MB read
    "sst-count-lie.xlsx": "file.budget",
    "string-cells-amplified.xlsx": "file.budget",
    "xxe.xlsx": "file.unsafe",
    "ods-repeat-columns.ods": "file.sheet_too_large",
    "ods-repeat-rows.ods": "file.sheet_too_large",
    "xls-iv65536.xls": "file.sheet_too_large",
    "xls-dimensions.xls": "file.sheet_too_large",
    "xls-difat-cycle.xls": "file.unreadable",
}


def _codes(stdout: str) -> dict[str, list[str]]:
    data = json.loads(stdout)
    return {Path(f["path"]).name: [x["code"] for x in f["findings"]] for f in data["files"]}


def test_every_round_two_file_gets_its_finding_fast_and_small(round2):
    assert set(round2) == set(EXPECTED)
    runs = hostile.validate_each([round2[name] for name in sorted(round2)])
    for name, run in sorted(runs.items()):
        stderr = str(run["stderr"])
        assert run["code"] == 1, (name, stderr)
        # no traceback, no panic or allocation line of a native reader: only danvan's own words
        assert "Traceback" not in stderr and "panick" not in stderr, stderr
        assert "memory allocation" not in stderr and "thread '" not in stderr
        assert _codes(str(run["stdout"]))[name] == [EXPECTED[name]], (name, run["stdout"])
        assert float(run["seconds"]) < 10, (name, run["seconds"])
        assert float(run["peak"]) < 300, (name, run["peak"])


def test_a_batch_goes_on_past_every_hostile_file(round2, tmp_path):
    folder = tmp_path / "lo"
    folder.mkdir()
    for path in round2.values():
        (folder / path.name).write_bytes(path.read_bytes())
    write(folder / "a-hop-le.xlsx", spec())
    done, elapsed, peak = cli("validate", str(folder), "--format", "json", timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    found = findings(done)
    assert found.pop("a-hop-le.xlsx") == []
    assert {n: c[0] for n, c in found.items()} == EXPECTED
    assert elapsed < 30 and peak < 300


def test_a_dying_reader_costs_one_file_not_the_batch(tmp_path):
    """A native reader that aborts (SIGABRT, as a Rust allocation failure does) on one file:
    that file gets file.crashed, every other file of the batch is validated."""
    folder = tmp_path / "lo"
    folder.mkdir()
    for i in range(5):
        write(folder / f"{i}.xlsx", spec(**{"Tên tập thể": f"Hội {i}"}))
    write(folder / "boom.xlsx", spec())
    inject = (
        "import os, sys\n"
        "import danvan_cli.validate.run as run\n"
        "real = run.validate_file\n"
        "def boom(path, *a, **k):\n"
        "    if path.name == 'boom.xlsx':\n"
        "        os.abort()\n"
        "    return real(path, *a, **k)\n"
        "run.validate_file = boom\n"
    ) + MAIN
    for jobs in ("1", "2"):
        done, elapsed, _ = cli(
            "validate", str(folder), "--format", "json", "--jobs", jobs, code=inject
        )
        assert done.returncode == 1, done.stderr
        found = findings(done)
        assert found["boom.xlsx"] == ["file.crashed"]
        assert all(found[f"{i}.xlsx"] == [] for i in range(5))
        files = json.loads(done.stdout)["files"]
        message = next(f for f in files if f["path"].endswith("boom.xlsx"))["findings"][0][
            "message"
        ]
        assert "SIGABRT" in message
        assert elapsed < 30


def test_a_whole_grid_merge_with_legacy_text_is_read_small_and_fast(tmp_path):
    path = hostile.merge_whole_grid_tcvn3(tmp_path / "merge.xlsx")
    done, elapsed, peak = cli("validate", str(path), "--format", "json")
    codes = findings(done)["merge.xlsx"]
    assert "text.legacy_converted" in codes and "file.budget" not in codes
    assert elapsed < 10 and peak < 300, (elapsed, peak)


def test_size_is_refused_before_the_file_is_read_or_hashed(tmp_path):
    sparse = tmp_path / "lon.xlsx"
    with sparse.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(30 * (1 << 30))  # 30 GB, sparse: nothing to read but zeros
    done, elapsed, peak = cli("validate", str(sparse), "--format", "json")
    data = json.loads(done.stdout)["files"][0]
    assert [f["code"] for f in data["findings"]] == ["file.too_large"]
    assert data["sha256"] == ""
    assert elapsed < 10 and peak < 300


def test_output_named_sheets_never_hide_a_dossier(ws, tmp_path):
    folder = ws / "ho-so" / "2024"
    path = dossier(folder, "Nguyễn Văn Nguồn")
    book = openpyxl.load_workbook(path)
    for name in ("Nguồn dữ liệu", "Danh sách đề nghị", "Không đủ điều kiện", "Dữ liệu đầu vào"):
        book.create_sheet(name)["A1"] = "danvan"
    book.save(path)
    result = runner.invoke(app, ["validate", str(folder), "--format", "json"])
    assert json.loads(result.stdout)["summary"]["files"] == 1
    data = json.loads(
        invoke(ws, "rank", "--year", "2024", "--level", "huyen", "--format", "json").stdout
    )
    assert [c["name"] for c in data["candidates"]] == ["Nguyễn Văn Nguồn"]


def test_a_workbook_marked_as_danvans_is_skipped_aloud(tmp_path):
    from openpyxl.packaging.custom import StringProperty

    folder = tmp_path / "lo"
    folder.mkdir()
    write(folder / "a.xlsx", spec())
    forged = write(folder / "gia-mao.xlsx", spec(**{"Tên tập thể": "Hội giả mạo"}))
    book = openpyxl.load_workbook(forged)
    book.custom_doc_props.append(StringProperty(name="danvan-output", value="ranking"))
    book.save(forged)
    result = runner.invoke(app, ["validate", str(folder), "--format", "json"])
    assert json.loads(result.stdout)["summary"]["files"] == 1
    assert "gia-mao.xlsx" in result.stderr and "danvan" in result.stderr


@pytest.mark.parametrize(
    "target",
    ["dossier", "workbook", "docx"],
)
def test_validate_report_never_overwrites_what_danvan_did_not_write(tmp_path, target):
    path = write(tmp_path / "a.xlsx", spec())
    other = (
        tmp_path
        / {"dossier": "b.xlsx", "workbook": "cua-toi.xlsx", "docx": "to-trinh.docx"}[target]
    )
    if target == "dossier":
        write(other, spec(**{"Tên tập thể": "Hội khác"}))
    elif target == "workbook":
        book = openpyxl.Workbook()
        book.active["A1"] = "số liệu của tôi"
        book.save(other)
    else:
        with zipfile.ZipFile(other, "w") as zf:
            zf.writestr("word/document.xml", "<w:document/>")
    before = other.read_bytes()
    result = runner.invoke(app, ["validate", str(path), "--report", str(other)])
    assert result.exit_code == 2, result.output
    assert other.read_bytes() == before


@pytest.mark.parametrize(
    ("mark", "present", "unknown"),
    [
        ("x", True, False),
        ("✓", True, False),
        ("Có", True, False),
        ("25/QĐ-UBND", True, False),
        ("15/6/2024", True, False),
        ("Thiếu", False, False),
        ("Không nộp", False, False),
        ("Chưa nộp", False, False),
        ("Chưa", False, False),
        ("Ko", False, False),
        ("N/A", False, False),
        ("?", False, False),
        ("Đang bổ sung", False, False),
        ("hình như có rồi", False, True),
    ],
)
def test_a_paper_is_present_only_when_marked_present(tmp_path, config, mark, present, unknown):
    papers = list(PAPERS)
    papers[1] = (papers[1][0], mark)
    s = spec()
    s.papers = papers
    result = validate_file(write(tmp_path / "d.xlsx", s), config)
    codes = [f.code for f in result.findings]
    assert ("document.missing" in codes) is not present, codes
    assert ("document.mark_unknown" in codes) is unknown, codes
    if unknown:
        finding = next(f for f in result.findings if f.code == "document.mark_unknown")
        assert finding.cell and mark in finding.message("vi")


def _patch_cell(path: Path, ref: str, xml: bytes) -> None:
    """Replace the XML of one cell of the first sheet (as a program would write it)."""
    data = path.read_bytes()
    src = zipfile.ZipFile(path)
    names = [n for n in src.namelist() if n.startswith("xl/worksheets/sheet")]
    out = {}
    for name in names:
        part = src.read(name)
        at = part.find(f'<c r="{ref}"'.encode())
        if at >= 0:
            end = part.find(b"</c>", at) + 4
            short = part.find(b"/>", at)
            if 0 <= short < part.find(b">", at) + 1:
                end = short + 2
            out[name] = part[:at] + xml + part[end:]
    assert out, ref
    path.write_bytes(hostile._rezip(data, out))


def test_formula_errors_name_the_score_cell_and_spare_the_rest(tmp_path, config):
    path = write(tmp_path / "d.xlsx", spec())
    cell = next(
        f"D{r}"
        for r in range(1, 60)
        if openpyxl.load_workbook(path).active[f"A{r}"].value in ("03", 3, "3")
    )
    _patch_cell(path, cell, f'<c r="{cell}" t="e"><f>1/0</f><v>#DIV/0!</v></c>'.encode())
    found = validate_file(path, config).findings
    error = next(f for f in found if f.code == "score.formula_error")
    assert error.cell == cell and error.criterion == "03" and "#DIV/0!" in error.message("vi")
    helper = write(tmp_path / "h.xlsx", spec())
    book = openpyxl.load_workbook(helper)
    book.active["Z1"] = "tạm"
    book.save(helper)
    _patch_cell(helper, "Z1", b'<c r="Z1" t="e"><f>_xlfn.SEQUENCE(3)</f><v>#SPILL!</v></c>')
    assert validate_file(helper, config).valid


def test_dates_far_from_the_year_and_formatted_nan_are_findings(tmp_path, config):
    import datetime as dt

    far = validate_file(
        write(tmp_path / "a.xlsx", spec(**{"Ngày đăng ký": dt.date(2014, 2, 10)})), config
    )
    assert "info.date_implausible" in [f.code for f in far.findings] and not far.valid
    marker = dt.datetime(2024, 8, 21)
    path = write(tmp_path / "b.xlsx", spec(**{"Ngày nộp hồ sơ": marker.date()}))
    sheet = openpyxl.load_workbook(path).active
    ref = next(c.coordinate for row in sheet.iter_rows() for c in row if c.value == marker)
    _patch_cell(path, ref, f'<c r="{ref}" s="{_style_of(path, ref)}"><v>NaN</v></c>'.encode())
    nan = validate_file(path, config)
    assert {"info.date_implausible", "info.invalid"} & {f.code for f in nan.findings}
    assert not nan.valid


def _style_of(path: Path, ref: str) -> str:
    part = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    at = part.find(f'<c r="{ref}"'.encode())
    tag = part[at : part.find(b">", at)]
    import re

    m = re.search(rb's="(\d+)"', tag)
    return m.group(1).decode() if m else "0"


def test_xml_illegal_characters_never_break_an_output(ws, tmp_path):
    folder = ws / "ho-so" / "2024"
    path = dossier(folder, "Nguyễn Thị QQ", drop=20)
    raw = zipfile.ZipFile(path)
    parts = {n: raw.read(n) for n in raw.namelist() if n.endswith(".xml")}
    out = {n: d.replace(b"QQ", "Q\uffffQ\ufffe".encode()) for n, d in parts.items() if b"QQ" in d}
    path.write_bytes(hostile._rezip(path.read_bytes(), out))
    report = tmp_path / "bc.xlsx"
    assert runner.invoke(app, ["validate", str(folder), "--report", str(report)]).exit_code in (
        0,
        1,
    )
    assert invoke(ws, "rank", "--year", "2024", "--level", "huyen").exit_code in (0, 1)
    ranking = ws / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024.xlsx"
    for book in (report, ranking):
        cells = [c.value for s in openpyxl.load_workbook(book) for r in s.iter_rows() for c in r]
        assert any(isinstance(v, str) and "Nguyễn Thị QQ" in v for v in cells), book


def test_numbered_names_are_no_near_matches_and_matching_stays_fast(config):
    from dataclasses import dataclass

    @dataclass
    class C:
        id: int
        kind: str
        name: str
        unit: str

    people = [C(i, "collective", f"Chi đoàn thôn {i}", "xã Vạn Thọ") for i in range(1, 2001)]
    people += [C(9001, "collective", "Chi đoàn thôn Tuần Lễ", "xã Vạn Thọ")]
    people += [C(9002, "collective", "Chi đoàn thôn Tuần Lê", "xã Vạn Thọ")]
    started = time.monotonic()
    matcher = NearMatcher(people, config.plan.identity())
    pairs = {(c.id, o) for c in people for o in matcher.matches(c.kind, c.name, c.unit, c.id)}
    assert pairs == {(9001, 9002), (9002, 9001)}
    assert time.monotonic() - started < 10


# -- the register ------------------------------------------------------------------------


def test_a_register_of_a_newer_danvan_is_refused_and_left_alone(ws):
    path = ws / ".danvan" / "register.sqlite"
    with Register.open(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO migrations (name, applied_at) VALUES ('9999_future', 'x')")
    conn.commit()
    conn.close()
    dossier(ws / "ho-so" / "2024", "Trần Văn Mới")
    before = path.read_bytes()
    result = invoke(ws, "rank", "--year", "2024", "--level", "huyen")
    assert result.exit_code == 2 and "9999_future" in result.stderr
    assert path.read_bytes() == before
    assert not list((ws / "ket-qua").rglob("*.xlsx"))


def test_an_empty_or_missing_register_is_reported_not_recreated(ws):
    path = ws / ".danvan" / "register.sqlite"
    dossier(ws / "ho-so" / "2024", "Trần Văn Mới")
    path.unlink()
    path.write_bytes(b"")
    result = invoke(ws, "rank", "--year", "2024", "--level", "huyen")
    assert result.exit_code == 2 and path.read_bytes() == b""
    path.unlink()
    result = invoke(ws, "rank", "--year", "2024", "--level", "huyen")
    assert result.exit_code == 2 and not path.exists()


def test_the_proposals_migration_is_named_and_in_order():
    names = [name for name, _ in MIGRATIONS]
    assert names[:4] == [
        "0001_initial",
        "0002_candidate_spelling_year",
        "0003_plain_state",
        "0004_proposals",
    ]


# -- the council workbook cannot be forged -----------------------------------------------


def _year(ws: Path) -> Path:
    folder = ws / "ho-so" / "2024"
    for i in range(4):
        dossier(folder, f"Tập thể {i}", kind="collective", unit=f"xã {i}", drop=i * 0.25)
    for i in range(3):
        dossier(folder, f"Cá nhân {i}", unit=f"thôn {i}", drop=i * 0.25)
    dossier(folder, "Không đạt", unit="xã 9", drop=20)
    assert invoke(ws, "rank", "--year", "2024", "--level", "huyen").exit_code == 1
    return ws / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024.xlsx"


def _recognize(ws: Path, book: Path, *extra: str):
    return invoke(ws, "recognize", str(book), "--decision", "5/QĐ", "--date", "20/09/2024", *extra)


def _count(ws: Path) -> int:
    with Register.open(ws / ".danvan" / "register.sqlite") as reg:
        return len(reg.recognitions())


def _sha(ws: Path, name: str) -> str:
    data = json.loads(
        invoke(ws, "rank", "--year", "2024", "--level", "huyen", "--format", "json").stdout
    )
    return next(c["sha256"] for c in data["candidates"] if c["name"] == name)


def test_a_pasted_sha_of_an_ineligible_dossier_is_refused(ws, tmp_path):
    made = _year(ws)
    bad = _sha(ws, "Không đạt")
    book = _mark(made, {"Cá nhân 0": "Đồng ý"}, tmp_path / "hd.xlsx", resort=False)
    wb = openpyxl.load_workbook(book)
    sheet = wb["Cá nhân"]
    header = next(r for r in range(1, 15) if sheet.cell(r, 1).value == "Hạng")
    cols = {c.value: c.column for c in sheet[header]}
    for row in range(header + 1, sheet.max_row + 1):
        if sheet.cell(row, cols["Quyết định của Hội đồng"]).value == "Đồng ý":
            sheet.cell(row, cols["Mã hồ sơ (SHA-256)"], bad)
            where = sheet.cell(row, cols["Quyết định của Hội đồng"]).coordinate
    wb.save(book)
    result = _recognize(ws, book)
    assert result.exit_code == 2 and where in result.stderr, result.output
    assert _count(ws) == 0


def test_a_level_edited_on_the_inputs_sheet_is_refused(ws, tmp_path):
    made = _year(ws)
    book = _mark(made, {"Tập thể 0": "Đồng ý"}, tmp_path / "hd.xlsx")
    wb = openpyxl.load_workbook(book)
    sheet = wb["Dữ liệu đầu vào"]
    for row in sheet.iter_rows():
        if row[0].value == "Cấp":
            row[1].value = "tinh"
    wb.save(book)
    result = _recognize(ws, book)
    assert result.exit_code == 2, result.output
    assert _count(ws) == 0
    assert invoke(ws, "rank", "--year", "2024", "--level", "tinh").exit_code in (0, 1)
    result = _recognize(
        ws, book
    )  # now a province ranking exists: "Tập thể 0" is not eligible there
    assert result.exit_code == 2, result.output
    assert _count(ws) == 0


def test_rows_moved_to_the_other_kinds_sheet_are_refused(ws, tmp_path):
    made = _year(ws)
    book = _mark(made, {}, tmp_path / "hd.xlsx")
    wb = openpyxl.load_workbook(book)
    src, dst = wb["Tập thể"], wb["Cá nhân"]
    header = next(r for r in range(1, 15) if src.cell(r, 1).value == "Hạng")
    cols = {c.value: c.column for c in src[header]}
    last = dst.max_row
    for i, row in enumerate(src.iter_rows(min_row=header + 1, values_only=True)):
        if row[cols["Tên"] - 1]:
            dst.cell(last + 1 + i, cols["Quyết định của Hội đồng"], "Đồng ý")
            dst.cell(last + 1 + i, cols["Mã hồ sơ (SHA-256)"], row[cols["Mã hồ sơ (SHA-256)"] - 1])
    wb.save(book)
    result = _recognize(ws, book)
    assert result.exit_code == 2 and "Cá nhân!" in result.stderr, result.output
    assert _count(ws) == 0


def test_concurrent_recognize_runs_never_exceed_the_quota(ws, tmp_path):
    folder = ws / "ho-so" / "2024"
    for i in range(6):
        dossier(folder, f"Tập thể {i}", kind="collective", unit=f"xã {i}", drop=i * 0.25)
    assert invoke(ws, "rank", "--year", "2024", "--level", "huyen").exit_code == 0
    made = ws / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024.xlsx"
    first = _mark(made, {f"Tập thể {i}": "Đồng ý" for i in (0, 1, 2)}, tmp_path / "a.xlsx")
    second = _mark(made, {f"Tập thể {i}": "Đồng ý" for i in (3, 4, 5)}, tmp_path / "b.xlsx")
    for attempt in range(3):
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "danvan_cli",
                    "recognize",
                    str(book),
                    "--decision",
                    f"{attempt}-{i}/QĐ",
                    "--date",
                    "20/09/2024",
                    "--workspace",
                    str(ws),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            for i, book in enumerate((first, second))
        ]
        codes = sorted(p.wait(timeout=120) for p in procs)
        assert _count(ws) == 3, attempt  # one of the two won, the other was over the quota
        assert codes[0] == 0
        with Register.open(ws / ".danvan" / "register.sqlite") as reg:
            reg.conn.execute("DELETE FROM recognitions")


# -- fuzzing the gate against the reader -------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from danvan_cli.read.gate import check_bytes  # noqa: E402
from danvan_cli.read.grid import read_book  # noqa: E402
from danvan_cli.read.limits import MAX_CELLS, MAX_COLS, MAX_ROWS, FileProblem  # noqa: E402

FUZZ = int(os.environ.get("DANVAN_FUZZ_EXAMPLES", "40"))
_COLS = ["A", "Z", "AN", "IV", "IW", "ZZ", "XFD", "xfd", "a"]
_ROWS = [1, 2, 500, 4999, 5000, 5001, 65536, 1048576]


@st.composite
def sheet_xml(draw: st.DrawFn) -> bytes:
    """A worksheet part written as any XML writer might: quotes, prefixes, whitespace, cells
    with or without r, rows with or without r."""
    prefix = draw(st.sampled_from(["", "x", "main"]))
    p = f"{prefix}:" if prefix else ""
    space = draw(st.sampled_from([" ", "\t", "\n", "  \r\n "]))
    quote = draw(st.sampled_from(['"', "'"]))
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        cells = []
        for _ in range(draw(st.integers(0, 4))):
            ref = ""
            if draw(st.booleans()):
                ref = f"{space}r{draw(st.sampled_from(['', ' ']))}={quote}{draw(st.sampled_from(_COLS))}{draw(st.sampled_from(_ROWS))}{quote}"
            value = draw(st.sampled_from(["<{p}v>1</{p}v>", "", "<{p}is><{p}t>x</{p}t></{p}is>"]))
            kind = f"{space}t={quote}inlineStr{quote}" if "is>" in value else ""
            cells.append(f"<{p}c{ref}{kind}>{value.format(p=p)}</{p}c>")
        row_ref = (
            f"{space}r={quote}{draw(st.sampled_from(_ROWS))}{quote}" if draw(st.booleans()) else ""
        )
        rows.append(f"<{p}row{row_ref}>{''.join(cells)}</{p}row>")
    repeat = draw(st.integers(1, 3))
    ns = f'xmlns:{prefix}="{hostile.MAIN}"' if prefix else f'xmlns="{hostile.MAIN}"'
    body = "".join(rows) * repeat
    return f"<{p}worksheet {ns}><{p}sheetData>{body}</{p}sheetData></{p}worksheet>".encode()


@settings(max_examples=FUZZ, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(xml=sheet_xml(), sheets=st.integers(1, 3))
def test_what_the_gate_lets_through_the_reader_reads_within_the_budgets(xml, sheets):
    """The property that matters: a file the gate accepts is one calamine (also in its
    second reading of a sheet it refused) reads within the limits the gate promised."""
    data = hostile._workbook_with_sheets(sheets, "")
    names = [
        n
        for n in zipfile.ZipFile(__import__("io").BytesIO(data)).namelist()
        if "worksheets/sheet" in n
    ]
    data = hostile._rezip(data, {n: xml for n in names})
    try:
        book = check_bytes(data)
    except FileProblem:
        return
    try:
        grids = read_book(book)
    except FileProblem:
        return
    assert sum(len(g.rows) * max((len(r) for r in g.rows), default=0) for g in grids) <= MAX_CELLS
    for g in grids:
        assert len(g.rows) <= MAX_ROWS
        assert all(len(r) <= MAX_COLS for r in g.rows)


def _offsets(data: bytes, header: bytes) -> list[int]:
    out, at = [], data.find(header)
    while at >= 0:
        out.append(at)
        at = data.find(header, at + 1)
    return out


XLS = (FIXTURES / "tt-01-hoi-nong-dan-van-thang.xls").read_bytes()
XLS_CELLS = _offsets(XLS, b"\xfd\x00\x0a\x00") + _offsets(XLS, b"\x03\x02\x0e\x00")
XLS_DIMS = _offsets(XLS, b"\x00\x02\x0e\x00")


@settings(max_examples=FUZZ, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    moves=st.lists(
        st.tuples(
            st.sampled_from(XLS_CELLS),
            st.sampled_from([0, 1, 4999, 5000, 65535]),
            st.sampled_from([0, 1, 255, 256, 0xFFFF]),
        ),
        max_size=4,
    ),
    dims=st.one_of(st.none(), st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))),
)
def test_an_xls_the_gate_lets_through_is_read_within_the_budgets(moves, dims):
    import struct

    data = bytearray(XLS)
    for at, row, col in moves:
        struct.pack_into("<HH", data, at + 4, row, col)
    if dims is not None and XLS_DIMS:
        struct.pack_into("<II", data, XLS_DIMS[0] + 4, *dims)
    try:
        grids = read_book(check_bytes(bytes(data)))
    except FileProblem:
        return
    assert sum(len(g.rows) * max((len(r) for r in g.rows), default=0) for g in grids) <= MAX_CELLS
    assert all(len(g.rows) <= MAX_ROWS and all(len(r) <= MAX_COLS for r in g.rows) for g in grids)


ODS = (FIXTURES / "cn-05-vo-thi-kim-lien.ods").read_bytes()


@settings(max_examples=FUZZ, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from([1, 2, 100, 4999, 5001, 1_000_000]),
            st.sampled_from([1, 2, 255, 257, 16384]),
            st.sampled_from(["", 'office:value-type="float" office:value="1"', "text"]),
        ),
        max_size=4,
    )
)
def test_an_ods_the_gate_lets_through_is_read_within_the_budgets(rows):
    content = zipfile.ZipFile(__import__("io").BytesIO(ODS)).read("content.xml")
    extra = b""
    for repeat, cols, value in rows:
        inner = "<text:p>x</text:p>" if value == "text" else ""
        attrs = "" if value == "text" else value
        extra += (
            f'<table:table-row table:number-rows-repeated="{repeat}"><table:table-cell '
            f'table:number-columns-repeated="{cols}" {attrs}>{inner}</table:table-cell>'
            "</table:table-row>"
        ).encode()
    at = content.index(b"<table:table-row")  # before the dossier's own rows
    data = hostile._rezip(ODS, {"content.xml": content[:at] + extra + content[at:]})
    try:
        grids = read_book(check_bytes(data))
    except FileProblem:
        return
    assert sum(len(g.rows) * max((len(r) for r in g.rows), default=0) for g in grids) <= MAX_CELLS
    assert all(len(g.rows) <= MAX_ROWS and all(len(r) <= MAX_COLS for r in g.rows) for g in grids)


def test_the_self_attack_variants_get_their_findings(tmp_path):
    variants = hostile.attack_variants()
    for name, (data, _) in variants.items():
        (tmp_path / name).write_bytes(data)
    runs = hostile.validate_each([tmp_path / name for name in sorted(variants)])
    for name, (_, expected) in sorted(variants.items()):
        run = runs[name]
        assert "Traceback" not in str(run["stderr"]), (name, run["stderr"])
        assert _codes(str(run["stdout"]))[name] == [expected], (name, str(run["stdout"])[:400])
        seconds, peak = float(run["seconds"]), float(run["peak"])
        assert seconds < 10 and peak < 300, (name, seconds, peak)


def test_a_ranking_made_under_another_plan_or_year_is_refused(ws, tmp_path):
    made = _year(ws)
    book = _mark(made, {"Tập thể 0": "Đồng ý"}, tmp_path / "hd.xlsx")
    wb = openpyxl.load_workbook(book)
    for row in wb["Dữ liệu đầu vào"].iter_rows():
        if row[0].value == "Năm":
            row[1].value = 2023
    wb.save(tmp_path / "nam-khac.xlsx")
    result = _recognize(ws, tmp_path / "nam-khac.xlsx")
    assert result.exit_code == 2 and _count(ws) == 0, result.output
    plan = ws / "ke-hoach.yaml"
    bundled = ROOT / "rubrics" / "van-ninh-2023.yaml"
    plan.write_text(bundled.read_text(encoding="utf-8") + "\n# sửa sau khi xét\n", encoding="utf-8")
    for name in ("collective.yaml", "individual.yaml"):
        (ws / name).write_bytes((ROOT / "rubrics" / name).read_bytes())
    config = (ws / "danvan.yaml").read_text(encoding="utf-8")
    (ws / "danvan.yaml").write_text(
        "\n".join(
            "plan: ke-hoach.yaml" if line.startswith("plan:") else line
            for line in config.splitlines()
        )
        + "\n",
        encoding="utf-8",
    )
    result = _recognize(ws, book)
    assert result.exit_code == 2 and "danvan rank" in result.stderr, result.output
    assert _count(ws) == 0


def test_a_report_over_a_link_to_a_dossier_is_refused(tmp_path):
    path = write(tmp_path / "a.xlsx", spec())
    other = write(tmp_path / "b.xlsx", spec(**{"Tên tập thể": "Hội khác"}))
    link = tmp_path / "bao-cao.xlsx"
    link.symlink_to(other)
    before = other.read_bytes()
    result = runner.invoke(app, ["validate", str(path), "--report", str(link)])
    assert result.exit_code == 2 and other.read_bytes() == before
