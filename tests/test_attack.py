"""Round 3: the variants an independent review found against the round-2 guards, each kept
as a test (reproducers of /tmp/attack, rebuilt here)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.packaging.custom import StringProperty
from typer.testing import CliRunner

from conftest import SAMPLES, mark_council
from danvan_cli.cli import app

runner = CliRunner()


def invoke(ws: Path, *args: str):
    return runner.invoke(app, [*args, "--workspace", str(ws)])


def _entries(data: bytes) -> list[tuple[str, bytes]]:
    z = zipfile.ZipFile(io.BytesIO(data))
    return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def _zip(items: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in items:
            zf.writestr(zipfile.ZipInfo(name, (2024, 9, 1, 8, 0, 0)), body)
    return out.getvalue()


def _marked(src: Path) -> bytes:
    """A unit's dossier carrying danvan's output property (copied from a danvan workbook)."""
    wb = openpyxl.load_workbook(src)
    wb.custom_doc_props.append(StringProperty(name="danvan-output", value="ranking"))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _variants() -> dict[str, bytes]:
    data = _marked(SAMPLES / "2024" / "tt-07-hoi-phu-nu-van-phuoc.xlsx")
    items = _entries(data)
    custom = dict(items)["docProps/custom.xml"]
    body = custom.split(b"?>", 1)[1] if b"?>" in custom else custom
    return {
        # a DOCTYPE in the properties: the gate refuses the file (validated, file.unsafe)
        "v16.xlsx": _zip(
            [
                (
                    n,
                    b'<?xml version="1.0"?><!DOCTYPE x>' + body
                    if n == "docProps/custom.xml"
                    else b,
                )
                for n, b in items
            ]
        ),
        # the part under another case of its name
        "v17.xlsx": _zip(
            [("docProps/Custom.xml" if n == "docProps/custom.xml" else n, b) for n, b in items]
        ),
        # the properties padded past any small read limit
        "v18.xlsx": _zip(
            [
                (
                    n,
                    b.replace(b"</Properties>", b" " * 300_000 + b"</Properties>")
                    if n == "docProps/custom.xml"
                    else b,
                )
                for n, b in items
            ]
        ),
    }


@pytest.fixture
def ranked(tmp_path) -> Path:
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(ws)]).exit_code == 0
    folder = ws / "ho-so" / "2024"
    folder.mkdir(parents=True)
    for name in ("tt-01-hoi-nong-dan-van-thang.xlsx", "tt-02-mttq-van-phu.xlsx"):
        shutil.copy(SAMPLES / "2024" / name, folder / name)
    for name, data in _variants().items():
        (folder / name).write_bytes(data)
    assert invoke(ws, "rank", "--year", "2024", "--level", "huyen").exit_code in (0, 1)
    return ws


def test_validation_and_the_council_check_agree_on_what_is_danvans_own(ranked, tmp_path):
    """F7: a unit's file that validation takes for a dossier (or skips as danvan's) is taken
    the same way when recognize checks that the ranking's inputs are unchanged."""
    made = ranked / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024.xlsx"
    marked = mark_council(made, {"Hội Nông dân xã Vạn Thắng": "Đồng ý"}, tmp_path / "hd.xlsx")
    done = invoke(ranked, "recognize", str(marked), "--decision", "1/QĐ", "--date", "20/09/2024")
    assert done.exit_code == 0, done.output
    assert "Hội Nông dân xã Vạn Thắng" in done.stderr


def test_validate_report_never_overwrites_another_danvan_output(ranked, tmp_path):
    """F8: --report replaces only an earlier rejection report, not a ranking the council
    marked nor a paper."""
    made = ranked / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024.xlsx"
    marked = mark_council(made, {"Hội Nông dân xã Vạn Thắng": "Đồng ý"}, tmp_path / "hd.xlsx")
    paper = next((ranked / "ket-qua" / "2024").glob("*.docx"))
    dossier = SAMPLES / "2024" / "tt-01-hoi-nong-dan-van-thang.xlsx"
    for target in (marked, paper):
        before = target.read_bytes()
        done = runner.invoke(app, ["validate", str(dossier), "--report", str(target)])
        assert done.exit_code == 2 and target.read_bytes() == before, done.output
    report = tmp_path / "bao-cao.xlsx"
    assert runner.invoke(app, ["validate", str(dossier), "--report", str(report)]).exit_code == 0
    assert runner.invoke(app, ["validate", str(dossier), "--report", str(report)]).exit_code == 0


def _rename_sheets(data: bytes, renames: list[tuple[str, str]]) -> bytes:
    items = []
    for name, body in _entries(data):
        if name == "xl/workbook.xml":
            for old, new in renames:
                body = body.replace(f'name="{old}"'.encode(), f'name="{new}"'.encode(), 1)
        items.append((name, body))
    return _zip(items)


