"""The bundled paper templates (danvan_cli/write/papers/*.docx), built once by this generator
with python-docx and committed; `python -m danvan_cli.write.paper_templates` rebuilds them and
tests/test_papers.py checks that it reproduces the committed files' XML.

Each template is a real Word document laid out as Nghị định 30/2020/NĐ-CP, Phụ lục I asks (A4,
margins 20/20/30/15 mm, Times New Roman, the header's two columns, rules, the signature block,
"Nơi nhận") with docxtpl's Jinja tags, each tag in one run so that Word keeps it whole. The
fixed wording comes from the catalog (`paper.tpl.*`); an office edits its copy in Word.
"""

from __future__ import annotations

import datetime as dt
import io
import string
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from danvan_cli.i18n.catalog import catalog

FOLDER = Path(__file__).resolve().parent / "papers"
FONT = "Times New Roman"
FIXED = dt.datetime(2024, 1, 1)
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
CENTER, JUSTIFY, LEFT = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
    WD_ALIGN_PARAGRAPH.LEFT,
)

# The file of each template (a workspace's mau-van-ban/ copy of the same name overrides it).
TEMPLATES = {
    "proposal": "to-trinh.docx",
    "minutes": "bien-ban-hop-xet.docx",
    "decision": "quyet-dinh-khen-thuong.docx",
    "certificate": "giay-khen.docx",
    "certificate_preprinted": "giay-khen-phoi-in-san.docx",
    "notice": "thong-bao-ket-qua-kiem-tra.docx",
}


class _Tags(string.Formatter):
    """Catalog placeholders as template tags: "{nam}" → "{{ nam }}", "{h.ten}" → "{{ h.ten }}"."""

    def get_field(self, field_name: str, args: Sequence[object], kwargs: object) -> tuple[str, str]:
        return "{{ " + field_name + " }}", field_name


def w(key: str) -> str:
    """The template's fixed wording, from the catalog (papers are Vietnamese documents)."""
    return _Tags().vformat(catalog().ui[f"paper.tpl.{key}"].vi, (), {})


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    size: float | None = None


