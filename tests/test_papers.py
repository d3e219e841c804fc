"""The year's Word papers: opened with python-docx as Word would, checked against Nghị định
30/2020 (page, margins, fonts, header, date line, signature, "Nơi nhận") and against the
register and the ranking; the templates: reproduced by their generator, overridden by the
workspace's copies, refused with a clear message when broken."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from typer.testing import CliRunner

from danvan_cli.award.papers import addressee
from danvan_cli.cli import app
from danvan_cli.register.store import Register

runner = CliRunner()
OUT = Path("ket-qua") / "2024"
PAPERS = {
    "proposal": OUT / "to-trinh-huyen-2024.docx",
    "draft": OUT / "bien-ban-hop-xet-huyen-2024-du-thao.docx",
    "minutes": OUT / "bien-ban-hop-xet-huyen-2024.docx",
    "decision": OUT / "quyet-dinh-khen-thuong-huyen-2024-123-qd-ubnd.docx",
    "certificate": OUT / "giay-khen-huyen-2024-123-qd-ubnd.docx",
    "province": OUT / "de-nghi-cap-tinh-2024" / "to-trinh-tinh-2024.docx",
    "province_minutes": OUT / "de-nghi-cap-tinh-2024" / "bien-ban-hop-xet-tinh-2024.docx",
    "notice": OUT / "thong-bao-kiem-tra-ho-so" / "thong-bao-hoi-phu-nu-xa-van-long.docx",
}
DATELINE = re.compile(r"^Vạn Ninh, ngày \d{2} tháng (0[12]|[3-9]|1[0-2]) năm \d{4}$")


def invoke(ws: Path, *args: str):
    return runner.invoke(app, [*args, "--workspace", str(ws)])


def paragraphs(doc) -> list[str]:
    """Every paragraph's text, in the body and in its tables, in order."""
    return [
        "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))
    ]


def table_names(doc, column: int = 1) -> list[str]:
    """The names in a candidates table (rows that have a number in the first cell)."""
    names = []
    for table in doc.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            if len(cells) > column and cells[0].isdigit():
                names.append(cells[column])
    return names


@pytest.fixture(scope="module")
def docs(demo_year: Path) -> dict[str, object]:
    return {name: Document(str(demo_year / path)) for name, path in PAPERS.items()}


def test_the_demo_drafts_every_paper(demo_year):
    for path in PAPERS.values():
        assert (demo_year / path).is_file(), path
    notices = sorted((demo_year / OUT / "thong-bao-kiem-tra-ho-so").glob("*.docx"))
    from danvan_cli.text.normalize import fold
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.validate import validate

    checked = validate(workspace_context(demo_year), [demo_year / "ho-so" / "2024"]).validation
    # one per body that sent dossiers with findings: a collective, an individual's unit
    units = {fold(addressee(f) or "") for f in checked.files if addressee(f) and f.findings}
    assert len(notices) == len(units) >= 10


@pytest.mark.parametrize("name", sorted(PAPERS))
def test_page_margins_and_fonts_follow_the_decree(docs, name):
    doc = docs[name]
    section = doc.sections[0]
    landscape = name == "certificate"
    width, height = (Cm(29.7), Cm(21)) if landscape else (Cm(21), Cm(29.7))
    assert abs(section.page_width - width) < Cm(0.05) and abs(section.page_height - height) < Cm(
        0.05
    )
    if not landscape:  # top 20-25, bottom 20-25, left 30-35, right 15-20 mm
        mm = {
            k: round(getattr(section, f"{k}_margin").mm, 1)
            for k in ("top", "bottom", "left", "right")
        }
        assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25, mm
        assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20, mm
    assert doc.styles["Normal"].font.name == "Times New Roman"
    fonts = {r.font.name for p in doc.element.body.iter(qn("w:p")) for r in _runs(doc, p)}
    assert fonts <= {None, "Times New Roman"}  # every run in the document's font
    sizes = [
        r.font.size.pt
        for p in doc.element.body.iter(qn("w:p"))
        for r in _runs(doc, p)
        if r.font.size is not None and r.text.strip()
    ]
    assert min(sizes) >= 11  # "Nơi nhận" lines are 11 pt, nothing smaller carries text


def _runs(doc, p):
    from docx.text.paragraph import Paragraph

    return Paragraph(p, doc).runs


@pytest.mark.parametrize(
    "name, party", [("proposal", True), ("notice", True), ("decision", False), ("minutes", False)]
)
def test_the_header_is_the_issuers_own(docs, name, party):
    text = paragraphs(docs[name])
    if party:  # the Board is a Party body: "ĐẢNG CỘNG SẢN VIỆT NAM", its two-line authority
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text
        assert "HUYỆN ỦY VẠN NINH" in text and "BAN DÂN VẬN" in text
    else:
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Độc lập - Tự do - Hạnh phúc" in text