def test_a_hidden_twin_or_a_retyped_council_sheet_is_never_read_silently(ranked, tmp_path):
    """F9: the visible sheet retyped in NFD with a hidden NFC twin carrying other marks is
    refused; the sheet retyped in NFD alone is read (its decisions are not dropped)."""
    import unicodedata

    made = ranked / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024.xlsx"
    marked = mark_council(made, {"Hội Nông dân xã Vạn Thắng": "Đồng ý"}, tmp_path / "hd.xlsx")
    wb = openpyxl.load_workbook(marked)
    twin = wb.copy_worksheet(wb["Tập thể"])
    twin.title = "TWIN"
    twin.sheet_state = "veryHidden"
    out = io.BytesIO()
    wb.save(out)
    nfd = unicodedata.normalize("NFD", "Tập thể")
    both = tmp_path / "twin.xlsx"
    both.write_bytes(_rename_sheets(out.getvalue(), [("Tập thể", nfd), ("TWIN", "Tập thể")]))
    done = invoke(ranked, "recognize", str(both), "--decision", "1/QĐ", "--date", "20/09/2024")
    assert done.exit_code == 2 and "hai trang tính cùng tên" in done.stderr, done.output
    alone = tmp_path / "nfd.xlsx"
    alone.write_bytes(_rename_sheets(marked.read_bytes(), [("Tập thể", nfd)]))
    done = invoke(ranked, "recognize", str(alone), "--decision", "1/QĐ", "--date", "20/09/2024")
    assert done.exit_code == 0 and "Hội Nông dân xã Vạn Thắng" in done.stderr, done.output


@pytest.mark.parametrize(
    "mark",
    ["Sẽ nộp sau 15/10/2024", "Nộp bổ sung trước 30/9", "Hẹn 2 tuần nữa", "Đã mất 1 bản"],
)
def test_a_promise_or_a_loss_with_a_number_is_no_paper(mark, tmp_path, config):
    """F10: a digit is not a presence mark; a document number or a date is."""
    from builders import PAPERS, spec, write
    from danvan_cli.validate.run import validate_file

    s = spec()
    s.papers = [(label, mark if i == 0 else m) for i, (label, m) in enumerate(PAPERS)]
    result = validate_file(write(tmp_path / "d.xlsx", s), config)
    codes = {f.code for f in result.findings}
    assert not result.valid and {"document.missing", "document.mark_unknown"} <= codes


def test_long_names_are_not_near_matched_and_cost_nothing():
    """F12: near matching is for names of a few dozen letters; 20,000 letters used 1.6 GB."""
    import time

    from danvan_cli.config.load import load_config
    from danvan_cli.text.near import NearMatcher

    class C:
        def __init__(self, i: int, name: str) -> None:
            self.id, self.kind, self.name, self.unit = i, "collective", name, "xã A"

    long = "".join(chr(0x61 + (i * 7) % 26) for i in range(20_000))
    started = time.monotonic()
    matcher = NearMatcher([C(1, long), C(2, long[:-1] + "z")], load_config().plan.identity())
    assert matcher.matches("collective", long, "xã A", 1) == []
    assert time.monotonic() - started < 2
    short = NearMatcher([C(1, "Hội Phụ nữ xã A")], load_config().plan.identity())
    assert short.matches("collective", "Hội Phụ nũ xã A", "xã A") == [1]  # still near


def test_bidi_and_invisible_characters_never_reach_an_output(tmp_path, config):
    """F14: a right-to-left override in a name would reverse it on the printed certificate."""
    from builders import spec, write
    from danvan_cli.validate.run import validate_file

    s = spec(**{"Tên tập thể": "Hội Nông dân\u202e xã Vạn\u200b Thắng"})
    result = validate_file(write(tmp_path / "d.xlsx", s), config)
    assert result.name == "Hội Nông dân xã Vạn Thắng"


def test_no_file_of_a_folder_is_left_out_silently(tmp_path):
    """F13: a real dossier named "~$…" is validated (only Excel's small lock file is not); a
    file of another extension is named in a message."""
    folder = tmp_path / "lo"
    folder.mkdir()
    shutil.copy(
        SAMPLES / "2024" / "tt-01-hoi-nong-dan-van-thang.xlsx", folder / "~$ho-so-mttq.xlsx"
    )
    shutil.copy(SAMPLES / "2024" / "~$tt-01-hoi-nong-dan-van-thang.xlsx", folder / "~$lock.xlsx")
    shutil.copy(SAMPLES / "2024" / "tt-02-mttq-van-phu.xlsx", folder / "c.xltx")
    done = runner.invoke(app, ["validate", str(folder), "--format", "json"])
    import json

    names = [Path(f["path"]).name for f in json.loads(done.stdout)["files"]]
    assert names == ["~$ho-so-mttq.xlsx"]
    assert "c.xltx" in done.stderr and "~$lock.xlsx" not in done.stderr
