"""Make a corpus of broken and hostile files (run: python tests/hostile.py DIR).

Nobody on the team wrote these by hand in Excel: each is built here the way an attacker or a
broken mail client would make it, so the tests and anyone curious can regenerate them.
"""

from __future__ import annotations

import io
import re
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import openpyxl

ONE_GB = 1 << 30


def _minimal_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Năm"
    wb.active["B1"] = 2024
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def zip_bomb(path: Path) -> Path:
    """A workbook whose sheet inflates to 1 GB of valid XML rows, sizes declared honestly.

    The deflate stream is one fully-flushed 1 MB segment repeated: each copy decodes on its
    own, so the 1 GB never has to be compressed here (it takes a second, not a minute).
    """
    row = b'<row r="1"><c r="A1"><v>1</v></c></row>'
    chunk = row * ((1 << 20) // len(row))
    head = b'<?xml version="1.0"?><worksheet><sheetData>'
    tail = b"</sheetData></worksheet>"

    def segment(data: bytes) -> bytes:
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        return comp.compress(data) + comp.flush(zlib.Z_FULL_FLUSH)

    repeats = ONE_GB // len(chunk)
    end = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = segment(head) + segment(chunk) * repeats + end.compress(tail) + end.flush()
    size = len(head) + len(chunk) * repeats + len(tail)
    src = zipfile.ZipFile(io.BytesIO(_minimal_xlsx()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                zf.writestr(info.filename, src.read(info.filename))
    _append_raw_entry(path, "xl/worksheets/sheet1.xml", body, size, crc=0)
    return path


def lying_zip_bomb(path: Path) -> Path:
    """The same bomb, its headers claiming the sheet is 1 KB."""
    zip_bomb(path)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    at = data.rfind(b"PK\x01\x02")
    while at != -1:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len] == name:
            struct.pack_into("<I", data, at + 24, 1024)  # uncompressed size in the directory
            break
        at = data.rfind(b"PK\x01\x02", 0, at)
    path.write_bytes(bytes(data))
    return path


def _append_raw_entry(path: Path, name: str, body: bytes, size: int, crc: int) -> None:
    """Add an already-deflated entry to a zip (zipfile cannot write one without inflating)."""
    data = path.read_bytes()
    end = data.rfind(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack_from("<II", data, end + 12)
    entries = struct.unpack_from("<H", data, end + 10)[0]
    head, central = data[:cd_offset], data[cd_offset : cd_offset + cd_size]
    raw = name.encode()
    local = (
        struct.pack(
            "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(body), size, len(raw), 0
        )
        + raw
    )
    offset = len(head)
    entry = (
        struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(body),
            size,
            len(raw),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        + raw
    )
    new_head = head + local + body
    new_central = central + entry
    eocd = struct.pack(
        "<4sHHHHIIH",
        b"PK\x05\x06",
        0,
        0,
        entries + 1,
        entries + 1,
        len(new_central),
        len(new_head),
        0,
    )
    path.write_bytes(new_head + new_central + eocd)


def billion_laughs(path: Path) -> Path:
    """A sheet XML declaring nested entities that would expand to gigabytes."""
    lol = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    ]
    xml = (
        '<?xml version="1.0"?><!DOCTYPE lolz [' + "".join(lol) + "]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    src = zipfile.ZipFile(io.BytesIO(_minimal_xlsx()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = (
                xml.encode()
                if info.filename == "xl/worksheets/sheet1.xml"
                else src.read(info.filename)
            )
            zf.writestr(info.filename, data)
    return path


def encrypted(path: Path) -> Path:
    """A workbook with an opening password, encrypted the way Excel does (msoffcrypto-tool)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO(_minimal_xlsx())
    with path.open("wb") as out:
        OOXMLFile(plain).encrypt("matkhau", out)
    return path


def simple_cases(folder: Path) -> dict[str, Path]:
    good = _minimal_xlsx()
    cases = {
        "truncated.xlsx": good[: len(good) // 3],
        "random.xlsx": bytes((i * 7919 + 13) % 256 for i in range(20_000)),
        "csv-renamed.xlsx": "STT,Tiêu chí,Điểm\n1,a,15\n".encode(),
        "html-as.xls": b"<html><body><table><tr><td>Nam</td></tr></table></body></html>",
        "zero.xlsx": b"",
        "ole-junk.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000,
    }
    out = {}
    for name, data in cases.items():
        (folder / name).write_bytes(data)
        out[name] = folder / name
    empty = folder / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    out["empty.xlsx"] = empty
    return out


# -- round 2 (issue 12): guards that parse instead of guessing ---------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def _rezip(
    data: bytes, replace: dict[str, bytes | None], add: dict[str, bytes] | None = None
) -> bytes:
    """A copy of a zip with some entries replaced (None: removed) or added."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            if info.filename in replace:
                new = replace[info.filename]
                if new is not None:
                    zf.writestr(info.filename, new)
            else:
                zf.writestr(info.filename, src.read(info.filename))
        for name, body in (add or {}).items():
            zf.writestr(name, body)
    return out.getvalue()


def _sheet_xml(body: str, root: str = "worksheet", prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}{root} {ns}><{p}sheetData>{body}'
        f"</{p}sheetData></{p}{root}>"
    ).encode()


def _with_sheet(xml: bytes) -> bytes:
    return _rezip(_minimal_xlsx(), {"xl/worksheets/sheet1.xml": xml})


def far_cell_variants() -> dict[str, bytes]:
    """A value at XFD1048576 written every way an XML writer may write it."""
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return {
        "far-single-quotes.xlsx": _with_sheet(
            _sheet_xml("<row r='1048576'><c r='XFD1048576' t='n'><v>1</v></c></row>")
        ),
        "far-prefixed.xlsx": _with_sheet(
            _sheet_xml(
                '<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>', prefix="x"
            )
        ),
        "far-tab-newline.xlsx": _with_sheet(
            _sheet_xml('<row\tr="1048576"><c\n\tr = "XFD1048576"\n><v>1</v></c></row>')
        ),
        "far-lowercase.xlsx": _with_sheet(_sheet_xml('<row><c r="xfd1048576"><v>1</v></c></row>')),
        "far-no-r.xlsx": _with_sheet(_sheet_xml("<row>" + "<c><v>1</v></c>" * 20_000 + "</row>")),
        "far-rows-no-r.xlsx": _with_sheet(_sheet_xml("<row><c><v>1</v></c></row>" * 6_000)),
        "far-outside-worksheets.xlsx": _rezip(
            _minimal_xlsx(),
            {
                "xl/worksheets/sheet1.xml": None,
                "xl/_rels/workbook.xml.rels": (
                    f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    f'<Relationship Id="rId1" Type="{SHEET_REL}" Target="/data/evil.xml"/>'
                    "</Relationships>"
                ).encode(),
            },
            {"data/evil.xml": _sheet_xml(far)},
        ),
        "far-cased-path.xlsx": _rezip(
            _minimal_xlsx(),
            {"xl/worksheets/sheet1.xml": None},
            {"XL/Worksheets/SHEET1.xml": _sheet_xml(far)},
        ),
        "far-entity-ref.xlsx": _with_sheet(
            _sheet_xml('<row r="1048576"><c r="&#88;FD1048576"><v>1</v></c></row>')
        ),
    }


def _workbook_with_sheets(count: int, body: str) -> bytes:
    """A workbook of `count` sheets, each holding `body` (openpyxl writes the parts)."""
    wb = openpyxl.Workbook()
    for i in range(count - 1):
        wb.create_sheet(f"S{i}")
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    names = [
        n
        for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
        if n.startswith("xl/worksheets/sheet")
    ]
    return _rezip(data, {n: _sheet_xml(body) for n in names})


def budget_cases() -> dict[str, bytes]:
    at_an5000 = '<row r="5000"><c r="AN5000"><v>1</v></c></row>'
    huge = "a" * 50_000_000
    sst = (
        f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>{huge}</t></si></sst>'
    ).encode()
    string_sheet = _sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    return {
        "many-sheets-300.xlsx": _workbook_with_sheets(300, at_an5000),
        "sheets-10-an5000.xlsx": _workbook_with_sheets(10, at_an5000),
        "huge-shared-string.xlsx": _rezip(
            _minimal_xlsx(),
            {"xl/worksheets/sheet1.xml": string_sheet},
            {"xl/sharedStrings.xml": sst},
        ),
        "sst-count-lie.xlsx": _rezip(
            _minimal_xlsx(),
            {"xl/worksheets/sheet1.xml": string_sheet},
            {
                "xl/sharedStrings.xml": (
                    f'<?xml version="1.0"?><sst xmlns="{MAIN}" uniqueCount="1000000000000"><si><t>x</t></si></sst>'
                ).encode()
            },
        ),
        "string-cells-amplified.xlsx": _rezip(
            _minimal_xlsx(),
            {
                "xl/worksheets/sheet1.xml": _sheet_xml(
                    "".join(
                        f'<row r="{r}">'
                        + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ")
                        + "</row>"
                        for r in range(1, 4001)
                    )
                )
            },
            {
                "xl/sharedStrings.xml": (
                    f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><t>{"b" * 30_000}</t></si></sst>'
                ).encode()
            },
        ),
        "xxe.xlsx": _rezip(
            _minimal_xlsx(),
            {
                "xl/worksheets/sheet1.xml": _sheet_xml(
                    '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                )
            },
            {
                "xl/sharedStrings.xml": (
                    '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    f'<sst xmlns="{MAIN}"><si><t>&x;</t></si></sst>'
                ).encode()
            },
        ),
    }


def merge_whole_grid_tcvn3(path: Path) -> Path:
    """A merge H1:XFD1048576 and a cell typed in TCVN3 with the .VnTime font (the legacy
    conversion looks for fonts; no reader may expand the merge)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "N\xa8m"  # "Năm" in TCVN3
    ws["A1"].font = openpyxl.styles.Font(name=".VnTime")
    ws["B1"] = 2024
    ws["H1"] = "x"
    out = io.BytesIO()
    wb.save(out)
    sheet = zipfile.ZipFile(io.BytesIO(out.getvalue())).read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(
        b"</sheetData>",
        b'</sheetData><mergeCells count="1"><mergeCell ref="H1:XFD1048576"/></mergeCells>',
    )
    path.write_bytes(_rezip(out.getvalue(), {"xl/worksheets/sheet1.xml": sheet}))
    return path


def ods_cases(fixture: Path) -> dict[str, bytes]:
    """The .ods fixture with a value repeated across columns and rows."""
    data = fixture.read_bytes()
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
    cols = (
        b'<table:table-row><table:table-cell table:number-columns-repeated="16384" '
        b'office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
    )
    rows = (
        b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
        b'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
    )
    out = {}
    for name, extra in (("ods-repeat-columns.ods", cols), ("ods-repeat-rows.ods", rows)):
        at = content.index(b"</table:table>")
        out[name] = _rezip(data, {"content.xml": content[:at] + extra + content[at:]})
    return out


def xls_far(fixture: Path) -> dict[str, bytes]:
    """The .xls fixture with its first string cell moved to IV65536, and with a DIMENSIONS
    record claiming 2^32 rows."""
    data = bytearray(fixture.read_bytes())
    out = {}
    at = data.find(b"\xfd\x00\x0a\x00")  # LABELSST, 10 bytes: row, col, xf, sst index
    far = bytearray(data)
    struct.pack_into("<HH", far, at + 4, 0xFFFF, 0xFF)
    out["xls-iv65536.xls"] = bytes(far)
    at = data.find(b"\x00\x02\x0e\x00")  # DIMENSIONS (BIFF8, 14 bytes)
    dims = bytearray(data)
    struct.pack_into("<IIHH", dims, at + 4, 0, 0xFFFFFFFF, 0, 0x100)
    out["xls-dimensions.xls"] = bytes(dims)
    cyc = bytearray(data)
    struct.pack_into("<I", cyc, 0x44, 0)  # the DIFAT chain starts at sector 0 …
    struct.pack_into("<I", cyc, 0x48, 1)
    sector0 = 512
    struct.pack_into("<I", cyc, sector0 + 508, 0)  # … whose last entry points to itself
    out["xls-difat-cycle.xls"] = bytes(cyc)
    return out


def round_two(folder: Path, fixtures: Path) -> dict[str, Path]:
    """Every round-2 hostile file that must get a `file.*` finding, written to `folder`."""
    cases: dict[str, bytes] = {}
    cases.update(far_cell_variants())
    cases.update(budget_cases())
    cases.update(ods_cases(fixtures / "cn-05-vo-thi-kim-lien.ods"))
    cases.update(xls_far(fixtures / "tt-01-hoi-nong-dan-van-thang.xls"))
    out = {}
    for name, data in cases.items():
        (folder / name).write_bytes(data)
        out[name] = folder / name
    return out


# -- round 3 (the gate review): read as calamine reads, count before allocating ---------

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "2024" / "tt-02-mttq-van-phu.xlsx"
FAR = (
    '<row r="1"><c r="A1"><v>2024</v></c></row><row r="1000000"><c r="BL1000000"><v>1</v></c></row>'
)
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"


def _zip_items(items: list[tuple[str, bytes]]) -> bytes:
    """A zip of exactly these entries, in this order (duplicates and odd names kept)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in items:
            zf.writestr(zipfile.ZipInfo(name, (2024, 9, 1, 8, 0, 0)), body)
    return out.getvalue()


def _entries(data: bytes) -> list[tuple[str, bytes]]:
    src = zipfile.ZipFile(io.BytesIO(data))
    return [(i.filename, src.read(i.filename)) for i in src.infolist()]


def _sheet_renamed(target: bytes, rel_id: bytes | None, name: str, body: bytes) -> bytes:
    """The minimal workbook with its sheet moved to entry `name`, named by the Target
    `target` (and, with `rel_id`, by that relationship id on both sides)."""
    items = []
    for entry, data in _entries(_minimal_xlsx()):
        if entry == "xl/worksheets/sheet1.xml":
            continue
        if entry == WORKBOOK_RELS:
            data = re.sub(
                rb'Target="/?xl/worksheets/sheet1.xml"|Target="worksheets/sheet1.xml"',
                b'Target="' + target + b'"',
                data,
            )
            if rel_id is not None:
                data = data.replace(b'Id="rId1"', b'Id="' + rel_id + b'"')
        if entry == "xl/workbook.xml" and rel_id is not None:
            data = data.replace(b'r:id="rId1"', b'r:id="' + rel_id + b'"')
        items.append((entry, data))
    items.append((name, body))
    return _zip_items(items)


def _ods_with(fixture: Path, row: bytes) -> bytes:
    data = fixture.read_bytes()
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
    at = content.index(b"</table:table-row>") + len(b"</table:table-row>")
    return _rezip(data, {"content.xml": content[:at] + row + content[at:]})


def _no_space_dossier() -> bytes:
    """The sample dossier with every cell written `<c s="3"r="D9">`: attributes without
    whitespace between them, which calamine reads (and expat refuses)."""
    data = SAMPLE.read_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    sheet = re.sub(
        rb'<c r="([A-Z]+[0-9]+)"((?: [a-z]+="[^"]*")*)',
        lambda m: (
            b"<c" + m.group(2).replace(b'" ', b'"') + b' r="' + m.group(1) + b'"'
            if m.group(2)
            else m.group(0)
        ),
        sheet,
    )
    sheet = sheet.replace(b'" r="', b'"r="')
    return _rezip(data, {"xl/worksheets/sheet1.xml": sheet})


def _marked_ods(fixture: Path) -> bytes:
    """An .ods carrying OOXML relationships and danvan's output property (a forgery)."""
    rels = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="c" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/>'
        b"</Relationships>"
    )
    custom = (
        b'<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
        b'name="danvan-output"><vt:lpwstr>rejections</vt:lpwstr></property></Properties>'
    )
    return _rezip(fixture.read_bytes(), {}, {"_rels/.rels": rels, "docProps/custom.xml": custom})


def _sample_with(**cells: object) -> bytes:
    """The sample dossier with some cells of its sheet replaced (openpyxl writes it)."""
    import datetime as dt

    wb = openpyxl.load_workbook(SAMPLE)
    for ref, value in cells.items():
        wb.active[ref] = value
        if isinstance(value, dt.date):
            wb.active[ref].number_format = "dd/mm/yyyy"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_named(name: bytes) -> bytes:
    data = SAMPLE.read_bytes()
    book = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    book = re.sub(rb'(<sheet [^>]*name=")[^"]*"', lambda m: m.group(1) + name + b'"', book, count=1)
    return _rezip(data, {"xl/workbook.xml": book})


def round_three(fixtures: Path) -> dict[str, tuple[bytes, str | None]]:
    """Every round-3 case (name → bytes, the one finding code it must get, or None for a
    file that must be read as the dossier it is, with no file.* finding)."""
    import datetime as dt

    far = _sheet_xml(FAR)
    ods = fixtures / "cn-05-vo-thi-kim-lien.ods"
    merges = "".join(f'<mergeCell ref="C{i % 4000 + 1}:D{i % 4000 + 1}"/>' for i in range(200_000))
    merged = _sheet_xml('<row r="1"><c r="A1"><v>2024</v></c></row>').replace(
        b"</sheetData>", f"</sheetData><mergeCells>{merges}</mergeCells>".encode()
    )
    missing = _entries(_minimal_xlsx())
    return {
        # 1: calamine takes a relationship's Target and Id raw, never unescaped
        "r3-target-escaped.xlsx": (
            _sheet_renamed(b"worksheets/big&amp;x", None, "xl/worksheets/big&amp;x", far),
            "file.sheet_too_large",
        ),
        "r3-rid-escaped.xlsx": (
            _sheet_renamed(b"worksheets/data", b"rId&#49;", "xl/worksheets/data", far),
            "file.sheet_too_large",
        ),
        "r3-sheet-missing.xlsx": (
            _zip_items([(n, b) for n, b in missing if n != "xl/worksheets/sheet1.xml"]),
            "file.unreadable",
        ),
        "r3-stray-any-extension.xlsx": (
            _rezip(_minimal_xlsx(), {}, {"xl/data.bin": far}),
            "file.sheet_too_large",
        ),
        # 2: attributes without whitespace between them, double or single quotes, rows too
        "r3-attr-no-space.xlsx": (
            _with_sheet(_sheet_xml('<row r="1"><c t="n"r="BL1000000"><v>1</v></c></row>')),
            "file.sheet_too_large",
        ),
        "r3-attr-single-no-space.xlsx": (
            _with_sheet(_sheet_xml("<row r='1'><c s='0'r='BL1000000'><v>1</v></c></row>")),
            "file.sheet_too_large",
        ),
        "r3-row-attr-no-space.xlsx": (
            _with_sheet(
                _sheet_xml('<row spans="1:2"r="1000000">' + "<c><v>1</v></c>" * 64 + "</row>")
            ),
            "file.sheet_too_large",
        ),
        "r3-no-space-dossier.xlsx": (_no_space_dossier(), None),
        # 3, 10: 7.9 million empty cells (32 MB inflated, 35 KB zipped): counted, not listed
        "r3-empty-cells-7.9m.xlsx": (
            _with_sheet(
                _sheet_xml('<row r="1"><c r="A1"><v>2024</v></c>' + "<c/>" * 7_900_000 + "</row>")
            ),
            "file.budget",
        ),
        # 4: every merge counted on the fast path
        "r3-merges-200k.xlsx": (_with_sheet(merged), "file.budget"),
        # 5: what calamine copies in an .ods
        "r3-ods-spaces.ods": (
            _ods_with(
                ods,
                b'<table:table-row><table:table-cell office:value-type="string">'
                b'<text:p>x<text:s text:c="400000000"/></text:p></table:table-cell>'
                b"</table:table-row>",
            ),
            "file.budget",
        ),
        "r3-ods-spaces-repeat.ods": (
            _ods_with(
                ods,
                b'<table:table-row><table:table-cell office:value-type="string" '
                b'table:number-columns-repeated="40"><text:p>x<text:s text:c="200000"/>'
                b"</text:p></table:table-cell></table:table-row>",
            ),
            "file.budget",
        ),
        "r3-ods-formula-repeat.ods": (
            _ods_with(
                ods,
                b'<table:table-row><table:table-cell table:formula="of:='
                + b"1" * 400_000
                + b'" office:value-type="float" office:value="1" '
                b'table:number-columns-repeated="100"/></table:table-row>',
            ),
            "file.budget",
        ),
        "r3-ods-date-repeat.ods": (
            _ods_with(
                ods,
                b'<table:table-row table:number-rows-repeated="10"><table:table-cell '
                b'office:value-type="date" office:date-value="2024-01-01'
                + b"0" * 400_000
                + b'" table:number-columns-repeated="10"/></table:table-row>',
            ),
            "file.budget",
        ),
        # 6: control characters, a bidi override and XML-illegal characters in a sheet name
        "r3-sheet-name-escapes.xlsx": (
            _sheet_named(b"S&#x1b;]0;PWNED&#x7;&#x1b;[31mRED&#x1b;[0m&#x202e;&#x1;&#xFFFF;txt"),
            None,
        ),
        # 9: an .ods is never danvan's output, whatever it carries
        "r3-ods-forged-marker.ods": (_marked_ods(ods), None),
        # 7 and the signature block: papers marks (validated; their findings in the tests)
        "r3-paper-dated-0001.xlsx": (_sample_with(C39="01/01/0001"), None),
        "r3-paper-dated-2099.xlsx": (_sample_with(C39=dt.datetime(2099, 1, 1)), None),
        "r3-paper-revoked.xlsx": (_sample_with(C40="đã hủy 12/QĐ-UBND"), None),
        "r3-paper-copies-text.xlsx": (_sample_with(C41="2"), None),
        "r3-signature-block.xlsx": (_sample_with(B43="Ghi chú", D44="#N/A"), None),
    }


def _rels_with(target: bytes, rid: bytes = b"rId1", extra: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + extra
        + b'<Relationship Id="'
        + rid
        + b'" Type="'
        + SHEET_REL.encode()
        + b'" Target="'
        + target
        + b'"/></Relationships>'
    )


def round_three_attacks() -> dict[str, bytes]:
    """The self-attack on the round-3 gate: each variant was read by python-calamine (under a
    1 GB cap, where the far ones fail to allocate) and by the gate; they agree."""
    base = _minimal_xlsx()
    sst_sheet = _sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    items = [(n, b) for n, b in _entries(base) if n != "xl/worksheets/sheet1.xml"]

    def with_items(repl: dict[str, bytes], add: list[tuple[str, bytes]]) -> bytes:
        out = []
        for n, b in items:
            out.append((n, repl.get(n, b)))
        return _zip_items(out + add)

    wb = dict(items)["xl/workbook.xml"]
    v: dict[str, bytes] = {}
    far = _sheet_xml(FAR)
    v["a01-sst-unique-no-space.xlsx"] = _rezip(
        base,
        {"xl/worksheets/sheet1.xml": sst_sheet},
        {
            "xl/sharedStrings.xml": b'<?xml version="1.0"?><sst xmlns="'
            + MAIN.encode()
            + b'" count="1"uniqueCount="1000000000000"><si><t>x</t></si></sst>'
        },
    )
    v["a02-sheet-id-last-wins.xlsx"] = with_items(
        {
            "xl/workbook.xml": wb.replace(b'r:id="rId1"', b'x:id="rId9" r:id="rId1" x:id="rId2"'),
            WORKBOOK_RELS: _rels_with(
                b"worksheets/ok.xml",
                b"rId1",
                b'<Relationship Id="rId2" Type="'
                + SHEET_REL.encode()
                + b'" Target="worksheets/far.xml"/>',
            ),
        },
        [
            ("xl/worksheets/ok.xml", _sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')),
            ("xl/worksheets/far.xml", far),
        ],
    )
    v["a03-target-backslash.xlsx"] = with_items(
        {WORKBOOK_RELS: _rels_with(b"worksheets\\evil.xml")}, [("xl/worksheets\\evil.xml", far)]
    )
    v["a04-entry-backslash.xlsx"] = with_items({}, [("xl\\worksheets\\sheet1.xml", far)])
    v["a05-formfeed-second-r.xlsx"] = _with_sheet(
        _sheet_xml('<row r="1"><c r="A1"\x0cr="BL1000000"><v>1</v></c></row>')
    )
    v["a06-gt-in-value.xlsx"] = _with_sheet(
        _sheet_xml('<row r="1"><c t="a>b"r="BL1000000"><v>1</v></c></row>')
    )
    v["a07-eq-spaced.xlsx"] = _with_sheet(
        _sheet_xml('<row r="1"><c r = "BL1000000"><v>1</v></c></row>')
    )
    v["a08-r-after-rst.xlsx"] = _with_sheet(
        _sheet_xml('<row r="1"><c r="A1" s="0" t="n" r="BL1000000"><v>1</v></c></row>')
    )
    v["a09-r-before-rst.xlsx"] = _with_sheet(
        _sheet_xml('<row r="1"><c r="A1" r="BL1000000" s="0" t="n"><v>1</v></c></row>')
    )
    v["a10-cdata-cell.xlsx"] = _with_sheet(
        _sheet_xml(
            '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<c r="BL1000000"><v>1</v></c>]]></t></is></c></row>'
        )
    )
    v["a11-comment-cell.xlsx"] = _with_sheet(
        _sheet_xml('<row r="1"><c r="A1"><v>1</v></c><!-- <c r="BL1000000"><v>1</v></c> --></row>')
    )
    v["a12-row-r-twice.xlsx"] = _with_sheet(
        _sheet_xml('<row r="1" r="1000000"><c><v>1</v></c></row>')
    )
    v["a13-rels-no-space.xlsx"] = with_items(
        {
            WORKBOOK_RELS: b'<Relationships><Relationship Id="rId1"Type="'
            + SHEET_REL.encode()
            + b'"Target="/data/evil.xml"/></Relationships>'
        },
        [("data/evil.xml", far)],
    )
    v["a14-target-dot-slash.xlsx"] = with_items(
        {WORKBOOK_RELS: _rels_with(b"./worksheets/sheet1.xml")}, [("xl/worksheets/sheet1.xml", far)]
    )
    v["a15-utf16-no-bom.xlsx"] = _with_sheet(
        far.replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16-le")
    )
    v["a16-prefix-two-colons.xlsx"] = _with_sheet(
        _sheet_xml('<row r="1"><a:b:c r="BL1000000"><v>1</v></a:b:c><c r="A1"><v>1</v></c></row>')
    )
    v["a17-unescaped-lt-in-value.xlsx"] = _with_sheet(
        _sheet_xml('<row r="1"><c s="<x" r="BL1000000"><v>1</v></c></row>')
    )
    v["a18-mismatched-end.xlsx"] = _with_sheet(
        _sheet_xml('<row r="1"><c r="BL1000000"><v>1</v></x></row>')
    )
    ods = Path(__file__).parent / "fixtures" / "cn-05-vo-thi-kim-lien.ods"
    v["a19-ods-rows-x-text.ods"] = _ods_with(
        ods,
        b'<table:table-row table:number-rows-repeated="4000"><table:table-cell office:value-type="string" table:number-columns-repeated="100"><text:p>'
        + b"x" * 100
        + b"</text:p></table:table-cell></table:table-row>",
    )
    v["a20-ods-no-space.ods"] = _ods_with(
        ods,
        b'<table:table-row table:style-name="ro1"table:number-rows-repeated="1000000"><table:table-cell office:value-type="float"office:value="1"/></table:table-row>',
    )
    v["a21-custom-target-escaped.xlsx"] = _sheet_renamed(
        b"worksheets/a&amp;b.xml", None, "xl/worksheets/a&amp;b.xml", far
    )
    return v


# -- round 4: readers that must agree byte for byte, work that stays linear -------------


def _raw_zip(items: list[tuple[str, bytes, bytes]], comment_tail: bytes = b"") -> bytes:
    """A zip written by hand: (name, content, central extra field) per entry, deflated, the
    end record last (`comment_tail` is appended after it, its comment length 0)."""
    local, central = bytearray(), bytearray()
    for name, body, extra in items:
        raw = name.encode()
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = comp.compress(body) + comp.flush()
        crc = zlib.crc32(body)
        at = len(local)
        local += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(packed), len(body), len(raw), 0
        )
        local += raw + packed
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(packed), len(body),
            len(raw), len(extra), 0, 0, 0, 0, at,
        )  # fmt: skip
        central += raw + extra
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(items), len(items), len(central), len(local), 0
    )
    return bytes(local + central + end) + comment_tail