def test_number_date_line_and_legal_basis(docs):
    proposal = paragraphs(docs["proposal"])
    assert "Số ……-TTr/BDVHU" in proposal  # the clerk gives the number
    assert "Vạn Ninh, ngày 12 tháng 9 năm 2024" in proposal  # the demo's day for the ranking
    decision = paragraphs(docs["decision"])
    assert "Số: 123/QĐ-UBND" in decision
    assert "Vạn Ninh, ngày 20 tháng 9 năm 2024" in decision
    basis = [p for p in decision if p.startswith("Căn cứ ")]
    # Mẫu 1.2: "Theo đề nghị của …." follows the legal basis, so every "Căn cứ" line ends ";"
    assert len(basis) >= 3 and all(p.endswith(";") for p in basis)
    proposal_basis = [p for p in proposal if p.startswith("Căn cứ ")]  # a Tờ trình's: "." last
    assert proposal_basis[-1].endswith(".") and all(p.endswith(";") for p in proposal_basis[:-1])
    assert any("98/2023/NĐ-CP" in p for p in basis)  # the decree in force on 20/09/2024
    assert not any("152/2025" in p or "91/2017" in p for p in basis)
    for p in docs["decision"].paragraphs:
        if p.text.startswith("Căn cứ "):
            assert all(r.italic for r in p.runs if r.text.strip())
    assert "QUYẾT ĐỊNH:" in decision
    assert any(p.startswith("Điều 1. Tặng Giấy khen") for p in decision)
    assert any(p.startswith("Theo đề nghị của Trưởng ban Dân vận") for p in decision)
    for name in PAPERS:
        for line in paragraphs(docs[name]):
            if line.startswith("Vạn Ninh, ngày"):
                assert DATELINE.match(line), line


@pytest.mark.parametrize("name", ["proposal", "decision", "notice", "minutes"])
def test_signature_block_and_recipients(docs, name):
    text = paragraphs(docs[name])
    assert "Nơi nhận:" in text
    recipients = text[text.index("Nơi nhận:") + 1 :]
    listed = [p for p in recipients if p.startswith("- ")]
    assert listed and all(p.endswith(";") for p in listed[:-1]) and listed[-1].endswith(".")
    assert any(p.startswith("- Lưu: VT") for p in listed)
    if name == "decision":
        assert "CHỦ TỊCH" in text and "Đàm Ngọc Quang" in text
    if name == "minutes":
        assert "THƯ KÝ" in text and "CHỦ TỊCH HỘI ĐỒNG" in text


def test_the_decision_lists_exactly_the_recognized(demo_year, docs):
    with Register.open(demo_year / ".danvan" / "register.sqlite") as register:
        recorded = [
            r.name
            for r in register.recognitions(year=2024, level="huyen")
            if r.decision_no == "123/QĐ-UBND"
        ]
    listed = table_names(docs["decision"])
    assert sorted(listed) == sorted(recorded) and len(listed) == 7
    text = paragraphs(docs["decision"])
    assert any("02 tập thể và 05 cá nhân" in p for p in text)
    assert any(p.startswith("(Kèm theo Quyết định số 123/QĐ-UBND ngày 20/09/2024") for p in text)
    # the certificates: one page per recognized candidate, each naming it
    cert = docs["certificate"]
    breaks = [p for p in cert.paragraphs if p.paragraph_format.page_break_before]
    assert len(breaks) == 7
    names = set(paragraphs(cert))
    assert set(recorded) <= names
    assert any(p == "Quyết định số 123/QĐ-UBND, ngày 20/09/2024" for p in names)


def test_the_proposal_and_minutes_follow_the_ranking(demo_year, docs):
    proposal = docs["proposal"]
    listed = table_names(proposal)
    assert len(listed) == 9  # 7 proposed and the 2 tied collectives
    text = paragraphs(proposal)
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân huyện Vạn Ninh." in text
    assert any("03 tập thể và 05 cá nhân" in p for p in text)  # the quota, the council picks 1 of 2
    ties = [p for p in text if "bằng nhau ở mọi tiêu chí ưu tiên" in p]
    assert ties and "Hội Cựu chiến binh xã Vạn Thạnh" in ties[0]
    assert "Hội Nông dân xã Vạn Thắng" in ties[0] and "96,5 điểm" in ties[0]
    assert any("1.250.000.000 đồng" in p for p in text)  # money the Vietnamese way
    draft, final = docs["draft"], docs["minutes"]
    assert table_names(draft) == table_names(final) and len(table_names(draft)) == 13
    votes = [
        row.cells[-1].text for t in final.tables for row in t.rows if row.cells[0].text.isdigit()
    ]
    # the simulated council marks the 7 proposed "Đồng ý", the 4 reserves "Không" and leaves
    # the 2 tied collectives blank: no vote is recorded for them, and the tie stays undecided
    assert votes.count("Đồng ý") == 7 and votes.count("Không") == 4
    assert votes.count("Chưa biểu quyết") == 2
    tie = next(p for p in paragraphs(final) if "bằng nhau ở mọi tiêu chí ưu tiên" in p)
    assert "Hội đồng chưa biểu quyết chọn 01 trong 02 trường hợp" in tie
    assert "chưa quyết định" in tie and "đề nghị Hội đồng xem xét" not in tie
    empty = [
        row.cells[-1].text for t in draft.tables for row in t.rows if row.cells[0].text.isdigit()
    ]
    assert set(empty) == {""}
    assert any("…… tập thể và …… cá nhân" in p for p in paragraphs(draft))
    assert any("02 tập thể và 05 cá nhân" in p for p in paragraphs(final))
    for blank in ("Thời gian: vào lúc …… giờ", "Thành viên Hội đồng có mặt"):
        assert any(blank in p for p in paragraphs(final))