class Builder:
    """A document under construction with the decree's paragraph styles."""

    def __init__(self, *, landscape: bool = False) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21)
            margins = (Cm(1.5), Cm(1.5), Cm(2), Cm(2))
        else:
            margins = (Cm(2), Cm(2), Cm(3), Cm(1.5))  # top, bottom, left, right
        section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
            margins
        )
        section.header_distance = section.footer_distance = Cm(1)
        self.width = (section.page_width - section.left_margin - section.right_margin) / 360000
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(14)
        rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            rfonts.set(qn(attr), FONT)
        fmt = normal.paragraph_format
        fmt.space_before, fmt.space_after = Pt(0), Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        props = self.doc.core_properties
        props.author = props.last_modified_by = "danvan"
        props.created = props.modified = FIXED
        props.revision = 1
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):
            body.remove(p)
        self._fresh: set[object] = set()  # empty paragraphs of new cells, filled first

    # -- paragraphs ----------------------------------------------------------------------
    def para(
        self,
        runs: str | Run | Sequence[Run],
        *,
        where: _Cell | None = None,
        size: float = 14,
        bold: bool = False,
        italic: bool = False,
        align: WD_ALIGN_PARAGRAPH | None = CENTER,
        indent: bool = False,
        before: float = 0,
        after: float = 0,
        break_before: bool = False,
        keep: bool = False,
        line: float | None = None,
    ) -> Paragraph:
        p: Paragraph
        if where is not None and where.paragraphs and where.paragraphs[0]._p in self._fresh:
            p = where.paragraphs[0]  # a new cell's own empty paragraph
            self._fresh.discard(p._p)
        else:
            p = (where if where is not None else self.doc).add_paragraph()
        if isinstance(runs, str):
            runs = [Run(runs, bold, italic)]
        elif isinstance(runs, Run):
            runs = [runs]
        for r in runs:
            run = p.add_run(r.text)
            run.font.size = Pt(r.size or size)
            run.bold = r.bold or None
            run.italic = r.italic or None
            run.underline = r.underline or None
        fmt = p.paragraph_format
        fmt.alignment = align
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if line is not None:
            fmt.line_spacing = line
        if indent:
            fmt.first_line_indent = Cm(1.27)
        if break_before:
            fmt.page_break_before = True
        if keep:
            fmt.keep_with_next = True
        return p

    def body(self, runs: str | Run | Sequence[Run], **kw: object) -> Paragraph:
        """A body paragraph: 14 pt, justified, first line indented 1,27 cm, 6 pt after."""
        opts: dict[str, object] = {"align": JUSTIFY, "indent": True, "after": 6, "line": 1.15}
        opts.update(kw)
        return self.para(runs, **opts)  # type: ignore[arg-type]

    def tag(self, text: str, where: _Cell | None = None) -> Paragraph:
        """A paragraph holding only a docxtpl paragraph or row tag ({%p …%}, {%tr …%})."""
        return self.para(text, where=where, size=2, align=LEFT)

    def rule(self, length_cm: float, width_cm: float, where: _Cell | None = None) -> Paragraph:
        """A short horizontal rule, centred: a paragraph border between indents."""
        p = self.para("", where=where, size=2, line=1.0)
        side = Cm(max((width_cm - length_cm) / 2, 0))
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = side
        ppr = p._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for attr, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
            bottom.set(qn(f"w:{attr}"), value)
        borders.append(bottom)
        ppr.insert_element_before(borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")
        return p

    # -- tables --------------------------------------------------------------------------
    def table(self, widths: Sequence[float], rows: int, *, borders: bool) -> Table:
        table: Table = self.doc.add_table(rows=rows, cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        if borders:
            table.style = self.doc.styles["Table Grid"]
        tbl_pr = table._tbl.tblPr
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        tbl_pr.append(layout)
        if not borders:
            none = OxmlElement("w:tblBorders")
            for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
                el = OxmlElement(f"w:{side}")
                el.set(qn("w:val"), "nil")
                none.append(el)
            tbl_pr.append(none)
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), "57")  # 1 mm
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        tbl_pr.append(margins)
        for i, width in enumerate(widths):
            table.columns[i].width = Cm(width)
            for cell in table.columns[i].cells:
                cell.width = Cm(width)
                self._fresh.update(p._p for p in cell.paragraphs)
        return table

    @staticmethod
    def repeat_header(table: Table, rows: int = 1) -> None:
        for r in table.rows[:rows]:
            tr_pr = r._tr.get_or_add_trPr()
            el = OxmlElement("w:tblHeader")
            tr_pr.append(el)

    @staticmethod
    def no_split(table: Table) -> None:
        for r in table.rows:
            tr_pr = r._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))

    def save(self, path: Path) -> None:
        raw = io.BytesIO()
        self.doc.save(raw)
        out = io.BytesIO()
        with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(entry, src.read(info.filename))
        path.write_bytes(out.getvalue())


# -- the parts every paper shares ---------------------------------------------------------
LEFT_COL, RIGHT_COL = 7.0, 9.5  # the header's columns (cm): issuing body | national name


def header(b: Builder, *, date: bool = True, number: bool = True) -> None:
    """Top left the parent body (regular) and the issuing body (bold), a short rule (a star
    for a Party body), the number; top right the national name and motto with a rule under
    it (or "ĐẢNG CỘNG SẢN VIỆT NAM"), the place and date."""
    table = b.table([LEFT_COL, RIGHT_COL], 1, borders=False)
    left, right = table.rows[0].cells
    b.tag("{%p if co_quan_cap_tren %}", left)
    b.para("{{ co_quan_cap_tren }}", where=left, size=13)
    b.tag("{%p endif %}", left)
    b.para("{{ co_quan }}", where=left, size=13, bold=True)
    b.tag("{%p if dang %}", left)
    b.para("*", where=left, size=13)
    b.tag("{%p else %}", left)
    b.rule(2.2, LEFT_COL, left)
    b.tag("{%p endif %}", left)
    if number:
        b.para("{{ so }}", where=left, size=13, before=4)
    b.tag("{%p if dang %}", right)
    b.para(Run(w("party"), bold=True, underline=True, size=15), where=right)
    b.tag("{%p else %}", right)
    b.para(w("country"), where=right, size=12, bold=True)
    b.para(Run(w("motto"), bold=True, underline=True, size=13), where=right)
    b.tag("{%p endif %}", right)
    if date:
        b.para("{{ dia_danh_ngay }}", where=right, size=13.5, italic=True, before=10)


def title(b: Builder, kind: str, subject: Sequence[str | Run]) -> None:
    """The document type in capitals and its subject line, with a short rule under them."""
    b.para(kind, size=14, bold=True, before=18)
    runs = [r if isinstance(r, Run) else Run(r, bold=True) for r in subject]
    b.para(runs, size=14, bold=True)
    b.rule(4, b.width)