def _unicode_path(raw_name: str, shown: str) -> bytes:
    """An Info-ZIP Unicode Path extra field (0x7075): the name the Rust zip crate uses."""
    body = b"\x01" + struct.pack("<I", zlib.crc32(raw_name.encode())) + shown.encode()
    return struct.pack("<HH", 0x7075, len(body)) + body


def _unicode_path_zip() -> bytes:
    """The sample with its sheet renamed for calamine (0x7075) to an unused name, and an
    entry `xl/worksheets/data.bin` renamed for calamine to the sheet: 20 million cells the
    gate, reading names as zipfile does, never saw (attack a11)."""
    items = []
    for name, body in _entries(SAMPLE.read_bytes()):
        extra = b""
        if name == "xl/worksheets/sheet1.xml":
            extra = _unicode_path(name, "xl/worksheets/unused.xml")
        items.append((name, body, extra))
    hostile = _sheet_xml(FAR)[:38] + b" " * (1 << 20) + _sheet_xml(FAR)[38:]
    items.append(
        ("xl/worksheets/data.bin", hostile, _unicode_path("xl/worksheets/data.bin", SHEET1))
    )
    return _raw_zip(items)


SHEET1 = "xl/worksheets/sheet1.xml"


def _fake_end_record() -> bytes:
    """Two end-of-central-directory records (attack a15): the real one names a directory
    with a far sheet, its comment holds a second directory (the sample's) and a fake end
    record claiming a 1-byte comment the file lacks. zipfile takes the last record without
    checking its comment fits; the zip crate refuses it and takes the real one."""

    def split(z: bytes) -> tuple[bytes, bytes, int]:
        end = z.rindex(b"PK\x05\x06")
        n, size, at = struct.unpack_from("<HII", z, end + 10)
        return z[:at], z[at : at + size], n

    def shift(cd: bytes, delta: int) -> bytes:
        out, at = bytearray(cd), 0
        while at < len(out):
            name_len, extra_len, comment_len = struct.unpack_from("<HHH", out, at + 28)
            (offset,) = struct.unpack_from("<I", out, at + 42)
            struct.pack_into("<I", out, at + 42, offset + delta)
            at += 46 + name_len + extra_len + comment_len
        return bytes(out)

    def end(n: int, size: int, at: int, comment: int) -> bytes:
        return b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, n, n, size, at, comment)

    hostile = _rezip(SAMPLE.read_bytes(), {SHEET1: _sheet_xml(FAR)})
    r_local, r_cd, r_n = split(hostile)
    p_local, p_cd, p_n = split(SAMPLE.read_bytes())
    cd1_at = len(r_local) + len(p_local)
    cd2 = shift(p_cd, len(r_local))
    real = end(r_n, len(r_cd), cd1_at, len(cd2) + 22)
    fake = end(p_n, len(cd2), cd1_at + len(r_cd) + len(real), 1)
    return r_local + p_local + r_cd + real + cd2 + fake