def test_the_province_proposal_has_both_years_decisions(docs):
    province = docs["province"]
    assert len(table_names(province)) == 3
    text = paragraphs(province)
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Khánh Hòa." in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text  # issued by the district's UBND
    cells = [c.text for t in province.tables for row in t.rows for c in row.cells]
    hoa = next(c for c in cells if "123/QĐ-UBND" in c)
    assert re.search(r"\d+/QĐ-UBND ngày \d{2}/\d{2}/2023; 123/QĐ-UBND ngày 20/09/2024", hoa)


def test_a_notice_names_what_to_fix_and_by_when(docs):
    text = paragraphs(docs["notice"])
    # to the collective that sent the dossier, not to the commune its "Đơn vị" names
    assert "Kính gửi: Hội Phụ nữ xã Vạn Long." in text
    assert any("trước ngày 15/09/2024" in p for p in text)  # 10 days after 05/09/2024
    rows = [[c.text for c in row.cells] for t in docs["notice"].tables for row in t.rows]
    fixes = [r for r in rows if r[0].isdigit()]
    assert fixes and all(re.match(r".+!\$?[A-Z]+\d+$", r[1]) or r[1] for r in fixes)
    assert any("giá trị làm lợi" in r[2].lower() for r in fixes)  # the plan's rule in words
    assert all(r[3].startswith(("Lỗi: ", "Cảnh báo: ")) and r[4] for r in fixes)


def test_the_generator_reproduces_the_committed_templates(tmp_path):
    from danvan_cli.write.paper_templates import FOLDER, build

    for made in build(tmp_path):
        committed = FOLDER / made.name
        with zipfile.ZipFile(made) as a, zipfile.ZipFile(committed) as b:
            assert a.namelist() == b.namelist(), made.name
            for part in a.namelist():
                assert a.read(part) == b.read(part), (made.name, part)


