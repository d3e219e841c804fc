"""The province proposal package: what goes in (award.package.contents), how it is written
(write.package.write_package: workbook, copies, manifest, atomic replace) and the use case
(usecases.export) with its refusals and audit row."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest

from builders import table_rows
from conftest import copy_of, drop_dossier, history, mark_council, register_of
from danvan_cli.award.package import MANIFEST, contents, council_choice
from danvan_cli.award.pool import build_pool
from danvan_cli.errors import OutputError, RuleError, UsageError
from danvan_cli.usecases.context import Context, workspace_context
from danvan_cli.usecases.export import export, latest_year, package_name
from danvan_cli.usecases.history import import_history
from danvan_cli.usecases.rank import rank
from danvan_cli.usecases.workspace import init
from danvan_cli.write import package as package_writer
from danvan_cli.write.document import NUMBER, dated
from danvan_cli.write.package import Enclosed, write_package

D2023 = ("2311/QĐ-UBND", dt.date(2023, 9, 22))
D2024 = ("123/QĐ-UBND", dt.date(2024, 9, 20))
WORKBOOK = "de-nghi-khen-thuong-cap-tinh-2024.xlsx"


@pytest.fixture(scope="module")
def district_year(tmp_path_factory) -> Path:
    """A district year done: five dossiers, four recognized in 2023 and 2024, one in 2024."""
    folder = tmp_path_factory.mktemp("year")
    workspace = workspace_context(init(folder / "ws").workspace.root)
    drop_dossier(workspace, "Tập thể Vạn Phú", kind="collective", unit="xã Vạn Phú")
    drop_dossier(workspace, "Cá nhân Một", unit="xã 1")
    drop_dossier(workspace, "Cá nhân Hai", drop=0.5, unit="xã 2")
    drop_dossier(workspace, "Cá nhân Ba", drop=1, unit="xã 3")
    drop_dossier(workspace, "Cá nhân Bốn", unit="xã 4")
    rows = []
    for name, kind, unit in [
        ("Tập thể Vạn Phú", "Tập thể", "xã Vạn Phú"),
        ("Cá nhân Một", "Cá nhân", "xã 1"),
        ("Cá nhân Hai", "Cá nhân", "xã 2"),
        ("Cá nhân Ba", "Cá nhân", "xã 3"),
    ]:
        rows += [
            (2023, "Huyện", kind, name, unit, D2023[0], "22/09/2023"),
            (2024, "Huyện", kind, name, unit, D2024[0], "20/09/2024"),
        ]
    rows.append((2024, "Huyện", "Cá nhân", "Cá nhân Bốn", "xã 4", D2024[0], "20/09/2024"))
    assert import_history(workspace, history(folder / "h.xlsx", rows)).added == 9
    return workspace.ws.root


@pytest.fixture
def year(district_year: Path, tmp_path: Path) -> Context:
    """The district year, the test's own copy."""
    return copy_of(district_year, tmp_path)


def package_of(ctx: Context, agreed: set[str] | None = None):
    with register_of(ctx) as reg:
        pool, _ = build_pool(ctx.ws, ctx.config, reg, 2024, ctx.config.plan.top_level)
        votes = None if agreed is None else dict.fromkeys(agreed, "Đồng ý")
        return contents(pool, reg, votes)


def names(members) -> list[str | None]:
    return [m.result.name for m in members]


def table(sheet, first: str) -> tuple[list, list[list]]:
    """A written table: its header row and the rows under it."""
    top = next(r for r in range(1, 20) if sheet.cell(r, 1).value == first)
    return [c.value for c in sheet[top]], table_rows(sheet, top)  # not the signature block


def manifest(folder: Path) -> list[list[str]]:
    with (folder / MANIFEST).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_contents_the_proposed_the_refused_and_both_years_decisions(year):
    package = package_of(year)
    assert package.level.id == "tinh" and package.years == [2023, 2024]
    assert package.papers == year.config.plan.level("tinh").papers
    assert names(p.member for p in package.proposals) == [
        "Tập thể Vạn Phú",
        "Cá nhân Một",
        "Cá nhân Hai",
    ]
    assert [p.copy_name for p in package.proposals] == [
        "ho-so/01-tap-the-tap-the-van-phu.xlsx",
        "ho-so/02-ca-nhan-ca-nhan-mot.xlsx",
        "ho-so/03-ca-nhan-ca-nhan-hai.xlsx",
    ]
    for p in package.proposals:
        assert p.decisions == {2023: D2023, 2024: D2024}
        # the district's own papers are not in a unit's dossier; its report is
        assert p.lacking == {"to-trinh", "bien-ban", "quyet-dinh-huyen"}
    # in contention (district-typical in 2024) but not proposed: the reserve and the R5 refusal
    assert {m.result.name: m.status for m in package.refused} == {
        "Cá nhân Ba": "reserve",
        "Cá nhân Bốn": "ineligible",
    }