def _sample_sheet(change: bytes, where: bytes = b"</sheetData>", tail: bytes = b"") -> bytes:
    """The sample with `change` put before `where` in its sheet's XML (and `tail` after
    its last byte)."""
    data = SAMPLE.read_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read(SHEET1)
    assert where in sheet
    return _rezip(data, {SHEET1: sheet.replace(where, change + where, 1) + tail})


def _sample_part(name: str, body: bytes) -> bytes:
    data = SAMPLE.read_bytes()
    if name in zipfile.ZipFile(io.BytesIO(data)).namelist():
        return _rezip(data, {name: body})
    return _rezip(data, {}, {name: body})


FAR_CELL = b'<row r="20000"><c r="ALL20000"><v>1</v></c></row>'


# .xls written by hand: a BIFF8 Workbook stream in a compound file of 4096-byte sectors


def _rec(typ: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", typ, len(data)) + data


def _bof(kind: int) -> bytes:
    return _rec(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0206))


def _xls_label(row: int, col: int, text: str) -> bytes:
    raw = text.encode("utf-16-le")
    return _rec(0x0204, struct.pack("<HHHHB", row, col, 15, len(text), 1) + raw)


def _xls_number(row: int, col: int, value: float) -> bytes:
    return _rec(0x0203, struct.pack("<HHHd", row, col, 15, value))