def _workspace(tmp_path: Path, demo_year: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(demo_year, ws)
    return ws


def test_an_edited_template_gives_the_edited_paper(tmp_path, demo_year):
    ws = _workspace(tmp_path, demo_year)
    result = invoke(ws, "papers", "templates")
    assert result.exit_code == 0 and (ws / "mau-van-ban" / "to-trinh.docx").is_file()
    template = ws / "mau-van-ban" / "to-trinh.docx"
    doc = Document(str(template))
    closing = next(p for p in doc.paragraphs if p.text.startswith("Kính trình"))
    closing.runs[0].text = "Văn phòng kính trình {{ kinh_gui }} xem xét, quyết định./."
    doc.save(str(template))
    again = invoke(ws, "papers", "templates")  # an edited copy is never replaced unprompted
    assert again.exit_code == 0 and "Văn phòng kính trình" in _text(template)
    result = invoke(ws, "papers", "write", "to-trinh", "--year", "2024", "--force")
    assert result.exit_code == 0, result.output
    written = Document(str(ws / PAPERS["proposal"]))
    assert (
        "Văn phòng kính trình Chủ tịch Ủy ban nhân dân huyện Vạn Ninh xem xét, quyết định./."
        in paragraphs(written)
    )


def _text(path: Path) -> str:
    return "\n".join(paragraphs(Document(str(path))))


@pytest.mark.parametrize(
    "edit, expected",
    [
        ("{{ kinh_gui ", "lỗi cú pháp"),  # a tag without its end
        ("{{ ten_sai }}", "ten_sai"),  # a tag danvan does not fill
        ("{% if %}", "lỗi cú pháp"),  # Jinja's own syntax error
    ],
)
def test_a_broken_template_is_a_clear_error(tmp_path, demo_year, edit, expected):
    ws = _workspace(tmp_path, demo_year)
    assert invoke(ws, "papers", "templates").exit_code == 0
    template = ws / "mau-van-ban" / "bien-ban-hop-xet.docx"
    doc = Document(str(template))
    doc.paragraphs[-1].add_run(edit)
    doc.save(str(template))
    result = invoke(ws, "papers", "write", "bien-ban", "--year", "2024")
    assert result.exit_code == 2
    assert "bien-ban-hop-xet.docx" in result.stderr and expected in result.stderr


def test_a_template_that_is_no_docx_is_refused(tmp_path, demo_year):
    ws = _workspace(tmp_path, demo_year)
    (ws / "mau-van-ban").mkdir()
    (ws / "mau-van-ban" / "thong-bao-ket-qua-kiem-tra.docx").write_text("không phải docx")
    result = invoke(ws, "papers", "write", "thong-bao", "--year", "2024")
    assert result.exit_code == 2 and "thong-bao-ket-qua-kiem-tra.docx" in result.stderr


def test_an_edited_paper_is_kept_and_a_foreign_file_never_overwritten(tmp_path, demo_year):
    ws = _workspace(tmp_path, demo_year)
    paper = ws / PAPERS["decision"]
    doc = Document(str(paper))
    doc.paragraphs[0].add_run("sửa tay")
    doc.core_properties.modified = __import__("datetime").datetime(2024, 9, 21)
    doc.save(str(paper))
    result = invoke(ws, "papers", "write", "quyet-dinh", "--year", "2024")
    assert result.exit_code == 0 and "Giữ nguyên" in result.stderr
    assert "sửa tay" in _text(paper)
    result = invoke(ws, "papers", "write", "quyet-dinh", "--year", "2024", "--force")
    assert result.exit_code == 0 and "sửa tay" not in _text(paper)
    foreign = ws / PAPERS["certificate"]
    Document().save(str(foreign))  # someone's own document under the paper's name
    result = invoke(ws, "papers", "write", "giay-khen", "--year", "2024")
    assert result.exit_code == 2 and "không phải tệp do danvan lập" in result.stderr


def test_an_edit_that_keeps_the_modification_time_is_still_an_edit(tmp_path, demo_year):
    """python-docx saves without touching dcterms:modified: the paper's content digest (a
    custom property danvan stores) tells the edit, and the paper is kept."""
    ws = _workspace(tmp_path, demo_year)
    paper = ws / PAPERS["proposal"]
    doc = Document(str(paper))
    before = doc.core_properties.modified
    doc.paragraphs[-1].add_run(" sửa bằng chương trình")
    doc.save(str(paper))
    assert Document(str(paper)).core_properties.modified == before
    result = invoke(ws, "papers", "write", "to-trinh", "--year", "2024")
    assert result.exit_code == 0 and "Giữ nguyên" in result.stderr, result.output
    assert "sửa bằng chương trình" in _text(paper)
    result = invoke(ws, "papers", "write", "to-trinh", "--year", "2024", "--force")
    assert result.exit_code == 0 and "sửa bằng chương trình" not in _text(paper)
    again = paper.read_bytes()  # danvan's own paper, untouched: written again, not kept
    result = invoke(ws, "papers", "write", "to-trinh", "--year", "2024")
    assert result.exit_code == 0 and "Giữ nguyên" not in result.stderr
    assert paper.read_bytes() == again


@pytest.mark.xdist_group("subprocesses")
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_paper_saved_again_by_libreoffice_is_kept(tmp_path, demo_year):
    import subprocess

    ws = _workspace(tmp_path, demo_year)
    paper = ws / PAPERS["notice"]
    out = tmp_path / "lo"
    subprocess.run(
        [
            str(shutil.which("soffice")),
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(paper),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    shutil.copyfile(out / paper.name, paper)
    saved = paper.read_bytes()
    result = invoke(ws, "papers", "write", "thong-bao", "--year", "2024")
    assert result.exit_code == 0, result.output
    assert "Giữ nguyên" in result.stderr and paper.name in result.stderr
    assert paper.read_bytes() == saved


def test_the_workspace_names_the_signer(tmp_path, demo_year):
    ws = _workspace(tmp_path, demo_year)
    config = ws / "danvan.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "documents:\n  issuers:\n    ban-dan-van:\n      signer:\n"
        + "        {authority: K/T TRƯỞNG BAN, position: PHÓ TRƯỞNG BAN, name: Lê Văn Tư}\n",
        encoding="utf-8",
    )
    result = invoke(ws, "papers", "write", "to-trinh", "--year", "2024", "--force")
    assert result.exit_code == 0, result.output
    text = paragraphs(Document(str(ws / PAPERS["proposal"])))
    assert {"K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Lê Văn Tư"} <= set(text)
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "ban-dan-van:\n      signer", "khong-co:\n      signer"
        ),
        encoding="utf-8",
    )
    result = invoke(ws, "papers", "write", "to-trinh", "--year", "2024")
    assert result.exit_code == 2 and "danvan.yaml" in result.stderr


def test_values_are_escaped_and_cleaned_for_xml(tmp_path):
    from danvan_cli.write.paper_templates import FOLDER
    from danvan_cli.write.papers import finish, render

    values = {
        "dang": False,
        "co_quan_cap_tren": "",
        "co_quan": "A & B <C>",
        "so": "Số: 1",
        "dia_danh_ngay": "x\x01\ufffe\ud800",
        "nam": 2024,
        "can_cu": [],
        "kinh_gui": '"Y" & Z',
        "don_vi": "U",
        "co_quan_goi": "G",
        "so_ho_so": "01",
        "so_dat": "00",
        "so_khong_dat": "01",
        "han": "01/01/2025",
        "can_sua": True,
        "ho_so": [],
        "noi_nhan": ["- Lưu: VT."],
        "ky": {"tham_quyen": [], "chuc_vu": "X", "ho_ten": "{{ 7*7 }}", "gioi_thieu": ""},
    }
    data = finish(render(FOLDER / "thong-bao-ket-qua-kiem-tra.docx", values), "notice")
    path = tmp_path / "n.docx"
    path.write_bytes(data)
    text = paragraphs(Document(str(path)))
    assert "A & B <C>" in text and "Kính gửi: “Y” & Z." in text
    assert "{{ 7*7 }}" in text  # a value is never run as a template
    assert "x" in text