def basis(b: Builder) -> None:
    b.tag("{%p for dong in can_cu %}")
    b.body(Run("{{ dong }}", italic=True))
    b.tag("{%p endfor %}")


def recipients(b: Builder, cell: _Cell) -> None:
    b.para(
        Run(w("recipients"), bold=True, italic=True, size=12),
        where=cell,
        align=LEFT,
        before=6,
        keep=True,
    )
    b.tag("{%p for dong in noi_nhan %}", cell)
    b.para("{{ dong }}", where=cell, size=11, align=LEFT, keep=True)
    b.tag("{%p endfor %}", cell)


def signer(b: Builder, cell: _Cell, who: str = "ky") -> None:
    """Authority lines, position, room for signature and seal, the full name (all bold)."""
    b.tag(f"{{%p for dong in {who}.tham_quyen %}}", cell)
    b.para("{{ dong }}", where=cell, size=14, bold=True, keep=True)
    b.tag("{%p endfor %}", cell)
    b.para(f"{{{{ {who}.chuc_vu }}}}", where=cell, size=14, bold=True, keep=True)
    for _ in range(4):
        b.para("", where=cell, size=14, keep=True)
    b.para(f"{{{{ {who}.ho_ten }}}}", where=cell, size=14, bold=True)


def signature(b: Builder) -> None:
    """ "Nơi nhận" bottom left, the signer bottom right, kept on the page of the paragraph
    before them (a signature never stands alone on a page)."""
    b.para("", size=6, keep=True)
    table = b.table([7.5, b.width - 7.5], 1, borders=False)
    left, right = table.rows[0].cells
    recipients(b, left)
    b.para("", where=right, size=6)
    signer(b, right)
    Builder.no_split(table)


def candidates(
    b: Builder,
    heads: Sequence[str],
    cells: Sequence[str],
    widths: Sequence[float],
    *,
    size: float = 12,
) -> None:
    """A bordered table: a header row repeated on every page, a row per group ("I. TẬP THỂ")
    spanning the table, a row per candidate (docxtpl row loops)."""
    table = b.table(widths, 7, borders=True)
    rows = table.rows
    # the header row and a group's row ("I. TẬP THỂ") stay with the row under them: never
    # alone at a page's foot
    for cell, text in zip(rows[0].cells, heads, strict=True):
        b.para(text, where=cell, size=size, bold=True, keep=True)
    b.tag("{%tr for g in nhom %}", rows[1].cells[0])
    group = rows[2].cells[0].merge(rows[2].cells[-1])
    b.para("{{ g.ten }}", where=group, size=size, bold=True, align=LEFT, keep=True)
    b.tag("{%tr for c in g.ds %}", rows[3].cells[0])
    for i, (cell, text) in enumerate(zip(rows[4].cells, cells, strict=True)):
        align = CENTER if i == 0 or text.endswith("diem }}") else LEFT
        b.para(text, where=cell, size=size, align=align)
    b.tag("{%tr endfor %}", rows[5].cells[0])
    b.tag("{%tr endfor %}", rows[6].cells[0])
    Builder.repeat_header(table)
    Builder.no_split(table)


# -- the papers --------------------------------------------------------------------------
def proposal() -> Builder:
    """Tờ trình (Mẫu 1.4)."""
    b = Builder()
    header(b)
    title(b, w("proposal"), [w("proposal_subject")])
    b.para(w("to"), size=14, before=6, after=6)
    basis(b)
    b.tag("{%p if xet_cap_duoi %}")  # chosen among the lower level's recognized (R5)
    b.body(w("proposal_considered"))
    b.tag("{%p else %}")  # the dossiers received, checked and scored
    b.body(w("proposal_checked"))
    b.tag("{%p endif %}")
    b.body(w("proposal_request"), keep=True)
    candidates(
        b,
        [w("col_no"), w("col_name"), w("col_unit"), w("col_model"), w("col_total"), w("col_basis")],
        [
            "{{ c.stt }}",
            "{{ c.ten }}",
            "{{ c.don_vi }}",
            "{{ c.mo_hinh }}",
            "{{ c.diem }}",
            "{{ c.can_cu }}",
        ],
        [1.3, 3.6, 3.3, 3.9, 1.5, 2.9],
    )
    # the table's last row, the ties, the closing line and the signature: on one page
    b.para("", size=6, keep=True)
    b.tag("{%p for dong in bang_diem %}")
    b.body(Run("{{ dong }}", italic=True), keep=True)
    b.tag("{%p endfor %}")
    b.body(w("proposal_close"), keep=True)
    signature(b)
    return b


