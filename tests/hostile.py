"""Make a corpus of broken and hostile files (run: python tests/hostile.py DIR).

Nobody on the team wrote these by hand in Excel: each is built here the way an attacker or a
broken mail client would make it, so the tests and anyone curious can regenerate them.
"""

from __future__ import annotations

import io
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


def main(folder: str) -> None:
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    simple_cases(target)
    zip_bomb(target / "zip-bomb-1gb.xlsx")
    lying_zip_bomb(target / "zip-bomb-lying.xlsx")
    billion_laughs(target / "billion-laughs.xlsx")
    encrypted(target / "mat-khau.xlsx")
    print(f"hostile corpus written to {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