def test_the_plan_refuses_unknown_issuers_and_placeholders(tmp_path):
    from danvan_cli.config.load import default_rubrics_dir, load_config
    from danvan_cli.errors import ConfigError

    source = (default_rubrics_dir() / "van-ninh-2023.yaml").read_text(encoding="utf-8")
    for old, new, where in (
        ('number: "{số}-TB/BDVHU"', 'number: "{so}-TB/BDVHU"', "documents.notice.number"),
        ("workbooks: ban-dan-van", "workbooks: khong-co", "documents.workbooks"),
    ):
        folder = tmp_path / where
        shutil.copytree(default_rubrics_dir(), folder)
        (folder / "van-ninh-2023.yaml").write_text(source.replace(old, new), encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            load_config(folder / "van-ninh-2023.yaml")
        assert where in caught.value.lines[0].render("vi")


def test_no_paper_has_an_unfilled_placeholder_or_a_tool_name(demo_year):
    """Every paper of the demo, every notice included: the plan's rule in words with its
    figures ("{level}", "{percent}" filled), no tool name, command or backtick."""
    papers = sorted(p for p in (demo_year / "ket-qua").rglob("*.docx") if "ho-so" not in p.parts)
    assert len(papers) >= 20
    rules = set()
    for path in papers:
        doc = Document(str(path))
        text = paragraphs(doc)
        for line in text:
            assert "{" not in line and "}" not in line, (path.name, line)
            assert "danvan" not in line and "`" not in line, (path.name, line)
        rules |= {row.cells[2].text for t in doc.tables for row in t.rows if len(row.cells) == 5}
    assert "Mỗi tiêu chí đạt từ 90% điểm chuẩn, tổng từ 90 điểm" in rules
    assert "Cấp huyện chọn trong số điển hình cấp cơ sở" in rules


def test_the_minutes_say_how_the_council_ended_a_tie(tmp_path, demo_year):
    """The council chose one of the tied collectives and said "Không" to the other: the final
    Biên bản records exactly those marks, and whom it chose; rows it left blank stay blank."""
    from conftest import mark_council

    ws = _workspace(tmp_path, demo_year)
    marks = {
        "Ủy ban MTTQ Việt Nam xã Vạn Phú": "Đồng ý",
        "Hội Phụ nữ xã Vạn Phước": "Đồng ý",
        "Hội Cựu chiến binh xã Vạn Thạnh": "Đồng ý",
        "Hội Nông dân xã Vạn Thắng": "Không",
        "Nguyễn Thị Hoa": "Đồng ý",
    }
    ranking = ws / OUT / "tong-hop-xet-chon-huyen-2024.xlsx"
    decided = mark_council(ranking, marks, tmp_path / "hoi-dong.xlsx")
    result = invoke(
        ws, "papers", "write", "bien-ban", "--year", "2024", "--decisions", str(decided)
    )
    assert result.exit_code == 0, result.output
    doc = Document(str(ws / PAPERS["minutes"]))
    votes = {
        row.cells[1].text: row.cells[-1].text
        for t in doc.tables
        for row in t.rows
        if row.cells[0].text.isdigit()
    }
    assert {name: votes[name] for name in marks} == marks
    others = {v for name, v in votes.items() if name not in marks}
    assert others == {"Chưa biểu quyết"}  # never a "Không" the council did not cast
    tie = next(p for p in paragraphs(doc) if "bằng nhau ở mọi tiêu chí ưu tiên" in p)
    assert tie.endswith("Hội đồng đã biểu quyết chọn Hội Cựu chiến binh xã Vạn Thạnh.")
    assert any("03 tập thể và 01 cá nhân" in p for p in paragraphs(doc))


def test_a_paper_command_writes_only_the_paper_it_names(tmp_path, demo_year):
    """`papers write giay-khen` (even with --force) leaves the Quyết định alone, a person's
    edit included, and names every file it wrote; `quyet-dinh` leaves the Giấy khen alone."""
    import datetime as dt

    ws = _workspace(tmp_path, demo_year)
    decision, certificate = ws / PAPERS["decision"], ws / PAPERS["certificate"]
    doc = Document(str(decision))
    doc.paragraphs[0].add_run("sửa tay")
    doc.core_properties.modified = dt.datetime(2024, 9, 21)
    doc.save(str(decision))
    edited = decision.read_bytes()
    certificate.unlink()
    for force in ([], ["--force"]):
        result = invoke(ws, "papers", "write", "giay-khen", "--year", "2024", *force)
        assert result.exit_code == 0, result.output
        assert decision.read_bytes() == edited
        assert certificate.is_file()
        said = result.stderr
        assert certificate.name in said and decision.name not in said
    before = certificate.read_bytes()
    certificate.touch()
    result = invoke(ws, "papers", "write", "quyet-dinh", "--year", "2024", "--force")
    assert result.exit_code == 0 and "sửa tay" not in _text(decision)
    assert decision.name in result.stderr and certificate.name not in result.stderr
    assert certificate.read_bytes() == before


def test_a_unit_with_only_warnings_is_told_its_dossiers_are_valid(demo_year):
    """A notice asks to fix and send back only what has an error; a unit whose dossiers are
    all valid (warnings only) reads that they are, the warnings to look at, and no deadline."""
    from danvan_cli.text.normalize import fold, slug
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.validate import validate

    checked = validate(workspace_context(demo_year), [demo_year / "ho-so" / "2024"]).validation
    units: dict[str, list] = {}
    for f in checked.files:
        if addressee(f) and f.findings:
            units.setdefault(fold(addressee(f) or ""), []).append(f)
    kinds = set()
    for files in units.values():
        path = (
            demo_year
            / OUT
            / "thong-bao-kiem-tra-ho-so"
            / f"thong-bao-{slug(addressee(files[0]))}.docx"
        )
        text = " ".join(paragraphs(Document(str(path))))
        all_valid = all(f.valid for f in files)
        kinds.add(all_valid)
        if all_valid:
            assert "không có hồ sơ chưa đạt" in text and "không phải gửi lại" in text, path.name
            assert "trước ngày" not in text and "sửa chữa, bổ sung" not in text, path.name
            assert "Cảnh báo: " in text
        else:
            assert "gửi lại về" in text and "trước ngày" in text, path.name
    assert kinds == {True, False}  # the demo has both kinds of unit


@pytest.mark.parametrize(
    "on, law",
    [
        ("2024-09-20", "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"),
        ("2025-04-01", "Luật Tổ chức chính quyền địa phương số 65/2025/QH15"),
        ("2025-09-20", "Luật Tổ chức chính quyền địa phương số 72/2025/QH15"),
    ],
)
def test_a_paper_cites_the_local_government_law_in_force_on_its_date(config, on, law):
    """The plan's legal basis is current (shared/reference/after-2025.md): a paper dated after
    the 2015 law was replaced cites its successor, never the 2015 law."""
    import datetime as dt

    cited = [text.title for text in config.plan.basis(dt.date.fromisoformat(on))]
    local = [c for c in cited if c.startswith("Luật Tổ chức chính quyền địa phương")]
    assert len(local) == 1 and local[0].startswith(law), local


DAY = re.compile(r"Vạn Ninh, ngày (\d{2}) tháng (\d{1,2}) năm (\d{4})")
ANNEX_DAY = re.compile(r"/TTr-UBND ngày (\d{2}) tháng (\d{1,2}) năm (\d{4}) của")


def test_the_demos_papers_are_dated_within_its_award_year(demo_cli):
    """Run on any day (no SOURCE_DATE_EPOCH), the demo dates each step within 2024: the notices
    and their deadline, then the Tờ trình before the Quyết định of 20/09/2024, then the
    province's Tờ trình; no paper or workbook is dated the day it ran."""
    import datetime as dt

    import openpyxl

    out = demo_cli["folder"] / "ket-qua" / "2024"

    def day(lines) -> dt.date:
        found = next(m for line in lines if line and (m := DAY.search(str(line))))
        return dt.date(int(found[3]), int(found[2]), int(found[1]))

    def paper(name: str) -> dt.date:
        return day(paragraphs(Document(str(out / name))))

    notice = out / "thong-bao-kiem-tra-ho-so" / "thong-bao-hoi-phu-nu-xa-van-long.docx"
    notice_day = day(paragraphs(Document(str(notice))))
    deadline = re.search(r"trước ngày (\d{2})/(\d{2})/(\d{4})", _text(notice))
    assert deadline is not None and deadline[3] == "2024"
    district, decision = paper("to-trinh-huyen-2024.docx"), paper(PAPERS["decision"].name)
    province = paper("de-nghi-cap-tinh-2024/to-trinh-tinh-2024.docx")
    assert notice_day < district < decision == dt.date(2024, 9, 20) < province
    assert province.year == 2024
    for book in out.rglob("*.xlsx"):
        if "ho-so" in book.parts:
            continue
        cells = [c.value for row in openpyxl.load_workbook(book).worksheets[0].iter_rows(max_row=6)
                 for c in row]  # fmt: skip
        if book.parent.name == "de-nghi-cap-tinh-2024":  # annexed to the Tờ trình: dated by it
            annex = next(c for c in cells if c and str(c).startswith("(Kèm theo Tờ trình"))
            found = ANNEX_DAY.search(annex)
            assert found is not None, annex
            assert dt.date(int(found[3]), int(found[2]), int(found[1])) == province, annex
            continue
        assert day(cells).year == 2024, book.name


def test_the_province_papers_say_what_was_considered(docs):
    """The province proposal re-ranks district dossiers: its Tờ trình and Biên bản count the
    candidates recognized at the district level that year and those meeting the two-years rule,
    never "28 dossiers proposed for the province level, 24 not eligible"."""
    proposal = " ".join(paragraphs(docs["province"]))
    minutes = " ".join(paragraphs(docs["province_minutes"]))
    for text in (proposal, minutes):
        assert "07 tập thể, cá nhân được công nhận điển hình" in text
        assert "cấp huyện năm 2024" in text and "02 năm liên tục" in text
        assert "04 trường hợp đủ điều kiện (công nhận các năm 2023, 2024)" in text
        assert "03 trường hợp chưa đủ điều kiện" in text
        assert "28 hồ sơ" not in text and "24 hồ sơ" not in text
    district = " ".join(paragraphs(docs["proposal"]))  # the district scores what it received
    assert "chấm điểm 28 hồ sơ đề nghị khen thưởng cấp huyện" in district


def _kept(paragraph) -> bool:
    return bool(paragraph.paragraph_format.keep_with_next)


@pytest.mark.parametrize("name", ["proposal", "draft", "minutes", "province", "decision"])
def test_a_papers_list_and_its_signature_are_kept_together(docs, name):
    """Keep-with-next where a page must not break: the candidates table's header row and each
    group's row stay with the row under them; from the list's last row on, what ends the paper
    (ties, vote, closing line) stays with the signature, which is one unsplittable row."""
    from docx.table import Table

    doc = docs[name]
    body = list(doc.element.body.iterchildren())
    tables = [Table(el, doc) for el in body if el.tag == qn("w:tbl")]
    listed = next(t for t in tables if t.rows[0].cells[0].text == "STT")
    header = listed.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert all(_kept(p) for c in header.cells for p in c.paragraphs)
    groups = [r for r in listed.rows if r.cells[0].text.startswith(("I. ", "II. "))]
    assert groups and all(_kept(r.cells[0].paragraphs[0]) for r in groups)
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in listed.rows)
    if name == "decision":  # Điều 3 alone goes with the signature (the test below)
        return
    assert all(_kept(p) for c in listed.rows[-1].cells for p in c.paragraphs)
    after = body[body.index(listed._tbl) + 1 :]
    signed = next(i for i, el in enumerate(after) if el.tag == qn("w:tbl"))
    from docx.text.paragraph import Paragraph

    between = [Paragraph(el, doc) for el in after[:signed] if el.tag == qn("w:p")]
    assert between and all(_kept(p) for p in between)
    assert all(
        r._tr.trPr.find(qn("w:cantSplit")) is not None for r in Table(after[signed], doc).rows
    )