def test_the_councils_choice_replaces_the_quota_but_never_the_ineligible(year):
    pool_shas = {m.result.name: m.result.sha256 for m in package_of(year).pool.members}
    agreed = {pool_shas["Cá nhân Ba"], pool_shas["Cá nhân Bốn"]}
    package = package_of(year, agreed)
    assert names(p.member for p in package.proposals) == ["Cá nhân Ba"]
    assert package.proposals[0].copy_name == "ho-so/01-ca-nhan-ca-nhan-ba.xlsx"
    assert set(names(package.refused)) == {
        "Tập thể Vạn Phú",
        "Cá nhân Một",
        "Cá nhân Hai",
        "Cá nhân Bốn",
    }


def test_the_package_on_disk_reads_back(year, tmp_path):
    package = package_of(year)
    target = tmp_path / "out" / "goi"
    with dated(dt.date(2024, 9, 27)):  # the day of the Tờ trình the workbook is annexed to
        written = write_package(package, year.ws.root, target)
    assert written.folder == target.resolve()
    on_disk = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert on_disk == sorted([MANIFEST, WORKBOOK, *(p.copy_name for p in package.proposals)])
    rows = manifest(target)
    assert rows[0] == ["Tệp", "SHA-256", "Kích thước (byte)"]
    assert rows[1:] == [[n, h, str(s)] for n, h, s in written.files]
    assert [r[0] for r in rows[1:]] == [WORKBOOK, *(p.copy_name for p in package.proposals)]
    for name, digest, size in rows[1:]:
        data = (target / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest and len(data) == int(size)
    for p in package.proposals:  # the copies are the originals, byte for byte
        assert hashlib.sha256((target / p.copy_name).read_bytes()).hexdigest() == (
            p.member.result.sha256
        )

    book = openpyxl.load_workbook(target / WORKBOOK)
    assert book.sheetnames == [
        "Danh sách đề nghị",
        "Thành phần hồ sơ",
        "Không đưa vào đề nghị",
        "Nguồn dữ liệu",
    ]
    # The lists annexed to the Word Tờ trình (no Số, Kính gửi or Căn cứ of their own): headed by
    # the district's People's Committee, which sends the Tờ trình, and signed by its signer.
    annex = "(Kèm theo Tờ trình số ……/TTr-UBND ngày 27 tháng 9 năm 2024 của Ủy ban nhân dân huyện Vạn Ninh)"
    for ws in book.worksheets[:3]:
        values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert values[:3] == [
            "ỦY BAN NHÂN DÂN",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "HUYỆN VẠN NINH",
        ]
        assert annex in values and "TM. ỦY BAN NHÂN DÂN" in values and "Đàm Ngọc Quang" in values
        assert not [v for v in values if v.startswith(("Số:", "Kính gửi", "Căn cứ", "Kèm theo:"))]
        assert not [v for v in values if v.startswith(("Vạn Ninh, ngày", "NGƯỜI LẬP BIỂU"))]
    listing = book["Danh sách đề nghị"]
    values = [c.value for row in listing.iter_rows() for c in row if isinstance(c.value, str)]
    assert values[4] == 'DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG ĐIỂN HÌNH "DÂN VẬN KHÉO" CẤP TỈNH NĂM 2024'
    assert values[5] == annex
    assert (
        "Tổng cộng: 01 tập thể và 02 cá nhân (chỉ tiêu: 01 tập thể, 02 cá nhân); tất cả đã được"
        " công nhận điển hình cấp huyện các năm 2023, 2024." in values
    )
    listing = book["Danh sách đề nghị"]
    header, rows = table(listing, "STT")
    assert header == [
        "STT",
        "Loại",
        "Tên",
        "Đơn vị",
        "Tên mô hình",
        "Lĩnh vực",
        "Tổng điểm",
        "QĐ công nhận năm 2023",
        "Ngày QĐ năm 2023",
        "QĐ công nhận năm 2024",
        "Ngày QĐ năm 2024",
        "Tệp",
    ]
    decided = [D2023[0], dt.datetime(2023, 9, 22), D2024[0], dt.datetime(2024, 9, 20)]
    model = "Dân vận khéo trong xây dựng nông thôn mới"
    assert rows == [
        [1, "Tập thể", "Tập thể Vạn Phú", "xã Vạn Phú", model, "Văn hóa - xã hội", 100, *decided,
         "ho-so/01-tap-the-tap-the-van-phu.xlsx"],
        [2, "Cá nhân", "Cá nhân Một", "xã 1", model, "Văn hóa - xã hội", 100, *decided,
         "ho-so/02-ca-nhan-ca-nhan-mot.xlsx"],
        [3, "Cá nhân", "Cá nhân Hai", "xã 2", model, "Văn hóa - xã hội", 99.5, *decided,
         "ho-so/03-ca-nhan-ca-nhan-hai.xlsx"],
    ]  # fmt: skip
    top = next(r for r in range(1, 20) if listing.cell(r, 1).value == "STT")
    assert listing.cell(top + 1, 9).number_format == "dd/mm/yyyy"
    assert listing.cell(top + 1, 11).number_format == "dd/mm/yyyy"
    assert listing.cell(top + 3, 7).number_format == NUMBER

    _, papers = table(book["Thành phần hồ sơ"], "STT")
    assert len(papers) == 3 * 4 and {r[3] for r in papers} == {3}  # 3 copies for the province
    hai = {r[2]: r[4] for r in papers if r[1] == "Cá nhân Hai"}
    labels = {p.id: p.label for p in package.papers}
    assert hai == {
        labels["to-trinh"]: "Còn thiếu — cần bổ sung",
        labels["bien-ban"]: "Còn thiếu — cần bổ sung",
        labels["bao-cao-thanh-tich"]: "Có trong hồ sơ đơn vị",
        labels["quyet-dinh-huyen"]: "Có: Quyết định 123/QĐ-UBND ngày 20/09/2024 (sổ theo dõi)",
    }
    _, refused = table(book["Không đưa vào đề nghị"], "STT")
    assert [r[:4] for r in refused] == [
        [1, "Cá nhân Ba", "xã 3", "Dự bị"],
        [2, "Cá nhân Bốn", "xã 4", "Không đủ điều kiện"],
    ]
    assert (
        refused[0][4] == "Đủ điều kiện nhưng ngoài chỉ tiêu (xếp sau các đối tượng được đề nghị)."
    )
    assert (
        refused[1][4].startswith("Chưa đủ điều kiện đề nghị cấp tỉnh") and "2023" in refused[1][4]
    )
    sources = {r[0].value: r[1].value for r in book["Nguồn dữ liệu"].iter_rows(min_row=2)}
    assert {k: v for k, v in sources.items() if k.startswith("ho-so/")} == {
        p.member.path: p.member.result.sha256 for p in package.proposals
    }


def test_a_package_without_refusals_has_no_refused_sheet(year, tmp_path):
    package = package_of(year)
    package.refused = []
    write_package(package, year.ws.root, tmp_path / "goi")
    book = openpyxl.load_workbook(tmp_path / "goi" / WORKBOOK)
    assert book.sheetnames == ["Danh sách đề nghị", "Thành phần hồ sơ", "Nguồn dữ liệu"]
    header, _ = table(book["Danh sách đề nghị"], "STT")
    assert header[7:11] == ["QĐ công nhận năm 2023", "Ngày QĐ năm 2023", "QĐ công nhận năm 2024",
                            "Ngày QĐ năm 2024"]  # fmt: skip


def test_the_papers_the_package_holds_count_as_present(year, tmp_path):
    """The district's Tờ trình and Biên bản that danvan drafts into the package are no paper
    "still lacking" (the plan marks them `drafted:`); the others as the dossier says."""
    package = package_of(year)
    enclosed = [
        Enclosed("proposal", "to-trinh-tinh-2024.docx", b"x"),
        Enclosed("minutes", "bien-ban-hop-xet-tinh-2024.docx", b"y"),
    ]
    write_package(package, year.ws.root, tmp_path / "goi", enclosed)
    _, papers = table(
        openpyxl.load_workbook(tmp_path / "goi" / WORKBOOK)["Thành phần hồ sơ"], "STT"
    )
    labels = {p.id: p.label for p in package.papers}
    hai = {r[2]: r[4] for r in papers if r[1] == "Cá nhân Hai"}
    # the enclosed papers by their names, not their files (file names stay off the signed page)
    assert hai[labels["to-trinh"]] == "Có: Tờ trình số ……/TTr-UBND (kèm theo)"
    assert hai[labels["bien-ban"]] == "Có: Biên bản họp xét số ……/BB-HĐTĐKT (kèm theo)"
    assert hai[labels["bao-cao-thanh-tich"]] == "Có trong hồ sơ đơn vị"
    assert "Còn thiếu — cần bổ sung" not in {r[4] for r in papers}


def test_a_new_package_replaces_the_old_one_whole(year, tmp_path):
    target = tmp_path / "goi"
    write_package(package_of(year), year.ws.root, target)
    (target / "ghi-chu.txt").write_text("của phiên trước", encoding="utf-8")
    ba = {m.result.name: m.result.sha256 for m in package_of(year).pool.members}["Cá nhân Ba"]
    written = write_package(package_of(year, {ba}), year.ws.root, target)
    assert sorted(snapshot(target)) == sorted(
        [MANIFEST, WORKBOOK, "ho-so/01-ca-nhan-ca-nhan-ba.xlsx"]
    )
    assert [r[0] for r in manifest(target)[1:]] == [n for n, _, _ in written.files]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["goi", "ws"]  # no leftovers


def test_a_failure_while_building_leaves_the_previous_package(year, tmp_path, monkeypatch):
    target = tmp_path / "goi"
    write_package(package_of(year), year.ws.root, target)
    before = snapshot(target)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(package_writer.shutil, "copy2", full_disk)
    with pytest.raises(OutputError) as caught:
        write_package(package_of(year), year.ws.root, target)
    assert caught.value.key == "output.failed"
    assert snapshot(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["goi", "ws"]
    monkeypatch.undo()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(package_writer, "_workbook", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_package(package_of(year), year.ws.root, target)
    assert snapshot(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["goi", "ws"]


def test_a_failure_at_the_final_rename_keeps_the_previous_package(year, tmp_path, monkeypatch):
    target = tmp_path / "goi"
    write_package(package_of(year), year.ws.root, target)
    before = snapshot(target)
    rename = Path.rename

    def refuse_staging(self, new):
        if self.name.startswith(".danvan-export-"):
            raise OSError(errno.EBUSY, "Device or resource busy")
        return rename(self, new)

    monkeypatch.setattr(Path, "rename", refuse_staging)
    with pytest.raises(OutputError):
        write_package(package_of(year), year.ws.root, target)
    monkeypatch.undo()
    assert target.is_dir() and snapshot(target) == before


def test_export_writes_the_package_and_an_audit_row(year):
    outcome = export(year, for_province=True)  # the latest year: 2024
    folder = year.ws.output(2024, "de-nghi-cap-tinh-2024")
    assert outcome.written.folder == folder.resolve()
    assert names(p.member for p in outcome.contents.proposals) == [
        "Tập thể Vạn Phú",
        "Cá nhân Một",
        "Cá nhân Hai",
    ]
    with register_of(year) as reg:
        audit = [r for r in reg.audit_rows() if r.command == "export"]
    (row,) = audit
    assert row.inputs == {"year": 2024, "level": "tinh"}
    assert row.outputs == {
        "folder": "ket-qua/2024/de-nghi-cap-tinh-2024",
        "files": {name: digest for name, digest, _ in manifest(folder)[1:]},
    }
    again = export(year, for_province=True, year=2024)  # replaces its own earlier package
    assert again.written.files == outcome.written.files


def test_export_refusals(year, tmp_path):
    with pytest.raises(UsageError) as caught:
        export(year, for_province=False)
    assert caught.value.key == "export.need_target"
    foreign = tmp_path / "tai-lieu"
    foreign.mkdir()
    (foreign / "bao-cao.docx").write_bytes(b"x")
    for target, key in [
        (foreign, "output.folder_not_ours"),
        (foreign / "bao-cao.docx", "output.not_ours"),
        (year.ws.dossiers(2024) / "goi", "output.in_dossiers"),
        (year.ws.root, "output.in_dossiers"),
    ]:
        with pytest.raises(UsageError) as caught:
            export(year, for_province=True, output=target)
        assert caught.value.key == key, target
    assert (foreign / "bao-cao.docx").read_bytes() == b"x"
    dates = {"Ngày đăng ký": "10/02/2023", "Ngày nộp hồ sơ": "20/08/2023"}
    drop_dossier(year, "Cá nhân Một", year=2023, unit="xã 1", **dates)
    with pytest.raises(RuleError) as caught:  # recognized in 2023, but not in 2022 as well
        export(year, for_province=True, year=2023)
    assert (caught.value.key, caught.value.params) == (
        "export.none",
        {"level": "tỉnh", "year": 2023},
    )


def test_ties_need_the_councils_decisions(workspace, tmp_path):
    rows = []
    for name in ("Tập thể Một", "Tập thể Hai"):
        drop_dossier(workspace, name, kind="collective", unit=f"xã {name}")
        for y, no in ((2023, "2311/QĐ-UBND"), (2024, "123/QĐ-UBND")):
            rows.append((y, "Huyện", "Tập thể", name, f"xã {name}", no, f"20/09/{y}"))
    import_history(workspace, history(tmp_path / "h.xlsx", rows))
    with pytest.raises(RuleError) as caught:
        export(workspace, for_province=True)
    assert caught.value.key == "export.ties"
    assert sorted(caught.value.lines) == ["Tập thể Hai", "Tập thể Một"]
    made = rank(workspace, 2024, "tinh").workbook
    both = mark_council(
        made, {"Tập thể Một": "Đồng ý", "Tập thể Hai": "Đồng ý"}, tmp_path / "2.xlsx"
    )
    with pytest.raises(RuleError) as caught, register_of(workspace) as reg:
        top = workspace.config.plan.top_level
        council_choice(workspace.ws, workspace.config, both, 2024, top, reg)
    assert len(caught.value.lines) == 1 and caught.value.lines[0].endswith(": 2 > 1")
    district = rank(workspace, 2024, "huyen").workbook
    with pytest.raises(UsageError) as caught:
        export(workspace, for_province=True, decisions=district)
    assert caught.value.key == "export.wrong_decisions"
    one = mark_council(made, {"Tập thể Hai": "Đồng ý", "Tập thể Một": "Không"}, tmp_path / "1.xlsx")
    done = export(workspace, for_province=True, decisions=one)
    assert names(p.member for p in done.contents.proposals) == ["Tập thể Hai"]
    assert names(done.contents.refused) == ["Tập thể Một"]


def test_the_latest_year_and_the_package_name(workspace):
    with pytest.raises(UsageError) as caught:
        latest_year(workspace)
    assert caught.value.key == "export.no_year"
    for y in (2022, 2024):
        drop_dossier(workspace, "Cá nhân Một", year=y, unit="xã 1")
    (workspace.ws.dossier_root / "2025").mkdir()  # empty: no year yet
    (workspace.ws.dossier_root / "cu").mkdir()
    shutil.copy(next(workspace.ws.dossiers(2024).iterdir()), workspace.ws.dossier_root / "cu")
    assert latest_year(workspace) == 2024 and workspace.ws.years() == [2022, 2024]
    assert package_name("tinh", 2024) == "de-nghi-cap-tinh-2024"
    assert package_name("tinh-kh", 2026) == "de-nghi-cap-tinh-kh-2026"  # the level's id


def test_the_province_over_quota_lines_name_the_kind_in_vietnamese(workspace, tmp_path):
    rows = []
    for name in ("Tập thể Một", "Tập thể Hai"):
        drop_dossier(workspace, name, kind="collective", unit=f"xã {name}")
        rows += [(y, "Huyện", "Tập thể", name, f"xã {name}", "1/QĐ", "") for y in (2023, 2024)]
    import_history(workspace, history(tmp_path / "h.xlsx", rows))
    made = rank(workspace, 2024, "tinh").workbook
    both = mark_council(
        made, {"Tập thể Một": "Đồng ý", "Tập thể Hai": "Đồng ý"}, tmp_path / "2.xlsx"
    )
    with pytest.raises(RuleError) as caught, register_of(workspace) as reg:
        top = workspace.config.plan.top_level
        council_choice(workspace.ws, workspace.config, both, 2024, top, reg)
    assert caught.value.lines == ["Tập thể: 2 > 1"]