def _xls_formula(row: int, col: int, rgce: bytes) -> bytes:
    head = struct.pack("<HHHdHI", row, col, 15, 0.0, 0, 0)
    return _rec(0x0006, head + struct.pack("<H", len(rgce)) + rgce)


def _xls_stream(sheets: list[tuple[str, list[bytes]]], names: bytes = b"") -> bytes:
    """A Workbook stream: globals (BOF, code page, one BoundSheet a sheet, then `names`:
    any other records), then each sheet's BOF, records and EOF."""

    def globals_(offsets: list[int]) -> bytes:
        out = _bof(0x0005) + _rec(0x0042, struct.pack("<H", 1200))
        for (name, _), at in zip(sheets, offsets, strict=True):
            raw = name.encode("utf-16-le")
            out += _rec(0x0085, struct.pack("<IBBBB", at, 0, 0, len(name), 1) + raw)
        return out + names + _rec(0x000A)

    at = len(globals_([0] * len(sheets)))
    offsets, bodies = [], []
    for _, records in sheets:
        body = _bof(0x0010) + b"".join(records) + _rec(0x000A)
        offsets.append(at)
        bodies.append(body)
        at += len(body)
    return globals_(offsets) + b"".join(bodies)


def _cfb(stream: bytes, extra_fat: int = 0) -> bytes:
    """A compound file holding `stream` as "Workbook" (`extra_fat`: as many more entries in
    the DIFAT, each naming the first FAT sector again)."""
    size, end, free, fat_sect = 4096, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    stream = stream.ljust(4096, b"\0")
    n = -(-len(stream) // size)
    per = size // 4
    f = 1
    while n + 2 + f > f * per:
        f += 1
    fat = [*range(1, n), end, end, end] + [fat_sect] * f
    fat += [free] * (f * per - len(fat))

    def entry(name: str, kind: int, child: int, start: int, length: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        e = raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw) if name else 0, kind, 1)
        e += struct.pack("<III", free, free, child) + b"\0" * 36
        return (e + struct.pack("<IQ", start, length)).ljust(128, b"\0")

    dirs = entry("Root Entry", 5, 1, n + 1, 0) + entry("Workbook", 2, free, 0, len(stream))
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
    head += struct.pack("<HHHHH", 0x3E, 4, 0xFFFE, 12, 6) + b"\0" * 6
    head += struct.pack("<IIIIIIIII", 1, f + extra_fat, n, 0, 4096, end, 0, end, 0)
    difat = [n + 2 + i for i in range(f)]
    difat += [n + 2] * min(extra_fat, 109 - f)
    head += struct.pack("<109I", *(difat + [free] * (109 - len(difat))))
    body = stream.ljust(n * size, b"\0") + dirs.ljust(size, b"\0") + b"\0" * size
    return head.ljust(size, b"\0") + body + struct.pack(f"<{len(fat)}I", *fat)


