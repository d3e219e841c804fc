"""Every printed workbook signable as is, and every paper and workbook looked at as an
official would: rendered to PDF by LibreOffice (A4, page counts, nothing cut, 10 pt or more).

The workbook checks read the files danvan wrote (fast); the rendering test converts them all in
one LibreOffice call and reads the PDFs with poppler's pdftotext."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter, range_boundaries

from danvan_cli.write.document import BODY_PT, MIN_PT, lines_needed, print_scale, text_units

OUT = Path("ket-qua") / "2024"
WORKBOOKS = {
    "rejections": OUT / "bao-cao-kiem-tra-ho-so-2024.xlsx",
    "ranking": OUT / "tong-hop-xet-chon-huyen-2024.xlsx",
    "province_ranking": OUT / "tong-hop-xet-chon-tinh-2024.xlsx",
    "package": OUT / "de-nghi-cap-tinh-2024" / "de-nghi-khen-thuong-cap-tinh-2024.xlsx",
    "annual": Path("ket-qua") / "bao-cao-ket-qua-2024.xlsx",
    "phase": Path("ket-qua") / "bao-cao-ket-qua-2023-2024.xlsx",
}
# Sheets for machines and files, not for signing: the sources and the ranking's inputs.
MACHINE = {"Nguồn dữ liệu", "Dữ liệu đầu vào"}
UNSIGNED = {"Biểu đồ"}  # the results reports' charts: an annex of their signed tables
BLANK = re.compile(r"^…+$")  # a dotted line a person fills in (a signer's name)
CODE = re.compile(
    r"\b(file|info|score|total|evidence|document|deadline|eligibility|text)\.[a-z_]+\b"
)
DIGEST = re.compile(r"\b[0-9a-f]{64}\b")
FILE_NAME = re.compile(r"[\w-]+\.(xlsx|xlsm|xls|ods|docx|csv)\b")
NUMBER_BLANK = re.compile(r"[Ss]ố:? …+/")  # a document's number, left for the clerk
# The province package is the list annexed to the Word Tờ trình: signed by the Tờ trình's
# signer alone (no "NGƯỜI LẬP BIỂU"); every other workbook by its maker and its signer.
ANNEXES = {"package"}


def printed_sheets(demo_year: Path):
    for name, path in WORKBOOKS.items():
        book = openpyxl.load_workbook(demo_year / path)
        for ws in book.worksheets:
            if ws.title not in MACHINE:
                yield name, ws


def print_columns(ws) -> int:
    if ws.print_area:
        area = ws.print_area if isinstance(ws.print_area, str) else ws.print_area[0]
        return range_boundaries(area.split("!")[-1].replace("$", ""))[2]
    return ws.max_column


def test_every_printed_sheet_is_a4_at_10_pt_or_more(demo_year):
    for name, ws in printed_sheets(demo_year):
        where = f"{name}/{ws.title}"
        assert int(ws.page_setup.paperSize) == 9, where
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, where  # a scale that can be checked
        scale = int(ws.page_setup.scale)
        assert BODY_PT * scale / 100 >= MIN_PT, (where, scale)
        cols = print_columns(ws)
        assert print_scale(ws, cols, ws.page_setup.orientation) >= scale, where
        sizes = {
            c.font.sz for row in ws.iter_rows(max_col=cols) for c in row if c.value is not None
        }
        assert min(sizes) >= BODY_PT, where


def test_no_machine_text_placeholder_or_english_on_the_signed_page(demo_year):
    for name, ws in printed_sheets(demo_year):
        cols = print_columns(ws)
        for row in ws.iter_rows(max_col=cols):
            for c in row:
                if not isinstance(c.value, str):
                    continue
                where = f"{name}/{ws.title}!{c.coordinate}"
                # no placeholder of a message; the blanks are the number the clerk gives and
                # the dotted line for a name under a signature
                text = NUMBER_BLANK.sub("", c.value)  # "Số: ……/TTr-UBND", "Tờ trình số ……/…"
                assert "…" not in text or BLANK.match(c.value), where
                assert not DIGEST.search(c.value) and "SHA-256" not in c.value, where
                assert not CODE.search(c.value), where
                assert not c.value.startswith("ho-so/"), where  # paths stay in the sources
                # file names too: only a dossier whose name cannot be read is told by its file
                named = FILE_NAME.sub("", c.value.removeprefix("(không rõ — tệp "))
                assert named == c.value or c.value.startswith("(không rõ — tệp "), where
                assert not re.search(r"danvan \d", c.value), where  # no version stamps


def test_numbers_are_numbers_shown_the_vietnamese_way(demo_year):
    for name, ws in printed_sheets(demo_year):
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, int | float) and not isinstance(c.value, bool):
                    assert c.number_format.startswith("[$-42A]"), (name, ws.title, c.coordinate)


def test_every_signed_sheet_has_its_signature_block(demo_year):
    """The maker and the signer, room to sign, then their names: the plan's name of the signer
    or a dotted line to fill in by hand (as on the Word papers)."""
    for name, ws in printed_sheets(demo_year):
        if ws.title in UNSIGNED:
            continue
        values = [c.value for row in ws.iter_rows(max_col=print_columns(ws)) for c in row]
        assert ("NGƯỜI LẬP BIỂU" in values) == (name not in ANNEXES), (name, ws.title)
        assert "TRƯỞNG BAN" in values or "CHỦ TỊCH" in values, (name, ws.title)
        first, _ = signature_rows(ws)
        under = [
            [c.value for c in row if isinstance(c.value, str)]
            for row in ws.iter_rows(min_row=first + 2, max_row=first + 8)
        ]
        names = next(row for row in under if row)
        signer = "Đàm Ngọc Quang" if "CHỦ TỊCH" in values else None  # the Board's: unnamed
        if name in ANNEXES:
            assert names == [signer], (name, ws.title, names)
            continue
        assert len(names) == 2 and BLANK.match(names[0]), (name, ws.title, names)
        assert names[1] == signer or (signer is None and BLANK.match(names[1])), names


# who signs each workbook (the plan's documents:), and so the header it carries
PARTY = ("HUYỆN ỦY VẠN NINH", "BAN DÂN VẬN", "ĐẢNG CỘNG SẢN VIỆT NAM")
STATE = ("ỦY BAN NHÂN DÂN", "HUYỆN VẠN NINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
         "Độc lập - Tự do - Hạnh phúc")  # fmt: skip


def test_a_workbook_is_headed_by_the_body_that_signs_it(demo_year):
    """The Board (documents.workbooks, a Party body) signs the rejection report, the rankings
    and the results reports: "HUYỆN ỦY VẠN NINH / BAN DÂN VẬN" under "ĐẢNG CỘNG SẢN VIỆT NAM";
    the province package is the district People's Committee's (it signs the Tờ trình)."""
    for name, ws in printed_sheets(demo_year):
        top = [c.value for row in ws.iter_rows(max_row=4) for c in row if c.value]
        values = {c.value for row in ws.iter_rows() for c in row}
        if name == "package":
            assert all(line in top for line in STATE), (name, ws.title, top)
            assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in top
            if ws.title not in UNSIGNED:
                assert {"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"} <= values, ws.title
        else:
            assert all(line in top for line in PARTY), (name, ws.title, top)
            assert not {
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "ỦY BAN NHÂN DÂN HUYỆN VẠN NINH",
            } & set(top)
            if ws.title not in UNSIGNED:
                assert "TRƯỞNG BAN" in values and "CHỦ TỊCH" not in values, (name, ws.title)


def test_a_plan_without_a_workbooks_issuer_heads_them_with_its_authority(tmp_path, config):
    from openpyxl import Workbook

    from danvan_cli.write.document import letterhead, workbook_signer, write_header

    plan = config.plan.model_copy(
        update={"documents": config.plan.documents.model_copy(update={"workbooks": None})}
    )
    bare = config.model_copy(update={"plan": plan})
    head = letterhead(bare)
    assert head.name == ("ỦY BAN NHÂN DÂN HUYỆN VẠN NINH",) and not head.party
    assert workbook_signer(bare) is None
    ws = Workbook().active
    write_header(ws, head, "TIÊU ĐỀ", 6)
    assert ws["A1"].value == "ỦY BAN NHÂN DÂN HUYỆN VẠN NINH"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in [c.value for c in ws[1]]


def test_header_cells_are_wide_and_tall_enough_for_their_text(demo_year):
    """The merged header and title cells against their text: the text's lines at its size fit
    the merged width and the row's height."""
    for name, ws in printed_sheets(demo_year):
        widths = {
            c: ws.column_dimensions[get_column_letter(c)].width or 8.43
            for c in range(1, ws.max_column + 1)
        }
        for merged in ws.merged_cells.ranges:
            c1, r1, c2, _ = merged.bounds
            cell = ws.cell(r1, c1)
            if not isinstance(cell.value, str) or r1 > 8:
                continue
            width = sum(widths[c] for c in range(c1, c2 + 1))
            size, bold = cell.font.sz or BODY_PT, bool(cell.font.b)
            lines = lines_needed(cell.value, width, size, bold)
            height = ws.row_dimensions[r1].height or 15
            assert height >= lines * size * 1.2, (name, ws.title, cell.coordinate, cell.value)
            if r1 <= 3:  # the authority, the national name, the motto: on one line
                assert text_units(cell.value, size, bold) <= width, (name, ws.title, cell.value)