@pytest.mark.parametrize(
    "file, paper, edit, names",
    [
        ("to-trinh.docx", "to-trinh", "{{ ky.khong_co }}", ["ky.khong_co", "ky.ho_ten"]),
        (
            "bien-ban-hop-xet.docx",
            "bien-ban",
            "{% for g in nhom %}{{ g.khong_co }}{% endfor %}",
            ["khong_co"],
        ),
    ],
)
def test_an_unknown_field_in_a_tag_is_named_in_vietnamese(
    tmp_path, demo_year, file, paper, edit, names
):
    """ "{{ ky.khong_co }}": the template and the unknown name in a Vietnamese message (and the
    fields it may use), never Jinja's English "'dict object' has no attribute" as a syntax
    error."""
    ws = _workspace(tmp_path, demo_year)
    assert invoke(ws, "papers", "templates").exit_code == 0
    template = ws / "mau-van-ban" / file
    doc = Document(str(template))
    doc.paragraphs[-1].add_run(edit)
    doc.save(str(template))
    result = invoke(ws, "papers", "write", paper, "--year", "2024")
    assert result.exit_code == 2
    said = result.stderr
    assert file in said and "Mẫu văn bản" in said and all(n in said for n in names), said
    assert "lỗi cú pháp" not in said and "dict object" not in said and "attribute" not in said