def _difat_amplified(data: bytes, sectors: int = 2000) -> bytes:
    """A compound file whose DIFAT goes on for `sectors` more sectors, every entry naming
    the same allocation-table sector: a reader building the table builds it a million
    times over (2 billion entries from 8 MB)."""
    first = len(data) // 4096 - 1  # sector i sits at (i + 1) * 4096
    fat_sector = struct.unpack_from("<I", data, 76)[0]
    out = bytearray(data)
    struct.pack_into("<II", out, 68, first, sectors)
    for i in range(sectors):
        following = first + i + 1 if i + 1 < sectors else 0xFFFFFFFE
        out += struct.pack("<1023I", *[fat_sector] * 1023) + struct.pack("<I", following)
    return bytes(out)


def _sst_long_skip() -> bytes:
    """A shared-string table whose one string claims 4 GB of extended data, run across
    3,000 Continue records (24 MB): what reads past it must not copy it piece by piece
    (the gate took 19 s; calamine refuses the table)."""
    sst = _rec(0x00FC, struct.pack("<IIHB", 1, 1, 1, 0x04) + struct.pack("<I", 0xFFFFFFF0) + b"x")
    sst += _rec(0x003C, b"\0" * 8224) * 3000
    label = _rec(0x00FD, struct.pack("<HHHI", 0, 0, 15, 0))
    return _cfb(_xls_stream([("Sheet1", [label, _xls_number(0, 2, 2024)])], names=sst))