def minutes() -> Builder:
    """Biên bản họp xét (Mẫu 1.9): time, place, who attends, the candidates and the vote."""
    b = Builder()
    header(b, date=False)
    title(b, w("minutes"), [w("minutes_subject")])
    b.body(w("minutes_time"), before=6, align=LEFT)
    b.body(w("minutes_place"), align=LEFT)
    b.body(w("minutes_attend"), align=LEFT)
    b.body(w("minutes_chair"), align=LEFT)
    b.body(w("minutes_secretary"), align=LEFT)
    b.body(w("minutes_members"), align=LEFT)
    for _ in range(3):
        b.body(w("minutes_dots"), align=LEFT)
    b.body(w("minutes_absent"), align=LEFT)
    b.body(Run(w("minutes_content"), bold=True))
    b.tag("{%p if xet_cap_duoi %}")
    b.body(w("minutes_considered"))
    b.tag("{%p else %}")
    b.body(w("minutes_checked"))
    b.tag("{%p endif %}")
    candidates(
        b,
        [w("col_no"), w("col_name"), w("col_unit"), w("col_total"), w("col_result"), w("col_vote")],
        [
            "{{ c.stt }}",
            "{{ c.ten }}",
            "{{ c.don_vi }}",
            "{{ c.diem }}",
            "{{ c.ket_qua }}",
            "{{ c.bieu_quyet }}",
        ],
        [1.3, 4.3, 3.5, 1.5, 2.9, 3.0],
    )
    # the ties, the vote, the closing line and the signatures: on one page, with the list's end
    b.para("", size=6, keep=True)
    b.tag("{%p if bang_diem %}")
    b.body(Run(w("minutes_ties"), bold=True), keep=True)
    b.tag("{%p for dong in bang_diem %}")
    b.body("{{ dong }}", keep=True)
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p if da_hop %}")
    b.body(w("minutes_result_done"), keep=True)
    b.tag("{%p else %}")
    b.body(w("minutes_result_blank"), keep=True)
    b.tag("{%p endif %}")
    b.body(w("minutes_close"), keep=True)
    b.para("", size=6, keep=True)
    table = b.table([b.width / 2, b.width / 2], 1, borders=False)
    left, right = table.rows[0].cells
    signer(b, left, "thu_ky")
    signer(b, right, "chu_tri")
    Builder.no_split(table)
    table = b.table([b.width], 1, borders=False)
    recipients(b, table.rows[0].cells[0])
    return b


def decision() -> Builder:
    """Quyết định khen thưởng (Mẫu 1.2) and, on its own page, the list it awards."""
    b = Builder()
    header(b)
    title(b, w("decision"), [w("decision_subject")])
    b.para("{{ tham_quyen }}", size=14, bold=True, before=6, after=6)
    basis(b)
    b.body(Run(w("decision_proposed"), italic=True))
    b.para(w("decides"), size=14, bold=True, before=6, after=6)
    b.body([Run(w("article1_label"), bold=True), Run(w("article1"))])
    b.body([Run(w("article2_label"), bold=True), Run(w("article2"))])
    # only the last article goes with the signature: chaining Điều 2 too left a quarter of
    # page 1 blank whenever the signature did not fit under Điều 3
    b.body([Run(w("article3_label"), bold=True), Run(w("article3"))], keep=True)
    signature(b)
    b.para(w("list"), size=14, bold=True, break_before=True)
    b.para(w("list_subject"), size=14, bold=True)
    b.para(w("list_annex"), size=14, italic=True)
    b.rule(4, b.width)
    b.para("", size=6)
    candidates(
        b,
        [w("col_no"), w("col_name"), w("col_position_unit"), w("col_model")],
        ["{{ c.stt }}", "{{ c.ten }}", "{{ c.chuc_vu_don_vi }}", "{{ c.mo_hinh }}"],
        [1.3, 4.9, 4.9, 5.4],
        size=13,
    )
    return b