def test_wrapped_header_rows_are_tall_enough(demo_year):
    for name, ws in printed_sheets(demo_year):
        header = next(
            (
                r
                for r in range(1, 15)
                if ws.cell(r, 1).value in ("STT", "Hạng", "Nội dung", "Quy định", "Năm")
            ),
            None,
        )
        if header is None:
            continue
        for c in range(1, print_columns(ws) + 1):
            value = ws.cell(header, c).value
            if isinstance(value, str):
                width = ws.column_dimensions[get_column_letter(c)].width or 8.43
                lines = lines_needed(value, width, BODY_PT, True)
                height = ws.row_dimensions[header].height or 15.75
                assert height >= lines * BODY_PT * 1.2, (name, ws.title, value)


# -- looked at as an official would: rendered by LibreOffice -----------------------------------
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
needs_office = pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None,
    reason="LibreOffice or poppler-utils is not installed (.ci/run installs them from Debian's "
    "packages); the rendering to PDF cannot be checked here",
)
PAPERS = {
    "to-trinh-huyen-2024.docx": (2, 4),
    "bien-ban-hop-xet-huyen-2024-du-thao.docx": (2, 4),
    "bien-ban-hop-xet-huyen-2024.docx": (2, 4),
    "quyet-dinh-khen-thuong-huyen-2024-123-qd-ubnd.docx": (2, 4),
    "giay-khen-huyen-2024-123-qd-ubnd.docx": (7, 7),  # one page per recognized candidate
    "thong-bao-hoi-phu-nu-xa-van-long.docx": (1, 2),
}