def test_every_unknown_tag_of_a_template_is_named_at_once(tmp_path, demo_year):
    """Two (or three) bad tags: one message naming all of them, with what each may be, not
    one per run of the command."""
    ws = _workspace(tmp_path, demo_year)
    assert invoke(ws, "papers", "templates").exit_code == 0
    template = ws / "mau-van-ban" / "to-trinh.docx"
    doc = Document(str(template))
    doc.paragraphs[-1].add_run("{{ bien_la }} {{ ky.khong_co }}")
    doc.paragraphs[-2].add_run("{% for g in nhom %}{{ g.sai_ten }}{% endfor %}")
    doc.save(str(template))
    for lang, known in (("vi", "Các mục của ky: "), ("en", "The fields of ky: ")):
        result = invoke(ws, "papers", "write", "to-trinh", "--year", "2024", "--lang", lang)
        assert result.exit_code == 2
        said = result.stderr.replace("\n", " ")
        assert "bien_la, g.sai_ten, ky.khong_co" in said, said
        assert known in said and "ky.ho_ten" in said and "g.ten" in said, said
        assert "kinh_gui" in said  # the tags danvan fills, for the unknown name


def _broken(ws: Path, file: str) -> None:
    assert invoke(ws, "papers", "templates").exit_code == 0
    template = ws / "mau-van-ban" / file
    doc = Document(str(template))
    doc.paragraphs[-1].add_run("{{ ten_sai }}")
    doc.save(str(template))


def test_a_broken_template_stops_rank_and_validate_before_they_write(tmp_path, demo_year):
    """rank and validate --report render their papers before writing their workbook: a broken
    template stops them (exit 2) with the workbook and the papers as they were."""
    ws = _workspace(tmp_path, demo_year)
    _broken(ws, "to-trinh.docx")
    ranking = ws / OUT / "tong-hop-xet-chon-huyen-2024.xlsx"
    before = ranking.read_bytes(), (ws / PAPERS["draft"]).read_bytes()
    result = invoke(ws, "rank", "--year", "2024", "--level", "huyen", "--force")
    assert result.exit_code == 2 and "to-trinh.docx" in result.stderr
    assert (ranking.read_bytes(), (ws / PAPERS["draft"]).read_bytes()) == before
    _broken(ws, "thong-bao-ket-qua-kiem-tra.docx")
    report = ws / OUT / "bao-cao-kiem-tra-ho-so-2024.xlsx"
    notice = ws / PAPERS["notice"]
    before = report.read_bytes(), notice.read_bytes()
    result = invoke(ws, "validate", str(ws / "ho-so" / "2024"), "--report", str(report))
    assert result.exit_code == 2 and "thong-bao-ket-qua-kiem-tra.docx" in result.stderr
    assert (report.read_bytes(), notice.read_bytes()) == before


