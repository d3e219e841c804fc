"""Hostile inputs, round 4: the gate reads the zip and the markup exactly as python-calamine
will (the zip crate's names and end record, quick-xml's names and tags), in time linear in
the part; value parsers look at short texts only; nothing is read that the gate did not
bound. Every case runs through the CLI, timed and measured like tests/test_hostile.py."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

import hostile
import pytest
from test_hostile import cli, findings

from builders import spec, write
from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="module")
def round4() -> dict[str, tuple[bytes, str | None]]:
    return hostile.round_four(FIXTURES)


def _file_codes(stdout: str) -> dict[str, list[str]]:
    data = json.loads(stdout)
    return {Path(f["path"]).name: [x["code"] for x in f["findings"]] for f in data["files"]}


@pytest.mark.xdist_group("subprocesses")
def test_every_round_four_file_gets_its_finding_in_seconds(round4, tmp_path):
    for name, (data, _) in round4.items():
        (tmp_path / name).write_bytes(data)
    runs = hostile.validate_each([tmp_path / name for name in sorted(round4)])
    for name, run in sorted(runs.items()):
        stderr = str(run["stderr"])
        assert "Traceback" not in stderr and "panick" not in stderr, (name, stderr)
        codes = _file_codes(str(run["stdout"]))[name]
        expected = round4[name][1]
        if expected is None:  # read as the dossier it is
            assert not [c for c in codes if c.startswith("file.")], (name, codes)
        else:
            assert codes == [expected], (name, codes)
        assert float(run["seconds"]) < 2, (name, run["seconds"])
        assert float(run["peak"]) < 300, (name, run["peak"])


@pytest.mark.xdist_group("subprocesses")
def test_a_batch_of_round_four_files_still_validates_its_good_dossier(round4, tmp_path):
    folder = tmp_path / "lo"
    folder.mkdir()
    for name, (data, _) in round4.items():
        (folder / name).write_bytes(data)
    write(folder / "a-hop-le.xlsx", spec())
    done, elapsed, peak = cli("validate", str(folder), "--format", "json", timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    found = findings(done)
    assert found.pop("a-hop-le.xlsx") == []
    for name, (_, expected) in round4.items():
        if expected is not None:
            assert found[name] == [expected], (name, found[name])
    assert elapsed < 30 and peak < 300, (elapsed, peak)


def _gate_seconds(data: bytes) -> float:
    from danvan_cli.read.gate import check_bytes
    from danvan_cli.read.limits import FileProblem

    started = time.perf_counter()
    with contextlib.suppress(FileProblem):
        check_bytes(data)
    return time.perf_counter() - started


MARKUP_ATTACKS = {
    "pi": b"<?x>",
    "pi-closed-later": b"<?x>",  # one "?>" at the very end: one PI, read once
    "end-tag": b"</x",
    "comment": b"<!--",
    "cdata": b"<![CDATA[",
    "declaration": b"<!x",
    "quote": b'<a b="',
    "single-quote": b"<a b='",
    "lt-run": b"<a",
    "name-letters": b"a",  # one "<" and letters: a name that never ends
    "attr-letters": b" b",
    "slashes": b"/",
    "colons": b":",
    "bangs": b"!",
    "equals": b"=",
}


@pytest.mark.parametrize("name", sorted(MARKUP_ATTACKS))
@pytest.mark.parametrize("part", ["sheet", "sheet-parsed", "rels", "strings", "styles"])
def test_the_gate_is_linear_in_adversarial_markup(name, part):
    """Half a megabyte of one adversarial pattern in each kind of part the gate parses ends
    in well under a second (a quadratic walk takes minutes)."""
    unit = MARKUP_ATTACKS[name]
    body = unit * (500_000 // len(unit))
    if name in ("name-letters", "attr-letters", "slashes", "colons", "bangs", "equals"):
        body = b"<x" + body
    if name == "pi-closed-later":
        body += b"?>"
    if part == "sheet-parsed":  # a comment: the parser reads the sheet, not the fast path
        body = b"<!-- -->" + body
    where = {
        "sheet": hostile.SHEET1,
        "sheet-parsed": hostile.SHEET1,
        "rels": hostile.WORKBOOK_RELS,
        "strings": "xl/sharedStrings.xml",
        "styles": "xl/styles.xml",
    }[part]
    data = hostile._sample_part(where, _part_with(where, body, at_end=name in AT_END))
    assert _gate_seconds(data) < 1.0


AT_END = {"name-letters", "attr-letters", "quote", "single-quote"}  # nothing after: no ">"


def _part_with(name: str, junk: bytes, at_end: bool = False) -> bytes:
    import io
    import zipfile

    data = hostile.SAMPLE.read_bytes()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    if name not in names:
        head = b'<?xml version="1.0"?><sst count="1" uniqueCount="1"><si><t>x</t></si>'
        return head + junk if at_end else head + junk + b"</sst>"
    part = zipfile.ZipFile(io.BytesIO(data)).read(name)
    if at_end:
        return part + junk
    at = part.rindex(b"</")
    return part[:at] + junk + part[at:]


def test_a_spilled_score_is_named_and_the_copy_holds_only_what_the_gate_read(tmp_path, config):
    import io
    import zipfile

    import openpyxl
    from test_hostile import _patch_cell

    from danvan_cli.read.gate import check, known_errors_copy
    from danvan_cli.validate.run import validate_file

    path = write(tmp_path / "d.xlsx", spec())
    cell = next(
        f"D{r}"
        for r in range(1, 60)
        if openpyxl.load_workbook(path).active[f"A{r}"].value in ("03", 3, "3")
    )
    spill = f'<c r="{cell}" t="e"><f>_xlfn.SEQUENCE(3)</f><v>#SPILL!</v></c>'
    _patch_cell(path, cell, spill.encode())
    found = validate_file(path, config).findings
    error = next(f for f in found if f.code == "score.formula_error")
    assert error.cell == cell and "#SPILL!" in error.message("vi")
    book = check(path)
    names = zipfile.ZipFile(io.BytesIO(known_errors_copy(book))).namelist()
    assert set(names) <= set(book.parts) and "docProps/core.xml" not in names
    assert "[Content_Types].xml" not in names


LONG_VALUES = [
    ": " * 50_000 + "x",
    "*" * 100_000 + "y",
    " :" * 50_000,
    "：" * 100_000 + "z",
    "(" * 50_000,
    "(*) " * 30_000 + "x",
    "1" + " " * 100_000 + "x",
    "a" + " " * 100_000 + ".",
    "1" * 100_000 + "/",
    "số " * 30_000,
    "ngày " * 20_000 + "1 tháng 2 năm 2024",
    "- " * 50_000,
]


@pytest.mark.parametrize("text", LONG_VALUES, ids=range(len(LONG_VALUES)))
def test_text_and_value_parsers_are_linear_in_a_long_cell(text):
    """A cell of 100,000 characters costs each parser one scan (a03: fold's trailing
    pattern took 7 s on 30,000; the numbering pattern was quadratic on runs of spaces)."""
    from danvan_cli.read import layout, parse
    from danvan_cli.text.near import near
    from danvan_cli.text.normalize import fold, words

    started = time.perf_counter()
    fold(text)
    words(text)
    layout._is_numbering(text)
    near(text, text + "a")
    for parser in (
        parse.paper_mark,
        parse.to_date,
        parse.to_money,
        parse.flag_of,
        parse.to_decimal,
        parse.to_code,
        parse.to_year,
        parse.kind_of,
        parse.gender_of,
        parse.percent_of,
        parse.mark_date,
    ):
        parser(text)
    assert time.perf_counter() - started < 1.0


def test_a_value_too_long_to_be_a_mark_is_no_mark():
    from danvan_cli.read import parse

    assert parse.paper_mark("x" + " " * 300) is True  # spaces around a mark are nothing
    assert parse.paper_mark("Có " + "rất " * 100) is None
    assert parse.to_date("15/02/2024" + " " * 500) is not None  # only spaces around it
    assert parse.to_date("15/02/2024 " + "và " * 100) is None
    assert parse.flag_of("Có" + "." * 300) is None


# -- 7: the commands that read one workbook in passing ------------------------------------


@pytest.fixture
def ws(tmp_path) -> Path:
    from test_award import runner

    from danvan_cli.cli import app

    root = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(root)]).exit_code == 0
    return root


def _pi_council(ws: Path, tmp_path: Path) -> Path:
    import io
    import zipfile

    from test_hostile import _year

    ranking = _year(ws)
    data = ranking.read_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    book = tmp_path / "hoi-dong-pi.xlsx"
    book.write_bytes(hostile._rezip(data, {"xl/worksheets/sheet1.xml": sheet + b"<?x>" * 150_000}))
    return book


@pytest.mark.xdist_group("subprocesses")
def test_recognize_refuses_a_hostile_council_workbook_in_seconds(ws, tmp_path):
    book = _pi_council(ws, tmp_path)
    args = ("recognize", str(book), "--decision", "5/QĐ", "--date", "20/09/2024")
    done, elapsed, peak = cli(*args, "--workspace", str(ws))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "hoi-dong-pi.xlsx" in done.stderr
    assert elapsed < 5 and peak < 300, (elapsed, peak)


ABORT_READ = (
    "import os, sys\n"
    "import danvan_cli.read.grid as grid\n"
    "real = grid._read_grids\n"
    "def boom(path):\n"
    "    if 'boom' in path.name:\n"
    "        os.abort()\n"
    "    return real(path)\n"
    "grid._read_grids = boom\n"
)


@pytest.mark.xdist_group("subprocesses")
def test_a_reader_dying_on_a_council_or_history_workbook_costs_that_read(ws, tmp_path):
    """recognize and history import read their workbook in a process of its own: a native
    reader that aborts there is a refusal naming the file, never a dead command."""
    from test_hostile import MAIN, _count, _year

    ranking = _year(ws)
    book = tmp_path / "boom-hoi-dong.xlsx"
    book.write_bytes(ranking.read_bytes())
    args = ("recognize", str(book), "--decision", "5/QĐ", "--date", "20/09/2024")
    done, elapsed, _ = cli(*args, "--workspace", str(ws), code=ABORT_READ + MAIN)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "boom-hoi-dong.xlsx" in done.stderr and elapsed < 10
    assert _count(ws) == 0
    history = tmp_path / "boom-lich-su.xlsx"
    history.write_bytes(ranking.read_bytes())
    done, _, _ = cli(
        "history", "import", str(history), "--workspace", str(ws), code=ABORT_READ + MAIN
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "boom-lich-su.xlsx" in done.stderr


# -- 11: a paper's kind is read within bounds -------------------------------------------


def test_a_huge_file_where_a_paper_goes_is_not_read(tmp_path):
    from danvan_cli.read.recognise import paper_kind

    sparse = tmp_path / "to-trinh.docx"
    with sparse.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(6 << 30)  # 6 GB, sparse
    started = time.perf_counter()
    assert paper_kind(sparse) is None
    assert time.perf_counter() - started < 0.5


@pytest.mark.xdist_group("subprocesses")
def test_papers_write_over_a_sparse_6gb_docx_is_refused_small(demo_copy, tmp_path):
    out = tmp_path / "giay-to"
    out.mkdir()
    target = out / "to-trinh-huyen-2024.docx"
    with target.open("wb") as fh:
        fh.truncate(6 << 30)
    args = ("papers", "write", "to-trinh", "--year", "2024", "-o", str(out))
    done, elapsed, peak = cli(*args, "--workspace", str(demo_copy))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert target.stat().st_size == 6 << 30  # left as it was
    assert elapsed < 10 and peak < 300, (elapsed, peak)


# -- 12: what a presence mark may hold -------------------------------------------------


@pytest.mark.parametrize(
    ("mark", "present", "unknown"),
    [
        ("có nhưng kg hợp lệ", False, True),
        ("có - chờ ký", False, True),
        ("có thể", False, True),
        ("12/QĐ-UBND (đã bị bãi bỏ)", False, True),
        ("x (bản photo, k hợp lệ)", False, True),
        ("có nhưng bị loại", False, True),
        ("1 bản (hỏng)", False, True),
        ("Có bản chính", False, True),
        ("Có, 2 bản", True, False),
        ("x (12/QĐ-UBND)", True, False),
        ("Quyết định số 12/QĐ-UBND ngày 15/6/2024", True, False),
        ("02 bộ", True, False),
        ("Có.", True, False),
    ],
)
def test_a_paper_is_present_only_with_a_mark_made_of_presence_alone(
    tmp_path, config, mark, present, unknown
):
    """Anything beyond a plain presence mark (copies, a document's number, a date) makes a
    mark danvan does not understand: taken as absent, named (a13)."""
    from builders import PAPERS
    from danvan_cli.validate.run import validate_file

    papers = list(PAPERS)
    papers[1] = (papers[1][0], mark)
    s = spec()
    s.papers = papers
    result = validate_file(write(tmp_path / "d.xlsx", s), config)
    codes = [f.code for f in result.findings]
    assert ("document.missing" in codes) is not present, codes
    assert ("document.mark_unknown" in codes) is unknown, codes


# -- 13: no output among received dossiers, wherever the command runs from ------------------


def test_a_report_into_a_workspaces_dossiers_is_refused_from_outside(ws, tmp_path, monkeypatch):
    from test_award import runner

    from danvan_cli.cli import app

    folder = ws / "ho-so" / "2024"
    folder.mkdir(parents=True, exist_ok=True)
    dossier = write(folder / "a.xlsx", spec())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("DANVAN_WORKSPACE", raising=False)
    before = sorted(p.name for p in folder.iterdir())
    for target in (folder / "bao-cao.xlsx", ws / "ho-so" / "bao-cao.xlsx"):
        result = runner.invoke(app, ["validate", str(dossier), "--report", str(target)])
        assert result.exit_code == 2, result.output
        assert "ho-so" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == before
    assert not (ws / "ho-so" / "bao-cao.xlsx").exists()
    result = runner.invoke(app, ["validate", str(dossier), "--report", str(tmp_path / "bc.xlsx")])
    assert result.exit_code in (0, 1) and (tmp_path / "bc.xlsx").exists(), result.output


@pytest.mark.xdist_group("subprocesses")
def test_the_self_attack_on_round_four_gets_its_findings(tmp_path):
    variants = hostile.round_four_attacks()
    for name, (data, _) in variants.items():
        (tmp_path / name).write_bytes(data)
    runs = hostile.validate_each([tmp_path / name for name in sorted(variants)])
    for name, run in sorted(runs.items()):
        assert "Traceback" not in str(run["stderr"]), (name, run["stderr"])
        codes = _file_codes(str(run["stdout"]))[name]
        expected = variants[name][1]
        if expected is None:
            assert not [c for c in codes if c.startswith("file.")], (name, codes)
        else:
            assert codes == [expected], (name, codes)
        assert float(run["seconds"]) < 2 and float(run["peak"]) < 300, name