@pytest.fixture(scope="module")
def rendered(demo_year: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every paper and printed workbook converted to PDF in one LibreOffice run."""
    folder = tmp_path_factory.mktemp("pdf")
    sources = [demo_year / OUT / n for n in PAPERS if (demo_year / OUT / n).exists()]
    sources.append(
        demo_year / OUT / "thong-bao-kiem-tra-ho-so" / "thong-bao-hoi-phu-nu-xa-van-long.docx"
    )
    sources.append(demo_year / OUT / "de-nghi-cap-tinh-2024" / "to-trinh-tinh-2024.docx")
    sources += [demo_year / p for p in WORKBOOKS.values()]
    profile = folder / "profile"
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return folder


def pdf_pages(pdf: Path) -> list[str]:
    out = subprocess.run(
        [str(PDFTOTEXT), "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def page_sizes(pdf: Path) -> set[tuple[int, int]]:
    info = subprocess.run(
        [str(Path(PDFTOTEXT).with_name("pdfinfo")), "-l", "100", str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {
        (round(float(w)), round(float(h)))
        for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    }


def word_heights(pdf: Path) -> list[float]:
    """The heights (pt) of the words pdftotext sees, about their font size."""
    html = subprocess.run(
        [str(PDFTOTEXT), "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [
        float(y2) - float(y1)
        for y1, y2 in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', html)
    ]


@needs_office
def test_every_paper_renders_on_a4_with_its_pages_and_nothing_cut(rendered, demo_year):
    from docx import Document

    for name, (least, most) in PAPERS.items():
        pdf = rendered / name.replace(".docx", ".pdf")
        pages = pdf_pages(pdf)
        assert least <= len(pages) <= most, (name, len(pages))
        sizes = page_sizes(pdf)
        assert sizes <= {(595, 842), (842, 595)}, (name, sizes)  # A4
        text = re.sub(r"\s+", " ", " ".join(pages))
        source = demo_year / OUT / name
        if not source.exists():
            source = demo_year / OUT / "thong-bao-kiem-tra-ho-so" / name
        doc = Document(str(source))
        for table in doc.tables:  # every name in every table printed whole
            for row in table.rows:
                cells = [c.text for c in row.cells]
                if cells and cells[0].strip().isdigit() and len(cells) > 1:
                    words = cells[1].split()
                    assert all(w in text for w in words), (name, cells[1])
        last = pages[-1]
        assert "Nơi nhận" in text or "GIẤY KHEN" in text
        assert last.strip(), name  # no empty last page
    cert = pdf_pages(rendered / "giay-khen-huyen-2024-123-qd-ubnd.pdf")
    assert all("GIẤY KHEN" in p and "CHỦ TỊCH" in p for p in cert)
    # the signature never stands alone: the page with it has the paper's last paragraph too
    decision = pdf_pages(rendered / "quyet-dinh-khen-thuong-huyen-2024-123-qd-ubnd.pdf")
    signed = next(p for p in decision if "Đàm Ngọc Quang" in p)
    assert "Điều 3" in signed


@needs_office
def test_every_printed_workbook_renders_legibly_with_its_signature(rendered, demo_year):
    for name, path in WORKBOOKS.items():
        pdf = rendered / path.name.replace(".xlsx", ".pdf")
        pages = pdf_pages(pdf)
        text = " ".join(pages)
        assert page_sizes(pdf) <= {(595, 842), (842, 595)}, name
        if name in ANNEXES:  # signed by the Tờ trình's signer
            assert "TM. ỦY BAN NHÂN DÂN" in text and "Đàm Ngọc Quang" in text, name
            assert "NGƯỜI LẬP BIỂU" not in text and ".docx" not in text, name
        else:
            assert "NGƯỜI LẬP BIỂU" in text, name
        assert not DIGEST.search(text), name  # the SHA-256 column is off the printed pages
        heights = word_heights(pdf)
        small = [h for h in heights if h < 9.5]
        assert len(small) <= len(heights) * 0.02, (name, sorted(small)[:5])  # ~10 pt and more
    ranking = " ".join(pdf_pages(rendered / "tong-hop-xet-chon-huyen-2024.pdf"))
    book = openpyxl.load_workbook(demo_year / WORKBOOKS["ranking"])
    names = [
        r[1].value
        for ws in (book["Tập thể"], book["Cá nhân"])
        for r in ws.iter_rows(min_row=9)
        if isinstance(r[0].value, int)
    ]
    flat = re.sub(r"\s+", " ", ranking)
    for full in names:  # every candidate's name printed, every word of it (nothing clipped)
        assert all(word in flat for word in full.split()), full
    assert "Quyết định" in flat and "Hội đồng" in flat  # the council's column is on the page


# -- pages: where they break, and what stays together ----------------------------------------
def page_starts(ws) -> list[int]:
    """The first row of every printed page of a sheet (its manual breaks)."""
    return [1, *sorted(b.id + 1 for b in ws.row_breaks.brk)]


def page_of(ws, row: int) -> int:
    return sum(1 for start in page_starts(ws) if start <= row)


def signature_rows(ws) -> tuple[int, int]:
    """The signature block: from "NGƯỜI LẬP BIỂU" (or, on an annex, its signer's first line)
    to the names under it."""
    starts = ("NGƯỜI LẬP BIỂU", "TM. ỦY BAN NHÂN DÂN")
    first = next(
        r
        for r in range(ws.max_row, 0, -1)
        if any(c.value in starts for c in ws[r]) and not any(c.value in starts for c in ws[r - 1])
    )
    last = max(
        r
        for r in range(first, min(first + 9, ws.max_row) + 1)
        if any(
            isinstance(c.value, str) and (BLANK.match(c.value) or c.value == "Đàm Ngọc Quang")
            for c in ws[r]
        )
    )
    return first, last


def test_a_signature_block_is_never_split_nor_alone_on_its_page(demo_year):
    """Every printed page ends where danvan says (a manual break at each page's end), so that
    a signature block stays whole on one page, with the table's last rows above it."""
    from danvan_cli.write.document import page_height, row_height

    for name, ws in printed_sheets(demo_year):
        if ws.title in UNSIGNED:
            continue
        first, last = signature_rows(ws)
        assert page_of(ws, first) == page_of(ws, last), (name, ws.title)
        table = [
            r
            for r in range(1, first)
            if isinstance(ws.cell(r, 1).value, int | float) or ws.cell(r, 2).value
        ]
        if ws.print_title_rows:  # a table: one of its rows printed with the signature
            assert any(page_of(ws, r) == page_of(ws, first) for r in table if r > 8), ws.title
        starts = [*page_starts(ws), ws.max_row + 1]
        title = int(ws.print_title_rows.split(":")[0].lstrip("$")) if ws.print_title_rows else None
        for a, b in itertools.pairwise(starts):  # no page fuller than a page
            used = sum(row_height(ws, r) for r in range(a, b))
            if title is not None and a > title:
                used += row_height(ws, title)
            assert used <= page_height(ws), (name, ws.title, a)


def test_charts_fit_the_printed_page(demo_year):
    """Each chart as wide as the page at most, and on one page (no page break across it)."""
    from danvan_cli.write.document import page_width_cm, row_height

    for name in ("annual", "phase"):
        book = openpyxl.load_workbook(demo_year / WORKBOOKS[name])
        ws = book["Biểu đồ"]
        assert not ws.print_title_rows  # no table header printed over a chart
        charts = ws._charts
        assert len(charts) == (4 if name == "phase" else 3)
        for chart in charts:
            anchor = chart.anchor
            width_cm, height_cm = anchor.ext.width / 360000, anchor.ext.height / 360000
            assert width_cm <= page_width_cm(ws) + 0.01, (name, width_cm)
            top = anchor._from.row + 1
            bottom, covered = top, 0.0
            while covered < height_cm / 2.54 * 72:
                covered += row_height(ws, bottom)
                bottom += 1
            assert page_of(ws, top - 1) == page_of(ws, bottom), (name, top)
            assert chart.legend.position == "b"


@needs_office
def test_libreoffice_breaks_pages_where_danvan_does(rendered, demo_year):
    """The PDF has exactly danvan's pages: no break of the printing program's own cuts a
    signature block or a chart; and no two printed words overlap (every row tall enough for
    its wrapped text)."""
    for name, path in WORKBOOKS.items():
        book = openpyxl.load_workbook(demo_year / path)
        expected = sum(
            len(page_starts(ws)) for ws in book.worksheets if ws.sheet_state == "visible"
        )
        pdf = rendered / path.name.replace(".xlsx", ".pdf")
        assert len(pdf_pages(pdf)) == expected, name
        for page, boxes in enumerate(word_boxes(pdf), start=1):
            for i, a in enumerate(boxes):
                for b in boxes[i + 1 :]:
                    assert not overlap(a, b), (name, page, a[4], b[4])


def word_boxes(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (x1, y1, x2, y2, word)."""
    html = subprocess.run(
        [str(PDFTOTEXT), "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        words = re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page
        )
        pages.append([(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in words])
    return pages


def overlap(a, b) -> bool:
    """Two words drawn over each other (more than a sliver: glyph boxes touch at their edges)."""
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx > 1.0 and dy > 0.3 * min(a[3] - a[1], b[3] - b[1])


TOOL = re.compile(r"danvan|`")


def test_no_unfilled_placeholder_tool_name_or_command_on_a_printed_page(demo_year):
    """Printed text is for officials: every "{placeholder}" filled, no tool name, no command,
    no backticks; a rule said in words with the plan's figures (the notices' wording)."""
    rules_seen = set()
    for name, ws in printed_sheets(demo_year):
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str):
                    continue
                where = f"{name}/{ws.title}!{c.coordinate}: {c.value}"
                assert "{" not in c.value and "}" not in c.value, where
                assert not TOOL.search(c.value), where
                assert not re.fullmatch(r"R\d{1,2}", c.value), where  # a rule: in words
                rules_seen.add(c.value)
    assert "Mỗi tiêu chí đạt từ 90% điểm chuẩn, tổng từ 90 điểm" in rules_seen
    assert "Cấp huyện chọn trong số điển hình cấp cơ sở" in rules_seen


@needs_office
@pytest.mark.parametrize(
    "name, with_signature",
    [
        ("to-trinh-huyen-2024", "bằng nhau ở mọi tiêu chí"),  # the ties, not the closing alone
        ("to-trinh-tinh-2024", "Trần Văn Minh"),  # the list's end
        ("bien-ban-hop-xet-huyen-2024", "Kết quả biểu quyết"),
        ("quyet-dinh-khen-thuong-huyen-2024-123-qd-ubnd", "Điều 3."),
    ],
)
def test_no_paper_page_holds_only_its_closing_or_a_stranded_header(rendered, name, with_signature):
    """As LibreOffice prints them: the signature's page holds more than the closing line, and
    no page ends with the candidates table's header (or a group's row) without a row under it."""
    pages = pdf_pages(rendered / f"{name}.pdf")
    signed = next(p for p in pages if "Nơi nhận" in p)
    assert with_signature in signed, (name, signed[:300])
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        heads = [i for i, line in enumerate(lines) if line.startswith("STT")]
        for i in heads:  # a header row is followed, on its page, by a numbered row
            assert any(re.match(r"\d+\s", line) for line in lines[i + 1 :]), (name, lines[i:])