REF_ERR_3D = bytes([0x3C]) + struct.pack("<HHH", 0, 0, 0)  # prints "sheet!#REF!"
LONG_SHEET = "ệ" * 255  # the longest sheet name, 765 bytes in UTF-8


def _xls_formula_bombs() -> dict[str, bytes]:
    """calamine prints every formula of an .xls when it opens it (a09): a 64 KB record of
    PtgRefErr3d prints the sheet's name 8,000 times; PtgAttrSpace inserts 255 spaces one by
    one at the start of an operand of megabytes."""
    head = [_xls_label(0, 0, "Năm"), _xls_number(0, 2, 2024)]
    joined = REF_ERR_3D + (REF_ERR_3D + b"\x08") * ((65_500 - 27) // 8)
    text = _cfb(
        _xls_stream([(LONG_SHEET, head + [_xls_formula(1 + i, 1, joined) for i in range(10)])])
    )
    spaces = REF_ERR_3D + (REF_ERR_3D + b"\x08") * 4000
    spaces += bytes([0x19, 0x40, 0x00, 255]) * ((65_500 - 22 - len(spaces)) // 4)
    moves = REF_ERR_3D + (REF_ERR_3D + b"\x08") * 600 + bytes([0x19, 0x40, 0x00, 255]) * 100
    strings = [_xls_formula(1, 1, bytes([0x1E, 1, 0]))]
    strings += [_rec(0x0207, struct.pack("<HB", 65_000, 0) + b"x" * 65_000)] * 70
    return {
        "r4-xls-formula-text.xls": text,
        "r4-xls-formula-spaces.xls": _cfb(
            _xls_stream([(LONG_SHEET, [*head, _xls_formula(1, 1, spaces)])])
        ),
        "r4-xls-formula-moves.xls": _cfb(
            _xls_stream([(LONG_SHEET, [*head, _xls_formula(1, 1, moves)])])
        ),
        "r4-xls-string-records.xls": _cfb(_xls_stream([("Sheet1", head + strings)])),
    }


SPILL = b'<row r="46"><c r="H46" t="e"><f>_xlfn.SEQUENCE(3)</f><v>#SPILL!</v></c></row>'


def _spilled(**parts: bytes) -> bytes:
    """The sample with a #SPILL! in an unrelated cell (calamine refuses the sheet) and
    other parts replaced or added: what openpyxl, once the fallback, read unchecked (a02)."""
    data = _sample_sheet(SPILL)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    return _rezip(
        data,
        {n: b for n, b in parts.items() if n in names},
        {n: b for n, b in parts.items() if n not in names},
    )


def round_four(fixtures: Path) -> dict[str, tuple[bytes, str | None]]:
    """Every round-4 case (name → bytes, the one finding code it must get, or None for a
    file read as the dossier it is). Each must end in seconds and under 300 MB."""
    del fixtures
    decl = b'<?xml version="1.0" encoding="UTF-8"?>'
    rels = zipfile.ZipFile(io.BytesIO(SAMPLE.read_bytes())).read(WORKBOOK_RELS)
    strings_cells = b"".join(
        b'<row r="%d">' % r
        + b"".join(b'<c r="%s%d" t="s"><v>0</v></c>' % (bytes([65 + c]), r) for c in range(10))
        + b"</row>"
        for r in range(100, 900)
    )
    many = b"<a/>" * 10_000_000  # 40 MB of markup in a part the gate does not read
    types = zipfile.ZipFile(io.BytesIO(SAMPLE.read_bytes())).read("[Content_Types].xml")
    strings_type = (
        b'<Override PartName="/xl/strings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    return {
        # 3: a sheet calamine cannot convert is read again by calamine, never by openpyxl
        "r4-spill.xlsx": (_spilled(), None),
        "r4-spill-core-props-40mb.xlsx": (
            _spilled(
                **{"docProps/core.xml": b"<cp:coreProperties>" + many + b"</cp:coreProperties>"}
            ),
            None,
        ),
        "r4-spill-content-types-40mb.xlsx": (
            _spilled(**{"[Content_Types].xml": types.replace(b"</Types>", many + b"</Types>")}),
            None,
        ),
        "r4-spill-strings-elsewhere.xlsx": (
            _spilled(
                **{
                    "[Content_Types].xml": types.replace(b"</Types>", strings_type),
                    "xl/strings.xml": decl
                    + b"<sst>"
                    + b"<si><t>123456</t></si>" * 2_000_000
                    + b"</sst>",
                }
            ),
            None,
        ),
        # a DIFAT naming one allocation-table sector two million times
        "r4-xls-difat-amplified.xls": (
            _difat_amplified(_cfb(_xls_stream([("Sheet1", [_xls_label(0, 0, "Năm")])]))),
            "file.unreadable",
        ),
        "r4-xls-sst-long-skip.xls": (_sst_long_skip(), "file.format"),  # calamine: no workbook
        # 8, 9: the text calamine makes of an .xls's formulas and formula strings
        **{name: (data, "file.budget") for name, data in _xls_formula_bombs().items()},
        # 10: 30,000-character cells where marks, flags and choices go
        "r4-fold-long-cells.xlsx": (
            _sample_with(
                **{
                    ref: ": " * 15_000 + "x" * (i + 1)
                    for i, ref in enumerate(("C22", "C23", "C24", "C25", "C40", "C41", "C42"))
                }
            ),
            None,
        ),
        # 1, 2: the zip's directory as the Rust zip crate reads it
        "r4-unicode-path.xlsx": (_unicode_path_zip(), "file.unsafe"),
        "r4-fake-end-record.xlsx": (_fake_end_record(), "file.unsafe"),
        # 4, 5, 6: markup read in time linear in the part
        "r4-pi-unclosed-150k.xlsx": (_sample_sheet(b"<?x>" * 150_000), "file.unreadable"),
        "r4-sst-lt-run.xlsx": (
            _sample_part(
                "xl/sharedStrings.xml",
                decl + b"<a" * 150_000 + b'><sst count="1" uniqueCount="1"><si><t>x</t></si></sst>',
            ),
            None,
        ),
        "r4-unclosed-rels.xlsx": (
            _sample_part(WORKBOOK_RELS, rels + b"<" + b"a" * 30_000),
            "file.unreadable",
        ),
        "r4-unclosed-sheet.xlsx": (
            _sample_sheet(b"<!-- c -->", b"<sheetData>", tail=b"<" + b"a" * 200_000),
            "file.unreadable",
        ),
        "r4-end-tags-unclosed.xlsx": (_sample_sheet(b"</x" * 100_000), "file.unreadable"),
        "r4-comments-unclosed.xlsx": (_sample_sheet(b"<!--" * 100_000), "file.unreadable"),
        "r4-quotes-unclosed.xlsx": (_sample_sheet(b'<a b="' * 100_000), "file.unreadable"),
        # names as quick-xml reads them: to the first XML whitespace, "!" "?" and quotes kept
        "r4-bang-in-name.xlsx": (
            _sample_sheet(b'<row r="20000"><a!b:c r="ALL20000"><v>1</v></c></row>'),
            "file.sheet_too_large",
        ),
        "r4-question-in-name.xlsx": (
            _sample_sheet(b'<row r="20000"><a?b:c r="ALL20000"><v>1</v></c></row>'),
            "file.sheet_too_large",
        ),
        # an end tag runs to the first ">" outside quotes, like a start tag
        "r4-end-tag-quoted.xlsx": (
            _sample_sheet(
                b'<row r="20000"></x a=">" b=\'<y z="\'><c r="ALL20000"><v>1</v></c>"></row>'
            ),
            "file.sheet_too_large",
        ),
        "r4-sst-bang-prefix.xlsx": (
            _sample_part(
                "xl/sharedStrings.xml",
                decl + b'<a!b:sst count="1" uniqueCount="100000000"><a!b:si><a!b:t>x</a!b:t>'
                b"</a!b:si></a!b:sst>",
            ),
            "file.budget",
        ),
        "r4-si-bang-prefix-long.xlsx": (
            _rezip(
                _sample_sheet(strings_cells),
                {},
                {
                    "xl/sharedStrings.xml": decl
                    + b'<sst count="2" uniqueCount="2"><a!b:si><t>'
                    + b"x" * 1_000_000
                    + b"</t></a!b:si><si><t>y</t></si></sst>"
                },
            ),
            "file.budget",
        ),
        "r4-letters-1m-in-r.xlsx": (
            _sample_sheet(b'<row r="45"><c r="' + b"A" * 1_000_000 + b'45"><v>1</v></c></row>'),
            "file.sheet_too_large",
        ),
    }


def round_four_attacks() -> dict[str, tuple[bytes, str | None]]:
    """The self-attack on the round-4 fixes: zip tricks and markup read as quick-xml reads
    it, each checked against what python-calamine reads (under a 1 GB cap the far ones make
    it fail to allocate; the accepted ones it reads as the sample)."""
    sample = SAMPLE.read_bytes()
    items = [(n, b, b"") for n, b in _entries(sample)]
    far = _sheet_xml(FAR)

    def zip_with(
        change: dict[str, tuple[str, bytes]], add: tuple[tuple[str, bytes, bytes], ...] = ()
    ) -> bytes:
        """The sample zipped by hand, entries renamed or given an extra field, some added."""
        out = []
        for name, body, extra in items:
            new_name, new_extra = change.get(name, (name, extra))
            out.append((new_name, body, new_extra))
        return _raw_zip(out + list(add))

    def unicode(raw: str, shown: str, version: int = 1, crc: int | None = None) -> bytes:
        body = bytes([version]) + struct.pack(
            "<I", zlib.crc32(raw.encode()) if crc is None else crc
        )
        body += shown.encode()
        return struct.pack("<HH", 0x7075, len(body)) + body

    end = sample.rindex(b"PK\x05\x06")
    sheet = zipfile.ZipFile(io.BytesIO(sample)).read(SHEET1)

    def cell(markup: bytes) -> bytes:
        return _rezip(sample, {SHEET1: sheet.replace(b"</sheetData>", markup + b"</sheetData>", 1)})

    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    package_rels = zipfile.ZipFile(io.BytesIO(sample)).read("_rels/.rels")
    documents = "".join(
        f'<Relationship Id="d{i}" Type="{office}" Target="f{i}/workbook.xml"/>'
        for i in range(50_000)
    ).encode()
    return {
        # the zip crate keeps a name past a NUL; zipfile cuts it there
        "r4a-nul-in-name.xlsx": (
            zip_with({}, ((SHEET1 + "\x00x", far, b""),)),
            "file.unsafe",
        ),
        # UTF-8 bytes without flag 11: UTF-8 to the crate, code page 437 to zipfile
        "r4a-utf8-name-no-flag.xlsx": (
            zip_with({SHEET1: ("xl/worksheets/sheét1.xml", b"")}),
            "file.unsafe",
        ),
        # a ZIP64 field of 24 bytes: the crate takes its sizes and offset, zipfile does not
        "r4a-zip64-field-24.xlsx": (
            zip_with({SHEET1: (SHEET1, struct.pack("<HHQQQ", 1, 24, 10, 10, 0))}),
            "file.unsafe",
        ),
        # the crate takes a Unicode Path field whatever its version byte
        "r4a-unicode-path-version-2.xlsx": (
            zip_with(
                {SHEET1: (SHEET1, unicode(SHEET1, "xl/worksheets/unused.xml", version=2))},
                (("xl/worksheets/data.bin", far, unicode("xl/worksheets/data.bin", SHEET1, 2)),),
            ),
            "file.unsafe",
        ),
        # a CRC that does not match: the crate ignores the field (the stray sheet data is
        # checked anyway)
        "r4a-unicode-path-wrong-crc.xlsx": (
            zip_with({}, (("xl/worksheets/data.bin", far, unicode("x", SHEET1, crc=0)),)),
            "file.sheet_too_large",
        ),
        "r4a-junk-before-end-record.xlsx": (
            sample[:end] + b"\0" * 10 + sample[end:],
            "file.unsafe",
        ),
        "r4a-comment-short-of-end.xlsx": (
            sample[:-2] + struct.pack("<H", 3) + b"abc" + b"junk",
            "file.unsafe",
        ),
        "r4a-comment-exact.xlsx": (sample[:-2] + struct.pack("<H", 3) + b"abc", None),
        "r4a-many-office-documents.xlsx": (
            _rezip(
                sample,
                {
                    "_rels/.rels": package_rels.replace(
                        b"</Relationships>", documents + b"</Relationships>"
                    )
                },
                {f"junk/{i}": b"" for i in range(5_000)},
            ),
            "file.unreadable",
        ),
        # markup as quick-xml reads it
        "r4a-comment-dashes.xlsx": (
            cell(b'<row r="46"><!-- a --- b --><c r="ALL20000"><v>1</v></c></row>'),
            "file.sheet_too_large",
        ),
        "r4a-tab-after-name.xlsx": (
            cell(b'<row r="46"><c\tr="ALL20000"><v>1</v></c></row>'),
            "file.sheet_too_large",
        ),
        "r4a-empty-prefix.xlsx": (
            cell(b'<row r="46"><:c r="ALL20000"><v>1</v></c></row>'),
            "file.sheet_too_large",
        ),
        "r4a-lt-in-attribute.xlsx": (
            cell(b'<row r="46"><c a="<c r=\'X1\'>" r="ALL20000"><v>1</v></c></row>'),
            "file.sheet_too_large",
        ),
        "r4a-declaration-in-the-middle.xlsx": (
            cell(b'<row r="46"><?xml version="1.0"?><c r="ALL20000"><v>1</v></c></row>'),
            "file.sheet_too_large",
        ),
        "r4a-pi-hides-a-cell.xlsx": (
            cell(b'<row r="46"><?x > <c r="ALL20000"><v>1</v></c> ?></row>'),
            None,
        ),
        "r4a-cdata-hides-a-cell.xlsx": (
            cell(b'<row r="46"><![CDATA[<c r="ALL20000"><v>1</v></c>]]></row>'),
            None,
        ),
    }


def round_four_files(folder: Path, fixtures: Path) -> dict[str, Path]:
    out = {}
    for name, (data, _) in round_four(fixtures).items():
        (folder / name).write_bytes(data)
        out[name] = folder / name
    return out


def round_three_files(folder: Path, fixtures: Path) -> dict[str, Path]:
    """The round-3 cases written to `folder` (a dossier named `.danvan-…` among them)."""
    out = {}
    for name, (data, _) in round_three(fixtures).items():
        (folder / name).write_bytes(data)
        out[name] = folder / name
    (folder / ".danvan-ho-so.xlsx").write_bytes(SAMPLE.read_bytes())
    out[".danvan-ho-so.xlsx"] = folder / ".danvan-ho-so.xlsx"
    return out


def main(folder: str, round2: bool = True) -> None:
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    simple_cases(target)
    zip_bomb(target / "zip-bomb-1gb.xlsx")
    lying_zip_bomb(target / "zip-bomb-lying.xlsx")
    billion_laughs(target / "billion-laughs.xlsx")
    encrypted(target / "mat-khau.xlsx")
    if round2:  # round 2 (issue 12) in a folder of its own
        (target / "round2").mkdir(exist_ok=True)
        round_two(target / "round2", Path(__file__).parent / "fixtures")
        (target / "round3").mkdir(exist_ok=True)  # round 3 (the gate review)
        round_three_files(target / "round3", Path(__file__).parent / "fixtures")
        (target / "round4").mkdir(exist_ok=True)  # round 4: readers agree, work is linear
        round_four_files(target / "round4", Path(__file__).parent / "fixtures")
    print(f"hostile corpus written to {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")


def attack_variants() -> dict[str, tuple[bytes, str]]:
    """New variants tried against the round-2 guards (the self-attack of issue 12), each with
    the finding it must get."""
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    styles = zipfile.ZipFile(io.BytesIO(_minimal_xlsx())).read("xl/styles.xml")
    many_xfs = styles.replace(b"</cellXfs>", b'<xf numFmtId="0"/>' * 200_000 + b"</cellXfs>")
    spill = '<row r="1"><c r="A1" t="e"><f>SEQUENCE(3)</f><v>#SPILL!</v></c></row>'
    src = zipfile.ZipFile(io.BytesIO(_minimal_xlsx()))
    moved = {}
    for info in src.infolist():
        data = src.read(info.filename)
        name = info.filename
        if name.startswith("xl/"):
            name = "custom/" + name[3:]
        if info.filename == "_rels/.rels":
            data = data.replace(b"xl/workbook.xml", b"/custom/workbook.xml")
        if info.filename == "xl/_rels/workbook.xml.rels":  # its sheet, moved along
            data = data.replace(b"/xl/", b"/custom/")
        if info.filename == "xl/worksheets/sheet1.xml":
            data = _sheet_xml(far)
        moved[name] = data
    relocated = io.BytesIO()
    with zipfile.ZipFile(relocated, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in moved.items():
            zf.writestr(name, data)
    ods = (Path(__file__).parent / "fixtures" / "cn-05-vo-thi-kim-lien.ods").read_bytes()
    content = zipfile.ZipFile(io.BytesIO(ods)).read("content.xml")
    content = content.replace(
        b"<office:document-content ",
        b'<office:document-content xmlns:t="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ',
        1,
    )
    at = content.index(b"<table:table-row")
    other_prefix = (
        content[:at]
        + (
            b'<t:table-row t:number-rows-repeated="9000"><t:table-cell office:value-type="float" '
            b'office:value="1"/></t:table-row>'
        )
        + content[at:]
    )
    return {
        "inline-string-30mb.xlsx": (
            _with_sheet(
                _sheet_xml(
                    '<row r="1"><c r="A1" t="inlineStr"><is><t>'
                    + "ệ" * 10_000_000
                    + "</t></is></c></row>"
                )
            ),
            "file.budget",
        ),
        "styles-200k-xfs-spill.xlsx": (
            _rezip(
                _minimal_xlsx(),
                {"xl/styles.xml": many_xfs, "xl/worksheets/sheet1.xml": _sheet_xml(spill)},
            ),
            "file.budget",
        ),
        # calamine takes the later r (quick-xml does not refuse a repeated attribute)
        "duplicate-r.xlsx": (
            _with_sheet(_sheet_xml('<row r="1"><c r="A1" r="XFD1048576"><v>1</v></c></row>')),
            "file.sheet_too_large",
        ),
        "quoted-gt-before-r.xlsx": (
            _with_sheet(_sheet_xml('<row><c foo="a>b" r="XFD1048576"><v>1</v></c></row>')),
            "file.sheet_too_large",
        ),
        "workbook-in-custom-folder.xlsx": (relocated.getvalue(), "file.sheet_too_large"),
        "same-cell-500k-times.xlsx": (
            _with_sheet(_sheet_xml('<row r="1">' + '<c r="A1"><v>1</v></c>' * 500_000 + "</row>")),
            "file.budget",
        ),
        "ods-other-prefix.ods": (
            _rezip(ods, {"content.xml": other_prefix}),
            "file.sheet_too_large",
        ),
        "rels-entity-target.xlsx": (
            _rezip(
                _minimal_xlsx(),
                {
                    "xl/worksheets/sheet1.xml": None,
                    "xl/_rels/workbook.xml.rels": (
                        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        f'<Relationship Id="rId1" Type="{SHEET_REL}" Target="&#x2F;data/evil.xml"/>'
                        "</Relationships>"
                    ).encode(),
                },
                {"data/evil.xml": _sheet_xml(far)},
            ),
            # calamine takes the Target raw ("xl/&#x2F;data/evil.xml"): no such sheet, which
            # the gate refuses rather than leave unchecked
            "file.unreadable",
        ),
    }


# One process for a whole corpus: each file goes through the CLI's own entry (the same
# parsing, use case and console as `danvan validate FILE --format json`), timed on its own,
# with the peak memory of the process and of the worker it waited for read after each file
# (both only grow, so each file's figure bounds what it took). One interpreter start instead
# of one per file keeps the suite fast.
EACH = """
import contextlib, io, json, os, resource, sys, time
import typer
from danvan_cli.cli import app
command = typer.main.get_command(app)
def peak():
    kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM'):
            kb = max(kb, int(line.split()[1]))
    return kb / 1024
found = {}
for path in sys.argv[1:]:
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = command.main(['validate', path, '--format', 'json'], prog_name='danvan',
                            standalone_mode=False)
    found[os.path.basename(path)] = {'code': code, 'seconds': time.monotonic() - started,
                                     'peak': peak(), 'stdout': out.getvalue(),
                                     'stderr': err.getvalue()}
print(json.dumps(found))
"""


def validate_each(paths: list[Path], timeout: float = 300) -> dict[str, dict[str, object]]:
    """Every file validated through the CLI in one process: name -> code, seconds, peak MB,
    stdout, stderr."""
    import json
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", EACH, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "PYTHONPATH": str(root), "RUST_BACKTRACE": "0"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found: dict[str, dict[str, object]] = json.loads(done.stdout)
    return found
