"""DESIGN §4: every command that changes the register leaves an audit row. A command that
refuses leaves the register exactly as it was (its writes are one transaction, rolled back);
one that goes through with a change writes its row in the same transaction. (A migration of
an older register is audited too: tests/test_register.py.)"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from docx import Document
from typer.testing import CliRunner

from conftest import dossier
from danvan_cli.cli import app
from danvan_cli.config.load import load_config
from danvan_cli.register.store import Register

runner = CliRunner()
TABLES = ("candidates", "dossiers", "recognitions", "holds", "proposals", "proposal_entries")


def state(ws: Path) -> dict[str, list[tuple]]:
    """Every row of the register but its audit log."""
    db = sqlite3.connect(ws / ".danvan" / "register.sqlite")
    try:
        return {t: sorted(map(tuple, db.execute(f"SELECT * FROM {t}"))) for t in TABLES}
    finally:
        db.close()


def audit(ws: Path) -> list[str]:
    with Register.open(ws / ".danvan" / "register.sqlite") as reg:
        return [r.command for r in reg.audit_rows()]


def invoke(ws: Path, *args: str):
    return runner.invoke(app, [*args, "--workspace", str(ws)])


def new_dossier(ws: Path, name: str = "Hồ Văn Mới") -> Path:
    """A dossier the register has never seen: pooling it records a candidate and a dossier."""
    return dossier(ws / "ho-so" / "2024", name, unit="Hội Phụ nữ xã Vạn Thắng", Năm=2024)


def refused(ws: Path, *args: str, key_text: str, code: int = 2) -> None:
    """The command refuses and the register is exactly as it was, audit included."""
    before, rows = state(ws), audit(ws)
    result = invoke(ws, *args)
    assert result.exit_code == code, result.output
    assert key_text in result.stderr, result.stderr
    assert state(ws) == before and audit(ws) == rows


def test_a_refused_rank_records_nothing(demo_copy):
    """rank stops on a workbook the council has typed into: the new dossier it validated is
    not recorded (it was: +candidate +dossier +proposal, no audit row)."""
    year = demo_copy / "ket-qua" / "2024"
    shutil.copy(
        year / "tong-hop-xet-chon-huyen-2024-hoi-dong.xlsx",
        year / "tong-hop-xet-chon-huyen-2024.xlsx",
    )
    new_dossier(demo_copy)
    refused(
        demo_copy, "rank", "--year", "2024", "--level", "huyen", key_text="Quyết định của Hội đồng"
    )


def test_a_refused_export_records_nothing(demo_copy):
    new_dossier(demo_copy)
    workbook = demo_copy / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024-hoi-dong.xlsx"
    refused(
        demo_copy,
        "export",
        "--for-province",
        "--decisions",
        str(workbook),
        key_text="đã thay đổi sau khi lập",  # checked after the pool was recorded
    )


def test_a_refused_recognize_records_nothing(demo_copy):
    """Over the quota: every collective the council could mark, marked."""
    import openpyxl

    from conftest import council_rows

    path = demo_copy / "ket-qua" / "2024" / "tong-hop-xet-chon-huyen-2024-hoi-dong.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Tập thể"]
    header, cols = council_rows(sheet)
    for r in range(header + 1, sheet.max_row + 1):
        if sheet.cell(r, cols["Mã hồ sơ (SHA-256)"]).value:
            sheet.cell(r, cols["Quyết định của Hội đồng"], "Đồng ý")
    book.save(path)
    refused(
        demo_copy,
        "recognize", str(path), "--decision", "999/QĐ-UBND", "--date", "21/09/2024",
        key_text="vượt chỉ tiêu", code=1,
    )  # fmt: skip


def test_papers_write_that_keeps_an_edited_paper_audits_what_it_recorded(demo_copy):
    paper = demo_copy / "ket-qua" / "2024" / "to-trinh-huyen-2024.docx"
    doc = Document(str(paper))
    doc.add_paragraph("sửa tay")
    doc.core_properties.modified = dt.datetime(2024, 9, 21)
    doc.save(str(paper))
    new_dossier(demo_copy)
    before, rows = state(demo_copy), audit(demo_copy)
    result = invoke(demo_copy, "papers", "write", "to-trinh", "--year", "2024")
    assert result.exit_code == 0 and "Giữ nguyên" in result.stderr, result.output
    assert state(demo_copy) != before  # the new dossier is recorded …
    assert audit(demo_copy) == [*rows, "papers write"]  # … and audited
    again = audit(demo_copy)
    assert invoke(demo_copy, "papers", "write", "to-trinh", "--year", "2024").exit_code == 0
    assert audit(demo_copy) == again  # nothing changed, nothing written: no row


def test_rekeying_holds_alone_is_audited(demo_copy):
    """A hold recorded under a key the plan no longer gives (its aliases changed since):
    the next command re-keys it, and says so in the audit log."""
    with Register.open(demo_copy / ".danvan" / "register.sqlite") as reg, reg.transaction():
        reg.add_hold(
            "individual",
            "Nguyễn Thị Hoa",
            "UBND xã Vạn Thắng",
            "individual|nguyễn thị hoa|ubnd xã vạn thắng",  # before "UBND" was an alias
            "discipline",
            "45/CV-UBKT",
            dt.date(2024, 8, 1),
        )
    rows = audit(demo_copy)
    assert invoke(demo_copy, "hold", "list").exit_code == 0
    with Register.open(demo_copy / ".danvan" / "register.sqlite") as reg:
        last = reg.audit_rows()[-1]
        (hold,) = reg.holds()
    assert audit(demo_copy)[: len(rows)] == rows
    assert (last.command, last.outputs) == ("rekey", {"candidates": 0, "holds": 1})
    assert hold.key == load_config().plan.identity().key(hold.kind, hold.name, hold.unit)