def test_a_notice_goes_to_the_body_that_sent_the_dossiers(workspace, tmp_path):
    """A collective's dossier names its commune as "Đơn vị": its notice is addressed to the
    collective itself; an individual's to the unit they work in (Đơn vị công tác), with the
    unit's own dossier when it is a collective too; files are named after the addressee."""
    from conftest import drop_dossier
    from danvan_cli.usecases.validate import validate

    drop_dossier(
        workspace, "Hội Phụ nữ xã Vạn Long", kind="collective", drop=20, unit="xã Vạn Long"
    )
    drop_dossier(workspace, "Đoàn xã Vạn Long", kind="collective", drop=20, unit="xã Vạn Long")
    drop_dossier(workspace, "Lê Thị Hà", drop=20, unit="Hội Phụ nữ xã Vạn Long")
    drop_dossier(workspace, "Trần Văn Nam", drop=20, unit="Công an xã Vạn Long")
    report = tmp_path / "bao-cao.xlsx"
    outcome = validate(workspace, [workspace.ws.dossiers(2024)], report=report)
    folder = tmp_path / "thong-bao-kiem-tra-ho-so"
    assert (
        sorted(p.name for p in folder.glob("*.docx"))
        == sorted(p.path.name for p in outcome.notices)
        == [
            "thong-bao-cong-an-xa-van-long.docx",
            "thong-bao-doan-xa-van-long.docx",
            "thong-bao-hoi-phu-nu-xa-van-long.docx",
        ]
    )
    women = paragraphs(Document(str(folder / "thong-bao-hoi-phu-nu-xa-van-long.docx")))
    assert "Kính gửi: Hội Phụ nữ xã Vạn Long." in women
    listed = [p for p in women if re.match(r"\d+\. ", p)]
    assert [p.split(" (tệp")[0] for p in listed] == ["1. Hội Phụ nữ xã Vạn Long", "2. Lê Thị Hà"]
    police = paragraphs(Document(str(folder / "thong-bao-cong-an-xa-van-long.docx")))
    assert "Kính gửi: Công an xã Vạn Long." in police
    assert not any("Kính gửi: xã Vạn Long" in p for p in women + police)


def _notice_kinds(folder: Path) -> tuple[int, int]:
    """The notices in `folder` that ask to fix and resend a dossier, and those that only list
    warnings of valid dossiers — as their text says."""
    fix = warn = 0
    for path in folder.glob("*.docx"):
        text = _text(path)
        fix += "gửi lại về" in text
        warn += "không phải gửi lại" in text
    return fix, warn


def test_the_notice_counts_say_how_many_ask_for_a_fix(demo_cli, demo_copy):
    """Not "gửi 18 đơn vị có hồ sơ cần sửa" when some notices only list warnings of valid
    dossiers: the demo and `validate --report` say how many of each (in both languages)."""
    folder = demo_cli["folder"] / OUT / "thong-bao-kiem-tra-ho-so"
    fix, warn = _notice_kinds(folder)
    assert fix and warn  # the demo has both
    said = demo_cli["result"].stderr.replace("\n", " ")
    assert (
        f"gửi {fix + warn} đơn vị: {fix} có hồ sơ cần sửa, {warn} chỉ có cảnh báo cần xem lại"
        in said
    )
    assert "đơn vị có hồ sơ cần sửa (Word)" not in said
    report = demo_copy / OUT / "bao-cao-kiem-tra-ho-so-2024.xlsx"
    for lang, expected in (
        ("vi", f"({fix} có hồ sơ cần sửa, {warn} chỉ có cảnh báo cần xem lại)"),
        ("en", f"({fix} with dossiers to fix, {warn} with warnings only)"),
    ):
        args = ["validate", str(demo_copy / "ho-so" / "2024"), "--report", str(report)]
        result = invoke(demo_copy, *args, "--lang", lang)
        assert result.exit_code == 1, result.output
        assert expected in result.stderr.replace("\n", " "), result.stderr


def test_only_the_last_article_of_a_decision_goes_with_its_signature(docs):
    """Điều 3 is kept with the signature block; Điều 1 and Điều 2 flow (chained, they pushed
    Điều 2 to the signature's page and left a quarter of page 1 blank)."""
    doc = docs["decision"]
    articles = {
        p.text.split(".")[0]: p for p in doc.paragraphs if re.match(r"Điều [123]\. ", p.text)
    }
    assert sorted(articles) == ["Điều 1", "Điều 2", "Điều 3"]
    assert [_kept(articles[a]) for a in sorted(articles)] == [False, False, True]