def _certificate(preprinted: bool) -> Builder:
    """Giấy khen: a landscape A4 page per candidate. On plain A4 everything, in a double
    frame; on a pre-printed blank only what the blank lacks, where the blank leaves room
    (its national name at the top, its title in the middle: move the lines in Word to fit)."""
    b = Builder(landscape=True)
    if not preprinted:
        frame(b)
    b.tag("{%p for g in giay_khen %}")
    if preprinted:
        b.para("", size=14, break_before=True, before=60)
    else:
        b.para(w("country"), size=15, bold=True, break_before=True, before=6)
        b.para(Run(w("motto"), bold=True, underline=True, size=15))
    b.para("{{ tham_quyen }}", size=17, bold=True, before=24)
    b.para(w("certificate_gives"), size=17, bold=True, before=6)
    if preprinted:
        b.para("", size=40, before=6, after=6)
    else:
        b.para("{{ hinh_thuc }}", size=44, bold=True, before=6, after=6)
    b.para("{{ g.ten }}", size=26, bold=True, before=12)
    b.para("{{ g.dong_2 }}", size=17, before=6)
    b.para("{{ thanh_tich }}", size=17, italic=True, before=14)
    b.para("", size=14)
    table = b.table([b.width / 2, b.width / 2], 1, borders=False)
    left, right = table.rows[0].cells
    b.para(w("certificate_decision"), where=left, size=13, before=36)
    b.para(w("certificate_book"), where=left, size=13)
    b.para("{{ dia_danh_ngay }}", where=right, size=14, italic=True)
    signer(b, right)
    Builder.no_split(table)
    b.tag("{%p endfor %}")
    return b


def frame(b: Builder) -> None:
    """A double rule around the page, 1 cm inside its edge."""
    sect = b.doc.sections[0]._sectPr
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        for attr, value in (("val", "double"), ("sz", "12"), ("space", "28"), ("color", "000000")):
            el.set(qn(f"w:{attr}"), value)
        borders.append(el)
    sect.insert_element_before(
        borders, "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign", "w:docGrid"
    )


def certificate() -> Builder:
    return _certificate(False)


def certificate_preprinted() -> Builder:
    return _certificate(True)


def notice() -> Builder:
    """Thông báo kết quả kiểm tra hồ sơ: what each dossier of a unit must fix, by when."""
    b = Builder()
    header(b)
    title(b, w("notice"), [w("notice_subject")])
    b.para(w("to"), size=14, before=6, after=6)
    b.tag("{%p if can_sua %}")  # some dossier must be fixed and sent back
    b.body(w("notice_checked"))
    b.tag("{%p else %}")  # every dossier valid: warnings to look at, nothing to resend
    b.body(w("notice_checked_valid"))
    b.tag("{%p endif %}")
    b.tag("{%p for h in ho_so %}")
    b.body(Run(w("notice_dossier"), bold=True), before=6, keep=True)
    table = b.table([1.3, 2.6, 2.9, 4.9, 4.8], 4, borders=True)
    rows = table.rows
    heads = [w("col_no"), w("col_position"), w("col_rule"), w("col_problem"), w("col_fix")]
    for cell, text in zip(rows[0].cells, heads, strict=True):
        b.para(text, where=cell, size=12, bold=True)
    b.tag("{%tr for l in h.loi %}", rows[1].cells[0])
    cells = [
        "{{ l.stt }}",
        "{{ l.vi_tri }}",
        "{{ l.quy_dinh }}",
        "{{ l.noi_dung }}",
        "{{ l.cach_sua }}",
    ]
    for i, (cell, text) in enumerate(zip(rows[2].cells, cells, strict=True)):
        b.para(text, where=cell, size=12, align=CENTER if i == 0 else LEFT)
    b.tag("{%tr endfor %}", rows[3].cells[0])
    Builder.repeat_header(table)
    Builder.no_split(table)
    b.tag("{%p endfor %}")
    b.tag("{%p if can_sua %}")
    b.body(w("notice_deadline"), before=6, keep=True)
    b.tag("{%p else %}")
    b.body(w("notice_valid_close"), before=6, keep=True)
    b.tag("{%p endif %}")
    signature(b)
    return b


BUILDERS: dict[str, Callable[[], Builder]] = {
    "proposal": proposal,
    "minutes": minutes,
    "decision": decision,
    "certificate": certificate,
    "certificate_preprinted": certificate_preprinted,
    "notice": notice,
}


def build(folder: Path = FOLDER) -> list[Path]:
    """Write every template into `folder`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in BUILDERS.items():
        path = folder / TEMPLATES[name]
        make().save(path)
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - the developers' command
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER
    for path in build(target):
        print(path)
