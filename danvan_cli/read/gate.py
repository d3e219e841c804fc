"""The structural check a file passes before any reader parses it.

One read of the file: its size is refused before anything else (nothing is hashed), then
its bytes are hashed and walked, once, the way python-calamine will read them —

- .xlsx/.xlsm: the zip's directory (entries, declared and really inflated sizes), then a
  streaming expat pass over exactly the parts calamine opens, found as it finds them
  (`_rels/.rels` → the workbook's folder → its relationships → every sheet it names, the
  shared strings, the styles), plus any other XML entry holding sheet data. Names match by
  local name whatever the prefix, attributes whatever the quoting or spacing; a DOCTYPE or
  an entity declaration is refused outright;
- .ods: content.xml, counting `number-rows-repeated` / `number-columns-repeated`;
- .xls: the OLE compound file and its BIFF records (read.biff).

It counts cells, the extent of each sheet, strings, merges, XML and time against the
workbook-wide budgets of read.limits and stops at the first one exceeded, before any reader
allocates. What it learnt (each sheet's extent, the cells holding an error value) goes with
the bytes to the reader. Raises `FileProblem` carrying a `file.*` code.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from danvan_cli.i18n.catalog import Message
from danvan_cli.read.biff import scan_xls
from danvan_cli.read.cells import column_letter
from danvan_cli.read.limits import (
    MAX_COLS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_SHARED_STRINGS,
    MAX_STRING_CELLS_TEXT,
    MAX_UNCOMPRESSED,
    MAX_XML_BYTES,
    MAX_ZIP_ENTRIES,
    Budget,
    FileProblem,
    SheetFacts,
    over,
    size_text,
)

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_OFFICE_DOC = "/relationships/officeDocument"
_CUSTOM_PROPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
OUTPUT_MARK = "danvan-output"  # the custom document property every workbook danvan writes
_CHUNK = 1 << 16

__all__ = ["SUFFIXES", "Book", "FileProblem", "check", "check_bytes", "digest", "sniff"]


@dataclass
class Book:
    """A file that passed the gate: its format, its bytes and digest, and per sheet (in the
    workbook's order) what the gate learnt."""

    kind: str  # "xlsx", "ods" or "xls"
    data: bytes
    sha256: str
    sheets: list[SheetFacts] = field(default_factory=list)
    styles: str = ""  # an .xlsx's styles part
    output: str | None = None  # the kind of danvan output it is (its custom property)


def _read(path: Path) -> bytes:
    """The file's bytes; its size is refused first, without reading (or hashing) it."""
    try:
        size = path.stat().st_size
        if size == 0:
            raise FileProblem("file.empty")
        if size > MAX_FILE_BYTES:
            raise FileProblem(
                "file.too_large", size=size_text(size), limit=size_text(MAX_FILE_BYTES)
            )
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FileProblem("file.unreadable", error=exc.strerror or str(exc)) from None
    if len(data) > MAX_FILE_BYTES:  # grown since stat
        raise FileProblem(
            "file.too_large", size=size_text(len(data)), limit=size_text(MAX_FILE_BYTES)
        )
    if not data:
        raise FileProblem("file.empty")
    return data


def digest(path: Path) -> str:
    """The SHA-256 of a file as validation records it: "" for a file refused by its size
    (never hashed) or one that cannot be read."""
    try:
        return hashlib.sha256(_read(path)).hexdigest()
    except FileProblem:
        return ""


def sniff(data: bytes) -> str:
    """The container by content: "zip", "ole" or raise FileProblem."""
    if data.startswith(_ZIP):
        return "zip"
    if data.startswith(_OLE):
        return "ole"
    raise FileProblem("file.format")


def check(path: Path) -> Book:
    """Read a file once and check it; the bytes, digest and facts of a workbook that passed."""
    return check_bytes(_read(path))


def check_bytes(data: bytes) -> Book:
    sha = hashlib.sha256(data).hexdigest()
    try:
        return _check(data, sha)
    except FileProblem as problem:
        problem.sha256 = sha
        raise


def _check(data: bytes, sha: str) -> Book:
    budget = Budget()
    if sniff(data) == "ole":
        if _ENCRYPTION_INFO in data:  # an encrypted .xlsx: EncryptionInfo + EncryptedPackage
            raise FileProblem("file.encrypted")
        try:
            sheets = scan_xls(data, budget)
        except (IndexError, ValueError, OverflowError):
            raise FileProblem("file.unreadable", error="ole") from None
        return Book("xls", data, sha, sheets)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _check_zip(zf, data, sha, budget)
    except FileProblem:
        raise
    except (KeyboardInterrupt, MemoryError):
        raise
    except Exception:  # BadZipFile, NotImplementedError (unknown zip version), CRC errors…
        raise FileProblem("file.unreadable", error="zip") from None


# -- zip containers ---------------------------------------------------------------------


class _Zip:
    """The entries of a zip as calamine looks them up: case-insensitively, backslashes as
    slashes; every entry of that name is checked (a duplicate name must not hide one)."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.by_name: dict[str, list[zipfile.ZipInfo]] = {}
        for info in zf.infolist():
            key = info.filename.replace("\\", "/").lower()
            self.by_name.setdefault(key, []).append(info)
        self.scanned: set[int] = set()
        self.custom: list[str] = []

    def get(self, name: str) -> list[zipfile.ZipInfo]:
        return self.by_name.get(name.lower(), [])


def _check_entries(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ZIP_ENTRIES:
        raise FileProblem(
            "file.too_large", size=size_text(len(infos)), limit=size_text(MAX_ZIP_ENTRIES)
        )
    declared = sum(i.file_size for i in infos)
    if declared > MAX_UNCOMPRESSED:
        raise FileProblem(
            "file.too_large", size=size_text(declared), limit=size_text(MAX_UNCOMPRESSED)
        )
    for info in infos:
        if info.compress_size > info.file_size + 1024:
            # more compressed data than it claims to inflate to: a header lying about its size
            raise FileProblem("file.unreadable", error="zip size")


def _check_zip(zf: zipfile.ZipFile, data: bytes, sha: str, budget: Budget) -> Book:
    infos = zf.infolist()
    _check_entries(infos)
    z = _Zip(zf)
    if any(k.endswith("workbook.bin") for k in z.by_name):
        raise FileProblem("file.format")  # an .xlsb: a format dossiers never come in
    book: Book | None = None
    for xl_path in _workbook_folders(z, budget):
        found = _check_xlsx(z, xl_path, data, sha, budget)
        book = book or found
    content = z.get("content.xml")
    if content:
        ods = _check_ods(z, content, data, sha, budget)
        book = book or ods
    if book is None:  # a .docx, .pptx or plain zip renamed .xlsx
        raise FileProblem("file.format")
    _check_strays(z, budget)
    book.output = _output(z, budget)
    return book


def _workbook_folders(z: _Zip, budget: Budget) -> list[str]:
    """The workbook's folder ("xl/") of every officeDocument relationship of the package;
    its custom-properties parts are noted in `z.custom`."""
    folders: list[str] = []
    for info in z.get("_rels/.rels"):
        for rel in _relationships(z, info, budget):
            if rel.get("Type") == _CUSTOM_PROPS:
                z.custom.append(posixpath.normpath(rel.get("Target", "").lstrip("/")))
            if rel.get("Type", "").endswith(_OFFICE_DOC):
                target = rel.get("Target", "")
                if target.lower().endswith(".bin"):
                    raise FileProblem("file.format")
                cut = target.rfind("/")
                folder = target[: cut + 1].removeprefix("/") if cut >= 0 else ""
                if folder not in folders:
                    folders.append(folder)
    return folders


def _check_xlsx(z: _Zip, xl: str, data: bytes, sha: str, budget: Budget) -> Book | None:
    rels_parts = z.get(f"{xl}_rels/workbook.xml.rels")
    if not rels_parts:
        return None  # calamine gives up on this package as an .xlsx
    rels: dict[str, tuple[str, str]] = {}
    for info in rels_parts:
        for rel in _relationships(z, info, budget):
            if "Id" in rel:
                rels[rel["Id"]] = (rel.get("Target", ""), rel.get("Type", ""))
    sheets: list[SheetFacts] = []
    for info in z.get(f"{xl}workbook.xml"):
        for name, rel_id in _sheet_list(z, info, budget):
            target = rels.get(rel_id, ("", ""))[0]
            part = target[1:] if target.startswith("/") else f"{xl}{target}"
            budget.add_sheet()
            sheets.append(SheetFacts(name, part=part))
    strings = z.get(f"{xl}sharedStrings.xml")
    longest, exact = 0, True
    for info in strings:
        found, precise = _strings_of(z, info, budget)
        longest, exact = max(longest, found), exact and precise
    styles = z.get(f"{xl}styles.xml")
    for info in styles:
        plain = _plain_part(z, info, budget)
        if plain is not None:
            budget.add_styles(plain.count(b"<xf") + plain.count(b":xf"))
        else:
            _scan(z, info, budget, _Styles(budget))  # (a part _whole declined is not counted)
    string_cells = 0
    for sheet in sheets:
        for info in z.get(sheet.part):
            scan = _sheet_of(z, info, budget)
            budget.add_merges(scan.merges & 0xFF)
            budget.add_extent(1, scan.count)  # the cells themselves, counted with the extents
            sheet.rows = max(sheet.rows, scan.max_row)
            sheet.cols = max(sheet.cols, scan.max_col)
            sheet.errors.update(scan.errors)
            string_cells += scan.string_cells
        budget.add_extent(sheet.rows, sheet.cols)
    if not exact and string_cells * longest > MAX_STRING_CELLS_TEXT:
        longest = max((_shared_strings(z, info, budget) for info in strings), default=0)
    budget.check_strings(string_cells, longest)
    return Book("xlsx", data, sha, sheets, styles[0].filename if styles else "")


# -- the fast path: C-speed scans that bound a part, the streaming pass when unsure ------
#
# A dossier's parts are small and plain. For such a part a few regular-expression scans
# give an upper bound of what calamine will see (every <c> counted as a cell, positions
# placed as calamine places them); when that bound is within the budgets the part is
# accepted as it is. Anything unusual — a DOCTYPE, a comment, CDATA, a processing
# instruction, UTF-16, an entity or an unquoted value in a tag, a quote that does not close
# before ">", a second r, an error value, a bound over a limit — goes to the streaming expat
# pass, which decides. The fuzz tests hold both to what the reader then really reads.

_FAST_MAX = MAX_XML_BYTES  # bytes of a part read whole for the fast path
_FAST_TAG = re.compile(rb"<(/?)(?:[^\s<>/!?:\"'=]+:)?(c|row|mergeCell)(?=[\s/>])([^>]*)>")
_FAST_R = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_FAST_T = re.compile(rb"""(?:^|\s)t\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_UNQUOTED = re.compile(rb"=\s*(?![\s\"'])")
_PI = re.compile(rb"<\?(?!xml[\s?])")
_SI = re.compile(rb"<(?:[^\s<>/!?:\"'=]+:)?si(?=[\s/>])")
_COUNT = re.compile(rb"""(?:^|\s)(?:uniqueCount|count)\s*=\s*["']\s*([0-9]+)""")


def _whole(z: _Zip, info: zipfile.ZipInfo, budget: Budget) -> bytes | None:
    """A small part read whole (counted against the XML budget), or None to stream it."""
    if info.file_size > _FAST_MAX:
        return None
    with z.zf.open(info) as fh:
        data = fh.read(_FAST_MAX + 1)
    if len(data) > _FAST_MAX:
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"<!" in data or _PI.search(data):
        return None  # the streaming pass decides (and counts it)
    budget.add_xml(len(data))
    return data


def _plain_part(z: _Zip, info: zipfile.ZipInfo, budget: Budget) -> bytes | None:
    """A part whose content calamine only reads (styles): accepted when small and plain."""
    data = _whole(z, info, budget)
    if data is not None:
        z.scanned.add(id(info))
    return data


class _Fast:
    __slots__ = ("count", "errors", "max_col", "max_row", "merges", "string_cells")

    def __init__(self) -> None:
        self.max_row = self.max_col = self.merges = self.string_cells = self.count = 0
        self.errors: dict[tuple[int, int], str] = {}


def _fast_ref(attrs: bytes) -> tuple[int, int] | bool | None:
    """The r of a tag's attributes: (row, col), False when it has none, None when unsure."""
    found = _FAST_R.findall(attrs)
    if not found:
        return False
    if len(found) > 1:
        return None
    text = (found[0][0] or found[0][1]).decode("ascii", "replace")
    return ref(text)


_CANON_C = re.compile(rb'<c r="([A-Za-z]{1,3})([0-9]{1,7})"')
_C_OPEN = re.compile(rb"<c[ \t\n\r/>]")
_PREFIXED = re.compile(rb":(?:c[ \t\n\r/>]|row)")
_R_SPACED = re.compile(rb"r[ \t\n\r]+=")
_T_SPACED = re.compile(rb"t[ \t\n\r]+=")


def _count(data: bytes, *needles: bytes) -> int:
    return sum(data.count(n) for n in needles)


def _fastest(data: bytes, room: int) -> _Fast | None:
    """The usual sheet, as Excel, LibreOffice and openpyxl write it: every <c> opens as
    `<c r="D9"` and no attribute is named r or t in another spelling. Proved by counting:
    the canonical cells found must be every <c> there is (a prefixed one sends the sheet
    the slower way), every ` r="` must be a canonical cell's or row's, and no r or t is
    written with other spacing or quotes. The extent is then the largest r. None (the
    slower paths decide) whenever a count does not agree."""
    if _PREFIXED.search(data) or _R_SPACED.search(data) or _T_SPACED.search(data):
        return None
    if _count(data, b"\tr=", b"\nr=", b"\rr=", b" r='", b"\tt=", b"\nt=", b"\rt=", b" t='"):
        return None
    refs = _CANON_C.findall(data)
    if len(refs) != len(_C_OPEN.findall(data)):
        return None
    if data.count(b' r="') != len(refs) + data.count(b'<row r="'):
        return None  # an r elsewhere or twice: a reader might take another one
    if data.count(b' t="e"'):
        return None  # error values: the streaming pass keeps their text
    out = _Fast()
    out.merges = data.count(b"mergeCell")
    out.string_cells = data.count(b' t="s"')
    out.count = len(refs)
    if not refs:
        return out
    rows = max(int(d) for _, d in refs)
    cols = max(_column(x.decode()) for x in {a for a, _ in refs}) + 1
    if rows < 1 or rows > MAX_ROWS or cols > MAX_COLS or rows * cols > room:
        return None
    out.max_row, out.max_col = rows, cols
    return out


def _fast_sheet(data: bytes, room: int) -> _Fast | None:
    """A sheet's bound by the fast path, or None when the streaming pass must decide."""
    fastest = _fastest(data, room)
    if fastest is not None:
        return fastest
    out = _Fast()
    row = col = 0
    for slash, name, attrs in _FAST_TAG.findall(data):
        if slash:
            if name == b"row":
                row, col = row + 1, 0
            continue
        if name == b"mergeCell":
            out.merges += 1
            continue
        if (
            attrs.count(b'"') % 2
            or attrs.count(b"'") % 2
            or b"&" in attrs
            or _UNQUOTED.search(attrs)
        ):
            return None
        where = _fast_ref(attrs)
        if where is None:
            return None
        if name == b"row":
            if where:
                row = where[0]  # type: ignore[index]
            if attrs.endswith(b"/"):
                row, col = row + 1, 0
            continue
        if where:
            r, c = where  # type: ignore[misc]
            if c < 0:
                return None
            col = c
        else:
            r, c = row, col
        if r >= MAX_ROWS or c >= MAX_COLS:
            return None
        out.max_row = max(out.max_row, r + 1)
        out.max_col = max(out.max_col, c + 1)
        out.count += 1
        kind = _FAST_T.findall(attrs)
        if kind:
            value = kind[0][0] or kind[0][1]
            if value == b"e" or len(kind) > 1:
                return None  # the streaming pass keeps the error's text
            if value == b"s":
                out.string_cells += 1
        col += 1
    if out.max_row * out.max_col > room:
        return None
    return out


def _sheet_of(z: _Zip, info: zipfile.ZipInfo, budget: Budget) -> _Fast | _SheetScan:
    from danvan_cli.read.limits import MAX_CELLS, MAX_TEXT

    data = _whole(z, info, budget)
    inline = data is not None and (b"inlineStr" in data or b"<is" in data or b":is" in data)
    if data is not None and (not inline or len(data) <= MAX_TEXT - budget.text):
        fast = _fast_sheet(data, MAX_CELLS - budget.cells)
        if fast is not None:
            z.scanned.add(id(info))
            if inline:  # inline strings' text is bounded by the part's bytes
                budget.add_text(len(data))
            return fast
    if data is not None:
        budget.xml -= len(data)  # streamed again below, and counted then
    scan = _SheetScan(budget)
    _scan(z, info, budget, scan)
    scan.count &= 0xFFF  # what was not counted yet
    return scan


def _strings_of(z: _Zip, info: zipfile.ZipInfo, budget: Budget) -> tuple[int, bool]:
    """The shared strings' longest string (an upper bound from the fast path, or exact)."""
    from danvan_cli.read.limits import MAX_TEXT

    data = _whole(z, info, budget)
    if data is not None and len(data) <= MAX_TEXT - budget.text:
        starts = [m.start() for m in _SI.finditer(data)]
        declared = [int(n) for n in _COUNT.findall(data[: data.find(b">", data.find(b"sst")) + 1])]
        if len(starts) <= MAX_SHARED_STRINGS and all(n <= MAX_SHARED_STRINGS for n in declared):
            z.scanned.add(id(info))
            budget.add_text(len(data))
            ends = [*starts[1:], len(data)]
            return max((b - a for a, b in zip(starts, ends, strict=True)), default=0), False
    if data is not None:
        budget.xml -= len(data)  # streamed again below, and counted then
    return _shared_strings(z, info, budget), True


_PACKAGE_PARTS = ("docprops/", "[content_types].xml", "customxml/")


def _check_strays(z: _Zip, budget: Budget) -> None:
    """Defence in depth: any other XML entry that holds sheet data is held to the same
    limits, should a reader find it by a path this gate did not foresee."""
    for key, infos in z.by_name.items():
        if not key.endswith(".xml") or key.startswith(_PACKAGE_PARTS) or "/theme/" in key:
            continue  # the package's own parts: found by exactly their relationships
        for info in infos:
            if id(info) in z.scanned:
                continue
            with z.zf.open(info) as fh:
                head = fh.read(min(info.file_size, 1 << 20))
            if b"sheetData" in head or b"table-row" in head:
                scan = _SheetScan(budget)
                _scan(z, info, budget, scan)
                budget.add_extent(scan.max_row, scan.max_col)


# -- streaming XML ----------------------------------------------------------------------

# Characters XML 1.0 forbids, which expat refuses but a reader may accept: replaced (for
# this pass only) so that a name holding U+FFFF is read, not called damaged.
_C0 = bytes(b for b in range(32) if b not in (9, 10, 13))
_C0_TABLE = bytes.maketrans(_C0, b" " * len(_C0))
_BAD_UTF8 = re.compile(rb"\xef\xbf[\xbe\xbf]|\xed[\xa0-\xbf][\x80-\xbf]")
_CHAR_REF = re.compile(rb"&#(x[0-9A-Fa-f]{1,8}|[0-9]{1,10});")


def _legal_ref(m: re.Match[bytes]) -> bytes:
    text = m.group(1)
    try:
        n = int(text[1:], 16) if text[:1] in b"xX" else int(text)
    except ValueError:
        return b" "
    legal = (
        n in (9, 10, 13) or 0x20 <= n <= 0xD7FF or 0xE000 <= n <= 0xFFFD or 0x10000 <= n <= 0x10FFFF
    )
    return m.group(0) if legal else b"&#xFFFD;"


def _clean(chunk: bytes) -> bytes:
    chunk = chunk.translate(_C0_TABLE)
    if b"\xef\xbf" in chunk or b"\xed" in chunk:
        chunk = _BAD_UTF8.sub(b"\xef\xbf\xbd", chunk)
    if b"&#" in chunk:
        chunk = _CHAR_REF.sub(_legal_ref, chunk)
    return chunk


def _unsafe(reason: str) -> FileProblem:
    return FileProblem("file.unsafe", reason=Message(f"unsafe.{reason}"))


class _Handler:
    """What a part's scan does with its elements (the base: nothing, the part is only
    checked for being well-formed and safe)."""

    parser: Any = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        pass

    def end(self, name: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass

    wants_text = False


class _Plain(_Handler):
    pass


class _Styles(_Handler):
    """A styles part streamed: its cell formats counted (a reader builds one object each)."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.count = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "xf":
            self.count += 1
            if self.count & 0xFFF == 0:
                self.budget.add_styles(0x1000)


def _local(name: str) -> str:
    return name[name.rfind(":") + 1 :]


def _scan(z: _Zip, info: zipfile.ZipInfo, budget: Budget, handler: _Handler) -> None:
    """One streaming expat pass over a part: no DOCTYPE, no entity declaration, no external
    entity; the time and the XML read are counted chunk by chunk."""
    z.scanned.add(id(info))
    parser = expat.ParserCreate()
    parser.buffer_text = True
    handler.parser = parser

    def doctype(*_: Any) -> None:
        raise _unsafe("doctype")

    def entity(*_: Any) -> None:
        raise _unsafe("entity")

    def external(*_: Any) -> int:
        raise _unsafe("external")

    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    if handler.wants_text:
        parser.CharacterDataHandler = handler.text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        with z.zf.open(info) as fh:
            _feed(parser, fh, budget)
    except expat.ExpatError as exc:
        raise FileProblem("file.unreadable", error=f"xml {info.filename}: {exc}") from None
    finally:
        handler.parser = None


def _feed(parser: Any, fh: IO[bytes], budget: Budget) -> None:
    first = fh.read(_CHUNK)
    budget.add_xml(len(first))
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: fed as it is
        parser.Parse(first, False)
        while chunk := fh.read(_CHUNK):
            budget.add_xml(len(chunk))
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
        return
    carry = first
    while True:
        chunk = fh.read(_CHUNK)
        if chunk:
            budget.add_xml(len(chunk))
        data = carry + chunk
        if not chunk:
            parser.Parse(_clean(data), True)
            return
        cut = data.rfind(b">") + 1  # never inside a character reference or a UTF-8 sequence
        if cut == 0:
            if len(data) < 1 << 20:
                carry = data
                continue
            cut = len(data)
        parser.Parse(_clean(data[:cut]), False)
        carry = data[cut:]


class _Collect(_Handler):
    """Elements of one local name, their attributes."""

    def __init__(self, local: str) -> None:
        self.local = local
        self.found: list[dict[str, str]] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if _local(name) == self.local:
            self.found.append(attrs)


def _relationships(z: _Zip, info: zipfile.ZipInfo, budget: Budget) -> list[dict[str, str]]:
    collect = _Collect("Relationship")
    _scan(z, info, budget, collect)
    return collect.found


def _sheet_list(z: _Zip, info: zipfile.ZipInfo, budget: Budget) -> list[tuple[str, str]]:
    """(name, relationship id) of each <sheet> of workbook.xml; the id is the last attribute
    whose local name is "id", as calamine takes it."""
    collect = _Collect("sheet")
    _scan(z, info, budget, collect)
    out = []
    for attrs in collect.found:
        rel_id = ""
        for key, value in attrs.items():
            if _local(key) == "id":
                rel_id = value
        out.append((attrs.get("name", ""), rel_id))
    return out


class _Strings(_Handler):
    wants_text = True

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.count = 0
        self.current = 0
        self.longest = 0
        self.chars = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "si":
            self.count += 1
            if self.count > MAX_SHARED_STRINGS:
                raise over("strings", self.count, MAX_SHARED_STRINGS)
            self.current = 0
        elif local == "sst":
            for key in ("uniqueCount", "count"):
                declared = _int(attrs.get(key))
                if declared is not None and declared > MAX_SHARED_STRINGS:
                    raise over("strings", declared, MAX_SHARED_STRINGS)

    def end(self, name: str) -> None:
        if _local(name) == "si":
            self.longest = max(self.longest, self.current)

    def text(self, data: str) -> None:
        self.current += len(data)
        self.chars += len(data)
        if self.chars > 1 << 16:
            self.budget.add_text(self.chars)
            self.chars = 0


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None


def _shared_strings(z: _Zip, info: zipfile.ZipInfo, budget: Budget) -> int:
    strings = _Strings(budget)
    _scan(z, info, budget, strings)
    budget.add_text(strings.chars)
    return strings.longest


_REF = re.compile(r"([A-Za-z]*)([0-9]+)")


@lru_cache(maxsize=4096)
def _column(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def ref(text: str) -> tuple[int, int] | None:
    """A cell reference as calamine reads it ("D9", "xfd1048576"): 0-based (row, column),
    column -1 when it has none; None when calamine would refuse it."""
    m = _REF.fullmatch(text)
    if m is None:
        return None
    row = int(m.group(2)) - 1
    if row < 0:
        return None
    return row, (_column(m.group(1)) if m.group(1) else -1)


def _too_far(row: int, col: int) -> FileProblem:
    letters = column_letter(col) if 0 <= col < 1 << 20 else "?"
    return FileProblem(
        "file.sheet_too_large", cell=f"{letters}{row + 1}", rows=MAX_ROWS, cols=MAX_COLS
    )


class _SheetScan(_Handler):
    """A worksheet part as calamine's cell reader walks it: a <row> with r sets the row, the
    end of a row moves to the next one; a <c> with r sets its position, one without it takes
    the next column. A cell with any child (value, formula, inline string) is a cell calamine
    keeps; the sheet's extent is checked as each one closes."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.row = 0
        self.col = 0
        self.max_row = 0
        self.max_col = 0
        self.pos: tuple[int, int] | None = None
        self.kind = ""
        self.filled = False
        self.string_cells = 0
        self.errors: dict[tuple[int, int], str] = {}
        self.error_text: list[str] | None = None
        self.merges = 0
        self.inline_chars = 0
        self.count = 0  # cells kept: each one an entry the reader allocates, wherever it is

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name[name.rfind(":") + 1 :]
        if self.pos is not None:  # a child of the open cell
            self.filled = True
            if local == "v" and self.kind == "e":
                self.error_text = []
                self.parser.CharacterDataHandler = self.text
            elif local == "is":  # an inline string: its text counts like shared strings
                self.parser.CharacterDataHandler = self.inline
            return
        if local == "c":
            r = attrs.get("r")
            where = ref(r) if r is not None else (self.row, self.col)
            if where is None or where[1] < 0:
                where = (self.row, self.col)  # calamine refuses the sheet; count it anyway
            self.pos = where
            self.col = where[1]
            self.kind = attrs.get("t", "")
            self.filled = False
        elif local == "row":
            r = attrs.get("r")
            if r is not None:
                where = ref(r)
                if where is not None:
                    self.row = where[0]
        elif local == "mergeCell":
            self.merges += 1
            if self.merges & 0xFF == 0:
                self.budget.add_merges(0x100)

    def end(self, name: str) -> None:
        local = name[name.rfind(":") + 1 :]
        if local == "c" and self.pos is not None:
            row, col = self.pos
            if self.filled:
                if row >= MAX_ROWS or col >= MAX_COLS:
                    raise _too_far(row, col)
                if row >= self.max_row:
                    self.max_row = row + 1
                if col >= self.max_col:
                    self.max_col = col + 1
                if self.kind == "s":
                    self.string_cells += 1
                self.count += 1
                if self.count & 0xFFF == 0:  # cells counted as they come (the rest: after)
                    self.budget.add_extent(1, 0x1000)
            self.pos = None
            self.col += 1
        elif local == "row":
            self.row += 1
            self.col = 0
        elif local == "v" and self.error_text is not None:
            if self.pos is not None:
                self.errors[self.pos] = "".join(self.error_text).strip()[:40]
            self.error_text = None
            self.parser.CharacterDataHandler = None
        elif local == "is":
            self.parser.CharacterDataHandler = None
            self.budget.add_text(self.inline_chars)
            self.inline_chars = 0

    def text(self, data: str) -> None:
        if self.error_text is not None:
            self.error_text.append(data)

    def inline(self, data: str) -> None:
        self.inline_chars += len(data)
        if self.inline_chars > 1 << 16:
            self.budget.add_text(self.inline_chars)
            self.inline_chars = 0


# -- OpenDocument -----------------------------------------------------------------------

_ODS_VALUE = {
    "value",
    "string-value",
    "date-value",
    "time-value",
    "boolean-value",
    "value-type",
    "formula",
}


class _OdsScan(_Handler):
    """content.xml as calamine's ODS reader walks it: a row repeated n times advances n rows,
    a cell repeated n times n columns; a non-empty cell is materialised once per repeat (and
    a non-empty row once per repeat), so the extent counts the repeats."""

    wants_text = True

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.sheets: list[SheetFacts] = []
        self.sheet: SheetFacts | None = None
        self.row = 0
        self.row_repeat = 1
        self.row_filled = 0  # columns up to the last non-empty cell of the open row
        self.col = 0
        self.cell_repeat = 0
        self.cell_filled = False
        self.cell_text = 0
        self.in_cell = False
        self.error: list[str] | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if self.in_cell:
            self.cell_filled = True
            return
        if local == "table":
            self._close_sheet()
            self.budget.add_sheet()
            self.sheet = SheetFacts(attrs.get("table:name", ""))
            self.row = 0
        elif local == "table-row" and self.sheet is not None:
            self.row_repeat = _repeat(attrs, "number-rows-repeated")
            self.col = 0
            self.row_filled = 0
        elif local in ("table-cell", "covered-table-cell") and self.sheet is not None:
            self.in_cell = True
            self.cell_repeat = _repeat(attrs, "number-columns-repeated")
            self.cell_filled = any(_local(k) in _ODS_VALUE for k in attrs)
            self.cell_text = len(attrs.get("office:string-value", ""))
            if any(_local(k) == "value-type" and v == "error" for k, v in attrs.items()):
                self.error = []

    def end(self, name: str) -> None:
        local = _local(name)
        sheet = self.sheet
        if local in ("table-cell", "covered-table-cell") and self.in_cell:
            self.in_cell = False
            end = self.col + self.cell_repeat
            if self.cell_filled and sheet is not None:
                if end > MAX_COLS:
                    raise _too_far(self.row, end - 1)
                self.row_filled = max(self.row_filled, end)
                self.budget.add_text(self.cell_text * self.cell_repeat * self.row_repeat)
                if self.error is not None:
                    text = "".join(self.error).strip()[:40]
                    for c in range(self.col, end):
                        sheet.errors[(self.row, c)] = text
            self.error = None
            self.col = end
        elif local == "table-row" and sheet is not None:
            if self.row_filled:
                last = self.row + self.row_repeat
                if last > MAX_ROWS:
                    raise _too_far(last - 1, self.row_filled - 1)
                sheet.rows = max(sheet.rows, last)
                sheet.cols = max(sheet.cols, self.row_filled)
            self.row += self.row_repeat
        elif local == "table":
            self._close_sheet()

    def text(self, data: str) -> None:
        if self.in_cell:
            self.cell_filled = True
            self.cell_text += len(data)
            if self.error is not None:
                self.error.append(data)

    def _close_sheet(self) -> None:
        if self.sheet is not None:
            self.budget.add_extent(self.sheet.rows, self.sheet.cols)
            self.sheets.append(self.sheet)
            self.sheet = None


def _repeat(attrs: dict[str, str], local: str) -> int:
    """A repeat count (any prefix); a count calamine could not parse is 1 to it, and the
    largest one given is taken."""
    found = 1
    for key, value in attrs.items():
        if _local(key) == local:
            n = _int(value)
            if n is not None and n > found:
                found = n
    return found


def _check_ods(
    z: _Zip, content: list[zipfile.ZipInfo], data: bytes, sha: str, budget: Budget
) -> Book:
    scan = _OdsScan(budget)
    for info in content:
        _scan(z, info, budget, scan)
    scan._close_sheet()
    return Book("ods", data, sha, scan.sheets)


# -- fonts of an .xlsx (for legacy TCVN3/VNI text) ----------------------------------------


class _Fonts(_Handler):
    """The styles part: each font's name and each cell format's font."""

    def __init__(self) -> None:
        self.fonts: list[str] = []
        self.xfs: list[int] = []
        self.section = ""

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local in ("fonts", "cellXfs", "cellStyleXfs", "dxfs"):
            self.section = local
        elif self.section == "fonts" and local == "font":
            self.fonts.append("")
        elif self.section == "fonts" and local == "name" and self.fonts:
            self.fonts[-1] = attrs.get("val", "")
        elif self.section == "cellXfs" and local == "xf":
            self.xfs.append(_int(attrs.get("fontId")) or 0)

    def end(self, name: str) -> None:
        if _local(name) == self.section:
            self.section = ""


class _StyledScan(_SheetScan):
    """A sheet's cells whose format uses one of `wanted` (format index → font name)."""

    def __init__(self, budget: Budget, wanted: dict[int, str]) -> None:
        super().__init__(budget)
        self.wanted = wanted
        self.style = -1
        self.found: dict[tuple[int, int], str] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.pos is None and _local(name) == "c":
            self.style = _int(attrs.get("s")) or 0
        super().start(name, attrs)

    def end(self, name: str) -> None:
        if self.pos is not None and self.filled and _local(name) == "c":
            font = self.wanted.get(self.style)
            if font is not None:
                self.found[self.pos] = font
        super().end(name)


def legacy_fonts(
    book: Book, prefixes: tuple[str, ...] = (".vn", "vni")
) -> dict[tuple[int, int, int], str]:
    """(sheet index, row, column) → font name of the cells typed in a legacy Vietnamese font,
    read from the parts the gate already checked."""
    if book.kind != "xlsx" or not book.styles:
        return {}
    budget = Budget()
    out: dict[tuple[int, int, int], str] = {}
    with zipfile.ZipFile(io.BytesIO(book.data)) as zf:
        z = _Zip(zf)
        fonts = _Fonts()
        for info in z.get(book.styles):
            _scan(z, info, budget, fonts)
        wanted = {
            i: fonts.fonts[f]
            for i, f in enumerate(fonts.xfs)
            if 0 <= f < len(fonts.fonts) and fonts.fonts[f].lower().startswith(prefixes)
        }
        if not wanted:
            return {}
        for index, sheet in enumerate(book.sheets):
            for info in z.get(sheet.part):
                scan = _StyledScan(budget, wanted)
                _scan(z, info, budget, scan)
                for (r, c), font in scan.found.items():
                    out[(index, r, c)] = font
    return out


# -- danvan's own workbooks ----------------------------------------------------------


class _Props(_Handler):
    """The `danvan-output` custom document property, and its text."""

    wants_text = True

    def __init__(self) -> None:
        self.inside = False
        self.found: list[str] | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "property" and attrs.get("name") == OUTPUT_MARK and self.found is None:
            self.inside, self.found = True, []

    def end(self, name: str) -> None:
        if _local(name) == "property":
            self.inside = False

    def text(self, data: str) -> None:
        if self.inside and self.found is not None:
            self.found.append(data)


def package_output(data: bytes) -> str | None:
    """The `danvan-output` property of any package (a Word paper as well as a workbook),
    found the way the gate finds it: through the package's relationships, parsed by expat
    with DOCTYPE refused, entries looked up case-insensitively."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            z = _Zip(zf)
            budget = Budget()
            _workbook_folders(z, budget)  # notes the custom-properties parts in z.custom
            return _output(z, budget)
    except (FileProblem, OSError, ValueError, NotImplementedError, zipfile.BadZipFile):
        return None


def _output(z: _Zip, budget: Budget) -> str | None:
    """The kind of danvan output this package is, by the custom property only danvan writes
    (read.recognise.output_kind reads the same from a path)."""
    for name in z.custom:
        for info in z.get(name):
            props = _Props()
            try:
                _scan(z, info, budget, props)
            except FileProblem:
                continue  # damaged or unsafe properties: not danvan's
            if props.found is not None:
                return "".join(props.found).strip() or "?"
    return None
